#pragma once
// Drop diagnosis: the packets a Transit Gateway dropped (the packets-lost-* counters of TGW
// records) and the traffic VPC flow logs recorded as REJECT, grouped per entry attachment
// (or interface), exit attachment and reason, with the top talkers and what each reason
// means and what to check. Shared by the GUI's Drops page and `flowlog-cli drops`.
#include "core/export/csv.h"
#include "core/model/result.h"
#include "core/names/names.h"
#include "core/store/store.h"

#include <QString>
#include <atomic>
#include <optional>
#include <vector>

namespace core {

/// Why packets were lost. The first four are the TGW packets-lost-* counters; Rejected is a
/// VPC flow log record with action REJECT.
enum class DropReason { NoRoute, Blackhole, MtuExceeded, TtlExpired, Rejected };
constexpr int kDropReasonCount = 5;

/// "no-route", "blackhole", "mtu-exceeded", "ttl-expired", "rejected" (CSV, CLI). Pure.
QString dropReasonName(DropReason reason);
/// "No route", "Blackhole", "MTU exceeded", "TTL expired", "Rejected (VPC)" (display). Pure.
QString dropReasonLabel(DropReason reason);
/// Inverse of dropReasonName (case-insensitive). Pure.
std::optional<DropReason> dropReasonFromName(const QString& name);
/// The `flows` column holding the counter (packets_lost_no_route, ...); "" for Rejected. Pure.
QString dropReasonColumn(DropReason reason);

/// One of the most frequent values of a group, with the packets it lost.
struct TopValue {
    QString value; ///< address text or port digits
    qint64 packets = 0;
};

/// One group of drops: packets lost for one reason, entering at one attachment and leaving
/// (or meant to leave) through another.
struct DropRow {
    /// Entry attachment (where the packets entered the TGW: tgw-attachment-id of the ingress
    /// record, tgw-pair-attachment-id of the egress one). Rejected: the interface id (ENI).
    QString entry;
    /// Exit attachment, "-" when there is none (no route / blackhole drops usually have no
    /// pair) or for Rejected.
    QString exit;
    DropReason reason = DropReason::NoRoute;
    /// Packets lost for this reason (sum of its counter). Rejected: packets of the REJECT records.
    qint64 packets = 0;
    /// Records counted (a drop logged at both attachments counts once; see computeDrops).
    qint64 records = 0;
    qint64 firstSeen = 0; ///< earliest `start` of those records, Unix seconds (0 if none had one; CSV: empty)
    qint64 lastSeen = 0;  ///< latest `end` (or `start` if no end), Unix seconds
    /// Up to 3 each, by packets lost (descending), ties by value ascending: addresses by their
    /// text ("10.0.0.10" before "10.0.0.9"), ports by number; an order the Athena drops query
    /// (core/remote) reproduces. '-' values are left out.
    std::vector<TopValue> topSources, topDestinations, topPorts;

    // From the names (empty when none were given or the id is unknown).
    QString entryName;
    QString exitName;
    QString routeTableId; ///< TGW route table associated with the entry attachment
    QString exitKind;     ///< exit attachment's resource type (vpc, vpn, ...)

    /// What the reason means (one or two sentences).
    QString meaning;
    /// What to check, naming the route table (when known) and the top destination.
    QString check;
};

/// Fills row.meaning and row.check from the row's reason, ids, names fields and top values.
/// Pure; any thread.
void explainDrop(DropRow& row);

/// Computes the drop rows of the records matching `filterExpression` ("" = all).
///
/// Counting rule (the same as computeEdges): a record counts unless it is the egress record
/// of a flow whose ingress twin (twin_id) also passes the filter, so a drop logged at both
/// attachments counts once and a drop seen at one side only still counts. Per TGW record,
/// every packets-lost counter above 0 adds to the row of its reason ('-' counters are none);
/// a VPC record (no attachment) with action REJECT adds its packets to the interface's
/// Rejected row. NODATA/SKIPDATA records carry no counters and add nothing.
///
/// `names` (may be null; not kept) fills entryName/exitName/routeTableId/exitKind, then
/// every row is explained (explainDrop). Rows are sorted by packets descending, then entry,
/// exit and reason. Any thread; the filter error (with its position) or "cancelled" (when
/// *cancel becomes true) comes back as an Error.
Result<std::vector<DropRow>> computeDrops(const Store& store, const QString& filterExpression,
                                          const NameDirectory* names = nullptr, const std::atomic<bool>* cancel = nullptr);

/// "10.0.0.1 (120); 10.0.0.2 (7)": values with their packets, as in the CSV and the table. Pure.
QString formatTopValues(const std::vector<TopValue>& values);

/// The rows as CSV (RFC 4180, CRLF), exactly what `flowlog-cli drops` prints:
/// entry,exit,reason,packets,records,first_seen,last_seen,top_sources,top_destinations,
/// top_dst_ports,route_table_id,check — plus entry_name,exit_name when `withNames`.
/// Times are Unix seconds; reason is dropReasonName(). Pure.
QByteArray dropsCsv(const std::vector<DropRow>& rows, bool withNames, const CsvOptions& options = {});

} // namespace core
