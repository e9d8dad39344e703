#pragma once
// Which edges the attachment graph draws (the top N by traffic, dropped packets or drop share)
// and how bad an edge's drops are (the severity its colour shows). Pure functions; any thread.
#include "ui/logic/graphkinds.h"

#include <QPair>
#include <QSet>
#include <QString>
#include <vector>

namespace ui {

/// The result of cutting the edge list to the N first by some ranking.
struct TopEdges {
    std::vector<int> shown;       ///< indices into the input, first ranked first (ties: input order)
    std::vector<int> hiddenDrops; ///< hidden edges with dropped packets, most dropped first
    int hiddenCount = 0;          ///< edges not shown
    qint64 hiddenWeight = 0;      ///< their summed weight
    qint64 hiddenDropped = 0;     ///< their summed dropped packets
    EdgeRank rank = EdgeRank::Traffic;
};

/// The `n` heaviest edges by `weight`. With `keepDrops`, edges with dropped packets that did
/// not make the cut are shown too (at most max(1, n/2) of them, most drops first), so drops
/// do not hide behind big flows. n <= 0 shows nothing.
TopEdges selectTopEdges(const std::vector<core::Edge>& edges, int n, EdgeWeight weight, bool keepDrops = true);

/// The first `n` edges by `rank`: Traffic as selectTopEdges; Dropped: most dropped packets
/// first (ties: heavier first); DropShare: highest dropped/packets first (ties: more dropped
/// first); edges without drops come last in both drop rankings and are not shown by them.
/// `keepDrops` applies to Traffic only. Every edge whose (src, dst) is in `keep` is shown too
/// (after the ranked ones, in input order) and is not counted in the hidden sums or hiddenDrops.
TopEdges selectEdges(const std::vector<core::Edge>& edges, int n, EdgeWeight weight, EdgeRank rank, bool keepDrops = true,
                     const QSet<QPair<QString, QString>>& keep = {});

/// "+ 4,812 smaller edges (1.2 GB)"; empty when nothing is hidden.
QString hiddenSummary(const TopEdges& top, EdgeWeight weight);

/// dropped / packets, 0..1 (0 without packets; capped at 1).
double dropShare(const core::Edge& edge);

/// How bad drops are, 0 (none) .. 1 (severe): the larger of share^0.4 (0.1 % -> 0.06,
/// 1 % -> 0.16, 10 % -> 0.40, 70 % -> 0.87) and 0.6 * log10(dropped) / 7 (100 -> 0.17,
/// 1 M -> 0.51), so a big edge losing few percent still shows. Colours scale with it.
double dropSeverity(qint64 dropped, qint64 packets);
double dropSeverity(const core::Edge& edge);

/// Severities of the legend's tick marks with their labels ("0.1 %", "1 %", "10 %", "70 %").
struct SeverityTick {
    double severity;
    QString label;
};
std::vector<SeverityTick> severityTicks();

} // namespace ui
