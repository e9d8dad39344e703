// Logs Insights records results read by the streaming JSON scanner (ingest_json.cpp): the
// `aws logs get-query-results` form {"results": [[{"field": "srcAddr", "value": "10.0.0.1"},
// ...], ...]}. Each row is one record, its fields by name (the registry's names or the VPC names
// Logs Insights discovers, unknown plain names as extra columns, `@` fields left out, a missing
// or empty value absent), or one rejection at the line the row starts on. A row holding
// `@message` is that message's record text. An aggregate result (no srcaddr, dstaddr or
// log_status, or a `flows` count) is refused: Remote > Open Athena / Logs Insights Result… reads it.
#include "core/ingest/ingest_json.h"
#include "core/ingest/insights_names.h"
#include "core/model/fields.h"

#include <algorithm>
#include <limits>
#include <tuple>

namespace core::detail {
namespace {

bool plainName(std::string_view s)
{
    if (s.empty()) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
    return true;
}

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
    return s;
}

QString q(std::string_view s, qsizetype max = 60)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(std::min<size_t>(s.size(), 4 * static_cast<size_t>(max))))
        .left(max);
}

} // namespace

void Reader::jsonResultsOpen(bool isString, char container)
{
    Json& j = *m_json;
    const size_t depth = j.stack.size();
    if (depth == 1 && container == '{' && j.stack[0] == '[') { // an object in a top-level array: maybe an export row
        j.rowLine = j.line;
        j.cells.clear();
        j.rowError.clear();
        j.rowHadMessage = false;
        j.rowMessages = j.messages;
        j.cellHasField = j.cellHasValue = j.cellScalar = false;
        return;
    }
    if (depth == 2 && container != '\0' && j.inExportRow() && j.pending == Json::Pending::CellValue) {
        if (j.rowError.isEmpty())
            j.rowError = QStringLiteral("field '%1': the value is not a string or number").arg(q(j.cellField));
        j.cellHasField = false; // nothing to add when the key after it or the row's end comes
        return;
    }
    if (j.resultsDepth == 0 && j.pending != Json::Pending::Results) return;
    if (j.pending == Json::Pending::Results) { // the value of the top-level "results" key
        if (container == '[') {
            j.resultsDepth = depth + 1;
            j.sawResults = true;
        }
        return;
    }
    if (depth == j.resultsDepth) { // a row starts
        j.rowLine = j.line;
        j.cells.clear();
        j.rowError.clear();
        if (container != '[') j.rowError = QStringLiteral("a result row is not an array of {\"field\", \"value\"} cells");
        if (container == '\0') jsonRow(); // a bare string or scalar: rejected now
        return;
    }
    if (depth == j.resultsDepth + 1) { // a cell starts
        if (container == '{' && j.stack.back() == '[') {
            j.cellField.clear();
            j.cellValue.clear();
            j.cellHasField = j.cellHasValue = false;
        } else if (j.rowError.isEmpty()) {
            j.rowError = QStringLiteral("a row cell is not a {\"field\", \"value\"} object");
        }
        return;
    }
    if (!isString && j.rowError.isEmpty() && depth == j.resultsDepth + 2) {
        if (j.pending == Json::Pending::CellField) j.rowError = QStringLiteral("a cell's \"field\" is not a JSON string");
        else if (j.pending == Json::Pending::CellValue)
            j.rowError = j.cellHasField ? QStringLiteral("field '%1': the value is not a JSON string").arg(q(j.cellField))
                                        : QStringLiteral("a cell's \"value\" is not a JSON string");
    }
}

void Reader::jsonResultsClose(char c)
{
    Json& j = *m_json;
    const size_t depth = j.stack.size();
    if (depth == 1 && c == '}' && j.stack[0] == '[') { // an object in a top-level array ended
        j.flushCell();
        if (!j.rowHadMessage && j.messages == j.rowMessages) {
            j.sawExportRows = true;
            jsonRow();
        }
        j.cells.clear();
        return;
    }
    if (j.resultsDepth == 0) return;
    if (depth + 1 == j.resultsDepth) {
        j.resultsDepth = 0; // the results array ended
    } else if (depth == j.resultsDepth) {
        jsonRow();
    } else if (c == '}' && depth == j.resultsDepth + 1 && j.stack.back() == '[' && j.rowError.isEmpty()) {
        if (!j.cellHasField) j.rowError = QStringLiteral("a cell without a \"field\"");
        else j.flushCell();
    }
}

