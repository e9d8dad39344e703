// LocalPacker: records packed on worker threads, adopted in file order by the store's writer
// (see local_pack.h).
#include "core/store/local_pack.h"

#include "core/query/filter_ip.h"

#include <cstring>

namespace core {

namespace {
constexpr int64_t kAddrBias = int64_t{1} << 31; // as store_writer.cpp

/// Rows between the stages of Store::Impl::prefetchContext for one key.
constexpr size_t kAhead = 4;
constexpr int kStages = 3;

/// Starts the loads of rows ahead of `index` that still need their context looked up: stage s
/// for the row (kStages - s) * kAhead ahead, so each row passes through every stage in order.
void prefetchAhead(const Store::Impl& impl, const LocalRows& rows, size_t index)
{
    for (int stage = 0; stage < kStages; ++stage) {
        const size_t j = index + static_cast<size_t>(kStages - stage) * kAhead;
        if (j < rows.info.size() && rows.info[j].key) impl.prefetchContext(rows.keys[rows.info[j].key - 1].hash, stage);
    }
}
} // namespace

void LocalRows::clear()
{
    batch.clear();
    info.clear();
    texts.clear();
    keys.clear();
    keyBytes.clear();
}

void LocalPacker::pack(const FlowRecord& r, LocalRows& out)
{
    const SchemaSlots& slots = SchemaSlots::get();
    // The context key exactly as the one-thread path serialises it; looked up by finish().
    uint64_t ctxMask = 0;
    const size_t at = out.keyBytes.size();
    const uint64_t h = Store::Impl::contextKey(r, out.keyBytes, ctxMask, at);
    LocalRows::Info info;
    out.batch.rows.emplace_back();
    PackedRow& row = out.batch.rows.back();
    out.keys.push_back({h, static_cast<uint32_t>(at), static_cast<uint32_t>(out.keyBytes.size() - at)});
    info.key = static_cast<uint32_t>(out.keys.size());
    row.ctx = 0;
    row.setInts(r);
    row.addrPresent = 0;
    for (size_t i = 0; i < slots.addrFields.size(); ++i) {
        const FieldId f = slots.addrFields[i];
        if (!r.has(f)) continue;
        row.addrPresent |= uint32_t{1} << i;
        if (const std::optional<uint32_t> v4 = Store::Impl::canonicalIpv4(r, f)) {
            row.addrs[i] = static_cast<int64_t>(*v4) - kAddrBias;
        } else {
            info.addrText = static_cast<uint8_t>(info.addrText | (1u << i));
            row.addrs[i] = static_cast<int64_t>(out.texts.size());
            out.texts.push_back(r.text(f));
        }
    }
    out.info.push_back(info);
    row.extraBegin = static_cast<uint32_t>(out.batch.extras.size());
    row.extraCount = 0;
    for (const auto& [idx, value] : r.extras) {
        if (idx < 0 || idx >= kMaxExtras) continue;
        out.batch.extras.emplace_back(idx, static_cast<uint32_t>(out.texts.size()));
        out.texts.push_back(value);
        ++row.extraCount;
    }
    row.flags = 0;
    row.twinKey = 0;
}

void LocalPacker::finish(LocalRows& out) const
{
    // In a large estate each lookup is a chain of cache misses (index slot, context entry, its
    // string codes): looking up row i while the loads of the next rows are under way overlaps
    // them instead of paying them one after another.
    const size_t n = out.info.size();
    for (size_t k = 0; k < static_cast<size_t>(kStages) * kAhead && k < n; ++k) m_impl.prefetchContext(out.keys[k].hash, 0);
    for (size_t i = 0; i < n; ++i) {
        prefetchAhead(m_impl, out, i);
        resolve(out, i);
    }
}

void LocalPacker::resolve(LocalRows& out, size_t index) const
{
    LocalRows::Info& info = out.info[index];
    const LocalRows::Key& k = out.keys[info.key - 1];
    const uint32_t ctx = m_impl.findContext(k.hash, std::string_view(out.keyBytes).substr(k.offset, k.size));
    if (ctx == ContextIndex::kNone) return; // new to the store (or being added): the writer decides
    PackedRow& row = out.batch.rows[index];
    row.ctx = ctx;
    info.key = 0;
    if (!info.addrText) { // everything the twin key reads is known here already
        m_impl.setTwinKey(row);
        info.twinKeyDone = true;
    }
}

void LocalPacker::adopt(Store::Impl& impl, LocalRows& rows, size_t index)
{
    prefetchAhead(impl, rows, index); // the contexts the workers did not find: mostly new ones
    PackedRow& row = rows.batch.rows[index];
    // The same order of new codes as pack(): the context's strings, text addresses, extras.
    const LocalRows::Info& info = rows.info[index];
    if (info.key) {
        const LocalRows::Key& k = rows.keys[info.key - 1];
        row.ctx = impl.contextCodeForKey(k.hash, std::string_view(rows.keyBytes).substr(k.offset, k.size)).get();
    }
    for (uint32_t i = 0, bits = info.addrText; bits; ++i, bits >>= 1)
        if (bits & 1)
            row.addrs[i] = kAddrBias + static_cast<int64_t>(impl.stringCode(rows.texts[static_cast<size_t>(row.addrs[i])]).get());
    for (uint32_t k = 0; k < row.extraCount; ++k) {
        uint32_t& text = rows.batch.extras[row.extraBegin + k].second;
        text = impl.stringCode(rows.texts[text]).get();
    }
    if (!info.twinKeyDone) impl.setTwinKey(row);
}

} // namespace core
