// The read-only gate for user SQL: an authorizer that refuses writes, schema changes,
// ATTACH, state-changing PRAGMAs and load_extension, and Store::prepareUserQuery using it.
#include "core/store/store.h"

#include <sqlite3.h>

#include <QByteArray>
#include <cctype>
#include <cstring>

namespace core {

namespace {

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
    case SQLITE_READ:
        // A table-valued pragma (pragma_optimize) runs its PRAGMA while stepping, unchecked.
        if (a1 && sqlite3_strnicmp(a1, "pragma_", 7) == 0 && !isReadOnlyPragma(a1 + 7))
            return refuse(QStringLiteral("PRAGMA %1 is not allowed: queries are read-only.").arg(QString::fromUtf8(a1 + 7)));
        return SQLITE_OK;
    case SQLITE_SELECT:
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

/// The refusal for SQLite's own "table X may not be modified" or "virtual tables may not be
/// altered" (a write to the virtual flow_data, which SQLite refuses before asking the authorizer): worded like the authorizer's,
/// by the statement's first keyword. Empty for another message or a schema table (SQLite's words stay).
QString readOnlyTableRefusal(const QString& message, const char* sql)
{
    static const QLatin1String kTail(" may not be modified");
    if (message == QLatin1String("virtual tables may not be altered")) return schemaRefusal(SQLITE_ALTER_TABLE);
    if (!message.startsWith(QLatin1String("table ")) || !message.endsWith(kTail)) return {};
    const QString table = message.mid(6, message.size() - 6 - kTail.size());
    if (isSchemaTable(table.toUtf8().constData())) return {};
    const char* p = sql;
    for (;;) { // past white space and comments
        if (std::isspace(static_cast<unsigned char>(*p))) {
            ++p;
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n') ++p;
        } else if (p[0] == '/' && p[1] == '*') {
            const char* end = std::strstr(p + 2, "*/");
            p = end ? end + 2 : p + std::strlen(p);
        } else {
            break;
        }
    }
    const char* e = p;
    while (std::isalpha(static_cast<unsigned char>(*e))) ++e;
    const QString verb = QString::fromLatin1(p, static_cast<qsizetype>(e - p)).toUpper();
    if (verb == QLatin1String("DELETE") || verb == QLatin1String("UPDATE") || verb == QLatin1String("INSERT")
        || verb == QLatin1String("REPLACE"))
        return QStringLiteral("%1 is not allowed: queries are read-only.").arg(verb);
    return QStringLiteral("Changing %1 is not allowed: queries are read-only.").arg(table);
}

} // namespace

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
        if (rc != SQLITE_OK) message = QString::fromUtf8(sqlite3_errmsg(m_db));
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
        if (const QString refusal = readOnlyTableRefusal(message, u.constData()); !refusal.isEmpty()) return fail(refusal);
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

} // namespace core
