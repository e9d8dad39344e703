// The filter language: SQL generation with bound parameters from the syntax tree built by
// filter_parse.cpp, and the public text helpers. Grammar (case-insensitive keywords):
//   expr    := andExpr (('or' | '||') andExpr)*
//   andExpr := unary (('and' | '&&') unary)*
//   unary   := ('not' | '!') unary | '(' expr ')' | term
//   term    := FIELD                                    (field has a value; drops: > 0)
//            | FIELD ('=='|'='|'!='|'<'|'<='|'>'|'>=') VALUE
//            | FIELD 'in' '{' VALUE (',' VALUE)* '}'
//            | FIELD 'contains' VALUE                   (substring, ASCII case-insensitive)
//            | FIELD 'has' FLAG ('|' FLAG)*              (tcp-flags: all of these bits)
//   VALUE   := bare word | "quoted" | 'quoted', optionally joined by '|' (SYN|ACK)
// Id fields also match by Name tag through the `names` table (see compileFilter()).
// Three-valued SQL logic is folded to two values: a comparison on a NULL column is false,
// and `not X` / `a != b` are the exact complement of `X` / `a == b` (so NULLs match `!=`).
#include "core/query/filter.h"

#include "core/model/fields.h"
#include "core/query/filter_ip.h"
#include "core/query/filter_parse.h"

#include <QHash>
#include <vector>

namespace core {

using namespace filterlang;

namespace {

/// Text shaped like an AWS resource id: lower-case words joined by '-', a '-', then 8 or 17
/// lower-case hex digits (vpc-0aaa1111, tgw-attach-0a1b2c3d4e5f60001, i-0abc1234def567890).
/// Such values are compared with ids only: cheaper, and a Name tag copying another resource's
/// id cannot pull that resource's records into a filter.
bool looksLikeAwsId(const QString& value)
{
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

// ---------------------------------------------------------------------------------------------
// SQL generation

class SqlBuilder {
public:
    SqlBuilder(const QString& alias, int firstParam) : m_alias(alias), m_next(firstParam) {}

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
            return joinBalanced(parts, 0, parts.size(), n.kind == Node::And ? QStringLiteral(" AND ") : QStringLiteral(" OR "));
        }
        case Node::Not: {
            auto s = build(*n.children.front());
            if (!s) return s;
            return negate(s.value());
        }
        case Node::Term:
            return term(n);
        }
        return QStringLiteral("0");
    }

    QVariantList params;

private:
    /// Joins parts[from, to) with `op` as a balanced tree, so a long chain (a or b or ... ) stays
    /// far below SQLite's expression depth limit (1000) instead of nesting one level per term.
    static QString joinBalanced(const QStringList& parts, qsizetype from, qsizetype to, const QString& op)
    {
        constexpr qsizetype kFlat = 8;
        if (to - from <= kFlat) return QStringLiteral("(") + parts.mid(from, to - from).join(op) + QStringLiteral(")");
        const qsizetype mid = from + (to - from) / 2;
        return QStringLiteral("(") + joinBalanced(parts, from, mid, op) + op + joinBalanced(parts, mid, to, op)
               + QStringLiteral(")");
    }

    static QString negate(const QString& positive) { return QStringLiteral("(NOT coalesce(%1, 0))").arg(positive); }

    QString column(const QString& name) const
    {
        const QString quoted = QLatin1Char('"') + name + QLatin1Char('"');
        return m_alias.isEmpty() ? quoted : m_alias + QLatin1Char('.') + quoted;
    }

    QString param(const QVariant& v)
    {
        params << v;
        return QStringLiteral("?%1").arg(m_next++);
    }

    /// SQL expressions the term applies to (one per column, or the drops sum).
    QStringList operands(const Target& t) const
    {
        if (t.kind == TargetKind::Drops) {
            QStringList parts;
            for (const char* c :
                 {"packets_lost_no_route", "packets_lost_blackhole", "packets_lost_mtu_exceeded", "packets_lost_ttl_expired"})
                parts << QStringLiteral("coalesce(%1, 0)").arg(column(QString::fromLatin1(c)));
            return {QStringLiteral("(") + parts.join(QLatin1Char('+')) + QStringLiteral(")")};
        }
        QStringList out;
        for (const QString& c : t.columns) out << column(c);
        return out;
    }

    static QString anyOf(const QStringList& parts)
    {
        if (parts.size() == 1) return parts.front();
        return QStringLiteral("(") + parts.join(QStringLiteral(" OR ")) + QStringLiteral(")");
    }

    static Error valueError(const Value& v, const QString& what, const Target& t)
    {
        return makeError(v.pos, QStringLiteral("expected %1 for '%2' at %3, got '%4'").arg(what, t.name).arg(v.pos).arg(v.text));
    }

