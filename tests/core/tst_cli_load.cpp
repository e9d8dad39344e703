// flowlog-cli load options end to end: the memory guard (FLOWLOG_MEMORY_LIMIT, --force), the
// time window (--from/--to), --sample, and --names with describe-flow-logs formats. Helpers:
// tests/clitestutil.h.
#include "core/export/csv.h"
#include "core/ingest/loader.h"
#include "core/names/names.h"
#include "core/store/store.h"
#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "tests/clitestutil.h"
#include "tests/testpaths.h"

using namespace clitest;

class TestCliLoad : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFile::exists(testpaths::cliPath()), qPrintable(testpaths::cliPath())); }

    void memoryGuardRefuses_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("sentence");
        const QString log = fixture(QStringLiteral("tgw.log"));
        QTest::newRow("summary, one file") << QStringList{"summary", log} << "This file would need about";
        QTest::newRow("export, two files") << QStringList{"export", log, fixture(QStringLiteral("tgw_bad_lines.log"))}
                                           << "These 2 files would need about";
        QTest::newRow("a folder") << QStringList{"summary", testpaths::testData() + QStringLiteral("/cli")}
                                  << "files would need about";
        QTest::newRow("a sample that still does not fit") << QStringList{"summary", "--sample", "2", log} << "would need about";
    }

    void memoryGuardRefuses()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, sentence);
        const Run r = runCliWithMemory(args, QStringLiteral("1M"));
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(sentence), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("in memory; 1.0 MB is available.")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("--force")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("--sample")), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void memoryGuardLetsThrough_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("limit");
        QTest::addColumn<QByteArray>("input");
        const QString log = fixture(QStringLiteral("tgw.log"));
        QTest::newRow("--force") << QStringList{"summary", "--force", log} << "1M" << QByteArray();
        QTest::newRow("enough memory") << QStringList{"summary", log} << "64G" << QByteArray();
        QTest::newRow("garbage limit: the real memory") << QStringList{"summary", log} << "plenty" << QByteArray();
        QTest::newRow("stdin is not estimated") << QStringList{"summary", "-"} << "1M" << readAll(log);
    }

    void memoryGuardLetsThrough()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, limit);
        QFETCH(QByteArray, input);
        const Run r = runCliWithMemory(args, limit, input);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("records")).toInteger(), 5);
    }

    void timeWindow_data()
    {
        QTest::addColumn<QStringList>("window");
        QTest::addColumn<qint64>("records");
        // tgw.log starts: 1795946400 (x2), 1795946460, 1795946520, 1795946580.
        QTest::newRow("from and to") << QStringList{"--from", "1795946460", "--to", "1795946580"} << 2LL;
        QTest::newRow("ISO times") << QStringList{"--from=2026-11-29T10:01:00Z", "--to=2026-11-29 10:03"} << 2LL;
        QTest::newRow("from only") << QStringList{"--from", "1795946520"} << 2LL;
        QTest::newRow("to only") << QStringList{"--to", "1795946401"} << 2LL;
        QTest::newRow("nothing inside") << QStringList{"--from", "1700000000", "--to", "1700000060"} << 0LL;
    }

    void timeWindow()
    {
        QFETCH(QStringList, window);
        QFETCH(qint64, records);
        const Run r = runCli(QStringList{QStringLiteral("summary")} + window + QStringList{fixture(QStringLiteral("tgw.log"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("records")).toInteger(), records);
        QCOMPARE(o.value(QStringLiteral("outside_window")).toInteger(), 5 - records);
        QCOMPARE(o.value(QStringLiteral("sampled_out")).toInteger(), 0);
        QCOMPARE(o.value(QStringLiteral("rejected")).toInteger(), 0);
        QVERIFY2(r.err.contains(QStringLiteral("%1 records were outside the time window").arg(5 - records)), qPrintable(r.err));
        // Only records inside the window reach the other subcommands too.
        const Run q =
            runCli(QStringList{QStringLiteral("query"), QStringLiteral("--sql"), QStringLiteral("SELECT count(*) FROM flows")}
                   + window + QStringList{fixture(QStringLiteral("tgw.log"))});
        QCOMPARE(q.exitCode, 0);
        QCOMPARE(q.out, QByteArray("count(*)\r\n") + QByteArray::number(records) + "\r\n");
    }

    void sample()
    {
        const QString log = fixture(QStringLiteral("tgw.log"));
        const Run all = runCli({QStringLiteral("summary"), QStringLiteral("--sample"), QStringLiteral("1"), log});
        QVERIFY2(all.exitCode == 0, qPrintable(all.err));
        QCOMPARE(QJsonDocument::fromJson(all.out).object().value(QStringLiteral("records")).toInteger(), 5);
        const Run few = runCli({QStringLiteral("summary"), QStringLiteral("--sample=1000"), log});
        QVERIFY2(few.exitCode == 0, qPrintable(few.err));
        const QJsonObject o = QJsonDocument::fromJson(few.out).object();
        const qint64 kept = o.value(QStringLiteral("records")).toInteger();
        QCOMPARE(kept + o.value(QStringLiteral("sampled_out")).toInteger(), 5);
        QVERIFY(kept < 5);
        QVERIFY2(few.err.contains(QLatin1String("left out by --sample")), qPrintable(few.err));
        // Deterministic: the same sample every time.
        const Run again = runCli({QStringLiteral("summary"), QStringLiteral("--sample=1000"), log});
        QCOMPARE(QJsonDocument::fromJson(again.out).object().value(QStringLiteral("records")).toInteger(), kept);
    }

    void windowAndSampleUsageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString log = fixture(QStringLiteral("tgw.log"));
        QTest::newRow("bad --from") << QStringList{"summary", "--from", "yesterday", log} << "--from needs a time";
        QTest::newRow("bad --to") << QStringList{"summary", "--to=2026-13-01", log} << "--to needs a time";
        QTest::newRow("--from after --to") << QStringList{"summary", "--from", "200", "--to", "100", log}
                                           << "--from must be before --to";
        QTest::newRow("--from equals --to") << QStringList{"summary", "--from", "100", "--to", "100", log}
                                            << "--from must be before --to";
        QTest::newRow("--sample 0") << QStringList{"summary", "--sample", "0", log} << "--sample needs a whole number";
        QTest::newRow("--sample text") << QStringList{"summary", "--sample", "ten", log} << "--sample needs a whole number";
        QTest::newRow("--sample negative") << QStringList{"summary", "--sample=-2", log} << "--sample needs a whole number";
        QTest::newRow("--sample without value") << QStringList{"summary", log, "--sample"} << "--sample needs a value";
    }

    void windowAndSampleUsageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    // --names with describe-flow-logs: a headerless custom-format file of that flow log loads.
    void namesFlowLogFormat()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString log =
            dir.filePath(QStringLiteral("123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20251201T0000Z_ab12cd34.log"));
        const QString flowLogs = dir.filePath(QStringLiteral("flowlogs.json"));
        QFile l(log), j(flowLogs);
        QVERIFY(l.open(QIODevice::WriteOnly) && j.open(QIODevice::WriteOnly));
        l.write("ACCEPT 500 10.1.0.9 eni-0abc 10.0.0.5 1700000000 5\n");
        j.write(R"({"FlowLogs": [{"FlowLogId": "fl-0123456789abcdef0", "LogDestination": "arn:aws:s3:::b",
                   "LogFormat": "${action} ${bytes} ${dstaddr} ${interface-id} ${srcaddr} ${start} ${version}"}]})");
        l.close();
        j.close();
        const Run without = runCli({QStringLiteral("summary"), log});
        QCOMPARE(without.exitCode, 3);
        QVERIFY(without.err.contains(QLatin1String("not a recognised flow log")));
        const Run r = runCli({QStringLiteral("summary"), QStringLiteral("--names"), flowLogs, log});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject root = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(root.value(QStringLiteral("records")).toInteger(), 1);
        const QJsonObject file = root.value(QStringLiteral("files")).toArray().at(0).toObject();
        QCOMPARE(file.value(QStringLiteral("format")).toString(),
                 QStringLiteral("headerless custom format, 7 fields (LogFormat of fl-0123456789abcdef0)"));
        QVERIFY(file.value(QStringLiteral("format_source"))
                    .toString()
                    .startsWith(QLatin1String("format from describe-flow-logs fl-0123456789abcdef0 (LogFormat ${action}")));
        // An explicit --format wins over the flow log's.
        const Run explicitFormat =
            runCli({QStringLiteral("query"), QStringLiteral("--names"), flowLogs, QStringLiteral("--format"),
                    QStringLiteral("action bytes srcaddr interface-id dstaddr start version"), QStringLiteral("--sql"),
                    QStringLiteral("SELECT srcaddr FROM flows"), log});
        QVERIFY2(explicitFormat.exitCode == 0, qPrintable(explicitFormat.err));
        QCOMPARE(explicitFormat.out, QByteArray("srcaddr\r\n10.1.0.9\r\n"));
    }
};

QTEST_GUILESS_MAIN(TestCliLoad)
#include "tst_cli_load.moc"
