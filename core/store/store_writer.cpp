// Store internals: schema DDL, dictionary encoding of records, the batch insert path (an
// eponymous virtual table feeding INSERT ... SELECT, one statement step per batch), load
// commit/rollback and twin pairing.
#include "core/store/store_impl.h"

#include "core/query/filter_ip.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>

namespace core {

namespace {

constexpr int64_t kAddrBias = int64_t{1} << 31;

QString quoted(const char* name)
{
    return QLatin1Char('"') + QLatin1String(name) + QLatin1Char('"');
}

uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 29;
    return h;
}

Status execSql(sqlite3* db, const QString& sql)
{
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.toUtf8().constData(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        const QString m = err ? QString::fromUtf8(err) : QString::fromUtf8(sqlite3_errstr(rc));
        sqlite3_free(err);
        return Error{{}, 0, 0, QStringLiteral("SQL error: %1").arg(m)};
    }
    return Ok{};
}

struct DbLock {
    explicit DbLock(sqlite3* db) : m(sqlite3_db_mutex(db)) { sqlite3_mutex_enter(m); }
    ~DbLock() { sqlite3_mutex_leave(m); }
    DbLock(const DbLock&) = delete;
    DbLock& operator=(const DbLock&) = delete;
    sqlite3_mutex* m;
};

} // namespace

// ---------------------------------------------------------------------------------------

const SchemaSlots& SchemaSlots::get()
{
    static const SchemaSlots s = [] {
        SchemaSlots x;
        x.slotOf.fill(-1);
        // Physical order of integer columns: the ones every aggregation reads come first, so
        // SQLite decodes less of each record header.
        static constexpr FieldId kHot[] = {FieldId::Packets,
                                           FieldId::Bytes,
                                           FieldId::Start,
                                           FieldId::PacketsLostNoRoute,
                                           FieldId::PacketsLostBlackhole,
                                           FieldId::PacketsLostMtuExceeded,
                                           FieldId::PacketsLostTtlExpired,
                                           FieldId::End};
        for (FieldId f : kHot) {
            x.slotOf[static_cast<size_t>(f)] = static_cast<int>(x.intFields.size());
            x.intFields.push_back(f);
        }
        for (const FieldInfo& f : allFields()) {
            if (x.slotOf[static_cast<size_t>(f.id)] >= 0) continue;
            auto& list = f.type == FieldType::Text ? x.textFields : f.type == FieldType::Integer ? x.intFields : x.addrFields;
            x.slotOf[static_cast<size_t>(f.id)] = static_cast<int>(list.size());
            list.push_back(f.id);
        }
        x.directionSlot = x.slotOf[static_cast<size_t>(FieldId::FlowDirection)];
        x.attachmentSlot = x.slotOf[static_cast<size_t>(FieldId::TgwAttachmentId)];
        x.pairSlot = x.slotOf[static_cast<size_t>(FieldId::TgwPairAttachmentId)];
        x.actionSlot = x.slotOf[static_cast<size_t>(FieldId::Action)];
        Q_ASSERT(x.intFields.size() <= static_cast<size_t>(kMaxIntSlots));
        Q_ASSERT(x.textFields.size() <= 64); // presence masks are 64-bit
        Q_ASSERT(x.addrFields.size() <= static_cast<size_t>(kMaxAddrSlots));
        return x;
    }();
    return s;
}

StringCode Store::Impl::stringCode(std::string_view s)
{
    if (m_strings.size() == 0) m_strings.push_back(std::string()); // code 0 = NULL
    auto it = m_stringIndex.find(s);
    if (it != m_stringIndex.end()) return StringCode(it->second);
    const size_t code = m_strings.push_back(std::string(s));
    const std::string& stored = m_strings[code];
    m_stringIndex.emplace(std::string_view(stored.data(), stored.size()), static_cast<uint32_t>(code));
    return StringCode(static_cast<uint32_t>(code));
}

