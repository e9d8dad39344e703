// CloudWatch Logs Insights queries for the views, from the same filter tree. Syntax after AWS's
// "CloudWatch Logs Insights language query syntax" (commands parse, filter, fields, stats,
// sort, limit; `#` comment lines), "Operations and functions" (isIpv4InSubnet,
// isIpv6InSubnet, ispresent, `in [...]`, `like /regex/`) and "Supported logs and discovered
// fields" (the VPC default fields Logs Insights names itself: srcAddr, dstPort, startTime, ...).
// Logs Insights has no window functions, so the twin rule cannot be written: the queries group
// by flow_direction as well and say so; readRemoteResult() then keeps, per entry -> exit
// direction (or bin), the larger of the ingress-side and egress-side totals.
#include "core/ingest/insights_names.h"
#include "core/model/fields.h"
#include "core/remote/filter_literals.h"
#include "core/remote/remote.h"
#include "core/remote/remote_impl.h"

#include <QHash>
#include <QRegularExpression>

namespace core {

using namespace filterlang;
using namespace remote;

namespace {

/// The VPC default fields as Logs Insights discovers them.
const QHash<QString, QString>& discoveredNames()
{
    static const QHash<QString, QString> names = [] {
        QHash<QString, QString> h;
        for (const auto& [column, discovered] : kInsightsDiscoveredNames)
            h.insert(QString::fromLatin1(column.data(), static_cast<qsizetype>(column.size())),
                     QString::fromLatin1(discovered.data(), static_cast<qsizetype>(discovered.size())));
        return h;
    }();
    return names;
}

bool isVpcDefault(const QStringList& fields)
{
    return fields == remoteFormatFields(QStringLiteral("vpc")).value();
}

/// A Logs Insights string literal: double quotes, with \ and " escaped; control characters
/// as their escapes.
QString insightsString(const QString& text)
{
    return filterlang::backslashQuoted(text);
}

/// A /regex/ literal matching `text` literally, ASCII case-insensitive.
QString insightsRegex(const QString& text)
{
    QString out = QStringLiteral("/(?i)");
    for (QChar c : text) {
        if (QStringLiteral("\\^$.|?*+()[]{}/").contains(c)) out += QLatin1Char('\\');
        if (c == QLatin1Char('\n')) out += QLatin1String("\\n");
        else if (c == QLatin1Char('\t')) out += QLatin1String("\\t");
        else if (c == QLatin1Char('\r')) out += QLatin1String("\\r");
        else out += c;
    }
    return out + QLatin1Char('/');
}

/// The Logs Insights dialect (fields renamed as Logs Insights discovers them for the VPC default).
class InsightsEmitter final : public LiteralEmitter {
public:
    InsightsEmitter(const QStringList& fields, const NameDirectory* names)
        : LiteralEmitter(names), m_fields(fields), m_discovered(isVpcDefault(fields))
    {
    }

    QString field(const QString& column) const
    {
        if (m_discovered) return discoveredNames().value(column, column);
        return column;
    }

    QStringList notes;

protected:
    QString join(const QStringList& parts, bool conjunction) override
    {
        return QLatin1Char('(') + parts.join(conjunction ? QStringLiteral(" and ") : QStringLiteral(" or ")) + QLatin1Char(')');
    }

    /// `not (X)`, without doubling parentheses that already enclose X.
    QString negate(const QString& x) override
    {
        int depth = 0;
        bool wrapped = x.startsWith(QLatin1Char('(')) && x.endsWith(QLatin1Char(')'));
        for (qsizetype i = 0; wrapped && i < x.size(); ++i) {
            if (x[i] == QLatin1Char('(')) ++depth;
            else if (x[i] == QLatin1Char(')') && --depth == 0 && i != x.size() - 1) wrapped = false;
        }
        return wrapped ? QStringLiteral("not ") + x : QStringLiteral("not (%1)").arg(x);
    }

