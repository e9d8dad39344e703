// The load pipeline: a parse thread reads files (ingest.h) and packs records into batches;
// the calling thread inserts the batches into the store in one transaction. The inputs are
// listed by loader.cpp (loadPaths, loadBuffer).
#include "core/ingest/loader_impl.h"

#include "core/ingest/memory.h"
#include "core/store/local_pack.h"
#include "core/store/store_impl.h"

#include <QElapsedTimer>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

namespace core {

namespace {

constexpr size_t kBatchRows = 4096;
/// Rows queued for the writer at most (batches are up to kBatchRows rows, or a piece of text's).
constexpr size_t kQueueRows = 4 * kBatchRows;
constexpr size_t kQueueDepth = 64;

struct Message {
    std::unique_ptr<RowBatch> batch;
    bool fileDone = false;
    FileReport file;
    bool end = false;
};

/// Bounded queue between the parse thread and the writer (kQueueRows rows), with a recycled
/// batch pool.
class Pipe {
public:
    /// Blocks while full; returns false if the writer gave up (cancel/error).
    bool push(Message m)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_notFull.wait(lock, [&] { return m_abort || (m_queue.size() < kQueueDepth && m_queuedRows < kQueueRows); });
        if (m_abort) return false;
        // The writer is woken for a file's end or a batch's worth of rows, not for each piece's few
        // hundred (a wake per piece was 4x the context switches); pop() also looks every `ms`.
        const bool wake = !m.batch || m_queuedRows + m.batch->rows.size() >= kBatchRows;
        if (m.batch) m_queuedRows += m.batch->rows.size();
        m_queue.push_back(std::move(m));
        if (wake) m_notEmpty.notify_one();
        return true;
    }
    /// Waits up to `ms` for a message.
    std::optional<Message> pop(int ms)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        if (!m_notEmpty.wait_for(lock, std::chrono::milliseconds(ms), [&] { return !m_queue.empty(); })) return std::nullopt;
        Message m = std::move(m_queue.front());
        m_queue.pop_front();
        if (m.batch) m_queuedRows -= m.batch->rows.size();
        m_notFull.notify_one();
        return m;
    }
    void abort()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_abort = true;
        m_queue.clear();
        m_queuedRows = 0;
        m_notFull.notify_all();
    }
    bool aborted()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_abort;
    }
    /// A recycled batch, or a new one (with room for kBatchRows rows if `reserve`).
    std::unique_ptr<RowBatch> takeFree(bool reserve = true)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_free.empty()) {
            auto b = std::make_unique<RowBatch>();
            if (reserve) b->rows.reserve(kBatchRows);
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
    size_t m_queuedRows = 0; ///< rows of the batches in m_queue
    std::vector<std::unique_ptr<RowBatch>> m_free;
    bool m_abort = false;
};

/// Says in the report which describe-flow-logs LogFormat a file was read with.
void noteFormatSource(FileReport& file, const LoadSource& src)
{
    if (!src.formatNote.isEmpty()) {
        file.formatSource = src.formatNote;
    } else if (!src.formatSource.isEmpty() && file.format.contains(QLatin1String("custom format"))) {
        file.formatSource = src.formatSource;
        file.format += QStringLiteral(" (%1)").arg(src.formatTag);
    }
}

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

