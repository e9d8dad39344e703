#pragma once
// Internal to the analyses (aggregate_columns.cpp, drops.cpp): the start every scan from the
// typed columns shares (core/store/columns.h). It takes the column lock, matches the filter
// (column_filter.h), walks the matched rows in id order with a cancel check every 64K rows and
// answers the counting rule's question: does an egress record's twin pass the filter too?
#include "core/store/column_filter.h"
#include "core/store/columns_rebuild.h"
#include "core/store/store_impl.h"

#include <QString>
#include <atomic>
#include <bit>
#include <cstdint>
#include <optional>
#include <thread>

namespace core::detail {

/// The packets-lost columns in LostReason order (no route, blackhole, MTU, TTL).
inline constexpr IntColumn kLostColumns[] = {IntColumn::LostNoRoute, IntColumn::LostBlackhole, IntColumn::LostMtu,
                                             IntColumn::LostTtl};

/// The records that pass a filter, read from the typed columns. Holds the ColumnScanLock (twins and
/// columns stay put) for its lifetime; one thread.
class ColumnScan {
public:
    ColumnScan(const Store& store, const QString& filterExpression, const std::atomic<bool>* cancel)
        : m_rebuilt(awaitColumns(store, cancel)), m_lock(store), m_match(matchRows(store, filterExpression, cancel)),
          impl(store.impl()), cols(impl.typedColumns()), contexts(impl.contextCount())
    {
    }

    /// False: the columns cannot answer this filter or store (run the SQL scan instead).
    bool answers() const { return m_match.has_value(); }
    /// The match (only when answers()): the matched rows, or the filter's error or "cancelled".
    const Result<RowSet>& match() const { return *m_match; }

    /// True when `row` (context `ctx`) is an egress record whose twin passes the filter too: the
    /// flow counts at the twin, not here.
    bool twinCounts(size_t row, ContextCode ctx) const
    {
        if (!impl.isEgressContext(ctx)) return false;
        const RowSet& set = match().value();
        const int64_t twin = impl.twinOf(RecordId(static_cast<int64_t>(row) + 1)).get();
        return twin > 0 && static_cast<size_t>(twin) <= set.rows && set.test(static_cast<size_t>(twin) - 1);
    }

    /// Calls `visit(row, ctx)` for every matched row whose context is known, in id order (row =
    /// id - 1). Asks `cancelled()` before every 64K rows; false when it said yes.
    template <typename Cancelled, typename Visit> bool forEachRow(Cancelled cancelled, Visit visit) const
    {
        return forEachRow(0, match().value().words.size(), cancelled, visit);
    }
    /// forEachRow over the rows of set words [w0, w1) only (one thread's share).
    template <typename Cancelled, typename Visit> bool forEachRow(size_t w0, size_t w1, Cancelled cancelled, Visit visit) const
    {
        const RowSet& set = match().value();
        const uint32_t* ctx = cols.ctx();
        for (size_t w = w0; w < w1; ++w) {
            if (((w - w0) & 0x3ff) == 0 && cancelled()) return false;
            for (uint64_t bits = set.words[w]; bits; bits &= bits - 1) {
                const size_t row = w * 64 + static_cast<size_t>(std::countr_zero(bits));
                const uint32_t c = ctx[row];
                if (c >= contexts) continue;
                visit(row, ContextCode(c));
            }
        }
        return true;
    }

    /// Runs `part(share, w0, w1, cancelled)` over the set's words on two threads (the second share
    /// on a helper thread, split by columnScanSplitWord) or one (small sets): `part(0, 0, mid, ...)`
    /// here, `part(1, mid, words, ...)` there (only when mid < words); `part` returns false when it
    /// stopped for `cancelled()`. False when either stopped. `part` must only read shared state.
    template <typename Part> bool inTwoParts(const std::atomic<bool>* cancel, Part part) const
    {
        const size_t words = match().value().words.size();
        const size_t mid = columnScanSplitWord(words);
        std::atomic<bool> stop{false};
        auto cancelled = [&stop, cancel]() {
            if (stop.load(std::memory_order_relaxed)) return true;
            if (!cancel || !cancel->load(std::memory_order_relaxed)) return false;
            stop = true;
            return true;
        };
        bool second = true;
        std::thread helper;
        if (mid < words) helper = std::thread([&] { second = part(1, mid, words, cancelled); });
        const bool first = part(0, size_t{0}, mid, cancelled);
        if (!first) stop = true;
        if (helper.joinable()) helper.join();
        return first && second;
    }

private:
    // A session's columns still being rebuilt: wait for them (cancellably) rather than scan every
    // row by SQL on the connection the rebuild and the record table use.
    bool m_rebuilt;
    ColumnScanLock m_lock;
    std::optional<Result<RowSet>> m_match;

public:
    const Store::Impl& impl;
    const ColumnStore& cols;
    const size_t contexts;
};

} // namespace core::detail