    QString matchNothing() const override { return QStringLiteral("1 = 0"); }

    QString anyOf(const QStringList& parts) const override
    {
        if (parts.size() == 1) return parts.front();
        return QLatin1Char('(') + parts.join(QStringLiteral(" or ")) + QLatin1Char(')');
    }

    /// The target's columns the format has (an absent field never matches, so leaving it out
    /// keeps the query short); all of them when the format has none.
    QStringList operands(const Target& t) override
    {
        QStringList out;
        for (const QString& c : t.columns)
            if (m_fields.contains(c)) out << field(c);
        if (out.isEmpty())
            for (const QString& c : t.columns) out << field(c);
        return out;
    }

    /// Drops: present means any counter > 0; comparisons use the sum (which '-' counters make
    /// empty, so the query says so in a note). `contains` and `has` take the common path.
    std::optional<Result<QString>> dialectTerm(const Node& n, const QStringList&) override
    {
        const Target& t = n.target;
        if (t.kind != TargetKind::Drops) return std::nullopt;
        if (n.op == Op::Present) {
            QStringList any;
            for (const char* c : kDropColumns) any << QStringLiteral("%1 > 0").arg(field(QString::fromLatin1(c)));
            return QLatin1Char('(') + any.join(QStringLiteral(" or ")) + QLatin1Char(')');
        }
        notes << QStringLiteral("drops: '-' counters make the sum empty in Logs Insights (the app counts them as 0)");
        if (n.op == Op::Contains || n.op == Op::Has) return std::nullopt;
        auto lit = value(n.values.front(), t);
        if (!lit) return Result<QString>(lit.error());
        if (n.op == Op::In) {
            QStringList vals;
            for (const Value& v : n.values) {
                auto l = value(v, t);
                if (!l) return l;
                vals << l.value();
            }
            return QStringLiteral("(%1) in [%2]").arg(dropsSum(), vals.join(QStringLiteral(", ")));
        }
        const QString op = n.op == Op::Eq ? QStringLiteral("=") : n.op == Op::Ne ? QStringLiteral("!=") : n.opText;
        return QStringLiteral("(%1) %2 %3").arg(dropsSum(), op, lit.value());
    }

    QString present(const QString& f) const override { return QStringLiteral("(ispresent(%1) and %1 != \"-\")").arg(f); }

    QString quote(const QString& text) const override { return insightsString(text); }

    QString inList(const QString& operand, const QString& list) const override
    {
        return QStringLiteral("%1 in [%2]").arg(operand, list);
    }

    QString inNetwork(const QString& operand, const QString& network, bool v6) const override
    {
        return QStringLiteral("%1(%2, %3)")
            .arg(v6 ? QStringLiteral("isIpv6InSubnet") : QStringLiteral("isIpv4InSubnet"), operand, network);
    }

    QString containsText(const QStringList& ops, const QString& needle) override
    {
        QStringList parts;
        for (const QString& o : ops) parts << QStringLiteral("%1 like %2").arg(o, insightsRegex(needle));
        return anyOf(parts);
    }

    QString hasBits(const QString& operand, qint64 bits) override
    {
        // No bitwise operators in Logs Insights: the flag values (0..255) holding these bits.
        QStringList values;
        for (qint64 v = 0; v < 256; ++v)
            if ((v & bits) == bits) values << QString::number(v);
        return QStringLiteral("%1 in [%2]").arg(operand, values.join(QStringLiteral(", ")));
    }

    Error badAddress(const Value& v, const Target& t) const override
    {
        return makeError(
            v.pos, QStringLiteral("expected an IP address or CIDR for '%1' at %2, got '%3'").arg(t.name).arg(v.pos).arg(v.text));
    }

private:
    static constexpr const char* kDropColumns[] = {"packets_lost_no_route", "packets_lost_blackhole", "packets_lost_mtu_exceeded",
                                                   "packets_lost_ttl_expired"};

