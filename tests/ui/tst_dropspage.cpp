// The Drops page, driven offscreen: load the both-sides TGW fixture (an MTU drop A->B, a
// no-route drop at A, a blackhole drop at C) plus VPC REJECT records, wait for the table,
// click rows and check the Session filter and how many records it selects; Enter, Back,
// names, the explanation pane, stale results, CSV equal to `flowlog-cli drops`, model tester.
#include "core/analysis/drops.h"
#include "core/ingest/loader.h"
#include "core/names/names.h"
#include "core/query/filter.h"
#include "core/store/store.h"
#include "ui/logic/graphfilter.h"
#include "ui/logic/session.h"
#include "ui/pages/dropsmodel.h"
#include "ui/pages/dropspage.h"

#include "tests/testpaths.h"
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QImage>
#include <QProcess>
#include <QProgressBar>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>

using namespace ui;

namespace {

const QString A = QStringLiteral("tgw-attach-0aaa00000000000a1");
const QString B = QStringLiteral("tgw-attach-0bbb00000000000b2");
const QString C = QStringLiteral("tgw-attach-0ccc00000000000c3");
const QString Eni = QStringLiteral("eni-0bastion000000001");

#define WAIT_FOR_DROPS() QTRY_VERIFY_WITH_TIMEOUT(!m_page->isBusy(), 20000)

QString fixture()
{
    return testpaths::testData() + QStringLiteral("/graph/tgw-both-sides.log");
}

/// VPC v2 records: two REJECTed packets on Eni (ports 22 and 3389) and one ACCEPT.
QByteArray vpcText()
{
    return "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
           "action log-status\n"
           "2 111122223333 eni-0bastion000000001 203.0.113.7 10.50.0.10 51000 22 6 1 44 1764410430 1764410440 "
           "REJECT OK\n"
           "2 111122223333 eni-0bastion000000001 203.0.113.8 10.50.0.10 51001 3389 6 1 44 1764410450 1764410455 "
           "REJECT OK\n"
           "2 111122223333 eni-0bastion000000001 10.50.0.20 10.50.0.10 51002 22 6 12 4000 1764410450 1764410460 "
           "ACCEPT OK\n";
}

const char* kNamesJson = R"({"TransitGatewayAttachments": [
 {"TransitGatewayAttachmentId": "tgw-attach-0aaa00000000000a1", "ResourceType": "vpc", "ResourceId": "vpc-0a1",
  "Association": {"TransitGatewayRouteTableId": "tgw-rtb-0aaa1111", "State": "associated"},
  "Tags": [{"Key": "Name", "Value": "prod-app"}]},
 {"TransitGatewayAttachmentId": "tgw-attach-0bbb00000000000b2", "ResourceType": "vpn", "ResourceId": "vpn-0b2",
  "Association": {"TransitGatewayRouteTableId": "tgw-rtb-0bbb2222", "State": "associated"},
  "Tags": [{"Key": "Name", "Value": "onprem-vpn"}]}
]}
)";

/// Records selected by filter text, counted with the compiled filter (-1 on error).
qint64 countRecords(const core::Store& store, const QString& filter)
{
    auto compiled = core::compileFilter(filter);
    if (!compiled.ok()) return -1;
    auto st = store.prepare(QStringLiteral("SELECT COUNT(*) FROM flows WHERE ") + compiled->where);
    if (!st.ok()) return -1;
    st->bindAll(compiled->params);
    if (!st->next()) return -1;
    return st->int64(0);
}

} // namespace

