#include "app/protocol/improv/improvcodec.h"
#include "app/simulator/simulatedimprovdevice.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

using namespace provbench;
using namespace provbench::sim;
using improv::Command;
using improv::ErrorCode;
using improv::Packet;
using improv::PacketType;
using improv::State;
using Kind = improv::StreamParser::Event::Kind;

namespace {

// The client side of the line, with plain POSIX calls so the test sees the
// exact bytes the device put on the wire.
class PtyClient
{
public:
    ~PtyClient() { close(); }

    bool open(const QString &path)
    {
        m_fd = ::open(
            QFile::encodeName(path).constData(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (m_fd < 0)
            return false;
        termios tio{};
        ::tcgetattr(m_fd, &tio);
        ::cfmakeraw(&tio);
        ::tcsetattr(m_fd, TCSANOW, &tio);
        ::tcflush(m_fd, TCIFLUSH); // boot text printed before we connected
        return true;
    }
    void close()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }
    bool send(const QByteArray &bytes)
    {
        return ::write(m_fd, bytes.constData(), size_t(bytes.size())) == ssize_t(bytes.size());
    }
    bool sendCommand(Command command, const QList<QByteArray> &strings = {})
    {
        const auto packet = improv::encodeCommand(command, strings);
        return packet && send(*packet);
    }
    void readAvailable()
    {
        char buf[1024];
        for (;;) {
            const ssize_t n = ::read(m_fd, buf, sizeof buf);
            if (n > 0) {
                raw.append(buf, n);
                events.append(m_parser.feed(QByteArrayView(buf, n)));
                continue;
            }
            if (n == 0 || (n < 0 && errno == EIO))
                hungUp = true;
            return;
        }
    }
    // Runs the event loop (the device lives in this thread) until pred holds.
    template<typename Pred> bool pumpUntil(Pred pred, int timeoutMs = 3000)
    {
        QDeadlineTimer deadline(timeoutMs);
        for (;;) {
            readAvailable();
            if (pred())
                return true;
            if (deadline.hasExpired())
                return false;
            QTest::qWait(2);
        }
    }
    void pumpFor(int ms)
    {
        pumpUntil([] { return false; }, ms);
    }
    QList<Packet> packets() const
    {
        QList<Packet> out;
        for (const auto &e : events) {
            if (e.kind == Kind::Packet)
                out.append(e.packet);
        }
        return out;
    }
    bool waitForPackets(int n, int timeoutMs = 3000)
    {
        return pumpUntil([this, n] { return packets().size() >= n; }, timeoutMs);
    }
    int count(Kind kind) const
    {
        return int(std::count_if(
            events.cbegin(), events.cend(), [kind](const auto &e) { return e.kind == kind; }));
    }
    void clear()
    {
        raw.clear();
        events.clear();
    }

    QByteArray raw;
    QList<improv::StreamParser::Event> events;
    bool hungUp = false;

private:
    int m_fd = -1;
    improv::StreamParser m_parser;
};

SimDeviceConfig quietConfig(int index = 0)
{
    SimDeviceConfig c = demoConfig(index);
    c.logNoise = false;
    c.latencyMs = 5;
    c.connectMs = 60;
    return c;
}

Packet statePacket(State s)
{
    return Packet{PacketType::CurrentState, QByteArray(1, char(s))};
}

Packet errorPacket(ErrorCode e)
{
    return Packet{PacketType::ErrorState, QByteArray(1, char(e))};
}

Packet resultPacket(Command command, const QList<QByteArray> &strings)
{
    return Packet{PacketType::RpcResult, *improv::encodeRpc(improv::Rpc{quint8(command), strings})};
}

QList<QByteArray> resultStrings(const Packet &p)
{
    const auto rpc = improv::decodeRpc(p.data);
    return rpc ? rpc->strings : QList<QByteArray>{QByteArrayLiteral("<undecodable>")};
}

} // namespace

class TestSimulatedImprovDevice : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void currentState_answersReady();
    void currentState_whenProvisioned_alsoSendsTheUrl();
    void deviceInfo_sendsSixStrings();
    void deviceInfo_olderFirmware_sendsFourStrings();
    void scan_listsEachNetworkThenAnEmptyResult();
    void wifi_rightPassword_provisioningThenProvisionedWithUrl_data();
    void wifi_rightPassword_provisioningThenProvisionedWithUrl();
    void wifi_wrongPasswordOrUnknownNetwork_unableToConnectThenReady_data();
    void wifi_wrongPasswordOrUnknownNetwork_unableToConnectThenReady();
    void wifi_wrongNumberOfStrings_isInvalidRpc();
    void hostname_getThenSet_answersTheNewValue();
    void hostname_invalid_isBadHostname_data();
    void hostname_invalid_isBadHostname();
    void deviceName_getThenSet_answersTheNewValue();
    void networkState_notProvisioned_isZero();
    void legacyFirmware_answersUnknownRpcTo05To07();
    void unknownCommand_isUnknownRpc();
    void malformedRpc_isInvalidRpc();
    void commandSplitAndSurroundedByNoise_isStillUnderstood();
    void severalCommandsAtOnce_answersKeepTheirOrder();
    void logNoise_isWholeLinesBetweenPackets();
    void faultBadChecksum_corruptsOnlyTheNextPacketsChecksum();
    void faultDrop_removesOneByteFromTheMiddle();
    void faultGarbage_prefixesJunkThatCannotStartAPacket();
    void faultNoAnswer_ignoresOnlyTheNextCommand();
    void faultDisconnectAt_cutsTheLineAtThatByteAndUnplugs();
    void unplug_removesTheLinkAndHangsUpTheClient();
    void start_replacesAStaleLink();

private:
    bool startDevice(const SimDeviceConfig &config);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SimulatedImprovDevice> m_device;
    std::unique_ptr<PtyClient> m_client;
    QString m_link;
};

