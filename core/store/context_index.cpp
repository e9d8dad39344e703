#include "core/store/context_index.h"

#include <algorithm>

namespace core {

void ContextIndex::insert(uint64_t h, uint32_t code)
{
    if ((m_count + 1) * 2 > m_slots.size()) rehash(std::max<size_t>(1024, m_slots.size() * 2));
    const size_t mask = m_slots.size() - 1;
    const auto tag = static_cast<uint32_t>(h >> 32);
    size_t i = tag & mask;
    while (m_slots[i].code != kNone) i = (i + 1) & mask;
    m_slots[i] = {tag, code};
    ++m_count;
}

void ContextIndex::rehash(size_t capacity)
{
    std::vector<Slot> old = std::move(m_slots);
    m_slots.assign(capacity, Slot{});
    const size_t mask = capacity - 1;
    for (const Slot& s : old) {
        if (s.code == kNone) continue;
        size_t i = s.tag & mask;
        while (m_slots[i].code != kNone) i = (i + 1) & mask;
        m_slots[i] = s;
    }
}

} // namespace core
