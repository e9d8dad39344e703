#pragma once
// Internals of the store (not a public API): the physical schema, the dictionaries behind the
// `flows` view, the twin bookkeeping and the batch insert path used by the loader.
//
// Physical layout (what `flows` decodes):
//   flow_data(id INTEGER PRIMARY KEY, ctx, <Integer fields by column name>,
//             <Address fields as a_<column>>, file_id, line, e_<n> for extras)
//   - a store loaded from files holds the rows once, in the typed columns (columns.h), and
//     flow_data is the virtual table fl_columns over them (store_vtab.cpp); a store opened from a
//     session file has the real table (and the hot columns rebuilt from it). flowDataVirtual() says
//     which; both have the same columns, types and values.
//   - every Text field of a record is folded into one "context" code `ctx`: the tuple of
//     the record's text values (account, attachment, pair, VPCs, subnets, ENIs, AZs,
//     direction, log-status, action, ...). Flow logs have few distinct tuples, so a record
//     stores one small integer instead of ~20 strings. fl_text(ctx, slot) decodes.
//   - addresses: IPv4 as (address - 2^31), a 4-byte SQLite integer; anything else (IPv6)
//     as 2^31 + a string-pool code. fl_addr() decodes to text.
//   - extras: string-pool codes; fl_str() decodes.
//   - twin_id lives in a C++ array indexed by id (fl_twin(id)), filled while a load runs and,
//     for pairs with records of earlier loads, at its commit (TwinTable states the rule).
// Dictionaries only grow and are append-only with stable addresses, so SQL functions on any
// thread can read them without locks: a code is published to SQLite (under the connection
// mutex) only after its entry is written.
#include "core/model/fields.h"
#include "core/model/ids.h"
#include "core/store/columns.h"
#include "core/store/context_index.h"
#include "core/store/store.h"

#include <array>
#include <atomic>
#include <bit>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_value;
struct sqlite3_module;

