#pragma once
// Packing records on several threads at once (a load's text workers, core/ingest/ingest_lines):
// each worker thread owns a LocalPacker and packs whole records into LocalRows with LOCAL
// context codes (its own dictionary: a hash of the whole field bytes, no allocation per record).
// The thread that holds the load's write lock then adopts the rows in file order: a local code
// becomes a global one once (Store::Impl::contextCodeForKey), after that through an array, and
// the few text values that need the string pool (addresses that are not canonical IPv4, extras)
// get their codes in the same order as Store::Impl::pack hands them out. So the adopted rows are
// exactly the rows pack() makes, context and string codes included.
#include "core/store/store_impl.h"

#include <atomic>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace core {

/// The rows one worker packed from one piece of text, in order. Views into that text: valid
/// until the piece is adopted.
struct LocalRows {
    RowBatch batch;                      ///< ctx = local code; text addresses and extras' values = indexes into `texts`
    std::vector<uint8_t> addrText;       ///< per row: bit per address slot held as text
    std::vector<std::string_view> texts; ///< values that need a string code at adoption
    /// Keys of the local codes that were not yet global when this piece used them:
    /// local code -> (hash, offset into `keys`, length).
    struct Key {
        uint64_t hash = 0;
        uint32_t offset = 0;
        uint32_t size = 0;
    };
    std::unordered_map<uint32_t, Key> keyOf;
    std::string keys;
    void clear();
};

/// One worker thread's packer. pack() on that thread only; adopt() on the thread holding the
/// store's write lock (in file order); the two meet through the atomic local->global array.
class LocalPacker {
public:
    explicit LocalPacker(const Store::Impl& impl) : m_impl(impl) {}
    ~LocalPacker();
    LocalPacker(const LocalPacker&) = delete;
    LocalPacker& operator=(const LocalPacker&) = delete;

    /// Packs `r` as the next row of `out` (worker thread). False (nothing appended) when this
    /// packer has run out of local codes: the caller packs the record the ordinary way.
    bool pack(const FlowRecord& r, LocalRows& out);
    /// Appends row `index` of `rows` to `batch` with global codes (the write lock's holder, rows
    /// in file order). `line` and `fileId` are left to the caller.
    void adopt(Store::Impl& impl, const LocalRows& rows, size_t index, RowBatch& batch);

private:
    static constexpr uint32_t kPending = UINT32_MAX;
    static constexpr size_t kChunkBits = 16;
    static constexpr size_t kMaxChunks = 1024; ///< 64M local codes
    /// Pending keys kept for verification beyond this many bytes are forgotten (bounded memory).
    static constexpr size_t kMaxArena = size_t{8} << 20;

    uint32_t lookup(uint64_t h, std::string_view key, LocalRows& out);
    std::atomic<uint32_t>& global(uint32_t code) const
    {
        return m_global[code >> kChunkBits][code & ((uint32_t{1} << kChunkBits) - 1)];
    }
    void forgetPending();
    void rehash(size_t capacity);

    const Store::Impl& m_impl;
    struct Slot {
        uint32_t tag = 0;
        uint32_t code = UINT32_MAX; ///< UINT32_MAX = empty
    };
    std::vector<Slot> m_slots; ///< hash -> local code (linear probing, load <= 1/2)
    size_t m_count = 0;
    uint32_t m_next = 0; ///< next local code
    /// local code -> global code (kPending until adopted); chunks allocated by the worker
    std::atomic<uint32_t>* m_global[kMaxChunks] = {};
    std::vector<std::pair<uint32_t, uint32_t>> m_keyAt; ///< local code -> (offset, size) in m_arena
    std::string m_arena;                                ///< keys of codes seen pending by the worker
    std::string m_key;                                  ///< the record being packed
};

} // namespace core
