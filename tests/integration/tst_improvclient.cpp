#include "app/protocol/improv/improvclient.h"
#include "app/transport/seriallink.h"
#include "support/simfixture.h"

#include <QSignalSpy>
#include <QTest>

using namespace provbench;
using namespace provbench::improv;
using provbench::test::fastConfig;
using provbench::test::SimFixture;

namespace {

template<typename T>
Result<T> wait(const std::function<void(ImprovClient::Callback<T>)> &start, int timeoutMs = 10000)
{
    std::optional<Result<T>> result;
    start([&](Result<T> r) { result = std::move(r); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, timeoutMs))
        return fail(Error::Code::Timeout, QStringLiteral("test: no callback"));
    return std::move(*result);
}

ImprovClient::Options quickOptions()
{
    ImprovClient::Options o;
    o.timeout = std::chrono::milliseconds(300);
    o.scanTimeout = std::chrono::milliseconds(1000);
    o.wifiTimeout = std::chrono::milliseconds(2000);
    o.urlGrace = std::chrono::milliseconds(200);
    o.retries = 2;
    return o;
}

} // namespace

class tst_ImprovClient : public QObject
{
    Q_OBJECT

    SimFixture m_sim;
    std::unique_ptr<SerialLink> m_link;
    std::unique_ptr<ImprovClient> m_client;
    QList<TraceEntry> m_trace;

    void connectTo(const sim::SimDeviceConfig &config)
    {
        QVERIFY(m_sim.start(config));
        m_link = std::make_unique<SerialLink>(m_sim.path());
        auto opened = m_link->open();
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        m_client = std::make_unique<ImprovClient>(m_link.get(), quickOptions());
        connect(m_client.get(), &ImprovClient::traced, this,
            [this](const TraceEntry &e) { m_trace.append(e); });
    }

private Q_SLOTS:
    void cleanup()
    {
        m_client.reset();
        m_link.reset();
        m_sim.device.reset();
        m_trace.clear();
    }

    void requestState_readyDevice_reportsReady()
    {
        connectTo(fastConfig());
        auto r = wait<ImprovClient::StateReport>([&](auto cb) { m_client->requestState(cb); });
        QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
        QCOMPARE(r->state, State::Ready);
        QVERIFY(r->urls.isEmpty());
    }

    void deviceInfo_sixStrings_includesOs()
    {
        connectTo(fastConfig(0));
        auto r = wait<DeviceInfo>([&](auto cb) { m_client->deviceInfo(cb); });
        QVERIFY(r);
        QCOMPARE(r->firmwareName, QStringLiteral("ESPHome"));
        QCOMPARE(r->hardware, QStringLiteral("ESP32-C3"));
        QVERIFY(!r->osName.isEmpty());
    }

    void deviceInfo_fourStringFirmware_leavesOsEmpty()
    {
        connectTo(fastConfig(1)); // WLED, 4-string info
        auto r = wait<DeviceInfo>([&](auto cb) { m_client->deviceInfo(cb); });
        QVERIFY(r);
        QCOMPARE(r->firmwareName, QStringLiteral("WLED"));
        QVERIFY(r->osName.isEmpty());
    }

    void scanWifi_listsEveryNetworkStrongestFirst()
    {
        connectTo(fastConfig());
        auto r = wait<QList<WifiNetwork>>([&](auto cb) { m_client->scanWifi(cb); });
        QVERIFY(r);
        QCOMPARE(r->size(), sim::demoNetworks().size());
        QCOMPARE(r->first().ssid, QStringLiteral("ProvBench-Lab"));
        for (qsizetype i = 1; i < r->size(); ++i)
            QVERIFY(r->at(i - 1).rssi >= r->at(i).rssi);
        const auto guest = std::find_if(
            r->begin(), r->end(), [](const WifiNetwork &n) { return n.ssid == u"Guest"; });
        QVERIFY(guest != r->end());
        QVERIFY(!guest->secured);
    }

    void writeWifi_rightPassword_provisionsAndReportsUrl()
    {
        connectTo(fastConfig());
        auto r = wait<QStringList>([&](auto cb) {
            m_client->writeWifi(
                QStringLiteral("ProvBench-Lab"), QStringLiteral("correct-horse-42"), cb);
        });
        QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
        QCOMPARE(r->size(), 1);
        QVERIFY(r->first().startsWith(u"http://"));
        QCOMPARE(m_sim.device->state(), State::Provisioned);
        auto st = wait<ImprovClient::StateReport>([&](auto cb) { m_client->requestState(cb); });
        QVERIFY(st);
        QCOMPARE(st->state, State::Provisioned);
        QCOMPARE(st->urls, *r);
    }

