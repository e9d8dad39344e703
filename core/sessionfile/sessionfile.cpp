// Opening session files (saving: sessionfile_save.cpp). The file is read into memory once;
// header, page count, version, exact schema and value ranges are checked on a read-only
// hardened connection over those bytes while PRAGMA quick_check runs on a second one; the store
// then takes a private copy of the bytes (sqlite3_deserialize) and the state outside SQLite is
// installed.
#include "core/sessionfile/sessionfile.h"

#include "core/sessionfile/sessionfile_sql.h"
#include "core/sessionfile/sessionschema.h"
#include "core/store/columns_rebuild.h"
#include "core/store/hugepages.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>

#include <bit>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <thread>
#include <utility>

namespace core {

using namespace sessionfile_detail;

namespace {

NameDirectory namesFromJson(const QByteArray& json)
{
    NameDirectory dir;
    const QJsonArray entries = QJsonDocument::fromJson(json).array();
    for (const auto& v : entries) {
        const QJsonObject o = v.toObject();
        NameEntry e;
        e.id = o.value(QLatin1String("id")).toString();
        if (e.id.isEmpty()) continue;
        e.name = o.value(QLatin1String("name")).toString();
        e.kind = o.value(QLatin1String("kind")).toString();
        e.resourceId = o.value(QLatin1String("resource_id")).toString();
        e.ownerId = o.value(QLatin1String("owner_id")).toString();
        e.routeTableId = o.value(QLatin1String("route_table_id")).toString();
        e.cidr = o.value(QLatin1String("cidr")).toString();
        e.az = o.value(QLatin1String("az")).toString();
        e.vpcId = o.value(QLatin1String("vpc_id")).toString();
        e.subnetId = o.value(QLatin1String("subnet_id")).toString();
        e.instanceId = o.value(QLatin1String("instance_id")).toString();
        e.description = o.value(QLatin1String("description")).toString();
        e.logFormat = o.value(QLatin1String("log_format")).toString();
        for (const auto& ip : o.value(QLatin1String("private_ips")).toArray()) e.privateIps << ip.toString();
        dir.add(e);
    }
    return dir;
}

} // namespace

namespace {

/// Checks the 100-byte header; returns the format version or an error sentence.
Result<int> checkHeader(const QByteArray& header, const QString& shown)
{
    if (header.size() < kHeaderBytes || !header.startsWith(QByteArrayLiteral("SQLite format 3\0")))
        return Error{{}, 0, 0, QStringLiteral("%1 is not a Flowlog session file (it is not an SQLite database).").arg(shown)};
    const auto* p = reinterpret_cast<const uchar*>(header.constData());
    const quint32 app = qFromBigEndian<quint32>(p + 68);
    if (app != kSessionApplicationId)
        return Error{{}, 0, 0, QStringLiteral("%1 is an SQLite database but not a Flowlog session file.").arg(shown)};
    const auto version = static_cast<qint32>(qFromBigEndian<quint32>(p + 60));
    if (version > kSessionFormatVersion)
        return Error{{},
                     0,
                     0,
                     QStringLiteral("%1 was saved in session format version %2, newer than this Flowlog Explorer reads "
                                    "(version %3); open it with a newer version.")
                         .arg(shown)
                         .arg(version)
                         .arg(kSessionFormatVersion)};
    if (version < kSessionOldestVersion)
        return Error{{},
                     0,
                     0,
                     QStringLiteral("%1 has session format version %2, which this Flowlog Explorer does not know (it "
                                    "reads versions %3 to %4).")
                         .arg(shown)
                         .arg(version)
                         .arg(kSessionOldestVersion)
                         .arg(kSessionFormatVersion)};
    return version;
}

Status damaged(const QString& shown, const QString& why)
{
    return Error{{}, 0, 0, QStringLiteral("%1 is damaged or not a valid session file: %2.").arg(shown, why)};
}

/// The file's bytes, read once (the file is never mapped or read again, so what is checked is
/// what is restored). Read in place by the checking connections, then handed to the store.
struct Image {
    unsigned char* data = nullptr;
    sqlite3_int64 size = 0;
    Image() = default;
    Image(const Image&) = delete;
    Image& operator=(const Image&) = delete;
    ~Image() { sqlite3_free(data); }
};

/// The header's page size and page count against the file's size: a file cut short (or with
/// bytes appended) is refused before SQLite reads it. Session files are written by the backup
/// API in rollback-journal mode, so the header's page count is always valid and no WAL is used.
std::optional<QString> checkPages(const QByteArray& header, qint64 fileSize)
{
    const auto* p = reinterpret_cast<const uchar*>(header.constData());
    const quint32 raw = qFromBigEndian<quint16>(p + 16);
    const qint64 pageSize = raw == 1 ? 65536 : raw;
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) != 0)
        return QStringLiteral("its page size (%1) is not one SQLite writes").arg(raw);
    if (p[18] != 1 || p[19] != 1) return QStringLiteral("it is in WAL mode, which session files never are");
    const qint64 pages = qFromBigEndian<quint32>(p + 28);
    if (qFromBigEndian<quint32>(p + 24) != qFromBigEndian<quint32>(p + 92))
        return QStringLiteral("its header's page count is stale");
    if (fileSize % pageSize != 0 || fileSize / pageSize != pages)
        return QStringLiteral("its header says %1 pages of %2 bytes (%3 bytes) but the file has %4 bytes, so it was cut "
                              "short or extended")
            .arg(pages)
            .arg(pageSize)
            .arg(pages * pageSize)
            .arg(fileSize);
    return std::nullopt;
}

