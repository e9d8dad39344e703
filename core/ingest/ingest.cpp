#include "core/ingest/ingest.h"

#include "core/ingest/gzip.h"
#include "core/ingest/ingest_reader.h"
#include "core/ingest/parquet.h"
#include "core/ingest/partitions.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace core {
namespace {

/// Compressed bytes read per I/O call; progress is reported after each.
constexpr qint64 kReadChunk = 1 << 20;

/// Decoded bytes on their way from the gzip thread to the parsing thread: a bounded queue
/// (kDepth pieces of at most kPieceBytes) with recycled buffers that the gzip thread decodes
/// straight into.
class DecodedQueue {
public:
    static constexpr size_t kDepth = 4;
    static constexpr size_t kPieceBytes = size_t{256} << 10;
    struct Piece {
        std::unique_ptr<char[]> data; ///< kPieceBytes, not zero-filled
        size_t size = 0;
        std::string_view view() const { return {data.get(), size}; }
    };
    /// An empty buffer for the producer (recycled when possible).
    Piece takeBuffer()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (!m_free.empty()) {
                Piece b = std::move(m_free.back());
                m_free.pop_back();
                return b;
            }
        }
        Piece b;
        b.data.reset(new char[kPieceBytes]);
        return b;
    }
    /// Producer: blocks while full. False once the consumer gave up.
    bool push(Piece data)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_notFull.wait(lock, [&] { return m_aborted || m_queue.size() < kDepth; });
        if (m_aborted) return false;
        m_queue.push_back(std::move(data));
        m_notEmpty.notify_one();
        return true;
    }
    /// Producer: no more data.
    void close()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_closed = true;
        m_notEmpty.notify_one();
    }
    /// Consumer: the next piece, in order; nullopt after close() once drained, or after abort().
    std::optional<Piece> pop()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_notEmpty.wait(lock, [&] { return m_aborted || m_closed || !m_queue.empty(); });
        if (m_aborted || m_queue.empty()) return std::nullopt;
        Piece d = std::move(m_queue.front());
        m_queue.pop_front();
        m_notFull.notify_one();
        return d;
    }
    void giveBack(Piece b)
    {
        b.size = 0;
        std::lock_guard<std::mutex> lock(m_mutex);
        m_free.push_back(std::move(b));
    }
    /// Consumer: stop; wakes a producer waiting for room.
    void abort()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_aborted = true;
        m_queue.clear();
        m_notFull.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_notFull, m_notEmpty;
    std::deque<Piece> m_queue;
    std::vector<Piece> m_free;
    bool m_closed = false;
    bool m_aborted = false;
};

