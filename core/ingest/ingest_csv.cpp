// The CSV forms of the per-file reader (ingest_reader.h): Athena query results (a header of
// column names, quoted values) and CloudWatch console / Logs Insights downloads (a
// `timestamp,message` header: each row's message is one record text).
#include "core/ingest/ingest_reader.h"

#include <cctype>

namespace core::detail {
namespace {

bool sameCi(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
    return true;
}

} // namespace

bool Reader::splitCsv(std::string_view line)
{
    m_cells.clear();
    m_csvBuf.clear();
    m_csvBuf.reserve(line.size());
    const char* base = m_csvBuf.data();
    size_t i = 0;
    const size_t n = line.size();
    for (;;) {
        if (i < n && line[i] == '"') {
            ++i;
            const size_t start = i;
            bool escaped = false;
            size_t bufStart = 0;
            for (;;) {
                if (i >= n) return false; // unterminated quote
                if (line[i] == '"') {
                    if (i + 1 < n && line[i + 1] == '"') {
                        if (!escaped) {
                            escaped = true;
                            bufStart = m_csvBuf.size();
                            m_csvBuf.append(line.data() + start, i - start);
                        }
                        m_csvBuf.push_back('"');
                        i += 2;
                        continue;
                    }
                    break;
                }
                if (escaped) m_csvBuf.push_back(line[i]);
                ++i;
            }
            if (escaped) m_cells.emplace_back(base + bufStart, m_csvBuf.size() - bufStart);
            else m_cells.push_back(line.substr(start, i - start));
            ++i;                                 // closing quote
            while (i < n && line[i] != ',') ++i; // tolerate spaces after the quote
        } else {
            const size_t start = i;
            while (i < n && line[i] != ',') ++i;
            m_cells.push_back(line.substr(start, i - start));
        }
        if (i >= n) break;
        ++i; // comma
    }
    return true;
}

void Reader::startCsv()
{
    m_csvHeader.clear();
    m_csvMessageCol = -1;
    m_csvLayout.reset();
    std::vector<std::string_view> names;
    for (auto c : m_cells) {
        m_csvHeader.emplace_back(c);
    }
    for (size_t i = 0; i < m_csvHeader.size(); ++i) {
        const std::string& h = m_csvHeader[i];
        if (sameCi(h, "message") || sameCi(h, "@message")) m_csvMessageCol = static_cast<int>(i);
        names.emplace_back(h);
    }
    if (m_csvMessageCol < 0) {
        m_csvLayout =
            Layout::fromNames(names, Layout::Source::CsvHeader, [this](std::string_view t) { return m_sink.extraColumn(t); });
    }
}

void Reader::csvRow(std::string_view line, qint64 lineNo)
{
    const std::string_view t = trimLine(line);
    if (isBlank(t)) {
        ++m_out.skipped;
        return;
    }
    if (!splitCsv(t)) {
        rejectLine(lineNo, QStringLiteral("unterminated quoted value"), t);
        return;
    }
    if (m_csvHeader.empty()) {
        startCsv();
        ++m_out.skipped;
        return;
    }
    if (m_cells.size() == m_csvHeader.size()) {
        bool repeat = true;
        for (size_t i = 0; i < m_cells.size() && repeat; ++i) repeat = m_cells[i] == m_csvHeader[i];
        if (repeat) { // header repeated (concatenated downloads)
            ++m_out.skipped;
            return;
        }
    }
    if (m_csvMessageCol >= 0) {
        if (static_cast<int>(m_cells.size()) <= m_csvMessageCol) {
            rejectLine(lineNo, QStringLiteral("%1 columns, CSV header has %2").arg(m_cells.size()).arg(m_csvHeader.size()), t);
            return;
        }
        // The message may be an escaped copy in m_csvBuf, which handleRecordText does not touch.
        handleRecordText(m_cells[static_cast<size_t>(m_csvMessageCol)], lineNo, true);
        return;
    }
    if (m_cells.size() != m_csvHeader.size()) {
        rejectLine(lineNo, QStringLiteral("%1 columns, CSV header has %2").arg(m_cells.size()).arg(m_csvHeader.size()), t);
        return;
    }
    const ParseResult r = parseTokens(m_cells, *m_csvLayout, m_rec, true);
    if (!r.ok()) {
        rejectLine(lineNo, r.reason, t);
        return;
    }
    m_rec.line = lineNo;
    m_rec.raw = t;
    ++m_out.records;
    m_sink.record(m_rec);
}

} // namespace core::detail
