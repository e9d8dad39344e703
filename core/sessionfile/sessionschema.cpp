// The expected schema of session files and the checks of untrusted ones.
#include "core/sessionfile/sessionschema.h"

#include "core/store/store.h"
#include "core/store/store_impl.h"

#include <sqlite3.h>

#include <QRegularExpression>
#include <algorithm>

namespace core {

QString sessionTablesDdl(int version)
{
    QString ddl =
        QStringLiteral("CREATE TABLE fl_meta(key TEXT PRIMARY KEY, value);"
                       "CREATE TABLE fl_strings(code INTEGER PRIMARY KEY, value BLOB NOT NULL);"
                       "CREATE TABLE fl_contexts(ctx INTEGER PRIMARY KEY, codes BLOB NOT NULL);"
                       "CREATE TABLE fl_twins(chunk INTEGER PRIMARY KEY, ids BLOB NOT NULL);"
                       "CREATE TABLE fl_waiting(seq INTEGER PRIMARY KEY, twin_key INTEGER NOT NULL, id INTEGER NOT NULL,"
                       " ingress INTEGER NOT NULL);");
    if (version >= 2)
        ddl += QStringLiteral("CREATE TABLE fl_rejections(seq INTEGER PRIMARY KEY, file TEXT, line INTEGER, reason TEXT,"
                              " raw TEXT);");
    if (version >= 4) // the typed columns as byte parts, each in chunks (core/store/columns_serial.cpp)
        ddl += QStringLiteral("CREATE TABLE fl_blobs(seq INTEGER PRIMARY KEY, name TEXT NOT NULL, chunk INTEGER NOT NULL,"
                              " data BLOB NOT NULL);");
    return ddl;
}

Result<std::vector<SchemaObject>> readSchema(sqlite3* db)
{
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM main.sqlite_master", -1, &st, nullptr) != SQLITE_OK)
        return Error{{}, 0, 0, QString::fromUtf8(sqlite3_errmsg(db))};
    std::vector<SchemaObject> out;
    auto text = [st](int col) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, col));
        return p ? QString::fromUtf8(p, sqlite3_column_bytes(st, col)) : QString();
    };
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        out.push_back({text(0), text(1), text(2), text(3)});
        if (out.size() > 10000) break;
    }
    const QString message = QString::fromUtf8(sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return Error{{}, 0, 0, message};
    std::sort(out.begin(), out.end());
    return out;
}

Result<std::vector<SchemaObject>> expectedSessionSchema(int extras, int version)
{
    auto created = Store::create();
    if (!created) return created.error();
    const Store& scratch = *created.value();
    QString sql = QStringLiteral("DROP VIEW IF EXISTS flows; DROP VIEW IF EXISTS flows_x;");
    if (version >= 4) { // the records are in fl_blobs: no flow_data at all
        sql += QStringLiteral("DROP TABLE flow_data;");
    } else { // files of format 3 and older hold the real table
        if (auto st = scratch.impl().useFlowDataTable(); !st.ok()) return st.error();
        for (int i = 0; i < extras; ++i) sql += QStringLiteral("ALTER TABLE flow_data ADD COLUMN e_%1 INTEGER;").arg(i);
    }
    sql += sessionTablesDdl(version);
    if (auto st = scratch.exec(sql); !st.ok()) return st.error();
    return readSchema(scratch.handle());
}

int extraColumnsIn(const std::vector<SchemaObject>& schema)
{
    for (const SchemaObject& o : schema) {
        if (o.type != QLatin1String("table") || o.name != QLatin1String("flow_data")) continue;
        static const QRegularExpression re(QStringLiteral("\\be_[0-9]+ INTEGER"));
        int n = 0;
        for (auto it = re.globalMatch(o.sql); it.hasNext(); it.next()) ++n;
        return n <= kMaxExtras ? n : -1;
    }
    return -1;
}

std::optional<QString> schemaDifference(const std::vector<SchemaObject>& actual, const std::vector<SchemaObject>& expected)
{
    auto kindOf = [](const SchemaObject& o) {
        if (o.type == QLatin1String("table")) return QStringLiteral("table");
        if (o.type == QLatin1String("view")) return QStringLiteral("view");
        if (o.type == QLatin1String("trigger")) return QStringLiteral("trigger");
        if (o.type == QLatin1String("index")) return QStringLiteral("index");
        return QStringLiteral("schema object");
    };
    // Triggers and views first: they are the hostile ones, name them even if more differs.
    for (const QString& type : {QStringLiteral("trigger"), QStringLiteral("view")})
        for (const SchemaObject& a : actual)
            if (a.type == type)
                return QStringLiteral("it contains a %1 ('%2'), which session files never have").arg(type, a.name.left(80));
    for (const SchemaObject& a : actual) {
        const auto it = std::find_if(expected.begin(), expected.end(), [&](const SchemaObject& e) { return e.name == a.name; });
        if (it == expected.end()) return QStringLiteral("it contains an unexpected %1 ('%2')").arg(kindOf(a), a.name.left(80));
        if (!(*it == a)) return QStringLiteral("its %1 '%2' differs from the expected definition").arg(kindOf(*it), a.name);
    }
    for (const SchemaObject& e : expected) {
        const auto it = std::find_if(actual.begin(), actual.end(), [&](const SchemaObject& a) { return a.name == e.name; });
        if (it == actual.end()) return QStringLiteral("the %1 '%2' is missing").arg(kindOf(e), e.name);
    }
    return std::nullopt;
}

namespace {

int readOnlyAuthorizer(void*, int action, const char* a1, const char*, const char*, const char*)
{
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
        return SQLITE_OK;
    case SQLITE_PRAGMA:
        for (const char* p : {"quick_check", "user_version", "application_id", "page_count", "page_size"})
            if (a1 && sqlite3_stricmp(a1, p) == 0) return SQLITE_OK;
        return SQLITE_DENY;
    default:
        return SQLITE_DENY;
    }
}

} // namespace

void hardenReadConnection(sqlite3* db)
{
    // Each b-tree page's cells are checked against the page as it is read (SQLite's advice for
    // untrusted files, https://www.sqlite.org/security.html); set before the authorizer.
    sqlite3_exec(db, "PRAGMA cell_size_check=ON", nullptr, nullptr, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_set_authorizer(db, readOnlyAuthorizer, nullptr);
}

} // namespace core