/// Drives one input through (optional) gunzip into a Reader. `next(chunk)` returns the next
/// raw piece (empty at end) or sets `ioError`. Gzip input is read and decoded on a second
/// thread (options.gzipThread) while this one parses: the Reader sees the same bytes in the
/// same order either way, and the end of input (read error, corrupt or truncated stream) is
/// judged the same way after the Reader has consumed everything decoded before it.
template <class Next> FileOutcome pump(const QString& name, const ReadOptions& options, RecordSink& sink, Next&& next)
{
    detail::Reader reader(name, options, sink);
    QString ioError;
    std::string_view chunk = next(ioError);
    const bool gz = isGzip(chunk);
    std::optional<GzipDecoder> gzip;
    // A gzip thread decodes while this one parses (or, with parse workers, cuts the text, parses
    // when it would wait, and hands the workers' rows on in order).
    const bool pipelined = gz && options.gzipThread;
    // Pipelined, the decoded pieces are 256 KiB so the queue and its spare buffers hold ~2 MB.
    if (gz) gzip.emplace(pipelined ? DecodedQueue::kPieceBytes : size_t{1} << 20);
    qint64 consumed = 0;
    bool go = true;
    if (pipelined) {
        DecodedQueue queue;
        std::atomic<qint64> decodedFrom{0}; // compressed bytes consumed, for progress
        std::thread decoder([&] {
            // zlib decodes into a queue buffer, which then goes to the parsing thread as it is.
            DecodedQueue::Piece current;
            const GzipDecoder::Target target = [&queue, &current] {
                if (!current.data) current = queue.takeBuffer();
                return current.data.get();
            };
            const GzipDecoder::Output out = [&queue, &current](std::string_view d) {
                current.size = d.size();
                return queue.push(std::move(current)); // leaves `current` empty: the next target() takes another
            };
            while (!chunk.empty()) {
                const bool more = gzip->feed(chunk, out, target);
                consumed += static_cast<qint64>(chunk.size());
                decodedFrom.store(consumed, std::memory_order_relaxed);
                if (!more) break;
                chunk = next(ioError);
            }
            queue.close();
        });
        while (std::optional<DecodedQueue::Piece> data = queue.pop()) {
            go = reader.feed(data->view());
            queue.giveBack(std::move(*data));
            sink.progress(decodedFrom.load(std::memory_order_relaxed));
            if (!go) break;
        }
        queue.abort();
        decoder.join();
        sink.progress(consumed);
        if (!go) ioError.clear(); // as inline: a stopped Reader ends the input before any later read
    } else {
        while (!chunk.empty()) {
            if (gz) go = gzip->feed(chunk, [&reader](std::string_view d) { return reader.feed(d); });
            else go = reader.feed(chunk);
            consumed += static_cast<qint64>(chunk.size());
            sink.progress(consumed);
            if (!go) break;
            chunk = next(ioError);
        }
    }
    if (gz) reader.setFormSuffix(QStringLiteral(", gzip"));
    if (!ioError.isEmpty()) {
        reader.finish(true, QStringLiteral("read error"));
        reader.outcome().truncated = true;
        reader.fail(QStringLiteral("read error after %1 bytes: %2").arg(consumed).arg(ioError));
        return std::move(reader.outcome());
    }
    if (gz && !reader.stopped()) {
        GzipDecoder& decoder = *gzip;
        decoder.finish();
        if (decoder.state() == GzipDecoder::State::Error) {
            reader.finish(true, decoder.error());
            reader.outcome().truncated = true;
            reader.fail(decoder.error());
            return std::move(reader.outcome());
        }
        if (decoder.decodedOut() == 0 && !reader.stopped()) {
            reader.fail(QStringLiteral("empty file (gzip without data)"));
            reader.finish();
            return std::move(reader.outcome());
        }
    }
    reader.finish();
    return std::move(reader.outcome());
}

bool visitDir(const QString& dirPath, QSet<QString>& visitedDirs, QSet<QString>& files, QStringList& out, QStringList* errors)
{
    const QDir dir(dirPath);
    if (!dir.isReadable()) {
        if (errors) errors->append(dirPath + QStringLiteral(": cannot read directory (permission denied)"));
        return false;
    }
    const QFileInfoList entries = dir.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System, QDir::Name);
    for (const QFileInfo& e : entries) {
        const QString path = e.filePath();
        if (e.isSymLink() && !e.exists()) {
            if (errors) errors->append(path + QStringLiteral(": broken symbolic link"));
            continue;
        }
        if (e.isDir()) {
            const QString canon = e.canonicalFilePath();
            if (visitedDirs.contains(canon)) {
                if (errors && e.isSymLink()) errors->append(path + QStringLiteral(": symbolic link loop, skipped"));
                continue;
            }
            visitedDirs.insert(canon);
            visitDir(path, visitedDirs, files, out, errors);
            continue;
        }
        if (!e.isFile()) continue; // sockets, fifos, devices
        if (!e.isReadable()) {
            if (errors) errors->append(path + QStringLiteral(": permission denied"));
            continue;
        }
        const QString canon = e.canonicalFilePath();
        if (files.contains(canon)) continue;
        files.insert(canon);
        out.append(path);
    }
    return true;
}

} // namespace

