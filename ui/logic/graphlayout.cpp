#include "ui/logic/graphlayout.h"

#include "core/model/units.h"

#include <QLocale>
#include <algorithm>
#include <cmath>
#include <numeric>

namespace ui {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kGoldenAngle = 2.39996322972865332; // radians

double length(QPointF v)
{
    return std::sqrt(v.x() * v.x() + v.y() * v.y());
}

QPointF normalized(QPointF v, QPointF fallback)
{
    const double l = length(v);
    return l > 1e-9 ? v / l : fallback;
}

QPointF rotated(QPointF v, double angle)
{
    const double c = std::cos(angle), s = std::sin(angle);
    return {v.x() * c - v.y() * s, v.x() * s + v.y() * c};
}

/// 0..1 position of `value` between min and max on a log scale (1 when the range is empty).
double logFraction(qint64 value, qint64 minValue, qint64 maxValue)
{
    if (value <= 0) return 0.0;
    const double lo = std::log1p(static_cast<double>(std::max<qint64>(minValue, 0)));
    const double hi = std::log1p(static_cast<double>(std::max<qint64>(maxValue, 0)));
    if (hi - lo < 1e-9) return 1.0;
    return std::clamp((std::log1p(static_cast<double>(value)) - lo) / (hi - lo), 0.0, 1.0);
}

} // namespace

NodeKind nodeKindFromString(const QString& resourceType)
{
    const QString t = resourceType.trimmed().toLower();
    if (t == QLatin1String("vpc")) return NodeKind::Vpc;
    if (t == QLatin1String("vpn")) return NodeKind::Vpn;
    if (t == QLatin1String("direct-connect-gateway")) return NodeKind::DirectConnectGateway;
    if (t == QLatin1String("peering")) return NodeKind::Peering;
    if (t == QLatin1String("connect")) return NodeKind::Connect;
    return NodeKind::Unknown;
}

QString nodeKindName(NodeKind kind)
{
    switch (kind) {
    case NodeKind::Unknown:
        return QStringLiteral("attachment");
    case NodeKind::Vpc:
        return QStringLiteral("VPC");
    case NodeKind::Vpn:
        return QStringLiteral("VPN");
    case NodeKind::DirectConnectGateway:
        return QStringLiteral("Direct Connect gateway");
    case NodeKind::Peering:
        return QStringLiteral("peering");
    case NodeKind::Connect:
        return QStringLiteral("Connect");
    case NodeKind::Subnet:
        return QStringLiteral("subnet");
    case NodeKind::Az:
        return QStringLiteral("Availability Zone");
    case NodeKind::Account:
        return QStringLiteral("account");
    case NodeKind::Address:
        return QStringLiteral("address");
    case NodeKind::Sink:
        return QStringLiteral("dropped: no exit attachment (no route / blackhole)");
    case NodeKind::None:
        return QStringLiteral("no value");
    }
    return {};
}

NodeKind inferNodeKind(core::EdgeDimension dimension, const QString& id)
{
    using D = core::EdgeDimension;
    if (id == QLatin1String("-") || id.isEmpty()) return dimension == D::Attachment ? NodeKind::Sink : NodeKind::None;
    switch (dimension) {
    case D::Attachment:
        return NodeKind::Unknown;
    case D::Vpc:
        return NodeKind::Vpc;
    case D::Subnet:
        return NodeKind::Subnet;
    case D::Az:
        return NodeKind::Az;
    case D::Account:
        return NodeKind::Account;
    case D::Addr:
        return NodeKind::Address;
    }
    return NodeKind::Unknown;
}

qint64 edgeWeight(const core::Edge& edge, EdgeWeight weight)
{
    switch (weight) {
    case EdgeWeight::Bytes:
        return edge.bytes;
    case EdgeWeight::Packets:
        return edge.packets;
    case EdgeWeight::Flows:
        return edge.flows;
    }
    return edge.bytes;
}

QString edgeWeightName(EdgeWeight weight)
{
    switch (weight) {
    case EdgeWeight::Bytes:
        return QStringLiteral("bytes");
    case EdgeWeight::Packets:
        return QStringLiteral("packets");
    case EdgeWeight::Flows:
        return QStringLiteral("flows");
    }
    return {};
}

