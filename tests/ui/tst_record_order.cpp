// The record table sorted and filtered through the typed columns (core/store/column_order.h) shows
// the same rows as through SQL (column paths switched off): the first page as it is first shown
// (= the start of SQL's order), the exact count that comes with it, and every row id and the
// displayed texts of the first page once the order is in.
#include "core/ingest/loader.h"
#include "core/store/column_filter.h"
#include "ui/logic/session.h"
#include "ui/table/recordmodel.h"
#include "uitestdata.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QtTest>

using namespace ui;

namespace {

struct Shown {
    std::vector<qint64> firstPage; ///< ids as the first page was shown
    int firstRows = 0;             ///< rowCount() then
    bool firstExact = false;       ///< rowCountExact() then
    std::vector<qint64> ids;       ///< every row's id once the order is known
    QStringList texts;             ///< DisplayRole of the first page's cells
};

Shown show(const std::shared_ptr<core::Store>& store, const QString& filter, const QString& column, bool descending)
{
    Shown out;
    Session session;
    session.setStore(store);
    RecordModel model(&session);
    bool seen = false; // the construction's query is superseded below unless the view is the same
    QObject::connect(&model, &RecordModel::firstPageReady, &model, [&]() {
        if (seen) return;
        seen = true;
        out.firstRows = model.rowCount();
        out.firstExact = model.rowCountExact();
        for (int r = 0; r < std::min(model.rowCount(), RecordModel::kPageSize); ++r)
            out.firstPage.push_back(model.recordId(core::TableRow(r)).get());
    });
    session.setFilter(filter);
    if (!column.isEmpty()) model.sort(model.columnIndex(column), descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    if (!QTest::qWaitFor([&]() { return seen && model.countKnown(); })) return out;
    for (int r = 0; r < model.rowCount(); ++r) out.ids.push_back(model.recordId(core::TableRow(r)).get());
    const int rows = std::min(model.rowCount(), RecordModel::kPageSize);
    if (rows > 0 && !QTest::qWaitFor([&]() { return model.index(rows - 1, 0).data(RecordModel::RawRole).isValid(); })) return out;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < model.columnCount(); ++c) out.texts << model.index(r, c).data().toString();
    return out;
}

} // namespace

class TestRecordOrder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        const uitest::GenData data = uitest::generateTgw(1500, 777, false);
        auto created = core::Store::create();
        QVERIFY(created.ok());
        m_store = std::shared_ptr<core::Store>(std::move(created.value()));
        const core::LoadReport r = core::loadBuffer(*m_store, data.text, QStringLiteral("order.log"), {});
        QCOMPARE(r.outcome, core::Outcome::Ok);
        QVERIFY(r.records > 2 * RecordModel::kPageSize);
    }

    void sameRowsBothWays_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("column");
        QTest::addColumn<bool>("descending");
        QTest::newRow("load order, no filter") << QString() << QString() << false;
        QTest::newRow("load order, dstport") << "dstport == 443" << QString() << false;
        QTest::newRow("id desc") << QString() << "id" << true;
        QTest::newRow("bytes desc") << QString() << "bytes" << true;
        QTest::newRow("start asc, CIDR") << "srcaddr == 10.0.0.0/8"
                                         << "start" << false;
        QTest::newRow("srcaddr asc") << QString() << "srcaddr" << false;
        QTest::newRow("dstaddr desc, protocol") << "protocol == 6"
                                                << "dstaddr" << true;
        QTest::newRow("attachment desc") << QString() << "tgw_attachment_id" << true;
        QTest::newRow("tcp_flags asc (NULLs)") << "dstport != 443"
                                               << "tcp_flags" << false;
        QTest::newRow("file_id (SQL only)") << QString() << "file_id" << true;
        QTest::newRow("empty view") << "dstport == 1"
                                    << "bytes" << false;
    }
    void sameRowsBothWays()
    {
        QFETCH(QString, filter);
        QFETCH(QString, column);
        QFETCH(bool, descending);
        core::setColumnScansEnabled(false);
        const Shown sql = show(m_store, filter, column, descending);
        core::setColumnScansEnabled(true);
        const Shown cols = show(m_store, filter, column, descending);
        QVERIFY(!sql.ids.empty() || filter == QLatin1String("dstport == 1"));
        // The first page as first shown equals the start of SQL's order (the SQL path of a fresh
        // model shows no rows until its order is in, so its first page may be empty).
        const std::vector<qint64> head(sql.ids.begin(),
                                       sql.ids.begin() + std::min<std::ptrdiff_t>(RecordModel::kPageSize, std::ssize(sql.ids)));
        QCOMPARE(cols.firstPage, head);
        if (!sql.firstPage.empty()) QCOMPARE(sql.firstPage, head);
        QCOMPARE(cols.ids, sql.ids);
        QCOMPARE(cols.texts, sql.texts);
        // Through the columns the exact count arrives with the first page.
        if (column != QLatin1String("file_id")) {
            QVERIFY(cols.firstExact);
            QCOMPARE(cols.firstRows, static_cast<int>(sql.ids.size()));
        }
    }

private:
    std::shared_ptr<core::Store> m_store;
};

QTEST_MAIN(TestRecordOrder)
#include "tst_record_order.moc"