/// A hardened read-only connection over `image` (no copy: SQLite reads the bytes in place).
Result<std::unique_ptr<Db>> readConnection(const Image& image)
{
    auto db = std::make_unique<Db>();
    if (sqlite3_open_v2(":memory:", &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY | SQLITE_OPEN_NOMUTEX, nullptr)
        != SQLITE_OK)
        return Error{{}, 0, 0, db->error()};
    if (sqlite3_deserialize(db->db, "main", image.data, image.size, image.size, SQLITE_DESERIALIZE_READONLY) != SQLITE_OK)
        return Error{{}, 0, 0, db->error()};
    // Pages are read in place rather than copied into the page cache. SQLite advises against
    // memory-mapped I/O for untrusted files because a mapped file can change while it is read;
    // these bytes are our private copy and nothing writes them while any connection reads them.
    sqlite3_exec(db->db, "PRAGMA mmap_size=1099511627776", nullptr, nullptr, nullptr);
    hardenReadConnection(db->db);
    return db;
}

/// PRAGMA quick_check on its own connection and thread. Stops early (interrupted) when
/// stop() is called or `cancel` is raised; the thread joins on destruction.
class ParallelCheck {
public:
    ParallelCheck(std::unique_ptr<Db> db, const std::atomic<bool>* cancel) : m_db(std::move(db)), m_cancel(cancel)
    {
        sqlite3_progress_handler(m_db->db, 10000, &ParallelCheck::poll, this);
        m_thread = std::thread([this] { run(); });
    }
    ParallelCheck(const ParallelCheck&) = delete;
    ParallelCheck& operator=(const ParallelCheck&) = delete;
    ~ParallelCheck()
    {
        stop();
        wait();
    }
    void stop() { m_stop = true; }
    /// Joins; the problem found ("" = the file is sound).
    QString wait()
    {
        if (m_thread.joinable()) m_thread.join();
        return m_problem;
    }

private:
    static int poll(void* self)
    {
        auto* c = static_cast<ParallelCheck*>(self);
        return c->m_stop.load(std::memory_order_relaxed) || (c->m_cancel && c->m_cancel->load(std::memory_order_relaxed)) ? 1 : 0;
    }
    void run()
    {
        {
            Stmt check(m_db->db, "PRAGMA quick_check(1)");
            if (!check.ok() || sqlite3_step(check.st) != SQLITE_ROW) m_problem = m_db->error();
            else if (check.text(0) != QLatin1String("ok"))
                m_problem = check.text(0).remove(QStringLiteral("*** in database main ***")).simplified().left(200);
        }
        m_db.reset(); // closed before the image it reads is handed to the store
        if (m_problem.isEmpty() && m_stop) m_problem = QStringLiteral("interrupted");
    }
    std::unique_ptr<Db> m_db;
    const std::atomic<bool>* m_cancel;
    std::atomic<bool> m_stop{false};
    QString m_problem;
    std::thread m_thread;
};