QString formatInteger(qint64 value)
{
    return core::formatInteger(value);
}

QString formatBytes(qint64 bytes)
{
    return core::formatBytes(bytes);
}

QString formatCount(qint64 count)
{
    return core::formatCount(count);
}

QString formatWeight(qint64 value, EdgeWeight weight)
{
    switch (weight) {
    case EdgeWeight::Bytes:
        return formatBytes(value);
    case EdgeWeight::Packets:
        return formatCount(value) + QStringLiteral(" packets");
    case EdgeWeight::Flows:
        return formatCount(value) + (value == 1 ? QStringLiteral(" flow") : QStringLiteral(" flows"));
    }
    return {};
}

TopEdges selectTopEdges(const std::vector<core::Edge>& edges, int n, EdgeWeight weight, bool keepDrops)
{
    TopEdges top;
    std::vector<int> order(edges.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return edgeWeight(edges[static_cast<size_t>(a)], weight) > edgeWeight(edges[static_cast<size_t>(b)], weight);
    });
    const size_t cut = static_cast<size_t>(std::clamp<qsizetype>(n, 0, static_cast<qsizetype>(order.size())));
    top.shown.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(cut));
    std::vector<int> rest(order.begin() + static_cast<std::ptrdiff_t>(cut), order.end());
    if (keepDrops && n > 0) {
        std::vector<int> drops;
        for (int i : rest)
            if (edges[static_cast<size_t>(i)].dropped() > 0) drops.push_back(i);
        std::stable_sort(drops.begin(), drops.end(), [&](int a, int b) {
            return edges[static_cast<size_t>(a)].dropped() > edges[static_cast<size_t>(b)].dropped();
        });
        const auto cap = static_cast<size_t>(std::max(1, n / 2));
        if (drops.size() > cap) drops.resize(cap);
        for (int i : drops) top.shown.push_back(i);
        std::vector<int> kept;
        for (int i : rest)
            if (std::find(drops.begin(), drops.end(), i) == drops.end()) kept.push_back(i);
        rest.swap(kept);
    }
    top.hiddenCount = static_cast<int>(rest.size());
    for (int i : rest) {
        top.hiddenWeight += edgeWeight(edges[static_cast<size_t>(i)], weight);
        top.hiddenDropped += edges[static_cast<size_t>(i)].dropped();
    }
    return top;
}

QString dropSummary(const core::Edge& edge)
{
    const qint64 total = edge.dropped();
    if (total <= 0) return {};
    static const char* const names[] = {"no route", "blackhole", "MTU", "TTL"};
    QStringList parts;
    for (int r = 0; r < core::LostReasonCount; ++r) {
        const qint64 v = edge.lost[static_cast<size_t>(r)];
        if (v > 0) parts << QStringLiteral("%1 %2").arg(formatInteger(v), QLatin1String(names[r]));
    }
    if (parts.size() == 1)
        return QStringLiteral("%1 dropped (%2)").arg(formatInteger(total), parts.front().section(QLatin1Char(' '), 1));
    return QStringLiteral("%1 dropped (%2)").arg(formatInteger(total), parts.join(QStringLiteral(", ")));
}

QString hiddenSummary(const TopEdges& top, EdgeWeight weight)
{
    if (top.hiddenCount <= 0) return {};
    QString s = QStringLiteral("+ %1 smaller edge%2 (%3")
                    .arg(formatInteger(top.hiddenCount), top.hiddenCount == 1 ? QString() : QStringLiteral("s"),
                         formatWeight(top.hiddenWeight, weight));
    if (top.hiddenDropped > 0) s += QStringLiteral(", %1 dropped packets").arg(formatInteger(top.hiddenDropped));
    return s + QLatin1Char(')');
}

double edgeThickness(qint64 value, qint64 minValue, qint64 maxValue)
{
    if (value <= 0) return kMinThickness;
    return kMinThickness + (kMaxThickness - kMinThickness) * logFraction(value, minValue, maxValue);
}

