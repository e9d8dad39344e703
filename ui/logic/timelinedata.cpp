#include "ui/logic/timelinedata.h"

#include "core/export/csv.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

namespace ui::timeline {

using timeaxis::groupedNumber;
using timeaxis::humanValue;
using timeaxis::Metric;

double Layer::total() const
{
    double t = 0;
    for (double v : values) t += v;
    return t;
}

double StackedData::totalAt(size_t i) const
{
    double t = 0;
    for (const Layer& l : layers) {
        if (i < l.values.size()) t += l.values[i];
    }
    return t;
}

double StackedData::maxTotal() const
{
    double m = 0;
    for (size_t i = 0; i < binCount; ++i) m = std::max(m, totalAt(i));
    return m;
}

std::optional<size_t> StackedData::binIndexAt(double t) const
{
    if (binCount == 0 || binSeconds <= 0) return std::nullopt;
    if (t < static_cast<double>(firstStart) || t >= static_cast<double>(endTime())) return std::nullopt;
    const auto i = static_cast<size_t>(std::floor((t - static_cast<double>(firstStart)) / static_cast<double>(binSeconds)));
    return std::min(i, binCount - 1);
}

namespace {

StackedData gridOf(const core::Series& series)
{
    StackedData d;
    d.binSeconds = series.binSeconds;
    d.binCount = series.bins.size();
    d.firstStart = series.bins.empty() ? 0 : series.bins.front().start;
    return d;
}

double metricValue(const core::SeriesBin& b, Metric m)
{
    switch (m) {
    case Metric::Bytes:
        return static_cast<double>(b.bytes);
    case Metric::Packets:
        return static_cast<double>(b.packets);
    case Metric::Flows:
        return static_cast<double>(b.flows);
    case Metric::DroppedPackets:
        return static_cast<double>(b.lost[0] + b.lost[1] + b.lost[2] + b.lost[3]);
    }
    return 0;
}

} // namespace

StackedData trafficData(const core::Series& series, const core::SplitSeries* split, Metric metric)
{
    StackedData d = gridOf(series);
    if (d.binCount == 0) return d;
    if (!split || split->keys.isEmpty() || split->binSeconds != series.binSeconds) {
        Layer l;
        l.name = QStringLiteral("Total");
        l.key = timeaxis::metricNoun(metric);
        l.values.reserve(d.binCount);
        for (const core::SeriesBin& b : series.bins) l.values.push_back(metricValue(b, metric));
        d.layers.push_back(std::move(l));
        return d;
    }
    // The split covers the same filter; place its bins on the series grid by start time.
    const qsizetype keyCount = split->keys.size();
    for (qsizetype k = 0; k < keyCount; ++k) {
        Layer l;
        l.name = split->keys[k];
        l.key = l.name;
        l.values.assign(d.binCount, 0.0);
        const auto ku = static_cast<size_t>(k);
        if (ku < split->bytes.size()) {
            const std::vector<qint64>& row = split->bytes[ku];
            for (size_t j = 0; j < split->binStarts.size() && j < row.size(); ++j) {
                if (const auto i = d.binIndexAt(static_cast<double>(split->binStarts[j])))
                    l.values[*i] += static_cast<double>(row[j]);
            }
        }
        d.layers.push_back(std::move(l));
    }
    return d;
}

StackedData dropsData(const core::Series& series)
{
    StackedData d = gridOf(series);
    static const std::array<std::pair<const char*, const char*>, core::LostReasonCount> reasons{{
        {"No route", "no-route"},
        {"Blackhole", "blackhole"},
        {"MTU exceeded", "mtu-exceeded"},
        {"TTL expired", "ttl-expired"},
    }};
    for (size_t r = 0; r < reasons.size(); ++r) {
        Layer l;
        l.name = QString::fromLatin1(reasons[r].first);
        l.key = QString::fromLatin1(reasons[r].second);
        l.values.reserve(d.binCount);
        for (const core::SeriesBin& b : series.bins) l.values.push_back(static_cast<double>(b.lost[r]));
        d.layers.push_back(std::move(l));
    }
    const bool anyRejects =
        std::any_of(series.bins.begin(), series.bins.end(), [](const core::SeriesBin& b) { return b.rejects > 0; });
    if (anyRejects) {
        Layer l;
        l.name = QStringLiteral("VPC REJECT (records)");
        l.key = QStringLiteral("reject");
        l.values.reserve(d.binCount);
        for (const core::SeriesBin& b : series.bins) l.values.push_back(static_cast<double>(b.rejects));
        d.layers.push_back(std::move(l));
    }
    return d;
}

QList<QPointF> stepPoints(const StackedData& data, const std::vector<double>& values, double divisor)
{
    QList<QPointF> points;
    const double div = divisor > 0 ? divisor : 1.0;
    points.reserve(static_cast<qsizetype>(2 * data.binCount));
    for (size_t i = 0; i < data.binCount; ++i) {
        const double v = (i < values.size() ? values[i] : 0.0) / div;
        points.append(QPointF(static_cast<double>(data.binStart(i)), v));
        points.append(QPointF(static_cast<double>(data.binStart(i + 1)), v));
    }
    return points;
}

std::vector<std::vector<double>> cumulative(const StackedData& data)
{
    std::vector<std::vector<double>> out;
    std::vector<double> running(data.binCount, 0.0);
    for (const Layer& l : data.layers) {
        for (size_t i = 0; i < data.binCount && i < l.values.size(); ++i) running[i] += l.values[i];
        out.push_back(running);
    }
    return out;
}

QStringList seriesCsvHeader()
{
    return {QStringLiteral("bin_start"),
            QStringLiteral("flows"),
            QStringLiteral("packets"),
            QStringLiteral("bytes"),
            QStringLiteral("packets_lost_no_route"),
            QStringLiteral("packets_lost_blackhole"),
            QStringLiteral("packets_lost_mtu_exceeded"),
            QStringLiteral("packets_lost_ttl_expired")};
}

QByteArray seriesCsv(const core::Series& series)
{
    QByteArray out = core::csvRecord(seriesCsvHeader());
    for (const core::SeriesBin& b : series.bins) {
        out += core::csvRecord({QString::number(b.start), QString::number(b.flows), QString::number(b.packets),
                                QString::number(b.bytes), QString::number(b.lost[core::LostNoRoute]),
                                QString::number(b.lost[core::LostBlackhole]), QString::number(b.lost[core::LostMtuExceeded]),
                                QString::number(b.lost[core::LostTtlExpired])});
    }
    return out;
}

QString binSummary(const core::Series& series, size_t i, const std::function<QString(qint64)>& formatTime)
{
    if (i >= series.bins.size()) return {};
    const core::SeriesBin& b = series.bins[i];
    const qint64 bin = series.binSeconds > 0 ? series.binSeconds : 1;
    QStringList lines;
    lines << QStringLiteral("%1 - %2 (%3 bin)").arg(formatTime(b.start), formatTime(b.start + bin), timeaxis::binLabel(bin));
    const double bitsPerSecond = static_cast<double>(b.bytes) * 8.0 / static_cast<double>(bin);
    QString rate;
    if (bitsPerSecond >= 1e9) rate = QString::number(bitsPerSecond / 1e9, 'f', 2) + QStringLiteral(" Gbit/s");
    else if (bitsPerSecond >= 1e6) rate = QString::number(bitsPerSecond / 1e6, 'f', 2) + QStringLiteral(" Mbit/s");
    else if (bitsPerSecond >= 1e3) rate = QString::number(bitsPerSecond / 1e3, 'f', 2) + QStringLiteral(" kbit/s");
    else rate = QString::number(bitsPerSecond, 'f', 0) + QStringLiteral(" bit/s");
    lines << QStringLiteral("bytes %1 (%2, avg %3)")
                 .arg(groupedNumber(b.bytes), humanValue(static_cast<double>(b.bytes), Metric::Bytes), rate);
    lines << QStringLiteral("packets %1 · flows %2").arg(groupedNumber(b.packets), groupedNumber(b.flows));
    const qint64 dropped = b.lost[0] + b.lost[1] + b.lost[2] + b.lost[3];
    if (dropped > 0) {
        lines << QStringLiteral("dropped %1: no-route %2 · blackhole %3 · MTU %4 · TTL %5")
                     .arg(groupedNumber(dropped), groupedNumber(b.lost[core::LostNoRoute]),
                          groupedNumber(b.lost[core::LostBlackhole]), groupedNumber(b.lost[core::LostMtuExceeded]),
                          groupedNumber(b.lost[core::LostTtlExpired]));
    } else {
        lines << QStringLiteral("no dropped packets");
    }
    if (b.rejects > 0) lines << QStringLiteral("VPC REJECT records %1").arg(groupedNumber(b.rejects));
    return lines.join(QLatin1Char('\n'));
}

} // namespace ui::timeline
