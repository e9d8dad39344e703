#include "ui/logic/graphlabels.h"

#include <algorithm>
#include <cmath>

namespace ui {
namespace {

bool discMeetsRect(QPointF c, double r, const QRectF& rect)
{
    const double x = std::clamp(c.x(), rect.left(), rect.right());
    const double y = std::clamp(c.y(), rect.top(), rect.bottom());
    const double dx = c.x() - x, dy = c.y() - y;
    return dx * dx + dy * dy < r * r;
}

/// A rectangle of `size` hanging off `anchor` on the side `u` points to.
QRectF anchored(QPointF anchor, QSizeF size, QPointF u)
{
    double x = anchor.x() - size.width() / 2, y = anchor.y() - size.height() / 2;
    if (u.x() > 0.38) x = anchor.x();
    else if (u.x() < -0.38) x = anchor.x() - size.width();
    if (u.y() > 0.38) y = anchor.y();
    else if (u.y() < -0.38) y = anchor.y() - size.height();
    return {QPointF(x, y), size};
}

} // namespace

double deviceRadius(const GraphNode& node, double scale)
{
    return std::max(node.radius * scale, 2.5);
}

LabelSpace::LabelSpace(const QRectF& bounds, double cell)
    : m_bounds(bounds), m_cell(cell), m_cols(std::max(1, static_cast<int>(std::ceil(bounds.width() / cell)))),
      m_rows(std::max(1, static_cast<int>(std::ceil(bounds.height() / cell)))), m_rectCells(static_cast<size_t>(m_cols * m_rows)),
      m_discCells(static_cast<size_t>(m_cols * m_rows))
{
}

void LabelSpace::cellsOf(const QRectF& r, int* x0, int* y0, int* x1, int* y1) const
{
    auto cx = [&](double x) { return std::clamp(static_cast<int>(std::floor((x - m_bounds.left()) / m_cell)), 0, m_cols - 1); };
    auto cy = [&](double y) { return std::clamp(static_cast<int>(std::floor((y - m_bounds.top()) / m_cell)), 0, m_rows - 1); };
    *x0 = cx(r.left());
    *x1 = cx(r.right());
    *y0 = cy(r.top());
    *y1 = cy(r.bottom());
}

bool LabelSpace::isFree(const QRectF& r) const
{
    if (!m_bounds.contains(r)) return false;
    int x0, y0, x1, y1;
    cellsOf(r, &x0, &y0, &x1, &y1);
    for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x) {
            const auto cell = static_cast<size_t>(y * m_cols + x);
            for (int i : m_rectCells[cell])
                if (m_rects[static_cast<size_t>(i)].intersects(r)) return false;
            for (int i : m_discCells[cell]) {
                const Disc& d = m_discs[static_cast<size_t>(i)];
                if (discMeetsRect(d.c, d.r, r)) return false;
            }
        }
    return true;
}

void LabelSpace::claim(const QRectF& r)
{
    const int index = static_cast<int>(m_rects.size());
    m_rects.push_back(r);
    int x0, y0, x1, y1;
    cellsOf(r, &x0, &y0, &x1, &y1);
    for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x) m_rectCells[static_cast<size_t>(y * m_cols + x)].push_back(index);
}

void LabelSpace::claimDisc(QPointF centre, double radius)
{
    const int index = static_cast<int>(m_discs.size());
    m_discs.push_back({centre, radius});
    int x0, y0, x1, y1;
    cellsOf(QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius), &x0, &y0, &x1, &y1);
    for (int y = y0; y <= y1; ++y)
        for (int x = x0; x <= x1; ++x) m_discCells[static_cast<size_t>(y * m_cols + x)].push_back(index);
}

int NodeLabelPlacement::shownCount() const
{
    return static_cast<int>(std::count_if(rects.begin(), rects.end(), [](const QRectF& r) { return !r.isNull(); }));
}

