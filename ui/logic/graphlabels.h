#pragma once
// Where the attachment graph's labels go, in device units (text is drawn at a fixed size
// whatever the zoom): every label takes the first of its candidate places that overlaps no
// other label and no node; a label with no free place is hidden (hover shows it, and zooming
// in makes room). Also the fit that keeps the shown labels inside the pane. Text sizes come
// from the caller (font metrics), so this stays widget-free. Pure functions; any thread.
#include "ui/logic/graphgeometry.h"

#include <QRectF>
#include <QSizeF>
#include <vector>

namespace ui {

/// Device radius a node is drawn with at `scale` (never below 2.5 px so small nodes stay visible).
double deviceRadius(const GraphNode& node, double scale);

/// Rectangles and discs already claimed, with a bucket grid so a test costs what is nearby.
class LabelSpace {
public:
    explicit LabelSpace(const QRectF& bounds, double cell = 64.0);
    /// True if `r` is inside the bounds and meets no claimed rectangle or disc.
    bool isFree(const QRectF& r) const;
    void claim(const QRectF& r);
    void claimDisc(QPointF centre, double radius);

private:
    struct Disc {
        QPointF c;
        double r;
    };
    void cellsOf(const QRectF& r, int* x0, int* y0, int* x1, int* y1) const;
    QRectF m_bounds;
    double m_cell;
    int m_cols, m_rows;
    std::vector<QRectF> m_rects;
    std::vector<Disc> m_discs;
    std::vector<std::vector<int>> m_rectCells; ///< per cell: indices into m_rects
    std::vector<std::vector<int>> m_discCells; ///< per cell: indices into m_discs
};

/// A node label's size: two lines (name over traffic) and the name alone.
struct NodeLabelSize {
    QSizeF full;
    QSizeF nameOnly;
};

struct NodeLabelPlacement {
    std::vector<QRectF> rects; ///< per node, device units; a null rect: hidden
    std::vector<char> full;    ///< per node: both lines shown (else the name only)
    int shownCount() const;
};

/// Places node labels around their nodes drawn through `view`: first the `forced` ones
/// (hovered, selected, found: always shown, on the freest candidate), then the others in node
/// order (heaviest first). Candidates, two lines before one: away from the drawing's centre,
/// below, above, right, left, and one step further away. Shown labels never overlap each
/// other, a node disc or leave `bounds` (forced ones excepted when nothing is free).
/// `space` receives the claimed rectangles (for edge labels placed afterwards).
NodeLabelPlacement placeNodeLabels(const Graph& graph, const Viewport& view, const std::vector<NodeLabelSize>& sizes,
                                   const QRectF& bounds, const std::vector<char>& forced, LabelSpace* space = nullptr);

/// The viewport that fits the nodes and the labels placeNodeLabels shows into `deviceRect`
/// (a few passes: each refits with the room the last pass's labels needed beyond the nodes).
Viewport fitGraph(const Graph& graph, const QRectF& deviceRect, const std::vector<NodeLabelSize>& sizes, double maxScale = 1.6);

/// Bounding box (device) of the node discs and the shown labels.
QRectF drawnBounds(const Graph& graph, const Viewport& view, const NodeLabelPlacement& labels);

} // namespace ui
