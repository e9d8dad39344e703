#pragma once
// Internal to the aggregations (aggregate.cpp, aggregate_series.cpp): the fl_visit scan that
// applies the counting rule, and the per-row helpers its visitors share. Not a public API;
// use core/aggregate.h.
#include "core/analysis/aggregate.h"
#include "core/store/store_impl.h"

#include <QString>
#include <array>
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

namespace core::detail {

/// One fl_visit row, decoded (start in Unix seconds; src/dst raw address codes).
struct ScanRow {
    ContextCode ctx;
    bool hasSrc = false, hasDst = false, hasStart = false;
    int64_t src = 0, dst = 0;
    int64_t packets = 0, bytes = 0, start = 0;
    std::array<int64_t, LostReasonCount> lost{};
};

/// How a scan learns whether an egress record's twin passes the filter (argv[11]).
enum class TwinCheck {
    AnyTwin, ///< no filter: argv[11] is the id, and every twin passes
    Marked,  ///< filtered, rows in ascending id order: argv[11] is the id; the visitor marks the
             ///< ids that pass and decides once the twin's id has been reached
    Flag,    ///< filtered through a join: argv[11] says whether the twin passed
};

/// Decodes fl_visit rows, applies the counting rule, and hands counted rows to consume().
class ScanVisitor : public RowVisitor {
public:
    ScanVisitor(const Store::Impl& impl, const std::atomic<bool>* cancel) : m_impl(impl), m_cancel(cancel) {}

    bool row(int argc, sqlite3_value** argv) override;
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
        if (m_unordered) return false;
        for (const Deferred& d : m_deferred) {
            if (!marked(d.twin)) consume(d.row);
        }
        m_deferred.clear();
        m_deferred.shrink_to_fit();
        return true;
    }

    /// Hands a row the column scan already decided counts (aggregate_columns.cpp).
    void consumeCounted(const ScanRow& r) { consume(r); }
    /// Hands `n` such rows at once (in id order): a visitor may look up their groups together.
    void consumeCounted(const ScanRow* rows, size_t n) { consumeBatch(rows, n); }
    /// A fresh visitor with the same settings for the column scan's second thread (it consumes the
    /// rows after this one's), or nullptr: the column scan then runs on this thread alone.
    virtual std::unique_ptr<ScanVisitor> fork() const { return nullptr; }
    /// Adds what `other` (made by fork(), its rows consumed) consumed to this visitor.
    virtual void merge(ScanVisitor& other) { (void)other; }
    /// False when consume() never reads ScanRow::start: the column scan then leaves it unread (0).
    virtual bool wantsStart() const { return true; }

protected:
    virtual void consume(const ScanRow& r) = 0;
    /// consume() for each of `n` rows; overridden where prefetching the groups pays.
    virtual void consumeBatch(const ScanRow* rows, size_t n)
    {
        for (size_t i = 0; i < n; ++i) consume(rows[i]);
    }
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
        if (id <= 0) return;
        const auto word = static_cast<size_t>(id >> 6);
        if (word >= m_marks.size()) m_marks.resize(std::max(word + 1, m_marks.size() * 2), 0);
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

/// Runs the scan for `filterExpression`, feeding `visitor`: one pass over the rows that pass
/// the filter (the unfiltered scan reads flow_data directly).
/// `addresses`: whether the visitor needs srcaddr/dstaddr (else NULL is passed: cheaper).
Status runScan(const Store& store, const QString& filterExpression, ScanVisitor& visitor, bool addresses,
               const std::atomic<bool>* cancel);

/// The scan from the store's typed columns (aggregate_columns.cpp): the rows matchRows() picks,
/// the same counting rule, the same ScanRow values, in id order. False when the columns cannot
/// answer (then `status` is untouched and the caller runs SQL); true with `status` set otherwise.
bool runColumnScan(const Store& store, const QString& filterExpression, ScanVisitor& visitor, bool addresses,
                   const std::atomic<bool>* cancel, Status& status);

/// Quotient rounded toward minus infinity; b != 0.
inline int64_t floorDiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

/// Per-context lookups cached by context code (contexts are few). The one context cache of the
/// scans: edges/series (aggregate*.cpp) and drops (drops.cpp).
class ContextCache {
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
        uint32_t interface = 0; ///< interface-id code (VPC records), 0 = none
    };
    const Info& get(ContextCode ctx)
    {
        if (ctx.get() >= m_infos.size()) m_infos.resize(ctx.get() + 1);
        Info& i = m_infos[ctx.get()];
        if (i.known) return i;
        const SchemaSlots& s = SchemaSlots::get();
        const uint32_t attach = m_impl.contextValue(ctx, s.attachmentSlot).get();
        const uint32_t pair = m_impl.contextValue(ctx, s.pairSlot).get();
        const StringCode direction = m_impl.contextValue(ctx, s.directionSlot);
        i.direction = direction.get();
        i.egress = i.direction && m_impl.string(direction) == "egress";
        i.ingress = i.direction && m_impl.string(direction) == "ingress";
        const StringCode action = m_impl.contextValue(ctx, s.actionSlot);
        i.reject = action.get() && m_impl.string(action) == "REJECT";
        i.tgw = attach != 0;
        i.entry = i.egress ? pair : attach;
        i.exit = i.egress ? attach : pair;
        i.interface = m_impl.contextValue(ctx, s.slotOf[static_cast<size_t>(FieldId::InterfaceId)]).get();
        i.known = true;
        return i;
    }
    StringCode value(ContextCode ctx, FieldId f) const
    {
        return m_impl.contextValue(ctx, SchemaSlots::get().slotOf[static_cast<size_t>(f)]);
    }

private:
    const Store::Impl& m_impl;
    std::vector<Info> m_infos;
};

/// a += b for the non-negative traffic counters, held at the largest value instead of wrapping:
/// each record's counters may be up to 2^63-1 (the parser's limit), so a sum can exceed 64 bits.
/// A capped sum reads 9223372036854775807, never a negative number (and no signed overflow).
template <class A, class B> inline void addCapped(A& a, B b)
{
    if (__builtin_add_overflow(a, b, &a)) a = std::numeric_limits<A>::max();
}

/// Totals of counted rows: flows, packets, bytes, lost packets per reason, REJECT records.
struct Acc {
    qint64 flows = 0, packets = 0, bytes = 0, rejects = 0;
    std::array<qint64, LostReasonCount> lost{};
    void add(const ScanRow& r, bool reject)
    {
        ++flows;
        addCapped(packets, r.packets);
        addCapped(bytes, r.bytes);
        for (size_t i = 0; i < lost.size(); ++i) addCapped(lost[i], r.lost[i]);
        if (reject) ++rejects;
    }
};

/// Text of a string-pool code; "-" for 0 or an unknown code.
QString codeText(const Store::Impl& impl, int64_t code);

} // namespace core::detail