Result<QStringList> parseFormatString(const QString& format)
{
    QString f = format;
    f.replace(QLatin1Char(','), QLatin1Char(' '));
    const QStringList raw = f.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    QStringList out;
    for (QString t : raw) {
        if (t.startsWith(QLatin1String("${")) && t.endsWith(QLatin1Char('}')) && t.size() > 3) t = t.mid(2, t.size() - 3);
        if (t.isEmpty() || t.contains(QLatin1Char('$')) || t.contains(QLatin1Char('{')) || t.contains(QLatin1Char('}')))
            return Error{{}, 0, 0, QStringLiteral("format: '%1' is not a field name").arg(t)};
        const QByteArray utf8 = t.toUtf8();
        if (auto id = findField(std::string_view(utf8.constData(), static_cast<size_t>(utf8.size()))))
            out << QLatin1String(fieldInfo(*id).name);
        else out << t;
    }
    if (out.isEmpty()) return Error{{}, 0, 0, QStringLiteral("format: empty format string")};
    return out;
}

FileOutcome readFile(const QString& path, const ReadOptions& options, RecordSink& sink)
{
    auto fatal = [&](const QString& reason) {
        FileOutcome o;
        o.fatal = Error{path, 0, 0, reason};
        return o;
    };
    const QFileInfo info(path);
    if (!info.exists()) return fatal(info.isSymLink() ? QStringLiteral("broken symbolic link") : QStringLiteral("no such file"));
    if (info.isDir()) return fatal(QStringLiteral("is a directory"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return fatal(QStringLiteral("cannot open: %1").arg(file.errorString()));
    // The first bytes decide between Parquet (read by parquet.cpp from the file itself) and a
    // stream; they are not re-read (pipes cannot seek), the first chunk starts with them.
    const std::unique_ptr<char[]> buffer(new char[static_cast<size_t>(kReadChunk)]); // not zero-filled
    qint64 head = file.read(buffer.get(), 4);
    if (head < 0) head = 0; // the pump's first read reports the error
    if (isParquetMagic(std::string_view(buffer.get(), static_cast<size_t>(head)))) {
        file.close();
        return readParquetFile(path, options, sink);
    }
    // Records without an account or region of their own take the S3 path's (Parquet: parquet.cpp).
    const PathPartitions partitions = pathPartitions(info.absoluteFilePath());
    PathPartitionSink filled(sink, partitions);
    RecordSink& out = partitions.empty() ? sink : filled;
    return pump(path, options, out, [&](QString& ioError) -> std::string_view {
        const qint64 got = file.read(buffer.get() + head, kReadChunk - head);
        if (got < 0) {
            ioError = file.errorString();
            return {};
        }
        const qint64 total = got + head;
        head = 0;
        return std::string_view(buffer.get(), static_cast<size_t>(total));
    });
}

FileOutcome readBuffer(const QByteArray& data, const QString& name, const ReadOptions& options, RecordSink& sink)
{
    qint64 pos = 0;
    const qint64 size = data.size();
    return pump(name, options, sink, [&](QString&) -> std::string_view {
        const qint64 len = std::min(kReadChunk, size - pos);
        const std::string_view piece(data.constData() + pos, static_cast<size_t>(len));
        pos += len;
        return piece;
    });
}

QStringList expandPaths(const QStringList& paths, QStringList* errors)
{
    QStringList out;
    QSet<QString> visitedDirs;
    QSet<QString> files;
    for (const QString& p : paths) {
        const QFileInfo info(p);
        if (!info.exists()) {
            if (errors)
                errors->append(p
                               + (info.isSymLink() ? QStringLiteral(": broken symbolic link")
                                                   : QStringLiteral(": no such file or directory")));
            continue;
        }
        if (info.isDir()) {
            const QString canon = info.canonicalFilePath();
            if (visitedDirs.contains(canon)) continue;
            visitedDirs.insert(canon);
            visitDir(p, visitedDirs, files, out, errors);
            continue;
        }
        if (!info.isReadable()) {
            if (errors) errors->append(p + QStringLiteral(": permission denied"));
            continue;
        }
        const QString canon = info.canonicalFilePath();
        if (files.contains(canon)) continue;
        files.insert(canon);
        out.append(p);
    }
    return out;
}

} // namespace core
