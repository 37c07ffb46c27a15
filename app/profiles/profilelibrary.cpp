#include "app/profiles/profilelibrary.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace provbench::profiles {

namespace {

QString slug(const QString &name)
{
    QString out;
    for (QChar c : name.normalized(QString::NormalizationForm_KD).toLower()) {
        if (c.unicode() < 128 && c.isLetterOrNumber())
            out.append(c);
        else if (!out.isEmpty() && !out.endsWith(QLatin1Char('-')))
            out.append(QLatin1Char('-'));
    }
    while (out.endsWith(QLatin1Char('-')))
        out.chop(1);
    if (out.size() > 60)
        out.truncate(60);
    return out.isEmpty() ? QStringLiteral("profile") : out;
}

Error asError(const QString &what, const Issues &issues)
{
    return Error::make(
        Error::Code::InvalidArgument, QStringLiteral("%1:\n%2").arg(what, describe(issues)));
}

} // namespace

ProfileLibrary::ProfileLibrary(Workspace workspace, QObject *parent)
    : QObject(parent), m_workspace(std::move(workspace))
{
    reload();
}

QString ProfileLibrary::pathFor(const QString &id) const
{
    return m_workspace.profilesDir() + QLatin1Char('/') + id + QStringLiteral(".json");
}

void ProfileLibrary::reload()
{
    QList<Entry> entries;
    const QFileInfoList files
        = QDir(m_workspace.profilesDir())
              .entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QFileInfo &fi : files) {
        Entry e;
        e.id = fi.completeBaseName();
        e.path = fi.absoluteFilePath();
        e.name = e.id;
        auto bytes = Workspace::readFile(e.path);
        if (!bytes) {
            e.issues = {Issue{QString(), bytes.error().message}};
        } else if (auto p = parseProfile(*bytes); p) {
            e.parses = true;
            e.name = p->name;
            e.kind = p->kind();
            e.issues = validate(*p);
        } else {
            e.issues = p.error();
        }
        entries.append(e);
    }
    m_entries = entries;
    Q_EMIT changed();
}

std::optional<ProfileLibrary::Entry> ProfileLibrary::entry(const QString &id) const
{
    for (const Entry &e : m_entries) {
        if (e.id == id)
            return e;
    }
    return std::nullopt;
}

QString ProfileLibrary::uniqueId(const QString &name) const
{
    const QString base = slug(name);
    QString id = base;
    for (int n = 2; QFileInfo::exists(pathFor(id)); ++n)
        id = base + QLatin1Char('-') + QString::number(n);
    return id;
}

Result<Profile> ProfileLibrary::load(const QString &id) const
{
    auto bytes = Workspace::readFile(pathFor(id));
    if (!bytes)
        return std::unexpected(bytes.error());
    auto p = parseProfile(*bytes);
    if (!p)
        return std::unexpected(
            asError(QStringLiteral("The profile \"%1\" cannot be read").arg(id), p.error()));
    return *p;
}

Result<Profile> ProfileLibrary::resolve(const QString &reference) const
{
    const QFileInfo fi(reference);
    if (fi.isFile()) {
        auto bytes = Workspace::readFile(fi.absoluteFilePath());
        if (!bytes)
            return std::unexpected(bytes.error());
        auto p = parseProfile(*bytes);
        if (!p)
            return std::unexpected(
                asError(QStringLiteral("%1 is not a valid profile").arg(reference), p.error()));
        return *p;
    }
    if (entry(reference))
        return load(reference);
    for (const Entry &e : m_entries) {
        if (e.name == reference)
            return load(e.id);
    }
    return fail(Error::Code::NotFound,
        QStringLiteral("No profile \"%1\": give a file path, or an id or name from "
                       "'provbench-cli profile list'.")
            .arg(reference));
}

Result<void> ProfileLibrary::save(const QString &id, const Profile &profile)
{
    auto ok = Workspace::writeFile(pathFor(id), toJson(profile, SecretPolicy::Include));
    if (ok)
        reload();
    return ok;
}

