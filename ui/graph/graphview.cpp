#include "ui/graph/graphview.h"

#include <QApplication>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace ui {
namespace {

QString td(const QString& s, bool right = true)
{
    return QStringLiteral("<td%1>%2</td>").arg(right ? QStringLiteral(" align=right") : QString(), s);
}

const core::Edge* findData(const Graph& g, const QString& src, const QString& dst)
{
    for (const auto& e : g.data)
        if (e.src == src && e.dst == dst) return &e;
    return nullptr;
}

} // namespace

QString nodeTooltip(const Graph& graph, int node, const QHash<QString, QString>& labels)
{
    const auto& n = graph.nodes[static_cast<size_t>(node)];
    core::Edge out, in;
    int outEdges = 0, inEdges = 0;
    for (const auto& e : graph.data) {
        if (e.src == n.id) {
            out.flows += e.flows;
            out.packets += e.packets;
            out.bytes += e.bytes;
            for (int r = 0; r < core::LostReasonCount; ++r) out.lost[static_cast<size_t>(r)] += e.lost[static_cast<size_t>(r)];
            ++outEdges;
        }
        if (e.dst == n.id) {
            in.flows += e.flows;
            in.packets += e.packets;
            in.bytes += e.bytes;
            for (int r = 0; r < core::LostReasonCount; ++r) in.lost[static_cast<size_t>(r)] += e.lost[static_cast<size_t>(r)];
            ++inEdges;
        }
    }
    const QString label = nodeDisplayLabel(graph, node, labels);
    QString html = QStringLiteral("<b>%1</b>").arg(label.toHtmlEscaped());
    if (labels.contains(n.id) && !label.contains(n.id)) html += QStringLiteral("<br>%1").arg(n.id.toHtmlEscaped());
    html += QStringLiteral("<br><i>%1</i>").arg(nodeKindName(n.kind));
    html += QStringLiteral("<table cellspacing=0 cellpadding=2><tr><th></th><th align=right>sent</th>"
                           "<th align=right>received</th></tr>");
    auto row = [&](const QString& name, qint64 a, qint64 b, bool bytes = false) {
        html += QStringLiteral("<tr>") + td(name, false) + td(bytes ? formatBytes(a) : formatInteger(a))
                + td(bytes ? formatBytes(b) : formatInteger(b)) + QStringLiteral("</tr>");
    };
    row(QStringLiteral("flows"), out.flows, in.flows);
    row(QStringLiteral("packets"), out.packets, in.packets);
    row(QStringLiteral("bytes"), out.bytes, in.bytes, true);
    row(QStringLiteral("peers"), outEdges, inEdges);
    static const char* const reasons[] = {"lost: no route", "lost: blackhole", "lost: MTU exceeded", "lost: TTL expired"};
    for (int r = 0; r < core::LostReasonCount; ++r) {
        const auto ur = static_cast<size_t>(r);
        if (out.lost[ur] || in.lost[ur]) row(QLatin1String(reasons[r]), out.lost[ur], in.lost[ur]);
    }
    html += QStringLiteral("</table>");
    if (n.kind == NodeKind::Group) html += QStringLiteral("<i>Click: expand the group</i>");
    return html;
}

