// The attachment graph at estate scale (25, 100, 500 attachments): the grouped ring layout and
// label placement (no overlap, the pane used, hidden labels reachable), drop severity, the
// "worst N" rankings and the hidden drops list, collapsed groups, and the matrix model.
#include "estate.h"
#include "ui/logic/graphlabels.h"
#include "ui/logic/graphlayout.h"
#include "ui/logic/graphmatrix.h"

#include <QAbstractItemModelTester>
#include <QtTest>
#include <algorithm>
#include <cmath>

using namespace ui;
using core::Edge;
using core::EdgeDimension;

namespace {

/// Label sizes as a 9 pt UI font measures them, roughly: 7 px a character, 16 px a line.
std::vector<NodeLabelSize> approximateSizes(const Graph& g, const QHash<QString, QString>& labels)
{
    std::vector<NodeLabelSize> sizes;
    for (const auto& n : g.nodes) {
        const QString name = labels.value(n.id, n.id);
        const QString sub = formatWeight(n.traffic, g.weight);
        const double w1 = 7.0 * static_cast<double>(name.size()) + 8, w2 = 6.0 * static_cast<double>(sub.size()) + 8;
        sizes.push_back({QSizeF(std::max(w1, w2), 30), QSizeF(w1, 16)});
    }
    return sizes;
}

bool discMeetsRect(QPointF c, double r, const QRectF& rect)
{
    const double x = std::clamp(c.x(), rect.left(), rect.right());
    const double y = std::clamp(c.y(), rect.top(), rect.bottom());
    return std::hypot(c.x() - x, c.y() - y) < r;
}

Edge edge(const QString& src, const QString& dst, qint64 packets, qint64 dropped)
{
    Edge e;
    e.src = src;
    e.dst = dst;
    e.packets = packets;
    e.bytes = packets * 100;
    e.flows = 1;
    e.lost[core::LostMtuExceeded] = dropped;
    return e;
}

} // namespace

