// BatchEntryModel under QAbstractItemModelTester: rows follow a BatchRunner's
// entries (appended, changed in place, never reset), without any device: a
// runner that is not started keeps the ports it is given waiting, and
// unplugging or stopping settles them.

#include "models/batchentrymodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace provbench;
using onboarding::batch::BatchEntry;
using onboarding::batch::BatchEnvironment;
using onboarding::batch::BatchOptions;
using onboarding::batch::BatchRunner;

namespace {

PortInfo port(const QString &path)
{
    PortInfo p;
    p.path = path;
    p.portName = path.section(QLatin1Char('/'), -1);
    p.userAdded = true;
    return p;
}

} // namespace

class tst_BatchEntryModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noRunner_isEmptyWithEightColumns()
    {
        BatchEntryModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int(BatchEntryModel::ColumnCount));
        QCOMPARE(model.headerData(BatchEntryModel::SourceColumn, Qt::Horizontal, Qt::DisplayRole)
                     .toString(),
            QStringLiteral("Source"));
        QCOMPARE(model.headerData(BatchEntryModel::MessageColumn, Qt::Horizontal, Qt::DisplayRole)
                     .toString(),
            QStringLiteral("Message"));
    }

    void entries_appendRowsAndChangeThemInPlace_neverReset()
    {
        BatchRunner runner(BatchEnvironment{}, BatchOptions{});
        BatchEntryModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRunner(&runner);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        runner.addSerialPort(port(QStringLiteral("/tmp/x/ttySIM0")));
        runner.addSerialPort(port(QStringLiteral("/tmp/x/ttySIM1")));
        runner.addSerialPort(port(QStringLiteral("/tmp/x/ttySIM2")));
        runner.addSerialPort(port(QStringLiteral("/tmp/x/ttySIM1"))); // the same port: no row
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(inserted.size(), 3);
        QCOMPARE(inserted.at(2).at(1).toInt(), 2);
        const QModelIndex status = model.index(1, BatchEntryModel::StatusColumn);
        QCOMPARE(model.index(1, BatchEntryModel::SourceColumn).data().toString(),
            QStringLiteral("/tmp/x/ttySIM1"));
        QCOMPARE(status.data().toString(), QStringLiteral("Waiting"));
        QCOMPARE(
            status.data(BatchEntryModel::StatusRole).toInt(), int(BatchEntry::Status::Waiting));
        QCOMPARE(status.data(BatchEntryModel::TransportRole).toString(), QStringLiteral("serial"));

        runner.removeSerialPort(QStringLiteral("/tmp/x/ttySIM1"));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 1);
        QCOMPARE(changed.at(0).at(1).toModelIndex().column(), BatchEntryModel::MessageColumn);
        QCOMPARE(status.data().toString(), QStringLiteral("Failed"));
        QCOMPARE(status.data(BatchEntryModel::StatusRole).toInt(), int(BatchEntry::Status::Failed));
        const QString message = model.index(1, BatchEntryModel::MessageColumn).data().toString();
        QVERIFY2(message.contains(QLatin1String("Unplugged")), qPrintable(message));
        QCOMPARE(status.data(Qt::ToolTipRole).toString(), message);
        QCOMPARE(status.data(BatchEntryModel::MessageRole).toString(), message);

        runner.stop(); // the two still waiting settle as failed
        QCOMPARE(changed.size(), 3);
        for (int row = 0; row < 3; ++row)
            QCOMPARE(model.index(row, BatchEntryModel::StatusColumn)
                         .data(BatchEntryModel::StatusRole)
                         .toInt(),
                int(BatchEntry::Status::Failed));
        QCOMPARE(resets.size(), 0);
        QCOMPARE(model.rowCount(), 3);
    }

    void setRunner_showsEntriesItHasAlready_andEmptiesWhenItIsDestroyed()
    {
        auto runner = std::make_unique<BatchRunner>(BatchEnvironment{}, BatchOptions{});
        runner->addSerialPort(port(QStringLiteral("/tmp/y/ttyUSB0")));
        runner->addSerialPort(port(QStringLiteral("/tmp/y/ttyUSB1")));
        BatchEntryModel model;
        QAbstractItemModelTester tester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRunner(runner.get());
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, BatchEntryModel::SourceColumn).data(BatchEntryModel::SourceRole),
            QVariant(QStringLiteral("/tmp/y/ttyUSB0")));
        runner->addSerialPort(port(QStringLiteral("/tmp/y/ttyUSB2")));
        QCOMPARE(model.rowCount(), 3);
        runner.reset();
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.runner());
        QVERIFY(!model.index(0, 0).isValid());
    }
};

QTEST_GUILESS_MAIN(tst_BatchEntryModel)
#include "tst_batchentrymodel.moc"
