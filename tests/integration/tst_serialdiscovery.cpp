#include "app/transport/serialdiscovery.h"
#include "support/simfixture.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace provbench;
using provbench::test::fastConfig;

class tst_SerialDiscovery : public QObject
{
    Q_OBJECT

    static SerialDiscovery::Options ptysOnly()
    {
        SerialDiscovery::Options o;
        o.includeSystemPorts = false;
        return o;
    }

private Q_SLOTS:
    void watchedDirectory_ptyAppearsAndDisappearsWithinOneSecond()
    {
        QTemporaryDir dir;
        SerialDiscovery discovery(ptysOnly());
        discovery.addWatchedDirectory(dir.path(), QStringLiteral("ttySIM*"));
        QSignalSpy added(&discovery, &SerialDiscovery::portAdded);
        QSignalSpy removed(&discovery, &SerialDiscovery::portRemoved);
        discovery.start();
        QCOMPARE(added.size(), 0);

        sim::SimulatedImprovDevice device(fastConfig());
        QElapsedTimer t;
        t.start();
        QVERIFY(device.start(dir.filePath(QStringLiteral("ttySIM0"))));
        QVERIFY(added.wait(1000));
        QVERIFY2(t.elapsed() < 1000, qPrintable(QString::number(t.elapsed())));
        const PortInfo p = added.first().first().value<PortInfo>();
        QCOMPARE(p.path, dir.filePath(QStringLiteral("ttySIM0")));
        QVERIFY(p.userAdded);
        QCOMPARE(discovery.ports().size(), 1);

        t.restart();
        device.unplug();
        QVERIFY(removed.wait(1000));
        QVERIFY(t.elapsed() < 1000);
        QVERIFY(discovery.ports().isEmpty());
    }

    void watchedPath_presentAtStart_isReported()
    {
        QTemporaryDir dir;
        sim::SimulatedImprovDevice device(fastConfig());
        const QString link = dir.filePath(QStringLiteral("mydevice"));
        QVERIFY(device.start(link));
        SerialDiscovery discovery(ptysOnly());
        QSignalSpy added(&discovery, &SerialDiscovery::portAdded);
        discovery.addWatchedPath(link);
        discovery.start();
        QCOMPARE(added.size(), 1);
        QVERIFY(discovery.port(link).has_value());
    }

    void danglingLink_isNotAPort()
    {
        QTemporaryDir dir;
        const QString link = dir.filePath(QStringLiteral("ttySIM7"));
        QVERIFY(QFile::link(QStringLiteral("/nonexistent/pts/99"), link));
        SerialDiscovery discovery(ptysOnly());
        discovery.addWatchedDirectory(dir.path(), QStringLiteral("ttySIM*"));
        discovery.start();
        QVERIFY(discovery.ports().isEmpty());
    }

    void removeWatchedPath_reportsRemoval()
    {
        QTemporaryDir dir;
        sim::SimulatedImprovDevice device(fastConfig());
        const QString link = dir.filePath(QStringLiteral("ttyX"));
        QVERIFY(device.start(link));
        SerialDiscovery discovery(ptysOnly());
        discovery.addWatchedPath(link);
        discovery.start();
        QSignalSpy removed(&discovery, &SerialDiscovery::portRemoved);
        discovery.removeWatchedPath(link);
        QCOMPARE(removed.size(), 1);
    }

    void systemPorts_listingDoesNotCrash()
    {
        // Whatever the machine has (often nothing in CI): every entry is complete.
        SerialDiscovery discovery;
        discovery.start();
        for (const PortInfo &p : discovery.ports()) {
            QVERIFY(!p.path.isEmpty());
            QVERIFY(!p.userAdded);
            if (p.vendorId && p.productId)
                QCOMPARE(p.bridge, bridgeName(*p.vendorId, *p.productId));
        }
    }
};

QTEST_GUILESS_MAIN(tst_SerialDiscovery)
#include "tst_serialdiscovery.moc"
