// Edges and time series over `flows`. One SQL scan per request feeds a C++ accumulator
// (fl_visit aggregate, rows decoded from the compact physical columns), so grouping costs a
// hash lookup per row instead of an SQLite sort.
//
// Counting rule: a record counts unless it is an egress record whose twin (the ingress record
// of the same flow at the other attachment, see twin_id) also passes the filter. Records
// without traffic (NODATA/SKIPDATA: packets and bytes NULL) are not counted.
#include "core/aggregate.h"

#include "core/store_impl.h"

#include <sqlite3.h>

#include <algorithm>
#include <unordered_map>

namespace core
{

namespace
{

struct ScanRow {
    uint32_t ctx = 0;
    bool hasSrc = false, hasDst = false, hasStart = false;
    int64_t src = 0, dst = 0;
    int64_t packets = 0, bytes = 0, start = 0;
    std::array<int64_t, LostReasonCount> lost{};
};

constexpr int kScanArgs = 12;

/// Decodes fl_visit rows, applies the counting rule, and hands counted rows to consume().
class ScanVisitor : public RowVisitor
{
public:
    ScanVisitor(const Store::Impl& impl, const std::atomic<bool>* cancel) : m_impl(impl), m_cancel(cancel) {}

    bool row(int argc, sqlite3_value** argv) override
    {
        if ((++m_seen & 0xfff) == 0 && m_cancel && m_cancel->load(std::memory_order_relaxed))
            return false;
        if (argc < kScanArgs)
            return true;
        ScanRow r;
        const sqlite3_int64 ctx = sqlite3_value_int64(argv[1]);
        if (ctx < 0 || static_cast<size_t>(ctx) >= m_impl.contextCount())
            return true;
        r.ctx = static_cast<uint32_t>(ctx);
        if (m_impl.isEgressContext(r.ctx)) {
            // Unfiltered: argv[11] is the id and any twin passes; filtered: whether the twin passed.
            const bool twinCounts = m_twinFromId ? m_impl.twinOf(sqlite3_value_int64(argv[11])) > 0
                                                 : sqlite3_value_int(argv[11]) != 0;
            if (twinCounts)
                return true;
        }
        const bool hasPackets = sqlite3_value_type(argv[4]) != SQLITE_NULL;
        const bool hasBytes = sqlite3_value_type(argv[5]) != SQLITE_NULL;
        if (!hasPackets && !hasBytes)
            return true; // NODATA / SKIPDATA
        r.hasSrc = sqlite3_value_type(argv[2]) != SQLITE_NULL;
        r.hasDst = sqlite3_value_type(argv[3]) != SQLITE_NULL;
        r.src = r.hasSrc ? sqlite3_value_int64(argv[2]) : 0;
        r.dst = r.hasDst ? sqlite3_value_int64(argv[3]) : 0;
        r.packets = sqlite3_value_int64(argv[4]);
        r.bytes = sqlite3_value_int64(argv[5]);
        r.hasStart = sqlite3_value_type(argv[6]) != SQLITE_NULL;
        r.start = sqlite3_value_int64(argv[6]);
        for (int i = 0; i < LostReasonCount; ++i)
            r.lost[static_cast<size_t>(i)] = sqlite3_value_int64(argv[7 + i]);
        consume(r);
        return true;
    }
    bool cancelled() const { return m_cancel && m_cancel->load(); }
    /// Set by runScan for the unfiltered query (runs under the connection mutex, so twinOf is safe).
    void setTwinFromId(bool on) { m_twinFromId = on; }

protected:
    virtual void consume(const ScanRow& r) = 0;
    const Store::Impl& m_impl;

private:
    const std::atomic<bool>* m_cancel;
    uint64_t m_seen = 0;
    bool m_twinFromId = false;
};

/// Runs the scan for `filterExpression`, feeding `visitor`.
/// `addresses`: whether the visitor needs srcaddr/dstaddr (else NULL is passed: cheaper).
Status runScan(const Store& store, const QString& filterExpression, ScanVisitor& visitor, bool addresses,
               const std::atomic<bool>* cancel)
{
    const QString kArgs =
        QStringLiteral("%1._ctx, ") +
        (addresses ? QStringLiteral("%1._src, %1._dst, ") : QStringLiteral("NULL, NULL, ")) +
        QStringLiteral("%1.packets, %1.bytes, %1.start, "
                       "%1.packets_lost_no_route, %1.packets_lost_blackhole, "
                       "%1.packets_lost_mtu_exceeded, %1.packets_lost_ttl_expired");
    QString sql;
    QVariantList params;
    const bool empty = filterExpression.trimmed().isEmpty();
    if (empty) {
        visitor.setTwinFromId(true);
        sql = QStringLiteral("SELECT fl_visit(?1, %1, d.id) FROM flow_data AS d")
                  .arg(QString(kArgs)
                           .replace(QStringLiteral("%1._ctx"), QStringLiteral("d.ctx"))
                           .replace(QStringLiteral("%1._src"), QStringLiteral("d.a_srcaddr"))
                           .replace(QStringLiteral("%1._dst"), QStringLiteral("d.a_dstaddr"))
                           .replace(QStringLiteral("%1."), QStringLiteral("d.")));
    } else {
        visitor.setTwinFromId(false);
        auto f = compileFilter(filterExpression, QStringLiteral("f"), 2);
        if (!f.ok())
            return f.error();
        auto t = compileFilter(filterExpression, QStringLiteral("t"), 2 + static_cast<int>(f->params.size()));
        if (!t.ok())
            return t.error();
        sql = QStringLiteral("SELECT fl_visit(?1, %1, t.id IS NOT NULL) FROM flows_x AS f "
                             "LEFT JOIN flows_x AS t ON t.id = fl_etwin(f._ctx, f.id) AND (%2) WHERE (%3)")
                  .arg(kArgs.arg(QStringLiteral("f")), t->where, f->where);
        params = f->params + t->params;
    }
    auto st = store.prepare(sql);
    if (!st.ok())
        return st.error();
    sqlite3_bind_pointer(st->handle(), 1, static_cast<RowVisitor*>(&visitor), kRowVisitorType, nullptr);
    for (int i = 0; i < params.size(); ++i)
        st->bind(i + 2, params[i]);
    // The whole scan is one sqlite3_step. Holding the connection mutex around it makes the
    // progress handler (which checks the cancel flag even while the filter rejects every row)
    // apply to this statement only.
    sqlite3* db = store.handle();
    sqlite3_mutex* mutex = sqlite3_db_mutex(db);
    sqlite3_mutex_enter(mutex);
    if (cancel)
        sqlite3_progress_handler(
            db, 10000, [](void* flag) { return static_cast<const std::atomic<bool>*>(flag)->load() ? 1 : 0; },
            const_cast<std::atomic<bool>*>(cancel));
    const bool gotRow = st->next();
    if (cancel)
        sqlite3_progress_handler(db, 0, nullptr, nullptr);
    sqlite3_mutex_leave(mutex);
    if (!gotRow) {
        if (visitor.cancelled() || st->error() == QLatin1String("cancelled") ||
            st->error() == QLatin1String("interrupted"))
            return Error{{}, 0, 0, QStringLiteral("cancelled")};
        return Error{{}, 0, 0, st->error()};
    }
    if (visitor.cancelled())
        return Error{{}, 0, 0, QStringLiteral("cancelled")};
    return Ok{};
}

int64_t floorDiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

/// Per-context lookups cached by context code (contexts are few).
class ContextCache
{
public:
    explicit ContextCache(const Store::Impl& impl) : m_impl(impl) {}
    struct Info {
        bool known = false;
        bool tgw = false; ///< has an attachment id
        bool egress = false;
        bool ingress = false;
        bool reject = false;
        uint32_t entry = 0, exit = 0; ///< attachment codes (0 = unknown)
        uint32_t direction = 0;
    };
    const Info& get(uint32_t ctx)
    {
        if (ctx >= m_infos.size())
            m_infos.resize(ctx + 1);
        Info& i = m_infos[ctx];
        if (i.known)
            return i;
        const SchemaSlots& s = SchemaSlots::get();
        const uint32_t attach = m_impl.contextValue(ctx, s.attachmentSlot);
        const uint32_t pair = m_impl.contextValue(ctx, s.pairSlot);
        i.direction = m_impl.contextValue(ctx, s.directionSlot);
        i.egress = i.direction && m_impl.string(i.direction) == "egress";
        i.ingress = i.direction && m_impl.string(i.direction) == "ingress";
        const uint32_t action = m_impl.contextValue(ctx, s.actionSlot);
        i.reject = action && m_impl.string(action) == "REJECT";
        i.tgw = attach != 0;
        i.entry = i.egress ? pair : attach;
        i.exit = i.egress ? attach : pair;
        i.known = true;
        return i;
    }
    uint32_t value(uint32_t ctx, FieldId f) const
    {
        return m_impl.contextValue(ctx, SchemaSlots::get().slotOf[static_cast<size_t>(f)]);
    }

private:
    const Store::Impl& m_impl;
    std::vector<Info> m_infos;
};

struct Acc {
    qint64 flows = 0, packets = 0, bytes = 0, rejects = 0;
    std::array<qint64, LostReasonCount> lost{};
    void add(const ScanRow& r, bool reject)
    {
        ++flows;
        packets += r.packets;
        bytes += r.bytes;
        for (size_t i = 0; i < lost.size(); ++i)
            lost[i] += r.lost[i];
        if (reject)
            ++rejects;
    }
};

struct PairHash {
    size_t operator()(const std::pair<int64_t, int64_t>& p) const
    {
        uint64_t h = static_cast<uint64_t>(p.first) * 0x9e3779b97f4a7c15ULL;
        h ^= static_cast<uint64_t>(p.second) + 0x7f4a7c159e3779b9ULL + (h << 6) + (h >> 2);
        return static_cast<size_t>(h);
    }
};

class EdgeVisitor final : public ScanVisitor
{
public:
    EdgeVisitor(const Store::Impl& impl, EdgeDimension dim, const std::atomic<bool>* cancel)
        : ScanVisitor(impl, cancel), m_dim(dim), m_ctx(impl)
    {
    }
    std::unordered_map<std::pair<int64_t, int64_t>, Acc, PairHash> edges;
    static constexpr int64_t kNone = INT64_MIN; ///< "-"

protected:
    void consume(const ScanRow& r) override
    {
        std::pair<int64_t, int64_t> key;
        if (m_dim == EdgeDimension::Addr) {
            key = {r.hasSrc ? r.src : kNone, r.hasDst ? r.dst : kNone};
        } else {
            if (r.ctx >= m_keys.size())
                m_keys.resize(r.ctx + 1, {kUnknown, 0});
            auto& k = m_keys[r.ctx];
            if (k.first == kUnknown)
                k = contextKey(r.ctx);
            if (k.first == kSkip)
                return;
            key = k;
        }
        edges[key].add(r, false);
    }

private:
    static constexpr int64_t kUnknown = INT64_MIN + 1;
    static constexpr int64_t kSkip = INT64_MIN + 2;
    std::pair<int64_t, int64_t> contextKey(uint32_t ctx)
    {
        const auto& info = m_ctx.get(ctx);
        auto code = [](uint32_t c) { return c ? static_cast<int64_t>(c) : kNone; };
        FieldId tgwSrc = FieldId::TgwSrcVpcId, tgwDst = FieldId::TgwDstVpcId, vpcField = FieldId::VpcId;
        switch (m_dim) {
        case EdgeDimension::Attachment:
            if (!info.tgw)
                return {kSkip, 0}; // VPC records have no attachment
            return {code(info.entry), code(info.exit)};
        case EdgeDimension::Vpc:
            break;
        case EdgeDimension::Subnet:
            tgwSrc = FieldId::TgwSrcSubnetId, tgwDst = FieldId::TgwDstSubnetId, vpcField = FieldId::SubnetId;
            break;
        case EdgeDimension::Az:
            tgwSrc = FieldId::TgwSrcAzId, tgwDst = FieldId::TgwDstAzId, vpcField = FieldId::AzId;
            break;
        case EdgeDimension::Account:
            tgwSrc = FieldId::TgwSrcVpcAccountId, tgwDst = FieldId::TgwDstVpcAccountId,
            vpcField = FieldId::AccountId;
            break;
        case EdgeDimension::Addr:
            break;
        }
        if (info.tgw)
            return {code(m_ctx.value(ctx, tgwSrc)), code(m_ctx.value(ctx, tgwDst))};
        // VPC record: the interface's own VPC/subnet/AZ/account on the side the traffic is on.
        const int64_t own = code(m_ctx.value(ctx, vpcField));
        return info.ingress ? std::pair<int64_t, int64_t>{kNone, own}
                            : std::pair<int64_t, int64_t>{own, kNone};
    }

