#pragma once

#include "app/profiles/comparison.h"

#include <QAbstractTableModel>

namespace provbench {

// The security findings of one Assessment as a table, most severe first (the
// engine's order is kept within a severity). The Severity column carries the
// severity's colour (text and a dot); the finding's detail is its tooltip.
// setFindings() resets: a new assessment is a new list.
class FindingsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SeverityColumn, FindingColumn, FieldColumn, ReferenceColumn, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        SeverityRole = Qt::UserRole, // int: profiles::Severity
        RuleRole,                    // QString: the rule id, e.g. "shared-secret"
        DetailRole,                  // QString
    };
    Q_ENUM(Role)

    explicit FindingsModel(QObject *parent = nullptr);

    void setFindings(const QList<profiles::Finding> &findings);
    QList<profiles::Finding> findings() const { return m_findings; }

    // Text colour for a severity, readable on a light background.
    static QColor severityColor(profiles::Severity severity);
    static QString severityLabel(profiles::Severity severity);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QList<profiles::Finding> m_findings;
};

} // namespace provbench
