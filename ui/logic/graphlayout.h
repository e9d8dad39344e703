#pragma once
// The attachment graph's math, free of widgets: which edges are shown (top N), node and edge
// sizes, a deterministic layout (circular for few nodes, force-directed for many), edge curves
// and hit-testing. Scene units are abstract ("pixels at zoom 1"). Pure functions; any thread.
#include "core/analysis/aggregate.h"

#include <QHash>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <utility>
#include <vector>

namespace ui {

/// What a node stands for; drawn as a shape. Attachment kinds come from names (describe-*
/// output) when loaded; other dimensions are inferred from the dimension and the id.
enum class NodeKind {
    Unknown, ///< an attachment whose type is not known yet
    Vpc,
    Vpn,
    DirectConnectGateway,
    Peering,
    Connect,
    Subnet,
    Az,
    Account,
    Address,
    Sink, ///< "-" in the attachment dimension: dropped with no exit attachment
    None  ///< "-" in other dimensions: no value (e.g. the VPN side has no VPC)
};

/// "vpc", "vpn", "direct-connect-gateway", "peering", "connect" (AWS ResourceType) -> kind.
NodeKind nodeKindFromString(const QString& resourceType);
QString nodeKindName(NodeKind kind);
/// Kind inferable from the dimension and the id alone ("-" -> Sink/None, vpc-... -> Vpc, ...).
NodeKind inferNodeKind(core::EdgeDimension dimension, const QString& id);

enum class EdgeWeight { Bytes, Packets, Flows };

qint64 edgeWeight(const core::Edge& edge, EdgeWeight weight);
QString edgeWeightName(EdgeWeight weight); ///< "bytes", "packets", "flows"

/// "512 B", "1.2 KB", "34.5 MB", "1.2 GB" (decimal units, 1 KB = 1000 B).
QString formatBytes(qint64 bytes);
/// "812", "4,812", "48.1 k", "1.2 M", "3.4 G".
QString formatCount(qint64 count);
/// formatBytes for Bytes, else formatCount + " packets"/" flows".
QString formatWeight(qint64 value, EdgeWeight weight);
/// "4,812" (English digit grouping, whatever the locale, so tests are stable).
QString formatInteger(qint64 value);

/// The result of cutting the edge list to the N heaviest.
struct TopEdges {
    std::vector<int> shown;   ///< indices into the input, heaviest first (ties: input order)
    int hiddenCount = 0;      ///< edges not shown
    qint64 hiddenWeight = 0;  ///< their summed weight
    qint64 hiddenDropped = 0; ///< their summed dropped packets
};

/// The `n` heaviest edges by `weight`. With `keepDrops`, edges with dropped packets that did
/// not make the cut are shown too (at most max(1, n/2) of them, most drops first), so drops
/// do not hide behind big flows. n <= 0 shows nothing.
TopEdges selectTopEdges(const std::vector<core::Edge>& edges, int n, EdgeWeight weight, bool keepDrops = true);

/// Short drop text for an edge label: "7 dropped (MTU)", "12 dropped (5 no route, 7 TTL)";
/// empty without drops.
QString dropSummary(const core::Edge& edge);

/// "+ 4,812 smaller edges (1.2 GB)"; empty when nothing is hidden.
QString hiddenSummary(const TopEdges& top, EdgeWeight weight);

/// Edge stroke width in scene units for `value` within [minValue, maxValue] on a log scale:
/// kMinThickness .. kMaxThickness; non-positive values get kMinThickness.
constexpr double kMinThickness = 1.5;
constexpr double kMaxThickness = 14.0;
double edgeThickness(qint64 value, qint64 minValue, qint64 maxValue);

/// Node radius in scene units for its traffic within [minValue, maxValue] (log scale).
constexpr double kMinRadius = 14.0;
constexpr double kMaxRadius = 34.0;
double nodeRadius(qint64 value, qint64 minValue, qint64 maxValue);

struct GraphNode {
    QString id; ///< as in the edges ("-" for the pseudo-node)
    NodeKind kind = NodeKind::Unknown;
    qint64 traffic = 0; ///< weight of every edge touching it (shown or not), self loops once
    qint64 dropped = 0; ///< dropped packets on edges leaving it (the sink: arriving)
    QPointF pos;        ///< centre, scene units
    double radius = kMinRadius;
};

struct GraphEdge {
    int src = 0;      ///< node index
    int dst = 0;      ///< node index
    int data = 0;     ///< index into Graph::data
    int reverse = -1; ///< index of the shown edge dst->src, -1 if none
    qint64 weight = 0;
    double thickness = kMinThickness;
    bool hasDrops() const { return dropped > 0; }
    qint64 dropped = 0;
};

/// What the view draws. Nodes ordered by traffic (heaviest first), then id: deterministic.
struct Graph {
    core::EdgeDimension dimension = core::EdgeDimension::Attachment;
    EdgeWeight weight = EdgeWeight::Bytes;
    std::vector<core::Edge> data; ///< every edge computed (shown or not)
    std::vector<GraphNode> nodes;
    std::vector<GraphEdge> edges; ///< the shown ones
    TopEdges top;

