// The store's public face: Statement, Store::create, the decoding SQL functions behind the
// `flows` view, and the read-only gate for user SQL. Encoding and loading: store_writer.cpp.
#include "core/store/store.h"

#include "core/query/filter.h"
#include "core/store/store_impl.h"

#include <sqlite3.h>

#include <QByteArray>
#include <cstring>
#include <mutex>

namespace core {

// ---------------------------------------------------------------------------------------
// Statement

Statement::Statement(Statement&& other) noexcept : m_stmt(std::exchange(other.m_stmt, nullptr)), m_error(std::move(other.m_error))
{
}

Statement& Statement::operator=(Statement&& other) noexcept
{
    if (this != &other) {
        if (m_stmt) sqlite3_finalize(m_stmt);
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_error = std::move(other.m_error);
    }
    return *this;
}

Statement::~Statement()
{
    if (m_stmt) sqlite3_finalize(m_stmt);
}

void Statement::bind(int index, const QVariant& value)
{
    if (!m_stmt) return;
    if (value.isNull() || !value.isValid()) {
        sqlite3_bind_null(m_stmt, index);
        return;
    }
    switch (value.typeId()) {
    case QMetaType::Bool:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::Char:
    case QMetaType::UChar:
    case QMetaType::SChar:
        sqlite3_bind_int64(m_stmt, index, value.toLongLong());
        return;
    case QMetaType::Double:
    case QMetaType::Float:
        sqlite3_bind_double(m_stmt, index, value.toDouble());
        return;
    case QMetaType::QByteArray: {
        const QByteArray b = value.toByteArray();
        sqlite3_bind_blob64(m_stmt, index, b.constData(), static_cast<sqlite3_uint64>(b.size()), SQLITE_TRANSIENT);
        return;
    }
    default: {
        const QByteArray u = value.toString().toUtf8();
        sqlite3_bind_text64(m_stmt, index, u.constData(), static_cast<sqlite3_uint64>(u.size()), SQLITE_TRANSIENT, SQLITE_UTF8);
        return;
    }
    }
}

void Statement::bindAll(const QVariantList& params)
{
    for (int i = 0; i < params.size(); ++i) bind(i + 1, params[i]);
}

bool Statement::next()
{
    if (!m_stmt) {
        m_error = QStringLiteral("no statement");
        return false;
    }
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) {
        m_error.clear();
        return false;
    }
    if (rc == SQLITE_INTERRUPT) m_error = QStringLiteral("interrupted");
    else m_error = QString::fromUtf8(sqlite3_errmsg(sqlite3_db_handle(m_stmt)));
    if (m_error.isEmpty()) m_error = QStringLiteral("SQLite error %1").arg(rc);
    return false;
}

void Statement::reset()
{
    if (!m_stmt) return;
    sqlite3_reset(m_stmt);
    m_error.clear();
}

int Statement::columnCount() const
{
    return m_stmt ? sqlite3_column_count(m_stmt) : 0;
}

QString Statement::columnName(int col) const
{
    return m_stmt ? QString::fromUtf8(sqlite3_column_name(m_stmt, col)) : QString();
}

bool Statement::isNull(int col) const
{
    return !m_stmt || sqlite3_column_type(m_stmt, col) == SQLITE_NULL;
}

qint64 Statement::int64(int col) const
{
    return m_stmt ? sqlite3_column_int64(m_stmt, col) : 0;
}

double Statement::real(int col) const
{
    return m_stmt ? sqlite3_column_double(m_stmt, col) : 0.0;
}

QString Statement::text(int col) const
{
    if (!m_stmt) return {};
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, col));
    if (!p) return {};
    return QString::fromUtf8(p, sqlite3_column_bytes(m_stmt, col));
}

QVariant Statement::value(int col) const
{
    if (!m_stmt) return {};
    switch (sqlite3_column_type(m_stmt, col)) {
    case SQLITE_INTEGER:
        return QVariant(static_cast<qint64>(sqlite3_column_int64(m_stmt, col)));
    case SQLITE_FLOAT:
        return QVariant(sqlite3_column_double(m_stmt, col));
    case SQLITE_TEXT:
        return QVariant(text(col));
    case SQLITE_BLOB: {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(m_stmt, col));
        return QVariant(QByteArray(p, sqlite3_column_bytes(m_stmt, col)));
    }
    default:
        return {};
    }
}

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
// SQL functions decoding the physical schema

