// Logs Insights records results (`aws logs get-query-results` JSON: rows of {"field", "value"}
// cells) opened by the loader itself (File > Open, flowlog-cli FILE), as records by field name.
// Oracle: the same result turned into flow log text by core::remoteRecordsAsFlowLog (tested in
// tst_remote_records) and loaded as text; both stores must hold the same values, record for
// record. Bad rows are rejections naming the line the row starts on; an aggregate result is
// refused with a sentence pointing at Remote > Open Athena / Logs Insights Result….
#include "core/ingest/loader.h"
#include "core/remote/remote.h"
#include "core/store/store.h"

#include "tests/clitestutil.h"
#include "tests/ingesttestutil.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace core;

namespace {

using Row = std::vector<std::pair<QString, QString>>;

/// get-query-results JSON: rows of {"field", "value"}; `indented` = pretty-printed (one cell
/// per several lines), else everything on one line.
QByteArray queryResults(const std::vector<Row>& rows, bool indented)
{
    QJsonArray results;
    for (const auto& row : rows) {
        QJsonArray cells;
        for (const auto& [field, value] : row)
            cells.append(QJsonObject{{QStringLiteral("field"), field}, {QStringLiteral("value"), value}});
        results.append(cells);
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("results"), results},
                                     {QStringLiteral("statistics"), QJsonObject{{QStringLiteral("recordsMatched"), 2.0}}},
                                     {QStringLiteral("status"), QStringLiteral("Complete")}})
        .toJson(indented ? QJsonDocument::Indented : QJsonDocument::Compact);
}

/// The console's JSON export of the same rows: an array of objects, one per row.
QByteArray exportJson(const std::vector<Row>& rows)
{
    QJsonArray out;
    for (const auto& row : rows) {
        QJsonObject o;
        for (const auto& [field, value] : row) o.insert(field, value);
        out.append(o);
    }
    return QJsonDocument(out).toJson(QJsonDocument::Indented);
}

/// Every stored record as "column=value;..." over the columns of `flows` (extras included),
/// without the load's own bookkeeping (id, file, line).
QStringList storedRows(const Store& store)
{
    QStringList columns;
    auto info = store.prepare(QStringLiteral("SELECT name FROM pragma_table_info('flows') ORDER BY name"));
    while (info.ok() && info->next()) {
        const QString c = info->text(0);
        if (c != QLatin1String("id") && c != QLatin1String("file_id") && c != QLatin1String("line") && c != QLatin1String("ctx"))
            columns << c;
    }
    QStringList quoted;
    for (const QString& c : columns) quoted << QLatin1Char('"') + c + QLatin1Char('"');
    auto st = store.prepare(QStringLiteral("SELECT %1 FROM flows ORDER BY id").arg(quoted.join(QLatin1Char(','))));
    QStringList out;
    while (st.ok() && st->next()) {
        QStringList cells;
        for (int i = 0; i < static_cast<int>(columns.size()); ++i)
            if (!st->isNull(i)) cells << columns[i] + QLatin1Char('=') + st->text(i);
        out << cells.join(QLatin1Char(';'));
    }
    return out;
}

const Row kTgw1 = {{"@timestamp", "2025-12-01 00:00:00.000"},
                   {"tgw_attachment_id", "tgw-attach-0aaa00000000000a1"},
                   {"tgw_pair_attachment_id", "tgw-attach-0bbb00000000000b2"},
                   {"flow_direction", "ingress"},
                   {"srcaddr", "10.0.1.5"},
                   {"dstaddr", "10.1.0.9"},
                   {"srcport", "50000"},
                   {"dstport", "443"},
                   {"protocol", "6"},
                   {"packets", "12"},
                   {"bytes", "3400"},
                   {"start", "1764547200"},
                   {"end", "1764547260"},
                   {"packets_lost_no_route", "0"},
                   {"@ptr", "CmAKJwojMTExMTIyMjIzMzMzOi9mbG93bG9ncy90Z3c"}};
const Row kTgw2 = {{"tgw_attachment_id", "tgw-attach-0bbb00000000000b2"},
                   {"tgw_pair_attachment_id", ""},
                   {"flow_direction", "egress"},
                   {"srcaddr", "2600:1f18:2::1"},
                   {"dstaddr", "2600:1f18:12::1"},
                   {"srcport", "0"},
                   {"dstport", "-"},
                   {"protocol", "58"},
                   {"packets", "1"},
                   {"bytes", "96"},
                   {"start", "1764547300"},
                   {"end", "1764547360"},
                   {"packets_lost_no_route", "1"}};
