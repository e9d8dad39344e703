#include "core/ingest/ingest_json.h"

#include <cstring>

namespace core::detail {
namespace {

void appendUtf8(std::string& out, uint32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool scalarChar(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '+' || c == '.';
}

QString shown(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) return QStringLiteral("'%1'").arg(QLatin1Char(c));
    return QStringLiteral("byte 0x%1").arg(u, 2, 16, QLatin1Char('0'));
}

} // namespace

void Reader::jsonAppend(const char* p, size_t len)
{
    Json& j = *m_json;
    switch (j.capture) {
    case Json::Capture::Message:
        if (j.overflow) return;
        if (j.text.size() + len > kMaxLine) j.overflow = true;
        else j.text.append(p, len);
        return;
    case Json::Capture::Key:
    case Json::Capture::MessageType:
        if (j.key.size() + len <= 64) j.key.append(p, len);
        return;
    case Json::Capture::CellField:
        if (j.cellField.size() + len > 256) {
            if (j.rowError.isEmpty()) j.rowError = QStringLiteral("a field name longer than 256 bytes");
        } else {
            j.cellField.append(p, len);
        }
        return;
    case Json::Capture::CellValue:
        if (j.cellValue.size() + len > kMaxLine) {
            if (j.rowError.isEmpty()) j.rowError = QStringLiteral("a value longer than 1 MiB");
        } else {
            j.cellValue.append(p, len);
        }
        return;
    default:
        return;
    }
}

void Reader::jsonNewline()
{
    Json& j = *m_json;
    if (j.lineMessages == 0) {
        ++m_out.linesRead;
        ++m_out.skipped;
    }
    ++j.line;
    j.lineMessages = 0;
    j.lineHasContent = false;
}

void Reader::jsonValueStart(bool isString, char container)
{
    Json& j = *m_json;
    j.inScalar = false;
    if (j.resultsDepth > 0 || j.pending == Json::Pending::Results || !j.stack.empty()) jsonResultsOpen(isString, container);
    if (isString && j.pending == Json::Pending::CellField) {
        j.capture = Json::Capture::CellField;
        j.cellField.clear();
        j.cellHasField = true;
    } else if (isString && j.pending == Json::Pending::CellValue) {
        j.capture = Json::Capture::CellValue;
        j.cellValue.clear();
        j.cellHasValue = true;
    } else if (!isString && container == '\0' && j.pending == Json::Pending::CellValue && j.inExportRow()) {
        j.capture = Json::Capture::CellValue; // a number, true/false or null: its characters are appended
        j.cellValue.clear();
        j.cellHasValue = j.cellScalar = true;
    } else if (isString && j.pending == Json::Pending::Message) {
        j.capture = Json::Capture::Message;
        j.text.clear();
        j.overflow = false;
        j.textLine = j.line;
    } else if (isString && j.pending == Json::Pending::MessageType) {
        j.capture = Json::Capture::MessageType;
        j.key.clear();
    } else {
        j.capture = isString ? Json::Capture::Other : Json::Capture::None;
    }
    j.pending = Json::Pending::None;
}

// A syntax error rejects the physical line it is on and resynchronises at the next line
// (NDJSON keeps loading after one bad line): the feed loop skips to '\n'.
void Reader::jsonSyntaxError(const QString& what, std::string_view data, size_t at)
{
    Json& j = *m_json;
    const char* d = data.data();
    const size_t n = data.size();
    size_t b = at;
    while (b > 0 && d[b - 1] != '\n') --b;
    size_t e = at;
    while (e < n && d[e] != '\n') ++e;
    ++m_out.linesRead;
    ++j.lineMessages; // the line is accounted for by this rejection
    rejectLine(j.line, QStringLiteral("JSON syntax error: %1").arg(what), std::string_view(d + b, e - b));
    j.stack.clear();
    j.inString = false;
    j.escape = 0;
    j.highSurrogate = 0;
    j.capture = Json::Capture::None;
    j.pending = Json::Pending::None;
    j.expectKey = false;
    j.inScalar = false;
    j.control = false;
    j.skipLine = true;
    j.resultsDepth = 0;
    j.cells.clear();
}

void Reader::jsonEscape(std::string_view data, size_t i)
{
    Json& j = *m_json;
    const char c = data[i];
    if (j.escape == 1) {
        j.escape = 0;
        char out = c;
        switch (c) {
        case 'b':
            out = '\b';
            break;
        case 'f':
            out = '\f';
            break;
        case 'n':
            out = '\n';
            break;
        case 'r':
            out = '\r';
            break;
        case 't':
            out = '\t';
            break;
        case 'u':
            j.escape = 2;
            j.unicode = 0;
            return;
        default:
            break; // '"', '\\', '/' and anything else: the character itself
        }
        jsonAppend(&out, 1);
        return;
    }
    const int h = hexValue(c);
    if (h < 0) {
        jsonSyntaxError(QStringLiteral("bad \\u escape"), data, i);
        return;
    }
    j.unicode = (j.unicode << 4) | static_cast<uint32_t>(h);
    if (++j.escape < 6) return;
    j.escape = 0;
    std::string utf8;
    uint32_t cp = j.unicode;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        j.highSurrogate = cp;
        return;
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
        cp = j.highSurrogate ? 0x10000 + ((j.highSurrogate - 0xD800) << 10) + (cp - 0xDC00) : 0xFFFD;
    }
    j.highSurrogate = 0;
    appendUtf8(utf8, cp);
    jsonAppend(utf8.data(), utf8.size());
}

