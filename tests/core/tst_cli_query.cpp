// flowlog-cli query end to end: read-only user SQL, what is refused, and the timeout.
// Helpers: tests/clitestutil.h.
#include "core/export/csv.h"
#include "core/ingest/loader.h"
#include "core/names/names.h"
#include "core/store/store.h"
#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "tests/clitestutil.h"
#include "tests/testpaths.h"

using namespace clitest;

class TestCliQuery : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFile::exists(testpaths::cliPath()), qPrintable(testpaths::cliPath())); }

    void query()
    {
        const Run r = runCli({QStringLiteral("query"), QStringLiteral("--sql"),
                              QStringLiteral("SELECT log_status, count(*) AS n FROM flows GROUP BY 1 ORDER BY 1"),
                              fixture(QStringLiteral("tgw.log"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out, QByteArray("log_status,n\r\nNODATA,1\r\nOK,4\r\n"));
    }

    void queryRefused_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::newRow("ATTACH") << "ATTACH DATABASE '/tmp/flowlog-cli-attack.db' AS x";
        QTest::newRow("INSERT") << "INSERT INTO files(path) VALUES ('x')";
        QTest::newRow("DELETE") << "DELETE FROM files";
        QTest::newRow("VACUUM INTO") << "VACUUM INTO '/tmp/flowlog-cli-attack.db'";
        QTest::newRow("two statements") << "SELECT 1; SELECT 2";
        QTest::newRow("syntax error") << "SELEKT 1";
        QTest::newRow("unknown column") << "SELECT nope FROM flows";
    }

    void queryRefused()
    {
        QFETCH(QString, sql);
        const Run r = runCli({QStringLiteral("query"), QStringLiteral("--sql"), sql, fixture(QStringLiteral("tgw.log"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains(QLatin1String("query refused")), qPrintable(r.err));
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/flowlog-cli-attack.db")));
    }

    void queryTimeout()
    {
        const Run r =
            runCli({QStringLiteral("query"), QStringLiteral("--timeout"), QStringLiteral("0.3"), QStringLiteral("--sql"),
                    QStringLiteral("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"),
                    fixture(QStringLiteral("tgw.log"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("--timeout")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCliQuery)
#include "tst_cli_query.moc"