ContextCode Store::Impl::contextCode(const FlowRecord& r)
{
    uint64_t mask = 0;
    const uint64_t h = contextHash(r, mask);
    return contextCode(r, h, mask);
}

void PackedRow::setInts(const FlowRecord& r)
{
    const SchemaSlots& slots = SchemaSlots::get();
    intPresent = 0;
    for (size_t i = 0; i < slots.intFields.size(); ++i) {
        const FieldId f = slots.intFields[i];
        if (r.has(f)) {
            intPresent |= uint64_t{1} << i;
            ints[i] = r.integer(f);
        }
    }
}

uint64_t Store::Impl::contextHash(const FlowRecord& r, uint64_t& mask)
{
    return contextKey(r, m_ctxScratch, mask);
}

uint64_t Store::Impl::contextKey(const FlowRecord& r, std::string& key, uint64_t& mask, size_t at)
{
    const SchemaSlots& slots = SchemaSlots::get();
    const size_t n = std::min<size_t>(slots.textFields.size(), 64);
    // Hash of all the text bytes: the presence mask, then each present value as (u32 length,
    // bytes), serialised into a reused buffer (no allocation per record), sized once and filled
    // by memcpy (appending value by value was most of this function).
    const char* data[64]; // of the present slots only (no zeroing per record)
    uint32_t size[64];
    mask = 0;
    size_t total = sizeof(uint64_t);
    for (size_t s = 0; s < n; ++s) {
        const FieldId f = slots.textFields[s];
        if (!r.has(f)) continue;
        mask |= uint64_t{1} << s;
        const std::string_view v = r.text(f);
        data[s] = v.data();
        size[s] = static_cast<uint32_t>(v.size());
        total += sizeof(uint32_t) + v.size();
    }
    key.resize(at + total);
    char* p = key.data() + at;
    std::memcpy(p, &mask, sizeof mask);
    p += sizeof mask;
    for (size_t s = 0; s < n; ++s) {
        if (!((mask >> s) & 1)) continue;
        std::memcpy(p, &size[s], sizeof size[s]);
        p += sizeof size[s];
        if (size[s]) std::memcpy(p, data[s], size[s]);
        p += size[s];
    }
    return ContextIndex::hash(std::string_view(key).substr(at));
}

ContextCode Store::Impl::contextCode(const FlowRecord& /*r*/, uint64_t h, uint64_t /*mask*/)
{
    return contextCodeForKey(h, m_ctxScratch); // the key contextHash() just serialised
}

bool Store::Impl::contextEquals(uint32_t ctx, std::string_view key) const
{
    // Every slot holds the same value (same presence, same bytes): the context's string codes
    // are decoded through the string pool, which is small and hot.
    const CtxEntry& e = m_ctxEntries[ctx];
    uint64_t mask = 0;
    std::memcpy(&mask, key.data(), sizeof mask);
    if (e.mask != mask) return false;
    size_t pos = sizeof mask;
    size_t i = e.first;
    for (uint64_t m = mask; m; m &= m - 1) {
        uint32_t len = 0;
        std::memcpy(&len, key.data() + pos, sizeof len);
        pos += sizeof len;
        if (m_strings[m_ctxValues[i++]] != key.substr(pos, len)) return false;
        pos += len;
    }
    return true;
}

uint32_t Store::Impl::findContext(uint64_t h, std::string_view key) const
{
    return m_ctxIndex.find(h, [&](uint32_t ctx) { return contextEquals(ctx, key); });
}

void Store::Impl::prefetchContext(uint64_t h, int stage) const
{
    if (stage == 0) return m_ctxIndex.prefetch(h);
    const uint32_t ctx = m_ctxIndex.homeCandidate(h);
    if (ctx == ContextIndex::kNone) return;
    const CtxEntry& e = m_ctxEntries[ctx];
    if (stage == 1) {
        __builtin_prefetch(&m_ctxTwin[ctx]); // setTwinKey's, once the context is known
        return __builtin_prefetch(&e);
    }
    if (e.mask == 0) return;
    __builtin_prefetch(&m_ctxValues[e.first]);
    __builtin_prefetch(&m_ctxValues[e.first + static_cast<size_t>(std::popcount(e.mask)) - 1]); // may be the next line
}

