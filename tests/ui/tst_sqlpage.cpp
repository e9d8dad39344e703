// The SQL page driven like a user, offscreen: a query shows its rows; refused statements show
// the authorizer's sentence and change nothing; a runaway recursive CTE is stopped by the real
// Cancel button (and by Esc) and the page says "Cancelled"; more than 10,000 rows are cut and
// the page says so; Ctrl+Enter runs.
#include "core/ingest/loader.h"
#include "core/store/store.h"
#include "ui/logic/session.h"
#include "ui/pages/sqlpage.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QThreadPool>

using namespace ui;

Q_DECLARE_METATYPE(core::Outcome)

namespace {

const char kVpc[] =
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
    "2 123456789012 eni-0123456789abcdef0 10.1.2.3 10.2.3.4 49152 443 6 10 5000 1700000000 1700000060 ACCEPT OK\n"
    "2 123456789012 eni-0123456789abcdef0 10.2.3.4 10.1.2.3 443 49152 6 8 900 1700000000 1700000060 ACCEPT OK\n"
    "2 123456789012 eni-0123456789abcdef1 10.9.9.9 10.1.2.3 53 53 17 1 80 1700000060 1700000120 REJECT OK\n"
    "2 123456789012 eni-0123456789abcdef1 - - - - - - - 1700000060 1700000120 - NODATA\n";

const char kRunaway[] = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";

} // namespace

class TestSqlPage : public QObject {
    Q_OBJECT
private:
    Session* m_session = nullptr;
    SqlPage* m_page = nullptr;

    QLabel* status() const { return m_page->findChild<QLabel*>(QStringLiteral("sqlStatus")); }
    QAbstractButton* button(const char* name) const { return m_page->findChild<QAbstractButton*>(QLatin1String(name)); }
    QAbstractItemModel* results() const { return m_page->findChild<QTableView*>(QStringLiteral("sqlResults"))->model(); }