namespace core {

/// Append-only vector with stable element addresses; readers of already published
/// elements need no lock. One writer at a time. The table of chunk pointers (2 MiB of
/// address space) is allocated on the first append with calloc, so only the pages of it that
/// are used become resident (4 KiB per 512 chunks) instead of a zero-filled 2 MiB each.
/// With `HugeSlabs` (plain T only) the chunks past the first 2 MiB are cut from 2 MiB slabs in
/// huge pages (columns_detail::grow): the twin links (8 bytes a record) then take one page fault
/// per 2 MiB instead of 512. Not for the per-context tables: their last slab's unused part would
/// be resident too (+several MB for a large estate).
template <class T, bool HugeSlabs = false> class StableVector {
public:
    static constexpr size_t kChunkBits = 12;
    static constexpr size_t kChunk = size_t{1} << kChunkBits;
    static constexpr size_t kMaxChunks = size_t{1} << 18;

    StableVector() = default;
    ~StableVector()
    {
        if (!m_chunks) return;
        for (size_t c = 0; c < kMaxChunks && m_chunks[c]; ++c) freeChunk(c);
        std::free(m_chunks);
    }
    StableVector(const StableVector&) = delete;
    StableVector& operator=(const StableVector&) = delete;
    size_t size() const { return m_size.load(std::memory_order_acquire); }
    const T& operator[](size_t i) const { return m_chunks[i >> kChunkBits][i & (kChunk - 1)]; }
    T& operator[](size_t i) { return m_chunks[i >> kChunkBits][i & (kChunk - 1)]; }
    /// Appends; returns the index, or SIZE_MAX when full (or out of memory for the table).
    size_t push_back(T v)
    {
        const size_t i = m_size.load(std::memory_order_relaxed);
        const size_t c = i >> kChunkBits;
        if (c >= kMaxChunks) return SIZE_MAX;
        if (!m_chunks) {
            m_chunks = static_cast<T**>(std::calloc(kMaxChunks, sizeof(T*)));
            if (!m_chunks) return SIZE_MAX;
        }
        if (!m_chunks[c]) m_chunks[c] = newChunk(c);
        m_chunks[c][i & (kChunk - 1)] = std::move(v);
        m_size.store(i + 1, std::memory_order_release);
        return i;
    }
    /// Forgets elements from index n on (rollback). One writer at a time.
    void truncate(size_t n)
    {
        if (n < size()) m_size.store(n, std::memory_order_release);
    }
    size_t chunksAllocated() const { return (size() + kChunk - 1) >> kChunkBits; }

private:
    static constexpr size_t kSlabBytes = size_t{2} << 20;
    /// Chunks per slab; 0: T is not plain (its chunks are always new[]).
    static constexpr size_t kSlabChunks =
        HugeSlabs
                && std::is_trivially_copyable_v<
                    T> && std::is_trivially_destructible_v<T> && kSlabBytes % (kChunk * sizeof(T)) == 0
            ? kSlabBytes / (kChunk * sizeof(T))
            : 0;
    /// Chunk `c` (chunks come in order): from the second 2 MiB on, cut from a slab (value-initialised
    /// T of these types is all zero bytes, as a fresh slab is).
    T* newChunk(size_t c)
    {
        if constexpr (kSlabChunks != 0) {
            if (c >= kSlabChunks)
                return c % kSlabChunks == 0 ? static_cast<T*>(columns_detail::grow(nullptr, 0, kSlabBytes))
                                            : m_chunks[c - 1] + kChunk;
        }
        return new T[kChunk]();
    }
    void freeChunk(size_t c)
    {
        if constexpr (kSlabChunks != 0) {
            if (c >= kSlabChunks) {
                if (c % kSlabChunks == 0) columns_detail::release(m_chunks[c], kSlabBytes);
                return;
            }
        }
        delete[] m_chunks[c];
    }
    T** m_chunks = nullptr; ///< kMaxChunks entries once allocated; chunks are allocated in order
    std::atomic<size_t> m_size{0};
};

/// Twin id per record id (index 0 unused), or a queue link while a record waits (Store::Impl).
using TwinLinks = StableVector<int64_t, true>;

/// Slots of the physical schema derived from the field registry.
struct SchemaSlots {
    std::vector<FieldId> textFields;       ///< Text fields, in FieldId order (ctx slots)
    std::vector<FieldId> intFields;        ///< Integer fields
    std::vector<FieldId> addrFields;       ///< Address fields
    std::array<int, kFieldCount> slotOf{}; ///< index within its kind's list
    int directionSlot = -1, attachmentSlot = -1, pairSlot = -1, actionSlot = -1;
    static const SchemaSlots& get();
};

constexpr int kMaxIntSlots = 24;
constexpr int kMaxAddrSlots = 8;

/// One record ready for insertion (produced on the parse thread).
struct PackedRow {
    qint64 line = 0;
    qint64 fileId = 0;
    uint32_t ctx = 0;
    uint32_t flags = 0; ///< kTwinCandidate | kIngress
    uint64_t twinKey = 0;
    uint64_t intPresent = 0;  ///< bit per int slot
    uint32_t addrPresent = 0; ///< bit per addr slot
    uint32_t extraBegin = 0;  ///< into RowBatch::extras
    uint32_t extraCount = 0;
    std::array<int64_t, kMaxIntSlots> ints{};
    std::array<int64_t, kMaxAddrSlots> addrs{};
    static constexpr uint32_t kTwinCandidate = 1;
    static constexpr uint32_t kIngress = 2;
    /// Sets intPresent and ints from `r`'s integer fields (SchemaSlots' int slots). Any thread.
    void setInts(const FlowRecord& r);
};

struct RowBatch {
    std::vector<PackedRow> rows;
    std::vector<std::pair<int, uint32_t>> extras; ///< (extra index, string code)
    int extraColumns = 0;                         ///< extras known when the batch was cut
    void clear()
    {
        rows.clear();
        extras.clear();
        extraColumns = 0;
    }
};

/// Called for each row of an internal aggregation query (fl_visit(?1, ...)), inside
/// sqlite3_step. Returning false aborts the statement with the error "cancelled".
class RowVisitor {
public:
    virtual ~RowVisitor() = default;
    virtual bool row(int argc, sqlite3_value** argv) = 0;
};

/// Type tag for sqlite3_bind_pointer() of a RowVisitor*.
constexpr const char* kRowVisitorType = "flowlog_visitor";

/// Runs `sql`, one `SELECT fl_visit(?1, ...)` statement, as a single sqlite3_step: ?1 is bound
/// to `visitor`, `params` to ?2, ?3, ... `cancel` is polled through a CancelScope (every 10,000
/// VM steps, also while a WHERE clause rejects every row). Returns Error "cancelled" when
/// `cancel` was raised (also before the scan started: then no SQL runs) or the statement or
/// its prepare was interrupted, the SQLite error otherwise. Thread of the store's caller.
Status runVisitorStatement(const Store& store, const QString& sql, const QVariantList& params, RowVisitor& visitor,
                           const std::atomic<bool>* cancel);

/// Registers fl_text, fl_str, fl_addr, fl_twin, fl_etwin and fl_visit on `db` for `impl`
/// (store_functions.cpp). Once per connection, before the schema's views are created.
void registerStoreFunctions(sqlite3* db, Store::Impl* impl);

/// Most extra (unknown-field) columns a store keeps; later ones are dropped.
constexpr int kMaxExtras = 200;
/// The column definitions of flow_data with `extras` extra columns (e_0 ...), as the real table
/// declares them: "id INTEGER PRIMARY KEY, ctx INTEGER, ...".
QString flowDataColumnDefinitions(int extras);
/// The CREATE TABLE statement of the real flow_data without extras (ALTER TABLE ... ADD COLUMN
/// e_N INTEGER adds each): byte for byte what session files hold.
QString flowDataTableSql();
/// The fl_columns module (store_vtab.cpp): `CREATE VIRTUAL TABLE flow_data USING fl_columns(N)`
/// is flow_data with N extras, read-only, served from the typed columns of the Store::Impl given
/// as the module's client data.
const sqlite3_module* flowDataModule();
/// How Store::create() holds flow_data: Virtual (the default: the virtual table over the typed
/// columns) or Table (a real SQLite table, the layout before the virtual table; also what a store
/// opened from a session file has). For benchmarks comparing the two; any thread.
enum class FlowDataKind { Virtual, Table };
void setDefaultFlowDataKind(FlowDataKind kind);
FlowDataKind defaultFlowDataKind();
/// Type tag for sqlite3_bind_pointer() of a BatchArg*.
constexpr const char* kBatchType = "flowlog_batch";
/// What fl_batch(?1) reads: the rows and the id of the first one.
struct BatchArg {
    const RowBatch* batch = nullptr;
    int64_t firstId = 0;
};
/// The fl_batch module (store_batch.cpp).
const sqlite3_module* batchModule();

/// What a store holds outside SQLite (dictionaries, twins, extras), as plain values: saved in
/// and restored from session files (core/sessionfile) so reopening never re-parses.
struct StoreState {
    std::vector<std::string> strings; ///< string pool; [0] is "" (NULL)
    size_t textSlots = 0;             ///< text slots per context
    std::vector<uint32_t> contexts;   ///< contextCount * textSlots string codes
    std::vector<int64_t> twins;       ///< twin id per record id (index 0 unused), 0 = none
    /// Records of earlier loads still waiting for their other side: (twin key, id, ingress),
    /// each key's records in queue (id) order.
    struct Waiting {
        uint64_t key = 0;
        int64_t id = 0;
        bool ingress = false;
    };
    std::vector<Waiting> waiting;
    std::vector<std::string> extraTokens; ///< header tokens of extra columns
    QStringList extraNames;               ///< their column names
    int extraColumnsInTable = 0;          ///< e_N columns present in flow_data
    qint64 nextId = 1;
    qint64 nextFileId = 1;
};

class Store::Impl {
public:
    explicit Impl(sqlite3* db) : m_db(db) {}

