#pragma once
// The DuckDB side of the Parquet reader (parquet.cpp): the process's one sandboxed engine, RAII
// owners of the C API's handles, queries on a file handed over as /proc/self/fd/<n>, and the
// SQL function flowlog_rows() through which DuckDB hands each chunk of a file's rows to the
// reader (streamChunks). Only in builds with DuckDB (FLOWLOG_PARQUET); internal to core/ingest.
#include <QString>

#include <duckdb.h>

#include <functional>
#include <string>
#include <string_view>

namespace core::parquet {

/// DuckDB may open only this folder: each file is handed over as /proc/self/fd/<n> of a file we
/// opened, so a file name can hold any character (no globbing, no URLs, no '~').
inline constexpr const char* kFdFolder = "/proc/self/fd/";

/// The process's one DuckDB instance: creating one costs about 70 ms, a query on it about
/// 2 ms, so files share it (each read opens its own connection). Sandboxed: reads only
/// /proc/self/fd/*, never loads or installs extensions, configuration locked. flowlog_rows()
/// is registered before the lock. Any thread; the first call creates it.
class Engine {
public:
    static Engine& instance();
    bool ok() const { return m_db != nullptr; }
    /// Why the engine is not available (empty when ok()).
    const QString& error() const { return m_error; }
    duckdb_database db() const { return m_db; }

    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

private:
    Engine();
    ~Engine();

    duckdb_database m_db = nullptr;
    QString m_error;
};

/// RAII owners of the C API's handles.
struct Connection {
    duckdb_connection handle = nullptr;
    ~Connection()
    {
        if (handle) duckdb_disconnect(&handle);
    }
};
struct QueryResult {
    duckdb_result result{};
    bool live = false;
    ~QueryResult()
    {
        if (live) duckdb_destroy_result(&result);
    }
};
struct Chunk {
    duckdb_data_chunk handle = nullptr;
    ~Chunk()
    {
        if (handle) duckdb_destroy_data_chunk(&handle);
    }
};

/// Runs `sql` (materialised) with $1 bound to `fdPath`. Empty string on success, else DuckDB's
/// reason (see cleanError).
QString runQuery(duckdb_connection con, const char* sql, const std::string& fdPath, QueryResult& out);

/// DuckDB's error text without the SQL echo ("LINE 1: ...") and the error kind, with the fd path
/// replaced by "the file" (the caller's Error names the file).
QString cleanError(const char* text, const std::string& fdPath);

/// A VARCHAR cell; the view lives as long as its chunk. Inlined (up to 12 bytes) or pointed to,
/// read from duckdb_string_t's documented layout (the accessor functions cost a call per cell).
inline std::string_view stringAt(void* data, idx_t row)
{
    const auto& s = static_cast<const duckdb_string_t*>(data)[row];
    const uint32_t n = s.value.inlined.length;
    return {n <= 12 ? s.value.inlined.inlined : s.value.pointer.ptr, n};
}

/// Text of a VARCHAR cell in the first row of a materialised result (empty if none or NULL).
QString firstRowText(duckdb_result& r, idx_t col);

/// Receives one chunk of rows; column 0 is flowlog_rows()'s token, the selected columns follow.
/// False stops the query (the receiver keeps its own reason). Called on the query's thread.
using ChunkReceiver = std::function<bool(duckdb_data_chunk chunk)>;

/// Runs `SELECT count(flowlog_rows(<token>, <columns>)) <fromWhere>` with $1 bound to `fdPath`:
/// DuckDB decodes and calls `receive` with each chunk (up to 2048 rows) as it leaves the scan,
/// in file order (one thread); only the count comes back as a result. This skips the copy of
/// every chunk into a query result that fetching rows costs (about 15 % of DuckDB's CPU on 1M
/// TGW rows). The token is a number from a mutex-guarded registry, never a pointer taken from
/// SQL. Returns DuckDB's error text (also after `receive` returned false), empty when done.
QString streamChunks(duckdb_connection con, const std::string& columns, const std::string& fromWhere, const std::string& fdPath,
                     const ChunkReceiver& receive);

} // namespace core::parquet