Status cancelled()
{
    return Error{{}, 0, 0, QStringLiteral("cancelled")};
}

/// Waits for quick_check (SQLite's advice for untrusted files: https://www.sqlite.org/security.html,
/// "Untrusted SQLite Database Files") and ends it: ok, cancelled, or the file is damaged.
Status awaitCheck(std::unique_ptr<ParallelCheck> check, const QString& shown, const std::atomic<bool>* cancel)
{
    const QString problem = check->wait();
    check.reset();
    if (cancel && cancel->load(std::memory_order_relaxed)) return cancelled();
    if (!problem.isEmpty()) return damaged(shown, problem);
    return Ok{};
}

/// The column parts of a format-4 file (table fl_blobs): the directory of every part's chunks,
/// checked, then each part read straight into its column (incremental blob I/O, one copy).
class BlobSource : public ColumnSource {
public:
    explicit BlobSource(sqlite3* db) : m_db(db) {}
    /// Reads the directory; a sentence on the first problem.
    std::optional<QString> load()
    {
        Stmt st(m_db, "SELECT seq, name, chunk, length(data), typeof(data), typeof(name) FROM fl_blobs ORDER BY seq");
        if (!st.ok()) return QString::fromUtf8(sqlite3_errmsg(m_db));
        std::string last;
        int rc = SQLITE_ROW;
        while ((rc = sqlite3_step(st.st)) == SQLITE_ROW) {
            const QString name = st.text(1);
            const qint64 chunk = st.int64(2);
            if (st.text(5) != QLatin1String("text") || name.isEmpty() || name.size() > 64 || m_parts.size() > 10000)
                return QStringLiteral("in the table 'fl_blobs', row %1 has no valid part name").arg(st.int64(0));
            const std::string key = name.toStdString();
            Part& part = m_parts[key];
            if (key != last && !part.chunks.empty())
                return QStringLiteral("in the table 'fl_blobs', the chunks of part '%1' are not together").arg(name);
            last = key;
            if (chunk != static_cast<qint64>(part.chunks.size()))
                return QStringLiteral("in the table 'fl_blobs', part '%1' has chunk %2 where chunk %3 belongs")
                    .arg(name)
                    .arg(chunk)
                    .arg(part.chunks.size());
            if (st.text(4) != QLatin1String("blob"))
                return QStringLiteral("in the table 'fl_blobs', part '%1' chunk %2 is not a blob").arg(name).arg(chunk);
            const auto bytes = static_cast<size_t>(st.int64(3));
            part.chunks.push_back({st.int64(0), bytes});
            part.bytes += bytes;
        }
        if (rc != SQLITE_DONE) return QString::fromUtf8(sqlite3_errmsg(m_db));
        return std::nullopt;
    }
    std::optional<size_t> partSize(const std::string& name) override
    {
        const auto it = m_parts.find(name);
        if (it == m_parts.end()) return std::nullopt;
        return it->second.bytes;
    }
    bool readPart(const std::string& name, void* out) override
    {
        const auto it = m_parts.find(name);
        if (it == m_parts.end()) return false;
        it->second.read = true;
        auto* dst = static_cast<unsigned char*>(out);
        for (const Chunk& c : it->second.chunks) {
            sqlite3_blob* blob = nullptr;
            if (sqlite3_blob_open(m_db, "main", "fl_blobs", "data", c.seq, 0, &blob) != SQLITE_OK) {
                sqlite3_blob_close(blob);
                return false;
            }
            const bool ok = static_cast<size_t>(sqlite3_blob_bytes(blob)) == c.bytes
                            && (c.bytes == 0 || sqlite3_blob_read(blob, dst, static_cast<int>(c.bytes), 0) == SQLITE_OK);
            sqlite3_blob_close(blob);
            if (!ok) return false;
            dst += c.bytes;
        }
        return true;
    }
    /// The chunk of part `name` holding byte `offset`.
    qint64 chunkAt(const std::string& name, size_t offset) const
    {
        const auto it = m_parts.find(name);
        if (it == m_parts.end()) return 0;
        qint64 chunk = 0;
        for (const Chunk& c : it->second.chunks) {
            if (offset < c.bytes) return chunk;
            offset -= c.bytes;
            ++chunk;
        }
        return chunk;
    }
    /// A part no column read (the file has more than this version writes), if any.
    std::optional<std::string> unread() const
    {
        for (const auto& [name, part] : m_parts)
            if (!part.read) return name;
        return std::nullopt;
    }

private:
    struct Chunk {
        qint64 seq = 0;
        size_t bytes = 0;
    };
    struct Part {
        std::vector<Chunk> chunks;
        size_t bytes = 0;
        bool read = false;
    };
    sqlite3* m_db;
    std::map<std::string, Part> m_parts;
};

