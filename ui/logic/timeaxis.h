#pragma once
// Pure time-axis math for the Timeline charts (QtCore only, no widgets): bin choices, bin
// alignment, nice tick positions and labels, pixel <-> time mapping, zoom, human value
// units, and the `start >= ... and start < ...` filter clause a drag produces.
// All times are Unix seconds; display zones are a fixed UTC offset (DST-free by design).
#include <QString>
#include <QStringList>
#include <optional>
#include <utility>
#include <vector>

namespace ui::timeaxis {

/// Bin sizes offered by the selector, in seconds; 0 means Auto.
const std::vector<qint64>& binChoices();
/// "Auto", "1 min", "5 min", "15 min", "1 h", "6 h", "1 day", or a generic form ("90 s", "2 days").
QString binLabel(qint64 binSeconds);

/// Largest multiple of `step` (shifted by `offset`) <= t, i.e. floor in a zone UTC+offset.
qint64 floorTo(qint64 t, qint64 step, qint64 offset = 0);
/// Smallest multiple of `step` (shifted by `offset`) >= t.
qint64 ceilTo(qint64 t, qint64 step, qint64 offset = 0);

/// A half-open time range [start, end), Unix seconds.
struct TimeRange {
    qint64 start = 0;
    qint64 end = 0;
    bool isEmpty() const { return end <= start; }
    friend bool operator==(const TimeRange&, const TimeRange&) = default;
};

/// A drag from time t0 to t1 (either order) -> [start, end) aligned to bin boundaries:
/// start = floor(min) and end = ceil(max) to the bin grid, always at least one bin.
/// binSeconds <= 0 is treated as 1 s.
TimeRange selectionToRange(double t0, double t1, qint64 binSeconds);

/// One axis tick.
struct Tick {
    qint64 time = 0; ///< Unix seconds
    QString label;   ///< formatted in the display zone
    friend bool operator==(const Tick&, const Tick&) = default;
};

/// Nice tick positions over [from, to] (inclusive), at most `maxTicks` (>= 2), aligned to the
/// display zone UTC+utcOffsetSeconds: steps 1/2/5/10/15/30 s, 1/2/5/10/15/30 min, 1/2/3/6/12 h,
/// 1/2 days, 1/2 weeks (Monday aligned), 30 days. Returns the step in *step if given.
/// Labels: "HH:mm:ss" below 1 min steps, "HH:mm" below 1 day (with "MM-dd HH:mm" on the first
/// tick and where the day changes), "yyyy-MM-dd" from 1 day up.
std::vector<Tick> timeTicks(double from, double to, int maxTicks, int utcOffsetSeconds = 0, qint64* step = nullptr);

/// The step timeTicks() would use.
qint64 tickStep(double span, int maxTicks);

/// Formats Unix seconds in the zone UTC+offset with a QDateTime format string.
QString formatInZone(qint64 t, int utcOffsetSeconds, const QString& format);

/// Linear mapping between a plot area's horizontal pixels and a time range.
struct TimeMapping {
    double left = 0;  ///< plot area left, pixels
    double width = 1; ///< plot area width, pixels (> 0)
    double from = 0;  ///< time at `left`
    double to = 1;    ///< time at `left + width`
    double toPixel(double t) const;
    double toTime(double x) const;
    /// toTime() clamped to [from, to].
    double toTimeClamped(double x) const;
};

/// Zooms [from, to] around `anchor` by `factor` (< 1 zooms in), keeping the anchor at the same
/// relative position, clamped to [limitFrom, limitTo] and no narrower than minSpan.
std::pair<double, double> zoomRange(double from, double to, double anchor, double factor, double limitFrom, double limitTo,
                                    double minSpan);

enum class Metric { Bytes, Packets, Flows, DroppedPackets };

/// Display scale for a value axis: values are divided by `divisor` and shown with `unit`.
struct ValueScale {
    double divisor = 1;
    QString unit; ///< "B", "kB", "MB", "GB", "TB" for bytes (SI); "", "k", "M", "G" otherwise
};
/// The scale for an axis whose largest value is maxValue (counts stay unscaled below 10,000).
ValueScale valueScale(double maxValue, Metric metric);
/// Noun for a metric: "bytes", "packets", "flows", "dropped packets".
QString metricNoun(Metric metric);
/// Axis title such as "MB per 5 min", "k packets per 1 h", "flows per 1 min".
QString axisTitle(Metric metric, const ValueScale& scale, qint64 binSeconds);
/// Human form of a value: "1.23 MB", "12.4 k", "17".
QString humanValue(double value, Metric metric);
/// Integer with thousands separators ("1,234,567"), locale independent.
QString groupedNumber(qint64 value);

/// The filter clause for [start, end): `start >= "YYYY-MM-DD HH:MM:SS" and start < "..."` (UTC).
QString timeRangeClause(const TimeRange& range);

/// A filter split into the part before a trailing time-range clause and that clause.
struct SplitFilter {
    QString base;                   ///< filter without the clause (the whole filter if none)
    std::optional<TimeRange> range; ///< the trailing clause's range, if any
};
/// Recognises a filter that is exactly a timeRangeClause(), or `<base> and <clause>` (the clause
/// possibly parenthesised, as combineFilters may write it).
SplitFilter splitTimeRange(const QString& filter);

} // namespace ui::timeaxis
