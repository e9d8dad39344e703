#pragma once
// The attachment graph as the view draws it: nodes (attachments, or collapsed groups of them),
// the shown edges with their widths and drop severities. Built from the edge list by
// buildGraph(); positions are set by layoutGraph() (graphlayout.h). Pure functions; any thread.
#include "ui/logic/graphkinds.h"
#include "ui/logic/graphtop.h"

#include <QHash>
#include <QPair>
#include <QPointF>
#include <QSet>
#include <QString>
#include <vector>

namespace ui {

/// Edge stroke width in scene units, on a scale anchored at zero: kMaxThickness * sqrt(value /
/// maxValue), at least kMinThickness. Equal values get equal widths; 10x the value is ~3.2x
/// as wide (the stroke's area grows with the value). Non-positive values: kMinThickness.
constexpr double kMinThickness = 1.2;
constexpr double kMaxThickness = 14.0;
double edgeThickness(qint64 value, qint64 maxValue);

/// Node radius in scene units, anchored at zero like edgeThickness (the disc's area grows with
/// the traffic): kMaxRadius * sqrt(value / maxValue), at least kMinRadius.
constexpr double kMinRadius = 9.0;
constexpr double kMaxRadius = 34.0;
double nodeRadius(qint64 value, qint64 maxValue);

/// Id prefix of a collapsed group's node ("group:VPC").
inline const QString& groupIdPrefix()
{
    static const QString prefix = QStringLiteral("group:");
    return prefix;
}
inline bool isGroupId(const QString& id)
{
    return id.startsWith(groupIdPrefix());
}

struct GraphNode {
    QString id; ///< as in the edges ("-" for the pseudo-node, "group:<name>" for a collapsed group)
    NodeKind kind = NodeKind::Unknown;
    QString group;      ///< group name (a kind name, an account, a route table)
    int members = 1;    ///< nodes a collapsed group stands for
    qint64 traffic = 0; ///< weight of every edge touching it (shown or not), self loops once
    qint64 dropped = 0; ///< dropped packets on edges leaving it (the sink: arriving)
    qint64 packets = 0; ///< packets on edges leaving it (the sink: arriving)
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
    double severity = 0; ///< dropSeverity(), 0..1
};

/// What the view draws. Nodes ordered by traffic (heaviest first), then id: deterministic.
struct Graph {
    core::EdgeDimension dimension = core::EdgeDimension::Attachment;
    EdgeWeight weight = EdgeWeight::Bytes;
    std::vector<core::Edge> data; ///< every edge computed (shown or not; collapsed groups merged)
    std::vector<GraphNode> nodes;
    std::vector<GraphEdge> edges; ///< the shown ones
    TopEdges top;

    int findNode(const QString& id) const;
    /// Shown edge src->dst by ids, -1 if not shown.
    int findEdge(const QString& src, const QString& dst) const;
};

/// How to build the graph.
struct GraphOptions {
    EdgeWeight weight = EdgeWeight::Bytes;
    EdgeRank rank = EdgeRank::Traffic;
    int topN = 50;
    bool keepDrops = true;
    QHash<QString, NodeKind> kinds; ///< overrides inferred node kinds (e.g. from loaded names)
    QHash<QString, QString> groups; ///< group name by id; others are grouped by nodeGroupName()
    QSet<QString> collapsed;        ///< group names drawn as one node each
    /// Edges (src, dst) drawn whatever the top-N cut: a comparison's new, gone and changed edges,
    /// so a change below the cut is not hidden. They leave the "hidden" sums.
    QSet<QPair<QString, QString>> keep;
};

/// The group a node belongs to when no explicit group is given: its kind's name ("VPC",
/// "VPN", ...; the sink: "no exit").
QString nodeGroupName(NodeKind kind);

/// Builds nodes and edges for the shown subset; sizes set, positions not (see layoutGraph).
Graph buildGraph(std::vector<core::Edge> edges, core::EdgeDimension dimension, const GraphOptions& options);
/// Shorthand: traffic ranking, no groups collapsed.
Graph buildGraph(std::vector<core::Edge> edges, core::EdgeDimension dimension, EdgeWeight weight, int topN,
                 const QHash<QString, NodeKind>& kinds = {}, bool keepDrops = true);

} // namespace ui
