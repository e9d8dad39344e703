// The SQL page's worker (ui::runUserQuery) reports a cancel as Cancelled wherever it lands: the
// flag raised before the query starts, interrupts landing at any moment including while the
// statement is being prepared (what made tst_sqlpage::cancelRightAfterRun flaky under ASan:
// "Failed" instead of "Cancelled"), or the flag raised while one never-ending step runs. And the page's Cancel
// stops only its own query: a scan running on another thread at the same time finishes.
#include "core/ingest/loader.h"
#include "core/store/store.h"
#include "ui/logic/session.h"
#include "ui/pages/sqlpage.h"

#include <QSignalSpy>
#include <QTest>
#include <atomic>
#include <thread>

using namespace ui;

Q_DECLARE_METATYPE(core::Outcome)

namespace {

const char kVpc[] =
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
    "2 123456789012 eni-0123456789abcdef0 10.1.2.3 10.2.3.4 49152 443 6 10 5000 1700000000 1700000060 ACCEPT OK\n"
    "2 123456789012 eni-0123456789abcdef1 10.9.9.9 10.1.2.3 53 53 17 1 80 1700000060 1700000120 REJECT OK\n";

const char kRunaway[] = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";

enum class Landing { FlagBefore, FlagDuringStep };

} // namespace

Q_DECLARE_METATYPE(Landing)

class TestSqlCancel : public QObject {
    Q_OBJECT
    std::shared_ptr<core::Store> m_store;

private Q_SLOTS:
    void initTestCase()
    {
        auto created = core::Store::create();
        QVERIFY(created.ok());
        m_store = std::move(created.value());
        QCOMPARE(core::loadBuffer(*m_store, kVpc, QStringLiteral("two.log"), core::LoadOptions{}).records, 2LL);
    }

    void cancelLandsAnywhere_data()
    {
        QTest::addColumn<Landing>("landing");
        QTest::addColumn<QString>("sql");
        const QString runaway = QString::fromLatin1(kRunaway);
        const QString quick = QStringLiteral("SELECT count(*) FROM flows");
        QTest::newRow("flag before, runaway") << Landing::FlagBefore << runaway;
        QTest::newRow("flag before, quick query") << Landing::FlagBefore << quick;
        QTest::newRow("flag during the one step") << Landing::FlagDuringStep << runaway;
    }
    void cancelLandsAnywhere()
    {
        QFETCH(Landing, landing);
        QFETCH(QString, sql);
        std::atomic<bool> cancel{landing == Landing::FlagBefore};
        std::atomic<bool> done{false};
        SqlResult result;
        std::thread worker([&] {
            result = runUserQuery(*m_store, sql, 10, &cancel);
            done = true;
        });
        if (landing == Landing::FlagDuringStep) cancel = true;
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), 60000);
        worker.join();
        QVERIFY2(result.outcome == core::Outcome::Cancelled,
                 qPrintable(QStringLiteral("outcome %1: %2").arg(int(result.outcome)).arg(result.message)));
        QVERIFY(!result.refused);
        QVERIFY(result.rows.empty());
        const SqlResult after = runUserQuery(*m_store, QStringLiteral("SELECT count(*) FROM flows"), 10, nullptr);
        QCOMPARE(after.outcome, core::Outcome::Ok);
        QCOMPARE(after.rows.at(0).at(0).toLongLong(), 2LL);
    }

    /// Store::interrupt() called without pause from another thread: every run of a quick query
    /// ends Ok or Cancelled (the interrupt hit its prepare or step), never Failed; a runaway
    /// query ends Cancelled.
    void interruptsAtAnyMoment()
    {
        std::atomic<bool> stop{false};
        std::thread hammer([&] {
            while (!stop.load()) m_store->interrupt();
        });
        int cancelled = 0;
        QString failure;
        for (int run = 0; run < 200 && failure.isEmpty(); ++run) {
            const SqlResult r =
                runUserQuery(*m_store, QStringLiteral("SELECT count(*) FROM flows WHERE dstport IN (53, 443)"), 10, nullptr);
            if (r.outcome == core::Outcome::Cancelled) ++cancelled;
            if (r.outcome == core::Outcome::Failed) failure = QStringLiteral("run %1: %2").arg(run).arg(r.message);
        }
        const SqlResult runaway = runUserQuery(*m_store, QString::fromLatin1(kRunaway), 10, nullptr);
        stop = true;
        hammer.join();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        // How many quick runs were hit depends on timing (often none: a query over two rows is
        // over in microseconds); the runaway one is always hit.
        qInfo("%d of 200 quick runs were interrupted", cancelled);
        QCOMPARE(runaway.outcome, core::Outcome::Cancelled);
    }

    /// Run then Cancel at once on the page, many times: always Cancelled (the ASan flake).
    void runThenCancelAtOnce_data()
    {
        QTest::addColumn<int>("round");
        for (int i = 0; i < 20; ++i) QTest::addRow("round %d", i) << i;
    }
    void runThenCancelAtOnce()
    {
        Session session;
        session.setStore(m_store);
        SqlPage page(&session);
        page.setSql(QString::fromLatin1(kRunaway));
        QSignalSpy done(&page, &SqlPage::finished);
        page.run();
        page.cancel();
        QVERIFY(done.wait(60000));
        QCOMPARE(done.first().at(0).value<core::Outcome>(), core::Outcome::Cancelled);
    }

    /// The page's Cancel does not interrupt other work on the same store.
    void cancelDoesNotTouchOtherQueries()
    {
        Session session;
        session.setStore(m_store);
        SqlPage page(&session);
        page.setSql(QString::fromLatin1(kRunaway));
        QSignalSpy done(&page, &SqlPage::finished);
        auto other = m_store->prepare(
            QStringLiteral("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 2000000) SELECT sum(x) FROM c"));
        QVERIFY(other.ok());
        std::atomic<bool> started{false};
        bool gotRow = false;
        std::thread scan([&] {
            started = true;
            gotRow = other->next();
        });
        page.run();
        QTRY_VERIFY(started.load());
        page.cancel();
        QVERIFY(done.wait(60000));
        scan.join();
        QCOMPARE(done.first().at(0).value<core::Outcome>(), core::Outcome::Cancelled);
        QVERIFY2(gotRow, qPrintable(other->error()));
        QCOMPARE(other->int64(0), qint64(2000000) * 2000001 / 2);
    }
};

QTEST_MAIN(TestSqlCancel)
#include "tst_sqlcancel.moc"
