// Store internals for session files: the state kept outside SQLite (string pool, contexts,
// twins, waiting twins, extras) copied out as plain values and installed back, validated.
#include "core/store/store_impl.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>

namespace core {

namespace {

struct DbLock {
    explicit DbLock(sqlite3* db) : m(sqlite3_db_mutex(db)) { sqlite3_mutex_enter(m); }
    ~DbLock() { sqlite3_mutex_leave(m); }
    DbLock(const DbLock&) = delete;
    DbLock& operator=(const DbLock&) = delete;
    sqlite3_mutex* m;
};

Error stateError(const QString& what)
{
    return Error{{}, 0, 0, QStringLiteral("The session's store state is inconsistent (%1).").arg(what)};
}

} // namespace

StoreState Store::Impl::exportState() const
{
    DbLock lock(m_db);
    StoreState s;
    const size_t strings = m_strings.size();
    s.strings.reserve(strings);
    for (size_t i = 0; i < strings; ++i) s.strings.push_back(m_strings[i]);
    if (s.strings.empty()) s.strings.emplace_back();
    s.textSlots = m_textSlots;
    // The file keeps every context dense (textSlots codes each, 0 = NULL), whatever the store's
    // in-memory (sparse) layout is.
    const size_t contextCount = m_ctxEgress.size();
    s.contexts.reserve(contextCount * m_textSlots);
    for (size_t ctx = 0; ctx < contextCount; ++ctx)
        for (size_t slot = 0; slot < m_textSlots; ++slot)
            s.contexts.push_back(contextValue(ContextCode(static_cast<uint32_t>(ctx)), static_cast<int>(slot)).get());
    s.nextId = m_nextId;
    s.nextFileId = m_nextFileId;
    const auto n = static_cast<size_t>(m_nextId);
    s.twins.assign(n, 0);
    const size_t have = std::min(n, m_twins.size());
    for (size_t i = 0; i < have; ++i) s.twins[i] = std::max<int64_t>(m_twins[i], 0); // < 0: queue links
    m_unpaired.forEach(m_twins, [&](uint64_t key, uint64_t id, bool ingress) {
        s.waiting.push_back({key, static_cast<int64_t>(id), ingress});
    });
    std::lock_guard<std::mutex> elock(m_extraLock);
    s.extraTokens = m_extraTokens;
    s.extraNames = m_extraNames;
    s.extraColumnsInTable = m_extraColumnsInTable;
    return s;
}

Status Store::Impl::importState(StoreState s, ColumnStore* columns)
{
    const size_t slots = SchemaSlots::get().textFields.size();
    if (s.strings.empty() || !s.strings[0].empty()) return stateError(QStringLiteral("string 0 must be empty"));
    if (s.textSlots != slots)
        return stateError(QStringLiteral("%1 text fields per context, this version has %2").arg(s.textSlots).arg(slots));
    if (s.contexts.size() % slots != 0) return stateError(QStringLiteral("a context is cut short"));
    for (uint32_t code : s.contexts)
        if (code >= s.strings.size())
            return stateError(QStringLiteral("a context names string %1 of %2").arg(code).arg(s.strings.size()));
    if (s.nextId < 1 || s.twins.size() != static_cast<size_t>(s.nextId)) return stateError(QStringLiteral("twin table size"));
    if (s.nextFileId < 1) return stateError(QStringLiteral("next file id"));
    const auto n = static_cast<int64_t>(s.twins.size());
    for (int64_t id = 0; id < n; ++id) {
        const int64_t t = s.twins[static_cast<size_t>(id)];
        if (t == 0) continue;
        if (id == 0 || t < 1 || t >= n || t == id || s.twins[static_cast<size_t>(t)] != id)
            return stateError(QStringLiteral("record %1 has twin %2").arg(id).arg(t));
    }
    std::vector<bool> queued(s.twins.size(), false);
    for (const StoreState::Waiting& w : s.waiting) {
        if (w.id < 1 || w.id >= n || s.twins[static_cast<size_t>(w.id)] != 0 || queued[static_cast<size_t>(w.id)])
            return stateError(QStringLiteral("waiting record %1").arg(w.id));
        queued[static_cast<size_t>(w.id)] = true;
    }
    if (s.extraTokens.size() != static_cast<size_t>(s.extraNames.size()) || s.extraColumnsInTable < 0
        || s.extraColumnsInTable > s.extraNames.size() || s.extraColumnsInTable > kMaxExtras)
        return stateError(QStringLiteral("extra columns"));

    if (columns && (columns->rows() + 1 != static_cast<size_t>(s.nextId) || !columns->holdsEveryValue()))
        return stateError(QStringLiteral("%1 records in the columns, %2 ids").arg(columns->rows()).arg(s.nextId - 1));

    DbLock lock(m_db);
    if (m_nextId != 1 || m_ctxEgress.size() != 0 || m_columns.rows() != 0)
        return stateError(QStringLiteral("the store is not empty"));
    refreshFlowDataKind(); // the session's pages (format 3 and older) brought a real flow_data
    if (m_virtual.load() != (columns != nullptr))
        return stateError(columns ? QStringLiteral("flow_data is not the virtual table")
                                  : QStringLiteral("flow_data is not a table"));
    m_strings.truncate(0);
    m_stringIndex.clear();
    m_ctxStringCache.fill(0); // its codes were of the strings replaced here
    for (std::string& str : s.strings) {
        const size_t code = m_strings.push_back(std::move(str));
        if (code == SIZE_MAX) return stateError(QStringLiteral("too many strings"));
        if (code == 0) continue;
        const std::string& stored = m_strings[code];
        m_stringIndex.emplace(std::string_view(stored.data(), stored.size()), static_cast<uint32_t>(code));
    }
    m_textSlots = slots;
    const SchemaSlots& schema = SchemaSlots::get();
    const size_t contexts = s.contexts.size() / slots;
    for (size_t ctx = 0; ctx < contexts; ++ctx) {
        const uint32_t* codes = s.contexts.data() + ctx * slots;
        // Same layout and index key as contextCode(): the presence mask, then each present value
        // as (u32 length, bytes).
        std::string key(sizeof(uint64_t), '\0');
        uint64_t mask = 0;
        const size_t first = m_ctxValues.size();
        for (size_t slot = 0; slot < slots; ++slot) {
            if (codes[slot] == 0) continue;
            mask |= uint64_t{1} << slot;
            m_ctxValues.push_back(codes[slot]);
            const std::string& v = m_strings[codes[slot]];
            const auto len = static_cast<uint32_t>(v.size());
            key.append(reinterpret_cast<const char*>(&len), sizeof len);
            key.append(v);
        }
        std::memcpy(key.data(), &mask, sizeof mask);
        m_ctxEntries.push_back({mask, first});
        m_ctxTwin.push_back(contextTwin(static_cast<uint32_t>(ctx)));
        m_ctxIndex.insert(ContextIndex::hash(key), static_cast<uint32_t>(ctx));
        const uint32_t dir = codes[static_cast<size_t>(schema.directionSlot)];
        m_ctxEgress.push_back(dir != 0 && m_strings[dir] == "egress" ? 1 : 0);
    }
    for (int64_t t : s.twins) m_twins.push_back(t);
    for (const StoreState::Waiting& w : s.waiting) pairOrQueue(m_unpaired, w.key, static_cast<uint64_t>(w.id), w.ingress);
    {
        std::lock_guard<std::mutex> elock(m_extraLock);
        m_extraTokens = std::move(s.extraTokens);
        m_extraNames = std::move(s.extraNames);
        m_extraColumnsInTable = s.extraColumnsInTable;
    }
    m_nextId = s.nextId;
    m_nextFileId = s.nextFileId;
    m_loadFirstId = m_nextId;
    m_loadFirstFileId = m_nextFileId;
    if (columns) {
        m_columns = std::move(*columns);
        if (m_extraColumnsInTable > 0)
            if (Status st = redeclareFlowData(m_extraColumnsInTable); !st.ok()) return st;
    }
    return rebuildViews();
}

} // namespace core
