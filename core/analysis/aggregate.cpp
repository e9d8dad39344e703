// The scan behind the aggregations, and edges. One SQL scan per request feeds a C++ accumulator
// (fl_visit aggregate, rows decoded from the compact physical columns), so grouping costs a
// hash lookup per row instead of an SQLite sort.
//
// Counting rule: a record counts unless it is an egress record whose twin (the ingress record
// of the same flow at the other attachment, see twin_id) also passes the filter. Records
// without traffic (NODATA/SKIPDATA: packets and bytes NULL) are not counted. Without a filter
// every twin passes; with one, the scan marks the ids that pass (a bit per id) and an egress
// record is decided when its twin's id has been reached, so no twin is looked up in SQL.
#include "core/analysis/aggregate.h"

#include "core/analysis/aggregate_impl.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <bit>
#include <mutex>
#include <unordered_map>

namespace core {

namespace detail {

namespace {

constexpr int kScanArgs = 12;

} // namespace

bool ScanVisitor::row(int argc, sqlite3_value** argv)
{
    if ((++m_seen & 0xfff) == 0 && m_cancel && m_cancel->load(std::memory_order_relaxed)) return false;
    if (argc < kScanArgs) return true;
    int64_t deferUntil = 0; // the twin's id, when the decision needs rows not seen yet
    if (m_check == TwinCheck::Marked) {
        // Every row that passes the filter is marked, counted or not (a NODATA twin still
        // passes): the twin rule asks whether the twin passes, not whether it counts.
        const int64_t id = sqlite3_value_int64(argv[11]);
        if (id <= m_lastId) m_unordered = true;
        m_lastId = id;
        mark(id);
    }
    ScanRow r;
    const sqlite3_int64 ctx = sqlite3_value_int64(argv[1]);
    if (ctx < 0 || static_cast<size_t>(ctx) >= m_impl.contextCount()) return true;
    r.ctx = ContextCode(static_cast<uint32_t>(ctx));
    if (m_impl.isEgressContext(r.ctx)) {
        switch (m_check) {
        case TwinCheck::AnyTwin:
            if (m_impl.twinOf(RecordId(sqlite3_value_int64(argv[11]))).get() > 0) return true;
            break;
        case TwinCheck::Flag:
            if (sqlite3_value_int(argv[11]) != 0) return true;
            break;
        case TwinCheck::Marked:
            if (const int64_t twin = m_impl.twinOf(RecordId(m_lastId)).get(); twin > 0) {
                if (twin > m_lastId) deferUntil = twin;
                else if (marked(twin)) return true;
            }
            break;
        }
    }
    const bool hasPackets = sqlite3_value_type(argv[4]) != SQLITE_NULL;
    const bool hasBytes = sqlite3_value_type(argv[5]) != SQLITE_NULL;
    if (!hasPackets && !hasBytes) return true; // NODATA / SKIPDATA
    r.hasSrc = sqlite3_value_type(argv[2]) != SQLITE_NULL;
    r.hasDst = sqlite3_value_type(argv[3]) != SQLITE_NULL;
    r.src = r.hasSrc ? sqlite3_value_int64(argv[2]) : 0;
    r.dst = r.hasDst ? sqlite3_value_int64(argv[3]) : 0;
    r.packets = sqlite3_value_int64(argv[4]);
    r.bytes = sqlite3_value_int64(argv[5]);
    r.hasStart = sqlite3_value_type(argv[6]) != SQLITE_NULL;
    r.start = sqlite3_value_int64(argv[6]);
    for (int i = 0; i < LostReasonCount; ++i) r.lost[static_cast<size_t>(i)] = sqlite3_value_int64(argv[7 + i]);
    if (deferUntil > 0) m_deferred.push_back({deferUntil, r});
    else consume(r);
    return true;
}

Status runScan(const Store& store, const QString& filterExpression, ScanVisitor& visitor, bool addresses,
               const std::atomic<bool>* cancel)
{
    if (Status fast = Ok{}; runColumnScan(store, filterExpression, visitor, addresses, cancel, fast)) return fast;
    const QString kArgs = QStringLiteral("%1._ctx, ")
                          + (addresses ? QStringLiteral("%1._src, %1._dst, ") : QStringLiteral("NULL, NULL, "))
                          + QStringLiteral("%1.packets, %1.bytes, %1.start, "
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
        return runVisitorStatement(store, sql, {}, visitor, cancel);
    }
    auto f = compileFilter(filterExpression, QStringLiteral("f"), 2);
    if (!f.ok()) return f.error();
    // A table scan visits rows in rowid order, so an egress record's twin has been seen (and
    // marked if it passed) whenever its id is lower; records whose twin comes later wait for it.
    const QString sql = QStringLiteral("SELECT fl_visit(?1, %1, f.id) FROM flows_x AS f WHERE (%2)")
                            .arg(kArgs.arg(QStringLiteral("f")), f->where);
    visitor.start(TwinCheck::Marked);
    Status st = runVisitorStatement(store, sql, f->params, visitor, cancel);
    if (!st.ok() || visitor.finishMarked()) return st;
    // Rows came in another order (never for a plain table scan): look each twin up instead.
    auto t = compileFilter(filterExpression, QStringLiteral("t"), 2 + static_cast<int>(f->params.size()));
    if (!t.ok()) return t.error();
    // EXISTS, not a LEFT JOIN: a view over the virtual flow_data is never flattened on the right
    // of a LEFT JOIN (SQLite would materialise it whole).
    const QString joinSql = QStringLiteral("SELECT fl_visit(?1, %1, EXISTS (SELECT 1 FROM flows_x AS t"
                                           " WHERE t.id = fl_etwin(f._ctx, f.id) AND (%2))) FROM flows_x AS f "
                                           "WHERE (%3)")
                                .arg(kArgs.arg(QStringLiteral("f")), t->where, f->where);
    visitor.start(TwinCheck::Flag);
    return runVisitorStatement(store, joinSql, f->params + t->params, visitor, cancel);
}

QString codeText(const Store::Impl& impl, int64_t code)
{
    if (code <= 0 || static_cast<size_t>(code) >= impl.stringCount()) return QStringLiteral("-");
    const std::string& s = impl.string(StringCode(static_cast<uint32_t>(code)));
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

} // namespace detail

using namespace detail;

namespace {

struct PairHash {
    size_t operator()(const std::pair<int64_t, int64_t>& p) const
    {
        uint64_t h = static_cast<uint64_t>(p.first) * 0x9e3779b97f4a7c15ULL;
        h ^= static_cast<uint64_t>(p.second) + 0x7f4a7c159e3779b9ULL + (h << 6) + (h >> 2);
        return static_cast<size_t>(h);
    }
};

/// (src, dst) pair -> totals for the address dimension, which looks one up for every record: the
/// totals dense in insertion order, found through a small open-addressing index (linear probing,
/// grown at half full) of 8-byte slots holding the entry number and 32 bits of the key's hash, so
/// a probe rarely touches an entry that is not the one wanted. add() takes a batch of rows and
/// prefetches in two stages (index slots, then entries): the totals of 100,000 pairs are far
/// larger than the caches. The vectors' memory is kept between scans (two tables' worth, see
/// Storage): touching fresh pages costs more than the hashing (measured ~17 us per 4 KiB page
/// fault on the 2-core VM: 1,000-3,000 faults, 16-50 ms CPU, per 10M-record scan before).
class PairTable {
public:
    PairTable() = default;
    PairTable(const PairTable&) = delete;
    PairTable& operator=(const PairTable&) = delete;
    ~PairTable() { release(); }

