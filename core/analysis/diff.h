#pragma once
// Comparing two sets of flows (before / after a change): edges that are new, gone or changed,
// drop rows that are new, gone or grown, and a baseline series aligned on the current one by
// an offset. Both sides are computed with the same counting rule (computeEdges / computeDrops:
// one count per flow), so the two sides may come from different files and formats.
#include "core/analysis/aggregate.h"
#include "core/analysis/drops.h"
#include "core/export/csv.h"

#include <QByteArray>
#include <QString>
#include <vector>

namespace core {

/// How an edge or drop row compares. Changed = on both sides and some count (flows, packets,
/// bytes, dropped packets) moved by more than the threshold. Grown / Shrunk: drop rows whose
/// packets moved by more than the threshold.
enum class DiffStatus { Same, New, Gone, Changed, Grown, Shrunk };

/// "same", "new", "gone", "changed", "grown", "shrunk". Pure.
QString diffStatusName(DiffStatus status);

/// Percent change from `before` to `after` (100 = doubled); 0 when both are 0, +infinity
/// when only `after` is non-zero. Pure.
double percentChange(qint64 before, qint64 after);

/// One edge on either side. A side where the edge is absent has all counts 0.
struct EdgeDiff {
    QString src;
    QString dst;
    Edge before;
    Edge after;
    DiffStatus status = DiffStatus::Same;
    /// Largest |percentChange| over flows, packets, bytes and dropped packets.
    double changePercent = 0;
};

/// Compares two edge lists (from computeEdges with the same dimension and filter). An edge
/// present on both sides is Changed when changePercent > changedPercent, else Same. Sorted by
/// status (new, gone, changed, same), then |bytes delta| descending, then src, dst. Pure.
std::vector<EdgeDiff> diffEdges(const std::vector<Edge>& before, const std::vector<Edge>& after, double changedPercent = 20);

/// One drop row (entry, exit, reason) on either side.
struct DropDiff {
    QString entry;
    QString exit;
    DropReason reason = DropReason::NoRoute;
    qint64 packetsBefore = 0;
    qint64 packetsAfter = 0;
    qint64 recordsBefore = 0;
    qint64 recordsAfter = 0;
    DiffStatus status = DiffStatus::Same; ///< New, Gone, Grown, Shrunk or Same
};

/// Compares two drop lists (from computeDrops). Grown / Shrunk when the packets moved by more
/// than `grownPercent`. Sorted by status (new, grown, gone, shrunk, same), then packets after
/// descending, then entry, exit, reason. Pure.
std::vector<DropDiff> diffDrops(const std::vector<DropRow>& before, const std::vector<DropRow>& after, double grownPercent = 20);

/// The baseline's bins moved by `offsetSeconds` (added to their start: 86400 puts yesterday's
/// traffic under today's bins) and summed into the bins of `current` (same binSeconds as
/// `current`; compute the baseline with that bin size). One bin per bin of `current`, with the
/// same starts; baseline bins falling outside are left out. Pure.
std::vector<SeriesBin> alignBaseline(const Series& current, const Series& baseline, qint64 offsetSeconds);

/// `filter` restricted to records starting before (`before` true) or at/after `splitTime`
/// (Unix seconds): "(filter) and start < T" / "start >= T". Pure.
QString splitFilter(const QString& filter, qint64 splitTime, bool before);

/// The edge diff as CSV (RFC 4180, CRLF): src,dst,status,flows_a,flows_b,flows_delta,
/// packets_a,packets_b,packets_delta,bytes_a,bytes_b,bytes_delta,dropped_a,dropped_b,
/// dropped_delta,change_pct (change_pct empty for new/gone edges). Pure.
QByteArray edgeDiffCsv(const std::vector<EdgeDiff>& rows, const CsvOptions& options = {});
/// The same as a JSON array of objects with those keys (change_pct null for new/gone). Pure.
QByteArray edgeDiffJson(const std::vector<EdgeDiff>& rows);

} // namespace core
