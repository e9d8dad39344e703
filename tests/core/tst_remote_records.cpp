// A records result from CloudWatch Logs Insights (the records query's `aws logs
// get-query-results` JSON, or a JSON export) turned into flow log text by
// remoteRecordsAsFlowLog() and loaded by the app's own loader: every field value arrives in the
// store (TGW parse names, the VPC names Logs Insights discovers such as srcAddr, '-' for an
// empty value), `@` columns are left out, and bad results are refused with file:line.
#include "core/ingest/loader.h"
#include "core/remote/remote.h"
#include "core/store/store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace core;

namespace {

/// get-query-results JSON: rows of {"field", "value"}.
QByteArray queryResults(const std::vector<std::vector<std::pair<QString, QString>>>& rows)
{
    QJsonArray results;
    for (const auto& row : rows) {
        QJsonArray cells;
        for (const auto& [field, value] : row)
            cells.append(QJsonObject{{QStringLiteral("field"), field}, {QStringLiteral("value"), value}});
        results.append(cells);
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("results"), results},
                                     {QStringLiteral("statistics"), QJsonObject{{QStringLiteral("bytesScanned"), 1e6}}},
                                     {QStringLiteral("status"), QStringLiteral("Complete")}})
        .toJson();
}

/// "col=value;col=value" of every record in load order, for `columns`.
QStringList storedRows(const Store& store, const QStringList& columns)
{
    QStringList quoted;
    for (const QString& c : columns) quoted << QLatin1Char('"') + c + QLatin1Char('"');
    auto st = store.prepare(QStringLiteral("SELECT %1 FROM flows ORDER BY id").arg(quoted.join(QLatin1Char(','))));
    QStringList out;
    while (st.ok() && st->next()) {
        QStringList cells;
        for (int i = 0; i < static_cast<int>(columns.size()); ++i)
            cells << columns[i] + QLatin1Char('=') + (st->isNull(i) ? QStringLiteral("NULL") : st->text(i));
        out << cells.join(QLatin1Char(';'));
    }
    return out;
}

} // namespace