    /// One pair's totals: one cache line (the lost packets, rarely non-zero, in a side list).
    struct alignas(64) Entry {
        std::pair<int64_t, int64_t> key;
        int64_t flows = 0, packets = 0, bytes = 0;
        uint32_t lost = 0; ///< 1 + index into the lost-packet sums, 0 = none so far
    };
    using Key = std::pair<int64_t, int64_t>;
    using Lost = std::array<qint64, LostReasonCount>;

    /// The totals of entry `e`, as the other dimensions keep them.
    Acc totals(const Entry& e) const
    {
        Acc a;
        a.flows = e.flows;
        a.packets = e.packets;
        a.bytes = e.bytes;
        if (e.lost) a.lost = m_lost[e.lost - 1];
        return a;
    }

    /// Adds rows[i] to the totals of keys[i], i < n (n <= 64).
    void add(const Key* keys, const ScanRow* rows, size_t n)
    {
        if (!m_adopted) adopt();
        if ((m_entries.size() + n) * 2 > m_index.size()) grow(m_entries.size() + n);
        const size_t mask = m_index.size() - 1;
        std::array<uint64_t, 64> hashes;
        std::array<size_t, 64> at; // the first slot whose tag matches, or the empty one ending the probe
        for (size_t i = 0; i < n; ++i) {
            hashes[i] = hash(keys[i]);
            __builtin_prefetch(&m_index[hashes[i] & mask]);
        }
        for (size_t i = 0; i < n; ++i) {
            const uint64_t tag = hashes[i] >> 32;
            size_t j = hashes[i] & mask;
            while (m_index[j] != 0 && m_index[j] >> 32 != tag) j = (j + 1) & mask;
            at[i] = j;
            if (m_index[j] != 0) __builtin_prefetch(&m_entries[(m_index[j] & 0xffffffffu) - 1]);
        }
        // Slots before at[i] held other tags and still do (no deletions), so the probe resumes
        // there even when an earlier row of the batch added an entry.
        for (size_t i = 0; i < n; ++i) {
            Entry& e = m_entries[findOrAdd(keys[i], hashes[i], at[i], mask)];
            const ScanRow& r = rows[i];
            ++e.flows;
            addCapped(e.packets, r.packets);
            addCapped(e.bytes, r.bytes);
            if ((r.lost[0] | r.lost[1] | r.lost[2] | r.lost[3]) != 0) {
                if (e.lost == 0) {
                    m_lost.push_back({});
                    e.lost = static_cast<uint32_t>(m_lost.size());
                }
                Lost& l = m_lost[e.lost - 1];
                for (size_t k = 0; k < l.size(); ++k) addCapped(l[k], r.lost[k]);
            }
        }
    }
    /// Adds the totals of every entry of `other` (the second thread's table) to this table.
    void merge(const PairTable& other)
    {
        if (!m_adopted) adopt();
        if ((m_entries.size() + other.m_entries.size()) * 2 > m_index.size()) grow(m_entries.size() + other.m_entries.size());
        const size_t mask = m_index.size() - 1;
        for (const Entry& o : other.m_entries) {
            const uint64_t h = hash(o.key);
            Entry& e = m_entries[findOrAdd(o.key, h, h & mask, mask)];
            e.flows += o.flows;
            addCapped(e.packets, o.packets);
            addCapped(e.bytes, o.bytes);
            if (o.lost == 0) continue;
            if (e.lost == 0) {
                m_lost.push_back({});
                e.lost = static_cast<uint32_t>(m_lost.size());
            }
            const Lost& from = other.m_lost[o.lost - 1];
            Lost& to = m_lost[e.lost - 1];
            for (size_t k = 0; k < to.size(); ++k) to[k] += from[k];
        }
    }
    const std::vector<Entry>& entries() const { return m_entries; }
    void clear()
    {
        m_entries.clear();
        m_index.clear();
        m_lost.clear();
    }

private:
    /// A table's vectors, emptied, with their capacity (the index all zero).
    struct Storage {
        std::vector<Entry> entries;
        std::vector<uint64_t> index;
        std::vector<Lost> lost;
    };
    /// At most two tables' memory (the two threads' of one scan), each at most 64 MiB.
    static constexpr size_t kPoolTables = 2;
    static constexpr size_t kPoolBytes = size_t{64} << 20;
    static std::mutex& poolMutex()
    {
        static std::mutex m;
        return m;
    }
    static std::vector<Storage>& pool()
    {
        static std::vector<Storage> p;
        return p;
    }
    /// Takes a kept table's memory, if any, before the first entry.
    void adopt()
    {
        m_adopted = true;
        if (!m_entries.empty() || !m_index.empty()) return;
        std::lock_guard<std::mutex> lock(poolMutex());
        if (pool().empty()) return;
        Storage& s = pool().back();
        m_entries.swap(s.entries);
        m_index.swap(s.index);
        m_lost.swap(s.lost);
        pool().pop_back();
    }
    /// Gives this table's memory to the pool (emptied; the index zeroed keeps its size).
    void release()
    {
        const size_t bytes = m_entries.capacity() * sizeof(Entry) + m_index.capacity() * sizeof(uint64_t);
        if (bytes == 0 || bytes > kPoolBytes) return;
        Storage s;
        m_entries.clear();
        m_lost.clear();
        std::fill(m_index.begin(), m_index.end(), 0);
        s.entries.swap(m_entries);
        s.index.swap(m_index);
        s.lost.swap(m_lost);
        std::lock_guard<std::mutex> lock(poolMutex());
        if (pool().size() < kPoolTables) pool().push_back(std::move(s));
    }
    static uint64_t hash(const Key& p)
    {
        uint64_t h = static_cast<uint64_t>(p.first) * 0x9e3779b97f4a7c15ULL ^ static_cast<uint64_t>(p.second);
        h ^= h >> 32;
        h *= 0xd6e8feb86659fd93ULL;
        h ^= h >> 32;
        return h;
    }
    static uint64_t slotValue(uint64_t h, size_t entry) { return (h >> 32 << 32) | (entry + 1); }
    uint32_t findOrAdd(const Key& key, uint64_t h, size_t from, size_t mask)
    {
        const uint64_t tag = h >> 32;
        for (size_t i = from;; i = (i + 1) & mask) {
            const uint64_t slot = m_index[i];
            if (slot == 0) {
                m_index[i] = slotValue(h, m_entries.size());
                m_entries.push_back(Entry{key});
                return static_cast<uint32_t>(m_entries.size() - 1);
            }
            if (slot >> 32 == tag) {
                const auto e = static_cast<uint32_t>((slot & 0xffffffffu) - 1);
                if (m_entries[e].key == key) return e;
            }
        }
    }
    void grow(size_t want)
    {
        // At least the capacity a kept index already has: no page to fault in, fewer regrowths.
        size_t size = std::max<size_t>(1024, std::max(m_index.size(), std::bit_floor(m_index.capacity())));
        while (want * 2 > size) size *= 2;
        m_index.assign(size, 0);
        const size_t mask = size - 1;
        for (size_t e = 0; e < m_entries.size(); ++e) {
            const uint64_t h = hash(m_entries[e].key);
            size_t i = h & mask;
            while (m_index[i] != 0) i = (i + 1) & mask;
            m_index[i] = slotValue(h, e);
        }
    }
    std::vector<Entry> m_entries;
    std::vector<uint64_t> m_index; ///< tag << 32 | entry + 1; 0 = empty
    std::vector<Lost> m_lost;      ///< lost-packet sums of the entries that have any
    bool m_adopted = false;        ///< adopt() ran
};

class EdgeVisitor final : public ScanVisitor {
public:
    EdgeVisitor(const Store::Impl& impl, EdgeDimension dim, const std::atomic<bool>* cancel)
        : ScanVisitor(impl, cancel), m_dim(dim), m_ctx(impl)
    {
    }
    using EdgeMap = std::unordered_map<std::pair<int64_t, int64_t>, Acc, PairHash>;
    /// The edges, complete after finish().
    EdgeMap edges;
    static constexpr int64_t kNone = INT64_MIN; ///< "-"

