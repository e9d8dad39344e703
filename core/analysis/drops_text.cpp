// The words of drop diagnosis: reason names, labels and columns, the "top N" text, the sentence
// that explains a drop row (explainDrop) and the drops CSV. The scan that finds the drops: drops.cpp.
#include "core/analysis/drops.h"

#include "core/export/csv.h"

#include <QStringList>

namespace core {

namespace {

/// "prod-app (tgw-attach-0abc)" or the id.
QString labelOf(const QString& id, const QString& name)
{
    return name.isEmpty() ? id : QStringLiteral("%1 (%2)").arg(name, id);
}

/// Unix seconds, or an empty cell when no record of the row had a time (0, see DropRow), as
/// Athena's min/max of no time prints it.
QString timeCell(qint64 t)
{
    return t == 0 ? QString() : QString::number(t);
}

} // namespace

QString dropReasonName(DropReason reason)
{
    switch (reason) {
    case DropReason::NoRoute:
        return QStringLiteral("no-route");
    case DropReason::Blackhole:
        return QStringLiteral("blackhole");
    case DropReason::MtuExceeded:
        return QStringLiteral("mtu-exceeded");
    case DropReason::TtlExpired:
        return QStringLiteral("ttl-expired");
    case DropReason::Rejected:
        return QStringLiteral("rejected");
    }
    return {};
}

QString dropReasonLabel(DropReason reason)
{
    switch (reason) {
    case DropReason::NoRoute:
        return QStringLiteral("No route");
    case DropReason::Blackhole:
        return QStringLiteral("Blackhole");
    case DropReason::MtuExceeded:
        return QStringLiteral("MTU exceeded");
    case DropReason::TtlExpired:
        return QStringLiteral("TTL expired");
    case DropReason::Rejected:
        return QStringLiteral("Rejected (VPC)");
    }
    return {};
}

std::optional<DropReason> dropReasonFromName(const QString& name)
{
    for (int i = 0; i < kDropReasonCount; ++i) {
        const auto r = static_cast<DropReason>(i);
        if (name.compare(dropReasonName(r), Qt::CaseInsensitive) == 0) return r;
    }
    return std::nullopt;
}

QString dropReasonColumn(DropReason reason)
{
    switch (reason) {
    case DropReason::NoRoute:
        return QStringLiteral("packets_lost_no_route");
    case DropReason::Blackhole:
        return QStringLiteral("packets_lost_blackhole");
    case DropReason::MtuExceeded:
        return QStringLiteral("packets_lost_mtu_exceeded");
    case DropReason::TtlExpired:
        return QStringLiteral("packets_lost_ttl_expired");
    case DropReason::Rejected:
        break;
    }
    return {};
}

QString formatTopValues(const std::vector<TopValue>& values)
{
    QStringList parts;
    for (const TopValue& v : values) parts << QStringLiteral("%1 (%2)").arg(v.value).arg(v.packets);
    return parts.join(QStringLiteral("; "));
}

void explainDrop(DropRow& row)
{
    const QString entry = labelOf(row.entry, row.entryName);
    const bool hasExit = !row.exit.isEmpty() && row.exit != QLatin1String("-");
    const QString exit = hasExit ? labelOf(row.exit, row.exitName) : QString();
    const QString dst = row.topDestinations.empty() ? QString() : row.topDestinations.front().value;
    const QString dstText = dst.isEmpty() ? QStringLiteral("the destination") : dst;
    const QString table = row.routeTableId.isEmpty()
                              ? QStringLiteral("the TGW route table associated with %1 (load "
                                               "describe-transit-gateway-attachments JSON to see which)")
                                    .arg(entry)
                              : QStringLiteral("TGW route table %1 (associated with %2)").arg(row.routeTableId, entry);
    const QString rt = row.routeTableId.isEmpty() ? QStringLiteral("<route table>") : row.routeTableId;
    auto valuesOf = [](const std::vector<TopValue>& values) {
        QStringList out;
        for (const TopValue& v : values) out << v.value;
        return out.join(QStringLiteral(", "));
    };
    const QString sources = valuesOf(row.topSources);
    const QString ports = valuesOf(row.topPorts);

    switch (row.reason) {
    case DropReason::NoRoute:
        row.meaning =
            QStringLiteral("The Transit Gateway had no route for the destination: the TGW route table associated with the "
                           "entry attachment has no static or propagated route matching the destination address, so the "
                           "packets were dropped where they entered.");
        row.check = QStringLiteral("In %1, look for a route covering %2 (aws ec2 search-transit-gateway-routes "
                                   "--transit-gateway-route-table-id %3 --filters "
                                   "Name=route-search.longest-prefix-match,Values=%4): add a static route or "
                                   "enable propagation from the attachment that owns that network, or stop the "
                                   "source VPC from sending that prefix to the TGW.")
                        .arg(table, dstText, rt, dst.isEmpty() ? QStringLiteral("<address>/32") : dst + QStringLiteral("/32"));
        break;
    case DropReason::Blackhole:
        row.meaning = QStringLiteral("A blackhole route in the TGW route table associated with the entry attachment matched the "
                                     "destination, so the TGW discarded the packets on purpose. A route also becomes a blackhole "
                                     "when the attachment it pointed to was deleted.");
        row.check = QStringLiteral("In %1, find the blackhole route covering %2 (aws ec2 "
                                   "search-transit-gateway-routes --transit-gateway-route-table-id %3 "
                                   "--filters Name=state,Values=blackhole): remove it, or point it at a live "
                                   "attachment if this traffic should flow.")
                        .arg(table, dstText, rt);
        break;
    case DropReason::MtuExceeded: {
        row.meaning =
            QStringLiteral("Packets were larger than the Transit Gateway MTU: 8500 bytes for VPC, Direct Connect and "
                           "peering attachments, 1500 bytes over VPN. The TGW drops them without sending ICMP "
                           "\"fragmentation needed\", so Path MTU Discovery does not work through it and large transfers "
                           "stall.");
        const bool vpn = row.exitKind == QLatin1String("vpn");
        const QString who = sources.isEmpty() ? QStringLiteral("the senders") : QStringLiteral("the senders (%1)").arg(sources);
        if (vpn)
            row.check = QStringLiteral("The exit %1 is a VPN attachment (MTU 1500): clamp TCP MSS to 1379 "
                                       "or less on %2 or on the customer gateway, or lower their MTU; UDP "
                                       "needs a smaller packet size at the application.")
                            .arg(exit, who);
        else
            row.check = QStringLiteral("Lower the MTU of %1 to 8500 (1500 if the traffic leaves over a VPN%2) "
                                       "or clamp TCP MSS; look for jumbo frames or tunnels adding headers. "
                                       "UDP and ICMP cannot be fixed by MSS clamping.")
                            .arg(who, hasExit ? QStringLiteral(": exit is %1").arg(exit) : QString());
        break;
    }
    case DropReason::TtlExpired:
        row.meaning =
            QStringLiteral("The packets' TTL (hop limit) reached zero at the Transit Gateway. Usually a routing loop: the "
                           "prefix is routed back and forth between the TGW and a VPC, VPN or peer; sometimes the sender "
                           "uses a very low TTL (traceroute, some health checks).");
        row.check = QStringLiteral("Compare the routes for %1 in %2 with the route tables behind the exit "
                                   "attachment%3 and, for a peering, in the peer TGW's route table: a route "
                                   "that points back towards the TGW forms a loop. A traceroute from a top "
                                   "source shows where it circles.")
                        .arg(dstText, table, hasExit ? QStringLiteral(" ") + exit : QString());
        break;
    case DropReason::Rejected:
        row.meaning = QStringLiteral("The VPC flow log recorded these packets as REJECT at the interface: a security group "
                                     "(stateful, inbound rules) or the subnet's network ACL (stateless, both directions) did not "
                                     "allow them.");
        row.check = QStringLiteral("Check the security groups of %1 and the network ACL of its subnet for %2%3. "
                                   "Rejected scans from unknown addresses are usually intended; rejected replies "
                                   "point at a network ACL missing the ephemeral ports (1024-65535).")
                        .arg(entry,
                             ports.isEmpty()
                                 ? QStringLiteral("this traffic")
                                 : (row.topPorts.size() == 1 ? QStringLiteral("port %1") : QStringLiteral("ports %1")).arg(ports),
                             sources.isEmpty() ? QString() : QStringLiteral(" from %1").arg(sources));
        break;
    }
}

QByteArray dropsCsv(const std::vector<DropRow>& rows, bool withNames, const CsvOptions& options)
{
    QByteArray out = "entry,exit,reason,packets,records,first_seen,last_seen,top_sources,top_destinations,"
                     "top_dst_ports,route_table_id,check";
    out += withNames ? ",entry_name,exit_name\r\n" : "\r\n";
    for (const DropRow& r : rows) {
        QStringList f{r.entry,
                      r.exit,
                      dropReasonName(r.reason),
                      QString::number(r.packets),
                      QString::number(r.records),
                      timeCell(r.firstSeen),
                      timeCell(r.lastSeen),
                      formatTopValues(r.topSources),
                      formatTopValues(r.topDestinations),
                      formatTopValues(r.topPorts),
                      r.routeTableId,
                      r.check};
        if (withNames) f << r.entryName << r.exitName;
        out += csvRecord(f, options);
    }
    return out;
}

} // namespace core
