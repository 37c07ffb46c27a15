#include "models/profilediffmodel.h"

#include <QColor>
#include <QFont>

namespace provbench {

using namespace profiles;

ProfileDiffModel::ProfileDiffModel(QObject *parent) : QAbstractTableModel(parent) { }

void ProfileDiffModel::setComparison(const Comparison &comparison)
{
    setDiff(comparison.diff, comparison.left.profileName, comparison.right.profileName);
}

void ProfileDiffModel::setDiff(
    const QList<DiffRow> &rows, const QString &leftName, const QString &rightName)
{
    bool samePaths = rows.size() == m_rows.size();
    for (qsizetype i = 0; samePaths && i < rows.size(); ++i)
        samePaths = rows[i].path == m_rows[i].path;

    if (leftName != m_leftName || rightName != m_rightName) {
        m_leftName = leftName;
        m_rightName = rightName;
        Q_EMIT headerDataChanged(Qt::Horizontal, Left, Right);
    }
    if (!samePaths) {
        beginResetModel();
        m_rows = rows;
        endResetModel();
        return;
    }
    m_rows = rows;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

void ProfileDiffModel::clear()
{
    setDiff({}, QString(), QString());
}

int ProfileDiffModel::differingRows() const
{
    return int(
        std::count_if(m_rows.cbegin(), m_rows.cend(), [](const DiffRow &r) { return r.differs; }));
}

int ProfileDiffModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ProfileDiffModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProfileDiffModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DiffRow &r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case Field:
            return r.label.isEmpty() ? r.path : r.label;
        case Left:
            return r.left;
        case Right:
            return r.right;
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Field)
            return r.path;
        return index.column() == Left ? r.left : r.right;
    case Qt::BackgroundRole:
        if (r.differs)
            return QColor(
                index.column() == Field ? QStringLiteral("#fde68a") : QStringLiteral("#fef3c7"));
        return {};
    case Qt::ForegroundRole:
        // Fixed dark text on the fixed pale highlight, whatever the palette.
        if (r.differs)
            return QColor(QStringLiteral("#1f2937"));
        return {};
    case Qt::FontRole:
        if (r.differs) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case DiffersRole:
        return r.differs;
    case PathRole:
        return r.path;
    case SecretRole:
        return r.secret;
    default:
        return {};
    }
}

QVariant ProfileDiffModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Field:
        return tr("Field");
    case Left:
        return m_leftName.isEmpty() ? tr("Left") : m_leftName;
    case Right:
        return m_rightName.isEmpty() ? tr("Right") : m_rightName;
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> ProfileDiffModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(DiffersRole, "differs");
    names.insert(PathRole, "path");
    names.insert(SecretRole, "secret");
    return names;
}

} // namespace provbench