    // --- dictionaries (encode: writer only; decode: any thread) ---
    /// String-pool code (>= 1) for `s`.
    StringCode stringCode(std::string_view s);
    const std::string& string(StringCode code) const { return m_strings[code.get()]; }
    size_t stringCount() const { return m_strings.size(); }
    /// Context code of a record's text fields.
    ContextCode contextCode(const FlowRecord& r);
    /// contextCode in two steps, so that pack() can prefetch the index slot in between: the
    /// record's index hash and presence mask, then the lookup (or the new context).
    uint64_t contextHash(const FlowRecord& r, uint64_t& mask);
    /// Serialises `r`'s context key into `key` from byte `at` on, replacing what follows (the u64
    /// presence mask, then each present text value as u32 length + bytes; `key` is reused, no
    /// allocation once grown) and returns its hash; `mask` receives the presence mask. Any thread
    /// (the load's parse workers use it too).
    static uint64_t contextKey(const FlowRecord& r, std::string& key, uint64_t& mask, size_t at = 0);
    ContextCode contextCode(const FlowRecord& r, uint64_t hash, uint64_t mask);
    /// The context of a serialised key (contextHash's layout: the u64 presence mask, then each
    /// present text slot's value as u32 length + bytes, in slot order) with its hash
    /// (ContextIndex::hash): the existing code or a new context. Writer (the write lock's holder).
    ContextCode contextCodeForKey(uint64_t hash, std::string_view key);
    /// True if the published context `ctx` holds exactly the values of `key`. Any thread.
    bool contextEquals(uint32_t ctx, std::string_view key) const;
    /// The context of `key` (as contextCodeForKey) if the index has it, else ContextIndex::kNone.
    /// Any thread: on a thread other than the writer's, a context being added may be missed.
    uint32_t findContext(uint64_t hash, std::string_view key) const;
    /// Stages of loading what findContext(hash, ...) will read, so that the lookups of many keys
    /// overlap: stage 0 starts loading the index slot; stage 1 reads it and starts loading the
    /// likely context's entry and twin part; stage 2 reads the entry and starts loading its
    /// string codes. Each stage should follow the previous one for the same hash after other
    /// work. Only hints: any thread, any order.
    void prefetchContext(uint64_t hash, int stage) const;
    /// String code of text slot `slot` of context `ctx` (0 = NULL).
    StringCode contextValue(ContextCode ctx, int slot) const
    {
        // Sparse: only the present slots' codes are stored, in slot order after `first`.
        const CtxEntry& e = m_ctxEntries[ctx.get()];
        const uint64_t bit = uint64_t{1} << slot;
        if (!(e.mask & bit)) return StringCode(0);
        return StringCode(m_ctxValues[e.first + static_cast<size_t>(std::popcount(e.mask & (bit - 1)))]);
    }
    size_t contextCount() const { return m_ctxEgress.size(); }
    /// Encoded address (see header comment) for IPv4/IPv6 text.
    int64_t encodeAddress(std::string_view s);
    /// Address `f` of `r` as an integer if its text is a canonical dotted quad (parsed once, by
    /// the parser, when FlowRecord::ipv4 says so). Both pack paths; any thread.
    static std::optional<uint32_t> canonicalIpv4(const FlowRecord& r, FieldId f);
    /// Writes the text of an encoded address into buf (>= 64 bytes); returns its length.
    int decodeAddress(int64_t v, char* buf) const;
    /// Packs a record (parse thread, under the write lock).
    void pack(const FlowRecord& r, PackedRow& row, RowBatch& batch);
    /// Sets row.twinKey and row.flags from its context, addresses and integers (the end of pack).
    void setTwinKey(PackedRow& row) const;
    /// The part of the twin key a context decides (its attachments and direction), kept per context.
    struct CtxTwin {
        uint64_t head = 0;  ///< the key's hash after the (entry, exit) attachments
        uint32_t flags = 0; ///< PackedRow::kTwinCandidate | kIngress, 0: no twin
    };
    /// Computes context `ctx`'s CtxTwin from its values (its entry must be in m_ctxEntries).
    CtxTwin contextTwin(uint32_t ctx) const;

