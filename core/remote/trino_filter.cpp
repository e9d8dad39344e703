// The filter language compiled to Trino (Athena) SQL: the Trino dialect of the one traversal
// (core/query/filter_emit.h), and the literal handling it shares with Logs Insights
// (filter_literals.h). Unlike the store's SQL (bound parameters), this is text for the user to
// paste into Athena, so every value is a literal: text quoted with '' doubling (control
// characters as chr(N)), numbers as digits, networks as canonical CIDR text. The semantics are
// the store's (filter.cpp): a comparison on NULL is false, `not X` and `!=` are exact
// complements, aliases match when any column does, `!=` on an alias when none does. Names
// resolve to the ids they stand for (Athena has no names table); columns the table lacks read
// as typed NULL, as absent fields do in the store.
#include "core/model/fields.h"
#include "core/remote/filter_literals.h"
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

Result<QString> LiteralEmitter::value(const Value& v, const Target& t)
{
    if (t.value == ValueKind::Text) return quote(v.text);
    auto n = integerValueOf(v, t);
    if (!n) return n.error();
    return QString::number(n.value());
}

Result<QStringList> LiteralEmitter::literals(const Value& v, const Target& t)
{
    auto l = value(v, t);
    if (!l) return l.error();
    QStringList out{l.value()};
    if (t.named && m_names && !isAwsIdShaped(v.text)) {
        const QStringList ids = m_names->idsForName(v.text);
        for (const QString& id : ids)
            if (id != v.text) out << quote(id);
        if (!ids.isEmpty()) resolvedNames << QStringLiteral("\"%1\" = %2").arg(v.text, ids.join(QStringLiteral(", ")));
    }
    return out;
}

Result<QString> LiteralEmitter::equalsValue(const QStringList& ops, const Value& v, const Target& t)
{
    auto lits = literals(v, t);
    if (!lits) return lits.error();
    QStringList parts;
    for (const QString& o : ops) {
        if (lits->size() == 1) parts << QStringLiteral("%1 = %2").arg(o, lits->front());
        else parts << inList(o, lits->join(QStringLiteral(", ")));
    }
    return anyOf(parts);
}

Result<QString> LiteralEmitter::inValues(const QStringList& ops, const std::vector<Value>& values, const Target& t)
{
    QStringList all;
    for (const Value& v : values) {
        auto l = literals(v, t);
        if (!l) return l.error();
        all << l.value();
    }
    QStringList parts;
    for (const QString& o : ops) parts << inList(o, all.join(QStringLiteral(", ")));
    return anyOf(parts);
}

} // namespace remote

using namespace remote;

namespace {

/// The Trino dialect.
class TrinoEmitter final : public LiteralEmitter {
public:
    TrinoEmitter(const QStringList& fields, const NameDirectory* names) : LiteralEmitter(names), m_fields(fields) {}

protected:
    QString join(const QStringList& parts, bool conjunction) override
    {
        return QLatin1Char('(') + parts.join(conjunction ? QStringLiteral(" AND ") : QStringLiteral(" OR ")) + QLatin1Char(')');
    }

    QString negate(const QString& positive) override { return QStringLiteral("(NOT coalesce(%1, false))").arg(positive); }

    QString matchNothing() const override { return QStringLiteral("false"); }

    QStringList operands(const Target& t) override
    {
        if (t.kind == TargetKind::Drops) {
            QStringList parts;
            for (const char* c :
                 {"packets_lost_no_route", "packets_lost_blackhole", "packets_lost_mtu_exceeded", "packets_lost_ttl_expired"})
                parts << QStringLiteral("coalesce(%1, 0)").arg(column(QString::fromLatin1(c), true));
            return {QLatin1Char('(') + parts.join(QStringLiteral(" + ")) + QLatin1Char(')')};
        }
        QStringList out;
        for (const QString& c : t.columns) out << column(c, t.value != ValueKind::Text && t.value != ValueKind::Address);
        return out;
    }

    QString quote(const QString& text) const override { return trinoString(text); }

    QString inList(const QString& operand, const QString& list) const override
    {
        return QStringLiteral("%1 IN (%2)").arg(operand, list);
    }

    QString inNetwork(const QString& operand, const QString& network, bool v6) const override
    {
        // Trino keeps IPv4 as IPv4-mapped IPv6: the family test keeps "an IPv4 address never
        // matches an IPv6 network" (and the reverse) true.
        const QString family = v6 ? QStringLiteral("> 0") : QStringLiteral("= 0");
        return QStringLiteral("(strpos(%1, ':') %2 AND contains(%3, CAST(%1 AS IPADDRESS)))").arg(operand, family, network);
    }

    QString containsText(const QStringList& ops, const QString& needle) override
    {
        // ASCII case-insensitive substring: both sides lower-cased, the needle's % _ \ escaped.
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

    QString hasBits(const QString& operand, qint64 bits) override
    {
        return QStringLiteral("bitwise_and(%1, %2) = %2").arg(operand).arg(bits);
    }

private:
    /// A column reference, or a typed NULL when the table does not have the column.
    QString column(const QString& name, bool integer) const
    {
        if (!m_fields.contains(name))
            return integer ? QStringLiteral("CAST(NULL AS bigint)") : QStringLiteral("CAST(NULL AS varchar)");
        return QLatin1Char('"') + name + QLatin1Char('"');
    }

    QStringList m_fields;
};

} // namespace

namespace remote {

/// Compiles a parsed filter; also returns the names it resolved.
Result<QString> trinoWhere(const Node& root, const QStringList& fields, const NameDirectory* names, QStringList* resolved)
{
    TrinoEmitter b(fields, names);
    auto s = b.emit(root);
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
