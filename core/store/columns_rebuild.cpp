// Refilling the typed columns (columns.h) of a store restored from a session file: the rows are
// read back from flow_data in id chunks and appended through ColumnStore::append, the writer's
// own path, so the columns hold exactly what a load would have put there.
#include "core/store/columns_rebuild.h"

#include "core/store/store_impl.h"

#include <sqlite3.h>

#include <QThreadPool>

#include <chrono>

namespace core {

namespace {

constexpr int kChunkRows = 1 << 16; // rows per chunk: readers wait at most one chunk's append

struct ConnectionLock {
    explicit ConnectionLock(sqlite3* db) : m(sqlite3_db_mutex(db)) { sqlite3_mutex_enter(m); }
    ~ConnectionLock() { sqlite3_mutex_leave(m); }
    ConnectionLock(const ConnectionLock&) = delete;
    ConnectionLock& operator=(const ConnectionLock&) = delete;
    sqlite3_mutex* m;
};

QString quotedColumn(const QString& name)
{
    QString q = name;
    q.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

/// What the SELECT reads: the id, ctx, then each integer field that has a column (with its int
/// slot), then the source and destination addresses (with their address slots).
struct ReadPlan {
    QString sql;
    std::vector<int> intSlots;  ///< result column 2 + i -> PackedRow::ints slot
    std::vector<int> addrSlots; ///< result column 2 + intSlots.size() + i -> PackedRow::addrs slot
};

ReadPlan readPlan()
{
    const SchemaSlots& slots = SchemaSlots::get();
    ReadPlan plan;
    QString cols = QStringLiteral("id, ctx");
    for (FieldId f : slots.intFields) {
        if (!intColumnOf(f)) continue;
        cols += QStringLiteral(", ") + quotedColumn(QLatin1String(fieldInfo(f).column));
        plan.intSlots.push_back(slots.slotOf[static_cast<size_t>(f)]);
    }
    for (FieldId f : {FieldId::SrcAddr, FieldId::DstAddr}) {
        const int slot = slots.slotOf[static_cast<size_t>(f)];
        if (slot < 0) continue;
        cols += QStringLiteral(", ") + quotedColumn(QStringLiteral("a_") + QLatin1String(fieldInfo(f).column));
        plan.addrSlots.push_back(slot);
    }
    // One fl_visit call per row inside a single step per chunk: the values are read as
    // sqlite3_value (no connection mutex per column, as sqlite3_column_* would take).
    plan.sql = QStringLiteral("SELECT fl_visit(?1, %1) FROM flow_data WHERE id >= ?2 AND id < ?3").arg(cols);
    return plan;
}

/// Packs each visited row (id, ctx, the plan's integers, the addresses) into `batch`; stops
/// marking `usable` false at the first id out of sequence or a value that is not an integer.
class ChunkReader : public RowVisitor {
public:
    ChunkReader(const ReadPlan& plan, RowBatch& batch) : m_plan(plan), m_batch(batch) {}
    void start(int64_t firstId)
    {
        m_next = firstId;
        m_batch.rows.clear();
    }
    bool row(int argc, sqlite3_value** argv) override
    {
        const int intCount = static_cast<int>(m_plan.intSlots.size());
        if (!usable || argc != 3 + intCount + static_cast<int>(m_plan.addrSlots.size())) {
            usable = false;
            return true;
        }
        if (sqlite3_value_int64(argv[1]) != m_next || sqlite3_value_type(argv[2]) != SQLITE_INTEGER) {
            usable = false;
            return true;
        }
        ++m_next;
        PackedRow& r = m_batch.rows.emplace_back();
        r.ctx = static_cast<uint32_t>(sqlite3_value_int64(argv[2]));
        for (int i = 0; i < intCount; ++i) {
            sqlite3_value* v = argv[3 + i];
            const int type = sqlite3_value_type(v);
            if (type == SQLITE_NULL) continue;
            if (type != SQLITE_INTEGER) usable = false;
            const auto slot = static_cast<size_t>(m_plan.intSlots[static_cast<size_t>(i)]);
            r.ints[slot] = sqlite3_value_int64(v);
            r.intPresent |= uint64_t{1} << slot;
        }
        for (size_t i = 0; i < m_plan.addrSlots.size(); ++i) {
            sqlite3_value* v = argv[3 + intCount + static_cast<int>(i)];
            const int type = sqlite3_value_type(v);
            if (type == SQLITE_NULL) continue;
            if (type != SQLITE_INTEGER) usable = false;
            const auto slot = static_cast<size_t>(m_plan.addrSlots[i]);
            r.addrs[slot] = sqlite3_value_int64(v);
            r.addrPresent |= uint32_t{1} << slot;
        }
        return true;
    }
    bool usable = true;

private:
    const ReadPlan& m_plan;
    RowBatch& m_batch;
    int64_t m_next = 1;
};

struct Finalizer {
    sqlite3_stmt* st = nullptr;
    ~Finalizer() { sqlite3_finalize(st); }
};

} // namespace

Status Store::Impl::rebuildColumns(const std::atomic<bool>* cancel)
{
    if (cancel && cancel->load()) return Error{{}, 0, 0, QStringLiteral("cancelled")};
    std::lock_guard<std::mutex> load(m_writeLock); // no load appends while we refill
    const auto records = static_cast<size_t>(m_nextId - 1);
    {
        ConnectionLock lock(m_db);
        refreshFlowDataKind();
        if (m_virtual.load()) return Ok{}; // the columns are the rows: nothing to rebuild (or to lose)
        if (m_columns.complete() && m_columns.rows() == records) return Ok{};
        m_columns = ColumnStore();
    }
    const ReadPlan plan = readPlan();
    Finalizer stmt;
    const QByteArray sql = plan.sql.toUtf8();
    if (sqlite3_prepare_v3(m_db, sql.constData(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt.st, nullptr)
        != SQLITE_OK)
        return Error{{}, 0, 0, QStringLiteral("Cannot read the records back: %1").arg(QString::fromUtf8(sqlite3_errmsg(m_db)))};
    const CancelScope scope(cancel); // cancel is polled inside sqlite3_step
    RowBatch batch;
    batch.rows.reserve(kChunkRows);
    ChunkReader reader(plan, batch);
    int64_t next = 1; // ids are 1..records in load order; anything else stays on SQL
    int retries = 0;
    while (static_cast<size_t>(next - 1) < records) {
        if (cancel && cancel->load(std::memory_order_relaxed)) return Error{{}, 0, 0, QStringLiteral("cancelled")};
        reader.start(next);
        sqlite3_reset(stmt.st);
        sqlite3_bind_pointer(stmt.st, 1, &reader, kRowVisitorType, nullptr);
        sqlite3_bind_int64(stmt.st, 2, next);
        sqlite3_bind_int64(stmt.st, 3, next + kChunkRows);
        const int rc = sqlite3_step(stmt.st); // the whole chunk: one row of fl_visit's aggregate
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            if (cancel && cancel->load()) return Error{{}, 0, 0, QStringLiteral("cancelled")};
            // Another thread's sqlite3_interrupt (a view's cancel) also stops this statement: the
            // chunk is read again.
            if (rc == SQLITE_INTERRUPT && ++retries < 100) continue;
            return Error{{}, 0, 0, QStringLiteral("Cannot read the records back: %1").arg(QString::fromUtf8(sqlite3_errstr(rc)))};
        }
        if (!reader.usable || batch.rows.empty()) return Ok{}; // columns stay incomplete: SQL answers
        {
            ConnectionLock lock(m_db);
            m_columns.append(batch, next, false); // the hot values: the table keeps the rest
        }
        next += static_cast<int64_t>(batch.rows.size());
        // SQLite's connection mutex is not fair: a reader woken by our unlock (the record table's
        // first page, a count on the GUI thread) would mostly find the next chunk's step holding
        // it again. A millisecond off the connection lets queued readers in (~150 ms at 10M rows).
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return Ok{};
}

void Store::Impl::startColumnRebuild()
{
    std::lock_guard<std::mutex> guard(m_rebuildLock);
    if (m_rebuild.joinable()) m_rebuild.join();
    m_rebuildStop = false;
    m_rebuildStatus = Ok{};
    {
        std::lock_guard<std::mutex> run(m_rebuildRunLock);
        m_rebuildRunning = true;
    }
    m_rebuild = std::thread([this] {
        Status st = rebuildColumns(&m_rebuildStop);
        // m_rebuildLock is held by whoever joins us; the status is read only after the join.
        m_rebuildStatus = std::move(st);
        {
            std::lock_guard<std::mutex> run(m_rebuildRunLock);
            m_rebuildRunning = false;
        }
        m_rebuildEnded.notify_all();
    });
}

bool Store::Impl::awaitColumnRebuild(const std::atomic<bool>* cancel) const
{
    std::unique_lock<std::mutex> run(m_rebuildRunLock);
    if (!m_rebuildRunning) return !(cancel && cancel->load());
    // The caller is usually a job on Qt's global pool, which Qt's own raster painting also uses
    // (the GUI thread waits for its tasks): give the slot back while we sleep, or a window whose
    // views wait here cannot repaint until the rebuild ends.
    QThreadPool::globalInstance()->releaseThread();
    while (m_rebuildRunning && !(cancel && cancel->load())) m_rebuildEnded.wait_for(run, std::chrono::milliseconds(20));
    run.unlock();
    QThreadPool::globalInstance()->reserveThread();
    return !(cancel && cancel->load());
}

Status Store::Impl::waitColumnRebuild()
{
    std::lock_guard<std::mutex> guard(m_rebuildLock);
    if (m_rebuild.joinable()) m_rebuild.join();
    return m_rebuildStatus;
}

void Store::Impl::stopColumnRebuild()
{
    std::lock_guard<std::mutex> guard(m_rebuildLock);
    m_rebuildStop = true;
    if (m_rebuild.joinable()) m_rebuild.join();
}

Status rebuildColumns(const Store& store, const std::atomic<bool>* cancel)
{
    return store.impl().rebuildColumns(cancel);
}

void startColumnRebuild(const Store& store)
{
    store.impl().startColumnRebuild();
}

Status waitForColumns(const Store& store)
{
    return store.impl().waitColumnRebuild();
}

bool awaitColumns(const Store& store, const std::atomic<bool>* cancel)
{
    return store.impl().awaitColumnRebuild(cancel);
}

} // namespace core
