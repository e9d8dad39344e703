#pragma once
// Aggregations for the graph and chart views: attachment (or other dimension) edges and
// time series, both de-duplicating TGW flows logged at both attachments, both filtered.
#include "core/model/result.h"
#include "core/query/filter.h"
#include "core/store/store.h"

#include <QString>
#include <array>
#include <atomic>
#include <optional>
#include <vector>

namespace core {

enum class EdgeDimension { Attachment, Vpc, Subnet, Az, Account, Addr };

/// Parses "attachment|vpc|subnet|az|account|addr".
std::optional<EdgeDimension> edgeDimensionFromString(const QString& s);
QString edgeDimensionName(EdgeDimension d);

/// Index into the lost[] arrays.
enum LostReason { LostNoRoute = 0, LostBlackhole, LostMtuExceeded, LostTtlExpired, LostReasonCount };

/// One directed edge: traffic from `src` to `dst` ("-" when unknown, e.g. drops with no exit).
/// For Attachment: src = entry attachment, dst = exit attachment.
struct Edge {
    QString src;
    QString dst;
    qint64 flows = 0;
    qint64 packets = 0;
    qint64 bytes = 0;
    std::array<qint64, LostReasonCount> lost{};
    qint64 dropped() const { return lost[0] + lost[1] + lost[2] + lost[3]; }
};

/// Counting rule (both aggregations): a record counts unless it is the egress record of a
/// flow whose ingress twin (twin_id) also passes the filter, so a flow logged at both
/// attachments counts once and a flow seen on one side only still counts.
/// Sorted by bytes descending, then src, dst. Any thread; cancel -> Error "cancelled".
Result<std::vector<Edge>> computeEdges(const Store& store, const QString& filterExpression, EdgeDimension dimension,
                                       const std::atomic<bool>* cancel = nullptr);

struct SeriesBin {
    qint64 start = 0; ///< bin start, Unix seconds (multiple of binSeconds)
    qint64 flows = 0;
    qint64 packets = 0;
    qint64 bytes = 0;
    std::array<qint64, LostReasonCount> lost{};
    qint64 rejects = 0; ///< VPC records with action REJECT
};

struct Series {
    qint64 binSeconds = 0;
    std::vector<SeriesBin> bins; ///< contiguous from the first to the last non-empty bin; gaps are zero bins
};

/// Split of the series into stacked sub-series.
enum class SeriesSplit { None, Attachment, Edge, Direction };

struct SplitSeries {
    qint64 binSeconds = 0;
    std::vector<qint64> binStarts;
    QStringList keys;                       ///< top N keys then "other" if any
    std::vector<std::vector<qint64>> bytes; ///< [key][bin]
};

/// Automatic bin size for a span: a "nice" size (60 s, 5 min, 15 min, 1 h, ...) giving
/// about 200-400 bins; never below `floorSeconds` (60 for TGW data). Pure.
qint64 autoBinSeconds(qint64 spanSeconds, qint64 floorSeconds = 60);

/// Time series by `start`. binSeconds 0 = auto (autoBinSeconds over the filtered span).
Result<Series> computeSeries(const Store& store, const QString& filterExpression, qint64 binSeconds = 0,
                             const std::atomic<bool>* cancel = nullptr);

/// Bytes per bin split by the top `topN` keys (rest as "other").
Result<SplitSeries> computeSplitSeries(const Store& store, const QString& filterExpression, SeriesSplit split, int topN,
                                       qint64 binSeconds = 0, const std::atomic<bool>* cancel = nullptr);

struct SeriesWithSplit {
    Series series;
    std::optional<SplitSeries> split; ///< none when split is SeriesSplit::None
};

/// The series and its split from one scan (the Timeline's stacked chart): the same numbers as
/// computeSeries(store, filter, binSeconds) followed by
/// computeSplitSeries(store, filter, split, topN, series.binSeconds), in about the time of the
/// first alone. Any thread; cancel -> Error "cancelled".
Result<SeriesWithSplit> computeSeriesWithSplit(const Store& store, const QString& filterExpression, SeriesSplit split, int topN,
                                               qint64 binSeconds = 0, const std::atomic<bool>* cancel = nullptr);

} // namespace core
