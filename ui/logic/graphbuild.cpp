#include "ui/logic/graphbuild.h"

#include <QPair>
#include <algorithm>
#include <cmath>

namespace ui {
namespace {

double sqrtFraction(qint64 value, qint64 maxValue)
{
    if (value <= 0 || maxValue <= 0) return 0.0;
    return std::sqrt(std::min(1.0, static_cast<double>(value) / static_cast<double>(maxValue)));
}

/// Merges the edges of collapsed groups: an endpoint in a collapsed group becomes the group's
/// node; edges that then share (src, dst) are summed. Order: first occurrence.
std::vector<core::Edge> collapseGroups(std::vector<core::Edge> edges, const QHash<QString, QString>& groupOfId,
                                       const QSet<QString>& collapsed)
{
    if (collapsed.isEmpty()) return edges;
    auto mapId = [&](const QString& id) {
        const auto g = groupOfId.constFind(id);
        return g != groupOfId.constEnd() && collapsed.contains(*g) ? groupIdPrefix() + *g : id;
    };
    std::vector<core::Edge> out;
    QHash<QPair<QString, QString>, size_t> index;
    for (auto& e : edges) {
        e.src = mapId(e.src);
        e.dst = mapId(e.dst);
        const auto key = qMakePair(e.src, e.dst);
        const auto it = index.constFind(key);
        if (it == index.constEnd()) {
            index.insert(key, out.size());
            out.push_back(std::move(e));
            continue;
        }
        auto& m = out[*it];
        m.flows += e.flows;
        m.packets += e.packets;
        m.bytes += e.bytes;
        for (size_t r = 0; r < m.lost.size(); ++r) m.lost[r] += e.lost[r];
    }
    return out;
}

} // namespace

double edgeThickness(qint64 value, qint64 maxValue)
{
    return std::max(kMinThickness, kMaxThickness * sqrtFraction(value, maxValue));
}

double nodeRadius(qint64 value, qint64 maxValue)
{
    return std::max(kMinRadius, kMaxRadius * sqrtFraction(value, maxValue));
}

QString nodeGroupName(NodeKind kind)
{
    switch (kind) {
    case NodeKind::Sink:
        return QStringLiteral("no exit");
    case NodeKind::None:
        return QStringLiteral("no value");
    case NodeKind::Unknown:
        return QStringLiteral("attachments");
    default:
        return nodeKindName(kind);
    }
}

int Graph::findNode(const QString& id) const
{
    for (size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].id == id) return static_cast<int>(i);
    return -1;
}

int Graph::findEdge(const QString& src, const QString& dst) const
{
    for (size_t i = 0; i < edges.size(); ++i) {
        const auto& e = data[static_cast<size_t>(edges[i].data)];
        if (e.src == src && e.dst == dst) return static_cast<int>(i);
    }
    return -1;
}

Graph buildGraph(std::vector<core::Edge> edges, core::EdgeDimension dimension, EdgeWeight weight, int topN,
                 const QHash<QString, NodeKind>& kinds, bool keepDrops)
{
    GraphOptions options;
    options.weight = weight;
    options.topN = topN;
    options.kinds = kinds;
    options.keepDrops = keepDrops;
    return buildGraph(std::move(edges), dimension, options);
}

Graph buildGraph(std::vector<core::Edge> edges, core::EdgeDimension dimension, const GraphOptions& options)
{
    Graph g;
    g.dimension = dimension;
    g.weight = options.weight;
    const EdgeWeight weight = options.weight;

    // Every id's kind and group (groups are needed before collapsing).
    auto kindOf = [&](const QString& id) {
        const auto k = options.kinds.constFind(id);
        return k != options.kinds.constEnd() ? *k : inferNodeKind(dimension, id);
    };
    QHash<QString, QString> groupOfId;
    QHash<QString, int> groupSize;
    for (const auto& e : edges)
        for (const QString* id : {&e.src, &e.dst})
            if (!groupOfId.contains(*id)) {
                const auto explicitGroup = options.groups.constFind(*id);
                const QString group = explicitGroup != options.groups.constEnd() && !explicitGroup->isEmpty()
                                          ? *explicitGroup
                                          : nodeGroupName(kindOf(*id));
                groupOfId.insert(*id, group);
                ++groupSize[group];
            }
    g.data = collapseGroups(std::move(edges), groupOfId, options.collapsed);
    g.top = selectEdges(g.data, options.topN, weight, options.rank, options.keepDrops, options.keep);

    // Nodes: every endpoint of a shown edge; traffic over all edges.
    QHash<QString, int> index;
    for (int i : g.top.shown) {
        const auto& e = g.data[static_cast<size_t>(i)];
        for (const QString& id : {e.src, e.dst})
            if (!index.contains(id)) {
                index.insert(id, static_cast<int>(g.nodes.size()));
                GraphNode n;
                n.id = id;
                if (isGroupId(id)) {
                    n.kind = NodeKind::Group;
                    n.group = id.mid(groupIdPrefix().size());
                    n.members = groupSize.value(n.group, 1);
                } else {
                    n.kind = kindOf(id);
                    n.group = groupOfId.value(id);
                }
                g.nodes.push_back(n);
            }
    }
    for (const auto& e : g.data) {
        const qint64 w = edgeWeight(e, weight);
        const auto s = index.constFind(e.src);
        const auto d = index.constFind(e.dst);
        if (s != index.constEnd()) {
            auto& n = g.nodes[static_cast<size_t>(*s)];
            n.traffic += w;
            n.dropped += e.dropped();
            n.packets += e.packets;
        }
        if (d != index.constEnd() && e.dst != e.src) {
            auto& n = g.nodes[static_cast<size_t>(*d)];
            n.traffic += w;
            if (n.kind == NodeKind::Sink) {
                n.dropped += e.dropped();
                n.packets += e.packets;
            }
        }
    }
    std::stable_sort(g.nodes.begin(), g.nodes.end(), [](const GraphNode& a, const GraphNode& b) {
        if (a.traffic != b.traffic) return a.traffic > b.traffic;
        return a.id < b.id;
    });
    index.clear();
    for (size_t i = 0; i < g.nodes.size(); ++i) index.insert(g.nodes[i].id, static_cast<int>(i));

    qint64 maxT = 0;
    for (const auto& n : g.nodes) maxT = std::max(maxT, n.traffic);
    for (auto& n : g.nodes) n.radius = nodeRadius(n.traffic, maxT);

    qint64 maxW = 0;
    for (int i : g.top.shown) {
        const auto& e = g.data[static_cast<size_t>(i)];
        GraphEdge ge;
        ge.src = index.value(e.src);
        ge.dst = index.value(e.dst);
        ge.data = i;
        ge.weight = edgeWeight(e, weight);
        ge.dropped = e.dropped();
        ge.severity = dropSeverity(e);
        g.edges.push_back(ge);
        maxW = std::max(maxW, ge.weight);
    }
    QHash<QPair<int, int>, int> byPair;
    for (size_t i = 0; i < g.edges.size(); ++i) byPair.insert({g.edges[i].src, g.edges[i].dst}, static_cast<int>(i));
    for (auto& e : g.edges) {
        e.thickness = edgeThickness(e.weight, maxW);
        if (e.src != e.dst) e.reverse = byPair.value({e.dst, e.src}, -1);
    }
    return g;
}

} // namespace ui
