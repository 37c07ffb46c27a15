#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QDBusMessage>
#include <QList>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QVariantMap>
#include <QtTest/QTest>

#include <memory>

// A mocked BlueZ on a private D-Bus system bus, so that the real QtBluetooth
// code runs against it.
//
// One dbus-daemon per test process (QtDBus connects to the system bus once
// per process and never reconnects): prepareProcess() picks its socket in a
// private temporary folder and points DBUS_SYSTEM_BUS_ADDRESS there before
// anything can use QtDBus; requireBus() (in initTestCase) starts it with a
// permissive policy written next to the socket. The bus is gone at the end of
// the process. The daemon and the mock are started with PR_SET_PDEATHSIG, so
// they die with the test even when it crashes.
//
// BlueZ itself is python3-dbusmock with tests/ble/bluez_gatt.py (its module
// comment lists the mock API). startBluez() runs a fresh one and waits for
// org.bluez; stopBluez() ends it and waits until the name is gone, which is
// also how a test sees "BlueZ not running". The methods below call the mock
// synchronously and return false (with a qWarning naming the D-Bus error)
// when the mock refused.
//
// It also sets BLUETOOTH_FORCE_DBUS_LE_VERSION=5.64: QtBluetooth 6.4 chooses
// its LE backend by running the org.bluez owner's binary with --version,
// which here is python3, and would otherwise fall back to the kernel ATT
// backend, which cannot reach a mock.
//
// Use PROVBENCH_BLUEZ_TEST_MAIN(TestClass) instead of QTEST_MAIN.
namespace provbench::test {

class BluezMock : public QObject
{
    Q_OBJECT
public:
    // Before QCoreApplication exists (PROVBENCH_BLUEZ_TEST_MAIN does it).
    static void prepareProcess();
    // After the tests (PROVBENCH_BLUEZ_TEST_MAIN does it): ends the daemon.
    static void finishProcess();

    enum class BusState { Ready, Missing, Failed };
    // Starts the process's dbus-daemon once; Missing when there is none
    // installed (the caller skips), Failed with `why` for anything else.
    static BusState startBus(QString *why);

    // Rewrites the bus policy and reloads it: when denied, this process (like
    // a user outside the `bluetooth` group) gets AccessDenied from org.bluez,
    // except for the mock's own control interface.
    static bool setBluezAccessAllowed(bool allowed);

    explicit BluezMock(QObject *parent = nullptr);
    ~BluezMock() override;

    // A fresh mock with no adapter. Fails (with a message) if it does not
    // claim org.bluez within 10 s.
    bool startBluez(QString *why = nullptr);
    void stopBluez();
    bool isRunning() const;
    // The mock's own log of calls and signals, for failure messages.
    QString log() const;

    // --- the mock's API ---
    bool addAdapter(const QString &name = QStringLiteral("hci0"));
    bool removeAdapter(const QString &name = QStringLiteral("hci0"));
    bool setPowered(bool powered, const QString &adapter = QStringLiteral("hci0"));
    // `advert` keys: RSSI (int), UUIDs (QStringList), ServiceData (QVariantMap
    // uuid -> QByteArray), ManufacturerData (QVariantMap decimal id ->
    // QByteArray), Name.
    bool addDevice(const QString &address, const QString &name, const QVariantMap &advert,
        const QString &adapter = QStringLiteral("hci0"));
    bool setAdvertisement(const QString &address, const QVariantMap &advert);
    bool setRssi(const QString &address, int rssi);
    // An Improv Wi-Fi peripheral; `options` as in bluez_gatt.py (mtu, ssid,
    // password, url, capabilities, rssi, provision_delay_ms).
    bool addImprovDevice(const QString &address, const QString &name, bool requireAuthorization,
        const QVariantMap &options = {}, const QString &adapter = QStringLiteral("hci0"));
    bool pressButton(const QString &address);
    bool setWifiNetwork(const QString &address, const QString &ssid, const QString &password);
    // An MCUmgr SMP peripheral answering OS echo.
    bool addSmpDevice(const QString &address, const QString &name, int mtu = 23,
        const QString &adapter = QStringLiteral("hci0"));
    bool setConnectable(const QString &address, bool connectable);
    // Holds every GATT reply of the device until the connection drops.
    bool setGattStalled(const QString &address, bool stalled);
    // The peripheral ends the connection (out of range, reset). Held GATT
    // requests fail after BlueZ reports the disconnection, or before it.
    enum class HeldRequests { FailAfter, FailBefore };
    bool disconnect(const QString &address, HeldRequests order = HeldRequests::FailAfter);
    bool notify(const QString &address, const QString &characteristicUuid, const QByteArray &value);

    struct GattCall
    {
        QString method; // ReadValue, WriteValue:request, WriteValue:command, StartNotify, ...
        QString characteristic;
        QByteArray value;
    };
    QList<GattCall> gattLog(const QString &address);

    // Any method of org.bluez.Mock; an ErrorMessage when it failed.
    QDBusMessage call(const QString &method, const QVariantList &args);

private:
    bool ok(const QDBusMessage &reply);

    std::unique_ptr<QProcess> m_mock;
    QString m_logPath;
};

} // namespace provbench::test

// Starts the bus in initTestCase: QSKIP when dbus-daemon is not installed,
// QFAIL when it is but does not start.
#define PROVBENCH_REQUIRE_BLUEZ_BUS()                                                              \
    do {                                                                                           \
        QString why_;                                                                              \
        switch (provbench::test::BluezMock::startBus(&why_)) {                                     \
        case provbench::test::BluezMock::BusState::Ready:                                          \
            break;                                                                                 \
        case provbench::test::BluezMock::BusState::Missing:                                        \
            QSKIP(qPrintable(why_));                                                               \
        case provbench::test::BluezMock::BusState::Failed:                                         \
            QFAIL(qPrintable(why_));                                                               \
        }                                                                                          \
    } while (false)

#define PROVBENCH_BLUEZ_TEST_MAIN(TestObject)                                                      \
    int main(int argc, char *argv[])                                                               \
    {                                                                                              \
        provbench::test::BluezMock::prepareProcess();                                              \
        QCoreApplication app(argc, argv);                                                          \
        int result = 0;                                                                            \
        {                                                                                          \
            TestObject tc;                                                                         \
            QTEST_SET_MAIN_SOURCE_PATH                                                             \
            result = QTest::qExec(&tc, argc, argv);                                                \
        }                                                                                          \
        provbench::test::BluezMock::finishProcess();                                               \
        return result;                                                                             \
    }
