// DuckDB for the Parquet reader: the sandboxed engine, queries, and the flowlog_rows() SQL
// function with its token registry (see parquet_duckdb.h).
#ifdef FLOWLOG_PARQUET
#include "core/ingest/parquet_duckdb.h"

#include <QRegularExpression>

#include <cstring>
#include <exception>
#include <mutex>
#include <unordered_map>

namespace core::parquet {

namespace {

/// DuckDB calls this (SQL function flowlog_rows) with each chunk of a file's rows.
void takeRows(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output);

/// flowlog_rows(token, columns...): hands each chunk to the receiver registered under `token`
/// (volatile, so never folded or skipped; nulls passed through). Database-wide.
bool registerRowFunction(duckdb_connection con)
{
    duckdb_scalar_function f = duckdb_create_scalar_function();
    duckdb_scalar_function_set_name(f, "flowlog_rows");
    duckdb_logical_type any = duckdb_create_logical_type(DUCKDB_TYPE_ANY);
    duckdb_scalar_function_set_varargs(f, any);
    duckdb_destroy_logical_type(&any);
    duckdb_logical_type boolean = duckdb_create_logical_type(DUCKDB_TYPE_BOOLEAN);
    duckdb_scalar_function_set_return_type(f, boolean);
    duckdb_destroy_logical_type(&boolean);
    duckdb_scalar_function_set_function(f, &takeRows);
    duckdb_scalar_function_set_volatile(f);
    duckdb_scalar_function_set_special_handling(f);
    const bool ok = duckdb_register_scalar_function(con, f) == DuckDBSuccess;
    duckdb_destroy_scalar_function(&f);
    return ok;
}

struct Prepared {
    duckdb_prepared_statement handle = nullptr;
    ~Prepared()
    {
        if (handle) duckdb_destroy_prepare(&handle);
    }
};

/// Reads are found by the token their query passes to flowlog_rows() (a number, never a pointer
/// taken from SQL): DuckDB runs the query on the calling thread (threads=1), but the registry
/// does not rely on it.
struct Receivers {
    std::mutex mutex;
    std::unordered_map<int64_t, const ChunkReceiver*> byToken;
    int64_t next = 0;
};
Receivers& receivers()
{
    static Receivers r;
    return r;
}

void takeRows(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output)
{
    const idx_t n = duckdb_data_chunk_get_size(input);
    std::memset(duckdb_vector_get_data(output), 0, n * sizeof(bool));
    if (n == 0) return;
    const auto* token = static_cast<const int64_t*>(duckdb_vector_get_data(duckdb_data_chunk_get_vector(input, 0)));
    const ChunkReceiver* receive = nullptr;
    {
        Receivers& all = receivers();
        const std::lock_guard<std::mutex> lock(all.mutex);
        const auto it = all.byToken.find(token[0]);
        if (it != all.byToken.end()) receive = it->second;
    }
    if (!receive) {
        duckdb_scalar_function_set_error(info, "no read for this token");
        return;
    }
    try {
        if (!(*receive)(input)) duckdb_scalar_function_set_error(info, "stopped");
    } catch (const std::exception& e) { // no exception may cross DuckDB's C boundary
        duckdb_scalar_function_set_error(info, e.what());
    }
}

} // namespace

Engine& Engine::instance()
{
    static Engine engine;
    return engine;
}

Engine::Engine()
{
    const QString linked = QString::fromLatin1(duckdb_library_version());
    const QString built = QStringLiteral(FLOWLOG_DUCKDB_VERSION);
    if (!built.isEmpty() && linked != built) {
        m_error = QStringLiteral("DuckDB library %1 does not match the header %2 this build used (rerun .ci/install-duckdb)")
                      .arg(linked, built);
        return;
    }
    duckdb_config config = nullptr;
    if (duckdb_create_config(&config) != DuckDBSuccess) {
        m_error = QStringLiteral("DuckDB: cannot create a configuration");
        return;
    }
    // One thread: rows then come in file order, and measured on 1M TGW records two threads
    // cost more CPU (3.1 s vs 2.8 s per load) without loading faster on two cores that the
    // parse and store threads already use.
    duckdb_set_config(config, "threads", "1");
    duckdb_set_config(config, "memory_limit", "1GB");
    duckdb_set_config(config, "autoinstall_known_extensions", "false");
    duckdb_set_config(config, "autoload_known_extensions", "false");
    // No cache of file bytes across queries: every file is read as /proc/self/fd/N, and a number
    // reused for another file of the same size and modification second was served the previous
    // file's cached blocks (tst_parquet_damage failed 4 runs in 8 under ASan's timing).
    duckdb_set_config(config, "enable_external_file_cache", "false");
    char* openError = nullptr;
    duckdb_database db = nullptr;
    const bool opened = duckdb_open_ext(nullptr, &db, config, &openError) == DuckDBSuccess;
    duckdb_destroy_config(&config);
    if (!opened) {
        m_error = QStringLiteral("DuckDB: %1").arg(QString::fromUtf8(openError ? openError : "cannot open"));
        duckdb_free(openError);
        return;
    }
    duckdb_connection con = nullptr;
    if (duckdb_connect(db, &con) != DuckDBSuccess) {
        m_error = QStringLiteral("DuckDB: cannot connect");
        duckdb_close(&db);
        return;
    }
    if (!registerRowFunction(con)) {
        m_error = QStringLiteral("DuckDB: cannot register the row reader function");
        duckdb_disconnect(&con);
        duckdb_close(&db);
        return;
    }
    const std::string allowed = std::string("SET allowed_directories=['") + kFdFolder + "']";
    for (const char* sql : {allowed.c_str(), "SET enable_external_access=false", "SET lock_configuration=true"}) {
        duckdb_result r;
        const bool done = duckdb_query(con, sql, &r) == DuckDBSuccess;
        if (!done) m_error = QStringLiteral("DuckDB: %1").arg(QString::fromUtf8(duckdb_result_error(&r)));
        duckdb_destroy_result(&r);
        if (!done) break;
    }
    duckdb_disconnect(&con);
    if (!m_error.isEmpty()) {
        duckdb_close(&db);
        return;
    }
    m_db = db;
}

Engine::~Engine()
{
    if (m_db) duckdb_close(&m_db);
}

QString cleanError(const char* text, const std::string& fdPath)
{
    QString s = QString::fromUtf8(text ? text : "unknown error");
    const qsizetype nl = s.indexOf(QLatin1Char('\n'));
    if (nl >= 0) s.truncate(nl);
    static const QRegularExpression kind(QStringLiteral("^[A-Za-z ]{1,40} Error: ")); // "Invalid Input Error: "
    s.remove(kind);
    const QString fd = QString::fromStdString(fdPath);
    s.replace(QStringLiteral(" '") + fd + QLatin1Char('\''), QString());
    s.replace(QLatin1Char('"') + fd + QLatin1Char('"'), QStringLiteral("the file"));
    s.replace(fd, QStringLiteral("the file"));
    return s.trimmed();
}

QString runQuery(duckdb_connection con, const char* sql, const std::string& fdPath, QueryResult& out)
{
    Prepared p;
    if (duckdb_prepare(con, sql, &p.handle) != DuckDBSuccess) return cleanError(duckdb_prepare_error(p.handle), fdPath);
    if (duckdb_bind_varchar(p.handle, 1, fdPath.c_str()) != DuckDBSuccess) return QStringLiteral("cannot bind the file");
    const duckdb_state st = duckdb_execute_prepared(p.handle, &out.result);
    out.live = true;
    if (st != DuckDBSuccess) return cleanError(duckdb_result_error(&out.result), fdPath);
    return {};
}

QString firstRowText(duckdb_result& r, idx_t col)
{
    Chunk c;
    c.handle = duckdb_result_get_chunk(r, 0);
    if (!c.handle || duckdb_data_chunk_get_size(c.handle) == 0) return {};
    duckdb_vector v = duckdb_data_chunk_get_vector(c.handle, col);
    uint64_t* valid = duckdb_vector_get_validity(v);
    if (valid && !duckdb_validity_row_is_valid(valid, 0)) return {};
    const std::string_view t = stringAt(duckdb_vector_get_data(v), 0);
    return QString::fromUtf8(t.data(), static_cast<qsizetype>(t.size()));
}

QString streamChunks(duckdb_connection con, const std::string& columns, const std::string& fromWhere, const std::string& fdPath,
                     const ChunkReceiver& receive)
{
    Receivers& all = receivers();
    int64_t token = 0;
    {
        const std::lock_guard<std::mutex> lock(all.mutex);
        token = ++all.next;
        all.byToken[token] = &receive;
    }
    const std::string sql = "SELECT count(flowlog_rows(" + std::to_string(token) + "::BIGINT, " + columns + "))" + fromWhere;
    QueryResult result;
    QString e = runQuery(con, sql.c_str(), fdPath, result);
    {
        const std::lock_guard<std::mutex> lock(all.mutex);
        all.byToken.erase(token);
    }
    return e;
}

} // namespace core::parquet

#endif
