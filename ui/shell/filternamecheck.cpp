#include "ui/shell/filternamecheck.h"

#include "core/query/filter.h"

#include <QRegularExpression>

namespace ui {

namespace {

struct IdKind {
    const char* column;
    const char* prefix; ///< ids of this kind start with it ("" = any kind)
    const char* noun;
};

// The nameable columns (core::isNameableColumn) and what their ids are called.
const IdKind kKinds[] = {
    {"tgw_attachment_id", "tgw-attach-", "attachment"},
    {"tgw_pair_attachment_id", "tgw-attach-", "attachment"},
    {"tgw_id", "tgw-", "transit gateway"},
    {"vpc_id", "vpc-", "VPC"},
    {"tgw_src_vpc_id", "vpc-", "VPC"},
    {"tgw_dst_vpc_id", "vpc-", "VPC"},
    {"subnet_id", "subnet-", "subnet"},
    {"tgw_src_subnet_id", "subnet-", "subnet"},
    {"tgw_dst_subnet_id", "subnet-", "subnet"},
    {"interface_id", "eni-", "network interface"},
    {"tgw_src_eni", "eni-", "network interface"},
    {"tgw_dst_eni", "eni-", "network interface"},
    {"instance_id", "i-", "instance"},
    {"resource_id", "", "resource"},
};

const IdKind* kindOf(const QString& column)
{
    for (const IdKind& k : kKinds)
        if (column == QLatin1String(k.column)) return &k;
    return nullptr;
}

bool hasIdOfKind(const QStringList& ids, const IdKind& kind)
{
    const QString prefix = QString::fromLatin1(kind.prefix);
    for (const QString& id : ids) {
        if (!id.startsWith(prefix)) continue;
        if (prefix == QLatin1String("tgw-") && id.startsWith(QLatin1String("tgw-attach-"))) continue;
        return true;
    }
    return false;
}

} // namespace

QString unknownNameWarning(const QString& expression, const core::NameDirectory& names)
{
    if (expression.trimmed().isEmpty()) return {};
    const auto compiled = core::compileFilter(expression);
    if (!compiled.ok()) return {};
    // Name comparisons compile to (core/query/filter.cpp) `"col" IN (SELECT ?N UNION ALL SELECT
    // names.id FROM names WHERE names.name = ?N)` for == and !=, and to `"col" IN (SELECT names.id
    // FROM names WHERE names.name IN (?N, ?M))` for in; ?N is the value as typed.
    static const QRegularExpression nameMatch(
        QStringLiteral("\"(\\w+)\" IN \\((?:SELECT \\?(\\d+) UNION ALL SELECT names\\.id FROM names WHERE names\\.name = "
                       "|SELECT names\\.id FROM names WHERE names\\.name IN \\(([?\\d, ]+)\\))"));
    static const QRegularExpression paramNumber(QStringLiteral("\\?(\\d+)"));
    static const QRegularExpression idShaped(QStringLiteral("^[a-z]+(-[a-z]+)*-[0-9a-f]+$"));
    const core::FilterSql& sql = compiled.value();
    QStringList checked;
    for (auto it = nameMatch.globalMatch(sql.where); it.hasNext();) {
        const auto m = it.next();
        const IdKind* kind = kindOf(m.captured(1));
        if (!kind) continue;
        QList<qsizetype> params;
        if (!m.captured(2).isEmpty()) params << m.captured(2).toLongLong() - 1;
        for (auto p = paramNumber.globalMatch(m.captured(3)); p.hasNext();) params << p.next().captured(1).toLongLong() - 1;
        for (const qsizetype param : params) {
            if (param < 0 || param >= sql.params.size()) continue;
            const QString value = sql.params.at(param).toString();
            const QString key = QString::fromLatin1(kind->noun) + QLatin1Char('\n') + value;
            if (value.isEmpty() || idShaped.match(value).hasMatch() || checked.contains(key)) continue;
            checked << key;
            if (hasIdOfKind(names.idsForName(value), *kind)) continue;
            if (names.isEmpty())
                return QObject::tr("no %1 is named '%2' (no AWS resource names are loaded: File > Load AWS Resource Names)")
                    .arg(QString::fromLatin1(kind->noun), value);
            return QObject::tr("no %1 is named '%2'").arg(QString::fromLatin1(kind->noun), value);
        }
    }
    return {};
}

} // namespace ui