    /// Types `sql` into the editor and clicks Run; waits for the result.
    bool runQuery(const QString& sql)
    {
        auto* editor = m_page->findChild<QPlainTextEdit*>(QStringLiteral("sqlEditor"));
        editor->clear();
        QTest::keyClicks(editor, sql);
        QSignalSpy done(m_page, &SqlPage::finished);
        QTest::mouseClick(button("runButton"), Qt::LeftButton);
        return done.wait(20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<core::Outcome>();
        m_session = new Session(this);
        auto store = core::Store::create();
        QVERIFY(store.ok());
        std::shared_ptr<core::Store> shared(std::move(store.value()));
        QCOMPARE(core::loadBuffer(*shared, QByteArray(kVpc), QStringLiteral("vpc.log"), core::LoadOptions{}).records, 4LL);
        m_session->setStore(shared);
        m_page = new SqlPage(m_session);
        m_page->resize(900, 500);
        m_page->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_page));
        new QAbstractItemModelTester(results(), QAbstractItemModelTester::FailureReportingMode::QtTest, this);
    }
    void cleanupTestCase() { delete m_page; }

    void queryShowsRows()
    {
        QVERIFY(runQuery(QStringLiteral("SELECT srcaddr, sum(bytes) AS bytes FROM flows GROUP BY 1 ORDER BY 2 DESC")));
        QCOMPARE(results()->columnCount(), 2);
        QCOMPARE(results()->headerData(1, Qt::Horizontal).toString(), QStringLiteral("bytes"));
        QCOMPARE(results()->rowCount(), 4);
        QCOMPARE(results()->index(0, 0).data().toString(), QStringLiteral("10.1.2.3"));
        QCOMPARE(results()->index(0, 1).data(Qt::UserRole).toLongLong(), 5000LL);
        // NODATA: NULL shown as NULL, raw value null.
        QCOMPARE(results()->index(3, 0).data().toString(), QStringLiteral("NULL"));
        QVERIFY(results()->index(3, 0).data(Qt::UserRole).isNull());
        QVERIFY2(status()->text().startsWith(QLatin1String("4 rows in ")), qPrintable(status()->text()));
        QVERIFY(button("runButton")->isEnabled());
        QVERIFY(!button("cancelButton")->isEnabled());
    }

    void ctrlEnterRuns()
    {
        auto* editor = m_page->findChild<QPlainTextEdit*>(QStringLiteral("sqlEditor"));
        m_page->setSql(QStringLiteral("SELECT count(*) FROM files"));
        editor->setFocus();
        QSignalSpy done(m_page, &SqlPage::finished);
        QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(done.wait(20000));
        QCOMPARE(results()->rowCount(), 1);
        QCOMPARE(results()->index(0, 0).data().toLongLong(), 1LL);
        QCOMPARE(editor->toPlainText(), QStringLiteral("SELECT count(*) FROM files")); // no newline typed
    }

    void refused_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("message");
        QTest::newRow("ATTACH") << "ATTACH DATABASE '/tmp/flowlog-sqlpage-x.db' AS x"
                                << "Refused: ATTACH is not allowed: queries cannot open other databases or files.";
        QTest::newRow("DELETE") << "DELETE FROM files"
                                << "Refused: DELETE is not allowed: queries are read-only.";
        QTest::newRow("DROP") << "DROP VIEW flows"
                              << "Refused: Dropping a view is not allowed: queries are read-only.";
        QTest::newRow("two statements") << "SELECT 1; DELETE FROM files"
                                        << "Refused: Only one SQL statement is allowed";
        QTest::newRow("syntax error") << "SELEC 1"
                                      << "Error: SQL error:";
        QTest::newRow("no such table") << "SELECT * FROM nope"
                                       << "Error: SQL error: no such table: nope";
        QTest::newRow("runtime error") << "SELECT abs(-9223372036854775808)"
                                       << "Error: integer overflow";
    }
    void refused()
    {
        QFETCH(QString, sql);
        QFETCH(QString, message);
        // Start from a shown result: a refusal must clear it.
        QVERIFY(runQuery(QStringLiteral("SELECT 1")));
        QCOMPARE(results()->rowCount(), 1);
        QSignalSpy done(m_page, &SqlPage::finished);
        QVERIFY(runQuery(sql));
        QVERIFY2(status()->text().startsWith(message), qPrintable(status()->text()));
        QCOMPARE(results()->rowCount(), 0);
        QCOMPARE(m_session->store()->recordCount(), 4LL);
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/flowlog-sqlpage-x.db")));
    }

    void emptyEditor()
    {
        m_page->setSql(QStringLiteral("   \n"));
        QSignalSpy done(m_page, &SqlPage::finished);
        QTest::mouseClick(button("runButton"), Qt::LeftButton);
        QVERIFY(!m_page->isRunning());
        QCOMPARE(done.count(), 0);
        QCOMPARE(status()->text(), QStringLiteral("Type a SELECT first."));
    }

    void cancelRunaway_data()
    {
        QTest::addColumn<bool>("escape");
        QTest::newRow("Cancel button") << false;
        QTest::newRow("Esc") << true;
    }
    void cancelRunaway()
    {
        QFETCH(bool, escape);
        m_page->setSql(QString::fromLatin1(kRunaway));
        QSignalSpy done(m_page, &SqlPage::finished);
        QTest::mouseClick(button("runButton"), Qt::LeftButton);
        QVERIFY(m_page->isRunning());
        QTRY_VERIFY(button("cancelButton")->isEnabled());
        // No sleep: the query never ends, so whenever Cancel lands it is running or about to; that a
        // cancel stops SQLite inside a statement is tst_sqlcancel's job (deterministic hooks).
        QVERIFY(m_page->isRunning());
        QCOMPARE(done.count(), 0);
        QVERIFY(!button("runButton")->isEnabled());
        if (escape) QTest::keyClick(m_page->findChild<QPlainTextEdit*>(QStringLiteral("sqlEditor")), Qt::Key_Escape);
        else QTest::mouseClick(button("cancelButton"), Qt::LeftButton);
        QVERIFY(done.wait(10000));
        QCOMPARE(done.first().at(0).value<core::Outcome>(), core::Outcome::Cancelled);
        QVERIFY2(status()->text().startsWith(QLatin1String("Cancelled after ")), qPrintable(status()->text()));
        QVERIFY(!m_page->isRunning());
        QCOMPARE(results()->rowCount(), 0);
        // The store is still usable afterwards.
        QVERIFY(runQuery(QStringLiteral("SELECT count(*) FROM flows")));
        QCOMPARE(results()->index(0, 0).data().toLongLong(), 4LL);
    }

    void cancelRightAfterRun()
    {
        // Cancel before the worker even started stepping: the interrupt is repeated until it lands.
        m_page->setSql(QString::fromLatin1(kRunaway));
        QSignalSpy done(m_page, &SqlPage::finished);
        m_page->run();
        m_page->cancel();
        QVERIFY(done.wait(10000));
        QCOMPARE(done.first().at(0).value<core::Outcome>(), core::Outcome::Cancelled);
    }

    void moreThanTenThousandRows()
    {
        QVERIFY(runQuery(
            QStringLiteral("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 25000) SELECT x FROM c")));
        QCOMPARE(results()->rowCount(), SqlPage::kMaxRows);
        QCOMPARE(results()->index(SqlPage::kMaxRows - 1, 0).data(Qt::UserRole).toLongLong(), qint64(SqlPage::kMaxRows));
        QVERIFY2(status()->text().startsWith(QLatin1String("First 10,000 rows shown; the query returned more.")),
                 qPrintable(status()->text()));
        // Exactly 10,000 is not "more".
        QVERIFY(runQuery(
            QStringLiteral("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 10000) SELECT x FROM c")));
        QCOMPARE(results()->rowCount(), SqlPage::kMaxRows);
        QVERIFY2(status()->text().startsWith(QLatin1String("10,000 rows in ")), qPrintable(status()->text()));
    }

    void storeReplacedWhileRunning()
    {
        m_page->setSql(QString::fromLatin1(kRunaway));
        QSignalSpy done(m_page, &SqlPage::finished);
        m_page->run();
        // Replace the store once the worker holds the query (running, not merely queued): the
        // repeated interrupt must then stop a statement that is stepping.
        QVERIFY(m_page->isRunning());
        QTRY_VERIFY(QThreadPool::globalInstance()->activeThreadCount() > 0);
        auto fresh = core::Store::create();
        QVERIFY(fresh.ok());
        const auto old = m_session->store();
        m_session->setStore(std::shared_ptr<core::Store>(std::move(fresh.value())));
        QVERIFY(done.wait(10000));
        QCOMPARE(done.first().at(0).value<core::Outcome>(), core::Outcome::Cancelled);
        m_session->setStore(old);
    }

    void runUserQueryDirect()
    {
        // The worker function on its own: a cancel flag raised beforehand stops at once.
        std::atomic<bool> cancel{true};
        const SqlResult r = runUserQuery(*m_session->store(), QString::fromLatin1(kRunaway), 10, &cancel);
        QCOMPARE(r.outcome, core::Outcome::Cancelled);
        const SqlResult ok = runUserQuery(*m_session->store(), QStringLiteral("SELECT 1, NULL, x'00ff', 1.5"), 10, nullptr);
        QCOMPARE(ok.outcome, core::Outcome::Ok);
        QCOMPARE(ok.rows.size(), size_t(1));
        QCOMPARE(ok.columns.size(), 4);
        QVERIFY(ok.rows[0].at(1).isNull());
        SqlResultModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setResult(ok.columns, ok.rows);
        QCOMPARE(model.index(0, 2).data().toString(), QStringLiteral("x'00ff'"));
        QCOMPARE(model.index(0, 1).data().toString(), QStringLiteral("NULL"));
        QCOMPARE(model.headerData(0, Qt::Vertical).toInt(), 1);
    }
};

QTEST_MAIN(TestSqlPage)
#include "tst_sqlpage.moc"