    int findNode(const QString& id) const;
    /// Shown edge src->dst by ids, -1 if not shown.
    int findEdge(const QString& src, const QString& dst) const;
};

/// Builds nodes and edges for the shown subset; sizes set, positions not (see layoutGraph).
/// `kinds` overrides inferred node kinds (e.g. from loaded names).
Graph buildGraph(std::vector<core::Edge> edges, core::EdgeDimension dimension, EdgeWeight weight, int topN,
                 const QHash<QString, NodeKind>& kinds = {}, bool keepDrops = true);

/// Positions of n nodes on a circle of radius `radius` around (0,0), first one at the top
/// (two nodes: left and right).
std::vector<QPointF> circularLayout(int n, double radius);
/// Circle radius that keeps neighbours about `spacing` apart.
double circularRadius(int n, double spacing = 190.0);

/// Force-directed (Fruchterman-Reingold) layout of n nodes with weighted links, started from a
/// deterministic spiral and run a fixed number of iterations: the same input gives the same
/// output. Result centred on (0,0), inside [-forceLayoutExtent(n), +forceLayoutExtent(n)]².
/// `minDistance[i]` (optional) is the clearance node i needs (its radius + label room).
std::vector<QPointF> forceLayout(int n, const std::vector<std::pair<int, int>>& links, int iterations = 300,
                                 const std::vector<double>& minDistance = {});
double forceLayoutExtent(int n);

/// Number of pairs of chords that cross when node i sits at circle slot slotOf[i].
int circularCrossings(const std::vector<int>& slotOf, const std::vector<std::pair<int, int>>& links);
/// Circle slot per node with few crossings: pairwise-swap local search from the identity,
/// deterministic.
std::vector<int> circularOrder(int n, const std::vector<std::pair<int, int>>& links);

/// Circular layout up to this many nodes, force-directed above.
constexpr int kCircularMaxNodes = 12;

/// Sets every node's position (circular or force-directed by node count).
void layoutGraph(Graph& graph);

/// An edge as a cubic Bézier from the rim of its source to the rim of its target. A->B and
/// B->A bend to opposite sides; self loops (A->A) are drawn as a loop outside the node.
struct EdgeGeometry {
    QPointF p0, c1, c2, p1;
    QPointF labelPos;  ///< where the label goes (the curve's middle)
    QPointF direction; ///< unit tangent at p1 (for the arrow head)
};
EdgeGeometry edgeGeometry(const Graph& graph, int edge);
QPointF bezierPoint(const EdgeGeometry& g, double t);

/// Distance from p to the segment a-b.
double distanceToSegment(QPointF p, QPointF a, QPointF b);

struct Hit {
    enum Kind { None, Node, Edge };
    Kind kind = None;
    int index = -1;
    bool operator==(const Hit& o) const { return kind == o.kind && index == o.index; }
};

/// What is under `scenePos`: a node (within radius + tolerance; topmost = last drawn wins),
/// else the nearest edge within thickness/2 + tolerance, else None.
Hit hitTest(const Graph& graph, QPointF scenePos, double tolerance = 4.0);

/// Bounding box of nodes (with radius) and edges' control points, in scene units.
QRectF graphBounds(const Graph& graph);

} // namespace ui
