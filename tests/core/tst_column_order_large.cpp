// The record table's order from the typed columns (core/store/column_order.h) on a store large
// enough for its two-thread paths: the keys gathered in two halves, each keeping a bounded top-K
// that is cut back many times, the first page merged from both, the halves sorted at once and
// merged. Oracle: SQLite's `ORDER BY key, id` on the same store, for several page sizes.
#include "core/export/csv.h"
#include "core/ingest/loader.h"
#include "core/store/column_order.h"
#include "core/store/store.h"
#include "flowgen.h"
#include "tests/columntestutil.h"

#include <QTest>

using namespace core;

namespace {

// Above column_order.cpp's kSplitRows (32,768), so the unfiltered rows (and broad filters) take the
// two-thread path.
constexpr qint64 kRecords = 80000;

Store& fixture()
{
    static std::unique_ptr<Store> store = [] {
        flowgen::Options o;
        o.seed = 23;
        o.tgwRecords = kRecords;
        o.ipv6Share = 0.03;
        QByteArray tgw;
        flowgen::generate(
            o, [&](const std::string& line, int64_t) { tgw += QByteArray::fromStdString(line) + '\n'; },
            [](const std::string&, int64_t) {});
        auto created = Store::create();
        if (!created.ok()) return std::unique_ptr<Store>();
        auto s = std::move(created.value());
        if (loadBuffer(*s, tgw, QStringLiteral("large.log"), LoadOptions{}).outcome != Outcome::Ok)
            return std::unique_ptr<Store>();
        return s;
    }();
    return *store;
}

std::vector<qint64> sqlOrder(const Store& store, const QString& filter, const QString& column, bool descending)
{
    return columntest::sqlOrderIds(store, filter, {SortKey{column.isEmpty() ? QStringLiteral("id") : column, descending}});
}

} // namespace

class TestColumnOrderLarge : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(fixture().recordCount() >= kRecords); }

    void sameOrderAsSql_data()
    {
        QTest::addColumn<QString>("column");
        QTest::addColumn<bool>("descending");
        QTest::addColumn<QString>("filter");
        const QString columns[] = {QString(),
                                   QStringLiteral("bytes"),
                                   QStringLiteral("packets"),
                                   QStringLiteral("srcaddr"),
                                   QStringLiteral("dstaddr"),
                                   QStringLiteral("start"),
                                   QStringLiteral("end"),
                                   QStringLiteral("dstport"),
                                   QStringLiteral("tgw_attachment_id"),
                                   QStringLiteral("flow_direction")};
        const QString filters[] = {QString(), QStringLiteral("not dstport == 443"), QStringLiteral("not srcaddr == 10.0.0.0/8")};
        for (const QString& c : columns)
            for (const bool desc : {false, true})
                for (const QString& f : filters)
                    QTest::newRow(qPrintable((c.isEmpty() ? QStringLiteral("load order") : c)
                                             + (desc ? QStringLiteral(" desc") : QStringLiteral(" asc"))
                                             + QStringLiteral(" where ") + (f.isEmpty() ? QStringLiteral("-") : f)))
                        << c << desc << f;
    }
    // The first page for page sizes 1, 256 and 5,000 (a top-K larger than the candidate buffer's
    // floor), the count and the whole order equal SQLite's.
    void sameOrderAsSql()
    {
        QFETCH(QString, column);
        QFETCH(bool, descending);
        QFETCH(QString, filter);
        const Store& store = fixture();
        const std::vector<qint64> expected = sqlOrder(store, filter, column, descending);
        if (filter.isEmpty()) QVERIFY(expected.size() > 32768); // the two-thread path
        for (const size_t pageSize : {size_t{1}, size_t{256}, size_t{5000}}) {
            std::vector<qint64> first;
            qint64 total = -1;
            std::vector<qint64> ids;
            const auto done = columnOrder(
                store, filter, column, descending, pageSize,
                [&](std::vector<qint64> head, qint64 n) {
                    first = std::move(head);
                    total = n;
                },
                nullptr, ids);
            QVERIFY(done.has_value());
            QVERIFY(done->ok());
            QCOMPARE(total, static_cast<qint64>(expected.size()));
            const std::vector<qint64> head(expected.begin(), expected.begin() + static_cast<std::ptrdiff_t>(pageSize));
            QVERIFY2(first == head, qPrintable(QStringLiteral("page size %1").arg(pageSize)));
            QVERIFY2(ids == expected, qPrintable(QStringLiteral("page size %1").arg(pageSize)));
        }
    }
};

QTEST_GUILESS_MAIN(TestColumnOrderLarge)
#include "tst_column_order_large.moc"
