// DuckDB for the Parquet reader: the sandboxed engine, queries, and the streaming of a query's
// chunks on a thread of their own (see parquet_duckdb.h).
#ifdef FLOWLOG_PARQUET
#include "core/ingest/parquet_duckdb.h"

#include <QRegularExpression>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace core::parquet {

Engine& Engine::instance()
{
    static Engine engine;
    return engine;
}

Engine::Engine()
{
    const QString linked = QString::fromLatin1(duckdb_library_version());
    const QString built = QStringLiteral(FLOWLOG_DUCKDB_VERSION);
    if (!built.isEmpty() && linked != built) {
        m_error = QStringLiteral("DuckDB library %1 does not match the header %2 this build used (rerun .ci/install-duckdb)")
                      .arg(linked, built);
        return;
    }
    duckdb_config config = nullptr;
    if (duckdb_create_config(&config) != DuckDBSuccess) {
        m_error = QStringLiteral("DuckDB: cannot create a configuration");
        return;
    }
    // One thread: rows then come in file order, and measured on 1M TGW records two threads
    // cost more CPU (3.1 s vs 2.8 s per load) without loading faster on two cores that the
    // parse and store threads already use.
    duckdb_set_config(config, "threads", "1");
    duckdb_set_config(config, "memory_limit", "1GB");
    duckdb_set_config(config, "autoinstall_known_extensions", "false");
    duckdb_set_config(config, "autoload_known_extensions", "false");
    // No cache of file bytes across queries: every file is read as /proc/self/fd/N, and a number
    // reused for another file of the same size and modification second was served the previous
    // file's cached blocks (tst_parquet_damage failed 4 runs in 8 under ASan's timing).
    duckdb_set_config(config, "enable_external_file_cache", "false");
    char* openError = nullptr;
    duckdb_database db = nullptr;
    const bool opened = duckdb_open_ext(nullptr, &db, config, &openError) == DuckDBSuccess;
    duckdb_destroy_config(&config);
    if (!opened) {
        m_error = QStringLiteral("DuckDB: %1").arg(QString::fromUtf8(openError ? openError : "cannot open"));
        duckdb_free(openError);
        return;
    }
    duckdb_connection con = nullptr;
    if (duckdb_connect(db, &con) != DuckDBSuccess) {
        m_error = QStringLiteral("DuckDB: cannot connect");
        duckdb_close(&db);
        return;
    }
    const std::string allowed = std::string("SET allowed_directories=['") + kFdFolder + "']";
    for (const char* sql : {allowed.c_str(), "SET enable_external_access=false", "SET lock_configuration=true"}) {
        duckdb_result r;
        const bool done = duckdb_query(con, sql, &r) == DuckDBSuccess;
        if (!done) m_error = QStringLiteral("DuckDB: %1").arg(QString::fromUtf8(duckdb_result_error(&r)));
        duckdb_destroy_result(&r);
        if (!done) break;
    }
    duckdb_disconnect(&con);
    if (!m_error.isEmpty()) {
        duckdb_close(&db);
        return;
    }
    m_db = db;
}

Engine::~Engine()
{
    if (m_db) duckdb_close(&m_db);
}

QString cleanError(const char* text, const std::string& fdPath)
{
    QString s = QString::fromUtf8(text ? text : "unknown error");
    const qsizetype nl = s.indexOf(QLatin1Char('\n'));
    if (nl >= 0) s.truncate(nl);
    static const QRegularExpression kind(QStringLiteral("^[A-Za-z ]{1,40} Error: ")); // "Invalid Input Error: "
    s.remove(kind);
    const QString fd = QString::fromStdString(fdPath);
    s.replace(QStringLiteral(" '") + fd + QLatin1Char('\''), QString());
    s.replace(QLatin1Char('"') + fd + QLatin1Char('"'), QStringLiteral("the file"));
    s.replace(fd, QStringLiteral("the file"));
    return s.trimmed();
}

QString runQuery(duckdb_connection con, const char* sql, const std::string& fdPath, QueryResult& out)
{
    Prepared p;
    if (duckdb_prepare(con, sql, &p.handle) != DuckDBSuccess) return cleanError(duckdb_prepare_error(p.handle), fdPath);
    if (duckdb_bind_varchar(p.handle, 1, fdPath.c_str()) != DuckDBSuccess) return QStringLiteral("cannot bind the file");
    const duckdb_state st = duckdb_execute_prepared(p.handle, &out.result);
    out.live = true;
    if (st != DuckDBSuccess) return cleanError(duckdb_result_error(&out.result), fdPath);
    return {};
}

QString firstRowText(duckdb_result& r, idx_t col)
{
    Chunk c;
    c.handle = duckdb_result_get_chunk(r, 0);
    if (!c.handle || duckdb_data_chunk_get_size(c.handle) == 0) return {};
    duckdb_vector v = duckdb_data_chunk_get_vector(c.handle, col);
    uint64_t* valid = duckdb_vector_get_validity(v);
    if (valid && !duckdb_validity_row_is_valid(valid, 0)) return {};
    const std::string_view t = stringAt(duckdb_vector_get_data(v), 0);
    return QString::fromUtf8(t.data(), static_cast<qsizetype>(t.size()));
}

namespace {

/// The threads that run ChunkPumps' fetch loops. They are kept for the next pump: a new thread
/// per query starts with cold allocator caches, measured at about 2,500 more page faults per
/// 1M-row file. A pump takes an idle thread, or a new one when all are busy
/// (a pump may start while another is still alive, e.g. a file read alone while a folder's
/// shared query waits), so there are as many as pumps ever alive at once: one or two. Never
/// destroyed: the threads are detached and the process's exit ends them.
class FetchThreads {
public:
    static FetchThreads& instance()
    {
        static auto* threads = new FetchThreads; // NOLINT: lives until the process exits
        return *threads;
    }

