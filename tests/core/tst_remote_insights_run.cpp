// The Logs Insights runner (core/remote/insights_runner.*) and `flowlog-cli insights-run`
// against a fake `aws` (tests/fakeaws.h: canned JSON per call, its arguments recorded): start-query with the log groups, times,
// limit and query; get-query-results polled with progress until Complete; the result JSON read back by readRemoteResult; the
// failures (no credentials, access denied, Failed, timeout, cancel -> stop-query) as sentences.
#include "core/remote/insights_runner.h"
#include "core/remote/remote.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/fakeaws.h"
#include "tests/testpaths.h"

namespace {

// clang-format off
const char* kResult = R"JSON({"results": [[{"field": "bin(300s)", "value": "2025-12-01 00:00:00.000"}, {"field": "flows", "value": "5"},
 {"field": "packets", "value": "50"}, {"field": "bytes", "value": "5000"}],
 [{"field": "bin(300s)", "value": "2025-12-01 00:10:00.000"}, {"field": "flows", "value": "1"},
 {"field": "packets", "value": "10"}, {"field": "bytes", "value": "100"}]],
 "statistics": {"recordsMatched": 6.0, "recordsScanned": 120.0, "bytesScanned": 3500000000.0}, "status": "Complete"})JSON";
// clang-format on

} // namespace

class TestRemoteInsightsRun : public QObject {
    Q_OBJECT
    fakeaws::FakeAws m_fake;