void TestSimulatedImprovDevice::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_link = m_dir->filePath(QStringLiteral("ttySIM0"));
}

void TestSimulatedImprovDevice::cleanup()
{
    m_client.reset();
    m_device.reset();
    m_dir.reset();
}

bool TestSimulatedImprovDevice::startDevice(const SimDeviceConfig &config)
{
    m_device = std::make_unique<SimulatedImprovDevice>(config);
    if (auto ok = m_device->start(m_link); !ok) {
        qWarning() << ok.error().message;
        return false;
    }
    m_client = std::make_unique<PtyClient>();
    return m_device->portPath() == m_link && m_client->open(m_link);
}

void TestSimulatedImprovDevice::currentState_answersReady()
{
    QVERIFY(startDevice(quietConfig()));
    QVERIFY(m_client->sendCommand(Command::CurrentState));
    QVERIFY(m_client->waitForPackets(1));
    QCOMPARE(m_client->packets().first(), statePacket(State::Ready));
    // Byte for byte: the packet from the spec's vector, then the newline.
    QCOMPARE(m_client->raw, QByteArray::fromHex("494d50524f5601010102e2") + '\n');
}

void TestSimulatedImprovDevice::currentState_whenProvisioned_alsoSendsTheUrl()
{
    QVERIFY(startDevice(quietConfig()));
    QVERIFY(m_client->sendCommand(Command::WifiSettings, {"Guest", ""}));
    QTRY_COMPARE(m_device->state(), State::Provisioned);
    QVERIFY(m_client->waitForPackets(4));
    m_client->clear();

    QVERIFY(m_client->sendCommand(Command::CurrentState));
    QVERIFY(m_client->waitForPackets(2));
    QCOMPARE(m_client->packets(),
        (QList<Packet>{statePacket(State::Provisioned),
            resultPacket(Command::CurrentState, {"http://kitchen-sensor.local"})}));
}