namespace {

Store::Impl* implOf(sqlite3_context* ctx)
{
    return static_cast<Store::Impl*>(sqlite3_user_data(ctx));
}

// fl_text(ctx, slot): text field `slot` of context `ctx`.
void flText(sqlite3_context* c, int, sqlite3_value** argv)
{
    const Store::Impl* impl = implOf(c);
    const sqlite3_int64 ctx = sqlite3_value_int64(argv[0]);
    const sqlite3_int64 slot = sqlite3_value_int64(argv[1]);
    if (ctx < 0 || static_cast<size_t>(ctx) >= impl->contextCount() || slot < 0
        || slot >= static_cast<sqlite3_int64>(SchemaSlots::get().textFields.size())) {
        return; // NULL
    }
    const uint32_t code = impl->contextValue(static_cast<uint32_t>(ctx), static_cast<int>(slot));
    if (code == 0) return;
    const std::string& s = impl->string(code);
    sqlite3_result_text(c, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
}

// fl_str(code): a string-pool entry (extras).
void flStr(sqlite3_context* c, int, sqlite3_value** argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
    const Store::Impl* impl = implOf(c);
    const sqlite3_int64 code = sqlite3_value_int64(argv[0]);
    if (code <= 0 || static_cast<size_t>(code) >= impl->stringCount()) return;
    const std::string& s = impl->string(static_cast<uint32_t>(code));
    sqlite3_result_text(c, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
}

// fl_addr(raw): address text.
void flAddr(sqlite3_context* c, int, sqlite3_value** argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
    char buf[64];
    const int n = implOf(c)->decodeAddress(sqlite3_value_int64(argv[0]), buf);
    if (n < 0) return;
    sqlite3_result_text(c, buf, n, SQLITE_TRANSIENT);
}

// fl_twin(id): id of the twin record or NULL.
void flTwin(sqlite3_context* c, int, sqlite3_value** argv)
{
    const int64_t t = implOf(c)->twinOf(sqlite3_value_int64(argv[0]));
    if (t > 0) sqlite3_result_int64(c, t);
}

// fl_etwin(ctx, id): the twin id if this is an egress record with a twin, else NULL.
void flEgressTwin(sqlite3_context* c, int, sqlite3_value** argv)
{
    const Store::Impl* impl = implOf(c);
    const sqlite3_int64 ctx = sqlite3_value_int64(argv[0]);
    if (ctx < 0 || static_cast<size_t>(ctx) >= impl->contextCount()) return;
    if (!impl->isEgressContext(static_cast<uint32_t>(ctx))) return;
    const int64_t t = impl->twinOf(sqlite3_value_int64(argv[1]));
    if (t > 0) sqlite3_result_int64(c, t);
}

// fl_visit(visitor, ...): aggregate calling RowVisitor::row for each row. The visitor is
// bound with sqlite3_bind_pointer, so user SQL cannot forge one.
void flVisitStep(sqlite3_context* c, int argc, sqlite3_value** argv)
{
    auto* v = static_cast<RowVisitor*>(sqlite3_value_pointer(argv[0], kRowVisitorType));
    if (v && !v->row(argc, argv)) sqlite3_result_error(c, "cancelled", -1);
}

void flVisitFinal(sqlite3_context* c)
{
    sqlite3_result_null(c);
}

void registerStoreFunctions(sqlite3* db, Store::Impl* impl)
{
    const int det = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    sqlite3_create_function_v2(db, "fl_text", 2, det, impl, flText, nullptr, nullptr, nullptr);
    sqlite3_create_function_v2(db, "fl_str", 1, det, impl, flStr, nullptr, nullptr, nullptr);
    sqlite3_create_function_v2(db, "fl_addr", 1, det, impl, flAddr, nullptr, nullptr, nullptr);
    // twin_id changes when a later load adds the other side: not deterministic.
    sqlite3_create_function_v2(db, "fl_twin", 1, SQLITE_UTF8 | SQLITE_INNOCUOUS, impl, flTwin, nullptr, nullptr, nullptr);
    sqlite3_create_function_v2(db, "fl_etwin", 2, SQLITE_UTF8 | SQLITE_INNOCUOUS, impl, flEgressTwin, nullptr, nullptr, nullptr);
    sqlite3_create_function_v2(db, "fl_visit", -1, SQLITE_UTF8 | SQLITE_DIRECTONLY, impl, nullptr, flVisitStep, flVisitFinal,
                               nullptr);
}

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

// ---- read-only gate for user SQL ----

struct AuthState {
    QString refusal;
    /// SQLite asked to write the schema table (sqlite_schema): a CREATE/DROP follows, whose
    /// own authorizer call gives the specific refusal.
    bool schemaWrite = false;
};

bool isSchemaTable(const char* name)
{
    if (!name) return false;
    for (const char* t : {"sqlite_master", "sqlite_temp_master", "sqlite_schema", "sqlite_temp_schema"})
        if (sqlite3_stricmp(name, t) == 0) return true;
    return false;
}

/// "Creating a table is not allowed: ..." for the CREATE/DROP/ALTER/REINDEX/ANALYZE actions.
QString schemaRefusal(int action)
{
    const char* what = nullptr;
    switch (action) {
    case SQLITE_CREATE_TABLE:
        what = "Creating a table";
        break;
    case SQLITE_CREATE_TEMP_TABLE:
        what = "Creating a temporary table";
        break;
    case SQLITE_CREATE_VIEW:
        what = "Creating a view";
        break;
    case SQLITE_CREATE_TEMP_VIEW:
        what = "Creating a temporary view";
        break;
    case SQLITE_CREATE_INDEX:
        what = "Creating an index";
        break;
    case SQLITE_CREATE_TEMP_INDEX:
        what = "Creating a temporary index";
        break;
    case SQLITE_CREATE_TRIGGER:
        what = "Creating a trigger";
        break;
    case SQLITE_CREATE_TEMP_TRIGGER:
        what = "Creating a temporary trigger";
        break;
    case SQLITE_CREATE_VTABLE:
        what = "Creating a virtual table";
        break;
    case SQLITE_DROP_TABLE:
        what = "Dropping a table";
        break;
    case SQLITE_DROP_TEMP_TABLE:
        what = "Dropping a temporary table";
        break;
    case SQLITE_DROP_VIEW:
        what = "Dropping a view";
        break;
    case SQLITE_DROP_TEMP_VIEW:
        what = "Dropping a temporary view";
        break;
    case SQLITE_DROP_INDEX:
        what = "Dropping an index";
        break;
    case SQLITE_DROP_TEMP_INDEX:
        what = "Dropping a temporary index";
        break;
    case SQLITE_DROP_TRIGGER:
        what = "Dropping a trigger";
        break;
    case SQLITE_DROP_TEMP_TRIGGER:
        what = "Dropping a temporary trigger";
        break;
    case SQLITE_DROP_VTABLE:
        what = "Dropping a virtual table";
        break;
    case SQLITE_ALTER_TABLE:
        what = "Changing a table (ALTER TABLE)";
        break;
    case SQLITE_REINDEX:
        what = "REINDEX";
        break;
    case SQLITE_ANALYZE:
        what = "ANALYZE";
        break;
    default:
        return {};
    }
    return QStringLiteral("%1 is not allowed: queries are read-only.").arg(QLatin1String(what));
}

/// Pragmas whose argument names a table/index (reading only).
bool isReadOnlyPragmaWithArgument(const char* name)
{
    static constexpr const char* kAllowed[] = {"table_info",  "table_xinfo",      "index_list",      "index_info",
                                               "index_xinfo", "foreign_key_list", "integrity_check", "quick_check"};
    if (!name) return false;
    for (const char* a : kAllowed)
        if (sqlite3_stricmp(a, name) == 0) return true;
    return false;
}

bool isReadOnlyPragma(const char* name)
{
    static constexpr const char* kAllowed[] = {
        "table_info",    "table_xinfo",   "table_list",      "index_list",     "index_info",      "index_xinfo",
        "function_list", "pragma_list",   "module_list",     "collation_list", "compile_options", "foreign_key_list",
        "page_count",    "page_size",     "freelist_count",  "encoding",       "user_version",    "schema_version",
        "data_version",  "database_list", "integrity_check", "quick_check"};
    if (!name) return false;
    for (const char* a : kAllowed)
        if (sqlite3_stricmp(a, name) == 0) return true;
    return false;
}

int authorize(void* user, int action, const char* a1, const char* a2, const char*, const char*)
{
    auto* st = static_cast<AuthState*>(user);
    auto refuse = [&](const QString& why) {
        if (st->refusal.isEmpty()) st->refusal = why;
        return SQLITE_DENY;
    };
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_FUNCTION:
        if (a2
            && (sqlite3_stricmp(a2, "load_extension") == 0 || sqlite3_stricmp(a2, "fl_visit") == 0
                || sqlite3_stricmp(a2, "fts3_tokenizer") == 0))
            return refuse(QStringLiteral("The function %1() is not allowed in queries.").arg(QString::fromUtf8(a2)));
        return SQLITE_OK;
    case SQLITE_PRAGMA:
        if (a2 == nullptr ? isReadOnlyPragma(a1) : isReadOnlyPragmaWithArgument(a1)) return SQLITE_OK;
        return refuse(QStringLiteral("PRAGMA %1 is not allowed: queries are read-only.").arg(QString::fromUtf8(a1 ? a1 : "")));
    case SQLITE_ATTACH:
        return refuse(QStringLiteral("ATTACH is not allowed: queries cannot open other databases or files."));
    case SQLITE_DETACH:
        return refuse(QStringLiteral("DETACH is not allowed: queries are read-only."));
    case SQLITE_INSERT:
        if (isSchemaTable(a1)) { // CREATE ...: refused by the CREATE action that follows
            st->schemaWrite = true;
            return SQLITE_OK;
        }
        return refuse(QStringLiteral("INSERT is not allowed: queries are read-only."));
    case SQLITE_UPDATE:
        // Connecting table-valued pragmas (pragma_table_info(...)) reports schema-column
        // "updates"; the statement is still checked with sqlite3_stmt_readonly() afterwards.
        if (a1 && (sqlite3_stricmp(a1, "sqlite_master") == 0 || sqlite3_stricmp(a1, "sqlite_temp_master") == 0)) return SQLITE_OK;
        return refuse(QStringLiteral("UPDATE is not allowed: queries are read-only."));
    case SQLITE_DELETE:
        if (isSchemaTable(a1)) { // DROP ...: refused by the DROP action that follows
            st->schemaWrite = true;
            return SQLITE_OK;
        }
        return refuse(QStringLiteral("DELETE is not allowed: queries are read-only."));
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT:
        return refuse(QStringLiteral("Transactions are not allowed: queries are read-only."));
    default:
        if (action == SQLITE_CREATE_TABLE && a1 && sqlite3_strnicmp(a1, "sqlite_stat", 11) == 0)
            return refuse(schemaRefusal(SQLITE_ANALYZE)); // ANALYZE first creates sqlite_stat1
        if (const QString schema = schemaRefusal(action); !schema.isEmpty()) return refuse(schema);
        return refuse(QStringLiteral("Only SELECT queries are allowed: this statement would change the store or touch files."));
    }
}

bool onlyWhitespaceOrComments(const char* p)
{
    while (*p) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == ';') {
            ++p;
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n') ++p;
        } else if (p[0] == '/' && p[1] == '*') {
            const char* e = std::strstr(p + 2, "*/");
            if (!e) return true; // an unterminated comment is still a comment
            p = e + 2;
        } else {
            return false;
        }
    }
    return true;
}

} // namespace

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
    registerStoreFunctions(db, store->m_impl.get());
    registerSqlFunctions(db);
    sqlite3_progress_handler(db, kCancelPollSteps, pollCancel, nullptr);
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