/// The rest of a format-4 open: the typed columns read and checked from fl_blobs, then (once
/// quick_check said "ok") a new store with its virtual flow_data serving them, its small tables
/// copied, and the state installed. No rebuild: the columns are complete.
Result<OpenedSession> restoreColumns(OpenedSession opened, StoreState state, Db& source, std::unique_ptr<ParallelCheck> check,
                                     const QString& shown, const std::atomic<bool>* cancel)
{
    auto isCancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
    BlobSource blobs(source.db);
    if (auto problem = blobs.load()) return damaged(shown, *problem).error();
    ColumnLimits limits;
    limits.rows = static_cast<size_t>(state.nextId - 1);
    limits.contexts = state.textSlots ? state.contexts.size() / state.textSlots : 0;
    limits.strings = state.strings.size();
    limits.nextFileId = state.nextFileId;
    limits.extras = state.extraColumnsInTable;
    ColumnStore columns;
    if (auto problem = ColumnStore::restore(columns, limits, blobs)) {
        if (isCancelled()) return cancelled().error();
        QString where = QStringLiteral("in the table 'fl_blobs', part '%1'").arg(QString::fromStdString(problem->part));
        if (problem->offset != SIZE_MAX) where += QStringLiteral(" chunk %1").arg(blobs.chunkAt(problem->part, problem->offset));
        return damaged(shown, where + QStringLiteral(": ") + problem->what).error();
    }
    if (auto extra = blobs.unread())
        return damaged(shown, QStringLiteral("the table 'fl_blobs' holds part '%1', which this version does not write")
                                  .arg(QString::fromStdString(*extra)))
            .error();
    if (isCancelled()) return cancelled().error();

    // Nothing is installed unless quick_check said "ok" (see awaitCheck()).
    if (Status st = awaitCheck(std::move(check), shown, cancel); !st.ok()) return st.error();

    auto created = Store::create();
    if (!created) return created.error();
    opened.store = std::move(created.value());
    for (const char* table : {"files", "names", "name_addresses"})
        if (Status st = copyRows(source.db, opened.store->handle(), table); !st.ok())
            return damaged(shown, st.error().message).error();
    if (auto st = opened.store->impl().importState(std::move(state), &columns); !st.ok())
        return damaged(shown, st.error().message.chopped(1)).error();
    opened.store->impl().setIdsDense(true); // the ids are the columns' rows: 1..N
    return opened;
}

