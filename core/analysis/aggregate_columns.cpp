// The aggregations' scan from the typed columns (core/store/columns.h): matchRows() decides
// which records pass the filter (both cores), then the counting rule (an egress record whose twin
// passes is skipped: a bit test, the twin's row is in the same set) and the same ScanRow the SQL
// scan builds, handed to the visitor. Both steps on two cores: the rows split in two shares, the
// second share fed to a fork of the visitor on a helper thread, merged into the first at the end.
// The row loop reads the narrow columns' raw values (a side-list lookup only for the rare NULL or
// wide value) through pointers taken once per scan.
#include "core/analysis/aggregate_impl.h"
#include "core/analysis/column_scan.h"

#include <type_traits>

namespace core::detail {

namespace {

/// The NarrowColumn<T> of integer column `c` (nullptr when it holds another type).
template <class T> const NarrowColumn<T>* narrow(const ColumnStore& cols, IntColumn c)
{
    return cols.visit(c, [](const auto& col) -> const NarrowColumn<T>* {
        if constexpr (std::is_same_v<std::decay_t<decltype(col)>, NarrowColumn<T>>) return &col;
        else return nullptr;
    });
}

/// Value of `row` of `c` into `out`; false for NULL. The common case is one load and a compare.
template <class T> inline bool rawValue(const NarrowColumn<T>& c, const T* data, size_t row, int64_t& out)
{
    const T v = data[row];
    if (v < NarrowColumn<T>::kWide) {
        out = static_cast<int64_t>(v);
        return true;
    }
    if (v == NarrowColumn<T>::kNull) return false;
    out = c.wide(row);
    return true;
}

/// The columns one ScanRow is read from, found once per scan.
struct RowColumns {
    explicit RowColumns(const ColumnStore& cols)
        : packets(*narrow<uint32_t>(cols, IntColumn::Packets)), bytes(*narrow<uint32_t>(cols, IntColumn::Bytes)),
          start(*narrow<uint32_t>(cols, IntColumn::Start)), lost{narrow<uint16_t>(cols, kLostColumns[0]),
                                                                 narrow<uint16_t>(cols, kLostColumns[1]),
                                                                 narrow<uint16_t>(cols, kLostColumns[2]),
                                                                 narrow<uint16_t>(cols, kLostColumns[3])},
          src(cols.src()), dst(cols.dst())
    {
    }
    const NarrowColumn<uint32_t>& packets;
    const NarrowColumn<uint32_t>& bytes;
    const NarrowColumn<uint32_t>& start;
    std::array<const NarrowColumn<uint16_t>*, 4> lost;
    const NarrowColumn<uint32_t>& src;
    const NarrowColumn<uint32_t>& dst;

    /// Fills `r` from row `row` (start only `withStart`); false for a record without traffic (NODATA / SKIPDATA: packets
    /// and bytes NULL), which does not count.
    bool read(size_t row, bool addresses, bool withStart, ScanRow& r) const
    {
        const bool hasPackets = rawValue(packets, packets.data(), row, r.packets);
        const bool hasBytes = rawValue(bytes, bytes.data(), row, r.bytes);
        if (!hasPackets && !hasBytes) return false;
        if (!hasPackets) r.packets = 0;
        if (!hasBytes) r.bytes = 0;
        r.hasStart = withStart && rawValue(start, start.data(), row, r.start);
        if (!r.hasStart) r.start = 0;
        for (size_t i = 0; i < r.lost.size(); ++i)
            if (!rawValue(*lost[i], lost[i]->data(), row, r.lost[i])) r.lost[i] = 0;
        if (addresses) {
            r.hasSrc = address(src, row, r.src);
            r.hasDst = address(dst, row, r.dst);
        }
        return true;
    }
    /// ColumnStore::encodedAddress, inline: IPv4 (narrow) as address - 2^31.
    static bool address(const NarrowColumn<uint32_t>& c, size_t row, int64_t& out)
    {
        const uint32_t v = c.data()[row];
        if (v < NarrowColumn<uint32_t>::kWide) {
            out = static_cast<int64_t>(v) - (int64_t{1} << 31);
            return true;
        }
        const std::optional<int64_t> e = ColumnStore::encodedAddress(c, row);
        out = e.value_or(0);
        return e.has_value();
    }
};

} // namespace

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
    const RowColumns columns(scan.cols);
    const bool withStart = visitor.wantsStart();
    visitor.start(TwinCheck::AnyTwin);
    std::unique_ptr<ScanVisitor> second = visitor.fork();
    if (second) second->start(TwinCheck::AnyTwin);
    auto part = [&](int share, size_t w0, size_t w1, const auto& cancelled) {
        // Share 1 (the helper thread's) feeds the fork; a visitor without one scans every word here.
        ScanVisitor& v = share == 1 && second ? *second : visitor;
        // Counted rows go to the visitor 64 at a time.
        std::array<ScanRow, 64> batch;
        size_t n = 0;
        auto add = [&](size_t row, ContextCode c) {
            if (scan.twinCounts(row, c)) return;
            ScanRow& r = batch[n];
            if (!columns.read(row, addresses, withStart, r)) return;
            r.ctx = c;
            if (++n == batch.size()) {
                v.consumeCounted(batch.data(), n);
                n = 0;
            }
        };
        const bool done = scan.forEachRow(w0, w1, cancelled, add);
        if (done && n > 0) v.consumeCounted(batch.data(), n);
        return done;
    };
    bool finished = false;
    if (second) {
        finished = scan.inTwoParts(cancel, part);
    } else {
        auto cancelled = [cancel]() { return cancel && cancel->load(std::memory_order_relaxed); };
        finished = part(0, 0, scan.match().value().words.size(), cancelled);
    }
    if (!finished) {
        status = Error{{}, 0, 0, QStringLiteral("cancelled")};
        return true;
    }
    if (second) visitor.merge(*second);
    status = Ok{};
    return true;
}

} // namespace core::detail
