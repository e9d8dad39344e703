// LocalPacker: records packed on worker threads with local context codes, adopted in file
// order with global ones (see local_pack.h).
#include "core/store/local_pack.h"

#include "core/query/filter_ip.h"

#include <cstring>

namespace core {

namespace {
constexpr int64_t kAddrBias = int64_t{1} << 31; // as store_writer.cpp
constexpr uint32_t kEmpty = UINT32_MAX;
} // namespace

void LocalRows::clear()
{
    batch.clear();
    addrText.clear();
    texts.clear();
    keyOf.clear();
    keys.clear();
}

LocalPacker::~LocalPacker()
{
    for (auto* chunk : m_global) delete[] chunk;
}

void LocalPacker::rehash(size_t capacity)
{
    std::vector<Slot> old = std::move(m_slots);
    m_slots.assign(capacity, Slot{});
    const size_t mask = capacity - 1;
    for (const Slot& s : old) {
        if (s.code == kEmpty) continue;
        size_t i = s.tag & mask;
        while (m_slots[i].code != kEmpty) i = (i + 1) & mask;
        m_slots[i] = s;
    }
}

void LocalPacker::forgetPending()
{
    // Codes already global are verified against the store's own copy of their values; the keys
    // of the others go (a piece that uses one carries its own copy), and so do their slots.
    std::vector<Slot> old = std::move(m_slots);
    m_slots.assign(old.size(), Slot{});
    m_count = 0;
    const size_t mask = old.size() - 1;
    for (const Slot& s : old) {
        if (s.code == kEmpty || global(s.code).load(std::memory_order_acquire) == kPending) continue;
        size_t i = s.tag & mask;
        while (m_slots[i].code != kEmpty) i = (i + 1) & mask;
        m_slots[i] = s;
        ++m_count;
    }
    m_arena.clear();
}

uint32_t LocalPacker::lookup(uint64_t h, std::string_view key, LocalRows& out)
{
    auto noteKey = [&](uint32_t code) {
        if (out.keyOf.count(code)) return;
        out.keyOf.emplace(code, LocalRows::Key{h, static_cast<uint32_t>(out.keys.size()), static_cast<uint32_t>(key.size())});
        out.keys.append(key);
    };
    if (m_slots.empty()) rehash(1024);
    const auto tag = static_cast<uint32_t>(h >> 32);
    size_t mask = m_slots.size() - 1;
    size_t i = tag & mask;
    for (;; i = (i + 1) & mask) {
        const Slot& s = m_slots[i];
        if (s.code == kEmpty) break;
        if (s.tag != tag) continue;
        const uint32_t g = global(s.code).load(std::memory_order_acquire);
        if (g != kPending) {
            if (m_impl.contextEquals(g, key)) return s.code;
            continue;
        }
        const auto [offset, size] = m_keyAt[s.code];
        if (std::string_view(m_arena).substr(offset, size) == key) {
            noteKey(s.code);
            return s.code;
        }
    }
    // A context this worker has not seen (or has forgotten): a new local code.
    if (m_next >= (kMaxChunks << kChunkBits)) return kPending;
    const uint32_t code = m_next++;
    const size_t chunk = code >> kChunkBits;
    if (!m_global[chunk]) {
        m_global[chunk] = new std::atomic<uint32_t>[size_t{1} << kChunkBits];
        for (size_t k = 0; k < (size_t{1} << kChunkBits); ++k) m_global[chunk][k].store(kPending, std::memory_order_relaxed);
    }
    m_keyAt.emplace_back(static_cast<uint32_t>(m_arena.size()), static_cast<uint32_t>(key.size()));
    m_arena.append(key);
    if ((m_count + 1) * 2 > m_slots.size()) {
        rehash(m_slots.size() * 2);
        mask = m_slots.size() - 1;
        i = tag & mask;
        while (m_slots[i].code != kEmpty) i = (i + 1) & mask;
    }
    m_slots[i] = {tag, code};
    ++m_count;
    noteKey(code);
    return code;
}

bool LocalPacker::pack(const FlowRecord& r, LocalRows& out)
{
    if (m_arena.size() > kMaxArena) forgetPending();
    const SchemaSlots& slots = SchemaSlots::get();
    // The context key exactly as Store::Impl::contextHash serialises it.
    const size_t n = slots.textFields.size();
    m_key.resize(sizeof(uint64_t));
    uint64_t ctxMask = 0;
    for (size_t s = 0; s < n; ++s) {
        const FieldId f = slots.textFields[s];
        if (!r.has(f)) continue;
        ctxMask |= uint64_t{1} << s;
        const std::string_view v = r.text(f);
        const auto len = static_cast<uint32_t>(v.size());
        m_key.append(reinterpret_cast<const char*>(&len), sizeof len);
        m_key.append(v);
    }
    std::memcpy(m_key.data(), &ctxMask, sizeof ctxMask);
    const uint64_t h = ContextIndex::hash(m_key);
    const uint32_t ctx = lookup(h, m_key, out);
    if (ctx == kPending) return false;

    out.batch.rows.emplace_back();
    PackedRow& row = out.batch.rows.back();
    row.ctx = ctx;
    row.intPresent = 0;
    for (size_t i = 0; i < slots.intFields.size(); ++i) {
        const FieldId f = slots.intFields[i];
        if (r.has(f)) {
            row.intPresent |= uint64_t{1} << i;
            row.ints[i] = r.integer(f);
        }
    }
    row.addrPresent = 0;
    uint8_t addrText = 0;
    for (size_t i = 0; i < slots.addrFields.size(); ++i) {
        const FieldId f = slots.addrFields[i];
        if (!r.has(f)) continue;
        row.addrPresent |= uint32_t{1} << i;
        bool canonical = false;
        const std::optional<uint32_t> v4 = parseIpv4(r.text(f), canonical);
        if (v4 && canonical) {
            row.addrs[i] = static_cast<int64_t>(*v4) - kAddrBias;
        } else {
            addrText = static_cast<uint8_t>(addrText | (1u << i));
            row.addrs[i] = static_cast<int64_t>(out.texts.size());
            out.texts.push_back(r.text(f));
        }
    }
    out.addrText.push_back(addrText);
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
    return true;
}

void LocalPacker::adopt(Store::Impl& impl, const LocalRows& rows, size_t index, RowBatch& batch)
{
    const PackedRow& src = rows.batch.rows[index];
    batch.rows.push_back(src);
    PackedRow& row = batch.rows.back();
    // The same order of new codes as pack(): the context's strings, text addresses, extras.
    std::atomic<uint32_t>& g = global(src.ctx);
    uint32_t ctx = g.load(std::memory_order_relaxed);
    if (ctx == kPending) {
        const LocalRows::Key& k = rows.keyOf.at(src.ctx);
        ctx = impl.contextCodeForKey(k.hash, std::string_view(rows.keys).substr(k.offset, k.size)).get();
        g.store(ctx, std::memory_order_release);
    }
    row.ctx = ctx;
    for (uint32_t i = 0, bits = rows.addrText[index]; bits; ++i, bits >>= 1)
        if (bits & 1)
            row.addrs[i] = kAddrBias + static_cast<int64_t>(impl.stringCode(rows.texts[static_cast<size_t>(src.addrs[i])]).get());
    row.extraBegin = static_cast<uint32_t>(batch.extras.size());
    for (uint32_t k = 0; k < src.extraCount; ++k) {
        const auto& [idx, text] = rows.batch.extras[src.extraBegin + k];
        batch.extras.emplace_back(idx, impl.stringCode(rows.texts[text]).get());
    }
    impl.setTwinKey(row);
}

} // namespace core
