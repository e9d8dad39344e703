// The Attachments page, driven offscreen: load a small TGW fixture (both-sides logging, an MTU
// drop, drops with no exit attachment), wait for the graph, click nodes and edges where the
// layout put them, and check the Session filter and how many records it selects.
#include "core/ingest/loader.h"
#include "core/names/names.h"
#include "core/query/filter.h"
#include "core/store/store.h"
#include "ui/graph/attachmentspage.h"
#include "ui/logic/graphfilter.h"
#include "ui/logic/session.h"

#include "tests/testpaths.h"
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QImage>
#include <QLabel>
#include <QProcess>
#include <QProgressBar>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QtTest>

using namespace ui;

namespace {

const QString A = QStringLiteral("tgw-attach-0aaa00000000000a1");
const QString B = QStringLiteral("tgw-attach-0bbb00000000000b2");
const QString C = QStringLiteral("tgw-attach-0ccc00000000000c3");
const QString Sink = QStringLiteral("-");

/// Waits until the page has computed with the current filter (no job running).
#define WAIT_FOR_GRAPH() QTRY_VERIFY_WITH_TIMEOUT(!m_page->isBusy(), 20000)

QString fixture()
{
    return testpaths::testData() + QStringLiteral("/graph/tgw-both-sides.log");
}

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

const core::Edge* findEdge(const std::vector<core::Edge>& edges, const QString& src, const QString& dst)
{
    for (const auto& e : edges)
        if (e.src == src && e.dst == dst) return &e;
    return nullptr;
}

} // namespace

