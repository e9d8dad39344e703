#include "core/ingest/ingest_reader.h"

#include "core/ingest/ingest_json.h"

#include <cstring>

namespace core::detail {
namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool startsWith(std::string_view s, std::string_view p)
{
    return s.substr(0, p.size()) == p;
}

/// Why the start of a file is not text we can read, or empty if it may be.
QString binaryReason(std::string_view head)
{
    if (startsWith(head, "PAR1")) // readFile() hands Parquet files to parquet.cpp; a buffer cannot be
        return QStringLiteral("Parquet file: not supported from standard input or a buffer (open the file itself)");
    if (startsWith(head, std::string_view("PK\x03\x04", 4))) return QStringLiteral("zip archive: extract it first");
    if (startsWith(head, "BZh")) return QStringLiteral("bzip2 data: decompress it first");
    if (startsWith(head, std::string_view("\xFD"
                                          "7zXZ",
                                          5)))
        return QStringLiteral("xz data: decompress it first");
    if (startsWith(head, std::string_view("\x28\xB5\x2F\xFD", 4))) return QStringLiteral("zstd data: decompress it first");
    if (startsWith(head, std::string_view("\x1F\x8B", 2)))
        return QStringLiteral("gzip data inside gzip: decompress it once first");
    if (startsWith(head, std::string_view("\xFF\xFE", 2)) || startsWith(head, std::string_view("\xFE\xFF", 2)))
        return QStringLiteral("UTF-16 text: not supported (save it as UTF-8)");
    // Control bytes (NUL included) above 5% of the first 4 KiB: binary. A stray NUL inside one
    // record of a text file is left to the line parser (that line is rejected). Runs of NULs
    // that fill whole lines after some text are padding left by an interrupted write
    // (preallocated or crashed writers): not counted, the reader rejects each run as one line.
    const std::string_view probe = head.substr(0, 4096);
    size_t control = 0;
    size_t considered = 0;
    bool sawText = false;
    for (size_t i = 0; i < probe.size(); ++i) {
        if (sawText && probe[i] == '\0' && i > 0 && probe[i - 1] == '\n') {
            size_t end = probe.find_first_not_of('\0', i);
            if (end == std::string_view::npos) break;       // padding to the end of the probe
            if (probe[end] == '\n' || probe[end] == '\r') { // a line of NULs
                i = end;
                continue;
            }
        }
        const auto c = static_cast<unsigned char>(probe[i]);
        ++considered;
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f) ++control;
        else if (c > 0x20) sawText = true;
    }
    if (control * 20 > considered) return QStringLiteral("binary data, not a flow log");
    return {};
}

bool nameLikeCell(std::string_view c)
{
    if (c.empty() || isDigit(c.front())) return false;
    bool letter = false;
    for (char ch : c) {
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) letter = true;
        else if (!(isDigit(ch) || ch == '_' || ch == '-' || ch == '@' || ch == '.')) return false;
    }
    return letter;
}

} // namespace

Reader::Reader(const QString& name, const ReadOptions& options, RecordSink& sink)
    : m_name(name), m_options(options), m_sink(sink), m_parseThread(options.parseThread),
      m_tokens(new std::string_view[kMaxTokens])
{
    if (!options.format.trimmed().isEmpty()) {
        const auto tokens = parseFormatString(options.format);
        if (tokens.ok()) {
            std::vector<QByteArray> utf8;
            std::vector<std::string_view> views;
            views.reserve(utf8.size());
            for (const QString& t : tokens.value()) utf8.push_back(t.toUtf8());
            for (const QByteArray& b : utf8) views.emplace_back(b.constData(), static_cast<size_t>(b.size()));
            m_user = Layout::fromNames(views, Layout::Source::UserFormat,
                                       [this](std::string_view t) { return m_sink.extraColumn(t); });
        } else {
            fail(tokens.error().message); // e.g. "format: '${version' is not a field name"
        }
    }
}

Reader::~Reader() = default;

void Reader::fail(const QString& reason, qint64 line)
{
    if (!m_out.fatal) m_out.fatal = Error{m_name, line, 0, reason};
    m_stopped = true;
}

bool Reader::checkCancel()
{
    if (m_options.cancel && m_options.cancel->load(std::memory_order_relaxed)) {
        m_out.cancelled = true;
        m_stopped = true;
    }
    return !m_stopped;
}

