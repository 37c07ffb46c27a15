#pragma once

#include "app/profiles/profilelibrary.h"

#include <QAbstractListModel>
#include <QPointer>

namespace provbench {

// One row per profile of a ProfileLibrary, in the library's order (file name).
//
// Contract: the model follows ProfileLibrary::changed. The library re-reads
// its whole folder on every change and says only "something changed", so the
// model works out the difference itself: rows whose id disappeared are
// removed, new ids are inserted where they appear, and surviving rows whose
// name, kind or issues changed get dataChanged. Views keep their selection
// across saves, creates and deletes. Only when the surviving ids come back in
// a different order (a reload that re-sorted the folder) does it fall back to
// one reset, because a move cannot be derived from a plain reload reliably.
class ProfileListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole, // QString: the profile id (file name without .json)
        KindRole,              // int: profiles::ProfileKind, or -1 when the file does not parse
        ValidRole,             // bool: parses and has no validation issues
        IssuesRole,            // QStringList: "path: message" per issue
        IssueCountRole,        // int
    };
    Q_ENUM(Role)

    explicit ProfileListModel(profiles::ProfileLibrary *library, QObject *parent = nullptr);

    profiles::ProfileLibrary *library() const;
    QModelIndex indexOf(const QString &id) const;
    QString idAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    void sync();

    QPointer<profiles::ProfileLibrary> m_library;
    QList<profiles::ProfileLibrary::Entry> m_entries; // as announced to views
};

} // namespace provbench
