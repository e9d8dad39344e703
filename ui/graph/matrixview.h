#pragma once
// The attachment matrix widget: entry attachments as rows, exit attachments as columns, each
// cell coloured by the chosen measure on a log scale (drop share: the graph's severity scale).
// Cells are painted through a one-pixel-per-cell image, so 500 x 500 draws as fast as 5 x 5.
// Wheel zooms around the cursor, drag pans, hover shows the numbers, a click on a cell or a
// row / column header emits the pair or the attachment (the page filters exactly as for a
// graph click). GUI thread only.
#include "ui/graph/graphpaint.h"
#include "ui/graph/matrixdiff.h"
#include "ui/logic/graphmatrix.h"

#include <QImage>
#include <QWidget>

namespace ui {

class MatrixView : public QWidget {
    Q_OBJECT
public:
    explicit MatrixView(QWidget* parent = nullptr);

    MatrixModel* model() const { return m_model; }
    /// Shows `matrix` (keeps zoom and pan when `fit` is false).
    void setMatrix(TrafficMatrix matrix, bool fit);
    void setLabels(const QHash<QString, QString>& labels);
    void setSelection(const GraphSelection& selection);
    void setFound(const QSet<QString>& ids);
    /// The comparison's looks by (entry, exit) pair (graphdiff.h diffDecorations); empty: none.
    void setDecorations(EdgeDecorations decorations);
    const EdgeDecorations& decorations() const { return m_decorations; }
    /// The tooltip of a cell (HTML with the comparison's table when the pair is marked); empty
    /// when (src, dst) is not a cell.
    QString cellToolTip(const QString& src, const QString& dst) const;

    /// Widget position of a cell's centre / a header's centre, (-1,-1) if not on screen.
    QPoint cellPosition(const QString& src, const QString& dst) const;
    QPoint rowHeaderPosition(const QString& id) const;
    QPoint columnHeaderPosition(const QString& id) const;
    /// Size of a cell in device pixels at the current zoom.
    QSizeF cellSize() const;

    /// Paints the whole matrix fitted into `size` (export, benchmarks).
    void render(QPainter& painter, const QSizeF& size) const;

public Q_SLOTS:
    void fitToView();

Q_SIGNALS:
    void cellClicked(const QString& src, const QString& dst, Qt::KeyboardModifiers modifiers);
    /// A row (entry) or column (exit) header was clicked.
    void headerClicked(const QString& id, Qt::KeyboardModifiers modifiers);

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
    /// Where things are for a given widget rect, zoom and pan.
    struct Geometry {
        QRectF rowHeaders, colHeaders, cells, legend; ///< cells: the visible cell area
        QPointF origin;                               ///< device position of cell (0,0)'s corner
        double cellW = 1, cellH = 1;                  ///< cell size, device px
    };
    Geometry geometry(const QRectF& rect, double zoom, QPointF pan) const;
    /// Cell (row, col) under a point; -1 when outside (a header: the other is -1).
    void locate(const QPointF& pos, int* row, int* col, bool* rowHeader, bool* colHeader) const;
    void paint(QPainter& p, const QRectF& rect, const Geometry& g, bool interactive) const;
    void rebuildImage();

    MatrixModel* m_model;
    GraphSelection m_selection;
    QSet<QString> m_found;
    EdgeDecorations m_decorations;
    QImage m_image; ///< one pixel per cell
    double m_zoom = 1.0;
    QPointF m_pan;
    int m_hoverRow = -1, m_hoverCol = -1;
    bool m_pressed = false, m_dragged = false;
    QPointF m_pressPos, m_lastPos;
};

/// The colour of a cell of intensity 0..1 (empty cells: no colour), blue for traffic and red for
/// drop measures, from a pale tint to a saturated colour.
QColor matrixCellColor(double intensity, MatrixMeasure measure, bool dark);

} // namespace ui
