# app/storage/store: the inventory and the tamper-evident audit log on SQLite
# (default, in the workspace) or PostgreSQL (Qt SQL's QSQLITE and QPSQL drivers).
target_sources(provbench_core PRIVATE
    storage/store/databaseurl.h storage/store/databaseurl.cpp
    storage/store/database.h storage/store/database.cpp
    storage/store/migrations.h storage/store/migrations.cpp storage/store/schema.cpp
    storage/store/inventory.h storage/store/inventory.cpp
    storage/store/auditrecord.h storage/store/auditrecord.cpp
    storage/store/auditsql.h
    storage/store/auditlog.h storage/store/auditlog.cpp storage/store/auditverify.cpp
    storage/store/auditexport.h storage/store/auditexport.cpp
    storage/store/store.h storage/store/store.cpp
)
target_link_libraries(provbench_core PUBLIC Qt6::Sql)
