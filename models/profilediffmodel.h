#pragma once

#include "app/profiles/comparison.h"

#include <QAbstractTableModel>

namespace provbench {

// The field-by-field diff of a Comparison as a table: the field's label, the
// left profile's value, the right profile's value (column headers are the two
// profile names). Rows that differ are highlighted (a pale amber background
// and a bold font) and report DiffersRole. Secrets arrive masked from the
// engine ("set (differs)") and are shown as such.
//
// setComparison() updates in place with dataChanged when the rows are the same
// fields as before (the usual case: one value edited, or the device count
// changed) and resets otherwise (another pair of profiles).
class ProfileDiffModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Field, Left, Right, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        DiffersRole = Qt::UserRole, // bool
        PathRole,                   // QString: JSON path of the field
        SecretRole,                 // bool
    };
    Q_ENUM(Role)

    explicit ProfileDiffModel(QObject *parent = nullptr);

    void setComparison(const profiles::Comparison &comparison);
    void setDiff(
        const QList<profiles::DiffRow> &rows, const QString &leftName, const QString &rightName);
    void clear();
    int differingRows() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QList<profiles::DiffRow> m_rows;
    QString m_leftName;
    QString m_rightName;
};

} // namespace provbench