    // --- twins ---
    /// Twin id of record `id`, or RecordId(0) (none). Call under the connection mutex (e.g.
    /// inside sqlite3_step).
    RecordId twinOf(RecordId id) const
    {
        const int64_t i = id.get();
        if (i <= 0 || static_cast<size_t>(i) >= m_twins.size()) return RecordId(0);
        const int64_t t = m_twins[static_cast<size_t>(i)];
        return RecordId(t > 0 ? t : 0); // < 0: a queue link of a record still waiting for its twin
    }
    /// True for contexts whose flow-direction is egress. Any thread (published codes only).
    bool isEgressContext(ContextCode ctx) const { return m_ctxEgress[ctx.get()] != 0; }

    // --- extras ---
    /// Extra column index for a header token (parse thread).
    int extraColumn(std::string_view token);
    QStringList extraNames() const;
    int extraCount() const;

    // --- schema ---
    Status createSchema();
    Status rebuildViews();
    /// Column list of flows.
    QStringList columns() const;

    // --- loading (one load at a time; lock held by the loader) ---
    std::mutex& writeLock() { return m_writeLock; }
    /// Starts a load: remembers the rollback point, BEGIN.
    Status beginLoad();
    /// Inserts a batch (writer thread). Assigns ids.
    Status insertBatch(const RowBatch& batch);
    /// Records a file row; returns Ok.
    Status insertFile(qint64 id, const QString& path, const QString& format, qint64 records, qint64 rejected);
    qint64 nextFileId() const { return m_nextFileId; }
    qint64 allocateFileId() { return m_nextFileId++; }
    /// Commits and pairs twins of the rows added by this load.
    Status commitLoad();
    /// Undoes everything since beginLoad().
    Status rollbackLoad();
    qint64 nextId() const { return m_nextId; }
    /// True when the ids are exactly 1..nextId()-1, proved by the session open that restored
    /// this store (it counted them); loads keep it so (the writer numbers rows on from nextId).
    /// The record count is then nextId()-1 without a scan (load_order.cpp). False: count by SQL.
    /// Set before the store is shared.
    bool idsDense() const { return m_idsDense.load(); }
    void setIdsDense(bool dense) { m_idsDense = dense; }

