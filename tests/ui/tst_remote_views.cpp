// Athena / Logs Insights aggregate results shown in the existing pages of the real main window:
// Remote > Open … Result puts an edges result in the Attachments graph, a series result in the
// Timeline and a drops result in the Drops page, each under a banner "Showing … — Back to local
// data"; while it shows, the filter does not recompute the page; Back restores the local rows.
// FLOWLOG_SCREENSHOT_DIR=dir saves the window showing an edges result (for the README).
#include "core/analysis/aggregate.h"
#include "core/analysis/drops.h"
#include "core/remote/remote.h"
#include "ui/graph/attachmentspage.h"
#include "ui/io/loadcontroller.h"
#include "ui/logic/session.h"
#include "ui/pages/dropspage.h"
#include "ui/remote/remoteactions.h"
#include "ui/shell/mainwindow.h"
#include "ui/timeline/timelinepage.h"
#include "uitestdata.h"

#include <QLabel>
#include <QMessageBox>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace ui;

namespace {

QByteArray edgesCsv(const std::vector<core::Edge>& edges, int scale)
{
    // Athena's result CSV: every value quoted, the columns of `flowlog-cli athena-sql --view edges`.
    QByteArray csv = "\"src\",\"dst\",\"flows\",\"packets\",\"bytes\",\"packets_lost_no_route\",\"packets_lost_blackhole\","
                     "\"packets_lost_mtu_exceeded\",\"packets_lost_ttl_expired\"\n";
    for (const core::Edge& e : edges)
        csv += QStringLiteral("\"%1\",\"%2\",\"%3\",\"%4\",\"%5\",\"%6\",\"%7\",\"%8\",\"%9\"\n")
                   .arg(e.src, e.dst)
                   .arg(e.flows * scale)
                   .arg(e.packets * scale)
                   .arg(e.bytes * scale)
                   .arg(e.lost[0] * scale)
                   .arg(e.lost[1] * scale)
                   .arg(e.lost[2] * scale)
                   .arg(e.lost[3] * scale)
                   .toUtf8();
    return csv;
}

} // namespace