    /// Folds the per-key totals of the context dimensions into `edges` (the address dimension's
    /// stay in the pair table, where size() / key() / totals() read them).
    void finish()
    {
        for (size_t i = 0; i < m_slots.size(); ++i) addTo(edges[m_slotKeys[i]], m_slots[i]);
        m_slots.clear();
        m_slotKeys.clear();
        m_slotOfCtx.clear();
        m_slotOfKey.clear();
        m_edgeList.assign(edges.begin(), edges.end());
    }
    /// The number of edges; after finish().
    size_t size() const { return m_edgeList.size() + m_pairs.entries().size(); }
    /// Edge `i`'s key, i < size(); after finish().
    const std::pair<int64_t, int64_t>& key(size_t i) const
    {
        return i < m_edgeList.size() ? m_edgeList[i].first : m_pairs.entries()[i - m_edgeList.size()].key;
    }
    /// Edge `i`'s totals, i < size(); after finish().
    Acc totals(size_t i) const
    {
        return i < m_edgeList.size() ? m_edgeList[i].second : m_pairs.totals(m_pairs.entries()[i - m_edgeList.size()]);
    }
    /// Edge `i`'s bytes, i < size(); after finish().
    qint64 bytes(size_t i) const
    {
        return i < m_edgeList.size() ? m_edgeList[i].second.bytes : m_pairs.entries()[i - m_edgeList.size()].bytes;
    }

