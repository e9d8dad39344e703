#include "core/ingest/parser.h"

#include "core/query/filter_ip.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace core {
namespace {

ColumnKind kindOf(FieldId f)
{
    if (f == FieldId::Start || f == FieldId::End) return ColumnKind::Time;
    switch (fieldInfo(f).type) {
    case FieldType::Integer:
        return ColumnKind::Integer;
    case FieldType::Address:
        return ColumnKind::Address;
    case FieldType::Text:
        return ColumnKind::Text;
    }
    return ColumnKind::Text;
}

/// Start/end values above this are milliseconds (1e11 s is in the year 5138).
constexpr int64_t kMillisThreshold = 100'000'000'000LL;
/// Integers of at most this many digits cannot overflow int64_t (18 nines < 2^63-1).
constexpr size_t kFastDigits = 18;

inline bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}
inline bool isHex(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

inline bool isControl(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
}
inline bool isAlpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

QString quoted(std::string_view v)
{
    constexpr size_t kMax = 64;
    const std::string_view head = v.substr(0, kMax);
    QString s;
    if (std::none_of(head.begin(), head.end(), isControl)) {
        s = QString::fromUtf8(head.data(), static_cast<qsizetype>(head.size()));
    } else { // control bytes shown as \xNN: a NUL would end or garble the message
        QByteArray shown;
        for (char ch : head) {
            if (isControl(ch)) shown += "\\x" + QByteArray::number(static_cast<unsigned char>(ch), 16).rightJustified(2, '0');
            else shown += ch;
        }
        s = QString::fromUtf8(shown);
    }
    if (v.size() > kMax) s += QStringLiteral("...");
    return QLatin1Char('\'') + s + QLatin1Char('\'');
}

/// True if the 8 bytes of `x` hold a byte below 0x20 or a DEL (0x7f): the "hasless" and
/// "haszero" word tests, exact for existence.
inline bool wordHasControl(uint64_t x)
{
    constexpr uint64_t kOnes = 0x0101010101010101ULL;
    constexpr uint64_t kHigh = 0x8080808080808080ULL;
    const uint64_t below = (x - kOnes * 0x20) & ~x & kHigh;
    const uint64_t y = x ^ (kOnes * 0x7f);
    const uint64_t del = (y - kOnes) & ~y & kHigh;
    return (below | del) != 0;
}

/// The first control byte (below 0x20, or DEL) of a text value, or -1. Flow log values are
/// printable ids and names; a control byte (a stray NUL of an interrupted write, a lone CR)
/// means the line is damaged. Eight bytes per step: text values are most of a line.
int firstControlByte(std::string_view t)
{
    const char* p = t.data();
    const size_t n = t.size();
    bool any = false;
    if (n >= 8) {
        uint64_t w = 0;
        for (size_t i = 0; i + 8 <= n && !any; i += 8) {
            std::memcpy(&w, p + i, 8);
            any = wordHasControl(w);
        }
        std::memcpy(&w, p + n - 8, 8);
        any = any || wordHasControl(w);
    } else {
        for (char ch : t) any = any || isControl(ch);
    }
    if (!any) return -1;
    for (char ch : t)
        if (isControl(ch)) return static_cast<unsigned char>(ch);
    return -1;
}

/// "action: 'ACC\x00EPT' contains a control byte (0x00)"
QString controlByteReason(const QString& field, std::string_view t, int byte)
{
    return field + QStringLiteral(": ") + quoted(t)
           + QStringLiteral(" contains a control byte (0x%1)").arg(byte, 2, 16, QLatin1Char('0'));
}

QString fieldName(const LayoutColumn& c)
{
    if (c.kind == ColumnKind::Extra) return QStringLiteral("extra column %1").arg(c.extra);
    return QLatin1String(fieldInfo(c.field).name);
}

bool startsWith(std::string_view s, std::string_view p)
{
    return s.substr(0, p.size()) == p;
}

bool isNameLike(std::string_view t)
{
    if (t.empty() || t == "-") return false;
    bool letter = false;
    for (char c : t) {
        if (isAlpha(c)) letter = true;
        else if (!(isDigit(c) || c == '-' || c == '_' || c == '$' || c == '{' || c == '}' || c == '@')) return false;
    }
    return letter && !isDigit(t.front());
}

} // namespace

