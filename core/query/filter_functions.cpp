// SQL functions compiled filters rely on (CIDR matching) and time-literal parsing.
#include "core/query/filter.h"
#include "core/query/filter_ip.h"

#include <QDate>
#include <QRegularExpression>
#include <QTime>

#include <arpa/inet.h>
#include <sqlite3.h>

#include <cstring>
#include <memory>

namespace core {

namespace {

} // namespace

std::optional<uint32_t> parseIpv4(std::string_view s, bool& canonical)
{
    canonical = true;
    uint32_t v = 0;
    size_t i = 0;
    for (int part = 0; part < 4; ++part) {
        if (part > 0) {
            if (i >= s.size() || s[i] != '.') return std::nullopt;
            ++i;
        }
        const size_t begin = i;
        uint32_t value = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - begin < 3)
            value = value * 10 + static_cast<uint32_t>(s[i++] - '0');
        if (i == begin || value > 255 || (i < s.size() && s[i] >= '0' && s[i] <= '9')) return std::nullopt;
        if (i - begin > 1 && s[begin] == '0') canonical = false;
        v = (v << 8) | value;
    }
    if (i != s.size()) return std::nullopt;
    return v;
}

std::optional<uint32_t> parseIpv4(std::string_view text)
{
    bool canonical = true;
    return parseIpv4(text, canonical);
}

std::optional<IpAddress> parseIpAddress(std::string_view text)
{
    IpAddress a;
    if (text.empty() || text.size() > 45) return std::nullopt;
    if (text.find(':') == std::string_view::npos) {
        const std::optional<uint32_t> v4 = parseIpv4(text);
        if (!v4) return std::nullopt;
        for (size_t i = 0; i < 4; ++i) a.bytes[i] = static_cast<unsigned char>(*v4 >> (24 - 8 * i));
        a.v6 = false;
        return a;
    }
    char buf[64];
    std::memcpy(buf, text.data(), text.size());
    buf[text.size()] = '\0';
    if (inet_pton(AF_INET6, buf, a.bytes.data()) != 1) return std::nullopt;
    a.v6 = true;
    return a;
}

std::optional<IpNetwork> parseIpNetwork(std::string_view text)
{
    IpNetwork n;
    const size_t slash = text.find('/');
    const auto addr = parseIpAddress(text.substr(0, slash));
    if (!addr) return std::nullopt;
    n.address = *addr;
    const int maxBits = addr->v6 ? 128 : 32;
    n.prefix = maxBits;
    if (slash != std::string_view::npos) {
        const std::string_view p = text.substr(slash + 1);
        if (p.empty() || p.size() > 3) return std::nullopt;
        int v = 0;
        for (char c : p) {
            if (c < '0' || c > '9') return std::nullopt;
            v = v * 10 + (c - '0');
        }
        if (v > maxBits) return std::nullopt;
        n.prefix = v;
    }
    // Clear host bits so "10.0.0.1/16" means 10.0.0.0/16.
    for (int i = 0; i < 16; ++i) {
        const int bitsHere = std::clamp(n.prefix - i * 8, 0, 8);
        const auto mask = static_cast<unsigned char>(bitsHere == 0 ? 0 : (0xFF << (8 - bitsHere)) & 0xFF);
        n.address.bytes[static_cast<size_t>(i)] &= mask;
    }
    return n;
}

bool networkContains(const IpNetwork& net, const IpAddress& addr)
{
    if (net.address.v6 != addr.v6) return false;
    const int full = net.prefix / 8;
    if (std::memcmp(net.address.bytes.data(), addr.bytes.data(), static_cast<size_t>(full)) != 0) return false;
    const int rest = net.prefix % 8;
    if (rest == 0) return true;
    const auto mask = static_cast<unsigned char>((0xFF << (8 - rest)) & 0xFF);
    return (addr.bytes[static_cast<size_t>(full)] & mask) == net.address.bytes[static_cast<size_t>(full)];
}

QString formatIpAddress(const IpAddress& a)
{
    char buf[INET6_ADDRSTRLEN] = {};
    if (!inet_ntop(a.v6 ? AF_INET6 : AF_INET, a.bytes.data(), buf, sizeof buf)) return {};
    return QString::fromLatin1(buf);
}

QString formatIpNetwork(const IpNetwork& n)
{
    return formatIpAddress(n.address) + QLatin1Char('/') + QString::number(n.prefix);
}

