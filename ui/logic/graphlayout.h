#pragma once
// Where the attachment graph's nodes go: a circle for a few nodes, grouped elliptic rings for
// many (each group of attachments, by kind or by a loaded account / route table, keeps one
// sector; the ellipse takes the pane's shape so the drawing fills it). Deterministic: the
// same graph gives the same positions. Pure functions; any thread.
//
// graphlayout.h also includes the rest of the graph logic (kinds, numbers, top-N, building,
// geometry) for the callers that want all of it.
#include "ui/logic/graphbuild.h"
#include "ui/logic/graphformat.h"
#include "ui/logic/graphgeometry.h"
#include "ui/logic/graphkinds.h"
#include "ui/logic/graphtop.h"

#include <QPointF>
#include <utility>
#include <vector>

namespace ui {

/// Positions of n nodes on a circle of radius `radius` around (0,0), first one at the top
/// (two nodes: left and right).
std::vector<QPointF> circularLayout(int n, double radius);
/// Circle radius that keeps neighbours about `spacing` apart.
double circularRadius(int n, double spacing = 190.0);

/// Number of pairs of chords that cross when node i sits at circle slot slotOf[i].
int circularCrossings(const std::vector<int>& slotOf, const std::vector<std::pair<int, int>>& links);
/// Circle slot per node with few crossings: pairwise-swap local search from the identity,
/// deterministic.
std::vector<int> circularOrder(int n, const std::vector<std::pair<int, int>>& links);

/// Circular layout up to this many nodes, grouped rings above.
constexpr int kCircularMaxNodes = 12;
/// Nodes per ring of the ring layout before another (inner) ring is added.
constexpr int kRingCapacity = 140;

/// Grouped ring layout: groups (GraphNode::group) in sectors ordered by traffic, heaviest
/// first; inside a sector the heaviest nodes on the outer ellipse, the rest on inner ones
/// (ceil(n / kRingCapacity) rings). Neighbours on the outer ring are at least their radii + 8
/// apart. The outer ellipse's width / height is `aspect`; centred on (0,0).
std::vector<QPointF> ringLayout(const Graph& graph, double aspect);

/// Sets every node's position: circular up to kCircularMaxNodes nodes, else ringLayout for a
/// pane of width / height `aspect`.
void layoutGraph(Graph& graph, double aspect = 1.6);

} // namespace ui
