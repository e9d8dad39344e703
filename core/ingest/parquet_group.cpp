// Reading many Parquet files with a few DuckDB queries (ParquetFiles, parquet.h). A folder of
// S3's 5-minute files read one by one pays DuckDB's fixed cost per query (parse, bind, plan,
// open: about 1-3 ms) three times per file; here the footers of up to 128 files are read in one
// parquet_metadata() query, their schemas in one parquet_schema() query, and each run of
// consecutive files with the same columns in one streaming read_parquet([...]) query whose
// chunks are handed to each file's ParquetRead (parquet_read.h) by DuckDB's file_index.
#include "core/ingest/loader_impl.h"
#include "core/ingest/parquet.h"

#ifdef FLOWLOG_PARQUET
#include "core/ingest/parquet_read.h"

#include <QFileInfo>

#include <map>
#include <memory>
#endif

namespace core {

#ifndef FLOWLOG_PARQUET

struct ParquetFiles::Impl {
    QStringList paths;
};

ParquetFiles::ParquetFiles(QStringList paths) : m_impl(std::make_unique<Impl>())
{
    m_impl->paths = std::move(paths);
}

ParquetFiles::~ParquetFiles() = default;

FileOutcome ParquetFiles::read(qsizetype index, const ReadOptions& options, RecordSink& sink)
{
    return readFile(m_impl->paths.value(index), options, sink);
}

qsizetype ParquetFiles::sharedReads() const
{
    return 0;
}

void readParquetTogether(std::vector<LoadSource>&) {}

#else

using namespace core::parquet;

namespace {

/// Files held open at once (DuckDB reads them as /proc/self/fd/<n>).
constexpr qsizetype kWindow = 128;

/// Binds a list of fd paths as $1 of `p`.
bool bindList(duckdb_prepared_statement p, const std::vector<std::string>& fds)
{
    duckdb_logical_type varchar = duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR);
    std::vector<duckdb_value> values;
    values.reserve(fds.size());
    for (const std::string& fd : fds) values.push_back(duckdb_create_varchar_length(fd.data(), fd.size()));
    duckdb_value list = duckdb_create_list_value(varchar, values.data(), values.size());
    const bool ok = list && duckdb_bind_value(p, 1, list) == DuckDBSuccess;
    for (duckdb_value& v : values) duckdb_destroy_value(&v);
    if (list) duckdb_destroy_value(&list);
    duckdb_destroy_logical_type(&varchar);
    return ok;
}

/// Runs `sql` (materialised) with $1 bound to the list `fds`. True on success.
bool runOnList(duckdb_connection con, const char* sql, const std::vector<std::string>& fds, QueryResult& out)
{
    Prepared p;
    if (duckdb_prepare(con, sql, &p.handle) != DuckDBSuccess || !bindList(p.handle, fds)) return false;
    const duckdb_state st = duckdb_execute_prepared(p.handle, &out.result);
    out.live = true;
    return st == DuckDBSuccess;
}

/// Calls `row(chunk, r)` for every row of a materialised result.
template <typename Fn> void forEachRow(QueryResult& result, Fn&& row)
{
    for (idx_t i = 0, n = duckdb_result_chunk_count(result.result); i < n; ++i) {
        Chunk c;
        c.handle = duckdb_result_get_chunk(result.result, i);
        if (!c.handle) break;
        for (idx_t r = 0, size = duckdb_data_chunk_get_size(c.handle); r < size; ++r) row(c.handle, r);
    }
}

std::string_view textAt(duckdb_data_chunk chunk, idx_t col, idx_t r)
{
    duckdb_vector v = duckdb_data_chunk_get_vector(chunk, col);
    const uint64_t* valid = duckdb_vector_get_validity(v);
    if (valid && !duckdb_validity_row_is_valid(const_cast<uint64_t*>(valid), r)) return {};
    return stringAt(duckdb_vector_get_data(v), r);
}

/// A shared query's error. Never shown: the file it stopped in is finished by its own queries,
/// which give their own reasons (ParquetRead::finish).
QString errorText(const char* why)
{
    return QString::fromUtf8(why && *why ? why : "the shared query failed");
}

} // namespace