double nodeRadius(qint64 value, qint64 minValue, qint64 maxValue)
{
    if (value <= 0) return kMinRadius;
    return kMinRadius + (kMaxRadius - kMinRadius) * logFraction(value, minValue, maxValue);
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
    Graph g;
    g.dimension = dimension;
    g.weight = weight;
    g.data = std::move(edges);
    g.top = selectTopEdges(g.data, topN, weight, keepDrops);

    // Nodes: every endpoint of a shown edge; traffic over all edges.
    QHash<QString, int> index;
    for (int i : g.top.shown) {
        const auto& e = g.data[static_cast<size_t>(i)];
        for (const QString& id : {e.src, e.dst})
            if (!index.contains(id)) {
                index.insert(id, static_cast<int>(g.nodes.size()));
                GraphNode n;
                n.id = id;
                n.kind = kinds.contains(id) ? kinds.value(id) : inferNodeKind(dimension, id);
                g.nodes.push_back(n);
            }
    }
    for (const auto& e : g.data) {
        const qint64 w = edgeWeight(e, weight);
        const auto s = index.constFind(e.src);
        const auto d = index.constFind(e.dst);
        if (s != index.constEnd()) {
            g.nodes[static_cast<size_t>(*s)].traffic += w;
            g.nodes[static_cast<size_t>(*s)].dropped += e.dropped();
        }
        if (d != index.constEnd() && e.dst != e.src) {
            auto& n = g.nodes[static_cast<size_t>(*d)];
            n.traffic += w;
            if (n.kind == NodeKind::Sink) n.dropped += e.dropped();
        }
    }
    std::stable_sort(g.nodes.begin(), g.nodes.end(), [](const GraphNode& a, const GraphNode& b) {
        if (a.traffic != b.traffic) return a.traffic > b.traffic;
        return a.id < b.id;
    });
    index.clear();
    for (size_t i = 0; i < g.nodes.size(); ++i) index.insert(g.nodes[i].id, static_cast<int>(i));

    qint64 minT = 0, maxT = 0;
    for (size_t i = 0; i < g.nodes.size(); ++i) {
        const qint64 t = g.nodes[i].traffic;
        minT = i == 0 ? t : std::min(minT, t);
        maxT = std::max(maxT, t);
    }
    for (auto& n : g.nodes) n.radius = nodeRadius(n.traffic, minT, maxT);

    qint64 minW = 0, maxW = 0;
    bool first = true;
    for (int i : g.top.shown) {
        const auto& e = g.data[static_cast<size_t>(i)];
        GraphEdge ge;
        ge.src = index.value(e.src);
        ge.dst = index.value(e.dst);
        ge.data = i;
        ge.weight = edgeWeight(e, weight);
        ge.dropped = e.dropped();
        g.edges.push_back(ge);
        if (ge.weight > 0) {
            minW = first ? ge.weight : std::min(minW, ge.weight);
            maxW = std::max(maxW, ge.weight);
            first = false;
        }
    }
    QHash<QPair<int, int>, int> byPair;
    for (size_t i = 0; i < g.edges.size(); ++i) byPair.insert({g.edges[i].src, g.edges[i].dst}, static_cast<int>(i));
    for (auto& e : g.edges) {
        e.thickness = edgeThickness(e.weight, minW, maxW);
        if (e.src != e.dst) e.reverse = byPair.value({e.dst, e.src}, -1);
    }
    return g;
}

std::vector<QPointF> circularLayout(int n, double radius)
{
    std::vector<QPointF> pos;
    if (n <= 0) return pos;
    if (n == 1) return {QPointF(0, 0)};
    const double start = n == 2 ? kPi : -kPi / 2;
    for (int i = 0; i < n; ++i) {
        const double a = start + 2 * kPi * i / n;
        pos.emplace_back(radius * std::cos(a), radius * std::sin(a));
    }
    return pos;
}

double circularRadius(int n, double spacing)
{
    return std::max(140.0, n * spacing / (2 * kPi));
}

