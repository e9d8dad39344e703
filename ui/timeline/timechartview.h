#pragma once
// A QChartView for one Timeline chart: turns mouse input into time-range gestures (drag to
// select, double-click to reset, wheel to zoom around the cursor, hover) and draws the shared
// selection band and hovered-bin highlight. It only draws; the TimelinePage decides.
#include "ui/logic/timeaxis.h"

#include <QChartView>
#include <optional>

class QGraphicsRectItem;
class QGraphicsSimpleTextItem;

namespace ui {

class TimeChartView : public QChartView {
    Q_OBJECT
public:
    explicit TimeChartView(QChart* chart, QWidget* parent = nullptr);
    ~TimeChartView() override;

    /// The visible time window of the x axis (the page keeps it equal to the axis range).
    void setTimeWindow(double from, double to);
    double windowFrom() const { return m_from; }
    double windowTo() const { return m_to; }
    /// Plot area in viewport pixels mapped to the time window.
    timeaxis::TimeMapping mapping() const;
    /// Plot area in viewport coordinates.
    QRectF plotAreaInViewport() const;

    /// The selection band [from, to) in Unix seconds, or none.
    void setSelectionBand(std::optional<std::pair<double, double>> band);
    /// The hovered bin highlight [from, to), or none.
    void setHoverBand(std::optional<std::pair<double, double>> band);
    /// Centered message over the plot area ("No records match the filter"); empty hides it.
    void setMessage(const QString& text);

Q_SIGNALS:
    /// A drag in progress from t0 to the cursor time t1 (Unix seconds, clamped to the window).
    void dragging(double t0, double t1);
    /// A finished drag (at least a few pixels wide).
    void dragFinished(double t0, double t1);
    /// A press/release without a drag, or Escape: drop any band in progress.
    void dragCancelled();
    void resetRequested();
    /// Wheel: factor < 1 zooms in around `anchor` (Unix seconds).
    void zoomRequested(double anchor, double factor);
    void hovered(double t);
    void hoverLeft();
    void resized();

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void updateOverlays();
    void placeBand(QGraphicsRectItem* item, const std::optional<std::pair<double, double>>& band);

    double m_from = 0;
    double m_to = 1;
    std::optional<double> m_pressX; ///< viewport x of the press, while a button is down
    bool m_dragging = false;
    std::optional<std::pair<double, double>> m_selection;
    std::optional<std::pair<double, double>> m_hover;
    QGraphicsRectItem* m_selectionItem = nullptr;
    QGraphicsRectItem* m_hoverItem = nullptr;
    QGraphicsSimpleTextItem* m_messageItem = nullptr;
};

} // namespace ui