void Reader::jsonRow()
{
    Json& j = *m_json;
    ++m_out.linesRead;
    ++j.lineMessages;
    auto shownRow = [&j] {
        std::string s;
        for (const auto& [f, v] : j.cells) {
            if (s.size() > static_cast<size_t>(kMaxRaw)) break;
            if (!s.empty()) s += ' ';
            s += f;
            s += '=';
            s += v;
        }
        return s;
    };
    auto reject = [&](const QString& reason) { rejectLine(j.rowLine, reason, shownRow()); };
    if (!j.rowError.isEmpty()) return reject(j.rowError);
    if (j.cells.empty()) return reject(QStringLiteral("an empty result row"));

    // (registry index or INT_MAX for an extra column, column name, cell)
    std::vector<std::tuple<int, std::string, size_t>> cols;
    const std::string* message = nullptr;
    bool src = false, dst = false, status = false, flows = false;
    std::string lower;
    for (size_t i = 0; i < j.cells.size(); ++i) {
        const std::string& f = j.cells[i].first;
        if (!f.empty() && f.front() == '@') {
            if (f == "@message") message = &j.cells[i].second;
            continue; // @timestamp, @ptr, @logStream: not record fields
        }
        auto known = j.names.find(f);
        if (known == j.names.end()) {
            lower.resize(f.size());
            std::transform(f.begin(), f.end(), lower.begin(),
                           [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
            const std::string_view name = insightsFieldName(lower);
            const auto id = findField(name);
            if (!id && !plainName(name)) return reject(QStringLiteral("field '%1' is not a flow log field name").arg(q(f)));
            if (j.names.size() >= 4096) j.names.clear(); // bounded, whatever the input
            known = j.names
                        .emplace(f, std::pair{id ? static_cast<int>(*id) : std::numeric_limits<int>::max(),
                                              id ? std::string(fieldInfo(*id).column) : std::string(name)})
                        .first;
        }
        const auto& [rank, column] = known->second;
        src = src || column == "srcaddr";
        dst = dst || column == "dstaddr";
        status = status || column == "log_status";
        flows = flows || column == "flows";
        cols.emplace_back(rank, column, i);
    }
    if (message && (cols.empty() || !(src || dst))) { // `fields @timestamp, @message`: the message is the record
        ++j.messageRows;
        handleRecordText(*message, j.rowLine, true);
        return;
    }
    if (flows || !(src || dst || status)) {
        // Before anything came from this file such a row refuses the whole file (it is no flow
        // log, or an aggregate result); after records or rejections it is one more rejection.
        const bool first = j.recordRows == 0 && m_out.records == 0 && m_out.rejected == 0;
        if (first) --m_out.linesRead;       // the file is refused: this row is not a line read
        if (first && j.resultsDepth == 0) { // an export: any JSON array of objects
            fail(QStringLiteral("JSON objects without srcaddr and dstaddr fields: not flow log records (a Logs Insights "
                                "aggregate result opens with Remote > Open Athena / Logs Insights Result…)"),
                 j.rowLine);
            return;
        }
        if (first) {
            fail(QStringLiteral("a Logs Insights aggregate result (no srcaddr and dstaddr fields%1), not flow log records: "
                                "open it with Remote > Open Athena / Logs Insights Result…")
                     .arg(flows ? QStringLiteral(", a flows count") : QString()),
                 j.rowLine);
            return;
        }
        return reject(QStringLiteral("no srcaddr, dstaddr or log_status field: not a flow log record"));
    }
    std::sort(cols.begin(), cols.end());
    for (size_t k = 1; k < cols.size(); ++k)
        if (std::get<1>(cols[k]) == std::get<1>(cols[k - 1]))
            return reject(QStringLiteral("field '%1' appears twice").arg(q(std::get<1>(cols[k]))));

    // The layout of this row's fields, rebuilt only when they differ from the previous row's.
    bool same = cols.size() == j.rowNames.size();
    for (size_t k = 0; same && k < cols.size(); ++k) same = std::get<1>(cols[k]) == j.rowNames[k];
    if (!same) {
        j.rowNames.clear();
        std::vector<std::string_view> names;
        for (const auto& col : cols) j.rowNames.push_back(std::get<1>(col));
        for (const std::string& n : j.rowNames) names.emplace_back(n);
        j.rowLayout =
            Layout::fromNames(names, Layout::Source::Header, [this](std::string_view t) { return m_sink.extraColumn(t); });
    }
    std::string_view* const tokens = m_tokens.get();
    j.rowRaw.clear();
    size_t n = 0;
    for (const auto& [rank, column, cell] : cols) {
        const std::string_view v = trimmed(j.cells[cell].second);
        if (std::any_of(v.begin(), v.end(), isSpace))
            return reject(
                QStringLiteral("field '%1': '%2' holds a space, which no flow log value does").arg(q(j.cells[cell].first), q(v)));
        if (n == static_cast<size_t>(kMaxTokens)) return reject(QStringLiteral("more than %1 fields").arg(kMaxTokens));
        tokens[n++] = v.empty() ? std::string_view("-") : v;
    }
    for (size_t k = 0; k < n; ++k) {
        if (k > 0) j.rowRaw += ' ';
        j.rowRaw += tokens[k];
    }
    const ParseResult r = parseTokens(std::span<const std::string_view>(tokens, n), j.rowLayout, m_rec);
    if (!r.ok()) return reject(r.reason);
    m_rec.line = j.rowLine;
    m_rec.raw = j.rowRaw;
    ++j.recordRows;
    ++m_out.records;
    m_sink.record(m_rec);
}

} // namespace core::detail