    void writeWifi_wrongPassword_failsWithError03NamingTheSsid()
    {
        connectTo(fastConfig());
        auto r = wait<QStringList>([&](auto cb) {
            m_client->writeWifi(
                QStringLiteral("ProvBench-Lab"), QStringLiteral("wrong-password"), cb);
        });
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Device);
        QCOMPARE(r.error().deviceCode, int(ErrorCode::UnableToConnect));
        QVERIFY(r.error().message.contains(u"could not join \"ProvBench-Lab\""));
        QVERIFY(r.error().message.contains(u"password"));
    }

    void writeWifi_traceNeverContainsThePassword()
    {
        connectTo(fastConfig());
        const QString password = QStringLiteral("correct-horse-42");
        auto r = wait<QStringList>(
            [&](auto cb) { m_client->writeWifi(QStringLiteral("ProvBench-Lab"), password, cb); });
        QVERIFY(r);
        const QString pwHex = QString::fromLatin1(password.toUtf8().toHex(' '));
        bool sawRedaction = false;
        for (const TraceEntry &e : std::as_const(m_trace)) {
            QVERIFY2(!e.summary.contains(password), qPrintable(e.summary));
            QVERIFY2(!e.hex.contains(pwHex), qPrintable(e.hex));
            sawRedaction = sawRedaction || e.hex.contains(u"<redacted 16 bytes>");
        }
        QVERIFY(sawRedaction);
    }

    void writeWifi_invalidArguments_failWithoutSending_data()
    {
        QTest::addColumn<QString>("ssid");
        QTest::addColumn<QString>("password");
        QTest::newRow("empty ssid") << QString() << QStringLiteral("password1");
        QTest::newRow("ssid of 33 bytes")
            << QString(33, QLatin1Char('s')) << QStringLiteral("password1");
        QTest::newRow("password of 7") << QStringLiteral("Lab") << QStringLiteral("1234567");
        QTest::newRow("password of 64") << QStringLiteral("Lab") << QString(64, QLatin1Char('p'));
    }
    void writeWifi_invalidArguments_failWithoutSending()
    {
        QFETCH(QString, ssid);
        QFETCH(QString, password);
        connectTo(fastConfig());
        auto r = wait<QStringList>([&](auto cb) { m_client->writeWifi(ssid, password, cb); });
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::InvalidArgument);
        QVERIFY(std::none_of(m_trace.begin(), m_trace.end(),
            [](const TraceEntry &e) { return e.direction == TraceEntry::Direction::Sent; }));
    }

    void writeWifi_openNetwork_acceptsEmptyPassword()
    {
        connectTo(fastConfig());
        auto r = wait<QStringList>(
            [&](auto cb) { m_client->writeWifi(QStringLiteral("Guest"), QString(), cb); });
        QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
        QCOMPARE(m_sim.device->connectedSsid(), QStringLiteral("Guest"));
    }

    void hostname_getThenSet_roundTrips()
    {
        connectTo(fastConfig());
        auto before = wait<QString>([&](auto cb) { m_client->hostname(cb); });
        QVERIFY(before);
        QCOMPARE(*before, m_sim.device->hostname());
        auto set
            = wait<QString>([&](auto cb) { m_client->setHostname(QStringLiteral("pump-07"), cb); });
        QVERIFY(set);
        QCOMPARE(*set, QStringLiteral("pump-07"));
        QCOMPARE(m_sim.device->hostname(), QStringLiteral("pump-07"));
    }

    void setHostname_invalidName_refusedBeforeSending()
    {
        connectTo(fastConfig());
        auto r = wait<QString>(
            [&](auto cb) { m_client->setHostname(QStringLiteral("-bad_name"), cb); });
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::InvalidArgument);
    }

    void deviceName_set_roundTrips()
    {
        connectTo(fastConfig());
        auto r = wait<QString>(
            [&](auto cb) { m_client->setDeviceName(QStringLiteral("Boiler room"), cb); });
        QVERIFY(r);
        QCOMPARE(m_sim.device->deviceName(), QStringLiteral("Boiler room"));
        auto get = wait<QString>([&](auto cb) { m_client->deviceName(cb); });
        QVERIFY(get);
        QCOMPARE(*get, QStringLiteral("Boiler room"));
    }

    void networkState_afterProvisioning_reportsOnlineWifi()
    {
        connectTo(fastConfig());
        auto before = wait<NetworkState>([&](auto cb) { m_client->networkState(cb); });
        QVERIFY(before);
        QCOMPARE(before->flags & NetOnline, 0u);
        QVERIFY(wait<QStringList>([&](auto cb) {
            m_client->writeWifi(
                QStringLiteral("ProvBench-Lab"), QStringLiteral("correct-horse-42"), cb);
        }));
        auto after = wait<NetworkState>([&](auto cb) { m_client->networkState(cb); });
        QVERIFY(after);
        QVERIFY(after->flags & NetOnline);
        QVERIFY(after->flags & NetWifi);
    }

    void legacyFirmware_newerCommands_reportUnsupported()
    {
        connectTo(fastConfig(2)); // older ESPHome: no 05-07
        auto r = wait<QString>([&](auto cb) { m_client->hostname(cb); });
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Unsupported);
        QVERIFY(r.error().message.contains(u"does not support"));
        // The session stays usable after the error.
        QVERIFY(wait<DeviceInfo>([&](auto cb) { m_client->deviceInfo(cb); }));
    }

    void faults_recoverThroughRetries_data()
    {
        QTest::addColumn<QString>("faults");
        QTest::newRow("bad checksum") << QStringLiteral("bad-checksum=1");
        QTest::newRow("dropped byte") << QStringLiteral("drop=1");
        QTest::newRow("garbage before packet") << QStringLiteral("garbage=3");
        QTest::newRow("no answer once") << QStringLiteral("no-answer=1");
        QTest::newRow("no answer twice") << QStringLiteral("no-answer=2");
    }
    void faults_recoverThroughRetries()
    {
        QFETCH(QString, faults);
        auto config = fastConfig();
        auto parsed = sim::parseFaults(faults);
        QVERIFY(parsed);
        config.faults = *parsed;
        connectTo(config);
        auto r = wait<DeviceInfo>([&](auto cb) { m_client->deviceInfo(cb); });
        QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
        QCOMPARE(r->firmwareName, QStringLiteral("ESPHome"));
    }

    void noAnswer_beyondRetries_timesOutWithAdvice()
    {
        auto config = fastConfig();
        config.faults.noAnswer = 10;
        connectTo(config);
        auto r = wait<DeviceInfo>([&](auto cb) { m_client->deviceInfo(cb); });
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Timeout);
        QVERIFY(r.error().message.contains(u"3 attempts"));
        QVERIFY(r.error().message.contains(u"no other program has the port open"));
    }

    void writeWifi_isNeverResent()
    {
        auto config = fastConfig();
        config.faults.noAnswer = 1;
        connectTo(config);
        auto options = quickOptions();
        options.wifiTimeout = std::chrono::milliseconds(500);
        m_client->setOptions(options);
        auto r = wait<QStringList>([&](auto cb) {
            m_client->writeWifi(
                QStringLiteral("ProvBench-Lab"), QStringLiteral("correct-horse-42"), cb);
        });
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Timeout);
        QVERIFY(r.error().message.contains(u"identify it"));
        const auto sent = std::count_if(m_trace.begin(), m_trace.end(),
            [](const TraceEntry &e) { return e.direction == TraceEntry::Direction::Sent; });
        QCOMPARE(sent, 1);
    }

    void disconnectMidAnswer_failsWithLinkLost()
    {
        auto config = fastConfig();
        config.faults.disconnectAtByte = 12; // inside the first answer
        connectTo(config);
        auto r = wait<DeviceInfo>([&](auto cb) { m_client->deviceInfo(cb); });
        QVERIFY(!r);
        QVERIFY2(r.error().code == Error::Code::Io || r.error().code == Error::Code::Timeout,
            qPrintable(r.error().message));
    }

    void queuedRequests_runInOrder()
    {
        connectTo(fastConfig());
        QStringList order;
        std::optional<Result<DeviceInfo>> info;
        m_client->requestState([&](auto) { order << QStringLiteral("state"); });
        m_client->deviceInfo([&](Result<DeviceInfo> r) {
            order << QStringLiteral("info");
            info = r;
        });
        m_client->hostname([&](auto) { order << QStringLiteral("hostname"); });
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 3, 5000);
        QCOMPARE(order,
            (QStringList{
                QStringLiteral("state"), QStringLiteral("info"), QStringLiteral("hostname")}));
        QVERIFY(info && *info);
    }

    void cancelAll_failsInFlightAndQueued()
    {
        auto config = fastConfig();
        config.connectMs = 1500;
        connectTo(config);
        std::optional<Result<QStringList>> wifi;
        std::optional<Result<QString>> host;
        m_client->writeWifi(QStringLiteral("ProvBench-Lab"), QStringLiteral("correct-horse-42"),
            [&](Result<QStringList> r) { wifi = r; });
        m_client->hostname([&](Result<QString> r) { host = r; });
        QTest::qWait(50);
        m_client->cancelAll();
        QVERIFY(wifi && !*wifi);
        QCOMPARE(wifi->error().code, Error::Code::Cancelled);
        QVERIFY(wifi->error().message.contains(u"may still finish joining"));
        QVERIFY(host && !*host);
        QCOMPARE(host->error().code, Error::Code::Cancelled);
        QVERIFY(!m_client->isBusy());
    }
};

QTEST_GUILESS_MAIN(tst_ImprovClient)
#include "tst_improvclient.moc"