struct ParquetFiles::Impl {
    /// One file of the current window.
    struct Entry {
        QFile file;
        std::string fd;
        qint64 size = 0;
        bool shared = false; ///< read through the shared queries, else by readFile()
        FactsBuilder facts;
        bool hasFacts = false;
        std::string schemaKey; ///< its columns' names and DuckDB types
        int schema = -1;
    };
    /// Entries as a list query takes them (their fds, bound as $1) and as its rows name them
    /// (file_name = the fd).
    struct FdList {
        std::vector<std::string> fds;
        std::map<std::string, Entry*, std::less<>> byFd;
        explicit FdList(const std::vector<Entry*>& entries)
        {
            for (Entry* e : entries) {
                fds.push_back(e->fd);
                byFd.emplace(e->fd, e);
            }
        }
        /// The entry whose fd is `fd`, null if none.
        Entry* find(std::string_view fd) const
        {
            const auto it = byFd.find(fd);
            return it == byFd.end() ? nullptr : it->second;
        }
    };
    /// The columns of a run of files, planned from the first file that has them.
    struct Schema {
        std::string key;
        bool planned = false;
        bool ok = false;
        ReadPlan plan;
    };
    /// The streaming read query over entries [first, end) of the window.
    struct Stream {
        Connection con; ///< its own: the pump fetches on another thread while `con` plans and re-reads
        Prepared prepared;
        Pending pending;
        QueryResult result;
        std::unique_ptr<ChunkPump> pump; ///< after the result: stopped before it goes
        qsizetype first = 0;
        qsizetype end = 0;
        Chunk chunk; ///< fetched, rows from `offset` not yet handed over
        idx_t offset = 0;
    };

    QStringList paths;
    qsizetype next = 0;
    qsizetype sharedReads = 0;
    bool engineTried = false;
    Connection con;
    std::vector<std::unique_ptr<Entry>> window;
    qsizetype windowStart = 0;
    std::vector<Schema> schemas;
    std::unique_ptr<Stream> stream;

    bool connect();
    void openWindow(qsizetype start);
    void readFacts(std::vector<Entry*> entries);
    void readSchemas(std::vector<Entry*> entries);
    const Schema* planFor(Entry& e);
    QString openStream(qsizetype index, const Schema& schema);
    FileOutcome readShared(qsizetype index, Entry& e, const Schema& schema, const ReadOptions& options, RecordSink& sink);
};

bool ParquetFiles::Impl::connect()
{
    if (con.handle) return true;
    if (engineTried) return false;
    engineTried = true;
    Engine& engine = Engine::instance();
    return engine.ok() && duckdb_connect(engine.db(), &con.handle) == DuckDBSuccess;
}

/// Opens paths [start, start + kWindow) and reads their footers and schemas in two queries.
void ParquetFiles::Impl::openWindow(qsizetype start)
{
    stream.reset();
    window.clear();
    schemas.clear();
    windowStart = start;
    std::vector<Entry*> candidates;
    for (qsizetype i = start; i < std::min(paths.size(), start + kWindow); ++i) {
        auto e = std::make_unique<Entry>();
        bool truncated = false;
        if (openParquet(e->file, paths[i], e->fd, truncated).isEmpty() && e->file.seek(0) && e->file.read(4) == "PAR1") {
            e->size = e->file.size();
            candidates.push_back(e.get());
        } else {
            e->file.close();
        }
        window.push_back(std::move(e));
    }
    readFacts(candidates);
    readSchemas(candidates);
    for (Entry* e : candidates) {
        if (!e->shared) continue;
        e->shared = e->hasFacts && e->facts.facts().totalRows > 0 && !e->schemaKey.empty();
        if (!e->shared) continue;
        auto it = std::find_if(schemas.begin(), schemas.end(), [&](const Schema& s) { return s.key == e->schemaKey; });
        if (it == schemas.end()) {
            schemas.push_back({e->schemaKey, false, false, {}});
            it = schemas.end() - 1;
        }
        e->schema = static_cast<int>(it - schemas.begin());
    }
}

