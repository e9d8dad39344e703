// The filter language compiled to Trino (Athena) SQL from its syntax tree. Unlike the store's
// SQL (bound parameters), this is text for the user to paste into Athena, so every value is a
// literal: text quoted with '' doubling (control characters as chr(N)), numbers as digits,
// networks as canonical CIDR text. The semantics are the store's (filter.cpp): a comparison on
// NULL is false, `not X` and `!=` are exact complements, aliases match when any column does,
// `!=` on an alias when none does. Names resolve to the ids they stand for (Athena has no
// names table); columns the table lacks read as typed NULL, as absent fields do in the store.
#include "core/model/fields.h"
#include "core/query/filter_ip.h"
#include "core/remote/remote.h"
#include "core/remote/remote_impl.h"

#include <QDateTime>
#include <QRegularExpression>

namespace core {

using namespace filterlang;

namespace remote {

QString trinoString(const QString& text)
{
    QStringList parts;
    QString run;
    auto flush = [&] {
        if (run.isEmpty()) return;
        parts << QLatin1Char('\'') + QString(run).replace(QLatin1Char('\''), QLatin1String("''")) + QLatin1Char('\'');
        run.clear();
    };
    for (QChar c : text) {
        const char16_t u = c.unicode();
        if (u < 0x20 || u == 0x7f) {
            flush();
            parts << QStringLiteral("chr(%1)").arg(static_cast<int>(u));
        } else {
            run += c;
        }
    }
    flush();
    if (parts.isEmpty()) return QStringLiteral("''");
    if (parts.size() == 1) return parts.front();
    return QLatin1Char('(') + parts.join(QStringLiteral(" || ")) + QLatin1Char(')');
}

QString utcText(qint64 seconds)
{
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
           + QStringLiteral(" UTC");
}

bool isSafeTableName(const QString& name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,127}(\\.[A-Za-z_][A-Za-z0-9_]{0,127})?$"));
    return re.match(name).hasMatch();
}

namespace {

bool isStartColumn(const Target& t, const char* column)
{
    return t.kind == TargetKind::Columns && t.columns.size() == 1 && t.columns.front() == QLatin1String(column);
}

void collectBounds(const Node& n, TimeBounds& b)
{
    if (n.kind == Node::And) {
        for (const auto& c : n.children) collectBounds(*c, b);
        return;
    }
    if (n.kind != Node::Term || n.values.size() != 1) return;
    const bool start = isStartColumn(n.target, "start");
    const bool end = isStartColumn(n.target, "end");
    if (!start && !end) return;
    auto v = integerValueOf(n.values.front(), n.target);
    if (!v) return;
    const qint64 x = v.value();
    auto lower = [&](qint64 l) { b.lower = b.lower ? std::max(*b.lower, l) : l; };
    auto upper = [&](qint64 u) { b.upperExclusive = b.upperExclusive ? std::min(*b.upperExclusive, u) : u; };
    // start <= end, so an upper bound on end bounds start too.
    switch (n.op) {
    case Op::Eq:
        if (start) lower(x);
        upper(x + 1);
        break;
    case Op::Ge:
        if (start) lower(x);
        break;
    case Op::Gt:
        if (start) lower(x + 1);
        break;
    case Op::Le:
        upper(x + 1);
        break;
    case Op::Lt:
        upper(x);
        break;
    default:
        break;
    }
}

} // namespace

TimeBounds timeBounds(const Node& root)
{
    TimeBounds b;
    collectBounds(root, b);
    return b;
}

} // namespace remote

using namespace remote;

namespace {

/// Builds the Trino expression for a filter tree.
class TrinoBuilder {
public:
    TrinoBuilder(const QStringList& fields, const NameDirectory* names) : m_fields(fields), m_names(names) {}

    Result<QString> build(const Node& n)
    {
        switch (n.kind) {
        case Node::And:
        case Node::Or: {
            QStringList parts;
            for (const auto& c : n.children) {
                auto s = build(*c);
                if (!s) return s;
                parts << s.value();
            }
            return QLatin1Char('(') + parts.join(n.kind == Node::And ? QStringLiteral(" AND ") : QStringLiteral(" OR "))
                   + QLatin1Char(')');
        }
        case Node::Not: {
            auto s = build(*n.children.front());
            if (!s) return s;
            return negate(s.value());
        }
        case Node::Term:
            return term(n);
        }
        return QStringLiteral("false");
    }

