// The store's public face: Store::create, prepare/exec and the store's queries. Statement:
// store_statement.cpp; the decoding SQL functions: store_functions.cpp; the read-only gate for
// user SQL: store_readonly.cpp; encoding and loading: store_writer.cpp; twins: store_twins.cpp.
#include "core/store/store.h"

#include "core/query/filter.h"
#include "core/store/store_impl.h"

#include <sqlite3.h>

#include <QByteArray>
#include <cstring>
#include <mutex>
#include <utility>

namespace core {
// ---------------------------------------------------------------------------------------
// SQLite setup

namespace {

void configureSqliteOnce()
{
    static std::once_flag once;
    std::call_once(once, [] {
        // Must precede sqlite3_initialize(); harmless (SQLITE_MISUSE) if something initialized first.
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        sqlite3_initialize();
    });
}

QString sqliteError(sqlite3* db)
{
    return QString::fromUtf8(sqlite3_errmsg(db));
}

} // namespace

// ---------------------------------------------------------------------------------------
// CancelScope: a progress handler on every connection polls the stepping thread's flag.

namespace {

thread_local const std::atomic<bool>* t_cancel = nullptr;

/// Progress-handler period in SQLite VM steps (about a microsecond each).
constexpr int kCancelPollSteps = 10000;

int pollCancel(void*)
{
    const std::atomic<bool>* flag = t_cancel;
    return flag && flag->load(std::memory_order_relaxed) ? 1 : 0;
}

} // namespace

QString sqliteVersion()
{
    return QString::fromLatin1(sqlite3_libversion());
}

CancelScope::CancelScope(const std::atomic<bool>* cancel) : m_previous(std::exchange(t_cancel, cancel)) {}

CancelScope::~CancelScope()
{
    t_cancel = m_previous;
}

// ---------------------------------------------------------------------------------------
// Store

Result<std::unique_ptr<Store>> Store::create()
{
    configureSqliteOnce();
    std::unique_ptr<Store> store(new Store());
    const int flags =
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_PRIVATECACHE;
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(":memory:", &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        Error e{{},
                0,
                0,
                QStringLiteral("Cannot create the in-memory database: %1")
                    .arg(db ? sqliteError(db) : QString::fromUtf8(sqlite3_errstr(rc)))};
        if (db) sqlite3_close_v2(db);
        return e;
    }
    store->m_db = db;
    store->m_impl = std::make_unique<Impl>(db);
    sqlite3_extended_result_codes(db, 0);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    sqlite3_progress_handler(db, kCancelPollSteps, pollCancel, nullptr);
    registerStoreFunctions(db, store->m_impl.get());
    registerSqlFunctions(db);
    const Status st = store->m_impl->createSchema();
    if (!st.ok()) return st.error();
    // Names for ids (filled by storeNames()): always present, so SQL that joins them (filters
    // with names, CSV name columns) is valid before any names are loaded.
    const Status names = store->exec(
        QStringLiteral("CREATE TABLE names(id TEXT PRIMARY KEY, name TEXT, kind TEXT, resource_id TEXT, owner_id TEXT,"
                       " route_table_id TEXT, cidr TEXT, az TEXT, vpc_id TEXT, subnet_id TEXT, instance_id TEXT,"
                       " description TEXT);"
                       "CREATE TABLE name_addresses(address TEXT, eni_id TEXT);"));
    if (!names.ok()) return names.error();
    return store;
}

Store::~Store()
{
    if (m_impl) m_impl->stopColumnRebuild(); // it reads the connection closed below
    if (m_impl && m_impl->m_insert) sqlite3_finalize(m_impl->m_insert);
    if (m_impl) m_impl->m_insert = nullptr;
    if (m_db) sqlite3_close_v2(m_db);
}

Result<Statement> Store::prepare(const QString& sql) const
{
    const QByteArray u = sql.toUtf8();
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(m_db, u.constData(), static_cast<int>(u.size()), 0, &stmt, nullptr);
    if (rc != SQLITE_OK) {
        Error e{{},
                0,
                0,
                rc == SQLITE_INTERRUPT ? QStringLiteral("interrupted") : QStringLiteral("SQL error: %1").arg(sqliteError(m_db))};
        if (stmt) sqlite3_finalize(stmt);
        return e;
    }
    if (!stmt) return Error{{}, 0, 0, QStringLiteral("SQL error: empty statement")};
    return Statement(stmt);
}

Status Store::exec(const QString& sql) const
{
    char* err = nullptr;
    const int rc = sqlite3_exec(m_db, sql.toUtf8().constData(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        const QString m = err ? QString::fromUtf8(err) : QString::fromUtf8(sqlite3_errstr(rc));
        sqlite3_free(err);
        return Error{{}, 0, 0, QStringLiteral("SQL error: %1").arg(m)};
    }
    return Ok{};
}

void Store::interrupt() const
{
    sqlite3_interrupt(m_db);
}

qint64 Store::recordCount() const
{
    if (m_impl->flowDataVirtual()) { // count(*) would step every row of the virtual table
        sqlite3_mutex_enter(sqlite3_db_mutex(m_db));
        const auto n = static_cast<qint64>(m_impl->typedColumns().rows());
        sqlite3_mutex_leave(sqlite3_db_mutex(m_db));
        return n;
    }
    auto st = prepare(QStringLiteral("SELECT count(*) FROM flow_data"));
    if (!st.ok() || !st->next()) return 0;
    return st->int64(0);
}

QStringList Store::columns() const
{
    return m_impl->columns();
}

QStringList Store::extraColumns() const
{
    return m_impl->extraNames();
}

std::vector<StoredFile> Store::files() const
{
    std::vector<StoredFile> out;
    auto st = prepare(QStringLiteral("SELECT id, path, format, records, rejected FROM files ORDER BY id"));
    if (!st.ok()) return out;
    while (st->next()) {
        StoredFile f;
        f.id = st->int64(0);
        f.path = st->text(1);
        f.format = st->text(2);
        f.records = st->int64(3);
        f.rejected = st->int64(4);
        out.push_back(std::move(f));
    }
    return out;
}

qint64 Store::memoryBytes() const
{
    qint64 pages = 0, pageSize = 0;
    if (auto st = prepare(QStringLiteral("PRAGMA page_count")); st.ok() && st->next()) pages = st->int64(0);
    if (auto st = prepare(QStringLiteral("PRAGMA page_size")); st.ok() && st->next()) pageSize = st->int64(0);
    return pages * pageSize + m_impl->dictionaryBytes();
}

// ---------------------------------------------------------------------------------------
// Internal aggregation scans

Status runVisitorStatement(const Store& store, const QString& sql, const QVariantList& params, RowVisitor& visitor,
                           const std::atomic<bool>* cancel)
{
    const Error cancelled{{}, 0, 0, QStringLiteral("cancelled")};
    auto isCancelled = [cancel]() { return cancel && cancel->load(); };
    if (isCancelled()) return cancelled; // raised before the scan started: no SQL at all
    auto st = store.prepare(sql);
    if (!st.ok()) return isCancelled() || st.error().message == QLatin1String("interrupted") ? cancelled : st.error();
    sqlite3_bind_pointer(st->handle(), 1, &visitor, kRowVisitorType, nullptr);
    for (int i = 0; i < params.size(); ++i) st->bind(i + 2, params[i]);
    bool gotRow = false;
    {
        const CancelScope scope(cancel); // polled inside the one long step
        gotRow = st->next();
    }
    if (isCancelled()) return cancelled;
    if (!gotRow) {
        if (st->error() == QLatin1String("cancelled") || st->error() == QLatin1String("interrupted")) return cancelled;
        return Error{{}, 0, 0, st->error()};
    }
    return Ok{};
}

} // namespace core
