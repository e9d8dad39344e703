// TimelinePage, gestures: a drag on the chart selects a time range (the filter's start bounds), a
// double-click resets it, the wheel zooms around the pointer, and hovering reads out the bin under
// it. Part 1 (behaviour) is timelinepage.cpp, chart building timelinecharts.cpp.
#include "ui/timeline/timelinepage.h"

#include "core/query/filter.h"
#include "ui/logic/session.h"
#include "ui/timeline/timechartview.h"

#include <QChart>
#include <QDateTime>
#include <QLabel>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace ui {

using timeaxis::Metric;

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
    if (m_external) { // a query result's times are not a filter of the loaded records
        updateSelection(std::nullopt);
        return;
    }
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
    const QString base =
        (!m_lastSetFilter.isEmpty() && current == m_lastSetFilter) ? m_lastBaseFilter : timeaxis::splitTimeRange(current).base;
    const QString next = core::combineFilters(base, timeaxis::timeRangeClause(range)).trimmed();
    m_lastBaseFilter = base;
    m_lastSetFilter = next;
    m_session->setFilter(next);
}

void TimelinePage::resetRange()
{
    resetZoom();
    if (m_external) return;
    const QString current = m_session->filter();
    const QString base =
        (!m_lastSetFilter.isEmpty() && current == m_lastSetFilter) ? m_lastBaseFilter : timeaxis::splitTimeRange(current).base;
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
        const timeline::StackedData d = trafficLayers();
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
    m_hoverLabel->setText(hintText()); // no stale "(1 min bin)" once the hover or the bins are gone
}

QString TimelinePage::hintText()
{
    return QStringLiteral("Drag across a chart to filter on a time range · double-click to remove it · wheel to zoom");
}

} // namespace ui
