// Parquet input through DuckDB's C API (only when built with FLOWLOG_PARQUET). DuckDB decodes
// (parquet_duckdb.*: the engine, the queries, the chunk pump); our parser validates
// (parquet_rows.*: columns to fields, rows to records or rejections). This file reads one
// file: checks its ends, reads the footer's row groups and the schema, plans the query, and
// re-reads row group by row group after damage.
#include "core/ingest/parquet.h"

#ifdef FLOWLOG_PARQUET
#include "core/ingest/parquet_read.h"

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

namespace parquet {

void FactsBuilder::add(duckdb_data_chunk chunk, idx_t col, idx_t r)
{
    duckdb_vector ids = duckdb_data_chunk_get_vector(chunk, col);
    duckdb_vector rows = duckdb_data_chunk_get_vector(chunk, col + 1);
    duckdb_vector codec = duckdb_data_chunk_get_vector(chunk, col + 2);
    uint64_t* idValid = duckdb_vector_get_validity(ids);
    uint64_t* rowsValid = duckdb_vector_get_validity(rows);
    uint64_t* codecValid = duckdb_vector_get_validity(codec);
    if ((!idValid || duckdb_validity_row_is_valid(idValid, r)) && (!rowsValid || duckdb_validity_row_is_valid(rowsValid, r)))
        groupRows.emplace(static_cast<const int64_t*>(duckdb_vector_get_data(ids))[r],
                          static_cast<const int64_t*>(duckdb_vector_get_data(rows))[r]);
    if (!codecValid || duckdb_validity_row_is_valid(codecValid, r)) codecs.emplace(stringAt(duckdb_vector_get_data(codec), r));
}

FileFacts FactsBuilder::facts() const
{
    FileFacts f;
    for (const auto& [id, rows] : groupRows) {
        f.groups.push_back({f.totalRows, rows});
        f.totalRows += rows;
    }
    for (const std::string& codec : codecs) {
        if (!f.codecs.isEmpty()) f.codecs += QLatin1Char('+');
        f.codecs += QString::fromStdString(codec);
    }
    return f;
}

QString openParquet(QFile& file, const QString& path, std::string& fd, bool& truncated)
{
    file.setFileName(path);
    if (!file.open(QIODevice::ReadOnly)) return QStringLiteral("cannot open: %1").arg(file.errorString());
    const qint64 size = file.size();
    // Parquet: "PAR1" <pages> <footer> <4-byte footer length> "PAR1". A cut-off download loses the end.
    if (size < 12) {
        truncated = true;
        return QStringLiteral("Parquet file truncated: only %1 bytes").arg(size);
    }
    if (!file.seek(size - 4) || file.read(4) != "PAR1") {
        truncated = true;
        return QStringLiteral("Parquet file truncated or corrupt: no 'PAR1' footer at the end (%1 bytes)").arg(size);
    }
    fd = kFdFolder + std::to_string(file.handle());
    if (!QFileInfo::exists(QString::fromStdString(fd)))
        return QStringLiteral("Parquet file: cannot be handed to the reader (%1 is not available)").arg(QLatin1String(kFdFolder));
    return {};
}

QString planRead(duckdb_connection con, const std::string& fd, ReadPlan& plan)
{
    QueryResult schema;
    const QString e = runQuery(con, "SELECT * FROM read_parquet($1, binary_as_string=true) LIMIT 0", fd, schema);
    if (!e.isEmpty()) return QStringLiteral("Parquet file unreadable: %1").arg(e);
    const idx_t cols = duckdb_column_count(&schema.result);
    if (cols == 0) return QStringLiteral("Parquet file without columns");
    std::string aliases;
    for (idx_t c = 0; c < cols; ++c) {
        const duckdb_type type = duckdb_column_type(&schema.result, c);
        uint8_t decimalScale = 0;
        if (type == DUCKDB_TYPE_DECIMAL) {
            duckdb_logical_type lt = duckdb_column_logical_type(&schema.result, c);
            decimalScale = duckdb_decimal_scale(lt);
            duckdb_destroy_logical_type(&lt);
        }
        plan.names.emplace_back(duckdb_column_name(&schema.result, c));
        const ColumnPlan column = planColumn(c, plan.names.back(), type, decimalScale);
        if (!column.error.isEmpty()) return column.error;
        if (c > 0) {
            plan.columns += ", ";
            aliases += ", ";
        }
        plan.columns += column.expr;
        aliases += 'c';
        aliases += std::to_string(c);
        plan.isInt.push_back(column.asInt ? 1 : 0);
    }
    plan.from = " FROM read_parquet($1, binary_as_string=true) AS t(" + aliases + ")";
    return {};
}

bool ParquetRead::openFile()
{
    const QString e = openParquet(m_file, m_path, m_fd, m_out.truncated);
    if (!e.isEmpty()) {
        fail(e);
        return false;
    }
    m_size = m_file.size();
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
    FactsBuilder facts;
    for (idx_t i = 0, n = duckdb_result_chunk_count(chunks.result); i < n; ++i) {
        Chunk c;
        c.handle = duckdb_result_get_chunk(chunks.result, i);
        if (!c.handle) break;
        for (idx_t r = 0, size = duckdb_data_chunk_get_size(c.handle); r < size; ++r) facts.add(c.handle, 0, r);
    }
    m_facts = facts.facts();
    return true;
}

bool ParquetRead::planColumns(duckdb_connection con)
{
    ReadPlan plan;
    const QString e = planRead(con, m_fd, plan);
    if (!e.isEmpty()) {
        fail(e);
        return false;
    }
    setPlan(plan);
    return true;
}

void ParquetRead::setPlan(const ReadPlan& plan)
{
    m_columns = plan.columns;
    m_from = plan.from;
    m_rows.setColumns(plan.names, plan.isInt, m_path);
    m_out.format = QStringLiteral("Parquet (%1 columns%2)")
                       .arg(m_rows.columnCount())
                       .arg(m_facts.codecs.isEmpty() ? QString() : QStringLiteral(", ") + m_facts.codecs);
}

/// Streams the rows (of the rows `where` selects) into the sink (streamChunks). The
/// error text if DuckDB fails (at the start or after some chunks: the rows before it are kept),
/// empty when done or cancelled.
QString ParquetRead::streamRows(duckdb_connection con, const std::string& where)
{
    QString e = streamChunks(con, m_columns, m_from + where, m_fd,
                             [this](duckdb_data_chunk c) { return takeChunk(c, 0, duckdb_data_chunk_get_size(c)); });
    if (m_out.cancelled) return {};
    if (!m_chunkError.isEmpty()) return m_chunkError;
    return e;
}

/// Rows [from, to) of a chunk from DuckDB. False stops the query (cancelled, or columns not of
/// the planned types).
bool ParquetRead::takeChunk(duckdb_data_chunk chunk, idx_t from, idx_t to)
{
    if (m_options.cancel && m_options.cancel->load(std::memory_order_relaxed)) {
        m_out.cancelled = true;
        return false;
    }
    m_chunkError = m_rows.takeChunk(chunk, from, to);
    if (!m_chunkError.isEmpty()) return false;
    reportProgress();
    return true;
}

void ParquetRead::reportProgress()
{
    if (m_facts.totalRows > 0)
        m_sink.progress(static_cast<qint64>(static_cast<double>(m_size) * static_cast<double>(m_rows.rows())
                                            / static_cast<double>(m_facts.totalRows)));
}

/// All rows in one streaming query (DuckDB reads row groups on its threads, in file order).
/// If DuckDB fails, the rows read so far are kept and the rest is read row group by row group
/// (readRest).
void ParquetRead::readRows(duckdb_connection con)
{
    const QString first = streamRows(con, {});
    if (first.isEmpty() || m_out.cancelled) return;
    readRest(con, first);
}

/// After the streaming query failed with `first`: the rest is read row group by row group (a
/// filter on DuckDB's virtual file_row_number column makes it skip the other row groups
/// unread), so only the damaged row groups' rows are lost: each is a rejection naming the row
/// group, the rows and DuckDB's reason, handed to the sink in row order among the other rows.
/// If no row at all can be read, the file is one refusal.
void ParquetRead::readRest(duckdb_connection con, const QString& first)
{
    if (m_facts.groups.empty()) {
        m_out.truncated = m_rows.rows() > 0;
        fail(QStringLiteral("Parquet file corrupt after %1 rows: %2").arg(m_rows.rows()).arg(first));
        return;
    }
    for (size_t g = 0; g < m_facts.groups.size() && !m_out.cancelled; ++g) {
        const qint64 start = m_rows.rows();
        const qint64 end = m_facts.groups[g].first + m_facts.groups[g].rows;
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

void ParquetRead::checkRowCount()
{
    if (!m_out.fatal && !m_out.cancelled && m_rows.rows() != m_facts.totalRows)
        fail(QStringLiteral("Parquet file corrupt: %1 rows read, the footer says %2").arg(m_rows.rows()).arg(m_facts.totalRows));
    m_sink.progress(m_size);
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
    if (m_facts.totalRows == 0) {
        fail(QStringLiteral("empty Parquet file (no rows)"));
        return std::move(m_out);
    }
    readRows(con.handle);
    checkRowCount();
    return std::move(m_out);
}

void ParquetRead::adopt(const std::string& fd, qint64 size, FileFacts facts, const ReadPlan& plan)
{
    m_fd = fd;
    m_size = size;
    m_facts = std::move(facts);
    setPlan(plan);
}

bool ParquetRead::takeRows(duckdb_data_chunk chunk, idx_t from, idx_t to)
{
    return takeChunk(chunk, from, to);
}

FileOutcome ParquetRead::finish(duckdb_connection con, const QString& streamError)
{
    if (!m_out.cancelled) {
        QString error = m_chunkError.isEmpty() ? streamError : m_chunkError;
        m_chunkError.clear();
        if (!error.isEmpty() && m_rows.rows() < m_facts.totalRows) {
            if (m_rows.rows() == 0) readRows(con); // as if read on its own from the start
            else readRest(con, error);
        }
    }
    checkRowCount();
    return std::move(m_out);
}

} // namespace parquet

using namespace core::parquet;

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
