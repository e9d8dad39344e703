// The record table's order from the typed columns (core/store/column_order.h) against SQLite's
// ORDER BY on the same store: for every column the columns can sort by, ascending and descending,
// under a set of filters, the first page handed out early, the count and the whole order (so every
// later page) equal `SELECT id FROM flows WHERE <filter> ORDER BY "<column>" [DESC], id`. The store
// holds ties (generated records repeat values), NULLs (VPC records, NODATA) and odd values (17-bit
// ports, 5 GB, protocol 300, IPv6 and text-kept addresses, 99.99.99.99: the top address key).
#include "core/export/csv.h"
#include "core/ingest/loader.h"
#include "core/store/column_filter.h"
#include "core/store/column_order.h"
#include "core/store/store.h"
#include "flowgen.h"
#include "tests/columntestutil.h"

#include <QTest>

using namespace core;

namespace {

/// The odd records (columntestutil.h) and an egress record at 99.99.99.99 (the top address key).
const QByteArray kOddLines =
    QByteArray(columntest::kOddLines)
    + "6 TransitGateway 111122223333 tgw-0123 tgw-attach-pair 111122223333 444455556666 vpc-a vpc-b subnet-a subnet-b "
      "eni-a eni-b use1-az1 use1-az2 tgw-attach-odd 99.99.99.99 99.99.99.99 5 70000 300 4000000 5000000000 1764547200 "
      "1764547260 OK IPv4 0 0 0 0 65535 us-east-1 egress - -\n";

/// Filters: none, integer, CIDR, text, names, and ones that exclude the IPv6 / text-kept rows
/// or keep them.
const char* const kFilters[] = {
    "",
    "dstport == 443",
    "srcaddr == 10.0.0.0/8",
    "dstaddr == 10.0.0.0/8 or dstaddr == 99.99.99.99",
    "protocol == 6 and bytes > 1000",
    "action == REJECT",
    "not action == ACCEPT",
    "attachment == prod",
    "drops",
    "port in {443, 53, 70000}",
    "srcaddr == 255.255.255.255/32 or dstport == 53",
    "dstport == 1",
};

Store& fixture()
{
    static std::unique_ptr<Store> store = [] {
        flowgen::Options o;
        o.seed = 11;
        o.tgwRecords = 3000;
        o.vpcRecords = true;
        o.ipv6Share = 0.05;
        QByteArray tgw, vpc;
        flowgen::generate(
            o, [&](const std::string& line, int64_t) { tgw += QByteArray::fromStdString(line) + '\n'; },
            [&](const std::string& line, int64_t) { vpc += QByteArray::fromStdString(line) + '\n'; });
        auto created = Store::create();
        if (!created.ok()) return std::unique_ptr<Store>();
        auto s = std::move(created.value());
        for (const QByteArray& data : {tgw + kOddLines, vpc})
            if (loadBuffer(*s, data, QStringLiteral("order.log"), LoadOptions{}).outcome != Outcome::Ok)
                return std::unique_ptr<Store>();
        if (!s->exec(QStringLiteral("INSERT INTO names(id, name) VALUES ('tgw-attach-odd', 'prod')")).ok())
            return std::unique_ptr<Store>();
        return s;
    }();
    return *store;
}

/// SQLite's answer, the oracle.
std::vector<qint64> sqlOrder(const Store& store, const QString& filter, const QString& column, bool descending)
{
    return columntest::sqlOrderIds(store, filter, {SortKey{column, descending}});
}

} // namespace

