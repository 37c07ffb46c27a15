#pragma once

#include "app/protocol/improv/improvclient.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace provbench {

class DeviceSession;

// The protocol trace of one DeviceSession, one row per TraceEntry.
//
// Contract: setSession() resets the model to the session's trace (newest
// `capacity` entries). New entries arrive as row inserts at the end; beyond
// the capacity the oldest rows are removed first (beginRemoveRows), so views
// keep their scroll position and selection consistent. traceCleared resets
// the model; a destroyed session leaves it empty. Entries are shown as the
// engine made them: secrets are already redacted and stay so.
class TraceModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Direction, Summary, Bytes, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        DirectionRole = Qt::UserRole, // int: TraceEntry::Direction
        TimestampRole,                // QDateTime of the entry
    };
    Q_ENUM(Role)

    static constexpr int kDefaultCapacity = 5000;

    explicit TraceModel(QObject *parent = nullptr);

    DeviceSession *session() const;
    void setSession(DeviceSession *session);

    int capacity() const { return m_capacity; }
    // Applies to entries arriving later and trims the current rows.
    void setCapacity(int capacity);

    const TraceEntry &entry(int row) const { return m_entries.at(row); }
    // One tab-separated line per entry: time, direction, summary, bytes.
    QString lineForRow(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString directionText(TraceEntry::Direction direction);

private:
    void append(const TraceEntry &entry);
    void trimTo(int rows);
    void reload();

    QPointer<DeviceSession> m_session;
    QList<TraceEntry> m_entries;
    int m_capacity = kDefaultCapacity;
};

} // namespace provbench