bool Reader::feed(std::string_view data)
{
    if (m_stopped) return false;
    if (m_form == Form::Sniffing) {
        if (m_sniff.empty() && data.size() >= kSniffBytes) {
            if (startsWith(data, "\xEF\xBB\xBF")) data.remove_prefix(3); // UTF-8 BOM
            if (!decide(data, false)) return false;
            return process(data);
        }
        m_sniff.append(data);
        if (m_sniff.size() < kSniffBytes) return true;
        std::string window;
        window.swap(m_sniff);
        std::string_view w(window);
        if (startsWith(w, "\xEF\xBB\xBF")) w.remove_prefix(3);
        if (!decide(w, false)) return false;
        return process(w);
    }
    return process(data);
}

bool Reader::process(std::string_view data)
{
    if (m_form == Form::Json) return jsonFeed(data);
    return feedLines(data);
}

bool Reader::decide(std::string_view window, bool atEnd)
{
    size_t i = 0;
    while (i < window.size() && std::strchr(" \t\r\n\f", window[i]) != nullptr && window[i] != '\0') ++i;
    if (i == window.size()) {
        m_form = Form::Text; // only blank lines so far: they are counted as skipped
        return true;
    }
    const QString bin = binaryReason(window);
    if (!bin.isEmpty()) {
        fail(bin);
        return false;
    }
    if (window[i] == '{' || window[i] == '[') {
        m_form = Form::Json;
        m_json = std::make_unique<Json>();
        return true;
    }
    // Look at the first few non-blank lines.
    size_t pos = 0;
    int looked = 0;
    bool first = true;
    QString firstReason;
    while (pos < window.size() && looked < 5) {
        size_t nl = window.find('\n', pos);
        const bool complete = nl != std::string_view::npos;
        if (!complete && !atEnd && looked > 0) break;
        if (!complete) nl = window.size();
        std::string_view line = trimLine(window.substr(pos, nl - pos));
        pos = nl + 1;
        if (isBlank(line)) continue;
        ++looked;
        if (first) {
            first = false;
            if (line.find(',') != std::string_view::npos && splitCsv(line) && m_cells.size() >= 2) {
                bool names = true;
                for (auto c : m_cells) names = names && nameLikeCell(c);
                if (names) {
                    m_form = Form::Csv;
                    return true;
                }
            }
        }
        std::string_view tokens[kMaxTokens];
        const std::string_view rec = stripIsoTimestamp(line);
        const int n = splitFields(rec, tokens, kMaxTokens);
        const std::span<const std::string_view> toks(tokens, static_cast<size_t>(std::min(n, kMaxTokens)));
        if (n <= kMaxTokens && looksLikeHeader(toks)) {
            m_form = Form::Text;
            return true;
        }
        if ((m_user && m_user->size() == n) || guessHeaderless(toks)) {
            m_form = Form::Text;
            return true;
        }
        if (firstReason.isEmpty()) {
            firstReason = m_user ? QStringLiteral("the first record has %1 fields, the format has %2").arg(n).arg(m_user->size())
                                 : QStringLiteral("the first line has %1 fields and is neither a header nor a "
                                                  "default TGW (36) or VPC (14) record; a headerless custom "
                                                  "format needs the format string")
                                       .arg(n);
        }
    }
    fail(QStringLiteral("not a recognised flow log: ") + firstReason);
    return false;
}

bool Reader::feedLines(std::string_view data)
{
    if (m_parseThread && m_form == Form::Text) return feedLinesParallel(data);
    return feedLinesSerial(data);
}

void Reader::carryOver(const char* p, const char* end)
{
    if (m_discarding) return;
    const size_t room = kMaxLine - m_carry.size();
    const auto len = static_cast<size_t>(end - p);
    if (len > room) {
        m_carry.append(p, std::min(len, static_cast<size_t>(kMaxRaw)));
        m_discarding = true;
    } else {
        m_carry.append(p, len);
    }
}

