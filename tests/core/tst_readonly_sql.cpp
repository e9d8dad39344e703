// User SQL (flowlog-cli query, the GUI's SQL entry) goes through Store::prepareUserQuery:
// it must be read-only, touch no file, run one statement, and be interruptible.
#include "core/ingest/loader.h"
#include "core/store/store.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <memory>
#include <thread>

using namespace core;

namespace {

const char kVpcLines[] =
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
    "2 123456789012 eni-0123456789abcdef0 10.1.2.3 10.2.3.4 49152 443 6 10 5000 1700000000 1700000060 ACCEPT OK\n"
    "2 123456789012 eni-0123456789abcdef0 10.2.3.4 10.1.2.3 443 49152 6 8 900 1700000000 1700000060 ACCEPT OK\n"
    "2 123456789012 eni-0123456789abcdef1 2600:1f18::10 fd00::1 53 53 17 1 80 1700000060 1700000120 REJECT OK\n"
    "2 123456789012 eni-0123456789abcdef1 - - - - - - - 1700000060 1700000120 - NODATA\n";

} // namespace

class TestReadonlySql : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<Store> m_store;
    QTemporaryDir m_dir;
    qint64 m_records = 0;
    bool m_tmpXExisted = false;
    QDateTime m_tmpXModified;

    /// A path inside the temporary directory that no statement may create.
    QString victim(const QString& name) const { return m_dir.filePath(name); }

    /// Fingerprint of everything a write could change: row count, schema, files.
    QString fingerprint() const
    {
        QString fp = QString::number(m_store->recordCount());
        auto st = m_store->prepare(QStringLiteral("SELECT type, name, sql FROM sqlite_schema ORDER BY name"));
        if (!st.ok()) return QStringLiteral("schema unreadable: ") + st.error().message;
        while (st->next()) fp += QLatin1Char('|') + st->text(0) + QLatin1Char(' ') + st->text(1) + st->text(2);
        auto files = m_store->prepare(QStringLiteral("SELECT count(*), coalesce(sum(records), 0) FROM files"));
        if (files.ok() && files->next()) fp += QStringLiteral("|files %1 %2").arg(files->int64(0)).arg(files->int64(1));
        return fp;
    }

    bool storeHasIndex() const
    {
        auto st = m_store->prepare(QStringLiteral("SELECT count(*) FROM sqlite_schema WHERE type = 'index'"));
        return st.ok() && st->next() && st->int64(0) > 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_tmpXExisted = QFileInfo::exists(QStringLiteral("/tmp/x"));
        if (m_tmpXExisted) m_tmpXModified = QFileInfo(QStringLiteral("/tmp/x")).lastModified();
        auto created = Store::create();
        QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().toString()));
        m_store = std::move(created.value());
        const LoadReport r = loadBuffer(*m_store, QByteArray(kVpcLines), QStringLiteral("vpc.log"), LoadOptions{});
        QCOMPARE(r.outcome, Outcome::Ok);
        QCOMPARE(r.records, qint64(4));
        m_records = m_store->recordCount();
        QCOMPARE(m_records, qint64(4));
    }

    void refused_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("message");      // a part of the refusal the user must see
        QTest::addColumn<QString>("mustNotExist"); // file name in the temp dir, or empty

        const QString x = m_dir.filePath(QStringLiteral("x.db"));
        QTest::newRow("ATTACH file") << QStringLiteral("ATTACH DATABASE '%1' AS x").arg(x) << "ATTACH is not allowed"
                                     << "x.db";
        QTest::newRow("ATTACH memory") << "ATTACH ':memory:' AS m"
                                       << "ATTACH is not allowed"
                                       << "";
        QTest::newRow("ATTACH via uri") << QStringLiteral("ATTACH 'file:%1?mode=rwc' AS u").arg(x) << "ATTACH"
                                        << "x.db";
        QTest::newRow("DETACH") << "DETACH DATABASE main"
                                << "DETACH is not allowed"
                                << "";
        QTest::newRow("VACUUM INTO") << QStringLiteral("VACUUM INTO '%1'").arg(m_dir.filePath(QStringLiteral("vac.db")))
                                     << "read-only"
                                     << "vac.db";
        QTest::newRow("VACUUM INTO /tmp/x") << "VACUUM INTO '/tmp/x'"
                                            << "write a file"
                                            << "";
        QTest::newRow("VACUUM") << "VACUUM"
                                << "read-only"
                                << "";
        QTest::newRow("INSERT") << "INSERT INTO files(path) VALUES ('x')"
                                << "INSERT is not allowed"
                                << "";
        QTest::newRow("INSERT into view") << "INSERT INTO flows(srcaddr) VALUES ('1.2.3.4')"
                                          << "not allowed"
                                          << "";
        QTest::newRow("REPLACE") << "REPLACE INTO files(id, path) VALUES (1, 'x')"
                                 << "INSERT is not allowed"
                                 << "";
        QTest::newRow("UPDATE") << "UPDATE files SET path = 'x'"
                                << "UPDATE is not allowed"
                                << "";
        QTest::newRow("DELETE") << "DELETE FROM files"
                                << "DELETE is not allowed"
                                << "";
        QTest::newRow("CTE then DELETE") << "WITH a AS (SELECT 1) DELETE FROM files"
                                         << "DELETE is not allowed"
                                         << "";
        // Schema changes name what they would create or drop (SQLite first asks to write
        // sqlite_schema; that must not turn into an "INSERT/DELETE is not allowed" message).
        QTest::newRow("CREATE TABLE") << "CREATE TABLE t(x)"
                                      << "Creating a table is not allowed"
                                      << "";
        QTest::newRow("CREATE TEMP TABLE AS") << "CREATE TEMP TABLE t AS SELECT * FROM flows"
                                              << "Creating a temporary table is not allowed"
                                              << "";
        QTest::newRow("CREATE TABLE IF NOT EXISTS files") << "CREATE TABLE IF NOT EXISTS files(x)"
                                                          << "Creating a table is not allowed"
                                                          << "";
        QTest::newRow("CREATE VIEW") << "CREATE VIEW v AS SELECT 1"
                                     << "Creating a view is not allowed"
                                     << "";
        QTest::newRow("CREATE TEMP VIEW") << "CREATE TEMP VIEW v AS SELECT 1"
                                          << "Creating a temporary view is not allowed"
                                          << "";
        QTest::newRow("CREATE INDEX") << "CREATE INDEX i ON files(path)"
                                      << "Creating an index is not allowed"
                                      << "";
        QTest::newRow("CREATE TRIGGER") << "CREATE TEMP TRIGGER tr AFTER INSERT ON files BEGIN DELETE FROM files; END"
                                        << "Creating a temporary trigger is not allowed"
                                        << "";
        QTest::newRow("CREATE VIRTUAL TABLE") << "CREATE VIRTUAL TABLE v USING fts5(x)"
                                              << "not allowed"
                                              << "";
        QTest::newRow("DROP TABLE") << "DROP TABLE files"
                                    << "Dropping a table is not allowed"
                                    << "";
        QTest::newRow("DROP TABLE IF EXISTS") << "DROP TABLE IF EXISTS files"
                                              << "Dropping a table is not allowed"
                                              << "";
        QTest::newRow("DROP VIEW") << "DROP VIEW flows"
                                   << "Dropping a view is not allowed"
                                   << "";
        QTest::newRow("ALTER TABLE ADD") << "ALTER TABLE files ADD COLUMN z"
                                         << "ALTER TABLE"
                                         << "";
        QTest::newRow("ALTER TABLE RENAME") << "ALTER TABLE files RENAME TO f2"
                                            << "ALTER TABLE"
                                            << "";
        QTest::newRow("INSERT INTO sqlite_schema")
            << "INSERT INTO sqlite_schema VALUES ('table', 'x', 'x', 0, 'CREATE TABLE x(y)')"
            << "Changing the schema (sqlite_schema) is not allowed"
            << "";
        QTest::newRow("DELETE FROM sqlite_master") << "DELETE FROM sqlite_master"
                                                   << "may not be modified"
                                                   << "";
        // REINDEX is a no-op (and allowed, see allowed_data) only while the store has no index.
        if (storeHasIndex())
            QTest::newRow("REINDEX") << "REINDEX"
                                     << "REINDEX is not allowed"
                                     << "";
        QTest::newRow("ANALYZE") << "ANALYZE"
                                 << "ANALYZE is not allowed"
                                 << "";
        QTest::newRow("BEGIN") << "BEGIN"
                               << "Transactions are not allowed"
                               << "";
        QTest::newRow("SAVEPOINT") << "SAVEPOINT a"
                                   << "Transactions are not allowed"
                                   << "";
        QTest::newRow("PRAGMA writable_schema=1") << "PRAGMA writable_schema=1"
                                                  << "PRAGMA writable_schema is not allowed"
                                                  << "";
        QTest::newRow("PRAGMA writable_schema=ON") << "PRAGMA main.writable_schema = ON"
                                                   << "PRAGMA writable_schema is not allowed"
                                                   << "";
        QTest::newRow("PRAGMA query_only=0") << "PRAGMA query_only=0"
                                             << "PRAGMA query_only is not allowed"
                                             << "";
        QTest::newRow("PRAGMA trusted_schema=1") << "PRAGMA trusted_schema=1"
                                                 << "PRAGMA trusted_schema is not allowed"
                                                 << "";
        QTest::newRow("PRAGMA journal_mode") << "PRAGMA journal_mode=OFF"
                                             << "PRAGMA journal_mode is not allowed"
                                             << "";
        QTest::newRow("PRAGMA foreign_keys") << "PRAGMA foreign_keys=OFF"
                                             << "PRAGMA foreign_keys is not allowed"
                                             << "";
        QTest::newRow("PRAGMA cache_size") << "PRAGMA cache_size=1"
                                           << "PRAGMA cache_size is not allowed"
                                           << "";
        QTest::newRow("PRAGMA mmap_size") << "PRAGMA mmap_size=268435456"
                                          << "PRAGMA mmap_size is not allowed"
                                          << "";
        QTest::newRow("PRAGMA temp_store_directory") << "PRAGMA temp_store_directory='/tmp'"
                                                     << "PRAGMA temp_store_directory is not allowed"
                                                     << "";
        QTest::newRow("PRAGMA user_version=7") << "PRAGMA user_version=7"
                                               << "PRAGMA user_version is not allowed"
                                               << "";
        QTest::newRow("PRAGMA soft_heap_limit") << "PRAGMA soft_heap_limit=1"
                                                << "PRAGMA soft_heap_limit is not allowed"
                                                << "";
        QTest::newRow("PRAGMA optimize") << "PRAGMA optimize"
                                         << "PRAGMA optimize is not allowed"
                                         << "";
        QTest::newRow("PRAGMA shrink_memory") << "PRAGMA shrink_memory"
                                              << "PRAGMA shrink_memory is not allowed"
                                              << "";
        QTest::newRow("PRAGMA case_sensitive_like") << "PRAGMA case_sensitive_like=1"
                                                    << "is not allowed"
                                                    << "";
        QTest::newRow("load_extension") << "SELECT load_extension('x')"
                                        << "load_extension() is not allowed"
                                        << "";
        QTest::newRow("load_extension upper case") << "select LOAD_EXTENSION('/tmp/evil.so', 'init')"
                                                   << "not allowed"
                                                   << "";
        QTest::newRow("fts3_tokenizer") << "SELECT fts3_tokenizer('simple')"
                                        << ""
                                        << "";
        QTest::newRow("internal fl_visit") << "SELECT fl_visit(1, 2) FROM flows"
                                           << "not allowed"
                                           << "";
        QTest::newRow("two statements: drop") << "SELECT 1; DROP TABLE flows"
                                              << "Only one SQL statement is allowed"
                                              << "";
        QTest::newRow("two statements: select") << "SELECT 1; SELECT 2"
                                                << "Only one SQL statement is allowed"
                                                << "";
        QTest::newRow("comment then statement") << "SELECT 1 /* ; */ ; -- x\n DELETE FROM files"
                                                << "Only one SQL statement"
                                                << "";
        QTest::newRow("empty") << ""
                               << "empty"
                               << "";
        QTest::newRow("only a comment") << "  -- nothing here\n"
                                        << "empty"
                                        << "";
        QTest::newRow("syntax error") << "SELEC 1"
                                      << "SQL error"
                                      << "";
        QTest::newRow("no such table") << "SELECT * FROM nope"
                                       << "no such table"
                                       << "";
        // Table-valued pragmas run their PRAGMA while stepping, after the authorizer is gone:
        // only the read-only ones (pragma_table_info(...), ...) may be named.
        QTest::newRow("pragma_optimize") << "SELECT * FROM pragma_optimize"
                                         << "PRAGMA optimize is not allowed"
                                         << "";
        QTest::newRow("pragma_optimize(mask), no column read") << "SELECT count(*) FROM main.PRAGMA_OPTIMIZE(2)"
                                                               << "PRAGMA optimize is not allowed"
                                                               << "";
        QTest::newRow("pragma_optimize in a subquery") << "SELECT (SELECT count(*) FROM files), (SELECT 1 FROM pragma_optimize)"
                                                       << "PRAGMA optimize is not allowed"
                                                       << "";
        QTest::newRow("pragma_foreign_key_check") << "SELECT * FROM pragma_foreign_key_check"
                                                  << "PRAGMA foreign_key_check is not allowed"
                                                  << "";
        QTest::newRow("no writefile()") << QStringLiteral("SELECT writefile('%1', 'x')").arg(m_dir.filePath(QStringLiteral("w")))
                                        << "no such function"
                                        << "w";
    }

    void refused()
    {
        QFETCH(QString, sql);
        QFETCH(QString, message);
        QFETCH(QString, mustNotExist);
        const QString before = fingerprint();
        auto r = m_store->prepareUserQuery(sql);
        if (r.ok()) {
            // Even if preparing slipped through, running it must not change anything.
            while (r->next()) {}
            QFAIL(qPrintable(QStringLiteral("accepted: %1 (step error: '%2')").arg(sql, r->error())));
        }
        QVERIFY2(!r.error().message.isEmpty(), "a refusal explains itself");
        QVERIFY2(r.error().message.contains(message, Qt::CaseInsensitive),
                 qPrintable(QStringLiteral("message was: ") + r.error().message));
        QCOMPARE(fingerprint(), before);
        QCOMPARE(m_store->recordCount(), m_records);
        if (!mustNotExist.isEmpty()) QVERIFY2(!QFileInfo::exists(victim(mustNotExist)), "no file was created");
    }

    void allowed_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("firstValue"); // first column of the first row, as text ("" = any)

        QTest::newRow("count") << "SELECT count(*) FROM flows"
                               << "4";
        QTest::newRow("group by") << "select srcaddr, sum(bytes) from flows where srcaddr is not null "
                                     "group by 1 order by 2 desc limit 5"
                                  << "10.1.2.3";
        QTest::newRow("trailing semicolon") << "SELECT count(*) FROM flows;"
                                            << "4";
        QTest::newRow("trailing comment") << "SELECT 1; -- done\n"
                                          << "1";
        QTest::newRow("trailing block comment") << "SELECT 2 /* x */ ; /* y */"
                                                << "2";
        QTest::newRow("CTE") << "WITH a AS (SELECT bytes FROM flows WHERE action = 'ACCEPT') SELECT sum(bytes) FROM a"
                             << "5900";
        QTest::newRow("recursive CTE") << "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10) "
                                          "SELECT sum(x) FROM c"
                                       << "55";
        QTest::newRow("files table") << "SELECT path FROM files"
                                     << "vpc.log";
        QTest::newRow("NODATA row") << "SELECT log_status FROM flows WHERE srcaddr IS NULL"
                                    << "NODATA";
        QTest::newRow("PRAGMA user_version (read)") << "PRAGMA user_version"
                                                    << "0";
        QTest::newRow("pragma_table_info()") << "SELECT name FROM pragma_table_info('flows') LIMIT 1"
                                             << "id";
        QTest::newRow("PRAGMA table_info(flows)") << "PRAGMA table_info(flows)"
                                                  << "0";
        QTest::newRow("EXPLAIN QUERY PLAN") << "EXPLAIN QUERY PLAN SELECT * FROM flows WHERE bytes > 1"
                                            << "";
        // Internal decoding functions called with hostile arguments must not read out of bounds.
        QTest::newRow("fl_text out of range") << "SELECT fl_text(9223372036854775807, 3) IS NULL, fl_text(-1, -1), "
                                                 "fl_text(0, 9223372036854775807), fl_text('x', 'y')"
                                              << "1";
        QTest::newRow("fl_str out of range") << "SELECT fl_str(-1) IS NULL, fl_str(9223372036854775807), fl_str(0), fl_str(x'00')"
                                             << "1";
        QTest::newRow("fl_addr extremes") << "SELECT 1, fl_addr(-9223372036854775807 - 1), "
                                             "fl_addr(9223372036854775807), fl_addr(2147483648), fl_addr('abc')"
                                          << "1";
        QTest::newRow("fl_twin out of range") << "SELECT fl_twin(-1) IS NULL, fl_twin(9223372036854775807), "
                                                 "fl_etwin(-5, 1), fl_etwin(9223372036854775807, 9223372036854775807)"
                                              << "1";
        QTest::newRow("cidr function odd values") << "SELECT count(*) FROM flows WHERE flowlog_in_cidr(NULL, NULL) "
                                                     "OR flowlog_in_cidr(x'ff', '10.0.0.0/8') OR flowlog_in_cidr(srcaddr, '::/0')"
                                                  << "";
        // Eponymous virtual tables: SQLite declares them through sqlite_schema, which a naive
        // authorizer mistakes for a write.
        QTest::newRow("json_each") << "SELECT sum(value) FROM json_each('[1, 2, 3]')"
                                   << "6";
        if (!storeHasIndex())
            QTest::newRow("REINDEX (no index: a no-op)") << "REINDEX"
                                                         << "";
    }

    /// Functions given values they cannot handle fail the query with a message, not a crash.
    void runtimeErrors_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("error");
        QTest::newRow("bad CIDR") << "SELECT count(*) FROM flows WHERE flowlog_in_cidr(srcaddr, 'garbage/99')"
                                  << "flowlog_in_cidr";
        QTest::newRow("huge blob") << "SELECT length(zeroblob(2000000000))"
                                   << "too big";
        QTest::newRow("bad json") << "SELECT * FROM json_each('[1, 2')"
                                  << "JSON";
    }
    void runtimeErrors()
    {
        QFETCH(QString, sql);
        QFETCH(QString, error);
        auto r = m_store->prepareUserQuery(sql);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        while (r->next()) {}
        QVERIFY2(r->error().contains(error, Qt::CaseInsensitive), qPrintable(r->error()));
    }

    void allowed()
    {
        QFETCH(QString, sql);
        QFETCH(QString, firstValue);
        const QString before = fingerprint();
        auto r = m_store->prepareUserQuery(sql);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        const bool row = r->next();
        QVERIFY2(r->error().isEmpty(), qPrintable(r->error()));
        if (!firstValue.isEmpty()) {
            QVERIFY(row);
            QCOMPARE(r->text(0), firstValue);
        }
        while (r->next()) {}
        QVERIFY2(r->error().isEmpty(), qPrintable(r->error()));
        QCOMPARE(fingerprint(), before);
    }

    /// A runaway query stops when its job's cancel flag (CancelScope) is raised from another
    /// thread, before or while it runs; the store is usable afterwards and a query on another
    /// thread, in its own scope, is not stopped by that flag. (The store has no connection-wide
    /// interrupt: every stop goes through a CancelScope.)
    void runawayQueryCancelled_data()
    {
        QTest::addColumn<bool>("raiseBeforeStart");
        QTest::newRow("flag raised while it runs") << false;
        QTest::newRow("flag raised before the first step") << true;
    }
    void runawayQueryCancelled()
    {
        QFETCH(bool, raiseBeforeStart);
        auto r = m_store->prepareUserQuery(
            QStringLiteral("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000000) "
                           "SELECT count(*) FROM c"));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        Statement stmt = std::move(r.value());
        std::atomic<bool> cancel{raiseBeforeStart};
        std::atomic<bool> started{false};
        std::atomic<bool> done{false};
        bool gotRow = true;
        QString error;
        std::thread worker([&] {
            const CancelScope scope(&cancel);
            started = true;
            gotRow = stmt.next();
            error = stmt.error();
            done = true;
        });
        QTRY_VERIFY(started.load());
        // Raised once: unlike sqlite3_interrupt, a flag cannot land too early and be lost.
        cancel = true;
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), 30000);
        worker.join();
        QVERIFY(!gotRow);
        QCOMPARE(error, QStringLiteral("interrupted"));

        // The connection is usable again, from this thread and from another one whose scope
        // has a flag of its own; the raised flag does not leak into either query.
        auto again = m_store->prepareUserQuery(QStringLiteral("SELECT count(*) FROM flows"));
        QVERIFY(again.ok());
        QVERIFY(again->next());
        QCOMPARE(again->int64(0), m_records);
        std::atomic<bool> otherFlag{false};
        qint64 otherCount = -1;
        std::thread other([&] {
            const CancelScope scope(&otherFlag);
            auto st = m_store->prepareUserQuery(QStringLiteral("SELECT count(*) FROM flows"));
            if (st.ok() && st->next()) otherCount = st->int64(0);
        });
        other.join();
        QCOMPARE(otherCount, m_records);
    }

    void cleanupTestCase()
    {
        // Nothing under the temporary directory was written by any statement.
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), QStringList());
        // "VACUUM INTO '/tmp/x'" neither created nor rewrote /tmp/x.
        QCOMPARE(QFileInfo::exists(QStringLiteral("/tmp/x")), m_tmpXExisted);
        if (m_tmpXExisted) QCOMPARE(QFileInfo(QStringLiteral("/tmp/x")).lastModified(), m_tmpXModified);
    }
};

QTEST_GUILESS_MAIN(TestReadonlySql)
#include "tst_readonly_sql.moc"
