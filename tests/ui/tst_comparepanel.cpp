// The Compare panel as a user drives it, offscreen: the sample profiles in a
// temporary workspace, picked in the combos, compared for 5 and 500 devices;
// then one profile changes through the library and the panel follows. Set
// PROVBENCH_SCREENSHOT=<file.png> to save a picture of the panel.

#include "app/profiles/findings.h"
#include "app/profiles/profilelibrary.h"
#include "app/storage/workspace.h"
#include "models/findingsmodel.h"
#include "models/profilediffmodel.h"
#include "models/profilelistmodel.h"
#include "ui/assessmentview.h"
#include "ui/comparepanel.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace provbench;
using namespace provbench::profiles;

namespace {
const QString kSmallOffice = QStringLiteral("small-office-shared-psk");
const QString kEst = QStringLiteral("est-onboarding");
} // namespace

class tst_ComparePanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void samples_5then500Devices_recommendationFollowsTheNumbers();
    void libraryEdit_switchToBenchCertificate_comparisonUpdates();

private:
    template<typename T> T *child(const char *name) const
    {
        T *w = m_panel->findChild<T *>(QString::fromLatin1(name));
        if (!w)
            qWarning("no widget named %s", name);
        return w;
    }
    void pick(QComboBox *combo, const QString &id);
    QString text(const char *name) const { return child<QLabel>(name)->text(); }
    QString labelIn(AssessmentView *view, const char *name) const
    {
        return view->findChild<QLabel *>(QString::fromLatin1(name))->text();
    }

    QTemporaryDir m_dir;
    std::unique_ptr<ProfileLibrary> m_library;
    std::unique_ptr<ComparePanel> m_panel;
};

void tst_ComparePanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    auto workspace = Workspace::open(m_dir.path());
    QVERIFY(workspace);
    m_library = std::make_unique<ProfileLibrary>(*workspace);
    QVERIFY(m_library->installSamples());
    m_panel = std::make_unique<ComparePanel>(m_library.get());
    m_panel->resize(1280, 800);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
}

void tst_ComparePanel::cleanupTestCase()
{
    if (const QByteArray shot = qgetenv("PROVBENCH_SCREENSHOT"); !shot.isEmpty() && m_panel)
        m_panel->grab().save(QString::fromLocal8Bit(shot));
    m_panel.reset();
    m_library.reset();
}

void tst_ComparePanel::pick(QComboBox *combo, const QString &id)
{
    int row = -1;
    for (int i = 0; i < combo->count(); ++i) {
        if (combo->itemData(i, ProfileListModel::IdRole).toString() == id)
            row = i;
    }
    QVERIFY2(row >= 0, qPrintable(id));
    combo->setCurrentIndex(row);
}

