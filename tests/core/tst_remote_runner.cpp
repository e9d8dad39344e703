// Running Athena queries through the real AWS CLI (Debian package awscli, /usr/bin/aws) against a
// local HTTP server on 127.0.0.1 that answers the Athena API calls the CLI makes with
// --endpoint-url (StartQueryExecution, GetQueryExecution, GetQueryResults, StopQueryExecution):
// polling, the result CSV, cancel (stop-query-execution), a failed query, access denied and no
// credentials, each with a clear sentence. The server stops by itself (120 s, 200 requests).
#include "core/remote/athena_runner.h"
#include "core/remote/remote.h"

#include "tests/testpaths.h"
#include <QFileInfo>
#include <QProcess>
#include <QTest>

using namespace core;

namespace {

const char* const kServer = R"PY(
import json, sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer
scenario = sys.argv[1]
state = {"polls": 0, "requests": 0, "stopped": False}
class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def do_POST(self):
        state["requests"] += 1
        n = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(n) or b"{}")
        target = self.headers.get("X-Amz-Target", "").split(".")[-1]
        code, out = 200, {}
        if scenario == "denied":
            code, out = 400, {"__type": "AccessDeniedException", "Message": "User: arn:aws:iam::111122223333:user/x is not authorized to perform: athena:StartQueryExecution"}
        elif target == "StartQueryExecution":
            print("sql " + json.dumps(body.get("QueryString", "")), flush=True)
            out = {"QueryExecutionId": "q-0001"}
        elif target == "GetQueryExecution":
            state["polls"] += 1
            st = "RUNNING" if state["polls"] < 2 or scenario == "hang" else ("FAILED" if scenario == "fail" else "SUCCEEDED")
            if state["stopped"]:
                st = "CANCELLED"
            out = {"QueryExecution": {"QueryExecutionId": "q-0001", "Status": {"State": st, "StateChangeReason": "SYNTAX_ERROR: line 1:8: Column 'x' cannot be resolved"}, "Statistics": {"DataScannedInBytes": 2500000000}}}
        elif target == "GetQueryResults":
            rows = [["src", "dst", "flows", "packets", "bytes"], ["tgw-attach-a", "tgw-attach-b", "3", "30", "3000"]]
            out = {"ResultSet": {"Rows": [{"Data": [{"VarCharValue": v} for v in r]} for r in rows], "ResultSetMetadata": {"ColumnInfo": []}}, "UpdateCount": 0}
        elif target == "StopQueryExecution":
            state["stopped"] = True
            print("stopped", flush=True)
        data = json.dumps(out).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
srv = HTTPServer(("127.0.0.1", 0), H)
srv.timeout = 1
print(srv.server_address[1], flush=True)
deadline = time.time() + 120
while time.time() < deadline and state["requests"] < 200:
    srv.handle_request()
)PY";

struct Server {
    QProcess process;
    QString url;
    QByteArray said; ///< what the server printed (the SQL it received, "stopped")
    bool saw(const char* text)
    {
        said += process.readAll();
        return said.contains(text);
    }
    bool start(const QString& scenario)
    {
        process.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), QString::fromLatin1(kServer), scenario});
        if (!process.waitForStarted() || !process.waitForReadyRead(30000)) return false;
        const QByteArray port = process.readLine().trimmed();
        url = QStringLiteral("http://127.0.0.1:%1").arg(QString::fromLatin1(port));
        return !port.isEmpty();
    }
    ~Server()
    {
        process.kill();
        process.waitForFinished();
    }
};

AthenaRunOptions options(const Server& s)
{
    AthenaRunOptions o;
    o.sql = QStringLiteral("SELECT 1");
    o.outputLocation = QStringLiteral("s3://results-bucket/athena/");
    o.region = QStringLiteral("us-east-1");
    o.endpointUrl = s.url;
    o.aws = QStringLiteral("/usr/bin/aws");
    o.pollMilliseconds = 10;
    return o;
}

} // namespace