/// Checks and restores a session from its bytes. The schema and every value are checked on a
/// hardened read-only connection over the bytes; PRAGMA quick_check runs meanwhile on a second
/// one (the second core); the store gets a private copy of the bytes (sqlite3_deserialize: no
/// page-by-page copy) and nothing restored is handed out unless the check says "ok".
Result<OpenedSession> restore(Image& image, const QString& shown, int version, const std::atomic<bool>* cancel)
{
    auto isCancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
    auto source = readConnection(image);
    if (!source) return damaged(shown, source.error().message).error();
    sqlite3* src = source.value()->db;
    auto schema = readSchema(src);
    if (!schema) return damaged(shown, schema.error().message).error();
    const bool columnsFormat = version >= 4; // the records as typed columns in fl_blobs, no flow_data
    const int extras = columnsFormat ? 0 : extraColumnsIn(schema.value());
    if (extras < 0) return damaged(shown, QStringLiteral("the table 'flow_data' is missing")).error();
    auto expected = expectedSessionSchema(extras, version);
    if (!expected) return expected.error();
    if (auto diff = schemaDifference(schema.value(), expected.value()))
        return Error{{}, 0, 0, QStringLiteral("%1 is refused: %2.").arg(shown, *diff)};
    // The schema is exactly ours: PRAGMA quick_check now runs in parallel with the reads below
    // (on one core each). Its destructor stops and joins it on every early return.
    std::unique_ptr<ParallelCheck> check;
    {
        auto checker = readConnection(image);
        if (!checker) return damaged(shown, checker.error().message).error();
        check = std::make_unique<ParallelCheck>(std::move(checker.value()), cancel);
    }

    // Meta.
    QHash<QString, QVariant> meta;
    {
        Stmt st(src, "SELECT key, value FROM fl_meta");
        if (!st.ok()) return damaged(shown, QString::fromUtf8(sqlite3_errmsg(src))).error();
        while (sqlite3_step(st.st) == SQLITE_ROW)
            meta.insert(st.text(0),
                        sqlite3_column_type(st.st, 1) == SQLITE_INTEGER ? QVariant(st.int64(1)) : QVariant(st.text(1)));
    }
    const QJsonArray fields = QJsonDocument::fromJson(meta.value(QStringLiteral("text_fields")).toString().toUtf8()).array();
    if (QJsonArray::fromStringList(textFieldColumns()) != fields)
        return damaged(shown, QStringLiteral("its text fields differ from this version's")).error();

    StoreState state;
    state.textSlots = static_cast<size_t>(fields.size());
    state.nextFileId = meta.value(QStringLiteral("next_file_id")).toLongLong();
    state.extraColumnsInTable = static_cast<int>(meta.value(QStringLiteral("extras_in_table")).toLongLong());
    for (const auto& v : QJsonDocument::fromJson(meta.value(QStringLiteral("extras")).toString().toUtf8()).array()) {
        const QJsonArray pair = v.toArray();
        state.extraTokens.push_back(pair.at(0).toString().toStdString());
        state.extraNames << pair.at(1).toString();
    }
    if (columnsFormat && (state.extraColumnsInTable < 0 || state.extraColumnsInTable > kMaxExtras))
        return damaged(shown, QStringLiteral("it declares %1 extra columns").arg(state.extraColumnsInTable)).error();
    if (!columnsFormat && state.extraColumnsInTable != extras)
        return damaged(
                   shown,
                   QStringLiteral("it declares %1 extra columns, flow_data has %2").arg(state.extraColumnsInTable).arg(extras))
            .error();

    // Records: ids are positive (1..N in load order); the twin table has one entry per id, so a
    // forged huge id is refused there. The count is taken here, beside the check, so neither
    // the caller nor the table counts again (OpenedSession::records).
    qint64 records = 0;
    if (columnsFormat) { // ids are the rows of the columns: 1 .. next_id - 1
        const QVariant next = meta.value(QStringLiteral("next_id"));
        state.nextId = next.typeId() == QMetaType::LongLong ? next.toLongLong() : 0;
        if (state.nextId < 1 || state.nextId >= (qint64{1} << 32) - 1)
            return damaged(shown, QStringLiteral("its next record id (%1) is out of range").arg(next.toString().left(40)))
                .error();
        records = state.nextId - 1;
    } else {
        Stmt st(src, "SELECT coalesce(min(id), 1), coalesce(max(id), 0), count(*) FROM flow_data");
        if (!st.ok() || sqlite3_step(st.st) != SQLITE_ROW) return damaged(shown, QString::fromUtf8(sqlite3_errmsg(src))).error();
        if (st.int64(0) < 1 || st.int64(1) >= std::numeric_limits<qint64>::max() / 2)
            return damaged(shown, QStringLiteral("record ids must be positive")).error();
        state.nextId = st.int64(1) + 1;
        records = st.int64(2);
    }
    if (isCancelled()) return cancelled().error();
    {
        Stmt st(src, "SELECT coalesce(max(id), 0) FROM files");
        if (!st.ok() || sqlite3_step(st.st) != SQLITE_ROW) return damaged(shown, QString::fromUtf8(sqlite3_errmsg(src))).error();
        if (st.int64(0) >= state.nextFileId) return damaged(shown, QStringLiteral("file ids exceed the next file id")).error();
    }
    {
        Stmt st(src, "SELECT code, value FROM fl_strings ORDER BY code");
        while (st.ok() && sqlite3_step(st.st) == SQLITE_ROW) {
            if (st.int64(0) != static_cast<qint64>(state.strings.size()))
                return damaged(shown, QStringLiteral("string codes are not contiguous")).error();
            const auto* p = static_cast<const char*>(sqlite3_column_blob(st.st, 1));
            state.strings.emplace_back(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(st.st, 1)));
        }
    }
    {
        Stmt st(src, "SELECT ctx, codes FROM fl_contexts ORDER BY ctx");
        qint64 expect = 0;
        while (st.ok() && sqlite3_step(st.st) == SQLITE_ROW) {
            const auto* p = static_cast<const uchar*>(sqlite3_column_blob(st.st, 1));
            const auto bytes = static_cast<size_t>(sqlite3_column_bytes(st.st, 1));
            if (st.int64(0) != expect++ || bytes != state.textSlots * sizeof(quint32))
                return damaged(shown, QStringLiteral("context %1 is malformed").arg(st.int64(0))).error();
            for (size_t s = 0; s < state.textSlots; ++s) state.contexts.push_back(qFromLittleEndian<quint32>(p + 4 * s));
        }
    }
    {
        // Whole blobs of 4096 ids each, decoded in bulk (not an entry per step).
        Stmt st(src, "SELECT chunk, ids FROM fl_twins ORDER BY chunk");
        qint64 expect = 0;
        const auto limit = static_cast<size_t>(state.nextId);
        state.twins.reserve(std::min<size_t>(limit, size_t{1} << 28));
        adviseHugePages(state.twins.data(), state.twins.capacity() * sizeof(int64_t)); // 80 MB at 10M
        while (st.ok() && sqlite3_step(st.st) == SQLITE_ROW) {
            const auto* p = static_cast<const uchar*>(sqlite3_column_blob(st.st, 1));
            const auto bytes = static_cast<size_t>(sqlite3_column_bytes(st.st, 1));
            if (st.int64(0) != expect++ || bytes % 8 != 0 || state.twins.size() + bytes / 8 > limit)
                return damaged(shown, QStringLiteral("the twin table is malformed")).error();
            const size_t at = state.twins.size();
            state.twins.resize(at + bytes / 8);
            if constexpr (std::endian::native == std::endian::little) {
                if (bytes) std::memcpy(state.twins.data() + at, p, bytes);
            } else {
                for (size_t i = 0; i < bytes / 8; ++i) state.twins[at + i] = qFromLittleEndian<qint64>(p + 8 * i);
            }
        }
    }
    if (state.twins.size() != static_cast<size_t>(state.nextId))
        return damaged(shown, QStringLiteral("record ids (1 to %1) do not match the twin table (%2 entries)")
                                  .arg(state.nextId - 1)
                                  .arg(state.twins.size()))
            .error();
    {
        Stmt st(src, "SELECT twin_key, id, ingress FROM fl_waiting ORDER BY seq");
        while (st.ok() && sqlite3_step(st.st) == SQLITE_ROW)
            state.waiting.push_back({static_cast<uint64_t>(st.int64(0)), st.int64(1), st.int64(2) != 0});
    }

    OpenedSession opened;
    opened.formatVersion = version;
    opened.records = records;
    opened.data.viewState = meta.value(QStringLiteral("view_state")).toString().toUtf8();
    if (version >= 3) opened.data.compare = meta.value(QStringLiteral("compare")).toString().toUtf8();
    // (versions 1 and 2 had no compare baseline: migrated as none)
    if (version >= 2) {
        opened.data.names = namesFromJson(meta.value(QStringLiteral("names")).toString().toUtf8());
        Stmt st(src, "SELECT file, line, reason, raw FROM fl_rejections ORDER BY seq");
        while (st.ok() && sqlite3_step(st.st) == SQLITE_ROW)
            opened.data.rejections.push_back({st.text(0), st.int64(1), st.text(2), st.text(3)});
    } else { // version 1: the names tables are all there is (no flow log formats)
        Stmt st(src, "SELECT id, name, kind, resource_id, owner_id, route_table_id, cidr, az, vpc_id, subnet_id,"
                     " instance_id, description FROM names");
        while (st.ok() && sqlite3_step(st.st) == SQLITE_ROW) {
            NameEntry e{st.text(0), st.text(1), st.text(2), st.text(3),  st.text(4),  st.text(5), st.text(6),
                        st.text(7), st.text(8), st.text(9), st.text(10), st.text(11), {},         {}};
            opened.data.names.add(e);
        }
        Stmt addr(src, "SELECT address, eni_id FROM name_addresses");
        while (addr.ok() && sqlite3_step(addr.st) == SQLITE_ROW) {
            if (const NameEntry* e = opened.data.names.find(addr.text(1))) {
                NameEntry copy = *e;
                copy.privateIps << addr.text(0);
                opened.data.names.add(copy);
            }
        }
    }
    if (columnsFormat)
        return restoreColumns(std::move(opened), std::move(state), *source.value(), std::move(check), shown, cancel);
    source.value().reset();
    // Nothing is installed unless quick_check said "ok".
    if (Status st = awaitCheck(std::move(check), shown, cancel); !st.ok()) return st.error();

    // The store: the checked bytes themselves become its database (sqlite3_deserialize, no copy:
    // every reader of them is closed now), then the session tables are dropped and the state
    // installed.
    auto created = Store::create();
    if (!created) return created.error();
    opened.store = std::move(created.value());
    sqlite3* dst = opened.store->handle();
    {
        const sqlite3_int64 size = image.size;
        // FREEONCLOSE: SQLite owns the bytes from here on, also when this call fails.
        if (sqlite3_deserialize(dst, "main", std::exchange(image.data, nullptr), size, size,
                                SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE)
            != SQLITE_OK)
            return damaged(shown, QString::fromUtf8(sqlite3_errmsg(dst))).error();
        // Loads appended later grow it; the default cap of an in-memory image is 1 GiB.
        sqlite3_int64 limit = std::numeric_limits<sqlite3_int64>::max() / 2;
        sqlite3_file_control(dst, "main", SQLITE_FCNTL_SIZE_LIMIT, &limit);
    }
    QString dropSql;
    for (const char* t : {"fl_meta", "fl_strings", "fl_contexts", "fl_twins", "fl_waiting", "fl_rejections"})
        dropSql += QStringLiteral("DROP TABLE IF EXISTS %1;").arg(QLatin1String(t));
    if (auto st = opened.store->exec(
            dropSql + QStringLiteral("PRAGMA application_id=0; PRAGMA user_version=0; PRAGMA journal_mode=OFF;"));
        !st.ok())
        return damaged(shown, st.error().message).error();
    const qint64 maxId = state.nextId - 1;
    if (auto st = opened.store->impl().importState(std::move(state)); !st.ok())
        return damaged(shown, st.error().message.chopped(1)).error();
    // Distinct ids >= 1, as many as the largest: exactly 1..N. The table then needs no count.
    opened.store->impl().setIdsDense(records == maxId);
    // The rows never passed through the writer, so the typed columns are refilled from them on a
    // thread the store owns (the second core); until that is done every view answers by SQL
    // (same numbers).
    startColumnRebuild(*opened.store);
    return opened;
}

