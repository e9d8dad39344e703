#include "ui/logic/timeaxis.h"

#include "core/model/units.h"

#include <QDateTime>
#include <QLocale>
#include <QRegularExpression>
#include <algorithm>
#include <array>
#include <cmath>

namespace ui::timeaxis {

namespace {

constexpr qint64 kMinute = 60;
constexpr qint64 kHour = 3600;
constexpr qint64 kDay = 86400;
constexpr qint64 kWeek = 7 * kDay;
// 1970-01-01 was a Thursday; shifting by 3 days puts week boundaries on Mondays.
constexpr qint64 kMondayShift = 3 * kDay;

constexpr std::array<qint64, 23> kTickSteps{1,        2,           5,           10,           15,           30,
                                            kMinute,  2 * kMinute, 5 * kMinute, 10 * kMinute, 15 * kMinute, 30 * kMinute,
                                            kHour,    2 * kHour,   3 * kHour,   6 * kHour,    12 * kHour,   kDay,
                                            2 * kDay, kWeek,       2 * kWeek,   30 * kDay,    90 * kDay};

qint64 floorDiv(qint64 a, qint64 b)
{
    qint64 q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

} // namespace

const std::vector<qint64>& binChoices()
{
    static const std::vector<qint64> choices{0, kMinute, 5 * kMinute, 15 * kMinute, kHour, 6 * kHour, kDay};
    return choices;
}

QString binLabel(qint64 s)
{
    if (s <= 0) return QStringLiteral("Auto");
    if (s % kDay == 0) {
        const qint64 d = s / kDay;
        return d == 1 ? QStringLiteral("1 day") : QStringLiteral("%1 days").arg(d);
    }
    if (s % kHour == 0) return QStringLiteral("%1 h").arg(s / kHour);
    if (s % kMinute == 0) return QStringLiteral("%1 min").arg(s / kMinute);
    return QStringLiteral("%1 s").arg(s);
}

qint64 floorTo(qint64 t, qint64 step, qint64 offset)
{
    if (step <= 0) return t;
    return floorDiv(t + offset, step) * step - offset;
}

qint64 ceilTo(qint64 t, qint64 step, qint64 offset)
{
    const qint64 f = floorTo(t, step, offset);
    return f == t ? t : f + step;
}

TimeRange selectionToRange(double t0, double t1, qint64 binSeconds)
{
    const qint64 bin = binSeconds > 0 ? binSeconds : 1;
    const double lo = std::min(t0, t1);
    const double hi = std::max(t0, t1);
    TimeRange r;
    r.start = floorTo(static_cast<qint64>(std::floor(lo)), bin);
    r.end = ceilTo(static_cast<qint64>(std::ceil(hi)), bin);
    if (r.end <= r.start) r.end = r.start + bin;
    return r;
}

qint64 tickStep(double span, int maxTicks)
{
    const int n = std::max(2, maxTicks);
    for (qint64 step : kTickSteps) {
        if (span / static_cast<double>(step) <= static_cast<double>(n - 1)) return step;
    }
    // Beyond the table: multiples of 90 days.
    const double k = std::ceil(span / static_cast<double>(n - 1) / static_cast<double>(90 * kDay));
    return static_cast<qint64>(k) * 90 * kDay;
}

QString formatInZone(qint64 t, int utcOffsetSeconds, const QString& format)
{
    return QDateTime::fromSecsSinceEpoch(t + utcOffsetSeconds, Qt::UTC).toString(format);
}

std::vector<Tick> timeTicks(double from, double to, int maxTicks, int utcOffsetSeconds, qint64* stepOut)
{
    std::vector<Tick> ticks;
    if (!(to > from) || !std::isfinite(from) || !std::isfinite(to)) {
        if (stepOut) *stepOut = 0;
        return ticks;
    }
    const qint64 step = tickStep(to - from, maxTicks);
    if (stepOut) *stepOut = step;
    qint64 offset = utcOffsetSeconds;
    if (step == kWeek || step == 2 * kWeek) offset += kMondayShift;
    const qint64 first = ceilTo(static_cast<qint64>(std::ceil(from)), step, offset);
    const qint64 last = static_cast<qint64>(std::floor(to));

    const QString dayFormat = QStringLiteral("yyyy-MM-dd");
    const QString timeFormat = step < kMinute ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm");
    const QString dateTimeFormat = step < kMinute ? QStringLiteral("MM-dd HH:mm:ss") : QStringLiteral("MM-dd HH:mm");
    qint64 previousDay = 0;
    bool havePrevious = false;
    for (qint64 t = first; t <= last; t += step) {
        Tick tick;
        tick.time = t;
        if (step >= kDay) {
            tick.label = formatInZone(t, utcOffsetSeconds, dayFormat);
        } else {
            const qint64 day = floorDiv(t + utcOffsetSeconds, kDay);
            const bool newDay = !havePrevious || day != previousDay;
            tick.label = formatInZone(t, utcOffsetSeconds, newDay ? dateTimeFormat : timeFormat);
            previousDay = day;
            havePrevious = true;
        }
        ticks.push_back(std::move(tick));
    }
    return ticks;
}

double TimeMapping::toPixel(double t) const
{
    const double span = to - from;
    if (span <= 0) return left;
    return left + (t - from) / span * width;
}

double TimeMapping::toTime(double x) const
{
    if (width <= 0) return from;
    return from + (x - left) / width * (to - from);
}

double TimeMapping::toTimeClamped(double x) const
{
    return std::clamp(toTime(x), std::min(from, to), std::max(from, to));
}

std::pair<double, double> zoomRange(double from, double to, double anchor, double factor, double limitFrom, double limitTo,
                                    double minSpan)
{
    const double span = to - from;
    const double limitSpan = limitTo - limitFrom;
    if (span <= 0 || limitSpan <= 0 || factor <= 0) return {limitFrom, limitTo};
    anchor = std::clamp(anchor, from, to);
    double newSpan = std::clamp(span * factor, std::min(minSpan, limitSpan), limitSpan);
    const double rel = (anchor - from) / span;
    double newFrom = anchor - rel * newSpan;
    double newTo = newFrom + newSpan;
    if (newFrom < limitFrom) {
        newFrom = limitFrom;
        newTo = limitFrom + newSpan;
    }
    if (newTo > limitTo) {
        newTo = limitTo;
        newFrom = limitTo - newSpan;
    }
    return {newFrom, newTo};
}

ValueScale valueScale(double maxValue, Metric metric)
{
    static const std::array<const char*, 6> byteUnits{"B", "kB", "MB", "GB", "TB", "PB"};
    static const std::array<const char*, 5> countUnits{"", "k", "M", "G", "T"};
    const bool bytes = metric == Metric::Bytes;
    const size_t n = bytes ? byteUnits.size() : countUnits.size();
    ValueScale s;
    size_t i = 0;
    double divisor = 1;
    // Keep at least one whole unit at the top of the axis (e.g. 0..340 MB, not 0..0.34 GB).
    // Counts below 10,000 read better as plain numbers than as "1.5 k".
    while (i + 1 < n && maxValue >= divisor * ((bytes || i > 0) ? 1000.0 : 10000.0)) {
        divisor *= 1000.0;
        ++i;
    }
    s.divisor = divisor;
    s.unit = QString::fromLatin1(bytes ? byteUnits[i] : countUnits[i]);
    return s;
}

QString metricNoun(Metric metric)
{
    switch (metric) {
    case Metric::Bytes:
        return QStringLiteral("bytes");
    case Metric::Packets:
        return QStringLiteral("packets");
    case Metric::Flows:
        return QStringLiteral("flows");
    case Metric::DroppedPackets:
        return QStringLiteral("dropped packets");
    }
    return {};
}

QString axisTitle(Metric metric, const ValueScale& scale, qint64 binSeconds)
{
    QString what;
    if (metric == Metric::Bytes) {
        what = scale.unit.isEmpty() || scale.unit == QLatin1String("B") ? QStringLiteral("bytes") : scale.unit;
    } else {
        what = metricNoun(metric);
        if (!scale.unit.isEmpty()) what = scale.unit + QLatin1Char(' ') + what;
    }
    if (binSeconds <= 0) return what;
    return QStringLiteral("%1 per %2").arg(what, binLabel(binSeconds));
}

QString humanValue(double value, Metric metric)
{
    const double clamped = std::clamp(value, -9.0e18, 9.0e18);
    const auto v = static_cast<qint64>(std::llround(clamped));
    return metric == Metric::Bytes ? core::formatBytes(v) : core::formatCount(v);
}

QString groupedNumber(qint64 value)
{
    return core::formatInteger(value);
}

QString timeRangeClause(const TimeRange& range)
{
    const QString fmt = QStringLiteral("yyyy-MM-dd HH:mm:ss");
    return QStringLiteral("start >= \"%1\" and start < \"%2\"")
        .arg(formatInZone(range.start, 0, fmt), formatInZone(range.end, 0, fmt));
}

SplitFilter splitTimeRange(const QString& filter)
{
    static const QRegularExpression re(
        QStringLiteral(
            R"re(^(?:(.*\S)\s+and\s+)?(\(\s*)?start\s*>=\s*"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)"\s+and\s+start\s*<\s*"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)"\s*(\))?$)re"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    SplitFilter out;
    const QString f = filter.trimmed();
    out.base = f;
    const QRegularExpressionMatch m = re.match(f);
    if (!m.hasMatch()) return out;
    // Parentheses must balance: "(clause)" or "clause", not "(clause" / "clause)".
    if ((m.capturedLength(2) > 0) != (m.capturedLength(5) > 0)) return out;
    const auto parse = [](const QString& text) -> std::optional<qint64> {
        const QDate date = QDate::fromString(text.left(10), QStringLiteral("yyyy-MM-dd"));
        const QTime time = QTime::fromString(text.mid(11), QStringLiteral("HH:mm:ss"));
        if (!date.isValid() || !time.isValid()) return std::nullopt;
        return QDateTime(date, time, Qt::UTC).toSecsSinceEpoch();
    };
    const auto start = parse(m.captured(3));
    const auto end = parse(m.captured(4));
    if (!start || !end) return out;
    QString base = m.captured(1).trimmed();
    // combineFilters parenthesises a side containing `or`; "(a or b)" stays valid as is.
    out.base = base;
    out.range = TimeRange{*start, *end};
    return out;
}

} // namespace ui::timeaxis
