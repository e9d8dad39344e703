#include "ui/timelinepage.h"

#include "core/filter.h"
#include "ui/jobtracker.h"
#include "ui/session.h"
#include "ui/timechartview.h"

#include <QAction>
#include <QApplication>
#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QFileInfo>
#include <QGraphicsLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMessageBox>
#include <QPainter>
#include <QSpinBox>
#include <QSplitter>
#include <QSvgGenerator>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>
#include <algorithm>
#include <array>
#include <cmath>

namespace ui {

using timeaxis::Metric;

struct TimelinePage::Result {
    bool ok = true;
    QString error;
    QString filter;
    core::Series series;
    std::optional<core::SplitSeries> split;
};

namespace {

constexpr double kTickSpacingPixels = 110.0;
const QMargins kChartMargins(2, 2, 12, 2);
constexpr double kRightLabelClearance = 36.0;

bool isDark(const QPalette& p) { return p.color(QPalette::Base).lightness() < 128; }

/// Colour per drop reason, readable on light and dark backgrounds.
QColor dropColor(const QString& key, bool dark)
{
    if (key == QLatin1String("no-route")) return dark ? QColor(0xF5, 0xA2, 0x4B) : QColor(0xE0, 0x7B, 0x10);
    if (key == QLatin1String("blackhole")) return dark ? QColor(0xB3, 0x93, 0xE6) : QColor(0x5B, 0x3F, 0x8C);
    if (key == QLatin1String("mtu-exceeded")) return dark ? QColor(0x5C, 0xB8, 0xE6) : QColor(0x1F, 0x77, 0xB4);
    if (key == QLatin1String("ttl-expired")) return dark ? QColor(0xF0, 0x6A, 0x6C) : QColor(0xD6, 0x27, 0x28);
    return dark ? QColor(0xA0, 0xA0, 0xA0) : QColor(0x70, 0x70, 0x70); // VPC REJECT
}

/// Qualitative palette for stacked traffic (Tableau 10 order), "other" in grey.
QColor trafficColor(int index, const QString& key, bool dark)
{
    if (key == QLatin1String("other")) return dark ? QColor(0x80, 0x80, 0x80) : QColor(0xB0, 0xB0, 0xB0);
    static const QRgb colors[] = {0x4E79A7, 0xF28E2B, 0x59A14F, 0xE15759, 0x76B7B2,
                                  0xEDC948, 0xB07AA1, 0xFF9DA7, 0x9C755F, 0xBAB0AC};
    constexpr int n = static_cast<int>(sizeof(colors) / sizeof(colors[0]));
    QColor c = QColor::fromRgb(colors[((index % n) + n) % n]);
    return dark ? c.lighter(115) : c;
}

void styleAxis(QAbstractAxis* axis, const QPalette& pal)
{
    const QColor text = pal.color(QPalette::Text);
    QColor grid = text;
    grid.setAlpha(40);
    QColor line = text;
    line.setAlpha(110);
    axis->setLabelsBrush(text);
    axis->setTitleBrush(text);
    axis->setGridLineColor(grid);
    axis->setLinePenColor(line);
    QFont f = axis->labelsFont();
    f.setPointSizeF(std::max(7.0, QApplication::font().pointSizeF() * 0.9));
    axis->setLabelsFont(f);
    QFont tf = f;
    tf.setBold(false);
    axis->setTitleFont(tf);
}

} // namespace

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

TimelinePage::~TimelinePage() { m_jobs->cancelAll(); }

void TimelinePage::buildUi()
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);

    auto* bar = new QHBoxLayout();
    bar->setSpacing(6);
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
    m_binBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    for (qint64 s : timeaxis::binChoices()) m_binBox->addItem(timeaxis::binLabel(s), s);
    m_binBox->setToolTip(QStringLiteral("Bin size (Auto aims at 200-400 bins, never below 1 min)"));
    m_statusLabel = new QLabel(this);
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_resetZoomButton = new QToolButton(this);
    m_resetZoomButton->setText(QStringLiteral("Reset zoom"));
    m_resetZoomButton->setEnabled(false);
    auto* saveButton = new QToolButton(this);
    saveButton->setText(QStringLiteral("Save image…"));
    saveButton->setToolTip(QStringLiteral("Save both charts as PNG or SVG"));
    auto* copyButton = new QToolButton(this);
    copyButton->setText(QStringLiteral("Copy CSV"));
    copyButton->setToolTip(QStringLiteral("Copy the series as CSV (same columns as flowlog-cli series)"));

    bar->addWidget(new QLabel(QStringLiteral("Show"), this));
    bar->addWidget(m_metricBox);
    bar->addWidget(m_splitBox);
    bar->addWidget(m_topNBox);
    bar->addWidget(new QLabel(QStringLiteral("Bin"), this));
    bar->addWidget(m_binBox);
    bar->addWidget(m_statusLabel, 1);
    bar->addWidget(m_resetZoomButton);
    bar->addWidget(saveButton);
    bar->addWidget(copyButton);
    layout->addLayout(bar);

    const auto makeChart = [this](QCategoryAxis*& x, QValueAxis*& y) {
        auto* chart = new QChart();
        chart->setAnimationOptions(QChart::NoAnimation);
        chart->setBackgroundRoundness(0);
        chart->setMargins(kChartMargins);
        chart->layout()->setContentsMargins(0, 0, 0, 0);
        chart->legend()->setAlignment(Qt::AlignRight);
        x = new QCategoryAxis(chart);
        x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        y = new QValueAxis(chart);
        y->setLabelFormat(QStringLiteral("%g"));
        y->setMin(0);
        chart->addAxis(x, Qt::AlignBottom);
        chart->addAxis(y, Qt::AlignLeft);
        return chart;
    };
    m_trafficChart = makeChart(m_trafficX, m_trafficY);
    m_dropsChart = makeChart(m_dropsX, m_dropsY);
    m_trafficChart->setTitle(QStringLiteral("Traffic"));
    m_dropsChart->setTitle(QStringLiteral("Dropped packets by reason"));
    m_trafficView = new TimeChartView(m_trafficChart, this);
    m_dropsView = new TimeChartView(m_dropsChart, this);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_trafficView);
    splitter->addWidget(m_dropsView);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    layout->addWidget(splitter, 1);

    m_hoverLabel = new QLabel(this);
    m_hoverLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_hoverLabel->setText(QStringLiteral("Drag across a chart to filter on a time range · double-click to remove it · wheel to zoom"));
    layout->addWidget(m_hoverLabel);

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
        });
        connect(view, &TimeChartView::dragFinished, this, &TimelinePage::selectRange);
        connect(view, &TimeChartView::dragCancelled, this, [this]() { updateSelection(std::nullopt); });
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
    connect(m_metricBox, &QComboBox::activated, this, [this](int) {
        setMetric(static_cast<Metric>(m_metricBox->currentData().toInt()));
    });
    connect(m_splitBox, &QComboBox::activated, this, [this](int) {
        setSplit(static_cast<core::SeriesSplit>(m_splitBox->currentData().toInt()), m_topNBox->value());
    });
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
    m_dirty = true;
    m_refreshTimer->start();
}