    std::unique_ptr<ScanVisitor> fork() const override { return std::make_unique<EdgeVisitor>(m_impl, m_dim, nullptr); }
    bool wantsStart() const override { return false; }
    void merge(ScanVisitor& other) override
    {
        auto& o = static_cast<EdgeVisitor&>(other);
        if (m_dim == EdgeDimension::Addr) { // table into table: no per-pair map node
            m_pairs.merge(o.m_pairs);
            return;
        }
        finish();
        o.finish();
        for (const auto& [key, a] : o.edges) addTo(edges[key], a);
    }

protected:
    void consume(const ScanRow& r) override
    {
        if (m_dim == EdgeDimension::Addr) {
            const PairTable::Key key{r.hasSrc ? r.src : kNone, r.hasDst ? r.dst : kNone};
            m_pairs.add(&key, &r, 1);
            return;
        }
        // The context dimensions: a dense slot per distinct key, found once per context.
        const uint32_t c = r.ctx.get();
        if (c >= m_slotOfCtx.size()) m_slotOfCtx.resize(c + 1, kUnknown);
        uint32_t& slot = m_slotOfCtx[c];
        if (slot == kUnknown) slot = slotOf(contextKey(r.ctx));
        if (slot == kSkip) return;
        m_slots[slot].add(r, false);
    }
    void consumeBatch(const ScanRow* rows, size_t n) override
    {
        if (m_dim != EdgeDimension::Addr) {
            for (size_t i = 0; i < n; ++i) consume(rows[i]);
            return;
        }
        std::array<PairTable::Key, 64> keys;
        for (size_t done = 0; done < n; done += keys.size()) {
            const size_t k = std::min(keys.size(), n - done);
            for (size_t i = 0; i < k; ++i) {
                const ScanRow& r = rows[done + i];
                keys[i] = {r.hasSrc ? r.src : kNone, r.hasDst ? r.dst : kNone};
            }
            m_pairs.add(keys.data(), rows + done, k);
        }
    }
    void reset() override
    {
        edges.clear();
        m_edgeList.clear();
        m_pairs.clear();
        m_slots.clear();
        m_slotKeys.clear();
        m_slotOfCtx.clear();
        m_slotOfKey.clear();
    }

private:
    static constexpr uint32_t kUnknown = UINT32_MAX;
    static constexpr uint32_t kSkip = UINT32_MAX - 1;
    static constexpr int64_t kSkipKey = INT64_MIN + 2;

