#pragma once
// Paints a laid-out Graph with QPainter, for the widget and for PNG/SVG export: edges coloured
// by drop severity, node shapes by kind, labels placed without overlap (graphlabels.h), a
// legend with the scales. Text is drawn at a fixed device size so it stays readable at any
// zoom. GUI thread (or any thread painting on an image).
#include "ui/logic/graphlabels.h"
#include "ui/logic/graphlayout.h"

#include <QColor>
#include <QFont>
#include <QHash>
#include <QPainterPath>
#include <QSet>

class QPainter;
class QPalette;

namespace ui {

/// Colours of the drawing, derived from a palette (dark or light).
struct GraphStyle {
    QColor background, text, mutedText, edge, drop, highlight, halo, nodeBorder, found;
    bool dark = false;
    static GraphStyle fromPalette(const QPalette& palette);
    QColor nodeFill(NodeKind kind) const;
    /// An edge's colour for its drop severity (0..1): the plain edge colour without drops,
    /// then from a light red tint to full red.
    QColor edgeColor(double severity) const;
};

/// Fonts of the drawing (node label, selected node label, small text), from a base font.
struct GraphFonts {
    QFont normal, bold, small;
    static GraphFonts from(const QFont& base);
};

/// What is selected / hovered, by id so it survives a recomputation.
struct GraphSelection {
    QSet<QString> nodes;
    QSet<QPair<QString, QString>> edges; ///< (src, dst)
    bool isEmpty() const { return nodes.isEmpty() && edges.isEmpty(); }
};

/// How a compared edge is drawn (graphdiff.h): its colour and dash replace the drop colour,
/// its label replaces the weight label, its tooltip HTML is added to the edge tooltip.
struct EdgeDecoration {
    QColor color;
    Qt::PenStyle style = Qt::SolidLine;
    QString label;
    QString tooltip;
    QString key; ///< the legend's name for this look ("new", "gone", "grown ▲", "shrunk ▼")
};

struct GraphPaintOptions {
    Hit hover;
    GraphSelection selection;
    QSet<QString> found;            ///< nodes matching the find box: lit with their edges, the rest dimmed
    QHash<QString, QString> labels; ///< display names by id (empty: the id)
    QString emptyText;              ///< drawn centred when the graph has no nodes
    bool legend = true;
    /// Compared edges by (src, dst) of Graph::data; empty when no comparison is active.
    QHash<QPair<QString, QString>, EdgeDecoration> decorations;
};

/// The part of `deviceRect` the graph itself is drawn in: above the legend, whose height
/// depends on the pane's width (graphlegend.h).
QRectF graphArea(const QRectF& deviceRect, const Graph& graph, const GraphPaintOptions& options, const GraphFonts& fonts);

/// Label sizes of every node with these fonts and options (bold when selected).
std::vector<NodeLabelSize> nodeLabelSizes(const Graph& graph, const GraphFonts& fonts, const GraphPaintOptions& options);
/// Nodes whose label must be shown: hovered, selected or found.
std::vector<char> forcedLabels(const Graph& graph, const GraphPaintOptions& options);
/// Second line of a node's label ("1.2 GB", "358 dropped packets", "12 attachments · 3.4 GB").
QString nodeSubLabel(const Graph& graph, int node);

/// Paints `graph` through `view` (scene -> device) into `deviceRect`.
void paintGraph(QPainter& painter, const QRectF& deviceRect, const Graph& graph, const Viewport& view, const GraphStyle& style,
                const GraphPaintOptions& options);

/// The node's outline (shape by kind) around its scene position with `radius`.
QPainterPath nodeShape(NodeKind kind, QPointF centre, double radius);

/// Human label of a node ("no exit (no route / blackhole)" for the attachment sink).
QString nodeDisplayLabel(const Graph& graph, int node, const QHash<QString, QString>& labels);

} // namespace ui
