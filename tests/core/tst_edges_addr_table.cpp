// Edges by address (core/analysis/aggregate.cpp, PairTable): each thread's pair table grows from
// its first 1,024 slots through several doublings, the second thread's table is merged into the
// first table by table (pairs seen in one share only, and in both), and the tables' memory is
// kept between scans and reused by the next one (a larger kept table for a smaller result, and a
// smaller one for a larger result). Every result equals the SQL scan's (column paths off) on the
// same store, with the thread boundary at the first word, in the middle and absent.
#include "core/analysis/aggregate.h"
#include "core/ingest/loader.h"
#include "core/store/column_filter.h"
#include "core/store/store.h"
#include "flowgen.h"
#include "tests/columntestutil.h"

#include <QTest>

using namespace core;

namespace {

/// 24,000 generated TGW records (10 % IPv6, some lost packets) plus the odd records: thousands of
/// distinct address pairs. Built once.
const Store* manyPairs()
{
    static std::unique_ptr<Store> store = [] {
        std::unique_ptr<Store> s;
        auto created = Store::create();
        if (!created.ok()) return s;
        s = std::move(created.value());
        flowgen::Options o;
        o.seed = 23;
        o.tgwRecords = 24000;
        o.ipv6Share = 0.1;
        o.setLargeEstate();
        QByteArray data;
        flowgen::generate(o, [&](const std::string& line, int64_t) { data += QByteArray::fromStdString(line) + '\n'; });
        data += columntest::kOddLines;
        if (loadBuffer(*s, data, QStringLiteral("pairs.log"), LoadOptions{}).outcome != Outcome::Ok) s.reset();
        return s;
    }();
    return store.get();
}

} // namespace

class TestEdgesAddrTable : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cleanup()
    {
        setColumnScanSplit();
        setColumnScansEnabled(true);
    }
    void sameAsSql_data();
    void sameAsSql();
};

void TestEdgesAddrTable::sameAsSql_data()
{
    QTest::addColumn<int>("split");           // 0: none, 1: after the first word, 2: the middle
    QTest::addColumn<QStringList>("filters"); // run in this order: each scan reuses the previous one's tables
    QTest::addColumn<int>("minEdges");        // of the first filter: enough pairs to grow each table
    const QStringList bigThenSmall = {QString(), QStringLiteral("srcaddr == 10.0.0.0/8 and dstport == 443"), QString()};
    const QStringList smallThenBig = {QStringLiteral("dstport == 22"), QString(), QStringLiteral("drops")};
    for (int split : {0, 1, 2}) {
        const QString where = split == 0   ? QStringLiteral("one thread")
                              : split == 1 ? QStringLiteral("split after word 1")
                                           : QStringLiteral("split in the middle");
        QTest::newRow(qPrintable(where + QStringLiteral(", large result then small"))) << split << bigThenSmall << 4096;
        QTest::newRow(qPrintable(where + QStringLiteral(", small result then large"))) << split << smallThenBig << 0;
    }
}

void TestEdgesAddrTable::sameAsSql()
{
    QFETCH(int, split);
    QFETCH(QStringList, filters);
    QFETCH(int, minEdges);
    const Store* s = manyPairs();
    QVERIFY2(s, "tst_edges_addr_table.cpp: the generated store did not load");
    if (split == 0) setColumnScanSplit(SIZE_MAX);
    else if (split == 1) setColumnScanSplit(1, 1);
    else setColumnScanSplit(1, 0);
    for (qsizetype i = 0; i < filters.size(); ++i) {
        setColumnScansEnabled(true);
        const auto fast = computeEdges(*s, filters[i], EdgeDimension::Addr);
        QVERIFY2(fast.ok(), qPrintable(filters[i]));
        if (i == 0)
            QVERIFY2(fast->size() >= static_cast<size_t>(minEdges),
                     qPrintable(QStringLiteral("only %1 address pairs").arg(fast->size())));
        setColumnScansEnabled(false);
        const QString reference = columntest::edgesText(computeEdges(*s, filters[i], EdgeDimension::Addr));
        const QString got = columntest::edgesText(fast);
        if (got != reference)
            QFAIL(qPrintable(QStringLiteral("'%1' (scan %2):\n columns: %3\n SQL:     %4")
                                 .arg(filters[i])
                                 .arg(i)
                                 .arg(got.left(400), reference.left(400))));
    }
}

QTEST_GUILESS_MAIN(TestEdgesAddrTable)
#include "tst_edges_addr_table.moc"
