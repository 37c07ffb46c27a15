#include "app/storage/store/inventory.h"

#include "app/storage/store/database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace provbench::store {

namespace {

const QString kColumns = QStringLiteral(
    "id, serial_number, name, site, transport, transport_id, profile, fingerprints, state, "
    "failure_reason, claimed_by, created_at, updated_at");

constexpr qsizetype kMaxIdLength = 256;

QString fingerprintsText(const QStringList &list)
{
    return QString::fromUtf8(
        QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}

InventoryDevice fromRow(const QSqlQuery &q)
{
    InventoryDevice d;
    d.id = q.value(0).toString();
    d.serialNumber = q.value(1).toString();
    d.name = q.value(2).toString();
    d.site = q.value(3).toString();
    d.transport = q.value(4).toString();
    d.transportId = q.value(5).toString();
    d.profile = q.value(6).toString();
    for (const QJsonValue &v : QJsonDocument::fromJson(q.value(7).toString().toUtf8()).array())
        d.fingerprints.append(v.toString());
    d.state = q.value(8).toString();
    d.failureReason = q.value(9).toString();
    d.claimedBy = q.value(10).toString();
    d.createdAt = q.value(11).toString();
    d.updatedAt = q.value(12).toString();
    return d;
}

Result<void> checkId(const QString &id, const QString &what)
{
    if (id.trimmed().isEmpty() || id.size() > kMaxIdLength)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("A %1 must be 1 to %2 characters long and not blank.")
                .arg(what)
                .arg(kMaxIdLength));
    return {};
}

Error unknownDevice(const QString &id)
{
    return Error::make(Error::Code::NotFound,
        QStringLiteral("The inventory has no device '%1': 'provbench-cli inventory list' shows "
                       "the devices it has.")
            .arg(id));
}

} // namespace

Result<void> Inventory::checkState(const QString &state)
{
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9-]{0,31}$"));
    if (!re.match(state).hasMatch())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("'%1' is not a device state: use a lower-case word such as "
                           "'provisioned' or 'checked-in' (at most 32 characters).")
                .arg(state.left(40)));
    return {};
}

Result<InventoryDevice> Inventory::upsert(const InventoryDevice &device)
{
    if (auto ok = checkId(device.id, QStringLiteral("device id")); !ok)
        return std::unexpected(ok.error());
    if (auto ok = checkState(device.state); !ok)
        return std::unexpected(ok.error());
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return std::unexpected(tx.error());
    const QString now = Database::now();
    // Empty means "not known here": keep the stored value.
    auto keep = [](const char *column) {
        return QStringLiteral("%1 = CASE WHEN excluded.%1 = '' THEN devices.%1 ELSE excluded.%1 "
                              "END")
            .arg(QLatin1StringView(column));
    };
    const QString sql
        = QStringLiteral("INSERT INTO devices (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, "
                         "?) ON CONFLICT (id) DO UPDATE SET ")
              .arg(kColumns)
        + QStringList{keep("serial_number"), keep("name"), keep("site"), keep("transport"),
            keep("transport_id"), keep("profile"),
            QStringLiteral("fingerprints = CASE WHEN excluded.fingerprints = '[]' THEN "
                           "devices.fingerprints ELSE excluded.fingerprints END"),
            QStringLiteral("updated_at = excluded.updated_at")}
              .join(QStringLiteral(", "));
    auto q = m_db.exec(sql,
        {device.id, device.serialNumber, device.name, device.site, device.transport,
            device.transportId, device.profile, fingerprintsText(device.fingerprints), device.state,
            device.failureReason, now, now});
    if (!q)
        return std::unexpected(q.error());
    q->finish();
    if (auto ok = tx->commit(); !ok)
        return std::unexpected(ok.error());
    return get(device.id);
}

Result<InventoryDevice> Inventory::get(const QString &id) const
{
    auto q = m_db.exec(QStringLiteral("SELECT %1 FROM devices WHERE id = ?").arg(kColumns), {id});
    if (!q)
        return std::unexpected(q.error());
    if (!q->next())
        return std::unexpected(unknownDevice(id));
    return fromRow(*q);
}

Result<QList<InventoryDevice>> Inventory::list(const DeviceQuery &query) const
{
    QString where;
    QVariantList binds;
    auto match = [&](const char *column, const QString &value) {
        if (value.isEmpty())
            return;
        where += where.isEmpty() ? QStringLiteral(" WHERE ") : QStringLiteral(" AND ");
        where += QLatin1StringView(column) + QStringLiteral(" = ?");
        binds.append(value);
    };
    match("state", query.state);
    match("site", query.site);
    match("profile", query.profile);
    match("transport", query.transport);
    if (query.claimedBy == u"-")
        where += (where.isEmpty() ? QStringLiteral(" WHERE ") : QStringLiteral(" AND "))
            + QStringLiteral("claimed_by IS NULL");
    else
        match("claimed_by", query.claimedBy);
    auto q = m_db.exec(
        QStringLiteral("SELECT %1 FROM devices%2 ORDER BY id").arg(kColumns, where), binds);
    if (!q)
        return std::unexpected(q.error());
    QList<InventoryDevice> out;
    while (q->next())
        out.append(fromRow(*q));
    return out;
}

Result<void> Inventory::setState(
    const QString &id, const QString &state, const QString &failureReason)
{
    if (auto ok = checkState(state); !ok)
        return ok;
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return std::unexpected(tx.error());
    auto rows = m_db.execAffected(QStringLiteral("UPDATE devices SET state = ?, failure_reason = "
                                                 "?, updated_at = ? WHERE id = ?"),
        {state, failureReason, Database::now(), id});
    if (!rows)
        return std::unexpected(rows.error());
    if (*rows == 0)
        return std::unexpected(unknownDevice(id));
    return tx->commit();
}

