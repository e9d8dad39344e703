// Athena (Trino) SQL for the four views over the table athenaDdl() creates.
//
// The counting rule of core/analysis, in SQL: the store pairs an ingress record with an egress
// record of the same flow (same entry and exit attachments, addresses, ports, protocol,
// packets, bytes, start and end; the i-th waiting ingress with the i-th egress), and an egress
// record counts unless its ingress twin also passes the filter. Here the pairing key is a
// window partition; row_number() within (key, direction) numbers the duplicates so the i-th
// ingress pairs with the i-th egress (which of byte-identical duplicates is "i-th" is Athena's
// choice, the store's is load order: it only matters when the filter tells such duplicates
// apart, e.g. by a column outside the key).
#include "core/model/fields.h"
#include "core/remote/remote.h"
#include "core/remote/remote_impl.h"

#include <QDateTime>

namespace core {

using namespace filterlang;
using namespace remote;

namespace {

QString quoted(const QString& column)
{
    return QLatin1Char('"') + column + QLatin1Char('"');
}

bool isIntegerColumn(const QString& column)
{
    const auto id = findField(column.toStdString());
    return id && fieldInfo(*id).type == FieldType::Integer;
}

/// One line of comment text: control characters (a newline would end the comment) as spaces.
QString commentText(const QString& text)
{
    QString out = text;
    for (QChar& c : out)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f) c = QLatin1Char(' ');
    return out;
}

QDate dayOf(qint64 seconds)
{
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC).date();
}

/// The partition predicate for start in [lower, upper): the days of the files that can hold
/// such records (S3 folders are by delivery time, which is after `start`: one more day at the
/// upper end). Empty when the filter does not bound the time.
QString partitionPredicate(const TimeBounds& b, S3Layout layout)
{
    if (!b.lower && !b.upperExclusive) return {};
    const std::optional<QDate> from = b.lower ? std::optional<QDate>(dayOf(*b.lower)) : std::nullopt;
    const std::optional<QDate> to =
        b.upperExclusive ? std::optional<QDate>(dayOf(*b.upperExclusive - 1).addDays(1)) : std::nullopt;
    if (from && to && *to < *from) return QStringLiteral("false");
    if (layout == S3Layout::Classic) {
        auto d = [](const QDate& x) { return trinoString(x.toString(QStringLiteral("yyyy/MM/dd"))); };
        if (from && to) return QStringLiteral("\"day\" BETWEEN %1 AND %2").arg(d(*from), d(*to));
        if (from) return QStringLiteral("\"day\" >= %1").arg(d(*from));
        return QStringLiteral("\"day\" <= %1").arg(d(*to));
    }
    // Hive: year/month/day are separate zero-padded string partitions.
    auto key = [](const QDate& x) { return trinoString(x.toString(QStringLiteral("yyyyMMdd"))); };
    if (from && to && from->daysTo(*to) <= 62) {
        // Explicit months so partition projection prunes without evaluating concat().
        QStringList months;
        QDate m(from->year(), from->month(), 1);
        while (m <= *to) {
            const QDate first = std::max(m, *from);
            const QDate last = std::min(m.addMonths(1).addDays(-1), *to);
            QString clause =
                QStringLiteral("\"year\" = %1 AND \"month\" = %2")
                    .arg(trinoString(m.toString(QStringLiteral("yyyy"))), trinoString(m.toString(QStringLiteral("MM"))));
            if (first == last)
                clause += QStringLiteral(" AND \"day\" = %1").arg(trinoString(first.toString(QStringLiteral("dd"))));
            else if (first.day() != 1 || last.day() != m.daysInMonth())
                clause +=
                    QStringLiteral(" AND \"day\" BETWEEN %1 AND %2")
                        .arg(trinoString(first.toString(QStringLiteral("dd"))), trinoString(last.toString(QStringLiteral("dd"))));
            months << QLatin1Char('(') + clause + QLatin1Char(')');
            m = m.addMonths(1);
        }
        return months.size() == 1 ? months.front() : QLatin1Char('(') + months.join(QStringLiteral(" OR ")) + QLatin1Char(')');
    }
    const QString all = QStringLiteral("concat(\"year\", \"month\", \"day\")");
    if (from && to) return QStringLiteral("%1 BETWEEN %2 AND %3").arg(all, key(*from), key(*to));
    if (from) return QStringLiteral("%1 >= %2").arg(all, key(*from));
    return QStringLiteral("%1 <= %2").arg(all, key(*to));
}

