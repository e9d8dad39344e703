// Aggregate results coming back (core::readRemoteResult) and the CLI side of core/remote:
// `flowlog-cli edges|series|drops` CSV, an Athena-style fully quoted CSV and Logs Insights
// CSV/JSON exports read back equal the app's own numbers; bad result files fail with the file,
// line and column; `flowlog-cli athena-ddl|athena-sql|insights-query` print exactly what the
// core functions return, read the format from --format or --fields-from, and refuse bad
// options with exit code 2.
#include "core/analysis/aggregate.h"
#include "core/analysis/drops.h"
#include "core/ingest/loader.h"
#include "core/remote/remote.h"
#include "core/store/store.h"

#include "tests/testpaths.h"
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace core;

namespace {

template <class T> QString errorOf(const Result<T>& r)
{
    return r.ok() ? QString() : r.error().toString();
}

struct Run {
    int exitCode = -1;
    QByteArray out;
    QString err;
};

Run runCli(const QStringList& args)
{
    QProcess p;
    p.start(testpaths::cliPath(), args);
    Run r;
    if (!p.waitForStarted(30000)) return r;
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

const char* const kA = "tgw-attach-0aaa00000000000a1";
const char* const kB = "tgw-attach-0bbb00000000000b2";
const char* const kC = "tgw-attach-0ccc00000000000c3";

/// TGW default lines: flows A->B (both sides), B->C (ingress only), A->C egress only, drops.
QByteArray tgwLog()
{
    QByteArray out = "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id "
                     "tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id "
                     "tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
                     "log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded "
                     "packets-lost-ttl-expired tcp-flags region flow-direction pkt-src-aws-service pkt-dst-aws-service\n";
    auto line = [](const char* attach, const char* pair, const char* dir, int i, qint64 start, int mtu, int noRoute) {
        return QStringLiteral(
                   "6 TransitGateway 111111111111 tgw-0123 %1 111111111111 222222222222 vpc-0aaa1111 vpc-0bbb2222 "
                   "subnet-1 subnet-2 eni-1 eni-2 use1-az1 use1-az2 %2 10.0.0.%3 10.1.0.%3 4000%3 443 6 %4 %5 %6 %7 OK "
                   "IPv4 %8 0 %9 0 18 us-east-1 %10 - -\n")
            .arg(QLatin1String(attach), QLatin1String(pair))
            .arg(i)
            .arg(i + 3)
            .arg(1000 * i + 17)
            .arg(start)
            .arg(start + 60)
            .arg(noRoute)
            .arg(mtu)
            .arg(QLatin1String(dir))
            .toUtf8();
    };
    const qint64 t0 = 1764547200;
    for (int i = 1; i <= 6; ++i) {
        out += line(kA, kB, "ingress", i, t0 + 300 * i, i == 2 ? 3 : 0, 0);
        out += line(kB, kA, "egress", i, t0 + 300 * i, i == 2 ? 3 : 0, 0);
    }
    out += line(kB, kC, "ingress", 7, t0 + 4000, 0, 0);
    out += line(kC, kA, "egress", 8, t0 + 5000, 2, 0);
    out += line(kA, "-", "ingress", 9, t0 + 200, 0, 5);
    return out;
}

QString edgesText(const std::vector<Edge>& edges)
{
    QStringList out;
    for (const Edge& e : edges)
        out << QStringLiteral("%1>%2 %3/%4/%5 %6,%7,%8,%9")
                   .arg(e.src, e.dst)
                   .arg(e.flows)
                   .arg(e.packets)
                   .arg(e.bytes)
                   .arg(e.lost[0])
                   .arg(e.lost[1])
                   .arg(e.lost[2])
                   .arg(e.lost[3]);
    return out.join(QLatin1Char('\n'));
}

QString seriesText(const Series& s)
{
    QStringList out{QString::number(s.binSeconds)};
    for (const SeriesBin& b : s.bins)
        out << QStringLiteral("%1 %2/%3/%4 %5").arg(b.start).arg(b.flows).arg(b.packets).arg(b.bytes).arg(b.lost[2]);
    return out.join(QLatin1Char('\n'));
}

QString dropsText(const std::vector<DropRow>& rows)
{
    QStringList out;
    for (const DropRow& d : rows)
        out << QStringLiteral("%1>%2 %3 %4/%5 %6-%7")
                   .arg(d.entry, d.exit, dropReasonName(d.reason))
                   .arg(d.packets)
                   .arg(d.records)
                   .arg(d.firstSeen)
                   .arg(d.lastSeen);
    return out.join(QLatin1Char('\n'));
}

/// Every cell quoted, as Athena writes its result CSV.
QByteArray quoteAll(const QByteArray& csv)
{
    QByteArray out;
    for (const QByteArray& line : csv.split('\n')) {
        const QByteArray l = line.trimmed();
        if (l.isEmpty()) continue;
        QList<QByteArray> cells = l.split(',');
        for (QByteArray& c : cells) c = '"' + c + '"';
        out += cells.join(',') + '\n';
    }
    return out;
}

} // namespace

class TestRemoteResults : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_log;
    std::unique_ptr<Store> m_store;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_log = m_dir.filePath(QStringLiteral("tgw.log"));
        QFile f(m_log);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(tgwLog());
        f.close();
        m_store = std::move(Store::create().value());
        QCOMPARE(loadPaths(*m_store, {m_log}, LoadOptions{}).rejected, 0);
    }

    void cliCsvReadsBack_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<bool>("athenaQuoted");
        for (const char* c : {"edges", "series", "drops"}) {
            QTest::newRow(qPrintable(QStringLiteral("%1 CSV").arg(QLatin1String(c)))) << QString::fromLatin1(c) << false;
            QTest::newRow(qPrintable(QStringLiteral("%1 Athena-quoted CSV").arg(QLatin1String(c))))
                << QString::fromLatin1(c) << true;
        }
    }

    void cliCsvReadsBack()
    {
        QFETCH(QString, command);
        QFETCH(bool, athenaQuoted);
        QStringList args{command, m_log};
        if (command == QLatin1String("series")) args << QStringLiteral("--bin") << QStringLiteral("300");
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 0);
        QByteArray csv = r.out;
        if (athenaQuoted) {
            if (command == QLatin1String("drops")) { // Athena's drops rows have no top-N/explanation columns
                QByteArray cut;
                for (const QByteArray& line : csv.split('\n'))
                    if (!line.trimmed().isEmpty()) cut += line.split(',').mid(0, 7).join(',') + '\n';
                csv = cut;
            }
            csv = quoteAll(csv);
        }
        auto back = readRemoteResult(csv, QStringLiteral("result.csv"));
        QVERIFY2(back.ok(), qPrintable(errorOf(back)));
        if (command == QLatin1String("edges")) {
            QCOMPARE(back->view, RemoteView::Edges);
            QCOMPARE(edgesText(back->edges), edgesText(computeEdges(*m_store, QString(), EdgeDimension::Attachment).value()));
        } else if (command == QLatin1String("series")) {
            QCOMPARE(back->view, RemoteView::Series);
            QCOMPARE(seriesText(back->series), seriesText(computeSeries(*m_store, QString(), 300).value()));
        } else {
            QCOMPARE(back->view, RemoteView::Drops);
            QCOMPARE(dropsText(back->drops), dropsText(computeDrops(*m_store, QString()).value()));
            QVERIFY(!back->drops.front().check.isEmpty()); // explained like the Drops page
        }
    }

    void insightsExports_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("expected");
        // Edges by attachment split by direction: the larger side per entry -> exit is kept.
        QTest::newRow("edges JSON")
            << QByteArray(R"([
            {"tgw_attachment_id":"tgw-attach-a","tgw_pair_attachment_id":"tgw-attach-b","flow_direction":"ingress","flows":"6","packets":"60","bytes":"6000"},
            {"tgw_attachment_id":"tgw-attach-b","tgw_pair_attachment_id":"tgw-attach-a","flow_direction":"egress","flows":"5","packets":"50","bytes":"5000"},
            {"tgw_attachment_id":"tgw-attach-c","tgw_pair_attachment_id":"tgw-attach-a","flow_direction":"egress","flows":"1","packets":"2","bytes":"300.0"}])")
            << "edges\ntgw-attach-a>tgw-attach-b 6/60/6000 0,0,0,0\ntgw-attach-a>tgw-attach-c 1/2/300 0,0,0,0";
        QTest::newRow("edges CSV by vpc") << QByteArray("src,dst,flow_direction,flows,packets,bytes,packets_lost_no_route\r\n"
                                                        "vpc-a,vpc-b,ingress,2,20,200,1\r\nvpc-a,vpc-b,egress,2,20,200,1\r\n")
                                          << "edges\nvpc-a>vpc-b 2/20/200 1,0,0,0";
        // Series with Logs Insights' bin column and times; the gap becomes a zero bin.
        QTest::newRow("series CSV") << QByteArray("\"bin(300s)\",\"flow_direction\",\"flows\",\"packets\",\"bytes\"\n"
                                                  "\"2025-12-01 00:00:00.000\",\"ingress\",\"3\",\"30\",\"3000\"\n"
                                                  "\"2025-12-01 00:00:00.000\",\"egress\",\"2\",\"20\",\"2000\"\n"
                                                  "\"2025-12-01 00:10:00.000\",\"egress\",\"1\",\"10\",\"1000\"\n")
                                    << "series\n300\n1764547200 3/30/3000 0\n1764547500 0/0/0 0\n1764547800 1/10/1000 0";
        QTest::newRow("drops JSON")
            << QByteArray(R"([
            {"tgw_attachment_id":"tgw-attach-a","tgw_pair_attachment_id":"-","flow_direction":"ingress","packets_lost_no_route":"5","packets_lost_blackhole":"0","packets_lost_mtu_exceeded":"0","packets_lost_ttl_expired":"0","records":"1","first_seen":"1764547400","last_seen":"1764547460"},
            {"tgw_attachment_id":"tgw-attach-b","tgw_pair_attachment_id":"tgw-attach-a","flow_direction":"egress","packets_lost_no_route":"0","packets_lost_blackhole":"0","packets_lost_mtu_exceeded":"3","packets_lost_ttl_expired":"0","records":"1","first_seen":"1764547500","last_seen":"1764547560"}])")
            << "drops\ntgw-attach-a>- no-route 5/1 1764547400-1764547460\ntgw-attach-a>tgw-attach-b mtu-exceeded "
               "3/1 1764547500-1764547560";
        QTest::newRow("rejects CSV") << QByteArray(
            "interfaceId,rejected_packets,records,first_seen,last_seen\neni-1,7,2,100,200\n")
                                     << "drops\neni-1>- rejected 7/2 100-200";
        QTest::newRow("get-query-results JSON") << QByteArray(
            R"({"status":"Complete","results":[[{"field":"src","value":"vpc-a"},{"field":"dst","value":"vpc-b"},{"field":"flows","value":"1"},{"field":"packets","value":"2"},{"field":"bytes","value":"3"}]]})")
                                                << "edges\nvpc-a>vpc-b 1/2/3 0,0,0,0";
    }

    void insightsExports()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, expected);
        auto r = readRemoteResult(data, QStringLiteral("insights.json"));
        QVERIFY2(r.ok(), qPrintable(errorOf(r)));
        QString got = remoteViewName(r->view) + QLatin1Char('\n');
        if (r->view == RemoteView::Edges) got += edgesText(r->edges);
        else if (r->view == RemoteView::Series) got += seriesText(r->series);
        else got += dropsText(r->drops);
        QCOMPARE(got, expected);
    }

    void badResults_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("message");
        QTest::newRow("short row") << QByteArray("src,dst,flows,packets,bytes\na,b,1,2,3\na,b,1\n")
                                   << "result.csv:3: 3 cells, the header has 5";
        QTest::newRow("not a number") << QByteArray("src,dst,flows,packets,bytes\na,b,1,2,lots\n")
                                      << "result.csv:2:5: column 'bytes': 'lots' is not a number";
        QTest::newRow("not a time") << QByteArray("bin_start,flows,packets,bytes\nyesterday,1,2,3\n")
                                    << "result.csv:2:1: column 'bin_start': 'yesterday' is not a time";
        QTest::newRow("unknown reason") << QByteArray("entry,exit,reason,packets,records\na,b,gremlins,1,1\n")
                                        << "unknown drop reason 'gremlins'";
        QTest::newRow("records, not an aggregate")
            << QByteArray("srcaddr,dstaddr,bytes\n10.0.0.1,10.0.0.2,5\n")
            << "is not an edges, series or drops result (columns: srcaddr, dstaddr, bytes)";
        QTest::newRow("open quote") << QByteArray("src,dst,flows,packets,bytes\n\"a,b,1,2,3\n")
                                    << "result.csv:2: a quoted cell is not closed";
        QTest::newRow("empty") << QByteArray() << "no header line";
        QTest::newRow("bad JSON") << QByteArray("[{\"src\": }]") << "result.csv: not valid JSON";
    }

    void badResults()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, message);
        auto r = readRemoteResult(data, QStringLiteral("result.csv"));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().toString().contains(message), qPrintable(r.error().toString()));
    }

    void cliPrintsTheCoreText_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        RemoteQuery q;
        q.view = RemoteView::Edges;
        q.filter = QStringLiteral("dstport == 443 and start >= \"2025-12-01 10:00\"");
        QTest::newRow("athena-sql edges") << QStringList{"athena-sql", "--view", "edges", "--filter", q.filter}
                                          << athenaSql(q).value() + QStringLiteral(";\n");
        RemoteQuery s = q;
        s.view = RemoteView::Series;
        s.binSeconds = 600;
        s.table = QStringLiteral("logs.tgw");
        s.layout = S3Layout::Hive;
        QTest::newRow("athena-sql series") << QStringList{"athena-sql", "--view",   "series", "--bin",    "600",   "--table",
                                                          "logs.tgw",   "--layout", "hive",   "--filter", q.filter}
                                           << athenaSql(s).value() + QStringLiteral(";\n");
        RemoteQuery r;
        r.view = RemoteView::Records;
        r.fields = remoteFormatFields(QStringLiteral("vpc")).value();
        r.columns = {QStringLiteral("srcaddr"), QStringLiteral("bytes")};
        r.sort = {{QStringLiteral("bytes"), true}};
        r.limit = 20;
        QTest::newRow("athena-sql records") << QStringList{"athena-sql", "--view",        "records", "--format",   "vpc",
                                                           "--columns",  "srcaddr,bytes", "--sort",  "bytes:desc", "--limit",
                                                           "20"}
                                            << athenaSql(r).value() + QStringLiteral(";\n");
        QTest::newRow("insights-query records")
            << QStringList{"insights-query", "--view", "records",    "--format", "vpc", "--columns",
                           "srcaddr,bytes",  "--sort", "bytes:desc", "--limit",  "20"}
            << insightsQuery(r).value() + QStringLiteral("\n");
        RemoteQuery d;
        d.view = RemoteView::Drops;
        QTest::newRow("insights-query drops")
            << QStringList{"insights-query", "--view", "drops"} << insightsQuery(d).value() + QStringLiteral("\n");
        AthenaTableOptions t;
        t.bucket = QStringLiteral("my-logs");
        t.prefix = QStringLiteral("tgw");
        t.accounts = {QStringLiteral("111111111111"), QStringLiteral("222222222222")};
        t.regions = {QStringLiteral("us-east-1")};
        QTest::newRow("athena-ddl")
            << QStringList{"athena-ddl", "--bucket", "my-logs", "--prefix", "tgw", "--accounts", "111111111111,222222222222",
                           "--regions",  "us-east-1"}
            << athenaDdl(remoteFormatFields(QString()).value(), t).value() + QStringLiteral(";\n");
        AthenaTableOptions h = t;
        h.layout = S3Layout::Hive;
        h.hourly = true;
        h.parquet = true;
        h.table = QStringLiteral("vpc_logs");
        QTest::newRow("athena-ddl hive parquet")
            << QStringList{"athena-ddl",
                           "--bucket",
                           "my-logs",
                           "--prefix",
                           "tgw",
                           "--accounts",
                           "111111111111,222222222222",
                           "--regions",
                           "us-east-1",
                           "--layout",
                           "hive",
                           "--hourly",
                           "--parquet",
                           "--table",
                           "vpc_logs",
                           "--format",
                           "vpc"}
            << athenaDdl(remoteFormatFields(QStringLiteral("vpc")).value(), h).value() + QStringLiteral(";\n");
    }

    void cliPrintsTheCoreText()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        const Run r = runCli(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(QString::fromUtf8(r.out), expected);
    }

    void cliFieldsFromFile()
    {
        // The header of a loaded file gives the columns (custom order included).
        const QString path = m_dir.filePath(QStringLiteral("custom.log"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("version vpc-id srcaddr dstaddr bytes my-tag start\n2 vpc-1 10.0.0.1 10.0.0.2 5 x 1764547200\n");
        f.close();
        const Run r = runCli({QStringLiteral("athena-ddl"), QStringLiteral("--bucket"), QStringLiteral("b-1"),
                              QStringLiteral("--accounts"), QStringLiteral("111111111111"), QStringLiteral("--regions"),
                              QStringLiteral("eu-west-1"), QStringLiteral("--fields-from"), path});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(
            r.out.contains("  `version` int,\n  `vpc_id` string,\n  `srcaddr` string,\n  `dstaddr` string,\n  `bytes` bigint,\n"
                           "  `my_tag` string,\n  `start` bigint\n)"),
            r.out.constData());
        // The TGW default file's first line (a header) works too.
        const Run t = runCli({QStringLiteral("insights-query"), QStringLiteral("--view"), QStringLiteral("edges"),
                              QStringLiteral("--fields-from"), m_log});
        QCOMPARE(t.exitCode, 0);
        QVERIFY(t.out.contains("parse @message \"* * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * *\""));
    }

    void cliErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no view") << QStringList{"athena-sql"} << "athena-sql needs --view records|edges|series|drops";
        QTest::newRow("bad view") << QStringList{"athena-sql", "--view", "pie"}
                                  << "--view must be records, edges, series or drops";
        QTest::newRow("bad filter") << QStringList{"athena-sql", "--view", "edges", "--filter", "bytes >"}
                                    << "expected a value after '>'";
        QTest::newRow("unknown option") << QStringList{"insights-query", "--view", "edges", "--frobnicate"}
                                        << "unknown option '--frobnicate'";
        QTest::newRow("bad bucket") << QStringList{"athena-ddl",   "--bucket",  "My_Bucket", "--accounts",
                                                   "111111111111", "--regions", "us-east-1"}
                                    << "bucket 'My_Bucket' is not an S3 bucket name";
        QTest::newRow("no accounts") << QStringList{"athena-ddl", "--bucket", "b-1", "--regions", "us-east-1"}
                                     << "at least one account id";
        QTest::newRow("bad account") << QStringList{"athena-ddl", "--bucket",  "b-1",      "--accounts",
                                                    "12ab",       "--regions", "us-east-1"}
                                     << "account id '12ab' is not 12 digits";
        QTest::newRow("quote in prefix") << QStringList{"athena-ddl", "--bucket",     "b-1",       "--prefix", "x'y",
                                                        "--accounts", "111111111111", "--regions", "us-east-1"}
                                         << "prefix 'x'y' may hold only";
        QTest::newRow("missing file") << QStringList{"athena-sql", "--view", "edges", "--fields-from", "/nonexistent/x.log"}
                                      << "cannot open '/nonexistent/x.log'";
        QTest::newRow("bad table") << QStringList{"athena-sql", "--view", "edges", "--table", "x;drop"} << "table name 'x;drop'";
        QTest::newRow("column not in format")
            << QStringList{"athena-sql", "--view", "records", "--format", "vpc", "--columns", "tgw_id"}
            << "column 'tgw_id' is not in the table's format";
    }

    void cliErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void cliWritesAFile()
    {
        const QString out = m_dir.filePath(QStringLiteral("q.sql"));
        const Run r =
            runCli({QStringLiteral("athena-sql"), QStringLiteral("--view"), QStringLiteral("drops"), QStringLiteral("-o"), out});
        QCOMPARE(r.exitCode, 0);
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        RemoteQuery q;
        q.view = RemoteView::Drops;
        QCOMPARE(QString::fromUtf8(f.readAll()), athenaSql(q).value() + QStringLiteral(";\n"));
        QVERIFY(runCli({QStringLiteral("--help")}).out.contains("athena-sql"));
        QVERIFY(runCli({QStringLiteral("athena-sql"), QStringLiteral("--help")}).out.contains("partition projection"));
    }
};

QTEST_GUILESS_MAIN(TestRemoteResults)
#include "tst_remote_results.moc"
