// RecordModel: the lazy SQL-backed table model (page cache, background count, SQL sort/filter).
#include "core/ingest/loader.h"
#include "ui/logic/session.h"
#include "ui/table/recordmodel.h"
#include "uitestdata.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtTest>
#include <algorithm>

using namespace ui;

namespace {

constexpr int kFlows = 1500; // about 3,030 records: a dozen pages

std::shared_ptr<core::Store> makeStore(const QByteArray& text, core::LoadReport* report = nullptr)
{
    auto created = core::Store::create();
    if (!created.ok()) return {};
    std::shared_ptr<core::Store> store(std::move(created.value()));
    core::LoadReport r = core::loadBuffer(*store, text, QStringLiteral("generated-tgw.log"), {});
    if (report) *report = r;
    return store;
}

QVariant cell(const RecordModel& model, int row, const QString& column, int role = RecordModel::RawRole)
{
    return model.index(row, model.columnIndex(column)).data(role);
}

} // namespace

class TestRecordModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void loadsEveryRecord();
    void modelTester();
    void filterCounts_data();
    void filterCounts();
    void sortFirstRow_data();
    void sortFirstRow();
    void sortIsStableAcrossPages();
    void sortedOrderEqualsSql_data();
    void sortedOrderEqualsSql();
    void firstPageEqualsSql_data();
    void firstPageEqualsSql();
    void pageCacheFetchesInBackground();
    void staleRepliesAreDropped();
    void displayRoles_data();
    void displayRoles();
    void nullIsDistinctFromZero();
    void idCellsFollowNameDisplay_data();
    void idCellsFollowNameDisplay();
    void rowOfRecordAndFetchRows();

private:
    uitest::GenData m_data;
    std::shared_ptr<core::Store> m_store;
};

void TestRecordModel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_data = uitest::generateTgw(kFlows);
    core::LoadReport report;
    m_store = makeStore(m_data.text, &report);
    QVERIFY(m_store);
    QCOMPARE(report.rejected, 0);
    QCOMPARE(report.records, static_cast<qint64>(m_data.records.size()));
}

void TestRecordModel::loadsEveryRecord()
{
    Session session;
    session.setStore(m_store);
    RecordModel model(&session);
    QTRY_VERIFY(model.countKnown());
    QCOMPARE(model.rowCount(), static_cast<int>(m_data.records.size()));
    QVERIFY(model.columnCount() > 40);
    QCOMPARE(model.columnNames(), m_store->columns());
    QCOMPARE(model.columnIndex(QStringLiteral("id")), 0);
    QCOMPARE(model.columnIndex(QStringLiteral("no_such_column")), -1);
}

void TestRecordModel::modelTester()
{
    Session session;
    RecordModel model(&session);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    session.setStore(m_store);
    QTRY_VERIFY(model.countKnown());
    session.setFilter(QStringLiteral("protocol == 17"));
    QTRY_VERIFY(model.countKnown());
    model.sort(model.columnIndex(QStringLiteral("bytes")), Qt::DescendingOrder);
    QTRY_VERIFY(model.countKnown());
    for (int row = 0; row < model.rowCount(); row += 97) (void)model.index(row, 3).data();
    QTRY_VERIFY(cell(model, model.rowCount() - 1, QStringLiteral("id")).isValid());
    session.setFilter(QStringLiteral("dstport == 999999"));
    QTRY_VERIFY(model.countKnown());
    QCOMPARE(model.rowCount(), 0);
    session.back();
    QTRY_VERIFY(model.countKnown());
    QVERIFY(model.rowCount() > 0);
    // Names and their display mode only repaint (dataChanged over the cached rows).
    core::NameDirectory names;
    core::NameEntry e;
    e.id = m_data.records.front().attachment;
    e.name = QStringLiteral("prod-app");
    names.add(e);
    session.setNames(names);
    for (NameDisplay mode : {NameDisplay::Name, NameDisplay::Ids, NameDisplay::NameAndId}) {
        session.setNameDisplay(mode);
        for (int row = 0; row < std::min(model.rowCount(), 300); row += 7)
            (void)model.index(row, model.columnIndex(QStringLiteral("tgw_attachment_id"))).data();
    }
}

