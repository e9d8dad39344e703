// The whole store's load order without a scan (core/store/load_order.h): answered only for a blank
// filter in load order or by id, and only when the ids are exactly 1..N; then the ids, the first
// page and the count equal SQL's `SELECT id FROM flows ORDER BY id [DESC]` (the oracle). Any other
// view, or ids with a gap or not starting at 1, is left to the usual path (nullopt, nothing called).
#include "core/export/csv.h"
#include "core/ingest/loader.h"
#include "core/store/load_order.h"
#include "core/store/store.h"
#include "core/store/store_impl.h"
#include "flowgen.h"
#include "tests/columntestutil.h"

#include <QTest>

using namespace core;

namespace {

/// `records` generated TGW + VPC records in one load. `table`: flow_data is a real table (a
/// session's store), which the rows that edit it need; else the virtual one of a loaded store.
std::unique_ptr<Store> generatedStore(int records, bool table = false)
{
    flowgen::Options o;
    o.seed = 5;
    o.tgwRecords = records;
    o.vpcRecords = true;
    QByteArray lines;
    auto add = [&](const std::string& line, int64_t) { lines += QByteArray::fromStdString(line) + '\n'; };
    flowgen::generate(o, add, add);
    auto created = Store::create();
    if (!created.ok()) return nullptr;
    auto store = std::move(created.value());
    if (table && !store->impl().useFlowDataTable().ok()) return nullptr;
    if (records > 0 && loadBuffer(*store, lines, QStringLiteral("gen.log"), LoadOptions{}).outcome != Outcome::Ok) return nullptr;
    return store;
}

/// SQL's ids of the view (the oracle).
std::vector<qint64> sqlOrder(const Store& store, const QString& filter, const QString& column, bool descending)
{
    std::vector<SortKey> keys;
    if (!column.isEmpty()) keys.push_back(SortKey{column, descending});
    return columntest::sqlOrderIds(store, filter, keys);
}

} // namespace

class TestLoadOrder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesSql_data();
    void matchesSql();
    void cancelled();
};

void TestLoadOrder::matchesSql_data()
{
    QTest::addColumn<int>("records");
    QTest::addColumn<QString>("edit"); // SQL run on the store first
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QString>("column");
    QTest::addColumn<bool>("descending");
    QTest::addColumn<bool>("answered");
    const QString none;
    QTest::newRow("load order") << 3000 << none << none << none << false << true;
    QTest::newRow("blank filter") << 3000 << none << QStringLiteral("  ") << none << false << true;
    QTest::newRow("by id") << 3000 << none << none << QStringLiteral("id") << false << true;
    QTest::newRow("by id descending") << 3000 << none << none << QStringLiteral("id") << true << true;
    QTest::newRow("fewer than a page") << 40 << none << none << QStringLiteral("id") << true << true;
    QTest::newRow("empty store") << 0 << none << none << none << false << true;
    QTest::newRow("a filter: not this path") << 3000 << none << QStringLiteral("port == 443") << none << false << false;
    QTest::newRow("invalid filter: not this path") << 3000 << none << QStringLiteral("port ==") << none << false << false;
    QTest::newRow("sorted by start: not this path") << 3000 << none << none << QStringLiteral("start") << false << false;
    QTest::newRow("load order descending: not this path") << 3000 << none << none << none << true << false;
    QTest::newRow("a gap in the ids") << 3000 << QStringLiteral("DELETE FROM flow_data WHERE id = 1500") << none << none << false
                                      << false;
    QTest::newRow("ids not from 1") << 3000 << QStringLiteral("DELETE FROM flow_data WHERE id = 1") << none
                                    << QStringLiteral("id") << false << false;
    QTest::newRow("last id removed: still 1..N")
        << 3000 << QStringLiteral("DELETE FROM flow_data WHERE id = (SELECT max(id) FROM flow_data)") << none << none << false
        << true;
}

void TestLoadOrder::matchesSql()
{
    QFETCH(int, records);
    QFETCH(QString, edit);
    QFETCH(QString, filter);
    QFETCH(QString, column);
    QFETCH(bool, descending);
    QFETCH(bool, answered);
    auto store = generatedStore(records, !edit.isEmpty());
    QVERIFY(store);
    if (!edit.isEmpty()) QVERIFY2(store->exec(edit).ok(), qPrintable(edit));
    std::vector<qint64> head;
    qint64 total = -1;
    int calls = 0;
    std::vector<qint64> ids{42}; // replaced
    const auto done = loadOrder(
        *store, filter, column, descending, 256,
        [&](std::vector<qint64> first, qint64 n) {
            head = std::move(first);
            total = n;
            ++calls;
        },
        nullptr, ids);
    QVERIFY2(done.has_value() == answered, qPrintable(QStringLiteral("%1:%2: answered %3, expected %4")
                                                          .arg(QLatin1String(__FILE__))
                                                          .arg(__LINE__)
                                                          .arg(done.has_value())
                                                          .arg(answered)));
    if (!answered) {
        QCOMPARE(calls, 0);
        return;
    }
    QVERIFY(done->ok());
    const std::vector<qint64> sql = sqlOrder(*store, filter, column, descending);
    QVERIFY(!sql.empty() || records == 0);
    QCOMPARE(ids, sql);
    QCOMPARE(calls, 1);
    QCOMPARE(total, static_cast<qint64>(sql.size()));
    QCOMPARE(total, store->recordCount());
    QCOMPARE(head, std::vector<qint64>(sql.begin(), sql.begin() + static_cast<qsizetype>(std::min<size_t>(256, sql.size()))));
}

void TestLoadOrder::cancelled()
{
    auto store = generatedStore(500);
    QVERIFY(store);
    const std::atomic<bool> cancel{true};
    std::vector<qint64> ids;
    int calls = 0;
    const auto done = loadOrder(
        *store, QString(), QString(), false, 256, [&](std::vector<qint64>, qint64) { ++calls; }, &cancel, ids);
    QVERIFY(done.has_value());
    QVERIFY(!done->ok());
    QCOMPARE(done->error().message, QStringLiteral("cancelled"));
    QCOMPARE(calls, 0);
}

QTEST_GUILESS_MAIN(TestLoadOrder)
#include "tst_load_order.moc"
