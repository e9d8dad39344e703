// The aggregations' scan from the typed columns (core/store/columns.h): matchRows() decides
// which records pass the filter (both cores), then one pass in id order applies the counting
// rule (an egress record whose twin passes is skipped: a bit test, the twin's row is in the same
// set) and hands the same ScanRow the SQL scan builds to the visitor.
#include "core/analysis/aggregate_impl.h"
#include "core/store/column_filter.h"

namespace core::detail {

bool runColumnScan(const Store& store, const QString& filterExpression, ScanVisitor& visitor, bool addresses,
                   const std::atomic<bool>* cancel, Status& status)
{
    if (cancel && cancel->load()) {
        status = Error{{}, 0, 0, QStringLiteral("cancelled")};
        return true;
    }
    const ColumnScanLock lock(store); // twins and columns stay put while we read them
    auto match = matchRows(store, filterExpression, cancel);
    if (!match) return false;
    if (!match->ok()) {
        status = match->error();
        return true;
    }
    const RowSet& set = match->value();
    const Store::Impl& impl = store.impl();
    const ColumnStore& cols = impl.typedColumns();
    const uint32_t* ctx = cols.ctx();
    const size_t contexts = impl.contextCount();
    static constexpr IntColumn kLost[] = {IntColumn::LostNoRoute, IntColumn::LostBlackhole, IntColumn::LostMtu,
                                          IntColumn::LostTtl};
    visitor.start(TwinCheck::AnyTwin);
    for (size_t w = 0; w < set.words.size(); ++w) {
        if ((w & 0x3ff) == 0 && cancel && cancel->load(std::memory_order_relaxed)) {
            status = Error{{}, 0, 0, QStringLiteral("cancelled")};
            return true;
        }
        for (uint64_t bits = set.words[w]; bits; bits &= bits - 1) {
            const size_t row = w * 64 + static_cast<size_t>(std::countr_zero(bits));
            const uint32_t c = ctx[row];
            if (c >= contexts) continue;
            if (impl.isEgressContext(c)) {
                const int64_t twin = impl.twinOf(static_cast<int64_t>(row) + 1);
                if (twin > 0 && static_cast<size_t>(twin) <= set.rows && set.test(static_cast<size_t>(twin) - 1)) continue;
            }
            const std::optional<int64_t> packets = cols.value(IntColumn::Packets, row);
            const std::optional<int64_t> bytes = cols.value(IntColumn::Bytes, row);
            if (!packets && !bytes) continue; // NODATA / SKIPDATA
            ScanRow r;
            r.ctx = c;
            if (addresses) {
                const std::optional<int64_t> src = ColumnStore::encodedAddress(cols.src(), row);
                const std::optional<int64_t> dst = ColumnStore::encodedAddress(cols.dst(), row);
                r.hasSrc = src.has_value();
                r.hasDst = dst.has_value();
                r.src = src.value_or(0);
                r.dst = dst.value_or(0);
            }
            r.packets = packets.value_or(0);
            r.bytes = bytes.value_or(0);
            const std::optional<int64_t> start = cols.value(IntColumn::Start, row);
            r.hasStart = start.has_value();
            r.start = start.value_or(0);
            for (size_t i = 0; i < r.lost.size(); ++i) r.lost[i] = cols.value(kLost[i], row).value_or(0);
            visitor.consumeCounted(r);
        }
    }
    status = Ok{};
    return true;
}

} // namespace core::detail