void TestRecordModel::filterCounts_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<int>("expected");
    auto count = [this](auto pred) {
        return static_cast<int>(std::count_if(m_data.records.begin(), m_data.records.end(), pred));
    };
    QTest::newRow("everything") << QString() << static_cast<int>(m_data.records.size());
    QTest::newRow("udp") << QStringLiteral("protocol == 17")
                         << count([](const uitest::GenRecord& r) { return r.protocol == 17; });
    QTest::newRow("https") << QStringLiteral("protocol == 6 and dstport == 443")
                           << count([](const uitest::GenRecord& r) { return r.protocol == 6 && r.dstPort == 443; });
    QTest::newRow("big flows") << QStringLiteral("bytes > 2000000")
                               << count([](const uitest::GenRecord& r) { return !r.nodata && r.bytes > 2000000; });
    QTest::newRow("drops") << QStringLiteral("packets-lost-no-route > 0")
                           << count([](const uitest::GenRecord& r) { return r.lostNoRoute > 0; });
    QTest::newRow("nodata") << QStringLiteral("log-status == NODATA")
                            << count([](const uitest::GenRecord& r) { return r.nodata; });
    QTest::newRow("nothing") << QStringLiteral("dstport == 1") << 0;
}

void TestRecordModel::filterCounts()
{
    QFETCH(QString, filter);
    QFETCH(int, expected);
    Session session;
    session.setStore(m_store);
    RecordModel model(&session);
    QSignalSpy known(&model, &RecordModel::rowCountKnown);
    session.setFilter(filter);
    QTRY_VERIFY(model.countKnown());
    QCOMPARE(model.rowCount(), expected);
    QVERIFY(!known.isEmpty());
    QCOMPARE(known.last().at(0).toLongLong(), static_cast<qint64>(expected));
}

void TestRecordModel::sortFirstRow_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<bool>("descending");
    QTest::addColumn<QVariant>("expected");
    qint64 maxBytes = 0;
    qint64 maxPackets = 0;
    int minPort = 1 << 30;
    for (const auto& r : m_data.records) {
        if (r.nodata) continue;
        maxBytes = std::max(maxBytes, r.bytes);
        maxPackets = std::max(maxPackets, r.packets);
        minPort = std::min(minPort, r.dstPort);
    }
    QTest::newRow("bytes desc: the biggest") << QStringLiteral("bytes") << true << QVariant(maxBytes);
    QTest::newRow("packets desc") << QStringLiteral("packets") << true << QVariant(maxPackets);
    QTest::newRow("bytes asc: NULL (NODATA) first") << QStringLiteral("bytes") << false << QVariant();
    QTest::newRow("id desc: the last record")
        << QStringLiteral("id") << true << QVariant(static_cast<qint64>(m_data.records.size()));
}

void TestRecordModel::sortFirstRow()
{
    QFETCH(QString, column);
    QFETCH(bool, descending);
    QFETCH(QVariant, expected);
    Session session;
    session.setStore(m_store);
    RecordModel model(&session);
    QTRY_VERIFY(model.countKnown());
    QSignalSpy first(&model, &RecordModel::firstPageReady);
    model.sort(model.columnIndex(column), descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    QTRY_VERIFY(!first.isEmpty());
    QCOMPARE(cell(model, 0, column), expected);
    QCOMPARE(model.sortKeys().size(), size_t(1));
    QCOMPARE(model.sortKeys().front().column, column);
    QCOMPARE(model.sortKeys().front().descending, descending);
    QTRY_VERIFY(model.countKnown());
    QCOMPARE(model.rowCount(), static_cast<int>(m_data.records.size())); // sorting keeps every row
}

void TestRecordModel::sortIsStableAcrossPages()
{
    Session session;
    session.setStore(m_store);
    session.setFilter(QStringLiteral("protocol == 6"));
    RecordModel model(&session);
    model.sort(model.columnIndex(QStringLiteral("dstport")), Qt::AscendingOrder);
    QTRY_VERIFY(model.countKnown());
    const int rows = std::min(model.rowCount(), 3 * RecordModel::kPageSize);
    for (int r = 0; r < rows; ++r) (void)cell(model, r, QStringLiteral("dstport"));
    QTRY_VERIFY(cell(model, rows - 1, QStringLiteral("id")).isValid());
    for (int r = 1; r < rows; ++r) {
        const qint64 a = cell(model, r - 1, QStringLiteral("dstport")).toLongLong();
        const qint64 b = cell(model, r, QStringLiteral("dstport")).toLongLong();
        QVERIFY2(a <= b, qPrintable(QStringLiteral("row %1").arg(r)));
        if (a == b) // ties keep load order
            QVERIFY(cell(model, r - 1, QStringLiteral("id")).toLongLong() < cell(model, r, QStringLiteral("id")).toLongLong());
    }
}

void TestRecordModel::sortedOrderEqualsSql_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<bool>("descending");
    QTest::addColumn<QString>("filter");
    QTest::newRow("bytes asc (NULLs first)") << "bytes" << false << QString();
    QTest::newRow("bytes desc (NULLs last)") << "bytes" << true << QString();
    QTest::newRow("srcaddr text asc") << "srcaddr" << false << QString();
    QTest::newRow("srcaddr text desc, filtered") << "srcaddr" << true << "protocol == 6";
    QTest::newRow("start desc (many ties)") << "start" << true << QString();
    QTest::newRow("tcp-flags asc (NULL for non-TCP)") << "tcp_flags" << false << "dstport != 443";
    QTest::newRow("attachment asc") << "tgw_attachment_id" << false << QString();
    QTest::newRow("empty view") << "bytes" << true << "dstport == 1";
}

