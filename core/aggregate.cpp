// Edges and time series over `flows`. One SQL scan per request feeds a C++ accumulator
// (fl_visit aggregate, rows decoded from the compact physical columns), so grouping costs a
// hash lookup per row instead of an SQLite sort.
//
// Counting rule: a record counts unless it is an egress record whose twin (the ingress record
// of the same flow at the other attachment, see twin_id) also passes the filter. Records
// without traffic (NODATA/SKIPDATA: packets and bytes NULL) are not counted. Without a filter
// every twin passes; with one, the scan marks the ids that pass (a bit per id) and an egress
// record is decided when its twin's id has been reached, so no twin is looked up in SQL.
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

/// How a scan learns whether an egress record's twin passes the filter (argv[11]).
enum class TwinCheck {
    AnyTwin, ///< no filter: argv[11] is the id, and every twin passes
    Marked,  ///< filtered, rows in ascending id order: argv[11] is the id; the visitor marks the
             ///< ids that pass and decides once the twin's id has been reached
    Flag,    ///< filtered through a join: argv[11] says whether the twin passed
};

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
        int64_t deferUntil = 0; // the twin's id, when the decision needs rows not seen yet
        if (m_check == TwinCheck::Marked) {
            // Every row that passes the filter is marked, counted or not (a NODATA twin still
            // passes): the twin rule asks whether the twin passes, not whether it counts.
            const int64_t id = sqlite3_value_int64(argv[11]);
            if (id <= m_lastId)
                m_unordered = true;
            m_lastId = id;
            mark(id);
        }
        ScanRow r;
        const sqlite3_int64 ctx = sqlite3_value_int64(argv[1]);
        if (ctx < 0 || static_cast<size_t>(ctx) >= m_impl.contextCount())
            return true;
        r.ctx = static_cast<uint32_t>(ctx);
        if (m_impl.isEgressContext(r.ctx)) {
            switch (m_check) {
            case TwinCheck::AnyTwin:
                if (m_impl.twinOf(sqlite3_value_int64(argv[11])) > 0)
                    return true;
                break;
            case TwinCheck::Flag:
                if (sqlite3_value_int(argv[11]) != 0)
                    return true;
                break;
            case TwinCheck::Marked:
                if (const int64_t twin = m_impl.twinOf(m_lastId); twin > 0) {
                    if (twin > m_lastId)
                        deferUntil = twin;
                    else if (marked(twin))
                        return true;
                }
                break;
            }
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
        if (deferUntil > 0)
            m_deferred.push_back({deferUntil, r});
        else
            consume(r);
        return true;
    }
    bool cancelled() const { return m_cancel && m_cancel->load(); }
    /// Set by runScan before each query (the queries run under the connection mutex, so
    /// twinOf is safe inside row()).
    void start(TwinCheck check)
    {
        m_check = check;
        m_seen = 0;
        m_lastId = INT64_MIN;
        m_unordered = false;
        m_marks.clear();
        m_deferred.clear();
        reset();
    }
    /// After a Marked scan: decides the rows whose twin came later. False when the rows did
    /// not arrive in ascending id order (the marks cannot be trusted; the caller rescans).
    bool finishMarked()
    {
        if (m_unordered)
            return false;
        for (const Deferred& d : m_deferred) {
            if (!marked(d.twin))
                consume(d.row);
        }
        m_deferred.clear();
        m_deferred.shrink_to_fit();
        return true;
    }

protected:
    virtual void consume(const ScanRow& r) = 0;
    /// Forgets everything consumed so far.
    virtual void reset() = 0;
    const Store::Impl& m_impl;

private:
    struct Deferred {
        int64_t twin = 0;
        ScanRow row;
    };
    void mark(int64_t id)
    {
        if (id <= 0)
            return;
        const auto word = static_cast<size_t>(id >> 6);
        if (word >= m_marks.size())
            m_marks.resize(std::max(word + 1, m_marks.size() * 2), 0);
        m_marks[word] |= uint64_t{1} << (id & 63);
    }
    bool marked(int64_t id) const
    {
        const auto word = static_cast<size_t>(id >> 6);
        return id > 0 && word < m_marks.size() && (m_marks[word] >> (id & 63) & 1) != 0;
    }

    const std::atomic<bool>* m_cancel;
    uint64_t m_seen = 0;
    TwinCheck m_check = TwinCheck::AnyTwin;
    int64_t m_lastId = INT64_MIN;
    bool m_unordered = false;
    std::vector<uint64_t> m_marks; ///< bit per id: passed the filter
    std::vector<Deferred> m_deferred;
};

