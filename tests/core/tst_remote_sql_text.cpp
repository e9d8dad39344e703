// The Athena SQL's text rules that no result comparison can show (tst_remote_sql checks what the
// SQL computes): literals quoted (quotes doubled, control characters as chr(), LIKE wildcards
// escaped), the S3 partition predicate derived from the filter's time bounds (classic and Hive
// layouts), and errors that keep the filter's position or refuse an unsafe table name.
#include "core/model/result.h"
#include "core/remote/remote.h"
#include "tests/athenaoracle.h"

#include <QTest>

using namespace core;
using athenaoracle::tgwColumns;

namespace {

template <class T> QString errorOf(const Result<T>& r)
{
    return r.ok() ? QString() : r.error().toString();
}

} // namespace

class TestRemoteSqlText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void literalsAreQuoted_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("expected");
        QTest::newRow("quote doubled") << "region == \"x' OR 1=1 --\""
                                       << "\"region\" = 'x'' OR 1=1 --'";
        QTest::newRow("newline as chr") << "region == \"a\\nb\""
                                        << "\"region\" = ('a' || chr(10) || 'b')";
        QTest::newRow("backslash kept") << "region == 'a\\\\b'"
                                        << "\"region\" = 'a\\b'";
        QTest::newRow("like escaped") << "region contains \"50%_\""
                                      << "lower(\"region\") LIKE '%50\\%\\_%' ESCAPE '\\'";
    }

    void literalsAreQuoted()
    {
        QFETCH(QString, filter);
        QFETCH(QString, expected);
        auto w = trinoFilter(filter, tgwColumns());
        QVERIFY2(w.ok(), qPrintable(errorOf(w)));
        QCOMPARE(w.value(), expected);
    }

    void partitionPredicate_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<int>("layout");
        QTest::addColumn<QString>("expected");
        QTest::newRow("classic range") << "start >= \"2025-12-01 10:00\" and start < \"2025-12-03 00:00\"" << 0
                                       << "\"day\" BETWEEN '2025/12/01' AND '2025/12/03'";
        QTest::newRow("classic lower") << "start >= 2025-12-01T10:00:00Z" << 0 << "\"day\" >= '2025/12/01'";
        QTest::newRow("classic end bound") << "end < 2025-12-05T00:00:00Z" << 0 << "\"day\" <= '2025/12/05'";
        QTest::newRow("hive one month") << "start >= \"2025-12-01 10:00\" and start < \"2025-12-03 00:00\"" << 1
                                        << "(\"year\" = '2025' AND \"month\" = '12' AND \"day\" BETWEEN '01' AND '03')";
        QTest::newRow("hive two months")
            << "start >= \"2025-11-30 10:00\" and start < \"2025-12-31 12:00\"" << 1
            << "((\"year\" = '2025' AND \"month\" = '11' AND \"day\" = '30') OR (\"year\" = '2025' AND "
               "\"month\" = '12') OR (\"year\" = '2026' AND \"month\" = '01' AND \"day\" = '01'))";
        QTest::newRow("or is no bound") << "start >= 1764547200 or bytes > 1" << 0 << "";
    }

    void partitionPredicate()
    {
        QFETCH(QString, filter);
        QFETCH(int, layout);
        QFETCH(QString, expected);
        RemoteQuery q;
        q.view = RemoteView::Records;
        q.filter = filter;
        q.layout = layout ? S3Layout::Hive : S3Layout::Classic;
        const QString sql = athenaSql(q).value();
        if (expected.isEmpty()) {
            QVERIFY2(!sql.contains(QLatin1String("\"day\"")), qPrintable(sql));
        } else {
            QVERIFY2(sql.contains(QStringLiteral("WHERE ") + expected + QStringLiteral("\n  AND ")), qPrintable(sql));
        }
    }

    void errors_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("message");
        QTest::newRow("filter error keeps its position") << "bytes >"
                                                         << "flow_logs"
                                                         << "expected a value after '>' at 8";
        QTest::newRow("address order") << "srcaddr < 10.0.0.1"
                                       << "flow_logs"
                                       << "does not work on address field";
        QTest::newRow("bad table") << ""
                                   << "t; DROP TABLE x"
                                   << "table name";
    }

    void errors()
    {
        QFETCH(QString, filter);
        QFETCH(QString, table);
        QFETCH(QString, message);
        RemoteQuery q;
        q.filter = filter;
        q.table = table;
        auto r = athenaSql(q);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(message), qPrintable(errorOf(r)));
    }
};

QTEST_GUILESS_MAIN(TestRemoteSqlText)
#include "tst_remote_sql_text.moc"
