#pragma once
// "Follow one flow": the path of the flow a record belongs to. For a Transit Gateway record:
// entry attachment -> TGW -> exit attachment, with the record logged at each side (ingress at
// the entry attachment, egress at the exit = flows.twin_id), the counters, drops at the TGW by
// reason, and the reply flow (addresses and ports swapped, same protocol, same TGW, time
// windows within one aggregation interval) with its own path. For a VPC record: ENI, subnet,
// VPC, action, and the reply record. Plain values; names filled from a NameDirectory.
#include "core/analysis/drops.h"
#include "core/model/ids.h"
#include "core/model/result.h"
#include "core/names/names.h"

#include <QString>
#include <QStringList>
#include <array>
#include <atomic>
#include <optional>
#include <vector>

namespace core {

class Store;

/// The four TGW packets-lost-* counters, in column order (DropReason::NoRoute .. TtlExpired;
/// drops.h names them: dropReasonName / dropReasonLabel).
constexpr int kTgwDropReasons = 4;

/// One sentence on what a TGW drop reason means (tooltips, the CLI). Pure.
QString tgwDropMeaning(DropReason reason);

/// One record as the path shows it. Optional members are empty where the log has '-'.
struct PathRecord {
    qint64 id = 0;            ///< flows.id
    QString direction;        ///< flow-direction: "ingress", "egress" or empty
    QString attachmentId;     ///< tgw-attachment-id (TGW records)
    QString pairAttachmentId; ///< tgw-pair-attachment-id (TGW records)
    QString interfaceId;      ///< interface-id (VPC records)
    QString action;           ///< ACCEPT / REJECT (VPC records)
    QString logStatus;        ///< OK / NODATA / SKIPDATA
    std::optional<qint64> packets, bytes;
    std::optional<qint64> start, end; ///< Unix seconds
    std::optional<qint64> tcpFlags;
    std::array<std::optional<qint64>, kTgwDropReasons> lost; ///< packets-lost-* by DropReason
    QString file;                                            ///< source file path
    qint64 line = 0;                                         ///< 1-based line in the file

    /// Sum of the packets-lost-* counters that have a value.
    qint64 lostTotal() const;
};

/// A box on the path: an attachment, the TGW, an ENI, a subnet or a VPC.
struct PathNode {
    enum class Kind { Attachment, TransitGateway, Interface, Subnet, Vpc };
    Kind kind = Kind::Attachment;
    QString id;     ///< empty when the log does not say ('-')
    QString name;   ///< Name tag from the names, empty if unknown
    QString detail; ///< e.g. "vpc attachment, vpc-0abc (prod)", a CIDR, an instance id
    /// "name (id)", the id, or "unknown" when neither is known.
    QString label() const;
};

/// Packets dropped at the TGW for one reason.
struct PathDrop {
    DropReason reason = DropReason::NoRoute;
    qint64 packets = 0;
};

/// One direction of a flow (the traced one or its reply).
struct FlowLeg {
    bool transitGateway = true; ///< false: a VPC (ENI) record
    QString protocol;           ///< IANA number as text ("6"), empty if '-'
    QString srcAddr, dstAddr;   ///< as logged, empty if '-'
    std::optional<qint64> srcPort, dstPort;

    // --- Transit Gateway ---
    PathNode entry;                    ///< attachment where the flow entered the TGW
    PathNode tgw;                      ///< the transit gateway (tgw-id)
    PathNode exit;                     ///< attachment where it left (or would have left)
    std::optional<PathRecord> ingress; ///< record logged at the entry attachment
    std::optional<PathRecord> egress;  ///< record logged at the exit attachment (its twin)
    std::vector<PathDrop> drops;       ///< non-zero packets-lost-* of either record
    /// True when the path ends at the TGW: packets were dropped there and either every packet
    /// of the flow was lost or no exit attachment is known. Partial drops do not end the path;
    /// an unknown exit without drops (NODATA, one-sided logging) does not either.
    bool endsAtTgw = false;

    // --- VPC ---
    PathNode eni, subnet, vpc;
    std::optional<PathRecord> record; ///< the VPC record
    QString action;                   ///< ACCEPT / REJECT / empty

    /// The record that identifies the leg (ingress, else egress, else the VPC record).
    const PathRecord* primary() const;
    /// "TCP 10.0.1.5:51515 → 10.2.0.9:443" (protocol name when known).
    QString summary() const;
};

/// The path of the flow record `recordId` belongs to.
struct FlowPath {
    qint64 recordId = 0;          ///< the record asked for
    FlowLeg flow;                 ///< the direction of that record
    std::optional<FlowLeg> reply; ///< the reply direction, if one is loaded
    /// Why there is no reply ("no reply record loaded", "no addresses: ..."), empty if found.
    QString replyNote;
};

/// Seconds by which the reply's [start, end] may miss the flow's and still count as
/// overlapping: one TGW aggregation interval.
constexpr qint64 kReplySlackSeconds = 60;

/// Traces record `recordId`: reads it, its twin (flows.twin_id) and searches the reply among
/// the loaded records: first the 65,536 records loaded around it (records load in time order),
/// then, only if no reply was found where one is expected, all the others. Blocking: at 1M
/// records a median of ~10 ms when the reply is nearby, ~155 ms for a full scan (no reply);
/// see tests/bench/bench_flowpath.cpp. `names` may be null. Error "no record with id N is
/// loaded" for an unknown id. Read-only; any thread (the store's connection is serialized);
/// call it off the GUI thread.
/// Cancel: when *cancel (may be null; must outlive the call) is true before the call, or
/// becomes true during it, the result is the Error "cancelled" and nothing else, never a
/// partial path: no SQL runs when it was raised before the start, no further statement starts
/// once it is seen, and a running scan stops within ~10,000 SQLite VM steps (a CancelScope,
/// as the other analyses). An interrupted statement (SQLite's "interrupted") is "cancelled" too.
Result<FlowPath> traceFlow(const Store& store, RecordId recordId, const NameDirectory* names,
                           const std::atomic<bool>* cancel = nullptr);

/// Protocol name for an IANA number text ("6" -> "TCP"); the number itself if unknown.
QString protocolLabel(const QString& protocol);

} // namespace core