    /// True while flow_data is the virtual table over the typed columns (a store loaded from
    /// files); false for a real table (a store opened from a session file, or created as one).
    /// Any thread.
    bool flowDataVirtual() const { return m_virtual.load(std::memory_order_acquire); }
    /// Turns the flow_data of an empty store into a real table (what Store::create() made before
    /// the virtual table): the oracle of the equivalence tests, the expected session schema.
    /// Error when the store holds records. Any thread; no load may run.
    Status useFlowDataTable();
    /// Writes flow_data as a real table (flowDataTableSql() plus its extras, every row) into the
    /// main database of `out`, replacing any flow_data there (the session writer's copy of a
    /// virtual one). Call with the write lock held (the columns cannot change); `out` is the
    /// caller's connection. Error "cancelled" when `cancel` was raised, else SQLite's error.
    Status writeFlowDataTable(sqlite3* out, const std::atomic<bool>* cancel) const;

    qint64 dictionaryBytes() const;
    /// The typed columns (columns.h); read under the connection mutex.
    const ColumnStore& typedColumns() const { return m_columns; }

    // --- session files (store_state.cpp) ---
    /// Copies the dictionaries, twins, waiting twins and extras. Call with the write lock held
    /// (no load running); takes the connection mutex.
    StoreState exportState() const;
    /// Installs `state` into a store that was just filled from a session file (flow_data and
    /// files already in place, no load ever run). Validates every code and id against the
    /// table sizes first; an inconsistent state is refused and nothing is installed.
    /// With `columns` (a session file of format 4: every value of every record, already checked
    /// by ColumnStore::restore) the store must be new with its virtual flow_data, which then
    /// serves them (re-declared with the state's extras): no table, no rebuild.
    Status importState(StoreState state, ColumnStore* columns = nullptr);

