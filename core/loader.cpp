// The load pipeline: a parse thread reads files (ingest.h) and packs records into batches;
// the calling thread inserts the batches into the store in one transaction.
#include "core/loader.h"

#include "core/store_impl.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace core
{

namespace
{

constexpr size_t kBatchRows = 4096;
constexpr size_t kQueueDepth = 4;

struct Message {
    std::unique_ptr<RowBatch> batch;
    bool fileDone = false;
    FileReport file;
    bool end = false;
};

/// Bounded queue between the parse thread and the writer, with a recycled batch pool.
class Pipe
{
public:
    /// Blocks while full; returns false if the writer gave up (cancel/error).
    bool push(Message m)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_notFull.wait(lock, [&] { return m_abort || m_queue.size() < kQueueDepth; });
        if (m_abort)
            return false;
        m_queue.push_back(std::move(m));
        m_notEmpty.notify_one();
        return true;
    }
    /// Waits up to `ms` for a message.
    std::optional<Message> pop(int ms)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        if (!m_notEmpty.wait_for(lock, std::chrono::milliseconds(ms), [&] { return !m_queue.empty(); }))
            return std::nullopt;
        Message m = std::move(m_queue.front());
        m_queue.pop_front();
        m_notFull.notify_one();
        return m;
    }
    void abort()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_abort = true;
        m_queue.clear();
        m_notFull.notify_all();
    }
    bool aborted()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_abort;
    }
    std::unique_ptr<RowBatch> takeFree()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_free.empty()) {
            auto b = std::make_unique<RowBatch>();
            b->rows.reserve(kBatchRows);
            return b;
        }
        auto b = std::move(m_free.back());
        m_free.pop_back();
        return b;
    }
    void giveBack(std::unique_ptr<RowBatch> b)
    {
        b->clear();
        std::lock_guard<std::mutex> lock(m_mutex);
        m_free.push_back(std::move(b));
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_notFull, m_notEmpty;
    std::deque<Message> m_queue;
    std::vector<std::unique_ptr<RowBatch>> m_free;
    bool m_abort = false;
};

/// One input: a display path, its size, and how to read it.
struct Source {
    QString path;
    qint64 size = 0;
    std::function<FileOutcome(const ReadOptions&, RecordSink&)> read;
};

struct Shared {
    std::atomic<qint64> bytesDone{0};    // finished files
    std::atomic<qint64> bytesCurrent{0}; // current file
    std::atomic<qint64> records{0};
    std::atomic<qint64> rejected{0};
    std::atomic<int> filesDone{0};
    std::mutex currentMutex;
    QString current;
    std::vector<LoadedRejection> rejections; // parse thread until joined
    int keep = 1000;
};

class PackSink final : public RecordSink
{
public:
    PackSink(Store::Impl& impl, Pipe& pipe, Shared& shared) : m_impl(impl), m_pipe(pipe), m_shared(shared) {}

    void startFile(const QString& path)
    {
        m_path = path;
        m_fileId = 0;
        m_records = 0;
        m_rejected = 0;
    }
    qint64 fileId() const { return m_fileId; }
    qint64 records() const { return m_records; }
    qint64 rejectedCount() const { return m_rejected; }
    bool stopped() const { return m_stopped; }

    void record(const FlowRecord& r) override
    {
        if (m_stopped)
            return;
        ensureFileId();
        if (!m_batch)
            m_batch = m_pipe.takeFree();
        m_batch->rows.emplace_back();
        PackedRow& row = m_batch->rows.back();
        m_impl.pack(r, row, *m_batch);
        row.fileId = m_fileId;
        ++m_records;
        m_shared.records.fetch_add(1, std::memory_order_relaxed);
        if (m_batch->rows.size() >= kBatchRows)
            flush();
    }
    void reject(const Rejection& r) override
    {
        ensureFileId();
        ++m_rejected;
        m_shared.rejected.fetch_add(1, std::memory_order_relaxed);
        if (static_cast<int>(m_shared.rejections.size()) < m_shared.keep)
            m_shared.rejections.push_back({m_path, r.line, r.reason, r.raw.left(4096)});
    }
    int extraColumn(std::string_view headerToken) override { return m_impl.extraColumn(headerToken); }
    void progress(qint64 fileBytesRead) override
    {
        m_shared.bytesCurrent.store(fileBytesRead, std::memory_order_relaxed);
    }
    /// Sends the pending batch to the writer.
    void flush()
    {
        if (!m_batch || m_batch->rows.empty())
            return;
        m_batch->extraColumns = m_impl.extraCount();
        Message m;
        m.batch = std::move(m_batch);
        if (!m_pipe.push(std::move(m)))
            m_stopped = true;
    }

private:
public:
    void ensureFileId()
    {
        if (m_fileId == 0)
            m_fileId = m_impl.allocateFileId();
    }

private:
    Store::Impl& m_impl;
    Pipe& m_pipe;
    Shared& m_shared;
    std::unique_ptr<RowBatch> m_batch;
    QString m_path;
    qint64 m_fileId = 0;
    qint64 m_records = 0;
    qint64 m_rejected = 0;
    bool m_stopped = false;
};