void TestSimulatedImprovDevice::deviceInfo_sendsSixStrings()
{
    QVERIFY(startDevice(quietConfig(0)));
    QVERIFY(m_client->sendCommand(Command::DeviceInfo));
    QVERIFY(m_client->waitForPackets(1));
    QCOMPARE(m_client->packets().first(),
        resultPacket(Command::DeviceInfo,
            {"ESPHome", "2024.6.1", "ESP32-C3", "kitchen-sensor", "ESP-IDF", "5.1.4"}));
}

void TestSimulatedImprovDevice::deviceInfo_olderFirmware_sendsFourStrings()
{
    QVERIFY(startDevice(quietConfig(1)));
    QVERIFY(m_client->sendCommand(Command::DeviceInfo));
    QVERIFY(m_client->waitForPackets(1));
    QCOMPARE(m_client->packets().first(),
        resultPacket(Command::DeviceInfo, {"WLED", "0.14.4", "ESP8266", "porch-lights"}));
}

void TestSimulatedImprovDevice::scan_listsEachNetworkThenAnEmptyResult()
{
    QVERIFY(startDevice(quietConfig()));
    QVERIFY(m_client->sendCommand(Command::WifiScan));
    const QList<SimNetwork> nets = demoNetworks();
    QVERIFY(m_client->waitForPackets(int(nets.size()) + 1));
    const QList<Packet> packets = m_client->packets();
    QCOMPARE(packets.size(), nets.size() + 1);
    for (qsizetype i = 0; i < nets.size(); ++i) {
        QCOMPARE(packets[i].type, PacketType::RpcResult);
        QCOMPARE(quint8(packets[i].data[0]), quint8(Command::WifiScan));
        const QList<QByteArray> s = resultStrings(packets[i]);
        QCOMPARE(s.size(), 3);
        QCOMPARE(s[0], nets[i].ssid.toUtf8());
        bool ok = false;
        const int rssi = s[1].toInt(&ok);
        QVERIFY(ok);
        QVERIFY2(qAbs(rssi - nets[i].rssi) <= 3, s[1].constData());
        QCOMPARE(s[2], nets[i].password.isEmpty() ? QByteArray("NO") : QByteArray("YES"));
    }
    QCOMPARE(packets.last(), resultPacket(Command::WifiScan, {}));
}

void TestSimulatedImprovDevice::wifi_rightPassword_provisioningThenProvisionedWithUrl_data()
{
    QTest::addColumn<QByteArray>("ssid");
    QTest::addColumn<QByteArray>("password");
    QTest::newRow("secured") << QByteArray("ProvBench-Lab") << QByteArray("correct-horse-42");
    QTest::newRow("open, empty password") << QByteArray("Guest") << QByteArray();
}

void TestSimulatedImprovDevice::wifi_rightPassword_provisioningThenProvisionedWithUrl()
{
    QFETCH(QByteArray, ssid);
    QFETCH(QByteArray, password);
    QVERIFY(startDevice(quietConfig()));
    QSignalSpy states(m_device.get(), &SimulatedImprovDevice::stateChanged);
    QVERIFY(m_client->sendCommand(Command::WifiSettings, {ssid, password}));
    QVERIFY(m_client->waitForPackets(4));
    QCOMPARE(m_client->packets(),
        (QList<Packet>{errorPacket(ErrorCode::None), statePacket(State::Provisioning),
            statePacket(State::Provisioned),
            resultPacket(Command::WifiSettings, {"http://kitchen-sensor.local"})}));
    QCOMPARE(m_device->state(), State::Provisioned);
    QCOMPARE(m_device->connectedSsid(), QString::fromUtf8(ssid));
    QCOMPARE(states.size(), 2);
    QCOMPARE(states[0][0].value<State>(), State::Provisioning);
    QCOMPARE(states[1][0].value<State>(), State::Provisioned);

    m_client->clear();
    QVERIFY(m_client->sendCommand(Command::NetworkState));
    QVERIFY(m_client->waitForPackets(1));
    QCOMPARE(m_client->packets().first(),
        resultPacket(Command::NetworkState, {"3", "http://kitchen-sensor.local"}));
}

