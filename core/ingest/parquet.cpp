// Parquet input through DuckDB's C API (only when built with FLOWLOG_PARQUET). DuckDB decodes
// (parquet_duckdb.*: the engine, the queries, flowlog_rows()); our parser validates
// (parquet_rows.*: columns to fields, rows to records or rejections). This file reads one
// file: checks its ends, reads the footer's row groups and the schema, plans the query, and
// re-reads row group by row group after damage.
#include "core/ingest/parquet.h"

#ifdef FLOWLOG_PARQUET
#include "core/ingest/parquet_duckdb.h"
#include "core/ingest/parquet_rows.h"

#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <map>
#include <set>
#include <string>
#include <vector>
#endif

namespace core {

bool isParquetMagic(std::string_view head)
{
    return head.substr(0, 4) == "PAR1";
}

bool parquetBuiltIn()
{
#ifdef FLOWLOG_PARQUET
    return true;
#else
    return false;
#endif
}

#ifndef FLOWLOG_PARQUET

bool parquetSupported()
{
    return false;
}

QString parquetSupportText()
{
    return QStringLiteral("not supported in this build (built without DuckDB: run .ci/install-duckdb and rebuild)");
}

Result<QString> parquetRowText(const QString& path, qint64 row)
{
    return Error{path, row, 0, parquetSupportText()};
}

FileOutcome readParquetFile(const QString& path, const ReadOptions&, RecordSink&)
{
    FileOutcome o;
    o.format = QStringLiteral("Parquet");
    o.fatal = Error{path, 0, 0,
                    QStringLiteral("Parquet file: not supported in this build (built without DuckDB: run .ci/install-duckdb and "
                                   "rebuild, or export the logs as text or CSV)")};
    return o;
}

#else

namespace {

using namespace core::parquet;

/// One file's read: the query plan from the schema, then the rows.
class ParquetRead {
public:
    ParquetRead(const QString& path, const ReadOptions& options, RecordSink& sink)
        : m_path(path), m_options(options), m_sink(sink), m_rows(sink, m_out)
    {
    }

    FileOutcome run();

private:
    bool openFile();
    bool loadMetadata(duckdb_connection con);
    bool planColumns(duckdb_connection con);
    void readRows(duckdb_connection con);
    QString streamRows(duckdb_connection con, const std::string& where);
    bool takeChunk(duckdb_data_chunk chunk);
    void fail(const QString& reason) { m_out.fatal = Error{m_path, 0, 0, reason}; }

