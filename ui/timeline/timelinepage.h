#pragma once
// The Timeline page: traffic (bytes / packets / flows, optionally stacked by top attachments,
// edges or direction) and dropped packets by reason over time, in two charts sharing one time
// axis. Follows the Session's filter (recomputed off the GUI thread); dragging a range sets a
// `start >= ... and start < ...` filter; double-click removes it; the wheel zooms.
#include "core/analysis/aggregate.h"
#include "core/names/names.h"
#include "core/store/store.h"
#include "ui/logic/pagerefresh.h"
#include "ui/logic/timeaxis.h"
#include "ui/logic/timelinedata.h"

#include <QWidget>
#include <atomic>
#include <memory>
#include <optional>

class QAreaSeries;
class QLineSeries;
class QCategoryAxis;
class QChart;
class QComboBox;
class QLabel;
class QSpinBox;
class QTimer;
class QToolButton;
class QValueAxis;

namespace ui {

class JobTracker;
class Session;
class TimeChartView;

/// The baseline of a comparison, drawn as a line over the traffic bars (timelinebaseline.cpp).
struct TimelineBaseline {
    std::shared_ptr<core::Store> store; ///< null with a split: the current store before `split`
    std::optional<qint64> split;        ///< Unix seconds
    /// Seconds added to the baseline's times (86400: yesterday under today); nullopt: its first
    /// bin moved onto the split time (or onto the current first bin when there is no split).
    std::optional<qint64> offset;
    QString label;
    bool active() const { return store != nullptr || split.has_value(); }
};

/// The baseline's series computed on the bins of `series` (the current one) and moved by the
/// chosen offset (core::alignBaseline). `note` says why it is empty when it is. Any thread.
struct AlignedBaseline {
    std::vector<core::SeriesBin> bins;
    qint64 offset = 0;
    QString note;
};
AlignedBaseline alignTimelineBaseline(const core::Store& current, const QString& filter, const TimelineBaseline& baseline,
                                      const core::Series& series, const std::atomic<bool>* cancel = nullptr);

class TimelinePage : public QWidget {
    Q_OBJECT
public:
    explicit TimelinePage(Session* session, QWidget* parent = nullptr);
    ~TimelinePage() override;

    /// What the traffic chart plots (stacking applies to Bytes only).
    void setMetric(timeaxis::Metric metric);
    timeaxis::Metric metric() const { return m_metric; }
    /// Stacking of the traffic chart; None = one series.
    void setSplit(core::SeriesSplit split, int topN = 5);
    core::SeriesSplit split() const { return m_split; }
    /// Names for ids (from AWS CLI JSON): stacked layers show an attachment's Name tag instead
    /// of its id ("prod-vpc -> vpn" for edges). Ids without a name stay as they are.
    void setNames(const core::NameDirectory& names);
    /// Requested bin size in seconds; 0 = automatic.
    void setBinSeconds(qint64 seconds);
    qint64 binSeconds() const { return m_binSeconds; }

    /// Compares with a baseline: its series (same filter, same bins) moved by the offset is drawn
    /// as a line over the traffic bars. An inactive baseline removes the line. Recomputes.
    void setBaseline(const TimelineBaseline& baseline);
    const TimelineBaseline& baseline() const { return m_baseline; }
    /// The baseline's bins moved by baselineOffset() and summed into the current bins (one per
    /// current bin; empty without a baseline).
    const std::vector<core::SeriesBin>& baselineBins() const { return m_baselineBins; }
    qint64 baselineOffset() const { return m_baselineOffset; }
    /// The line drawn for the baseline (null when none); "" or why it is empty.
    QLineSeries* baselineLine() const { return m_baselineLine; }
    QString baselineNote() const { return m_baselineNote; }
    /// The last computed series (empty before the first result).
    const core::Series& series() const { return m_series; }
    /// The series as `flowlog-cli series` CSV.
    QByteArray seriesCsv() const;
    /// Renders both charts, one above the other, to a .png or .svg file (by suffix).
    bool saveImage(const QString& path, QString* error = nullptr);