/// Runs one scan statement (one sqlite3_step) feeding `visitor`.
Status stepScan(const Store& store, const QString& sql, const QVariantList& params, ScanVisitor& visitor,
                const std::atomic<bool>* cancel)
{
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

/// Runs the scan for `filterExpression`, feeding `visitor`: one pass over the rows that pass
/// the filter (the unfiltered scan reads flow_data directly).
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
    if (filterExpression.trimmed().isEmpty()) {
        const QString sql = QStringLiteral("SELECT fl_visit(?1, %1, d.id) FROM flow_data AS d")
                                .arg(QString(kArgs)
                                         .replace(QStringLiteral("%1._ctx"), QStringLiteral("d.ctx"))
                                         .replace(QStringLiteral("%1._src"), QStringLiteral("d.a_srcaddr"))
                                         .replace(QStringLiteral("%1._dst"), QStringLiteral("d.a_dstaddr"))
                                         .replace(QStringLiteral("%1."), QStringLiteral("d.")));
        visitor.start(TwinCheck::AnyTwin);
        return stepScan(store, sql, {}, visitor, cancel);
    }
    auto f = compileFilter(filterExpression, QStringLiteral("f"), 2);
    if (!f.ok())
        return f.error();
    // A table scan visits rows in rowid order, so an egress record's twin has been seen (and
    // marked if it passed) whenever its id is lower; records whose twin comes later wait for it.
    const QString sql = QStringLiteral("SELECT fl_visit(?1, %1, f.id) FROM flows_x AS f WHERE (%2)")
                            .arg(kArgs.arg(QStringLiteral("f")), f->where);
    visitor.start(TwinCheck::Marked);
    Status st = stepScan(store, sql, f->params, visitor, cancel);
    if (!st.ok() || visitor.finishMarked())
        return st;
    // Rows came in another order (never for a plain table scan): look each twin up instead.
    auto t = compileFilter(filterExpression, QStringLiteral("t"), 2 + static_cast<int>(f->params.size()));
    if (!t.ok())
        return t.error();
    const QString joinSql = QStringLiteral("SELECT fl_visit(?1, %1, t.id IS NOT NULL) FROM flows_x AS f "
                                           "LEFT JOIN flows_x AS t ON t.id = fl_etwin(f._ctx, f.id) AND (%2) "
                                           "WHERE (%3)")
                                .arg(kArgs.arg(QStringLiteral("f")), t->where, f->where);
    visitor.start(TwinCheck::Flag);
    return stepScan(store, joinSql, f->params + t->params, visitor, cancel);
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
    void reset() override { edges.clear(); }

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

/// Accumulates per base unit (60 s, or the requested bin): the totals and/or the bytes per
/// split key, in the same pass.
class SeriesVisitor final : public ScanVisitor
{
public:
    SeriesVisitor(const Store::Impl& impl, qint64 unit, bool totals, SeriesSplit split,
                  const std::atomic<bool>* cancel)
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

protected:
    void consume(const ScanRow& r) override
    {
        if (!r.hasStart)
            return;
        const int64_t unit = floorDiv(r.start, m_unit);
        if (m_totals) {
            if (unit != m_lastUnit || !m_last) {
                m_last = &bins[unit];
                m_lastUnit = unit;
            }
            m_last->add(r, m_ctx.get(r.ctx).reject);
        }
        if (m_split == SeriesSplit::None)
            return;
        if (r.ctx >= m_keyOfCtx.size())
            m_keyOfCtx.resize(r.ctx + 1, kUnknownKey);
        uint32_t& k = m_keyOfCtx[r.ctx];
        if (k == kUnknownKey)
            k = keyIndex(m_ctx.get(r.ctx));
        if (k == kNotSplit)
            return;
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
        m_now[k] += r.bytes;
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
            if (!info.tgw)
                return kNotSplit;
            key = info.entry;
            break;
        case SeriesSplit::Edge:
            if (!info.tgw)
                return kNotSplit;
            key = (static_cast<int64_t>(info.entry) << 32) | static_cast<int64_t>(info.exit);
            break;
        case SeriesSplit::Direction:
            key = info.direction;
            break;
        }
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

    std::vector<KeyBytes> m_keys;                    // by key index
    std::unordered_map<int64_t, uint32_t> m_keyIndex; // key -> key index
    std::vector<uint32_t> m_keyOfCtx;                // per context: key index, kUnknownKey, kNotSplit
    int64_t m_unitNow = 0;                           // the unit m_now sums
    std::vector<qint64> m_now;                       // by key index
    std::vector<uint8_t> m_touched;                  // by key index: in m_touchedKeys
    std::vector<uint32_t> m_touchedKeys;
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

namespace
{

/// The scan's base unit: 60 s, or the requested bin when it is not a multiple of a minute.
qint64 baseUnit(qint64 binSeconds)
{
    return (binSeconds > 0 && binSeconds % 60 != 0) ? binSeconds : 60;
}

Error tooManyBins(const Binning& b)
{
    return Error{{},
                 0,
                 0,
                 QStringLiteral("%1 bins of %2 s are too many; choose a larger bin size")
                     .arg(b.last - b.first + 1)
                     .arg(b.bin)};
}

Result<Series> seriesFrom(const SeriesVisitor& v, qint64 unit, qint64 binSeconds)
{
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
        return tooManyBins(b);
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

Result<SplitSeries> splitFrom(const Store::Impl& impl, SeriesVisitor& v, SeriesSplit split, int topN,
                              qint64 unit, qint64 binSeconds)
{
    v.finishSplit();
    const std::vector<SeriesVisitor::KeyBytes>& keys = v.splitBytes();
    std::vector<int64_t> units;
    for (const auto& k : keys) {
        for (const auto& [u, bytes] : k.units)
            units.push_back(u);
    }
    const Binning b = chooseBinning(units, unit, binSeconds);
    SplitSeries out;
    out.binSeconds = b.bin;
    if (b.last < b.first)
        return out;
    if (b.last - b.first + 1 > kMaxBins)
        return tooManyBins(b);
    const size_t nBins = static_cast<size_t>(b.last - b.first + 1);
    out.binStarts.reserve(nBins);
    for (size_t i = 0; i < nBins; ++i)
        out.binStarts.push_back((b.first + static_cast<int64_t>(i)) * b.bin);

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
        for (const auto& run : keys[i].units)
            bytes += run.second;
        totals.push_back({i, bytes, keyName(keys[i].key)});
    }
    std::sort(totals.begin(), totals.end(), [](const Total& a, const Total& c) {
        return a.bytes != c.bytes ? a.bytes > c.bytes : a.name < c.name;
    });
    const size_t keep = std::min(totals.size(), static_cast<size_t>(std::max(1, topN)));
    std::vector<size_t> row(keys.size(), keep); // key index -> output row ("other" = keep)
    for (size_t i = 0; i < keep; ++i) {
        row[totals[i].index] = i;
        out.keys << totals[i].name;
    }
    if (totals.size() > keep)
        out.keys << QStringLiteral("other");
    out.bytes.assign(static_cast<size_t>(out.keys.size()), std::vector<qint64>(nBins, 0));
    for (size_t i = 0; i < keys.size(); ++i) {
        std::vector<qint64>& dest = out.bytes[row[i]];
        for (const auto& [u, bytes] : keys[i].units)
            dest[static_cast<size_t>(floorDiv(u * unit, b.bin) - b.first)] += bytes;
    }
    return out;
}

} // namespace

Result<Series> computeSeries(const Store& store, const QString& filterExpression, qint64 binSeconds,
                             const std::atomic<bool>* cancel)
{
    const qint64 unit = baseUnit(binSeconds);
    SeriesVisitor v(store.impl(), unit, true, SeriesSplit::None, cancel);
    Status st = runScan(store, filterExpression, v, false, cancel);
    if (!st.ok())
        return st.error();
    return seriesFrom(v, unit, binSeconds);
}

Result<SplitSeries> computeSplitSeries(const Store& store, const QString& filterExpression, SeriesSplit split,
                                       int topN, qint64 binSeconds, const std::atomic<bool>* cancel)
{
    const qint64 unit = baseUnit(binSeconds);
    SeriesVisitor v(store.impl(), unit, false, split, cancel);
    Status st = runScan(store, filterExpression, v, false, cancel);
    if (!st.ok())
        return st.error();
    return splitFrom(store.impl(), v, split, topN, unit, binSeconds);
}

Result<SeriesWithSplit> computeSeriesWithSplit(const Store& store, const QString& filterExpression,
                                               SeriesSplit split, int topN, qint64 binSeconds,
                                               const std::atomic<bool>* cancel)
{
    const qint64 unit = baseUnit(binSeconds);
    SeriesVisitor v(store.impl(), unit, true, split, cancel);
    Status st = runScan(store, filterExpression, v, false, cancel);
    if (!st.ok())
        return st.error();
    auto series = seriesFrom(v, unit, binSeconds);
    if (!series.ok())
        return series.error();
    SeriesWithSplit out;
    out.series = std::move(series.value());
    if (split == SeriesSplit::None)
        return out;
    // The split binned as computeSplitSeries(..., out.series.binSeconds) would: that bin is a
    // multiple of `unit` (auto bins are whole minutes; a requested bin is kept), so the units
    // accumulated here are the ones that call would accumulate.
    Q_ASSERT(baseUnit(out.series.binSeconds) == unit);
    auto s = splitFrom(store.impl(), v, split, topN, unit, out.series.binSeconds);
    if (!s.ok())
        return s.error();
    out.split = std::move(s.value());
    return out;
}

} // namespace core
