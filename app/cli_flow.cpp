// flowlog-cli flow: the path of one record and its reply, rendered as text or JSON.
#include "cli.h"

#include "core/analysis/drops.h"
#include "core/analysis/flowpath.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimeZone>

namespace cli {

using namespace core;

namespace {

QJsonValue jsonOpt(const std::optional<qint64>& v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

QJsonObject flowNodeJson(const PathNode& n)
{
    QJsonObject o;
    o[QStringLiteral("id")] = n.id.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(n.id);
    o[QStringLiteral("name")] = n.name;
    o[QStringLiteral("detail")] = n.detail;
    return o;
}

QJsonValue flowRecordJson(const std::optional<PathRecord>& r)
{
    if (!r) return QJsonValue(QJsonValue::Null);
    QJsonObject o;
    o[QStringLiteral("id")] = r->id;
    o[QStringLiteral("direction")] = r->direction;
    o[QStringLiteral("log_status")] = r->logStatus;
    if (!r->action.isEmpty()) o[QStringLiteral("action")] = r->action;
    o[QStringLiteral("packets")] = jsonOpt(r->packets);
    o[QStringLiteral("bytes")] = jsonOpt(r->bytes);
    o[QStringLiteral("start")] = jsonOpt(r->start);
    o[QStringLiteral("end")] = jsonOpt(r->end);
    static const char* const kLost[] = {"packets_lost_no_route", "packets_lost_blackhole", "packets_lost_mtu_exceeded",
                                        "packets_lost_ttl_expired"};
    for (int i = 0; i < kTgwDropReasons; ++i) o[QLatin1String(kLost[i])] = jsonOpt(r->lost[static_cast<size_t>(i)]);
    o[QStringLiteral("file")] = r->file;
    o[QStringLiteral("line")] = r->line;
    return o;
}

QJsonObject flowLegJson(const FlowLeg& leg)
{
    QJsonObject o;
    o[QStringLiteral("kind")] = leg.transitGateway ? QStringLiteral("tgw") : QStringLiteral("vpc");
    o[QStringLiteral("summary")] = leg.summary();
    o[QStringLiteral("protocol")] = leg.protocol.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(leg.protocol.toLongLong());
    o[QStringLiteral("srcaddr")] = leg.srcAddr;
    o[QStringLiteral("dstaddr")] = leg.dstAddr;
    o[QStringLiteral("srcport")] = jsonOpt(leg.srcPort);
    o[QStringLiteral("dstport")] = jsonOpt(leg.dstPort);
    if (leg.transitGateway) {
        o[QStringLiteral("entry")] = flowNodeJson(leg.entry);
        o[QStringLiteral("tgw")] = flowNodeJson(leg.tgw);
        o[QStringLiteral("exit")] = flowNodeJson(leg.exit);
        o[QStringLiteral("ingress")] = flowRecordJson(leg.ingress);
        o[QStringLiteral("egress")] = flowRecordJson(leg.egress);
        QJsonArray drops;
        for (const PathDrop& d : leg.drops)
            drops.append(
                QJsonObject{{QStringLiteral("reason"), dropReasonName(d.reason)}, {QStringLiteral("packets"), d.packets}});
        o[QStringLiteral("drops")] = drops;
        o[QStringLiteral("ends_at_tgw")] = leg.endsAtTgw;
    } else {
        o[QStringLiteral("interface")] = flowNodeJson(leg.eni);
        o[QStringLiteral("subnet")] = flowNodeJson(leg.subnet);
        o[QStringLiteral("vpc")] = flowNodeJson(leg.vpc);
        o[QStringLiteral("action")] = leg.action;
        o[QStringLiteral("record")] = flowRecordJson(leg.record);
    }
    return o;
}

/// The path of one leg as indented text lines.
QString flowLegText(const FlowLeg& leg)
{
    auto node = [](const char* what, const PathNode& n) {
        QString s = QStringLiteral("  %1%2").arg(QLatin1String(what), -19).arg(n.label());
        if (!n.detail.isEmpty()) s += QStringLiteral("  [%1]").arg(n.detail);
        return s + QLatin1Char('\n');
    };
    auto record = [](const char* role, const std::optional<PathRecord>& r, const QString& missing) {
        if (!r) return QStringLiteral("      %1 record: %2\n").arg(QLatin1String(role), missing);
        QString s = QStringLiteral("      %1 record #%2:").arg(QLatin1String(role)).arg(r->id);
        if (!r->action.isEmpty()) s += QLatin1Char(' ') + r->action;
        s += QStringLiteral(" %1 packets, %2 bytes")
                 .arg(r->packets ? QString::number(*r->packets) : QStringLiteral("-"),
                      r->bytes ? QString::number(*r->bytes) : QStringLiteral("-"));
        if (r->start)
            s += QStringLiteral(", %1").arg(
                QDateTime::fromSecsSinceEpoch(*r->start, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss'Z'")));
        if (r->start && r->end) s += QStringLiteral(" +%1 s").arg(*r->end - *r->start);
        if (!r->logStatus.isEmpty() && r->logStatus != QLatin1String("OK")) s += QStringLiteral(", ") + r->logStatus;
        return s + QStringLiteral(" (%1:%2)\n").arg(r->file).arg(r->line);
    };
    QString t;
    if (!leg.transitGateway) {
        t += node("interface", leg.eni);
        t += record("VPC", leg.record, QStringLiteral("-"));
        t += node("subnet", leg.subnet);
        t += node("vpc", leg.vpc);
        if (!leg.action.isEmpty()) t += QStringLiteral("  action             %1\n").arg(leg.action);
        return t;
    }
    t += node("entry attachment", leg.entry);
    t += record("ingress", leg.ingress, QStringLiteral("not loaded"));
    t += node("transit gateway", leg.tgw);
    for (const PathDrop& d : leg.drops)
        t += QStringLiteral("      dropped: %1 packets, %2. %3\n")
                 .arg(d.packets)
                 .arg(dropReasonLabel(d.reason), tgwDropMeaning(d.reason));
    t += node(leg.endsAtTgw ? "exit (not reached)" : "exit attachment", leg.exit);
    if (leg.endsAtTgw) t += QStringLiteral("      the path ends at the transit gateway\n");
    if (!leg.endsAtTgw || leg.egress) t += record("egress", leg.egress, QStringLiteral("not loaded"));
    return t;
}

} // namespace

int runFlow(const Store& store, const LoadedNames& names, const Options& o, qint64 id, bool json)
{
    const auto path = traceFlow(store, RecordId(id), names.directory.isEmpty() ? nullptr : &names.directory);
    if (!path) {
        err() << "flowlog-cli: flow: " << path.error().message << " (ids are 1.." << store.recordCount() << ")\n";
        err().flush();
        return kExitUsage;
    }
    QByteArray data;
    if (json) {
        QJsonObject root;
        root[QStringLiteral("record")] = id;
        root[QStringLiteral("flow")] = flowLegJson(path->flow);
        root[QStringLiteral("reply")] = path->reply ? QJsonValue(flowLegJson(*path->reply)) : QJsonValue(QJsonValue::Null);
        if (!path->replyNote.isEmpty()) root[QStringLiteral("reply_note")] = path->replyNote;
        data = QJsonDocument(root).toJson(QJsonDocument::Indented);
    } else {
        QString t = QStringLiteral("Flow of record %1: %2\n").arg(id).arg(path->flow.summary()) + flowLegText(path->flow);
        if (path->reply) t += QStringLiteral("Reply: %1\n").arg(path->reply->summary()) + flowLegText(*path->reply);
        else t += QStringLiteral("Reply: none: %1\n").arg(path->replyNote);
        data = t.toUtf8();
    }
    return withOutput(o.output, [&](QIODevice& out, Error* e) {
        if (out.write(data) != data.size()) {
            e->message = QStringLiteral("cannot write the flow: %1").arg(out.errorString());
            return Outcome::Failed;
        }
        return Outcome::Ok;
    });
}

} // namespace cli