ContextCode Store::Impl::contextCodeForKey(uint64_t h, std::string_view key)
{
    const SchemaSlots& slots = SchemaSlots::get();
    if (m_textSlots == 0) m_textSlots = slots.textFields.size();
    auto matches = [&](uint32_t ctx) { return contextEquals(ctx, key); };
    if (const uint32_t found = m_ctxIndex.find(h, matches); found != ContextIndex::kNone) return ContextCode(found);

    // A new context: the string codes of its present slots, then publish it (m_ctxEgress last).
    const auto ctx = static_cast<uint32_t>(m_ctxEgress.size());
    const size_t first = m_ctxValues.size();
    uint64_t mask = 0;
    std::memcpy(&mask, key.data(), sizeof mask);
    size_t pos = sizeof mask;
    uint32_t dir = 0;
    for (uint64_t m = mask; m; m &= m - 1) {
        const int s = std::countr_zero(m);
        uint32_t len = 0;
        std::memcpy(&len, key.data() + pos, sizeof len);
        pos += sizeof len;
        const uint32_t code = contextStringCode(key.substr(pos, len));
        pos += len;
        if (s == slots.directionSlot) dir = code;
        m_ctxValues.push_back(code);
    }
    m_ctxEntries.push_back({mask, first});
    m_ctxTwin.push_back(contextTwin(ctx)); // before the index makes ctx findable by the parse workers
    m_ctxIndex.insert(h, ctx);
    m_ctxEgress.push_back(dir != 0 && m_strings[dir] == "egress" ? 1 : 0); // publishes ctx
    return ContextCode(ctx);
}

uint32_t Store::Impl::contextStringCode(std::string_view v)
{
    // A large estate creates a context for every few records, each with ~20 values drawn from a
    // few thousand strings: a direct-mapped cache of codes, keyed by a cheap mix of the value's
    // first and last 8 bytes, answers most of them with one comparison instead of a hash of every
    // byte and a hash table probe. A cached code is stringCode's own, so an equal string has it.
    uint64_t head = 0, tail = 0;
    std::memcpy(&head, v.data(), std::min<size_t>(v.size(), 8));
    if (v.size() > 8) std::memcpy(&tail, v.data() + v.size() - 8, 8);
    const uint64_t h = (head * 0x9e3779b97f4a7c15ULL) ^ (tail * 0xc2b2ae3d27d4eb4fULL) ^ v.size();
    uint32_t& cached = m_ctxStringCache[(h * 0xff51afd7ed558ccdULL) >> (64 - kCtxStringCacheBits)];
    if (cached != 0 && cached < m_strings.size() && m_strings[cached] == v) return cached;
    cached = stringCode(v).get();
    return cached;
}

std::optional<uint32_t> Store::Impl::canonicalIpv4(const FlowRecord& r, FieldId f)
{
    if (r.ipv4.test(static_cast<size_t>(f))) return static_cast<uint32_t>(r.integer(f));
    bool canonical = false;
    const std::optional<uint32_t> v4 = parseIpv4(r.text(f), canonical);
    return canonical ? v4 : std::nullopt;
}

int64_t Store::Impl::encodeAddress(std::string_view s)
{
    bool canonical = false;
    if (const std::optional<uint32_t> v4 = parseIpv4(s, canonical); v4 && canonical)
        return static_cast<int64_t>(*v4) - kAddrBias; // other text ("010.0.0.1") is kept as written
    return kAddrBias + static_cast<int64_t>(stringCode(s).get());
}

