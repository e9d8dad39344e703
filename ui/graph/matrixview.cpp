#include "ui/graph/matrixview.h"

#include <QApplication>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace ui {
namespace {

constexpr double kMaxCell = 56.0;    // device px: cells never grow beyond this when fitted
constexpr double kHeaderMax = 200.0; // device px: longest header text shown

double legendStripHeight(const QFont& font)
{
    return QFontMetricsF(font).height() * 2 + 8;
}

} // namespace

QColor matrixCellColor(double intensity, MatrixMeasure measure, bool dark)
{
    const bool drops = measure == MatrixMeasure::Dropped || measure == MatrixMeasure::DropShare;
    const double t = std::clamp(intensity, 0.0, 1.0);
    const QColor pale =
        drops ? (dark ? QColor(90, 50, 50) : QColor(253, 224, 214)) : (dark ? QColor(45, 60, 90) : QColor(222, 235, 250));
    const QColor full =
        drops ? (dark ? QColor(255, 70, 60) : QColor(180, 10, 20)) : (dark ? QColor(120, 190, 255) : QColor(8, 60, 150));
    auto lerp = [t](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * t)); };
    return QColor(lerp(pale.red(), full.red()), lerp(pale.green(), full.green()), lerp(pale.blue(), full.blue()));
}

MatrixView::MatrixView(QWidget* parent) : QWidget(parent), m_model(new MatrixModel(this))
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(200, 150);
}

void MatrixView::setMatrix(TrafficMatrix matrix, bool fit)
{
    m_model->setMatrix(std::move(matrix));
    rebuildImage();
    m_hoverRow = m_hoverCol = -1;
    if (fit) {
        m_zoom = 1.0;
        m_pan = {};
    }
    update();
}

void MatrixView::setLabels(const QHash<QString, QString>& labels)
{
    m_model->setLabels(labels);
    update();
}

void MatrixView::setSelection(const GraphSelection& selection)
{
    m_selection = selection;
    update();
}

void MatrixView::setFound(const QSet<QString>& ids)
{
    m_found = ids;
    update();
}

void MatrixView::rebuildImage()
{
    const TrafficMatrix& mx = m_model->matrix();
    const bool dark = palette().color(QPalette::Base).lightnessF() < 0.5;
    if (mx.rowCount() == 0 || mx.colCount() == 0) {
        m_image = QImage();
        return;
    }
    m_image = QImage(mx.colCount(), mx.rowCount(), QImage::Format_ARGB32);
    m_image.fill(Qt::transparent);
    for (int r = 0; r < mx.rowCount(); ++r) {
        auto* line = reinterpret_cast<QRgb*>(m_image.scanLine(r));
        for (int c = 0; c < mx.colCount(); ++c) {
            const core::Edge* e = mx.edge(r, c);
            if (!e) continue;
            const double v = matrixValue(*e, mx.measure);
            // A pair with traffic but a zero measure (no drops) still gets the palest tint.
            line[c] = v > 0 ? matrixCellColor(matrixIntensity(v, mx.maxValue, mx.measure), mx.measure, dark).rgba()
                            : (dark ? qRgb(55, 60, 70) : qRgb(238, 240, 244));
        }
    }
}

QSizeF MatrixView::cellSize() const
{
    const Geometry g = geometry(rect(), m_zoom, m_pan);
    return {g.cellW, g.cellH};
}

MatrixView::Geometry MatrixView::geometry(const QRectF& rect, double zoom, QPointF pan) const
{
    const TrafficMatrix& mx = m_model->matrix();
    const QFontMetricsF fm(font());
    Geometry g;
    double rowW = 0, colW = 0;
    for (const QString& id : mx.rows) rowW = std::max(rowW, fm.horizontalAdvance(m_model->label(id)));
    for (const QString& id : mx.cols) colW = std::max(colW, fm.horizontalAdvance(m_model->label(id)));
    rowW = std::min(rowW, kHeaderMax) + 10;
    colW = std::min(colW, kHeaderMax) * 0.75 + 10; // column headers are written at 45 degrees
    const double legendH = legendStripHeight(font());
    const QRectF body = rect.adjusted(rowW, colW, -4, -legendH);
    const int rows = std::max(1, mx.rowCount()), cols = std::max(1, mx.colCount());
    // Cells fill the pane, but stay within 3:1 so a row and a column read alike.
    double w = std::clamp(body.width() / cols, 0.5, kMaxCell), h = std::clamp(body.height() / rows, 0.5, kMaxCell);
    w = std::min(w, 3 * h);
    h = std::min(h, 3 * w);
    g.cellW = w * zoom;
    g.cellH = h * zoom;
    g.cells = body;
    g.rowHeaders = QRectF(rect.left(), body.top(), rowW, body.height());
    g.colHeaders = QRectF(body.left(), rect.top(), body.width(), colW);
    g.legend = QRectF(rect.left() + 6, rect.bottom() - legendH, rect.width() - 12, legendH);
    g.origin = body.topLeft() + pan;
    return g;
}

