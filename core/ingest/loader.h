#pragma once
// Loading files into a Store: expands folders, reads files (ingest.h) on a parse thread,
// writes into SQLite on the calling thread in one transaction, reports progress, honours cancel.
#include "core/ingest/ingest.h"
#include "core/names/flowlogformat.h"
#include "core/names/names.h"
#include "core/store/store.h"

#include <QString>
#include <QStringList>
#include <atomic>
#include <functional>
#include <optional>
#include <vector>

namespace core {

struct LoadProgress {
    qint64 bytesRead = 0;  ///< compressed bytes consumed across all files
    qint64 bytesTotal = 0; ///< sum of file sizes
    qint64 records = 0;
    qint64 rejected = 0;
    int filesDone = 0;
    int filesTotal = 0;
    QString currentFile;
};

struct LoadedRejection {
    QString file;
    qint64 line = 0;
    QString reason;
    QString raw;
};

struct FileReport {
    qint64 fileId = 0; ///< id in table `files` (0 if the file was not read at all)
    QString path;
    QString format;
    qint64 records = 0;
    qint64 rejected = 0;
    bool truncated = false;
    QString error; ///< fatal error sentence naming the path, empty if none
    /// Line accounting: records + rejected + skipped + outsideWindow + sampledOut == lines.
    qint64 lines = 0;         ///< physical lines read (JSON forms: events and blank lines)
    qint64 skipped = 0;       ///< blank and header lines
    qint64 outsideWindow = 0; ///< parsed records left out by LoadOptions' time window
    qint64 sampledOut = 0;    ///< parsed records left out by LoadOptions::sampleEvery
    /// Where the format of a headerless file came from, when not detected: "format from
    /// describe-flow-logs fl-… (LogFormat …)", or why a matching LogFormat was not used.
    QString formatSource;
};

struct LoadReport {
    Outcome outcome = Outcome::Ok; ///< Failed only if nothing at all could be loaded
    std::vector<FileReport> files;
    qint64 records = 0; ///< records added by this load
    qint64 rejected = 0;
    qint64 outsideWindow = 0;                ///< valid records not loaded: outside LoadOptions' time window
    qint64 sampledOut = 0;                   ///< valid records not loaded: not in LoadOptions' sample
    std::vector<LoadedRejection> rejections; ///< the first LoadOptions::keepRejections
    QStringList errors;                      ///< file-level errors ("path: reason"), also in files[].error
    double seconds = 0;
    /// Files not opened because their path time (S3 file name, or Hive/classic partition
    /// folders) shows they hold only records outside LoadOptions' time window (listed in
    /// `files` with that reason as their format).
    qint64 filesNotOpened = 0;
    /// AWS CLI describe-* JSON files found among the paths: read into `names`, not as flow logs.
    NameDirectory names;
    std::vector<NamesFileReport> namesFiles;
};

struct LoadOptions {
    ReadOptions read;          ///< format override, cancel flag
    int keepRejections = 1000; ///< rejections kept with file:line (all are counted)
    /// Time window on each record's `start` (Unix seconds): only records with
    /// windowFrom <= start < windowTo are loaded (either end may be open). Records outside it,
    /// or without a start time, are counted in outsideWindow, not as rejections. Files whose
    /// path time is outside the window are not opened at all (LoadReport::filesNotOpened).
    std::optional<qint64> windowFrom;
    std::optional<qint64> windowTo;
    /// Load a sample of about 1 in `sampleEvery` flows (1 = everything). Which flows is decided
    /// by a hash of the flow (addresses, ports, protocol, packets, bytes, start, end), so the
    /// same input always gives the same sample and both records of a TGW flow (ingress and
    /// egress) are kept or left out together. Left-out records are counted in sampledOut.
    int sampleEvery = 1;
    /// LogFormats of known flow logs (e.g. flowLogFormats(session names)). A headerless file
    /// whose name holds one of these flow log ids, or whose path contains the flow log's
    /// CloudWatch log group as folders, is read with that LogFormat, unless read.format is set.
    /// describe-flow-logs JSON among the loaded paths adds to these (and wins on the same id).
    std::vector<FlowLogFormat> flowLogFormats;
    /// Called on the loading thread, throttled to about 10 Hz, and once at the end.
    std::function<void(const LoadProgress&)> progress;
};

/// Loads `paths` (files and folders) into `store`, appending to what is there.
/// Blocking: call from a worker thread for the GUI. Never throws.
LoadReport loadPaths(Store& store, const QStringList& paths, const LoadOptions& options);

/// Estimated peak memory in bytes for loading `files` (as returned by expandPaths) into a
/// store. The store costs about the same per record whatever the format (measured: 69.6 B for
/// TGW default lines of ~376 B, 67 B for VPC default lines of ~113 B), so the estimate is
/// records x 80 B + 5 % of the text + the pipeline's fixed 32 MB, where the text size comes
/// from file sizes (gzip: the ISIZE trailer) and records = text / average record length,
/// measured on the first 64 KiB of (decoded) text of up to 64 files spread over the list.
/// Reads a little of each sampled file; any thread (about 1 ms per sampled file).
/// Meant for "this will not fit in memory" warnings before a load (see memory.h).
qint64 estimateLoadBytes(const QStringList& files);

/// Loads an in-memory buffer (tests, stdin) as a file named `name`.
LoadReport loadBuffer(Store& store, const QByteArray& data, const QString& name, const LoadOptions& options);

} // namespace core