void TestRecordModel::sortedOrderEqualsSql()
{
    QFETCH(QString, column);
    QFETCH(bool, descending);
    QFETCH(QString, filter);
    Session session;
    session.setStore(m_store);
    session.setFilter(filter);
    RecordModel model(&session);
    model.sort(model.columnIndex(column), descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    QTRY_VERIFY(model.countKnown());
    auto built = core::buildSelect(*m_store, {QStringLiteral("id")}, filter, {core::SortKey{column, descending}});
    QVERIFY(built.ok());
    auto st = m_store->prepare(built->sql);
    QVERIFY(st.ok());
    st->bindAll(built->params);
    std::vector<qint64> expected;
    while (st->next()) expected.push_back(st->int64(0));
    QCOMPARE(model.rowCount(), static_cast<int>(expected.size()));
    for (int r = 0; r < model.rowCount(); ++r)
        if (model.recordId(core::TableRow(r)).get() != expected[static_cast<size_t>(r)])
            QFAIL(qPrintable(QStringLiteral("row %1: id %2, SQL has %3")
                                 .arg(r)
                                 .arg(model.recordId(core::TableRow(r)).get())
                                 .arg(expected[static_cast<size_t>(r)])));
}

void TestRecordModel::firstPageEqualsSql_data()
{
    sortedOrderEqualsSql_data();
}

void TestRecordModel::firstPageEqualsSql()
{
    // The first page comes from its own query (a descending sort reads ids newest-first);
    // it must hold exactly SQL's first rows, ties in load order.
    QFETCH(QString, column);
    QFETCH(bool, descending);
    QFETCH(QString, filter);
    Session session;
    session.setStore(m_store);
    session.setFilter(filter);
    RecordModel model(&session);
    QTRY_VERIFY(model.countKnown());
    // Snapshot the ids the moment the first page is applied (the full order may follow).
    std::vector<qint64> shown;
    bool seen = false;
    connect(&model, &RecordModel::firstPageReady, this, [&]() {
        if (seen) return;
        seen = true;
        for (int r = 0; r < std::min(model.rowCount(), RecordModel::kPageSize); ++r)
            shown.push_back(model.recordId(core::TableRow(r)).get());
    });
    model.sort(model.columnIndex(column), descending ? Qt::DescendingOrder : Qt::AscendingOrder);
    QTRY_VERIFY(seen);
    auto built = core::buildSelect(*m_store, {QStringLiteral("id")}, filter, {core::SortKey{column, descending}});
    QVERIFY(built.ok());
    auto st = m_store->prepare(built->sql + QStringLiteral(" LIMIT %1").arg(RecordModel::kPageSize));
    QVERIFY(st.ok());
    st->bindAll(built->params);
    size_t r = 0;
    for (; st->next(); ++r) {
        QVERIFY2(r < shown.size(), "the first page holds fewer rows than SQL");
        QCOMPARE(shown[r], st->int64(0));
    }
    QCOMPARE(r, shown.size());
}

void TestRecordModel::pageCacheFetchesInBackground()
{
    Session session;
    session.setStore(m_store);
    RecordModel model(&session);
    QTRY_VERIFY(model.countKnown());
    const int last = model.rowCount() - 1;
    const int page = last / RecordModel::kPageSize;
    QSignalSpy fetched(&model, &RecordModel::pageFetched);
    // data() never queries: an uncached row is empty until its page arrives.
    QVERIFY(!cell(model, last, QStringLiteral("id")).isValid());
    QTRY_VERIFY(!fetched.isEmpty());
    QCOMPARE(fetched.first().at(0).toInt(), page);
    QCOMPARE(cell(model, last, QStringLiteral("id")).toLongLong(), static_cast<qint64>(m_data.records.size()));
    QCOMPARE(model.recordId(core::TableRow(last)).get(), static_cast<qint64>(m_data.records.size()));
    // A cached page is served without another fetch.
    fetched.clear();
    (void)cell(model, last - 1, QStringLiteral("bytes"));
    QCoreApplication::processEvents();
    QVERIFY(fetched.isEmpty());
    // Visiting many pages keeps the cache bounded and the values right.
    for (int p = 0; p * RecordModel::kPageSize < model.rowCount(); ++p) {
        const int row = p * RecordModel::kPageSize;
        (void)cell(model, row, QStringLiteral("id"));
        QTRY_VERIFY(cell(model, row, QStringLiteral("id")).isValid());
        QCOMPARE(cell(model, row, QStringLiteral("id")).toLongLong(), static_cast<qint64>(row + 1));
    }
}

void TestRecordModel::staleRepliesAreDropped()
{
    Session session;
    session.setStore(m_store);
    RecordModel model(&session);
    // Several changes in a row: only the last one may be shown.
    session.setFilter(QStringLiteral("protocol == 6"));
    model.sort(model.columnIndex(QStringLiteral("bytes")), Qt::DescendingOrder);
    session.setFilter(QStringLiteral("protocol == 1"));
    QTRY_VERIFY(model.countKnown());
    const int icmp = static_cast<int>(
        std::count_if(m_data.records.begin(), m_data.records.end(), [](const uitest::GenRecord& r) { return r.protocol == 1; }));
    QCOMPARE(model.rowCount(), icmp);
    QTRY_VERIFY(cell(model, 0, QStringLiteral("protocol")).isValid());
    QCOMPARE(cell(model, 0, QStringLiteral("protocol")).toLongLong(), 1);
}

void TestRecordModel::displayRoles_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("display");
    QTest::newRow("protocol 6 shows TCP") << QStringLiteral("protocol == 6") << QStringLiteral("protocol")
                                          << QStringLiteral("TCP");
    QTest::newRow("protocol 17 shows UDP") << QStringLiteral("protocol == 17") << QStringLiteral("protocol")
                                           << QStringLiteral("UDP");
    QTest::newRow("tcp-flags 18 shows SYN|ACK")
        << QStringLiteral("tcp-flags == 18") << QStringLiteral("tcp_flags") << QStringLiteral("SYN|ACK");
    QTest::newRow("time in UTC ISO") << QString() << QStringLiteral("start") << QStringLiteral("2025-11-29 10:00:00Z");
    QTest::newRow("NULL shown as a dash") << QStringLiteral("log-status == NODATA") << QStringLiteral("srcaddr")
                                          << QStringLiteral("–");
}