void MatrixView::locate(const QPointF& pos, int* row, int* col, bool* rowHeader, bool* colHeader) const
{
    const Geometry g = geometry(rect(), m_zoom, m_pan);
    const TrafficMatrix& mx = m_model->matrix();
    *row = *col = -1;
    *rowHeader = *colHeader = false;
    const int r = static_cast<int>(std::floor((pos.y() - g.origin.y()) / g.cellH));
    const int c = static_cast<int>(std::floor((pos.x() - g.origin.x()) / g.cellW));
    const bool rowOk = r >= 0 && r < mx.rowCount(), colOk = c >= 0 && c < mx.colCount();
    if (g.cells.contains(pos)) {
        if (rowOk && colOk) {
            *row = r;
            *col = c;
        }
    } else if (g.rowHeaders.contains(pos) && rowOk) {
        *row = r;
        *rowHeader = true;
    } else if (g.colHeaders.contains(pos) && colOk) {
        *col = c;
        *colHeader = true;
    }
}

QPoint MatrixView::cellPosition(const QString& src, const QString& dst) const
{
    const TrafficMatrix& mx = m_model->matrix();
    const auto r = mx.rows.indexOf(src), c = mx.cols.indexOf(dst);
    if (r < 0 || c < 0) return {-1, -1};
    const Geometry g = geometry(rect(), m_zoom, m_pan);
    const QPointF p = g.origin + QPointF((static_cast<double>(c) + 0.5) * g.cellW, (static_cast<double>(r) + 0.5) * g.cellH);
    return g.cells.contains(p) ? p.toPoint() : QPoint(-1, -1);
}

QPoint MatrixView::rowHeaderPosition(const QString& id) const
{
    const auto r = m_model->matrix().rows.indexOf(id);
    if (r < 0) return {-1, -1};
    const Geometry g = geometry(rect(), m_zoom, m_pan);
    const QPointF p(g.rowHeaders.center().x(), g.origin.y() + (static_cast<double>(r) + 0.5) * g.cellH);
    return g.rowHeaders.contains(p) ? p.toPoint() : QPoint(-1, -1);
}

QPoint MatrixView::columnHeaderPosition(const QString& id) const
{
    const auto c = m_model->matrix().cols.indexOf(id);
    if (c < 0) return {-1, -1};
    const Geometry g = geometry(rect(), m_zoom, m_pan);
    const QPointF p(g.origin.x() + (static_cast<double>(c) + 0.5) * g.cellW, g.colHeaders.bottom() - 4);
    return g.colHeaders.contains(p) ? p.toPoint() : QPoint(-1, -1);
}