int circularCrossings(const std::vector<int>& slotOf, const std::vector<std::pair<int, int>>& links)
{
    const int n = static_cast<int>(slotOf.size());
    std::vector<std::pair<int, int>> chords;
    for (const auto& [a, b] : links) {
        if (a == b || a < 0 || b < 0 || a >= n || b >= n) continue;
        const int i = slotOf[static_cast<size_t>(a)], j = slotOf[static_cast<size_t>(b)];
        chords.emplace_back(std::min(i, j), std::max(i, j));
    }
    int crossings = 0;
    for (size_t x = 0; x < chords.size(); ++x)
        for (size_t y = x + 1; y < chords.size(); ++y) {
            const auto [a, b] = chords[x];
            const auto [c, d] = chords[y];
            if (a == c || a == d || b == c || b == d) continue; // shared node: no crossing
            if ((a < c && c < b && b < d) || (c < a && a < d && d < b)) ++crossings;
        }
    return crossings;
}

std::vector<int> circularOrder(int n, const std::vector<std::pair<int, int>>& links)
{
    std::vector<int> slot(static_cast<size_t>(std::max(n, 0)));
    std::iota(slot.begin(), slot.end(), 0);
    // A->B and B->A are one chord.
    std::vector<std::pair<int, int>> unique;
    for (const auto& [a, b] : links) {
        const std::pair<int, int> key{std::min(a, b), std::max(a, b)};
        if (std::find(unique.begin(), unique.end(), key) == unique.end()) unique.push_back(key);
    }
    int best = circularCrossings(slot, unique);
    for (int round = 0; round < 20 && best > 0; ++round) {
        bool improved = false;
        for (size_t i = 0; i < slot.size(); ++i)
            for (size_t j = i + 1; j < slot.size(); ++j) {
                std::swap(slot[i], slot[j]);
                const int c = circularCrossings(slot, unique);
                if (c < best) {
                    best = c;
                    improved = true;
                } else {
                    std::swap(slot[i], slot[j]);
                }
            }
        if (!improved) break;
    }
    return slot;
}

namespace {
constexpr double kIdealLength = 170.0; // scene units between linked nodes
constexpr double kGravity = 1.0;
} // namespace

double forceLayoutExtent(int n)
{
    return kIdealLength * (1.0 + std::sqrt(static_cast<double>(std::max(n, 1)))) * 1.2;
}

