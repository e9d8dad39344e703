#include "ui/timeline/timechartview.h"

#include <QChart>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace ui {

namespace {
constexpr double kDragThresholdPixels = 4.0;
}

TimeChartView::TimeChartView(QChart* chart, QWidget* parent) : QChartView(chart, parent)
{
    setRenderHint(QPainter::Antialiasing, false);
    setRubberBand(QChartView::NoRubberBand);
    setMouseTracking(true);
    setFocusPolicy(Qt::ClickFocus);
    setMinimumHeight(118);

    m_hoverItem = new QGraphicsRectItem();
    m_hoverItem->setPen(Qt::NoPen);
    m_hoverItem->setZValue(90);
    m_hoverItem->setVisible(false);
    m_hoverItem->setAcceptedMouseButtons(Qt::NoButton);
    scene()->addItem(m_hoverItem);

    m_selectionItem = new QGraphicsRectItem();
    m_selectionItem->setZValue(100);
    m_selectionItem->setVisible(false);
    m_selectionItem->setAcceptedMouseButtons(Qt::NoButton);
    scene()->addItem(m_selectionItem);

    m_messageItem = new QGraphicsSimpleTextItem();
    m_messageItem->setZValue(110);
    m_messageItem->setVisible(false);
    scene()->addItem(m_messageItem);

    connect(chart, &QChart::plotAreaChanged, this, [this]() { updateOverlays(); });
    updateOverlays();
}

TimeChartView::~TimeChartView() = default;

void TimeChartView::setTimeWindow(double from, double to)
{
    m_from = from;
    m_to = to > from ? to : from + 1;
    updateOverlays();
}

QRectF TimeChartView::plotAreaInViewport() const
{
    const QRectF inScene = chart()->mapToScene(chart()->plotArea()).boundingRect();
    return mapFromScene(inScene).boundingRect();
}

timeaxis::TimeMapping TimeChartView::mapping() const
{
    const QRectF pa = plotAreaInViewport();
    timeaxis::TimeMapping m;
    m.left = pa.left();
    m.width = std::max(1.0, pa.width());
    m.from = m_from;
    m.to = m_to;
    return m;
}

void TimeChartView::setSelectionBand(std::optional<std::pair<double, double>> band)
{
    m_selection = band;
    placeBand(m_selectionItem, m_selection);
}

void TimeChartView::setHoverBand(std::optional<std::pair<double, double>> band)
{
    m_hover = band;
    placeBand(m_hoverItem, m_hover);
}

void TimeChartView::setMessage(const QString& text)
{
    m_messageItem->setText(text);
    m_messageItem->setVisible(!text.isEmpty());
    updateOverlays();
}

void TimeChartView::placeBand(QGraphicsRectItem* item, const std::optional<std::pair<double, double>>& band)
{
    if (!band) {
        item->setVisible(false);
        return;
    }
    const QRectF pa = chart()->plotArea();
    timeaxis::TimeMapping m;
    m.left = pa.left();
    m.width = std::max(1.0, pa.width());
    m.from = m_from;
    m.to = m_to;
    const double x0 = std::clamp(m.toPixel(std::min(band->first, band->second)), pa.left(), pa.right());
    const double x1 = std::clamp(m.toPixel(std::max(band->first, band->second)), pa.left(), pa.right());
    const QRectF r(QPointF(x0, pa.top()), QPointF(std::max(x1, x0 + 1.0), pa.bottom()));
    item->setRect(chart()->mapRectToScene(r));
    item->setVisible(true);
}

void TimeChartView::updateOverlays()
{
    const QColor accent = palette().color(QPalette::Highlight);
    QColor fill = accent;
    fill.setAlpha(60);
    m_selectionItem->setBrush(fill);
    QPen pen(accent);
    pen.setWidthF(1.0);
    m_selectionItem->setPen(pen);
    QColor hover = palette().color(QPalette::Text);
    hover.setAlpha(28);
    m_hoverItem->setBrush(hover);
    placeBand(m_selectionItem, m_selection);
    placeBand(m_hoverItem, m_hover);
    if (m_messageItem->isVisible()) {
        m_messageItem->setBrush(palette().color(QPalette::PlaceholderText));
        QFont f = font();
        f.setPointSizeF(f.pointSizeF() * 1.2);
        m_messageItem->setFont(f);
        const QRectF pa = chart()->mapRectToScene(chart()->plotArea());
        const QRectF tr = m_messageItem->boundingRect();
        m_messageItem->setPos(pa.center() - QPointF(tr.width() / 2, tr.height() / 2));
    }
}

void TimeChartView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && plotAreaInViewport().adjusted(-2, -2, 2, 2).contains(event->position())) {
        m_pressX = event->position().x();
        m_dragging = false;
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void TimeChartView::mouseMoveEvent(QMouseEvent* event)
{
    const timeaxis::TimeMapping m = mapping();
    const double x = event->position().x();
    if (m_pressX) {
        if (!m_dragging && std::abs(x - *m_pressX) >= kDragThresholdPixels) m_dragging = true;
        if (m_dragging) Q_EMIT dragging(m.toTimeClamped(*m_pressX), m.toTimeClamped(x));
        event->accept();
        return;
    }
    if (plotAreaInViewport().contains(event->position())) Q_EMIT hovered(m.toTime(x));
    else Q_EMIT hoverLeft();
    QChartView::mouseMoveEvent(event);
}

void TimeChartView::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && m_pressX) {
        const timeaxis::TimeMapping m = mapping();
        const double x = event->position().x();
        const double pressX = *m_pressX;
        const bool dragged = m_dragging || std::abs(x - pressX) >= kDragThresholdPixels;
        m_pressX.reset();
        m_dragging = false;
        if (dragged) Q_EMIT dragFinished(m.toTimeClamped(pressX), m.toTimeClamped(x));
        else Q_EMIT dragCancelled();
        event->accept();
        return;
    }
    QChartView::mouseReleaseEvent(event);
}

void TimeChartView::mouseDoubleClickEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton) {
        m_pressX.reset();
        m_dragging = false;
        Q_EMIT resetRequested();
        event->accept();
        return;
    }
    QChartView::mouseDoubleClickEvent(event);
}

void TimeChartView::wheelEvent(QWheelEvent* event)
{
    const int delta = event->angleDelta().y();
    if (delta == 0) {
        event->ignore();
        return;
    }
    const double notches = static_cast<double>(delta) / 120.0;
    const double factor = std::pow(0.8, notches);
    Q_EMIT zoomRequested(mapping().toTimeClamped(event->position().x()), factor);
    event->accept();
}

void TimeChartView::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Escape && m_pressX) {
        m_pressX.reset();
        m_dragging = false;
        Q_EMIT dragCancelled();
        event->accept();
        return;
    }
    QChartView::keyPressEvent(event);
}

void TimeChartView::leaveEvent(QEvent* event)
{
    Q_EMIT hoverLeft();
    QChartView::leaveEvent(event);
}

void TimeChartView::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    updateOverlays();
    Q_EMIT resized();
}

} // namespace ui
