#pragma once
// Test helper for the hostile-input tests (tests/core/tst_hostile*.cpp): sample headers and
// records, a counting RecordSink, file writers for big generated inputs and the peak-RSS probe.
#include "core/ingest/ingest.h"
#include "core/store/store.h"

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QtTest>

#include "tests/gziptestutil.h"
#include <functional>
#include <memory>
#include <vector>

namespace hostiletest {

using namespace core;

inline const char kVpcHeader[] =
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n";
inline const char kVpcLine[] =
    "2 123456789012 eni-0123456789abcdef0 10.1.2.3 10.2.3.4 49152 443 6 10 5000 1700000000 1700000060 ACCEPT OK\n";
inline const char kTgwHeader[] =
    "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id "
    "tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id "
    "tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end log-status "
    "type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags "
    "region flow-direction pkt-src-aws-service pkt-dst-aws-service\n";
inline const char kTgwLine[] =
    "6 TransitGateway 123456789012 tgw-0123456789abcdef0 tgw-attach-0a1b2c3d4e5f60001 123456789012 210987654321 "
    "vpc-0aaa1111bbbb22220 vpc-0bbb2222cccc33330 subnet-0aaa1111bbbb22221 subnet-0bbb2222cccc33331 "
    "eni-0aaa1111bbbb22222 eni-0bbb2222cccc33332 use1-az1 use1-az2 tgw-attach-0a1b2c3d4e5f60002 10.1.2.3 10.2.3.4 "
    "49152 443 6 10 5000 1700000000 1700000060 OK IPv4 0 0 0 0 19 us-east-1 ingress - -\n";

/// A VPC default record with one field replaced (0-based index).
inline QByteArray vpcWith(int field, const QByteArray& value)
{
    QList<QByteArray> f = QByteArray(kVpcLine).trimmed().split(' ');
    f[field] = value;
    return f.join(' ') + '\n';
}

inline QByteArray gzip(const QByteArray& in, int level = 6)
{
    return testutil::gzipCompress(in, level);
}

/// Peak resident set size of this process in bytes (VmHWM), -1 if /proc/self/status cannot be
/// read or has no VmHWM line (then a memory budget cannot be checked: see VERIFY_RSS_GROWTH).
inline qint64 peakRss()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith("VmHWM:")) {
            bool ok = false;
            const qint64 kib = line.mid(6).trimmed().split(' ').value(0).toLongLong(&ok);
            return ok && kib > 0 ? kib * 1024 : -1;
        }
    }
    return -1;
}

/// Resets VmHWM to the current RSS where the kernel allows it (Linux >= 4.0), so the next
/// peakRss() measures only what follows.
inline void resetPeakRss()
{
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    if (f.open(QIODevice::WriteOnly)) f.write("5");
}

constexpr qint64 kMemoryBudget = 300LL * 1024 * 1024;

/// Fails the test unless both peak-RSS readings are known and grew by less than kMemoryBudget
/// (an unreadable /proc is a failure: a budget that cannot be measured is not met).
#define VERIFY_RSS_GROWTH(before, after)                                                                                         \
    do {                                                                                                                         \
        QVERIFY2((before) > 0 && (after) > 0,                                                                                    \
                 "peak RSS unknown: /proc/self/status has no readable VmHWM, so the memory budget cannot be checked");           \
        QVERIFY2((after) - (before) < kMemoryBudget,                                                                             \
                 qPrintable(QStringLiteral("peak RSS grew by %1 MB").arg(((after) - (before)) >> 20)));                          \
    } while (false)

/// Counts what a reader produces; keeps the first rejections; optional hooks.
class Sink final : public RecordSink {
public:
    qint64 records = 0;
    qint64 rejected = 0;
    std::vector<Rejection> kept;
    qint64 maxProgress = -1;
    bool progressWentBack = false;
    int extras = 0;
    std::function<void(qint64 records)> onRecord;

    void record(const FlowRecord&) override
    {
        ++records;
        if (onRecord) onRecord(records);
    }
    void reject(const Rejection& r) override
    {
        ++rejected;
        if (kept.size() < 20) kept.push_back(r);
    }
    int extraColumn(std::string_view) override { return extras++; }
    void progress(qint64 bytes) override
    {
        if (bytes < maxProgress) progressWentBack = true;
        maxProgress = bytes;
    }
};

/// The line-accounting invariant of ingest.h.
#define VERIFY_LINES_ACCOUNTED(o)                                                                                                \
    QVERIFY2((o).linesRead == (o).records + (o).rejected + (o).skipped,                                                          \
             qPrintable(QStringLiteral("linesRead %1 != records %2 + rejected %3 + skipped %4")                                  \
                            .arg((o).linesRead)                                                                                  \
                            .arg((o).records)                                                                                    \
                            .arg((o).rejected)                                                                                   \
                            .arg((o).skipped)))

inline std::unique_ptr<Store> newStore()
{
    auto s = Store::create();
    if (!s.ok()) qFatal("Store::create failed: %s", qPrintable(s.error().toString()));
    return std::move(s.value());
}

/// Writes `chunk` `times` times to `path` without holding the whole content in memory.
inline bool writeRepeated(const QString& path, const QByteArray& prefix, const QByteArray& chunk, qint64 times,
                          const QByteArray& suffix)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return false;
    if (f.write(prefix) != prefix.size()) return false;
    for (qint64 i = 0; i < times; ++i)
        if (f.write(chunk) != chunk.size()) return false;
    return f.write(suffix) == suffix.size();
}

/// A gzip file expanding `member` `times` times: one member compressed once, concatenated
/// (multi-member gzip is valid and what `cat a.gz b.gz` produces).
inline bool writeBomb(const QString& path, const QByteArray& plainChunk, int times, qint64* compressedSize)
{
    const QByteArray member = gzip(plainChunk, 9);
    if (member.isEmpty()) return false;
    if (!writeRepeated(path, {}, member, times, {})) return false;
    *compressedSize = member.size() * times;
    return true;
}

} // namespace hostiletest