    // --- typed columns of a store filled without the writer (columns_rebuild.cpp) ---
    /// Refills the typed columns from flow_data (a store restored from a session file, whose
    /// rows never passed through insertBatch), in chunks of ids: between chunks readers run on
    /// SQL (columnsComplete() is false until the last chunk). Holds the write lock throughout
    /// (a load waits). Ok also when the rows cannot be held as columns (ids not 1..N, a value
    /// that is not an integer): the columns then stay incomplete and every view answers by SQL.
    /// Error "cancelled" when `cancel` was raised. Any thread but one holding the write lock.
    Status rebuildColumns(const std::atomic<bool>* cancel);
    /// Runs rebuildColumns on a thread this store owns (one at a time; a second call waits for
    /// the first). Any thread.
    void startColumnRebuild();
    /// Waits for the thread of startColumnRebuild (if any) and returns its status (Ok if none).
    Status waitColumnRebuild();
    /// Cancels and joins that thread: Store's destructor, before the connection closes.
    void stopColumnRebuild();
    /// Blocks while the thread of startColumnRebuild runs (at once when none does), looking at
    /// `cancel` every 20 ms: false when it was raised first. Any thread but the rebuild's and one
    /// holding the connection mutex or the write lock.
    bool awaitColumnRebuild(const std::atomic<bool>* cancel) const;

    sqlite3* m_db;
    sqlite3_stmt* m_insert = nullptr;
    int m_insertExtras = -1;

private:
    /// Re-reads from the schema whether flow_data is virtual (a session's pages may have replaced
    /// it). Under the connection mutex.
    void refreshFlowDataKind();
    /// Declares the virtual flow_data again with `extras` extra columns (DROP + CREATE VIRTUAL
    /// TABLE; the views are rebuilt by the caller). Under the connection mutex, held once.
    Status redeclareFlowData(int extras);
    std::atomic<bool> m_virtual{false};
    /// Pairs the twins of `batch` (ids from m_nextId on) within this load.
    void pairBatchTwins(const RowBatch& batch);
    ColumnStore m_columns;
    std::mutex m_rebuildLock; ///< guards the three below
    std::thread m_rebuild;
    std::atomic<bool> m_rebuildStop{false};
    Status m_rebuildStatus = Ok{};
    mutable std::mutex m_rebuildRunLock; ///< guards m_rebuildRunning
    mutable std::condition_variable m_rebuildEnded;
    bool m_rebuildRunning = false; ///< the rebuild thread has not finished yet
    std::mutex m_writeLock;
    StableVector<std::string> m_strings;
    std::unordered_map<std::string_view, uint32_t> m_stringIndex;
    size_t m_textSlots = 0;
    /// Per context: which text slots are present and where their codes start in m_ctxValues.
    struct CtxEntry {
        uint64_t mask = 0;
        uint64_t first = 0;
    };
    StableVector<CtxEntry> m_ctxEntries;
    StableVector<uint32_t> m_ctxValues; // present slots' string codes, context after context
    StableVector<CtxTwin> m_ctxTwin;    // per context, pushed before m_ctxEgress
    StableVector<uint8_t> m_ctxEgress;  // per context
    ContextIndex m_ctxIndex;            // text-field signature -> context (encoder only)
    std::string m_ctxScratch;           // signature of the record being packed (encoder only)
    /// stringCode(v) for a value of a new context, through m_ctxStringCache (writer).
    uint32_t contextStringCode(std::string_view v);
    static constexpr int kCtxStringCacheBits = 12;
    /// String codes of recent context values, by a mix of their bytes (0: none). 16 KiB.
    std::array<uint32_t, size_t{1} << kCtxStringCacheBits> m_ctxStringCache{};

