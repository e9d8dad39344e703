// The typed columns (see columns.h): filled from the writer's packed rows.
#include "core/store/columns.h"

#include "core/store/store_impl.h"

namespace core {

namespace {

constexpr int64_t kAddrBias = int64_t{1} << 31; // Store::Impl::encodeAddress: IPv4 as (address - 2^31)

} // namespace

std::optional<IntColumn> intColumnOf(FieldId field)
{
    switch (field) {
    case FieldId::SrcPort:
        return IntColumn::SrcPort;
    case FieldId::DstPort:
        return IntColumn::DstPort;
    case FieldId::Protocol:
        return IntColumn::Protocol;
    case FieldId::TcpFlags:
        return IntColumn::TcpFlags;
    case FieldId::Packets:
        return IntColumn::Packets;
    case FieldId::Bytes:
        return IntColumn::Bytes;
    case FieldId::Start:
        return IntColumn::Start;
    case FieldId::End:
        return IntColumn::End;
    case FieldId::PacketsLostNoRoute:
        return IntColumn::LostNoRoute;
    case FieldId::PacketsLostBlackhole:
        return IntColumn::LostBlackhole;
    case FieldId::PacketsLostMtuExceeded:
        return IntColumn::LostMtu;
    case FieldId::PacketsLostTtlExpired:
        return IntColumn::LostTtl;
    default:
        return std::nullopt;
    }
}

void SparseColumn::store(std::optional<int64_t> v)
{
    // m_bias is 0 or 2^31, so neither bound overflows.
    if (!v) m_array.appendRaw(NarrowColumn<uint32_t>::kNull);
    else if (*v >= -m_bias && *v < static_cast<int64_t>(NarrowColumn<uint32_t>::kWide) - m_bias)
        m_array.appendRaw(static_cast<uint32_t>(*v + m_bias));
    else m_array.appendWide(*v);
}

void SparseColumn::append(std::optional<int64_t> v)
{
    if (!m_stored) {
        if (m_rows == 0) m_same = v;
        if (v == m_same) {
            ++m_rows;
            return;
        }
        // The first value that differs: every earlier row gets its own entry.
        m_stored = true;
        if (!m_same) {
            m_array.appendRawRepeated(NarrowColumn<uint32_t>::kNull, m_rows);
        } else {
            const size_t first = m_array.size();
            store(m_same);
            const uint32_t raw = m_array.data()[first];
            if (raw != NarrowColumn<uint32_t>::kWide) m_array.appendRawRepeated(raw, m_rows - 1);
            else
                for (size_t i = 1; i < m_rows; ++i) m_array.appendWide(*m_same);
        }
        m_same.reset();
    }
    store(v);
    ++m_rows;
}

void SparseColumn::truncate(size_t rows)
{
    if (rows >= m_rows) return;
    m_rows = rows;
    if (!m_stored) return;
    if (rows == 0) {
        *this = SparseColumn(m_bias);
        return;
    }
    m_array.truncate(rows);
}

void LineColumn::append(int64_t fileId, int64_t line)
{
    if (!m_runs.empty()) {
        const Run& last = m_runs.back();
        if (last.fileId == fileId && static_cast<uint64_t>(last.line) + (m_rows - last.row) == static_cast<uint64_t>(line)) {
            ++m_rows;
            return;
        }
    }
    m_runs.push_back({m_rows, fileId, line});
    ++m_rows;
}

size_t LineColumn::runOf(size_t row, size_t hint) const
{
    auto holds = [&](size_t run) {
        return run < m_runs.size() && m_runs[run].row <= row && (run + 1 == m_runs.size() || m_runs[run + 1].row > row);
    };
    if (holds(hint)) return hint;
    if (holds(hint + 1)) return hint + 1;
    const auto it = std::upper_bound(m_runs.begin(), m_runs.end(), row, [](size_t r, const Run& run) { return r < run.row; });
    return static_cast<size_t>(it - m_runs.begin()) - 1; // runs start at row 0, so it is never begin()
}

void LineColumn::truncate(size_t rows)
{
    if (rows >= m_rows) return;
    while (!m_runs.empty() && m_runs.back().row >= rows) m_runs.pop_back();
    m_rows = rows;
}

std::optional<int64_t> ColumnStore::encodedAddress(const NarrowColumn<uint32_t>& c, size_t row)
{
    const uint32_t v = c.data()[row];
    if (v == NarrowColumn<uint32_t>::kNull) return std::nullopt;
    if (v == NarrowColumn<uint32_t>::kWide) return c.wide(row);
    return static_cast<int64_t>(v) - kAddrBias;
}

std::optional<int64_t> ColumnStore::value(IntColumn c, size_t row) const
{
    return visit(c, [row](const auto& col) { return col.value(row); });
}

ColumnStore::ColumnStore()
{
    for (SparseColumn& c : m_otherAddrs) c = SparseColumn(kAddrBias);
}

std::optional<int64_t> ColumnStore::intSlot(int slot, size_t row) const
{
    const SchemaSlots& slots = SchemaSlots::get();
    if (slot < 0 || static_cast<size_t>(slot) >= slots.intFields.size()) return std::nullopt;
    if (const auto c = intColumnOf(slots.intFields[static_cast<size_t>(slot)])) return value(*c, row);
    const SparseColumn& c = m_otherInts[static_cast<size_t>(slot)];
    return row < c.size() ? c.value(row) : std::nullopt;
}

std::optional<int64_t> ColumnStore::addrSlot(int slot, size_t row) const
{
    const SchemaSlots& slots = SchemaSlots::get();
    if (slot == slots.slotOf[static_cast<size_t>(FieldId::SrcAddr)]) return encodedAddress(m_src, row);
    if (slot == slots.slotOf[static_cast<size_t>(FieldId::DstAddr)]) return encodedAddress(m_dst, row);
    if (slot < 0 || static_cast<size_t>(slot) >= m_otherAddrs.size()) return std::nullopt;
    const SparseColumn& c = m_otherAddrs[static_cast<size_t>(slot)];
    return row < c.size() ? c.value(row) : std::nullopt;
}

void ColumnStore::truncate(size_t rows)
{
    for (SparseColumn& c : m_otherInts) c.truncate(rows);
    for (SparseColumn& c : m_otherAddrs) c.truncate(rows);
    for (SparseColumn& c : m_extras) c.truncate(rows);
    m_lines.truncate(rows);
    if (rows >= m_ctx.size()) return;
    m_ctx.truncate(rows);
    m_src.truncate(rows);
    m_dst.truncate(rows);
    m_srcPort.truncate(rows);
    m_dstPort.truncate(rows);
    m_tcpFlags.truncate(rows);
    m_protocol.truncate(rows);
    m_packets.truncate(rows);
    m_bytes.truncate(rows);
    m_start.truncate(rows);
    m_end.truncate(rows);
    for (auto& l : m_lost) l.truncate(rows);
}

void ColumnStore::appendCold(const RowBatch& batch)
{
    const SchemaSlots& slots = SchemaSlots::get();
    const int srcSlot = slots.slotOf[static_cast<size_t>(FieldId::SrcAddr)];
    const int dstSlot = slots.slotOf[static_cast<size_t>(FieldId::DstAddr)];
    std::vector<size_t> ints, addrs; // the cold slots
    for (size_t i = 0; i < slots.intFields.size() && i < kSlots; ++i)
        if (!intColumnOf(slots.intFields[i])) ints.push_back(i);
    for (size_t i = 0; i < slots.addrFields.size() && i < kAddrSlots; ++i)
        if (static_cast<int>(i) != srcSlot && static_cast<int>(i) != dstSlot) addrs.push_back(i);
    const size_t rows0 = m_lines.size();
    int extrasUsed = 0;
    for (const auto& e : batch.extras) extrasUsed = std::max(extrasUsed, e.first + 1);
    while (m_extras.size() < static_cast<size_t>(extrasUsed)) m_extras.emplace_back(0, rows0);
    std::vector<std::optional<int64_t>> extraValues(m_extras.size());
    // Slot by slot over blocks of rows that stay in cache (as appendHot).
    constexpr size_t kBlock = 256;
    const PackedRow* rows = batch.rows.data();
    for (size_t from = 0; from < batch.rows.size(); from += kBlock) {
        const PackedRow* block = rows + from;
        const size_t n = std::min(batch.rows.size() - from, kBlock);
        for (size_t k = 0; k < n; ++k) m_lines.append(block[k].fileId, block[k].line);
        for (size_t i : ints)
            m_otherInts[i].appendMany(n, [&](size_t k) {
                return (block[k].intPresent >> i) & 1 ? std::optional<int64_t>(block[k].ints[i]) : std::nullopt;
            });
        for (size_t i : addrs)
            m_otherAddrs[i].appendMany(n, [&](size_t k) {
                return (block[k].addrPresent >> i) & 1 ? std::optional<int64_t>(block[k].addrs[i]) : std::nullopt;
            });
    }
    if (m_extras.empty()) return;
    for (const PackedRow& r : batch.rows) {
        for (uint32_t k = 0; k < r.extraCount; ++k) {
            const auto& [index, code] = batch.extras[r.extraBegin + k];
            if (index >= 0 && static_cast<size_t>(index) < extraValues.size()) extraValues[static_cast<size_t>(index)] = code;
        }
        for (size_t j = 0; j < m_extras.size(); ++j) {
            m_extras[j].append(extraValues[j]);
            extraValues[j].reset();
        }
    }
}

void ColumnStore::append(const RowBatch& batch, int64_t firstId, bool everyValue)
{
    if (m_broken || firstId < 1) {
        m_broken = true;
        return;
    }
    const auto first = static_cast<size_t>(firstId - 1);
    truncate(first);
    if (first != m_ctx.size()) { // rows the columns never saw: SQL answers from now on
        m_broken = true;
        return;
    }
    if (!everyValue && m_everyValue) { // from now on the hot columns only: forget the cold ones
        m_everyValue = false;
        for (SparseColumn& c : m_otherInts) c = SparseColumn();
        for (SparseColumn& c : m_otherAddrs) c = SparseColumn(kAddrBias);
        m_extras.clear();
        m_lines = LineColumn();
    }
    if (m_everyValue) appendCold(batch);
    appendHot(batch);
}

namespace {

/// Where the hot columns' values sit in a PackedRow (SchemaSlots' slots; -1: the schema has no
/// such slot, the column holds NULL).
struct HotSlots {
    int src = -1, dst = -1;
    std::array<int, 12> ints{}; ///< by IntColumn
    static const HotSlots& get()
    {
        static const HotSlots h = [] {
            const SchemaSlots& slots = SchemaSlots::get();
            HotSlots x;
            x.ints.fill(-1);
            x.src = slots.slotOf[static_cast<size_t>(FieldId::SrcAddr)];
            x.dst = slots.slotOf[static_cast<size_t>(FieldId::DstAddr)];
            for (size_t i = 0; i < slots.intFields.size(); ++i)
                if (const auto c = intColumnOf(slots.intFields[i])) x.ints[static_cast<size_t>(*c)] = static_cast<int>(i);
            return x;
        }();
        return h;
    }
};

/// Rows [from, to) of a batch into integer column `col`, whose row `first + i` is `out[i]`.
template <class T>
void fillInts(NarrowColumn<T>& col, T* out, size_t first, const PackedRow* rows, size_t from, size_t to, int slot)
{
    if (slot < 0) {
        std::fill(out + from, out + to, NarrowColumn<T>::kNull);
        return;
    }
    const uint64_t bit = uint64_t{1} << slot;
    const auto s = static_cast<size_t>(slot);
    for (size_t i = from; i < to; ++i) {
        const PackedRow& r = rows[i];
        const T raw = NarrowColumn<T>::narrow((r.intPresent & bit) != 0, r.ints[s]);
        out[i] = raw;
        if (raw == NarrowColumn<T>::kWide) col.setWide(first + i, r.ints[s]);
    }
}

/// Rows [from, to) into address column `col` (IPv4 as the integer, any other code kWide).
void fillAddrs(NarrowColumn<uint32_t>& col, uint32_t* out, size_t first, const PackedRow* rows, size_t from, size_t to, int slot)
{
    if (slot < 0) {
        std::fill(out + from, out + to, NarrowColumn<uint32_t>::kNull);
        return;
    }
    const auto s = static_cast<size_t>(slot);
    for (size_t i = from; i < to; ++i) {
        const PackedRow& r = rows[i];
        if (!((r.addrPresent >> slot) & 1)) {
            out[i] = NarrowColumn<uint32_t>::kNull;
            continue;
        }
        const int64_t e = r.addrs[s];
        if (e >= -kAddrBias && e < kAddrBias && e + kAddrBias < NarrowColumn<uint32_t>::kWide) {
            out[i] = static_cast<uint32_t>(e + kAddrBias);
        } else {
            out[i] = NarrowColumn<uint32_t>::kWide;
            col.setWide(first + i, e);
        }
    }
}

} // namespace

void ColumnStore::appendHot(const RowBatch& batch)
{
    // Column by column over blocks of rows small enough to stay in cache (a PackedRow is ~300
    // bytes), each column's room made once per batch: no per-value capacity check or switch.
    constexpr size_t kBlock = 256;
    const HotSlots& hot = HotSlots::get();
    const size_t n = batch.rows.size(), first = m_ctx.size();
    const PackedRow* rows = batch.rows.data();
    uint32_t* ctx = m_ctx.extend(n);
    uint32_t* src = m_src.extend(n);
    uint32_t* dst = m_dst.extend(n);
    uint16_t* srcPort = m_srcPort.extend(n);
    uint16_t* dstPort = m_dstPort.extend(n);
    uint8_t* protocol = m_protocol.extend(n);
    uint16_t* tcpFlags = m_tcpFlags.extend(n);
    uint32_t* packets = m_packets.extend(n);
    uint32_t* bytes = m_bytes.extend(n);
    uint32_t* start = m_start.extend(n);
    uint32_t* end = m_end.extend(n);
    std::array<uint16_t*, 4> lost{};
    for (size_t k = 0; k < lost.size(); ++k) lost[k] = m_lost[k].extend(n);
    auto slot = [&](IntColumn c) { return hot.ints[static_cast<size_t>(c)]; };
    for (size_t from = 0; from < n; from += kBlock) {
        const size_t to = std::min(n, from + kBlock);
        for (size_t i = from; i < to; ++i) ctx[i] = rows[i].ctx;
        fillAddrs(m_src, src, first, rows, from, to, hot.src);
        fillAddrs(m_dst, dst, first, rows, from, to, hot.dst);
        fillInts(m_srcPort, srcPort, first, rows, from, to, slot(IntColumn::SrcPort));
        fillInts(m_dstPort, dstPort, first, rows, from, to, slot(IntColumn::DstPort));
        fillInts(m_protocol, protocol, first, rows, from, to, slot(IntColumn::Protocol));
        fillInts(m_tcpFlags, tcpFlags, first, rows, from, to, slot(IntColumn::TcpFlags));
        fillInts(m_packets, packets, first, rows, from, to, slot(IntColumn::Packets));
        fillInts(m_bytes, bytes, first, rows, from, to, slot(IntColumn::Bytes));
        fillInts(m_start, start, first, rows, from, to, slot(IntColumn::Start));
        fillInts(m_end, end, first, rows, from, to, slot(IntColumn::End));
        fillInts(m_lost[0], lost[0], first, rows, from, to, slot(IntColumn::LostNoRoute));
        fillInts(m_lost[1], lost[1], first, rows, from, to, slot(IntColumn::LostBlackhole));
        fillInts(m_lost[2], lost[2], first, rows, from, to, slot(IntColumn::LostMtu));
        fillInts(m_lost[3], lost[3], first, rows, from, to, slot(IntColumn::LostTtl));
    }
}

size_t ColumnStore::bytes() const
{
    size_t b = m_ctx.bytes() + m_src.bytes() + m_dst.bytes() + m_srcPort.bytes() + m_dstPort.bytes() + m_tcpFlags.bytes()
               + m_protocol.bytes() + m_packets.bytes() + m_bytes.bytes() + m_start.bytes() + m_end.bytes();
    for (const auto& l : m_lost) b += l.bytes();
    for (const SparseColumn& c : m_otherInts) b += c.bytes();
    for (const SparseColumn& c : m_otherAddrs) b += c.bytes();
    for (const SparseColumn& c : m_extras) b += c.bytes();
    return b + m_lines.bytes() + m_extras.capacity() * sizeof(SparseColumn);
}

} // namespace core