/// Hash of a flow's identity: equal for the ingress and egress records of one TGW flow.
/// Records without addresses (NODATA, SKIPDATA) also mix in their line so they spread.
uint64_t flowHash(const FlowRecord& r)
{
    uint64_t h = 1469598103934665603ULL; // FNV-1a 64
    auto mix = [&h](const void* data, size_t size) {
        const auto* p = static_cast<const unsigned char*>(data);
        for (size_t i = 0; i < size; ++i) {
            h ^= p[i];
            h *= 1099511628211ULL;
        }
    };
    for (FieldId f : {FieldId::SrcAddr, FieldId::DstAddr}) {
        const std::string_view t = r.has(f) ? r.text(f) : std::string_view("-");
        mix(t.data(), t.size());
        mix("|", 1);
    }
    for (FieldId f : {FieldId::SrcPort, FieldId::DstPort, FieldId::Protocol, FieldId::Packets, FieldId::Bytes, FieldId::Start,
                      FieldId::End}) {
        const int64_t v = r.has(f) ? r.integer(f) : -1;
        mix(&v, sizeof v);
    }
    if (!r.has(FieldId::SrcAddr)) mix(&r.line, sizeof r.line);
    h ^= h >> 31; // splitmix64 finaliser: the low bits decide the sample
    h *= 0x7fb5d329728ea185ULL;
    h ^= h >> 27;
    h *= 0x81dadef4bc2dd44dULL;
    h ^= h >> 33;
    return h;
}

/// A LocalPacker as the ingest workers' packer (ParallelSink::Packer).
struct WorkerPacker final : ParallelSink::Packer {
    struct Rows final : ParallelSink::Piece {
        LocalRows rows;
    };
    explicit WorkerPacker(const Store::Impl& impl) : local(impl) {}
    std::unique_ptr<ParallelSink::Piece> newPiece() override { return std::make_unique<Rows>(); }
    void clear(ParallelSink::Piece& piece) override { static_cast<Rows&>(piece).rows.clear(); }
    bool pack(const FlowRecord& r, ParallelSink::Piece& piece) override
    {
        local.pack(r, static_cast<Rows&>(piece).rows);
        return true;
    }
    void finish(ParallelSink::Piece& piece) override { local.finish(static_cast<Rows&>(piece).rows); }
    LocalPacker local;
};

class PackSink final : public RecordSink, public ParallelSink {
public:
    PackSink(Store::Impl& impl, Pipe& pipe, Shared& shared, const LoadOptions& options)
        : m_impl(impl), m_pipe(pipe), m_shared(shared), m_from(options.windowFrom), m_to(options.windowTo),
          m_sample(static_cast<uint64_t>(std::max(1, options.sampleEvery)))
    {
    }

    void startFile(const QString& path)
    {
        m_path = path;
        m_fileId = 0;
        m_records = 0;
        m_published = 0;
        m_rejected = 0;
        m_outside = 0;
        m_sampledOut = 0;
    }
    qint64 fileId() const { return m_fileId; }
    qint64 records() const { return m_records; }
    qint64 rejectedCount() const { return m_rejected; }
    qint64 outsideWindow() const { return m_outside; }
    qint64 sampledOut() const { return m_sampledOut; }
    bool stopped() const { return m_stopped; }

