#pragma once
// The context dictionary's index: hash of a record's text fields -> context code. Its cost does
// not depend on how many contexts exist: one hash of all the field bytes, one probe of an
// open-addressing table, one verification against the context's own values (which the store
// keeps anyway for decoding, so the index adds 8 bytes per slot and nothing per record).
// One writer; readers on other threads (the load's parse workers) may look up concurrently: a
// slot is one atomic word, and a grown table replaces the old one, which stays allocated until
// releaseOld() (the end of the load; the old tables together are smaller than the current one).
// A concurrent reader may miss a code being added; it then asks the writer.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace core {

/// Hash -> dense code table (linear probing, load <= 3/4, 8 bytes a slot). Several codes may share a hash;
/// find() asks the caller which candidate really matches. insert(): one writer thread; find(): any thread.
class ContextIndex {
public:
    static constexpr uint32_t kNone = UINT32_MAX;

    /// Hash of a serialised key (std::hash over all its bytes, or the function of setHashForTesting).
    static uint64_t hash(std::string_view key)
    {
        if (const HashFunction f = s_testHash.load(std::memory_order_relaxed)) return f(key);
        return static_cast<uint64_t>(std::hash<std::string_view>{}(key));
    }
    using HashFunction = uint64_t (*)(std::string_view);
    /// Tests only: hash() becomes `f` (null: std::hash again), e.g. a weak one that makes different
    /// keys collide. Set it while no store holds a context (a store's index keeps the hashes).
    static void setHashForTesting(HashFunction f) { s_testHash.store(f, std::memory_order_relaxed); }
    /// The code stored under `h` for which `matches(code)` is true, or kNone. On a reader thread
    /// a code being inserted right now may be missed.
    template <class Matches> uint32_t find(uint64_t h, Matches&& matches) const
    {
        const Table* t = m_table.load(std::memory_order_acquire);
        if (!t) return kNone;
        const auto tag = static_cast<uint32_t>(h >> 32);
        for (size_t i = tag & t->mask;; i = (i + 1) & t->mask) {
            const uint64_t s = t->slots[i].load(std::memory_order_acquire);
            const auto code = static_cast<uint32_t>(s);
            if (code == kNone) return kNone;
            if (static_cast<uint32_t>(s >> 32) == tag && matches(code)) return code;
        }
    }
    /// Starts loading the home slot of `h` into the cache (a lookup follows shortly). Any thread:
    /// the table is loaded with acquire, as in find(), since a parse worker may read it while the
    /// writer publishes a grown one (its mask and slots pointer are written before that release).
    void prefetch(uint64_t h) const
    {
        if (const Table* t = m_table.load(std::memory_order_acquire)) __builtin_prefetch(&t->slots[(h >> 32) & t->mask]);
    }
    /// The code in the home slot of `h` if its tag is h's, else kNone: the likely result of find()
    /// (a hint for prefetching what find() will verify; only find() decides). Any thread.
    uint32_t homeCandidate(uint64_t h) const
    {
        const Table* t = m_table.load(std::memory_order_acquire);
        if (!t) return kNone;
        const auto tag = static_cast<uint32_t>(h >> 32);
        const uint64_t s = t->slots[tag & t->mask].load(std::memory_order_acquire);
        return static_cast<uint32_t>(s >> 32) == tag ? static_cast<uint32_t>(s) : kNone;
    }
    /// Stores `code` under `h` (the caller checked it is not there yet). Writer only.
    void insert(uint64_t h, uint32_t code);
    /// Frees the tables replaced by growth. Writer only, when no other thread reads (no load runs).
    void releaseOld();
    /// Number of codes stored.
    size_t size() const { return m_count; }
    /// Heap bytes held. Any thread.
    size_t bytes() const { return m_bytes.load(std::memory_order_relaxed); }

private:
    struct Table {
        size_t mask = 0;
        std::unique_ptr<std::atomic<uint64_t>[]> slots; ///< tag << 32 | code; code kNone = empty
    };
    void rehash(size_t capacity);
    std::atomic<const Table*> m_table{nullptr};
    std::vector<std::unique_ptr<Table>> m_tables; ///< the current one last; older ones for concurrent readers
    size_t m_count = 0;
    std::atomic<size_t> m_bytes{0}; ///< the tables' slots
    static inline std::atomic<HashFunction> s_testHash{nullptr};
};

} // namespace core