Result<void> Inventory::addFingerprint(const QString &id, const QString &fingerprint)
{
    if (auto ok = checkId(fingerprint, QStringLiteral("fingerprint")); !ok)
        return ok;
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return std::unexpected(tx.error());
    auto current
        = m_db.scalar(QStringLiteral("SELECT fingerprints FROM devices WHERE id = ?"), {id});
    if (!current)
        return std::unexpected(current.error());
    if (current->isNull())
        return std::unexpected(unknownDevice(id));
    QStringList list;
    for (const QJsonValue &v : QJsonDocument::fromJson(current->toString().toUtf8()).array())
        list.append(v.toString());
    if (list.value(0) == fingerprint)
        return {};
    list.removeAll(fingerprint);
    list.prepend(fingerprint);
    auto q = m_db.exec(
        QStringLiteral("UPDATE devices SET fingerprints = ?, updated_at = ? WHERE id = ?"),
        {fingerprintsText(list), Database::now(), id});
    if (!q)
        return std::unexpected(q.error());
    return tx->commit();
}

Result<Claim> Inventory::claim(const QString &deviceId, const QString &benchId)
{
    if (auto ok = checkId(benchId, QStringLiteral("bench id")); !ok)
        return std::unexpected(ok.error());
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return std::unexpected(tx.error());
    // The condition is evaluated on the row as it is when this UPDATE gets
    // its lock: on PostgreSQL a second bench waits for the first to commit,
    // then finds claimed_by set and changes nothing.
    auto rows = m_db.execAffected(QStringLiteral("UPDATE devices SET claimed_by = ?, updated_at = "
                                                 "? WHERE id = ? AND (claimed_by IS NULL OR "
                                                 "claimed_by = ?)"),
        {benchId, Database::now(), deviceId, benchId});
    if (!rows)
        return std::unexpected(rows.error());
    if (*rows == 1) {
        if (auto ok = tx->commit(); !ok)
            return std::unexpected(ok.error());
        return Claim{true, benchId};
    }
    auto holder
        = m_db.scalar(QStringLiteral("SELECT claimed_by FROM devices WHERE id = ?"), {deviceId});
    if (!holder)
        return std::unexpected(holder.error());
    if (!holder->isValid()) // no row; a row with a NULL holder is valid and null
        return std::unexpected(unknownDevice(deviceId));
    if (auto ok = tx->commit(); !ok)
        return std::unexpected(ok.error());
    return Claim{false, holder->toString()};
}

Result<void> Inventory::release(const QString &deviceId, const QString &benchId)
{
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return std::unexpected(tx.error());
    auto rows = m_db.execAffected(QStringLiteral("UPDATE devices SET claimed_by = NULL, updated_at "
                                                 "= ? WHERE id = ? AND claimed_by = ?"),
        {Database::now(), deviceId, benchId});
    if (!rows)
        return std::unexpected(rows.error());
    if (*rows == 0) {
        auto current = get(deviceId);
        if (!current)
            return std::unexpected(current.error());
        if (!current->claimedBy.isEmpty())
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("Device '%1' is held by bench '%2', not '%3': only the holder can "
                               "release it.")
                    .arg(deviceId, current->claimedBy, benchId));
    }
    return tx->commit();
}

Result<qint64> Inventory::nextSequence(const QString &name)
{
    if (auto ok = checkId(name, QStringLiteral("sequence name")); !ok)
        return std::unexpected(ok.error());
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return std::unexpected(tx.error());
    auto value = m_db.scalar(QStringLiteral("INSERT INTO sequences (name, value) VALUES (?, 1) "
                                            "ON CONFLICT (name) DO UPDATE SET value = "
                                            "sequences.value + 1 RETURNING value"),
        {name});
    if (!value)
        return std::unexpected(value.error());
    if (auto ok = tx->commit(); !ok)
        return std::unexpected(ok.error());
    return value->toLongLong();
}

Result<bool> Inventory::addAlias(const QString &alias, const QString &deviceId)
{
    const QString key = alias.trimmed().toLower();
    if (auto ok = checkId(key, QStringLiteral("device alias")); !ok)
        return std::unexpected(ok.error());
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return std::unexpected(tx.error());
    auto current = m_db.scalar(
        QStringLiteral("SELECT device_id FROM device_aliases WHERE alias = ?"), {key});
    if (!current)
        return std::unexpected(current.error());
    bool kept = true;
    if (current->isNull()) {
        auto q = m_db.exec(QStringLiteral("INSERT INTO device_aliases (alias, device_id, "
                                          "created_at) VALUES (?, ?, ?)"),
            {key, deviceId, Database::now()});
        if (!q)
            return std::unexpected(q.error());
    } else if (current->toString() != deviceId) {
        // Kept as a marker with no device, so a third device cannot take it either.
        auto q = m_db.exec(
            QStringLiteral("UPDATE device_aliases SET device_id = '' WHERE alias = ?"), {key});
        if (!q)
            return std::unexpected(q.error());
        kept = false;
    }
    if (auto ok = tx->commit(); !ok)
        return std::unexpected(ok.error());
    return kept;
}

Result<QString> Inventory::deviceForAlias(const QString &alias) const
{
    auto id = m_db.scalar(QStringLiteral("SELECT device_id FROM device_aliases WHERE alias = ?"),
        {alias.trimmed().toLower()});
    if (!id)
        return std::unexpected(id.error());
    return id->isNull() ? QString() : id->toString();
}

} // namespace provbench::store