class TestGraphScale : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void layoutQuality_data()
    {
        QTest::addColumn<int>("attachments");
        QTest::addColumn<QSizeF>("pane");
        QTest::addColumn<double>("minShare");
        QTest::newRow("25 at 1920x1000") << 25 << QSizeF(1900, 900) << 0.55;
        QTest::newRow("25 at 1366x600") << 25 << QSizeF(1340, 560) << 0.55;
        QTest::newRow("100 at 1920x1000") << 100 << QSizeF(1900, 900) << 0.55;
        QTest::newRow("500 at 1920x1000") << 500 << QSizeF(1900, 900) << 0.55;
    }
    // Issue 18: at the default zoom (Fit) no shown label overlaps another or a node, the drawing
    // fills the pane, and every hidden label is shown on hover.
    void layoutQuality()
    {
        QFETCH(int, attachments);
        QFETCH(QSizeF, pane);
        QFETCH(double, minShare);
        const auto est = estate::make(attachments);
        GraphOptions options;
        options.topN = 500;
        options.kinds = est.kinds;
        Graph g = buildGraph(est.edges, EdgeDimension::Attachment, options);
        // Top 500 edges: at 500 attachments a few light spokes are left out.
        QVERIFY2(static_cast<int>(g.nodes.size()) >= attachments * 6 / 10, qPrintable(QString::number(g.nodes.size())));
        const QRectF area(QPointF(0, 0), pane);
        layoutGraph(g, area.width() / area.height());
        const auto sizes = approximateSizes(g, est.labels);
        const Viewport view = fitGraph(g, area, sizes);
        const NodeLabelPlacement placed = placeNodeLabels(g, view, sizes, area, {});

        // Node discs do not overlap each other.
        std::vector<QPointF> c;
        std::vector<double> r;
        for (const auto& n : g.nodes) {
            c.push_back(view.map(n.pos));
            r.push_back(deviceRadius(n, view.scale));
        }
        int discOverlaps = 0;
        for (size_t i = 0; i < c.size(); ++i)
            for (size_t j = i + 1; j < c.size(); ++j)
                if (std::hypot(c[i].x() - c[j].x(), c[i].y() - c[j].y()) < r[i] + r[j]) ++discOverlaps;
        QCOMPARE(discOverlaps, 0);

        int labelOverlaps = 0, onNodes = 0, outside = 0;
        for (size_t i = 0; i < placed.rects.size(); ++i) {
            const QRectF& a = placed.rects[i];
            if (a.isNull()) continue;
            if (!area.contains(a)) ++outside;
            for (size_t j = i + 1; j < placed.rects.size(); ++j)
                if (!placed.rects[j].isNull() && a.intersects(placed.rects[j])) ++labelOverlaps;
            for (size_t k = 0; k < c.size(); ++k)
                if (discMeetsRect(c[k], r[k], a)) ++onNodes;
        }
        QCOMPARE(labelOverlaps, 0);
        QCOMPARE(onNodes, 0);
        QCOMPARE(outside, 0);

        const QRectF drawn = drawnBounds(g, view, placed);
        const double share = drawn.width() * drawn.height() / (area.width() * area.height());
        const int shown = placed.shownCount();
        qInfo("%d attachments in %gx%g: %d of %zu labels shown, drawing fills %.0f %% of the pane (%.0f x %.0f), scale %.2f",
              attachments, pane.width(), pane.height(), shown, g.nodes.size(), share * 100, drawn.width(), drawn.height(),
              view.scale);
        QVERIFY2(share >= minShare, qPrintable(QString::number(share)));
        QVERIFY(area.adjusted(-1, -1, 1, 1).contains(drawn));
        // The hubs' labels are shown; a small estate shows them all.
        if (attachments <= 25) QCOMPARE(shown, static_cast<int>(g.nodes.size()));
        else QVERIFY2(shown >= 40, qPrintable(QString::number(shown)));
        for (int i = 0; i < 3; ++i) {
            const auto& n = g.nodes[static_cast<size_t>(i)];
            QVERIFY2(!placed.rects[static_cast<size_t>(i)].isNull(), qPrintable(QStringLiteral("%1 (%2) at %3,%4 r %5")
                                                                                    .arg(n.id, n.group)
                                                                                    .arg(view.map(n.pos).x())
                                                                                    .arg(view.map(n.pos).y())
                                                                                    .arg(deviceRadius(n, view.scale))));
        }

        // Every hidden label is reachable: hovering its node shows it.
        for (size_t i = 0; i < g.nodes.size(); ++i) {
            if (!placed.rects[i].isNull()) continue;
            std::vector<char> forced(g.nodes.size(), 0);
            forced[i] = 1;
            const auto hovered = placeNodeLabels(g, view, sizes, area, forced);
            QVERIFY2(!hovered.rects[i].isNull(), qPrintable(g.nodes[i].id));
        }
    }

    void ringLayoutKeepsGroupsTogether()
    {
        const auto est = estate::make(100);
        GraphOptions options;
        options.topN = 500;
        options.kinds = est.kinds;
        Graph g = buildGraph(est.edges, EdgeDimension::Attachment, options);
        layoutGraph(g, 1.8);
        Graph again = buildGraph(est.edges, EdgeDimension::Attachment, options);
        layoutGraph(again, 1.8);
        for (size_t i = 0; i < g.nodes.size(); ++i) QCOMPARE(g.nodes[i].pos, again.nodes[i].pos); // deterministic
        // Walking around the ring by angle, each group is met in one run.
        std::vector<size_t> order(g.nodes.size());
        std::iota(order.begin(), order.end(), size_t(0));
        auto angle = [&](size_t i) {
            const QPointF p = g.nodes[i].pos;
            return std::fmod(std::atan2(p.x(), -p.y()) + 2 * M_PI, 2 * M_PI); // 0 at the top, clockwise
        };
        std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return angle(a) < angle(b); });
        QStringList runs;
        for (size_t i : order)
            if (runs.isEmpty() || runs.back() != g.nodes[i].group) runs << g.nodes[i].group;
        QStringList distinct = runs;
        distinct.removeDuplicates();
        QCOMPARE(runs.size(), distinct.size());
        QVERIFY(distinct.contains(QStringLiteral("VPN")));
        // The ellipse takes the pane's shape.
        const QRectF b = graphBounds(g);
        QVERIFY2(b.width() / b.height() > 1.5, qPrintable(QString::number(b.width() / b.height())));
    }

    void dropSeverity_data()
    {
        QTest::addColumn<qint64>("packets");
        QTest::addColumn<qint64>("dropped");
        QTest::addColumn<double>("min");
        QTest::addColumn<double>("max");
        QTest::newRow("none") << qint64(1000) << qint64(0) << 0.0 << 0.0;
        QTest::newRow("0.1 %") << qint64(10000) << qint64(10) << 0.05 << 0.16;
        QTest::newRow("1 %") << qint64(10000) << qint64(100) << 0.12 << 0.2;
        QTest::newRow("10 %") << qint64(10000) << qint64(1000) << 0.35 << 0.45;
        QTest::newRow("70 %") << qint64(10000) << qint64(7000) << 0.85 << 0.9;
        QTest::newRow("all") << qint64(5) << qint64(5) << 1.0 << 1.0;
        QTest::newRow("0.1 % of a billion: count lifts it") << qint64(1000000000) << qint64(1000000) << 0.5 << 0.55;
        QTest::newRow("drops without packets") << qint64(0) << qint64(3) << 1.0 << 1.0;
    }
    void dropSeverity()
    {
        QFETCH(qint64, packets);
        QFETCH(qint64, dropped);
        QFETCH(double, min);
        QFETCH(double, max);
        const double s = ui::dropSeverity(dropped, packets);
        QVERIFY2(s >= min - 1e-9 && s <= max + 1e-9, qPrintable(QString::number(s)));
    }

    void severityOrdersEdges()
    {
        // An edge losing 70 % is far from one losing 0.1 % (the colour scale's whole range).
        QVERIFY(ui::dropSeverity(7000, 10000) - ui::dropSeverity(10, 10000) > 0.7);
        double last = 0;
        for (qint64 d = 1; d <= 10000; d *= 2) {
            const double s = ui::dropSeverity(d, 10000);
            QVERIFY(s > last);
            last = s;
        }
        const auto ticks = severityTicks();
        QCOMPARE(ticks.size(), size_t(4));
        QCOMPARE(ticks.back().label, QStringLiteral("70 %"));
    }

    void formatShare_data()
    {
        QTest::addColumn<double>("share");
        QTest::addColumn<QString>("expected");
        QTest::newRow("zero") << 0.0 << "0 %";
        QTest::newRow("70") << 0.7 << "70 %";
        QTest::newRow("4.2") << 0.042 << "4.2 %";
        QTest::newRow("0.1") << 0.001 << "0.1 %";
        QTest::newRow("0.004") << 0.00004 << "0.004 %";
        QTest::newRow("all") << 1.0 << "100 %";
    }
    void formatShare()
    {
        QFETCH(double, share);
        QFETCH(QString, expected);
        QCOMPARE(ui::formatShare(share), expected);
    }

    void worstRanking_data()
    {
        QTest::addColumn<int>("rank");
        QTest::newRow("dropped packets") << static_cast<int>(EdgeRank::Dropped);
        QTest::newRow("drop share") << static_cast<int>(EdgeRank::DropShare);
    }
    // "Show me the 20 worst edges": the ranking picks exactly the 20 an independent sort picks.
    void worstRanking()
    {
        QFETCH(int, rank);
        const auto r = static_cast<EdgeRank>(rank);
        const auto est = estate::make(100);
        const auto top = selectEdges(est.edges, 20, EdgeWeight::Bytes, r);
        QCOMPARE(top.shown.size(), size_t(20));
        // Oracle: the key of every edge, the 20th largest as the bar.
        std::vector<double> keys;
        auto key = [r](const Edge& e) {
            return r == EdgeRank::Dropped ? static_cast<double>(e.dropped())
                                          : static_cast<double>(e.dropped()) / static_cast<double>(e.packets);
        };
        for (const auto& e : est.edges)
            if (e.dropped() > 0) keys.push_back(key(e));
        std::sort(keys.begin(), keys.end(), std::greater<>());
        const double bar = keys[19];
        double last = 1e300;
        for (int i : top.shown) {
            const double k = key(est.edges[static_cast<size_t>(i)]);
            QVERIFY2(k >= bar - 1e-12, qPrintable(QStringLiteral("%1 < %2").arg(k).arg(bar)));
            QVERIFY(k <= last + 1e-12); // worst first
            last = k;
        }
        if (r == EdgeRank::DropShare) {
            // Edges to "no exit" lose everything (100 %); the two 70 % pairs come right after.
            int seventy = 0;
            for (int i : top.shown) {
                const Edge& e = est.edges[static_cast<size_t>(i)];
                QVERIFY(e.dst == QLatin1String("-") || dropShare(e) < 0.71);
                if (std::abs(dropShare(e) - 0.7) < 0.01) ++seventy;
            }
            QCOMPARE(seventy, 2);
        }
        QCOMPARE(top.hiddenCount, static_cast<int>(est.edges.size()) - 20);
        QVERIFY(hiddenSummary(top, EdgeWeight::Bytes).startsWith(QStringLiteral("+ ")));
    }

    void hiddenDropsAreListed()
    {
        const auto est = estate::make(100);
        const auto top = selectEdges(est.edges, 30, EdgeWeight::Bytes, EdgeRank::Traffic);
        std::vector<char> shown(est.edges.size(), 0);
        for (int i : top.shown) shown[static_cast<size_t>(i)] = 1;
        qint64 sum = 0;
        int count = 0;
        for (size_t i = 0; i < est.edges.size(); ++i)
            if (!shown[i] && est.edges[i].dropped() > 0) {
                ++count;
                sum += est.edges[i].dropped();
            }
        QCOMPARE(static_cast<int>(top.hiddenDrops.size()), count);
        qint64 listed = 0;
        qint64 last = std::numeric_limits<qint64>::max();
        for (int i : top.hiddenDrops) {
            const qint64 d = est.edges[static_cast<size_t>(i)].dropped();
            QVERIFY(!shown[static_cast<size_t>(i)]);
            QVERIFY(d <= last);
            last = d;
            listed += d;
        }
        QCOMPARE(listed, sum);
        QCOMPARE(top.hiddenDropped, sum);
    }

    void collapsedGroupsSumTheirEdges()
    {
        std::vector<Edge> edges{edge("a", "b", 100, 1), edge("a", "c", 50, 0), edge("b", "c", 10, 5), edge("c", "a", 7, 0)};
        GraphOptions options;
        options.kinds = {{"a", NodeKind::Vpn}, {"b", NodeKind::Vpc}, {"c", NodeKind::Vpc}};
        options.collapsed = {QStringLiteral("VPC")};
        const Graph g = buildGraph(edges, EdgeDimension::Attachment, options);
        QCOMPARE(static_cast<int>(g.nodes.size()), 2);
        const int group = g.findNode(QStringLiteral("group:VPC"));
        QVERIFY(group >= 0);
        QCOMPARE(g.nodes[static_cast<size_t>(group)].kind, NodeKind::Group);
        QCOMPARE(g.nodes[static_cast<size_t>(group)].members, 2);
        const int out = g.findEdge(QStringLiteral("a"), QStringLiteral("group:VPC"));
        QVERIFY(out >= 0);
        const auto& merged = g.data[static_cast<size_t>(g.edges[static_cast<size_t>(out)].data)];
        QCOMPARE(merged.packets, qint64(150));
        QCOMPARE(merged.dropped(), qint64(1));
        QVERIFY(g.findEdge(QStringLiteral("group:VPC"), QStringLiteral("group:VPC")) >= 0); // b->c inside
        // Explicit groups (accounts, route tables) win over kinds.
        options.collapsed.clear();
        options.groups = {{"b", "account 1"}, {"c", "account 1"}};
        const Graph byAccount = buildGraph(edges, EdgeDimension::Attachment, options);
        QCOMPARE(byAccount.nodes[static_cast<size_t>(byAccount.findNode("b"))].group, QStringLiteral("account 1"));
        QCOMPARE(byAccount.nodes[static_cast<size_t>(byAccount.findNode("a"))].group, QStringLiteral("VPN"));
    }

    void matrixOrders_data()
    {
        QTest::addColumn<int>("order");
        QTest::newRow("total") << static_cast<int>(MatrixOrder::Total);
        QTest::newRow("name") << static_cast<int>(MatrixOrder::Name);
        QTest::newRow("cluster") << static_cast<int>(MatrixOrder::Cluster);
    }
    void matrixOrders()
    {
        QFETCH(int, order);
        const auto est = estate::make(60);
        const TrafficMatrix mx = buildMatrix(est.edges, MatrixMeasure::Bytes, static_cast<MatrixOrder>(order), est.labels);
        // Every edge in exactly one cell, every cell's edge is its pair.
        int filled = 0;
        for (int r = 0; r < mx.rowCount(); ++r)
            for (int c = 0; c < mx.colCount(); ++c)
                if (const Edge* e = mx.edge(r, c)) {
                    ++filled;
                    QCOMPARE(e->src, mx.rows[r]);
                    QCOMPARE(e->dst, mx.cols[c]);
                }
        QCOMPARE(filled, static_cast<int>(est.edges.size()));
        QStringList rows = mx.rows;
        rows.removeDuplicates();
        QCOMPARE(rows.size(), mx.rows.size());
        if (static_cast<MatrixOrder>(order) == MatrixOrder::Total)
            for (size_t i = 1; i < mx.rowTotal.size(); ++i) QVERIFY(mx.rowTotal[i - 1] >= mx.rowTotal[i]);
        if (static_cast<MatrixOrder>(order) == MatrixOrder::Name)
            for (int i = 1; i < mx.rowCount(); ++i)
                QVERIFY(est.labels.value(mx.rows[i - 1]).compare(est.labels.value(mx.rows[i]), Qt::CaseInsensitive) <= 0);
        double maxValue = 0;
        for (const auto& e : est.edges) maxValue = std::max(maxValue, static_cast<double>(e.bytes));
        QCOMPARE(mx.maxValue, maxValue);
    }

    void clusterOrderGroupsSimilarRows()
    {
        // Rows 0 and 2 are alike, 1 and 3 are alike: the chain keeps each pair together.
        const std::vector<float> f{5, 5, 0, 0, /**/ 0, 0, 4, 4, /**/ 5, 4, 0, 0, /**/ 0, 1, 4, 5};
        const auto order = clusterOrder(f, 4, 4);
        QCOMPARE(order.size(), size_t(4));
        auto pos = [&](int i) { return std::find(order.begin(), order.end(), i) - order.begin(); };
        QCOMPARE(std::abs(pos(0) - pos(2)), std::ptrdiff_t(1));
        QCOMPARE(std::abs(pos(1) - pos(3)), std::ptrdiff_t(1));
    }

    void matrixIntensityIsLogScaled()
    {
        QCOMPARE(matrixIntensity(0, 1000, MatrixMeasure::Bytes), 0.0);
        QCOMPARE(matrixIntensity(1000, 1000, MatrixMeasure::Bytes), 1.0);
        // 10x apart stays distinguishable at both ends of a 1e9 range.
        QVERIFY(matrixIntensity(100, 1e9, MatrixMeasure::Bytes) - matrixIntensity(10, 1e9, MatrixMeasure::Bytes) > 0.09);
        QVERIFY(matrixIntensity(1e9, 1e9, MatrixMeasure::Bytes) - matrixIntensity(1e8, 1e9, MatrixMeasure::Bytes) > 0.09);
        QVERIFY(matrixIntensity(0.7, 1, MatrixMeasure::DropShare) - matrixIntensity(0.001, 1, MatrixMeasure::DropShare) > 0.7);
    }

    void matrixModel()
    {
        const auto est = estate::make(30);
        MatrixModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setMatrix(buildMatrix(est.edges, MatrixMeasure::Dropped, MatrixOrder::Total));
        model.setLabels(est.labels);
        QVERIFY(model.rowCount() > 0);
        QCOMPARE(model.headerData(0, Qt::Vertical, MatrixModel::IdRole).toString(), model.matrix().rows[0]);
        QCOMPARE(model.headerData(0, Qt::Vertical).toString(), est.labels.value(model.matrix().rows[0]));
        // The worst pair's cell: raw value, text and tooltip.
        const auto r = model.matrix().rows.indexOf(est.worstSrc), c = model.matrix().cols.indexOf(est.worstDst);
        QVERIFY(r >= 0 && c >= 0);
        const QModelIndex cell = model.index(static_cast<int>(r), static_cast<int>(c));
        const Edge* e = model.matrix().edge(static_cast<int>(r), static_cast<int>(c));
        QCOMPARE(model.data(cell, MatrixModel::RawValueRole).toDouble(), static_cast<double>(e->dropped()));
        QCOMPARE(model.data(cell).toString(), formatInteger(e->dropped()));
        QVERIFY(model.data(cell, Qt::ToolTipRole).toString().contains(QStringLiteral("70 %")));
        model.setMatrix(buildMatrix({}, MatrixMeasure::Bytes, MatrixOrder::Total));
        QCOMPARE(model.rowCount(), 0);
    }

    void matrixCsv()
    {
        std::vector<Edge> edges{edge("a", "b", 100, 1), edge("b", "a", 50, 0), edge("a", "-", 3, 3)};
        MatrixModel model;
        model.setMatrix(buildMatrix(edges, MatrixMeasure::Packets, MatrixOrder::Name));
        QCOMPARE(QString::fromUtf8(model.toCsv()), QStringLiteral("entry \\ exit,-,a,b\r\na,3,,100\r\nb,,50,\r\n"));
    }
};

QTEST_GUILESS_MAIN(TestGraphScale)
#include "tst_graphscale.moc"
