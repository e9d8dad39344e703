#include "core/store/context_index.h"

#include <algorithm>

namespace core {

namespace {
constexpr uint64_t kEmptySlot = ContextIndex::kNone;
} // namespace

void ContextIndex::insert(uint64_t h, uint32_t code)
{
    const Table* t = m_table.load(std::memory_order_relaxed);
    // Up to 3/4 full: a miss then scans ~5 slots on average, within one or two cache lines (the
    // 32-bit tags rule out almost every other code without reading its context), and a large
    // estate's table and its predecessors take half the memory of a table kept half empty.
    if (!t || (m_count + 1) * 4 > (t->mask + 1) * 3) {
        rehash(std::max<size_t>(1024, t ? (t->mask + 1) * 2 : 0));
        t = m_table.load(std::memory_order_relaxed);
    }
    const auto tag = static_cast<uint32_t>(h >> 32);
    size_t i = tag & t->mask;
    while (static_cast<uint32_t>(t->slots[i].load(std::memory_order_relaxed)) != kNone) i = (i + 1) & t->mask;
    t->slots[i].store(uint64_t{tag} << 32 | code, std::memory_order_release);
    ++m_count;
}

void ContextIndex::rehash(size_t capacity)
{
    auto next = std::make_unique<Table>();
    next->mask = capacity - 1;
    next->slots = std::make_unique<std::atomic<uint64_t>[]>(capacity);
    for (size_t i = 0; i < capacity; ++i) next->slots[i].store(kEmptySlot, std::memory_order_relaxed);
    if (const Table* old = m_table.load(std::memory_order_relaxed)) {
        for (size_t k = 0; k <= old->mask; ++k) {
            const uint64_t s = old->slots[k].load(std::memory_order_relaxed);
            if (static_cast<uint32_t>(s) == kNone) continue;
            size_t i = static_cast<uint32_t>(s >> 32) & next->mask;
            while (static_cast<uint32_t>(next->slots[i].load(std::memory_order_relaxed)) != kNone) i = (i + 1) & next->mask;
            next->slots[i].store(s, std::memory_order_relaxed);
        }
    }
    m_table.store(next.get(), std::memory_order_release);
    m_tables.push_back(std::move(next));
    m_bytes.fetch_add(capacity * sizeof(uint64_t), std::memory_order_relaxed);
}

void ContextIndex::releaseOld()
{
    if (m_tables.size() < 2) return;
    m_tables.erase(m_tables.begin(), m_tables.end() - 1);
    m_bytes.store((m_tables.back()->mask + 1) * sizeof(uint64_t), std::memory_order_relaxed);
}

} // namespace core