/// Columns the views read (besides the filter), in registry order.
QStringList viewColumns(const RemoteQuery& q)
{
    QStringList out;
    for (FieldId f : {FieldId::TgwAttachmentId,
                      FieldId::TgwPairAttachmentId,
                      FieldId::FlowDirection,
                      FieldId::SrcAddr,
                      FieldId::DstAddr,
                      FieldId::PktSrcAddr,
                      FieldId::PktDstAddr,
                      FieldId::SrcPort,
                      FieldId::DstPort,
                      FieldId::Protocol,
                      FieldId::Packets,
                      FieldId::Bytes,
                      FieldId::Start,
                      FieldId::End,
                      FieldId::PacketsLostNoRoute,
                      FieldId::PacketsLostBlackhole,
                      FieldId::PacketsLostMtuExceeded,
                      FieldId::PacketsLostTtlExpired,
                      FieldId::Action,
                      FieldId::InterfaceId})
        out << QString::fromLatin1(fieldInfo(f).column);
    if (q.view == RemoteView::Edges) {
        FieldId extra[3] = {FieldId::Count, FieldId::Count, FieldId::Count};
        switch (q.by) {
        case EdgeDimension::Vpc:
            extra[0] = FieldId::TgwSrcVpcId, extra[1] = FieldId::TgwDstVpcId, extra[2] = FieldId::VpcId;
            break;
        case EdgeDimension::Subnet:
            extra[0] = FieldId::TgwSrcSubnetId, extra[1] = FieldId::TgwDstSubnetId, extra[2] = FieldId::SubnetId;
            break;
        case EdgeDimension::Az:
            extra[0] = FieldId::TgwSrcAzId, extra[1] = FieldId::TgwDstAzId, extra[2] = FieldId::AzId;
            break;
        case EdgeDimension::Account:
            extra[0] = FieldId::TgwSrcVpcAccountId, extra[1] = FieldId::TgwDstVpcAccountId, extra[2] = FieldId::AccountId;
            break;
        case EdgeDimension::Attachment:
        case EdgeDimension::Addr:
            break;
        }
        for (FieldId f : extra)
            if (f != FieldId::Count) out << QString::fromLatin1(fieldInfo(f).column);
    }
    return out;
}

