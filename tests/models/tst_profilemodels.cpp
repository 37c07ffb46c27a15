// ProfileListModel, ProfileDiffModel and FindingsModel under
// QAbstractItemModelTester, over a real ProfileLibrary in a temporary
// workspace and real comparisons of the shipped sample profiles.

#include "app/profiles/comparison.h"
#include "app/profiles/findings.h"
#include "app/profiles/profilelibrary.h"
#include "app/storage/workspace.h"
#include "models/findingsmodel.h"
#include "models/profilediffmodel.h"
#include "models/profilelistmodel.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace provbench;
using namespace provbench::profiles;

namespace {

const QString kSmallOffice = QStringLiteral("small-office-shared-psk");
const QString kEst = QStringLiteral("est-onboarding");

struct Rig
{
    QTemporaryDir dir;
    std::unique_ptr<ProfileLibrary> library;

    bool open()
    {
        auto ws = Workspace::open(dir.path());
        if (!ws)
            return false;
        library = std::make_unique<ProfileLibrary>(*ws);
        return true;
    }
};

int rowOf(const QAbstractItemModel &model, const QString &id)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, 0).data(ProfileListModel::IdRole).toString() == id)
            return row;
    }
    return -1;
}

} // namespace

class tst_ProfileModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void listModel_followsCreateDuplicateRenameDeleteWithoutReset();
    void listModel_reportsValidityAndIssues();
    void diffModel_highlightsDifferingRowsAndUpdatesInPlace();
    void findingsModel_sortsMostSevereFirstWithColour();
};

void tst_ProfileModels::listModel_followsCreateDuplicateRenameDeleteWithoutReset()
{
    Rig rig;
    QVERIFY(rig.open());
    ProfileListModel model(rig.library.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removes(&model, &QAbstractItemModel::rowsRemoved);
    QCOMPARE(model.rowCount(), 0);

    auto created = rig.library->create(defaultProfile(ProfileKind::Static));
    QVERIFY(created);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(inserts.count(), 1);
    const QModelIndex first = model.index(0);
    QCOMPARE(first.data(ProfileListModel::IdRole).toString(), *created);
    QCOMPARE(first.data(ProfileListModel::KindRole).toInt(), int(ProfileKind::Static));
    QCOMPARE(first.data().toString(), QStringLiteral("New static profile"));

    auto copy = rig.library->duplicate(*created);
    QVERIFY(copy);
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(rowOf(model, *copy) >= 0);

    auto dynamic = rig.library->create(defaultProfile(ProfileKind::Dynamic));
    QVERIFY(dynamic);
    QCOMPARE(model.index(rowOf(model, *dynamic), 0).data(ProfileListModel::KindRole).toInt(),
        int(ProfileKind::Dynamic));

    auto renamed = rig.library->rename(*copy, QStringLiteral("Warehouse sensors"));
    QVERIFY(renamed);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(rowOf(model, *copy), -1);
    const int row = rowOf(model, *renamed);
    QVERIFY(row >= 0);
    QCOMPARE(model.index(row, 0).data().toString(), QStringLiteral("Warehouse sensors"));

    QVERIFY(rig.library->remove(*created));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(rowOf(model, *created), -1);
    QVERIFY(removes.count() >= 2); // the rename's old id and the delete
    QCOMPARE(resets.count(), 0);
}

void tst_ProfileModels::listModel_reportsValidityAndIssues()
{
    Rig rig;
    QVERIFY(rig.open());
    ProfileListModel model(rig.library.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(rig.library->installSamples());
    QCOMPARE(model.rowCount(), 3);
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row);
        QVERIFY2(index.data(ProfileListModel::ValidRole).toBool(),
            qPrintable(index.data(ProfileListModel::IssuesRole).toStringList().join(u'\n')));
        QVERIFY(!index.data(Qt::DecorationRole).isNull());
    }

    auto profile = rig.library->load(kSmallOffice);
    QVERIFY(profile);
    profile->network.wifi->passphrase.value = QStringLiteral("short12");
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(rig.library->save(kSmallOffice, *profile));
    QCOMPARE(changed.count(), 1);
    const QModelIndex index = model.index(rowOf(model, kSmallOffice), 0);
    QCOMPARE(changed.first().at(0).toModelIndex(), index);
    QVERIFY(!index.data(ProfileListModel::ValidRole).toBool());
    QCOMPARE(index.data(ProfileListModel::IssueCountRole).toInt(), 1);
    QVERIFY(index.data(ProfileListModel::IssuesRole)
                .toStringList()
                .first()
                .startsWith(QStringLiteral("network.wifi.passphrase: ")));
    QVERIFY(index.data(Qt::ToolTipRole).toString().contains(QStringLiteral("8 to 63")));
}