    /// The value to bind for `v` compared with field `t`: its text for text fields, else its number.
    Result<QVariant> typedValue(const Value& v, const Target& t) const
    {
        if (t.value == ValueKind::Text) return QVariant(v.text);
        auto n = integerValue(v, t);
        if (!n) return n.error();
        return QVariant(n.value());
    }

public:
    // Also used by integerValueOf()/flagsValueOf() (other SQL dialects, core/remote).
    Result<qint64> integerValue(const Value& v, const Target& t) const
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
        case ValueKind::Flags: {
            auto f = flagsValue(v, t);
            if (!f) return f.error();
            return f.value();
        }
        default:
            return valueError(v, QStringLiteral("a number"), t);
        }
    }

    static Result<qint64> flagsValue(const Value& v, const Target& t)
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

private:
    /// Positive predicate `operand == value` for one value (addresses may be CIDR).
    Result<QString> equals(const QStringList& ops, const Value& v, const Target& t)
    {
        if (t.value == ValueKind::Address) {
            const auto net = parseIpNetwork(v.text.toStdString());
            if (!net) return valueError(v, QStringLiteral("an IP address or CIDR (10.0.0.0/16, 2600:1f18::/32)"), t);
            const bool host = net->prefix == (net->address.v6 ? 128 : 32);
            QStringList parts;
            if (host && !net->address.v6) {
                const QString p = param(formatIpAddress(net->address));
                for (const QString& o : ops) parts << QStringLiteral("%1 = %2").arg(o, p);
            } else {
                const QString p = param(formatIpNetwork(*net));
                for (const QString& o : ops) parts << QStringLiteral("flowlog_in_cidr(%1, %2)").arg(o, p);
            }
            return anyOf(parts);
        }
        auto value = typedValue(v, t);
        if (!value) return value.error();
        const QString p = param(value.value());
        QStringList parts;
        if (t.named && !looksLikeAwsId(v.text)) {
            // The value itself plus the ids named so, as one set: each column is decoded and
            // probed once per row (measured faster than `col = ?1 OR col IN (...)`).
            const QString set = QStringLiteral("(SELECT %1 UNION ALL SELECT names.id FROM names WHERE names.name = %1)").arg(p);
            for (const QString& o : ops) parts << QStringLiteral("%1 IN %2").arg(o, set);
            return anyOf(parts);
        }
        for (const QString& o : ops) parts << QStringLiteral("%1 = %2").arg(o, p);
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
            const bool simple = t.value != ValueKind::Address;
            if (simple) {
                QStringList ps;
                QStringList namePs; ///< values that may be names (not shaped like an id)
                for (const Value& v : n.values) {
                    auto value = typedValue(v, t);
                    if (!value) return value.error();
                    ps << param(value.value());
                    if (t.named && !looksLikeAwsId(v.text)) namePs << ps.back();
                }
                QStringList parts;
                const QString list = ps.join(QStringLiteral(", "));
                for (const QString& o : ops) parts << QStringLiteral("%1 IN (%2)").arg(o, list);
                // Ids named like a value: a second IN (a compound of many values would hit
                // SQLite's limit of 500 terms per compound SELECT).
                if (!namePs.isEmpty()) {
                    const QString names = namePs.join(QStringLiteral(", "));
                    for (const QString& o : ops)
                        parts << QStringLiteral("%1 IN (SELECT names.id FROM names WHERE names.name IN (%2))").arg(o, names);
                }
                return anyOf(parts);
            }
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
                return makeError(n.opPos, QStringLiteral("'%1' does not work on address field '%2' at %3; use a CIDR "
                                                         "such as %2 == 10.0.0.0/8")
                                              .arg(n.opText, t.name)
                                              .arg(n.opPos));
            const Value& v = n.values.front();
            auto value = typedValue(v, t);
            if (!value) return value.error();
            const QString p = param(value.value());
            const QString sqlOp = n.op == Op::Lt   ? QStringLiteral("<")
                                  : n.op == Op::Le ? QStringLiteral("<=")
                                  : n.op == Op::Gt ? QStringLiteral(">")
                                                   : QStringLiteral(">=");
            QStringList parts;
            for (const QString& o : ops) parts << QStringLiteral("%1 %2 %3").arg(o, sqlOp, p);
            return anyOf(parts);
        }
        case Op::Contains: {
            // LIKE is ASCII case-insensitive and fast; the needle's own % _ and \ are escaped so
            // they match literally. The escape character is a parameter too (no literal in SQL).
            QString needle = n.values.front().text;
            needle.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
            needle.replace(QLatin1Char('%'), QLatin1String("\\%"));
            needle.replace(QLatin1Char('_'), QLatin1String("\\_"));
            const QString p = param(QLatin1Char('%') + needle + QLatin1Char('%'));
            if (m_escapeParam.isEmpty()) m_escapeParam = param(QStringLiteral("\\"));
            QStringList parts;
            for (const QString& o : ops) parts << QStringLiteral("%1 LIKE %2 ESCAPE %3").arg(o, p, m_escapeParam);
            return anyOf(parts);
        }
        case Op::Has: {
            if (t.value != ValueKind::Flags)
                return makeError(n.opPos,
                                 QStringLiteral("'has' works on tcp-flags only, not on '%1' (at %2)").arg(t.name).arg(n.opPos));
            auto bits = flagsValue(n.values.front(), t);
            if (!bits) return bits.error();
            const QString p = param(bits.value());
            return QStringLiteral("(%1 & %2) = %2").arg(ops.front(), p);
        }
        }
        return QStringLiteral("0");
    }

    QString m_alias;
    int m_next;
    QString m_escapeParam; ///< placeholder holding the LIKE escape character, once used
};

