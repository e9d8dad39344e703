// flowlog-cli edges, series, drops and flow end to end: the CSV/JSON each writes on the
// fixtures, with names and filters, and their usage errors. Helpers: tests/clitestutil.h.
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

class TestCliViews : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFile::exists(testpaths::cliPath()), qPrintable(testpaths::cliPath())); }

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

    // --- drops (drop diagnosis) ---
    void dropsCsv()
    {
        const QString log = testpaths::testData() + QStringLiteral("/graph/tgw-both-sides.log");
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
        const QString log = testpaths::testData() + QStringLiteral("/graph/tgw-both-sides.log");
        const Run bad = runCli({QStringLiteral("drops"), QStringLiteral("--filter"), QStringLiteral("dstport =="), log});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(QLatin1String("filter error at column")), qPrintable(bad.err));
        const Run by = runCli({QStringLiteral("drops"), QStringLiteral("--by"), QStringLiteral("vpc"), log});
        QCOMPARE(by.exitCode, 2);
        QVERIFY(runCli({QStringLiteral("--help")}).out.contains("flowlog-cli drops"));
        // The demo data set with its describe-* JSON: every reason, route tables and names.
        const Run demo = runCli({QStringLiteral("drops"), testpaths::demoData()});
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
};

QTEST_GUILESS_MAIN(TestCliViews)
#include "tst_cli_views.moc"