void MatrixView::paint(QPainter& p, const QRectF& rect, const Geometry& g, bool interactive) const
{
    const TrafficMatrix& mx = m_model->matrix();
    const GraphStyle style = GraphStyle::fromPalette(palette());
    p.fillRect(rect, style.background);
    p.setFont(font());
    const QFontMetricsF fm(font());
    if (mx.rowCount() == 0) {
        p.setPen(style.mutedText);
        p.drawText(rect, Qt::AlignCenter, tr("No Transit Gateway traffic to show."));
        return;
    }
    const double cw = g.cellW, ch = g.cellH;
    const QRectF full(g.origin, QSizeF(cw * mx.colCount(), ch * mx.rowCount()));
    const bool dimming = !m_found.isEmpty();
    auto rowFound = [&](int r) { return m_found.contains(mx.rows[r]); };
    auto colFound = [&](int c) { return m_found.contains(mx.cols[c]); };

    // Cells: the image scaled without smoothing, clipped to the cell area.
    p.save();
    p.setClipRect(g.cells);
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    p.fillRect(full.intersected(g.cells), style.dark ? QColor(30, 32, 36) : QColor(250, 250, 252));
    p.drawImage(full, m_image);
    if (dimming) {
        // Veil rows and columns that do not match the find.
        QColor veil = style.background;
        veil.setAlphaF(0.75f);
        for (int r = 0; r < mx.rowCount(); ++r)
            if (!rowFound(r)) {
                for (int c = 0; c < mx.colCount(); ++c)
                    if (!colFound(c)) {
                        // contiguous runs of veiled cells
                        int end = c;
                        while (end + 1 < mx.colCount() && !colFound(end + 1)) ++end;
                        p.fillRect(QRectF(full.left() + c * cw, full.top() + r * ch, (end - c + 1) * cw, ch), veil);
                        c = end;
                    }
            }
    }
    if (std::min(cw, ch) >= 6) {
        QColor grid = style.text;
        grid.setAlphaF(0.08f);
        p.setPen(QPen(grid, 1));
        for (int r = 0; r <= mx.rowCount(); ++r)
            p.drawLine(QPointF(full.left(), full.top() + r * ch), QPointF(full.right(), full.top() + r * ch));
        for (int c = 0; c <= mx.colCount(); ++c)
            p.drawLine(QPointF(full.left() + c * cw, full.top()), QPointF(full.left() + c * cw, full.bottom()));
    }
    // Values in cells when there is room.
    QFont small = font();
    small.setPointSizeF(std::max(6.0, font().pointSizeF() - 1.5));
    const QFontMetricsF fmSmall(small);
    if (cw >= fmSmall.horizontalAdvance(QStringLiteral("000.0 MB")) + 4 && ch >= fmSmall.height()) {
        p.setFont(small);
        const int r0 = std::max(0, static_cast<int>((g.cells.top() - g.origin.y()) / ch));
        const int r1 = std::min(mx.rowCount() - 1, static_cast<int>((g.cells.bottom() - g.origin.y()) / ch));
        const int c0 = std::max(0, static_cast<int>((g.cells.left() - g.origin.x()) / cw));
        const int c1 = std::min(mx.colCount() - 1, static_cast<int>((g.cells.right() - g.origin.x()) / cw));
        for (int r = r0; r <= r1; ++r)
            for (int c = c0; c <= c1; ++c) {
                const core::Edge* e = mx.edge(r, c);
                if (!e) continue;
                const double v = matrixValue(*e, mx.measure);
                const double t = matrixIntensity(v, mx.maxValue, mx.measure);
                p.setPen(t > 0.55 ? QColor(Qt::white) : style.text);
                p.drawText(QRectF(full.left() + c * cw, full.top() + r * ch, cw, ch), Qt::AlignCenter,
                           formatMatrixValue(v, mx.measure));
            }
        p.setFont(font());
    }
    paintMatrixDiff(p, mx, m_decorations, full.topLeft(), cw, ch, style);
    // Selection outlines and hover crosshair.
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(style.highlight, 2));
    for (int r = 0; r < mx.rowCount() && !m_selection.edges.isEmpty(); ++r)
        for (int c = 0; c < mx.colCount(); ++c)
            if (m_selection.edges.contains({mx.rows[r], mx.cols[c]}))
                p.drawRect(QRectF(full.left() + c * cw, full.top() + r * ch, cw, ch));
    for (int r = 0; r < mx.rowCount(); ++r)
        if (m_selection.nodes.contains(mx.rows[r])) p.drawRect(QRectF(full.left(), full.top() + r * ch, full.width(), ch));
    for (int c = 0; c < mx.colCount(); ++c)
        if (m_selection.nodes.contains(mx.cols[c])) p.drawRect(QRectF(full.left() + c * cw, full.top(), cw, full.height()));
    if (interactive && m_hoverRow >= 0 && m_hoverCol >= 0) {
        QColor cross = style.highlight;
        cross.setAlphaF(0.6f);
        p.setPen(QPen(cross, 1));
        p.drawRect(QRectF(full.left(), full.top() + m_hoverRow * ch, full.width(), ch));
        p.drawRect(QRectF(full.left() + m_hoverCol * cw, full.top(), cw, full.height()));
    }
    p.restore();

    // Headers: every k-th label so they never overlap; found / hovered / selected always.
    const double lineH = fm.height();
    const int rowStep = std::max(1, static_cast<int>(std::ceil(lineH / ch)));
    const int colStep = std::max(1, static_cast<int>(std::ceil(lineH / cw)));
    auto headerColor = [&](const QString& id) {
        QColor c = m_selection.nodes.contains(id) ? style.highlight : style.text;
        if (dimming && !m_found.contains(id)) c.setAlphaF(0.35f);
        return c;
    };
    p.save();
    p.setClipRect(g.rowHeaders.adjusted(0, -lineH / 2, 0, lineH / 2));
    for (int r = 0; r < mx.rowCount(); ++r) {
        const bool forced = m_found.contains(mx.rows[r]) || (interactive && r == m_hoverRow);
        if (r % rowStep != 0 && !forced) continue;
        const QRectF box(g.rowHeaders.left() + 2, full.top() + (r + 0.5) * ch - lineH / 2, g.rowHeaders.width() - 8, lineH);
        if (!box.intersects(g.rowHeaders)) continue;
        QFont f = font();
        f.setBold(forced);
        p.setFont(f);
        p.setPen(headerColor(mx.rows[r]));
        p.drawText(box, Qt::AlignRight | Qt::AlignVCenter,
                   fm.elidedText(m_model->label(mx.rows[r]), Qt::ElideMiddle, box.width()));
    }
    p.restore();
    p.save();
    p.setClipRect(g.colHeaders.adjusted(0, 0, g.colHeaders.height(), 0));
    for (int c = 0; c < mx.colCount(); ++c) {
        const bool forced = m_found.contains(mx.cols[c]) || (interactive && c == m_hoverCol);
        if (c % colStep != 0 && !forced) continue;
        const double x = full.left() + (c + 0.5) * cw;
        if (x < g.colHeaders.left() || x > g.colHeaders.right()) continue;
        QFont f = font();
        f.setBold(forced);
        p.setFont(f);
        p.setPen(headerColor(mx.cols[c]));
        p.save();
        p.translate(x + lineH * 0.3, g.colHeaders.bottom() - 4);
        p.rotate(-45);
        p.drawText(QPointF(0, 0), fm.elidedText(m_model->label(mx.cols[c]), Qt::ElideMiddle, kHeaderMax));
        p.restore();
    }
    p.restore();
    p.setFont(font());
    p.setPen(style.mutedText);
    p.drawText(QRectF(rect.left() + 4, rect.top() + 2, g.rowHeaders.width() - 6, g.colHeaders.height() - 4),
               Qt::AlignRight | Qt::AlignBottom, tr("entry \u2193  exit \u2192"));

    // Legend: the colour ramp with its scale.
    const QRectF lg = g.legend;
    const QString title =
        tr("%1 per entry \u2192 exit pair%2:")
            .arg(matrixMeasureName(mx.measure), mx.measure == MatrixMeasure::DropShare ? QString() : tr(" (log scale)"));
    p.drawText(QPointF(lg.left(), lg.top() + lineH), title);
    const double bx = lg.left() + fm.horizontalAdvance(title) + 10, bw = 220, bh = 9;
    const double by = lg.top() + lineH - bh;
    for (int i = 0; i < 88; ++i)
        p.fillRect(QRectF(bx + bw * i / 88.0, by, bw / 88.0 + 0.5, bh), matrixCellColor(i / 87.0, mx.measure, style.dark));
    p.setPen(style.mutedText);
    std::vector<std::pair<double, QString>> ticks;
    if (mx.measure == MatrixMeasure::DropShare) {
        for (const auto& t : severityTicks()) ticks.emplace_back(t.severity, t.label);
    } else if (mx.maxValue > 0) {
        ticks.emplace_back(0.0, formatMatrixValue(0, mx.measure));
        for (double v = 1; v < mx.maxValue; v *= 100) {
            const double t = matrixIntensity(v, mx.maxValue, mx.measure);
            if (t > 0.08 && t < 0.9) ticks.emplace_back(t, formatMatrixValue(v, mx.measure));
        }
        ticks.emplace_back(1.0, formatMatrixValue(mx.maxValue, mx.measure));
    }
    double lastRight = -1e9;
    for (const auto& [t, label] : ticks) {
        const double x = bx + bw * t;
        p.drawLine(QPointF(x, by + bh), QPointF(x, by + bh + 3));
        const double w = fm.horizontalAdvance(label);
        if (x - w / 2 < lastRight + 4) continue; // no room: the tick mark alone
        p.drawText(QPointF(x - w / 2, by + bh + 3 + fm.ascent()), label);
        lastRight = x + w / 2;
    }
    // The counts, and the mouse hints when they fit the pane.
    const QString counts = tr("%1 entry \u00d7 %2 exit attachments").arg(mx.rowCount()).arg(mx.colCount());
    const QString hints = counts + tr(" \u00b7 wheel: zoom \u00b7 drag: pan \u00b7 click: filter");
    const double tx = bx + bw + 40;
    p.drawText(QPointF(tx, lg.top() + lineH), fm.horizontalAdvance(hints) <= lg.right() - tx ? hints : counts);
    paintMatrixDiffKey(p, m_decorations, QPointF(bx + bw + 40, by + bh + 3 + fm.ascent()), style);
}

