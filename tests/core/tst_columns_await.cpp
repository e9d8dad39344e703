// Waiting for a session's column rebuild (core/store/columns_rebuild.h, awaitColumns): the scans
// that wait instead of reading every row by SQL beside the rebuild. Returns true with the columns
// complete; false when the caller's cancel flag is raised (before or while waiting); gives its
// global-pool slot back only while it sleeps (the pool's count of active threads is the same
// after); and the views it guards answer exactly what SQL answers.
#include "core/analysis/aggregate.h"
#include "core/ingest/loader.h"
#include "core/sessionfile/sessionfile.h"
#include "core/store/column_filter.h"
#include "core/store/columns_rebuild.h"
#include "core/store/store.h"
#include "flowgen.h"

#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>

using namespace core;

namespace {

QString edgesText(const Store& store)
{
    auto r = computeEdges(store, QString(), EdgeDimension::Attachment);
    if (!r.ok()) return QStringLiteral("error: ") + r.error().message;
    QStringList e;
    for (const Edge& x : r.value())
        e << QStringLiteral("%1>%2:%3/%4/%5").arg(x.src, x.dst).arg(x.flows).arg(x.packets).arg(x.bytes);
    return e.join(QLatin1Char(' '));
}

} // namespace

class TestColumnsAwait : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    QString m_sqlEdges;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        flowgen::Options o;
        o.seed = 3;
        o.tgwRecords = 20000;
        QByteArray lines;
        auto add = [&](const std::string& line, int64_t) { lines += QByteArray::fromStdString(line) + '\n'; };
        flowgen::generate(o, add, add);
        auto created = Store::create();
        QVERIFY(created.ok());
        QCOMPARE(loadBuffer(*created.value(), lines, QStringLiteral("gen.log"), LoadOptions{}).outcome, Outcome::Ok);
        setColumnScansEnabled(false);
        m_sqlEdges = edgesText(*created.value());
        setColumnScansEnabled(true);
        QVERIFY(!m_sqlEdges.startsWith(QLatin1String("error")));
        m_path = m_dir.filePath(QStringLiteral("await.flowlog"));
        QVERIFY(saveSession(*created.value(), SessionData{}, m_path).ok());
    }

    void awaits_data()
    {
        QTest::addColumn<bool>("cancelled");
        QTest::newRow("waits until the columns are in") << false;
        QTest::newRow("a raised cancel gives up") << true;
    }

    void awaits()
    {
        QFETCH(bool, cancelled);
        auto opened = openSession(m_path);
        QVERIFY(opened.ok());
        const Store& store = *opened->store;
        const int active = QThreadPool::globalInstance()->activeThreadCount();
        const std::atomic<bool> cancel{cancelled};
        QCOMPARE(awaitColumns(store, &cancel), !cancelled);
        QCOMPARE(QThreadPool::globalInstance()->activeThreadCount(), active);
        if (!cancelled) {
            const ColumnScanLock lock(store);
            QVERIFY(columnsComplete(store));
        }
        QVERIFY(waitForColumns(store).ok());
        QCOMPARE(awaitColumns(store, nullptr), true); // no rebuild running: at once
        QCOMPARE(awaitColumns(store, &cancel), !cancelled);
    }

    void scansDuringTheRebuildEqualSql()
    {
        // Edges asked at once after the open (the rebuild running or done): SQL's numbers.
        auto opened = openSession(m_path);
        QVERIFY(opened.ok());
        QCOMPARE(edgesText(*opened->store), m_sqlEdges);
    }
};

QTEST_GUILESS_MAIN(TestColumnsAwait)
#include "tst_columns_await.moc"
