#pragma once

#include "app/core/error.h"
#include "app/storage/store/auditlog.h"
#include "app/storage/store/database.h"
#include "app/storage/store/inventory.h"

#include <memory>

namespace provbench::store {

// The inventory and the audit log over one database connection: what the
// workbench, the CLI and the enrollment service open.
//
//   auto store = Store::open(url, workspace.path(), AuditLog::defaultActor());
//   auto seq = (*store)->audit().appendIntent("write", deviceId, {...});
//
// The database is the one named by `url` (DatabaseUrl: empty = the workspace's
// SQLite file), migrated to the current schema. Use a Store on the thread that
// opened it.
class Store
{
public:
    static Result<std::unique_ptr<Store>> open(const QString &url, const QString &workspacePath,
        const QString &actor = QString(), const OpenOptions &options = {});
    static Result<std::unique_ptr<Store>> open(
        const DatabaseUrl &url, const QString &actor = QString(), const OpenOptions &options = {});

    Database &database() { return *m_db; }
    Inventory &inventory() { return m_inventory; }
    AuditLog &audit() { return m_audit; }

private:
    Store(std::unique_ptr<Database> db, const QString &actor);
    std::unique_ptr<Database> m_db;
    Inventory m_inventory;
    AuditLog m_audit;
};

} // namespace provbench::store