int Store::Impl::decodeAddress(int64_t v, char* buf) const
{
    if (v < -kAddrBias) return -1; // not produced by encodeAddress (user-supplied value)
    if (v < kAddrBias) {
        const auto u = static_cast<uint32_t>(v + kAddrBias);
        char* p = buf;
        for (int i = 3; i >= 0; --i) {
            const unsigned part = (u >> (8 * i)) & 0xff;
            if (part >= 100) *p++ = static_cast<char>('0' + part / 100);
            if (part >= 10) *p++ = static_cast<char>('0' + (part / 10) % 10);
            *p++ = static_cast<char>('0' + part % 10);
            if (i) *p++ = '.';
        }
        return static_cast<int>(p - buf);
    }
    const int64_t code = v - kAddrBias;
    if (code <= 0 || static_cast<size_t>(code) >= m_strings.size()) return -1;
    const std::string& s = m_strings[static_cast<size_t>(code)];
    const size_t n = std::min<size_t>(s.size(), 63);
    std::memcpy(buf, s.data(), n);
    return static_cast<int>(n);
}

void Store::Impl::pack(const FlowRecord& r, PackedRow& row, RowBatch& batch)
{
    const SchemaSlots& slots = SchemaSlots::get();
    row.line = r.line;
    // The context's index slot is usually a cache miss in a large estate: its load is started
    // here and overlaps the integer and IPv4 work below.
    uint64_t ctxMask = 0;
    const uint64_t ctxHash = contextHash(r, ctxMask);
    m_ctxIndex.prefetch(ctxHash);
    row.setInts(r);
    // Canonical IPv4 addresses need no dictionary; other text gets its string code after the
    // context's (the codes are handed out in the same order as by encodeAddress after contextCode).
    row.addrPresent = 0;
    uint32_t addrText = 0;
    for (size_t i = 0; i < slots.addrFields.size(); ++i) {
        const FieldId f = slots.addrFields[i];
        if (r.has(f)) {
            row.addrPresent |= uint32_t{1} << i;
            if (const std::optional<uint32_t> v4 = canonicalIpv4(r, f)) row.addrs[i] = static_cast<int64_t>(*v4) - kAddrBias;
            else addrText |= uint32_t{1} << i;
        }
    }
    row.ctx = contextCode(r, ctxHash, ctxMask).get();
    for (size_t i = 0; addrText; ++i, addrText >>= 1)
        if (addrText & 1) row.addrs[i] = kAddrBias + static_cast<int64_t>(stringCode(r.text(slots.addrFields[i])).get());
    row.extraBegin = static_cast<uint32_t>(batch.extras.size());
    row.extraCount = 0;
    for (const auto& [idx, value] : r.extras) {
        if (idx < 0 || idx >= kMaxExtras) continue;
        batch.extras.emplace_back(idx, stringCode(value).get());
        ++row.extraCount;
    }
    setTwinKey(row);
}

Store::Impl::CtxTwin Store::Impl::contextTwin(uint32_t ctx) const
{
    // Twin key: the flow's identity plus its (entry, exit) attachments.
    const SchemaSlots& slots = SchemaSlots::get();
    const uint32_t attach = contextValue(ContextCode(ctx), slots.attachmentSlot).get();
    const uint32_t pair = contextValue(ContextCode(ctx), slots.pairSlot).get();
    const uint32_t dir = contextValue(ContextCode(ctx), slots.directionSlot).get();
    if (!attach || !pair || !dir) return {};
    const std::string& d = m_strings[dir];
    const bool ingress = d == "ingress";
    if (!ingress && d != "egress") return {};
    const uint64_t head = mix(mix(0x7777, ingress ? attach : pair), ingress ? pair : attach);
    return {head, PackedRow::kTwinCandidate | (ingress ? PackedRow::kIngress : 0)};
}