Result<Statement> Store::prepareUserQuery(const QString& sql) const
{
    const QByteArray u = sql.toUtf8();
    AuthState auth;
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = SQLITE_OK;
    QString message;
    {
        // The authorizer is per connection: hold the connection mutex so no other thread's
        // trusted prepare runs under it.
        sqlite3_mutex* mutex = sqlite3_db_mutex(m_db);
        sqlite3_mutex_enter(mutex);
        sqlite3_set_authorizer(m_db, authorize, &auth);
        rc = sqlite3_prepare_v3(m_db, u.constData(), static_cast<int>(u.size()), 0, &stmt, &tail);
        if (rc != SQLITE_OK) message = sqliteError(m_db);
        sqlite3_set_authorizer(m_db, nullptr, nullptr);
        sqlite3_mutex_leave(mutex);
    }
    auto fail = [&](const QString& why) -> Result<Statement> {
        if (stmt) sqlite3_finalize(stmt);
        return Error{{}, 0, 0, why};
    };
    const QString schemaRefused = QStringLiteral("Changing the schema (sqlite_schema) is not allowed: queries are read-only.");
    if (rc == SQLITE_INTERRUPT) return fail(QStringLiteral("interrupted"));
    if (rc != SQLITE_OK) {
        if (!auth.refusal.isEmpty()) return fail(auth.refusal);
        if (auth.schemaWrite) // e.g. INSERT INTO sqlite_schema, refused by SQLite itself
            return fail(schemaRefused);
        return fail(QStringLiteral("SQL error: %1").arg(message));
    }
    if (auth.schemaWrite) // a schema write that no CREATE/DROP action refused: never run it
        return fail(schemaRefused);
    if (!stmt) return fail(QStringLiteral("The query is empty."));
    if (tail && !onlyWhitespaceOrComments(tail))
        return fail(QStringLiteral("Only one SQL statement is allowed; remove the text after the first ';'."));
    if (!sqlite3_stmt_readonly(stmt))
        return fail(QStringLiteral("Only read-only queries are allowed: this statement would change the store or write a file."));
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