class TestRemoteViews : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;

    RemoteActions* remote() const { return m_window->findChild<RemoteActions*>(); }
    AttachmentsPage* graphPage() const { return m_window->findChild<AttachmentsPage*>(); }
    TimelinePage* timelinePage() const { return m_window->findChild<TimelinePage*>(); }
    DropsPage* dropsPage() const { return m_window->findChild<DropsPage*>(); }
    const core::Store& store() const { return *m_window->session()->store(); }
    QString write(const QString& name, const QByteArray& data)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size()) return {};
        return path;
    }
    static void clickBack(QWidget* page)
    {
        auto* banner = page->findChild<QLabel*>(QStringLiteral("externalBanner"));
        QVERIFY(banner && banner->isVisible());
        QVERIFY(banner->text().contains(QLatin1String("Back to local data")));
        Q_EMIT banner->linkActivated(QStringLiteral("back")); // what a click on the link emits
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qRegisterMetaType<core::LoadReport>();
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        const QString path = m_dir.filePath(QStringLiteral("tgw.log"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(uitest::generateTgw(300).text);
        f.close();
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1366, 768);
        m_window->show();
        QSignalSpy finished(m_window->loadController(), &LoadController::finished);
        QVERIFY(m_window->openPaths({path}));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    }

    void edgesInTheGraph_data()
    {
        QTest::addColumn<int>("dimension");
        QTest::addColumn<int>("scale");
        QTest::newRow("attachments x30") << int(core::EdgeDimension::Attachment) << 30;
        QTest::newRow("vpcs x1") << int(core::EdgeDimension::Vpc) << 1;
    }

    void edgesInTheGraph()
    {
        QFETCH(int, dimension);
        QFETCH(int, scale);
        const auto dim = static_cast<core::EdgeDimension>(dimension);
        AttachmentsPage* page = graphPage();
        // The local graph first (the page shown and computed).
        m_window->session()->setFilter(QString());
        page->setDimension(core::EdgeDimension::Attachment);
        const auto local = core::computeEdges(store(), QString(), core::EdgeDimension::Attachment);
        QVERIFY(local.ok());
        const auto byDim = core::computeEdges(store(), QString(), dim);
        QVERIFY(byDim.ok() && !byDim->empty());
        const QString path = write(QStringLiteral("athena-edges.csv"), edgesCsv(byDim.value(), scale));

        QSignalSpy updated(page, &AttachmentsPage::graphUpdated);
        QVERIFY(remote()->openResult(path, QStringLiteral("Athena result")));
        QVERIFY(page->isExternal());
        QVERIFY(page->isVisible()); // its dock brought to the front
        QCOMPARE(page->dimension(), dim);
        QVERIFY2(page->bannerText().contains(QLatin1String("Showing Athena result athena-edges.csv")),
                 qPrintable(page->bannerText()));
        // The graph has the result's edges with the result's bytes.
        QCOMPARE(page->edges().size(), byDim->size());
        const Graph& g = page->view()->graph();
        QVERIFY(!g.edges.empty());
        for (const core::Edge& e : byDim.value()) {
            const auto it = std::find_if(page->edges().begin(), page->edges().end(),
                                         [&](const core::Edge& x) { return x.src == e.src && x.dst == e.dst; });
            QVERIFY2(it != page->edges().end(), qPrintable(e.src + QStringLiteral(" -> ") + e.dst));
            QCOMPARE(it->bytes, e.bytes * scale);
            QCOMPARE(it->flows, e.flows * scale);
        }
        // The heaviest edge is drawn, with the result's bytes.
        const core::Edge& heaviest = *std::max_element(
            byDim->begin(), byDim->end(), [](const core::Edge& a, const core::Edge& b) { return a.bytes < b.bytes; });
        const int drawn = g.findEdge(heaviest.src, heaviest.dst);
        QVERIFY(drawn >= 0);
        QCOMPARE(g.data[static_cast<size_t>(g.edges[static_cast<size_t>(drawn)].data)].bytes, heaviest.bytes * scale);
        QVERIFY2(page->statusText().contains(QLatin1String("a query result")), qPrintable(page->statusText()));

        // The filter does not recompute a result; a click does not filter the local data.
        m_window->session()->setFilter(QStringLiteral("dstport == 443"));
        QTest::qWait(0);
        QCOMPARE(page->edges().size(), byDim->size());
        QVERIFY(page->isExternal());
        m_window->session()->setFilter(QString());

        if (qEnvironmentVariableIsSet("FLOWLOG_SCREENSHOT_DIR") && scale == 30) {
            QTest::qWait(50);
            QVERIFY(m_window->grab().save(qEnvironmentVariable("FLOWLOG_SCREENSHOT_DIR") + QStringLiteral("/athena-result.png")));
        }

        // Back: the local edges again (by the result's dimension, now the page's).
        const auto localByDim = core::computeEdges(store(), QString(), dim);
        updated.clear();
        clickBack(page);
        QVERIFY(!page->isExternal());
        QVERIFY(page->bannerText().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!updated.isEmpty() && !page->isBusy(), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(page->edges().size(), localByDim->size(), 30000);
        for (size_t i = 0; i < localByDim->size(); ++i) {
            QCOMPARE(page->edges()[i].src, localByDim.value()[i].src);
            QCOMPARE(page->edges()[i].bytes, localByDim.value()[i].bytes);
        }
        page->setDimension(core::EdgeDimension::Attachment);
    }

    void seriesInTheTimeline()
    {
        TimelinePage* page = timelinePage();
        // Hourly bins with a gap: the gap is a zero bin, as in the app's own series.
        const QString path = write(QStringLiteral("series.csv"), "bin_start,flows,packets,bytes,packets_lost_no_route\n"
                                                                 "1764547200,5,50,5000,3\n"
                                                                 "1764550800,1,10,100,0\n"
                                                                 "1764558000,2,20,2000,7\n");
        QVERIFY(remote()->openResult(path, QStringLiteral("Logs Insights result")));
        QVERIFY(page->isExternal());
        QVERIFY(page->isVisible());
        QVERIFY(page->bannerText().contains(QLatin1String("Showing Logs Insights result series.csv (3 rows)")));
        const core::Series& s = page->series();
        QCOMPARE(s.binSeconds, qint64(3600));
        QCOMPARE(s.bins.size(), size_t(4));
        QCOMPARE(s.bins[0].start, qint64(1764547200));
        QCOMPARE(s.bins[0].bytes, qint64(5000));
        QCOMPARE(s.bins[0].lost[0], qint64(3));
        QCOMPARE(s.bins[2].bytes, qint64(0));
        QCOMPARE(s.bins[3].bytes, qint64(2000));
        QCOMPARE(page->timeWindow().first, 1764547200.0);
        QCOMPARE(page->timeWindow().second, 1764547200.0 + 4 * 3600);
        // The filter does not recompute it.
        const int results = page->resultCount();
        m_window->session()->setFilter(QStringLiteral("dstport == 443"));
        QTest::qWait(0);
        QCOMPARE(page->series().bins.size(), size_t(4));
        m_window->session()->setFilter(QString());

        // Back: the local series.
        clickBack(page);
        QVERIFY(!page->isExternal());
        const auto local = core::computeSeries(store(), QString(), page->binSeconds());
        QVERIFY(local.ok());
        QTRY_VERIFY_WITH_TIMEOUT(page->resultCount() > results + 1 && !page->series().bins.empty(), 30000);
        QCOMPARE(page->series().bins.front().start, local->bins.front().start);
        qint64 bytes = 0;
        for (const auto& b : page->series().bins) bytes += b.bytes;
        qint64 localBytes = 0;
        for (const auto& b : local->bins) localBytes += b.bytes;
        QCOMPARE(bytes, localBytes);
    }

    void dropsInTheDropsPage()
    {
        DropsPage* page = dropsPage();
        const auto local = core::computeDrops(store(), QString());
        QVERIFY(local.ok() && !local->empty());
        // The flowlog-cli drops CSV of the local rows, as a result file (packets as they are).
        const QString path = write(QStringLiteral("drops.csv"), core::dropsCsv(local.value(), false));
        QVERIFY(remote()->openResult(path, QStringLiteral("Athena result")));
        QVERIFY(page->isExternal());
        QVERIFY(page->isVisible());
        QVERIFY(page->bannerText().contains(QLatin1String("drops.csv")));
        QCOMPARE(page->rows().size(), local->size());
        for (size_t i = 0; i < local->size(); ++i) {
            QCOMPARE(page->rows()[i].entry, local.value()[i].entry);
            QCOMPARE(page->rows()[i].packets, local.value()[i].packets);
        }
        // A row click does not narrow the local filter.
        page->view()->selectRow(0);
        page->showCurrentRecords();
        QCOMPARE(m_window->session()->filter(), QString());
        // Back: recomputed.
        QSignalSpy updated(page, &DropsPage::dropsUpdated);
        clickBack(page);
        QVERIFY(!page->isExternal());
        QTRY_VERIFY_WITH_TIMEOUT(!updated.isEmpty(), 30000);
        QCOMPARE(page->rows().size(), local->size());
    }

    void insightsJsonEdges()
    {
        // A Logs Insights get-query-results JSON of the edges query (split by direction).
        const QString path = write(
            QStringLiteral("insights.json"),
            R"({"results":[[{"field":"tgw_attachment_id","value":"tgw-attach-0aaa"},{"field":"tgw_pair_attachment_id","value":"tgw-attach-0bbb"},)"
            R"({"field":"flow_direction","value":"ingress"},{"field":"flows","value":"4"},{"field":"packets","value":"40"},)"
            R"({"field":"bytes","value":"4000"}]],"status":"Complete"})");
        QVERIFY(remote()->openResult(path, QStringLiteral("Logs Insights result")));
        AttachmentsPage* page = graphPage();
        QVERIFY(page->isExternal());
        QCOMPARE(page->edges().size(), size_t(1));
        QCOMPARE(page->edges().front().src, QStringLiteral("tgw-attach-0aaa"));
        QCOMPARE(page->edges().front().bytes, qint64(4000));
        QCOMPARE(page->view()->graph().nodes.size(), size_t(2));
        clickBack(page);
        QVERIFY(!page->isExternal());
    }

    void badResultIsRefusedWithFileAndLine_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("message");
        QTest::newRow("not a number") << QByteArray("src,dst,flows,packets,bytes\na,b,1,2,x\n") << "bad.csv:2";
        QTest::newRow("unknown columns") << QByteArray("foo,bar\n1,2\n") << "is not an edges, series or drops result";
        QTest::newRow("bad json") << QByteArray("{\"results\": [") << "not valid JSON";
    }

    void badResultIsRefusedWithFileAndLine()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, message);
        const QString path = write(QStringLiteral("bad.csv"), data);
        QString said;
        QTimer::singleShot(0, this, [&]() {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                said = box->text();
                box->accept();
            }
        });
        QVERIFY(!remote()->openResult(path));
        QVERIFY2(said.contains(message), qPrintable(said));
        QVERIFY(!graphPage()->isExternal());
    }

    void recordsResultOpensAsRecords()
    {
        // An Athena records result (record columns, no `flows`) goes to the record table.
        const QString path =
            write(QStringLiteral("records.csv"), "\"srcaddr\",\"dstaddr\",\"bytes\"\n\"10.0.0.1\",\"10.0.0.2\",\"5\"\n");
        QVERIFY(QObject::disconnect(remote(), &RemoteActions::openRecords, nullptr, nullptr)); // not replacing the session here
        QSignalSpy records(remote(), &RemoteActions::openRecords);
        QVERIFY(remote()->openResult(path));
        QCOMPARE(records.size(), 1);
        QCOMPARE(records.front().front().toString(), path);
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestRemoteViews)
#include "tst_remote_views.moc"