    void record(const FlowRecord& r) override
    {
        if (m_stopped) return;
        spillPiece();
        ensureFileId();
        if (m_from || m_to) {
            const bool known = r.has(FieldId::Start);
            const int64_t start = known ? r.integer(FieldId::Start) : 0;
            if (!known || (m_from && start < *m_from) || (m_to && start >= *m_to)) {
                ++m_outside;
                return;
            }
        }
        if (m_sample > 1 && flowHash(r) % m_sample != 0) {
            ++m_sampledOut;
            return;
        }
        if (!m_batch) m_batch = m_pipe.takeFree();
        m_batch->rows.emplace_back();
        PackedRow& row = m_batch->rows.back();
        m_impl.pack(r, row, *m_batch);
        row.fileId = m_fileId;
        ++m_records;
        if (m_batch->rows.size() >= kBatchRows) flush();
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
    /// Records are packed on the parse workers unless a time window or a sample is applied
    /// (those look at each FlowRecord here).
    ParallelSink* parallel() override { return m_from || m_to || m_sample > 1 ? nullptr : this; }
    std::unique_ptr<Packer> newPacker() override { return std::make_unique<WorkerPacker>(m_impl); }
    /// A piece's rows are adopted where the worker packed them, and the piece's batch goes to the
    /// writer as it is (pieceDone) when nothing else came between its rows; else (a record of the
    /// one-line path among them) they are copied into the current batch, as record() packs.
    void packed(Packer& packer, Piece& piece, size_t index, qint64 line) override
    {
        if (m_stopped) return;
        (void)packer;
        ensureFileId();
        LocalRows& rows = static_cast<WorkerPacker::Rows&>(piece).rows;
        if (m_piece != &rows && index == 0) {
            spillPiece();
            flush(); // the rows before this piece's
            m_piece = &rows;
        }
        LocalPacker::adopt(m_impl, rows, index);
        PackedRow& row = rows.batch.rows[index];
        row.line = line;
        row.fileId = m_fileId;
        ++m_records;
        if (m_piece == &rows && index == m_pieceRows) {
            ++m_pieceRows;
            return;
        }
        spillPiece();
        if (!m_batch) m_batch = m_pipe.takeFree();
        copyRow(rows.batch, index, *m_batch);
        if (m_batch->rows.size() >= kBatchRows) flush();
    }
    void pieceDone(Packer& packer, Piece& piece) override
    {
        (void)packer;
        LocalRows& rows = static_cast<WorkerPacker::Rows&>(piece).rows;
        if (m_piece != &rows) return;
        const size_t count = m_pieceRows;
        m_piece = nullptr;
        m_pieceRows = 0;
        if (m_stopped || count == 0) return;
        rows.batch.rows.resize(count);
        rows.batch.extraColumns = m_impl.extraCount();
        Message m;
        m.batch = m_pipe.takeFree(false);
        std::swap(*m.batch, rows.batch); // the piece is cleared before it is refilled
        m_shared.records.fetch_add(m_records - m_published, std::memory_order_relaxed);
        m_published = m_records;
        if (!m_pipe.push(std::move(m))) m_stopped = true;
    }
    void progress(qint64 fileBytesRead) override { m_shared.bytesCurrent.store(fileBytesRead, std::memory_order_relaxed); }
    /// Sends the pending batch to the writer, and counts its records in the progress (once
    /// per batch: an atomic add per record stalled the parse thread on the row it had just
    /// written).
    void flush()
    {
        spillPiece();
        m_shared.records.fetch_add(m_records - m_published, std::memory_order_relaxed);
        m_published = m_records;
        if (!m_batch || m_batch->rows.empty()) return;
        m_batch->extraColumns = m_impl.extraCount();
        Message m;
        m.batch = std::move(m_batch);
        if (!m_pipe.push(std::move(m))) m_stopped = true;
    }

    void ensureFileId()
    {
        if (m_fileId == 0) m_fileId = m_impl.allocateFileId();
    }

private:
    /// Appends row `index` of `from` and its extras (codes already global) to `to`.
    static void copyRow(const RowBatch& from, size_t index, RowBatch& to)
    {
        const PackedRow& src = from.rows[index];
        to.rows.push_back(src);
        to.rows.back().extraBegin = static_cast<uint32_t>(to.extras.size());
        to.extras.insert(to.extras.end(), from.extras.begin() + src.extraBegin,
                         from.extras.begin() + src.extraBegin + src.extraCount);
    }
    /// The rows adopted in place so far go into the current batch instead (something else comes
    /// between them and the rest of their piece).
    void spillPiece()
    {
        if (!m_piece) return;
        if (!m_stopped && m_pieceRows > 0) {
            if (!m_batch) m_batch = m_pipe.takeFree();
            for (size_t i = 0; i < m_pieceRows; ++i) copyRow(m_piece->batch, i, *m_batch);
        }
        m_piece = nullptr;
        m_pieceRows = 0;
    }

    Store::Impl& m_impl;
    Pipe& m_pipe;
    Shared& m_shared;
    std::unique_ptr<RowBatch> m_batch;
    LocalRows* m_piece = nullptr; ///< the piece whose rows [0, m_pieceRows) are adopted in place
    size_t m_pieceRows = 0;
    QString m_path;
    qint64 m_fileId = 0;
    qint64 m_records = 0;
    qint64 m_published = 0; ///< of m_records, counted in m_shared.records
    qint64 m_rejected = 0;
    qint64 m_outside = 0;
    qint64 m_sampledOut = 0;
    std::optional<qint64> m_from;
    std::optional<qint64> m_to;
    uint64_t m_sample = 1;
    bool m_stopped = false;
};

QString fatalText(const QString& path, const Error& e)
{
    Error x = e;
    if (x.file.isEmpty()) x.file = path;
    return x.toString();
}

} // namespace