void TestSimulatedImprovDevice::wifi_wrongPasswordOrUnknownNetwork_unableToConnectThenReady_data()
{
    QTest::addColumn<QByteArray>("ssid");
    QTest::addColumn<QByteArray>("password");
    QTest::newRow("wrong password") << QByteArray("ProvBench-Lab") << QByteArray("wrong-horse");
    QTest::newRow("empty password") << QByteArray("Warehouse-2G") << QByteArray();
    QTest::newRow("unknown network") << QByteArray("Nowhere") << QByteArray("whatever-123");
}

void TestSimulatedImprovDevice::wifi_wrongPasswordOrUnknownNetwork_unableToConnectThenReady()
{
    QFETCH(QByteArray, ssid);
    QFETCH(QByteArray, password);
    QVERIFY(startDevice(quietConfig()));
    QVERIFY(m_client->sendCommand(Command::WifiSettings, {ssid, password}));
    QVERIFY(m_client->waitForPackets(4));
    QCOMPARE(m_client->packets(),
        (QList<Packet>{errorPacket(ErrorCode::None), statePacket(State::Provisioning),
            errorPacket(ErrorCode::UnableToConnect), statePacket(State::Ready)}));
    QCOMPARE(m_device->state(), State::Ready);
    QVERIFY(m_device->connectedSsid().isEmpty());
}

void TestSimulatedImprovDevice::wifi_wrongNumberOfStrings_isInvalidRpc()
{
    QVERIFY(startDevice(quietConfig()));
    QVERIFY(m_client->sendCommand(Command::WifiSettings, {"ProvBench-Lab"}));
    QVERIFY(m_client->waitForPackets(1));
    QCOMPARE(m_client->packets().first(), errorPacket(ErrorCode::InvalidRpc));
    QCOMPARE(m_device->state(), State::Ready);
}

void TestSimulatedImprovDevice::hostname_getThenSet_answersTheNewValue()
{
    QVERIFY(startDevice(quietConfig()));
    QVERIFY(m_client->sendCommand(Command::Hostname));
    QVERIFY(m_client->waitForPackets(1));
    QCOMPARE(m_client->packets()[0], resultPacket(Command::Hostname, {"kitchen-sensor"}));

    QVERIFY(m_client->sendCommand(Command::Hostname, {"Kitchen-2"}));
    QVERIFY(m_client->waitForPackets(2));
    QCOMPARE(m_client->packets()[1], resultPacket(Command::Hostname, {"Kitchen-2"}));
    QCOMPARE(m_device->hostname(), QStringLiteral("Kitchen-2"));

    QVERIFY(m_client->sendCommand(Command::WifiSettings, {"Guest", ""}));
    QVERIFY(m_client->waitForPackets(6));
    QCOMPARE(
        m_client->packets()[5], resultPacket(Command::WifiSettings, {"http://Kitchen-2.local"}));
}

void TestSimulatedImprovDevice::hostname_invalid_isBadHostname_data()
{
    QTest::addColumn<QByteArray>("hostname");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("leading hyphen") << QByteArray("-kitchen");
    QTest::newRow("trailing hyphen") << QByteArray("kitchen-");
    QTest::newRow("underscore") << QByteArray("kitchen_sensor");
    QTest::newRow("dot") << QByteArray("kitchen.local");
    QTest::newRow("64 characters") << QByteArray(64, 'a');
    QTest::newRow("non-ASCII") << QByteArray("k\xc3\xbc"
                                             "che");
}

void TestSimulatedImprovDevice::hostname_invalid_isBadHostname()
{
    QFETCH(QByteArray, hostname);
    QVERIFY(startDevice(quietConfig()));
    QVERIFY(m_client->sendCommand(Command::Hostname, {hostname}));
    QVERIFY(m_client->waitForPackets(1));
    QCOMPARE(m_client->packets().first(), errorPacket(ErrorCode::BadHostname));
    QCOMPARE(m_device->hostname(), QStringLiteral("kitchen-sensor"));
}

