// Hostile input: what a viewer of logs pulled from production must survive. Each case checks
// that loading finishes, nothing crashes, memory stays bounded, every line is accounted for
// (records + rejected + skipped == lines read) and messages name the file (and line).
// Large inputs are generated at run time into a QTemporaryDir.
#include "core/ingest/gzip.h"
#include "core/ingest/ingest.h"
#include "core/ingest/loader.h"
#include "core/names/names.h"
#include "core/store/store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/gziptestutil.h"
#include <atomic>
#include <functional>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

using namespace core;

namespace {

const char kVpcHeader[] =
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n";
const char kVpcLine[] =
    "2 123456789012 eni-0123456789abcdef0 10.1.2.3 10.2.3.4 49152 443 6 10 5000 1700000000 1700000060 ACCEPT OK\n";
const char kTgwHeader[] =
    "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id "
    "tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id "
    "tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end log-status "
    "type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags "
    "region flow-direction pkt-src-aws-service pkt-dst-aws-service\n";
const char kTgwLine[] =
    "6 TransitGateway 123456789012 tgw-0123456789abcdef0 tgw-attach-0a1b2c3d4e5f60001 123456789012 210987654321 "
    "vpc-0aaa1111bbbb22220 vpc-0bbb2222cccc33330 subnet-0aaa1111bbbb22221 subnet-0bbb2222cccc33331 "
    "eni-0aaa1111bbbb22222 eni-0bbb2222cccc33332 use1-az1 use1-az2 tgw-attach-0a1b2c3d4e5f60002 10.1.2.3 10.2.3.4 "
    "49152 443 6 10 5000 1700000000 1700000060 OK IPv4 0 0 0 0 19 us-east-1 ingress - -\n";

/// A VPC default record with one field replaced (0-based index).
QByteArray vpcWith(int field, const QByteArray& value)
{
    QList<QByteArray> f = QByteArray(kVpcLine).trimmed().split(' ');
    f[field] = value;
    return f.join(' ') + '\n';
}

QByteArray gzip(const QByteArray& in, int level = 6)
{
    return testutil::gzipCompress(in, level);
}

/// Peak resident set size of this process in bytes (VmHWM), 0 if unknown.
qint64 peakRss()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly)) return 0;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith("VmHWM:")) return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
    }
    return 0;
}

/// Resets VmHWM to the current RSS where the kernel allows it (Linux >= 4.0), so the next
/// peakRss() measures only what follows.
void resetPeakRss()
{
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    if (f.open(QIODevice::WriteOnly)) f.write("5");
}

constexpr qint64 kMemoryBudget = 300LL * 1024 * 1024;

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

std::unique_ptr<Store> newStore()
{
    auto s = Store::create();
    if (!s.ok()) qFatal("Store::create failed: %s", qPrintable(s.error().toString()));
    return std::move(s.value());
}

/// Writes `chunk` `times` times to `path` without holding the whole content in memory.
bool writeRepeated(const QString& path, const QByteArray& prefix, const QByteArray& chunk, qint64 times, const QByteArray& suffix)
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
bool writeBomb(const QString& path, const QByteArray& plainChunk, int times, qint64* compressedSize)
{
    const QByteArray member = gzip(plainChunk, 9);
    if (member.isEmpty()) return false;
    if (!writeRepeated(path, {}, member, times, {})) return false;
    *compressedSize = member.size() * times;
    return true;
}

} // namespace

