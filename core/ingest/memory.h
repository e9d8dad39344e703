#pragma once
// Will a load fit in memory? Available memory (MemAvailable, cgroup limits, an override for
// tests), the load estimate restricted to a time window or a sample, the times in S3 log file
// names, and the sentence both the GUI and flowlog-cli show when a load would not fit.
#include "core/model/units.h"

#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace core {

struct LoadOptions;

/// Where availableMemoryBytes() looks; tests point these at fake files.
struct MemorySources {
    QString meminfo = QStringLiteral("/proc/meminfo");
    QString selfCgroup = QStringLiteral("/proc/self/cgroup");
    QString cgroupRoot = QStringLiteral("/sys/fs/cgroup");
    /// Environment variable whose value, when it parses as a size, replaces everything else.
    QString overrideVariable = QStringLiteral("FLOWLOG_MEMORY_LIMIT");
};

/// "MemAvailable:   11534336 kB" from /proc/meminfo text, in bytes. nullopt if the line is
/// missing or not a number (garbage, negative, overflowing). Pure.
std::optional<qint64> parseMemAvailable(QByteArrayView meminfo);

/// A cgroup limit or usage file: a decimal byte count ("max", or v1's "unlimited" value
/// 2^63 rounded to a page, and anything above 2^60, mean no limit -> nullopt; garbage -> nullopt). Pure.
std::optional<qint64> parseCgroupBytes(QByteArrayView text);

/// A size as people write it: "1073741824", "512M", "1.5G", "2 GiB", "800 MB", "64k"
/// (K/M/G/T are powers of 1024 with or without "i"/"B"). nullopt if malformed, negative or over 2^62. Pure.
std::optional<qint64> parseByteSize(const QString& text);

/// Bytes this process may still allocate: the override variable if set and valid, else the
/// lowest of MemAvailable and, for each cgroup (v2 and v1) of this process and its
/// ancestors, limit minus current usage (never below 0). -1 if nothing could be read.
/// Reads a few small files; any thread.
qint64 availableMemoryBytes(const MemorySources& sources = {});

/// The delivery time (Unix seconds) in an S3 flow log file name, e.g.
/// "123456789012_vpcflowlogs_us-east-1_fl-0abc_20251201T0005Z_1a2b3c4d.log.gz" ->
/// 2025-12-01T00:05:00Z. Only the file name part of `path` is looked at. nullopt if none. Pure.
std::optional<qint64> timeFromLogFileName(const QString& path);

/// When a file was delivered, from its path: the time in its name (span 0), else the S3
/// partition folders above it, Hive style (`.../year=2025/month=12/day=01/hour=07/`, next to
/// `aws-account-id=`, `aws-service=`/`service=`, `aws-region=`) or classic
/// (`.../vpcflowlogs/<region>/2025/12/01/[07/]`): the start of that hour (span 3600) or day
/// (span 86400). Files are delivered at `time` to `time + span`. Pure.
struct DeliveryTime {
    qint64 time = 0; ///< Unix seconds
    qint64 span = 0; ///< seconds
};
std::optional<DeliveryTime> deliveryTimeFromPath(const QString& path);

/// True if a file delivered within `delivery` can only hold records outside `options`' time
/// window (a file delivered at T holds records that started before T, and not more than about
/// an hour before; 10 minutes of clock slack). The loader skips such files without opening
/// them; the memory estimate leaves them out. Pure.
bool deliveryOutsideWindow(const DeliveryTime& delivery, const LoadOptions& options);

/// The memory estimate of a load, per file, so that a time window or a sample can be
/// re-estimated without reading the files again (estimateLoadBytes() explains the model).
struct LoadEstimate {
    qint64 fixedBytes = 0;                        ///< pipeline buffers, SQLite caches
    std::vector<qint64> fileBytes;                ///< store bytes per file, as `files` is ordered
    std::vector<std::optional<qint64>> fileTimes; ///< deliveryTimeFromPath().time per file
    std::vector<qint64> fileTimeSpans;            ///< deliveryTimeFromPath().span per file (0 if none)

    /// Everything loaded.
    qint64 total() const;
    /// With `options`' time window and sample: the per-file part divided by the sample rate,
    /// files whose path time shows they hold only records outside the window
    /// (deliveryOutsideWindow()) left out. Files without a path time count in full. Pure.
    qint64 forOptions(const LoadOptions& options) const;
};

/// Measures `files` (sizes, gzip trailers, the first 64 KiB of text of up to 64 of them).
/// Any thread; about 1 ms per sampled file.
LoadEstimate estimateLoad(const QStringList& files);

/// estimateLoad(files).forOptions(options).
qint64 estimateLoadBytes(const QStringList& files, const LoadOptions& options);

/// The fixed part of every estimate (pipeline buffers, SQLite caches), in bytes.
qint64 loadFixedBytes();

/// "These 412 files would need about 18.3 GB in memory; 11.2 GB is available." (one file:
/// "This file would ..."). Sizes in SI units with one decimal.
QString memorySentence(qsizetype files, qint64 neededBytes, qint64 availableBytes);

// formatBytes(): the one byte formatter, core/model/units.h.

/// The smallest sample rate N (keep about 1 in N flows) for which `neededBytes` fits in
/// 80 % of `availableBytes`; at least 2, at most 1,000,000. Pure.
int sampleRateToFit(qint64 neededBytes, qint64 availableBytes);

} // namespace core
