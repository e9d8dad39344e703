// Drop diagnosis over `flows`. One SQL scan feeds a C++ accumulator (fl_visit, as in
// aggregate.cpp); a cheap pre-filter on the physical columns (any packets-lost counter > 0, or
// action REJECT) keeps the rows handed to C++ to the few that matter.
//
// Counting rule: a record counts unless it is an egress record whose twin (the ingress record
// of the same flow at the other attachment, see twin_id) also passes the filter.
#include "core/analysis/drops.h"

#include "core/analysis/aggregate_impl.h"
#include "core/analysis/column_scan.h"
#include "core/query/filter.h"
#include "core/store/column_filter.h"
#include "core/store/store_impl.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <bit>
#include <optional>
#include <type_traits>
#include <unordered_map>

namespace core {

namespace {

constexpr int kTop = 3;
constexpr int kScanArgs = 13;
constexpr int kLostReasons = 4; // the TGW counters: NoRoute..TtlExpired

struct Group {
    qint64 packets = 0;
    qint64 records = 0;
    qint64 first = 0, last = 0;
    bool hasTime = false;
    std::unordered_map<int64_t, qint64> sources, destinations, ports;
};

class DropVisitor final : public RowVisitor {
public:
    DropVisitor(const Store::Impl& impl, const std::atomic<bool>* cancel) : m_impl(impl), m_cancel(cancel), m_contexts(impl) {}

    /// groups[reason][(entry << 32) | exit]
    std::array<std::unordered_map<uint64_t, Group>, kDropReasonCount> groups;

    void setTwinFromId(bool on) { m_twinFromId = on; }
    bool cancelled() const { return m_cancel && m_cancel->load(); }

    bool row(int argc, sqlite3_value** argv) override
    {
        if ((++m_seen & 0x3ff) == 0 && cancelled()) return false;
        if (argc < kScanArgs) return true;
        const sqlite3_int64 ctx = sqlite3_value_int64(argv[1]);
        if (ctx < 0 || static_cast<size_t>(ctx) >= m_impl.contextCount()) return true;
        const ContextCode c(static_cast<uint32_t>(ctx));
        if (m_impl.isEgressContext(c)) {
            // Unfiltered: argv[12] is the id and any twin passes; filtered: whether the twin passed.
            const bool twinCounts = m_twinFromId ? m_impl.twinOf(RecordId(sqlite3_value_int64(argv[12]))).get() > 0
                                                 : sqlite3_value_int(argv[12]) != 0;
            if (twinCounts) return true;
        }
        DropRow r;
        r.ctx = c;
        auto opt = [](sqlite3_value* v) {
            return sqlite3_value_type(v) == SQLITE_NULL ? std::nullopt : std::optional<int64_t>(sqlite3_value_int64(v));
        };
        r.src = opt(argv[2]);
        r.dst = opt(argv[3]);
        r.port = opt(argv[4]);
        r.packets = sqlite3_value_int64(argv[5]);
        r.start = opt(argv[6]);
        r.end = opt(argv[7]);
        for (int i = 0; i < kLostReasons; ++i)
            r.lost[static_cast<size_t>(i)] = sqlite3_value_int64(argv[8 + i]); // NULL reads as 0
        consume(r);
        return true;
    }

    /// One record that passed the filter and the twin rule (SQL row or column row alike).
    struct DropRow {
        ContextCode ctx;
        std::optional<int64_t> src, dst, port, start, end; ///< src/dst: the store's encoded addresses
        int64_t packets = 0;                               ///< NULL as 0
        std::array<int64_t, kLostReasons> lost{};          ///< NULL as 0
    };
    void consume(const DropRow& r)
    {
        const detail::ContextCache::Info& info = m_contexts.get(r.ctx);
        const bool hasStart = r.start.has_value();
        const bool hasEnd = r.end.has_value();
        const int64_t start = r.start.value_or(0);
        const int64_t end = hasEnd ? *r.end : start;
        if (info.tgw) {
            for (int i = 0; i < kLostReasons; ++i) {
                const int64_t lost = r.lost[static_cast<size_t>(i)];
                if (lost > 0) add(i, info, r, lost, hasStart || hasEnd, hasStart ? start : end, end);
            }
        } else if (info.reject) {
            const int64_t packets = std::max<int64_t>(0, r.packets);
            add(static_cast<int>(DropReason::Rejected), info, r, packets, hasStart || hasEnd, hasStart ? start : end, end);
        }
    }

private:
    void add(int reason, const detail::ContextCache::Info& info, const DropRow& r, int64_t packets, bool hasTime, int64_t first,
             int64_t last)
    {
        // Rows: (entry, exit) attachments for TGW records, the interface for VPC records.
        const uint64_t entry = info.tgw ? info.entry : info.interface;
        const uint64_t key = (entry << 32) | (info.tgw ? info.exit : 0);
        Group& g = groups[static_cast<size_t>(reason)][key];
        detail::addCapped(g.packets, packets);
        ++g.records;
        if (hasTime) {
            if (!g.hasTime || first < g.first) g.first = first;
            if (!g.hasTime || last > g.last) g.last = last;
            g.hasTime = true;
        }
        if (r.src) detail::addCapped(g.sources[*r.src], packets);
        if (r.dst) detail::addCapped(g.destinations[*r.dst], packets);
        if (r.port) detail::addCapped(g.ports[*r.port], packets);
    }

