// Time series over `flows`: totals per bin and bytes per bin split by a key, from one scan
// (runScan, see aggregate.cpp) accumulated per base unit and then binned.
#include "core/analysis/aggregate.h"

#include "core/analysis/aggregate_impl.h"

#include <algorithm>
#include <unordered_map>

namespace core {

using namespace detail;

namespace {

/// Accumulates per base unit (60 s, or the requested bin): the totals and/or the bytes per
/// split key, in the same pass.
class SeriesVisitor final : public ScanVisitor {
public:
    SeriesVisitor(const Store::Impl& impl, qint64 unit, bool totals, SeriesSplit split, const std::atomic<bool>* cancel)
        : ScanVisitor(impl, cancel), m_unit(unit), m_totals(totals), m_split(split), m_ctx(impl)
    {
    }
    std::unordered_map<int64_t, Acc> bins; // unit index -> totals

    /// Bytes of one split key: (unit index, bytes) runs; a unit may appear more than once.
    struct KeyBytes {
        int64_t key = 0;
        std::vector<std::pair<int64_t, qint64>> units;
    };
    /// The split, complete after finishSplit().
    const std::vector<KeyBytes>& splitBytes() const { return m_keys; }
    void finishSplit() { flushUnit(); }

    std::unique_ptr<ScanVisitor> fork() const override
    {
        return std::make_unique<SeriesVisitor>(m_impl, m_unit, m_totals, m_split, nullptr);
    }
    void merge(ScanVisitor& other) override
    {
        auto& o = static_cast<SeriesVisitor&>(other);
        for (const auto& [u, a] : o.bins) {
            Acc& e = bins[u];
            e.flows += a.flows;
            addCapped(e.packets, a.packets);
            addCapped(e.bytes, a.bytes);
            e.rejects += a.rejects;
            for (size_t j = 0; j < a.lost.size(); ++j) addCapped(e.lost[j], a.lost[j]);
        }
        m_last = nullptr;
        // The split: the other's runs appended to the same key's (a unit may appear twice).
        flushUnit();
        o.flushUnit();
        for (KeyBytes& k : o.m_keys) {
            const uint32_t i = keyIndexOf(k.key);
            auto& runs = m_keys[i].units;
            runs.insert(runs.end(), k.units.begin(), k.units.end());
        }
    }

protected:
    void consume(const ScanRow& r) override
    {
        if (!r.hasStart) return;
        const int64_t unit = floorDiv(r.start, m_unit);
        if (m_totals) {
            if (unit != m_lastUnit || !m_last) {
                m_last = &bins[unit];
                m_lastUnit = unit;
            }
            m_last->add(r, m_ctx.get(r.ctx).reject);
        }
        if (m_split == SeriesSplit::None) return;
        if (r.ctx.get() >= m_keyOfCtx.size()) m_keyOfCtx.resize(r.ctx.get() + 1, kUnknownKey);
        uint32_t& k = m_keyOfCtx[r.ctx.get()];
        if (k == kUnknownKey) k = keyIndex(m_ctx.get(r.ctx));
        if (k == kNotSplit) return;
        // Rows come (nearly) in time order: sum the current unit per key, and append the sums
        // to the keys' runs when the unit changes.
        if (unit != m_unitNow) {
            flushUnit();
            m_unitNow = unit;
        }
        if (!m_touched[k]) {
            m_touched[k] = 1;
            m_touchedKeys.push_back(k);
        }
        addCapped(m_now[k], r.bytes);
    }
    void reset() override
    {
        bins.clear();
        m_last = nullptr;
        m_lastUnit = 0;
        m_keys.clear();
        m_keyIndex.clear();
        m_keyOfCtx.clear();
        m_now.clear();
        m_touched.clear();
        m_touchedKeys.clear();
    }

private:
    static constexpr uint32_t kUnknownKey = UINT32_MAX;
    static constexpr uint32_t kNotSplit = UINT32_MAX - 1;

    /// Dense index of a context's split key, or kNotSplit when its records are not split.
    uint32_t keyIndex(const ContextCache::Info& info)
    {
        int64_t key = 0;
        switch (m_split) {
        case SeriesSplit::None:
            break;
        case SeriesSplit::Attachment:
            if (!info.tgw) return kNotSplit;
            key = info.entry;
            break;
        case SeriesSplit::Edge:
            if (!info.tgw) return kNotSplit;
            key = (static_cast<int64_t>(info.entry) << 32) | static_cast<int64_t>(info.exit);
            break;
        case SeriesSplit::Direction:
            key = info.direction;
            break;
        }
        return keyIndexOf(key);
    }
    uint32_t keyIndexOf(int64_t key)
    {
        const auto [it, added] = m_keyIndex.try_emplace(key, static_cast<uint32_t>(m_keys.size()));
        if (added) {
            m_keys.push_back({key, {}});
            m_now.push_back(0);
            m_touched.push_back(0);
        }
        return it->second;
    }
    void flushUnit()
    {
        for (uint32_t k : m_touchedKeys) {
            m_keys[k].units.emplace_back(m_unitNow, m_now[k]);
            m_now[k] = 0;
            m_touched[k] = 0;
        }
        m_touchedKeys.clear();
    }