void TestRecordModel::displayRoles()
{
    QFETCH(QString, filter);
    QFETCH(QString, column);
    QFETCH(QString, display);
    Session session;
    session.setStore(m_store);
    session.setFilter(filter);
    RecordModel model(&session);
    QTRY_VERIFY(model.countKnown());
    QVERIFY(model.rowCount() > 0);
    QTRY_VERIFY(cell(model, 0, QStringLiteral("id")).isValid());
    QCOMPARE(cell(model, 0, column, Qt::DisplayRole).toString(), display);
}

void TestRecordModel::idCellsFollowNameDisplay_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("display"); // %1 = the id
    QTest::newRow("ids") << static_cast<int>(NameDisplay::Ids) << QStringLiteral("%1");
    QTest::newRow("name (id)") << static_cast<int>(NameDisplay::NameAndId) << QStringLiteral("prod app (%1)");
    QTest::newRow("name") << static_cast<int>(NameDisplay::Name) << QStringLiteral("prod app");
}

void TestRecordModel::idCellsFollowNameDisplay()
{
    QFETCH(int, mode);
    QFETCH(QString, display);
    Session session;
    session.setStore(m_store);
    RecordModel model(&session);
    QTRY_VERIFY(cell(model, 0, QStringLiteral("id")).isValid());
    const QString id = m_data.records.front().attachment;
    QCOMPARE(cell(model, 0, QStringLiteral("tgw_attachment_id"), Qt::DisplayRole).toString(), id); // no names yet
    core::NameDirectory names;
    core::NameEntry e;
    e.id = id;
    e.name = QStringLiteral("prod app");
    e.kind = QStringLiteral("vpc");
    names.add(e);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    session.setNames(names);
    session.setNameDisplay(static_cast<NameDisplay>(mode));
    QVERIFY(!changed.isEmpty());
    QCOMPARE(cell(model, 0, QStringLiteral("tgw_attachment_id"), Qt::DisplayRole).toString(), display.arg(id));
    QCOMPARE(model.displayText(QStringLiteral("tgw_attachment_id"), id), display.arg(id)); // copied rows too
    QCOMPARE(cell(model, 0, QStringLiteral("tgw_attachment_id")).toString(), id);          // RawRole
    const QString tip = cell(model, 0, QStringLiteral("tgw_attachment_id"), Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("prod app (%1)").arg(id)) && tip.contains(QStringLiteral("kind: vpc")), qPrintable(tip));
}