void MatrixView::render(QPainter& painter, const QSizeF& size) const
{
    const QRectF r(QPointF(0, 0), size);
    painter.save();
    painter.setFont(font());
    paint(painter, r, geometry(r, 1.0, {}), false);
    painter.restore();
}

void MatrixView::fitToView()
{
    m_zoom = 1.0;
    m_pan = {};
    update();
}

void MatrixView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paint(p, rect(), geometry(rect(), m_zoom, m_pan), true);
}

void MatrixView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    update();
}

void MatrixView::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) return;
    const Geometry before = geometry(rect(), m_zoom, m_pan);
    const double zoom = std::clamp(m_zoom * std::pow(1.25, steps), 1.0, 200.0);
    const QPointF cursor = event->position();
    const QPointF cellPos((cursor.x() - before.origin.x()) / before.cellW, (cursor.y() - before.origin.y()) / before.cellH);
    const Geometry after = geometry(rect(), zoom, {});
    m_zoom = zoom;
    m_pan = cursor - QPointF(cellPos.x() * after.cellW, cellPos.y() * after.cellH) - after.cells.topLeft();
    if (zoom == 1.0) m_pan = {};
    update();
    event->accept();
}

void MatrixView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
    m_pressed = true;
    m_dragged = false;
    m_pressPos = m_lastPos = event->position();
    event->accept();
}