/// The footers' row groups and codecs of `entries` in one parquet_metadata() query. If DuckDB
/// refuses the list (a damaged footer), each half is tried on its own, down to single files,
/// which are then left to readFile() and its clear refusal.
void ParquetFiles::Impl::readFacts(std::vector<Entry*> entries)
{
    if (entries.empty()) return;
    const FdList list(entries);
    QueryResult result;
    if (!runOnList(con.handle,
                   "SELECT file_name, CAST(row_group_id AS BIGINT), CAST(row_group_num_rows AS BIGINT), compression "
                   "FROM parquet_metadata($1)",
                   list.fds, result)) {
        if (entries.size() == 1) return;
        const auto half = entries.begin() + static_cast<std::ptrdiff_t>(entries.size() / 2);
        readFacts({entries.begin(), half});
        readFacts({half, entries.end()});
        return;
    }
    for (Entry* e : entries) e->shared = true;
    forEachRow(result, [&](duckdb_data_chunk c, idx_t r) {
        Entry* e = list.find(textAt(c, 0, r));
        if (!e) return;
        e->facts.add(c, 1, r);
        e->hasFacts = true;
    });
}

/// Each file's columns (names and DuckDB types, in order) in one parquet_schema() query: files
/// with the same ones share a read query. Halved on failure as in readFacts().
void ParquetFiles::Impl::readSchemas(std::vector<Entry*> entries)
{
    std::erase_if(entries, [](const Entry* e) { return !e->shared; });
    if (entries.empty()) return;
    const FdList list(entries);
    QueryResult result;
    if (!runOnList(con.handle, "SELECT file_name, name, duckdb_type FROM parquet_schema($1)", list.fds, result)) {
        if (entries.size() == 1) {
            entries.front()->shared = false;
            return;
        }
        const auto half = entries.begin() + static_cast<std::ptrdiff_t>(entries.size() / 2);
        readSchemas({entries.begin(), half});
        readSchemas({half, entries.end()});
        return;
    }
    forEachRow(result, [&](duckdb_data_chunk c, idx_t r) {
        Entry* e = list.find(textAt(c, 0, r));
        if (!e) return;
        std::string& key = e->schemaKey;
        key += textAt(c, 1, r);
        key += '\x1f';
        key += textAt(c, 2, r);
        key += '\x1e';
    });
}

/// The plan of e's columns (planned from e if it is the first file with them); null if they
/// cannot be planned (the files are then read on their own, each refused clearly).
const ParquetFiles::Impl::Schema* ParquetFiles::Impl::planFor(Entry& e)
{
    Schema& s = schemas[static_cast<size_t>(e.schema)];
    if (!s.planned) {
        s.planned = true;
        s.ok = planRead(con.handle, e.fd, s.plan).isEmpty();
    }
    return s.ok ? &s : nullptr;
}

/// Starts the read query over the run of files from `index` on with the same columns.
QString ParquetFiles::Impl::openStream(qsizetype index, const Schema& schema)
{
    stream = std::make_unique<Stream>();
    stream->first = index;
    const qsizetype windowEnd = windowStart + static_cast<qsizetype>(window.size());
    const int id = window[static_cast<size_t>(index - windowStart)]->schema;
    std::vector<std::string> fds;
    qsizetype end = index;
    for (; end < windowEnd; ++end) {
        const Entry& e = *window[static_cast<size_t>(end - windowStart)];
        if (!e.shared || e.schema != id) break;
        fds.push_back(e.fd);
    }
    stream->end = end;
    const std::string sql = "SELECT file_index, " + schema.plan.columns + schema.plan.from;
    Stream& s = *stream;
    if (duckdb_connect(Engine::instance().db(), &s.con.handle) != DuckDBSuccess)
        return QStringLiteral("the reader cannot start (DuckDB connection)");
    if (duckdb_prepare(s.con.handle, sql.c_str(), &s.prepared.handle) != DuckDBSuccess)
        return errorText(duckdb_prepare_error(s.prepared.handle));
    if (!bindList(s.prepared.handle, fds)) return QStringLiteral("cannot bind the files");
    if (duckdb_pending_prepared_streaming(s.prepared.handle, &s.pending.handle) != DuckDBSuccess)
        return errorText(duckdb_pending_error(s.pending.handle));
    const duckdb_state st = duckdb_execute_pending(s.pending.handle, &s.result.result);
    s.result.live = true;
    if (st != DuckDBSuccess) return errorText(duckdb_result_error(&s.result.result));
    s.pump = std::make_unique<ChunkPump>(s.result.result);
    return {};
}

