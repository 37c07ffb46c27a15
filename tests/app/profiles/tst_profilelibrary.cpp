#include "app/profiles/profilelibrary.h"

#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace provbench;
using namespace provbench::profiles;

class tst_ProfileLibrary : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<ProfileLibrary> m_library;

    static Profile sample()
    {
        Profile p = defaultProfile(ProfileKind::Static);
        p.name = QStringLiteral("Warehouse Sensors");
        p.network.wifi->ssid = QStringLiteral("Warehouse");
        p.network.wifi->passphrase.value = QStringLiteral("pallet-jack-7");
        return p;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        auto ws = Workspace::open(m_dir.filePath(QStringLiteral("ws")));
        QVERIFY2(ws, qPrintable(ws ? QString() : ws.error().message));
        m_library = std::make_unique<ProfileLibrary>(*ws);
    }
    void cleanup()
    {
        m_library.reset();
        QDir(m_dir.filePath(QStringLiteral("ws"))).removeRecursively();
    }

    void workspace_isPrivateToItsOwner()
    {
        const auto perms = QFileInfo(m_library->workspace().path()).permissions();
        QVERIFY(perms & QFileDevice::ReadOwner);
        QVERIFY(
            !(perms & (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::ExeOther)));
        auto id = m_library->create(sample());
        QVERIFY(id);
        const auto filePerms = QFileInfo(m_library->entry(*id)->path).permissions();
        QCOMPARE(filePerms & ~(QFileDevice::ReadUser | QFileDevice::WriteUser),
            QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }

    void workspace_onAFile_failsWithAdvice()
    {
        const QString file = m_dir.filePath(QStringLiteral("plain-file"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        auto ws = Workspace::open(file);
        QVERIFY(!ws);
        QVERIFY(ws.error().message.contains(u"not a folder"));
    }

    void create_slugsTheNameAndKeepsIdsUnique()
    {
        QSignalSpy changed(m_library.get(), &ProfileLibrary::changed);
        auto a = m_library->create(sample());
        auto b = m_library->create(sample());
        QVERIFY(a && b);
        QCOMPARE(*a, QStringLiteral("warehouse-sensors"));
        QCOMPARE(*b, QStringLiteral("warehouse-sensors-2"));
        QCOMPARE(m_library->entries().size(), 2);
        QVERIFY(changed.size() >= 2);
        auto loaded = m_library->load(*a);
        QVERIFY(loaded);
        QVERIFY(*loaded == sample());
    }

    void duplicateRenameRemove_keepFilesAndEntriesInStep()
    {
        auto id = m_library->create(sample());
        QVERIFY(id);
        auto copy = m_library->duplicate(*id);
        QVERIFY(copy);
        QCOMPARE(m_library->entry(*copy)->name, QStringLiteral("Warehouse Sensors (copy)"));
        auto renamed = m_library->rename(*copy, QStringLiteral("Cold Store"));
        QVERIFY(renamed);
        QCOMPARE(*renamed, QStringLiteral("cold-store"));
        QVERIFY(!m_library->entry(*copy));
        QCOMPARE(m_library->load(*renamed)->name, QStringLiteral("Cold Store"));
        QVERIFY(m_library->remove(*renamed));
        QCOMPARE(m_library->entries().size(), 1);
        auto missing = m_library->remove(QStringLiteral("nope"));
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, Error::Code::NotFound);
    }

    void brokenFile_isListedWithItsIssues()
    {
        QFile f(m_library->workspace().profilesDir() + QStringLiteral("/broken.json"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"schema\": \"provbench.profile/1\", \"kind\": \"static\", \"name\": \"B\", "
                "\"bogus\": 1}");
        f.close();
        m_library->reload();
        const auto e = m_library->entry(QStringLiteral("broken"));
        QVERIFY(e);
        QVERIFY(!e->parses);
        QCOMPARE(e->issues.first().path, QStringLiteral("bogus"));
    }

    void import_refusesAnInvalidFileWithTheIssues()
    {
        const QString path = m_dir.filePath(QStringLiteral("bad.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"schema\": \"provbench.profile/9\", \"kind\": \"static\", \"name\": \"B\"}");
        f.close();
        auto id = m_library->importFile(path);
        QVERIFY(!id);
        QVERIFY(id.error().message.contains(u"newer than this ProvBench"));
        QVERIFY(m_library->entries().isEmpty());
    }

    void export_masksSecretsUnlessAsked()
    {
        auto id = m_library->create(sample());
        QVERIFY(id);
        const QString masked = m_dir.filePath(QStringLiteral("masked.json"));
        const QString full = m_dir.filePath(QStringLiteral("full.json"));
        QVERIFY(m_library->exportTo(*id, masked, false));
        QVERIFY(m_library->exportTo(*id, full, true));
        QFile m(masked), fl(full);
        QVERIFY(m.open(QIODevice::ReadOnly) && fl.open(QIODevice::ReadOnly));
        const QByteArray maskedText = m.readAll();
        QVERIFY(!maskedText.contains("pallet-jack-7"));
        QVERIFY(maskedText.contains(kMaskedSecret));
        QVERIFY(fl.readAll().contains("pallet-jack-7"));
        // A masked export imports fine but reports what must be re-entered.
        auto imported = m_library->importFile(masked);
        QVERIFY(imported);
        const auto e = m_library->entry(*imported);
        QVERIFY(std::any_of(e->issues.begin(), e->issues.end(),
            [](const Issue &i) { return i.path == u"network.wifi.passphrase"; }));
    }

    void installSamples_addsThreeValidProfilesOnce()
    {
        auto n = m_library->installSamples();
        QVERIFY(n);
        QCOMPARE(*n, 3);
        QCOMPARE(*m_library->installSamples(), 0);
        int statics = 0, dynamics = 0;
        for (const auto &e : m_library->entries()) {
            QVERIFY2(e.parses && e.issues.isEmpty(),
                qPrintable(e.id + QLatin1Char(' ') + describe(e.issues)));
            (*e.kind == ProfileKind::Static ? statics : dynamics)++;
        }
        QCOMPARE(statics, 2);
        QCOMPARE(dynamics, 1);
    }
};

QTEST_GUILESS_MAIN(tst_ProfileLibrary)
#include "tst_profilelibrary.moc"
