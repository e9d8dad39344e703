// The Attachments page's large-estate tools, driven offscreen: the matrix (a cell or header
// click filters exactly as the graph's edge / node click), find, drop colours as painted,
// labels that do not collide (also the selected node's bold one), and the footer after Back.
#include "../logic/estate.h"
#include "core/ingest/loader.h"
#include "core/query/filter.h"
#include "core/store/store.h"
#include "ui/graph/attachmentspage.h"
#include "ui/logic/graphfilter.h"
#include "ui/logic/session.h"

#include "tests/testpaths.h"
#include <QApplication>
#include <QClipboard>
#include <QPainter>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace ui;

namespace {

const QString A = QStringLiteral("tgw-attach-0aaa00000000000a1");
const QString B = QStringLiteral("tgw-attach-0bbb00000000000b2");
const QString C = QStringLiteral("tgw-attach-0ccc00000000000c3");

#define WAIT_FOR_GRAPH() QTRY_VERIFY_WITH_TIMEOUT(!m_page->isBusy(), 20000)

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

/// How red a colour is: red minus the mean of green and blue, weighted by opacity.
double redness(QColor c)
{
    return (c.redF() - (c.greenF() + c.blueF()) / 2) * c.alphaF();
}

/// Label rectangles of `placed` that overlap each other.
int overlaps(const NodeLabelPlacement& placed)
{
    int n = 0;
    for (size_t i = 0; i < placed.rects.size(); ++i)
        for (size_t j = i + 1; j < placed.rects.size(); ++j)
            if (!placed.rects[i].isNull() && !placed.rects[j].isNull() && placed.rects[i].intersects(placed.rects[j])) ++n;
    return n;
}

} // namespace

