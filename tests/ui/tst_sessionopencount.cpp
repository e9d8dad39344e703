// The record table right after a session file opens (SessionController::open in a real window,
// offscreen): the first page comes with the exact count, equal to SQL's count(*), and every row
// shown (first page, page boundary, last row) is SQL's row in load order. Run with the typed
// columns switched off (what the window has while the columns are still being rebuilt: the
// scan-free load order of core/store/load_order.h answers) and on (columns_rebuild done): the
// same answers.
#include "core/ingest/loader.h"
#include "core/sessionfile/sessionfile.h"
#include "core/store/column_filter.h"
#include "core/store/columns_rebuild.h"
#include "ui/logic/session.h"
#include "ui/shell/mainwindow.h"
#include "ui/shell/sessioncontroller.h"
#include "ui/table/recordmodel.h"
#include "uitestdata.h"

#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace ui;

class TestSessionOpenCount : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    qint64 m_records = 0;
    std::vector<qint64> m_ids; ///< SQL's ids in load order (the oracle)

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        for (auto format : {QSettings::NativeFormat, QSettings::IniFormat})
            QSettings::setPath(format, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        auto created = core::Store::create();
        QVERIFY(created.ok());
        core::Store& store = *created.value();
        QCOMPARE(core::loadBuffer(store, uitest::generateTgw(700).text, QStringLiteral("tgw.log"), core::LoadOptions{}).outcome,
                 core::Outcome::Ok);
        auto count = store.prepare(QStringLiteral("SELECT count(*) FROM flows"));
        QVERIFY(count.ok() && count->next());
        m_records = count->int64(0);
        QVERIFY(m_records > 3 * RecordModel::kPageSize); // several pages
        auto ids = store.prepare(QStringLiteral("SELECT id FROM flows ORDER BY id"));
        QVERIFY(ids.ok());
        while (ids->next()) m_ids.push_back(ids->int64(0));
        m_path = m_dir.filePath(QStringLiteral("opened.flowlog"));
        QVERIFY(core::saveSession(store, core::SessionData{}, m_path).ok());
    }

    void countAndRowsEqualSql_data()
    {
        QTest::addColumn<bool>("columns");
        QTest::newRow("columns not ready (as while rebuilding)") << false;
        QTest::newRow("columns rebuilt") << true;
    }

    void countAndRowsEqualSql()
    {
        QFETCH(bool, columns);
        core::setColumnScansEnabled(columns);
        {
            MainWindow w;
            w.resize(1366, 768);
            w.show();
            QSignalSpy opened(w.sessionController(), &SessionController::openFinished);
            QVERIFY(w.sessionController()->open(m_path));
            QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, 20000);
            QVERIFY(opened.at(0).at(0).toBool());
            RecordModel* model = w.recordModel();
            if (columns) {
                QVERIFY(core::waitForColumns(*w.session()->store()).ok());
                // The view open before the columns were in may have been answered either way:
                // ask again now that they are.
                w.session()->setFilter(QStringLiteral("protocol == 6"));
                w.session()->setFilter(QString());
            }
            // The exact count arrives with the first page, before any full order.
            QTRY_VERIFY_WITH_TIMEOUT(model->rowCountExact(), 20000);
            QCOMPARE(static_cast<qint64>(model->rowCount()), m_records);
            const int idColumn = model->columnIndex(QStringLiteral("id"));
            QVERIFY(idColumn >= 0);
            const int last = static_cast<int>(m_records) - 1;
            for (int row : {0, 1, RecordModel::kPageSize - 1, RecordModel::kPageSize, 2 * RecordModel::kPageSize + 7, last}) {
                const QModelIndex at = model->index(row, idColumn);
                QTRY_VERIFY_WITH_TIMEOUT(!model->data(at, Qt::DisplayRole).toString().isEmpty(), 20000);
                QVERIFY2(model->data(at, Qt::DisplayRole).toString() == QString::number(m_ids[static_cast<size_t>(row)]),
                         qPrintable(QStringLiteral("%1:%2: row %3 shows id %4, SQL has %5")
                                        .arg(QLatin1String(__FILE__))
                                        .arg(__LINE__)
                                        .arg(row)
                                        .arg(model->data(at, Qt::DisplayRole).toString())
                                        .arg(m_ids[static_cast<size_t>(row)])));
            }
            QTRY_VERIFY_WITH_TIMEOUT(model->countKnown(), 20000);
            QCOMPARE(static_cast<qint64>(model->rowCount()), m_records);
        }
        core::setColumnScansEnabled(true);
    }
};

QTEST_MAIN(TestSessionOpenCount)
#include "tst_sessionopencount.moc"
