// The two forms of flow_data (see store_impl.h): its column definitions, the real table's DDL,
// which form a store has, re-declaring the virtual one when extras come or go, turning an empty
// store's into a real table, and writing a virtual one out as a real table (session files).
#include "core/store/store_impl.h"

#include <sqlite3.h>

#include <chrono>
#include <thread>

namespace core {

namespace {

std::atomic<FlowDataKind> g_defaultKind{FlowDataKind::Virtual};

Status execOn(sqlite3* db, const QString& sql)
{
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.toUtf8().constData(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        const QString m = err ? QString::fromUtf8(err) : QString::fromUtf8(sqlite3_errstr(rc));
        sqlite3_free(err);
        return Error{{}, 0, rc, QStringLiteral("SQL error: %1").arg(m)};
    }
    return Ok{};
}

QString addExtrasSql(int from, int to)
{
    QString sql;
    for (int i = from; i < to; ++i) sql += QStringLiteral("ALTER TABLE flow_data ADD COLUMN e_%1 INTEGER;").arg(i);
    return sql;
}

int pollFlag(void* flag)
{
    return static_cast<const std::atomic<bool>*>(flag)->load(std::memory_order_relaxed) ? 1 : 0;
}

} // namespace

void setDefaultFlowDataKind(FlowDataKind kind)
{
    g_defaultKind.store(kind);
}

FlowDataKind defaultFlowDataKind()
{
    return g_defaultKind.load();
}

QString flowDataColumnDefinitions(int extras)
{
    // The spacing is the real table's since its first version: session files hold this text and
    // are checked against it.
    const SchemaSlots& slots = SchemaSlots::get();
    QString defs = QStringLiteral("id INTEGER PRIMARY KEY, ctx INTEGER");
    for (FieldId f : slots.intFields) defs += QStringLiteral(",\"%1\" INTEGER").arg(QLatin1String(fieldInfo(f).column));
    for (FieldId f : slots.addrFields) defs += QStringLiteral(",\"a_%1\" INTEGER").arg(QLatin1String(fieldInfo(f).column));
    defs += QStringLiteral(", file_id INTEGER, line INTEGER");
    for (int i = 0; i < extras; ++i) defs += QStringLiteral(", e_%1 INTEGER").arg(i);
    return defs;
}

QString flowDataTableSql()
{
    return QStringLiteral("CREATE TABLE flow_data(") + flowDataColumnDefinitions(0) + QLatin1Char(')');
}

void Store::Impl::refreshFlowDataKind()
{
    sqlite3_stmt* st = nullptr;
    bool isVirtual = false;
    if (sqlite3_prepare_v2(m_db, "SELECT sql FROM main.sqlite_schema WHERE type = 'table' AND name = 'flow_data'", -1, &st,
                           nullptr)
            == SQLITE_OK
        && sqlite3_step(st) == SQLITE_ROW) {
        const auto* sql = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        isVirtual = sql && sqlite3_strnicmp(sql, "CREATE VIRTUAL TABLE", 20) == 0;
    }
    sqlite3_finalize(st);
    m_virtual.store(isVirtual, std::memory_order_release);
}

Status Store::Impl::redeclareFlowData(int extras)
{
    // DROP fails (SQLITE_LOCKED) while another thread's statement has a cursor open on the table
    // (stepped, not yet reset): let it finish, off the connection mutex, and try again.
    sqlite3_mutex* mutex = sqlite3_db_mutex(m_db);
    for (int attempt = 0;; ++attempt) {
        Status st = execOn(m_db, QStringLiteral("DROP TABLE IF EXISTS flow_data"));
        if (st.ok()) break;
        if (st.error().column != SQLITE_LOCKED || attempt >= 20000) return st;
        sqlite3_mutex_leave(mutex);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        sqlite3_mutex_enter(mutex);
    }
    return execOn(m_db, QStringLiteral("CREATE VIRTUAL TABLE flow_data USING fl_columns(%1)").arg(extras));
}

Status Store::Impl::useFlowDataTable()
{
    sqlite3_mutex* mutex = sqlite3_db_mutex(m_db);
    sqlite3_mutex_enter(mutex);
    Status st = Ok{};
    if (m_nextId != 1 || m_columns.rows() != 0) {
        st = Error{{}, 0, 0, QStringLiteral("flow_data can only become a table while the store is empty.")};
    } else if (m_virtual.load()) {
        int extras = 0;
        {
            std::lock_guard<std::mutex> lock(m_extraLock);
            extras = m_extraColumnsInTable;
        }
        st = execOn(m_db,
                    QStringLiteral("DROP TABLE flow_data;") + flowDataTableSql() + QLatin1Char(';') + addExtrasSql(0, extras));
        if (st.ok()) {
            m_virtual.store(false);
            st = rebuildViews();
        }
    }
    sqlite3_mutex_leave(mutex);
    return st;
}

Status Store::Impl::writeFlowDataTable(sqlite3* out, const std::atomic<bool>* cancel) const
{
    int extras = 0;
    {
        std::lock_guard<std::mutex> lock(m_extraLock);
        extras = m_extraColumnsInTable;
    }
    // The module on `out` reads this store's columns; the caller's write lock keeps them still.
    if (sqlite3_create_module_v2(out, "fl_columns", flowDataModule(), const_cast<Store::Impl*>(this), nullptr) != SQLITE_OK)
        return Error{{}, 0, sqlite3_errcode(out), QString::fromUtf8(sqlite3_errmsg(out))};
    Status st = execOn(out, QStringLiteral("DROP TABLE IF EXISTS main.flow_data;") + flowDataTableSql() + QLatin1Char(';')
                                + addExtrasSql(0, extras)
                                + QStringLiteral("CREATE VIRTUAL TABLE temp.fl_rows USING fl_columns(%1);").arg(extras));
    if (!st.ok()) return st;
    if (cancel) sqlite3_progress_handler(out, 10000, pollFlag, const_cast<std::atomic<bool>*>(cancel));
    // Rows arrive in id order: SQLite appends to the table's B-tree.
    st = execOn(out, QStringLiteral("INSERT INTO main.flow_data SELECT * FROM temp.fl_rows"));
    sqlite3_progress_handler(out, 0, nullptr, nullptr);
    if (cancel && cancel->load()) return Error{{}, 0, 0, QStringLiteral("cancelled")};
    if (!st.ok()) return st;
    return execOn(out, QStringLiteral("DROP TABLE temp.fl_rows"));
}

} // namespace core