void Store::Impl::setTwinKey(PackedRow& row) const
{
    // The context's part comes from m_ctxTwin (computed once per context), then the flow's identity.
    const SchemaSlots& slots = SchemaSlots::get();
    const CtxTwin& t = m_ctxTwin[row.ctx];
    row.flags = t.flags;
    row.twinKey = 0;
    if (!t.flags) return;
    uint64_t h = t.head;
    for (size_t i = 0; i < slots.addrFields.size(); ++i)
        h = mix(h, (row.addrPresent >> i) & 1 ? static_cast<uint64_t>(row.addrs[i]) : 0x5a5a5a5aULL);
    static constexpr FieldId kKeyInts[] = {FieldId::SrcPort, FieldId::DstPort, FieldId::Protocol, FieldId::Packets,
                                           FieldId::Bytes,   FieldId::Start,   FieldId::End};
    for (FieldId f : kKeyInts) {
        const auto slot = static_cast<size_t>(slots.slotOf[static_cast<size_t>(f)]);
        h = mix(h, (row.intPresent >> slot) & 1 ? static_cast<uint64_t>(row.ints[slot]) : 0xa5a5a5a5ULL);
    }
    row.twinKey = h;
}

int Store::Impl::extraColumn(std::string_view token)
{
    std::lock_guard<std::mutex> lock(m_extraLock);
    for (size_t i = 0; i < m_extraTokens.size(); ++i)
        if (m_extraTokens[i] == token) return static_cast<int>(i);
    QString name = extraColumnName(token);
    const QString base = name;
    for (int n = 2; m_extraNames.contains(name) || name.startsWith(QLatin1Char('_')); ++n)
        name = base + QLatin1Char('_') + QString::number(n);
    m_extraTokens.emplace_back(token);
    m_extraNames << name;
    return static_cast<int>(m_extraTokens.size() - 1);
}

QStringList Store::Impl::extraNames() const
{
    std::lock_guard<std::mutex> lock(m_extraLock);
    return m_extraNames.mid(0, std::min<qsizetype>(m_extraNames.size(), m_extraColumnsInTable));
}

int Store::Impl::extraCount() const
{
    std::lock_guard<std::mutex> lock(m_extraLock);
    return static_cast<int>(m_extraNames.size());
}

QStringList Store::Impl::columns() const
{
    QStringList out{QStringLiteral("id"), QStringLiteral("file_id"), QStringLiteral("line")};
    for (const FieldInfo& f : allFields()) out << QLatin1String(f.column);
    out << QStringLiteral("twin_id");
    out << extraNames();
    return out;
}

Status Store::Impl::createSchema()
{
    if (m_strings.size() == 0) m_strings.push_back(std::string());
    m_textSlots = SchemaSlots::get().textFields.size();
    int rc = sqlite3_create_module_v2(m_db, "fl_batch", batchModule(), nullptr, nullptr);
    if (rc != SQLITE_OK) return Error{{}, 0, 0, QStringLiteral("Cannot register the batch module.")};
    rc = sqlite3_create_module_v2(m_db, "fl_columns", flowDataModule(), this, nullptr);
    if (rc != SQLITE_OK) return Error{{}, 0, 0, QStringLiteral("Cannot register the flow_data module.")};
    const bool isVirtual = defaultFlowDataKind() == FlowDataKind::Virtual;
    const QString ddl = QStringLiteral("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-4000000;"
                                       "PRAGMA temp_store=MEMORY;")
                        + (isVirtual ? QStringLiteral("CREATE VIRTUAL TABLE flow_data USING fl_columns(0)") : flowDataTableSql())
                        + QStringLiteral(";CREATE TABLE files(id INTEGER PRIMARY KEY, path TEXT NOT NULL, format TEXT,"
                                         " records INTEGER NOT NULL DEFAULT 0, rejected INTEGER NOT NULL DEFAULT 0);");
    Status st = execSql(m_db, ddl);
    if (!st.ok()) return st;
    m_virtual.store(isVirtual);
    return rebuildViews();
}

