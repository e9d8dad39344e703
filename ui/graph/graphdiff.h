#pragma once
// The Attachments graph while a comparison is active (the Compare page has a baseline): edges
// new, gone, or changed by more than X % drawn with their own colour and dash, their deltas of
// flows, packets, bytes and dropped packets in the label and the tooltip. The diff itself is
// core::diffEdges (the same one-count-per-flow rule on both sides); this file only turns it
// into the edge list the graph is built from and into per-edge decorations. GUI thread.
#include "ui/graph/graphpaint.h"

#include "core/analysis/diff.h"
#include "core/store/store.h"

#include <QHash>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

namespace ui {

/// What the graph compares with: a baseline store, or the current store split at a time.
struct GraphComparison {
    std::shared_ptr<core::Store> baseline; ///< null with a split: the current store before `split`
    std::optional<qint64> split;           ///< Unix seconds: baseline = before, current = from it on
    double threshold = 20;                 ///< "changed" above this many percent
    QString label;                         ///< the baseline's name for the status line
    bool active() const { return baseline != nullptr || split.has_value(); }
};

/// The filters of both sides for the session filter `filter`: {baseline, current}.
std::pair<QString, QString> comparisonFilters(const GraphComparison& comparison, const QString& filter);

/// The edges to build the graph from: every current edge (after counts) plus the gone ones
/// (with their baseline counts, so they keep their place and width). Pure.
std::vector<core::Edge> comparedEdges(const std::vector<core::EdgeDiff>& diffs);

/// The look of the diff statuses: new = solid accent green, gone = dashed grey, grown = solid
/// orange "▲", shrunk = solid blue "▼".
QColor diffColor(core::DiffStatus status, bool grown, const GraphStyle& style);

/// "grown" for a changed edge whose bytes (else packets, else flows) went up.
bool diffGrew(const core::EdgeDiff& diff);

/// The label of a compared edge: "new · +2 flows · +20 pkts · +1.2 kB",
/// "gone · −3 flows · …", "▲ +100 % · +1 flows · …" (" · +7 drops" when drops moved).
QString diffLabel(const core::EdgeDiff& diff);

/// Tooltip HTML: baseline, current and delta of flows, packets, bytes and dropped packets.
QString diffTooltip(const core::EdgeDiff& diff);

/// Decorations (graphpaint.h) of the new, gone and changed edges, by (src, dst).
QHash<QPair<QString, QString>, EdgeDecoration> diffDecorations(const std::vector<core::EdgeDiff>& diffs, const GraphStyle& style);

/// "2 new · 1 gone · 3 changed > 20 % vs baseline.flowlog".
QString diffSummary(const std::vector<core::EdgeDiff>& diffs, const GraphComparison& comparison);

} // namespace ui