QString fatalText(const QString& path, const Error& e)
{
    Error x = e;
    if (x.file.isEmpty())
        x.file = path;
    return x.toString();
}

LoadReport runLoad(Store& store, std::vector<Source> sources, QStringList expandErrors,
                   const LoadOptions& options)
{
    QElapsedTimer timer;
    timer.start();
    LoadReport report;
    Store::Impl& impl = store.impl();
    std::lock_guard<std::mutex> writeLock(impl.writeLock());

    for (const QString& e : expandErrors) {
        report.errors << e;
        FileReport fr;
        const int colon = static_cast<int>(e.indexOf(QLatin1String(": ")));
        fr.path = colon > 0 ? e.left(colon) : e;
        fr.error = e;
        report.files.push_back(fr);
    }

    Shared shared;
    shared.keep = std::max(0, options.keepRejections);
    qint64 bytesTotal = 0;
    for (const Source& s : sources)
        bytesTotal += s.size;
    const int filesTotal = static_cast<int>(sources.size());
    const std::atomic<bool>* cancel = options.read.cancel;
    auto cancelled = [&] { return cancel && cancel->load(std::memory_order_relaxed); };

    auto makeProgress = [&](bool final) {
        LoadProgress p;
        p.bytesTotal = bytesTotal;
        p.bytesRead =
            final ? bytesTotal : std::min(bytesTotal, shared.bytesDone.load() + shared.bytesCurrent.load());
        p.records = shared.records.load();
        p.rejected = shared.rejected.load();
        p.filesDone = final ? filesTotal : shared.filesDone.load();
        p.filesTotal = filesTotal;
        {
            std::lock_guard<std::mutex> lock(shared.currentMutex);
            p.currentFile = shared.current;
        }
        return p;
    };

    Status begun = impl.beginLoad();
    if (!begun.ok()) {
        report.outcome = Outcome::Failed;
        report.errors << begun.error().message;
        return report;
    }

    Pipe pipe;
    std::thread parser([&] {
        PackSink sink(impl, pipe, shared);
        for (const Source& src : sources) {
            if (cancelled() || pipe.aborted())
                break;
            {
                std::lock_guard<std::mutex> lock(shared.currentMutex);
                shared.current = src.path;
            }
            shared.bytesCurrent.store(0);
            sink.startFile(src.path);
            FileOutcome out = src.read(options.read, sink);
            sink.flush();
            if (!out.fatal)
                sink.ensureFileId();
            Message m;
            m.fileDone = true;
            m.file.fileId = sink.fileId();
            m.file.path = src.path;
            m.file.format = out.format;
            m.file.records = sink.records();
            m.file.rejected = sink.rejectedCount();
            m.file.truncated = out.truncated;
            if (out.fatal)
                m.file.error = fatalText(src.path, *out.fatal);
            shared.bytesDone.fetch_add(src.size);
            shared.bytesCurrent.store(0);
            shared.filesDone.fetch_add(1);
            if (sink.stopped() || !pipe.push(std::move(m)))
                break;
        }
        Message end;
        end.end = true;
        pipe.push(std::move(end));
    });

    QString writeError;
    bool stop = false;
    qint64 lastEmit = -1000;
    while (!stop) {
        if (cancelled())
            break;
        std::optional<Message> m = pipe.pop(100);
        if (m) {
            if (m->batch) {
                Status st = impl.insertBatch(*m->batch);
                report.records += static_cast<qint64>(m->batch->rows.size());
                pipe.giveBack(std::move(m->batch));
                if (!st.ok()) {
                    writeError = st.error().message;
                    stop = true;
                }
            }
            if (m->fileDone) {
                FileReport fr = m->file;
                if (fr.fileId > 0) {
                    Status st = impl.insertFile(fr.fileId, fr.path, fr.format, fr.records, fr.rejected);
                    if (!st.ok()) {
                        writeError = st.error().message;
                        stop = true;
                    }
                }
                report.rejected += fr.rejected;
                if (!fr.error.isEmpty())
                    report.errors << fr.error;
                report.files.push_back(std::move(fr));
            }
            if (m->end)
                stop = true;
        }
        if (options.progress && timer.elapsed() - lastEmit >= 100) {
            lastEmit = timer.elapsed();
            options.progress(makeProgress(false));
        }
    }
    const bool wasCancelled = cancelled() && writeError.isEmpty();
    pipe.abort();
    parser.join();

    if (wasCancelled || !writeError.isEmpty()) {
        impl.rollbackLoad();
        report.outcome = wasCancelled ? Outcome::Cancelled : Outcome::Failed;
        if (!writeError.isEmpty())
            report.errors << writeError;
        report.records = 0;
        report.rejected = 0;
        report.rejections.clear();
        for (auto& f : report.files)
            f.fileId = 0;
        report.seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
        return report;
    }
    Status committed = impl.commitLoad();
    if (!committed.ok())
        report.errors << committed.error().message;
    report.rejections = std::move(shared.rejections);
    const bool nothing = report.records == 0 && report.rejected == 0;
    report.outcome = (nothing && !report.errors.isEmpty()) ? Outcome::Failed : Outcome::Ok;
    if (options.progress)
        options.progress(makeProgress(true));
    report.seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    return report;
}

} // namespace

