// TimelinePage, part 1: behaviour: recomputing off the GUI thread, the controls, results shown
// from elsewhere and the status line. Turning gestures (drag, double-click, wheel, hover) into
// filter changes, zoom and bin read-outs is in timelinegestures.cpp; chart building, axes,
// styling and image export are in timelinecharts.cpp.
#include "ui/timeline/timelinepage.h"

#include "core/query/filter.h"
#include "ui/logic/externalview.h"
#include "ui/logic/jobtracker.h"
#include "ui/logic/session.h"
#include "ui/timeline/timechartview.h"

#include <QAction>
#include <QApplication>
#include <QChart>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace ui {

using timeaxis::Metric;

struct TimelinePage::Result {
    bool ok = true;
    QString error;
    QString filter;
    core::Series series;
    std::optional<core::SplitSeries> split;
    std::vector<core::SeriesBin> baseline;
    qint64 baselineOffset = 0;
    QString baselineNote;
};

TimelinePage::TimelinePage(Session* session, QWidget* parent) : QWidget(parent), m_session(session)
{
    m_jobs = new JobTracker(this);
    m_refreshTimer = new QTimer(this);
    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(0);
    connect(m_refreshTimer, &QTimer::timeout, this, &TimelinePage::refresh);
    m_alignTimer = new QTimer(this);
    m_alignTimer->setSingleShot(true);
    m_alignTimer->setInterval(0);
    connect(m_alignTimer, &QTimer::timeout, this, &TimelinePage::alignPlotAreas);

    buildUi();
    applyStyle();

    connect(m_session, &Session::storeChanged, this, &TimelinePage::scheduleRefresh);
    connect(m_session, &Session::namesChanged, this, [this]() { setNames(m_session->names()); });
    connect(m_session, &Session::nameDisplayChanged, this, &TimelinePage::rebuildTraffic);
    if (!m_session->names().isEmpty()) setNames(m_session->names());
    connect(m_session, &Session::filterChanged, this, &TimelinePage::scheduleRefresh);
    connect(m_session, &Session::timeDisplayChanged, this, [this]() {
        applyWindow();
        updateStatus();
    });
    connect(m_jobs, &JobTracker::busyChanged, this, [this](bool busy) {
        m_busy = busy;
        updateStatus();
    });
    scheduleRefresh();
}

TimelinePage::~TimelinePage()
{
    m_jobs->cancelAll();
}