QString edgeTooltip(const Graph& graph, int edge, const QHash<QString, QString>& labels)
{
    const auto& ge = graph.edges[static_cast<size_t>(edge)];
    const auto& fwd = graph.data[static_cast<size_t>(ge.data)];
    const core::Edge* rev = fwd.src == fwd.dst ? nullptr : findData(graph, fwd.dst, fwd.src);
    const QString a = nodeDisplayLabel(graph, ge.src, labels).toHtmlEscaped();
    const QString b = nodeDisplayLabel(graph, ge.dst, labels).toHtmlEscaped();
    QString html = QStringLiteral("<b>%1 &rarr; %2</b>").arg(a, b);
    html += QStringLiteral("<table cellspacing=0 cellpadding=2><tr><th></th><th align=right>%1 &rarr; %2</th>").arg(a, b);
    if (rev) html += QStringLiteral("<th align=right>%1 &rarr; %2</th>").arg(b, a);
    html += QStringLiteral("</tr>");
    auto row = [&](const QString& name, qint64 x, qint64 y, bool bytes = false, bool isDrop = false) {
        auto fmt = [&](qint64 v) {
            const QString t = bytes ? formatBytes(v) : formatInteger(v);
            return isDrop && v > 0 ? QStringLiteral("<font color=#d02020><b>%1</b></font>").arg(t) : t;
        };
        html += QStringLiteral("<tr>") + td(name, false) + td(fmt(x));
        if (rev) html += td(fmt(y));
        html += QStringLiteral("</tr>");
    };
    const core::Edge none;
    const core::Edge& r = rev ? *rev : none;
    row(QStringLiteral("flows"), fwd.flows, r.flows);
    row(QStringLiteral("packets"), fwd.packets, r.packets);
    row(QStringLiteral("bytes"), fwd.bytes, r.bytes, true);
    static const char* const reasons[] = {"lost: no route", "lost: blackhole", "lost: MTU exceeded", "lost: TTL expired"};
    for (int i = 0; i < core::LostReasonCount; ++i) {
        const auto ui = static_cast<size_t>(i);
        row(QLatin1String(reasons[i]), fwd.lost[ui], r.lost[ui], false, true);
    }
    html += QStringLiteral("<tr>") + td(QStringLiteral("share dropped"), false) + td(formatShare(dropShare(fwd)));
    if (rev) html += td(formatShare(dropShare(r)));
    html += QStringLiteral("</tr>");
    const bool group = isGroupId(fwd.src) || isGroupId(fwd.dst);
    html += group ? QStringLiteral("</table><i>Click: expand the group</i>")
                  : QStringLiteral("</table><i>Click: filter on this direction; Shift/Ctrl+click: add to selection</i>");
    return html;
}

GraphView::GraphView(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(200, 150);
    setAutoFillBackground(false);
}

void GraphView::setGraph(Graph graph, bool fit)
{
    m_graph = std::move(graph);
    m_options.hover = {};
    m_drag = Drag::None;
    if (fit) {
        m_autoFit = true;
        m_viewport = fitted(rect());
    }
    update();
}

void GraphView::setLabels(const QHash<QString, QString>& labels)
{
    m_options.labels = labels;
    update();
}

void GraphView::setSelection(const GraphSelection& selection)
{
    m_options.selection = selection;
    update();
}

void GraphView::setFound(const QSet<QString>& ids)
{
    if (ids == m_options.found) return;
    m_options.found = ids;
    update();
}

Viewport GraphView::fitted(const QRectF& r) const
{
    const GraphFonts fonts = GraphFonts::from(font());
    GraphPaintOptions options = m_options;
    options.hover = {};
    return fitGraph(m_graph, graphArea(r, m_graph, options, fonts), nodeLabelSizes(m_graph, fonts, options));
}

NodeLabelPlacement GraphView::labelPlacement() const
{
    const GraphFonts fonts = GraphFonts::from(font());
    return placeNodeLabels(m_graph, m_viewport, nodeLabelSizes(m_graph, fonts, m_options),
                           graphArea(rect(), m_graph, m_options, fonts), forcedLabels(m_graph, m_options));
}

double GraphView::aspect() const
{
    const QRectF area = graphArea(rect(), m_graph, m_options, GraphFonts::from(font()));
    if (area.width() < 50 || area.height() < 50) return 1.6;
    return area.width() / area.height();
}

LegendLayout GraphView::legend() const
{
    return layoutLegend(m_graph, m_options, GraphFonts::from(font()), rect());
}

QRectF GraphView::drawnRect() const
{
    return drawnBounds(m_graph, m_viewport, labelPlacement());
}

void GraphView::setEmptyText(const QString& text)
{
    m_options.emptyText = text;
    update();
}

void GraphView::setDecorations(const QHash<QPair<QString, QString>, EdgeDecoration>& decorations)
{
    m_options.decorations = decorations;
    update();
}

QPointF GraphView::mapToScene(const QPointF& widgetPos) const
{
    return m_viewport.unmap(widgetPos);
}

QPointF GraphView::mapFromScene(const QPointF& scenePos) const
{
    return m_viewport.map(scenePos);
}

QPoint GraphView::nodePosition(const QString& id) const
{
    const int i = m_graph.findNode(id);
    if (i < 0) return {-1, -1};
    return mapFromScene(m_graph.nodes[static_cast<size_t>(i)].pos).toPoint();
}

QPoint GraphView::edgePosition(const QString& src, const QString& dst) const
{
    const int i = m_graph.findEdge(src, dst);
    if (i < 0) return {-1, -1};
    return mapFromScene(bezierPoint(edgeGeometry(m_graph, i), 0.5)).toPoint();
}

