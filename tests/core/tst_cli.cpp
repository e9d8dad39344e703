// flowlog-cli end to end: runs the built binary (FLOWLOG_CLI_PATH) with QProcess on the
// fixtures in tests/data/cli and checks stdout, stderr and exit codes.
#include "core/csv.h"
#include "core/loader.h"
#include "core/store.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QString err;
};

QString fixture(const QString& name) { return QStringLiteral(FLOWLOG_TEST_DATA "/cli/") + name; }

Run runCli(const QStringList& args, const QByteArray& input = {})
{
    QProcess p;
    p.start(QStringLiteral(FLOWLOG_CLI_PATH), args);
    Run r;
    if (!p.waitForStarted(30000)) {
        r.err = QStringLiteral("could not start ") + QStringLiteral(FLOWLOG_CLI_PATH);
        return r;
    }
    if (!input.isEmpty()) p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("timed out");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList tcpExportArgs()
{
    return {QStringLiteral("export"), QStringLiteral("--filter"), QStringLiteral("proto == tcp"), QStringLiteral("--sort"),
            QStringLiteral("bytes:desc"), QStringLiteral("--columns"),
            QStringLiteral("tgw_attachment_id,srcaddr,dstaddr,bytes,pkt-src-aws-service")};
}

const char* const kEdgesHeader = "src,dst,flows,packets,bytes,packets_lost_no_route,packets_lost_blackhole,"
                                 "packets_lost_mtu_exceeded,packets_lost_ttl_expired";
const char* const kSeriesHeader = "bin_start,flows,packets,bytes,packets_lost_no_route,packets_lost_blackhole,"
                                  "packets_lost_mtu_exceeded,packets_lost_ttl_expired";

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFile::exists(QStringLiteral(FLOWLOG_CLI_PATH)), FLOWLOG_CLI_PATH); }

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
        const Run r = runCli({QStringLiteral("summary"), fixture(QStringLiteral("tgw.log")), fixture(QStringLiteral("tgw_bad_lines.log"))});
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

    void exportStdoutEqualsKnownCsv()
    {
        const Run r = runCli(tcpExportArgs() << fixture(QStringLiteral("tgw.log")));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out, readAll(fixture(QStringLiteral("expected_tcp_by_bytes.csv"))));
    }

    void exportSameBytesAsLibrary_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QStringList>("columns");
        QTest::addColumn<QStringList>("sort");
        QTest::addColumn<bool>("guard");
        QTest::newRow("defaults") << QStringList{} << "" << QStringList{} << QStringList{} << true;
        QTest::newRow("filter sort columns")
            << QStringList{"--filter", "addr == 10.0.0.0/8 or drops", "--sort", "dstport:desc", "--sort", "start",
                           "--columns", "start,srcaddr,dstport,bytes,packets_lost_blackhole"}
            << "addr == 10.0.0.0/8 or drops" << QStringList{"start", "srcaddr", "dstport", "bytes", "packets_lost_blackhole"}
            << QStringList{"dstport:desc", "start"} << true;
        QTest::newRow("no guard") << QStringList{"--no-formula-guard"} << "" << QStringList{} << QStringList{} << false;
    }

    void exportSameBytesAsLibrary()
    {
        // The GUI exports through core::exportCsv; the CLI must produce the very same bytes.
        QFETCH(QStringList, args);
        QFETCH(QString, filter);
        QFETCH(QStringList, columns);
        QFETCH(QStringList, sort);
        QFETCH(bool, guard);
        const QStringList files = {fixture(QStringLiteral("tgw.log")), fixture(QStringLiteral("tgw_bad_lines.log"))};
        const Run r = runCli(QStringList{QStringLiteral("export")} + args + files);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));

        auto store = core::Store::create();
        QVERIFY(store.ok());
        core::loadPaths(*store.value(), files, core::LoadOptions{});
        core::ExportRequest request;
        request.filter = filter;
        request.columns = columns;
        for (const QString& s : sort) request.sort.push_back(core::parseSortKey(s).value());
        request.csv.guardFormulas = guard;
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QCOMPARE(core::exportCsv(*store.value(), request, buffer), core::Outcome::Ok);
        QVERIFY(buffer.data().count("\r\n") > 1);
        QCOMPARE(r.out, buffer.data());
    }

    void exportToFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("out.csv"));
        const Run r = runCli(tcpExportArgs() << QStringLiteral("-o") << path << fixture(QStringLiteral("tgw.log")));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        QCOMPARE(readAll(path), readAll(fixture(QStringLiteral("expected_tcp_by_bytes.csv"))));
    }

    void exportToUnwritablePath()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("no/such/dir/out.csv"));
        const Run r = runCli(tcpExportArgs() << QStringLiteral("-o") << path << fixture(QStringLiteral("tgw.log")));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(path), qPrintable(r.err));
    }

    void exportNoFormulaGuard()
    {
        const Run r = runCli({QStringLiteral("export"), QStringLiteral("--columns"), QStringLiteral("pkt_src_aws_service"),
                              QStringLiteral("--filter"), QStringLiteral("pkt_src_aws_service"),
                              QStringLiteral("--no-formula-guard"), fixture(QStringLiteral("tgw.log"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out, QByteArray("pkt_src_aws_service\r\n=1+1\r\n"));
    }

    void exportFromStdin()
    {
        const Run r = runCli(tcpExportArgs() << QStringLiteral("-"), readAll(fixture(QStringLiteral("tgw.log"))));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out, readAll(fixture(QStringLiteral("expected_tcp_by_bytes.csv"))));
    }

    void query()
    {
        const Run r = runCli({QStringLiteral("query"), QStringLiteral("--sql"),
                              QStringLiteral("SELECT log_status, count(*) AS n FROM flows GROUP BY 1 ORDER BY 1"),
                              fixture(QStringLiteral("tgw.log"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out, QByteArray("log_status,n\r\nNODATA,1\r\nOK,4\r\n"));
    }

    void queryRefused_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::newRow("ATTACH") << "ATTACH DATABASE '/tmp/flowlog-cli-attack.db' AS x";
        QTest::newRow("INSERT") << "INSERT INTO files(path) VALUES ('x')";
        QTest::newRow("DELETE") << "DELETE FROM files";
        QTest::newRow("VACUUM INTO") << "VACUUM INTO '/tmp/flowlog-cli-attack.db'";
        QTest::newRow("two statements") << "SELECT 1; SELECT 2";
        QTest::newRow("syntax error") << "SELEKT 1";
        QTest::newRow("unknown column") << "SELECT nope FROM flows";
    }

    void queryRefused()
    {
        QFETCH(QString, sql);
        const Run r = runCli({QStringLiteral("query"), QStringLiteral("--sql"), sql, fixture(QStringLiteral("tgw.log"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains(QLatin1String("query refused")), qPrintable(r.err));
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/flowlog-cli-attack.db")));
    }

    void queryTimeout()
    {
        const Run r = runCli({QStringLiteral("query"), QStringLiteral("--timeout"), QStringLiteral("0.3"), QStringLiteral("--sql"),
                              QStringLiteral("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"),
                              fixture(QStringLiteral("tgw.log"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("--timeout")), qPrintable(r.err));
    }

    void edges()
    {
        const Run r = runCli({QStringLiteral("edges"), fixture(QStringLiteral("tgw.log"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QList<QByteArray> lines = r.out.split('\n');
        QCOMPARE(lines.first(), QByteArray(kEdgesHeader) + '\r');
        // The flow logged at aaa and bbb counts once.
        QVERIFY2(r.out.contains("tgw-attach-aaa,tgw-attach-bbb,1,10,1000,0,0,0,0\r\n"), r.out.constData());
        QVERIFY2(r.out.contains("tgw-attach-ccc,tgw-attach-ddd,1,7,500,0,0,3,0\r\n"), r.out.constData());
        QVERIFY2(r.out.contains("tgw-attach-aaa,-,1,5,300,0,5,0,0\r\n"), r.out.constData());
    }

    void edgesWithNames()
    {
        const Run r = runCli({QStringLiteral("edges"), QStringLiteral("--names"), fixture(QStringLiteral("names-attachments.json")),
                              fixture(QStringLiteral("tgw.log"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.startsWith(QByteArray(kEdgesHeader) + ",src_name,dst_name\r\n"), r.out.constData());
        // a name with a comma is quoted; unknown ids get an empty name
        QVERIFY2(r.out.contains("tgw-attach-aaa,tgw-attach-bbb,1,10,1000,0,0,0,0,VPC A,\"on-prem, VPN\"\r\n"), r.out.constData());
        QVERIFY2(r.out.contains("tgw-attach-ccc,tgw-attach-ddd,1,7,500,0,0,3,0,,\r\n"), r.out.constData());
        QVERIFY2(r.out.contains("tgw-attach-aaa,-,1,5,300,0,5,0,0,VPC A,\r\n"), r.out.constData());
    }

    void namesJsonAmongPaths()
    {
        // describe-* JSON given as a PATH is read as names, and SQL can join the names table
        const Run r = runCli({QStringLiteral("query"), QStringLiteral("--sql"),
                              QStringLiteral("SELECT n.name, count(*) FROM flows f JOIN names n ON n.id = f.tgw_attachment_id GROUP BY 1 ORDER BY 1"),
                              fixture(QStringLiteral("names-attachments.json")), fixture(QStringLiteral("tgw.log"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(!r.err.contains(QStringLiteral("names-attachments.json")), qPrintable(r.err));
        QVERIFY2(r.out.contains("VPC A,2\r\n\"on-prem, VPN\",1\r\n"), r.out.constData());
        const Run s = runCli({QStringLiteral("summary"), fixture(QStringLiteral("names-attachments.json")), fixture(QStringLiteral("tgw.log"))});
        QVERIFY2(s.exitCode == 0, qPrintable(s.err));
        QVERIFY2(s.out.contains("\"names\": 2"), s.out.constData());
    }

    void edgesByVpcWithFilter()
    {
        const Run r = runCli({QStringLiteral("edges"), QStringLiteral("--by"), QStringLiteral("vpc"), QStringLiteral("--filter"),
                              QStringLiteral("proto == tcp and addr == 10.0.0.0/8"), fixture(QStringLiteral("tgw.log"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out, QByteArray(kEdgesHeader) + "\r\nvpc-0aaa,vpc-0bbb,1,10,1000,0,0,0,0\r\n");
    }

    void series()
    {
        const Run r = runCli({QStringLiteral("series"), QStringLiteral("--bin"), QStringLiteral("60"),
                              QStringLiteral("--filter"), QStringLiteral("log_status == OK"), fixture(QStringLiteral("tgw.log"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out, QByteArray(kSeriesHeader) + "\r\n"
                                                    "1795946400,1,10,1000,0,0,0,0\r\n"
                                                    "1795946460,1,5,300,0,5,0,0\r\n"
                                                    "1795946520,1,7,500,0,0,3,0\r\n");
    }

    void formatOptionWithEachSubcommand_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("export") << QStringList{"export", "--columns", "srcaddr,bytes"} << QByteArray("srcaddr,bytes\r\n10.0.0.1,100\r\n10.0.0.3,200\r\n");
        QTest::newRow("query") << QStringList{"query", "--sql", "SELECT sum(bytes) AS b FROM flows"} << QByteArray("b\r\n300\r\n");
        QTest::newRow("summary") << QStringList{"summary"} << QByteArray("\"records\": 2");
        QTest::newRow("series") << QStringList{"series"} << QByteArray(kSeriesHeader);
        QTest::newRow("edges") << QStringList{"edges", "--by", "addr"} << QByteArray(kEdgesHeader);
    }

    void formatOptionWithEachSubcommand()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, expected);
        const QString file = fixture(QStringLiteral("custom_noheader.log"));
        const Run r = runCli(QStringList(args) << QStringLiteral("--format") << QStringLiteral("${version} ${srcaddr} ${dstaddr} ${bytes}") << file);
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
        QTest::newRow("option for another command") << QStringList{"export", "--sql", "SELECT 1", tgw} << "does not apply to 'export'";
        QTest::newRow("filter error with position") << QStringList{"export", "--filter", "srcaddr == and port == 1", tgw}
                                                    << "filter error at column 12: expected a value after '==' at 12";
        QTest::newRow("filter typo") << QStringList{"edges", "--filter", "scraddr == 10.0.0.1", tgw}
                                     << "did you mean 'srcaddr'?";
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
        QTest::newRow("missing file") << QStringList{"export", fixture(QStringLiteral("does-not-exist.log"))} << "does-not-exist.log";
        QTest::newRow("headerless custom without --format") << QStringList{"summary", fixture(QStringLiteral("custom_noheader.log"))}
                                                            << "custom_noheader.log";
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
        const Run r = runCli({QStringLiteral("summary"), fixture(QStringLiteral("tgw.log")), fixture(QStringLiteral("garbage.bin"))});
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
        for (const char* word : {"summary", "export", "query", "edges", "series", "--filter", "--format", "--sort",
                                 "--columns", "--no-formula-guard", "--timeout", "--by", "--bin", "Filter language",
                                 "contains", "CIDR", "Exit codes"})
            QVERIFY2(r.out.contains(word), word);
    }

    void version()
    {
        const Run r = runCli({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("flowlog-cli " FLOWLOG_VERSION));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
