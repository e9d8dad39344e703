// The Parquet reader's row mapping: columns to fields, rows to records or rejections (see
// parquet_rows.h). Each row is checked as a text line is: the common row is taken straight
// from DuckDB's vectors (fastRow), anything unusual is formatted as text tokens for
// parseTokens() to decide and word.
#ifdef FLOWLOG_PARQUET
#include "core/ingest/parquet_rows.h"

#include "core/ingest/parquet_duckdb.h"

#include <QFileInfo>

#include <algorithm>
#include <charconv>
#include <optional>

namespace core::parquet {

namespace {

/// Rejection::raw keeps at most this many characters.
constexpr size_t kRawLimit = 4096;

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

} // namespace

ColumnPlan planColumn(size_t index, const std::string& name, duckdb_type type, uint8_t decimalScale)
{
    ColumnPlan plan;
    const std::optional<FieldId> field = findField(name);
    const bool integerField = field && fieldInfo(*field).type == FieldType::Integer;
    const QString qname = QString::fromStdString(name);
    if (isNested(type)) {
        plan.error =
            QStringLiteral("Parquet column '%1' is a nested type (%2): not supported").arg(qname, QLatin1String(typeName(type)));
        return plan;
    }
    // Columns are renamed c0, c1, ... (the FROM clause's alias list): a file's own column named
    // file_row_number then no longer hides DuckDB's virtual one, which the reader filters on.
    const std::string column = std::string(1, 'c').append(std::to_string(index));
    // DECIMAL(p, 0) is a whole number (some writers use it for counters): read as text, so
    // the parser judges it like any number (UBIGINT and HUGEINT likewise).
    if (type == DUCKDB_TYPE_BIGINT) {
        plan.expr = column;
        plan.asInt = true;
    } else if (isSignedOrSmall(type)) {
        plan.expr = "CAST(" + column + " AS BIGINT)";
        plan.asInt = true;
    } else if (type == DUCKDB_TYPE_VARCHAR) {
        plan.expr = column;
    } else if (type == DUCKDB_TYPE_BLOB || type == DUCKDB_TYPE_UBIGINT || type == DUCKDB_TYPE_HUGEINT
               || type == DUCKDB_TYPE_UHUGEINT || (type == DUCKDB_TYPE_DECIMAL && decimalScale == 0) || !integerField) {
        plan.expr = "CAST(" + column + " AS VARCHAR)"; // the parser judges the text
    } else {
        const QString typeText = type == DUCKDB_TYPE_DECIMAL ? QStringLiteral("DECIMAL with %1 decimal places").arg(decimalScale)
                                                             : QLatin1String(typeName(type));
        plan.error = QStringLiteral("Parquet column '%1' is %2, but %3 is an integer field").arg(qname, typeText, qname);
    }
    return plan;
}

void RowMapper::setColumns(const std::vector<std::string>& names, const std::vector<char>& isInt, const QString& path)
{
    m_names = names;
    m_isInt = isInt;
    m_data.resize(m_names.size());
    m_valid.resize(m_names.size());
    std::vector<std::string_view> views(m_names.begin(), m_names.end());
    m_layout = Layout::fromNames(views, Layout::Source::Header, [this](std::string_view t) { return m_sink.extraColumn(t); });
    m_tokens.resize(m_names.size());
    m_scratch.resize(m_names.size() * 24);
    m_partitions = pathPartitions(QFileInfo(path).absoluteFilePath());
}

QString RowMapper::takeChunk(duckdb_data_chunk chunk, idx_t from, idx_t to)
{
    const idx_t cols = m_data.size();
    if (duckdb_data_chunk_get_column_count(chunk) != cols + 1) return QStringLiteral("unexpected columns from the reader");
    for (idx_t c = 0; c < cols; ++c) {
        duckdb_vector v = duckdb_data_chunk_get_vector(chunk, c + 1);
        duckdb_logical_type lt = duckdb_vector_get_column_type(v);
        const duckdb_type t = duckdb_get_type_id(lt);
        duckdb_destroy_logical_type(&lt);
        if (t != (m_isInt[c] ? DUCKDB_TYPE_BIGINT : DUCKDB_TYPE_VARCHAR))
            return QStringLiteral("column '%1': unexpected type from the reader").arg(QString::fromStdString(m_names[c]));
        m_data[c] = duckdb_vector_get_data(v);
        m_valid[c] = duckdb_vector_get_validity(v);
    }
    for (idx_t r = from; r < to; ++r) row(r);
    return {};
}

/// The common row without text round trips: integers straight from BIGINT vectors, strings
/// checked as parseTokens() checks them. False for anything unusual (a control byte in a text, a negative or
/// millisecond-sized number, a number in a text column, a text in a number column, a bad
/// address): row() then formats the row as text tokens and lets parseTokens() decide and word
/// the reason, so both paths give the same records and the same rejections.
bool RowMapper::fastRow(idx_t r)
{
    constexpr int64_t kSurelySeconds = 100'000'000'000LL; // parser: start/end above 1e11 are ms
    m_rec.present.reset();
    m_rec.extras.clear();
    for (size_t c = 0; c < m_tokens.size(); ++c) {
        const uint64_t* v = m_valid[c];
        if (v && !(v[r >> 6] & (uint64_t(1) << (r & 63)))) continue;
        const LayoutColumn& col = m_layout.columns[c];
        if (m_isInt[c]) {
            const int64_t x = static_cast<const int64_t*>(m_data[c])[r];
            if (x < 0 || (col.kind != ColumnKind::Integer && col.kind != ColumnKind::Time)) return false;
            if (col.kind == ColumnKind::Time && x > kSurelySeconds) return false;
            m_rec.setInt(col.field, x);
            continue;
        }
        const std::string_view t = stringAt(m_data[c], r);
        if (t.empty() || (t.size() == 1 && t[0] == '-')) continue;
        switch (col.kind) {
        case ColumnKind::Text:
            if (hasControlByte(t)) return false; // parseTokens() rejects it and says why
            m_rec.setText(col.field, t);
            break;
        case ColumnKind::Address:
            if (!isIPv4(t) && !isIPv6(t)) return false;
            m_rec.setText(col.field, t);
            break;
        case ColumnKind::Extra:
            if (hasControlByte(t)) return false;
            if (col.extra >= 0) m_rec.extras.emplace_back(col.extra, t);
            break;
        case ColumnKind::Integer:
        case ColumnKind::Time:
            return false;
        }
    }
    return true;
}

void RowMapper::flushDamaged()
{
    for (const Rejection& r : m_damaged) {
        ++m_out.rejected;
        m_sink.reject(r);
    }
    m_damaged.clear();
}

void RowMapper::row(idx_t r)
{
    if (!m_damaged.empty()) flushDamaged(); // rows of a damaged row group before this one
    ++m_row;
    ++m_out.linesRead;
    if (fastRow(r)) {
        fillFromPath(m_rec, m_partitions);
        m_rec.line = m_row;
        m_rec.raw = {};
        ++m_out.records;
        m_sink.record(m_rec);
        return;
    }
    char* scratch = m_scratch.data();
    for (size_t c = 0; c < m_tokens.size(); ++c) {
        const uint64_t* v = m_valid[c];
        if (v && !(v[r >> 6] & (uint64_t(1) << (r & 63)))) {
            m_tokens[c] = "-";
        } else if (m_isInt[c]) {
            const auto res = std::to_chars(scratch, scratch + 24, static_cast<const int64_t*>(m_data[c])[r]);
            m_tokens[c] = std::string_view(scratch, static_cast<size_t>(res.ptr - scratch));
            scratch = res.ptr;
        } else {
            m_tokens[c] = stringAt(m_data[c], r);
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

void RowMapper::rejectDamaged(const QString& reason, qint64 group, qint64 first, qint64 end)
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

} // namespace core::parquet

#endif