const char* Layout::sourceName() const
{
    switch (source) {
    case Source::Header:
        return "header";
    case Source::TgwDefault:
        return "TGW default";
    case Source::VpcDefault:
        return "VPC default";
    case Source::UserFormat:
        return "format";
    case Source::CsvHeader:
        return "CSV header";
    }
    return "layout";
}

Layout Layout::fromFields(std::span<const FieldId> fields, Source source)
{
    Layout l;
    l.source = source;
    l.columns.reserve(fields.size());
    for (FieldId f : fields) l.columns.push_back({f, -1, kindOf(f)});
    return l;
}

Layout Layout::fromNames(std::span<const std::string_view> names, Source source,
                         const std::function<int(std::string_view)>& extraIndex)
{
    Layout l;
    l.source = source;
    l.columns.reserve(names.size());
    for (std::string_view n : names) {
        if (auto f = findField(n)) {
            l.columns.push_back({*f, -1, kindOf(*f)});
        } else {
            std::string_view bare = n;
            if (bare.size() >= 3 && startsWith(bare, "${") && bare.back() == '}') bare = bare.substr(2, bare.size() - 3);
            l.columns.push_back({FieldId::Count, extraIndex ? extraIndex(bare) : -1, ColumnKind::Extra});
        }
    }
    return l;
}

const Layout& tgwDefault()
{
    static const Layout l = Layout::fromFields(tgwDefaultLayout(), Layout::Source::TgwDefault);
    return l;
}

const Layout& vpcDefault()
{
    static const Layout l = Layout::fromFields(vpcDefaultLayout(), Layout::Source::VpcDefault);
    return l;
}

namespace {
/// What the last splitFields() on this thread saw: its first token's start, its last token's
/// end and whether the line may hold a control byte (a tab or a byte >= 0x80 also say yes). parseTokens() given exactly
/// those tokens skips its per-value control-byte test when there is none (the split's SIMD
/// pass found that for nearly free); other tokens (CSV cells, Parquet values) are tested one by one.
struct LastSplit {
    const char* first = nullptr;
    const char* end = nullptr;
    bool control = true;
};
thread_local LastSplit t_lastSplit;
} // namespace

int splitFields(std::string_view line, std::string_view* out, int max)
{
    const char* const base = line.data();
    const size_t len = line.size();
    int n = 0;
    bool control = false;
    bool inToken = false;
    size_t tokenStart = 0;
    auto emit = [&](size_t end) {
        if (n < max) out[n] = std::string_view(base + tokenStart, end - tokenStart);
        ++n;
    };
    size_t i = 0;
#if defined(__SSE2__)
    // 64 bytes at a time: a mask of separator bytes, then walk the token boundaries with ctz.
    const __m128i space = _mm_set1_epi8(' ');
    const __m128i tab = _mm_set1_epi8('\t');
    const __m128i below = _mm_set1_epi8(0x20);
    const __m128i del = _mm_set1_epi8(0x7f);
    __m128i ctl = _mm_setzero_si128();
    auto walk = [&](const char* p, size_t at) {
        uint64_t sep = 0;
        for (int k = 0; k < 4; ++k) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * static_cast<size_t>(k)));
            const __m128i s = _mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, tab));
            sep |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(s))) << (16 * k);
            // Signed: bytes below 0x20 and also tab and 0x80-0xff, plus DEL. A tab or UTF-8 only
            // sends the line to the exact per-value test; plain ASCII lines skip it.
            ctl = _mm_or_si128(ctl, _mm_or_si128(_mm_cmplt_epi8(v, below), _mm_cmpeq_epi8(v, del)));
        }
        const uint64_t word = ~sep;
        uint64_t edges = word ^ ((word << 1) | (inToken ? 1u : 0u));
        // The edges alternate: the end of a token open from the previous block, then (start,
        // end) pairs, then perhaps a start whose token goes on into the next block.
        if (inToken && edges) {
            emit(at + static_cast<size_t>(__builtin_ctzll(edges)));
            edges &= edges - 1;
            inToken = false;
        }
        while (edges) {
            tokenStart = at + static_cast<size_t>(__builtin_ctzll(edges));
            edges &= edges - 1;
            if (!edges) {
                inToken = true;
                break;
            }
            emit(at + static_cast<size_t>(__builtin_ctzll(edges)));
            edges &= edges - 1;
        }
    };
    for (; i + 64 <= len; i += 64) walk(base + i, i);
    if (i < len) {
        // The last 1-63 bytes as one more block, padded with spaces: a token still open at the
        // end of the line ends at the first pad byte (offset len), as below.
        char tail[64];
        std::memset(tail, ' ', sizeof tail);
        std::memcpy(tail, base + i, len - i);
        walk(tail, i);
        i = len;
    }
    control = _mm_movemask_epi8(ctl) != 0;
