#pragma once
// Draws a laid-out Graph (graphlayout.h) with QPainter: zoom around the cursor (wheel), pan
// (drag on empty space), drag nodes, fit, hover tooltips, click signals. No data access: the
// page gives it a Graph and reacts to clicks. GUI thread only.
#include "ui/logic/graphlayout.h"

#include <QHash>
#include <QSet>
#include <QTransform>
#include <QWidget>

class QPainter;

namespace ui {

/// Colours and fonts of the drawing, derived from a palette (dark or light).
struct GraphStyle {
    QColor background, text, mutedText, edge, drop, highlight, halo, nodeBorder;
    bool dark = false;
    static GraphStyle fromPalette(const QPalette& palette);
    QColor nodeFill(NodeKind kind) const;
};

/// What is selected / hovered, by id so it survives a recomputation.
struct GraphSelection {
    QSet<QString> nodes;
    QSet<QPair<QString, QString>> edges; ///< (src, dst)
    bool isEmpty() const { return nodes.isEmpty() && edges.isEmpty(); }
};

/// Paints `graph` through `toWidget` (scene -> device coordinates). Text is drawn at a fixed
/// device size so it stays readable at any zoom. Used by the widget and by PNG/SVG export.
struct GraphPaintOptions {
    Hit hover;
    GraphSelection selection;
    QHash<QString, QString> labels; ///< display names by id (empty: the id)
    QString emptyText;              ///< drawn centred when the graph has no nodes
    bool legend = true;
};
void paintGraph(QPainter& painter, const QRectF& deviceRect, const Graph& graph, const QTransform& toDevice,
                const GraphStyle& style, const GraphPaintOptions& options);

/// Scene -> device transform that fits the graph (with label margins) into `deviceRect`,
/// never magnifying beyond `maxScale`.
QTransform fitTransform(const Graph& graph, const QRectF& deviceRect, double maxScale = 1.6);

/// Human label of a node ("no exit (no route / blackhole)" for the attachment sink).
QString nodeDisplayLabel(const Graph& graph, int node, const QHash<QString, QString>& labels);
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
    void setEmptyText(const QString& text);

    /// Scene <-> widget coordinates.
    QPointF mapToScene(const QPointF& widgetPos) const;
    QPointF mapFromScene(const QPointF& scenePos) const;
    /// Widget position of a node's centre / the middle of an edge (tests, automation);
    /// (-1,-1) if not shown.
    QPoint nodePosition(const QString& id) const;
    QPoint edgePosition(const QString& src, const QString& dst) const;
    double zoom() const { return m_transform.m11(); }

    /// Renders the whole graph fitted into `size` (export).
    void render(QPainter& painter, const QSizeF& size) const;

public Q_SLOTS:
    void fitToView();

Q_SIGNALS:
    void nodeClicked(const QString& id, Qt::KeyboardModifiers modifiers);
    void edgeClicked(const QString& src, const QString& dst, Qt::KeyboardModifiers modifiers);

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

    Graph m_graph;
    GraphPaintOptions m_options;
    QTransform m_transform; ///< scene -> widget
    bool m_autoFit = true;  ///< refit on resize until the user zooms or pans

    enum class Drag { None, Pending, Node, Pan };
    Drag m_drag = Drag::None;
    Hit m_pressHit;
    QPointF m_pressPos;
    QPointF m_lastPos;
    QPointF m_grabOffset; ///< node centre - press point, scene units
};

} // namespace ui
