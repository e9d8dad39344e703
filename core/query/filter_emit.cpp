// One traversal of the filter syntax tree for every SQL dialect (see filter_emit.h), and the
// values a term's text stands for (numbers, times, protocols, TCP flags), shared by all of them.
#include "core/query/filter_emit.h"

#include "core/model/fields.h"
#include "core/query/filter.h"
#include "core/query/filter_ip.h"

namespace core::filterlang {

Error valueError(const Value& v, const QString& what, const Target& t)
{
    return makeError(v.pos, QStringLiteral("expected %1 for '%2' at %3, got '%4'").arg(what, t.name).arg(v.pos).arg(v.text));
}

Result<qint64> integerValueOf(const Value& v, const Target& t)
{
    bool ok = false;
    const qint64 n = v.text.toLongLong(&ok, 10);
    if (ok) {
        if (t.value == ValueKind::Time && n > 100000000000LL) return n / 1000;
        return n;
    }
    switch (t.value) {
    case ValueKind::Time:
        if (auto s = parseTimeLiteral(v.text)) return *s;
        return valueError(v, QStringLiteral("a time (Unix seconds, 2026-11-29T10:00:00Z or \"2026-11-29 10:00\")"), t);
    case ValueKind::Protocol:
        if (auto p = protocolNumber(v.text.toStdString())) return static_cast<qint64>(*p);
        return valueError(v, QStringLiteral("a protocol number or name (tcp, udp, icmp, icmpv6, esp, gre)"), t);
    case ValueKind::Flags:
        return flagsValueOf(v, t);
    default:
        return valueError(v, QStringLiteral("a number"), t);
    }
}

Result<qint64> flagsValueOf(const Value& v, const Target& t)
{
    qint64 bits = 0;
    for (const QString& part : v.text.split(QLatin1Char('|'))) {
        const QString p = part.trimmed().toUpper();
        bool ok = false;
        const qint64 n = p.toLongLong(&ok, 10);
        if (ok && n >= 0) bits |= n;
        else if (p == QLatin1String("FIN")) bits |= 1;
        else if (p == QLatin1String("SYN")) bits |= 2;
        else if (p == QLatin1String("RST")) bits |= 4;
        else if (p == QLatin1String("PSH")) bits |= 8;
        else if (p == QLatin1String("ACK")) bits |= 16;
        else if (p == QLatin1String("URG")) bits |= 32;
        else return valueError(v, QStringLiteral("TCP flags (FIN, SYN, RST, PSH, ACK, URG, joined by '|')"), t);
    }
    return bits;
}

bool isAwsIdShaped(const QString& value)
{
    // Lower-case words joined by '-', a '-', then 8 or 17 lower-case hex digits (vpc-0aaa1111,
    // tgw-attach-0a1b2c3d4e5f60001, i-0abc1234def567890).
    const qsizetype dash = value.lastIndexOf(QLatin1Char('-'));
    const qsizetype digits = value.size() - dash - 1;
    if (dash < 1 || (digits != 8 && digits != 17)) return false;
    for (qsizetype i = dash + 1; i < value.size(); ++i) {
        const char16_t c = value[i].unicode();
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'))) return false;
    }
    for (qsizetype i = 0; i < dash; ++i) {
        const char16_t c = value[i].unicode();
        const bool dashOk = c == u'-' && i > 0 && value[i - 1] != QLatin1Char('-');
        if (!((c >= u'a' && c <= u'z') || dashOk)) return false;
    }
    return value[dash - 1] != QLatin1Char('-');
}

Result<QString> FilterEmitter::emit(const Node& n)
{
    switch (n.kind) {
    case Node::And:
    case Node::Or: {
        QStringList parts;
        for (const auto& c : n.children) {
            auto s = emit(*c);
            if (!s) return s;
            parts << s.value();
        }
        return join(parts, n.kind == Node::And);
    }
    case Node::Not: {
        auto s = emit(*n.children.front());
        if (!s) return s;
        return negate(s.value());
    }
    case Node::Term:
        return term(n);
    }
    return matchNothing();
}

QString FilterEmitter::anyOf(const QStringList& parts) const
{
    if (parts.size() == 1) return parts.front();
    return QLatin1Char('(') + parts.join(QStringLiteral(" OR ")) + QLatin1Char(')');
}

std::optional<Result<QString>> FilterEmitter::dialectTerm(const Node&, const QStringList&)
{
    return std::nullopt;
}

QString FilterEmitter::present(const QString& operand) const
{
    return QStringLiteral("%1 IS NOT NULL").arg(operand);
}

Error FilterEmitter::badAddress(const Value& v, const Target& t) const
{
    return valueError(v, QStringLiteral("an IP address or CIDR (10.0.0.0/16, 2600:1f18::/32)"), t);
}

Result<QString> FilterEmitter::compare(const QStringList& ops, const QString& op, const Value& v, const Target& t)
{
    auto lit = value(v, t);
    if (!lit) return lit.error();
    QStringList parts;
    for (const QString& o : ops) parts << QStringLiteral("%1 %2 %3").arg(o, op, lit.value());
    return anyOf(parts);
}

/// Positive predicate `operand == value` for one value (addresses may be CIDR).
Result<QString> FilterEmitter::equals(const QStringList& ops, const Value& v, const Target& t)
{
    if (t.value != ValueKind::Address) return equalsValue(ops, v, t);
    const auto net = parseIpNetwork(v.text.toStdString());
    if (!net) return badAddress(v, t);
    // One IPv4 host compares as text; networks (and IPv6, whose text has several spellings) by range.
    const bool host = net->prefix == (net->address.v6 ? 128 : 32) && !net->address.v6;
    const QString lit = addressValue(host ? formatIpAddress(net->address) : formatIpNetwork(*net));
    QStringList parts;
    for (const QString& o : ops) parts << (host ? QStringLiteral("%1 = %2").arg(o, lit) : inNetwork(o, lit, net->address.v6));
    return anyOf(parts);
}

Result<QString> FilterEmitter::term(const Node& n)
{
    const Target& t = n.target;
    const QStringList ops = operands(t);
    if (auto own = dialectTerm(n, ops)) return *own;
    switch (n.op) {
    case Op::Present: {
        if (t.kind == TargetKind::Drops) return QStringLiteral("%1 > 0").arg(ops.front());
        QStringList parts;
        for (const QString& o : ops) parts << present(o);
        return anyOf(parts);
    }
    case Op::Eq:
        return equals(ops, n.values.front(), t);
    case Op::Ne: {
        auto s = equals(ops, n.values.front(), t);
        if (!s) return s;
        return negate(s.value());
    }
    case Op::In: {
        if (t.value != ValueKind::Address) return inValues(ops, n.values, t);
        QStringList parts;
        for (const Value& v : n.values) {
            auto s = equals(ops, v, t);
            if (!s) return s;
            parts << s.value();
        }
        return anyOf(parts);
    }
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge: {
        if (t.value == ValueKind::Address)
            return makeError(n.opPos,
                             QStringLiteral("'%1' does not work on address field '%2' at %3; use a CIDR such as %2 == 10.0.0.0/8")
                                 .arg(n.opText, t.name)
                                 .arg(n.opPos));
        const QString op = n.op == Op::Lt   ? QStringLiteral("<")
                           : n.op == Op::Le ? QStringLiteral("<=")
                           : n.op == Op::Gt ? QStringLiteral(">")
                                            : QStringLiteral(">=");
        return compare(ops, op, n.values.front(), t);
    }
    case Op::Contains:
        return containsText(ops, n.values.front().text);
    case Op::Has: {
        if (t.value != ValueKind::Flags)
            return makeError(n.opPos,
                             QStringLiteral("'has' works on tcp-flags only, not on '%1' (at %2)").arg(t.name).arg(n.opPos));
        auto bits = flagsValueOf(n.values.front(), t);
        if (!bits) return bits.error();
        return hasBits(ops.front(), bits.value());
    }
    }
    return matchNothing();
}

QString backslashQuoted(const QString& text)
{
    QString out = QStringLiteral("\"");
    for (QChar c : text) {
        switch (c.unicode()) {
        case '\\':
            out += QLatin1String("\\\\");
            break;
        case '"':
            out += QLatin1String("\\\"");
            break;
        case '\n':
            out += QLatin1String("\\n");
            break;
        case '\t':
            out += QLatin1String("\\t");
            break;
        case '\r':
            out += QLatin1String("\\r");
            break;
        default:
            out += c;
        }
    }
    return out + QLatin1Char('"');
}

} // namespace core::filterlang
