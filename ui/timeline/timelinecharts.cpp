// TimelinePage, part 2: the charts themselves: building the QtCharts series from the data
// (one replace() per line series; a refresh with as many layers reuses the series), time and
// value axes, palette styling, keeping the two plot areas aligned, and image export.
// Behaviour (jobs, gestures, filter) is in timelinepage.cpp.
#include "ui/timeline/timelinepage.h"

#include "ui/logic/session.h"
#include "ui/timeline/timechartview.h"

#include <QApplication>
#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QFileInfo>
#include <QGraphicsLayout>
#include <QLegend>
#include <QLineSeries>
#include <QMessageBox>
#include <QPainter>
#include <QSvgGenerator>
#include <QTimer>
#include <QToolButton>
#include <QValueAxis>
#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

namespace ui {

using timeaxis::Metric;

namespace {

constexpr double kTickSpacingPixels = 90.0;
const QMargins kChartMargins(2, 2, 12, 2);
constexpr double kRightLabelClearance = 36.0;

bool isDark(const QPalette& p)
{
    return p.color(QPalette::Base).lightness() < 128;
}

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

/// The stacked area series of `chart`, `count` of them attached to x and y: the ones it shows
/// when the number of layers is unchanged (a refresh only replaces their points), else new
/// ones. Layer k > 0 has a lower series (the top of layer k - 1).
std::vector<QAreaSeries*> stackedAreas(QChart* chart, size_t count, QAbstractAxis* x, QAbstractAxis* y)
{
    std::vector<QAreaSeries*> areas;
    const QList<QAbstractSeries*> current = chart->series();
    if (static_cast<size_t>(current.size()) == count) {
        for (QAbstractSeries* s : current) {
            auto* area = qobject_cast<QAreaSeries*>(s);
            if (!area || !area->upperSeries() || (!areas.empty() && !area->lowerSeries())) break;
            areas.push_back(area);
        }
        if (areas.size() == count) return areas;
        areas.clear();
    }
    chart->removeAllSeries();
    for (size_t k = 0; k < count; ++k) {
        auto* area = new QAreaSeries();
        area->setUpperSeries(new QLineSeries(area));
        if (k > 0) area->setLowerSeries(new QLineSeries(area));
        chart->addSeries(area);
        area->attachAxis(x);
        area->attachAxis(y);
        areas.push_back(area);
    }
    return areas;
}

/// How the layers of a stacked chart look: colour, fill alpha, outline darkening (percent, as
/// QColor::darker) and legend name, per layer index.
struct AreaStyle {
    std::function<QColor(size_t)> color;
    int alpha = 220;
    int darker = 120;
    std::function<QString(size_t)> name;
};

/// The one stacked-area builder of both charts: layer k is the band between the cumulative sums
/// of layers k-1 and k (step lines, values divided by `divisor`).
void fillStackedAreas(QChart* chart, const timeline::StackedData& d, double divisor, QAbstractAxis* x, QAbstractAxis* y,
                      const AreaStyle& style)
{
    const auto sums = timeline::cumulative(d);
    const std::vector<QAreaSeries*> areas = stackedAreas(chart, d.layers.size(), x, y);
    QList<QPointF> below;
    for (size_t k = 0; k < d.layers.size(); ++k) {
        QAreaSeries* area = areas[k];
        QList<QPointF> top = timeline::stepPoints(d, sums[k], divisor);
        area->upperSeries()->replace(top);
        if (k > 0) area->lowerSeries()->replace(below);
        below = std::move(top);
        const QColor c = style.color(k);
        QColor fill = c;
        fill.setAlpha(style.alpha);
        area->setBrush(fill);
        QPen pen(c.darker(style.darker));
        pen.setWidthF(1.0);
        area->setPen(pen);
        area->setName(style.name(k));
    }
}

} // namespace

QChart* TimelinePage::createChart(QCategoryAxis*& x, QValueAxis*& y)
{
    auto* chart = new QChart();
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    chart->setMargins(kChartMargins);
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->legend()->setAlignment(Qt::AlignRight);
    // A slightly smaller legend: the drops chart's five reasons (and a top-5 stack's six
    // entries) fit a laptop's short chart without the legend dropping its last entries.
    QFont legendFont = chart->legend()->font();
    legendFont.setPointSizeF(legendFont.pointSizeF() * 0.85);
    chart->legend()->setFont(legendFont);
    chart->legend()->setMarkerShape(QLegend::MarkerShapeRectangle);
    x = new QCategoryAxis(chart);
    x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    y = new QValueAxis(chart);
    y->setLabelFormat(QStringLiteral("%g"));
    y->setMin(0);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    return chart;
}

timeline::StackedData TimelinePage::trafficLayers() const
{
    const bool useSplit = m_metric == Metric::Bytes && m_split != core::SeriesSplit::None && m_splitSeries;
    timeline::StackedData d = timeline::trafficData(m_series, useSplit ? &*m_splitSeries : nullptr, m_metric);
    if (!useSplit || m_names.isEmpty()) return d;
    const auto display = [this](const QString& id) {
        const QString name = m_names.name(id);
        if (name.isEmpty() || m_session->nameDisplay() == NameDisplay::Ids) return id;
        return m_session->nameDisplay() == NameDisplay::Name ? name : m_names.label(id);
    };
    for (timeline::Layer& l : d.layers) {
        if (l.key == QLatin1String("other")) continue;
        const QStringList parts = l.key.split(QStringLiteral(" -> "));
        QStringList shown;
        for (const QString& part : parts) shown << display(part);
        l.name = shown.join(QStringLiteral(" -> "));
    }
    return d;
}

void TimelinePage::rebuildTraffic()
{
    const bool dark = isDark(palette());
    const bool useSplit = m_metric == Metric::Bytes && m_split != core::SeriesSplit::None && m_splitSeries;
    const timeline::StackedData d = trafficLayers();
    const timeaxis::ValueScale scale = timeaxis::valueScale(d.maxTotal(), m_metric);
    AreaStyle style;
    style.color = [&d, dark](size_t k) {
        return d.layers.size() == 1 ? trafficColor(0, QString(), dark) : trafficColor(static_cast<int>(k), d.layers[k].key, dark);
    };
    style.alpha = d.layers.size() == 1 ? 170 : 215;
    style.darker = dark ? 100 : 125;
    style.name = [&d, this](size_t k) {
        return QStringLiteral("%1  %2").arg(d.layers[k].name, timeaxis::humanValue(d.layers[k].total(), m_metric));
    };
    removeBaselineLine();
    fillStackedAreas(m_trafficChart, d, scale.divisor, m_trafficX, m_trafficY, style);
    m_trafficChart->legend()->setVisible(!d.layers.empty());
    const double top = std::max(d.maxTotal() / scale.divisor, addBaselineLine(scale.divisor));
    m_trafficY->setRange(0, top > 0 ? top * 1.05 : 1.0);
    m_trafficY->applyNiceNumbers();
    m_trafficY->setTitleText(timeaxis::axisTitle(m_metric, scale, m_series.binSeconds));
    QString title = QStringLiteral("Traffic: %1").arg(timeaxis::metricNoun(m_metric));
    if (useSplit) title += QStringLiteral(" · ") + m_splitBox->currentText().toLower();
    m_trafficChart->setTitle(title);
    if (!m_error.isEmpty() && m_series.bins.empty()) m_trafficView->setMessage(m_error);
    else if (m_series.bins.empty())
        m_trafficView->setMessage(m_session->store() && m_session->store()->recordCount() > 0
                                      ? QStringLiteral("No records match the filter")
                                      : QStringLiteral("No flow logs loaded"));
    else m_trafficView->setMessage(QString());
    m_alignTimer->start();
}

void TimelinePage::rebuildDrops()
{
    const bool dark = isDark(palette());
    const timeline::StackedData d = timeline::dropsData(m_series);
    const timeaxis::ValueScale scale = timeaxis::valueScale(d.maxTotal(), Metric::DroppedPackets);
    AreaStyle style;
    style.color = [&d, dark](size_t k) { return dropColor(d.layers[k].key, dark); };
    style.alpha = 220;
    style.darker = dark ? 100 : 120;
    style.name = [&d](size_t k) {
        return QStringLiteral("%1  %2").arg(d.layers[k].name, timeaxis::groupedNumber(static_cast<qint64>(d.layers[k].total())));
    };
    fillStackedAreas(m_dropsChart, d, scale.divisor, m_dropsX, m_dropsY, style);
    double dropped = 0;
    for (const timeline::Layer& layer : d.layers)
        if (layer.key != QLatin1String("reject")) dropped += layer.total();
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
            if ((m_viewTo - static_cast<double>(tick.time)) / (m_viewTo - m_viewFrom) * plotWidth < kRightLabelClearance)
                continue;
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
    const QString path =
        QFileDialog::getSaveFileName(this, QStringLiteral("Save timeline charts"), QStringLiteral("timeline.png"),
                                     QStringLiteral("PNG image (*.png);;SVG image (*.svg)"), &selected);
    if (path.isEmpty()) return;
    QString target = path;
    if (QFileInfo(target).suffix().isEmpty())
        target += selected.contains(QLatin1String("svg")) ? QStringLiteral(".svg") : QStringLiteral(".png");
    QString error;
    if (!saveImage(target, &error)) QMessageBox::warning(this, QStringLiteral("Save image"), error);
}

} // namespace ui
