#pragma once
// The DuckDB side of the Parquet reader (parquet.cpp): the process's one sandboxed engine, RAII
// owners of the C API's handles, queries on a file handed over as /proc/self/fd/<n>, and the
// ChunkPump that fetches a streaming query's chunks while the reader maps the previous ones
// (streamChunks). Only in builds with DuckDB (FLOWLOG_PARQUET); internal to core/ingest.
#include <QString>

#include <duckdb.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace core::parquet {

/// DuckDB may open only this folder: each file is handed over as /proc/self/fd/<n> of a file we
/// opened, so a file name can hold any character (no globbing, no URLs, no '~').
inline constexpr const char* kFdFolder = "/proc/self/fd/";

/// The process's one DuckDB instance: creating one costs about 70 ms, a query on it about
/// 2 ms, so files share it (each read opens its own connection). Sandboxed: reads only
/// /proc/self/fd/*, never loads or installs extensions, configuration locked. Any thread; the
/// first call creates it.
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
struct Prepared {
    duckdb_prepared_statement handle = nullptr;
    ~Prepared()
    {
        if (handle) duckdb_destroy_prepare(&handle);
    }
};
struct Pending {
    duckdb_pending_result handle = nullptr;
    ~Pending()
    {
        if (handle) duckdb_destroy_pending(&handle);
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

/// Hands out a streaming result's chunks in order. On a machine with more than one core they are
/// fetched on a thread of its own, so DuckDB decodes the next chunks while the caller maps the
/// last one into records (as gzip text is inflated on a thread of its own); at most kDepth
/// chunks of up to 2048 rows wait (memory stays bounded). With one core the caller fetches.
/// The result (and its connection) must outlive the pump and must not be used by anyone else
/// while it lives; stopping it (destruction) waits for at most the chunk being fetched.
class ChunkPump {
public:
    explicit ChunkPump(duckdb_result& result);
    ~ChunkPump();
    ChunkPump(const ChunkPump&) = delete;
    ChunkPump& operator=(const ChunkPump&) = delete;

    /// The next chunk (the caller owns it and destroys it), or null at the end, with `error`
    /// set to DuckDB's raw error text if the query failed (empty when it simply ended).
    duckdb_data_chunk next(std::string& error);

    /// Chunks fetched ahead at most (4 x 2048 rows: a few MB).
    static constexpr size_t kDepth = 4;

    /// Tests: false makes new pumps fetch on the caller's thread, as on one core (default true).
    static void setThreaded(bool on);

private:
    struct Shared;
    void run();

    duckdb_result& m_result;
    std::unique_ptr<Shared> m_shared; ///< null: the caller fetches (one core)
};

/// Receives one chunk of rows (column 0 is a placeholder, the selected columns follow). False
/// stops the query (the receiver keeps its own reason). Called on the caller's thread.
using ChunkReceiver = std::function<bool(duckdb_data_chunk chunk)>;

/// Runs `SELECT 0, <columns> <fromWhere>` with $1 bound to `fdPath` as a streaming query
/// through a ChunkPump: `receive` gets each chunk (up to 2048 rows) in file order on the calling
/// thread while the next ones are decoded. Returns DuckDB's error text (also when it failed
/// after some chunks), empty when done or when `receive` returned false.
QString streamChunks(duckdb_connection con, const std::string& columns, const std::string& fromWhere, const std::string& fdPath,
                     const ChunkReceiver& receive);

} // namespace core::parquet