/// `WITH scanned AS (...), ranked AS (...), counted AS (...)`: the rows that count.
QString countedCte(const RemoteQuery& q, const QString& where, const QString& partition)
{
    const QStringList& fields = q.fields;
    QStringList select;
    for (const QString& c : viewColumns(q)) {
        if (fields.contains(c)) select << quoted(c);
        else
            select << QStringLiteral("CAST(NULL AS %1) AS %2")
                          .arg(isIntegerColumn(c) ? QStringLiteral("bigint") : QStringLiteral("varchar"), quoted(c));
    }
    const bool tgw = fields.contains(QStringLiteral("tgw_attachment_id"))
                     && fields.contains(QStringLiteral("tgw_pair_attachment_id"))
                     && fields.contains(QStringLiteral("flow_direction"));
    auto ref = [&](const char* c) {
        const QString column = QString::fromLatin1(c);
        return fields.contains(column) ? quoted(column) : QStringLiteral("CAST(NULL AS varchar)");
    };
    const QString attach = ref("tgw_attachment_id"), pair = ref("tgw_pair_attachment_id"), dir = ref("flow_direction");
    QString sql = QStringLiteral("WITH scanned AS (\n  SELECT %1,\n    CASE WHEN %5 = 'egress' THEN %6 ELSE %7 END AS entry_id,\n"
                                 "    CASE WHEN %5 = 'egress' THEN %7 ELSE %6 END AS exit_id,\n"
                                 "    coalesce(%2, false) AS pass\n  FROM %3%4\n)")
                      .arg(select.join(QStringLiteral(", ")), where, q.table,
                           partition.isEmpty() ? QString() : QStringLiteral("\n  WHERE ") + partition, dir, pair, attach);
    if (!tgw) return sql + QStringLiteral(",\ncounted AS (SELECT * FROM scanned WHERE pass)\n");
    const QString key =
        QStringLiteral("entry_id, exit_id, \"srcaddr\", \"dstaddr\", \"pkt_srcaddr\", \"pkt_dstaddr\", \"srcport\", "
                       "\"dstport\", \"protocol\", \"packets\", \"bytes\", \"start\", \"end\"");
    sql += QStringLiteral(
               ",\n-- twins: the same flow logged at its entry (ingress) and exit (egress) attachment\n"
               "ranked AS (\n  SELECT *,\n    CASE WHEN \"tgw_attachment_id\" IS NOT NULL AND \"tgw_pair_attachment_id\" IS "
               "NOT NULL AND \"flow_direction\" IN ('ingress', 'egress')\n      THEN row_number() OVER (PARTITION BY "
               "%1, \"flow_direction\") END AS twin_rank\n  FROM scanned\n),\n"
               "paired AS (\n  SELECT *,\n    max(CASE WHEN \"flow_direction\" = 'ingress' AND pass THEN 1 ELSE 0 END) "
               "OVER (PARTITION BY %1, twin_rank) AS twin_passes\n  FROM ranked\n),\n"
               "-- an egress record whose ingress twin passes the filter is the same flow: counted once\n"
               "counted AS (\n  SELECT * FROM paired\n  WHERE pass AND NOT (\"flow_direction\" = 'egress' AND twin_rank IS "
               "NOT NULL AND twin_passes = 1)\n)\n")
               .arg(key);
    return sql;
}

QString lostSums()
{
    return QStringLiteral("sum(coalesce(\"packets_lost_no_route\", 0)) AS packets_lost_no_route,\n"
                          "  sum(coalesce(\"packets_lost_blackhole\", 0)) AS packets_lost_blackhole,\n"
                          "  sum(coalesce(\"packets_lost_mtu_exceeded\", 0)) AS packets_lost_mtu_exceeded,\n"
                          "  sum(coalesce(\"packets_lost_ttl_expired\", 0)) AS packets_lost_ttl_expired");
}

QString edgesSql(const RemoteQuery& q)
{
    QString src, dst, only;
    auto side = [](FieldId tgwSrc, FieldId tgwDst, FieldId own, bool dstSide) {
        const QString s = quoted(QString::fromLatin1(fieldInfo(tgwSrc).column));
        const QString d = quoted(QString::fromLatin1(fieldInfo(tgwDst).column));
        const QString o = quoted(QString::fromLatin1(fieldInfo(own).column));
        // TGW records (an attachment id, or tgw-src-*/tgw-dst-* values): those fields. VPC
        // records: the interface's own VPC/subnet/AZ/account on the side the traffic is on.
        return QStringLiteral("CASE WHEN \"tgw_attachment_id\" IS NOT NULL OR %1 IS NOT NULL OR %2 IS NOT NULL THEN %3 "
                              "WHEN %4 THEN %5 END")
            .arg(s, d, dstSide ? d : s,
                 dstSide ? QStringLiteral("\"flow_direction\" = 'ingress'")
                         : QStringLiteral("\"flow_direction\" IS NULL OR \"flow_direction\" <> 'ingress'"),
                 o);
    };
    auto sides = [&](FieldId tgwSrc, FieldId tgwDst, FieldId own) {
        src = side(tgwSrc, tgwDst, own, false);
        dst = side(tgwSrc, tgwDst, own, true);
    };
    switch (q.by) {
    case EdgeDimension::Attachment:
        src = QStringLiteral("entry_id"), dst = QStringLiteral("exit_id");
        only = QStringLiteral(" AND \"tgw_attachment_id\" IS NOT NULL");
        break;
    case EdgeDimension::Addr:
        src = QStringLiteral("\"srcaddr\""), dst = QStringLiteral("\"dstaddr\"");
        break;
    case EdgeDimension::Vpc:
        sides(FieldId::TgwSrcVpcId, FieldId::TgwDstVpcId, FieldId::VpcId);
        break;
    case EdgeDimension::Subnet:
        sides(FieldId::TgwSrcSubnetId, FieldId::TgwDstSubnetId, FieldId::SubnetId);
        break;
    case EdgeDimension::Az:
        sides(FieldId::TgwSrcAzId, FieldId::TgwDstAzId, FieldId::AzId);
        break;
    case EdgeDimension::Account:
        sides(FieldId::TgwSrcVpcAccountId, FieldId::TgwDstVpcAccountId, FieldId::AccountId);
        break;
    }
    return QStringLiteral("SELECT coalesce(%1, '-') AS src, coalesce(%2, '-') AS dst,\n  count(*) AS flows,\n"
                          "  sum(coalesce(\"packets\", 0)) AS packets,\n  sum(coalesce(\"bytes\", 0)) AS bytes,\n  %3\n"
                          "FROM counted\nWHERE (\"packets\" IS NOT NULL OR \"bytes\" IS NOT NULL)%4\n"
                          "GROUP BY 1, 2\nORDER BY 5 DESC, 1, 2")
        .arg(src, dst, lostSums(), only);
}

