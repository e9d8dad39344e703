// The filter language: the store's SQL dialect (SQLite, bound parameters) for the one traversal
// in filter_emit.cpp of the syntax tree built by filter_parse.cpp, and the public text helpers.
// Grammar (case-insensitive keywords):
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
#include "core/query/filter_emit.h"

#include <QHash>
#include <vector>

namespace core {

using namespace filterlang;

namespace {

/// The store's dialect: SQLite over `flows`, every value a bound parameter ?NNN.
class SqliteEmitter final : public FilterEmitter {
public:
    SqliteEmitter(const QString& alias, int firstParam) : m_alias(alias), m_next(firstParam) {}

    QVariantList params;

protected:
    /// A balanced tree, so a long chain (a or b or ... ) stays far below SQLite's expression
    /// depth limit (1000) instead of nesting one level per term.
    QString join(const QStringList& parts, bool conjunction) override
    {
        return joinBalanced(parts, 0, parts.size(), conjunction ? QStringLiteral(" AND ") : QStringLiteral(" OR "));
    }

    QString negate(const QString& positive) override { return QStringLiteral("(NOT coalesce(%1, 0))").arg(positive); }

    QString matchNothing() const override { return QStringLiteral("0"); }

    QStringList operands(const Target& t) override
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

    Result<QString> value(const Value& v, const Target& t) override
    {
        auto value = typedValue(v, t);
        if (!value) return value.error();
        return param(value.value());
    }

    Result<QString> equalsValue(const QStringList& ops, const Value& v, const Target& t) override
    {
        auto p = value(v, t);
        if (!p) return p;
        QStringList parts;
        if (t.named && !isAwsIdShaped(v.text)) {
            // The value itself plus the ids named so, as one set: each column is decoded and
            // probed once per row (measured faster than `col = ?1 OR col IN (...)`).
            const QString set =
                QStringLiteral("(SELECT %1 UNION ALL SELECT names.id FROM names WHERE names.name = %1)").arg(p.value());
            for (const QString& o : ops) parts << QStringLiteral("%1 IN %2").arg(o, set);
            return anyOf(parts);
        }
        for (const QString& o : ops) parts << QStringLiteral("%1 = %2").arg(o, p.value());
        return anyOf(parts);
    }

    Result<QString> inValues(const QStringList& ops, const std::vector<Value>& values, const Target& t) override
    {
        QStringList ps;
        QStringList namePs; ///< values that may be names (not shaped like an id)
        for (const Value& v : values) {
            auto p = value(v, t);
            if (!p) return p;
            ps << p.value();
            if (t.named && !isAwsIdShaped(v.text)) namePs << ps.back();
        }
        QStringList parts;
        const QString list = ps.join(QStringLiteral(", "));
        for (const QString& o : ops) parts << QStringLiteral("%1 IN (%2)").arg(o, list);
        // Ids named like a value: a second IN (a compound of many values would hit SQLite's
        // limit of 500 terms per compound SELECT).
        if (!namePs.isEmpty()) {
            const QString names = namePs.join(QStringLiteral(", "));
            for (const QString& o : ops)
                parts << QStringLiteral("%1 IN (SELECT names.id FROM names WHERE names.name IN (%2))").arg(o, names);
        }
        return anyOf(parts);
    }

    QString addressValue(const QString& text) override { return param(text); }

    QString inNetwork(const QString& operand, const QString& network, bool) const override
    {
        return QStringLiteral("flowlog_in_cidr(%1, %2)").arg(operand, network);
    }

    QString containsText(const QStringList& ops, const QString& text) override
    {
        // LIKE is ASCII case-insensitive and fast; the needle's own % _ and \ are escaped so
        // they match literally. The escape character is a parameter too (no literal in SQL).
        QString needle = text;
        needle.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
        needle.replace(QLatin1Char('%'), QLatin1String("\\%"));
        needle.replace(QLatin1Char('_'), QLatin1String("\\_"));
        const QString p = param(QLatin1Char('%') + needle + QLatin1Char('%'));
        if (m_escapeParam.isEmpty()) m_escapeParam = param(QStringLiteral("\\"));
        QStringList parts;
        for (const QString& o : ops) parts << QStringLiteral("%1 LIKE %2 ESCAPE %3").arg(o, p, m_escapeParam);
        return anyOf(parts);
    }

    QString hasBits(const QString& operand, qint64 bits) override
    {
        return QStringLiteral("(%1 & %2) = %2").arg(operand, param(bits));
    }

private:
    static QString joinBalanced(const QStringList& parts, qsizetype from, qsizetype to, const QString& op)
    {
        constexpr qsizetype kFlat = 8;
        if (to - from <= kFlat) return QStringLiteral("(") + parts.mid(from, to - from).join(op) + QStringLiteral(")");
        const qsizetype mid = from + (to - from) / 2;
        return QStringLiteral("(") + joinBalanced(parts, from, mid, op) + op + joinBalanced(parts, mid, to, op)
               + QStringLiteral(")");
    }

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

    /// The value to bind for `v` compared with field `t`: its text for text fields, else its number.
    static Result<QVariant> typedValue(const Value& v, const Target& t)
    {
        if (t.value == ValueKind::Text) return QVariant(v.text);
        auto n = integerValueOf(v, t);
        if (!n) return n.error();
        return QVariant(n.value());
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
    SqliteEmitter builder(tableAlias, firstParam);
    auto where = builder.emit(*ast.value());
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
    return filterlang::backslashQuoted(value);
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