bool Reader::feedLinesSerial(std::string_view data)
{
    const char* p = data.data();
    const char* const e = p + data.size();
    if (!m_carry.empty() || m_discarding) {
        const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(e - p)));
        const char* end = nl ? nl : e;
        carryOver(p, end);
        if (!nl) return checkCancel();
        if (m_discarding) overlongLine(m_carry);
        else physicalLine(m_carry);
        m_carry.clear();
        m_discarding = false;
        p = nl + 1;
    }
    const char* lastCheck = p;
    while (p < e && !m_stopped) {
        const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(e - p)));
        if (!nl) {
            const auto len = static_cast<size_t>(e - p);
            if (len > kMaxLine) {
                m_carry.assign(p, static_cast<size_t>(kMaxRaw));
                m_discarding = true;
            } else {
                m_carry.assign(p, len);
            }
            break;
        }
        const std::string_view line(p, static_cast<size_t>(nl - p));
        if (line.size() > kMaxLine) overlongLine(line.substr(0, static_cast<size_t>(kMaxRaw)));
        else physicalLine(line);
        p = nl + 1;
        if (p - lastCheck >= 65536) {
            lastCheck = p;
            if (!checkCancel()) return false;
        }
    }
    return checkCancel();
}

namespace {
/// True if `line` (a physical line, CR allowed at the end) is nothing but NUL bytes.
bool nulPadding(std::string_view line)
{
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return !line.empty() && line.find_first_not_of('\0') == std::string_view::npos;
}
} // namespace

void Reader::physicalLine(std::string_view line)
{
    ++m_line;
    ++m_out.linesRead;
    if (!line.empty() && line.front() == '\0' && nulPadding(line)) {
        const size_t nuls = line.size() - (line.back() == '\r' ? 1 : 0);
        rejectLine(m_line, QStringLiteral("%1 NUL bytes (padding left by an interrupted write)").arg(nuls), {});
        return;
    }
    if (m_form == Form::Csv) csvRow(line, m_line);
    else handleRecordText(line, m_line, false);
}

void Reader::overlongLine(std::string_view prefix)
{
    ++m_line;
    ++m_out.linesRead;
    if (nulPadding(prefix)) {
        rejectLine(m_line, QStringLiteral("more than 1 MiB of NUL bytes (padding left by an interrupted write)"), {});
        return;
    }
    rejectLine(m_line, QStringLiteral("line longer than 1 MiB"), prefix);
}

void Reader::rejectLine(qint64 line, const QString& reason, std::string_view raw)
{
    ++m_out.rejected;
    Rejection r;
    r.line = line;
    r.reason = reason;
    r.raw = QString::fromUtf8(raw.data(), static_cast<qsizetype>(std::min<size_t>(raw.size(), kMaxRaw)));
    if (r.raw.size() > kMaxRaw) r.raw.truncate(kMaxRaw);
    m_sink.reject(r);
}

void Reader::setHeader(std::span<const std::string_view> tokens)
{
    m_header = Layout::fromNames(tokens, Layout::Source::Header, [this](std::string_view t) { return m_sink.extraColumn(t); });
    if (!(m_seen & SeenHeader)) m_firstHeaderSize = m_header->size();
    m_seen |= SeenHeader;
    if (m_parseThread) m_headerSnapshot = std::make_shared<const Layout>(*m_header);
    ++m_headerGen;
}

const Layout* Reader::chooseLayout(const Layout* header, const Layout* user, std::span<const std::string_view> tokens, int count,
                                   unsigned* seen)
{
    *seen = 0;
    if (header) return header;
    if (user && count == user->size()) {
        *seen = SeenUser;
        return user;
    }
    const Layout* l = guessHeaderless(tokens);
    if (!l && !user) { // last resort by count: values are still type-checked
        if (count == tgwDefault().size()) l = &tgwDefault();
        else if (count == vpcDefault().size()) l = &vpcDefault();
    }
    if (l) {
        *seen = l->source == Layout::Source::TgwDefault ? SeenTgw : SeenVpc;
        return l;
    }
    return user; // count mismatch is reported against the user's format
}

const Layout* Reader::pickLayout(std::span<const std::string_view> tokens, int count, QString* reason)
{
    unsigned seen = 0;
    const Layout* l = chooseLayout(m_header ? &*m_header : nullptr, m_user ? &*m_user : nullptr, tokens, count, &seen);
    m_seen |= seen;
    if (!l) *reason = QStringLiteral("%1 fields and no header: not a TGW default (36) or VPC default (14) record").arg(count);
    return l;
}