    // twins: m_twins[id] > 0 is the twin's id; 0 = no twin; < 0 = the record is waiting for its
    // other side and the value is a queue link (see TwinTable). Written and read only under
    // the connection mutex; twinOf() reports links as 0.
    TwinLinks m_twins;
    /// Records still waiting for their other side, per twin key. Pairing rule (deterministic):
    /// records are offered in id order, and a record pairs with the **earliest** (lowest id)
    /// waiting record of the other direction with the same key; if there is none it waits.
    /// So among k identical ingress and m identical egress records, min(k, m) pairs form,
    /// the i-th ingress with the i-th egress, and a record is never in two pairs.
    ///
    /// Layout: open addressing (linear probing, backward-shift deletion, so no tombstones)
    /// from key to one FIFO queue. All records waiting under one key have the same direction
    /// (two opposite ones would have paired), so one slot per distinct key holds the queue's
    /// tail as tail*2+ingress. The queue is a circular singly linked list threaded through
    /// m_twins (link = -next id; the tail links to the head), so duplicates cost O(1) each
    /// and no memory beyond the slot. Keys are well-mixed hashes.
    class TwinTable {
    public:
        /// Offers record `id`: returns the id of the earliest waiting record of the other
        /// direction under `key` (dequeued; its link cleared to 0), or 0 after queueing `id`.
        uint64_t pairOrQueue(uint64_t key, uint64_t id, bool ingress, TwinLinks& links);
        /// Calls f(key, id, ingress) for every waiting record, each key's records in queue
        /// (id) order, clearing their links first; then empties the table.
        template <class F> void drain(TwinLinks& links, F&& f)
        {
            for (const Slot& s : m_slots) {
                if (s.tailDir == 0) continue;
                const uint64_t tail = s.tailDir >> 1;
                const bool ingress = (s.tailDir & 1) != 0;
                uint64_t id = static_cast<uint64_t>(-links[tail]);
                for (;;) {
                    const uint64_t next = static_cast<uint64_t>(-links[id]);
                    links[id] = 0;
                    f(s.key, id, ingress);
                    if (id == tail) break;
                    id = next;
                }
            }
            clear();
        }
        /// Calls f(key, id, ingress) for every waiting record like drain(), leaving the table as is.
        template <class F> void forEach(const TwinLinks& links, F&& f) const
        {
            for (const Slot& s : m_slots) {
                if (s.tailDir == 0) continue;
                const uint64_t tail = s.tailDir >> 1;
                const bool ingress = (s.tailDir & 1) != 0;
                uint64_t id = static_cast<uint64_t>(-links[tail]);
                for (;;) {
                    f(s.key, id, ingress);
                    if (id == tail) break;
                    id = static_cast<uint64_t>(-links[id]);
                }
            }
        }
        void clear() { *this = TwinTable(); }
        size_t bytes() const { return m_slots.capacity() * sizeof(Slot); }

    private:
        struct Slot {
            uint64_t key = 0;
            uint64_t tailDir = 0; ///< tail id * 2 + ingress; 0 = empty slot
        };
        void erase(size_t slot);
        void rehash(size_t capacity);
        std::vector<Slot> m_slots;
        size_t m_count = 0; // occupied slots (distinct keys)
    };
    /// Pairs record `id` with a waiting record of `table` (setting both twins), or queues it.
    void pairOrQueue(TwinTable& table, uint64_t key, uint64_t id, bool ingress);
    TwinTable m_unpaired;  // earlier loads, waiting for their other side
    TwinTable m_loadTwins; // this load (paired as batches arrive)

    // extras
    mutable std::mutex m_extraLock;
    std::vector<std::string> m_extraTokens;
    QStringList m_extraNames;
    int m_extraColumnsInTable = 0;

    std::atomic<bool> m_idsDense{false}; // idsDense()

    // load rollback point
    qint64 m_nextId = 1;
    qint64 m_nextFileId = 1;
    qint64 m_loadFirstId = 1;
    qint64 m_loadFirstFileId = 1;
    int m_loadFirstExtras = 0;
    size_t m_loadExtraNames = 0;
};

} // namespace core