const Row kVpc = {{"@timestamp", "2014-12-14 04:06:50.000"},
                  {"version", "2"},
                  {"accountId", "123456789012"},
                  {"interfaceId", "eni-0a1b2c3d4e5f60001"},
                  {"srcAddr", "172.31.16.139"},
                  {"dstAddr", "172.31.16.21"},
                  {"srcPort", "20641"},
                  {"dstPort", "22"},
                  {"protocol", "6"},
                  {"packets", "20"},
                  {"bytes", "4249"},
                  {"startTime", "1418530010"},
                  {"endTime", "1418530070"},
                  {"action", "REJECT"},
                  {"logStatus", "OK"},
                  {"@ptr", "Cm0KJwojMTIzNDU2Nzg5MDEyOi92cGMtZmxvdy1sb2dz"}};

Row without(Row row, const QString& field)
{
    std::erase_if(row, [&](const auto& c) { return c.first == field; });
    return row;
}

Row with(Row row, const QString& field, const QString& value)
{
    row.emplace_back(field, value);
    return row;
}

LoadReport load(Store& store, const QByteArray& data, const QString& name)
{
    return loadBuffer(store, data, name, LoadOptions{});
}

} // namespace

class TestIngestInsights : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void records_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<qint64>("records");
        QTest::addColumn<QString>("format");
        const QString records = QStringLiteral("Logs Insights JSON (records)");
        const std::vector<std::pair<const char*, std::vector<Row>>> cases = {
            {"TGW parse names, @timestamp and @ptr left out", {kTgw1, kTgw2}},
            {"VPC discovered names", {kVpc}},
            {"extra plain names kept as columns", {with(kTgw1, "note", "first"), with(kTgw2, "note", "")}},
            {"missing fields are absent", {kTgw1, without(without(kTgw2, "dstport"), "protocol")}},
            {"TGW and VPC rows mixed", {kTgw1, kVpc, kTgw2}},
        };
        for (const auto& [name, rows] : cases) {
            QTest::addRow("%s, one line", name) << queryResults(rows, false) << qint64(rows.size()) << records;
            QTest::addRow("%s, pretty-printed", name) << queryResults(rows, true) << qint64(rows.size()) << records;
            QTest::addRow("%s, console JSON export", name)
                << exportJson(rows) << qint64(rows.size()) << QStringLiteral("Logs Insights JSON export (records)");
        }
        QTest::newRow("an empty results array") << queryResults({}, true) << qint64(0) << records;
        QTest::newRow("console JSON export, numbers as numbers, null as absent")
            << QByteArray(R"([{"@timestamp": "2025-12-01 00:00:00.000", "srcAddr": "10.0.0.1", "dstaddr": "10.0.0.2",)"
                          "\n"
                          R"( "bytes": 500, "packets": 5, "start": 1764547200, "dstport": null}, )"
                          R"({"srcaddr": "10.0.0.3", "dstaddr": "10.0.0.4", "bytes": 7}])")
            << qint64(2) << QStringLiteral("Logs Insights JSON export (records)");
    }

    void records()
    {
        QFETCH(QByteArray, json);
        QFETCH(qint64, records);
        QFETCH(QString, format);
        auto store = std::move(Store::create().value());
        const LoadReport r = load(*store, json, QStringLiteral("q.json"));
        QVERIFY2(r.errors.isEmpty(), qPrintable(r.errors.join(QLatin1Char('\n'))));
        QVERIFY2(r.rejected == 0, qPrintable(r.rejections.empty() ? QString() : r.rejections.front().reason));
        QCOMPARE(r.records, records);
        QCOMPARE(r.files.size(), size_t(1));
        QCOMPARE(r.files.front().format, format);
        const FileReport& f = r.files.front();
        QCOMPARE(f.records + f.rejected + f.skipped + f.outsideWindow + f.sampledOut, f.lines);
        if (records == 0) return;

        auto text = remoteRecordsAsFlowLog(json, QStringLiteral("q.json"));
        QVERIFY2(text.ok(), qPrintable(text ? QString() : text.error().toString()));
        auto oracle = std::move(Store::create().value());
        const LoadReport o = load(*oracle, text.value(), QStringLiteral("q.log"));
        QCOMPARE(o.rejected, qint64(0));
        QCOMPARE(o.records, records);
        const QStringList got = storedRows(*store), want = storedRows(*oracle);
        QCOMPARE(got.size(), want.size());
        for (qsizetype i = 0; i < got.size(); ++i) QCOMPARE(got[i], want[i]);
    }

    void badRows_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<qint64>("records");
        QTest::addColumn<QStringList>("rejections"); // "line: reason"
        const QByteArray good = R"([{"field":"srcaddr","value":"10.0.0.1"},{"field":"dstaddr","value":"10.0.0.2"}])";
        auto file = [&](const QList<QByteArray>& rows) {
            return QByteArray("{\"results\": [\n") + rows.join(",\n") + "\n], \"status\": \"Complete\"}\n";
        };
        QTest::newRow("a value with a space")
            << file({good, R"([{"field":"srcaddr","value":"10.0.0.3"},{"field":"dstaddr","value":"10.0.0.4 x"}])", good})
            << qint64(2) << QStringList{"3: field 'dstaddr': '10.0.0.4 x' holds a space, which no flow log value does"};
        QTest::newRow("a field name that is no field")
            << file({good, R"([{"field":"srcaddr","value":"10.0.0.1"},{"field":"dstaddr","value":"10.0.0.2"},)"
                           R"({"field":"sum(bytes) / 2","value":"4"}])"})
            << qint64(1) << QStringList{"3: field 'sum(bytes) / 2' is not a flow log field name"};
        QTest::newRow("a non-string value") << file(
            {R"([{"field":"srcaddr","value":"10.0.0.1"},{"field":"bytes","value":12}])", good})
                                            << qint64(1) << QStringList{"2: field 'bytes': the value is not a JSON string"};
        QTest::newRow("a bad number") << file(
            {good, R"([{"field":"srcaddr","value":"10.0.0.1"},{"field":"packets","value":"many"}])"})
                                      << qint64(1) << QStringList{"3: packets: 'many' is not a number"};
        QTest::newRow("a row that is no array") << file({good, R"({"srcaddr":"10.0.0.1"})", R"("10.0.0.1")"}) << qint64(1)
                                                << QStringList{"3: a result row is not an array of {\"field\", \"value\"} cells",
                                                               "4: a result row is not an array of {\"field\", \"value\"} cells"};
        QTest::newRow("a cell without a field") << file({good, R"([{"value":"10.0.0.1"}])", "[]"}) << qint64(1)
                                                << QStringList{"3: a cell without a \"field\"", "4: an empty result row"};
        QTest::newRow("a field twice") << file(
            {good, R"([{"field":"srcAddr","value":"10.0.0.1"},{"field":"srcaddr","value":"10.0.0.1"}])"})
                                       << qint64(1) << QStringList{"3: field 'srcaddr' appears twice"};
        QTest::newRow("console JSON export: an object as a value, a bad address")
            << QByteArray("[{\"srcaddr\": \"10.0.0.1\", \"dstaddr\": \"10.0.0.2\"},\n"
                          "{\"srcaddr\": \"10.0.0.1\", \"dstaddr\": {\"a\": 1}},\n"
                          "{\"srcaddr\": \"10.0.0.1\",\n \"dstaddr\": \"10.0.0.x\"}]\n")
            << qint64(1)
            << QStringList{"2: field 'dstaddr': the value is not a string or number",
                           "3: dstaddr: '10.0.0.x' is not an IP address"};
        QTest::newRow("a value longer than 1 MiB")
            << file({R"([{"field":"srcaddr","value":"10.0.0.1"},{"field":"dstaddr","value":")" + QByteArray((1 << 20) + 1, 'x')
                         + R"("}])",
                     good})
            << qint64(1) << QStringList{"2: a value longer than 1 MiB"};
        // fuzz_ingest's find: an object with no record field after records came in was a file
        // refusal that left the row counted as read but neither a record nor a rejection.
        QTest::newRow("console JSON export: an object without fields after an @message row")
            << QByteArray("[\n  {\n    \"@timestamp\": \"2023-11-14 22:13:25.000\",\n    \"@message\": \""
                          + QByteArray(ingesttest::kVpc1) + "\"\n  },\n  {\n    \"@timestamp\": \"x\"\n  }\n]\n")
            << qint64(1) << QStringList{"6: no srcaddr, dstaddr or log_status field: not a flow log record"};
        QTest::newRow("an aggregate row after a record row")
            << file({good, R"([{"field":"tgw_attachment_id","value":"tgw-attach-1"},{"field":"flows","value":"3"}])"})
            << qint64(1) << QStringList{"3: no srcaddr, dstaddr or log_status field: not a flow log record"};
        QTest::newRow("pretty-printed row: its first line")
            << QByteArray("{\n  \"results\": [\n    [\n      {\"field\": \"srcaddr\", \"value\": \"10.0.0.1\"},\n"
                          "      {\"field\": \"dstaddr\", \"value\": \"bad\"}\n    ]\n  ]\n}\n")
            << qint64(0) << QStringList{"3: dstaddr: 'bad' is not an IP address"};
    }

    void badRows()
    {
        QFETCH(QByteArray, json);
        QFETCH(qint64, records);
        QFETCH(QStringList, rejections);
        auto store = std::move(Store::create().value());
        const LoadReport r = load(*store, json, QStringLiteral("q.json"));
        QVERIFY2(r.errors.isEmpty(), qPrintable(r.errors.join(QLatin1Char('\n'))));
        QCOMPARE(r.records, records);
        QStringList got;
        for (const LoadedRejection& x : r.rejections) {
            QCOMPARE(x.file, QStringLiteral("q.json"));
            got << QStringLiteral("%1: %2").arg(x.line).arg(x.reason);
        }
        QCOMPARE(got, rejections);
        const FileReport& f = r.files.front();
        QCOMPARE(f.records + f.rejected + f.skipped + f.outsideWindow + f.sampledOut, f.lines);
    }

    // `fields @timestamp, @message`: each row's message is the record text, as in the export form.
    void messageRows()
    {
        const QByteArray json = queryResults(
            {{{"@timestamp", "2025-12-01 00:00:00.000"}, {"@message", QString::fromLatin1(ingesttest::kTgw1)}, {"@ptr", "x"}},
             {{"@message", QString::fromLatin1(ingesttest::kVpc1)}}},
            true);
        auto store = std::move(Store::create().value());
        const LoadReport r = load(*store, json, QStringLiteral("m.json"));
        QVERIFY2(r.errors.isEmpty(), qPrintable(r.errors.join(QLatin1Char('\n'))));
        QCOMPARE(r.rejected, qint64(0));
        QCOMPARE(r.records, qint64(2));
        QCOMPARE(r.files.front().format, QStringLiteral("Logs Insights JSON (@message)"));
        auto oracle = std::move(Store::create().value());
        const LoadReport o =
            load(*oracle, QByteArray(ingesttest::kTgw1) + '\n' + ingesttest::kVpc1 + '\n', QStringLiteral("m.log"));
        QCOMPARE(o.records, qint64(2));
        QCOMPARE(storedRows(*store), storedRows(*oracle));
    }

    void aggregateRefused()
    {
        const QByteArray json = queryResults({{{"tgw_attachment_id", "tgw-attach-1"}, {"flows", "3"}, {"bytes", "9"}}}, false);
        auto store = std::move(Store::create().value());
        const LoadReport r = load(*store, json, QStringLiteral("edges.json"));
        QCOMPARE(r.records, qint64(0));
        QCOMPARE(r.errors.size(), qsizetype(1));
        QVERIFY2(r.errors.front().contains(QStringLiteral("edges.json")), qPrintable(r.errors.front()));
        QVERIFY2(r.errors.front().contains(QStringLiteral("a Logs Insights aggregate result (no srcaddr and dstaddr fields, "
                                                          "a flows count), not flow log records: open it with Remote > Open "
                                                          "Athena / Logs Insights Result…")),
                 qPrintable(r.errors.front()));
    }

    void exportOfOtherObjectsRefused()
    {
        auto store = std::move(Store::create().value());
        const LoadReport r = load(*store, QByteArray(R"([{"VpcId": "vpc-1", "State": "available"}])"), QStringLiteral("v.json"));
        QCOMPARE(r.records, qint64(0));
        QCOMPARE(r.errors.size(), qsizetype(1));
        QVERIFY2(r.errors.front().contains(
                     QStringLiteral("v.json:1: JSON objects without srcaddr and dstaddr fields: not flow log records (a Logs "
                                    "Insights aggregate result opens with Remote > Open Athena / Logs Insights Result…)")),
                 qPrintable(r.errors.front()));
    }

    void cliSummary()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("q.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(queryResults({kTgw1, kTgw2, kVpc}, true));
        f.close();
        const clitest::Run run = clitest::runCli({QStringLiteral("summary"), path});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject summary = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(summary.value(QStringLiteral("records")).toInteger(), qint64(3));
        QCOMPARE(summary.value(QStringLiteral("rejected")).toInteger(), qint64(0));
        QCOMPARE(summary.value(QStringLiteral("files")).toArray().at(0).toObject().value(QStringLiteral("format")).toString(),
                 QStringLiteral("Logs Insights JSON (records)"));

        const QString agg = dir.filePath(QStringLiteral("edges.json"));
        QFile a(agg);
        QVERIFY(a.open(QIODevice::WriteOnly));
        a.write(queryResults({{{"srcaddr_prefix", "10.0.0.0/24"}, {"flows", "3"}}}, false));
        a.close();
        const clitest::Run refused = clitest::runCli({QStringLiteral("summary"), agg});
        QVERIFY(refused.exitCode != 0);
        QVERIFY2(refused.err.contains(QStringLiteral("open it with Remote > Open Athena / Logs Insights Result…")),
                 qPrintable(refused.err));
    }
};

QTEST_GUILESS_MAIN(TestIngestInsights)
#include "tst_ingest_insights.moc"