    /// Shows `series` (an Athena / Logs Insights result) instead of the loaded records' series,
    /// under a banner "Showing <source> — Back to local data". Until clearExternal() (or the
    /// banner's link) the store and the filter are not used and dragging does not filter.
    void setExternalSeries(core::Series series, const QString& source);
    /// Back to the loaded records' series (recomputed).
    void clearExternal();
    bool isExternal() const { return m_external; }
    /// The banner's text ("" when showing local data).
    QString bannerText() const;

    /// Visible time window (Unix seconds); the data extent unless zoomed.
    std::pair<double, double> timeWindow() const { return {m_viewFrom, m_viewTo}; }
    /// Number of finished recomputations (tests wait on it).
    int resultCount() const { return m_resultCount; }

    TimeChartView* trafficView() const { return m_trafficView; }
    TimeChartView* dropsView() const { return m_dropsView; }
    /// What the line under the charts says when nothing is hovered or dragged.
    static QString hintText();

public Q_SLOTS:
    /// Recomputes now (also called on store/filter/settings changes).
    void refresh();
    void resetZoom();
    void copySeriesCsv();
    void saveImageInteractive();

Q_SIGNALS:
    /// Emitted after a result is on the charts (or an error/empty state is shown).
    void resultReady();
    /// setExternalSeries() / clearExternal() switched the source of the charts.
    void externalChanged(bool external);

protected:
    void showEvent(QShowEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Result;
    void buildUi();
    QChart* createChart(QCategoryAxis*& x, QValueAxis*& y);
    void scheduleRefresh();
    void applyResult(const Result& result);
    void rebuildTraffic();
    void rebuildDrops();
    /// Removes the baseline line / draws it again over the traffic chart (timelinebaseline.cpp).
    void removeBaselineLine();
    double addBaselineLine(double divisor);
    QString baselineStatus() const;
    void applyWindow();
    void applyStyle();
    void alignPlotAreas();
    void updateSelection(std::optional<std::pair<double, double>> band);
    void selectRange(double t0, double t1);
    void resetRange();
    void zoom(double anchor, double factor);
    void hover(double t);
    void clearHover();
    void updateStatus();
    int utcOffsetSeconds() const;
    QString formatTime(qint64 t) const;
    /// The traffic layers on screen, with display names.
    timeline::StackedData trafficLayers() const;

    Session* m_session = nullptr;
    JobTracker* m_jobs = nullptr;

    timeaxis::Metric m_metric = timeaxis::Metric::Bytes;
    core::SeriesSplit m_split = core::SeriesSplit::None;
    int m_topN = 5;
    qint64 m_binSeconds = 0;

    core::NameDirectory m_names;
    core::Series m_series;
    std::optional<core::SplitSeries> m_splitSeries;
    TimelineBaseline m_baseline;
    std::vector<core::SeriesBin> m_baselineBins;
    qint64 m_baselineOffset = 0;
    QString m_baselineNote;
    QLineSeries* m_baselineLine = nullptr;
    QString m_error;
    QString m_computedFilter;
    LazyRefresh m_refresh;
    bool m_busy = false;
    bool m_external = false; ///< showing setExternalSeries() bins
    int m_resultCount = 0;

    double m_dataFrom = 0;
    double m_dataTo = 1;
    double m_viewFrom = 0;
    double m_viewTo = 1;

    /// The filter this page last set and the filter it was based on, to replace (not nest)
    /// its own time range on the next drag.
    QString m_lastSetFilter;
    QString m_lastBaseFilter;

    QChart* m_trafficChart = nullptr;
    QChart* m_dropsChart = nullptr;
    TimeChartView* m_trafficView = nullptr;
    TimeChartView* m_dropsView = nullptr;
    QCategoryAxis* m_trafficX = nullptr;
    QCategoryAxis* m_dropsX = nullptr;
    QValueAxis* m_trafficY = nullptr;
    QValueAxis* m_dropsY = nullptr;

    QComboBox* m_metricBox = nullptr;
    QComboBox* m_splitBox = nullptr;
    QSpinBox* m_topNBox = nullptr;
    QComboBox* m_binBox = nullptr;
    QLabel* m_statusLabel = nullptr;
    QLabel* m_banner = nullptr;
    QLabel* m_hoverLabel = nullptr;
    QToolButton* m_resetZoomButton = nullptr;
    QTimer* m_refreshTimer = nullptr;
    QTimer* m_alignTimer = nullptr;
    bool m_aligning = false;
};

} // namespace ui