void GraphView::render(QPainter& painter, const QSizeF& size) const
{
    const QRectF r(QPointF(0, 0), size);
    GraphPaintOptions options = m_options;
    options.hover = {};
    QPainter& p = painter;
    p.save();
    p.setFont(font());
    paintGraph(p, r, m_graph, fitted(r), GraphStyle::fromPalette(palette()), options);
    p.restore();
}

void GraphView::fitToView()
{
    m_autoFit = true;
    m_viewport = fitted(rect());
    update();
}

void GraphView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paintGraph(p, rect(), m_graph, m_viewport, GraphStyle::fromPalette(palette()), m_options);
}

void GraphView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    if (m_autoFit) m_viewport = fitted(rect());
    Q_EMIT resized();
}

void GraphView::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) return;
    const double factor = std::pow(1.2, steps);
    const double newScale = std::clamp(zoom() * factor, 0.02, 20.0);
    const double f = newScale / zoom();
    const QPointF cursor = event->position();
    const QPointF scenePt = mapToScene(cursor);
    if (f != 1.0) {
        m_viewport.scale = newScale;
        m_viewport.offset = cursor - scenePt * newScale;
        m_autoFit = false;
        update();
    }
    event->accept();
}

Hit GraphView::hitAt(const QPointF& widgetPos) const
{
    return hitTest(m_graph, mapToScene(widgetPos), 4.0 / std::max(zoom(), 1e-6));
}

void GraphView::setHover(const Hit& hit)
{
    if (hit == m_options.hover) return;
    m_options.hover = hit;
    setCursor(hit.kind == Hit::None ? Qt::ArrowCursor : Qt::PointingHandCursor);
    update();
}

void GraphView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
    m_pressPos = m_lastPos = event->position();
    m_pressHit = hitAt(event->position());
    m_drag = Drag::Pending;
    if (m_pressHit.kind == Hit::Node)
        m_grabOffset = m_graph.nodes[static_cast<size_t>(m_pressHit.index)].pos - mapToScene(event->position());
    event->accept();
}

void GraphView::mouseMoveEvent(QMouseEvent* event)
{
    const QPointF pos = event->position();
    if (m_drag == Drag::None) {
        setHover(hitAt(pos));
        return;
    }
    if (m_drag == Drag::Pending) {
        if ((pos - m_pressPos).manhattanLength() < QApplication::startDragDistance()) return;
        m_drag = m_pressHit.kind == Hit::Node ? Drag::Node : Drag::Pan;
        QToolTip::hideText();
        setCursor(m_drag == Drag::Node ? Qt::ClosedHandCursor : Qt::SizeAllCursor);
    }
    if (m_drag == Drag::Node) {
        m_graph.nodes[static_cast<size_t>(m_pressHit.index)].pos = mapToScene(pos) + m_grabOffset;
    } else {
        const QPointF d = pos - m_lastPos;
        m_viewport.offset += d;
        m_autoFit = false;
    }
    m_lastPos = pos;
    update();
}

void GraphView::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) return QWidget::mouseReleaseEvent(event);
    const Drag drag = m_drag;
    m_drag = Drag::None;
    setCursor(Qt::ArrowCursor);
    if (drag != Drag::Pending) return;
    const Hit hit = m_pressHit;
    if (hit.kind == Hit::Node) {
        Q_EMIT nodeClicked(m_graph.nodes[static_cast<size_t>(hit.index)].id, event->modifiers());
    } else if (hit.kind == Hit::Edge) {
        const auto& e = m_graph.data[static_cast<size_t>(m_graph.edges[static_cast<size_t>(hit.index)].data)];
        Q_EMIT edgeClicked(e.src, e.dst, event->modifiers());
    }
}

void GraphView::leaveEvent(QEvent* event)
{
    setHover({});
    QWidget::leaveEvent(event);
}

bool GraphView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const Hit hit = hitAt(help->pos());
        QString text;
        if (hit.kind == Hit::Node) text = nodeTooltip(m_graph, hit.index, m_options.labels);
        else if (hit.kind == Hit::Edge) {
            text = edgeTooltip(m_graph, hit.index, m_options.labels);
            const auto& d = m_graph.data[static_cast<size_t>(m_graph.edges[static_cast<size_t>(hit.index)].data)];
            const auto it = m_options.decorations.constFind({d.src, d.dst});
            if (it != m_options.decorations.constEnd()) text += it->tooltip;
        }
        if (text.isEmpty()) {
            QToolTip::hideText();
            event->ignore();
        } else {
            QToolTip::showText(help->globalPos(), text, this);
        }
        return true;
    }
    return QWidget::event(event);
}

} // namespace ui
