// core::storeTotals (the status bar's records, time span, TGW and VPC counts): from the typed
// columns it gives exactly what its SQL gives (the oracle, run on the same store), for stores
// loaded from files, opened from a format-4 session (columns at once) and from a format-3 one
// (before and after the columns' rebuild), with NULL times, large values and no records.
#include "core/ingest/loader.h"
#include "core/sessionfile/sessionfile.h"
#include "core/store/columns_rebuild.h"
#include "core/store/store.h"
#include "core/store/store_totals.h"
#include "tests/testpaths.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace core;

namespace {

QString totalsText(const StoreTotals& t)
{
    return QStringLiteral("%1 %2 %3 %4 %5").arg(t.records).arg(t.first).arg(t.last).arg(t.tgw).arg(t.vpc);
}

/// The SQL the totals stand for, run on `store`.
QString oracle(const Store& store)
{
    auto st = store.prepare(QStringLiteral(
        "SELECT COUNT(*), coalesce(MIN(start), 0), coalesce(MAX(\"end\"), 0), COUNT(tgw_attachment_id), COUNT(interface_id) "
        "FROM flows"));
    if (!st.ok() || !st->next()) return QStringLiteral("SQL failed");
    return QStringLiteral("%1 %2 %3 %4 %5")
        .arg(st->int64(0))
        .arg(st->int64(1))
        .arg(st->int64(2))
        .arg(st->int64(3))
        .arg(st->int64(4));
}

} // namespace

class TestStoreTotals : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void sameAsSql_data()
    {
        QTest::addColumn<QStringList>("paths"); // relative to tests/data
        QTest::addColumn<int>("format");        // 0 = the loaded store itself; else saved in it and opened
        const QStringList all{QStringLiteral("cli/tgw.log"), QStringLiteral("graph/tgw-both-sides.log"),
                              QStringLiteral("ingest/s3_vpc_custom_alpha_crlf.log"), QStringLiteral("session/v3_vpc.log")};
        const QStringList vpc{QStringLiteral("session/v3_vpc.log")}; // NODATA (NULL times), 2^32 bytes, IPv6
        for (int format : {0, kSessionFormatVersion, kSessionTableFormatVersion}) {
            const QString how = format == 0 ? QStringLiteral("loaded") : QStringLiteral("format %1").arg(format);
            QTest::newRow(qPrintable(how + QStringLiteral(", TGW and VPC"))) << all << format;
            QTest::newRow(qPrintable(how + QStringLiteral(", VPC with NULL times"))) << vpc << format;
            QTest::newRow(qPrintable(how + QStringLiteral(", no records"))) << QStringList{} << format;
        }
    }

    void sameAsSql()
    {
        QFETCH(QStringList, paths);
        QFETCH(int, format);
        auto created = Store::create();
        QVERIFY(created.ok());
        std::unique_ptr<Store> store = std::move(created.value());
        QStringList absolute;
        for (const QString& p : paths) absolute << testpaths::testData() + QLatin1Char('/') + p;
        loadPaths(*store, absolute, LoadOptions{});
        if (format != 0) {
            const QString path = m_dir.filePath(QStringLiteral("totals.flowlog"));
            setSessionSaveFormat(format);
            const Status saved = saveSession(*store, SessionData{}, path);
            setSessionSaveFormat(kSessionFormatVersion);
            QVERIFY(saved.ok());
            auto opened = openSession(path);
            QVERIFY(opened.ok());
            store = std::move(opened->store);
            QCOMPARE(totalsText(storeTotals(*store)), oracle(*store)); // format 3: by SQL while the rebuild runs
            QVERIFY(waitForColumns(*store).ok());
        }
        QCOMPARE(totalsText(storeTotals(*store)), oracle(*store));
        QCOMPARE(storeTotals(*store).records, store->recordCount());
    }
};

QTEST_GUILESS_MAIN(TestStoreTotals)
#include "tst_store_totals.moc"
