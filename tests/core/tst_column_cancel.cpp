// A cancel that lands before the typed-column scans start (core/store/column_filter.h): the
// record table's ids and count (matchingIds, countMatching) and the filtered row set behind
// edges/series/drops (matchRows) run on the columns, never through SQLite, so only their flag can
// stop them. tst_cancel raises the flag before the aggregate jobs; this checks the column entry
// points themselves: a flag raised before the start gives exactly the Error "cancelled" (never
// nullopt, which would send the caller to SQL, and never a partial answer), and the same call
// without a flag then answers from the columns with what `SELECT ... FROM flows WHERE ...` gives.
#include "core/ingest/loader.h"
#include "core/store/column_filter.h"
#include "core/store/store.h"
#include "tests/storetestutil.h"

#include <QtTest>
#include <algorithm>
#include <atomic>
#include <memory>

using namespace core;

namespace {

constexpr int kRecords = 6000;

/// The oracle: SQLite's own count of the filter's SQL twin over the same store.
qint64 sqlCount(const Store& store, const QString& where)
{
    auto st = store.prepare(QStringLiteral("SELECT count(*) FROM flows")
                            + (where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where));
    if (!st.ok() || !st->next()) return -1;
    return st->int64(0);
}

} // namespace

class TestColumnCancel : public QObject {
    Q_OBJECT

    std::unique_ptr<Store> m_store;

private Q_SLOTS:
    void initTestCase()
    {
        auto created = Store::create();
        QVERIFY(created.ok());
        m_store = std::move(created.value());
        const QByteArray data = storetest::manyVpcRecords(kRecords, true);
        const LoadReport r = loadBuffer(*m_store, data, QStringLiteral("many.log"), LoadOptions{});
        QCOMPARE(r.records, qint64(kRecords));
        const ColumnScanLock lock(*m_store);
        QVERIFY2(columnsComplete(*m_store), "the typed columns do not hold every record: the column paths would not run");
    }

    void flagBeforeStart_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("sqlWhere"); // the oracle's WHERE for the same records
        QTest::newRow("no filter") << QString() << QString();
        QTest::newRow("action") << QStringLiteral("action == REJECT") << QStringLiteral("action = 'REJECT'");
        QTest::newRow("port and action") << QStringLiteral("dstport == 22 and action == ACCEPT")
                                         << QStringLiteral("dstport = 22 AND action = 'ACCEPT'");
    }
    void flagBeforeStart()
    {
        QFETCH(QString, filter);
        QFETCH(QString, sqlWhere);
        const qint64 expected = sqlCount(*m_store, sqlWhere);
        QVERIFY2(expected > 0, "the oracle query failed or matched nothing");

        const std::atomic<bool> raised{true};

        // The record table's ids.
        std::vector<qint64> ids{1, 2, 3};
        const std::optional<Status> idsCancelled = matchingIds(*m_store, filter, &raised, ids);
        QVERIFY2(idsCancelled.has_value(), "matchingIds gave nullopt (run SQL) instead of answering the cancel");
        QVERIFY(!idsCancelled->ok());
        QCOMPARE(idsCancelled->error().message, QStringLiteral("cancelled"));

        // The table's count, from the columns (usedColumns says which path ran).
        bool usedColumns = false;
        const Result<qint64> countCancelled = countMatching(*m_store, filter, &raised, &usedColumns);
        QVERIFY2(
            !countCancelled.ok(),
            qPrintable(QStringLiteral("a count despite the cancel: %1").arg(countCancelled.ok() ? countCancelled.value() : -1)));
        QCOMPARE(countCancelled.error().message, QStringLiteral("cancelled"));

        // The row set behind edges, series and drops.
        {
            const ColumnScanLock lock(*m_store);
            const auto rowsCancelled = matchRows(*m_store, filter, &raised);
            QVERIFY2(rowsCancelled.has_value(), "matchRows gave nullopt (run SQL) instead of answering the cancel");
            QVERIFY(!rowsCancelled->ok());
            QCOMPARE(rowsCancelled->error().message, QStringLiteral("cancelled"));
        }

        // Nothing was left behind: without a flag the same calls answer from the columns, as SQL does.
        const std::optional<Status> idsOk = matchingIds(*m_store, filter, nullptr, ids);
        QVERIFY(idsOk.has_value());
        QVERIFY2(idsOk->ok(), qPrintable(idsOk->ok() ? QString() : idsOk->error().toString()));
        QCOMPARE(qint64(ids.size()), expected);
        QVERIFY(std::is_sorted(ids.begin(), ids.end()));
        usedColumns = false;
        const Result<qint64> count = countMatching(*m_store, filter, nullptr, &usedColumns);
        QVERIFY2(count.ok(), qPrintable(count.ok() ? QString() : count.error().toString()));
        QVERIFY(usedColumns);
        QCOMPARE(count.value(), expected);
    }
};

QTEST_GUILESS_MAIN(TestColumnCancel)
#include "tst_column_cancel.moc"
