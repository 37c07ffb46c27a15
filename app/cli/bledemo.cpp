#include "app/cli/cliutil.h"
#include "app/cli/demooutcome.h"
#include "app/protocol/improv/improvbleclient.h"
#include "app/protocol/smp/smpclient.h"
#include "app/simulator/ble/simulatedblebackend.h"
#include "app/simulator/simconfig.h"
#include "app/transport/ble/blediscovery.h"
#include "app/transport/ble/gattlink.h"

#include <QElapsedTimer>
#include <QTimer>

namespace provbench::cli {

using namespace provbench::ble;

QList<DemoOutcome> runBleDemo(const std::function<void(const QString &)> &say)
{
    QList<DemoOutcome> outcomes;
    sim::SimulatedBleBackend backend;
    backend.setAdvertisingIntervalMs(300);
    sim::addDemoPeripherals(backend);

    Discovery discovery(backend.createScanner(&backend));
    QObject::connect(&discovery, &Discovery::deviceAdded, &discovery, [&](const BleDevice &d) {
        say(QStringLiteral("BLE: found %1 %2, %3 dBm, %4")
                .arg(d.advert.address, d.advert.name)
                .arg(d.advert.rssi)
                .arg(protocolSummary(d)));
    });
    discovery.start();
    QEventLoop loop;
    QTimer::singleShot(1500, &loop, &QEventLoop::quit);
    loop.exec();
    discovery.stop();

    const sim::SimNetwork lab = sim::demoNetworks().at(0);
    for (const BleDevice &d : discovery.table().devices()) {
        DemoOutcome o;
        o.port = d.advert.address;
        o.identity = d.advert.name;
        o.networks = QStringLiteral("-");
        o.expected = true;
        QElapsedTimer t;
        t.start();
        std::unique_ptr<GattConnection> connection(
            backend.createConnection(d.advert.address, nullptr));
        if (d.protocols & ProtoImprov) {
            improv::ble::Client client(connection.get());
            QObject::connect(&client, &improv::ble::Client::authorizationRequired, &client, [&] {
                say(QStringLiteral("BLE %1: waiting for its button to be pressed (the simulator "
                                   "presses it after 4 s)")
                        .arg(o.port));
            });
            auto started
                = await<improv::ble::Client::Status>([&](auto done) { client.start(done); });
            o.ssid = lab.ssid;
            if (!started) {
                o.message = started.error().message;
            } else {
                say(QStringLiteral("BLE %1: Improv, %2; writing Wi-Fi \"%3\"")
                        .arg(o.port, improv::stateName(started->state), lab.ssid));
                auto urls = await<QStringList>(
                    [&](auto done) { client.writeWifi(lab.ssid, lab.password, done); });
                o.ok = bool(urls);
                o.message = urls ? QStringLiteral("provisioned, verified") : urls.error().message;
            }
        } else if (d.protocols & ProtoSmp) {
            o.ssid = QStringLiteral("(SMP echo)");
            o.okWord = QStringLiteral("ANSWERED");
            auto attached = await<void>([&](auto done) {
                GattLink::attach(connection.get(), smpServiceUuid(), smpCharacteristicUuid(), done);
            });
            if (!attached) {
                o.message = attached.error().message;
            } else {
                GattLink link(connection.get(), smpServiceUuid(), smpCharacteristicUuid());
                (void)link.open();
                smp::SmpClient::Options options;
                options.framing = smp::SmpClient::Framing::Raw;
                options.mtu = link.pieceSize();
                smp::SmpClient client(&link, options);
                auto echo = await<QString>(
                    [&](auto done) { client.echo(QStringLiteral("hello"), done); });
                o.ok = echo && *echo == u"hello";
                o.message = echo ? QStringLiteral("SMP over BLE answered \"%1\"").arg(*echo)
                                 : echo.error().message;
            }
        } else {
            continue;
        }
        connection->close();
        o.ms = t.elapsed();
        say(QStringLiteral("BLE %1: %2").arg(o.port, o.message));
        outcomes.append(o);
    }
    return outcomes;
}

} // namespace provbench::cli
