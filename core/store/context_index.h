#pragma once
// The context dictionary's index: hash of a record's text fields -> context code. Its cost does
// not depend on how many contexts exist: one hash of all the field bytes, one probe of an
// open-addressing table, one verification against the context's own values (which the store
// keeps anyway for decoding, so the index adds 16 bytes per slot and nothing per record).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace core {

/// Hash -> dense code table (linear probing, load <= 1/2, 8 bytes a slot). Several codes may share a hash;
/// find() asks the caller which candidate really matches. Encoder thread only.
class ContextIndex {
public:
    static constexpr uint32_t kNone = UINT32_MAX;

    /// Hash of a serialised key (std::hash over all its bytes).
    static uint64_t hash(std::string_view key) { return static_cast<uint64_t>(std::hash<std::string_view>{}(key)); }
    /// The code stored under `h` for which `matches(code)` is true, or kNone.
    template <class Matches> uint32_t find(uint64_t h, Matches&& matches) const
    {
        if (m_slots.empty()) return kNone;
        const size_t mask = m_slots.size() - 1;
        const auto tag = static_cast<uint32_t>(h >> 32);
        for (size_t i = tag & mask;; i = (i + 1) & mask) {
            const Slot& s = m_slots[i];
            if (s.code == kNone) return kNone;
            if (s.tag == tag && matches(s.code)) return s.code;
        }
    }
    /// Starts loading the home slot of `h` into the cache (a lookup follows shortly).
    void prefetch(uint64_t h) const
    {
        if (!m_slots.empty()) __builtin_prefetch(&m_slots[(h >> 32) & (m_slots.size() - 1)]);
    }
    /// Stores `code` under `h` (the caller checked it is not there yet).
    void insert(uint64_t h, uint32_t code);
    /// Number of codes stored.
    size_t size() const { return m_count; }
    /// Heap bytes held.
    size_t bytes() const { return m_slots.capacity() * sizeof(Slot); }

private:
    struct Slot {
        uint32_t tag = 0;      ///< high half of the hash; it also picks the home slot
        uint32_t code = kNone; ///< kNone = empty
    };
    void rehash(size_t capacity);
    std::vector<Slot> m_slots;
    size_t m_count = 0;
};

} // namespace core