    qint64 m_unit;
    bool m_totals;
    SeriesSplit m_split;
    ContextCache m_ctx;
    Acc* m_last = nullptr;
    int64_t m_lastUnit = 0;

    std::vector<KeyBytes> m_keys;                     // by key index
    std::unordered_map<int64_t, uint32_t> m_keyIndex; // key -> key index
    std::vector<uint32_t> m_keyOfCtx;                 // per context: key index, kUnknownKey, kNotSplit
    int64_t m_unitNow = 0;                            // the unit m_now sums
    std::vector<qint64> m_now;                        // by key index
    std::vector<uint8_t> m_touched;                   // by key index: in m_touchedKeys
    std::vector<uint32_t> m_touchedKeys;
};

/// Bin size and range from unit indexes (units of `unit` seconds).
struct Binning {
    qint64 bin = 60;
    int64_t first = 0, last = -1; // bin indexes
};

Binning chooseBinning(const std::vector<int64_t>& units, qint64 unit, qint64 requested)
{
    Binning b;
    if (units.empty()) {
        b.bin = requested > 0 ? requested : autoBinSeconds(0);
        return b;
    }
    const auto [mn, mx] = std::minmax_element(units.begin(), units.end());
    b.bin = requested > 0 ? requested : autoBinSeconds((*mx - *mn) * unit + unit, 60);
    if (b.bin % unit != 0) b.bin = unit; // only when requested and unit == requested
    b.first = floorDiv(*mn * unit, b.bin);
    b.last = floorDiv(*mx * unit, b.bin);
    return b;
}

constexpr int64_t kMaxBins = 5'000'000;

/// The scan's base unit: 60 s, or the requested bin when it is not a multiple of a minute.
qint64 baseUnit(qint64 binSeconds)
{
    return (binSeconds > 0 && binSeconds % 60 != 0) ? binSeconds : 60;
}

Error tooManyBins(const Binning& b)
{
    return Error{
        {}, 0, 0, QStringLiteral("%1 bins of %2 s are too many; choose a larger bin size").arg(b.last - b.first + 1).arg(b.bin)};
}

Result<Series> seriesFrom(const SeriesVisitor& v, qint64 unit, qint64 binSeconds)
{
    std::vector<int64_t> units;
    units.reserve(v.bins.size());
    for (const auto& [u, acc] : v.bins) units.push_back(u);
    const Binning b = chooseBinning(units, unit, binSeconds);
    Series s;
    s.binSeconds = b.bin;
    if (b.last < b.first) return s;
    if (b.last - b.first + 1 > kMaxBins) return tooManyBins(b);
    s.bins.resize(static_cast<size_t>(b.last - b.first + 1));
    for (size_t i = 0; i < s.bins.size(); ++i) s.bins[i].start = (b.first + static_cast<int64_t>(i)) * b.bin;
    for (const auto& [u, acc] : v.bins) {
        SeriesBin& bin = s.bins[static_cast<size_t>(floorDiv(u * unit, b.bin) - b.first)];
        bin.flows += acc.flows;
        addCapped(bin.packets, acc.packets);
        addCapped(bin.bytes, acc.bytes);
        bin.rejects += acc.rejects;
        for (size_t i = 0; i < acc.lost.size(); ++i) addCapped(bin.lost[i], acc.lost[i]);
    }
    return s;
}

Result<SplitSeries> splitFrom(const Store::Impl& impl, SeriesVisitor& v, SeriesSplit split, int topN, qint64 unit,
                              qint64 binSeconds)
{
    v.finishSplit();
    const std::vector<SeriesVisitor::KeyBytes>& keys = v.splitBytes();
    std::vector<int64_t> units;
    for (const auto& k : keys) {
        for (const auto& [u, bytes] : k.units) units.push_back(u);
    }
    const Binning b = chooseBinning(units, unit, binSeconds);
    SplitSeries out;
    out.binSeconds = b.bin;
    if (b.last < b.first) return out;
    if (b.last - b.first + 1 > kMaxBins) return tooManyBins(b);
    const size_t nBins = static_cast<size_t>(b.last - b.first + 1);
    out.binStarts.reserve(nBins);
    for (size_t i = 0; i < nBins; ++i) out.binStarts.push_back((b.first + static_cast<int64_t>(i)) * b.bin);

    auto keyName = [&](int64_t key) -> QString {
        switch (split) {
        case SeriesSplit::None:
            return QStringLiteral("all");
        case SeriesSplit::Edge:
            return codeText(impl, key >> 32) + QStringLiteral(" -> ") + codeText(impl, key & 0xffffffffLL);
        case SeriesSplit::Attachment:
        case SeriesSplit::Direction:
            return codeText(impl, key);
        }
        return {};
    };
    struct Total {
        size_t index; // into keys
        qint64 bytes;
        QString name;
    };
    std::vector<Total> totals;
    totals.reserve(keys.size());
    for (size_t i = 0; i < keys.size(); ++i) {
        qint64 bytes = 0;
        for (const auto& run : keys[i].units) addCapped(bytes, run.second);
        totals.push_back({i, bytes, keyName(keys[i].key)});
    }
    std::sort(totals.begin(), totals.end(),
              [](const Total& a, const Total& c) { return a.bytes != c.bytes ? a.bytes > c.bytes : a.name < c.name; });
    const size_t keep = std::min(totals.size(), static_cast<size_t>(std::max(1, topN)));
    std::vector<size_t> row(keys.size(), keep); // key index -> output row ("other" = keep)
    for (size_t i = 0; i < keep; ++i) {
        row[totals[i].index] = i;
        out.keys << totals[i].name;
    }
    if (totals.size() > keep) out.keys << QStringLiteral("other");
    out.bytes.assign(static_cast<size_t>(out.keys.size()), std::vector<qint64>(nBins, 0));
    for (size_t i = 0; i < keys.size(); ++i) {
        std::vector<qint64>& dest = out.bytes[row[i]];
        for (const auto& [u, bytes] : keys[i].units)
            addCapped(dest[static_cast<size_t>(floorDiv(u * unit, b.bin) - b.first)], bytes);
    }
    return out;
}

} // namespace

qint64 autoBinSeconds(qint64 spanSeconds, qint64 floorSeconds)
{
    static constexpr qint64 kNice[] = {60,    120,   300,   600,   900,    1800,   3600,    7200,
                                       10800, 21600, 43200, 86400, 172800, 604800, 1209600, 2592000};
    constexpr qint64 kMaxBinsWanted = 400;
    const qint64 span = std::max<qint64>(0, spanSeconds);
    const qint64 floor = std::max<qint64>(1, floorSeconds);
    for (qint64 n : kNice) {
        if (n < floor) continue;
        if ((span + n - 1) / n <= kMaxBinsWanted) return n;
    }
    const qint64 days = (span / kMaxBinsWanted + 86399) / 86400;
    return std::max(floor, std::max<qint64>(1, days) * 86400);
}

Result<Series> computeSeries(const Store& store, const QString& filterExpression, qint64 binSeconds,
                             const std::atomic<bool>* cancel)
{
    const qint64 unit = baseUnit(binSeconds);
    SeriesVisitor v(store.impl(), unit, true, SeriesSplit::None, cancel);
    Status st = runScan(store, filterExpression, v, false, cancel);
    if (!st.ok()) return st.error();
    return seriesFrom(v, unit, binSeconds);
}

Result<SplitSeries> computeSplitSeries(const Store& store, const QString& filterExpression, SeriesSplit split, int topN,
                                       qint64 binSeconds, const std::atomic<bool>* cancel)
{
    const qint64 unit = baseUnit(binSeconds);
    SeriesVisitor v(store.impl(), unit, false, split, cancel);
    Status st = runScan(store, filterExpression, v, false, cancel);
    if (!st.ok()) return st.error();
    return splitFrom(store.impl(), v, split, topN, unit, binSeconds);
}

Result<SeriesWithSplit> computeSeriesWithSplit(const Store& store, const QString& filterExpression, SeriesSplit split, int topN,
                                               qint64 binSeconds, const std::atomic<bool>* cancel)
{
    const qint64 unit = baseUnit(binSeconds);
    SeriesVisitor v(store.impl(), unit, true, split, cancel);
    Status st = runScan(store, filterExpression, v, false, cancel);
    if (!st.ok()) return st.error();
    auto series = seriesFrom(v, unit, binSeconds);
    if (!series.ok()) return series.error();
    SeriesWithSplit out;
    out.series = std::move(series.value());
    if (split == SeriesSplit::None) return out;
    // The split binned as computeSplitSeries(..., out.series.binSeconds) would: that bin is a
    // multiple of `unit` (auto bins are whole minutes; a requested bin is kept), so the units
    // accumulated here are the ones that call would accumulate.
    Q_ASSERT(baseUnit(out.series.binSeconds) == unit);
    auto s = splitFrom(store.impl(), v, split, topN, unit, out.series.binSeconds);
    if (!s.ok()) return s.error();
    out.split = std::move(s.value());
    return out;
}

} // namespace core
