// The aggregations' scan from the typed columns (core/store/columns.h): matchRows() decides
// which records pass the filter (both cores), then one pass in id order applies the counting
// rule (an egress record whose twin passes is skipped: a bit test, the twin's row is in the same
// set) and hands the same ScanRow the SQL scan builds to the visitor.
#include "core/analysis/aggregate_impl.h"
#include "core/analysis/column_scan.h"

namespace core::detail {

bool runColumnScan(const Store& store, const QString& filterExpression, ScanVisitor& visitor, bool addresses,
                   const std::atomic<bool>* cancel, Status& status)
{
    if (cancel && cancel->load()) {
        status = Error{{}, 0, 0, QStringLiteral("cancelled")};
        return true;
    }
    const ColumnScan scan(store, filterExpression, cancel); // twins and columns stay put while we read them
    if (!scan.answers()) return false;
    if (!scan.match().ok()) {
        status = scan.match().error();
        return true;
    }
    const ColumnStore& cols = scan.cols;
    visitor.start(TwinCheck::AnyTwin);
    auto add = [&](size_t row, ContextCode c) {
        if (scan.twinCounts(row, c)) return;
        const std::optional<int64_t> packets = cols.value(IntColumn::Packets, row);
        const std::optional<int64_t> bytes = cols.value(IntColumn::Bytes, row);
        if (!packets && !bytes) return; // NODATA / SKIPDATA
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
        for (size_t i = 0; i < r.lost.size(); ++i) r.lost[i] = cols.value(kLostColumns[i], row).value_or(0);
        visitor.consumeCounted(r);
    };
    const bool finished = scan.forEachRow([cancel]() { return cancel && cancel->load(std::memory_order_relaxed); }, add);
    if (!finished) {
        status = Error{{}, 0, 0, QStringLiteral("cancelled")};
        return true;
    }
    status = Ok{};
    return true;
}

} // namespace core::detail
