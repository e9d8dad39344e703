// Parquet input through DuckDB's C API (only when built with FLOWLOG_PARQUET). DuckDB decodes;
// our parser validates: each row becomes text tokens (integers formatted, nulls as '-') that
// go through parseTokens() with a layout built from the column names, exactly as a text row.
#include "core/ingest/parquet.h"

#include "core/ingest/parser.h"
#include "core/ingest/partitions.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#ifdef FLOWLOG_PARQUET
#include <duckdb.h>

#include <charconv>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
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

/// DuckDB may open only this folder: each file is handed over as /proc/self/fd/<n> of a file we
/// opened, so a file name can hold any character (no globbing, no URLs, no '~').
constexpr const char* kFdFolder = "/proc/self/fd/";
/// Rejection::raw keeps at most this many characters.
constexpr size_t kRawLimit = 4096;

/// DuckDB calls this (SQL function flowlog_rows) with each chunk of a file's rows; see
/// ParquetRead::streamRows.
void takeRows(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output);

/// The process's one DuckDB instance: creating one costs about 70 ms, a query on it about
/// 2 ms, so files share it (each read opens its own connection). Sandboxed: reads only
/// /proc/self/fd/*, never loads or installs extensions, configuration locked.
class Engine {
public:
    static Engine& instance()
    {
        static Engine engine;
        return engine;
    }
    bool ok() const { return m_db != nullptr; }
    const QString& error() const { return m_error; }
    duckdb_database db() const { return m_db; }

    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

private:
    Engine()
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
    ~Engine()
    {
        if (m_db) duckdb_close(&m_db);
    }
    /// flowlog_rows(token, columns...): hands each chunk to the read registered under `token`
    /// (volatile, so never folded or skipped; nulls passed through). Database-wide.
    static bool registerRowFunction(duckdb_connection con)
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
struct Prepared {
    duckdb_prepared_statement handle = nullptr;
    ~Prepared()
    {
        if (handle) duckdb_destroy_prepare(&handle);
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

/// DuckDB's error text without the SQL echo ("LINE 1: ...") and with the fd path replaced by
/// nothing (the caller's Error names the file).
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

/// Runs `sql` with $1 bound to `fdPath`; streaming or materialised. Empty string on success.
QString runQuery(duckdb_connection con, const char* sql, const std::string& fdPath, bool streaming, QueryResult& out)
{
    Prepared p;
    if (duckdb_prepare(con, sql, &p.handle) != DuckDBSuccess) return cleanError(duckdb_prepare_error(p.handle), fdPath);
    if (duckdb_bind_varchar(p.handle, 1, fdPath.c_str()) != DuckDBSuccess) return QStringLiteral("cannot bind the file");
    const duckdb_state st =
        streaming ? duckdb_execute_prepared_streaming(p.handle, &out.result) : duckdb_execute_prepared(p.handle, &out.result);
    out.live = true;
    if (st != DuckDBSuccess) return cleanError(duckdb_result_error(&out.result), fdPath);
    return {};
}

/// A VARCHAR cell; the view lives as long as its chunk. Inlined (up to 12 bytes) or pointed to,
/// read from duckdb_string_t's documented layout (the accessor functions cost a call per cell).
std::string_view stringAt(void* data, idx_t row)
{
    const auto& s = static_cast<const duckdb_string_t*>(data)[row];
    const uint32_t n = s.value.inlined.length;
    return {n <= 12 ? s.value.inlined.inlined : s.value.pointer.ptr, n};
}

/// Text of a VARCHAR cell in a materialised result (first chunk only: metadata is small).
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

const char* typeName(duckdb_type t)
{
    switch (t) {
    case DUCKDB_TYPE_LIST:
        return "LIST";
    case DUCKDB_TYPE_STRUCT:
        return "STRUCT";
    case DUCKDB_TYPE_MAP:
        return "MAP";
    case DUCKDB_TYPE_ARRAY:
        return "ARRAY";
    case DUCKDB_TYPE_UNION:
        return "UNION";
    case DUCKDB_TYPE_FLOAT:
        return "FLOAT";
    case DUCKDB_TYPE_DOUBLE:
        return "DOUBLE";
    case DUCKDB_TYPE_DECIMAL:
        return "DECIMAL";
    case DUCKDB_TYPE_BOOLEAN:
        return "BOOLEAN";
    case DUCKDB_TYPE_DATE:
        return "DATE";
    case DUCKDB_TYPE_TIME:
    case DUCKDB_TYPE_TIME_TZ:
        return "TIME";
    case DUCKDB_TYPE_TIMESTAMP:
    case DUCKDB_TYPE_TIMESTAMP_S:
    case DUCKDB_TYPE_TIMESTAMP_MS:
    case DUCKDB_TYPE_TIMESTAMP_NS:
    case DUCKDB_TYPE_TIMESTAMP_TZ:
        return "TIMESTAMP";
    default:
        return "an unsupported type";
    }
}

bool isNested(duckdb_type t)
{
    return t == DUCKDB_TYPE_LIST || t == DUCKDB_TYPE_STRUCT || t == DUCKDB_TYPE_MAP || t == DUCKDB_TYPE_ARRAY
           || t == DUCKDB_TYPE_UNION;
}

bool isSignedOrSmall(duckdb_type t)
{
    switch (t) {
    case DUCKDB_TYPE_TINYINT:
    case DUCKDB_TYPE_SMALLINT:
    case DUCKDB_TYPE_INTEGER:
    case DUCKDB_TYPE_BIGINT:
    case DUCKDB_TYPE_UTINYINT:
    case DUCKDB_TYPE_USMALLINT:
    case DUCKDB_TYPE_UINTEGER:
        return true;
    default:
        return false;
    }
}

/// One file's read: the query plan from the schema, then the row loop.
class ParquetRead {
public:
    ParquetRead(const QString& path, const ReadOptions& options, RecordSink& sink)
        : m_path(path), m_options(options), m_sink(sink)
    {
    }

    FileOutcome run();

private:
    bool openFile();
    bool loadMetadata(duckdb_connection con);
    bool planColumns(duckdb_connection con);
    void readRows(duckdb_connection con);
    QString streamRows(duckdb_connection con, const std::string& where);
    friend void takeRows(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output);
    bool takeChunk(duckdb_data_chunk chunk);
    void rejectDamaged(const QString& reason, qint64 group, qint64 first, qint64 end);
    void row(idx_t r, const std::vector<void*>& data, const std::vector<uint64_t*>& valid);
    bool fastRow(idx_t r, const std::vector<void*>& data, const std::vector<uint64_t*>& valid);
    void fail(const QString& reason) { m_out.fatal = Error{m_path, 0, 0, reason}; }

    QString m_path;
    const ReadOptions& m_options;
    RecordSink& m_sink;
    FileOutcome m_out;
    QFile m_file;
    std::string m_fd;
    qint64 m_size = 0;
    qint64 m_totalRows = 0;
    QString m_codecs;
    /// Row groups from the footer, in file order: first row (0-based) and row count.
    struct RowGroup {
        qint64 first = 0;
        qint64 rows = 0;
    };
    std::vector<RowGroup> m_groups;
    /// Rows of row groups DuckDB could not decode, not yet handed to the sink: they go out in row
    /// order, before the next row that decodes (flushDamaged) or at the end of the file, unless
    /// no row of the file could be read at all (then the file is one refusal).
    std::vector<Rejection> m_damaged;
    void flushDamaged();

    std::vector<std::string> m_names;
    std::vector<char> m_isInt; ///< per column: BIGINT in the result (else VARCHAR)
    std::string m_columns;     ///< the select list: c0, CAST(c1 AS BIGINT), ...
    std::string m_from;        ///< FROM read_parquet($1, ...) AS t(c0, c1, ...)
    std::vector<void*> m_data; ///< per column: the current chunk's values
    std::vector<uint64_t*> m_valid;
    QString m_chunkError; ///< set by takeChunk: the chunk's columns are not of the planned types
    Layout m_layout;
    std::vector<std::string_view> m_tokens;
    std::string m_scratch; ///< formatted integers of the current row
    FlowRecord m_rec;
    qint64 m_row = 0;
    /// Account and region from the S3 path, for records without their own (empty: none).
    PathPartitions m_partitions;
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

bool ParquetRead::loadMetadata(duckdb_connection con)
{
    QueryResult meta;
    const QString e =
        runQuery(con, "SELECT CAST(coalesce(max(num_rows), 0) AS VARCHAR) FROM parquet_file_metadata($1)", m_fd, false, meta);
    if (!e.isEmpty()) {
        fail(QStringLiteral("Parquet file unreadable: %1").arg(e));
        return false;
    }
    m_totalRows = firstRowText(meta.result, 0).toLongLong();
    QueryResult groups;
    if (runQuery(con,
                 "SELECT CAST(row_group_id AS BIGINT), CAST(any_value(row_group_num_rows) AS BIGINT) "
                 "FROM parquet_metadata($1) GROUP BY row_group_id ORDER BY row_group_id",
                 m_fd, false, groups)
            .isEmpty()) {
        qint64 first = 0;
        for (idx_t i = 0, n = duckdb_result_chunk_count(groups.result); i < n; ++i) {
            Chunk c;
            c.handle = duckdb_result_get_chunk(groups.result, i);
            if (!c.handle) break;
            const auto* rows = static_cast<const int64_t*>(duckdb_vector_get_data(duckdb_data_chunk_get_vector(c.handle, 1)));
            for (idx_t r = 0, size = duckdb_data_chunk_get_size(c.handle); r < size; ++r) {
                m_groups.push_back({first, rows[r]});
                first += rows[r];
            }
        }
    }
    QueryResult codecs;
    if (runQuery(con, "SELECT string_agg(DISTINCT compression, '+' ORDER BY compression) FROM parquet_metadata($1)", m_fd, false,
                 codecs)
            .isEmpty())
        m_codecs = firstRowText(codecs.result, 0);
    return true;
}

bool ParquetRead::planColumns(duckdb_connection con)
{
    QueryResult schema;
    const QString e = runQuery(con, "SELECT * FROM read_parquet($1, binary_as_string=true) LIMIT 0", m_fd, false, schema);
    if (!e.isEmpty()) {
        fail(QStringLiteral("Parquet file unreadable: %1").arg(e));
        return false;
    }
    const idx_t cols = duckdb_column_count(&schema.result);
    if (cols == 0) {
        fail(QStringLiteral("Parquet file without columns"));
        return false;
    }
    std::string select;
    for (idx_t c = 0; c < cols; ++c) {
        const std::string name = duckdb_column_name(&schema.result, c);
        const duckdb_type type = duckdb_column_type(&schema.result, c);
        const std::optional<FieldId> field = findField(name);
        const bool integerField = field && fieldInfo(*field).type == FieldType::Integer;
        const QString qname = QString::fromStdString(name);
        if (isNested(type)) {
            fail(QStringLiteral("Parquet column '%1' is a nested type (%2): not supported")
                     .arg(qname, QLatin1String(typeName(type))));
            return false;
        }
        // Columns are renamed c0, c1, ... (the FROM clause's alias list): a file's own column named
        // file_row_number then no longer hides DuckDB's virtual one, which readRows() filters on.
        std::string expr = "c" + std::to_string(c);
        bool asInt = false;
        // DECIMAL(p, 0) is a whole number (some writers use it for counters): read as text, so
        // the parser judges it like any number (UBIGINT and HUGEINT likewise).
        uint8_t decimalScale = 0;
        if (type == DUCKDB_TYPE_DECIMAL) {
            duckdb_logical_type lt = duckdb_column_logical_type(&schema.result, c);
            decimalScale = duckdb_decimal_scale(lt);
            duckdb_destroy_logical_type(&lt);
        }
        if (type == DUCKDB_TYPE_BIGINT) {
            asInt = true;
        } else if (isSignedOrSmall(type)) {
            expr.insert(0, "CAST(").append(" AS BIGINT)");
            asInt = true;
        } else if (type == DUCKDB_TYPE_VARCHAR || type == DUCKDB_TYPE_BLOB || type == DUCKDB_TYPE_UBIGINT
                   || type == DUCKDB_TYPE_HUGEINT || type == DUCKDB_TYPE_UHUGEINT
                   || (type == DUCKDB_TYPE_DECIMAL && decimalScale == 0) || !integerField) {
            if (type != DUCKDB_TYPE_VARCHAR) expr.insert(0, "CAST(").append(" AS VARCHAR)"); // the parser judges the text
        } else {
            const QString typeText = type == DUCKDB_TYPE_DECIMAL
                                         ? QStringLiteral("DECIMAL with %1 decimal places").arg(decimalScale)
                                         : QLatin1String(typeName(type));
            fail(QStringLiteral("Parquet column '%1' is %2, but %3 is an integer field").arg(qname, typeText, qname));
            return false;
        }
        if (!select.empty()) select += ", ";
        select += expr;
        m_names.push_back(name);
        m_isInt.push_back(asInt ? 1 : 0);
    }
    std::string aliases;
    for (idx_t c = 0; c < cols; ++c) aliases += (c ? ", c" : "c") + std::to_string(c);
    m_columns = select;
    m_from = " FROM read_parquet($1, binary_as_string=true) AS t(" + aliases + ")";
    m_data.resize(m_names.size());
    m_valid.resize(m_names.size());
    std::vector<std::string_view> views(m_names.begin(), m_names.end());
    m_layout = Layout::fromNames(views, Layout::Source::Header, [this](std::string_view t) { return m_sink.extraColumn(t); });
    m_tokens.resize(m_names.size());
    m_scratch.resize(m_names.size() * 24);
    m_partitions = pathPartitions(QFileInfo(m_path).absoluteFilePath());
    return true;
}

/// The common row without text round trips: integers straight from BIGINT vectors, strings
/// checked as parseTokens() checks them. False for anything unusual (a negative or
/// millisecond-sized number, a number in a text column, a text in a number column, a bad
/// address): row() then formats the row as text tokens and lets parseTokens() decide and word
/// the reason, so both paths give the same records and the same rejections.
bool ParquetRead::fastRow(idx_t r, const std::vector<void*>& data, const std::vector<uint64_t*>& valid)
{
    constexpr int64_t kSurelySeconds = 100'000'000'000LL; // parser: start/end above 1e11 are ms
    m_rec.present.reset();
    m_rec.extras.clear();
    for (size_t c = 0; c < m_tokens.size(); ++c) {
        const uint64_t* v = valid[c];
        if (v && !(v[r >> 6] & (uint64_t(1) << (r & 63)))) continue;
        const LayoutColumn& col = m_layout.columns[c];
        if (m_isInt[c]) {
            const int64_t x = static_cast<const int64_t*>(data[c])[r];
            if (x < 0 || (col.kind != ColumnKind::Integer && col.kind != ColumnKind::Time)) return false;
            if (col.kind == ColumnKind::Time && x > kSurelySeconds) return false;
            m_rec.setInt(col.field, x);
            continue;
        }
        const std::string_view t = stringAt(data[c], r);
        if (t.empty() || (t.size() == 1 && t[0] == '-')) continue;
        switch (col.kind) {
        case ColumnKind::Text:
            m_rec.setText(col.field, t);
            break;
        case ColumnKind::Address:
            if (!isIPv4(t) && !isIPv6(t)) return false;
            m_rec.setText(col.field, t);
            break;
        case ColumnKind::Extra:
            if (col.extra >= 0) m_rec.extras.emplace_back(col.extra, t);
            break;
        case ColumnKind::Integer:
        case ColumnKind::Time:
            return false;
        }
    }
    return true;
}

void ParquetRead::flushDamaged()
{
    for (const Rejection& r : m_damaged) {
        ++m_out.rejected;
        m_sink.reject(r);
    }
    m_damaged.clear();
}

void ParquetRead::row(idx_t r, const std::vector<void*>& data, const std::vector<uint64_t*>& valid)
{
    if (!m_damaged.empty()) flushDamaged(); // rows of a damaged row group before this one
    ++m_row;
    ++m_out.linesRead;
    if (fastRow(r, data, valid)) {
        fillFromPath(m_rec, m_partitions);
        m_rec.line = m_row;
        m_rec.raw = {};
        ++m_out.records;
        m_sink.record(m_rec);
        return;
    }
    char* scratch = m_scratch.data();
    for (size_t c = 0; c < m_tokens.size(); ++c) {
        const uint64_t* v = valid[c];
        if (v && !(v[r >> 6] & (uint64_t(1) << (r & 63)))) {
            m_tokens[c] = "-";
        } else if (m_isInt[c]) {
            const auto res = std::to_chars(scratch, scratch + 24, static_cast<const int64_t*>(data[c])[r]);
            m_tokens[c] = std::string_view(scratch, static_cast<size_t>(res.ptr - scratch));
            scratch = res.ptr;
        } else {
            m_tokens[c] = stringAt(data[c], r);
        }
    }
    const ParseResult p = parseTokens(m_tokens, m_layout, m_rec, true);
    if (!p.ok()) {
        std::string raw;
        for (std::string_view t : m_tokens) {
            if (raw.size() >= kRawLimit) break;
            if (!raw.empty()) raw += ' ';
            raw.append(t.empty() ? std::string_view("-") : t);
        }
        Rejection rej;
        rej.line = m_row;
        rej.reason = p.reason;
        rej.raw = QString::fromUtf8(raw.data(), static_cast<qsizetype>(std::min(raw.size(), kRawLimit)));
        ++m_out.rejected;
        m_sink.reject(rej);
        return;
    }
    fillFromPath(m_rec, m_partitions);
    m_rec.line = m_row;
    m_rec.raw = {};
    ++m_out.records;
    m_sink.record(m_rec);
}

/// Reads are found by the token their query passes to flowlog_rows() (a number, never a pointer
/// taken from SQL): DuckDB runs the query on the calling thread (threads=1), but the registry
/// does not rely on it.
struct Readers {
    std::mutex mutex;
    std::unordered_map<int64_t, ParquetRead*> byToken;
    int64_t next = 0;
};
Readers& readers()
{
    static Readers r;
    return r;
}

/// Streams the rows (of the rows `where` selects) into the sink: DuckDB decodes, and calls
/// flowlog_rows() with each chunk as it leaves the scan, in file order; only the count comes
/// back as a result. This skips the copy of every chunk into a query result that fetching rows
/// costs (about 15 % of DuckDB's CPU on 1M TGW rows). The error text if DuckDB fails (at the
/// start or after some chunks: the rows before it are kept), empty when done or cancelled.
QString ParquetRead::streamRows(duckdb_connection con, const std::string& where)
{
    Readers& all = readers();
    int64_t token = 0;
    {
        const std::lock_guard<std::mutex> lock(all.mutex);
        token = ++all.next;
        all.byToken[token] = this;
    }
    const std::string sql =
        "SELECT count(flowlog_rows(" + std::to_string(token) + "::BIGINT, " + m_columns + "))" + m_from + where;
    QueryResult result;
    QString e = runQuery(con, sql.c_str(), m_fd, false, result);
    {
        const std::lock_guard<std::mutex> lock(all.mutex);
        all.byToken.erase(token);
    }
    if (m_out.cancelled) return {};
    if (!m_chunkError.isEmpty()) return m_chunkError;
    return e;
}

/// One chunk of rows from DuckDB (column 0 is the token). False stops the query (cancelled, or
/// columns not of the planned types).
bool ParquetRead::takeChunk(duckdb_data_chunk chunk)
{
    if (m_options.cancel && m_options.cancel->load(std::memory_order_relaxed)) {
        m_out.cancelled = true;
        return false;
    }
    const idx_t cols = m_data.size();
    if (duckdb_data_chunk_get_column_count(chunk) != cols + 1) {
        m_chunkError = QStringLiteral("unexpected columns from the reader");
        return false;
    }
    for (idx_t c = 0; c < cols; ++c) {
        duckdb_vector v = duckdb_data_chunk_get_vector(chunk, c + 1);
        duckdb_logical_type lt = duckdb_vector_get_column_type(v);
        const duckdb_type t = duckdb_get_type_id(lt);
        duckdb_destroy_logical_type(&lt);
        if (t != (m_isInt[c] ? DUCKDB_TYPE_BIGINT : DUCKDB_TYPE_VARCHAR)) {
            m_chunkError = QStringLiteral("column '%1': unexpected type from the reader").arg(QString::fromStdString(m_names[c]));
            return false;
        }
        m_data[c] = duckdb_vector_get_data(v);
        m_valid[c] = duckdb_vector_get_validity(v);
    }
    const idx_t n = duckdb_data_chunk_get_size(chunk);
    for (idx_t r = 0; r < n; ++r) row(r, m_data, m_valid);
    if (m_totalRows > 0)
        m_sink.progress(
            static_cast<qint64>(static_cast<double>(m_size) * static_cast<double>(m_row) / static_cast<double>(m_totalRows)));
    return true;
}

void takeRows(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output)
{
    const idx_t n = duckdb_data_chunk_get_size(input);
    std::memset(duckdb_vector_get_data(output), 0, n * sizeof(bool));
    if (n == 0) return;
    const auto* token = static_cast<const int64_t*>(duckdb_vector_get_data(duckdb_data_chunk_get_vector(input, 0)));
    ParquetRead* read = nullptr;
    {
        Readers& all = readers();
        const std::lock_guard<std::mutex> lock(all.mutex);
        const auto it = all.byToken.find(token[0]);
        if (it != all.byToken.end()) read = it->second;
    }
    if (!read) {
        duckdb_scalar_function_set_error(info, "no read for this token");
        return;
    }
    try {
        if (!read->takeChunk(input)) duckdb_scalar_function_set_error(info, "stopped");
    } catch (const std::exception& e) { // no exception may cross DuckDB's C boundary
        duckdb_scalar_function_set_error(info, e.what());
    }
}

/// Rows first+1 .. end (1-based) of row group `group` (0-based) could not be decoded.
void ParquetRead::rejectDamaged(const QString& reason, qint64 group, qint64 first, qint64 end)
{
    const QString why =
        QStringLiteral("Parquet row group %1 (rows %2-%3) unreadable: %4").arg(group + 1).arg(first + 1).arg(end).arg(reason);
    for (qint64 r = first; r < end; ++r) {
        Rejection rej;
        rej.line = r + 1;
        rej.reason = why;
        m_damaged.push_back(std::move(rej));
    }
    m_row = end;
    m_out.linesRead += end - first;
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
        m_out.truncated = m_row > 0;
        fail(QStringLiteral("Parquet file corrupt after %1 rows: %2").arg(m_row).arg(first));
        return;
    }
    for (size_t g = 0; g < m_groups.size() && !m_out.cancelled; ++g) {
        const qint64 end = m_groups[g].first + m_groups[g].rows;
        if (end <= m_row) continue;
        const QString error = streamRows(con, " WHERE file_row_number >= " + std::to_string(m_row) + " AND file_row_number < "
                                                  + std::to_string(end));
        if (!error.isEmpty()) rejectDamaged(error, static_cast<qint64>(g), m_row, end);
    }
    if (m_out.cancelled) return;
    if (m_out.records + m_out.rejected == 0) { // nothing decoded: m_damaged was never flushed
        m_out.linesRead = 0;
        fail(QStringLiteral("Parquet file unreadable: %1").arg(first));
        m_damaged.clear();
        return;
    }
    flushDamaged();
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
                       .arg(m_names.size())
                       .arg(m_codecs.isEmpty() ? QString() : QStringLiteral(", ") + m_codecs);
    if (m_totalRows == 0) {
        fail(QStringLiteral("empty Parquet file (no rows)"));
        return std::move(m_out);
    }
    readRows(con.handle);
    if (!m_out.fatal && !m_out.cancelled && m_row != m_totalRows)
        fail(QStringLiteral("Parquet file corrupt: %1 rows read, the footer says %2").arg(m_row).arg(m_totalRows));
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
    const QString e = runQuery(con.handle, sql.c_str(), fd, false, r);
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