    /// Names that were resolved to ids, for a comment: "VPC A" -> tgw-attach-..., ...
    QStringList resolvedNames;

private:
    static QString negate(const QString& positive) { return QStringLiteral("(NOT coalesce(%1, false))").arg(positive); }

    /// A column reference, or a typed NULL when the table does not have the column.
    QString column(const QString& name, bool integer) const
    {
        if (!m_fields.contains(name))
            return integer ? QStringLiteral("CAST(NULL AS bigint)") : QStringLiteral("CAST(NULL AS varchar)");
        return QLatin1Char('"') + name + QLatin1Char('"');
    }

    static bool isIntegerTarget(const Target& t) { return t.value != ValueKind::Text && t.value != ValueKind::Address; }

    QStringList operands(const Target& t) const
    {
        if (t.kind == TargetKind::Drops) {
            QStringList parts;
            for (const char* c :
                 {"packets_lost_no_route", "packets_lost_blackhole", "packets_lost_mtu_exceeded", "packets_lost_ttl_expired"})
                parts << QStringLiteral("coalesce(%1, 0)").arg(column(QString::fromLatin1(c), true));
            return {QLatin1Char('(') + parts.join(QStringLiteral(" + ")) + QLatin1Char(')')};
        }
        QStringList out;
        for (const QString& c : t.columns) out << column(c, isIntegerTarget(t));
        return out;
    }

    static QString anyOf(const QStringList& parts)
    {
        if (parts.size() == 1) return parts.front();
        return QLatin1Char('(') + parts.join(QStringLiteral(" OR ")) + QLatin1Char(')');
    }

    static Error valueError(const Value& v, const QString& what, const Target& t)
    {
        return makeError(v.pos, QStringLiteral("expected %1 for '%2' at %3, got '%4'").arg(what, t.name).arg(v.pos).arg(v.text));
    }

    Result<QString> literal(const Value& v, const Target& t) const
    {
        if (t.value == ValueKind::Text) return trinoString(v.text);
        auto n = integerValueOf(v, t);
        if (!n) return n.error();
        return QString::number(n.value());
    }

    /// The literals a value stands for on this target: the value, plus the ids named so.
    Result<QStringList> literals(const Value& v, const Target& t)
    {
        auto l = literal(v, t);
        if (!l) return l.error();
        QStringList out{l.value()};
        if (t.named && m_names && !isAwsIdShaped(v.text)) {
            const QStringList ids = m_names->idsForName(v.text);
            for (const QString& id : ids)
                if (id != v.text) out << trinoString(id);
            if (!ids.isEmpty()) resolvedNames << QStringLiteral("\"%1\" = %2").arg(v.text, ids.join(QStringLiteral(", ")));
        }
        return out;
    }

    Result<QString> equals(const QStringList& ops, const Value& v, const Target& t)
    {
        if (t.value == ValueKind::Address) {
            const auto net = parseIpNetwork(v.text.toStdString());
            if (!net) return valueError(v, QStringLiteral("an IP address or CIDR (10.0.0.0/16, 2600:1f18::/32)"), t);
            const bool host = net->prefix == (net->address.v6 ? 128 : 32);
            QStringList parts;
            if (host && !net->address.v6) {
                const QString lit = trinoString(formatIpAddress(net->address));
                for (const QString& o : ops) parts << QStringLiteral("%1 = %2").arg(o, lit);
            } else {
                // Trino keeps IPv4 as IPv4-mapped IPv6: the family test keeps "an IPv4 address
                // never matches an IPv6 network" (and the reverse) true.
                const QString lit = trinoString(formatIpNetwork(*net));
                const QString family = net->address.v6 ? QStringLiteral("> 0") : QStringLiteral("= 0");
                for (const QString& o : ops)
                    parts << QStringLiteral("(strpos(%1, ':') %2 AND contains(%3, CAST(%1 AS IPADDRESS)))").arg(o, family, lit);
            }
            return anyOf(parts);
        }
        auto lits = literals(v, t);
        if (!lits) return lits.error();
        QStringList parts;
        for (const QString& o : ops) {
            if (lits->size() == 1) parts << QStringLiteral("%1 = %2").arg(o, lits->front());
            else parts << QStringLiteral("%1 IN (%2)").arg(o, lits->join(QStringLiteral(", ")));
        }
        return anyOf(parts);
    }

