#pragma once
// Loading files into a Store: expands folders, reads files (ingest.h) on a parse thread,
// writes into SQLite on the calling thread in one transaction, reports progress, honours cancel.
#include "core/ingest.h"
#include "core/names.h"
#include "core/store.h"

#include <QString>
#include <QStringList>
#include <atomic>
#include <functional>
#include <vector>

namespace core {

struct LoadProgress {
    qint64 bytesRead = 0;   ///< compressed bytes consumed across all files
    qint64 bytesTotal = 0;  ///< sum of file sizes
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
    qint64 fileId = 0;      ///< id in table `files` (0 if the file was not read at all)
    QString path;
    QString format;
    qint64 records = 0;
    qint64 rejected = 0;
    bool truncated = false;
    QString error;          ///< fatal error sentence naming the path, empty if none
};

struct LoadReport {
    Outcome outcome = Outcome::Ok;  ///< Failed only if nothing at all could be loaded
    std::vector<FileReport> files;
    qint64 records = 0;             ///< records added by this load
    qint64 rejected = 0;
    std::vector<LoadedRejection> rejections; ///< the first LoadOptions::keepRejections
    QStringList errors;             ///< file-level errors ("path: reason"), also in files[].error
    double seconds = 0;
    /// AWS CLI describe-* JSON files found among the paths: read into `names`, not as flow logs.
    NameDirectory names;
    std::vector<NamesFileReport> namesFiles;
};

struct LoadOptions {
    ReadOptions read;                 ///< format override, cancel flag
    int keepRejections = 1000;        ///< rejections kept with file:line (all are counted)
    /// Called on the loading thread, throttled to about 10 Hz, and once at the end.
    std::function<void(const LoadProgress&)> progress;
};

/// Loads `paths` (files and folders) into `store`, appending to what is there.
/// Blocking: call from a worker thread for the GUI. Never throws.
LoadReport loadPaths(Store& store, const QStringList& paths, const LoadOptions& options);

/// Estimated peak memory in bytes for loading `files` (as returned by expandPaths) into a
/// store: their text size (for gzip files the ISIZE trailer, i.e. the uncompressed size of the
/// last member) times the measured store cost per text byte (conservative: 0.25; TGW default
/// lines measure 0.19), plus the pipeline's fixed ~32 MB. Reads only sizes and gzip trailers.
/// Any thread. Meant for "this will not fit in memory" warnings before a load.
qint64 estimateLoadBytes(const QStringList& files);

/// Loads an in-memory buffer (tests, stdin) as a file named `name`.
LoadReport loadBuffer(Store& store, const QByteArray& data, const QString& name,
                      const LoadOptions& options);

} // namespace core