class TestColumnOrder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(fixture().recordCount() > 3000); }

    void sameOrderAsSql_data()
    {
        QTest::addColumn<QString>("column");
        QTest::addColumn<bool>("descending");
        for (const QString& c : fixture().columns()) {
            if (!columnOrderSupports(c)) continue;
            QTest::newRow(qPrintable(c + QStringLiteral(" asc"))) << c << false;
            QTest::newRow(qPrintable(c + QStringLiteral(" desc"))) << c << true;
        }
    }
    void sameOrderAsSql()
    {
        QFETCH(QString, column);
        QFETCH(bool, descending);
        const Store& store = fixture();
        constexpr size_t kFirst = 256;
        for (const char* f : kFilters) {
            const QString filter = QString::fromLatin1(f);
            const std::vector<qint64> expected = sqlOrder(store, filter, column, descending);
            std::vector<qint64> first;
            qint64 total = -1;
            std::vector<qint64> ids;
            const auto done = columnOrder(
                store, filter, column, descending, kFirst,
                [&](std::vector<qint64> head, qint64 n) {
                    first = std::move(head);
                    total = n;
                },
                nullptr, ids);
            const QByteArray what =
                (column + (descending ? QStringLiteral(" desc") : QStringLiteral(" asc")) + QStringLiteral(" where ") + filter)
                    .toUtf8();
            QVERIFY2(done.has_value(), what.constData());
            QVERIFY2(done->ok(), what.constData());
            QCOMPARE(total, static_cast<qint64>(expected.size()));
            const std::vector<qint64> head(expected.begin(),
                                           expected.begin() + static_cast<std::ptrdiff_t>(std::min(kFirst, expected.size())));
            QVERIFY2(first == head, what.constData());
            QVERIFY2(ids == expected, what.constData());
        }
    }

    void fallsBackToSql_data()
    {
        QTest::addColumn<QString>("column");
        QTest::addColumn<bool>("supported");
        QTest::newRow("id") << QStringLiteral("id") << true;
        QTest::newRow("load order") << QString() << true;
        QTest::newRow("dstport") << QStringLiteral("dstport") << true;
        QTest::newRow("tgw_attachment_id") << QStringLiteral("tgw_attachment_id") << true;
        QTest::newRow("file_id") << QStringLiteral("file_id") << false;
        QTest::newRow("line") << QStringLiteral("line") << false;
        QTest::newRow("twin_id") << QStringLiteral("twin_id") << false;
        QTest::newRow("version (not held)") << QStringLiteral("version") << false;
        QTest::newRow("pkt_srcaddr (not held)") << QStringLiteral("pkt_srcaddr") << false;
        QTest::newRow("AWS name, not the SQL column") << QStringLiteral("tgw-attachment-id") << false;
        QTest::newRow("unknown") << QStringLiteral("nope") << false;
    }
    void fallsBackToSql()
    {
        QFETCH(QString, column);
        QFETCH(bool, supported);
        QCOMPARE(columnOrderSupports(column), supported);
        std::vector<qint64> ids;
        const auto done = columnOrder(fixture(), QString(), column, false, 10, {}, nullptr, ids);
        QCOMPARE(done.has_value(), supported);
        if (supported) QCOMPARE(static_cast<qint64>(ids.size()), fixture().recordCount());
    }

    void switchedOffAndBadFilter()
    {
        std::vector<qint64> ids;
        setColumnScansEnabled(false);
        const bool off = !columnOrder(fixture(), QString(), QStringLiteral("bytes"), false, 10, {}, nullptr, ids).has_value();
        setColumnScansEnabled(true);
        QVERIFY(off);
        const auto bad = columnOrder(fixture(), QStringLiteral("port =="), QStringLiteral("bytes"), false, 10, {}, nullptr, ids);
        QVERIFY(bad.has_value());
        QVERIFY(!bad->ok());
        std::atomic<bool> cancel{true};
        const auto stopped = columnOrder(fixture(), QString(), QStringLiteral("bytes"), false, 10, {}, &cancel, ids);
        QVERIFY(stopped.has_value());
        QCOMPARE(stopped->error().message, QStringLiteral("cancelled"));
    }
};

QTEST_GUILESS_MAIN(TestColumnOrder)
#include "tst_column_order.moc"