/// Reads all of `path` into memory (one read; the file is opened read-only and never mapped).
/// SQLite-owned memory for `size` bytes of a file image (the store frees or grows it later).
/// Large images are backed by huge pages where the kernel offers them on request: a 700 MB
/// session is then 350 page faults instead of 170,000 (each costs microseconds in a VM).
unsigned char* allocateImage(qint64 size)
{
    auto* p = static_cast<unsigned char*>(sqlite3_malloc64(static_cast<sqlite3_uint64>(std::max<qint64>(size, 1))));
    if (p && size >= qint64{16} << 20) adviseHugePages(p, static_cast<size_t>(size));
    return p;
}

Result<std::unique_ptr<Image>> readImage(const QString& path, const QString& shown, const std::atomic<bool>* cancel)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{path, 0, 0, QStringLiteral("Cannot open the session %1: %2.").arg(shown, file.errorString())};
    const qint64 size = file.size();
    auto image = std::make_unique<Image>();
    image->data = allocateImage(size);
    if (!image->data) return Error{path, 0, 0, QStringLiteral("Not enough memory to open %1.").arg(shown)};
    qint64 done = 0;
    while (done < size) {
        if (cancel && cancel->load(std::memory_order_relaxed)) return cancelled().error();
        const qint64 got =
            file.read(reinterpret_cast<char*>(image->data) + done, std::min<qint64>(size - done, qint64{64} << 20));
        if (got <= 0) break;
        done += got;
    }
    if (done != size || file.read(1).size() != 0)
        return Error{path, 0, 0, QStringLiteral("Cannot read the session %1: it changed while it was read.").arg(shown)};
    image->size = size;
    return image;
}