void Reader::handleRecordText(std::string_view text, qint64 line, bool fromMessage)
{
    std::string_view t = trimLine(text);
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    if (t.empty()) {
        if (fromMessage) rejectLine(line, QStringLiteral("empty message"), text);
        else ++m_out.skipped;
        return;
    }
    if (isDigit(t.front())) {
        bool stamped = false;
        t = stripIsoTimestamp(t, &stamped);
        if (stamped) m_seen |= SeenExport;
    }
    std::string_view* const tokens = m_tokens.get();
    const int n = splitFields(t, tokens, kMaxTokens);
    const std::span<const std::string_view> toks(tokens, static_cast<size_t>(std::min(n, kMaxTokens)));
    const char c0 = t.front();
    if (!isDigit(c0) && c0 != '-' && n <= kMaxTokens && looksLikeHeader(toks)) {
        setHeader(toks);
        ++m_out.skipped;
        return;
    }
    QString reason;
    const Layout* layout = pickLayout(toks, n, &reason);
    if (!layout) {
        rejectLine(line, reason, t);
        return;
    }
    if (n != layout->size()) {
        rejectLine(line,
                   QStringLiteral("%1 fields, %2 has %3").arg(n).arg(QLatin1String(layout->sourceName())).arg(layout->size()), t);
        return;
    }
    const ParseResult r = parseTokens(toks, *layout, m_rec);
    if (!r.ok()) {
        rejectLine(line, r.reason, t);
        return;
    }
    m_rec.line = line;
    m_rec.raw = t;
    ++m_out.records;
    m_sink.record(m_rec);
}

void Reader::finish(bool cutOff, const QString& cutReason)
{
    if (m_form == Form::Sniffing && !m_stopped) {
        std::string window;
        window.swap(m_sniff);
        std::string_view w(window);
        if (startsWith(w, "\xEF\xBB\xBF")) w.remove_prefix(3); // UTF-8 BOM
        if (w.empty()) {
            if (!cutOff) fail(QStringLiteral("empty file"));
        } else if (decide(w, true)) {
            process(w);
        }
    }
    drainJobs(); // text pieces still queued come before the last line
    if (!m_stopped) {
        if (m_form == Form::Json) {
            jsonFinish();
        } else if (!m_carry.empty() || m_discarding) {
            if (cutOff) {
                ++m_line;
                ++m_out.linesRead;
                rejectLine(m_line, QStringLiteral("incomplete last line (%1)").arg(cutReason), m_carry);
            } else if (m_discarding) {
                overlongLine(m_carry);
            } else {
                physicalLine(m_carry);
            }
            m_carry.clear();
            m_discarding = false;
        }
    }
    if (!cutOff && !m_out.fatal && !m_out.cancelled && m_form == Form::Text && m_out.records == 0 && m_out.rejected == 0
        && !(m_seen & SeenHeader))
        fail(m_out.skipped > 0 ? QStringLiteral("empty file (%1 blank lines)").arg(m_out.skipped) : QStringLiteral("empty file"));
    m_out.format = formName();
    if (!m_out.format.isEmpty() && !m_formSuffix.isEmpty()) m_out.format += m_formSuffix;
}

QString Reader::formName() const
{
    switch (m_form) {
    case Form::Sniffing:
        return {};
    case Form::Json:
        return jsonFormName();
    case Form::Csv:
        if (m_csvMessageCol >= 0)
            return QStringLiteral("CloudWatch CSV (%1)")
                .arg(QString::fromStdString(m_csvHeader[static_cast<size_t>(m_csvMessageCol)]));
        return QStringLiteral("Athena CSV (%1 columns)").arg(m_csvHeader.size());
    case Form::Text:
        break;
    }
    QStringList parts;
    if (m_seen & SeenHeader) parts << QStringLiteral("header, %1 fields").arg(m_firstHeaderSize);
    if (m_seen & SeenTgw) parts << QStringLiteral("TGW default");
    if (m_seen & SeenVpc) parts << QStringLiteral("VPC default");
    if (m_seen & SeenUser) parts << QStringLiteral("custom format, %1 fields").arg(m_user ? m_user->size() : 0);
    const QString inner = parts.join(QStringLiteral(" + "));
    if (m_seen & SeenExport) return QStringLiteral("CloudWatch export (%1)").arg(inner);
    if (m_seen & SeenHeader) return QStringLiteral("S3 text (%1)").arg(inner);
    if (inner.isEmpty()) return QStringLiteral("text");
    return QStringLiteral("headerless ") + inner;
}

} // namespace core::detail