void TimelinePage::buildUi()
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);

    // A tool bar: on a narrow dock the buttons that do not fit go into its » menu.
    auto* bar = new QToolBar(this);
    bar->setObjectName(QStringLiteral("timelineToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_metricBox = new QComboBox(this);
    m_metricBox->addItem(QStringLiteral("Bytes"), static_cast<int>(Metric::Bytes));
    m_metricBox->addItem(QStringLiteral("Packets"), static_cast<int>(Metric::Packets));
    m_metricBox->addItem(QStringLiteral("Flows"), static_cast<int>(Metric::Flows));
    m_metricBox->setToolTip(QStringLiteral("What the traffic chart shows per bin"));
    m_splitBox = new QComboBox(this);
    m_splitBox->addItem(QStringLiteral("Total"), static_cast<int>(core::SeriesSplit::None));
    m_splitBox->addItem(QStringLiteral("Stack by attachment"), static_cast<int>(core::SeriesSplit::Attachment));
    m_splitBox->addItem(QStringLiteral("Stack by edge"), static_cast<int>(core::SeriesSplit::Edge));
    m_splitBox->addItem(QStringLiteral("Split by direction"), static_cast<int>(core::SeriesSplit::Direction));
    m_topNBox = new QSpinBox(this);
    m_topNBox->setRange(1, 20);
    m_topNBox->setValue(m_topN);
    m_topNBox->setPrefix(QStringLiteral("top "));
    m_topNBox->setToolTip(QStringLiteral("Number of largest attachments/edges stacked; the rest is \"other\""));
    m_binBox = new QComboBox(this);
    m_binBox->setObjectName(QStringLiteral("timelineBinBox"));
    // Wide enough for "Auto (30 min)" from the start: the text grows once the bin is known.
    m_binBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_binBox->setMinimumContentsLength(static_cast<int>(QStringLiteral("Auto (30 min)").size()) + 1);
    for (qint64 s : timeaxis::binChoices()) m_binBox->addItem(timeaxis::binLabel(s), s);
    m_binBox->setToolTip(QStringLiteral("Bin size (Auto aims at 200-400 bins, never below 1 min)"));
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("timelineStatusLabel"));
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Status texts never widen the page (the window would grow, issue 12): they wrap instead.
    m_statusLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_statusLabel->setWordWrap(true);
    m_resetZoomButton = new QToolButton(this);
    m_resetZoomButton->setText(QStringLiteral("Reset zoom"));
    m_resetZoomButton->setEnabled(false);
    auto* saveButton = new QToolButton(this);
    saveButton->setText(QStringLiteral("Save image…"));
    saveButton->setToolTip(QStringLiteral("Save both charts as PNG or SVG"));
    auto* copyButton = new QToolButton(this);
    copyButton->setText(QStringLiteral("Copy CSV"));
    copyButton->setToolTip(QStringLiteral("Copy the series as CSV (same columns as flowlog-cli series)"));

    bar->addWidget(new QLabel(QStringLiteral("Show "), this));
    bar->addWidget(m_metricBox);
    bar->addWidget(m_splitBox);
    bar->addWidget(m_topNBox);
    bar->addWidget(new QLabel(QStringLiteral("  Bin "), this));
    bar->addWidget(m_binBox);
    bar->addSeparator();
    bar->addWidget(m_resetZoomButton);
    bar->addWidget(saveButton);
    bar->addWidget(copyButton);
    layout->addWidget(bar);
    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("externalBanner"));
    m_banner->setStyleSheet(externalBannerStyle());
    m_banner->hide();
    connect(m_banner, &QLabel::linkActivated, this, &TimelinePage::clearExternal);
    layout->addWidget(m_banner);

    m_trafficChart = createChart(m_trafficX, m_trafficY);
    m_dropsChart = createChart(m_dropsX, m_dropsY);
    m_trafficChart->setTitle(QStringLiteral("Traffic"));
    m_dropsChart->setTitle(QStringLiteral("Dropped packets by reason"));
    m_trafficView = new TimeChartView(m_trafficChart, this);
    m_dropsView = new TimeChartView(m_dropsChart, this);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_trafficView);
    splitter->addWidget(m_dropsView);
    // Equal shares: the drops chart's legend lists up to five reasons, which a short (laptop)
    // chart must still show whole; the traffic chart's single-entry legend needs less.
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({500, 500});
    layout->addWidget(splitter, 1);

    m_hoverLabel = new QLabel(this);
    m_hoverLabel->setObjectName(QStringLiteral("timelineHoverLabel"));
    m_hoverLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // The hint (or the hovered bin's values) wraps onto a second line where the dock is narrow
    // (1280x800, 1366x768) rather than running under the bins/range status at the right.
    m_hoverLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_hoverLabel->setWordWrap(true);
    m_hoverLabel->setText(hintText());
    auto* bottom = new QHBoxLayout();
    bottom->addWidget(m_hoverLabel, 1);
    bottom->addWidget(m_statusLabel, 1);
    m_statusLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    layout->addLayout(bottom);

    auto* saveAction = new QAction(QStringLiteral("Save image…"), this);
    auto* copyAction = new QAction(QStringLiteral("Copy series as CSV"), this);
    auto* resetAction = new QAction(QStringLiteral("Reset zoom"), this);
    connect(saveAction, &QAction::triggered, this, &TimelinePage::saveImageInteractive);
    connect(copyAction, &QAction::triggered, this, &TimelinePage::copySeriesCsv);
    connect(resetAction, &QAction::triggered, this, &TimelinePage::resetZoom);
    for (TimeChartView* view : {m_trafficView, m_dropsView}) {
        view->setContextMenuPolicy(Qt::ActionsContextMenu);
        view->addActions({resetAction, saveAction, copyAction});
        connect(view, &TimeChartView::dragging, this, [this](double t0, double t1) {
            updateSelection(std::make_pair(std::min(t0, t1), std::max(t0, t1)));
            if (m_series.binSeconds > 0) {
                const timeaxis::TimeRange r = timeaxis::selectionToRange(t0, t1, m_series.binSeconds);
                m_hoverLabel->setText(QStringLiteral("Selecting %1 – %2 (%3)")
                                          .arg(formatTime(r.start), formatTime(r.end), timeaxis::binLabel(r.end - r.start)));
            }
        });
        connect(view, &TimeChartView::dragFinished, this, [this](double t0, double t1) {
            m_hoverLabel->setText(hintText()); // the drag is over: no "Selecting …" left behind
            selectRange(t0, t1);
        });
        connect(view, &TimeChartView::dragCancelled, this, [this]() {
            m_hoverLabel->setText(hintText());
            updateSelection(std::nullopt);
        });
        connect(view, &TimeChartView::resetRequested, this, &TimelinePage::resetRange);
        connect(view, &TimeChartView::zoomRequested, this, &TimelinePage::zoom);
        connect(view, &TimeChartView::hovered, this, &TimelinePage::hover);
        connect(view, &TimeChartView::hoverLeft, this, &TimelinePage::clearHover);
        connect(view, &TimeChartView::resized, m_alignTimer, qOverload<>(&QTimer::start));
        connect(view->chart(), &QChart::plotAreaChanged, this, [this]() {
            if (!m_aligning) m_alignTimer->start();
        });
    }

    connect(m_resetZoomButton, &QToolButton::clicked, this, &TimelinePage::resetZoom);
    connect(saveButton, &QToolButton::clicked, this, &TimelinePage::saveImageInteractive);
    connect(copyButton, &QToolButton::clicked, this, &TimelinePage::copySeriesCsv);
    connect(m_metricBox, &QComboBox::activated, this,
            [this](int) { setMetric(static_cast<Metric>(m_metricBox->currentData().toInt())); });
    connect(m_splitBox, &QComboBox::activated, this,
            [this](int) { setSplit(static_cast<core::SeriesSplit>(m_splitBox->currentData().toInt()), m_topNBox->value()); });
    connect(m_topNBox, &QSpinBox::valueChanged, this, [this](int n) { setSplit(m_split, n); });
    connect(m_binBox, &QComboBox::activated, this, [this](int) { setBinSeconds(m_binBox->currentData().toLongLong()); });
    m_topNBox->setEnabled(false);
}