#endif
    for (; i < len; ++i) {
        const bool isSep = base[i] == ' ' || base[i] == '\t';
        control = control || isControl(base[i]) || static_cast<unsigned char>(base[i]) >= 0x80;
        if (inToken == isSep) {
            if (inToken) emit(i);
            else tokenStart = i;
            inToken = !inToken;
        }
    }
    if (inToken) emit(len);
    const int kept = std::min(n, max);
    t_lastSplit = kept > 0 ? LastSplit{out[0].data(), out[kept - 1].data() + out[kept - 1].size(), control} : LastSplit{};
    return n;
}

std::string_view trimLine(std::string_view line)
{
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    return line;
}

bool isBlank(std::string_view line)
{
    for (char c : line)
        if (c != ' ' && c != '\t' && c != '\r') return false;
    return true;
}

bool looksLikeHeader(std::span<const std::string_view> tokens)
{
    if (tokens.empty()) return false;
    int known = 0;
    for (std::string_view t : tokens) {
        if (!isNameLike(t)) return false;
        if (findField(t)) ++known;
    }
    if (findField(tokens.front()) == FieldId::Version) return true;
    return known > 0 && known * 2 >= static_cast<int>(tokens.size());
}

const Layout* guessHeaderless(std::span<const std::string_view> t)
{
    if (t.size() == 36) {
        if (t[1] == "TransitGateway" || t[1] == "TransitGatewayAttachment") return &tgwDefault();
        if (startsWith(t[3], "tgw-") && startsWith(t[4], "tgw-attach-")) return &tgwDefault();
    }
    if (t.size() == 14) {
        const bool versionOk = t[0] == "-" || (!t[0].empty() && isDigit(t[0].front()));
        if (versionOk && (t[2] == "-" || startsWith(t[2], "eni-"))) return &vpcDefault();
    }
    return nullptr;
}

std::string_view stripIsoTimestamp(std::string_view line, bool* stripped)
{
    if (stripped) *stripped = false;
    // YYYY-MM-DDTHH:MM:SS...  then a space
    if (line.size() < 20 || line[4] != '-' || line[7] != '-' || line[10] != 'T' || !isDigit(line[0]) || !isDigit(line[3])
        || !isDigit(line[5]) || !isDigit(line[8]) || line[13] != ':')
        return line;
    const size_t sp = line.find_first_of(" \t");
    if (sp == std::string_view::npos) return line;
    if (stripped) *stripped = true;
    return line.substr(sp + 1);
}

bool hasControlByte(std::string_view s)
{
    return firstControlByte(s) >= 0;
}

bool isIPv4(std::string_view s)
{
    return parseIpv4(s).has_value();
}

bool isIPv6(std::string_view s)
{
    if (s.size() < 2 || s.size() > 45) return false;
    int colons = 0;
    int doubleColons = 0;
    int groupLen = 0;
    bool dotted = false;
    for (size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == ':') {
            ++colons;
            if (dotted) return false;
            if (i + 1 < s.size() && s[i + 1] == ':') {
                ++doubleColons;
                if (i + 2 < s.size() && s[i + 2] == ':') return false;
            }
            groupLen = 0;
        } else if (c == '.') {
            dotted = true; // embedded IPv4 tail, checked below
        } else if (isHex(c)) {
            if (!dotted && ++groupLen > 4 && s.find('.', i) == std::string_view::npos) return false;
        } else {
            return false;
        }
    }
    if (colons < 2 || colons > 7 || doubleColons > 1) return false;
    if (doubleColons == 0 && colons != 7 && !(dotted && colons == 6)) return false;
    if (dotted) return isIPv4(s.substr(s.rfind(':') + 1));
    return true;
}