void MatrixView::mouseMoveEvent(QMouseEvent* event)
{
    const QPointF pos = event->position();
    if (m_pressed) {
        if (!m_dragged && (pos - m_pressPos).manhattanLength() >= QApplication::startDragDistance()) {
            m_dragged = true;
            QToolTip::hideText();
        }
        if (m_dragged) {
            m_pan += pos - m_lastPos;
            m_lastPos = pos;
            update();
            return;
        }
    }
    int row, col;
    bool rh, ch;
    locate(pos, &row, &col, &rh, &ch);
    if (row != m_hoverRow || col != m_hoverCol) {
        m_hoverRow = row;
        m_hoverCol = col;
        setCursor(row >= 0 || col >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
        update();
    }
}

void MatrixView::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) return QWidget::mouseReleaseEvent(event);
    const bool click = m_pressed && !m_dragged;
    m_pressed = m_dragged = false;
    if (!click) return;
    int row, col;
    bool rh, ch;
    locate(event->position(), &row, &col, &rh, &ch);
    const TrafficMatrix& mx = m_model->matrix();
    if (rh) Q_EMIT headerClicked(mx.rows[row], event->modifiers());
    else if (ch) Q_EMIT headerClicked(mx.cols[col], event->modifiers());
    else if (row >= 0 && col >= 0 && mx.edge(row, col)) Q_EMIT cellClicked(mx.rows[row], mx.cols[col], event->modifiers());
}

void MatrixView::leaveEvent(QEvent* event)
{
    m_hoverRow = m_hoverCol = -1;
    update();
    QWidget::leaveEvent(event);
}

bool MatrixView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        int row, col;
        bool rh, ch;
        locate(help->pos(), &row, &col, &rh, &ch);
        QString text;
        if (rh) text = m_model->headerData(row, Qt::Vertical, Qt::ToolTipRole).toString();
        else if (ch) text = m_model->headerData(col, Qt::Horizontal, Qt::ToolTipRole).toString();
        else if (row >= 0 && col >= 0) text = cellToolTip(m_model->matrix().rows[row], m_model->matrix().cols[col]);
        if (text.isEmpty()) {
            QToolTip::hideText();
            event->ignore();
        } else {
            QToolTip::showText(help->globalPos(), text, this);
        }
        return true;
    }
    if (event->type() == QEvent::PaletteChange) rebuildImage();
    return QWidget::event(event);
}

} // namespace ui