void TestSimulatedImprovDevice::deviceName_getThenSet_answersTheNewValue()
{
    QVERIFY(startDevice(quietConfig()));
    QVERIFY(m_client->sendCommand(Command::DeviceName));
    QVERIFY(m_client->sendCommand(Command::DeviceName, {"Kitchen sensor (north)"}));
    QVERIFY(m_client->waitForPackets(2));
    QCOMPARE(m_client->packets(),
        (QList<Packet>{resultPacket(Command::DeviceName, {"kitchen-sensor"}),
            resultPacket(Command::DeviceName, {"Kitchen sensor (north)"})}));
    QCOMPARE(m_device->deviceName(), QStringLiteral("Kitchen sensor (north)"));
}

void TestSimulatedImprovDevice::networkState_notProvisioned_isZero()
{
    QVERIFY(startDevice(quietConfig()));
    QVERIFY(m_client->sendCommand(Command::NetworkState));
    QVERIFY(m_client->waitForPackets(1));
    QCOMPARE(m_client->packets().first(), resultPacket(Command::NetworkState, {"0"}));
}

void TestSimulatedImprovDevice::legacyFirmware_answersUnknownRpcTo05To07()
{
    QVERIFY(startDevice(quietConfig(2)));
    QVERIFY(m_client->sendCommand(Command::Hostname));
    QVERIFY(m_client->sendCommand(Command::DeviceName, {"x"}));
    QVERIFY(m_client->sendCommand(Command::NetworkState));
    QVERIFY(m_client->sendCommand(Command::CurrentState));
    QVERIFY(m_client->waitForPackets(4));
    const Packet unknown = errorPacket(ErrorCode::UnknownRpc);
    QCOMPARE(
        m_client->packets(), (QList<Packet>{unknown, unknown, unknown, statePacket(State::Ready)}));
}

void TestSimulatedImprovDevice::unknownCommand_isUnknownRpc()
{
    QVERIFY(startDevice(quietConfig()));
    const auto rpc = improv::encodeRpc(improv::Rpc{0x42, {}});
    QVERIFY(m_client->send(*improv::encodePacket(PacketType::RpcCommand, *rpc)));
    QVERIFY(m_client->waitForPackets(1));
    QCOMPARE(m_client->packets().first(), errorPacket(ErrorCode::UnknownRpc));
}

void TestSimulatedImprovDevice::malformedRpc_isInvalidRpc()
{
    QVERIFY(startDevice(quietConfig()));
    // The inner length claims 9 bytes, only 2 follow.
    QVERIFY(m_client->send(
        *improv::encodePacket(PacketType::RpcCommand, QByteArray("\x01\x09\x01x", 4))));
    QVERIFY(m_client->waitForPackets(1));
    QCOMPARE(m_client->packets().first(), errorPacket(ErrorCode::InvalidRpc));
}

void TestSimulatedImprovDevice::commandSplitAndSurroundedByNoise_isStillUnderstood()
{
    QVERIFY(startDevice(quietConfig()));
    const QByteArray cmd = *improv::encodeCommand(Command::CurrentState);
    QVERIFY(m_client->send("hello\r\nIMPRO junk\n" + cmd.first(4)));
    m_client->pumpFor(20);
    QVERIFY(m_client->send(cmd.sliced(4) + "\n"));
    QVERIFY(m_client->waitForPackets(1));
    QCOMPARE(m_client->packets().first(), statePacket(State::Ready));
}

void TestSimulatedImprovDevice::severalCommandsAtOnce_answersKeepTheirOrder()
{
    QVERIFY(startDevice(quietConfig()));
    QVERIFY(m_client->send(*improv::encodeCommand(Command::Hostname)
        + *improv::encodeCommand(Command::CurrentState)
        + *improv::encodeCommand(Command::NetworkState)));
    QVERIFY(m_client->waitForPackets(3));
    QCOMPARE(m_client->packets(),
        (QList<Packet>{resultPacket(Command::Hostname, {"kitchen-sensor"}),
            statePacket(State::Ready), resultPacket(Command::NetworkState, {"0"})}));
}