namespace {

void destroyNetwork(void* p)
{
    delete static_cast<IpNetwork*>(p);
}

/// flowlog_in_cidr(address, network): 1 if `address` (IPv4/IPv6 text, an IPv4 integer, or a
/// 4/16-byte blob) lies in `network` ("10.0.0.0/16", "2600:1f18::/32", a bare address = host
/// route), 0 if not, NULL if address is NULL. The parsed network is cached per statement.
bool addressArgument(sqlite3_value* v, bool wantV6, IpAddress& a)
{
    switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER: {
        const auto n = static_cast<quint32>(sqlite3_value_int64(v));
        a.v6 = false;
        a.bytes[0] = static_cast<unsigned char>(n >> 24);
        a.bytes[1] = static_cast<unsigned char>(n >> 16);
        a.bytes[2] = static_cast<unsigned char>(n >> 8);
        a.bytes[3] = static_cast<unsigned char>(n);
        return true;
    }
    case SQLITE_BLOB: {
        const int len = sqlite3_value_bytes(v);
        const void* data = sqlite3_value_blob(v);
        if ((len != 4 && len != 16) || !data) return false;
        a.v6 = len == 16;
        std::memcpy(a.bytes.data(), data, static_cast<size_t>(len));
        return true;
    }
    default: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(v));
        const int len = sqlite3_value_bytes(v);
        if (!text) return false;
        // An address of the other family can never match: skip parsing it.
        const bool isV6 = std::memchr(text, ':', static_cast<size_t>(len)) != nullptr;
        if (isV6 != wantV6) return false;
        const auto parsed = parseIpAddress(std::string_view(text, static_cast<size_t>(len)));
        if (!parsed) return false;
        a = *parsed;
        return true;
    }
    }
}

/// flowlog_in_cidr(address, network): 1 if `address` (IPv4/IPv6 text, an IPv4 integer, or a
/// 4/16-byte blob) lies in `network` ("10.0.0.0/16", "2600:1f18::/32", a bare address = host
/// route), 0 if not (or not an address), NULL if address is NULL. The parsed network is cached
/// per statement (auxdata) when the argument is a constant or a bound parameter.
void inCidrFunction(sqlite3_context* ctx, int argc, sqlite3_value** argv)
{
    if (argc != 2) {
        sqlite3_result_error(ctx, "flowlog_in_cidr takes 2 arguments", -1);
        return;
    }
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    IpNetwork local;
    const IpNetwork* net = static_cast<const IpNetwork*>(sqlite3_get_auxdata(ctx, 1));
    if (!net) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
        const int len = sqlite3_value_bytes(argv[1]);
        const auto parsed = text ? parseIpNetwork(std::string_view(text, static_cast<size_t>(len))) : std::nullopt;
        if (!parsed) {
            sqlite3_result_error(ctx, "flowlog_in_cidr: invalid network", -1);
            return;
        }
        local = *parsed;
        net = &local;
        // SQLite keeps the copy only while the argument stays constant; it may free it at once.
        sqlite3_set_auxdata(ctx, 1, new IpNetwork(local), destroyNetwork);
    }
    IpAddress a;
    sqlite3_result_int(ctx, addressArgument(argv[0], net->address.v6, a) && networkContains(*net, a) ? 1 : 0);
}

} // namespace

void registerSqlFunctions(sqlite3* db)
{
    if (!db) return;
    sqlite3_create_function_v2(db, "flowlog_in_cidr", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                               inCidrFunction, nullptr, nullptr, nullptr);
}

namespace {

qint64 unixSeconds(const QDate& date, const QTime& time)
{
    constexpr qint64 kUnixEpochJulianDay = 2440588;
    return (date.toJulianDay() - kUnixEpochJulianDay) * 86400 + static_cast<qint64>(time.msecsSinceStartOfDay() / 1000);
}

} // namespace

std::optional<qint64> parseTimeLiteral(const QString& input)
{
    const QString text = input.trimmed();
    if (text.isEmpty()) return std::nullopt;
    bool isNumber = false;
    const qint64 n = text.toLongLong(&isNumber, 10);
    if (isNumber) {
        if (n < 0) return std::nullopt;
        // Same rule as the loader: values above ~1e11 are milliseconds.
        return n > 100000000000LL ? n / 1000 : n;
    }
    // 2026-11-29, 2026-11-29T10:00, 2026-11-29 10:00:05, 2026-11-29T10:00:05.123Z, ...+02:00
    static const QRegularExpression re(
        QStringLiteral("^(\\d{4})-(\\d{2})-(\\d{2})(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.\\d+)?)?)?"
                       "\\s*(Z|[+-]\\d{2}:?\\d{2})?$"),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(text);
    if (!m.hasMatch()) return std::nullopt;
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    if (!date.isValid()) return std::nullopt;
    QTime time(0, 0, 0);
    if (m.hasCaptured(4)) {
        time = QTime(m.captured(4).toInt(), m.captured(5).toInt(), m.hasCaptured(6) ? m.captured(6).toInt() : 0);
        if (!time.isValid()) return std::nullopt;
    }
    qint64 seconds = unixSeconds(date, time);
    const QString zone = m.captured(7);
    if (!zone.isEmpty() && zone.compare(QLatin1String("Z"), Qt::CaseInsensitive) != 0) {
        QString digits = zone.mid(1);
        digits.remove(QLatin1Char(':'));
        const int hours = digits.left(2).toInt();
        const int minutes = digits.mid(2, 2).toInt();
        if (hours > 23 || minutes > 59) return std::nullopt;
        const qint64 offset = (qint64{hours} * 60 + minutes) * 60;
        seconds += zone.startsWith(QLatin1Char('+')) ? -offset : offset;
    }
    return seconds;
}

} // namespace core
