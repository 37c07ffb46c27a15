#pragma once

#include "app/onboarding/journey/board.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>
#include <QStringList>
#include <QTimer>

namespace provbench {

// One row per device on the onboarding board.
//
// Updates are batched: noteChanges() only remembers which devices moved, and
// at most every flushInterval() (100 ms) the model catches up with the Board:
// rowsRemoved for forgotten devices, rowsInserted (appended) for new ones,
// and dataChanged over ranges of changed rows. It never resets after
// reload(). Rows keep the order in which devices appeared; sort and filter
// with a proxy (BoardFilterProxy). Between a change and the next flush, data()
// already shows the Board's current values for the rows it has.
class BoardDeviceModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        NameColumn,
        SiteColumn,
        ProfileColumn,
        TransportColumn,
        StageColumn,
        SinceColumn,
        StuckColumn,
        FailureColumn,
        ColumnCount
    };
    enum Role {
        IdRole = Qt::UserRole + 1,
        StageRole,    // int (journey::Stage)
        SinceRole,    // qint64 ms since the epoch: when the device reached its stage
        StuckRole,    // bool
        StuckForRole, // qint64 ms in its stage (meaningful when stuck)
        FailureReasonRole,
        FailureStepRole,
        SiteRole,
        ProfileRole,
        TransportRole,
        ProfileKindRole, // "static", "dynamic" or empty
    };

    explicit BoardDeviceModel(const journey::Board &board, QObject *parent = nullptr);

    // Shows the Board's devices as they are now (a reset: use after Board::load).
    void reload();
    // Remembers what moved; the rows follow within flushInterval().
    void noteChanges(const journey::BoardDelta &delta);
    // Applies what is pending now.
    void flush();
    void setFlushInterval(int ms) { m_timer.setInterval(ms); }
    int flushInterval() const { return m_timer.interval(); }
    bool hasPending() const { return !m_pending.isEmpty(); }

    int rowOf(const QString &id) const { return m_rowOf.value(id, -1); }
    QString idAt(int row) const { return m_ids.value(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    // After each batch, with what it did.
    void flushed(int inserted, int changed, int removed);

private:
    void reindex();

    const journey::Board &m_board;
    QStringList m_ids;
    QHash<QString, int> m_rowOf;
    QSet<QString> m_pending;
    QTimer m_timer;
};

} // namespace provbench
