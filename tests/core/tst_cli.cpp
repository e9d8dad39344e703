// flowlog-cli end to end: runs the built binary (testpaths::cliPath()) with QProcess on the
// fixtures in tests/data/cli and checks stdout, stderr and exit codes. This file: summary, help,
// version, --format, usage errors and what happens when nothing (or part) loads. Per command:
// tst_cli_export.cpp, tst_cli_query.cpp, tst_cli_views.cpp (edges, series, drops, flow),
// tst_cli_load.cpp (memory guard, --from/--to, --sample, --names formats). Helpers:
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

class TestCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFile::exists(testpaths::cliPath()), qPrintable(testpaths::cliPath())); }

    void summary()
    {
        const Run r = runCli({QStringLiteral("summary"), fixture(QStringLiteral("tgw.log"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QJsonParseError pe;
        const QJsonObject o = QJsonDocument::fromJson(r.out, &pe).object();
        QCOMPARE(pe.error, QJsonParseError::NoError);
        QCOMPARE(o.value(QStringLiteral("records")).toInteger(), 5);
        QCOMPARE(o.value(QStringLiteral("rejected")).toInteger(), 0);
        QCOMPARE(o.value(QStringLiteral("first_start")).toInteger(), 1795946400);
        QCOMPARE(o.value(QStringLiteral("last_end")).toInteger(), 1795946640);
        QCOMPARE(o.value(QStringLiteral("bytes")).toInteger(), 2800);
        QCOMPARE(o.value(QStringLiteral("packets")).toInteger(), 32);
        QVERIFY(o.value(QStringLiteral("load_seconds")).isDouble());
        QVERIFY(o.value(QStringLiteral("store_bytes")).toInteger() > 0);
        QVERIFY(o.value(QStringLiteral("rejections")).isArray());
        const QJsonArray files = o.value(QStringLiteral("files")).toArray();
        QCOMPARE(files.size(), 1);
        const QJsonObject f = files.first().toObject();
        QVERIFY(f.value(QStringLiteral("path")).toString().endsWith(QLatin1String("tgw.log")));
        QVERIFY(!f.value(QStringLiteral("format")).toString().isEmpty());
        QCOMPARE(f.value(QStringLiteral("records")).toInteger(), 5);
        QCOMPARE(f.value(QStringLiteral("rejected")).toInteger(), 0);
        QVERIFY(!f.contains(QStringLiteral("error")));
    }

    void summaryWithRejections()
    {
        const Run r =
            runCli({QStringLiteral("summary"), fixture(QStringLiteral("tgw.log")), fixture(QStringLiteral("tgw_bad_lines.log"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("records")).toInteger(), 6);
        QCOMPARE(o.value(QStringLiteral("rejected")).toInteger(), 2);
        const QJsonArray rejections = o.value(QStringLiteral("rejections")).toArray();
        QCOMPARE(rejections.size(), 2);
        const QJsonObject first = rejections.first().toObject();
        QVERIFY(first.value(QStringLiteral("file")).toString().endsWith(QLatin1String("tgw_bad_lines.log")));
        QCOMPARE(first.value(QStringLiteral("line")).toInteger(), 3);
        QVERIFY(!first.value(QStringLiteral("reason")).toString().isEmpty());
        // The warning names file:line on stderr.
        QVERIFY2(r.err.contains(QLatin1String("tgw_bad_lines.log:3:")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("tgw_bad_lines.log:4:")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("2 lines could not be read")), qPrintable(r.err));
    }

    void formatOptionWithEachSubcommand_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("export") << QStringList{"export", "--columns", "srcaddr,bytes"}
                                << QByteArray("srcaddr,bytes\r\n10.0.0.1,100\r\n10.0.0.3,200\r\n");
        QTest::newRow("query") << QStringList{"query", "--sql", "SELECT sum(bytes) AS b FROM flows"}
                               << QByteArray("b\r\n300\r\n");
        QTest::newRow("summary") << QStringList{"summary"} << QByteArray("\"records\": 2");
        QTest::newRow("series") << QStringList{"series"} << QByteArray(kSeriesHeader);
        QTest::newRow("edges") << QStringList{"edges", "--by", "addr"} << QByteArray(kEdgesHeader);
    }

    void formatOptionWithEachSubcommand()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, expected);
        const QString file = fixture(QStringLiteral("custom_noheader.log"));
        const Run r = runCli(QStringList(args) << QStringLiteral("--format")
                                               << QStringLiteral("${version} ${srcaddr} ${dstaddr} ${bytes}") << file);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(expected), r.out.constData());
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString tgw = fixture(QStringLiteral("tgw.log"));
        QTest::newRow("no subcommand") << QStringList{} << "missing subcommand";
        QTest::newRow("unknown subcommand") << QStringList{"sumary", tgw} << "unknown subcommand 'sumary'";
        QTest::newRow("no path") << QStringList{"summary"} << "needs at least one PATH";
        QTest::newRow("unknown option") << QStringList{"export", "--colums", "a", tgw} << "unknown option '--colums'";
        QTest::newRow("missing value") << QStringList{"export", tgw, "--filter"} << "option --filter needs a value";
        QTest::newRow("option for another command")
            << QStringList{"export", "--sql", "SELECT 1", tgw} << "does not apply to 'export'";
        QTest::newRow("filter error with position") << QStringList{"export", "--filter", "srcaddr == and port == 1", tgw}
                                                    << "filter error at column 12: expected a value after '==' at 12";
        QTest::newRow("filter typo") << QStringList{"edges", "--filter", "scraddr == 10.0.0.1", tgw} << "did you mean 'srcaddr'?";
        QTest::newRow("series filter error") << QStringList{"series", "--filter", "(port == 1", tgw} << "expected ')'";
        QTest::newRow("bad sort") << QStringList{"export", "--sort", "bytes:sideways", tgw} << "sort direction";
        QTest::newRow("unknown column") << QStringList{"export", "--columns", "srcaddr,bites", tgw} << "did you mean 'bytes'?";
        QTest::newRow("bad --by") << QStringList{"edges", "--by", "planet", tgw} << "--by must be";
        QTest::newRow("bad --bin") << QStringList{"series", "--bin", "soon", tgw} << "--bin needs";
        QTest::newRow("query without sql") << QStringList{"query", tgw} << "query needs --sql";
        QTest::newRow("bad timeout") << QStringList{"query", "--sql", "SELECT 1", "--timeout", "-1", tgw} << "--timeout needs";
        QTest::newRow("names file missing") << QStringList{"summary", "--names", "x.json", tgw} << "x.json: cannot open";
        QTest::newRow("names file malformed") << QStringList{"edges", "--names", tgw, tgw} << "not valid JSON";
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void nothingLoaded_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("binary garbage") << QStringList{"summary", fixture(QStringLiteral("garbage.bin"))} << "garbage.bin";
        QTest::newRow("missing file") << QStringList{"export", fixture(QStringLiteral("does-not-exist.log"))}
                                      << "does-not-exist.log";
        QTest::newRow("headerless custom without --format")
            << QStringList{"summary", fixture(QStringLiteral("custom_noheader.log"))} << "custom_noheader.log";
    }

    void nothingLoaded()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("nothing could be loaded")), qPrintable(r.err));
    }

    void partialLoadStillWorks()
    {
        // One unreadable file among good ones: exit 0, the failure is reported on stderr.
        const Run r =
            runCli({QStringLiteral("summary"), fixture(QStringLiteral("tgw.log")), fixture(QStringLiteral("garbage.bin"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("garbage.bin")), qPrintable(r.err));
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("records")).toInteger(), 5);
        bool sawError = false;
        for (const QJsonValue& f : o.value(QStringLiteral("files")).toArray())
            if (f.toObject().value(QStringLiteral("path")).toString().endsWith(QLatin1String("garbage.bin")))
                sawError = !f.toObject().value(QStringLiteral("error")).toString().isEmpty();
        QVERIFY(sawError);
    }

    void help_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("--help") << QStringList{"--help"};
        QTest::newRow("-h") << QStringList{"-h"};
        QTest::newRow("export --help") << QStringList{"export", "--help"};
        QTest::newRow("query --help") << QStringList{"query", "--help"};
    }

    void help()
    {
        QFETCH(QStringList, args);
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 0);
        for (const char* word :
             {"summary", "export", "query", "edges", "series", "--filter", "--format", "--sort", "--columns",
              "--no-formula-guard", "--timeout", "--by", "--bin", "Filter language", "contains", "CIDR", "Exit codes"})
            QVERIFY2(r.out.contains(word), word);
    }

    void version()
    {
        const Run r = runCli({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("flowlog-cli " FLOWLOG_VERSION));
    }

    void helpMentionsNames()
    {
        const Run r = runCli({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        for (const char* word : {"--with-names", "<column>_name", "attachment == \"VPC A\"", "case-sensitive"})
            QVERIFY2(r.out.contains(word), word);
    }

    void helpMentionsWindowSampleForce()
    {
        const Run r = runCli({QStringLiteral("--help")});
        for (const char* word : {"--from TIME", "--to TIME", "--sample N", "--force", "FLOWLOG_MEMORY_LIMIT"})
            QVERIFY2(r.out.contains(word), word);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
