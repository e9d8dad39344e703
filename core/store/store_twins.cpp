// The twin table: pairs the ingress and egress records of one flow (the pairing rule is stated
// at Store::Impl::TwinTable in store_impl.h).
#include "core/store/store_impl.h"

namespace core {

void Store::Impl::pairOrQueue(TwinTable& table, uint64_t key, uint64_t id, bool ingress)
{
    const uint64_t other = table.pairOrQueue(key, id, ingress, m_twins);
    if (other == 0) return;
    m_twins[id] = static_cast<int64_t>(other);
    m_twins[other] = static_cast<int64_t>(id);
}

uint64_t Store::Impl::TwinTable::pairOrQueue(uint64_t key, uint64_t id, bool ingress, TwinLinks& links)
{
    if ((m_count + 1) * 2 > m_slots.size()) rehash(std::max<size_t>(1024, m_slots.size() * 2));
    const size_t mask = m_slots.size() - 1;
    const uint64_t idDir = id * 2 + (ingress ? 1 : 0);
    for (size_t i = static_cast<size_t>(key) & mask;; i = (i + 1) & mask) {
        Slot& s = m_slots[i];
        if (s.tailDir == 0) { // nothing waits under this key: a queue of one
            s = {key, idDir};
            links[id] = -static_cast<int64_t>(id);
            ++m_count;
            return 0;
        }
        if (s.key != key) continue;
        const uint64_t tail = s.tailDir >> 1;
        if (((s.tailDir & 1) != 0) == ingress) { // same direction: append after the tail
            links[id] = links[tail];
            links[tail] = -static_cast<int64_t>(id);
            s.tailDir = idDir;
            return 0;
        }
        const auto head = static_cast<uint64_t>(-links[tail]); // earliest waiting
        if (head == tail) erase(i);
        else links[tail] = links[head];
        links[head] = 0;
        return head;
    }
}

void Store::Impl::TwinTable::erase(size_t slot)
{
    // Backward shift: move later members of the probe run into the hole when their home
    // position allows, so lookups never meet tombstones.
    const size_t mask = m_slots.size() - 1;
    size_t hole = slot;
    for (size_t j = (slot + 1) & mask; m_slots[j].tailDir != 0; j = (j + 1) & mask) {
        const size_t home = static_cast<size_t>(m_slots[j].key) & mask;
        if (((j - home) & mask) >= ((j - hole) & mask)) {
            m_slots[hole] = m_slots[j];
            hole = j;
        }
    }
    m_slots[hole] = Slot{};
    --m_count;
}

void Store::Impl::TwinTable::rehash(size_t capacity)
{
    std::vector<Slot> old = std::move(m_slots);
    m_slots.assign(capacity, Slot{});
    const size_t mask = capacity - 1;
    for (const Slot& s : old) {
        if (s.tailDir == 0) continue;
        size_t i = static_cast<size_t>(s.key) & mask;
        while (m_slots[i].tailDir != 0) i = (i + 1) & mask;
        m_slots[i] = s;
    }
}

} // namespace core