class TestRemoteRunner : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo::exists(QStringLiteral("/usr/bin/aws"))) QFAIL("the AWS CLI (Debian package awscli) is not installed");
        // Test credentials for the local endpoint only; nothing of the user's configuration.
        qputenv("AWS_ACCESS_KEY_ID", "testing");
        qputenv("AWS_SECRET_ACCESS_KEY", "testing");
        qputenv("AWS_CONFIG_FILE", "/nonexistent/aws-config");
        qputenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
        qputenv("AWS_EC2_METADATA_DISABLED", "true");
        qunsetenv("AWS_PROFILE");
    }

    void succeeds()
    {
        Server s;
        QVERIFY(s.start(QStringLiteral("ok")));
        AthenaRunOptions o = options(s);
        RemoteQuery q;
        q.view = RemoteView::Edges;
        q.filter = QStringLiteral("dstport == 443");
        o.sql = athenaSql(q).value();
        QStringList states;
        auto r = runAthenaQuery(o, [&](const QString& state, qint64 scanned) {
            states << state;
            QCOMPARE(scanned, 2500000000LL);
        });
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(r->queryId, QStringLiteral("q-0001"));
        QCOMPARE(states, (QStringList{QStringLiteral("RUNNING"), QStringLiteral("SUCCEEDED")}));
        QCOMPARE(r->scannedBytes, 2500000000LL);
        QCOMPARE(athenaCostDollars(r->scannedBytes), 0.0125);
        // The server received our SQL, and the result opens as edges.
        QTRY_VERIFY2(s.saw("counted AS ("), s.said.constData());
        auto back = readRemoteResult(r->csv, QStringLiteral("athena"));
        QVERIFY(back.ok());
        QCOMPARE(back->edges.size(), size_t(1));
        QCOMPARE(back->edges.front().bytes, 3000);
    }

    void cancelStopsTheQuery()
    {
        Server s;
        QVERIFY(s.start(QStringLiteral("hang")));
        std::atomic<bool> cancel{false};
        auto r = runAthenaQuery(
            options(s), [&](const QString&, qint64) { cancel = true; }, &cancel);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message, QStringLiteral("query q-0001 was cancelled; stopped it with stop-query-execution"));
        QTRY_VERIFY2(s.saw("stopped"), s.said.constData());
    }

    void errors_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<bool>("credentials");
        QTest::addColumn<QString>("message");
        QTest::newRow("query failed") << "fail" << true
                                      << "query q-0001 failed: SYNTAX_ERROR: line 1:8: Column 'x' cannot be resolved";
        QTest::newRow("access denied")
            << "denied" << true
            << "aws athena start-query-execution: access denied: the profile's credentials may not run "
               "Athena queries";
        QTest::newRow("no credentials") << "ok" << false << "aws athena start-query-execution: no AWS credentials:";
    }

    void errors()
    {
        QFETCH(QString, scenario);
        QFETCH(bool, credentials);
        QFETCH(QString, message);
        Server s;
        QVERIFY(s.start(scenario));
        if (!credentials) {
            qunsetenv("AWS_ACCESS_KEY_ID");
            qunsetenv("AWS_SECRET_ACCESS_KEY");
        }
        auto r = runAthenaQuery(options(s));
        qputenv("AWS_ACCESS_KEY_ID", "testing");
        qputenv("AWS_SECRET_ACCESS_KEY", "testing");
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(message), qPrintable(r.error().message));
    }

    void timeoutStopsTheQuery()
    {
        Server s;
        QVERIFY(s.start(QStringLiteral("hang")));
        AthenaRunOptions o = options(s);
        o.timeoutSeconds = 1;
        auto r = runAthenaQuery(o);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message,
                 QStringLiteral("query q-0001 did not finish within 1 s; stopped it with stop-query-execution"));
    }

    void cliAthenaRun()
    {
        Server s;
        QVERIFY(s.start(QStringLiteral("ok")));
        QProcess cli;
        cli.start(testpaths::cliPath(),
                  {QStringLiteral("athena-run"), QStringLiteral("--view"), QStringLiteral("edges"), QStringLiteral("--filter"),
                   QStringLiteral("dstport == 443"), QStringLiteral("--output-location"),
                   QStringLiteral("s3://results-bucket/x/"), QStringLiteral("--region"), QStringLiteral("us-east-1"),
                   QStringLiteral("--endpoint-url"), s.url, QStringLiteral("--poll-ms"), QStringLiteral("10"),
                   QStringLiteral("--aws"), QStringLiteral("/usr/bin/aws")});
        QVERIFY(cli.waitForFinished(240000));
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        QVERIFY2(cli.exitCode() == 0, qPrintable(err));
        QCOMPARE(
            cli.readAllStandardOutput(),
            QByteArray(
                "\"src\",\"dst\",\"flows\",\"packets\",\"bytes\"\n\"tgw-attach-a\",\"tgw-attach-b\",\"3\",\"30\",\"3000\"\n"));
        // The exact command, then the progress with the data scanned and the cost at $5/TB.
        QVERIFY2(err.contains(
                     QStringLiteral("running /usr/bin/aws athena start-query-execution --query-string '<the athena-sql text>' "
                                    "--result-configuration OutputLocation=s3://results-bucket/x/ --output json --region "
                                    "us-east-1 --endpoint-url ")),
                 qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("SUCCEEDED, 2.5 GB scanned (about $0.0125)")), qPrintable(err));
    }

    void arguments()
    {
        AthenaRunOptions o;
        o.profile = QStringLiteral("prod");
        o.region = QStringLiteral("eu-west-1");
        QCOMPARE(athenaCliArguments(
                     o, {QStringLiteral("get-query-execution"), QStringLiteral("--query-execution-id"), QStringLiteral("q")}),
                 (QStringList{"athena", "get-query-execution", "--query-execution-id", "q", "--output", "json", "--profile",
                              "prod", "--region", "eu-west-1"}));
    }
};

QTEST_GUILESS_MAIN(TestRemoteRunner)
#include "tst_remote_runner.moc"