void tst_ProfileModels::diffModel_highlightsDifferingRowsAndUpdatesInPlace()
{
    Rig rig;
    QVERIFY(rig.open());
    QVERIFY(rig.library->installSamples());
    const auto left = rig.library->load(kSmallOffice);
    const auto right = rig.library->load(kEst);
    QVERIFY(left && right);

    ProfileDiffModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setComparison(compareProfiles(*left, *right, 5));
    QVERIFY(model.rowCount() > 5);
    QCOMPARE(model.columnCount(), 3);
    QCOMPARE(model.headerData(ProfileDiffModel::Left, Qt::Horizontal).toString(), left->name);
    QCOMPARE(model.headerData(ProfileDiffModel::Right, Qt::Horizontal).toString(), right->name);

    int differing = 0;
    int same = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex value = model.index(row, ProfileDiffModel::Left);
        if (value.data(ProfileDiffModel::DiffersRole).toBool()) {
            ++differing;
            QVERIFY(value.data(Qt::BackgroundRole).canConvert<QColor>());
            QVERIFY(value.data(Qt::FontRole).value<QFont>().bold());
        } else {
            ++same;
            QVERIFY(!value.data(Qt::BackgroundRole).isValid());
        }
    }
    QVERIFY(differing > 0);
    QVERIFY(same > 0); // same SSID, same site
    QCOMPARE(model.differingRows(), differing);

    // Secrets are never shown as values.
    for (int row = 0; row < model.rowCount(); ++row) {
        for (int column : {ProfileDiffModel::Left, ProfileDiffModel::Right})
            QVERIFY(!model.index(row, column)
                         .data()
                         .toString()
                         .contains(QStringLiteral("sunflower-meadow-7")));
    }

    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setComparison(compareProfiles(*left, *right, 500));
    QCOMPARE(resets.count(), 0);
    QCOMPARE(changed.count(), 1);

    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void tst_ProfileModels::findingsModel_sortsMostSevereFirstWithColour()
{
    Rig rig;
    QVERIFY(rig.open());
    QVERIFY(rig.library->installSamples());
    const auto office = rig.library->load(kSmallOffice);
    QVERIFY(office);
    const Assessment assessment = assess(*office, 5);
    QVERIFY(!assessment.findings.isEmpty());

    FindingsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setFindings(assessment.findings);
    QCOMPARE(model.rowCount(), assessment.findings.size());
    int previous = int(Severity::High);
    bool sharedSecret = false;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex severity = model.index(row, FindingsModel::SeverityColumn);
        const int s = severity.data(FindingsModel::SeverityRole).toInt();
        QVERIFY(s <= previous);
        previous = s;
        QCOMPARE(severity.data(Qt::ForegroundRole).value<QColor>(),
            FindingsModel::severityColor(Severity(s)));
        QVERIFY(!model.index(row, FindingsModel::ReferenceColumn).data().toString().isEmpty());
        if (severity.data(FindingsModel::RuleRole).toString() == QLatin1String(kRuleSharedSecret)) {
            sharedSecret = true;
            QCOMPARE(s, int(Severity::High));
            QCOMPARE(severity.data().toString(), QStringLiteral("High"));
        }
    }
    QVERIFY(sharedSecret);

    model.setFindings({});
    QCOMPARE(model.rowCount(), 0);
}

QTEST_MAIN(tst_ProfileModels)
#include "tst_profilemodels.moc"