void TimelinePage::setMetric(Metric metric)
{
    if (metric == m_metric) return;
    m_metric = metric;
    m_metricBox->setCurrentIndex(m_metricBox->findData(static_cast<int>(metric)));
    const bool bytes = metric == Metric::Bytes;
    m_splitBox->setEnabled(bytes);
    m_topNBox->setEnabled(bytes && m_split != core::SeriesSplit::None && m_split != core::SeriesSplit::Direction);
    m_splitBox->setToolTip(bytes ? QString() : QStringLiteral("Stacking is available for bytes only"));
    // Packets and flows need no new query unless a bytes split was showing.
    if (m_split != core::SeriesSplit::None) scheduleRefresh();
    else rebuildTraffic();
}

void TimelinePage::setSplit(core::SeriesSplit split, int topN)
{
    topN = std::clamp(topN, 1, 20);
    if (split == m_split && topN == m_topN) return;
    m_split = split;
    m_topN = topN;
    m_splitBox->setCurrentIndex(m_splitBox->findData(static_cast<int>(split)));
    {
        const QSignalBlocker block(m_topNBox);
        m_topNBox->setValue(topN);
    }
    m_topNBox->setEnabled(split == core::SeriesSplit::Attachment || split == core::SeriesSplit::Edge);
    scheduleRefresh();
}

void TimelinePage::setNames(const core::NameDirectory& names)
{
    m_names = names;
    rebuildTraffic();
}

void TimelinePage::setBinSeconds(qint64 seconds)
{
    seconds = std::max<qint64>(0, seconds);
    if (seconds == m_binSeconds) return;
    m_binSeconds = seconds;
    const int index = m_binBox->findData(seconds);
    if (index >= 0) m_binBox->setCurrentIndex(index);
    scheduleRefresh();
}

void TimelinePage::scheduleRefresh()
{
    m_refresh.invalidate();
    m_refreshTimer->start();
}

void TimelinePage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_refresh.shown()) scheduleRefresh();
    m_alignTimer->start();
}

void TimelinePage::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (!m_trafficChart || !m_dropsChart) return; // still constructing
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        applyStyle();
        rebuildTraffic();
        rebuildDrops();
    }
}

