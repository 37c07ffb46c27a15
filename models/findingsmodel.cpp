#include "models/findingsmodel.h"

#include <QColor>
#include <QFont>
#include <QIcon>
#include <QPainter>
#include <QPixmap>

#include <algorithm>

namespace provbench {

namespace {

QIcon dotIcon(const QColor &color)
{
    const qreal dpr = 2.0;
    QPixmap pixmap(QSize(12, 12) * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawEllipse(QRectF(1.5, 1.5, 9, 9));
    return QIcon(pixmap);
}

} // namespace

FindingsModel::FindingsModel(QObject *parent) : QAbstractTableModel(parent) { }

void FindingsModel::setFindings(const QList<profiles::Finding> &findings)
{
    beginResetModel();
    m_findings = findings;
    std::stable_sort(m_findings.begin(), m_findings.end(),
        [](const profiles::Finding &a, const profiles::Finding &b) {
            return int(a.severity) > int(b.severity);
        });
    endResetModel();
}

QColor FindingsModel::severityColor(profiles::Severity severity)
{
    switch (severity) {
    case profiles::Severity::High:
        return QColor(QStringLiteral("#b91c1c"));
    case profiles::Severity::Medium:
        return QColor(QStringLiteral("#b45309"));
    case profiles::Severity::Low:
        return QColor(QStringLiteral("#1d4ed8"));
    case profiles::Severity::Info:
        return QColor(QStringLiteral("#4b5563"));
    }
    return {};
}

QString FindingsModel::severityLabel(profiles::Severity severity)
{
    switch (severity) {
    case profiles::Severity::High:
        return tr("High");
    case profiles::Severity::Medium:
        return tr("Medium");
    case profiles::Severity::Low:
        return tr("Low");
    case profiles::Severity::Info:
        return tr("Info");
    }
    return {};
}

int FindingsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_findings.size());
}

int FindingsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FindingsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const profiles::Finding &f = m_findings[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case SeverityColumn:
            return severityLabel(f.severity);
        case FindingColumn:
            return f.title;
        case FieldColumn:
            return f.path;
        case ReferenceColumn:
            return f.reference;
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        return f.detail.isEmpty() ? f.title : QString(f.title + QLatin1Char('\n') + f.detail);
    case Qt::DecorationRole:
        if (index.column() == SeverityColumn)
            return dotIcon(severityColor(f.severity));
        return {};
    case Qt::ForegroundRole:
        if (index.column() == SeverityColumn)
            return severityColor(f.severity);
        return {};
    case Qt::FontRole:
        if (index.column() == SeverityColumn && f.severity >= profiles::Severity::Medium) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case SeverityRole:
        return int(f.severity);
    case RuleRole:
        return f.rule;
    case DetailRole:
        return f.detail;
    default:
        return {};
    }
}

QVariant FindingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case SeverityColumn:
        return tr("Severity");
    case FindingColumn:
        return tr("Finding");
    case FieldColumn:
        return tr("Field");
    case ReferenceColumn:
        return tr("Reference");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> FindingsModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SeverityRole, "severity");
    names.insert(RuleRole, "rule");
    names.insert(DetailRole, "detail");
    return names;
}

} // namespace provbench