void Reader::jsonStringEnd()
{
    Json& j = *m_json;
    j.inString = false;
    const Json::Capture cap = j.capture;
    j.capture = Json::Capture::None;
    if (cap == Json::Capture::Key) {
        j.expectKey = false;
        if (j.inCell()) {
            if (j.key == "field") j.pending = Json::Pending::CellField;
            else if (j.key == "value") j.pending = Json::Pending::CellValue;
        } else if (j.inExportRow() && j.key != "message" && j.key != "@message" && j.key != "messageType" && j.key != "events"
                   && j.key != "logEvents") {
            j.flushCell();
            j.cellField = j.key;
            j.cellHasField = true;
            j.pending = Json::Pending::CellValue;
        } else if (j.key == "results" && j.stack.size() == 1) j.pending = Json::Pending::Results;
        else if (j.key == "message") j.pending = Json::Pending::Message;
        else if (j.key == "@message") j.pending = Json::Pending::Message, j.sawAtMessage = true;
        else if (j.key == "messageType") j.pending = Json::Pending::MessageType;
        else if (j.key == "events") j.sawEvents = true;
        else if (j.key == "logEvents") j.sawLogEvents = true;
        if (j.inExportRow() && j.pending != Json::Pending::CellValue) j.rowHadMessage = true;
    } else if (cap == Json::Capture::MessageType) {
        if (j.key == "CONTROL_MESSAGE") j.control = true;
    } else if (cap == Json::Capture::Message) {
        ++j.messages;
        if (!j.control) jsonMessage();
    }
}

size_t Reader::jsonInString(std::string_view data, size_t i, size_t& sinceCheck)
{
    Json& j = *m_json;
    const char c = data[i];
    j.lineHasContent = true;
    if (j.escape >= 1) {
        jsonEscape(data, i);
        return i;
    }
    if (c == '\\') {
        j.escape = 1;
        return i;
    }
    if (c == '"') {
        jsonStringEnd();
        return i;
    }
    if (c == '\n') {
        jsonNewline(); // a raw newline inside a string is invalid JSON; keep line numbers right
        return i;
    }
    size_t k = i;
    while (k < data.size() && data[k] != '"' && data[k] != '\\' && data[k] != '\n') ++k;
    jsonAppend(data.data() + i, k - i);
    sinceCheck += k - i;
    return k - 1;
}