void TestRecordModel::nullIsDistinctFromZero()
{
    Session session;
    session.setStore(m_store);
    session.setFilter(QStringLiteral("log-status == NODATA"));
    RecordModel model(&session);
    QTRY_VERIFY(model.countKnown());
    QTRY_VERIFY(cell(model, 0, QStringLiteral("id")).isValid());
    QVERIFY(cell(model, 0, QStringLiteral("bytes"), RecordModel::IsNullRole).toBool());
    QVERIFY(cell(model, 0, QStringLiteral("bytes")).isNull());
    QVERIFY(cell(model, 0, QStringLiteral("bytes"), Qt::ForegroundRole).isValid()); // muted
    session.setFilter(QStringLiteral("packets-lost-blackhole == 0 and log-status == OK"));
    QTRY_VERIFY(model.countKnown());
    QTRY_VERIFY(cell(model, 0, QStringLiteral("id")).isValid());
    QVERIFY(!cell(model, 0, QStringLiteral("packets_lost_blackhole"), RecordModel::IsNullRole).toBool());
    QCOMPARE(cell(model, 0, QStringLiteral("packets_lost_blackhole"), Qt::DisplayRole).toString(), QStringLiteral("0"));
    // Humans read bytes in units, the raw value stays in RawRole and the tooltip.
    // (in the one unit style of core/model/units.h)
    QCOMPARE(model.displayText(QStringLiteral("bytes"), qint64(1500)), QStringLiteral("1.5 kB"));
    QCOMPARE(model.displayText(QStringLiteral("bytes"), qint64(999)), QStringLiteral("999 B"));
}

void TestRecordModel::rowOfRecordAndFetchRows()
{
    Session session;
    session.setStore(m_store);
    RecordModel model(&session);
    model.sort(model.columnIndex(QStringLiteral("id")), Qt::DescendingOrder);
    QTRY_VERIFY(model.countKnown());
    const int n = model.rowCount();
    QCOMPARE(model.rowOfRecord(core::RecordId(1)).get(), n - 1);
    QCOMPARE(model.rowOfRecord(core::RecordId(n)).get(), 0);
    QCOMPARE(model.rowOfRecord(core::RecordId(n + 100)).get(), -1);
    QList<QVariantList> values;
    QString error = QStringLiteral("not called");
    model.fetchRows({0, n - 1}, {QStringLiteral("id"), QStringLiteral("tgw_attachment_id")},
                    [&](const QList<QVariantList>& v, const QString& e) {
                        values = v;
                        error = e;
                    });
    QTRY_VERIFY(error != QLatin1String("not called"));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(values.size(), 2);
    QCOMPARE(values.at(0).at(0).toLongLong(), static_cast<qint64>(n));
    QCOMPARE(values.at(1).at(0).toLongLong(), 1);
    QCOMPARE(values.at(1).at(1).toString(), m_data.records.front().attachment);
}

QTEST_MAIN(TestRecordModel)
#include "tst_recordmodel.moc"