    QString m_path;
    const ReadOptions& m_options;
    RecordSink& m_sink;
    FileOutcome m_out;
    RowMapper m_rows; ///< after m_out, which it counts into
    QFile m_file;
    std::string m_fd;
    qint64 m_size = 0;
    qint64 m_totalRows = 0; ///< the footer's: its row groups' rows added up
    QString m_codecs;
    /// Row groups from the footer, in file order: first row (0-based) and row count.
    struct RowGroup {
        qint64 first = 0;
        qint64 rows = 0;
    };
    std::vector<RowGroup> m_groups;
    std::string m_columns; ///< the select list: c0, CAST(c1 AS BIGINT), ...
    std::string m_from;    ///< FROM read_parquet($1, ...) AS t(c0, c1, ...)
    QString m_chunkError;  ///< set by takeChunk: the chunk's columns are not of the planned types
};

bool ParquetRead::openFile()
{
    m_file.setFileName(m_path);
    if (!m_file.open(QIODevice::ReadOnly)) {
        fail(QStringLiteral("cannot open: %1").arg(m_file.errorString()));
        return false;
    }
    m_size = m_file.size();
    // Parquet: "PAR1" <pages> <footer> <4-byte footer length> "PAR1". A cut-off download loses the end.
    if (m_size < 12) {
        m_out.truncated = true;
        fail(QStringLiteral("Parquet file truncated: only %1 bytes").arg(m_size));
        return false;
    }
    if (!m_file.seek(m_size - 4) || m_file.read(4) != "PAR1") {
        m_out.truncated = true;
        fail(QStringLiteral("Parquet file truncated or corrupt: no 'PAR1' footer at the end (%1 bytes)").arg(m_size));
        return false;
    }
    m_fd = kFdFolder + std::to_string(m_file.handle());
    if (!QFileInfo::exists(QString::fromStdString(m_fd))) {
        fail(QStringLiteral("Parquet file: cannot be handed to the reader (%1 is not available)").arg(QLatin1String(kFdFolder)));
        return false;
    }
    return true;
}

/// The footer's row groups (their rows add up to the file's), and codecs, in one plain query:
/// three queries with GROUP BY and string_agg cost DuckDB about 8 ms more per file, which a
/// folder of small 5-minute files pays hundreds of times.
bool ParquetRead::loadMetadata(duckdb_connection con)
{
    // One row per column chunk: (row group, its rows, the chunk's codec).
    QueryResult chunks;
    const QString e = runQuery(
        con, "SELECT CAST(row_group_id AS BIGINT), CAST(row_group_num_rows AS BIGINT), compression FROM parquet_metadata($1)",
        m_fd, chunks);
    if (!e.isEmpty()) {
        fail(QStringLiteral("Parquet file unreadable: %1").arg(e));
        return false;
    }
    std::map<int64_t, int64_t> groupRows;
    std::set<std::string> codecs;
    for (idx_t i = 0, n = duckdb_result_chunk_count(chunks.result); i < n; ++i) {
        Chunk c;
        c.handle = duckdb_result_get_chunk(chunks.result, i);
        if (!c.handle) break;
        duckdb_vector ids = duckdb_data_chunk_get_vector(c.handle, 0);
        duckdb_vector rows = duckdb_data_chunk_get_vector(c.handle, 1);
        duckdb_vector codec = duckdb_data_chunk_get_vector(c.handle, 2);
        uint64_t* idValid = duckdb_vector_get_validity(ids);
        uint64_t* rowsValid = duckdb_vector_get_validity(rows);
        uint64_t* codecValid = duckdb_vector_get_validity(codec);
        for (idx_t r = 0, size = duckdb_data_chunk_get_size(c.handle); r < size; ++r) {
            if ((!idValid || duckdb_validity_row_is_valid(idValid, r))
                && (!rowsValid || duckdb_validity_row_is_valid(rowsValid, r)))
                groupRows.emplace(static_cast<const int64_t*>(duckdb_vector_get_data(ids))[r],
                                  static_cast<const int64_t*>(duckdb_vector_get_data(rows))[r]);
            if (!codecValid || duckdb_validity_row_is_valid(codecValid, r))
                codecs.emplace(stringAt(duckdb_vector_get_data(codec), r));
        }
    }
    for (const auto& [id, rows] : groupRows) {
        m_groups.push_back({m_totalRows, rows});
        m_totalRows += rows;
    }
    for (const std::string& codec : codecs) {
        if (!m_codecs.isEmpty()) m_codecs += QLatin1Char('+');
        m_codecs += QString::fromStdString(codec);
    }
    return true;
}

bool ParquetRead::planColumns(duckdb_connection con)
{
    QueryResult schema;
    const QString e = runQuery(con, "SELECT * FROM read_parquet($1, binary_as_string=true) LIMIT 0", m_fd, schema);
    if (!e.isEmpty()) {
        fail(QStringLiteral("Parquet file unreadable: %1").arg(e));
        return false;
    }
    const idx_t cols = duckdb_column_count(&schema.result);
    if (cols == 0) {
        fail(QStringLiteral("Parquet file without columns"));
        return false;
    }
    std::vector<std::string> names;
    std::vector<char> isInt;
    std::string aliases;
    for (idx_t c = 0; c < cols; ++c) {
        const duckdb_type type = duckdb_column_type(&schema.result, c);
        uint8_t decimalScale = 0;
        if (type == DUCKDB_TYPE_DECIMAL) {
            duckdb_logical_type lt = duckdb_column_logical_type(&schema.result, c);
            decimalScale = duckdb_decimal_scale(lt);
            duckdb_destroy_logical_type(&lt);
        }
        names.emplace_back(duckdb_column_name(&schema.result, c));
        const ColumnPlan plan = planColumn(c, names.back(), type, decimalScale);
        if (!plan.error.isEmpty()) {
            fail(plan.error);
            return false;
        }
        if (c > 0) {
            m_columns += ", ";
            aliases += ", ";
        }
        m_columns += plan.expr;
        aliases += "c" + std::to_string(c);
        isInt.push_back(plan.asInt ? 1 : 0);
    }
    m_from = " FROM read_parquet($1, binary_as_string=true) AS t(" + aliases + ")";
    m_rows.setColumns(std::move(names), std::move(isInt), m_path);
    return true;
}

/// Streams the rows (of the rows `where` selects) into the sink through flowlog_rows(). The
/// error text if DuckDB fails (at the start or after some chunks: the rows before it are kept),
/// empty when done or cancelled.
QString ParquetRead::streamRows(duckdb_connection con, const std::string& where)
{
    QString e = streamChunks(con, m_columns, m_from + where, m_fd, [this](duckdb_data_chunk c) { return takeChunk(c); });
    if (m_out.cancelled) return {};
    if (!m_chunkError.isEmpty()) return m_chunkError;
    return e;
}

/// One chunk of rows from DuckDB. False stops the query (cancelled, or columns not of the
/// planned types).
bool ParquetRead::takeChunk(duckdb_data_chunk chunk)
{
    if (m_options.cancel && m_options.cancel->load(std::memory_order_relaxed)) {
        m_out.cancelled = true;
        return false;
    }
    m_chunkError = m_rows.takeChunk(chunk);
    if (!m_chunkError.isEmpty()) return false;
    if (m_totalRows > 0)
        m_sink.progress(static_cast<qint64>(static_cast<double>(m_size) * static_cast<double>(m_rows.rows())
                                            / static_cast<double>(m_totalRows)));
    return true;
}

/// All rows in one streaming query (DuckDB reads row groups on its threads, in file order).
/// If DuckDB fails, the rows read so far are kept and the rest is read row group by row group
/// (a filter on DuckDB's virtual file_row_number column makes it skip the other row groups
/// unread), so only the damaged row groups' rows are lost: each is a rejection naming the row
/// group, the rows and DuckDB's reason, handed to the sink in row order among the other rows.
/// If no row at all can be read, the file is one refusal.
void ParquetRead::readRows(duckdb_connection con)
{
    const QString first = streamRows(con, {});
    if (first.isEmpty() || m_out.cancelled) return;
    if (m_groups.empty()) {
        m_out.truncated = m_rows.rows() > 0;
        fail(QStringLiteral("Parquet file corrupt after %1 rows: %2").arg(m_rows.rows()).arg(first));
        return;
    }
    for (size_t g = 0; g < m_groups.size() && !m_out.cancelled; ++g) {
        const qint64 start = m_rows.rows();
        const qint64 end = m_groups[g].first + m_groups[g].rows;
        if (end <= start) continue;
        const QString error = streamRows(con, " WHERE file_row_number >= " + std::to_string(start) + " AND file_row_number < "
                                                  + std::to_string(end));
        if (!error.isEmpty()) m_rows.rejectDamaged(error, static_cast<qint64>(g), start, end);
    }
    if (m_out.cancelled) return;
    if (m_out.records + m_out.rejected == 0) { // nothing decoded: the damaged rows were never flushed
        m_out.linesRead = 0;
        fail(QStringLiteral("Parquet file unreadable: %1").arg(first));
        m_rows.dropDamaged();
        return;
    }
    m_rows.flushDamaged();
}

FileOutcome ParquetRead::run()
{
    m_out.format = QStringLiteral("Parquet");
    Engine& engine = Engine::instance();
    if (!engine.ok()) {
        fail(QStringLiteral("Parquet file: not supported here (%1)").arg(engine.error()));
        return std::move(m_out);
    }
    if (!openFile()) return std::move(m_out);
    Connection con;
    if (duckdb_connect(engine.db(), &con.handle) != DuckDBSuccess) {
        fail(QStringLiteral("Parquet file: the reader cannot start (DuckDB connection)"));
        return std::move(m_out);
    }
    if (!loadMetadata(con.handle) || !planColumns(con.handle)) return std::move(m_out);
    m_out.format = QStringLiteral("Parquet (%1 columns%2)")
                       .arg(m_rows.columnCount())
                       .arg(m_codecs.isEmpty() ? QString() : QStringLiteral(", ") + m_codecs);
    if (m_totalRows == 0) {
        fail(QStringLiteral("empty Parquet file (no rows)"));
        return std::move(m_out);
    }
    readRows(con.handle);
    if (!m_out.fatal && !m_out.cancelled && m_rows.rows() != m_totalRows)
        fail(QStringLiteral("Parquet file corrupt: %1 rows read, the footer says %2").arg(m_rows.rows()).arg(m_totalRows));
    m_sink.progress(m_size);
    return std::move(m_out);
}

} // namespace

bool parquetSupported()
{
    return Engine::instance().ok();
}

QString parquetSupportText()
{
    const Engine& e = Engine::instance();
    if (e.ok()) return QStringLiteral("DuckDB %1").arg(QString::fromLatin1(duckdb_library_version()));
    return e.error();
}

FileOutcome readParquetFile(const QString& path, const ReadOptions& options, RecordSink& sink)
{
    ParquetRead read(path, options, sink);
    return read.run();
}

Result<QString> parquetRowText(const QString& path, qint64 row)
{
    auto fail = [&](const QString& why) { return Error{path, row, 0, why}; };
    Engine& engine = Engine::instance();
    if (!engine.ok()) return fail(engine.error());
    if (row <= 0) return fail(QStringLiteral("no row number"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return fail(QStringLiteral("cannot open: %1").arg(file.errorString()));
    const std::string fd = kFdFolder + std::to_string(file.handle());
    Connection con;
    if (duckdb_connect(engine.db(), &con.handle) != DuckDBSuccess) return fail(QStringLiteral("the reader cannot start"));
    // The offset is our own integer; the file goes in as the bound parameter.
    const std::string sql =
        "SELECT COLUMNS(*)::VARCHAR FROM read_parquet($1, binary_as_string=true) LIMIT 1 OFFSET " + std::to_string(row - 1);
    QueryResult r;
    const QString e = runQuery(con.handle, sql.c_str(), fd, r);
    if (!e.isEmpty()) return fail(e);
    Chunk c;
    c.handle = duckdb_result_get_chunk(r.result, 0);
    if (!c.handle || duckdb_data_chunk_get_size(c.handle) == 0) return fail(QStringLiteral("the file has fewer rows"));
    QStringList parts;
    const idx_t cols = duckdb_column_count(&r.result);
    for (idx_t i = 0; i < cols; ++i) {
        duckdb_vector v = duckdb_data_chunk_get_vector(c.handle, i);
        const uint64_t* valid = duckdb_vector_get_validity(v);
        QString value = QStringLiteral("-");
        if (!valid || (valid[0] & 1)) {
            const std::string_view t = stringAt(duckdb_vector_get_data(v), 0);
            value = QString::fromUtf8(t.data(), static_cast<qsizetype>(t.size()));
        }
        parts << QString::fromUtf8(duckdb_column_name(&r.result, i)) + QLatin1Char('=') + value;
    }
    return parts.join(QLatin1Char(' '));
}

#endif

} // namespace core