QString seriesSql(const RemoteQuery& q)
{
    return QStringLiteral("SELECT \"start\" / %1 * %1 AS bin_start,\n  count(*) AS flows,\n"
                          "  sum(coalesce(\"packets\", 0)) AS packets,\n  sum(coalesce(\"bytes\", 0)) AS bytes,\n  %2\n"
                          "FROM counted\nWHERE (\"packets\" IS NOT NULL OR \"bytes\" IS NOT NULL) AND \"start\" IS NOT NULL\n"
                          "GROUP BY 1\nORDER BY 1")
        .arg(q.binSeconds)
        .arg(lostSums());
}

/// The top-3 values of one column per drop row as a CTE: by packets lost (descending), ties by
/// the value ascending (addresses as text, ports as numbers), as computeDrops() ranks them.
QString topCte(const QString& name, const QString& column)
{
    return QStringLiteral("%1 AS (\n  SELECT entry, exit, reason, CAST(v AS varchar) || ' (' || CAST(p AS varchar) || ')' AS t,\n"
                          "    row_number() OVER (PARTITION BY entry, exit, reason ORDER BY p DESC, v) AS n\n"
                          "  FROM (SELECT entry, exit, reason, %2 AS v, sum(lost) AS p FROM drops WHERE %2 IS NOT NULL\n"
                          "        GROUP BY entry, exit, reason, %2) AS grouped\n)")
        .arg(name, column);
}

/// "v1 (p1); v2 (p2); v3 (p3)" from the ranked CTE `alias` (joined per row), as formatTopValues().
QString topJoined(const QString& alias)
{
    return QStringLiteral("coalesce(%1.t1, '') || coalesce('; ' || %1.t2, '') || coalesce('; ' || %1.t3, '')").arg(alias);
}

/// The route table of each entry attachment the names know, as the app fills route_table_id.
QString routeTableCase(const NameDirectory* names)
{
    QStringList whens;
    if (names)
        for (const NameEntry& e : names->entries())
            if (!e.routeTableId.isEmpty())
                whens << QStringLiteral("WHEN %1 THEN %2").arg(trinoString(e.id), trinoString(e.routeTableId));
    if (whens.isEmpty()) return QStringLiteral("''");
    return QStringLiteral("CASE WHEN d.reason = 'rejected' THEN '' ELSE CASE d.entry\n    %1\n    ELSE '' END END")
        .arg(whens.join(QStringLiteral("\n    ")));
}

