#include "models/profilelistmodel.h"

#include <QIcon>
#include <QPainter>
#include <QPixmap>

namespace provbench {

using namespace profiles;

namespace {

bool sameContent(const ProfileLibrary::Entry &a, const ProfileLibrary::Entry &b)
{
    return a.name == b.name && a.kind == b.kind && a.issues == b.issues && a.parses == b.parses
        && a.path == b.path;
}

qsizetype findId(const QList<ProfileLibrary::Entry> &list, const QString &id)
{
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (list[i].id == id)
            return i;
    }
    return -1;
}

// A rounded tile with the kind's letter (S blue, D violet, ? grey) and, when
// the profile has issues, a red dot in the corner.
QIcon kindIcon(std::optional<ProfileKind> kind, bool valid)
{
    const qreal dpr = 2.0;
    QPixmap pixmap(QSize(20, 20) * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    QColor fill(QStringLiteral("#9ca3af"));
    QString letter = QStringLiteral("?");
    if (kind == ProfileKind::Static) {
        fill = QColor(QStringLiteral("#2563eb"));
        letter = QStringLiteral("S");
    } else if (kind == ProfileKind::Dynamic) {
        fill = QColor(QStringLiteral("#7c3aed"));
        letter = QStringLiteral("D");
    }
    p.setPen(Qt::NoPen);
    p.setBrush(fill);
    p.drawRoundedRect(QRectF(1, 1, 17, 17), 4, 4);
    QFont font;
    font.setPixelSize(11);
    font.setBold(true);
    p.setFont(font);
    p.setPen(Qt::white);
    p.drawText(QRectF(1, 1, 17, 17), Qt::AlignCenter, letter);
    if (!valid) {
        p.setPen(QPen(Qt::white, 1.2));
        p.setBrush(QColor(QStringLiteral("#dc2626")));
        p.drawEllipse(QRectF(12, 0.5, 7.5, 7.5));
    }
    return QIcon(pixmap);
}

} // namespace

ProfileListModel::ProfileListModel(ProfileLibrary *library, QObject *parent)
    : QAbstractListModel(parent), m_library(library)
{
    if (!library)
        return;
    m_entries = library->entries();
    connect(library, &ProfileLibrary::changed, this, &ProfileListModel::sync);
    connect(library, &QObject::destroyed, this, [this] {
        beginResetModel();
        m_entries.clear();
        endResetModel();
    });
}

ProfileLibrary *ProfileListModel::library() const
{
    return m_library;
}

void ProfileListModel::sync()
{
    if (!m_library)
        return;
    const QList<ProfileLibrary::Entry> fresh = m_library->entries();

    for (qsizetype row = m_entries.size() - 1; row >= 0; --row) {
        if (findId(fresh, m_entries[row].id) < 0) {
            beginRemoveRows({}, int(row), int(row));
            m_entries.removeAt(row);
            endRemoveRows();
        }
    }
    for (qsizetype row = 0; row < fresh.size(); ++row) {
        if (row < m_entries.size() && m_entries[row].id == fresh[row].id)
            continue;
        if (findId(m_entries, fresh[row].id) >= 0) {
            // A surviving id moved: not derivable from a reload, start over.
            beginResetModel();
            m_entries = fresh;
            endResetModel();
            return;
        }
        beginInsertRows({}, int(row), int(row));
        m_entries.insert(row, fresh[row]);
        endInsertRows();
    }
    for (qsizetype row = 0; row < m_entries.size(); ++row) {
        if (!sameContent(m_entries[row], fresh[row])) {
            m_entries[row] = fresh[row];
            const QModelIndex changed = index(int(row));
            Q_EMIT dataChanged(changed, changed);
        }
    }
}

QModelIndex ProfileListModel::indexOf(const QString &id) const
{
    const qsizetype row = findId(m_entries, id);
    return row < 0 ? QModelIndex() : index(int(row));
}

QString ProfileListModel::idAt(int row) const
{
    return row >= 0 && row < m_entries.size() ? m_entries[row].id : QString();
}

int ProfileListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant ProfileListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ProfileLibrary::Entry &e = m_entries[index.row()];
    const bool valid = e.parses && e.issues.isEmpty();
    switch (role) {
    case Qt::DisplayRole:
        return e.name;
    case Qt::DecorationRole:
        return kindIcon(e.kind, valid);
    case Qt::ToolTipRole: {
        QString kind = e.kind ? tr("%1 profile").arg(kindName(*e.kind)) : tr("Unreadable file");
        kind[0] = kind[0].toUpper();
        QString tip = tr("%1 \u00b7 %2.json").arg(kind, e.id);
        if (valid)
            return QString(tip + QLatin1Char('\n') + tr("Ready to use."));
        return QString(tip + QLatin1Char('\n') + tr("%n issue(s):", nullptr, int(e.issues.size()))
            + QLatin1Char('\n') + describe(e.issues));
    }
    case IdRole:
        return e.id;
    case KindRole:
        return e.kind ? int(*e.kind) : -1;
    case ValidRole:
        return valid;
    case IssuesRole: {
        QStringList out;
        for (const Issue &issue : e.issues)
            out << issue.toString();
        return out;
    }
    case IssueCountRole:
        return int(e.issues.size());
    default:
        return {};
    }
}

QHash<int, QByteArray> ProfileListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(IdRole, "profileId");
    names.insert(KindRole, "kind");
    names.insert(ValidRole, "valid");
    names.insert(IssuesRole, "issues");
    names.insert(IssueCountRole, "issueCount");
    return names;
}

} // namespace provbench
