// Typed columns of a store opened from a session file of format 3 (records in a flow_data table;
// core/store/columns_rebuild.h; format 4 restores the columns themselves: tst_sessionblobs): after the
// rebuild every view answers from the columns, and edges (every dimension), series, split series,
// drops and the filtered count equal the SQL answers (column paths switched off) and the answers
// of the store that was saved. Rows the columns cannot hold (a text value in an integer column, a
// gap in the ids) leave the columns incomplete and SQL answers; a store closed while its columns
// are being rebuilt, and loads added on top, are covered.
#include "core/analysis/aggregate.h"
#include "core/analysis/drops.h"
#include "core/ingest/loader.h"
#include "core/query/filter.h"
#include "core/sessionfile/sessionfile.h"
#include "core/store/column_filter.h"
#include "core/store/columns_rebuild.h"
#include "core/store/store.h"
#include "flowgen.h"
#include "tests/columntestutil.h"
#include "tests/randomfilters.h"

#include <sqlite3.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace core;
using columntest::kOddLines;

namespace {

/// `records` generated TGW (+ VPC) records in two loads (twins split across them) + the odd lines.
std::unique_ptr<Store> generatedStore(bool large, int records)
{
    flowgen::Options o;
    o.seed = 11;
    o.tgwRecords = records;
    o.vpcRecords = true;
    o.ipv6Share = 0.1;
    if (large) o.setLargeEstate();
    QByteArray loads[2];
    int i = 0;
    flowgen::generate(
        o, [&](const std::string& line, int64_t) { loads[(i++ % 3) == 2 ? 1 : 0] += QByteArray::fromStdString(line) + '\n'; },
        [&](const std::string& line, int64_t) { loads[1] += QByteArray::fromStdString(line) + '\n'; });
    loads[1] += kOddLines;
    auto created = Store::create();
    if (!created.ok()) return nullptr;
    auto store = std::move(created.value());
    for (int n = 0; n < 2; ++n)
        if (loadBuffer(*store, loads[n], QStringLiteral("load%1.log").arg(n), LoadOptions{}).outcome != Outcome::Ok)
            return nullptr;
    return store;
}

/// Edges of every dimension, series (plain and split), drops and the count of `filter`, as text.
QStringList views(const Store& store, const QString& filter, bool* usedColumns)
{
    QStringList out;
    static constexpr EdgeDimension kDims[] = {EdgeDimension::Attachment, EdgeDimension::Vpc,     EdgeDimension::Subnet,
                                              EdgeDimension::Az,         EdgeDimension::Account, EdgeDimension::Addr};
    for (EdgeDimension d : kDims) out << columntest::edgesText(computeEdges(store, filter, d));
    for (SeriesSplit s : {SeriesSplit::None, SeriesSplit::Attachment, SeriesSplit::Edge})
        out << columntest::seriesText(computeSeriesWithSplit(store, filter, s, 5));
    auto drops = computeDrops(store, filter);
    out << (drops.ok() ? QString::fromUtf8(dropsCsv(drops.value(), false)) : drops.error().message);
    auto count = countMatching(store, filter, nullptr, usedColumns);
    out << (count.ok() ? QString::number(count.value()) : count.error().message);
    return out;
}

QStringList filters()
{
    QStringList f = {QString(),
                     QStringLiteral("srcaddr == 10.0.0.0/8"),
                     QStringLiteral("addr == 2600:1f18::/32"),
                     QStringLiteral("port in {443, 53, 70000}"),
                     QStringLiteral("protocol == 300 or proto == udp"),
                     QStringLiteral("bytes > 4000000000"),
                     QStringLiteral("drops"),
                     QStringLiteral("action == REJECT"),
                     QStringLiteral("start >= \"2025-12-01 06:00\"")};
    int taken = 0;
    for (const QString& r : randomFilterExpressions()) {
        if (taken >= 25) break;
        if (compileFilter(r).ok() && !r.trimmed().isEmpty()) {
            f << r;
            ++taken;
        }
    }
    return f;
}

/// Runs SQL on a saved session file with a plain connection (the damaged rows).
bool editFile(const QString& path, const QString& sql)
{
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) return false;
    const int rc = sqlite3_exec(db, sql.toUtf8().constData(), nullptr, nullptr, nullptr);
    sqlite3_close(db);
    return rc == SQLITE_OK;
}

bool columnsReady(const Store& store)
{
    const ColumnScanLock lock(store);
    return columnsComplete(store);
}

} // namespace

class TestSessionColumns : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { setSessionSaveFormat(kSessionTableFormatVersion); } // the rebuild is format 3's
    void viewsEqualSql_data();
    void viewsEqualSql();
    void rowsTheColumnsCannotHold_data();
    void rowsTheColumnsCannotHold();
    void closedWhileRebuilding();
    void loadOnTopKeepsColumns();

private:
    QTemporaryDir m_dir;
};

void TestSessionColumns::viewsEqualSql_data()
{
    QTest::addColumn<bool>("large");
    QTest::newRow("small estate") << false;
    QTest::newRow("large estate") << true;
}