    QString dropsSum() const
    {
        QStringList parts;
        for (const char* c : kDropColumns) parts << field(QString::fromLatin1(c));
        return parts.join(QStringLiteral(" + "));
    }

    QStringList m_fields;
    bool m_discovered;
};

} // namespace

QString insightsParseCommand(const QStringList& fields)
{
    if (fields.isEmpty() || isVpcDefault(fields)) return {};
    QStringList stars;
    for (qsizetype i = 0; i < fields.size(); ++i) stars << QStringLiteral("*");
    return QStringLiteral("parse @message \"%1\" as %2").arg(stars.join(QLatin1Char(' ')), fields.join(QStringLiteral(", ")));
}

Result<QString> insightsQuery(const RemoteQuery& query)
{
    RemoteQuery q = query;
    if (q.fields.isEmpty()) q.fields = remoteFormatFields(QString()).value();
    if (q.view == RemoteView::Series && q.binSeconds <= 0)
        return Error{{}, 0, 0, QStringLiteral("the series bin must be a positive number of seconds")};
    InsightsEmitter b(q.fields, q.names);
    QString filter;
    if (!q.filter.trimmed().isEmpty()) {
        auto ast = parseFilter(q.filter);
        if (!ast) return ast.error();
        auto s = b.emit(*ast.value());
        if (!s) return s.error();
        filter = s.value();
    }
    auto f = [&](const char* column) { return b.field(QString::fromLatin1(column)); };
    QStringList lines;
    QString head = QStringLiteral("# Flowlog Explorer: %1").arg(remoteViewName(q.view));
    if (q.view == RemoteView::Edges) head += QStringLiteral(" by %1").arg(edgeDimensionName(q.by));
    lines << head;
    QString filterComment = q.filter.trimmed();
    for (QChar& c : filterComment)
        if (c.unicode() < 0x20) c = QLatin1Char(' ');
    lines << QStringLiteral("# filter: %1").arg(filterComment.isEmpty() ? QStringLiteral("(none)") : filterComment);
    for (const QString& r : b.resolvedNames) lines << QStringLiteral("# name (resolved to ids here): %1").arg(r);
    for (const QString& n : b.notes) lines << QStringLiteral("# note: %1").arg(n);
    const bool tgw =
        q.fields.contains(QStringLiteral("tgw_attachment_id")) && q.fields.contains(QStringLiteral("flow_direction"));
    if (q.view != RemoteView::Records && tgw)
        lines << QStringLiteral(
            "# not expressible here: twin de-duplication (a flow logged at both attachments is counted at each); "
            "rows are split by flow_direction and the app keeps the larger side per row when it opens the result");
    const QString parse = insightsParseCommand(q.fields);
    if (!parse.isEmpty()) lines << parse;
    if (!filter.isEmpty()) lines << QStringLiteral("| filter ") + filter;
    const QString lost = QStringLiteral("sum(%1) as packets_lost_no_route, sum(%2) as packets_lost_blackhole, "
                                        "sum(%3) as packets_lost_mtu_exceeded, sum(%4) as packets_lost_ttl_expired")
                             .arg(f("packets_lost_no_route"), f("packets_lost_blackhole"), f("packets_lost_mtu_exceeded"),
                                  f("packets_lost_ttl_expired"));
    const QString traffic =
        QStringLiteral("count(*) as flows, sum(%1) as packets, sum(%2) as bytes, ").arg(f("packets"), f("bytes")) + lost;
    const QString hasTraffic = QStringLiteral("| filter %1 != \"-\" or %2 != \"-\"").arg(f("packets"), f("bytes"));
    const QString dir = tgw ? QStringLiteral(", flow_direction") : QString();
    switch (q.view) {
    case RemoteView::Records: {
        QStringList cols;
        for (const QString& c : q.columns.isEmpty() ? q.fields : q.columns) cols << b.field(c);
        lines << QStringLiteral("| fields ") + cols.join(QStringLiteral(", "));
        QStringList order;
        for (const SortKey& k : q.sort)
            order << b.field(k.column) + (k.descending ? QStringLiteral(" desc") : QStringLiteral(" asc"));
        if (!order.isEmpty()) lines << QStringLiteral("| sort ") + order.join(QStringLiteral(", "));
        if (q.limit > 0) lines << QStringLiteral("| limit %1").arg(q.limit);
        break;
    }
    case RemoteView::Edges: {
        lines << hasTraffic;
        QString src, dst;
        switch (q.by) {
        case EdgeDimension::Attachment:
            lines << QStringLiteral("| filter ispresent(tgw_attachment_id) and tgw_attachment_id != \"-\"");
            lines << QStringLiteral("| stats %1 by tgw_attachment_id, tgw_pair_attachment_id, flow_direction").arg(traffic);
            return lines.join(QLatin1Char('\n'));
        case EdgeDimension::Addr:
            src = f("srcaddr"), dst = f("dstaddr");
            break;
        case EdgeDimension::Vpc:
            src = tgw ? QStringLiteral("tgw_src_vpc_id") : f("vpc_id"),
            dst = tgw ? QStringLiteral("tgw_dst_vpc_id") : f("vpc_id");
            break;
        case EdgeDimension::Subnet:
            src = tgw ? QStringLiteral("tgw_src_subnet_id") : f("subnet_id"),
            dst = tgw ? QStringLiteral("tgw_dst_subnet_id") : f("subnet_id");
            break;
        case EdgeDimension::Az:
            src = tgw ? QStringLiteral("tgw_src_az_id") : f("az_id"), dst = tgw ? QStringLiteral("tgw_dst_az_id") : f("az_id");
            break;
        case EdgeDimension::Account:
            src = tgw ? QStringLiteral("tgw_src_vpc_account_id") : f("account_id"),
            dst = tgw ? QStringLiteral("tgw_dst_vpc_account_id") : f("account_id");
            break;
        }
        QStringList keep{src + QStringLiteral(" as src"), dst + QStringLiteral(" as dst")};
        if (tgw) keep << QStringLiteral("flow_direction");
        for (const char* c : {"packets", "bytes", "packets_lost_no_route", "packets_lost_blackhole", "packets_lost_mtu_exceeded",
                              "packets_lost_ttl_expired"})
            keep << f(c);
        lines << QStringLiteral("| fields ") + keep.join(QStringLiteral(", "));
        lines << QStringLiteral("| stats %1 by src, dst%2").arg(traffic, dir);
        break;
    }
    case RemoteView::Series:
        lines << hasTraffic;
        lines << QStringLiteral("# bins by the event time (@timestamp), which CloudWatch Logs sets from the record's start");
        lines << QStringLiteral("| stats %1 by bin(%2s)%3").arg(traffic).arg(q.binSeconds).arg(dir);
        break;
    case RemoteView::Drops:
        if (tgw) {
            lines << QStringLiteral("| filter %1 > 0 or %2 > 0 or %3 > 0 or %4 > 0")
                         .arg(f("packets_lost_no_route"), f("packets_lost_blackhole"), f("packets_lost_mtu_exceeded"),
                              f("packets_lost_ttl_expired"));
            lines << QStringLiteral("| stats %1, count(*) as records, min(%2) as first_seen, max(%3) as last_seen by "
                                    "tgw_attachment_id, tgw_pair_attachment_id, flow_direction")
                         .arg(lost, f("start"), f("end"));
        } else {
            lines << QStringLiteral("| filter %1 = \"REJECT\"").arg(f("action"));
            lines << QStringLiteral("| stats sum(%1) as rejected_packets, count(*) as records, min(%2) as first_seen, max(%3) as "
                                    "last_seen by %4")
                         .arg(f("packets"), f("start"), f("end"), f("interface_id"));
        }
        break;
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace core
