#pragma once
// Plain data for the Timeline charts (no widgets): turns core::Series / core::SplitSeries into
// stacked layers on one bin grid, step outlines for QtCharts (values hold across a bin; gaps are
// explicit zero bins, never interpolated), hover summaries, and the series CSV.
#include "core/analysis/aggregate.h"
#include "ui/logic/timeaxis.h"

#include <QByteArray>
#include <QList>
#include <QPointF>
#include <QString>
#include <functional>
#include <optional>
#include <vector>

namespace ui::timeline {

/// One stacked layer: a name and one raw value per bin (bytes, packets, ...).
struct Layer {
    QString name;
    QString key; ///< stable key for colours ("no-route", attachment id, "other", ...)
    std::vector<double> values;
    double total() const;
};

/// Layers on a common contiguous bin grid (bins[i] starts at firstStart + i * binSeconds).
struct StackedData {
    qint64 binSeconds = 0;
    qint64 firstStart = 0;
    size_t binCount = 0;
    std::vector<Layer> layers;

    bool isEmpty() const { return binCount == 0; }
    qint64 binStart(size_t i) const { return firstStart + static_cast<qint64>(i) * binSeconds; }
    qint64 endTime() const { return binStart(binCount); }
    /// Sum of the layers in bin i.
    double totalAt(size_t i) const;
    /// Largest per-bin total.
    double maxTotal() const;
    /// Bin index containing time t, or nullopt outside [firstStart, endTime()).
    std::optional<size_t> binIndexAt(double t) const;
};

/// Traffic layers: one layer with `metric` when split is null; else the split's keys (bytes).
StackedData trafficData(const core::Series& series, const core::SplitSeries* split, timeaxis::Metric metric);
/// Drop layers: no-route, blackhole, MTU exceeded, TTL expired (always, in this order), then
/// "VPC REJECT" (records) when any bin has rejects.
StackedData dropsData(const core::Series& series);

/// Step outline of `values` scaled by 1/divisor: (start, v), (start + bin, v) per bin.
QList<QPointF> stepPoints(const StackedData& data, const std::vector<double>& values, double divisor);
/// Cumulative sums: result[k][i] = layers[0..k] summed at bin i.
std::vector<std::vector<double>> cumulative(const StackedData& data);

/// The CSV header of `flowlog-cli series` (without line end).
QStringList seriesCsvHeader();
/// The series as CSV (header + one record per bin, CRLF), identical to `flowlog-cli series`:
/// bin_start (Unix seconds), flows, packets, bytes, packets_lost_{no_route,blackhole,mtu_exceeded,ttl_expired}.
QByteArray seriesCsv(const core::Series& series);

/// Multi-line description of bin i for hover: time range, bytes/packets/flows with exact
/// values, average rate, drops per reason, rejects. `formatTime` formats Unix seconds.
QString binSummary(const core::Series& series, size_t i, const std::function<QString(qint64)>& formatTime);

} // namespace ui::timeline