void TestSessionColumns::viewsEqualSql()
{
    QFETCH(bool, large);
    auto saved = generatedStore(large, 3000);
    QVERIFY(saved);
    const QString path = m_dir.filePath(QStringLiteral("views.flowlog"));
    QVERIFY(saveSession(*saved, SessionData{}, path).ok());
    auto opened = openSession(path);
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
    const Store& store = *opened->store;
    QVERIFY(waitForColumns(store).ok());
    QVERIFY(columnsReady(store));
    for (const QString& filter : filters()) {
        bool used = false;
        const QStringList fast = views(store, filter, &used);
        if (filter.isEmpty() || filter == QLatin1String("drops")) QVERIFY(used);
        setColumnScansEnabled(false);
        const QStringList sql = views(store, filter, &used);
        const QStringList original = views(*saved, filter, &used);
        setColumnScansEnabled(true);
        for (qsizetype i = 0; i < fast.size(); ++i) {
            if (fast[i] != sql[i])
                QFAIL(qPrintable(QStringLiteral("'%1', view %2:\n columns: %3\n SQL:     %4")
                                     .arg(filter)
                                     .arg(i)
                                     .arg(fast[i].left(300), sql[i].left(300))));
            QCOMPARE(fast[i], original[i]);
        }
    }
}

void TestSessionColumns::rowsTheColumnsCannotHold_data()
{
    QTest::addColumn<QString>("edit");
    QTest::addColumn<bool>("complete");
    QTest::newRow("untouched") << QString() << true;
    QTest::newRow("text in an integer column") << QStringLiteral("UPDATE flow_data SET srcport = 'x443' WHERE id = 2") << false;
    QTest::newRow("real in an integer column") << QStringLiteral("UPDATE flow_data SET bytes = 1.5 WHERE id = 3") << false;
    QTest::newRow("ctx not an integer") << QStringLiteral("UPDATE flow_data SET ctx = 'a' WHERE id = 1") << false;
    QTest::newRow("a gap in the ids") << QStringLiteral("DELETE FROM flow_data WHERE id = (SELECT max(id) - 1 FROM flow_data)")
                                      << false;
}

void TestSessionColumns::rowsTheColumnsCannotHold()
{
    QFETCH(QString, edit);
    QFETCH(bool, complete);
    auto created = Store::create();
    QVERIFY(created.ok());
    Store& saved = *created.value();
    // Two records per direction, no twins (distinct attachments), so removing one keeps the
    // twin table consistent and the file opens.
    const QByteArray lines = QByteArray(kOddLines);
    QCOMPARE(loadBuffer(saved, lines, QStringLiteral("odd.log"), LoadOptions{}).outcome, Outcome::Ok);
    const QString path = m_dir.filePath(QStringLiteral("rows.flowlog"));
    QVERIFY(saveSession(saved, SessionData{}, path).ok());
    if (!edit.isEmpty()) QVERIFY2(editFile(path, edit), qPrintable(edit));
    auto opened = openSession(path);
    QVERIFY2(opened.ok(), qPrintable(QStringLiteral("%1:%2: the edit made the file refused: %3")
                                         .arg(QLatin1String(__FILE__))
                                         .arg(__LINE__)
                                         .arg(opened.ok() ? QString() : opened.error().message)));
    const Store& store = *opened->store;
    QVERIFY(waitForColumns(store).ok());
    QCOMPARE(columnsReady(store), complete);
    // Whoever answers, the numbers are SQL's.
    bool used = false;
    const QStringList answer = views(store, QString(), &used);
    QCOMPARE(used, complete);
    setColumnScansEnabled(false);
    const QStringList sql = views(store, QString(), &used);
    setColumnScansEnabled(true);
    QCOMPARE(answer, sql);
}

void TestSessionColumns::closedWhileRebuilding()
{
    auto saved = generatedStore(false, 20000);
    QVERIFY(saved);
    const QString path = m_dir.filePath(QStringLiteral("closed.flowlog"));
    QVERIFY(saveSession(*saved, SessionData{}, path).ok());
    for (int i = 0; i < 3; ++i) {
        auto opened = openSession(path);
        QVERIFY(opened.ok());
        opened->store.reset(); // the rebuild is cancelled and joined before the connection closes
    }
    auto opened = openSession(path);
    QVERIFY(opened.ok());
    // Cancelled explicitly: "cancelled", and what the columns hold stays as it was.
    const std::atomic<bool> cancel{true};
    QVERIFY(waitForColumns(*opened->store).ok());
    QVERIFY(columnsReady(*opened->store));
    const Status st = rebuildColumns(*opened->store, &cancel);
    QVERIFY(!st.ok());
    QCOMPARE(st.error().message, QStringLiteral("cancelled"));
    QVERIFY(columnsReady(*opened->store));
    QVERIFY(rebuildColumns(*opened->store).ok()); // complete already: nothing to do
    QVERIFY(columnsReady(*opened->store));
}

void TestSessionColumns::loadOnTopKeepsColumns()
{
    auto saved = generatedStore(false, 2000);
    QVERIFY(saved);
    const QString path = m_dir.filePath(QStringLiteral("ontop.flowlog"));
    QVERIFY(saveSession(*saved, SessionData{}, path).ok());
    for (bool waitFirst : {true, false}) {
        auto opened = openSession(path);
        QVERIFY(opened.ok());
        Store& store = *opened->store;
        if (waitFirst) QVERIFY(waitForColumns(store).ok());
        // A load racing the rebuild waits for it (or runs first; the rebuild then covers it too).
        QCOMPARE(loadBuffer(store, kOddLines, QStringLiteral("more.log"), LoadOptions{}).outcome, Outcome::Ok);
        QVERIFY(waitForColumns(store).ok());
        QVERIFY(columnsReady(store));
        bool used = false;
        const QStringList fast = views(store, QStringLiteral("drops or port == 443"), &used);
        QVERIFY(used);
        setColumnScansEnabled(false);
        QCOMPARE(fast, views(store, QStringLiteral("drops or port == 443"), &used));
        setColumnScansEnabled(true);
    }
}

QTEST_GUILESS_MAIN(TestSessionColumns)
#include "tst_sessioncolumns.moc"
