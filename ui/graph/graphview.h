#pragma once
// The attachment graph widget: draws a laid-out Graph (graphpaint.h), zoom around the cursor
// (wheel), pan (drag on empty space), drag nodes, fit, hover tooltips, click signals. No data
// access: the page gives it a Graph and reacts to clicks. GUI thread only.
#include "ui/graph/graphlegend.h"
#include "ui/graph/graphpaint.h"
#include "ui/logic/graphlayout.h"

#include <QHash>
#include <QSet>
#include <QWidget>

namespace ui {

/// Tooltip HTML: a node's in/out totals and drops; an edge's both directions.
QString nodeTooltip(const Graph& graph, int node, const QHash<QString, QString>& labels);
QString edgeTooltip(const Graph& graph, int edge, const QHash<QString, QString>& labels);

class GraphView : public QWidget {
    Q_OBJECT
public:
    explicit GraphView(QWidget* parent = nullptr);

    /// Shows `graph` (positions already set). `fit`: refit the view; else keep zoom/pan.
    void setGraph(Graph graph, bool fit);
    const Graph& graph() const { return m_graph; }

    void setLabels(const QHash<QString, QString>& labels);
    const QHash<QString, QString>& labels() const { return m_options.labels; }
    void setSelection(const GraphSelection& selection);
    /// Nodes matching the find box: highlighted with their edges, the rest dimmed.
    void setFound(const QSet<QString>& ids);
    const QSet<QString>& found() const { return m_options.found; }
    void setEmptyText(const QString& text);
    /// Per-edge look while comparing (graphdiff.h); empty clears.
    void setDecorations(const QHash<QPair<QString, QString>, EdgeDecoration>& decorations);
    const QHash<QPair<QString, QString>, EdgeDecoration>& decorations() const { return m_options.decorations; }

    /// Scene <-> widget coordinates.
    QPointF mapToScene(const QPointF& widgetPos) const;
    QPointF mapFromScene(const QPointF& scenePos) const;
    /// Widget position of a node's centre / the middle of an edge (tests, automation);
    /// (-1,-1) if not shown.
    QPoint nodePosition(const QString& id) const;
    QPoint edgePosition(const QString& src, const QString& dst) const;
    double zoom() const { return m_viewport.scale; }
    const Viewport& viewport() const { return m_viewport; }
    /// Where the node labels are with the current view (tests: overlap, visibility).
    NodeLabelPlacement labelPlacement() const;
    /// Width / height of the area the graph is drawn in (for the layout).
    double aspect() const;
    /// The legend as drawn now (widget coordinates; no pieces without one). It wraps to the
    /// widget's width, so it is always inside the widget.
    LegendLayout legend() const;
    /// Bounding rect of the nodes and their shown labels as drawn now (widget coordinates).
    QRectF drawnRect() const;
    /// False once the user zoomed or panned: resizing then keeps their view instead of refitting
    /// (Fit or a new layout makes it true again).
    bool autoFit() const { return m_autoFit; }

    /// Renders the whole graph fitted into `size` (export).
    void render(QPainter& painter, const QSizeF& size) const;

public Q_SLOTS:
    void fitToView();

Q_SIGNALS:
    void nodeClicked(const QString& id, Qt::KeyboardModifiers modifiers);
    void edgeClicked(const QString& src, const QString& dst, Qt::KeyboardModifiers modifiers);
    /// The widget changed size (the page may redo the layout for the new shape).
    void resized();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    bool event(QEvent* event) override;

private:
    Hit hitAt(const QPointF& widgetPos) const;
    void setHover(const Hit& hit);
    Viewport fitted(const QRectF& rect) const;

    Graph m_graph;
    GraphPaintOptions m_options;
    Viewport m_viewport;   ///< scene -> widget
    bool m_autoFit = true; ///< refit on resize until the user zooms or pans

    enum class Drag { None, Pending, Node, Pan };
    Drag m_drag = Drag::None;
    Hit m_pressHit;
    QPointF m_pressPos;
    QPointF m_lastPos;
    QPointF m_grabOffset; ///< node centre - press point, scene units
};

} // namespace ui