class TestRemoteRecords : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void loadsAsRecords_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QStringList>("columns");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<QString>("header");

        // The TGW records query: `parse @message ... as version, resource_type, ...` then
        // `fields` (a subset here, as a record table with hidden columns gives).
        QTest::newRow("TGW parse names")
            << queryResults({{{"@timestamp", "2025-12-01 00:00:00.000"},
                              {"tgw_attachment_id", "tgw-attach-0aaa00000000000a1"},
                              {"tgw_pair_attachment_id", "tgw-attach-0bbb00000000000b2"},
                              {"flow_direction", "ingress"},
                              {"srcaddr", "10.0.1.5"},
                              {"dstaddr", "10.1.0.9"},
                              {"dstport", "443"},
                              {"protocol", "6"},
                              {"packets", "12"},
                              {"bytes", "3400"},
                              {"start", "1764547200"},
                              {"end", "1764547260"},
                              {"packets_lost_no_route", "0"},
                              {"@ptr", "CmAKJwojMTExMTIyMjIzMzMzOi9mbG93bG9ncy90Z3c"}},
                             {{"tgw_attachment_id", "tgw-attach-0bbb00000000000b2"},
                              {"tgw_pair_attachment_id", ""},
                              {"flow_direction", "ingress"},
                              {"srcaddr", "2600:1f18:2::1"},
                              {"dstaddr", "2600:1f18:12::1"},
                              {"dstport", "-"},
                              {"protocol", "58"},
                              {"packets", "1"},
                              {"bytes", "96"},
                              {"start", "1764547300"},
                              {"end", "1764547360"},
                              {"packets_lost_no_route", "1"}}})
            << QStringList{"tgw_attachment_id",    "tgw_pair_attachment_id", "srcaddr", "dstport", "bytes", "start",
                           "packets_lost_no_route"}
            << QStringList{"tgw_attachment_id=tgw-attach-0aaa00000000000a1;tgw_pair_attachment_id=tgw-attach-0bbb00000000000b2;"
                           "srcaddr=10.0.1.5;dstport=443;bytes=3400;start=1764547200;packets_lost_no_route=0",
                           "tgw_attachment_id=tgw-attach-0bbb00000000000b2;tgw_pair_attachment_id=NULL;srcaddr=2600:1f18:2::1;"
                           "dstport=NULL;bytes=96;start=1764547300;packets_lost_no_route=1"}
            << "tgw-attachment-id tgw-pair-attachment-id flow-direction srcaddr dstaddr dstport protocol packets bytes start "
               "end packets-lost-no-route";
        // The VPC default records query: Logs Insights' own field names.
        QTest::newRow("VPC discovered names")
            << queryResults({{{"version", "2"},
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
                              {"logStatus", "OK"}}})
            << QStringList{"account_id", "interface_id", "srcaddr", "srcport", "start", "end", "action", "log_status"}
            << QStringList{"account_id=123456789012;interface_id=eni-0a1b2c3d4e5f60001;srcaddr=172.31.16.139;srcport=20641;"
                           "start=1418530010;end=1418530070;action=REJECT;log_status=OK"}
            << "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
               "log-status";
        // A JSON export (an array of objects, numbers as numbers).
        QTest::newRow("JSON export") << QByteArray(
            R"([{"srcaddr": "10.0.0.1", "dstaddr": "10.0.0.2", "bytes": 500, "packets": 5, "start": 1764547200}])")
                                     << QStringList{"srcaddr", "dstaddr", "bytes", "packets"}
                                     << QStringList{"srcaddr=10.0.0.1;dstaddr=10.0.0.2;bytes=500;packets=5"} << QString();
    }

    void loadsAsRecords()
    {
        QFETCH(QByteArray, json);
        QFETCH(QStringList, columns);
        QFETCH(QStringList, expected);
        QFETCH(QString, header);
        QVERIFY(isRemoteRecordsResult(json, QStringLiteral("insights-records.json")));
        auto text = remoteRecordsAsFlowLog(json, QStringLiteral("insights-records.json"));
        QVERIFY2(text.ok(), qPrintable(text ? QString() : text.error().toString()));
        if (!header.isEmpty()) { // the fields, in the registry's order
            QStringList got = QString::fromUtf8(text->left(text->indexOf('\n'))).split(QLatin1Char(' '));
            QStringList want = header.split(QLatin1Char(' '));
            QCOMPARE(got.size(), want.size());
            got.sort();
            want.sort();
            QCOMPARE(got, want);
            QCOMPARE(remoteRecordsAsFlowLog(json, QStringLiteral("again.json")).value(), text.value()); // deterministic
        }
        auto store = std::move(Store::create().value());
        const LoadReport r = loadBuffer(*store, text.value(), QStringLiteral("insights-records.log"), LoadOptions{});
        QVERIFY2(r.rejected == 0, qPrintable(r.rejections.empty() ? QString() : r.rejections.front().reason));
        QCOMPARE(r.records, qint64(expected.size()));
        QCOMPARE(storedRows(*store, columns), expected);
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("message");
        QTest::newRow("an aggregate, not records")
            << queryResults({{{"tgw_attachment_id", "tgw-attach-1"}, {"flows", "3"}, {"bytes", "9"}}})
            << "r.json: no srcaddr and dstaddr columns: these are not flow log records";
        QTest::newRow("a value with a space")
            << queryResults(
                   {{{"srcaddr", "10.0.0.1"}, {"dstaddr", "10.0.0.2"}}, {{"srcaddr", "10.0.0.3"}, {"dstaddr", "10.0.0.4 x"}}})
            << "r.json:2: column 'dstaddr': '10.0.0.4 x' holds a space, which no flow log value does";
        QTest::newRow("a column that is no field name")
            << queryResults({{{"srcaddr", "10.0.0.1"}, {"dstaddr", "10.0.0.2"}, {"sum(bytes) / 2", "4"}}})
            << "r.json: column 'sum(bytes) / 2' is not a flow log field name";
        QTest::newRow("not JSON") << QByteArray("{\"results\": [") << "r.json: not valid JSON";
    }

    void refused()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, message);
        auto text = remoteRecordsAsFlowLog(data, QStringLiteral("r.json"));
        QVERIFY(!text.ok());
        QVERIFY2(text.error().toString().startsWith(message), qPrintable(text.error().toString()));
    }
};

QTEST_GUILESS_MAIN(TestRemoteRecords)
#include "tst_remote_records.moc"