Status Store::Impl::rebuildViews()
{
    const SchemaSlots& slots = SchemaSlots::get();
    QString cols = QStringLiteral("d.id AS id, d.file_id AS file_id, d.line AS line");
    for (const FieldInfo& f : allFields()) {
        const int slot = slots.slotOf[static_cast<size_t>(f.id)];
        switch (f.type) {
        case FieldType::Integer:
            cols += QStringLiteral(", d.%1 AS %1").arg(quoted(f.column));
            break;
        case FieldType::Text:
            cols += QStringLiteral(", fl_text(d.ctx, %1) AS %2").arg(slot).arg(quoted(f.column));
            break;
        case FieldType::Address:
            cols += QStringLiteral(", fl_addr(d.\"a_%1\") AS %2").arg(QLatin1String(f.column), quoted(f.column));
            break;
        }
    }
    cols += QStringLiteral(", fl_twin(d.id) AS twin_id");
    QStringList names;
    {
        std::lock_guard<std::mutex> lock(m_extraLock);
        names = m_extraNames.mid(0, m_extraColumnsInTable);
    }
    for (int i = 0; i < names.size(); ++i) cols += QStringLiteral(", fl_str(d.e_%1) AS \"%2\"").arg(i).arg(names[i]);
    const QString sql = QStringLiteral("DROP VIEW IF EXISTS flows; DROP VIEW IF EXISTS flows_x;"
                                       "CREATE VIEW flows AS SELECT %1 FROM flow_data AS d;"
                                       "CREATE VIEW flows_x AS SELECT %1, d.ctx AS _ctx, d.a_srcaddr AS _src,"
                                       " d.a_dstaddr AS _dst FROM flow_data AS d;")
                            .arg(cols);
    return execSql(m_db, sql);
}

Status Store::Impl::beginLoad()
{
    m_loadFirstId = m_nextId;
    m_loadFirstFileId = m_nextFileId;
    m_loadFirstExtras = m_extraColumnsInTable;
    {
        std::lock_guard<std::mutex> lock(m_extraLock);
        m_loadExtraNames = static_cast<size_t>(m_extraNames.size());
    }
    m_loadTwins.clear();
    {
        DbLock lock(m_db);
        refreshFlowDataKind(); // a session's pages may have replaced the store's flow_data
    }
    return execSql(m_db, QStringLiteral("BEGIN"));
}

