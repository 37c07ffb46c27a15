#pragma once

#include "app/profiles/profilejson.h"
#include "app/storage/workspace.h"

#include <QObject>

namespace provbench::profiles {

// The profiles of a workspace: one JSON file each in <workspace>/profiles,
// named by a slug of the profile name (the id). Every change goes through
// here so listeners (the GUI's list) stay current. Files that fail to parse
// are still listed, with their issues, so the user can see and fix them.
class ProfileLibrary : public QObject
{
    Q_OBJECT
public:
    struct Entry
    {
        QString id; // file name without .json
        QString path;
        QString name; // from the file, or the id when it does not parse
        std::optional<ProfileKind> kind;
        Issues issues; // parse errors, or validation issues of a parsed profile
        bool parses = false;
    };

    explicit ProfileLibrary(Workspace workspace, QObject *parent = nullptr);

    const Workspace &workspace() const { return m_workspace; }
    // Re-reads the folder. Called by the constructor.
    void reload();
    QList<Entry> entries() const { return m_entries; }
    std::optional<Entry> entry(const QString &id) const;

    Result<Profile> load(const QString &id) const;
    // A profile as a person names it: a file path, a library id, or the exact
    // name of a profile in the library (in that order).
    Result<Profile> resolve(const QString &reference) const;
    // Saves under `id`; validation issues do not prevent saving a draft.
    Result<void> save(const QString &id, const Profile &profile);
    // A new file with a fresh id derived from the profile's name.
    Result<QString> create(const Profile &profile);
    Result<QString> duplicate(const QString &id);
    // Changes the name inside the file and the id to match.
    Result<QString> rename(const QString &id, const QString &newName);
    Result<void> remove(const QString &id);
    // Copies a profile file in after a strict parse (refused with the issues
    // when it does not parse); returns the new id.
    Result<QString> importFile(const QString &path);
    // Writes a profile to `path`; secrets are masked unless `includeSecrets`.
    Result<void> exportTo(const QString &id, const QString &path, bool includeSecrets) const;
    // Copies the sample profiles shipped with ProvBench into an empty library.
    Result<int> installSamples();

    // A file-system-safe id for a name: lower-case ASCII letters, digits and
    // hyphens, unique within the library.
    QString uniqueId(const QString &name) const;

Q_SIGNALS:
    void changed();

private:
    QString pathFor(const QString &id) const;
    Workspace m_workspace;
    QList<Entry> m_entries;
};

// The sample profiles compiled into ProvBench (resources/profiles/*.json):
// file name -> JSON text.
QList<std::pair<QString, QByteArray>> sampleProfiles();
// One sample profile by id ("bench-certificate-per-device"), parsed.
// Code::NotFound names the samples there are.
Result<Profile> sampleProfile(const QString &id);

} // namespace provbench::profiles