QString dropsSql(const RemoteQuery& q)
{
    QStringList parts;
    const QString values = QStringLiteral("\"srcaddr\" AS src, \"dstaddr\" AS dst, \"dstport\" AS port");
    for (int i = 0; i < 4; ++i) {
        const auto r = static_cast<DropReason>(i);
        const QString c = quoted(dropReasonColumn(r));
        parts << QStringLiteral(
                     "  SELECT coalesce(entry_id, '-') AS entry, coalesce(exit_id, '-') AS exit, %1 AS reason, %2 AS lost, "
                     "coalesce(\"start\", \"end\") AS first_t, coalesce(\"end\", \"start\") AS last_t, %3\n"
                     "  FROM counted WHERE \"tgw_attachment_id\" IS NOT NULL AND %2 > 0")
                     .arg(trinoString(dropReasonName(r)), c, values);
    }
    parts << QStringLiteral(
                 "  SELECT coalesce(\"interface_id\", '-') AS entry, '-' AS exit, 'rejected' AS reason, "
                 "coalesce(\"packets\", 0) AS lost, coalesce(\"start\", \"end\") AS first_t, coalesce(\"end\", \"start\") "
                 "AS last_t, %1\n  FROM counted WHERE \"tgw_attachment_id\" IS NULL AND \"action\" = 'REJECT'")
                 .arg(values);
    QString sql =
        QStringLiteral(",\ndrops AS (\n%1\n),\n"
                       "-- top 3 per row by packets lost; ties by the value (addresses as text, ports as numbers)\n"
                       "%2,\n%3,\n%4\n")
            .arg(parts.join(QStringLiteral("\n  UNION ALL\n")), topCte(QStringLiteral("top_src"), QStringLiteral("src")),
                 topCte(QStringLiteral("top_dst"), QStringLiteral("dst")),
                 topCte(QStringLiteral("top_port"), QStringLiteral("port")));
    QString joins;
    for (const char* t : {"top_src", "top_dst", "top_port"}) {
        const QString name = QString::fromLatin1(t);
        const QString alias = name.mid(4);
        joins += QStringLiteral("\nLEFT JOIN (SELECT entry, exit, reason, max(CASE WHEN n = 1 THEN t END) AS t1, "
                                "max(CASE WHEN n = 2 THEN t END) AS t2, max(CASE WHEN n = 3 THEN t END) AS t3\n"
                                "  FROM %1 GROUP BY entry, exit, reason) AS %2\n"
                                "  ON %2.entry = d.entry AND %2.exit = d.exit AND %2.reason = d.reason")
                     .arg(name, alias);
    }
    sql += QStringLiteral(
               "SELECT d.entry, d.exit, d.reason, d.packets, d.records, d.first_seen, d.last_seen,\n"
               "  %1 AS top_sources,\n  %2 AS top_destinations,\n  %3 AS top_dst_ports,\n  %4 AS route_table_id\n"
               "FROM (SELECT entry, exit, reason, sum(lost) AS packets, count(*) AS records,\n"
               "  min(first_t) AS first_seen, max(last_t) AS last_seen\n  FROM drops GROUP BY entry, exit, reason) AS d%5\n"
               "ORDER BY 4 DESC, 1, 2, CASE d.reason WHEN 'no-route' THEN 0 WHEN 'blackhole' THEN 1 "
               "WHEN 'mtu-exceeded' THEN 2 WHEN 'ttl-expired' THEN 3 ELSE 4 END")
               .arg(topJoined(QStringLiteral("src")), topJoined(QStringLiteral("dst")), topJoined(QStringLiteral("port")),
                    routeTableCase(q.names), joins);
    return sql;
}

Result<QString> recordsSql(const RemoteQuery& q, const QString& where, const QString& partition)
{
    QStringList columns = q.columns.isEmpty() ? q.fields : q.columns;
    QStringList select;
    for (const QString& c : columns) {
        if (!q.fields.contains(c))
            return Error{
                {}, 0, 0, QStringLiteral("column '%1' is not in the table's format (%2 fields)").arg(c).arg(q.fields.size())};
        select << quoted(c);
    }
    QStringList order;
    for (const SortKey& k : q.sort) {
        if (!q.fields.contains(k.column))
            return Error{{}, 0, 0, QStringLiteral("sort column '%1' is not in the table's format").arg(k.column)};
        // The store sorts NULL ('-') first ascending and last descending, as SQLite does.
        order << quoted(k.column) + (k.descending ? QStringLiteral(" DESC NULLS LAST") : QStringLiteral(" ASC NULLS FIRST"));
    }
    QString sql = QStringLiteral("SELECT %1\nFROM %2").arg(select.join(QStringLiteral(", ")), q.table);
    if (!partition.isEmpty()) sql += QStringLiteral("\nWHERE ") + partition + QStringLiteral("\n  AND ") + where;
    else if (where != QLatin1String("true")) sql += QStringLiteral("\nWHERE ") + where;
    if (!order.isEmpty()) sql += QStringLiteral("\nORDER BY ") + order.join(QStringLiteral(", "));
    if (q.limit > 0) sql += QStringLiteral("\nLIMIT %1").arg(q.limit);
    return sql;
}

} // namespace