class TestAttachmentsPage : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<Session> m_session;
    std::shared_ptr<core::Store> m_store;
    std::unique_ptr<AttachmentsPage> m_page;

    void click(const QPoint& pos, Qt::KeyboardModifiers modifiers = {})
    {
        QVERIFY2(pos.x() >= 0 && pos.y() >= 0, "item not shown");
        QVERIFY(m_page->view()->rect().contains(pos));
        QTest::mouseClick(m_page->view(), Qt::LeftButton, modifiers, pos);
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto created = core::Store::create();
        QVERIFY(created.ok());
        m_store = std::shared_ptr<core::Store>(std::move(created.value()));
        const auto report = core::loadPaths(*m_store, {fixture()}, {});
        QVERIFY2(report.errors.isEmpty(), qPrintable(report.errors.join(QLatin1Char('\n'))));
        QCOMPARE(report.records, qint64(11));
        QCOMPARE(report.rejected, qint64(0));
    }

    void init()
    {
        m_session = std::make_unique<Session>();
        m_page = std::make_unique<AttachmentsPage>(m_session.get());
        QSignalSpy updated(m_page.get(), &AttachmentsPage::graphUpdated);
        m_session->setStore(m_store);
        m_page->resize(1100, 760);
        m_page->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
        QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 1, 20000);
        WAIT_FOR_GRAPH();
        QVERIFY2(m_page->errorText().isEmpty(), qPrintable(m_page->errorText()));
    }

    void cleanup()
    {
        m_page.reset();
        m_session.reset();
    }

    void edgesAreDeduplicated()
    {
        const auto& edges = m_page->edges();
        // A->B: two flows, each logged at A (ingress) and B (egress): counted once each.
        const core::Edge* ab = findEdge(edges, A, B);
        QVERIFY(ab);
        QCOMPARE(ab->flows, qint64(2));
        QCOMPARE(ab->bytes, qint64(150000 + 250000));
        QCOMPARE(ab->lost[core::LostMtuExceeded], qint64(7));
        const core::Edge* ba = findEdge(edges, B, A);
        QVERIFY(ba);
        QCOMPARE(ba->flows, qint64(1));
        QCOMPARE(ba->bytes, qint64(900000));
        // Seen on one side only: still counted.
        const core::Edge* ac = findEdge(edges, A, C);
        QVERIFY(ac);
        QCOMPARE(ac->bytes, qint64(4000));
        // Drops with no exit attachment go to "-".
        const core::Edge* as = findEdge(edges, A, Sink);
        QVERIFY(as);
        QCOMPARE(as->lost[core::LostNoRoute], qint64(5));
        const core::Edge* cs = findEdge(edges, C, Sink);
        QVERIFY(cs);
        QCOMPARE(cs->lost[core::LostBlackhole], qint64(4));

        const Graph& g = m_page->view()->graph();
        QCOMPARE(static_cast<int>(g.nodes.size()), 4);
        QCOMPARE(g.nodes[static_cast<size_t>(g.findNode(Sink))].kind, NodeKind::Sink);
        QVERIFY(g.edges[static_cast<size_t>(g.findEdge(A, B))].hasDrops());
        QVERIFY(m_page->hiddenSummaryText().isEmpty());
    }

    void clickNode()
    {
        click(m_page->view()->nodePosition(A));
        QCOMPARE(m_session->filter(), QStringLiteral("attachment == ") + A);
        // Records at A or pairing with A: flows 1, 2, 4 twice each, 3 and 5 once.
        QCOMPARE(countRecords(*m_store, m_session->filter()), qint64(8));
        QVERIFY(m_session->canGoBack());
    }

    void clickEdge()
    {
        click(m_page->view()->edgePosition(A, B));
        QCOMPARE(m_session->filter(), edgeFilter(core::EdgeDimension::Attachment, A, B));
        QCOMPARE(m_session->filter(),
                 QStringLiteral("(tgw_attachment_id == %1 and tgw_pair_attachment_id == %2 and flow_direction != egress)"
                                " or (tgw_attachment_id == %2 and tgw_pair_attachment_id == %1 and flow_direction == egress)")
                     .arg(A, B));
        // Both logged sides of the two A->B flows, not the B->A reply.
        QCOMPARE(countRecords(*m_store, m_session->filter()), qint64(4));
    }

    void shiftAndCtrlClickCombine()
    {
        click(m_page->view()->edgePosition(A, B));
        QCOMPARE(countRecords(*m_store, m_session->filter()), qint64(4));
        // The graph keeps showing its context, so the reverse edge can be added.
        QVERIFY(m_page->view()->graph().findEdge(B, A) >= 0);
        click(m_page->view()->edgePosition(B, A), Qt::ShiftModifier);
        QCOMPARE(m_session->filter(), selectionFilter({}, {edgeFilter(core::EdgeDimension::Attachment, A, B),
                                                           edgeFilter(core::EdgeDimension::Attachment, B, A)}));
        QCOMPARE(countRecords(*m_store, m_session->filter()), qint64(6));
        click(m_page->view()->edgePosition(A, Sink), Qt::ControlModifier);
        QCOMPARE(countRecords(*m_store, m_session->filter()), qint64(7));
        // Shift-click on a selected edge takes it out again.
        click(m_page->view()->edgePosition(B, A), Qt::ShiftModifier);
        QCOMPARE(countRecords(*m_store, m_session->filter()), qint64(5));
    }

    void clickSinkNode()
    {
        click(m_page->view()->nodePosition(Sink));
        // The two dropped flows that had no exit attachment.
        QCOMPARE(countRecords(*m_store, m_session->filter()), qint64(2));
    }

    void clickCombinesWithExistingFilter()
    {
        QSignalSpy updated(m_page.get(), &AttachmentsPage::graphUpdated);
        m_session->setFilter(QStringLiteral("dstport == 443"));
        QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 1, 20000);
        WAIT_FOR_GRAPH();
        // Only A->B (flow 1) and A->- remain (the B->A reply has srcport 443, not dstport).
        QVERIFY(m_page->view()->graph().findEdge(A, C) < 0);
        click(m_page->view()->nodePosition(A));
        QCOMPARE(m_session->filter(), QStringLiteral("dstport == 443 and attachment == ") + A);
        QCOMPARE(countRecords(*m_store, m_session->filter()), qint64(3));
    }

    void backButtonAndFilterFollow()
    {
        click(m_page->view()->nodePosition(C));
        QCOMPARE(m_session->filter(), QStringLiteral("attachment == ") + C);
        QSignalSpy updated(m_page.get(), &AttachmentsPage::graphUpdated);
        // Editing the filter elsewhere ends the click selection; the graph follows it.
        m_session->setFilter(QStringLiteral("attachment == ") + C + QStringLiteral(" and packets > 15"));
        QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 1, 20000);
        WAIT_FOR_GRAPH();
        QCOMPARE(static_cast<int>(m_page->view()->graph().edges.size()), 1); // A->C only (20 packets)
        m_session->back();
        QCOMPARE(m_session->filter(), QStringLiteral("attachment == ") + C);
        m_session->back();
        QCOMPARE(m_session->filter(), QString());
        WAIT_FOR_GRAPH(); // the reply for the intermediate filter is dropped as stale
        QCOMPARE(static_cast<int>(m_page->view()->graph().edges.size()), 6);
    }

    void dimensionSwitch_data()
    {
        QTest::addColumn<int>("dimension");
        QTest::addColumn<QString>("node");
        QTest::addColumn<qint64>("records");
        QTest::newRow("vpc") << int(core::EdgeDimension::Vpc) << "vpc-0a1" << qint64(8);
        QTest::newRow("az") << int(core::EdgeDimension::Az) << "use1-az2" << qint64(8);
        QTest::newRow("account") << int(core::EdgeDimension::Account) << "444455556666" << qint64(8);
        QTest::newRow("addr") << int(core::EdgeDimension::Addr) << "10.2.0.20" << qint64(4);
    }
    void dimensionSwitch()
    {
        QFETCH(int, dimension);
        QFETCH(QString, node);
        QFETCH(qint64, records);
        QSignalSpy updated(m_page.get(), &AttachmentsPage::graphUpdated);
        auto* box = m_page->findChild<QComboBox*>(QStringLiteral("dimensionBox"));
        QVERIFY(box);
        box->setCurrentIndex(box->findData(dimension));
        QCOMPARE(int(m_page->dimension()), dimension);
        QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 1, 20000);
        WAIT_FOR_GRAPH();
        QVERIFY2(m_page->errorText().isEmpty(), qPrintable(m_page->errorText()));
        click(m_page->view()->nodePosition(node));
        QCOMPARE(m_session->filter(), nodeFilter(static_cast<core::EdgeDimension>(dimension), node));
        QCOMPARE(countRecords(*m_store, m_session->filter()), records);
    }

    void topNSliderSummarises()
    {
        m_page->setTopN(3);
        const Graph& g = m_page->view()->graph();
        // The 3 heaviest (B->A, A->B, C->B) plus the edge with most drops (A->-, 5 no-route);
        // A->C and C->- (4 blackhole drops) are summarised.
        QCOMPARE(static_cast<int>(g.edges.size()), 4);
        QVERIFY(g.findEdge(A, Sink) >= 0);
        QCOMPARE(g.top.hiddenCount, 2);
        QCOMPARE(m_page->hiddenSummaryText(), QStringLiteral("+ 2 smaller edges (4.2 kB, 4 dropped packets)"));
        m_page->setWeight(EdgeWeight::Packets);
        QCOMPARE(m_page->hiddenSummaryText(), QStringLiteral("+ 2 smaller edges (14 packets, 4 dropped packets)"));
        m_page->setTopN(50);
        QCOMPARE(static_cast<int>(m_page->view()->graph().edges.size()), 6);
        QVERIFY(m_page->hiddenSummaryText().isEmpty());
    }

    void topNLabelSaysWhatTheSliderShows()
    {
        // Top 5 of 6 edges, then a filter leaves 2: the slider stands at 2 (all of them), and so
        // does its label (it said 5); the setting is kept for a wider filter and in the tooltip.
        m_page->setTopN(5);
        auto* slider = m_page->findChild<QSlider*>(QStringLiteral("slider:Top edges"));
        auto* label = m_page->findChild<QLabel*>(QStringLiteral("topNLabel"));
        QVERIFY(slider && label);
        QCOMPARE(label->text(), QStringLiteral("5"));
        QSignalSpy updated(m_page.get(), &AttachmentsPage::graphUpdated);
        m_session->setFilter(QStringLiteral("dstport == 443"));
        QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 1, 20000);
        WAIT_FOR_GRAPH();
        QCOMPARE(static_cast<int>(m_page->view()->graph().edges.size()), 2);
        QCOMPARE(slider->value(), 2);
        QCOMPARE(label->text(), QStringLiteral("2"));
        QVERIFY2(label->toolTip().contains(QStringLiteral("Top 5")), qPrintable(label->toolTip()));
        updated.clear();
        m_session->setFilter(QString());
        QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 1, 20000);
        WAIT_FOR_GRAPH();
        QCOMPARE(label->text(), QStringLiteral("5"));
        QVERIFY(label->toolTip().isEmpty());
    }

    void copyCsvMatchesCliColumns()
    {
        m_page->copyEdgesCsv();
        const QString csv = QApplication::clipboard()->text();
        const QStringList lines = csv.split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
        QCOMPARE(lines.value(0), QStringLiteral("src,dst,flows,packets,bytes,packets_lost_no_route,packets_lost_blackhole,"
                                                "packets_lost_mtu_exceeded,packets_lost_ttl_expired"));
        QCOMPARE(lines.size(), 1 + 6);
        QVERIFY(lines.contains(QStringLiteral("%1,%2,2,130,400000,0,0,7,0").arg(A, B)));
    }

    void csvIsByteIdenticalToCli()
    {
        QProcess cli;
        cli.start(testpaths::cliPath(), {QStringLiteral("edges"), fixture()});
        QVERIFY(cli.waitForFinished(60000));
        QCOMPARE(cli.exitCode(), 0);
        QCOMPARE(m_page->edgesCsv(), cli.readAllStandardOutput());
    }

    void zoomPanDragAndFit()
    {
        GraphView* view = m_page->view();
        const double fitted = view->zoom();
        const QPoint a = view->nodePosition(A);
        // Wheel zooms around the cursor: the point under it stays put.
        QWheelEvent wheel(QPointF(a), view->mapToGlobal(QPointF(a)), QPoint(), QPoint(0, 240), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(view, &wheel);
        QVERIFY(view->zoom() > fitted * 1.3);
        QVERIFY((view->nodePosition(A) - a).manhattanLength() <= 2);
        // Drag a node: it moves, the filter does not change.
        const QPoint from = view->nodePosition(C);
        const QPoint to = from + QPoint(-60, -40);
        QTest::mousePress(view, Qt::LeftButton, {}, from);
        QTest::mouseMove(view, from + QPoint(-20, -10));
        QTest::mouseMove(view, to);
        QTest::mouseRelease(view, Qt::LeftButton, {}, to);
        QVERIFY((view->nodePosition(C) - to).manhattanLength() <= 2);
        QCOMPARE(m_session->filter(), QString());
        // Pan on empty space moves everything.
        const QPoint empty(5, 5);
        QCOMPARE(int(hitTest(view->graph(), view->mapToScene(QPointF(empty))).kind), int(Hit::None));
        const QPoint before = view->nodePosition(A);
        QTest::mousePress(view, Qt::LeftButton, {}, empty);
        QTest::mouseMove(view, empty + QPoint(20, 10));
        QTest::mouseMove(view, empty + QPoint(40, 30));
        QTest::mouseRelease(view, Qt::LeftButton, {}, empty + QPoint(40, 30));
        QVERIFY((view->nodePosition(A) - before - QPoint(40, 30)).manhattanLength() <= 2);
        QCOMPARE(m_session->filter(), QString());
        // F fits again.
        view->setFocus();
        QTest::keyClick(view, Qt::Key_F);
        QCOMPARE(view->zoom(), fitted);
    }

    void tooltips()
    {
        const Graph& g = m_page->view()->graph();
        const QString edge = edgeTooltip(g, g.findEdge(A, B), {});
        QVERIFY(edge.contains(A) && edge.contains(B));
        QVERIFY(edge.contains(QStringLiteral("400 kB"))); // A->B
        QVERIFY(edge.contains(QStringLiteral("900 kB"))); // and B->A, same tooltip
        QVERIFY(edge.contains(QStringLiteral("MTU exceeded")));
        const QString node = nodeTooltip(g, g.findNode(Sink), {});
        QVERIFY(node.contains(QStringLiteral("no route / blackhole")));
        QVERIFY(node.contains(QStringLiteral("lost: no route")));
        QVERIFY(node.contains(QStringLiteral("lost: blackhole")));
        // Names, when loaded, label the nodes; the id stays in the tooltip.
        m_page->setNodeLabels({{A, QStringLiteral("prod-app")}});
        QCOMPARE(nodeDisplayLabel(m_page->view()->graph(), g.findNode(A), m_page->view()->labels()), QStringLiteral("prod-app"));
        QVERIFY(nodeTooltip(g, g.findNode(A), m_page->view()->labels()).contains(A));
    }

    void exportPngAndSvg()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QString error;
        QVERIFY2(m_page->exportPng(dir.filePath(QStringLiteral("g.png")), &error), qPrintable(error));
        QImage image(dir.filePath(QStringLiteral("g.png")));
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800);
        QVERIFY2(m_page->exportSvg(dir.filePath(QStringLiteral("g.svg")), &error), qPrintable(error));
        QFile svg(dir.filePath(QStringLiteral("g.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray text = svg.readAll();
        QVERIFY(text.contains("<svg"));
        QVERIFY(text.contains(A.toUtf8()));
        // A path that cannot be written fails with a message, and leaves nothing behind.
        QVERIFY(!m_page->exportPng(dir.filePath(QStringLiteral("missing/dir/g.png")), &error));
        QVERIFY(error.contains(QStringLiteral("missing/dir")));
    }

    void screenshot()
    {
        // Writes the page as a user sees it when FLOWLOG_GRAPH_SCREENSHOT names a file.
        // Without the variable it renders into a temporary file, so the check always runs.
        QTemporaryDir shotDir;
        QVERIFY(shotDir.isValid());
        QString out = qEnvironmentVariable("FLOWLOG_GRAPH_SCREENSHOT");
        if (out.isEmpty()) out = shotDir.filePath(QStringLiteral("g.png"));
        // Optionally on other data: FLOWLOG_GRAPH_DATA (files/folders), FLOWLOG_GRAPH_NAMES
        // (a folder of describe-*.json), FLOWLOG_GRAPH_DIMENSION, FLOWLOG_GRAPH_FILTER.
        const QString data = qEnvironmentVariable("FLOWLOG_GRAPH_DATA");
        if (!data.isEmpty()) {
            auto created = core::Store::create();
            QVERIFY(created.ok());
            std::shared_ptr<core::Store> store(std::move(created.value()));
            const auto report = core::loadPaths(*store, data.split(QLatin1Char(',')), {});
            QVERIFY2(report.records > 0, qPrintable(report.errors.join(QLatin1Char('\n'))));
            m_session->setStore(store);
        }
        const QString namesDir = qEnvironmentVariable("FLOWLOG_GRAPH_NAMES");
        if (!namesDir.isEmpty()) {
            core::NameDirectory names;
            for (const QFileInfo& f : QDir(namesDir).entryInfoList({QStringLiteral("*.json")}, QDir::Files))
                QVERIFY(core::loadNamesFile(f.filePath(), names).ok());
            m_page->setNames(names);
        }
        const QString dimension = qEnvironmentVariable("FLOWLOG_GRAPH_DIMENSION");
        if (!dimension.isEmpty()) {
            const auto d = core::edgeDimensionFromString(dimension);
            QVERIFY(d.has_value());
            m_page->setDimension(*d);
        }
        if (qEnvironmentVariableIsSet("FLOWLOG_GRAPH_FILTER")) m_session->setFilter(qEnvironmentVariable("FLOWLOG_GRAPH_FILTER"));
        if (qEnvironmentVariableIsSet("FLOWLOG_GRAPH_DARK")) {
            QPalette dark;
            dark.setColor(QPalette::Window, QColor(45, 45, 48));
            dark.setColor(QPalette::Base, QColor(30, 30, 32));
            dark.setColor(QPalette::Text, QColor(220, 220, 220));
            dark.setColor(QPalette::WindowText, QColor(220, 220, 220));
            dark.setColor(QPalette::Button, QColor(55, 55, 58));
            dark.setColor(QPalette::ButtonText, QColor(220, 220, 220));
            m_page->setPalette(dark);
        }
        // FLOWLOG_GRAPH_SIZE (e.g. 1600x900), _MODE (matrix), _FIND (text), _TOP (N), _WORST (N),
        // _GROUP (account, route-table), _MEASURE (matrix: 0 bytes .. 4 drop share).
        const QString size = qEnvironmentVariable("FLOWLOG_GRAPH_SIZE");
        if (!size.isEmpty())
            m_page->resize(size.section(QLatin1Char('x'), 0, 0).toInt(), size.section(QLatin1Char('x'), 1, 1).toInt());
        WAIT_FOR_GRAPH();
        if (qEnvironmentVariable("FLOWLOG_GRAPH_GROUP") == QLatin1String("account"))
            m_page->setGroupBy(AttachmentsPage::GroupBy::Account);
        if (qEnvironmentVariable("FLOWLOG_GRAPH_GROUP") == QLatin1String("route-table"))
            m_page->setGroupBy(AttachmentsPage::GroupBy::RouteTable);
        if (qEnvironmentVariableIsSet("FLOWLOG_GRAPH_TOP")) m_page->setTopN(qEnvironmentVariableIntValue("FLOWLOG_GRAPH_TOP"));
        if (qEnvironmentVariableIsSet("FLOWLOG_GRAPH_WORST"))
            m_page->showWorst(qEnvironmentVariableIntValue("FLOWLOG_GRAPH_WORST"));
        if (qEnvironmentVariable("FLOWLOG_GRAPH_MODE") == QLatin1String("matrix")) {
            m_page->setMode(AttachmentsPage::Mode::Matrix);
            auto* measure = m_page->findChild<QComboBox*>(QStringLiteral("matrixMeasureBox"));
            QVERIFY(measure);
            QTRY_VERIFY(measure->isVisible()); // the toolbar shows it on its next layout pass
        }
        if (qEnvironmentVariableIsSet("FLOWLOG_GRAPH_MEASURE"))
            m_page->setMatrixMeasure(static_cast<MatrixMeasure>(qEnvironmentVariableIntValue("FLOWLOG_GRAPH_MEASURE")));
        if (qEnvironmentVariableIsSet("FLOWLOG_GRAPH_FIND")) m_page->find(qEnvironmentVariable("FLOWLOG_GRAPH_FIND"));
        if (qEnvironmentVariableIsSet("FLOWLOG_GRAPH_SELECT")) {
            const QString id = qEnvironmentVariable("FLOWLOG_GRAPH_SELECT");
            click(m_page->view()->nodePosition(id));
        }
        auto* busy = m_page->findChild<QProgressBar*>();
        QVERIFY(busy);
        QTRY_VERIFY(!busy->isVisible()); // the toolbar hides it on its next layout pass
        QVERIFY(m_page->grab().save(out));
        // The saved picture is the page as drawn: its size, and more than one colour in it.
        const QImage shot(out);
        QCOMPARE(shot.size(), m_page->size());
        QVERIFY(shot.pixel(shot.width() / 2, shot.height() / 2) != shot.pixel(1, 1)
                || shot.pixel(shot.width() / 4, shot.height() / 4) != shot.pixel(1, 1));
    }
};

QTEST_MAIN(TestAttachmentsPage)
#include "tst_attachmentspage.moc"