void TimelinePage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_dirty) scheduleRefresh();
    m_alignTimer->start();
}

void TimelinePage::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        applyStyle();
        rebuildTraffic();
        rebuildDrops();
    }
}

void TimelinePage::refresh()
{
    // A hidden page (another tab in front) recomputes when it is shown again.
    if (!isVisible()) {
        m_dirty = true;
        return;
    }
    m_dirty = false;
    std::shared_ptr<core::Store> store = m_session->store();
    const QString filter = m_session->filter();
    const qint64 bin = m_binSeconds;
    const core::SeriesSplit split = m_metric == Metric::Bytes ? m_split : core::SeriesSplit::None;
    const int topN = m_topN;
    m_jobs->run(
        [store, filter, bin, split, topN](const std::atomic<bool>* cancel) {
            Result r;
            r.filter = filter;
            if (!store || store->recordCount() == 0) return r;
            auto series = core::computeSeries(*store, filter, bin, cancel);
            if (!series.ok()) {
                r.ok = false;
                r.error = series.error().message;
                return r;
            }
            r.series = std::move(series.value());
            if (split != core::SeriesSplit::None && !r.series.bins.empty()) {
                auto s = core::computeSplitSeries(*store, filter, split, topN, r.series.binSeconds, cancel);
                if (s.ok()) r.split = std::move(s.value());
                else r.error = s.error().message; // the total still shows
            }
            return r;
        },
        [this](const Result& r) { applyResult(r); });
}