    Result<QString> term(const Node& n)
    {
        const Target& t = n.target;
        const QStringList ops = operands(t);
        switch (n.op) {
        case Op::Present: {
            if (t.kind == TargetKind::Drops) return QStringLiteral("%1 > 0").arg(ops.front());
            QStringList parts;
            for (const QString& o : ops) parts << QStringLiteral("%1 IS NOT NULL").arg(o);
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
            if (t.value == ValueKind::Address) {
                QStringList parts;
                for (const Value& v : n.values) {
                    auto s = equals(ops, v, t);
                    if (!s) return s;
                    parts << s.value();
                }
                return anyOf(parts);
            }
            QStringList all;
            for (const Value& v : n.values) {
                auto l = literals(v, t);
                if (!l) return l.error();
                all << l.value();
            }
            QStringList parts;
            for (const QString& o : ops) parts << QStringLiteral("%1 IN (%2)").arg(o, all.join(QStringLiteral(", ")));
            return anyOf(parts);
        }
        case Op::Lt:
        case Op::Le:
        case Op::Gt:
        case Op::Ge: {
            if (t.value == ValueKind::Address)
                return makeError(n.opPos, QStringLiteral("'%1' does not work on address field '%2' at %3; use a CIDR "
                                                         "such as %2 == 10.0.0.0/8")
                                              .arg(n.opText, t.name)
                                              .arg(n.opPos));
            auto lit = literal(n.values.front(), t);
            if (!lit) return lit.error();
            const QString sqlOp = n.op == Op::Lt   ? QStringLiteral("<")
                                  : n.op == Op::Le ? QStringLiteral("<=")
                                  : n.op == Op::Gt ? QStringLiteral(">")
                                                   : QStringLiteral(">=");
            QStringList parts;
            for (const QString& o : ops) parts << QStringLiteral("%1 %2 %3").arg(o, sqlOp, lit.value());
            return anyOf(parts);
        }
        case Op::Contains: {
            // ASCII case-insensitive substring: both sides lower-cased, the needle's % _ \ escaped.
            QString needle = n.values.front().text;
            QString lowered;
            for (QChar c : needle) lowered += (c.unicode() < 128) ? c.toLower() : c;
            lowered.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
            lowered.replace(QLatin1Char('%'), QLatin1String("\\%"));
            lowered.replace(QLatin1Char('_'), QLatin1String("\\_"));
            const QString pattern = trinoString(QLatin1Char('%') + lowered + QLatin1Char('%'));
            QStringList parts;
            for (const QString& o : ops) parts << QStringLiteral("lower(%1) LIKE %2 ESCAPE '\\'").arg(o, pattern);
            return anyOf(parts);
        }
        case Op::Has: {
            if (t.value != ValueKind::Flags)
                return makeError(n.opPos,
                                 QStringLiteral("'has' works on tcp-flags only, not on '%1' (at %2)").arg(t.name).arg(n.opPos));
            auto bits = flagsValueOf(n.values.front(), t);
            if (!bits) return bits.error();
            return QStringLiteral("bitwise_and(%1, %2) = %2").arg(ops.front()).arg(bits.value());
        }
        }
        return QStringLiteral("false");
    }

    QStringList m_fields;
    const NameDirectory* m_names;
};

} // namespace

namespace remote {

/// Compiles a parsed filter; also returns the names it resolved.
Result<QString> trinoWhere(const Node& root, const QStringList& fields, const NameDirectory* names, QStringList* resolved)
{
    TrinoBuilder b(fields, names);
    auto s = b.build(root);
    if (s && resolved) *resolved = b.resolvedNames;
    return s;
}

} // namespace remote

Result<QString> trinoFilter(const QString& filter, const QStringList& fields, const NameDirectory* names)
{
    if (filter.trimmed().isEmpty()) return QStringLiteral("true");
    auto ast = parseFilter(filter);
    if (!ast) return ast.error();
    return remote::trinoWhere(*ast.value(), fields.isEmpty() ? remoteFormatFields(QString()).value() : fields, names, nullptr);
}

} // namespace core
