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

void ColumnStore::truncate(size_t rows)
{
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

void ColumnStore::append(const RowBatch& batch, int64_t firstId)
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
    const SchemaSlots& slots = SchemaSlots::get();
    auto intSlot = [&](FieldId f) { return slots.slotOf[static_cast<size_t>(f)]; };
    const int srcSlot = intSlot(FieldId::SrcAddr), dstSlot = intSlot(FieldId::DstAddr);
    struct Target {
        int slot;
        IntColumn column;
    };
    std::vector<Target> ints;
    for (FieldId f : slots.intFields)
        if (auto c = intColumnOf(f)) ints.push_back({intSlot(f), *c});
    auto addr = [](NarrowColumn<uint32_t>& col, const PackedRow& r, int slot) {
        if (slot < 0 || !((r.addrPresent >> slot) & 1)) {
            col.appendRaw(NarrowColumn<uint32_t>::kNull);
            return;
        }
        const int64_t e = r.addrs[static_cast<size_t>(slot)];
        if (e >= -kAddrBias && e < kAddrBias && e + kAddrBias < NarrowColumn<uint32_t>::kWide)
            col.appendRaw(static_cast<uint32_t>(e + kAddrBias));
        else col.appendWide(e);
    };
    for (const PackedRow& r : batch.rows) {
        m_ctx.push_back(r.ctx);
        addr(m_src, r, srcSlot);
        addr(m_dst, r, dstSlot);
        for (const Target& t : ints) {
            const bool present = (r.intPresent >> t.slot) & 1;
            const std::optional<int64_t> v = present ? std::optional<int64_t>(r.ints[static_cast<size_t>(t.slot)]) : std::nullopt;
            switch (t.column) {
            case IntColumn::SrcPort:
                m_srcPort.append(v);
                break;
            case IntColumn::DstPort:
                m_dstPort.append(v);
                break;
            case IntColumn::Protocol:
                m_protocol.append(v);
                break;
            case IntColumn::TcpFlags:
                m_tcpFlags.append(v);
                break;
            case IntColumn::Packets:
                m_packets.append(v);
                break;
            case IntColumn::Bytes:
                m_bytes.append(v);
                break;
            case IntColumn::Start:
                m_start.append(v);
                break;
            case IntColumn::End:
                m_end.append(v);
                break;
            case IntColumn::LostNoRoute:
                m_lost[0].append(v);
                break;
            case IntColumn::LostBlackhole:
                m_lost[1].append(v);
                break;
            case IntColumn::LostMtu:
                m_lost[2].append(v);
                break;
            case IntColumn::LostTtl:
                m_lost[3].append(v);
                break;
            }
        }
    }
}

size_t ColumnStore::bytes() const
{
    size_t b = m_ctx.bytes() + m_src.bytes() + m_dst.bytes() + m_srcPort.bytes() + m_dstPort.bytes() + m_tcpFlags.bytes()
               + m_protocol.bytes() + m_packets.bytes() + m_bytes.bytes() + m_start.bytes() + m_end.bytes();
    for (const auto& l : m_lost) b += l.bytes();
    return b;
}

} // namespace core
