#include "app/storage/store/store.h"

namespace provbench::store {

Store::Store(std::unique_ptr<Database> db, const QString &actor)
    : m_db(std::move(db)), m_inventory(*m_db), m_audit(*m_db, actor)
{
}

Result<std::unique_ptr<Store>> Store::open(const QString &url, const QString &workspacePath,
    const QString &actor, const OpenOptions &options)
{
    auto parsed = DatabaseUrl::parse(url, workspacePath);
    if (!parsed)
        return std::unexpected(parsed.error());
    return open(*parsed, actor, options);
}

Result<std::unique_ptr<Store>> Store::open(
    const DatabaseUrl &url, const QString &actor, const OpenOptions &options)
{
    auto db = Database::open(url, options);
    if (!db)
        return std::unexpected(db.error());
    return std::unique_ptr<Store>(new Store(std::move(*db), actor));
}

} // namespace provbench::store