std::vector<QPointF> forceLayout(int n, const std::vector<std::pair<int, int>>& links, int iterations,
                                 const std::vector<double>& minDistance)
{
    std::vector<QPointF> pos;
    if (n <= 0) return pos;
    const auto un = static_cast<size_t>(n);
    const double k = kIdealLength;
    const double extent = forceLayoutExtent(n);
    auto clear = [&](size_t i) { return i < minDistance.size() ? minDistance[i] : 40.0; };

    // Deterministic start: a sunflower spiral in node order (heaviest in the middle).
    pos.resize(un);
    for (size_t i = 0; i < un; ++i) {
        const double r = k * 0.7 * std::sqrt(static_cast<double>(i) + 0.5);
        const double a = static_cast<double>(i) * kGoldenAngle;
        pos[i] = {r * std::cos(a), r * std::sin(a)};
    }
    std::vector<QPointF> disp(un);
    const double t0 = k * 2.0;
    for (int it = 0; it < iterations; ++it) {
        std::fill(disp.begin(), disp.end(), QPointF());
        // Repulsion k^2/d along the unit vector = (dx,dy) * k^2/d^2: no square root unless
        // the pair is closer than its clearance.
        for (size_t i = 0; i < un; ++i) {
            const double xi = pos[i].x(), yi = pos[i].y(), ci = clear(i);
            double sx = 0, sy = 0;
            for (size_t j = i + 1; j < un; ++j) {
                double dx = xi - pos[j].x(), dy = yi - pos[j].y();
                double d2 = dx * dx + dy * dy;
                if (d2 < 1e-12) {
                    const QPointF u = rotated({1, 0}, static_cast<double>(i * un + j) * kGoldenAngle);
                    dx = u.x() * 1e-6;
                    dy = u.y() * 1e-6;
                    d2 = 1e-12;
                }
                double scale = k * k / d2;
                const double need = ci + clear(j);
                if (d2 < need * need) {
                    const double dist = std::sqrt(d2);
                    scale += (need - dist) * 2.0 / dist;
                }
                sx += dx * scale;
                sy += dy * scale;
                disp[j] -= QPointF(dx * scale, dy * scale);
            }
            disp[i] += QPointF(sx, sy);
        }
        for (const auto& [a, b] : links) {
            if (a == b || a < 0 || b < 0 || a >= n || b >= n) continue;
            const auto ua = static_cast<size_t>(a), ub = static_cast<size_t>(b);
            const QPointF d = pos[ua] - pos[ub];
            const double dist = length(d);
            if (dist < 1e-6) continue;
            const double f = dist * dist / k;
            disp[ua] -= d / dist * f;
            disp[ub] += d / dist * f;
        }
        // Gravity keeps disconnected parts together: balanced against the repulsion of n nodes,
        // it holds the drawing to a disc of radius ~ k * sqrt(n).
        for (size_t i = 0; i < un; ++i) disp[i] -= pos[i] * kGravity;
        const double t = t0 * (1.0 - static_cast<double>(it) / iterations) + 1.0;
        for (size_t i = 0; i < un; ++i) {
            const double l = length(disp[i]);
            if (l > 1e-9) pos[i] += disp[i] / l * std::min(l, t);
            pos[i].setX(std::clamp(pos[i].x(), -extent, extent));
            pos[i].setY(std::clamp(pos[i].y(), -extent, extent));
        }
    }
    // Remove what overlap is left (labels need room), then centre.
    for (int pass = 0; pass < 60; ++pass) {
        bool moved = false;
        for (size_t i = 0; i < un; ++i)
            for (size_t j = i + 1; j < un; ++j) {
                QPointF d = pos[i] - pos[j];
                double dist = length(d);
                const double need = clear(i) + clear(j);
                if (dist >= need) continue;
                d = dist < 1e-6 ? rotated({1, 0}, static_cast<double>(i + j) * kGoldenAngle) : d / dist;
                const double push = (need - dist) / 2 + 0.5;
                pos[i] += d * push;
                pos[j] -= d * push;
                moved = true;
            }
        if (!moved) break;
    }
    QPointF c;
    for (const auto& p : pos) c += p;
    c /= static_cast<double>(n);
    for (auto& p : pos) {
        p -= c;
        p.setX(std::clamp(p.x(), -extent, extent));
        p.setY(std::clamp(p.y(), -extent, extent));
    }
    return pos;
}

void layoutGraph(Graph& graph)
{
    const int n = static_cast<int>(graph.nodes.size());
    std::vector<QPointF> pos;
    std::vector<std::pair<int, int>> links;
    links.reserve(graph.edges.size());
    for (const auto& e : graph.edges) links.emplace_back(e.src, e.dst);
    if (n <= kCircularMaxNodes) {
        const auto circle = circularLayout(n, circularRadius(n));
        const auto slot = circularOrder(n, links);
        for (size_t i = 0; i < slot.size(); ++i) pos.push_back(circle[static_cast<size_t>(slot[i])]);
    } else {
        std::vector<double> clearance;
        for (const auto& node : graph.nodes) clearance.push_back(node.radius + 30.0);
        pos = forceLayout(n, links, 300, clearance);
    }
    for (size_t i = 0; i < graph.nodes.size(); ++i) graph.nodes[i].pos = pos[i];
}