    static void addTo(Acc& e, const Acc& a)
    {
        e.flows += a.flows;
        addCapped(e.packets, a.packets);
        addCapped(e.bytes, a.bytes);
        e.rejects += a.rejects;
        for (size_t j = 0; j < a.lost.size(); ++j) addCapped(e.lost[j], a.lost[j]);
    }

    uint32_t slotOf(const std::pair<int64_t, int64_t>& key)
    {
        if (key.first == kSkipKey) return kSkip;
        const auto [it, added] = m_slotOfKey.try_emplace(key, static_cast<uint32_t>(m_slots.size()));
        if (added) {
            m_slots.emplace_back();
            m_slotKeys.push_back(key);
        }
        return it->second;
    }
    std::pair<int64_t, int64_t> contextKey(ContextCode ctx)
    {
        const auto& info = m_ctx.get(ctx);
        auto code = [](uint32_t c) { return c ? static_cast<int64_t>(c) : kNone; };
        auto valueCode = [this, ctx, code](FieldId f) { return code(m_ctx.value(ctx, f).get()); };
        FieldId tgwSrc = FieldId::TgwSrcVpcId, tgwDst = FieldId::TgwDstVpcId, vpcField = FieldId::VpcId;
        switch (m_dim) {
        case EdgeDimension::Attachment:
            if (!info.tgw) return {kSkipKey, 0}; // VPC records have no attachment
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
            tgwSrc = FieldId::TgwSrcVpcAccountId, tgwDst = FieldId::TgwDstVpcAccountId, vpcField = FieldId::AccountId;
            break;
        case EdgeDimension::Addr:
            break;
        }
        // TGW records: an attachment id, or tgw-src-*/tgw-dst-* values (logged without its own id).
        const int64_t src = valueCode(tgwSrc), dst = valueCode(tgwDst);
        if (info.tgw || src != kNone || dst != kNone) return {src, dst};
        // VPC record: the interface's own VPC/subnet/AZ/account on the side the traffic is on.
        const int64_t own = valueCode(vpcField);
        return info.ingress ? std::pair<int64_t, int64_t>{kNone, own} : std::pair<int64_t, int64_t>{own, kNone};
    }