void TestSimulatedImprovDevice::logNoise_isWholeLinesBetweenPackets()
{
    SimDeviceConfig config = quietConfig();
    config.logNoise = true;
    QVERIFY(startDevice(config));
    int sent = 0;
    // Keep asking until the device has printed a few log lines on its own.
    QVERIFY(m_client->pumpUntil(
        [&] {
            if (m_client->packets().size() == sent && sent < 200) {
                m_client->sendCommand(Command::CurrentState);
                ++sent;
            }
            return m_client->count(Kind::Noise) >= 2 && m_client->packets().size() == sent;
        },
        5000));
    QCOMPARE(m_client->count(Kind::BadChecksum), 0);
    for (const Packet &p : m_client->packets())
        QCOMPARE(p, statePacket(State::Ready));
    for (const auto &e : m_client->events) {
        if (e.kind == Kind::Noise)
            QVERIFY2(e.text.startsWith('['), e.text.constData());
    }
}

void TestSimulatedImprovDevice::faultBadChecksum_corruptsOnlyTheNextPacketsChecksum()
{
    SimDeviceConfig config = quietConfig();
    config.faults.badChecksum = 1;
    QVERIFY(startDevice(config));
    QVERIFY(m_client->sendCommand(Command::CurrentState));
    QVERIFY(m_client->pumpUntil([this] { return m_client->raw.size() >= 12; }));
    QByteArray expected = improv::encodeState(State::Ready);
    QVERIFY(quint8(m_client->raw[10]) != quint8(expected[10]));
    expected[10] = m_client->raw[10];
    QCOMPARE(m_client->raw, expected + '\n');
    QCOMPARE(m_client->count(Kind::BadChecksum), 1);
    QCOMPARE(m_device->faults().badChecksum, 0);

    QVERIFY(m_client->sendCommand(Command::CurrentState));
    QVERIFY(m_client->waitForPackets(1));
    QCOMPARE(m_client->packets().first(), statePacket(State::Ready));
}

void TestSimulatedImprovDevice::faultDrop_removesOneByteFromTheMiddle()
{
    SimDeviceConfig config = quietConfig();
    config.faults.dropBytes = 1;
    QVERIFY(startDevice(config));
    QVERIFY(m_client->sendCommand(Command::CurrentState));
    QVERIFY(m_client->pumpUntil([this] { return m_client->raw.size() >= 11; }));
    m_client->pumpFor(30); // nothing more may follow
    QByteArray expected = improv::encodeState(State::Ready);
    expected.remove(expected.size() / 2, 1);
    QCOMPARE(m_client->raw, expected + '\n');
    QVERIFY(m_client->packets().isEmpty());

    QVERIFY(m_client->sendCommand(Command::CurrentState));
    QVERIFY(m_client->waitForPackets(1));
    QCOMPARE(m_client->packets().first(), statePacket(State::Ready));
}

void TestSimulatedImprovDevice::faultGarbage_prefixesJunkThatCannotStartAPacket()
{
    SimDeviceConfig config = quietConfig();
    config.faults.garbage = 1;
    QVERIFY(startDevice(config));
    QVERIFY(m_client->sendCommand(Command::DeviceInfo));
    QVERIFY(m_client->waitForPackets(1));
    const QByteArray packet = *improv::encodeResult(quint8(Command::DeviceInfo),
        {"ESPHome", "2024.6.1", "ESP32-C3", "kitchen-sensor", "ESP-IDF", "5.1.4"});
    QVERIFY(m_client->raw.endsWith(QByteArray(packet + '\n')));
    const QByteArray junk = m_client->raw.first(m_client->raw.size() - packet.size() - 1);
    QVERIFY2(junk.size() >= 4 && junk.size() <= 16, QByteArray::number(junk.size()).constData());
    QVERIFY(!junk.contains('I'));
    QCOMPARE(m_client->packets().size(), 1);

    m_client->clear();
    QVERIFY(m_client->sendCommand(Command::CurrentState));
    QVERIFY(m_client->waitForPackets(1));
    QCOMPARE(m_client->raw, improv::encodeState(State::Ready) + '\n');
}