bool isBareWord(const QString& value)
{
    if (value.isEmpty()) return false;
    for (QChar c : value)
        if (!isWordChar(c) || c == QLatin1Char('\\')) return false;
    const QString lower = value.toLower();
    static const QStringList keywords = {QStringLiteral("and"), QStringLiteral("or"),       QStringLiteral("not"),
                                         QStringLiteral("in"),  QStringLiteral("contains"), QStringLiteral("has")};
    return !keywords.contains(lower);
}

} // namespace

namespace filterlang {

Result<qint64> integerValueOf(const Value& v, const Target& t)
{
    return SqlBuilder(QString(), 1).integerValue(v, t);
}

Result<qint64> flagsValueOf(const Value& v, const Target& t)
{
    return SqlBuilder::flagsValue(v, t);
}

bool isAwsIdShaped(const QString& value)
{
    return looksLikeAwsId(value);
}

} // namespace filterlang

bool isNameableColumn(const QString& column)
{
    static const QStringList columns = [] {
        QStringList out;
        for (FieldId id :
             {FieldId::InterfaceId, FieldId::VpcId, FieldId::SubnetId, FieldId::InstanceId, FieldId::TgwId,
              FieldId::TgwAttachmentId, FieldId::TgwPairAttachmentId, FieldId::TgwSrcVpcId, FieldId::TgwDstVpcId,
              FieldId::TgwSrcSubnetId, FieldId::TgwDstSubnetId, FieldId::TgwSrcEni, FieldId::TgwDstEni, FieldId::ResourceId})
            out << QString::fromLatin1(fieldInfo(id).column);
        return out;
    }();
    return columns.contains(column);
}

Result<FilterSql> compileFilter(const QString& expression, const QString& tableAlias, int firstParam)
{
    FilterSql out;
    if (expression.trimmed().isEmpty()) return out;
    auto ast = parseFilter(expression);
    if (!ast) return ast.error();
    SqlBuilder builder(tableAlias, firstParam);
    auto where = builder.build(*ast.value());
    if (!where) return where.error();
    out.where = where.value();
    out.params = builder.params;
    return out;
}

std::optional<Error> validateFilter(const QString& expression)
{
    auto r = compileFilter(expression);
    if (r) return std::nullopt;
    return r.error();
}

QStringList filterCompletions()
{
    QStringList out = knownNames();
    out << QStringLiteral("and") << QStringLiteral("or") << QStringLiteral("not") << QStringLiteral("in")
        << QStringLiteral("contains") << QStringLiteral("has");
    return out;
}

QString quoteFilterValue(const QString& value)
{
    if (isBareWord(value)) return value;
    QString out = QStringLiteral("\"");
    for (QChar c : value) {
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
    out += QLatin1Char('"');
    return out;
}

QString filterTerm(const QString& field, const QString& value, bool exclude)
{
    // An empty value stands for NULL ('-'): test for absence/presence instead.
    if (value.isEmpty()) return exclude ? field : QStringLiteral("not ") + field;
    return field + (exclude ? QStringLiteral(" != ") : QStringLiteral(" == ")) + quoteFilterValue(value);
}

QString combineFilters(const QString& a, const QString& b, bool useOr)
{
    QString left = a.trimmed();
    QString right = b.trimmed();
    if (left.isEmpty()) return right;
    if (right.isEmpty()) return left;
    // A side needs parentheses unless it is a single term, a negation, or already a chain of
    // the same operator.
    auto wrap = [useOr](const QString& side) {
        auto ast = parseFilter(side);
        if (ast) {
            const Node::Kind k = ast.value()->kind;
            if (k == Node::Term || k == Node::Not || k == (useOr ? Node::Or : Node::And)) return side;
        }
        return QStringLiteral("(") + side + QStringLiteral(")");
    };
    return wrap(left) + (useOr ? QStringLiteral(" or ") : QStringLiteral(" and ")) + wrap(right);
}

} // namespace core