std::optional<RemoteView> remoteViewFromString(const QString& s)
{
    const QString l = s.trimmed().toLower();
    if (l == QLatin1String("records")) return RemoteView::Records;
    if (l == QLatin1String("edges") || l == QLatin1String("graph")) return RemoteView::Edges;
    if (l == QLatin1String("series") || l == QLatin1String("timeline")) return RemoteView::Series;
    if (l == QLatin1String("drops")) return RemoteView::Drops;
    return std::nullopt;
}

QString remoteViewName(RemoteView v)
{
    switch (v) {
    case RemoteView::Records:
        return QStringLiteral("records");
    case RemoteView::Edges:
        return QStringLiteral("edges");
    case RemoteView::Series:
        return QStringLiteral("series");
    case RemoteView::Drops:
        return QStringLiteral("drops");
    }
    return {};
}

Result<QString> athenaSql(const RemoteQuery& query)
{
    RemoteQuery q = query;
    if (q.fields.isEmpty()) q.fields = remoteFormatFields(QString()).value();
    if (!isSafeTableName(q.table))
        return Error{
            {}, 0, 0, QStringLiteral("table name '%1' must be letters, digits and '_' (optionally database.table)").arg(q.table)};
    if (q.view == RemoteView::Series && q.binSeconds <= 0)
        return Error{{}, 0, 0, QStringLiteral("the series bin must be a positive number of seconds")};
    QString where = QStringLiteral("true");
    QString partition;
    QStringList resolved;
    TimeBounds bounds;
    if (!q.filter.trimmed().isEmpty()) {
        auto ast = parseFilter(q.filter);
        if (!ast) return ast.error();
        auto w = trinoWhere(*ast.value(), q.fields, q.names, &resolved);
        if (!w) return w.error();
        where = w.value();
        bounds = timeBounds(*ast.value());
        partition = partitionPredicate(bounds, q.layout);
    }
    QString head = QStringLiteral("-- Flowlog Explorer: %1").arg(remoteViewName(q.view));
    if (q.view == RemoteView::Edges) head += QStringLiteral(" by %1").arg(edgeDimensionName(q.by));
    if (q.view == RemoteView::Series) head += QStringLiteral(", bins of %1 s").arg(q.binSeconds);
    head += QStringLiteral(" over %1\n").arg(q.table);
    head += QStringLiteral("-- filter: %1\n")
                .arg(q.filter.trimmed().isEmpty() ? QStringLiteral("(none)") : commentText(q.filter.trimmed()));
    for (const QString& r : resolved) head += QStringLiteral("-- name: %1\n").arg(commentText(r));
    if (bounds.lower || bounds.upperExclusive)
        head += QStringLiteral("-- time: %1 <= start < %2 (partitions: the days of those files)\n")
                    .arg(bounds.lower ? utcText(*bounds.lower) : QStringLiteral("-"),
                         bounds.upperExclusive ? utcText(*bounds.upperExclusive) : QStringLiteral("-"));
    if (q.view == RemoteView::Records) {
        auto s = recordsSql(q, where, partition);
        if (!s) return s;
        return head + s.value();
    }
    if (q.view != RemoteView::Records)
        head += QStringLiteral("-- counting rule: a flow logged at both attachments counts once (as in the app)\n");
    const QString cte = countedCte(q, where, partition);
    switch (q.view) {
    case RemoteView::Edges:
        return head + cte + edgesSql(q);
    case RemoteView::Series:
        return head + cte + seriesSql(q);
    case RemoteView::Drops:
        return head + cte.chopped(1) + dropsSql(q);
    case RemoteView::Records:
        break;
    }
    return Error{{}, 0, 0, QStringLiteral("unknown view")};
}

} // namespace core