    void setMode(const QByteArray& mode) { QVERIFY(m_fake.setMode(mode)); }
    QString calls() const { return m_fake.calls(); }
    core::InsightsRunOptions options() const
    {
        core::InsightsRunOptions o;
        o.query = QStringLiteral("stats sum(bytes) as bytes by bin(300s)");
        o.logGroups = {QStringLiteral("/flowlogs/tgw"), QStringLiteral("/flowlogs/vpc")};
        o.startTime = 1764547200;
        o.endTime = 1764633600;
        o.profile = QStringLiteral("analyst");
        o.region = QStringLiteral("eu-west-1");
        o.aws = m_fake.path();
        o.pollMilliseconds = 10;
        return o;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_fake.install());
        QVERIFY(m_fake.writeFile(QStringLiteral("insights-results.json"), kResult));
    }

    // Run > Logs Insights' time range: the filter's start/end terms, else the loaded records'
    // span, else the last 24 hours; the end 10 minutes later; whole minutes.
    void timeRange_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<qint64>("loadedFirst"); ///< 0: nothing loaded
        QTest::addColumn<qint64>("loadedLast");
        QTest::addColumn<qint64>("now");
        QTest::addColumn<qint64>("start");
        QTest::addColumn<qint64>("end");
        QTest::addColumn<QString>("origin");
        const qint64 now = 1765000030;
        QTest::newRow("filter bounds both ends")
            << "start >= 1764568800 and start < 1764613800" << qint64(1764500000) << qint64(1764600000) << now
            << qint64(1764568800) << qint64(1764614400) << "start and end from the filter's start/end terms";
        QTest::newRow("filter as times") << "start >= 2025-12-01T06:00:00Z and end < 2025-12-01T18:30:00Z" << qint64(0)
                                         << qint64(0) << now << qint64(1764568800) << qint64(1764614400)
                                         << "start and end from the filter's start/end terms";
        QTest::newRow("loaded span") << "" << qint64(1764547230) << qint64(1764550000) << now << qint64(1764547200)
                                     << qint64(1764550620) << "start and end from the loaded records' span";
        QTest::newRow("filter without times: loaded span")
            << "dstport == 443" << qint64(1764547200) << qint64(1764550000) << now << qint64(1764547200) << qint64(1764550620)
            << "start and end from the loaded records' span";
        QTest::newRow("nothing: last 24 hours")
            << "" << qint64(0) << qint64(0) << now << qint64(1764913620) << qint64(1765000080) << "the last 24 hours";
        QTest::newRow("lower bound, end from the loaded records")
            << "start >= 1764568800" << qint64(1764547200) << qint64(1764600000) << now << qint64(1764568800)
            << qint64(1764600600) << "start from the filter's start/end terms, end from the loaded records' span";
        QTest::newRow("lower bound after the loaded records: up to now")
            << "start >= 1764700000" << qint64(1764547200) << qint64(1764600000) << now << qint64(1764699960)
            << qint64(1765000080) << "start from the filter's start/end terms, end now";
        QTest::newRow("upper bound only, nothing loaded")
            << "end <= 1764613800" << qint64(0) << qint64(0) << now << qint64(1764528000) << qint64(1764614460)
            << "start 24 hours before the end, end from the filter's start/end terms";
        QTest::newRow("or is no bound") << "start >= 1764568800 or bytes > 1" << qint64(0) << qint64(0) << now
                                        << qint64(1764913620) << qint64(1765000080) << "the last 24 hours";
        QTest::newRow("a filter that does not parse")
            << "bytes >" << qint64(0) << qint64(0) << now << qint64(1764913620) << qint64(1765000080) << "the last 24 hours";
    }

    void timeRange()
    {
        QFETCH(QString, filter);
        QFETCH(qint64, loadedFirst);
        QFETCH(qint64, loadedLast);
        QFETCH(qint64, now);
        QFETCH(qint64, start);
        QFETCH(qint64, end);
        QFETCH(QString, origin);
        const auto loaded = loadedFirst ? std::optional<std::pair<qint64, qint64>>({loadedFirst, loadedLast}) : std::nullopt;
        const core::InsightsTimeRange r = core::insightsTimeRange(filter, loaded, now);
        QCOMPARE(r.start, start);
        QCOMPARE(r.end, end);
        QCOMPARE(r.origin, origin);
    }

    void arguments()
    {
        const auto o = options();
        QCOMPARE(core::insightsCliArguments(o, core::insightsStartCall(o)).join(QLatin1Char(' ')),
                 QStringLiteral("logs start-query --log-group-names /flowlogs/tgw /flowlogs/vpc --start-time 1764547200 "
                                "--end-time 1764633600 --limit 10000 --query-string stats sum(bytes) as bytes by bin(300s) "
                                "--output json --profile analyst --region eu-west-1"));
        QCOMPARE(core::awsCommandLine(QStringLiteral("aws"), {QStringLiteral("logs"), QStringLiteral("it's | x")}),
                 QStringLiteral("aws logs 'it'\\''s | x'"));
    }

    void succeeds()
    {
        setMode("scheduled");
        QStringList seen;
        auto r = core::runInsightsQuery(
            options(), [&](const QString& status, qint64 bytes) { seen << QStringLiteral("%1 %2").arg(status).arg(bytes); });
        QVERIFY2(r.ok(), qPrintable(r ? QString() : r.error().message));
        QCOMPARE(r->queryId, QStringLiteral("iq-0001"));
        QCOMPARE(r->status, QStringLiteral("Complete"));
        QCOMPARE(r->scannedBytes, qint64(3500000000));
        QCOMPARE(r->recordsMatched, qint64(6));
        QCOMPARE(seen.first(), QStringLiteral("Scheduled 1000000"));
        QCOMPARE(seen.last(), QStringLiteral("Complete 3500000000"));
        // The result JSON opens as the views read it: 5-minute bins, the gap a zero bin.
        auto result = core::readRemoteResult(r->json, QStringLiteral("insights.json"));
        QVERIFY2(result.ok(), qPrintable(result ? QString() : result.error().toString()));
        QCOMPARE(result->view, core::RemoteView::Series);
        QCOMPARE(result->series.bins.size(), size_t(3));
        QCOMPARE(result->series.bins[0].bytes, qint64(5000));
        QVERIFY(!calls().contains(QLatin1String("stop-query")));
    }

    void fails_data()
    {
        QTest::addColumn<QByteArray>("mode");
        QTest::addColumn<int>("how"); // 0 plain, 1 timeout after 1 s, 2 cancel on the first Running
        QTest::addColumn<QString>("message");
        QTest::addColumn<bool>("stopped");
        QTest::newRow("no credentials") << QByteArray("nocreds") << 0
                                        << "aws logs start-query: no AWS credentials: configure them with 'aws configure'"
                                        << false;
        QTest::newRow("access denied") << QByteArray(
            "denied") << 0 << "aws logs start-query: access denied: the profile's credentials may not run Logs Insights queries"
                                       << false;
        QTest::newRow("malformed query") << QByteArray("malformed") << 0 << "MalformedQueryException" << false;
        QTest::newRow("query failed") << QByteArray("failed") << 0 << "query iq-0001 ended with status Failed" << false;
        QTest::newRow("timeout") << QByteArray("running") << 1
                                 << "query iq-0001 did not finish within 1 s; stopped it with stop-query" << true;
        QTest::newRow("cancel") << QByteArray("running") << 2 << "query iq-0001 was cancelled; stopped it with stop-query"
                                << true;
    }

    void fails()
    {
        QFETCH(QByteArray, mode);
        QFETCH(int, how);
        QFETCH(QString, message);
        QFETCH(bool, stopped);
        setMode(mode);
        auto o = options();
        if (how == 1) o.timeoutSeconds = 1;
        std::atomic<bool> cancel{false};
        auto r = core::runInsightsQuery(
            o,
            [&](const QString& status, qint64) {
                if (how == 2 && status == QLatin1String("Running")) cancel = true;
            },
            &cancel);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(message), qPrintable(r.error().message));
        QCOMPARE(calls().contains(QLatin1String("logs stop-query --query-id iq-0001")), stopped);
    }

    void badOptions_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("message");
        QTest::newRow("no log group") << 0 << "no log group";
        QTest::newRow("end before start") << 1 << "the end time is not after the start time";
        QTest::newRow("limit") << 2 << "the row limit must be 1..10000, got 20000";
        QTest::newRow("option-like group") << 3 << "'--debug' is not a log group name";
    }

    void badOptions()
    {
        QFETCH(int, which);
        QFETCH(QString, message);
        setMode("ok");
        auto o = options();
        if (which == 0) o.logGroups.clear();
        if (which == 1) o.endTime = o.startTime;
        if (which == 2) o.limit = 20000;
        if (which == 3) o.logGroups = {QStringLiteral("--debug")};
        auto r = core::runInsightsQuery(o);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(message), qPrintable(r.error().message));
        QVERIFY(calls().isEmpty()); // nothing ran
    }

    void cli_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("mode");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("stderrContains");
        const QStringList base{
            QStringLiteral("insights-run"), QStringLiteral("--view"),    QStringLiteral("series"), QStringLiteral("--bin"),
            QStringLiteral("300"),          QStringLiteral("--poll-ms"), QStringLiteral("10")};
        QTest::newRow("runs") << (base
                                  + QStringList{"--log-groups", "/flowlogs/tgw", "--start", "2025-12-01 00:00", "--end",
                                                "2025-12-02T00:00:00Z", "--profile", "analyst"})
                              << QByteArray("ok") << 0
                              << "/aws logs start-query --log-group-names /flowlogs/tgw --start-time 1764547200 "
                                 "--end-time 1764633600 --limit 10000 --query-string '<the insights-query text>' --output "
                                 "json --profile analyst";
        QTest::newRow("progress") << (base + QStringList{"--log-groups", "/g"}) << QByteArray("ok") << 0
                                  << "flowlog-cli: Complete, 3.5 GB scanned (about $0.0175)";
        QTest::newRow("no log groups") << base << QByteArray("ok") << 2 << "insights-run: no log group";
        QTest::newRow("bad time") << (base + QStringList{"--log-groups", "/g", "--start", "yesterday"}) << QByteArray("ok") << 2
                                  << "--start must be a UTC date-time (YYYY-MM-DD HH:MM) or Unix seconds, got 'yesterday'";
        QTest::newRow("denied") << (base + QStringList{"--log-groups", "/g"}) << QByteArray("denied") << 1
                                << "flowlog-cli: insights-run: aws logs start-query: access denied";
    }

    void cli()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, mode);
        QFETCH(int, exitCode);
        QFETCH(QString, stderrContains);
        setMode(mode);
        QProcess p;
        p.start(testpaths::cliPath(), args + QStringList{QStringLiteral("--aws"), m_fake.path()});
        QVERIFY(p.waitForFinished(60000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitCode(), exitCode);
        QVERIFY2(err.contains(stderrContains), qPrintable(err));
        if (exitCode == 0) {
            // stdout is the get-query-results JSON, as the app opens it.
            const QByteArray out = p.readAllStandardOutput();
            QCOMPARE(out, QByteArray(kResult));
            // The query insights-query prints went to start-query.
            const QString log = calls();
            QVERIFY2(log.contains(QLatin1String("logs start-query --log-group-names ")), qPrintable(log));
            QVERIFY2(log.contains(QLatin1String("| stats ")) && log.contains(QLatin1String("bin(300s)")), qPrintable(log));
        }
    }
};

QTEST_GUILESS_MAIN(TestRemoteInsightsRun)
#include "tst_remote_insights_run.moc"