Status Store::Impl::insertBatch(const RowBatch& batch)
{
    if (batch.rows.empty()) return Ok{};
    DbLock lock(m_db);
    const int wantExtras = std::min(batch.extraColumns, kMaxExtras);
    const bool isVirtual = m_virtual.load();
    if (wantExtras > m_extraColumnsInTable) {
        if (isVirtual) {
            Status st = redeclareFlowData(wantExtras);
            if (!st.ok()) return st;
        }
        for (int i = m_extraColumnsInTable; i < wantExtras && !isVirtual; ++i) {
            Status st = execSql(m_db, QStringLiteral("ALTER TABLE flow_data ADD COLUMN e_%1 INTEGER").arg(i));
            if (!st.ok()) return st;
        }
        m_extraColumnsInTable = wantExtras;
        Status st = rebuildViews();
        if (!st.ok()) return st;
    }
    if (isVirtual) { // the rows live in the columns only
        pairBatchTwins(batch);
        m_columns.append(batch, m_nextId);
        m_nextId += static_cast<int64_t>(batch.rows.size());
        return Ok{};
    }
    if (m_insert && m_insertExtras != m_extraColumnsInTable) {
        sqlite3_finalize(m_insert);
        m_insert = nullptr;
    }
    if (!m_insert) {
        const SchemaSlots& slots = SchemaSlots::get();
        QString cols = QStringLiteral("id,file_id,line,ctx");
        QString src = QStringLiteral("id,file_id,line,ctx");
        for (size_t i = 0; i < slots.intFields.size(); ++i) {
            cols += QLatin1Char(',') + quoted(fieldInfo(slots.intFields[i]).column);
            src += QStringLiteral(",i%1").arg(i);
        }
        for (size_t i = 0; i < slots.addrFields.size(); ++i) {
            cols += QStringLiteral(",\"a_%1\"").arg(QLatin1String(fieldInfo(slots.addrFields[i]).column));
            src += QStringLiteral(",a%1").arg(i);
        }
        for (int i = 0; i < m_extraColumnsInTable; ++i) {
            cols += QStringLiteral(",e_%1").arg(i);
            src += QStringLiteral(",e%1").arg(i);
        }
        const QByteArray sql = QStringLiteral("INSERT INTO flow_data(%1) SELECT %2 FROM fl_batch(?1)").arg(cols, src).toUtf8();
        if (sqlite3_prepare_v3(m_db, sql.constData(), -1, SQLITE_PREPARE_PERSISTENT, &m_insert, nullptr) != SQLITE_OK)
            return Error{{}, 0, 0, QStringLiteral("SQL error: %1").arg(QString::fromUtf8(sqlite3_errmsg(m_db)))};
        m_insertExtras = m_extraColumnsInTable;
    }
    BatchArg arg{&batch, m_nextId};
    sqlite3_bind_pointer(m_insert, 1, &arg, kBatchType, nullptr);
    const int rc = sqlite3_step(m_insert);
    sqlite3_reset(m_insert);
    sqlite3_bind_null(m_insert, 1);
    if (rc != SQLITE_DONE)
        return Error{{},
                     0,
                     0,
                     rc == SQLITE_INTERRUPT ? QStringLiteral("interrupted")
                                            : QStringLiteral("SQL error: %1").arg(QString::fromUtf8(sqlite3_errmsg(m_db)))};
    pairBatchTwins(batch);
    m_columns.append(batch, m_nextId, false); // the table holds every value; the columns the hot ones
    m_nextId += static_cast<int64_t>(batch.rows.size());
    return Ok{};
}

void Store::Impl::pairBatchTwins(const RowBatch& batch)
{
    // Pair twins within this load as batches arrive (the writer waits for the parser anyway);
    // pairs with earlier loads are made at commit so a cancel only has to forget new ids.
    const auto idEnd = static_cast<size_t>(m_nextId) + batch.rows.size(); // m_twins is indexed by id
    while (m_twins.size() < idEnd) m_twins.push_back(0);
    for (size_t i = 0; i < batch.rows.size(); ++i) {
        const PackedRow& r = batch.rows[i];
        const auto id = static_cast<uint64_t>(m_nextId + static_cast<int64_t>(i));
        if (r.flags & PackedRow::kTwinCandidate) pairOrQueue(m_loadTwins, r.twinKey, id, (r.flags & PackedRow::kIngress) != 0);
    }
}

Status Store::Impl::insertFile(qint64 id, const QString& path, const QString& format, qint64 records, qint64 rejected)
{
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(m_db, "INSERT INTO files(id, path, format, records, rejected) VALUES(?1,?2,?3,?4,?5)", -1, &st,
                           nullptr)
        != SQLITE_OK)
        return Error{{}, 0, 0, QStringLiteral("SQL error: %1").arg(QString::fromUtf8(sqlite3_errmsg(m_db)))};
    const QByteArray p = path.toUtf8();
    const QByteArray f = format.toUtf8();
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, p.constData(), static_cast<int>(p.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, f.constData(), static_cast<int>(f.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, records);
    sqlite3_bind_int64(st, 5, rejected);
    const int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return Error{{}, 0, 0, QStringLiteral("SQL error: %1").arg(QString::fromUtf8(sqlite3_errmsg(m_db)))};
    return Ok{};
}