LoadReport loadPaths(Store& store, const QStringList& paths, const LoadOptions& options)
{
    QStringList errors;
    const QStringList files = expandPaths(paths, &errors);
    std::vector<Source> sources;
    sources.reserve(static_cast<size_t>(files.size()));
    NameDirectory names;
    std::vector<NamesFileReport> namesFiles;
    QStringList namesErrors;
    for (const QString& f : files) {
        if (looksLikeNamesJson(f)) {
            auto r = loadNamesFile(f, names);
            if (r.ok()) namesFiles.push_back(r.value());
            else namesErrors << r.error().toString();
            continue;
        }
        Source s;
        s.path = f;
        s.size = QFileInfo(f).size();
        s.read = [f](const ReadOptions& o, RecordSink& sink) { return readFile(f, o, sink); };
        sources.push_back(std::move(s));
    }
    if (sources.empty() && !namesFiles.empty() && errors.isEmpty() && namesErrors.isEmpty()) {
        LoadReport report; // names only: nothing to load, nothing failed
        report.names = std::move(names);
        report.namesFiles = std::move(namesFiles);
        return report;
    }
    LoadReport report = runLoad(store, std::move(sources), errors + namesErrors, options);
    report.names = std::move(names);
    report.namesFiles = std::move(namesFiles);
    return report;
}

qint64 estimateLoadBytes(const QStringList& files)
{
    constexpr double kStorePerTextByte = 0.25;
    constexpr qint64 kFixed = 32LL << 20;
    qint64 text = 0;
    for (const QString& path : files) {
        QFile f(path);
        const qint64 size = f.size();
        qint64 plain = size;
        if (size >= 18 && f.open(QIODevice::ReadOnly)) {
            const QByteArray magic = f.read(2);
            if (magic.size() == 2 && static_cast<unsigned char>(magic[0]) == 0x1f &&
                static_cast<unsigned char>(magic[1]) == 0x8b && f.seek(size - 4)) {
                const QByteArray t = f.read(4);
                if (t.size() == 4) {
                    const quint32 isize = static_cast<quint32>(static_cast<unsigned char>(t[0])) |
                                          static_cast<quint32>(static_cast<unsigned char>(t[1])) << 8 |
                                          static_cast<quint32>(static_cast<unsigned char>(t[2])) << 16 |
                                          static_cast<quint32>(static_cast<unsigned char>(t[3])) << 24;
                    // ISIZE is mod 2^32 and covers the last member only: never below the compressed size.
                    plain = std::max<qint64>(size, static_cast<qint64>(isize));
                }
            }
        }
        text += plain;
    }
    return kFixed + static_cast<qint64>(static_cast<double>(text) * kStorePerTextByte);
}

LoadReport loadBuffer(Store& store, const QByteArray& data, const QString& name, const LoadOptions& options)
{
    std::vector<Source> sources(1);
    sources[0].path = name;
    sources[0].size = data.size();
    sources[0].read = [&data, name](const ReadOptions& o, RecordSink& sink) {
        return readBuffer(data, name, o, sink);
    };
    return runLoad(store, std::move(sources), {}, options);
}

} // namespace core
