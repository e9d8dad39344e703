#include "ui/logic/graphgeometry.h"

#include <algorithm>
#include <cmath>

namespace ui {

double vectorLength(QPointF v)
{
    return std::sqrt(v.x() * v.x() + v.y() * v.y());
}

QPointF normalizedVector(QPointF v, QPointF fallback)
{
    const double l = vectorLength(v);
    return l > 1e-9 ? v / l : fallback;
}

QPointF rotatedVector(QPointF v, double angle)
{
    const double c = std::cos(angle), s = std::sin(angle);
    return {v.x() * c - v.y() * s, v.x() * s + v.y() * c};
}

EdgeGeometry edgeGeometry(const Graph& graph, int edge)
{
    EdgeGeometry g;
    const auto& e = graph.edges[static_cast<size_t>(edge)];
    const auto& s = graph.nodes[static_cast<size_t>(e.src)];
    const auto& d = graph.nodes[static_cast<size_t>(e.dst)];
    if (e.src == e.dst) {
        QPointF out = normalizedVector(s.pos, QPointF(0, -1));
        if (out.y() > 0.2) out = QPointF(out.x() >= 0 ? 1 : -1, 0); // not down: the label is there
        const double r = s.radius;
        g.p0 = s.pos + rotatedVector(out, -0.45) * r;
        g.p1 = s.pos + rotatedVector(out, 0.45) * (r + 2);
        g.c1 = s.pos + rotatedVector(out, -0.75) * (r + 75);
        g.c2 = s.pos + rotatedVector(out, 0.75) * (r + 75);
    } else {
        const QPointF v = d.pos - s.pos;
        const double dist = std::max(vectorLength(v), 1e-6);
        const QPointF u = normalizedVector(v, QPointF(1, 0));
        const QPointF normal(-u.y(), u.x());
        const double bend = e.reverse >= 0 ? std::clamp(dist * 0.16, 14.0, 60.0) : 0.0;
        const QPointF ctrl = (s.pos + d.pos) / 2 + normal * bend;
        g.p0 = s.pos + normalizedVector(ctrl - s.pos, u) * s.radius;
        g.p1 = d.pos + normalizedVector(ctrl - d.pos, -u) * (d.radius + 2);
        g.c1 = g.p0 + (ctrl - g.p0) * (2.0 / 3.0);
        g.c2 = g.p1 + (ctrl - g.p1) * (2.0 / 3.0);
    }
    g.labelPos = bezierPoint(g, 0.5);
    g.direction = normalizedVector(g.p1 - g.c2, normalizedVector(g.p1 - g.p0, QPointF(1, 0)));
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
    if (len2 < 1e-12) return vectorLength(p - a);
    const double t = std::clamp(((p.x() - a.x()) * ab.x() + (p.y() - a.y()) * ab.y()) / len2, 0.0, 1.0);
    return vectorLength(p - (a + ab * t));
}

Hit hitTest(const Graph& graph, QPointF scenePos, double tolerance)
{
    for (size_t i = graph.nodes.size(); i-- > 0;) {
        const auto& n = graph.nodes[i];
        if (vectorLength(scenePos - n.pos) <= n.radius + tolerance) return {Hit::Node, static_cast<int>(i)};
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

Viewport fitViewport(const QRectF& sceneBounds, const QRectF& deviceRect, const FitMargins& margins, double maxScale)
{
    // In a pane narrower (or shorter) than its label margins, the margins give way: they never
    // take more than 60 % of it, so the nodes stay inside (labels are placed inside the pane or
    // hidden). Before, the nodes were centred 20 px past the left margin, off the pane's right.
    FitMargins m = margins;
    const auto cap = [](double& a, double& b, double extent) {
        const double most = 0.6 * std::max(0.0, extent);
        if (a + b > most && a + b > 0) {
            const double f = most / (a + b);
            a *= f;
            b *= f;
        }
    };
    cap(m.left, m.right, deviceRect.width());
    cap(m.top, m.bottom, deviceRect.height());
    const double availW = std::max(1.0, deviceRect.width() - m.left - m.right);
    const double availH = std::max(1.0, deviceRect.height() - m.top - m.bottom);
    double scale = maxScale;
    if (sceneBounds.width() > 1e-6) scale = std::min(scale, availW / sceneBounds.width());
    if (sceneBounds.height() > 1e-6) scale = std::min(scale, availH / sceneBounds.height());
    scale = std::max(scale, 0.02);
    const QPointF areaCenter(deviceRect.left() + m.left + availW / 2, deviceRect.top() + m.top + availH / 2);
    const QPointF c = sceneBounds.isNull() ? QPointF() : sceneBounds.center();
    Viewport v;
    v.scale = scale;
    v.offset = areaCenter - c * scale;
    return v;
}

} // namespace ui
