// Available memory and load-size estimates for the "this will not fit" warning.
#include "core/ingest/memory.h"

#include "core/ingest/gzip.h"
#include "core/ingest/loader.h"
#include "core/model/units.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <limits>

namespace core {

namespace {

constexpr qint64 kNoLimitAbove = qint64(1) << 60;

/// Parses an unsigned decimal number, surrounding whitespace allowed. nullopt on garbage/overflow.
std::optional<qint64> parseUnsigned(QByteArrayView text)
{
    const QByteArray t = text.toByteArray().trimmed();
    if (t.isEmpty()) return std::nullopt;
    qint64 v = 0;
    for (char c : t) {
        if (c < '0' || c > '9') return std::nullopt;
        if (v > (std::numeric_limits<qint64>::max() - (c - '0')) / 10) return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

QByteArray readSmallFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.read(1 << 16);
}

/// `key value` from a memory.stat file (bytes), nullopt if absent.
std::optional<qint64> statValue(const QByteArray& stat, QByteArrayView key)
{
    for (const QByteArray& line : stat.split('\n')) {
        const QList<QByteArray> parts = line.simplified().split(' ');
        if (parts.size() == 2 && parts[0] == key) return parseUnsigned(parts[1]);
    }
    return std::nullopt;
}

/// Room left in one cgroup directory: limit - (usage - inactive file cache), or nullopt if the
/// directory has no limit.
std::optional<qint64> cgroupRoom(const QString& dir, bool v2)
{
    const auto limit =
        parseCgroupBytes(readSmallFile(dir + (v2 ? QStringLiteral("/memory.max") : QStringLiteral("/memory.limit_in_bytes"))));
    if (!limit) return std::nullopt;
    const auto usage =
        parseUnsigned(readSmallFile(dir + (v2 ? QStringLiteral("/memory.current") : QStringLiteral("/memory.usage_in_bytes"))));
    qint64 used = usage.value_or(0);
    const auto inactive = statValue(readSmallFile(dir + QStringLiteral("/memory.stat")),
                                    v2 ? QByteArrayView("inactive_file") : QByteArrayView("total_inactive_file"));
    if (inactive) used = std::max<qint64>(0, used - *inactive);
    return std::max<qint64>(0, *limit - used);
}

/// The lowest room over `path` and its ancestors below `root`.
std::optional<qint64> cgroupHierarchyRoom(const QString& root, QString path, bool v2)
{
    std::optional<qint64> best;
    for (int guard = 0; guard < 64; ++guard) {
        while (path.endsWith(QLatin1Char('/'))) path.chop(1);
        if (auto room = cgroupRoom(root + path, v2)) best = best ? std::min(*best, *room) : *room;
        if (path.isEmpty()) break;
        const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
        path = slash <= 0 ? QString() : path.left(slash);
    }
    return best;
}

} // namespace

std::optional<qint64> parseMemAvailable(QByteArrayView meminfo)
{
    const QByteArray text = meminfo.toByteArray();
    for (const QByteArray& line : text.split('\n')) {
        if (!line.startsWith("MemAvailable:")) continue;
        QByteArray rest = line.mid(13).trimmed();
        qint64 unit = 1;
        if (rest.endsWith(" kB")) {
            unit = 1024;
            rest.chop(3);
        }
        const auto v = parseUnsigned(rest);
        if (!v || *v > kNoLimitAbove / unit) return std::nullopt;
        return *v * unit;
    }
    return std::nullopt;
}

std::optional<qint64> parseCgroupBytes(QByteArrayView text)
{
    const auto v = parseUnsigned(text);
    if (!v || *v >= kNoLimitAbove) return std::nullopt; // "max", garbage, or v1's "unlimited"
    return v;
}

std::optional<qint64> parseByteSize(const QString& text)
{
    static const QRegularExpression re(QStringLiteral("^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kKmMgGtT]?)(i?[bB]?)\\s*$"));
    const auto m = re.match(text);
    if (!m.hasMatch()) return std::nullopt;
    bool ok = false;
    const double number = m.captured(1).toDouble(&ok);
    if (!ok) return std::nullopt;
    const QString unit = m.captured(2).toLower();
    const QString suffix = m.captured(3);
    if (unit.isEmpty() && suffix.startsWith(QLatin1Char('i'))) return std::nullopt; // "5iB"
    int shift = 0;
    if (unit == QLatin1String("k")) shift = 10;
    else if (unit == QLatin1String("m")) shift = 20;
    else if (unit == QLatin1String("g")) shift = 30;
    else if (unit == QLatin1String("t")) shift = 40;
    const double bytes = std::ldexp(number, shift);
    if (!std::isfinite(bytes) || bytes > std::ldexp(1.0, 62)) return std::nullopt;
    return static_cast<qint64>(std::llround(bytes));
}

qint64 availableMemoryBytes(const MemorySources& sources)
{
    if (!sources.overrideVariable.isEmpty()) {
        const QString value = qEnvironmentVariable(sources.overrideVariable.toLocal8Bit().constData());
        if (auto v = parseByteSize(value)) return *v;
    }
    std::optional<qint64> best = parseMemAvailable(readSmallFile(sources.meminfo));
    auto lower = [&](std::optional<qint64> room) {
        if (room) best = best ? std::min(*best, *room) : *room;
    };
    const QByteArray cgroups = readSmallFile(sources.selfCgroup);
    bool sawV2 = false;
    for (const QByteArray& raw : cgroups.split('\n')) {
        // "hierarchy-id:controllers:path"; v2 is "0::/path", v1 memory is "N:memory:/path".
        const QString line = QString::fromUtf8(raw.trimmed());
        const qsizetype c1 = line.indexOf(QLatin1Char(':'));
        const qsizetype c2 = c1 < 0 ? -1 : line.indexOf(QLatin1Char(':'), c1 + 1);
        if (c2 < 0) continue;
        const QString controllers = line.mid(c1 + 1, c2 - c1 - 1);
        const QString path = line.mid(c2 + 1);
        if (!path.startsWith(QLatin1Char('/')) || path.contains(QLatin1String("/../")) || path.endsWith(QLatin1String("/..")))
            continue;
        if (line.left(c1) == QLatin1String("0") && controllers.isEmpty()) {
            sawV2 = true;
            lower(cgroupHierarchyRoom(sources.cgroupRoot, path, true));
        } else if (controllers.split(QLatin1Char(',')).contains(QLatin1String("memory"))) {
            lower(cgroupHierarchyRoom(sources.cgroupRoot + QStringLiteral("/memory"), path, false));
        }
    }
    // Inside a container with a private cgroup namespace the own cgroup is the mount root.
    if (!sawV2) lower(cgroupRoom(sources.cgroupRoot, true));
    return best.value_or(-1);
}

std::optional<qint64> timeFromLogFileName(const QString& path)
{
    // AWS: <account>_vpcflowlogs_<region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz
    static const QRegularExpression re(QStringLiteral("(?:^|_)(\\d{4})(\\d{2})(\\d{2})T(\\d{2})(\\d{2})(\\d{2})?Z(?:_|\\.|$)"));
    const auto m = re.match(QFileInfo(path).fileName());
    if (!m.hasMatch()) return std::nullopt;
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    const int h = m.captured(4).toInt(), min = m.captured(5).toInt();
    const int s = m.captured(6).isEmpty() ? 0 : m.captured(6).toInt();
    const QTime time(h, min, s);
    if (!date.isValid() || !time.isValid()) return std::nullopt;
    return QDateTime(date, time, QTimeZone::utc()).toSecsSinceEpoch();
}

std::optional<DeliveryTime> deliveryTimeFromPath(const QString& path)
{
    if (const auto t = timeFromLogFileName(path)) return DeliveryTime{*t, 0};
    const QString folders = QDir::fromNativeSeparators(QFileInfo(path).path()) + QLatin1Char('/');
    static const QRegularExpression hive(
        QStringLiteral("/year=(\\d{4})/(?:.*/)?month=(\\d{1,2})/(?:.*/)?day=(\\d{1,2})/(?:(?:.*/)?hour=(\\d{1,2})/)?"));
    static const QRegularExpression classic(
        QStringLiteral("/vpcflowlogs/[A-Za-z0-9-]+/(\\d{4})/(\\d{2})/(\\d{2})/(?:(\\d{2})/)?"));
    QRegularExpressionMatch m = hive.match(folders);
    if (!m.hasMatch()) m = classic.match(folders);
    if (!m.hasMatch()) return std::nullopt;
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    const bool hourly = !m.captured(4).isEmpty();
    const int hour = hourly ? m.captured(4).toInt() : 0;
    if (!date.isValid() || hour > 23) return std::nullopt;
    const qint64 start = QDateTime(date, QTime(hour, 0), QTimeZone::utc()).toSecsSinceEpoch();
    return DeliveryTime{start, hourly ? 3600 : 86400};
}

bool deliveryOutsideWindow(const DeliveryTime& delivery, const LoadOptions& options)
{
    // A file delivered at T holds records that started before T and, S3 delivering every
    // 5 or 10 minutes with late records, not more than about an hour before T.
    constexpr qint64 kDeliverySlack = 3600;
    constexpr qint64 kClockSlack = 600;
    if (options.windowFrom && delivery.time + delivery.span < *options.windowFrom - kClockSlack) return true;
    if (options.windowTo && delivery.time > *options.windowTo + kDeliverySlack) return true;
    return false;
}

qint64 loadFixedBytes()
{
    return 32LL << 20;
}

namespace {

// measured 52 B/record on 120k-record files: the typed columns hold the records once (flow_data
// is a virtual table over them, core/store/store_vtab.cpp), plus dictionaries and twins; headroom
constexpr double kBytesPerRecord = 64.0;
constexpr double kBytesPerTextByte = 0.05; // dictionaries grow with distinct values
constexpr qint64 kSampleBytes = 64LL * 1024;
constexpr int kSampledFiles = 64;
constexpr double kFallbackRecordLength = 150.0;

/// Text size of one file: its size, or for gzip its ISIZE trailer (mod 2^32, last member
/// only: never taken below the compressed size nor above the largest deflate ratio).
qint64 textSize(QFile& f)
{
    const qint64 size = f.size();
    if (size < 18 || !f.seek(0)) return size;
    const QByteArray magic = f.read(2);
    if (magic.size() != 2 || static_cast<unsigned char>(magic[0]) != 0x1f || static_cast<unsigned char>(magic[1]) != 0x8b
        || !f.seek(size - 4))
        return size;
    const QByteArray t = f.read(4);
    if (t.size() != 4) return size;
    const quint32 isize = static_cast<quint32>(static_cast<unsigned char>(t[0]))
                          | static_cast<quint32>(static_cast<unsigned char>(t[1])) << 8
                          | static_cast<quint32>(static_cast<unsigned char>(t[2])) << 16
                          | static_cast<quint32>(static_cast<unsigned char>(t[3])) << 24;
    // A damaged trailer can say anything: deflate never expands more than about 1032:1.
    return std::clamp<qint64>(static_cast<qint64>(isize), size, size * 1032);
}

/// The first (up to) 64 KiB of a file's text, decoded if it is gzip.
QByteArray textSample(QFile& f)
{
    if (!f.seek(0)) return {};
    QByteArray head = f.read(kSampleBytes);
    if (!isGzip(std::string_view(head.constData(), static_cast<size_t>(head.size())))) return head;
    QByteArray out;
    GzipDecoder decoder(kSampleBytes);
    QByteArray in = head;
    while (out.size() < kSampleBytes && !in.isEmpty()) {
        decoder.feed(std::string_view(in.constData(), static_cast<size_t>(in.size())), [&out](std::string_view piece) {
            out.append(piece.data(), static_cast<qsizetype>(std::min<size_t>(piece.size(), size_t(kSampleBytes))));
            return out.size() < kSampleBytes;
        });
        if (decoder.state() != GzipDecoder::State::Running) break;
        in = f.read(kSampleBytes);
    }
    return out.left(kSampleBytes);
}

/// Records in a text sample: JSON events by their "message" keys, else lines.
qint64 recordsInSample(const QByteArray& sample)
{
    const QByteArray start = sample.left(256).trimmed();
    if (start.startsWith('{') || start.startsWith('[')) return sample.count("\"message\"");
    return sample.count('\n');
}

} // namespace

LoadEstimate estimateLoad(const QStringList& files)
{
    const qsizetype n = files.size();
    std::vector<qint64> text(static_cast<size_t>(n), 0);
    LoadEstimate e;
    e.fixedBytes = loadFixedBytes();
    e.fileTimes.reserve(static_cast<size_t>(n));
    qint64 sampledText = 0;
    qint64 sampledRecords = 0;
    const qsizetype step = std::max<qsizetype>(1, n / kSampledFiles);
    for (qsizetype i = 0; i < n; ++i) {
        const auto delivered = deliveryTimeFromPath(files[i]);
        e.fileTimes.push_back(delivered ? std::optional<qint64>(delivered->time) : std::nullopt);
        e.fileTimeSpans.push_back(delivered ? delivered->span : 0);
        QFile f(files[i]);
        if (!f.open(QIODevice::ReadOnly)) {
            text[static_cast<size_t>(i)] = QFileInfo(files[i]).size();
            continue;
        }
        text[static_cast<size_t>(i)] = textSize(f);
        if (i % step == 0) {
            const QByteArray sample = textSample(f);
            sampledText += sample.size();
            sampledRecords += recordsInSample(sample);
        }
    }
    const double recordLength = sampledRecords > 0
                                    ? std::max(1.0, static_cast<double>(sampledText) / static_cast<double>(sampledRecords))
                                    : kFallbackRecordLength;
    const double perTextByte = kBytesPerRecord / recordLength + kBytesPerTextByte;
    e.fileBytes.reserve(text.size());
    for (qint64 t : text) e.fileBytes.push_back(static_cast<qint64>(static_cast<double>(t) * perTextByte));
    return e;
}

qint64 LoadEstimate::total() const
{
    qint64 sum = fixedBytes;
    for (qint64 b : fileBytes) sum += b;
    return sum;
}

qint64 LoadEstimate::forOptions(const LoadOptions& options) const
{
    qint64 variable = 0;
    for (size_t i = 0; i < fileBytes.size(); ++i) {
        const std::optional<qint64> t = i < fileTimes.size() ? fileTimes[i] : std::nullopt;
        const qint64 span = i < fileTimeSpans.size() ? fileTimeSpans[i] : 0;
        if (t && deliveryOutsideWindow(DeliveryTime{*t, span}, options)) continue;
        variable += fileBytes[i];
    }
    return fixedBytes + variable / std::max(1, options.sampleEvery);
}

qint64 estimateLoadBytes(const QStringList& files)
{
    return estimateLoad(files).total();
}

qint64 estimateLoadBytes(const QStringList& files, const LoadOptions& options)
{
    return estimateLoad(files).forOptions(options);
}

QString memorySentence(qsizetype files, qint64 neededBytes, qint64 availableBytes)
{
    const QString what = files == 1 ? QStringLiteral("This file would") : QStringLiteral("These %1 files would").arg(files);
    return QStringLiteral("%1 need about %2 in memory; %3 is available.")
        .arg(what, formatBytes(neededBytes), formatBytes(std::max<qint64>(0, availableBytes)));
}

int sampleRateToFit(qint64 neededBytes, qint64 availableBytes)
{
    const qint64 fixed = loadFixedBytes();
    const double room = 0.8 * static_cast<double>(availableBytes) - static_cast<double>(fixed);
    const double variable = static_cast<double>(std::max<qint64>(0, neededBytes - fixed));
    if (room <= 0) return 1000000;
    const double n = std::ceil(variable / room);
    return static_cast<int>(std::clamp(n, 2.0, 1000000.0));
}

} // namespace core