    /// Runs `job` on an idle thread.
    void start(std::function<void()> job)
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        for (const std::unique_ptr<Worker>& w : m_workers) {
            if (w->job) continue;
            w->job = std::move(job);
            m_wake.notify_all();
            return;
        }
        m_workers.push_back(std::make_unique<Worker>());
        Worker* w = m_workers.back().get();
        w->job = std::move(job);
        std::thread([this, w] { loop(*w); }).detach();
    }

private:
    struct Worker {
        std::function<void()> job; ///< empty: idle
    };

    void loop(Worker& w)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        for (;;) {
            m_wake.wait(lock, [&] { return static_cast<bool>(w.job); });
            std::function<void()> job = w.job;
            lock.unlock();
            job();
            lock.lock();
            w.job = nullptr;
        }
    }

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<std::unique_ptr<Worker>> m_workers;
};

} // namespace

struct ChunkPump::Shared {
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<duckdb_data_chunk> ready;
    bool done = false;     ///< the result has no more chunks (or failed)
    bool stop = false;     ///< the reader is gone
    bool finished = false; ///< run() has returned
    std::string error;
};

namespace {
std::atomic<bool> g_threaded{true};
} // namespace

void ChunkPump::setThreaded(bool on)
{
    g_threaded = on;
}

ChunkPump::ChunkPump(duckdb_result& result) : m_result(result)
{
    if (std::thread::hardware_concurrency() < 2 || !g_threaded) return;
    m_shared = std::make_unique<Shared>();
    FetchThreads::instance().start([this] {
        run();
        Shared& s = *m_shared;
        const std::lock_guard<std::mutex> lock(s.mutex);
        s.finished = true;
        s.changed.notify_all(); // under the lock: the destructor may free `s` right after
    });
}

ChunkPump::~ChunkPump()
{
    if (!m_shared) return;
    {
        std::unique_lock<std::mutex> lock(m_shared->mutex);
        m_shared->stop = true;
        m_shared->changed.notify_all();
        m_shared->changed.wait(lock, [&] { return m_shared->finished; });
    }
    for (duckdb_data_chunk& c : m_shared->ready) duckdb_destroy_data_chunk(&c);
}

duckdb_data_chunk ChunkPump::next(std::string& error)
{
    if (!m_shared) {
        duckdb_data_chunk c = duckdb_fetch_chunk(m_result);
        if (!c) {
            const char* why = duckdb_result_error(&m_result);
            error = why ? why : "";
        }
        return c;
    }
    Shared& s = *m_shared;
    std::unique_lock<std::mutex> lock(s.mutex);
    s.changed.wait(lock, [&] { return !s.ready.empty() || s.done; });
    if (s.ready.empty()) {
        error = s.error;
        return nullptr;
    }
    duckdb_data_chunk c = s.ready.front();
    s.ready.pop_front();
    const bool wasFull = s.ready.size() + 1 >= kDepth;
    lock.unlock();
    if (wasFull) s.changed.notify_all(); // the fetching thread waits only when the queue is full
    return c;
}

void ChunkPump::run()
{
    Shared& s = *m_shared;
    for (;;) {
        duckdb_data_chunk c = duckdb_fetch_chunk(m_result);
        std::unique_lock<std::mutex> lock(s.mutex);
        if (!c) {
            s.done = true;
            const char* why = duckdb_result_error(&m_result);
            if (why) s.error = why;
            lock.unlock();
            s.changed.notify_all();
            return;
        }
        s.changed.wait(lock, [&] { return s.stop || s.ready.size() < kDepth; });
        if (s.stop) {
            duckdb_destroy_data_chunk(&c);
            return;
        }
        const bool wasEmpty = s.ready.empty();
        s.ready.push_back(c);
        lock.unlock();
        if (wasEmpty) s.changed.notify_all(); // the reader waits only when the queue is empty
    }
}

QString streamChunks(duckdb_connection con, const std::string& columns, const std::string& fromWhere, const std::string& fdPath,
                     const ChunkReceiver& receive)
{
    const std::string sql = "SELECT 0::UTINYINT, " + columns + fromWhere;
    Prepared prepared;
    Pending pending;
    QueryResult result;
    if (duckdb_prepare(con, sql.c_str(), &prepared.handle) != DuckDBSuccess)
        return cleanError(duckdb_prepare_error(prepared.handle), fdPath);
    if (duckdb_bind_varchar(prepared.handle, 1, fdPath.c_str()) != DuckDBSuccess) return QStringLiteral("cannot bind the file");
    if (duckdb_pending_prepared_streaming(prepared.handle, &pending.handle) != DuckDBSuccess)
        return cleanError(duckdb_pending_error(pending.handle), fdPath);
    const duckdb_state st = duckdb_execute_pending(pending.handle, &result.result);
    result.live = true;
    if (st != DuckDBSuccess) return cleanError(duckdb_result_error(&result.result), fdPath);
    ChunkPump pump(result.result); // stopped before the result goes
    for (;;) {
        std::string error;
        Chunk chunk;
        chunk.handle = pump.next(error);
        if (!chunk.handle) return error.empty() ? QString() : cleanError(error.c_str(), fdPath);
        if (!receive(chunk.handle)) return {};
    }
}

} // namespace core::parquet

#endif
