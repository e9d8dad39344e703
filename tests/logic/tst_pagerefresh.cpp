// ui::LazyRefresh and ui::DrillDown (ui/logic/pagerefresh.h): the refresh and drill-down rules the
// Attachments, Drops and Timeline pages share. Sequences of events as data rows; the pages
// themselves are driven through real widgets in tst_attachmentspage, tst_dropspage and
// tst_timelinepage.
#include "ui/logic/pagerefresh.h"

#include <QtTest>

using ui::DrillDown;
using ui::LazyRefresh;

class TestPageRefresh : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void lazyRefresh_data();
    void lazyRefresh();
    void drillDown_data();
    void drillDown();
};

void TestPageRefresh::lazyRefresh_data()
{
    // Steps: "r+" request while visible, "r-" request while hidden, "s" shown, "go" start(true),
    // "wait" start(false), "x" invalidate. Expected: what each step answers ("1"/"0", "-" for
    // none) and the dirty flag after it.
    QTest::addColumn<QStringList>("steps");
    QTest::addColumn<QString>("answers");
    QTest::addColumn<QString>("dirty");
    QTest::newRow("a new page is out of date") << QStringList{"s"} << "1"
                                               << "1";
    QTest::newRow("visible request recomputes") << QStringList{"r+", "go", "s"} << "110"
                                                << "100";
    QTest::newRow("hidden request waits for show") << QStringList{"go", "r-", "s", "go", "s"} << "10110"
                                                   << "01100";
    QTest::newRow("a query result keeps it out of date") << QStringList{"go", "r+", "wait", "s", "go"} << "11011"
                                                         << "01110";
    QTest::newRow("invalidate without recompute") << QStringList{"go", "x", "s"} << "1-1"
                                                  << "011";
    QTest::newRow("two requests, one recompute") << QStringList{"go", "r-", "r-", "go", "s"} << "10010"
                                                 << "01100";
}

void TestPageRefresh::lazyRefresh()
{
    QFETCH(QStringList, steps);
    QFETCH(QString, answers);
    QFETCH(QString, dirty);
    LazyRefresh r;
    QString gotAnswers, gotDirty;
    for (const QString& s : steps) {
        QChar a = QLatin1Char('-');
        if (s == QLatin1String("r+")) a = r.request(true) ? QLatin1Char('1') : QLatin1Char('0');
        else if (s == QLatin1String("r-")) a = r.request(false) ? QLatin1Char('1') : QLatin1Char('0');
        else if (s == QLatin1String("s")) a = r.shown() ? QLatin1Char('1') : QLatin1Char('0');
        else if (s == QLatin1String("go")) a = r.start(true) ? QLatin1Char('1') : QLatin1Char('0');
        else if (s == QLatin1String("wait")) a = r.start(false) ? QLatin1Char('1') : QLatin1Char('0');
        else if (s == QLatin1String("x")) r.invalidate();
        else QFAIL(qPrintable(QStringLiteral("unknown step %1").arg(s)));
        gotAnswers += a;
        gotDirty += r.dirty() ? QLatin1Char('1') : QLatin1Char('0');
    }
    QCOMPARE(gotAnswers, answers);
    QCOMPARE(gotDirty, dirty);
}

void TestPageRefresh::drillDown_data()
{
    // Steps: "click:<item>" drills from baseFor(session, keep=true) to "<base> and <item>" and sets
    // the session filter to what drill() returns; "new:<item>" the same with keep=false; "set:<f>"
    // someone else sets the session filter (then follow()). After the steps: the session filter,
    // the page's filter and whether the drill-down is active.
    QTest::addColumn<QStringList>("steps");
    QTest::addColumn<QString>("session");
    QTest::addColumn<QString>("page");
    QTest::addColumn<bool>("active");
    QTest::newRow("nothing clicked") << QStringList{"set:port == 443"} << "port == 443"
                                     << "port == 443" << false;
    QTest::newRow("a click narrows the session, not the page") << QStringList{"set:port == 443", "click:a"} << "port == 443 and a"
                                                               << "port == 443" << true;
    QTest::newRow("a second click replaces the first")
        << QStringList{"set:port == 443", "click:a", "click:b"} << "port == 443 and b"
        << "port == 443" << true;
    QTest::newRow("without keep, a click narrows further")
        << QStringList{"set:port == 443", "click:a", "new:b"} << "port == 443 and a and b"
        << "port == 443 and a" << true;
    QTest::newRow("the filter bar ends it") << QStringList{"set:port == 443", "click:a", "set:proto == 6"} << "proto == 6"
                                            << "proto == 6" << false;
    QTest::newRow("Back to the filter before the click ends it")
        << QStringList{"set:port == 443", "click:a", "set:port == 443"} << "port == 443"
        << "port == 443" << false;
    QTest::newRow("after it ended, a click starts from the new filter")
        << QStringList{"set:port == 443", "click:a", "set:proto == 6", "click:b"} << "proto == 6 and b"
        << "proto == 6" << true;
    QTest::newRow("from no filter") << QStringList{"click:a"} << "and a"
                                    << "" << true;
    QTest::newRow("the click's own filter keeps it") << QStringList{"click:a", "set:and a"} << "and a"
                                                     << "" << true;
    QTest::newRow("another text of the same meaning ends it") << QStringList{"click:a", "set: and a"} << " and a"
                                                              << " and a" << false;
}

void TestPageRefresh::drillDown()
{
    QFETCH(QStringList, steps);
    QFETCH(QString, session);
    QFETCH(QString, page);
    QFETCH(bool, active);
    DrillDown d;
    QString current;
    for (const QString& s : steps) {
        const QString arg = s.section(QLatin1Char(':'), 1);
        if (s.startsWith(QLatin1String("click:")) || s.startsWith(QLatin1String("new:"))) {
            const QString base = d.baseFor(current, s.startsWith(QLatin1String("click:")));
            current = d.drill(base, base + QStringLiteral(" and ") + arg + QStringLiteral(" "));
            QCOMPARE(current, (base + QStringLiteral(" and ") + arg).trimmed());
            QVERIFY(d.follow(current)); // the session echoes the click's filter back
        } else if (s.startsWith(QLatin1String("set:"))) {
            current = arg;
            d.follow(current);
        } else {
            QFAIL(qPrintable(QStringLiteral("unknown step %1").arg(s)));
        }
    }
    QCOMPARE(current, session);
    QCOMPARE(d.pageFilter(current), page);
    QCOMPARE(d.active(current), active);
    if (!active) QVERIFY(d.base().isEmpty());
}

QTEST_GUILESS_MAIN(TestPageRefresh)
#include "tst_pagerefresh.moc"