void tst_ComparePanel::samples_5then500Devices_recommendationFollowsTheNumbers()
{
    pick(child<QComboBox>("leftProfile"), kSmallOffice);
    pick(child<QComboBox>("rightProfile"), kEst);
    QCOMPARE(m_panel->leftId(), kSmallOffice);
    QCOMPARE(m_panel->rightId(), kEst);

    QTest::mouseClick(child<QPushButton>("devices5"), Qt::LeftButton);
    QCOMPARE(child<QSpinBox>("deviceCount")->value(), 5);
    QVERIFY(m_panel->comparison());
    const QString at5 = text("recommendation");
    const QString leftTotal5 = labelIn(m_panel->leftView(), "totalEffort");
    const QString rightTotal5 = labelIn(m_panel->rightView(), "totalEffort");
    QVERIFY2(at5.contains(leftTotal5) && at5.contains(rightTotal5), qPrintable(at5));
    QVERIFY(at5.startsWith(QStringLiteral("For 5 device")));

    QTest::mouseClick(child<QPushButton>("devices500"), Qt::LeftButton);
    QCOMPARE(child<QSpinBox>("deviceCount")->value(), 500);
    const QString at500 = text("recommendation");
    QVERIFY(at500 != at5);
    const QString leftTotal500 = labelIn(m_panel->leftView(), "totalEffort");
    const QString rightTotal500 = labelIn(m_panel->rightView(), "totalEffort");
    QVERIFY(leftTotal500 != leftTotal5);
    QVERIFY2(at500.contains(leftTotal500) && at500.contains(rightTotal500), qPrintable(at500));
    QVERIFY(at500.contains(QStringLiteral("500")));

    // The diff table: differing rows highlighted, equal rows plain.
    auto *diff = child<QTableView>("diffTable");
    const QAbstractItemModel *model = diff->model();
    int highlighted = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, ProfileDiffModel::Right);
        const bool differs = index.data(ProfileDiffModel::DiffersRole).toBool();
        QCOMPARE(index.data(Qt::BackgroundRole).isValid(), differs);
        highlighted += differs;
    }
    QVERIFY(highlighted > 0 && highlighted < model->rowCount());
    QVERIFY(child<QLabel>("diffSummary")->text().startsWith(QString::number(highlighted)));

    // Findings of the static profile: a high-severity shared secret, listed first.
    QTableView *findings = m_panel->leftView()->findingsView();
    const QAbstractItemModel *fm = findings->model();
    QVERIFY(fm->rowCount() > 0);
    QCOMPARE(fm->index(0, 0).data(FindingsModel::SeverityRole).toInt(), int(Severity::High));
    bool shared = false;
    for (int row = 0; row < fm->rowCount(); ++row) {
        const QModelIndex index = fm->index(row, 0);
        if (index.data(FindingsModel::RuleRole).toString() == QLatin1String(kRuleSharedSecret)
            && index.data(FindingsModel::SeverityRole).toInt() == int(Severity::High))
            shared = true;
    }
    QVERIFY(shared);
    for (int row = 0; row < m_panel->rightView()->findingsModel()->rowCount(); ++row)
        QVERIFY(m_panel->rightView()->findingsModel()->index(row, 0).data(FindingsModel::RuleRole)
                != QLatin1String(kRuleSharedSecret)
            || m_panel->rightView()->findingsModel()->index(row, 0).data(
                   FindingsModel::SeverityRole)
                != int(Severity::High));
}

void tst_ComparePanel::libraryEdit_switchToBenchCertificate_comparisonUpdates()
{
    pick(child<QComboBox>("leftProfile"), kSmallOffice);
    pick(child<QComboBox>("rightProfile"), kEst);
    m_panel->setDevices(500);
    const QString before = text("recommendation");
    const QString perDeviceBefore = labelIn(m_panel->leftView(), "perDeviceEffort");
    const int rowsBefore = m_panel->leftView()->findingsModel()->rowCount();

    auto profile = m_library->load(kSmallOffice);
    QVERIFY(profile);
    profile->staticSettings()->credentials.kind = StaticCredentialKind::BenchCertificate;
    profile->endpoints.mqtt = QStringLiteral("mqtts://broker.office.lan:8883");
    QVERIFY(m_library->save(kSmallOffice, *profile));

    // Same profiles chosen; numbers, findings and sentence recomputed.
    QCOMPARE(m_panel->leftId(), kSmallOffice);
    QVERIFY(text("recommendation") != before);
    QVERIFY(labelIn(m_panel->leftView(), "perDeviceEffort") != perDeviceBefore
        || m_panel->leftView()->findingsModel()->rowCount() != rowsBefore);
    const FindingsModel *fm = m_panel->leftView()->findingsModel();
    bool offDevice = false;
    for (int row = 0; row < fm->rowCount(); ++row) {
        const QString rule = fm->index(row, 0).data(FindingsModel::RuleRole).toString();
        QVERIFY2(rule != QLatin1String(kRuleSharedSecret), qPrintable(rule));
        offDevice |= rule == QLatin1String(kRuleOffDeviceKey);
    }
    QVERIFY(offDevice);
    bool credentialRowDiffers = false;
    const ProfileDiffModel *diff = m_panel->diffModel();
    for (int row = 0; row < diff->rowCount(); ++row) {
        const QModelIndex index = diff->index(row, ProfileDiffModel::Left);
        if (index.data(ProfileDiffModel::PathRole).toString() == QLatin1String("credentials.type"))
            credentialRowDiffers
                = index.data().toString().contains(QStringLiteral("bench"), Qt::CaseInsensitive);
    }
    QVERIFY(credentialRowDiffers);
}

QTEST_MAIN(tst_ComparePanel)
#include "tst_comparepanel.moc"