void TimelinePage::refresh()
{
    // A hidden page (another tab in front) recomputes when it is shown again.
    if (!m_refresh.start(isVisible() && !m_external)) return;
    std::shared_ptr<core::Store> store = m_session->store();
    const QString filter = m_session->filter();
    const qint64 bin = m_binSeconds;
    const core::SeriesSplit split = m_metric == Metric::Bytes ? m_split : core::SeriesSplit::None;
    const int topN = m_topN;
    const TimelineBaseline baseline = m_baseline;
    m_jobs->run(
        [store, filter, bin, split, topN, baseline](const std::atomic<bool>* cancel) {
            Result r;
            r.filter = filter;
            if (!store || store->recordCount() == 0) return r;
            // One scan gives the totals, the drops and the stacked layers on the same bins.
            auto computed = core::computeSeriesWithSplit(*store, filter, split, topN, bin, cancel);
            if (!computed.ok()) {
                r.ok = false;
                r.error = computed.error().message;
                return r;
            }
            r.series = std::move(computed->series);
            if (!r.series.bins.empty()) r.split = std::move(computed->split);
            if (baseline.active() && !r.series.bins.empty()) {
                AlignedBaseline b = alignTimelineBaseline(*store, filter, baseline, r.series, cancel);
                r.baseline = std::move(b.bins);
                r.baselineOffset = b.offset;
                r.baselineNote = std::move(b.note);
            }
            return r;
        },
        [this](const Result& r) {
            if (!m_external) applyResult(r);
        });
}

void TimelinePage::setExternalSeries(core::Series series, const QString& source)
{
    m_external = true;
    m_refresh.invalidate();
    m_lastSetFilter.clear();
    m_lastBaseFilter.clear();
    m_banner->setText(externalBannerText(source));
    m_banner->show();
    Result r;
    r.series = std::move(series);
    applyResult(r);
    Q_EMIT externalChanged(true);
}

void TimelinePage::clearExternal()
{
    if (!m_external) return;
    m_external = false;
    m_banner->hide();
    m_banner->clear();
    applyResult(Result{});
    Q_EMIT externalChanged(false);
    scheduleRefresh();
}

QString TimelinePage::bannerText() const
{
    return m_external ? m_banner->text() : QString();
}

void TimelinePage::applyResult(const Result& r)
{
    m_error = r.error;
    m_computedFilter = r.filter;
    m_series = r.ok ? r.series : core::Series{};
    m_splitSeries = r.split;
    m_baselineBins = r.baseline;
    m_baselineOffset = r.baselineOffset;
    m_baselineNote = r.baselineNote;
    if (!m_series.bins.empty() && m_series.binSeconds > 0) {
        m_dataFrom = static_cast<double>(m_series.bins.front().start);
        m_dataTo = static_cast<double>(m_series.bins.back().start + m_series.binSeconds);
    } else {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        m_dataFrom = static_cast<double>(timeaxis::floorTo(now, 3600) - 3600);
        m_dataTo = m_dataFrom + 3600;
    }
    m_viewFrom = m_dataFrom;
    m_viewTo = m_dataTo;
    m_binBox->setItemText(0, m_series.binSeconds > 0 && m_binSeconds == 0
                                 ? QStringLiteral("Auto (%1)").arg(timeaxis::binLabel(m_series.binSeconds))
                                 : QStringLiteral("Auto"));
    updateSelection(std::nullopt);
    clearHover();
    rebuildTraffic();
    rebuildDrops();
    applyWindow();
    updateStatus();
    ++m_resultCount;
    Q_EMIT resultReady();
}

int TimelinePage::utcOffsetSeconds() const
{
    if (m_session->timeDisplay() != TimeDisplay::Local) return 0;
    return QDateTime::fromSecsSinceEpoch(static_cast<qint64>(m_viewFrom)).offsetFromUtc();
}

QString TimelinePage::formatTime(qint64 t) const
{
    return m_session->formatTime(t);
}

void TimelinePage::updateStatus()
{
    QString text;
    if (m_busy) {
        text = QStringLiteral("Computing…");
    } else if (!m_series.bins.empty()) {
        text = QStringLiteral("%1 bins of %2 · %3 – %4")
                   .arg(m_series.bins.size())
                   .arg(timeaxis::binLabel(m_series.binSeconds), formatTime(m_series.bins.front().start),
                        formatTime(m_series.bins.back().start + m_series.binSeconds));
    }
    if (!m_error.isEmpty()) text += (text.isEmpty() ? QString() : QStringLiteral(" · ")) + m_error;
    if (m_baseline.active() && !m_busy) text += QStringLiteral(" · ") + baselineStatus();
    m_statusLabel->setText(text);
    m_statusLabel->setToolTip(m_computedFilter.isEmpty() ? QStringLiteral("All records")
                                                         : QStringLiteral("Filter: %1").arg(m_computedFilter));
}

QByteArray TimelinePage::seriesCsv() const
{
    return timeline::seriesCsv(m_series);
}

void TimelinePage::copySeriesCsv()
{
    QApplication::clipboard()->setText(QString::fromUtf8(seriesCsv()));
}

} // namespace ui