Status Store::Impl::commitLoad()
{
    m_ctxIndex.releaseOld(); // the load's parse workers, its only other readers, have ended
    Status st = execSql(m_db, QStringLiteral("COMMIT"));
    if (!st.ok()) return st;
    DbLock lock(m_db);
    while (m_twins.size() < static_cast<size_t>(m_nextId)) m_twins.push_back(0);
    // What this load could not pair may pair with records of earlier loads.
    // Each key's leftovers come in id order, so the pairing rule holds across loads too.
    m_loadTwins.drain(m_twins, [this](uint64_t key, uint64_t id, bool ingress) { pairOrQueue(m_unpaired, key, id, ingress); });
    return Ok{};
}

Status Store::Impl::rollbackLoad()
{
    m_ctxIndex.releaseOld();
    // journal_mode=OFF makes ROLLBACK unusable: end the transaction and delete what it added.
    execSql(m_db, QStringLiteral("COMMIT"));
    DbLock lock(m_db);
    const bool isVirtual = m_virtual.load();
    Status st =
        execSql(m_db, isVirtual ? QStringLiteral("DELETE FROM files WHERE id >= %2;").arg(m_loadFirstFileId)
                                : QStringLiteral("DELETE FROM flow_data WHERE id >= %1; DELETE FROM files WHERE id >= %2;")
                                      .arg(m_loadFirstId)
                                      .arg(m_loadFirstFileId));
    m_columns.truncate(static_cast<size_t>(m_loadFirstId - 1));
    if (m_extraColumnsInTable > m_loadFirstExtras) {
        if (m_insert) {
            sqlite3_finalize(m_insert);
            m_insert = nullptr;
        }
        execSql(m_db, QStringLiteral("DROP VIEW IF EXISTS flows; DROP VIEW IF EXISTS flows_x;"));
        if (isVirtual) {
            if (Status redeclared = redeclareFlowData(m_loadFirstExtras); st.ok() && !redeclared.ok()) st = redeclared;
        } else {
            for (int i = m_extraColumnsInTable - 1; i >= m_loadFirstExtras; --i)
                execSql(m_db, QStringLiteral("ALTER TABLE flow_data DROP COLUMN e_%1").arg(i));
        }
        m_extraColumnsInTable = m_loadFirstExtras;
    }
    {
        std::lock_guard<std::mutex> elock(m_extraLock);
        while (static_cast<size_t>(m_extraNames.size()) > m_loadExtraNames) m_extraNames.removeLast();
        m_extraTokens.resize(m_loadExtraNames);
    }
    Status views = rebuildViews();
    m_loadTwins.clear();
    m_nextId = m_loadFirstId;
    m_nextFileId = m_loadFirstFileId;
    m_twins.truncate(std::min(m_twins.size(), static_cast<size_t>(m_loadFirstId)));
    if (!st.ok()) return st;
    return views;
}

qint64 Store::Impl::dictionaryBytes() const
{
    qint64 bytes = 0;
    const size_t n = m_strings.size();
    for (size_t i = 0; i < n; ++i) bytes += static_cast<qint64>(sizeof(std::string) + m_strings[i].capacity() + 32);
    bytes += static_cast<qint64>(m_ctxValues.chunksAllocated() * StableVector<uint32_t>::kChunk * sizeof(uint32_t));
    bytes += static_cast<qint64>(m_ctxEntries.chunksAllocated() * StableVector<CtxEntry>::kChunk * sizeof(CtxEntry));
    bytes += static_cast<qint64>(m_ctxTwin.chunksAllocated() * StableVector<CtxTwin>::kChunk * sizeof(CtxTwin));
    bytes += static_cast<qint64>(m_twins.chunksAllocated() * TwinLinks::kChunk * sizeof(int64_t));
    bytes += static_cast<qint64>(m_unpaired.bytes());
    bytes += static_cast<qint64>(m_ctxIndex.bytes());
    bytes += static_cast<qint64>(m_columns.bytes());
    return bytes;
}

} // namespace core
