// Hostile input: what a viewer of logs pulled from production must survive. Each case checks
// that loading finishes, nothing crashes, every line is accounted for (records + rejected +
// skipped == lines read) and messages name the file (and line). This file: small hostile
// inputs. Big generated inputs and memory budgets: tst_hostile_big.cpp; files changing under
// the reader and hostile directories: tst_hostile_files.cpp; names JSON: tst_hostile_names.cpp;
// duplicate flows for twin pairing: tst_hostile_twins.cpp. Helpers: tests/hostiletestutil.h.
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
#include <atomic>
#include <functional>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/hostiletestutil.h"

using namespace core;
using namespace hostiletest;

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
};

QTEST_GUILESS_MAIN(TestHostile)
#include "tst_hostile.moc"