/// Header, pages and restore of a session image.
Result<OpenedSession> openImage(Image& image, const QString& shown, const std::atomic<bool>* cancel)
{
    const QByteArray header = QByteArray::fromRawData(reinterpret_cast<const char*>(image.data),
                                                      static_cast<qsizetype>(std::min<sqlite3_int64>(image.size, kHeaderBytes)));
    auto version = checkHeader(header, shown);
    if (!version) return version.error();
    if (auto problem = checkPages(header, image.size)) return damaged(shown, *problem).error();
    return restore(image, shown, version.value(), cancel);
}

} // namespace

Result<OpenedSession> openSession(const QString& path, const std::atomic<bool>* cancel)
{
    const QString shown = QDir::toNativeSeparators(path);
    {
        // The header first: a file that is not a session, or whose size does not match its page
        // count (cut short, or a huge file), is refused without reading all of it.
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return Error{path, 0, 0, QStringLiteral("Cannot open the session %1: %2.").arg(shown, file.errorString())};
        const QByteArray header = file.read(kHeaderBytes);
        auto version = checkHeader(header, shown);
        if (!version) return Error{path, 0, 0, version.error().message};
        if (auto problem = checkPages(header, file.size())) return Error{path, 0, 0, damaged(shown, *problem).error().message};
    }
    auto image = readImage(path, shown, cancel);
    if (!image) return image.error();
    auto r = openImage(*image.value(), shown, cancel);
    if (!r) return Error{path, 0, 0, r.error().message};
    return r;
}

Result<OpenedSession> openSessionBuffer(const QByteArray& bytes, const QString& label)
{
    Image image;
    image.data = allocateImage(bytes.size());
    if (!image.data) return Error{{}, 0, 0, QStringLiteral("Not enough memory to open %1.").arg(label)};
    std::memcpy(image.data, bytes.constData(), static_cast<size_t>(bytes.size()));
    image.size = bytes.size();
    return openImage(image, label, nullptr);
}

bool isSessionFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return false;
    const QByteArray h = file.read(kHeaderBytes);
    return h.size() == kHeaderBytes && h.startsWith(QByteArrayLiteral("SQLite format 3\0"))
           && qFromBigEndian<quint32>(reinterpret_cast<const uchar*>(h.constData()) + 68) == kSessionApplicationId;
}

} // namespace core