void TestSimulatedImprovDevice::faultNoAnswer_ignoresOnlyTheNextCommand()
{
    SimDeviceConfig config = quietConfig();
    config.faults.noAnswer = 1;
    QVERIFY(startDevice(config));
    QVERIFY(m_client->sendCommand(Command::DeviceInfo));
    m_client->pumpFor(150);
    QVERIFY(m_client->raw.isEmpty());

    QVERIFY(m_client->sendCommand(Command::CurrentState));
    QVERIFY(m_client->waitForPackets(1));
    m_client->pumpFor(30);
    QCOMPARE(m_client->packets(), QList<Packet>{statePacket(State::Ready)});
}

void TestSimulatedImprovDevice::faultDisconnectAt_cutsTheLineAtThatByteAndUnplugs()
{
    SimDeviceConfig config = quietConfig();
    config.faults.disconnectAtByte = 15; // one whole state packet (12 bytes), then 3 of the next
    QVERIFY(startDevice(config));
    QSignalSpy unplugged(m_device.get(), &SimulatedImprovDevice::unplugged);
    QVERIFY(m_client->sendCommand(Command::CurrentState));
    QVERIFY(m_client->waitForPackets(1));
    QVERIFY(m_device->isRunning());
    QVERIFY(m_client->sendCommand(Command::CurrentState));
    QVERIFY(m_client->pumpUntil([&] { return unplugged.size() == 1 && m_client->hungUp; }));
    QCOMPARE(m_client->raw, improv::encodeState(State::Ready) + '\n' + "IMP");
    QVERIFY(!m_device->isRunning());
    QVERIFY(!QFileInfo(m_link).isSymLink());
}

void TestSimulatedImprovDevice::unplug_removesTheLinkAndHangsUpTheClient()
{
    QVERIFY(startDevice(quietConfig()));
    QVERIFY(QFileInfo(m_link).isSymLink());
    QVERIFY(m_device->isRunning());
    QSignalSpy unplugged(m_device.get(), &SimulatedImprovDevice::unplugged);
    m_device->unplug();
    QCOMPARE(unplugged.size(), 1);
    QVERIFY(!m_device->isRunning());
    QVERIFY(!QFileInfo(m_link).isSymLink());
    QVERIFY(m_client->pumpUntil([this] { return m_client->hungUp; }, 1000));
    m_device->unplug(); // a second pull is harmless
    QCOMPARE(unplugged.size(), 1);

    // Plugging back in gives a working line again.
    m_client = std::make_unique<PtyClient>();
    QVERIFY(m_device->start(m_link).has_value());
    QVERIFY(m_client->open(m_link));
    QVERIFY(m_client->sendCommand(Command::CurrentState));
    QVERIFY(m_client->waitForPackets(1));
}

void TestSimulatedImprovDevice::start_replacesAStaleLink()
{
    QVERIFY(QFile::link(QStringLiteral("/nonexistent/pts/99"), m_link));
    QVERIFY(startDevice(quietConfig()));
    QVERIFY(QFileInfo(m_link).symLinkTarget().startsWith(QStringLiteral("/dev/pts/")));
    QVERIFY(m_client->sendCommand(Command::CurrentState));
    QVERIFY(m_client->waitForPackets(1));
    m_device.reset();
    QVERIFY(!QFileInfo(m_link).isSymLink());
}

QTEST_GUILESS_MAIN(TestSimulatedImprovDevice)
#include "tst_simulatedimprovdevice.moc"