    EdgeDimension m_dim;
    ContextCache m_ctx;
    std::vector<Acc> m_slots;                                                        // by slot
    std::vector<std::pair<int64_t, int64_t>> m_slotKeys;                             // by slot
    std::vector<uint32_t> m_slotOfCtx;                                               // per context: slot, kUnknown, kSkip
    std::unordered_map<std::pair<int64_t, int64_t>, uint32_t, PairHash> m_slotOfKey; // key -> slot
    PairTable m_pairs;                                                               // the address dimension's totals
    std::vector<std::pair<std::pair<int64_t, int64_t>, Acc>> m_edgeList;             // `edges` as a list, by finish()
};

QString addrText(const Store::Impl& impl, int64_t raw)
{
    if (raw == EdgeVisitor::kNone) return QStringLiteral("-");
    char buf[64];
    const int n = impl.decodeAddress(raw, buf);
    return n < 0 ? QStringLiteral("-") : QString::fromLatin1(buf, n);
}

} // namespace

std::optional<EdgeDimension> edgeDimensionFromString(const QString& s)
{
    const QString l = s.trimmed().toLower();
    if (l == QLatin1String("attachment") || l == QLatin1String("attachments")) return EdgeDimension::Attachment;
    if (l == QLatin1String("vpc")) return EdgeDimension::Vpc;
    if (l == QLatin1String("subnet")) return EdgeDimension::Subnet;
    if (l == QLatin1String("az")) return EdgeDimension::Az;
    if (l == QLatin1String("account")) return EdgeDimension::Account;
    if (l == QLatin1String("addr") || l == QLatin1String("address")) return EdgeDimension::Addr;
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

Result<std::vector<Edge>> computeEdges(const Store& store, const QString& filterExpression, EdgeDimension dimension,
                                       const std::atomic<bool>* cancel)
{
    const Store::Impl& impl = store.impl();
    EdgeVisitor v(impl, dimension, cancel);
    Status st = runScan(store, filterExpression, v, dimension == EdgeDimension::Addr, cancel);
    if (!st.ok()) return st.error();
    v.finish();
    // Each address or code decoded once: the edges share their endpoints' texts (implicitly shared).
    std::unordered_map<int64_t, QString> texts;
    auto text = [&](int64_t key) -> const QString* {
        const auto [it, added] = texts.try_emplace(key);
        if (added) it->second = dimension == EdgeDimension::Addr ? addrText(impl, key) : codeText(impl, key);
        return &it->second;
    };
    // Sorted by (bytes, edge): the texts are compared only where the bytes tie.
    struct Order {
        qint64 bytes;
        const QString* src;
        const QString* dst;
        size_t edge;
    };
    std::vector<Order> order(v.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = {v.bytes(i), text(v.key(i).first), text(v.key(i).second), i};
    std::sort(order.begin(), order.end(), [](const Order& a, const Order& b) {
        if (a.bytes != b.bytes) return a.bytes > b.bytes;
        if (*a.src != *b.src) return *a.src < *b.src;
        return *a.dst < *b.dst;
    });
    std::vector<Edge> out;
    out.reserve(order.size());
    for (const Order& o : order) {
        const Acc acc = v.totals(o.edge);
        Edge& e = out.emplace_back();
        e.src = *o.src;
        e.dst = *o.dst;
        e.flows = acc.flows;
        e.packets = acc.packets;
        e.bytes = acc.bytes;
        e.lost = acc.lost;
    }
    return out;
}

} // namespace core