ParseResult parseTokens(std::span<const std::string_view> tokens, const Layout& layout, FlowRecord& rec, bool emptyIsNull)
{
    rec.present.reset();
    rec.ipv4.reset();
    rec.extras.clear();
    const size_t n = std::min(tokens.size(), layout.columns.size());
    // Text values need the control-byte test unless these are the tokens of this thread's last
    // split and it saw none (the common case: text lines).
    const LastSplit& split = t_lastSplit;
    const bool testText = tokens.empty() || split.control || tokens.front().data() != split.first
                          || tokens.back().data() + tokens.back().size() != split.end;
    for (size_t i = 0; i < n; ++i) {
        const std::string_view t = tokens[i];
        if (t.size() == 1 && t[0] == '-') continue;
        if (t.empty()) {
            if (emptyIsNull) continue;
            return {fieldName(layout.columns[i]) + QStringLiteral(": empty value")};
        }
        const LayoutColumn& c = layout.columns[i];
        const auto idx = static_cast<size_t>(c.field);
        switch (c.kind) {
        case ColumnKind::Integer:
        case ColumnKind::Time: {
            int64_t v = 0;
            const char* b = t.data();
            const char* e = b + t.size();
            if (t.size() <= kFastDigits) { // the usual case: a few plain digits, no overflow possible
                const char* p = b;
                uint64_t u = 0;
                for (; p != e; ++p) {
                    const auto d = static_cast<unsigned char>(*p - '0');
                    if (d > 9) break;
                    u = u * 10 + d;
                }
                if (p == e) {
                    v = static_cast<int64_t>(u);
                    if (c.kind == ColumnKind::Time && v > kMillisThreshold) v /= 1000;
                    rec.present.set(idx);
                    rec.ints[idx] = v;
                    break;
                }
            }
            // Anything else (a sign, 19 digits or more, other bytes) as std::from_chars reads it.
            const auto r = std::from_chars(b, e, v);
            if (r.ec == std::errc() && r.ptr == e) {
                if (v < 0) return {fieldName(c) + QStringLiteral(": ") + quoted(t) + QStringLiteral(" is negative")};
                if (c.kind == ColumnKind::Time && v > kMillisThreshold) v /= 1000;
                rec.present.set(idx);
                rec.ints[idx] = v;
                break;
            }
            if (r.ec == std::errc::result_out_of_range)
                return {fieldName(c) + QStringLiteral(": ") + quoted(t)
                        + (t.front() == '-' ? QStringLiteral(" is negative") : QStringLiteral(" is too large (over 2^63-1)"))};
            return {fieldName(c) + QStringLiteral(": ") + quoted(t) + QStringLiteral(" is not a number")};
        }
        case ColumnKind::Address: {
            bool canonical = false;
            const std::optional<uint32_t> v4 = parseIpv4(t, canonical);
            if (!v4 && !isIPv6(t))
                return {fieldName(c) + QStringLiteral(": ") + quoted(t) + QStringLiteral(" is not an IP address")};
            rec.present.set(idx);
            rec.texts[idx] = t;
            if (v4 && canonical) {
                rec.ipv4.set(idx);
                rec.ints[idx] = *v4;
            }
            break;
        }
        case ColumnKind::Text:
            if (const int b = testText ? firstControlByte(t) : -1; b >= 0) return {controlByteReason(fieldName(c), t, b)};
            rec.present.set(idx);
            rec.texts[idx] = t;
            break;
        case ColumnKind::Extra:
            if (const int b = testText ? firstControlByte(t) : -1; b >= 0) return {controlByteReason(fieldName(c), t, b)};
            if (c.extra >= 0) rec.extras.emplace_back(c.extra, t);
            break;
        }
    }
    return {};
}

ParseResult parseLine(std::string_view line, const Layout& layout, FlowRecord& rec)
{
    thread_local std::array<std::string_view, kMaxTokens> storage; // not re-initialised per line
    std::string_view* const tokens = storage.data();
    const int n = splitFields(trimLine(line), tokens, kMaxTokens);
    if (n != layout.size())
        return {QStringLiteral("%1 fields, %2 has %3").arg(n).arg(QLatin1String(layout.sourceName())).arg(layout.size())};
    return parseTokens(std::span<const std::string_view>(tokens, static_cast<size_t>(n)), layout, rec);
}

} // namespace core
