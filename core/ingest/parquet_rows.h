#pragma once
// The row mapping of the Parquet reader (parquet.cpp runs the queries): how each column of a
// file maps to a field and how DuckDB must hand it over (planColumn), then each chunk's rows as
// records or counted rejections, checked exactly as text lines (parseTokens), plus the
// rejections of row groups DuckDB could not decode. Only in builds with DuckDB
// (FLOWLOG_PARQUET); internal to core/ingest.
#include "core/ingest/ingest.h"
#include "core/ingest/parser.h"
#include "core/ingest/partitions.h"

#include <QString>

#include <duckdb.h>

#include <string>
#include <string_view>
#include <vector>

namespace core::parquet {

/// How column `c<index>` of the file is selected, or why the file is refused.
struct ColumnPlan {
    std::string expr;   ///< c3, CAST(c3 AS BIGINT) or CAST(c3 AS VARCHAR)
    bool asInt = false; ///< BIGINT in the result (else VARCHAR)
    QString error;      ///< non-empty: the file's refusal, naming the column
};

/// Plans column `index` named `name` of DuckDB type `type` (`decimalScale` for DECIMAL): integer
/// types become BIGINT; text, whole-number DECIMAL, UBIGINT and HUGEINT become VARCHAR for the
/// parser to judge; so does any type of a column that is not an integer field. Nested types,
/// and floats, booleans, dates or decimals with places in an integer field, refuse the file.
ColumnPlan planColumn(size_t index, const std::string& name, duckdb_type type, uint8_t decimalScale);

/// Turns one file's chunks into records and rejections on `sink`, counting them in `out`
/// (records, rejected, linesRead). Row numbers are 1-based and stand in for line numbers.
/// One per file read; the thread of the query.
class RowMapper {
public:
    RowMapper(RecordSink& sink, FileOutcome& out) : m_sink(sink), m_out(out) {}

    /// The planned columns, in select order (`isInt`: BIGINT, else VARCHAR); `path` gives the
    /// account and region for records without their own (see partitions.h).
    void setColumns(const std::vector<std::string>& names, const std::vector<char>& isInt, const QString& path);
    size_t columnCount() const { return m_names.size(); }

    /// Maps rows [from, to) of a chunk whose columns 1.. are the planned ones (column 0 is a
    /// placeholder, or the file index of a query over many files). Empty on success,
    /// else why the chunk does not fit the plan (nothing of it is emitted).
    QString takeChunk(duckdb_data_chunk chunk, idx_t from, idx_t to);

    /// Rows first+1 .. end (1-based) of row group `group` (0-based) could not be decoded: they
    /// become rejections naming the group and `reason`, held back until the next row that
    /// decodes (or flushDamaged()), so the sink sees rows in order.
    void rejectDamaged(const QString& reason, qint64 group, qint64 first, qint64 end);
    /// Hands the held-back rejections to the sink.
    void flushDamaged();
    /// Drops the held-back rejections (the whole file is refused instead).
    void dropDamaged() { m_damaged.clear(); }

    /// Rows read (or rejected as damaged) so far.
    qint64 rows() const { return m_row; }

private:
    void row(idx_t r);
    bool fastRow(idx_t r);

    RecordSink& m_sink;
    FileOutcome& m_out;
    std::vector<std::string> m_names;
    std::vector<char> m_isInt; ///< per column: BIGINT in the result (else VARCHAR)
    std::vector<void*> m_data; ///< per column: the current chunk's values
    std::vector<uint64_t*> m_valid;
    Layout m_layout;
    std::vector<std::string_view> m_tokens;
    std::string m_scratch; ///< formatted integers of the current row
    FlowRecord m_rec;
    qint64 m_row = 0;
    /// Rows of row groups DuckDB could not decode, not yet handed to the sink.
    std::vector<Rejection> m_damaged;
    /// Account and region from the S3 path, for records without their own (empty: none).
    PathPartitions m_partitions;
};

} // namespace core::parquet