NodeLabelPlacement placeNodeLabels(const Graph& graph, const Viewport& view, const std::vector<NodeLabelSize>& sizes,
                                   const QRectF& bounds, const std::vector<char>& forced, LabelSpace* space)
{
    const size_t n = graph.nodes.size();
    NodeLabelPlacement out;
    out.rects.resize(n);
    out.full.resize(n, 0);
    LabelSpace local(bounds);
    LabelSpace& taken = space ? *space : local;
    QRectF nodeBox;
    std::vector<QPointF> centre(n);
    std::vector<double> radius(n);
    for (size_t i = 0; i < n; ++i) {
        centre[i] = view.map(graph.nodes[i].pos);
        radius[i] = deviceRadius(graph.nodes[i], view.scale);
        taken.claimDisc(centre[i], radius[i] + 1.0);
        nodeBox |= QRectF(centre[i].x() - radius[i], centre[i].y() - radius[i], 2 * radius[i], 2 * radius[i]);
    }
    const QPointF middle = nodeBox.center();

    std::vector<size_t> order;
    for (size_t i = 0; i < n; ++i)
        if (i < forced.size() && forced[i]) order.push_back(i);
    for (size_t i = 0; i < n; ++i)
        if (!(i < forced.size() && forced[i])) order.push_back(i);

    static const QPointF kSides[] = {{0, 1}, {0, -1}, {1, 0}, {-1, 0}};
    for (size_t i : order) {
        if (i >= sizes.size()) continue;
        const bool must = i < forced.size() && forced[i];
        const QPointF out0 = normalizedVector(centre[i] - middle, QPointF(0, 1));
        const double gap = radius[i] + 3.0;
        QRectF chosen;
        bool chosenFull = false;
        for (int pass = 0; pass < 2 && chosen.isNull(); ++pass) {
            const QSizeF size = pass == 0 ? sizes[i].full : sizes[i].nameOnly;
            if (size.isEmpty()) continue;
            std::vector<QRectF> candidates;
            candidates.push_back(anchored(centre[i] + out0 * gap, size, out0));
            for (const QPointF& u : kSides) candidates.push_back(anchored(centre[i] + u * gap, size, u));
            candidates.push_back(anchored(centre[i] + out0 * (gap + size.height()), size, out0));
            candidates.push_back(anchored(centre[i] + out0 * (gap + 2 * size.height()), size, out0));
            for (const QRectF& c : candidates)
                if (taken.isFree(c)) {
                    chosen = c;
                    chosenFull = pass == 0;
                    break;
                }
        }
        if (chosen.isNull() && must) {
            chosen = anchored(centre[i] + out0 * gap, sizes[i].full, out0);
            chosenFull = true;
        }
        if (chosen.isNull()) continue;
        taken.claim(chosen);
        out.rects[i] = chosen;
        out.full[i] = chosenFull ? 1 : 0;
    }
    return out;
}

QRectF drawnBounds(const Graph& graph, const Viewport& view, const NodeLabelPlacement& labels)
{
    QRectF box;
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
        const QPointF c = view.map(graph.nodes[i].pos);
        const double r = deviceRadius(graph.nodes[i], view.scale);
        box |= QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r);
        if (i < labels.rects.size() && !labels.rects[i].isNull()) box |= labels.rects[i];
    }
    return box;
}

Viewport fitGraph(const Graph& graph, const QRectF& deviceRect, const std::vector<NodeLabelSize>& sizes, double maxScale)
{
    const QRectF scene = graphBounds(graph);
    double widest = 0, line = 0;
    for (const auto& s : sizes) {
        widest = std::max(widest, s.full.width());
        line = std::max(line, s.full.height());
    }
    FitMargins m;
    m.left = m.right = std::min(widest, 180.0) * 0.7 + 6;
    m.top = m.bottom = line + 6;
    const FitMargins first = m;
    Viewport v = fitViewport(scene, deviceRect, m, maxScale);
    // Labels may be placed anywhere inside the pane; measure how far beyond the nodes they
    // reach and make exactly that room.
    for (int pass = 0; pass < 3; ++pass) {
        const auto labels = placeNodeLabels(graph, v, sizes, deviceRect, {});
        QRectF nodes;
        for (const auto& node : graph.nodes) {
            const QPointF c = v.map(node.pos);
            const double r = deviceRadius(node, v.scale);
            nodes |= QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r);
        }
        const QRectF drawn = drawnBounds(graph, v, labels);
        FitMargins next;
        next.left = std::max(4.0, nodes.left() - drawn.left() + 4);
        next.right = std::max(4.0, drawn.right() - nodes.right() + 4);
        next.top = std::max(4.0, nodes.top() - drawn.top() + 4);
        next.bottom = std::max(4.0, drawn.bottom() - nodes.bottom() + 4);
        // Labels were placed inside the pane, so the real need may be larger than measured on
        // a side where they hit its border: never go below the first guess (one full label).
        next.left = std::max(next.left, first.left);
        next.right = std::max(next.right, first.right);
        next.top = std::max(next.top, first.top);
        next.bottom = std::max(next.bottom, first.bottom);
        m = next;
        v = fitViewport(scene, deviceRect, m, maxScale);
    }
    return v;
}

} // namespace ui