    const Store::Impl& m_impl;
    const std::atomic<bool>* m_cancel;
    uint64_t m_seen = 0;
    bool m_twinFromId = false;
    detail::ContextCache m_contexts;
};

/// Contexts with action REJECT (few: one per interface and field combination).
std::vector<qint64> rejectContexts(const Store::Impl& impl)
{
    std::vector<qint64> out;
    const int slot = SchemaSlots::get().actionSlot;
    const size_t n = impl.contextCount();
    for (size_t c = 0; c < n; ++c) {
        const StringCode action = impl.contextValue(ContextCode(static_cast<uint32_t>(c)), slot);
        if (action.get() != 0 && impl.string(action) == "REJECT") out.push_back(static_cast<qint64>(c));
    }
    return out;
}

/// Above this many REJECT contexts the pre-filter decodes the action per row instead of
/// testing the context code against a bound list.
constexpr size_t kMaxBoundContexts = 500;

/// The drop scan from the typed columns (column_scan.h); nullopt when they cannot answer. The
/// pre-filter (a packets-lost counter > 0 or a REJECT context) and the twin rule run on two cores,
/// each share collecting its few candidate rows; the visitor then consumes them in id order here.
/// Not inlined: inlined into runDropScan, GCC 12 -O2 warned (falsely) that a Status may be used
/// uninitialized when an Error is moved into it.
[[gnu::noinline]] std::optional<Status> runColumnDropScan(const Store& store, const QString& filterExpression,
                                                          DropVisitor& visitor, const std::atomic<bool>* cancel)
{
    const detail::ColumnScan scan(store, filterExpression, cancel);
    if (!scan.answers()) return std::nullopt;
    if (!scan.match().ok()) return Status(scan.match().error());
    // REJECT per context, decided before the threads start (the visitor's cache is not shared):
    // by the action's string code, its text compared once per distinct code (a handful).
    std::vector<uint8_t> reject(scan.contexts);
    {
        const int actionSlot = SchemaSlots::get().actionSlot;
        std::unordered_map<uint32_t, uint8_t> isReject;
        for (size_t c = 0; c < scan.contexts; ++c) {
            const StringCode action = scan.impl.contextValue(ContextCode(static_cast<uint32_t>(c)), actionSlot);
            const auto [it, added] = isReject.try_emplace(action.get(), 0);
            if (added) it->second = action.get() != 0 && scan.impl.string(action) == "REJECT" ? 1 : 0;
            reject[c] = it->second;
        }
    }
    std::array<const NarrowColumn<uint16_t>*, kLostReasons> lost{};
    for (size_t i = 0; i < lost.size(); ++i) {
        lost[i] = scan.cols.visit(detail::kLostColumns[i], [](const auto& col) -> const NarrowColumn<uint16_t>* {
            if constexpr (std::is_same_v<std::decay_t<decltype(col)>, NarrowColumn<uint16_t>>) return &col;
            else return nullptr;
        });
    }
    std::array<std::vector<uint32_t>, 2> candidates; // rows, ascending, per share
    auto part = [&](int share, size_t w0, size_t w1, const auto& cancelled) {
        std::vector<uint32_t>& out = candidates[static_cast<size_t>(share)];
        auto add = [&](size_t row, ContextCode c) {
            bool any = false;
            for (const NarrowColumn<uint16_t>* col : lost) {
                const uint16_t v = col->data()[row];
                if (v == NarrowColumn<uint16_t>::kNull || v == 0) continue;
                if (v != NarrowColumn<uint16_t>::kWide || col->wide(row) > 0) {
                    any = true;
                    break;
                }
            }
            if (!any && !reject[c.get()]) return; // nothing to add (the SQL pre-filter)
            if (scan.twinCounts(row, c)) return;
            out.push_back(static_cast<uint32_t>(row));
        };
        return scan.forEachRow(w0, w1, cancelled, add);
    };
    if (!scan.inTwoParts(cancel, part)) return Status(Error{{}, 0, 0, QStringLiteral("cancelled")});
    const uint32_t* ctx = scan.cols.ctx();
    for (const std::vector<uint32_t>& rows : candidates) {
        for (const uint32_t row : rows) {
            DropVisitor::DropRow r;
            r.ctx = ContextCode(ctx[row]);
            for (size_t i = 0; i < r.lost.size(); ++i) r.lost[i] = scan.cols.value(detail::kLostColumns[i], row).value_or(0);
            r.src = ColumnStore::encodedAddress(scan.cols.src(), row);
            r.dst = ColumnStore::encodedAddress(scan.cols.dst(), row);
            r.port = scan.cols.value(IntColumn::DstPort, row);
            r.packets = scan.cols.value(IntColumn::Packets, row).value_or(0);
            r.start = scan.cols.value(IntColumn::Start, row);
            r.end = scan.cols.value(IntColumn::End, row);
            visitor.consume(r);
        }
        if (visitor.cancelled()) return Status(Error{{}, 0, 0, QStringLiteral("cancelled")});
    }
    return Status(Ok{});
}

Status runDropScan(const Store& store, const QString& filterExpression, DropVisitor& visitor, const std::atomic<bool>* cancel)
{
    if (visitor.cancelled()) return Error{{}, 0, 0, QStringLiteral("cancelled")};
    if (std::optional<Status> fast = runColumnDropScan(store, filterExpression, visitor, cancel)) return *fast;
    const Store::Impl& impl = store.impl();
    const std::vector<qint64> rejectCtx = rejectContexts(impl);
    const bool rejects = !rejectCtx.empty();
    const bool bindContexts = rejectCtx.size() <= kMaxBoundContexts;
    // The visitor's arguments and the pre-filter for table alias `a` with context column
    // `ctx` and physical address columns `src`/`dst`.
    auto visitArgs = [](const QString& a, const QString& ctx, const QString& src, const QString& dst) {
        return QStringList{ctx,
                           src,
                           dst,
                           a + QStringLiteral(".dstport"),
                           a + QStringLiteral(".packets"),
                           a + QStringLiteral(".\"start\""),
                           a + QStringLiteral(".\"end\""),
                           a + QStringLiteral(".packets_lost_no_route"),
                           a + QStringLiteral(".packets_lost_blackhole"),
                           a + QStringLiteral(".packets_lost_mtu_exceeded"),
                           a + QStringLiteral(".packets_lost_ttl_expired")}
            .join(QStringLiteral(", "));
    };
    auto preFilter = [&](const QString& a, const QString& ctx) {
        QStringList terms;
        for (const char* c :
             {"packets_lost_no_route", "packets_lost_blackhole", "packets_lost_mtu_exceeded", "packets_lost_ttl_expired"})
            terms << a + QLatin1Char('.') + QLatin1String(c) + QStringLiteral(" > 0");
        if (rejects && bindContexts) { // ?2.. = the REJECT context codes
            QStringList placeholders;
            for (size_t i = 0; i < rejectCtx.size(); ++i) placeholders << QStringLiteral("?%1").arg(i + 2);
            terms << ctx + QStringLiteral(" IN (") + placeholders.join(QStringLiteral(", ")) + QLatin1Char(')');
        } else if (rejects) { // ?2 = 'REJECT'; the slot is a schema constant
            terms << QStringLiteral("fl_text(%1, %2) = ?2").arg(ctx).arg(SchemaSlots::get().actionSlot);
        }
        return QLatin1Char('(') + terms.join(QStringLiteral(" OR ")) + QLatin1Char(')');
    };
    QVariantList params;
    if (rejects && bindContexts) {
        for (qint64 c : rejectCtx) params << c;
    } else if (rejects) {
        params << QStringLiteral("REJECT");
    }
    const int firstFilterParam = 2 + static_cast<int>(params.size());

    QString sql;
    if (filterExpression.trimmed().isEmpty()) {
        visitor.setTwinFromId(true);
        const QString d = QStringLiteral("d"), ctx = QStringLiteral("d.ctx");
        sql = QStringLiteral("SELECT fl_visit(?1, ")
              + visitArgs(d, ctx, QStringLiteral("d.a_srcaddr"), QStringLiteral("d.a_dstaddr"))
              + QStringLiteral(", d.id) FROM flow_data AS d WHERE ") + preFilter(d, ctx);
    } else {
        visitor.setTwinFromId(false);
        auto f = compileFilter(filterExpression, QStringLiteral("f"), firstFilterParam);
        if (!f.ok()) return f.error();
        auto t = compileFilter(filterExpression, QStringLiteral("t"), firstFilterParam + static_cast<int>(f->params.size()));
        if (!t.ok()) return t.error();
        const QString fa = QStringLiteral("f"), ctx = QStringLiteral("f._ctx");
        // The twin test is a correlated EXISTS, not a LEFT JOIN: SQLite never flattens a view over
        // a virtual table (flow_data of a loaded store) on the right of a LEFT JOIN, it would
        // materialise the whole view first; in a subquery it is one rowid lookup per row.
        sql = QStringLiteral("SELECT fl_visit(?1, ") + visitArgs(fa, ctx, QStringLiteral("f._src"), QStringLiteral("f._dst"))
              + QStringLiteral(", EXISTS (SELECT 1 FROM flows_x AS t WHERE t.id = fl_etwin(f._ctx, f.id) AND (") + t->where
              + QStringLiteral("))) FROM flows_x AS f WHERE ") + preFilter(fa, ctx) + QStringLiteral(" AND (") + f->where
              + QLatin1Char(')');
        params += f->params;
        params += t->params;
    }
    return runVisitorStatement(store, sql, params, visitor, cancel);
}

QString codeText(const Store::Impl& impl, uint32_t code)
{
    if (code == 0 || code >= impl.stringCount()) return QStringLiteral("-");
    const std::string& s = impl.string(StringCode(code));
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

/// The top kTop entries by packets (descending), ties by key (ports in numeric order).
std::vector<std::pair<int64_t, qint64>> topEntries(const std::unordered_map<int64_t, qint64>& counts)
{
    std::vector<std::pair<int64_t, qint64>> v(counts.begin(), counts.end());
    const auto n = std::min<size_t>(v.size(), kTop);
    std::partial_sort(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n), v.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    v.resize(n);
    return v;
}

/// The top kTop addresses by packets (descending), ties by their text (ascending, as SQL's
/// ORDER BY on the address column sorts them: "10.0.0.10" before "10.0.0.9"), so the Athena
/// drops query of core/remote lists the same ones. Only the candidates that can still make
/// the top are decoded.
std::vector<TopValue> topAddresses(const Store::Impl& impl, const std::unordered_map<int64_t, qint64>& counts)
{
    std::vector<std::pair<int64_t, qint64>> v(counts.begin(), counts.end());
    if (v.size() > static_cast<size_t>(kTop)) {
        std::nth_element(v.begin(), v.begin() + (kTop - 1), v.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
        const qint64 least = v[kTop - 1].second;
        v.erase(std::partition(v.begin(), v.end(), [least](const auto& e) { return e.second >= least; }), v.end());
    }
    std::vector<TopValue> out;
    out.reserve(v.size());
    for (const auto& [raw, packets] : v) {
        char buf[64];
        const int len = impl.decodeAddress(raw, buf);
        if (len >= 0) out.push_back({QString::fromLatin1(buf, len), packets});
    }
    std::sort(out.begin(), out.end(), [](const TopValue& a, const TopValue& b) {
        return a.packets != b.packets ? a.packets > b.packets : a.value < b.value;
    });
    if (out.size() > static_cast<size_t>(kTop)) out.resize(kTop);
    return out;
}

std::vector<TopValue> topPorts(const std::unordered_map<int64_t, qint64>& counts)
{
    std::vector<TopValue> out;
    for (const auto& [port, packets] : topEntries(counts)) out.push_back({QString::number(port), packets});
    return out;
}

} // namespace

Result<std::vector<DropRow>> computeDrops(const Store& store, const QString& filterExpression, const NameDirectory* names,
                                          const std::atomic<bool>* cancel)
{
    const Store::Impl& impl = store.impl();
    DropVisitor v(impl, cancel);
    Status st = runDropScan(store, filterExpression, v, cancel);
    if (!st.ok()) return st.error();
    std::vector<DropRow> out;
    for (int r = 0; r < kDropReasonCount; ++r) {
        for (const auto& [key, g] : v.groups[static_cast<size_t>(r)]) {
            DropRow row;
            row.entry = codeText(impl, static_cast<uint32_t>(key >> 32));
            row.exit = codeText(impl, static_cast<uint32_t>(key & 0xffffffffu));
            row.reason = static_cast<DropReason>(r);
            row.packets = g.packets;
            row.records = g.records;
            row.firstSeen = g.hasTime ? g.first : 0;
            row.lastSeen = g.hasTime ? g.last : 0;
            row.topSources = topAddresses(impl, g.sources);
            row.topDestinations = topAddresses(impl, g.destinations);
            row.topPorts = topPorts(g.ports);
            if (names) {
                if (const NameEntry* e = names->find(row.entry)) {
                    row.entryName = e->name;
                    if (row.reason != DropReason::Rejected) row.routeTableId = e->routeTableId;
                }
                if (const NameEntry* e = names->find(row.exit)) {
                    row.exitName = e->name;
                    row.exitKind = e->kind;
                }
            }
            explainDrop(row);
            out.push_back(std::move(row));
        }
    }
    std::sort(out.begin(), out.end(), [](const DropRow& a, const DropRow& b) {
        if (a.packets != b.packets) return a.packets > b.packets;
        if (a.entry != b.entry) return a.entry < b.entry;
        if (a.exit != b.exit) return a.exit < b.exit;
        return a.reason < b.reason;
    });
    return out;
}

} // namespace core