    EdgeDimension m_dim;
    ContextCache m_ctx;
    std::vector<std::pair<int64_t, int64_t>> m_keys;
};

/// Accumulates per base unit (60 s, or the requested bin) and per split key.
class SeriesVisitor final : public ScanVisitor
{
public:
    SeriesVisitor(const Store::Impl& impl, qint64 unit, SeriesSplit split, bool splitting,
                  const std::atomic<bool>* cancel)
        : ScanVisitor(impl, cancel), m_unit(unit), m_split(split), m_splitting(splitting), m_ctx(impl)
    {
    }
    std::unordered_map<int64_t, Acc> bins;                                        // unit index -> totals
    std::unordered_map<std::pair<int64_t, int64_t>, qint64, PairHash> splitBytes; // (key, unit) -> bytes
    std::unordered_map<int64_t, qint64> keyTotals;

protected:
    void consume(const ScanRow& r) override
    {
        if (!r.hasStart)
            return;
        const int64_t unit = floorDiv(r.start, m_unit);
        const auto& info = m_ctx.get(r.ctx);
        if (!m_splitting) {
            if (unit != m_lastUnit || !m_last) {
                m_last = &bins[unit];
                m_lastUnit = unit;
            }
            m_last->add(r, info.reject);
            return;
        }
        int64_t key = 0;
        switch (m_split) {
        case SeriesSplit::None:
            key = 0;
            break;
        case SeriesSplit::Attachment:
            if (!info.tgw)
                return;
            key = info.entry;
            break;
        case SeriesSplit::Edge:
            if (!info.tgw)
                return;
            key = (static_cast<int64_t>(info.entry) << 32) | static_cast<int64_t>(info.exit);
            break;
        case SeriesSplit::Direction:
            key = info.direction;
            break;
        }
        splitBytes[{key, unit}] += r.bytes;
        keyTotals[key] += r.bytes;
    }

private:
    qint64 m_unit;
    SeriesSplit m_split;
    bool m_splitting;
    ContextCache m_ctx;
    Acc* m_last = nullptr;
    int64_t m_lastUnit = 0;
};

QString codeText(const Store::Impl& impl, int64_t code)
{
    if (code <= 0 || static_cast<size_t>(code) >= impl.stringCount())
        return QStringLiteral("-");
    const std::string& s = impl.string(static_cast<uint32_t>(code));
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

QString addrText(const Store::Impl& impl, int64_t raw)
{
    if (raw == EdgeVisitor::kNone)
        return QStringLiteral("-");
    char buf[64];
    const int n = impl.decodeAddress(raw, buf);
    return n < 0 ? QStringLiteral("-") : QString::fromLatin1(buf, n);
}

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
    if (b.bin % unit != 0)
        b.bin = unit; // only when requested and unit == requested
    b.first = floorDiv(*mn * unit, b.bin);
    b.last = floorDiv(*mx * unit, b.bin);
    return b;
}

constexpr int64_t kMaxBins = 5'000'000;

} // namespace

std::optional<EdgeDimension> edgeDimensionFromString(const QString& s)
{
    const QString l = s.trimmed().toLower();
    if (l == QLatin1String("attachment") || l == QLatin1String("attachments"))
        return EdgeDimension::Attachment;
    if (l == QLatin1String("vpc"))
        return EdgeDimension::Vpc;
    if (l == QLatin1String("subnet"))
        return EdgeDimension::Subnet;
    if (l == QLatin1String("az"))
        return EdgeDimension::Az;
    if (l == QLatin1String("account"))
        return EdgeDimension::Account;
    if (l == QLatin1String("addr") || l == QLatin1String("address"))
        return EdgeDimension::Addr;
    return std::nullopt;
}

QString edgeDimensionName(EdgeDimension d)
{
    switch (d) {
    case EdgeDimension::Attachment:
        return QStringLiteral("attachment");
    case EdgeDimension::Vpc:
        return QStringLiteral("vpc");
    case EdgeDimension::Subnet:
        return QStringLiteral("subnet");
    case EdgeDimension::Az:
        return QStringLiteral("az");
    case EdgeDimension::Account:
        return QStringLiteral("account");
    case EdgeDimension::Addr:
        return QStringLiteral("addr");
    }
    return {};
}

qint64 autoBinSeconds(qint64 spanSeconds, qint64 floorSeconds)
{
    static constexpr qint64 kNice[] = {60,    120,   300,   600,   900,    1800,   3600,    7200,
                                       10800, 21600, 43200, 86400, 172800, 604800, 1209600, 2592000};
    constexpr qint64 kMaxBinsWanted = 400;
    const qint64 span = std::max<qint64>(0, spanSeconds);
    const qint64 floor = std::max<qint64>(1, floorSeconds);
    for (qint64 n : kNice) {
        if (n < floor)
            continue;
        if ((span + n - 1) / n <= kMaxBinsWanted)
            return n;
    }
    const qint64 days = (span / kMaxBinsWanted + 86399) / 86400;
    return std::max(floor, std::max<qint64>(1, days) * 86400);
}

Result<std::vector<Edge>> computeEdges(const Store& store, const QString& filterExpression,
                                       EdgeDimension dimension, const std::atomic<bool>* cancel)
{
    const Store::Impl& impl = store.impl();
    EdgeVisitor v(impl, dimension, cancel);
    Status st = runScan(store, filterExpression, v, dimension == EdgeDimension::Addr, cancel);
    if (!st.ok())
        return st.error();
    std::vector<Edge> out;
    out.reserve(v.edges.size());
    for (const auto& [key, acc] : v.edges) {
        Edge e;
        if (dimension == EdgeDimension::Addr) {
            e.src = addrText(impl, key.first);
            e.dst = addrText(impl, key.second);
        } else {
            e.src = codeText(impl, key.first);
            e.dst = codeText(impl, key.second);
        }
        e.flows = acc.flows;
        e.packets = acc.packets;
        e.bytes = acc.bytes;
        e.lost = acc.lost;
        out.push_back(std::move(e));
    }
    std::sort(out.begin(), out.end(), [](const Edge& a, const Edge& b) {
        if (a.bytes != b.bytes)
            return a.bytes > b.bytes;
        if (a.src != b.src)
            return a.src < b.src;
        return a.dst < b.dst;
    });
    return out;
}

Result<Series> computeSeries(const Store& store, const QString& filterExpression, qint64 binSeconds,
                             const std::atomic<bool>* cancel)
{
    const qint64 unit = (binSeconds > 0 && binSeconds % 60 != 0) ? binSeconds : 60;
    SeriesVisitor v(store.impl(), unit, SeriesSplit::None, false, cancel);
    Status st = runScan(store, filterExpression, v, false, cancel);
    if (!st.ok())
        return st.error();
    std::vector<int64_t> units;
    units.reserve(v.bins.size());
    for (const auto& [u, acc] : v.bins)
        units.push_back(u);
    const Binning b = chooseBinning(units, unit, binSeconds);
    Series s;
    s.binSeconds = b.bin;
    if (b.last < b.first)
        return s;
    if (b.last - b.first + 1 > kMaxBins)
        return Error{{},
                     0,
                     0,
                     QStringLiteral("%1 bins of %2 s are too many; choose a larger bin size")
                         .arg(b.last - b.first + 1)
                         .arg(b.bin)};
    s.bins.resize(static_cast<size_t>(b.last - b.first + 1));
    for (size_t i = 0; i < s.bins.size(); ++i)
        s.bins[i].start = (b.first + static_cast<int64_t>(i)) * b.bin;
    for (const auto& [u, acc] : v.bins) {
        SeriesBin& bin = s.bins[static_cast<size_t>(floorDiv(u * unit, b.bin) - b.first)];
        bin.flows += acc.flows;
        bin.packets += acc.packets;
        bin.bytes += acc.bytes;
        bin.rejects += acc.rejects;
        for (size_t i = 0; i < acc.lost.size(); ++i)
            bin.lost[i] += acc.lost[i];
    }
    return s;
}

Result<SplitSeries> computeSplitSeries(const Store& store, const QString& filterExpression, SeriesSplit split,
                                       int topN, qint64 binSeconds, const std::atomic<bool>* cancel)
{
    const Store::Impl& impl = store.impl();
    const qint64 unit = (binSeconds > 0 && binSeconds % 60 != 0) ? binSeconds : 60;
    SeriesVisitor v(impl, unit, split, true, cancel);
    Status st = runScan(store, filterExpression, v, false, cancel);
    if (!st.ok())
        return st.error();
    std::vector<int64_t> units;
    units.reserve(v.splitBytes.size());
    for (const auto& [k, bytes] : v.splitBytes)
        units.push_back(k.second);
    const Binning b = chooseBinning(units, unit, binSeconds);
    SplitSeries out;
    out.binSeconds = b.bin;
    if (b.last < b.first)
        return out;
    if (b.last - b.first + 1 > kMaxBins)
        return Error{{},
                     0,
                     0,
                     QStringLiteral("%1 bins of %2 s are too many; choose a larger bin size")
                         .arg(b.last - b.first + 1)
                         .arg(b.bin)};
    const size_t nBins = static_cast<size_t>(b.last - b.first + 1);
    for (size_t i = 0; i < nBins; ++i)
        out.binStarts.push_back((b.first + static_cast<int64_t>(i)) * b.bin);

    std::vector<std::pair<int64_t, qint64>> totals(v.keyTotals.begin(), v.keyTotals.end());
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
    std::sort(totals.begin(), totals.end(), [&](const auto& a, const auto& c) {
        return a.second != c.second ? a.second > c.second : keyName(a.first) < keyName(c.first);
    });
    const size_t keep = std::min(totals.size(), static_cast<size_t>(std::max(1, topN)));
    std::unordered_map<int64_t, size_t> row;
    for (size_t i = 0; i < keep; ++i) {
        row[totals[i].first] = i;
        out.keys << keyName(totals[i].first);
    }
    const bool other = totals.size() > keep;
    if (other)
        out.keys << QStringLiteral("other");
    out.bytes.assign(static_cast<size_t>(out.keys.size()), std::vector<qint64>(nBins, 0));
    for (const auto& [k, bytes] : v.splitBytes) {
        auto it = row.find(k.first);
        const size_t r = it != row.end() ? it->second : keep;
        out.bytes[r][static_cast<size_t>(floorDiv(k.second * unit, b.bin) - b.first)] += bytes;
    }
    return out;
}

} // namespace core