class TestDropsPage : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_vpcPath;
    QString m_namesPath;
    std::unique_ptr<Session> m_session;
    std::shared_ptr<core::Store> m_store;
    std::unique_ptr<DropsPage> m_page;

    /// View row of the drop group, -1 if not shown.
    int viewRow(const QString& entry, const QString& exit, core::DropReason reason) const
    {
        const int source = m_page->model()->findRow(entry, exit, reason);
        if (source < 0) return -1;
        return m_page->proxy()->mapFromSource(m_page->model()->index(source, 0)).row();
    }

    void clickRow(int row, Qt::KeyboardModifiers modifiers = {})
    {
        QVERIFY(row >= 0);
        const QRect r = m_page->view()->visualRect(m_page->proxy()->index(row, DropsModel::Packets));
        QVERIFY(m_page->view()->viewport()->rect().contains(r.center()));
        QTest::mouseClick(m_page->view()->viewport(), Qt::LeftButton, modifiers, r.center());
    }

    void loadNames()
    {
        core::NameDirectory names;
        auto r = core::loadNamesFile(m_namesPath, names);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QSignalSpy updated(m_page.get(), &DropsPage::dropsUpdated);
        m_session->setNames(names);
        QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 1, 20000);
        WAIT_FOR_DROPS();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_vpcPath = m_dir.filePath(QStringLiteral("vpc.log"));
        m_namesPath = m_dir.filePath(QStringLiteral("describe-transit-gateway-attachments.json"));
        QFile vpc(m_vpcPath);
        QVERIFY(vpc.open(QIODevice::WriteOnly));
        vpc.write(vpcText());
        vpc.close();
        QFile names(m_namesPath);
        QVERIFY(names.open(QIODevice::WriteOnly));
        names.write(kNamesJson);
        names.close();

        auto created = core::Store::create();
        QVERIFY(created.ok());
        m_store = std::shared_ptr<core::Store>(std::move(created.value()));
        const auto report = core::loadPaths(*m_store, {fixture(), m_vpcPath}, {});
        QVERIFY2(report.errors.isEmpty(), qPrintable(report.errors.join(QLatin1Char('\n'))));
        QCOMPARE(report.records, qint64(11 + 3));
    }

    void init()
    {
        m_session = std::make_unique<Session>();
        m_page = std::make_unique<DropsPage>(m_session.get());
        QSignalSpy updated(m_page.get(), &DropsPage::dropsUpdated);
        m_session->setStore(m_store);
        m_page->resize(1200, 700);
        m_page->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
        QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 1, 20000);
        WAIT_FOR_DROPS();
        QVERIFY2(m_page->errorText().isEmpty(), qPrintable(m_page->errorText()));
    }

    void cleanup()
    {
        m_page.reset();
        m_session.reset();
    }

    void modelTester()
    {
        QAbstractItemModelTester modelTester(m_page->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(m_page->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy updated(m_page.get(), &DropsPage::dropsUpdated);
        m_page->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 1, 20000);
        m_page->view()->sortByColumn(DropsModel::Entry, Qt::AscendingOrder);
        m_page->view()->sortByColumn(DropsModel::FirstSeen, Qt::DescendingOrder);
        m_session->setFilter(QStringLiteral("drops"));
        QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 2, 20000);
        WAIT_FOR_DROPS();
    }

    void rowsSortedByPackets()
    {
        // MTU A->B 7 (logged at A only with a counter: counted once), no route at A 5, blackhole at C 4,
        // rejected at the bastion ENI 2 packets.
        QCOMPARE(m_page->model()->rowCount(), 4);
        auto* proxy = m_page->proxy();
        auto raw = [proxy](int row, int column) { return proxy->index(row, column).data(DropsModel::RawRole); };
        QCOMPARE(raw(0, DropsModel::Reason).toString(), QStringLiteral("mtu-exceeded"));
        QCOMPARE(raw(0, DropsModel::Entry).toString(), A);
        QCOMPARE(raw(0, DropsModel::Exit).toString(), B);
        QCOMPARE(raw(0, DropsModel::Packets).toLongLong(), qint64(7));
        QCOMPARE(raw(0, DropsModel::Records).toLongLong(), qint64(1));
        QCOMPARE(raw(1, DropsModel::Reason).toString(), QStringLiteral("no-route"));
        QCOMPARE(raw(2, DropsModel::Reason).toString(), QStringLiteral("blackhole"));
        QCOMPARE(raw(3, DropsModel::Reason).toString(), QStringLiteral("rejected"));
        QCOMPARE(raw(3, DropsModel::Entry).toString(), Eni);
        QCOMPARE(raw(3, DropsModel::TopPorts).toString(), QStringLiteral("22 (1); 3389 (1)"));
        QCOMPARE(proxy->index(1, DropsModel::Exit).data().toString(), QStringLiteral("(none)"));
        QCOMPARE(proxy->index(0, DropsModel::FirstSeen).data().toString(), QStringLiteral("2025-11-29 10:01:00Z"));
        // Sorting by a column uses the raw values.
        m_page->view()->sortByColumn(DropsModel::Packets, Qt::AscendingOrder);
        QCOMPARE(raw(0, DropsModel::Reason).toString(), QStringLiteral("rejected"));
        m_page->view()->sortByColumn(DropsModel::Reason, Qt::AscendingOrder);
        QCOMPARE(raw(0, DropsModel::Reason).toString(), QStringLiteral("blackhole"));
    }

    void clickRowDrillsIn_data()
    {
        QTest::addColumn<QString>("entry");
        QTest::addColumn<QString>("exit");
        QTest::addColumn<int>("reason");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<qint64>("records");
        QTest::newRow("mtu A->B")
            << A << B << int(core::DropReason::MtuExceeded)
            << QStringLiteral("((tgw_attachment_id == %1 and tgw_pair_attachment_id == %2 and flow_direction != egress) or "
                              "(tgw_attachment_id == %2 and tgw_pair_attachment_id == %1 and flow_direction == egress)) "
                              "and packets_lost_mtu_exceeded > 0 and start >= \"2025-11-29 10:01:00\" and "
                              "end <= \"2025-11-29 10:02:00\"")
                   .arg(A, B)
            << qint64(1);
        QTest::newRow("no route at A")
            << A << QStringLiteral("-") << int(core::DropReason::NoRoute)
            << QStringLiteral("tgw_attachment_id == %1 and not tgw_pair_attachment_id and flow_direction != egress and "
                              "packets_lost_no_route > 0 and start >= \"2025-11-29 10:01:00\" and "
                              "end <= \"2025-11-29 10:02:00\"")
                   .arg(A)
            << qint64(1);
        QTest::newRow("blackhole at C") << C << QStringLiteral("-") << int(core::DropReason::Blackhole) << QString() << qint64(1);
        QTest::newRow("rejected at the ENI")
            << Eni << QStringLiteral("-") << int(core::DropReason::Rejected)
            << QStringLiteral("interface_id == %1 and action == REJECT and start >= \"2025-11-29 10:00:30\" and "
                              "end <= \"2025-11-29 10:00:55\"")
                   .arg(Eni)
            << qint64(2);
    }
    void clickRowDrillsIn()
    {
        QFETCH(QString, entry);
        QFETCH(QString, exit);
        QFETCH(int, reason);
        QFETCH(QString, filter);
        QFETCH(qint64, records);
        const auto r = static_cast<core::DropReason>(reason);
        clickRow(viewRow(entry, exit, r));
        if (!filter.isEmpty()) QCOMPARE(m_session->filter(), filter);
        const core::DropRow* row = m_page->model()->dropRow(m_page->model()->findRow(entry, exit, r));
        QVERIFY(row);
        QCOMPARE(m_session->filter(), dropFilter(*row));
        QCOMPARE(countRecords(*m_store, m_session->filter()), records);
        QVERIFY(m_session->canGoBack());
        // The selected row explains itself.
        const QString html = m_page->explanationHtml();
        QVERIFY(html.contains(core::dropReasonLabel(r).toHtmlEscaped()));
        QVERIFY(html.contains(QStringLiteral("What to check")));
        // The drops of the drilled-in filter are exactly that row.
        auto drilled = core::computeDrops(*m_store, m_session->filter());
        QVERIFY(drilled.ok());
        QCOMPARE(drilled->size(), size_t(1));
        QCOMPARE(drilled->front().packets, row->packets);
        QCOMPARE(drilled->front().records, row->records);
    }

    void tableKeepsContextAndBackUndoes()
    {
        clickRow(viewRow(A, B, core::DropReason::MtuExceeded));
        const QString first = m_session->filter();
        WAIT_FOR_DROPS();
        // Still every row: the table shows the filter before the click.
        QCOMPARE(m_page->model()->rowCount(), 4);
        // A second click replaces the selection instead of narrowing it.
        clickRow(viewRow(C, QStringLiteral("-"), core::DropReason::Blackhole));
        QVERIFY(m_session->filter() != first);
        QVERIFY(!m_session->filter().contains(QStringLiteral("mtu")));
        QCOMPARE(countRecords(*m_store, m_session->filter()), qint64(1));
        m_session->back();
        QCOMPARE(m_session->filter(), first);
        m_session->back();
        QCOMPARE(m_session->filter(), QString());
        QVERIFY(!m_session->canGoBack());
    }

    void enterDrillsIn()
    {
        const int row = viewRow(Eni, QStringLiteral("-"), core::DropReason::Rejected);
        m_page->view()->setFocus();
        m_page->view()->selectionModel()->setCurrentIndex(m_page->proxy()->index(row, 0),
                                                          QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QCOMPARE(m_session->filter(), QString()); // selecting alone does not filter
        QVERIFY(m_page->explanationHtml().contains(QStringLiteral("security group")));
        QTest::keyClick(m_page->view(), Qt::Key_Return);
        QVERIFY(m_session->filter().startsWith(QStringLiteral("interface_id == ") + Eni));
        QCOMPARE(countRecords(*m_store, m_session->filter()), qint64(2));
    }

    void clickCombinesWithExistingFilter()
    {
        QSignalSpy updated(m_page.get(), &DropsPage::dropsUpdated);
        m_session->setFilter(QStringLiteral("dstport == 443"));
        QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 1, 20000);
        WAIT_FOR_DROPS();
        // Only the no-route drop (dstport 443) is left.
        QCOMPARE(m_page->model()->rowCount(), 1);
        clickRow(0);
        QVERIFY(m_session->filter().startsWith(QStringLiteral("dstport == 443 and tgw_attachment_id == ") + A));
        QCOMPARE(countRecords(*m_store, m_session->filter()), qint64(1));
        m_session->back();
        QCOMPARE(m_session->filter(), QStringLiteral("dstport == 443"));
    }

    void filterChangeRecomputesAndDropsStaleResults()
    {
        QSignalSpy updated(m_page.get(), &DropsPage::dropsUpdated);
        // Three changes in a row: only the last one's result may be shown.
        m_session->setFilter(QStringLiteral("attachment == ") + C);
        m_session->setFilter(QStringLiteral("action == REJECT"));
        m_session->setFilter(QStringLiteral("packets_lost_mtu_exceeded > 0"));
        QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 1, 20000);
        WAIT_FOR_DROPS();
        QCOMPARE(updated.count(), 1);
        QCOMPARE(m_page->model()->rowCount(), 1);
        QCOMPARE(m_page->rows().front().reason, core::DropReason::MtuExceeded);
        // An impossible filter: no rows, and the pane says so.
        m_session->setFilter(QStringLiteral("dstport == 1"));
        QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 2, 20000);
        WAIT_FOR_DROPS();
        QCOMPARE(m_page->model()->rowCount(), 0);
        QVERIFY(m_page->findChild<QTextBrowser*>()->toPlainText().contains(QStringLiteral("No dropped or rejected")));
    }

    void namesShowRouteTable()
    {
        loadNames();
        const int row = viewRow(A, B, core::DropReason::MtuExceeded);
        QVERIFY(row >= 0);
        auto* proxy = m_page->proxy();
        QCOMPARE(proxy->index(row, DropsModel::RouteTable).data().toString(), QStringLiteral("tgw-rtb-0aaa1111"));
        QCOMPARE(proxy->index(row, DropsModel::Entry).data().toString(), QStringLiteral("prod-app (%1)").arg(A));
        QCOMPARE(proxy->index(row, DropsModel::Exit).data().toString(), QStringLiteral("onprem-vpn (%1)").arg(B));
        QCOMPARE(proxy->index(row, DropsModel::Entry).data(DropsModel::RawRole).toString(), A);
        clickRow(row);
        const QString html = m_page->explanationHtml();
        QVERIFY(html.contains(QStringLiteral("tgw-rtb-0aaa1111")));
        QVERIFY2(html.contains(QStringLiteral("VPN attachment (MTU 1500)")), qPrintable(html));
        // Filters use ids, never names.
        QVERIFY(m_session->filter().contains(A));
        QVERIFY(!m_session->filter().contains(QStringLiteral("prod-app")));
    }

    void csvIsByteIdenticalToCli_data()
    {
        QTest::addColumn<bool>("withNames");
        QTest::newRow("ids") << false;
        QTest::newRow("names") << true;
    }
    void csvIsByteIdenticalToCli()
    {
        QFETCH(bool, withNames);
        QStringList args{QStringLiteral("drops")};
        if (withNames) {
            loadNames();
            args << QStringLiteral("--names") << m_namesPath;
        }
        args << fixture() << m_vpcPath;
        QProcess cli;
        cli.start(testpaths::cliPath(), args);
        QVERIFY(cli.waitForFinished(60000));
        QCOMPARE(cli.exitCode(), 0);
        const QByteArray expected = cli.readAllStandardOutput();
        QCOMPARE(m_page->dropsCsv(), expected);
        m_page->copyCsv();
        QCOMPARE(QApplication::clipboard()->text().toUtf8(), expected);
        QCOMPARE(expected.count("\r\n"), 1 + 4);
        QCOMPARE(expected.contains("entry_name,exit_name"), withNames);
    }

    void screenshot()
    {
        // Writes the page as a user sees it when FLOWLOG_DROPS_SCREENSHOT names a file
        // (demo data and names, the MTU row selected).
        // Without the variable it renders into a temporary file, so the check always runs.
        QTemporaryDir shotDir;
        QVERIFY(shotDir.isValid());
        QString out = qEnvironmentVariable("FLOWLOG_DROPS_SCREENSHOT");
        if (out.isEmpty()) out = shotDir.filePath(QStringLiteral("d.png"));
        auto created = core::Store::create();
        QVERIFY(created.ok());
        std::shared_ptr<core::Store> store(std::move(created.value()));
        const auto report = core::loadPaths(*store, {testpaths::demoData()}, {});
        QVERIFY(report.records > 0);
        QSignalSpy updated(m_page.get(), &DropsPage::dropsUpdated);
        m_session->setStore(store);
        m_session->setNames(report.names);
        QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 1, 20000);
        WAIT_FOR_DROPS();
        QVERIFY(m_page->model()->rowCount() >= 5);
        m_page->resize(1280, 720);
        m_page->findChild<QSplitter*>()->setSizes({230, 470});
        m_page->view()->selectionModel()->setCurrentIndex(m_page->proxy()->index(0, 0),
                                                          QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        auto* busy = m_page->findChild<QProgressBar*>();
        QTRY_VERIFY(!busy->isVisible());
        QVERIFY(m_page->grab().save(out));
        // The saved picture is the page as drawn: its size, and more than one colour in it.
        const QImage shot(out);
        QCOMPARE(shot.size(), m_page->size());
        QVERIFY(shot.pixel(shot.width() / 2, shot.height() / 2) != shot.pixel(1, 1)
                || shot.pixel(shot.width() / 4, shot.height() / 4) != shot.pixel(1, 1));
    }
};

QTEST_MAIN(TestDropsPage)
#include "tst_dropspage.moc"
