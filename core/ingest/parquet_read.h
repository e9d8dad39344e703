#pragma once
// One Parquet file's read (parquet.cpp), shared by readParquetFile() and the grouped reading of
// many files in one query (parquet_group.cpp): the footer's facts, the query plan from the
// schema, the rows through RowMapper, and the re-reading row group by row group after damage.
// Only in builds with DuckDB (FLOWLOG_PARQUET); internal to core/ingest.
#include "core/ingest/ingest.h"
#include "core/ingest/parquet_duckdb.h"
#include "core/ingest/parquet_rows.h"

#include <QFile>
#include <QString>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace core::parquet {

/// A row group from the footer: its first row (0-based) in the file and its row count.
struct RowGroup {
    qint64 first = 0;
    qint64 rows = 0;
};

/// What a file's footer says: its row groups (in file order), their rows added up, its codecs.
struct FileFacts {
    std::vector<RowGroup> groups;
    qint64 totalRows = 0;
    QString codecs; ///< "GZIP", "GZIP+SNAPPY" (sorted), empty if none
};

/// Gathers FileFacts from parquet_metadata() rows (one per column chunk).
struct FactsBuilder {
    std::map<int64_t, int64_t> groupRows; ///< row group id -> rows
    std::set<std::string> codecs;
    /// Adds row `r` of a chunk whose columns `col`, `col + 1`, `col + 2` are row_group_id and
    /// row_group_num_rows (BIGINT) and compression (VARCHAR).
    void add(duckdb_data_chunk chunk, idx_t col, idx_t r);
    FileFacts facts() const;
};

/// How a file's columns are selected (from its schema; files of one schema share it).
struct ReadPlan {
    std::string columns; ///< the select list: c0, CAST(c1 AS BIGINT), ...
    std::string from;    ///< FROM read_parquet($1, ...) AS t(c0, c1, ...)
    std::vector<std::string> names;
    std::vector<char> isInt;
};

/// Opens `path` into `file` and checks Parquet's ends ("PAR1" at the end). Empty on success
/// (`fd` then names the open file as /proc/self/fd/<n>), else the file's refusal, with
/// `truncated` set when its end is missing.
QString openParquet(QFile& file, const QString& path, std::string& fd, bool& truncated);

/// Plans the columns of the file at `fd` from its schema (a LIMIT 0 query). Empty on success,
/// else the file's refusal.
QString planRead(duckdb_connection con, const std::string& fd, ReadPlan& plan);

/// One file's read: the query plan from the schema, then the rows. run() reads a file on its
/// own; the grouped reader instead hands over what it learnt for many files at once (adopt),
/// then this file's rows of its shared query (takeRows), then calls finish().
class ParquetRead {
public:
    ParquetRead(const QString& path, const ReadOptions& options, RecordSink& sink)
        : m_path(path), m_options(options), m_sink(sink), m_rows(sink, m_out)
    {
    }

    /// Reads the file on its own (readParquetFile).
    FileOutcome run();

    /// Grouped reading: the file is open as `fd` (`size` bytes), with these footer facts
    /// (totalRows > 0) and plan.
    void adopt(const std::string& fd, qint64 size, FileFacts facts, const ReadPlan& plan);
    /// Rows [from, to) of a chunk of the shared query (column 0 is file_index, the plan's
    /// columns follow). False stops the query: cancelled, or the chunk does not fit the plan
    /// (finish() then re-reads the rest on its own).
    bool takeRows(duckdb_data_chunk chunk, idx_t from, idx_t to);
    /// After the file's last row of the shared query. `streamError`: the shared query failed
    /// while this file had rows to come; the rest is then read as readParquetFile() would
    /// after that failure (row group by row group; the whole file if none came). The outcome
    /// equals readParquetFile()'s.
    FileOutcome finish(duckdb_connection con, const QString& streamError);
    qint64 rowsRead() const { return m_rows.rows(); }

private:
    bool openFile();
    bool loadMetadata(duckdb_connection con);
    bool planColumns(duckdb_connection con);
    void setPlan(const ReadPlan& plan);
    void readRows(duckdb_connection con);
    void readRest(duckdb_connection con, const QString& first);
    QString streamRows(duckdb_connection con, const std::string& where);
    bool takeChunk(duckdb_data_chunk chunk, idx_t from, idx_t to);
    void reportProgress();
    void checkRowCount();
    void fail(const QString& reason) { m_out.fatal = Error{m_path, 0, 0, reason}; }

    QString m_path;
    const ReadOptions& m_options;
    RecordSink& m_sink;
    FileOutcome m_out;
    RowMapper m_rows; ///< after m_out, which it counts into
    QFile m_file;
    std::string m_fd;
    qint64 m_size = 0;
    FileFacts m_facts;
    std::string m_columns; ///< ReadPlan::columns
    std::string m_from;    ///< ReadPlan::from
    QString m_chunkError;  ///< set by takeChunk: the chunk's columns are not of the planned types
};

} // namespace core::parquet
