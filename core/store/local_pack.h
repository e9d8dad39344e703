#pragma once
// Packing records on several threads at once (a load's text workers, core/ingest/ingest_lines):
// each worker thread packs whole records into LocalRows. The contexts of a piece's records are
// looked up in the store's own index once the piece is packed (finish(): the cache misses of
// several lookups overlap), which other threads may read while the writer adds to it
// (context_index.h); a context the index does not have yet keeps its key (a hash of the whole
// field bytes, no allocation per record). The thread that holds the load's write lock then
// adopts the rows in file order: a missing context is found or created then
// (Store::Impl::contextCodeForKey), and the few text values that need the string pool
// (addresses that are not canonical IPv4, extras) get their codes in the same order as
// Store::Impl::pack hands them out. So the adopted rows are exactly the rows pack() makes,
// context and string codes included: a worker only ever finds a context that an earlier row
// of the file (or an earlier load) created.
#include "core/store/store_impl.h"

#include <string>
#include <string_view>
#include <vector>

namespace core {

/// The rows one worker packed from one piece of text, in order. Views into that text: valid
/// until the piece is adopted.
struct LocalRows {
    RowBatch batch; ///< text addresses and extras' values: indexes into `texts` until adopted, then codes
    struct Info {
        uint32_t key = 0;         ///< 0: row.ctx is the context; else keys[key - 1] is to be looked up
        uint8_t addrText = 0;     ///< bit per address slot held as text
        bool twinKeyDone = false; ///< the worker set row.twinKey/flags (context known, no text address)
    };
    std::vector<Info> info;              ///< per row
    std::vector<std::string_view> texts; ///< values that need a string code at adoption
    struct Key {
        uint64_t hash = 0;
        uint32_t offset = 0; ///< into `keyBytes`
        uint32_t size = 0;
    };
    std::vector<Key> keys;
    std::string keyBytes;
    void clear();
};

/// One worker thread's packer. pack() on that thread only; adopt() on the thread holding the
/// store's write lock, in file order.
class LocalPacker {
public:
    explicit LocalPacker(const Store::Impl& impl) : m_impl(impl) {}

    /// Packs `r` as the next row of `out` (worker thread); its context is looked up by finish().
    void pack(const FlowRecord& r, LocalRows& out);
    /// Looks up the contexts of all rows of `out` (after its last pack(), worker thread): the ones
    /// the index has are set, the others left to adopt().
    void finish(LocalRows& out) const;
    /// Gives row `index` of `rows` its global codes in place (the write lock's holder, rows in
    /// file order): `rows.batch` then holds it (and its extras) as Store::Impl::pack() would.
    /// `line` and `fileId` are left to the caller.
    static void adopt(Store::Impl& impl, LocalRows& rows, size_t index);

private:
    /// Sets row `index`'s context (and twin key) if the index has it.
    void resolve(LocalRows& out, size_t index) const;
    const Store::Impl& m_impl;
};

} // namespace core
