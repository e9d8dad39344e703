// The Timeline's comparison baseline: its series on the current bins, moved by the chosen
// offset (core::alignBaseline), drawn as a step line over the traffic bars.
#include "core/analysis/diff.h"
#include "ui/logic/timeaxis.h"
#include "ui/timeline/timelinepage.h"

#include <QCategoryAxis>
#include <QChart>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>
#include <cmath>

namespace ui {

namespace {

double metricValue(const core::SeriesBin& bin, timeaxis::Metric metric)
{
    switch (metric) {
    case timeaxis::Metric::Bytes:
        return static_cast<double>(bin.bytes);
    case timeaxis::Metric::Packets:
        return static_cast<double>(bin.packets);
    case timeaxis::Metric::Flows:
        return static_cast<double>(bin.flows);
    case timeaxis::Metric::DroppedPackets:
        return static_cast<double>(bin.lost[0] + bin.lost[1] + bin.lost[2] + bin.lost[3]);
    }
    return 0;
}

QString offsetText(qint64 seconds)
{
    const qint64 a = std::abs(seconds);
    const QString sign = seconds < 0 ? QStringLiteral("\u2212") : QStringLiteral("+");
    if (a == 0) return QStringLiteral("not moved");
    if (a % 86400 == 0) return QStringLiteral("moved %1%2 d").arg(sign).arg(a / 86400);
    if (a % 3600 == 0) return QStringLiteral("moved %1%2 h").arg(sign).arg(a / 3600);
    if (a % 60 == 0) return QStringLiteral("moved %1%2 min").arg(sign).arg(a / 60);
    return QStringLiteral("moved %1%2 s").arg(sign).arg(a);
}

} // namespace

AlignedBaseline alignTimelineBaseline(const core::Store& current, const QString& filter, const TimelineBaseline& baseline,
                                      const core::Series& series, const std::atomic<bool>* cancel)
{
    AlignedBaseline out;
    if (!baseline.active() || series.bins.empty() || series.binSeconds <= 0) return out;
    const core::Store& store = baseline.store ? *baseline.store : current;
    const QString baseFilter = baseline.split ? core::splitFilter(filter, *baseline.split, true) : filter;
    auto computed = core::computeSeries(store, baseFilter, series.binSeconds, cancel);
    if (!computed.ok()) {
        out.note = QStringLiteral("the baseline could not be computed: %1").arg(computed.error().message);
        return out;
    }
    const core::Series& base = computed.value();
    if (base.bins.empty()) {
        out.note = QStringLiteral("the baseline has no records matching the filter");
        return out;
    }
    if (baseline.offset) {
        out.offset = *baseline.offset;
    } else {
        // Its first bin onto the split time (or the current first bin), on the bin grid.
        const qint64 anchor = baseline.split ? *baseline.split : series.bins.front().start;
        const qint64 bin = series.binSeconds;
        const qint64 raw = anchor - base.bins.front().start;
        out.offset = (raw >= 0 ? (raw + bin / 2) / bin : -((-raw + bin / 2) / bin)) * bin;
    }
    out.bins = core::alignBaseline(series, base, out.offset);
    bool any = false;
    for (const core::SeriesBin& b : out.bins) any = any || b.flows > 0 || b.packets > 0 || b.bytes > 0;
    if (!any) out.note = QStringLiteral("the baseline, %1, does not overlap the current time range").arg(offsetText(out.offset));
    return out;
}

void TimelinePage::setBaseline(const TimelineBaseline& baseline)
{
    m_baseline = baseline;
    if (!m_baseline.active()) {
        m_baselineBins.clear();
        m_baselineNote.clear();
        m_baselineOffset = 0;
    }
    refresh();
}

void TimelinePage::removeBaselineLine()
{
    if (!m_baselineLine) return;
    m_trafficChart->removeSeries(m_baselineLine);
    delete m_baselineLine;
    m_baselineLine = nullptr;
}

double TimelinePage::addBaselineLine(double divisor)
{
    if (!m_baseline.active() || m_baselineBins.empty() || m_series.binSeconds <= 0) return 0;
    const double div = divisor > 0 ? divisor : 1.0;
    QList<QPointF> points;
    points.reserve(static_cast<qsizetype>(2 * m_baselineBins.size()));
    double top = 0;
    for (const core::SeriesBin& b : m_baselineBins) {
        const double v = metricValue(b, m_metric) / div;
        top = std::max(top, v);
        points.append(QPointF(static_cast<double>(b.start), v));
        points.append(QPointF(static_cast<double>(b.start + m_series.binSeconds), v));
    }
    m_baselineLine = new QLineSeries();
    m_baselineLine->setObjectName(QStringLiteral("baseline"));
    m_baselineLine->setName(QStringLiteral("Baseline (%1)").arg(offsetText(m_baselineOffset)));
    m_trafficChart->addSeries(m_baselineLine);
    m_baselineLine->attachAxis(m_trafficX);
    m_baselineLine->attachAxis(m_trafficY);
    m_baselineLine->replace(points);
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    QPen pen(dark ? QColor(255, 235, 120) : QColor(20, 20, 20));
    pen.setWidthF(1.6);
    m_baselineLine->setPen(pen);
    m_trafficChart->legend()->setVisible(true);
    return top;
}

QString TimelinePage::baselineStatus() const
{
    QString s = QStringLiteral("baseline %1, %2").arg(m_baseline.label, offsetText(m_baselineOffset));
    if (!m_baselineNote.isEmpty()) s += QStringLiteral(": ") + m_baselineNote;
    return s;
}

} // namespace ui
