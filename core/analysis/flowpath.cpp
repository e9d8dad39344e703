// Follow one flow: reads a record, its twin and its reply from the store and lays out the path.
#include "core/analysis/flowpath.h"

#include "core/store/store.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <tuple>

namespace core {

namespace {

// Columns read for a path record, in this order (see readRecord()).
constexpr const char* kRecordSql =
    "SELECT f.id, f.flow_direction, f.tgw_attachment_id, f.tgw_pair_attachment_id, f.interface_id, f.action,"
    " f.log_status, f.packets, f.bytes, f.start, f.\"end\", f.tcp_flags, f.packets_lost_no_route,"
    " f.packets_lost_blackhole, f.packets_lost_mtu_exceeded, f.packets_lost_ttl_expired, fi.path, f.line,"
    " f.resource_type, f.tgw_id, f.srcaddr, f.dstaddr, f.srcport, f.dstport, f.protocol, f.vpc_id,"
    " f.subnet_id, f.twin_id, f.tgw_src_vpc_id, f.tgw_dst_vpc_id"
    " FROM flows AS f LEFT JOIN files AS fi ON fi.id = f.file_id WHERE f.id = ?1";

/// A record plus the fields the path needs that PathRecord does not keep.
struct Row {
    PathRecord rec;
    QString resourceType, tgwId, srcAddr, dstAddr, protocol, vpcId, subnetId, srcVpcId, dstVpcId;
    std::optional<qint64> srcPort, dstPort;
    qint64 twin = 0;
    bool isTgw() const
    {
        return !tgwId.isEmpty() || !rec.attachmentId.isEmpty() || resourceType.startsWith(QLatin1String("TransitGateway"));
    }
};

Error cancelledError()
{
    return Error{{}, 0, 0, QStringLiteral("cancelled")};
}

/// `what: error`, or "cancelled" when the statement was interrupted (a CancelScope flag or
/// sqlite3_interrupt): a cancel is never reported as a failure.
Error stepError(const QString& what, const QString& error)
{
    if (error == QLatin1String("interrupted")) return cancelledError();
    return Error{{}, 0, 0, QStringLiteral("%1: %2").arg(what, error)};
}

/// Prepares trusted SQL; an interrupted prepare (exactly "interrupted") is "cancelled".
Result<Statement> prepareOrCancel(const Store& store, const QString& sql)
{
    auto st = store.prepare(sql);
    if (!st && st.error().message == QLatin1String("interrupted")) return cancelledError();
    return st;
}

std::optional<qint64> optInt(const Statement& st, int col)
{
    if (st.isNull(col)) return std::nullopt;
    return st.int64(col);
}

Result<std::optional<Row>> readRecord(Statement& st, qint64 id)
{
    st.reset();
    st.bind(1, id);
    if (!st.next()) {
        if (!st.error().isEmpty()) return stepError(QStringLiteral("reading record %1").arg(id), st.error());
        return std::optional<Row>();
    }
    Row r;
    PathRecord& p = r.rec;
    p.id = st.int64(0);
    p.direction = st.text(1);
    p.attachmentId = st.text(2);
    p.pairAttachmentId = st.text(3);
    p.interfaceId = st.text(4);
    p.action = st.text(5);
    p.logStatus = st.text(6);
    p.packets = optInt(st, 7);
    p.bytes = optInt(st, 8);
    p.start = optInt(st, 9);
    p.end = optInt(st, 10);
    p.tcpFlags = optInt(st, 11);
    for (int i = 0; i < kTgwDropReasons; ++i) p.lost[static_cast<size_t>(i)] = optInt(st, 12 + i);
    p.file = st.text(16);
    p.line = st.int64(17);
    r.resourceType = st.text(18);
    r.tgwId = st.text(19);
    r.srcAddr = st.text(20);
    r.dstAddr = st.text(21);
    r.srcPort = optInt(st, 22);
    r.dstPort = optInt(st, 23);
    r.protocol = st.isNull(24) ? QString() : QString::number(st.int64(24));
    r.vpcId = st.text(25);
    r.subnetId = st.text(26);
    r.twin = st.isNull(27) ? 0 : st.int64(27);
    r.srcVpcId = st.text(28);
    r.dstVpcId = st.text(29);
    st.reset();
    return std::optional<Row>(std::move(r));
}

PathNode node(PathNode::Kind kind, const QString& id, const NameDirectory* names)
{
    PathNode n;
    n.kind = kind;
    n.id = id;
    const NameEntry* e = (names && !id.isEmpty()) ? names->find(id) : nullptr;
    if (!e) return n;
    n.name = e->name;
    QStringList parts;
    switch (kind) {
    case PathNode::Kind::Attachment:
        if (!e->kind.isEmpty()) parts << QStringLiteral("%1 attachment").arg(e->kind);
        if (!e->resourceId.isEmpty()) {
            const QString resourceName = names->name(e->resourceId);
            parts << (resourceName.isEmpty() ? e->resourceId : resourceName);
        }
        break;
    case PathNode::Kind::TransitGateway:
        if (!e->description.isEmpty()) parts << e->description;
        break;
    case PathNode::Kind::Interface:
        if (!e->instanceId.isEmpty()) parts << e->instanceId;
        if (!e->privateIps.isEmpty()) parts << e->privateIps.first();
        if (!e->description.isEmpty() && parts.isEmpty()) parts << e->description;
        break;
    case PathNode::Kind::Subnet:
        if (!e->cidr.isEmpty()) parts << e->cidr;
        if (!e->az.isEmpty()) parts << e->az;
        break;
    case PathNode::Kind::Vpc:
        if (!e->cidr.isEmpty()) parts << e->cidr;
        break;
    }
    n.detail = parts.join(QStringLiteral(" · "));
    return n;
}

/// Adds "vpc-… (name)" from the record when the names did not describe the attachment.
void addVpcDetail(PathNode& n, const QString& vpcId, const NameDirectory* names)
{
    if (!n.detail.isEmpty() || vpcId.isEmpty()) return;
    n.detail = names ? names->label(vpcId) : vpcId;
}

FlowLeg legFromRows(const Row& r, const std::optional<Row>& twin, const NameDirectory* names)
{
    FlowLeg leg;
    leg.transitGateway = r.isTgw();
    leg.protocol = r.protocol;
    leg.srcAddr = r.srcAddr;
    leg.dstAddr = r.dstAddr;
    leg.srcPort = r.srcPort;
    leg.dstPort = r.dstPort;
    if (!leg.transitGateway) {
        leg.record = r.rec;
        leg.action = r.rec.action;
        const NameEntry* eni = (names && !r.rec.interfaceId.isEmpty()) ? names->find(r.rec.interfaceId) : nullptr;
        QString subnet = r.subnetId;
        QString vpc = r.vpcId;
        if (eni && subnet.isEmpty()) subnet = eni->subnetId;
        if (eni && vpc.isEmpty()) vpc = eni->vpcId;
        if (const NameEntry* s = (names && vpc.isEmpty() && !subnet.isEmpty()) ? names->find(subnet) : nullptr) vpc = s->vpcId;
        leg.eni = node(PathNode::Kind::Interface, r.rec.interfaceId, names);
        leg.subnet = node(PathNode::Kind::Subnet, subnet, names);
        leg.vpc = node(PathNode::Kind::Vpc, vpc, names);
        return leg;
    }
    const bool egress = r.rec.direction == QLatin1String("egress");
    const Row* in = egress ? (twin ? &*twin : nullptr) : &r;
    const Row* out = egress ? &r : (twin ? &*twin : nullptr);
    if (in) leg.ingress = in->rec;
    if (out) leg.egress = out->rec;
    const QString entryId = egress ? r.rec.pairAttachmentId : r.rec.attachmentId;
    const QString exitId = egress ? r.rec.attachmentId : r.rec.pairAttachmentId;
    leg.entry = node(PathNode::Kind::Attachment, entryId, names);
    leg.exit = node(PathNode::Kind::Attachment, exitId, names);
    addVpcDetail(leg.entry, r.srcVpcId, names);
    addVpcDetail(leg.exit, r.dstVpcId, names);
    QString tgwId = r.tgwId;
    if (tgwId.isEmpty() && twin) tgwId = twin->tgwId;
    leg.tgw = node(PathNode::Kind::TransitGateway, tgwId, names);

    // Drops are counted by the TGW; either side's record carries them (the ingress one first).
    const PathRecord& counted = in ? in->rec : r.rec;
    for (int i = 0; i < kTgwDropReasons; ++i) {
        const auto& v = counted.lost[static_cast<size_t>(i)];
        if (v && *v > 0) leg.drops.push_back({static_cast<DropReason>(i), *v});
    }
    const qint64 lost = counted.lostTotal();
    const bool allLost = lost > 0 && (!counted.packets || lost >= *counted.packets);
    leg.endsAtTgw = allLost || (lost > 0 && exitId.isEmpty());
    return leg;
}

/// Loads the twin of `r` if the store knows one.
Result<std::optional<Row>> twinOf(Statement& st, const Row& r)
{
    if (r.twin <= 0) return std::optional<Row>();
    return readRecord(st, r.twin);
}

} // namespace

QString tgwDropMeaning(DropReason reason)
{
    switch (reason) {
    case DropReason::NoRoute:
        return QStringLiteral("The TGW route table has no route to the destination.");
    case DropReason::Blackhole:
        return QStringLiteral("The destination matches a blackhole route in the TGW route table.");
    case DropReason::MtuExceeded:
        return QStringLiteral("Packets larger than the TGW MTU (8500 bytes; 1500 over VPN); no ICMP frag-needed is sent.");
    case DropReason::TtlExpired:
        return QStringLiteral("The TTL reached zero: a routing loop or a very low TTL.");
    case DropReason::Rejected:
        return QStringLiteral("Rejected by a security group or network ACL.");
    }
    return {};
}

qint64 PathRecord::lostTotal() const
{
    qint64 sum = 0;
    for (const auto& v : lost)
        if (v) sum += *v;
    return sum;
}

QString PathNode::label() const
{
    if (id.isEmpty()) return name.isEmpty() ? QStringLiteral("unknown") : name;
    return name.isEmpty() ? id : QStringLiteral("%1 (%2)").arg(name, id);
}

const PathRecord* FlowLeg::primary() const
{
    if (ingress) return &*ingress;
    if (egress) return &*egress;
    if (record) return &*record;
    return nullptr;
}

QString protocolLabel(const QString& protocol)
{
    bool ok = false;
    const int n = protocol.toInt(&ok);
    if (!ok) return protocol;
    switch (n) {
    case 1:
        return QStringLiteral("ICMP");
    case 6:
        return QStringLiteral("TCP");
    case 17:
        return QStringLiteral("UDP");
    case 47:
        return QStringLiteral("GRE");
    case 50:
        return QStringLiteral("ESP");
    case 58:
        return QStringLiteral("ICMPv6");
    default:
        return protocol;
    }
}

QString FlowLeg::summary() const
{
    auto endpoint = [](const QString& addr, const std::optional<qint64>& port) {
        QString a = addr.isEmpty() ? QStringLiteral("?") : addr;
        if (a.contains(QLatin1Char(':')) && port) a = QLatin1Char('[') + a + QLatin1Char(']');
        return port ? QStringLiteral("%1:%2").arg(a).arg(*port) : a;
    };
    const QString proto = protocol.isEmpty() ? QStringLiteral("?") : protocolLabel(protocol);
    return QStringLiteral("%1 %2 → %3").arg(proto, endpoint(srcAddr, srcPort), endpoint(dstAddr, dstPort));
}

namespace {

/// traceFlow without the final cancel check: every statement it starts is preceded by a look
/// at `cancel`, and runs under the caller's CancelScope.
Result<FlowPath> tracePath(const Store& store, qint64 recordId, const NameDirectory* names, const std::atomic<bool>* cancel)
{
    const auto raised = [cancel] { return cancel && cancel->load(); };
    auto byId = prepareOrCancel(store, QLatin1String(kRecordSql));
    if (!byId) return byId.error();
    if (raised()) return cancelledError();
    auto self = readRecord(byId.value(), recordId);
    if (!self) return self.error();
    if (!self.value()) return Error{{}, 0, 0, QStringLiteral("no record with id %1 is loaded").arg(recordId)};
    const Row row = std::move(*self.value());

    FlowPath path;
    path.recordId = recordId;
    if (raised()) return cancelledError();
    auto twin = twinOf(byId.value(), row);
    if (!twin) return twin.error();
    path.flow = legFromRows(row, twin.value(), names);

    if (row.srcAddr.isEmpty() || row.dstAddr.isEmpty()) {
        path.replyNote = QStringLiteral("no reply search: the record has no source or destination address");
        return path;
    }
    // The reply: addresses and ports swapped, same protocol, time windows overlapping within
    // one aggregation interval. Records load in time order within a file and files in name
    // (= time) order, so the reply is almost always near the record's id: search a window of
    // ids first (a rowid range), and scan the rest of the store only when that finds nothing
    // logged where the reply is expected. Addresses are compared in their stored integer
    // encoding, so no text is decoded per row.
    // The flow's raw values, bound as constants; the scan tests the most selective column that
    // comes first in a row (dstport: the reply goes to the flow's, usually ephemeral, source port).
    auto raw = prepareOrCancel(
        store,
        QStringLiteral("SELECT a_srcaddr, a_dstaddr, protocol, srcport, dstport, start, \"end\" FROM flow_data WHERE id = ?1"));
    if (!raw) return raw.error();
    if (raised()) return cancelledError();
    raw->bind(1, recordId);
    if (!raw->next()) {
        if (!raw->error().isEmpty()) return stepError(QStringLiteral("reading record %1").arg(recordId), raw->error());
        return Error{{}, 0, 0, QStringLiteral("no record with id %1 is loaded").arg(recordId)};
    }
    QVariantList flowValues;
    for (int i = 0; i < 7; ++i) flowValues << raw->value(i);
    raw->reset();
    // Addresses compare by value: canonical IPv4 by its stored integer; the rest (IPv6, IPv4
    // with leading zeros) is stored as written, in any spelling, so text-stored ones (codes from
    // 2^31) are also compared as addresses.
    const QString sameAddresses = QStringLiteral(
        "(d.a_srcaddr = ?3 OR (d.a_srcaddr >= 2147483648 AND flowlog_in_cidr(fl_addr(d.a_srcaddr), ?14) = 1))"
        " AND (d.a_dstaddr = ?2 OR (d.a_dstaddr >= 2147483648 AND flowlog_in_cidr(fl_addr(d.a_dstaddr), ?15) = 1))");
    auto replies =
        prepareOrCancel(store, QStringLiteral("SELECT d.id FROM flow_data AS d"
                                              " WHERE d.dstport IS ?5 AND d.srcport IS ?6 AND d.protocol IS ?4 AND %1"
                                              " AND d.id BETWEEN ?10 AND ?11 AND (d.id < ?12 OR d.id > ?13) AND d.id <> ?1"
                                              " AND (?7 IS NULL OR d.\"end\" IS NULL OR d.\"end\" >= ?7 - ?9)"
                                              " AND (?8 IS NULL OR d.start IS NULL OR d.start <= ?8 + ?9)"
                                              " ORDER BY abs(coalesce(d.start, 0) - coalesce(?7, 0)), d.id LIMIT 64")
                                   .arg(sameAddresses));
    if (!replies) return replies.error();
    // A candidate's rank, best first (README "Follow one flow"): logged where the reply is
    // expected (TGW: entering at the flow's exit; VPC: the same ENI), then nearest in time (the
    // query's order), then paired with its twin, then the lower id. Same kind (and same TGW) as
    // the flow is required.
    using Rank = std::tuple<bool, qint64, bool, qint64>; // expected place, -|start delta|, twinned, -id
    std::optional<Row> best;
    Rank bestRank;
    const qint64 flowStart = row.rec.start.value_or(0);
    auto consider = [&](Row&& r) {
        if (r.isTgw() != row.isTgw()) return;
        bool expected = false;
        if (row.isTgw()) {
            if (!row.tgwId.isEmpty() && !r.tgwId.isEmpty() && r.tgwId != row.tgwId) return;
            const bool egress = r.rec.direction == QLatin1String("egress");
            const QString entry = egress ? r.rec.pairAttachmentId : r.rec.attachmentId;
            expected = !entry.isEmpty() && entry == path.flow.exit.id;
        } else {
            expected = !r.rec.interfaceId.isEmpty() && r.rec.interfaceId == row.rec.interfaceId;
        }
        const Rank rank{expected, -std::abs(r.rec.start.value_or(0) - flowStart), r.twin > 0, -r.rec.id};
        if (!best || rank > bestRank) {
            bestRank = rank;
            best = std::move(r);
        }
    };
    auto search = [&](qint64 from, qint64 to, qint64 skipFrom, qint64 skipTo) -> Status {
        if (raised()) return cancelledError();
        Statement& q = replies.value();
        q.reset();
        q.bindAll({recordId, flowValues[0], flowValues[1], flowValues[2], flowValues[3], flowValues[4], flowValues[5],
                   flowValues[6], kReplySlackSeconds, from, to, skipFrom, skipTo, row.dstAddr, row.srcAddr});
        std::vector<qint64> ids;
        while (q.next()) ids.push_back(q.int64(0));
        if (!q.error().isEmpty()) return stepError(QStringLiteral("searching the reply of record %1").arg(recordId), q.error());
        q.reset();
        for (qint64 id : ids) {
            if (raised()) return cancelledError();
            auto c = readRecord(byId.value(), id);
            if (!c) return c.error();
            if (c.value()) consider(std::move(*c.value()));
        }
        return Ok{};
    };
    constexpr qint64 kNearIds = 32768;
    const qint64 lo = recordId - kNearIds, hi = recordId + kNearIds;
    if (auto s = search(lo, hi, lo, lo - 1); !s) return s.error(); // the window (nothing skipped)
    if (!best || !std::get<0>(bestRank)) {                         // nothing logged where the reply is expected nearby
        if (auto s = search(std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max(), lo, hi); !s) return s.error();
    }
    if (!best) {
        path.replyNote = QStringLiteral("no reply record loaded (%1 → %2, same protocol, ports swapped, within %3 s)")
                             .arg(row.dstAddr, row.srcAddr)
                             .arg(kReplySlackSeconds);
        return path;
    }
    if (raised()) return cancelledError();
    auto replyTwin = twinOf(byId.value(), *best);
    if (!replyTwin) return replyTwin.error();
    path.reply = legFromRows(*best, replyTwin.value(), names);
    return path;
}

} // namespace

Result<FlowPath> traceFlow(const Store& store, RecordId record, const NameDirectory* names, const std::atomic<bool>* cancel)
{
    if (cancel && cancel->load()) return cancelledError(); // raised before the start: no SQL runs
    const CancelScope scope(cancel);
    Result<FlowPath> path = tracePath(store, record.get(), names, cancel);
    // Raised after the last statement, or while a statement whose error is reported (e.g. "no
    // record ...") was stopped: the caller asked to cancel, so the answer is "cancelled".
    if (cancel && cancel->load()) return cancelledError();
    return path;
}

} // namespace core