bool Reader::jsonStructural(std::string_view data, size_t i)
{
    Json& j = *m_json;
    const char c = data[i];
    switch (c) {
    case '\n':
        jsonNewline();
        j.inScalar = false;
        return true;
    case ' ':
    case '\t':
    case '\r':
        j.inScalar = false;
        return true;
    default:
        break;
    }
    j.lineHasContent = true;
    switch (c) {
    case '"':
        j.inString = true;
        j.escape = 0;
        if (!j.stack.empty() && j.stack.back() == '{' && j.expectKey) {
            j.capture = Json::Capture::Key;
            j.key.clear();
        } else {
            jsonValueStart(true);
        }
        break;
    case '{':
    case '[':
        if (j.stack.empty()) j.control = false;
        jsonValueStart(false, c);
        if (j.stack.size() >= Json::kMaxDepth) {
            fail(QStringLiteral("JSON nested deeper than %1 levels at line %2").arg(Json::kMaxDepth).arg(j.line), j.line);
            return false;
        }
        j.stack.push_back(c);
        j.expectKey = c == '{';
        break;
    case '}':
    case ']':
        if (j.stack.empty() || j.stack.back() != (c == '}' ? '{' : '[')) {
            jsonSyntaxError(QStringLiteral("unexpected %1").arg(shown(c)), data, i);
            return true;
        }
        j.stack.pop_back();
        if (j.resultsDepth > 0 || j.stack.size() == 1) jsonResultsClose(c);
        j.expectKey = false;
        j.pending = Json::Pending::None;
        j.inScalar = false;
        if (j.stack.empty()) ++j.topLevelValues;
        break;
    case ':':
        if (j.stack.empty() || j.stack.back() != '{') {
            jsonSyntaxError(QStringLiteral("unexpected ':'"), data, i);
            return true;
        }
        j.inScalar = false;
        break;
    case ',':
        if (j.stack.empty()) {
            jsonSyntaxError(QStringLiteral("unexpected ','"), data, i);
            return true;
        }
        j.expectKey = j.stack.back() == '{';
        j.pending = Json::Pending::None;
        j.inScalar = false;
        break;
    default:
        if (!scalarChar(c) || j.stack.empty()) {
            jsonSyntaxError(QStringLiteral("unexpected %1").arg(shown(c)), data, i);
            return true;
        }
        if (!j.inScalar) jsonValueStart(false);
        j.inScalar = true;
        if (j.capture == Json::Capture::CellValue) jsonAppend(&c, 1);
        break;
    }
    return true;
}

bool Reader::jsonFeed(std::string_view data)
{
    Json& j = *m_json;
    const char* d = data.data();
    const size_t n = data.size();
    size_t sinceCheck = 0;
    for (size_t i = 0; i < n && !m_stopped; ++i) {
        if (++sinceCheck >= 65536) {
            sinceCheck = 0;
            if (!checkCancel()) return false;
        }
        if (j.skipLine) {
            const auto* nl = static_cast<const char*>(std::memchr(d + i, '\n', n - i));
            if (!nl) break;
            i = static_cast<size_t>(nl - d);
            j.skipLine = false;
            jsonNewline();
            continue;
        }
        if (j.inString) i = jsonInString(data, i, sinceCheck);
        else if (!jsonStructural(data, i)) return false;
    }
    return checkCancel();
}

void Reader::jsonMessage()
{
    Json& j = *m_json;
    ++m_out.linesRead;
    ++j.lineMessages;
    if (j.overflow) {
        rejectLine(j.textLine, QStringLiteral("message longer than 1 MiB"), j.text);
        return;
    }
    handleRecordText(j.text, j.textLine, true);
}

void Reader::jsonFinish()
{
    Json& j = *m_json;
    if (j.lineHasContent && j.lineMessages == 0) {
        ++m_out.linesRead;
        ++m_out.skipped;
    }
    j.lineHasContent = false;
    if (j.inString || !j.stack.empty()) {
        m_out.truncated = true;
        fail(QStringLiteral("JSON ends inside an unfinished %1 at line %2 (file truncated?)")
                 .arg(j.inString              ? QStringLiteral("string")
                      : j.stack.back() == '{' ? QStringLiteral("object")
                                              : QStringLiteral("array"))
                 .arg(j.line),
             j.line);
        return;
    }
    if (j.messages == 0 && !j.sawEvents && !j.sawLogEvents && !j.sawResults && !j.sawExportRows)
        fail(QStringLiteral("JSON without CloudWatch log events (no \"message\" fields): not a flow log"));
}

QString Reader::jsonFormName() const
{
    if (!m_json) return QStringLiteral("JSON");
    const Json& j = *m_json;
    if (j.sawLogEvents) return QStringLiteral("CloudWatch subscription JSON (DATA_MESSAGE)");
    if (j.sawEvents) return QStringLiteral("CloudWatch JSON (events)");
    if (j.sawResults)
        return j.recordRows > 0 || j.messageRows == 0 ? QStringLiteral("Logs Insights JSON (records)")
                                                      : QStringLiteral("Logs Insights JSON (@message)");
    if (j.sawExportRows && j.recordRows > 0) return QStringLiteral("Logs Insights JSON export (records)");
    if (j.sawAtMessage) return QStringLiteral("Logs Insights JSON (@message)");
    if (j.topLevelValues > 1) return QStringLiteral("NDJSON (message)");
    return QStringLiteral("JSON (message)");
}

} // namespace core::detail