/// File `index` (entry `e`) from the shared read query: its chunks go to its own ParquetRead.
FileOutcome ParquetFiles::Impl::readShared(qsizetype index, Entry& e, const Schema& schema, const ReadOptions& options,
                                           RecordSink& sink)
{
    ++sharedReads;
    ParquetRead read(paths[index], options, sink);
    read.adopt(e.fd, e.size, e.facts.facts(), schema.plan);
    QString error;
    if (!stream || index < stream->first || index >= stream->end) error = openStream(index, schema);
    while (error.isEmpty() && stream) {
        Stream& s = *stream;
        if (!s.chunk.handle) {
            std::string why;
            s.chunk.handle = s.pump->next(why);
            s.offset = 0;
            if (!s.chunk.handle) {
                if (!why.empty()) error = errorText(why.c_str());
                stream.reset(); // done (or failed): files after this one start a new query
                break;
            }
        }
        const idx_t size = duckdb_data_chunk_get_size(s.chunk.handle);
        const auto* fileIndex =
            static_cast<const uint64_t*>(duckdb_vector_get_data(duckdb_data_chunk_get_vector(s.chunk.handle, 0)));
        const uint64_t mine = static_cast<uint64_t>(index - s.first);
        while (s.offset < size && fileIndex[s.offset] < mine) ++s.offset; // a file left out
        if (s.offset < size && fileIndex[s.offset] > mine) break;         // the next file's: kept for it
        idx_t to = s.offset;
        while (to < size && fileIndex[to] == mine) ++to;
        if (to > s.offset && !read.takeRows(s.chunk.handle, s.offset, to)) {
            if (options.cancel && options.cancel->load(std::memory_order_relaxed)) return read.finish(con.handle, {});
            stream.reset(); // the chunk did not fit the plan: finish() says why
            break;
        }
        s.offset = to;
        if (s.offset >= size) {
            duckdb_destroy_data_chunk(&s.chunk.handle);
            s.chunk.handle = nullptr;
        }
    }
    if (!error.isEmpty()) stream.reset();
    return read.finish(con.handle, error);
}

ParquetFiles::ParquetFiles(QStringList paths) : m_impl(std::make_unique<Impl>())
{
    m_impl->paths = std::move(paths);
}

ParquetFiles::~ParquetFiles() = default;

FileOutcome ParquetFiles::read(qsizetype index, const ReadOptions& options, RecordSink& sink)
{
    Impl& m = *m_impl;
    const QString path = m.paths.value(index);
    const bool inOrder = index >= m.next && index < m.paths.size();
    m.next = std::max(m.next, index + 1);
    if (!inOrder || !m.connect()) return readFile(path, options, sink);
    if (index >= m.windowStart + static_cast<qsizetype>(m.window.size()) || index < m.windowStart || m.window.empty())
        m.openWindow(index);
    Impl::Entry& e = *m.window[static_cast<size_t>(index - m.windowStart)];
    if (!e.shared) return readFile(path, options, sink);
    const Impl::Schema* schema = m.planFor(e);
    if (!schema) return readFile(path, options, sink);
    return m.readShared(index, e, *schema, options, sink);
}

qsizetype ParquetFiles::sharedReads() const
{
    return m_impl->sharedReads;
}

void readParquetTogether(std::vector<LoadSource>& sources)
{
    QStringList paths;
    std::vector<size_t> which;
    for (size_t i = 0; i < sources.size(); ++i) {
        if (!sources[i].path.endsWith(QLatin1String(".parquet"), Qt::CaseInsensitive)) continue;
        paths << sources[i].path;
        which.push_back(i);
    }
    if (paths.size() < 2 || !parquetSupported()) return;
    auto files = std::make_shared<ParquetFiles>(paths);
    for (size_t k = 0; k < which.size(); ++k) {
        const qsizetype index = static_cast<qsizetype>(k);
        sources[which[k]].read = [files, index](const ReadOptions& o, RecordSink& sink) { return files->read(index, o, sink); };
    }
}

#endif

} // namespace core