void TimelinePage::applyResult(const Result& r)
{
    m_error = r.error;
    m_computedFilter = r.filter;
    m_series = r.ok ? r.series : core::Series{};
    m_splitSeries = r.split;
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

void TimelinePage::rebuildTraffic()
{
    const bool dark = isDark(palette());
    const bool useSplit = m_metric == Metric::Bytes && m_split != core::SeriesSplit::None && m_splitSeries;
    const timeline::StackedData d = timeline::trafficData(m_series, useSplit ? &*m_splitSeries : nullptr, m_metric);
    m_trafficChart->removeAllSeries();
    const timeaxis::ValueScale scale = timeaxis::valueScale(d.maxTotal(), m_metric);
    const auto sums = timeline::cumulative(d);
    for (size_t k = 0; k < d.layers.size(); ++k) {
        auto* area = new QAreaSeries();
        auto* upper = new QLineSeries(area);
        upper->replace(timeline::stepPoints(d, sums[k], scale.divisor));
        area->setUpperSeries(upper);
        if (k > 0) {
            auto* lower = new QLineSeries(area);
            lower->replace(timeline::stepPoints(d, sums[k - 1], scale.divisor));
            area->setLowerSeries(lower);
        }
        const QColor c = d.layers.size() == 1 ? trafficColor(0, QString(), dark)
                                              : trafficColor(static_cast<int>(k), d.layers[k].key, dark);
        QColor fill = c;
        fill.setAlpha(d.layers.size() == 1 ? 170 : 215);
        area->setBrush(fill);
        QPen pen(c.darker(dark ? 100 : 125));
        pen.setWidthF(1.0);
        area->setPen(pen);
        area->setName(QStringLiteral("%1  %2").arg(d.layers[k].name, timeaxis::humanValue(d.layers[k].total(), m_metric)));
        m_trafficChart->addSeries(area);
        area->attachAxis(m_trafficX);
        area->attachAxis(m_trafficY);
    }
    m_trafficChart->legend()->setVisible(d.layers.size() > 1);
    const double top = d.maxTotal() / scale.divisor;
    m_trafficY->setRange(0, top > 0 ? top * 1.05 : 1.0);
    m_trafficY->applyNiceNumbers();
    m_trafficY->setTitleText(timeaxis::axisTitle(m_metric, scale, m_series.binSeconds));
    QString title = QStringLiteral("Traffic: %1").arg(timeaxis::metricNoun(m_metric));
    if (useSplit) title += QStringLiteral(" · ") + m_splitBox->currentText().toLower();
    m_trafficChart->setTitle(title);
    if (!m_error.isEmpty() && m_series.bins.empty()) m_trafficView->setMessage(m_error);
    else if (m_series.bins.empty()) m_trafficView->setMessage(m_session->store() && m_session->store()->recordCount() > 0
                                                                 ? QStringLiteral("No records match the filter")
                                                                 : QStringLiteral("No flow logs loaded"));
    else m_trafficView->setMessage(QString());
    m_alignTimer->start();
}

void TimelinePage::rebuildDrops()
{
    const bool dark = isDark(palette());
    const timeline::StackedData d = timeline::dropsData(m_series);
    m_dropsChart->removeAllSeries();
    const timeaxis::ValueScale scale = timeaxis::valueScale(d.maxTotal(), Metric::DroppedPackets);
    const auto sums = timeline::cumulative(d);
    double dropped = 0;
    for (size_t k = 0; k < d.layers.size(); ++k) {
        auto* area = new QAreaSeries();
        auto* upper = new QLineSeries(area);
        upper->replace(timeline::stepPoints(d, sums[k], scale.divisor));
        area->setUpperSeries(upper);
        if (k > 0) {
            auto* lower = new QLineSeries(area);
            lower->replace(timeline::stepPoints(d, sums[k - 1], scale.divisor));
            area->setLowerSeries(lower);
        }
        const QColor c = dropColor(d.layers[k].key, dark);
        QColor fill = c;
        fill.setAlpha(220);
        area->setBrush(fill);
        QPen pen(c.darker(dark ? 100 : 120));
        pen.setWidthF(1.0);
        area->setPen(pen);
        const double total = d.layers[k].total();
        if (d.layers[k].key != QLatin1String("reject")) dropped += total;
        area->setName(QStringLiteral("%1  %2").arg(d.layers[k].name, timeaxis::groupedNumber(static_cast<qint64>(total))));
        m_dropsChart->addSeries(area);
        area->attachAxis(m_dropsX);
        area->attachAxis(m_dropsY);
    }
    m_dropsChart->legend()->setVisible(!d.layers.empty());
    const double top = d.maxTotal() / scale.divisor;
    m_dropsY->setRange(0, top > 0 ? top * 1.05 : 1.0);
    m_dropsY->applyNiceNumbers();
    const bool rejects = d.layers.size() > core::LostReasonCount;
    m_dropsY->setTitleText(timeaxis::axisTitle(Metric::DroppedPackets, scale, m_series.binSeconds));
    m_dropsChart->setTitle(rejects ? QStringLiteral("Dropped packets by reason · VPC REJECT records")
                                   : QStringLiteral("Dropped packets by reason"));
    if (!m_series.bins.empty() && dropped == 0 && !rejects)
        m_dropsView->setMessage(QStringLiteral("No dropped packets in this selection"));
    else m_dropsView->setMessage(QString());
    m_alignTimer->start();
}

int TimelinePage::utcOffsetSeconds() const
{
    if (m_session->timeDisplay() != TimeDisplay::Local) return 0;
    return QDateTime::fromSecsSinceEpoch(static_cast<qint64>(m_viewFrom)).offsetFromUtc();
}

QString TimelinePage::formatTime(qint64 t) const { return m_session->formatTime(t); }

void TimelinePage::applyWindow()
{
    const int offset = utcOffsetSeconds();
    const double plotWidth = std::max(200.0, m_trafficView->plotAreaInViewport().width());
    const int maxTicks = std::max(2, static_cast<int>(plotWidth / kTickSpacingPixels));
    const std::vector<timeaxis::Tick> ticks = timeaxis::timeTicks(m_viewFrom, m_viewTo, maxTicks, offset);
    QString zone = QStringLiteral("UTC");
    if (m_session->timeDisplay() == TimeDisplay::Local) {
        const int minutes = offset / 60;
        zone = QStringLiteral("local, UTC%1%2:%3")
                   .arg(minutes < 0 ? QLatin1Char('-') : QLatin1Char('+'))
                   .arg(std::abs(minutes) / 60, 2, 10, QLatin1Char('0'))
                   .arg(std::abs(minutes) % 60, 2, 10, QLatin1Char('0'));
    }
    for (QCategoryAxis* axis : {m_trafficX, m_dropsX}) {
        const QStringList old = axis->categoriesLabels();
        for (const QString& label : old) axis->remove(label);
        double start = m_viewFrom;
        if (!ticks.empty()) start = std::min(start, static_cast<double>(ticks.front().time)) - 1.0;
        axis->setStartValue(start);
        QStringList used;
        for (const timeaxis::Tick& tick : ticks) {
            // A label centred on the right edge would be cut off by the view.
            if ((m_viewTo - static_cast<double>(tick.time)) / (m_viewTo - m_viewFrom) * plotWidth < kRightLabelClearance) continue;
            // Category labels must be unique; a zero-width space keeps repeated clock times apart.
            QString label = tick.label;
            while (used.contains(label)) label += QChar(0x200B);
            used << label;
            axis->append(label, static_cast<double>(tick.time));
        }
        axis->setRange(m_viewFrom, m_viewTo);
    }
    m_trafficX->setTitleVisible(false);
    m_dropsX->setTitleText(QStringLiteral("Time (%1)").arg(zone));
    m_dropsX->setTitleVisible(true);
    m_trafficView->setTimeWindow(m_viewFrom, m_viewTo);
    m_dropsView->setTimeWindow(m_viewFrom, m_viewTo);
    m_resetZoomButton->setEnabled(m_viewFrom > m_dataFrom || m_viewTo < m_dataTo);
    m_alignTimer->start();
}

void TimelinePage::applyStyle()
{
    const QPalette pal = palette();
    for (QChart* chart : {m_trafficChart, m_dropsChart}) {
        chart->setBackgroundBrush(pal.color(QPalette::Base));
        chart->setBackgroundPen(Qt::NoPen);
        chart->setTitleBrush(pal.color(QPalette::Text));
        QFont tf = QApplication::font();
        tf.setBold(true);
        chart->setTitleFont(tf);
        chart->legend()->setLabelColor(pal.color(QPalette::Text));
        chart->legend()->setBrush(Qt::NoBrush);
        chart->legend()->setPen(Qt::NoPen);
        for (QAbstractAxis* axis : chart->axes()) styleAxis(axis, pal);
    }
    for (TimeChartView* view : {m_trafficView, m_dropsView}) view->setBackgroundBrush(pal.color(QPalette::Base));
}

void TimelinePage::alignPlotAreas()
{
    // Two charts share one time axis, so their plot areas must start and end at the same x even
    // though their value-axis labels differ in width. Each chart's plot area starts at
    // margin + axis width; pad the margin of the chart with the narrower axis by the difference.
    if (m_aligning) return;
    m_aligning = true;
    std::array<QChart*, 2> charts{m_trafficChart, m_dropsChart};
    std::array<double, 2> axisLeft{};
    std::array<double, 2> axisRight{};
    for (size_t i = 0; i < charts.size(); ++i) {
        QChart* chart = charts[i];
        if (chart->layout()) {
            chart->layout()->invalidate();
            chart->layout()->activate();
        }
        const QRectF pa = chart->plotArea();
        axisLeft[i] = pa.left() - chart->margins().left();
        axisRight[i] = chart->size().width() - pa.right() - chart->margins().right();
    }
    const double left = std::max(axisLeft[0], axisLeft[1]);
    const double right = std::max(axisRight[0], axisRight[1]);
    for (size_t i = 0; i < charts.size(); ++i) {
        QMargins m = kChartMargins;
        m.setLeft(kChartMargins.left() + static_cast<int>(std::lround(left - axisLeft[i])));
        m.setRight(kChartMargins.right() + static_cast<int>(std::lround(right - axisRight[i])));
        if (m != charts[i]->margins()) charts[i]->setMargins(m);
    }
    m_aligning = false;
    m_trafficView->setTimeWindow(m_viewFrom, m_viewTo);
    m_dropsView->setTimeWindow(m_viewFrom, m_viewTo);
}

void TimelinePage::updateSelection(std::optional<std::pair<double, double>> band)
{
    if (band && m_series.binSeconds > 0) {
        // Show the band snapped to the bins the filter will cover.
        const timeaxis::TimeRange r = timeaxis::selectionToRange(band->first, band->second, m_series.binSeconds);
        band = std::make_pair(static_cast<double>(r.start), static_cast<double>(r.end));
    }
    m_trafficView->setSelectionBand(band);
    m_dropsView->setSelectionBand(band);
}

void TimelinePage::selectRange(double t0, double t1)
{
    if (m_series.bins.empty()) {
        updateSelection(std::nullopt);
        return;
    }
    const qint64 bin = m_series.binSeconds > 0 ? m_series.binSeconds : 60;
    timeaxis::TimeRange range = timeaxis::selectionToRange(t0, t1, bin);
    range.start = std::max(range.start, static_cast<qint64>(m_dataFrom));
    range.end = std::min(range.end, static_cast<qint64>(m_dataTo));
    if (range.isEmpty()) {
        updateSelection(std::nullopt);
        return;
    }
    updateSelection(std::make_pair(static_cast<double>(range.start), static_cast<double>(range.end)));
    const QString current = m_session->filter();
    const QString base = (!m_lastSetFilter.isEmpty() && current == m_lastSetFilter)
                             ? m_lastBaseFilter
                             : timeaxis::splitTimeRange(current).base;
    const QString next = core::combineFilters(base, timeaxis::timeRangeClause(range)).trimmed();
    m_lastBaseFilter = base;
    m_lastSetFilter = next;
    m_session->setFilter(next);
}

void TimelinePage::resetRange()
{
    resetZoom();
    const QString current = m_session->filter();
    const QString base = (!m_lastSetFilter.isEmpty() && current == m_lastSetFilter)
                             ? m_lastBaseFilter
                             : timeaxis::splitTimeRange(current).base;
    updateSelection(std::nullopt);
    if (base != current) m_session->setFilter(base);
}

void TimelinePage::resetZoom()
{
    if (m_viewFrom == m_dataFrom && m_viewTo == m_dataTo) return;
    m_viewFrom = m_dataFrom;
    m_viewTo = m_dataTo;
    applyWindow();
}

void TimelinePage::zoom(double anchor, double factor)
{
    if (m_series.bins.empty()) return;
    const double minSpan = static_cast<double>(std::max<qint64>(4 * m_series.binSeconds, 60));
    const auto [from, to] = timeaxis::zoomRange(m_viewFrom, m_viewTo, anchor, factor, m_dataFrom, m_dataTo, minSpan);
    m_viewFrom = from;
    m_viewTo = to;
    applyWindow();
}

void TimelinePage::hover(double t)
{
    timeline::StackedData grid;
    grid.binSeconds = m_series.binSeconds;
    grid.binCount = m_series.bins.size();
    grid.firstStart = m_series.bins.empty() ? 0 : m_series.bins.front().start;
    const auto index = grid.binIndexAt(t);
    if (!index) {
        clearHover();
        return;
    }
    const auto band = std::make_pair(static_cast<double>(grid.binStart(*index)), static_cast<double>(grid.binStart(*index + 1)));
    m_trafficView->setHoverBand(band);
    m_dropsView->setHoverBand(band);
    QString text = timeline::binSummary(m_series, *index, [this](qint64 s) { return formatTime(s); });
    if (m_metric == Metric::Bytes && m_split != core::SeriesSplit::None && m_splitSeries) {
        const timeline::StackedData d = timeline::trafficData(m_series, &*m_splitSeries, Metric::Bytes);
        for (const timeline::Layer& l : d.layers) {
            if (*index < l.values.size() && l.values[*index] > 0)
                text += QStringLiteral("\n  %1: %2").arg(l.name, timeaxis::humanValue(l.values[*index], Metric::Bytes));
        }
    }
    m_hoverLabel->setText(text.section(QLatin1Char('\n'), 0, 3).replace(QLatin1Char('\n'), QStringLiteral("   ·   ")));
    QToolTip::showText(QCursor::pos(), text, this);
}

void TimelinePage::clearHover()
{
    m_trafficView->setHoverBand(std::nullopt);
    m_dropsView->setHoverBand(std::nullopt);
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
    m_statusLabel->setText(text);
    m_statusLabel->setToolTip(m_computedFilter.isEmpty() ? QStringLiteral("All records")
                                                         : QStringLiteral("Filter: %1").arg(m_computedFilter));
}

QByteArray TimelinePage::seriesCsv() const { return timeline::seriesCsv(m_series); }

void TimelinePage::copySeriesCsv()
{
    QApplication::clipboard()->setText(QString::fromUtf8(seriesCsv()));
}

bool TimelinePage::saveImage(const QString& path, QString* error)
{
    clearHover();
    const QSize a = m_trafficView->viewport()->size();
    const QSize b = m_dropsView->viewport()->size();
    const int width = std::max(a.width(), b.width());
    const int height = a.height() + b.height();
    if (width <= 0 || height <= 0) {
        if (error) *error = QStringLiteral("The charts have no size yet");
        return false;
    }
    const auto paint = [&](QPainter& p) {
        p.fillRect(QRect(0, 0, width, height), palette().color(QPalette::Base));
        m_trafficView->render(&p, QRectF(0, 0, a.width(), a.height()), m_trafficView->viewport()->rect());
        m_dropsView->render(&p, QRectF(0, a.height(), b.width(), b.height()), m_dropsView->viewport()->rect());
    };
    if (QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(QSize(width, height));
        svg.setViewBox(QRect(0, 0, width, height));
        svg.setTitle(QStringLiteral("Flowlog Explorer timeline"));
        svg.setDescription(m_computedFilter.isEmpty() ? QStringLiteral("All records") : m_computedFilter);
        QPainter p;
        if (!p.begin(&svg)) {
            if (error) *error = QStringLiteral("Cannot write %1").arg(path);
            return false;
        }
        paint(p);
        p.end();
        if (!QFileInfo::exists(path)) {
            if (error) *error = QStringLiteral("Cannot write %1").arg(path);
            return false;
        }
        return true;
    }
    const qreal dpr = 2.0;
    QImage image(QSize(width, height) * dpr, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(dpr);
    {
        QPainter p(&image);
        p.setRenderHint(QPainter::Antialiasing);
        p.setRenderHint(QPainter::TextAntialiasing);
        paint(p);
    }
    if (!image.save(path)) {
        if (error) *error = QStringLiteral("Cannot write %1").arg(path);
        return false;
    }
    return true;
}

void TimelinePage::saveImageInteractive()
{
    QString selected;
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Save timeline charts"),
                                                      QStringLiteral("timeline.png"),
                                                      QStringLiteral("PNG image (*.png);;SVG image (*.svg)"), &selected);
    if (path.isEmpty()) return;
    QString target = path;
    if (QFileInfo(target).suffix().isEmpty())
        target += selected.contains(QLatin1String("svg")) ? QStringLiteral(".svg") : QStringLiteral(".png");
    QString error;
    if (!saveImage(target, &error)) QMessageBox::warning(this, QStringLiteral("Save image"), error);
}

} // namespace ui