class TestAttachmentsScale : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<Session> m_session;
    std::shared_ptr<core::Store> m_store;
    std::unique_ptr<AttachmentsPage> m_page;

    void click(QWidget* w, const QPoint& pos, Qt::KeyboardModifiers modifiers = {})
    {
        QVERIFY2(pos.x() >= 0 && pos.y() >= 0, "item not shown");
        QVERIFY(w->rect().contains(pos));
        QTest::mouseClick(w, Qt::LeftButton, modifiers, pos);
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto created = core::Store::create();
        QVERIFY(created.ok());
        m_store = std::shared_ptr<core::Store>(std::move(created.value()));
        const auto report = core::loadPaths(*m_store, {testpaths::testData() + QStringLiteral("/graph/tgw-both-sides.log")}, {});
        QVERIFY2(report.errors.isEmpty(), qPrintable(report.errors.join(QLatin1Char('\n'))));
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
    }

    void cleanup()
    {
        m_page.reset();
        m_session.reset();
    }

    void matrixCellClickFiltersLikeEdgeClick_data()
    {
        QTest::addColumn<QString>("src");
        QTest::addColumn<QString>("dst");
        QTest::newRow("A->B") << A << B;
        QTest::newRow("B->A") << B << A;
        QTest::newRow("A->no exit") << A << QStringLiteral("-");
    }
    void matrixCellClickFiltersLikeEdgeClick()
    {
        QFETCH(QString, src);
        QFETCH(QString, dst);
        // The graph's edge click...
        click(m_page->view(), m_page->view()->edgePosition(src, dst));
        const QString edgeClickFilter = m_session->filter();
        const qint64 edgeClickRecords = countRecords(*m_store, edgeClickFilter);
        QVERIFY(edgeClickRecords > 0);
        m_session->back();
        QCOMPARE(m_session->filter(), QString());
        WAIT_FOR_GRAPH();
        // ... and the matrix cell click give the same filter and records.
        m_page->setMode(AttachmentsPage::Mode::Matrix);
        MatrixView* matrix = m_page->matrixView();
        QVERIFY(matrix->isVisible());
        QCOMPARE(matrix->model()->rowCount(), 3); // A, B, C enter
        click(matrix, matrix->cellPosition(src, dst));
        QCOMPARE(m_session->filter(), edgeClickFilter);
        QCOMPARE(countRecords(*m_store, m_session->filter()), edgeClickRecords);
    }

    void matrixHeadersAndShiftClick()
    {
        m_page->setMode(AttachmentsPage::Mode::Matrix);
        MatrixView* matrix = m_page->matrixView();
        click(matrix, matrix->rowHeaderPosition(A));
        QCOMPARE(m_session->filter(), nodeFilter(core::EdgeDimension::Attachment, A));
        QCOMPARE(countRecords(*m_store, m_session->filter()), qint64(8)); // as the node click
        // The matrix keeps its context; Shift adds a cell, Ctrl a column header.
        click(matrix, matrix->cellPosition(B, A), Qt::ShiftModifier);
        QCOMPARE(m_session->filter(), selectionFilter({}, {nodeFilter(core::EdgeDimension::Attachment, A),
                                                           edgeFilter(core::EdgeDimension::Attachment, B, A)}));
        click(matrix, matrix->columnHeaderPosition(C), Qt::ControlModifier);
        QVERIFY(m_session->filter().contains(nodeFilter(core::EdgeDimension::Attachment, C)));
        // CSV of the matrix in front.
        m_page->copyEdgesCsv();
        QVERIFY(QApplication::clipboard()->text().startsWith(QStringLiteral("entry \\ exit,")));
    }

    void findHighlightsInBothViews()
    {
        QCOMPARE(m_page->find(QStringLiteral("0BBB")), 1);
        QCOMPARE(m_page->view()->found(), QSet<QString>{B});
        QVERIFY(m_page->statusText().contains(QStringLiteral("1 match")));
        m_page->setNodeLabels({{C, QStringLiteral("prod-db")}});
        QCOMPARE(m_page->find(QStringLiteral("prod")), 1);
        QCOMPARE(m_page->view()->found(), QSet<QString>{C});
        QCOMPARE(m_page->find(QString()), 0);
        QVERIFY(m_page->view()->found().isEmpty());
    }

    // Issue 12 item 13: after Back the footer no longer claims a selection.
    void footerAfterBack()
    {
        click(m_page->view(), m_page->view()->edgePosition(A, B));
        QVERIFY(m_page->statusText().contains(QStringLiteral("selection highlighted")));
        m_session->back();
        QVERIFY(!m_page->statusText().contains(QStringLiteral("selection highlighted")));
    }

    // Issue 12 item 21: the selected node's bold label takes its own room.
    void selectedLabelDoesNotOverlap()
    {
        for (const QString& id : {A, B, C}) {
            click(m_page->view(), m_page->view()->nodePosition(id));
            QCOMPARE(overlaps(m_page->view()->labelPlacement()), 0);
            QVERIFY(!m_page->view()->labelPlacement().rects[static_cast<size_t>(m_page->view()->graph().findNode(id))].isNull());
        }
    }

    // Issue 18: a 70 % drop edge is painted visibly redder than a 0.1 % one.
    void dropColourAsPainted()
    {
        std::vector<core::Edge> edges(2);
        edges[0].src = QStringLiteral("a");
        edges[0].dst = QStringLiteral("b");
        edges[1].src = QStringLiteral("b");
        edges[1].dst = QStringLiteral("a");
        for (auto& e : edges) {
            e.packets = 100000;
            e.bytes = 10000000;
            e.flows = 10;
        }
        edges[0].lost[core::LostNoRoute] = 70000; // 70 %
        edges[1].lost[core::LostNoRoute] = 100;   // 0.1 %
        GraphView view;
        view.resize(800, 500);
        Graph g = buildGraph(edges, core::EdgeDimension::Attachment, EdgeWeight::Bytes, 50);
        layoutGraph(g, view.aspect());
        view.setGraph(std::move(g), true);
        const QImage image = view.grab().toImage();
        auto sample = [&](const QString& src, const QString& dst) {
            const Graph& graph = view.graph();
            const auto geo = edgeGeometry(graph, graph.findEdge(src, dst));
            // A quarter along the curve: clear of the label in the middle.
            const QPoint p = view.mapFromScene(bezierPoint(geo, 0.2)).toPoint();
            return image.pixelColor(p);
        };
        const QColor bad = sample(QStringLiteral("a"), QStringLiteral("b"));
        const QColor mild = sample(QStringLiteral("b"), QStringLiteral("a"));
        qInfo("70 %% edge painted %s, 0.1 %% edge %s", qPrintable(bad.name()), qPrintable(mild.name()));
        QVERIFY2(redness(bad) - redness(mild) > 0.25,
                 qPrintable(QStringLiteral("%1 vs %2").arg(redness(bad)).arg(redness(mild))));
        // The style's scale itself: no drops = plain, a trace = faint, 70 % = strong.
        const GraphStyle style = GraphStyle::fromPalette(view.palette());
        QVERIFY(redness(style.edgeColor(dropSeverity(7, 10))) > redness(style.edgeColor(dropSeverity(1, 1000))) + 0.3);
        QVERIFY(redness(style.edgeColor(dropSeverity(1, 1000))) > redness(style.edgeColor(0)));
    }

    // Issue 18 at 100 attachments with real fonts: shown labels never overlap, Fit fits them.
    void estateLabelsWithRealFonts_data()
    {
        QTest::addColumn<int>("attachments");
        QTest::newRow("25") << 25;
        QTest::newRow("100") << 100;
    }
    void estateLabelsWithRealFonts()
    {
        QFETCH(int, attachments);
        const auto est = estate::make(attachments);
        GraphView view;
        view.resize(1400, 800);
        view.setLabels(est.labels);
        GraphOptions options;
        options.topN = 500;
        options.kinds = est.kinds;
        Graph g = buildGraph(est.edges, core::EdgeDimension::Attachment, options);
        layoutGraph(g, view.aspect());
        view.setGraph(std::move(g), true);
        const auto placed = view.labelPlacement();
        QCOMPARE(overlaps(placed), 0);
        for (const QRectF& r : placed.rects)
            if (!r.isNull()) QVERIFY(QRectF(view.rect()).contains(r));
        if (attachments == 25) QCOMPARE(placed.shownCount(), static_cast<int>(view.graph().nodes.size()));
        // Zooming in makes room: more labels shown, none overlapping.
        const double before = view.zoom();
        QWheelEvent wheel(QPointF(700, 400), view.mapToGlobal(QPointF(700, 400)), QPoint(), QPoint(0, 360), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(&view, &wheel);
        QVERIFY(view.zoom() > before);
        QCOMPARE(overlaps(view.labelPlacement()), 0);
        view.fitToView();
        QCOMPARE(view.zoom(), before);
    }

    void worstButtonAndHiddenList()
    {
        m_page->showWorst(2);
        QCOMPARE(m_page->rank(), EdgeRank::Dropped);
        const Graph& g = m_page->view()->graph();
        QCOMPARE(static_cast<int>(g.edges.size()), 2);
        // The two most dropped: A->B (7 MTU) and A->- (5 no route).
        QVERIFY(g.findEdge(A, B) >= 0);
        QVERIFY(g.findEdge(A, QStringLiteral("-")) >= 0);
        // C->- (4 blackhole) is hidden and listed by name.
        const QStringList lines = m_page->hiddenDropLines();
        QCOMPARE(lines.size(), 1);
        QVERIFY(lines[0].contains(C) && lines[0].contains(QStringLiteral("no exit"))
                && lines[0].contains(QStringLiteral("4 dropped")));
    }

    void groupsCollapseAndExpand()
    {
        // Without names the attachments form one group; collapsing it leaves the group node
        // and the sink; clicking the group node expands it again.
        m_page->setGroupCollapsed(QStringLiteral("attachments"), true);
        const Graph& g = m_page->view()->graph();
        QCOMPARE(static_cast<int>(g.nodes.size()), 2);
        const QString group = QStringLiteral("group:attachments");
        QVERIFY(g.findNode(group) >= 0);
        click(m_page->view(), m_page->view()->nodePosition(group));
        QCOMPARE(m_session->filter(), QString()); // expanding does not filter
        QCOMPARE(static_cast<int>(m_page->view()->graph().nodes.size()), 4);
    }

    void matrixExports()
    {
        m_page->setMode(AttachmentsPage::Mode::Matrix);
        QTemporaryDir dir;
        QString error;
        QVERIFY2(m_page->exportPng(dir.filePath(QStringLiteral("m.png")), &error), qPrintable(error));
        QVERIFY(!QImage(dir.filePath(QStringLiteral("m.png"))).isNull());
        QVERIFY2(m_page->exportSvg(dir.filePath(QStringLiteral("m.svg")), &error), qPrintable(error));
        QFile svg(dir.filePath(QStringLiteral("m.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("<svg"));
    }
};

QTEST_MAIN(TestAttachmentsScale)
#include "tst_attachmentsscale.moc"