EdgeGeometry edgeGeometry(const Graph& graph, int edge)
{
    EdgeGeometry g;
    const auto& e = graph.edges[static_cast<size_t>(edge)];
    const auto& s = graph.nodes[static_cast<size_t>(e.src)];
    const auto& d = graph.nodes[static_cast<size_t>(e.dst)];
    if (e.src == e.dst) {
        QPointF out = normalized(s.pos, QPointF(0, -1));
        if (out.y() > 0.2) out = QPointF(out.x() >= 0 ? 1 : -1, 0); // not down: the label is there
        const double r = s.radius;
        g.p0 = s.pos + rotated(out, -0.45) * r;
        g.p1 = s.pos + rotated(out, 0.45) * (r + 2);
        g.c1 = s.pos + rotated(out, -0.75) * (r + 75);
        g.c2 = s.pos + rotated(out, 0.75) * (r + 75);
    } else {
        const QPointF v = d.pos - s.pos;
        const double dist = std::max(length(v), 1e-6);
        const QPointF u = normalized(v, QPointF(1, 0));
        const QPointF normal(-u.y(), u.x());
        const double bend = e.reverse >= 0 ? std::clamp(dist * 0.16, 14.0, 60.0) : 0.0;
        const QPointF ctrl = (s.pos + d.pos) / 2 + normal * bend;
        g.p0 = s.pos + normalized(ctrl - s.pos, u) * s.radius;
        g.p1 = d.pos + normalized(ctrl - d.pos, -u) * (d.radius + 2);
        g.c1 = g.p0 + (ctrl - g.p0) * (2.0 / 3.0);
        g.c2 = g.p1 + (ctrl - g.p1) * (2.0 / 3.0);
    }
    g.labelPos = bezierPoint(g, 0.5);
    g.direction = normalized(g.p1 - g.c2, normalized(g.p1 - g.p0, QPointF(1, 0)));
    return g;
}

QPointF bezierPoint(const EdgeGeometry& g, double t)
{
    const double u = 1 - t;
    return g.p0 * (u * u * u) + g.c1 * (3 * u * u * t) + g.c2 * (3 * u * t * t) + g.p1 * (t * t * t);
}

double distanceToSegment(QPointF p, QPointF a, QPointF b)
{
    const QPointF ab = b - a;
    const double len2 = ab.x() * ab.x() + ab.y() * ab.y();
    if (len2 < 1e-12) return length(p - a);
    const double t = std::clamp(((p.x() - a.x()) * ab.x() + (p.y() - a.y()) * ab.y()) / len2, 0.0, 1.0);
    return length(p - (a + ab * t));
}

Hit hitTest(const Graph& graph, QPointF scenePos, double tolerance)
{
    for (size_t i = graph.nodes.size(); i-- > 0;) {
        const auto& n = graph.nodes[i];
        if (length(scenePos - n.pos) <= n.radius + tolerance) return {Hit::Node, static_cast<int>(i)};
    }
    Hit best;
    double bestDist = 0;
    constexpr int kSegments = 24;
    for (size_t i = 0; i < graph.edges.size(); ++i) {
        const auto g = edgeGeometry(graph, static_cast<int>(i));
        const double limit = graph.edges[i].thickness / 2 + tolerance;
        QPointF prev = g.p0;
        double dist = 1e300;
        for (int s = 1; s <= kSegments; ++s) {
            const QPointF cur = bezierPoint(g, static_cast<double>(s) / kSegments);
            dist = std::min(dist, distanceToSegment(scenePos, prev, cur));
            prev = cur;
        }
        if (dist <= limit && (best.kind == Hit::None || dist < bestDist)) {
            best = {Hit::Edge, static_cast<int>(i)};
            bestDist = dist;
        }
    }
    return best;
}

QRectF graphBounds(const Graph& graph)
{
    QRectF r;
    for (const auto& n : graph.nodes) {
        const QRectF nr(n.pos.x() - n.radius, n.pos.y() - n.radius, 2 * n.radius, 2 * n.radius);
        r = r.isNull() ? nr : r.united(nr);
    }
    for (size_t i = 0; i < graph.edges.size(); ++i) {
        if (graph.edges[i].src != graph.edges[i].dst) continue;
        const auto g = edgeGeometry(graph, static_cast<int>(i));
        for (double t = 0; t <= 1.0; t += 0.125) {
            const QPointF p = bezierPoint(g, t);
            r = r.united(QRectF(p - QPointF(1, 1), QSizeF(2, 2)));
        }
    }
    return r;
}

} // namespace ui
