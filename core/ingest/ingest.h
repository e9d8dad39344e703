#pragma once
// Reading one input file of any supported form into records: plain/gzip (multi-member),
// S3 text with header, headerless TGW/VPC defaults, a user-supplied format, CloudWatch JSON /
// NDJSON / export-to-S3 lines / console CSV / subscription DATA_MESSAGE, Athena CSV.
// Pure reading and parsing: no SQLite here. The loader (loader.h) drives it.
#include "core/model/record.h"
#include "core/model/result.h"

#include <QString>
#include <QStringList>
#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace core {

class ParallelSink;

/// Receives what a reader produces, in file order. Called on the reader's thread.
class RecordSink {
public:
    virtual ~RecordSink() = default;
    /// One record; views in `r` are valid only during the call.
    virtual void record(const FlowRecord& r) = 0;
    /// One rejected line. Every input line ends up as a record() or a reject().
    virtual void reject(const Rejection& r) = 0;
    /// Index of the extra (unknown) text column for a header token; the sink creates it on first use.
    virtual int extraColumn(std::string_view headerToken) = 0;
    /// Bytes of the (compressed) file consumed so far; called at least every ~1 MB.
    virtual void progress(qint64 /*fileBytesRead*/) {}
    /// The worker threads' side of this sink (ReadOptions::parseThread), or null: then the workers
    /// only parse, and every record still comes through record().
    virtual ParallelSink* parallel() { return nullptr; }
};

/// A sink whose records can be packed on the worker threads that parsed them
/// (ReadOptions::parseThread): each worker owns a Packer and fills Pieces, one per piece of
/// text; the reader's thread then hands the rows over in file order through packed(), so the
/// only per-record work left on one thread is the hand-over.
class ParallelSink {
public:
    /// What one worker packed from one piece of text (the sink's type).
    class Piece {
    public:
        virtual ~Piece() = default;
    };
    /// One worker thread's packer: used by that thread only (packed() reads what it made).
    class Packer {
    public:
        virtual ~Packer() = default;
        virtual std::unique_ptr<Piece> newPiece() = 0;
        /// Empties `piece` for the next piece of text.
        virtual void clear(Piece& piece) = 0;
        /// Packs `r` as the next row of `piece`; views in `r` stay valid until the piece is handed
        /// over. False: not packed (the reader then gives the line to record() as usual).
        virtual bool pack(const FlowRecord& r, Piece& piece) = 0;
        /// After the last pack() of `piece`, before it is handed over: work done best on all its
        /// rows at once.
        virtual void finish(Piece& /*piece*/) {}
    };
    virtual ~ParallelSink() = default;
    /// A packer for one more worker thread (reader's thread, before the worker starts).
    virtual std::unique_ptr<Packer> newPacker() = 0;
    /// Row `index` of `piece`, packed by `packer`, is the record of line `line`: as record() would
    /// (reader's thread, file order).
    virtual void packed(Packer& packer, Piece& piece, size_t index, qint64 line) = 0;
    /// The reader has handed over what it will of `piece` (reader's thread, after its last
    /// packed(), also when it stopped early); the piece is cleared and refilled afterwards.
    virtual void pieceDone(Packer& packer, Piece& piece) = 0;
};

struct ReadOptions {
    /// User-supplied format for headerless custom logs ("${version} ${vpc-id} ..." or
    /// "version vpc-id ..."); empty = detect.
    QString format;
    /// Set to true from another thread to stop reading soon (checked at least every ~64 KiB).
    const std::atomic<bool>* cancel = nullptr;
    /// Gzip input is decoded on a second thread while this one parses (pipelined, same bytes
    /// in the same order, so the same records and rejections). False decodes inline (tests
    /// compare both).
    bool gzipThread = true;
    /// Plain-text lines are parsed on worker threads (one per core but one, 1 to 3; in pieces of
    /// ~128 KiB) while this thread cuts the text and hands the results to the sink in order: the
    /// same records, line numbers and rejections. With a ParallelSink the workers also pack the
    /// records (the reading thread parses too when it would wait). Only files larger than one piece
    /// start them. False: one thread parses (the oracle of the tests).
    bool parseThread = true;
};

/// What became of one file.
struct FileOutcome {
    QString format; ///< detected form, e.g. "S3 text (header, 36 fields)", "TGW default", "CloudWatch JSON"
    qint64 records = 0;
    qint64 rejected = 0;
    qint64 linesRead = 0;   ///< == records + rejected (+ blank/header lines, counted in skipped)
    qint64 skipped = 0;     ///< blank lines and header lines: neither records nor rejections
    bool truncated = false; ///< e.g. gzip ended early: what was decoded is kept
    bool cancelled = false;
    std::optional<Error> fatal; ///< file unreadable/unrecognised: path + reason; may follow some records
};

/// Parses a user format string into field tokens (hyphen names, or unknown tokens as written).
/// Error if empty. Any thread.
Result<QStringList> parseFormatString(const QString& format);

/// Reads one file (plain or gzip, any supported form). Never throws; I/O errors go to
/// FileOutcome::fatal with the path. Any thread; one call per file.
FileOutcome readFile(const QString& path, const ReadOptions& options, RecordSink& sink);

/// Reads an in-memory buffer as if it were a file named `name` (tests, fuzzing, stdin).
FileOutcome readBuffer(const QByteArray& data, const QString& name, const ReadOptions& options, RecordSink& sink);

/// Expands files and folders (recursively, following no symlink loops, sorted) into the
/// list of files to read. Unreadable entries go to `errors` as "path: reason".
QStringList expandPaths(const QStringList& paths, QStringList* errors);

} // namespace core