Result<QString> ProfileLibrary::create(const Profile &profile)
{
    const QString id = uniqueId(profile.name);
    if (auto ok = save(id, profile); !ok)
        return std::unexpected(ok.error());
    return id;
}

Result<QString> ProfileLibrary::duplicate(const QString &id)
{
    auto p = load(id);
    if (!p)
        return std::unexpected(p.error());
    p->name = QStringLiteral("%1 (copy)").arg(p->name);
    return create(*p);
}

Result<QString> ProfileLibrary::rename(const QString &id, const QString &newName)
{
    if (newName.trimmed().isEmpty())
        return fail(Error::Code::InvalidArgument, QStringLiteral("A profile needs a name."));
    auto p = load(id);
    if (!p)
        return std::unexpected(p.error());
    p->name = newName.trimmed();
    const QString newId = slug(p->name) == id ? id : uniqueId(p->name);
    // Write the new file first: a failure leaves the old one in place.
    if (auto ok = Workspace::writeFile(pathFor(newId), toJson(*p, SecretPolicy::Include)); !ok)
        return std::unexpected(ok.error());
    if (newId != id)
        QFile::remove(pathFor(id));
    reload();
    return newId;
}

Result<void> ProfileLibrary::remove(const QString &id)
{
    if (!QFileInfo::exists(pathFor(id)))
        return fail(Error::Code::NotFound, QStringLiteral("There is no profile \"%1\".").arg(id));
    if (!QFile::remove(pathFor(id)))
        return fail(Error::Code::Io,
            QStringLiteral("Cannot delete %1: check the folder's "
                           "permissions.")
                .arg(pathFor(id)));
    reload();
    return {};
}

Result<QString> ProfileLibrary::importFile(const QString &path)
{
    auto bytes = Workspace::readFile(path);
    if (!bytes)
        return std::unexpected(bytes.error());
    auto p = parseProfile(*bytes);
    if (!p)
        return std::unexpected(
            asError(QStringLiteral("%1 is not a valid profile").arg(path), p.error()));
    return create(*p);
}

Result<void> ProfileLibrary::exportTo(
    const QString &id, const QString &path, bool includeSecrets) const
{
    auto p = load(id);
    if (!p)
        return std::unexpected(p.error());
    return Workspace::writeFile(
        path, toJson(*p, includeSecrets ? SecretPolicy::Include : SecretPolicy::Mask));
}

Result<int> ProfileLibrary::installSamples()
{
    int installed = 0;
    for (const auto &[fileName, json] : sampleProfiles()) {
        const QString id = QFileInfo(fileName).completeBaseName();
        if (QFileInfo::exists(pathFor(id)))
            continue;
        if (auto ok = Workspace::writeFile(pathFor(id), json); !ok)
            return std::unexpected(ok.error());
        ++installed;
    }
    reload();
    return installed;
}

QList<std::pair<QString, QByteArray>> sampleProfiles()
{
    QList<std::pair<QString, QByteArray>> out;
    QDirIterator it(QStringLiteral(":/profiles"), {QStringLiteral("*.json")}, QDir::Files);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly))
            out.append({QFileInfo(f.fileName()).fileName(), f.readAll()});
    }
    std::sort(
        out.begin(), out.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    return out;
}

Result<Profile> sampleProfile(const QString &id)
{
    QStringList ids;
    for (const auto &[fileName, json] : sampleProfiles()) {
        const QString sampleId = QFileInfo(fileName).completeBaseName();
        if (sampleId != id) {
            ids << sampleId;
            continue;
        }
        auto parsed = parseProfile(json);
        if (!parsed)
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("The sample profile %1 does not parse: %2")
                    .arg(id, describe(parsed.error())));
        return *parsed;
    }
    return fail(Error::Code::NotFound,
        QStringLiteral("There is no sample profile \"%1\"; the samples are %2.")
            .arg(id, ids.join(QStringLiteral(", "))));
}

} // namespace provbench::profiles