LoadReport runLoad(Store& store, std::vector<LoadSource> sources, const QStringList& expandErrors, const LoadOptions& options)
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
    for (const LoadSource& s : sources) bytesTotal += s.size;
    const int filesTotal = static_cast<int>(sources.size());
    const std::atomic<bool>* cancel = options.read.cancel;
    auto cancelled = [&] { return cancel && cancel->load(std::memory_order_relaxed); };

    auto makeProgress = [&](bool final) {
        LoadProgress p;
        p.bytesTotal = bytesTotal;
        p.bytesRead = final ? bytesTotal : std::min(bytesTotal, shared.bytesDone.load() + shared.bytesCurrent.load());
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
        PackSink sink(impl, pipe, shared, options);
        for (const LoadSource& src : sources) {
            if (cancelled() || pipe.aborted()) break;
            {
                std::lock_guard<std::mutex> lock(shared.currentMutex);
                shared.current = src.path;
            }
            shared.bytesCurrent.store(0);
            sink.startFile(src.path);
            FileOutcome out = src.read(options.read, sink);
            sink.flush();
            if (!out.fatal) sink.ensureFileId();
            Message m;
            m.fileDone = true;
            m.file.fileId = sink.fileId();
            m.file.path = src.path;
            m.file.format = out.format;
            noteFormatSource(m.file, src);
            m.file.records = sink.records();
            m.file.rejected = sink.rejectedCount();
            m.file.outsideWindow = sink.outsideWindow();
            m.file.sampledOut = sink.sampledOut();
            m.file.lines = out.linesRead;
            m.file.skipped = out.skipped;
            m.file.truncated = out.truncated;
            if (out.fatal) m.file.error = fatalText(src.path, *out.fatal);
            shared.bytesDone.fetch_add(src.size);
            shared.bytesCurrent.store(0);
            shared.filesDone.fetch_add(1);
            if (sink.stopped() || !pipe.push(std::move(m))) break;
        }
        Message end;
        end.end = true;
        pipe.push(std::move(end));
    });

    QString writeError;
    bool stop = false;
    qint64 lastEmit = -1000;
    while (!stop) {
        if (cancelled()) break;
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
                report.outsideWindow += fr.outsideWindow;
                report.sampledOut += fr.sampledOut;
                if (!fr.error.isEmpty()) report.errors << fr.error;
                report.files.push_back(std::move(fr));
            }
            if (m->end) stop = true;
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
        if (!writeError.isEmpty()) report.errors << writeError;
        report.records = 0;
        report.rejected = 0;
        report.outsideWindow = 0;
        report.sampledOut = 0;
        report.rejections.clear();
        for (auto& f : report.files) f.fileId = 0;
        report.seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
        return report;
    }
    Status committed = impl.commitLoad();
    if (!committed.ok()) report.errors << committed.error().message;
    report.rejections = std::move(shared.rejections);
    const bool nothing = report.records == 0 && report.rejected == 0 && report.outsideWindow == 0 && report.sampledOut == 0;
    report.outcome = (nothing && !report.errors.isEmpty()) ? Outcome::Failed : Outcome::Ok;
    if (options.progress) options.progress(makeProgress(true));
    report.seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    return report;
}

} // namespace core