class TestHostile : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // ---------------------------------------------------------------------------------
    // Small hostile inputs, read both by the reader (line accounting) and the loader (store,
    // messages naming file and line).

    void smallInputs_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<qint64>("records");  // -1: not checked
        QTest::addColumn<qint64>("rejected"); // -1: not checked
        QTest::addColumn<qint64>("skipped");  // -1: not checked
        QTest::addColumn<QString>("fatal");   // part of the file-level error, empty = none
        QTest::addColumn<QString>("reason");  // part of the first rejection's reason
        QTest::addColumn<qint64>("reasonLine");
        QTest::addColumn<bool>("truncated");

        const QByteArray vpc = QByteArray(kVpcHeader);
        const QByteArray line = QByteArray(kVpcLine);
        const QByteArray s3 = QByteArray(kTgwHeader) + kTgwLine + kTgwLine + kTgwLine;

        QTest::newRow("empty file") << "empty.log" << QByteArray() << 0LL << 0LL << 0LL << "empty file"
                                    << "" << 0LL << false;
        QTest::newRow("only blank lines") << "blank.log" << QByteArray("\n \n\t\r\n\n") << 0LL << 0LL << 4LL << "empty file"
                                          << "" << 0LL << false;
        QTest::newRow("header only") << "header.log" << QByteArray(kTgwHeader) << 0LL << 0LL << 1LL << ""
                                     << "" << 0LL << false;
        QTest::newRow("header only, no newline") << "header.log" << QByteArray(kTgwHeader).trimmed() << 0LL << 0LL << 1LL << ""
                                                 << "" << 0LL << false;
        QByteArray garbage;
        for (int i = 0; i < 20; ++i)
            for (int c = 0; c < 256; ++c) garbage += static_cast<char>((c * 7 + i) & 0xff);
        QTest::newRow("binary garbage") << "garbage.bin" << garbage << 0LL << 0LL << 0LL << "binary data"
                                        << "" << 0LL << false;
        QByteArray noisy;
        for (int i = 0; i < 4000; ++i) noisy += static_cast<char>(0x01 + (i % 8));
        QTest::newRow("control characters") << "ctrl.log" << noisy << 0LL << 0LL << 0LL << "binary data"
                                            << "" << 0LL << false;
        QTest::newRow("UTF-16 text") << "utf16.log"
                                     << QByteArray("\xFF\xFE"
                                                   "v\0e\0r\0",
                                                   8)
                                     << 0LL << 0LL << 0LL << "UTF-16"
                                     << "" << 0LL << false;
        QTest::newRow("zip archive") << "logs.zip" << QByteArray("PK\x03\x04rest-of-zip", 16) << 0LL << 0LL << 0LL << "zip"
                                     << "" << 0LL << false;
        QTest::newRow("not a flow log") << "notes.txt" << QByteArray("hello world\nthis is text\n") << 0LL << 0LL << -1LL
                                        << "not a recognised flow log"
                                        << "" << 0LL << false;
        QTest::newRow("UTF-8 BOM + header") << "bom.log" << QByteArray("\xEF\xBB\xBF") + vpc + line << 1LL << 0LL << 1LL << ""
                                            << "" << 0LL << false;
        QTest::newRow("CRLF") << "crlf.log" << QByteArray(vpc + line + line).replace("\n", "\r\n") << 2LL << 0LL << 1LL << ""
                              << "" << 0LL << false;

        // numbers
        QTest::newRow("2^63-1 accepted") << "max.log" << vpc + vpcWith(9, "9223372036854775807") << 1LL << 0LL << 1LL << ""
                                         << "" << 0LL << false;
        QTest::newRow("bytes over 2^63") << "big.log" << vpc + line + vpcWith(9, "9223372036854775808") << 1LL << 1LL << 1LL << ""
                                         << "bytes: '9223372036854775808' is too large" << 3LL << false;
        QTest::newRow("packets 2^64") << "big.log" << vpc + vpcWith(8, "18446744073709551616") + line << 1LL << 1LL << 1LL << ""
                                      << "packets" << 2LL << false;
        QTest::newRow("40-digit number") << "big.log" << vpc + vpcWith(10, QByteArray(40, '9')) << 0LL << 1LL << 1LL << ""
                                         << "start" << 2LL << false;
        QTest::newRow("negative packets") << "neg.log" << vpc + vpcWith(8, "-5") << 0LL << 1LL << 1LL << ""
                                          << "packets: '-5' is negative" << 2LL << false;
        QTest::newRow("negative bytes, huge") << "neg.log" << vpc + vpcWith(9, "-9223372036854775809") << 0LL << 1LL << 1LL << ""
                                              << "bytes" << 2LL << false;
        QTest::newRow("negative port") << "neg.log" << vpc + vpcWith(5, "-1") << 0LL << 1LL << 1LL << ""
                                       << "srcport: '-1' is negative" << 2LL << false;
        QTest::newRow("number with junk") << "junk.log" << vpc + vpcWith(9, "12abc") << 0LL << 1LL << 1LL << ""
                                          << "bytes: '12abc' is not a number" << 2LL << false;
        QTest::newRow("start > end accepted") << "rev.log" << vpc + vpcWith(10, "1700000600") << 1LL << 0LL << 1LL << ""
                                              << "" << 0LL << false;
        QTest::newRow("millisecond times") << "ms.log" << vpc + vpcWith(10, "1700000000123") << 1LL << 0LL << 1LL << ""
                                           << "" << 0LL << false;

        // structure
        QTest::newRow("37 fields under a 36-field header")
            << "s3.log" << QByteArray(kTgwHeader) + QByteArray(kTgwLine).trimmed() + " extra\n" + kTgwLine << 1LL << 1LL << 1LL
            << ""
            << "37 fields, header has 36" << 2LL << false;
        QByteArray many = QByteArray(vpc);
        for (int i = 0; i < 1000; ++i) many += "x ";
        many += "\n";
        QTest::newRow("1000 fields") << "many.log" << many + line << 1LL << 1LL << 1LL << ""
                                     << "1000 fields" << 2LL << false;
        QTest::newRow("IPv4 octet 256") << "ip.log" << vpc + vpcWith(3, "10.1.2.256") << 0LL << 1LL << 1LL << ""
                                        << "srcaddr: '10.1.2.256' is not an IP address" << 2LL << false;
        QTest::newRow("non-UTF-8 in a text field")
            << "latin1.log" << vpc + vpcWith(2, "eni-\xff\xfe\x80") << 1LL << 0LL << 1LL << ""
            << "" << 0LL << false;
        // A writer that crashed (or preallocated) leaves NUL padding: the records before it are
        // kept, each run of NULs is one rejected line saying what it is.
        QByteArray padded = vpc;
        for (int i = 0; i < 50; ++i) padded += line;
        QTest::newRow("NUL padding in a small file")
            << "nul.log" << vpc + line + QByteArray(5000, '\0') << 1LL << 1LL << 1LL << ""
            << "5000 NUL bytes (padding" << 3LL << false;
        QTest::newRow("NUL padding after 4 KiB") << "nul.log" << padded + QByteArray(5000, '\0') << 50LL << 1LL << 1LL << ""
                                                 << "NUL bytes (padding" << 52LL << false;
        QTest::newRow("NUL padding ending in a newline") << "nul.log" << vpc + line + QByteArray(3000, '\0') + "\n"
                                                         << 1LL << 1LL << 1LL << ""
                                                         << "3000 NUL bytes" << 3LL << false;
        QTest::newRow("NUL padding, then appended records")
            << "nul.log" << vpc + line + QByteArray(3000, '\0') + "\n" + line + line << 3LL << 1LL << 1LL << ""
            << "3000 NUL bytes" << 3LL << false;
        QTest::newRow("NUL padding line, CRLF") << "nul.log"
                                                << QByteArray(vpc + line).replace("\n", "\r\n") + QByteArray(3000, '\0') + "\r\n"
                                                       + QByteArray(line).replace("\n", "\r\n")
                                                << 2LL << 1LL << 1LL << ""
                                                << "3000 NUL bytes (padding" << 3LL << false;
        QTest::newRow("NUL padding, CRLF") << "nul.log" << QByteArray(vpc + line).replace("\n", "\r\n") + QByteArray(3000, '\0')
                                           << 1LL << 1LL << 1LL << ""
                                           << "NUL bytes" << 3LL << false;
        QTest::newRow("NUL padding over 1 MiB")
            << "nul.log" << vpc + line + QByteArray((1 << 20) + 10, '\0') << 1LL << 1LL << 1LL << ""
            << "more than 1 MiB of NUL bytes" << 3LL << false;
        QTest::newRow("NUL padding in a gzip")
            << "nul.log.gz" << gzip(vpc + line + QByteArray(5000, '\0')) << 1LL << 1LL << 1LL << ""
            << "5000 NUL bytes" << 3LL << false;
        // Still binary: NULs from the first byte, or NULs mixed into text rather than whole lines.
        QTest::newRow("only NULs") << "zeros.log" << QByteArray(5000, '\0') << 0LL << 0LL << 0LL << "binary data"
                                   << "" << 0LL << false;
        QTest::newRow("NULs from the first line")
            << "zeros.log" << QByteArray(3000, '\0') + "\n" + vpc + line << 0LL << 0LL << 0LL << "binary data"
            << "" << 0LL << false;
        QByteArray sprinkled = vpc;
        for (int i = 0; i < 40; ++i) sprinkled += QByteArray(line).insert(10, QByteArray(20, '\0'));
        QTest::newRow("NULs inside lines") << "sprinkled.log" << sprinkled << 0LL << 0LL << 0LL << "binary data"
                                           << "" << 0LL << false;

        // gzip
        const QByteArray gz = gzip(s3);
        QTest::newRow("gzip ok") << "s3.log.gz" << gz << 3LL << 0LL << 1LL << ""
                                 << "" << 0LL << false;
        QTest::newRow("truncated gzip") << "cut.log.gz" << gz.left(gz.size() * 6 / 10) << -1LL << -1LL << -1LL << "truncated"
                                        << "" << 0LL << true;
        QTest::newRow("gzip header only") << "hdr.log.gz" << gz.left(10) << 0LL << 0LL << 0LL << "truncated"
                                          << "" << 0LL << true;
        QByteArray corrupt = gz;
        for (qsizetype i = 20; i < 40 && i < corrupt.size(); ++i) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5a);
        QTest::newRow("corrupt gzip") << "bad.log.gz" << corrupt << -1LL << -1LL << -1LL << "gzip"
                                      << "" << 0LL << true;
        QByteArray badCrc = gz;
        badCrc[badCrc.size() - 6] = static_cast<char>(badCrc[badCrc.size() - 6] ^ 0xff); // CRC32 trailer
        QTest::newRow("gzip bad CRC") << "crc.log.gz" << badCrc << -1LL << -1LL << -1LL << "gzip"
                                      << "" << 0LL << true;
        QTest::newRow("gzip of nothing") << "nothing.log.gz" << gzip(QByteArray()) << 0LL << 0LL << 0LL << "empty file"
                                         << "" << 0LL << false;
        QTest::newRow("gzip inside gzip") << "twice.log.gz" << gzip(gz) << 0LL << 0LL << 0LL << "gzip data inside gzip"
                                          << "" << 0LL << false;

        // JSON / CSV forms
        QByteArray nested = "{\"events\":";
        nested += QByteArray(100000, '[');
        QTest::newRow("deeply nested JSON") << "deep.json" << nested << 0LL << 0LL << -1LL << "nested deeper"
                                            << "" << 0LL << false;
        QTest::newRow("unterminated JSON string")
            << "open.json" << QByteArray("{\"events\":[{\"message\":\"") + QByteArray(kVpcLine).trimmed() << 0LL << 0LL << -1LL
            << "unfinished string"
            << "" << 0LL << true;
        QTest::newRow("JSON message with bad number")
            << "cw.json"
            << QByteArray("{\"events\":[{\"timestamp\":1,\"message\":\"") + vpcWith(9, "99999999999999999999").trimmed()
                   + "\"},{\"timestamp\":2,\"message\":\"" + QByteArray(kVpcLine).trimmed() + "\"}]}"
            << 1LL << 1LL << -1LL << ""
            << "too large" << 1LL << false;
        QTest::newRow("CSV unterminated quote")
            << "athena.csv" << QByteArray("version,account_id,interface_id\n\"2,\"123\n") << -1LL << -1LL << -1LL << ""
            << "" << 0LL << false;
    }

    void smallInputs()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, data);
        QFETCH(qint64, records);
        QFETCH(qint64, rejected);
        QFETCH(qint64, skipped);
        QFETCH(QString, fatal);
        QFETCH(QString, reason);
        QFETCH(qint64, reasonLine);
        QFETCH(bool, truncated);

        // 1. The reader: counts and line accounting.
        Sink sink;
        const FileOutcome o = readBuffer(data, name, ReadOptions{}, sink);
        VERIFY_LINES_ACCOUNTED(o);
        QCOMPARE(o.records, sink.records);
        QCOMPARE(o.rejected, sink.rejected);
        if (records >= 0) QCOMPARE(o.records, records);
        if (rejected >= 0) QCOMPARE(o.rejected, rejected);
        if (skipped >= 0) QCOMPARE(o.skipped, skipped);
        QCOMPARE(o.truncated, truncated);
        QVERIFY(sink.maxProgress <= data.size());
        QVERIFY(!sink.progressWentBack);
        if (fatal.isEmpty()) {
            QVERIFY2(!o.fatal, qPrintable(o.fatal ? o.fatal->toString() : QString()));
        } else {
            QVERIFY2(o.fatal, "a file-level error is reported");
            QCOMPARE(o.fatal->file, name);
            QVERIFY2(o.fatal->message.contains(fatal), qPrintable(o.fatal->toString()));
        }
        for (const Rejection& r : sink.kept) {
            QVERIFY(r.line >= 1);
            QVERIFY(!r.reason.isEmpty());
            QVERIFY(r.raw.size() <= 4096);
        }
        if (!reason.isEmpty()) {
            QVERIFY(!sink.kept.empty());
            QVERIFY2(sink.kept.front().reason.contains(reason), qPrintable(sink.kept.front().reason));
            QCOMPARE(sink.kept.front().line, reasonLine);
        }

        // 2. The loader: the same counts in the store and the report; messages name the file.
        auto store = newStore();
        const LoadReport rep = loadBuffer(*store, data, name, LoadOptions{});
        QCOMPARE(rep.records, o.records);
        QCOMPARE(rep.rejected, o.rejected);
        QCOMPARE(store->recordCount(), o.records);
        QCOMPARE(static_cast<qint64>(rep.rejections.size()), std::min<qint64>(o.rejected, 1000));
        for (const LoadedRejection& r : rep.rejections) {
            QCOMPARE(r.file, name);
            QVERIFY(r.line >= 1);
        }
        if (!reason.isEmpty()) {
            QCOMPARE(rep.rejections.front().line, reasonLine);
            QVERIFY(rep.rejections.front().reason.contains(reason));
        }
        if (!fatal.isEmpty()) {
            QVERIFY(!rep.errors.isEmpty());
            QVERIFY2(rep.errors.join(QLatin1Char('\n')).contains(name), qPrintable(rep.errors.join(QLatin1Char('\n'))));
            QVERIFY2(rep.errors.join(QLatin1Char('\n')).contains(fatal), qPrintable(rep.errors.join(QLatin1Char('\n'))));
            QCOMPARE(rep.outcome, o.records + o.rejected == 0 ? Outcome::Failed : Outcome::Ok);
        } else {
            QCOMPARE(rep.outcome, Outcome::Ok);
        }
    }

    /// A NUL byte inside one record of an otherwise valid file: only that line may be lost
    /// ("a bad line never stops a load").
    void nulByteInOneRecord()
    {
        const QByteArray data = QByteArray(kVpcHeader) + kVpcLine + QByteArray("2 123\0 oops\n", 12) + kVpcLine;
        Sink sink;
        const FileOutcome o = readBuffer(data, QStringLiteral("nul.log"), ReadOptions{}, sink);
        VERIFY_LINES_ACCOUNTED(o);
        QVERIFY2(!o.fatal, qPrintable(o.fatal ? o.fatal->toString() : QString()));
        QCOMPARE(o.records, 2);
        QCOMPARE(o.rejected, 1);
    }

    /// start > end is accepted as written: the parser checks syntax, not plausibility, and
    /// dropping the record would lose data. The store keeps both values unchanged.
    void startAfterEndKeptAsWritten()
    {
        auto store = newStore();
        const LoadReport rep =
            loadBuffer(*store, QByteArray(kVpcHeader) + vpcWith(10, "1700000600"), QStringLiteral("rev.log"), LoadOptions{});
        QCOMPARE(rep.records, 1);
        auto q = store->prepare(QStringLiteral("SELECT start, \"end\" FROM flows"));
        QVERIFY(q.ok());
        QVERIFY(q->next());
        QCOMPARE(q->int64(0), 1700000600);
        QCOMPARE(q->int64(1), 1700000060);
    }

    // ---------------------------------------------------------------------------------
    // Big inputs, generated at run time.

    void hundredMegabyteLine_data()
    {
        QTest::addColumn<QByteArray>("suffix");
        QTest::addColumn<qint64>("records");
        QTest::newRow("no newline at all") << QByteArray() << 0LL;
        QTest::newRow("then a valid record") << QByteArray("\n") + kVpcLine << 1LL;
    }
    void hundredMegabyteLine()
    {
        QFETCH(QByteArray, suffix);
        QFETCH(qint64, records);
        const QString path = m_dir.filePath(QStringLiteral("longline.log"));
        // A header first so the long line is a record line of a recognised file.
        QVERIFY(writeRepeated(path, kVpcHeader, QByteArray(1 << 20, 'a'), 100, suffix));
        QCOMPARE(QFileInfo(path).size(), qint64(sizeof(kVpcHeader) - 1) + (100LL << 20) + suffix.size());

        Sink sink;
        const FileOutcome o = readFile(path, ReadOptions{}, sink);
        VERIFY_LINES_ACCOUNTED(o);
        QVERIFY(!o.fatal);
        QCOMPARE(o.records, records);
        QCOMPARE(o.rejected, 1);
        QVERIFY(sink.kept.front().reason.contains(QLatin1String("longer than")));
        QCOMPARE(sink.kept.front().line, 2);
        QVERIFY(sink.kept.front().raw.size() <= 4096);

        auto store = newStore();
        resetPeakRss();
        const qint64 before = peakRss();
        const LoadReport rep = loadPaths(*store, {path}, LoadOptions{});
        const qint64 after = peakRss();
        QCOMPARE(rep.outcome, Outcome::Ok);
        QCOMPARE(rep.records, records);
        QCOMPARE(rep.rejected, 1);
        QCOMPARE(rep.rejections.front().file, path);
        QCOMPARE(rep.rejections.front().line, 2);
        QVERIFY2(after - before < kMemoryBudget,
                 qPrintable(QStringLiteral("peak RSS grew by %1 MB").arg((after - before) >> 20)));
        QFile::remove(path);
    }

    /// 10^6 bad lines between two good ones: all counted, only keepRejections kept, memory bounded.
    void millionBadLines()
    {
        constexpr qint64 kBad = 1000000;
        const QByteArray bad = "2 123456789012 eni-0 not-an-ip\n";
        QByteArray data = QByteArray(kVpcHeader) + kVpcLine;
        data.reserve(data.size() + bad.size() * kBad + 200);
        for (qint64 i = 0; i < kBad; ++i) data += bad;
        data += kVpcLine;

        Sink sink;
        const FileOutcome o = readBuffer(data, QStringLiteral("bad.log"), ReadOptions{}, sink);
        VERIFY_LINES_ACCOUNTED(o);
        QCOMPARE(o.linesRead, kBad + 3);
        QCOMPARE(o.records, 2);
        QCOMPARE(o.rejected, kBad);
        QCOMPARE(o.skipped, 1);

        auto store = newStore();
        LoadOptions options;
        options.keepRejections = 50;
        resetPeakRss();
        const qint64 before = peakRss();
        const LoadReport rep = loadBuffer(*store, data, QStringLiteral("bad.log"), options);
        const qint64 after = peakRss();
        QCOMPARE(rep.outcome, Outcome::Ok);
        QCOMPARE(rep.records, 2);
        QCOMPARE(rep.rejected, kBad);
        QCOMPARE(rep.rejections.size(), size_t(50));
        QCOMPARE(rep.rejections.front().line, 3);
        QCOMPARE(rep.rejections.back().line, 52);
        QCOMPARE(rep.rejections.front().file, QStringLiteral("bad.log"));
        QVERIFY(rep.rejections.front().reason.contains(QLatin1String("4 fields, header has 14")));
        QCOMPARE(rep.files.size(), size_t(1));
        QCOMPARE(rep.files.front().rejected, kBad);
        QCOMPARE(store->recordCount(), 2);
        QVERIFY2(after - before < kMemoryBudget,
                 qPrintable(QStringLiteral("peak RSS grew by %1 MB").arg((after - before) >> 20)));
    }

    /// {"events":[...200000 events...]}: a huge JSON page streams through.
    void hugeJsonArray()
    {
        constexpr int kEvents = 200000;
        QByteArray data = "{\"events\":[";
        const QByteArray event = QByteArray("{\"logStreamName\":\"eni-1\",\"timestamp\":1700000000000,\"message\":\"")
                                 + QByteArray(kVpcLine).trimmed() + "\",\"ingestionTime\":1700000001000,\"eventId\":\"1\"}";
        data.reserve(static_cast<qsizetype>(kEvents) * (event.size() + 1) + 64);
        for (int i = 0; i < kEvents; ++i) {
            if (i) data += ',';
            data += event;
        }
        data += "],\"nextToken\":\"x\"}";
        Sink sink;
        const FileOutcome o = readBuffer(data, QStringLiteral("page.json"), ReadOptions{}, sink);
        QVERIFY2(!o.fatal, qPrintable(o.fatal ? o.fatal->toString() : QString()));
        QCOMPARE(o.records, kEvents);
        QCOMPARE(o.rejected, 0);
        QVERIFY(o.linesRead >= o.records + o.rejected);

        auto store = newStore();
        const LoadReport rep = loadBuffer(*store, data, QStringLiteral("page.json"), LoadOptions{});
        QCOMPARE(rep.records, kEvents);
        QCOMPARE(store->recordCount(), kEvents);
    }

    /// 1 GiB of spaces gzip-compressed ~1000x: progress stays within the file size, memory bounded.
    void gzipBombProgress()
    {
        const QString path = m_dir.filePath(QStringLiteral("bomb.log.gz"));
        qint64 compressed = 0;
        QVERIFY(writeBomb(path, QByteArray(1 << 20, ' '), 1024, &compressed));
        QCOMPARE(QFileInfo(path).size(), compressed);
        QVERIFY(compressed * 500 < (1LL << 30)); // it really is a bomb

        auto store = newStore();
        LoadOptions options;
        qint64 lastBytes = -1;
        bool wentBack = false;
        bool overTotal = false;
        int calls = 0;
        options.progress = [&](const LoadProgress& p) {
            ++calls;
            if (p.bytesRead < lastBytes) wentBack = true;
            if (p.bytesRead > p.bytesTotal || p.bytesTotal != compressed) overTotal = true;
            lastBytes = p.bytesRead;
        };
        resetPeakRss();
        const qint64 before = peakRss();
        const LoadReport rep = loadPaths(*store, {path}, options);
        const qint64 after = peakRss();
        QVERIFY(calls >= 1);
        QVERIFY(!wentBack);
        QVERIFY(!overTotal);
        QCOMPARE(lastBytes, compressed);
        QCOMPARE(rep.records, 0);
        // Spaces only, no newline: one line, far too long.
        QCOMPARE(rep.rejected, 1);
        QVERIFY(rep.rejections.front().reason.contains(QLatin1String("longer than")));
        QVERIFY2(after - before < kMemoryBudget,
                 qPrintable(QStringLiteral("peak RSS grew by %1 MB").arg((after - before) >> 20)));
        QFile::remove(path);
    }

    /// A gzip bomb of valid records (~17 million): cancel stops the reader and the loader soon
    /// and the store is left as before.
    void gzipBombCancel()
    {
        const QString path = m_dir.filePath(QStringLiteral("records.log.gz"));
        QByteArray chunk;
        while (chunk.size() < (1 << 20) - static_cast<qsizetype>(sizeof(kVpcLine))) chunk += kVpcLine;
        qint64 compressed = 0;
        QVERIFY(writeBomb(path, QByteArray(kVpcHeader) + chunk, 1024, &compressed));

        // The reader: cancel from the sink after 1000 records; it must stop within ~64 KiB.
        std::atomic<bool> cancel{false};
        ReadOptions ro;
        ro.cancel = &cancel;
        Sink sink;
        sink.onRecord = [&](qint64 n) {
            if (n == 1000) cancel = true;
        };
        const FileOutcome o = readFile(path, ro, sink);
        QVERIFY(o.cancelled);
        QVERIFY(!o.fatal);
        QVERIFY2(o.records < 1000 + 2 * (1 << 20) / static_cast<qint64>(sizeof(kVpcLine)),
                 qPrintable(QStringLiteral("%1 records after cancel").arg(o.records)));
        VERIFY_LINES_ACCOUNTED(o);

        // The loader: cancel from the progress callback once records arrive.
        auto store = newStore();
        QCOMPARE(loadBuffer(*store, QByteArray(kVpcHeader) + kVpcLine, QStringLiteral("first.log"), LoadOptions{}).records, 1);
        std::atomic<bool> stop{false};
        LoadOptions options;
        options.read.cancel = &stop;
        options.progress = [&](const LoadProgress& p) {
            QVERIFY(p.bytesRead <= p.bytesTotal);
            if (p.records > 0) stop = true;
        };
        const LoadReport rep = loadPaths(*store, {path}, options);
        QCOMPARE(rep.outcome, Outcome::Cancelled);
        QCOMPARE(store->recordCount(), 1); // the earlier load is kept, the cancelled one rolled back
        QCOMPARE(static_cast<qint64>(store->files().size()), 1);
        QFile::remove(path);
    }

    // ---------------------------------------------------------------------------------
    // Files that change under the reader, and hostile directories.

    void fileChangesWhileReading_data()
    {
        QTest::addColumn<int>("action"); // 0 delete, 1 truncate to 0, 2 truncate mid-line, 3 replace
        QTest::newRow("deleted") << 0;
        QTest::newRow("truncated to 0") << 1;
        QTest::newRow("truncated mid-line") << 2;
        QTest::newRow("replaced by rename") << 3;
    }
    void fileChangesWhileReading()
    {
        QFETCH(int, action);
        const QString path = m_dir.filePath(QStringLiteral("changing.log"));
        constexpr int kLines = 40000; // ~4 MB: several 1 MiB reads
        QVERIFY(writeRepeated(path, kVpcHeader, kVpcLine, kLines, {}));
        bool acted = false;
        Sink sink;
        sink.onRecord = [&](qint64) {
            if (acted) return;
            acted = true;
            switch (action) {
            case 0:
                QFile::remove(path);
                break;
            case 1:
                QFile::resize(path, 0);
                break;
            case 2:
                QFile::resize(path, (2 << 20) + 17);
                break;
            case 3: {
                const QString other = m_dir.filePath(QStringLiteral("other.log"));
                writeRepeated(other, kVpcHeader, kVpcLine, 3, {});
                ::rename(QFile::encodeName(other).constData(), QFile::encodeName(path).constData());
                break;
            }
            }
        };
        const FileOutcome o = readFile(path, ReadOptions{}, sink);
        QVERIFY(acted);
        VERIFY_LINES_ACCOUNTED(o);
        QCOMPARE(o.records, sink.records);
        switch (action) {
        case 0:
        case 3: // the open file keeps its inode: everything is read
            QCOMPARE(o.records, kLines);
            QCOMPARE(o.rejected, 0);
            break;
        case 1:
        case 2: // what was read is kept; the rest is gone; a cut line is rejected, never half-parsed
            QVERIFY(o.records >= 1);
            QVERIFY(o.records < kLines);
            QVERIFY(o.rejected <= 1);
            break;
        }
        QFile::remove(path);
    }

    void hostileDirectory()
    {
        const QString root = m_dir.filePath(QStringLiteral("tree"));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/sub/deeper")));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/empty")));
        auto write = [](const QString& p, const QByteArray& d) {
            QFile f(p);
            return f.open(QIODevice::WriteOnly) && f.write(d) == d.size();
        };
        QVERIFY(write(root + QStringLiteral("/a.log"), QByteArray(kVpcHeader) + kVpcLine + kVpcLine));
        QVERIFY(write(root + QStringLiteral("/sub/deeper/b.log.gz"), gzip(QByteArray(kTgwHeader) + kTgwLine)));
        QVERIFY(write(root + QStringLiteral("/sub/garbage.bin"), QByteArray(3000, '\0')));
        const QByteArray r = QFile::encodeName(root);
        QCOMPARE(::symlink("does-not-exist.log", (r + "/dangling.log").constData()), 0);
        QCOMPARE(::symlink("..", (r + "/sub/loop").constData()), 0);             // loop back to the root
        QCOMPARE(::symlink("self", (r + "/self").constData()), 0);               // ELOOP
        QCOMPARE(::symlink("deeper", (r + "/sub/deeper/again").constData()), 0); // a dangling relative link
        QCOMPARE(::mkfifo((r + "/fifo").constData(), 0600), 0);                  // must not block
        const bool root0 = ::geteuid() == 0;
        QVERIFY(write(root + QStringLiteral("/locked.log"), QByteArray(kVpcHeader) + kVpcLine));
        QVERIFY(QFile::setPermissions(root + QStringLiteral("/locked.log"), QFileDevice::Permissions()));

        auto store = newStore();
        const LoadReport rep = loadPaths(*store, {root}, LoadOptions{});
        const QString errors = rep.errors.join(QLatin1Char('\n'));
        QCOMPARE(rep.outcome, Outcome::Ok);
        // a.log (2) + b.log.gz (1), + locked.log (1) when running as root (permissions bypassed)
        QCOMPARE(rep.records, root0 ? 4 : 3);
        QCOMPARE(store->recordCount(), rep.records);
        QVERIFY2(errors.contains(root + QStringLiteral("/dangling.log")), qPrintable(errors));
        QVERIFY2(errors.contains(QLatin1String("broken symbolic link")), qPrintable(errors));
        QVERIFY2(errors.contains(root + QStringLiteral("/sub/loop")), qPrintable(errors));
        QVERIFY2(errors.contains(QLatin1String("loop")), qPrintable(errors));
        QVERIFY2(errors.contains(root + QStringLiteral("/self")), qPrintable(errors));
        QVERIFY2(errors.contains(root + QStringLiteral("/sub/garbage.bin")), qPrintable(errors));
        QVERIFY2(errors.contains(QLatin1String("binary data")), qPrintable(errors));
        if (!root0) {
            QVERIFY2(errors.contains(root + QStringLiteral("/locked.log")), qPrintable(errors));
            QVERIFY2(errors.contains(QLatin1String("permission denied")), qPrintable(errors));
        }
        // No file was read twice through the loop.
        QStringList seen;
        for (const FileReport& f : rep.files)
            if (f.error.isEmpty()) seen << QFileInfo(f.path).canonicalFilePath();
        QCOMPARE(seen.size(), static_cast<qsizetype>(QSet<QString>(seen.begin(), seen.end()).size()));
        // Every error sentence names a path inside the tree.
        for (const QString& e : rep.errors) QVERIFY2(e.startsWith(root), qPrintable(e));
        QFile::setPermissions(root + QStringLiteral("/locked.log"), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }

    void missingAndSpecialPaths()
    {
        const QString good = m_dir.filePath(QStringLiteral("good.log"));
        {
            QFile f(good);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(kVpcHeader) + kVpcLine);
        }
        const QString missing = m_dir.filePath(QStringLiteral("missing.log"));
        const QString dangling = m_dir.filePath(QStringLiteral("dangling-top.log"));
        QCOMPARE(::symlink("nowhere", QFile::encodeName(dangling).constData()), 0);
        auto store = newStore();
        const LoadReport rep = loadPaths(*store, {missing, good, dangling, good, QStringLiteral("/dev/null")}, LoadOptions{});
        const QString errors = rep.errors.join(QLatin1Char('\n'));
        QCOMPARE(rep.outcome, Outcome::Ok);
        QCOMPARE(rep.records, 1); // good.log once, although named twice
        QVERIFY2(errors.contains(missing), qPrintable(errors));
        QVERIFY2(errors.contains(dangling), qPrintable(errors));
        QVERIFY2(errors.contains(QLatin1String("/dev/null")), qPrintable(errors)); // empty, named
    }

    // ---------------------------------------------------------------------------------
    // Names JSON from the AWS CLI.

    void namesJsonHostile_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("entries"); // -1: may fail; >= 0: must parse with this many entries
        QTest::newRow("invalid UTF-8 in Name")
            << QByteArray("{\"Vpcs\":[{\"VpcId\":\"vpc-1\",\"Tags\":[{\"Key\":\"Name\",\"Value\":\"\xc3\x28\xff\"}]}]}") << -1;
        QTest::newRow("invalid UTF-8 in id") << QByteArray("{\"Vpcs\":[{\"VpcId\":\"vpc-\xff\xfe\"}]}") << -1;
        QTest::newRow("overlong UTF-8 slash") << QByteArray("{\"Vpcs\":[{\"VpcId\":\"vpc-\xc0\xaf\"}]}") << -1;
        QTest::newRow("lone surrogate escape") << QByteArray("{\"Vpcs\":[{\"VpcId\":\"vpc-\\ud800\"}]}") << -1;
        QTest::newRow("NUL escape in Name") << QByteArray(
            "{\"Vpcs\":[{\"VpcId\":\"vpc-1\",\"Tags\":[{\"Key\":\"Name\",\"Value\":\"a\\u0000b\"}]}]}")
                                            << 1;
        QTest::newRow("number over 2^63 as OwnerId")
            << QByteArray("{\"Vpcs\":[{\"VpcId\":\"vpc-1\",\"OwnerId\":123456789012345678901234567890}]}") << 1;
        QTest::newRow("Tags not a list") << QByteArray("{\"Vpcs\":[{\"VpcId\":\"vpc-1\",\"Tags\":\"x\"}]}") << 1;
        QTest::newRow("entry not an object") << QByteArray("{\"Vpcs\":[1, \"x\", null]}") << -1;
        QTest::newRow("deeply nested") << QByteArray("{\"Vpcs\":") + QByteArray(100000, '[') << -1;
        QTest::newRow("deeply nested, closed")
            << QByteArray("{\"Vpcs\":") + QByteArray(5000, '[') + QByteArray(5000, ']') + "}" << -1;
        QTest::newRow("truncated") << QByteArray("{\"Vpcs\":[{\"VpcId\":\"vp") << -1;
        QTest::newRow("binary") << QByteArray("\x00\x01\x02\xff", 4) << -1;
    }
    void namesJsonHostile()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, entries);
        NameDirectory dir;
        NameEntry pre;
        pre.id = QStringLiteral("tgw-attach-keep");
        pre.name = QStringLiteral("keep me");
        dir.add(pre);
        const auto r = parseNamesJson(json, QStringLiteral("hostile.json"), dir);
        if (entries >= 0) {
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
            QCOMPARE(r->entries, entries);
        }
        if (!r.ok()) {
            QCOMPARE(r.error().file, QStringLiteral("hostile.json"));
            QVERIFY(!r.error().message.isEmpty());
            QCOMPARE(dir.entries().size(), size_t(1)); // a bad file changes nothing
        }
        QCOMPARE(dir.name(pre.id), pre.name);
        for (const NameEntry& e : dir.entries()) QVERIFY(!dir.label(e.id).isEmpty() || e.id.isEmpty());
        auto store = newStore();
        QVERIFY(storeNames(*store, dir).ok());
    }

    void namesJsonHuge()
    {
        constexpr int kVpcs = 100000;
        QByteArray json = "{\"Vpcs\":[";
        for (int i = 0; i < kVpcs; ++i) {
            if (i) json += ',';
            json += "{\"VpcId\":\"vpc-" + QByteArray::number(i) + "\",\"Tags\":[{\"Key\":\"Name\",\"Value\":\"v"
                    + QByteArray::number(i) + "\"}]}";
        }
        json += "]}";
        NameDirectory dir;
        const auto r = parseNamesJson(json, QStringLiteral("huge.json"), dir);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(r->entries, kVpcs);
        QCOMPARE(dir.name(QStringLiteral("vpc-99999")), QStringLiteral("v99999"));
        auto store = newStore();
        QVERIFY(storeNames(*store, dir).ok());
    }
    // ---------------------------------------------------------------------------------
    // Duplicate shapes for twin pairing: many records under one twin key (identical lines, a
    // log replayed twice) or one 5-tuple at many times. Pairing stays 1:1, the i-th ingress
    // with the i-th egress of the same key (earlier loads first), and costs O(1) per record:
    // a quadratic join would take hours here (the timing itself is in bench_duplicates).

    void duplicateFlows_data()
    {
        QTest::addColumn<QString>("loads"); // loads split by '|', segments "<count><kind>" by ','
        QTest::addColumn<qint64>("records");
        QTest::addColumn<qint64>("paired");  // records with a twin_id
        QTest::addColumn<qint64>("twinOf1"); // twin_id of record 1 (0 = none)
        // kinds: i/e = one ingress/egress flow repeated; t/u = ingress/egress of one 5-tuple at
        // a new minute per record (distinct flows); a = i and e alternating.
        QTest::newRow("identical ingress") << "200000i" << 200000LL << 0LL << 0LL;
        QTest::newRow("identical egress") << "200000e" << 200000LL << 0LL << 0LL;
        QTest::newRow("identical ingress, then egress") << "100000i,100000e" << 200000LL << 200000LL << 100001LL;
        QTest::newRow("identical, alternating") << "200000a" << 200000LL << 200000LL << 2LL;
        QTest::newRow("identical, more egress") << "50000i,150000e" << 200000LL << 100000LL << 50001LL;
        QTest::newRow("identical, egress first") << "150000e,50000i" << 200000LL << 100000LL << 150001LL;
        QTest::newRow("identical, twins in a later load") << "200000i|200000e" << 400000LL << 400000LL << 200001LL;
        QTest::newRow("identical, three loads") << "100000i|60000e|60000e,30000i" << 250000LL << 240000LL << 100001LL;
        QTest::newRow("same 5-tuple, distinct times") << "200000t" << 200000LL << 0LL << 0LL;
        QTest::newRow("same 5-tuple, both sides") << "100000t,100000u" << 200000LL << 200000LL << 100001LL;
        // Minute 0 of t/u is the flow of i/e: 100001 records queue under that key in each load.
        QTest::newRow("same 5-tuple and identical, two loads")
            << "100000t,100000i|100000e,100000u" << 400000LL << 400000LL << 200001LL;
    }

    void duplicateFlows()
    {
        QFETCH(QString, loads);
        QFETCH(qint64, records);
        QFETCH(qint64, paired);
        QFETCH(qint64, twinOf1);
        QList<QByteArray> fields = QByteArray(kTgwLine).trimmed().split(' ');
        const QByteArray entry = fields[4], exit = fields[15];
        const qint64 start = fields[23].toLongLong();
        auto record = [&](bool ingress, qint64 minute) {
            fields[4] = ingress ? entry : exit;
            fields[15] = ingress ? exit : entry;
            fields[23] = QByteArray::number(start + 60 * minute);
            fields[24] = QByteArray::number(start + 60 * minute + 60);
            fields[33] = ingress ? "ingress" : "egress";
            return fields.join(' ') + '\n';
        };
        auto store = newStore();
        int n = 0;
        for (const QString& load : loads.split(QLatin1Char('|'))) {
            const QString path = m_dir.filePath(QStringLiteral("dup%1.log").arg(n++));
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QByteArray text;
            for (const QString& seg : load.split(QLatin1Char(','))) {
                const qint64 count = seg.chopped(1).toLongLong();
                const QChar kind = seg.back();
                for (qint64 k = 0; k < count; ++k) {
                    if (kind == QLatin1Char('t') || kind == QLatin1Char('u')) text += record(kind == QLatin1Char('t'), k);
                    else text += record(kind == QLatin1Char('i') || (kind == QLatin1Char('a') && k % 2 == 0), 0);
                    if (text.size() > (1 << 20)) {
                        QVERIFY(f.write(text) == text.size());
                        text.clear();
                    }
                }
            }
            QVERIFY(f.write(text) == text.size());
            f.close();
            const LoadReport r = loadPaths(*store, {path}, LoadOptions{});
            QCOMPARE(r.outcome, Outcome::Ok);
            QCOMPARE(r.rejected, 0);
            QFile::remove(path);
        }
        auto count = [&](const char* sql) {
            auto q = store->prepare(QString::fromLatin1(sql));
            return q.ok() && q->next() && !q->isNull(0) ? q->int64(0) : -1;
        };
        QCOMPARE(store->recordCount(), records);
        QCOMPARE(count("SELECT count(twin_id) FROM flows"), paired);
        // 1:1: every twin is distinct, points back, is the other direction and the same flow.
        QCOMPARE(count("SELECT count(DISTINCT twin_id) FROM flows"), paired);
        QCOMPARE(count("SELECT count(*) FROM flows a JOIN flows b ON b.id = a.twin_id WHERE b.twin_id = a.id "
                       "AND b.flow_direction != a.flow_direction AND b.start = a.start "
                       "AND b.tgw_attachment_id = a.tgw_pair_attachment_id"),
                 paired);
        QCOMPARE(count("SELECT coalesce(twin_id, 0) FROM flows WHERE id = 1"), twinOf1);
    }
};

QTEST_GUILESS_MAIN(TestHostile)
#include "tst_hostile.moc"
