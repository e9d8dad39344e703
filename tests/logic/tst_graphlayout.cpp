// The attachment graph's math: top-N selection, sizes, layouts, edge curves, hit-testing,
// and the filter text a click produces.
// Over 500 lines on purpose: one unit (graphlayout.h); the length is geometry rows.
#include "core/query/filter.h"
#include "ui/logic/graphfilter.h"
#include "ui/logic/graphlayout.h"

#include <QtTest>
#include <cmath>

using namespace ui;
using core::Edge;
using core::EdgeDimension;

Q_DECLARE_METATYPE(std::vector<int>)

namespace {

Edge edge(const QString& src, const QString& dst, qint64 bytes, qint64 packets = 1, qint64 flows = 1,
          std::array<qint64, 4> lost = {})
{
    Edge e;
    e.src = src;
    e.dst = dst;
    e.bytes = bytes;
    e.packets = packets;
    e.flows = flows;
    e.lost = lost;
    return e;
}

bool finite(QPointF p)
{
    return std::isfinite(p.x()) && std::isfinite(p.y());
}

double dist(QPointF a, QPointF b)
{
    return std::hypot(a.x() - b.x(), a.y() - b.y());
}

/// Two nodes left/right, edges A->B, B->A, A->-(drops) and a self loop on B.
Graph twoNodeGraph()
{
    std::vector<Edge> edges{edge("A", "B", 1000000), edge("B", "A", 5000), edge("A", "-", 300, 5, 1, {5, 0, 0, 0}),
                            edge("B", "B", 200)};
    Graph g = buildGraph(edges, EdgeDimension::Attachment, EdgeWeight::Bytes, 50);
    layoutGraph(g);
    return g;
}

} // namespace

class TestGraphLayout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void formatBytes_data()
    {
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<QString>("expected");
        QTest::newRow("zero") << qint64(0) << "0 B";
        QTest::newRow("bytes") << qint64(999) << "999 B";
        QTest::newRow("kilo") << qint64(1000) << "1.0 kB";
        QTest::newRow("kilo 1.5") << qint64(1500) << "1.5 kB";
        QTest::newRow("hundreds of MB") << qint64(345678901) << "346 MB";
        QTest::newRow("round up to next unit") << qint64(999960) << "1.0 MB";
        QTest::newRow("giga") << qint64(1234567890) << "1.2 GB";
        QTest::newRow("tera") << qint64(5000000000000) << "5.0 TB";
        QTest::newRow("negative") << qint64(-1500) << "-1.5 kB";
    }
    void formatBytes()
    {
        QFETCH(qint64, bytes);
        QFETCH(QString, expected);
        QCOMPARE(ui::formatBytes(bytes), expected);
    }

    void formatCount_data()
    {
        QTest::addColumn<qint64>("count");
        QTest::addColumn<QString>("expected");
        QTest::newRow("small") << qint64(812) << "812";
        QTest::newRow("grouped") << qint64(4812) << "4,812";
        QTest::newRow("kilo") << qint64(48120) << "48.1 k";
        QTest::newRow("mega") << qint64(1200000) << "1.2 M";
    }
    void formatCount()
    {
        QFETCH(qint64, count);
        QFETCH(QString, expected);
        QCOMPARE(ui::formatCount(count), expected);
    }

    void selectTopEdges_data()
    {
        QTest::addColumn<QList<qint64>>("weights");
        QTest::addColumn<QList<qint64>>("drops");
        QTest::addColumn<int>("n");
        QTest::addColumn<bool>("keepDrops");
        QTest::addColumn<std::vector<int>>("shown");
        QTest::addColumn<int>("hiddenCount");
        QTest::addColumn<qint64>("hiddenWeight");
        QTest::addColumn<qint64>("hiddenDropped");

        QTest::newRow("all fit") << QList<qint64>{5, 10, 1} << QList<qint64>{0, 0, 0} << 5 << true << std::vector<int>{1, 0, 2}
                                 << 0 << qint64(0) << qint64(0);
        QTest::newRow("cut to two") << QList<qint64>{5, 10, 1, 7} << QList<qint64>{0, 0, 0, 0} << 2 << true
                                    << std::vector<int>{1, 3} << 2 << qint64(6) << qint64(0);
        QTest::newRow("ties keep input order") << QList<qint64>{3, 3, 3} << QList<qint64>{0, 0, 0} << 2 << true
                                               << std::vector<int>{0, 1} << 1 << qint64(3) << qint64(0);
        QTest::newRow("small edge with drops kept") << QList<qint64>{100, 50, 1} << QList<qint64>{0, 0, 9} << 1 << true
                                                    << std::vector<int>{0, 2} << 1 << qint64(50) << qint64(0);
        QTest::newRow("drops not kept when asked") << QList<qint64>{100, 50, 1} << QList<qint64>{0, 0, 9} << 1 << false
                                                   << std::vector<int>{0} << 2 << qint64(51) << qint64(9);
        QTest::newRow("kept drops capped at n/2") << QList<qint64>{100, 90, 2, 1, 3, 4} << QList<qint64>{0, 0, 1, 8, 2, 0} << 2
                                                  << true << std::vector<int>{0, 1, 3} << 3 << qint64(9) << qint64(3);
        QTest::newRow("at least one drop kept") << QList<qint64>{100, 2, 1, 3} << QList<qint64>{0, 1, 8, 2} << 1 << true
                                                << std::vector<int>{0, 2} << 2 << qint64(5) << qint64(3);
        QTest::newRow("n zero shows nothing")
            << QList<qint64>{5, 10} << QList<qint64>{0, 4} << 0 << true << std::vector<int>{} << 2 << qint64(15) << qint64(4);
        QTest::newRow("negative n") << QList<qint64>{5} << QList<qint64>{0} << -3 << true << std::vector<int>{} << 1 << qint64(5)
                                    << qint64(0);
        QTest::newRow("empty input") << QList<qint64>{} << QList<qint64>{} << 10 << true << std::vector<int>{} << 0 << qint64(0)
                                     << qint64(0);
    }
    void selectTopEdges()
    {
        QFETCH(QList<qint64>, weights);
        QFETCH(QList<qint64>, drops);
        QFETCH(int, n);
        QFETCH(bool, keepDrops);
        QFETCH(std::vector<int>, shown);
        QFETCH(int, hiddenCount);
        QFETCH(qint64, hiddenWeight);
        QFETCH(qint64, hiddenDropped);
        std::vector<Edge> edges;
        for (qsizetype i = 0; i < weights.size(); ++i)
            edges.push_back(edge(QString::number(i), QStringLiteral("x"), weights[i], 1, 1, {drops[i], 0, 0, 0}));
        const TopEdges top = ui::selectTopEdges(edges, n, EdgeWeight::Bytes, keepDrops);
        QCOMPARE(top.shown, shown);
        QCOMPARE(top.hiddenCount, hiddenCount);
        QCOMPARE(top.hiddenWeight, hiddenWeight);
        QCOMPARE(top.hiddenDropped, hiddenDropped);
    }

    void selectTopEdgesByWeightKind()
    {
        std::vector<Edge> edges{edge("a", "b", 100, 1, 9), edge("b", "a", 10, 50, 1)};
        QCOMPARE(ui::selectTopEdges(edges, 1, EdgeWeight::Bytes).shown, std::vector<int>{0});
        QCOMPARE(ui::selectTopEdges(edges, 1, EdgeWeight::Packets).shown, std::vector<int>{1});
        QCOMPARE(ui::selectTopEdges(edges, 1, EdgeWeight::Flows).shown, std::vector<int>{0});
    }

    void hiddenSummary_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<qint64>("weight");
        QTest::addColumn<qint64>("dropped");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("nothing hidden") << 0 << qint64(0) << qint64(0) << 0 << QString();
        QTest::newRow("bytes") << 4812 << qint64(1234567890) << qint64(0) << 0 << "+ 4,812 smaller edges (1.2 GB)";
        QTest::newRow("one") << 1 << qint64(10) << qint64(0) << 0 << "+ 1 smaller edge (10 B)";
        QTest::newRow("packets with drops") << 3 << qint64(48120) << qint64(7) << 1
                                            << "+ 3 smaller edges (48.1 k packets, 7 dropped packets)";
        QTest::newRow("flows") << 2 << qint64(2) << qint64(0) << 2 << "+ 2 smaller edges (2 flows)";
    }
    void hiddenSummary()
    {
        QFETCH(int, count);
        QFETCH(qint64, weight);
        QFETCH(qint64, dropped);
        QFETCH(int, kind);
        QFETCH(QString, expected);
        TopEdges top;
        top.hiddenCount = count;
        top.hiddenWeight = weight;
        top.hiddenDropped = dropped;
        QCOMPARE(ui::hiddenSummary(top, static_cast<EdgeWeight>(kind)), expected);
    }

    void dropSummary_data()
    {
        QTest::addColumn<QList<qint64>>("lost");
        QTest::addColumn<QString>("expected");
        QTest::newRow("none") << QList<qint64>{0, 0, 0, 0} << QString();
        QTest::newRow("mtu") << QList<qint64>{0, 0, 7, 0} << "7 dropped (MTU)";
        QTest::newRow("blackhole") << QList<qint64>{0, 4, 0, 0} << "4 dropped (blackhole)";
        QTest::newRow("two reasons") << QList<qint64>{5, 0, 0, 7} << "12 dropped (5 no route, 7 TTL)";
        QTest::newRow("grouped") << QList<qint64>{12345, 0, 0, 0} << "12,345 dropped (no route)";
    }
    void dropSummary()
    {
        QFETCH(QList<qint64>, lost);
        QFETCH(QString, expected);
        QCOMPARE(ui::dropSummary(edge("a", "b", 1, 1, 1, {lost[0], lost[1], lost[2], lost[3]})), expected);
    }

    void circularOrder_data()
    {
        QTest::addColumn<int>("n");
        QTest::addColumn<QList<QPoint>>("links");
        QTest::addColumn<int>("identityCrossings");
        QTest::addColumn<int>("bestCrossings");
        QTest::newRow("square drawn as a bow tie") << 4 << QList<QPoint>{{0, 2}, {2, 1}, {1, 3}, {3, 0}} << 1 << 0;
        QTest::newRow("both directions count once") << 4 << QList<QPoint>{{0, 2}, {2, 0}, {1, 3}, {3, 1}, {0, 1}} << 1 << 0;
        QTest::newRow("K4 always crosses once") << 4 << QList<QPoint>{{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}} << 1 << 1;
        QTest::newRow("star never crosses") << 6 << QList<QPoint>{{0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}} << 0 << 0;
        QTest::newRow("bad links ignored") << 3 << QList<QPoint>{{0, 0}, {-1, 2}, {1, 9}} << 0 << 0;
        QTest::newRow("hexagon scrambled") << 6 << QList<QPoint>{{0, 3}, {3, 1}, {1, 4}, {4, 2}, {2, 5}, {5, 0}} << 6 << 0;
    }
    void circularOrder()
    {
        QFETCH(int, n);
        QFETCH(QList<QPoint>, links);
        QFETCH(int, identityCrossings);
        QFETCH(int, bestCrossings);
        std::vector<std::pair<int, int>> l;
        for (const QPoint& p : links) l.emplace_back(p.x(), p.y());
        std::vector<int> identity(static_cast<size_t>(n));
        for (int i = 0; i < n; ++i) identity[static_cast<size_t>(i)] = i;
        std::vector<std::pair<int, int>> unique;
        for (auto [a, b] : l)
            if (std::find(unique.begin(), unique.end(), std::make_pair(std::min(a, b), std::max(a, b))) == unique.end())
                unique.emplace_back(std::min(a, b), std::max(a, b));
        QCOMPARE(circularCrossings(identity, unique), identityCrossings);
        const auto slots = ui::circularOrder(n, l);
        QCOMPARE(circularCrossings(slots, unique), bestCrossings);
        QCOMPARE(slots, ui::circularOrder(n, l)); // deterministic
        auto sorted = slots;
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(sorted, identity); // a permutation
    }

    void edgeThickness_data()
    {
        QTest::addColumn<qint64>("value");
        QTest::addColumn<qint64>("maxValue");
        QTest::addColumn<double>("expected");
        QTest::newRow("max") << qint64(1000000) << qint64(1000000) << kMaxThickness;
        QTest::newRow("quarter of max: half width") << qint64(250000) << qint64(1000000) << kMaxThickness / 2;
        QTest::newRow("tiny: floor") << qint64(1) << qint64(1000000) << kMinThickness;
        QTest::newRow("zero") << qint64(0) << qint64(1000000) << kMinThickness;
        QTest::newRow("negative") << qint64(-5) << qint64(1000000) << kMinThickness;
        QTest::newRow("no max") << qint64(42) << qint64(0) << kMinThickness;
        QTest::newRow("above max clamps") << qint64(1000000000) << qint64(1000) << kMaxThickness;
    }
    void edgeThickness()
    {
        QFETCH(qint64, value);
        QFETCH(qint64, maxValue);
        QFETCH(double, expected);
        const double t = ui::edgeThickness(value, maxValue);
        QVERIFY2(std::abs(t - expected) < 1e-9, qPrintable(QString::number(t)));
    }

    // Issue 12 item 3: on a scale anchored at zero nearly equal edges look equal, and 10x apart
    // looks like more (about 3x as wide), not like the extremes of the range.
    void thicknessAnchoredAtZero_data()
    {
        QTest::addColumn<qint64>("a");
        QTest::addColumn<qint64>("b");
        QTest::addColumn<double>("minRatio");
        QTest::addColumn<double>("maxRatio");
        QTest::newRow("40,888 vs 40,785 bytes") << qint64(40888) << qint64(40785) << 1.0 << 1.01;
        QTest::newRow("10x apart") << qint64(1000000) << qint64(100000) << 2.5 << 4.0;
        QTest::newRow("2x apart") << qint64(2000000) << qint64(1000000) << 1.3 << 1.5;
    }
    void thicknessAnchoredAtZero()
    {
        QFETCH(qint64, a);
        QFETCH(qint64, b);
        QFETCH(double, minRatio);
        QFETCH(double, maxRatio);
        // The graph's widths: a and b are its only two edges.
        std::vector<Edge> edges{edge("A", "B", a), edge("B", "A", b)};
        const Graph g = ui::buildGraph(edges, EdgeDimension::Attachment, EdgeWeight::Bytes, 50);
        const double wa = g.edges[static_cast<size_t>(g.findEdge("A", "B"))].thickness;
        const double wb = g.edges[static_cast<size_t>(g.findEdge("B", "A"))].thickness;
        const double ratio = wa / wb;
        QVERIFY2(ratio >= minRatio && ratio <= maxRatio, qPrintable(QStringLiteral("%1 / %2 = %3").arg(wa).arg(wb).arg(ratio)));
    }

    void thicknessIsMonotonic()
    {
        double last = 0;
        for (qint64 v = 1; v < 10000000000LL; v *= 3) {
            const double t = ui::edgeThickness(v, 10000000000LL);
            QVERIFY(t >= last);
            QVERIFY(t >= kMinThickness && t <= kMaxThickness);
            last = t;
        }
        QVERIFY(ui::nodeRadius(100, 1000) < ui::nodeRadius(500, 1000));
        QCOMPARE(ui::nodeRadius(1000, 1000), kMaxRadius);
        QCOMPARE(ui::nodeRadius(0, 1000), kMinRadius);
    }

    void circularLayout_data()
    {
        QTest::addColumn<int>("n");
        QTest::newRow("none") << 0;
        QTest::newRow("one") << 1;
        QTest::newRow("two") << 2;
        QTest::newRow("three") << 3;
        QTest::newRow("eight") << 8;
        QTest::newRow("twelve") << 12;
    }
    void circularLayout()
    {
        QFETCH(int, n);
        const double r = circularRadius(n);
        const auto pos = ui::circularLayout(n, r);
        QCOMPARE(static_cast<int>(pos.size()), n);
        if (n == 1) QCOMPARE(pos[0], QPointF(0, 0));
        if (n < 2) return;
        for (const auto& p : pos) QVERIFY(std::abs(dist(p, {0, 0}) - r) < 1e-6);
        const double side = dist(pos[0], pos[1]);
        for (int i = 0; i < n; ++i)
            QVERIFY(std::abs(dist(pos[static_cast<size_t>(i)], pos[static_cast<size_t>((i + 1) % n)]) - side) < 1e-6);
        if (n == 2) {
            QVERIFY(pos[0].x() < pos[1].x()); // left and right
            QVERIFY(std::abs(pos[0].y()) < 1e-9);
        } else {
            QVERIFY(std::abs(pos[0].x()) < 1e-9); // first at the top
            QVERIFY(pos[0].y() < 0);
        }
        QVERIFY(side >= 150.0); // neighbours keep room for their labels
    }

    void layoutGraphChoosesByCount_data()
    {
        QTest::addColumn<int>("nodes");
        QTest::addColumn<bool>("circular");
        QTest::newRow("2 nodes circular") << 2 << true;
        QTest::newRow("12 nodes circular") << 12 << true;
        QTest::newRow("13 nodes rings") << 13 << false;
        QTest::newRow("200 nodes rings") << 200 << false;
    }
    void layoutGraphChoosesByCount()
    {
        QFETCH(int, nodes);
        QFETCH(bool, circular);
        std::vector<Edge> edges;
        for (int i = 1; i < nodes; ++i) edges.push_back(edge(QStringLiteral("hub"), QStringLiteral("n%1").arg(i), 1000 * i));
        Graph g = ui::buildGraph(edges, EdgeDimension::Vpc, EdgeWeight::Bytes, 500);
        QCOMPARE(static_cast<int>(g.nodes.size()), nodes);
        layoutGraph(g);
        Graph again = ui::buildGraph(edges, EdgeDimension::Vpc, EdgeWeight::Bytes, 500);
        layoutGraph(again);
        const double r = circularRadius(nodes);
        bool onCircle = true;
        for (size_t i = 0; i < g.nodes.size(); ++i) {
            QVERIFY(finite(g.nodes[i].pos));
            QCOMPARE(g.nodes[i].pos, again.nodes[i].pos);
            onCircle = onCircle && std::abs(dist(g.nodes[i].pos, {0, 0}) - r) < 1e-6;
        }
        QCOMPARE(onCircle, circular);
    }

    void buildGraph()
    {
        const Graph g = twoNodeGraph();
        QCOMPARE(static_cast<int>(g.nodes.size()), 3);
        QCOMPARE(g.nodes[0].id, QStringLiteral("A")); // heaviest first
        QCOMPARE(g.nodes[0].traffic, qint64(1000000 + 5000 + 300));
        QCOMPARE(g.nodes[1].id, QStringLiteral("B"));
        QCOMPARE(g.nodes[1].traffic, qint64(1000000 + 5000 + 200)); // self loop once
        const int sink = g.findNode(QStringLiteral("-"));
        QVERIFY(sink >= 0);
        QCOMPARE(g.nodes[static_cast<size_t>(sink)].kind, NodeKind::Sink);
        QCOMPARE(g.nodes[0].dropped, qint64(5));
        const int ab = g.findEdge(QStringLiteral("A"), QStringLiteral("B"));
        const int ba = g.findEdge(QStringLiteral("B"), QStringLiteral("A"));
        QVERIFY(ab >= 0 && ba >= 0);
        QCOMPARE(g.edges[static_cast<size_t>(ab)].reverse, ba);
        QCOMPARE(g.edges[static_cast<size_t>(ba)].reverse, ab);
        QCOMPARE(g.edges[static_cast<size_t>(ab)].thickness, kMaxThickness);
        QVERIFY(g.edges[static_cast<size_t>(ba)].thickness < kMaxThickness);
        QVERIFY(g.edges[static_cast<size_t>(g.findEdge(QStringLiteral("A"), QStringLiteral("-")))].hasDrops());
        QCOMPARE(g.findEdge(QStringLiteral("B"), QStringLiteral("-")), -1);
        QVERIFY(g.nodes[0].radius > g.nodes[static_cast<size_t>(sink)].radius);
    }

    void nodeKinds_data()
    {
        QTest::addColumn<int>("dimension");
        QTest::addColumn<QString>("id");
        QTest::addColumn<int>("kind");
        QTest::newRow("attachment") << int(EdgeDimension::Attachment) << "tgw-attach-1" << int(NodeKind::Unknown);
        QTest::newRow("attachment sink") << int(EdgeDimension::Attachment) << "-" << int(NodeKind::Sink);
        QTest::newRow("vpc") << int(EdgeDimension::Vpc) << "vpc-1" << int(NodeKind::Vpc);
        QTest::newRow("vpc none") << int(EdgeDimension::Vpc) << "-" << int(NodeKind::None);
        QTest::newRow("az") << int(EdgeDimension::Az) << "use1-az1" << int(NodeKind::Az);
        QTest::newRow("addr") << int(EdgeDimension::Addr) << "10.0.0.1" << int(NodeKind::Address);
    }
    void nodeKinds()
    {
        QFETCH(int, dimension);
        QFETCH(QString, id);
        QFETCH(int, kind);
        QCOMPARE(int(inferNodeKind(static_cast<EdgeDimension>(dimension), id)), kind);
    }

    void nodeKindOverride()
    {
        QCOMPARE(nodeKindFromString(QStringLiteral("direct-connect-gateway")), NodeKind::DirectConnectGateway);
        QCOMPARE(nodeKindFromString(QStringLiteral("VPN")), NodeKind::Vpn);
        QCOMPARE(nodeKindFromString(QStringLiteral("tgw-peering?")), NodeKind::Unknown);
        const Graph g = ui::buildGraph({edge("A", "B", 10)}, EdgeDimension::Attachment, EdgeWeight::Bytes, 10,
                                       {{QStringLiteral("B"), NodeKind::Vpn}});
        QCOMPARE(g.nodes[static_cast<size_t>(g.findNode(QStringLiteral("B")))].kind, NodeKind::Vpn);
        QCOMPARE(g.nodes[static_cast<size_t>(g.findNode(QStringLiteral("A")))].kind, NodeKind::Unknown);
    }

    void edgeGeometry()
    {
        const Graph g = twoNodeGraph();
        for (size_t i = 0; i < g.edges.size(); ++i) {
            const auto geo = ui::edgeGeometry(g, static_cast<int>(i));
            for (auto p : {geo.p0, geo.c1, geo.c2, geo.p1, geo.labelPos, geo.direction}) QVERIFY(finite(p));
            QVERIFY(std::abs(std::hypot(geo.direction.x(), geo.direction.y()) - 1.0) < 1e-9);
            const auto& e = g.edges[i];
            // Ends sit on the rims of their nodes.
            QVERIFY(std::abs(dist(geo.p0, g.nodes[static_cast<size_t>(e.src)].pos) - g.nodes[static_cast<size_t>(e.src)].radius)
                    < 1e-6);
            QVERIFY(
                std::abs(dist(geo.p1, g.nodes[static_cast<size_t>(e.dst)].pos) - g.nodes[static_cast<size_t>(e.dst)].radius - 2)
                < 1e-6);
        }
        // A->B and B->A bend to opposite sides, so their middles differ.
        const auto ab = ui::edgeGeometry(g, g.findEdge(QStringLiteral("A"), QStringLiteral("B")));
        const auto ba = ui::edgeGeometry(g, g.findEdge(QStringLiteral("B"), QStringLiteral("A")));
        QVERIFY(dist(ab.labelPos, ba.labelPos) > 20);
    }

    void hitTest_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("expected"); // node id or "src>dst"
        QTest::newRow("centre of A") << "node:A" << int(Hit::Node) << "A";
        QTest::newRow("rim of B") << "rim:B" << int(Hit::Node) << "B";
        QTest::newRow("sink node") << "node:-" << int(Hit::Node) << "-";
        QTest::newRow("middle of A->B") << "edge:A>B" << int(Hit::Edge) << "A>B";
        QTest::newRow("middle of B->A") << "edge:B>A" << int(Hit::Edge) << "B>A";
        QTest::newRow("middle of drop edge") << "edge:A>-" << int(Hit::Edge) << "A>-";
        QTest::newRow("self loop") << "edge:B>B" << int(Hit::Edge) << "B>B";
        QTest::newRow("empty space far away") << "point:5000,5000" << int(Hit::None) << "";
        QTest::newRow("empty space at the centre") << "point:0,0" << int(Hit::None) << "";
    }
    void hitTest()
    {
        QFETCH(QString, what);
        QFETCH(int, kind);
        QFETCH(QString, expected);
        const Graph g = twoNodeGraph();
        QPointF p;
        const QString arg = what.section(QLatin1Char(':'), 1);
        if (what.startsWith(QLatin1String("node:"))) {
            p = g.nodes[static_cast<size_t>(g.findNode(arg))].pos;
        } else if (what.startsWith(QLatin1String("rim:"))) {
            const auto& n = g.nodes[static_cast<size_t>(g.findNode(arg))];
            p = n.pos + QPointF(0, -(n.radius + 2));
        } else if (what.startsWith(QLatin1String("edge:"))) {
            const int e = g.findEdge(arg.section(QLatin1Char('>'), 0, 0), arg.section(QLatin1Char('>'), 1));
            QVERIFY(e >= 0);
            p = ui::bezierPoint(ui::edgeGeometry(g, e), 0.5);
        } else {
            p = QPointF(arg.section(QLatin1Char(','), 0, 0).toDouble(), arg.section(QLatin1Char(','), 1).toDouble());
        }
        const Hit hit = ui::hitTest(g, p, 4.0);
        QCOMPARE(int(hit.kind), kind);
        if (hit.kind == Hit::Node) QCOMPARE(g.nodes[static_cast<size_t>(hit.index)].id, expected);
        if (hit.kind == Hit::Edge) {
            const auto& e = g.data[static_cast<size_t>(g.edges[static_cast<size_t>(hit.index)].data)];
            QCOMPARE(e.src + QLatin1Char('>') + e.dst, expected);
        }
    }

    void distanceToSegment()
    {
        QCOMPARE(ui::distanceToSegment({0, 5}, {-10, 0}, {10, 0}), 5.0);
        QCOMPARE(ui::distanceToSegment({13, 4}, {-10, 0}, {10, 0}), 5.0);
        QCOMPARE(ui::distanceToSegment({3, 4}, {0, 0}, {0, 0}), 5.0); // degenerate segment
    }

    void graphBoundsContainsEverything()
    {
        const Graph g = twoNodeGraph();
        const QRectF b = graphBounds(g);
        for (const auto& n : g.nodes) QVERIFY(b.contains(n.pos));
        const auto loop = ui::edgeGeometry(g, g.findEdge(QStringLiteral("B"), QStringLiteral("B")));
        QVERIFY(b.adjusted(-1, -1, 1, 1).contains(loop.labelPos));
    }

    void clickFilters_data()
    {
        QTest::addColumn<int>("dimension");
        QTest::addColumn<QString>("src");
        QTest::addColumn<QString>("dst");
        QTest::addColumn<QString>("node");
        QTest::addColumn<QString>("edge");
        QTest::newRow("attachment")
            << int(EdgeDimension::Attachment) << "tgw-attach-1"
            << "tgw-attach-2"
            << "attachment == tgw-attach-1"
            << "(tgw_attachment_id == tgw-attach-1 and tgw_pair_attachment_id == tgw-attach-2 and flow_direction != egress)"
               " or (tgw_attachment_id == tgw-attach-2 and tgw_pair_attachment_id == tgw-attach-1 and flow_direction == egress)";
        QTest::newRow("attachment to sink")
            << int(EdgeDimension::Attachment) << "tgw-attach-1"
            << "-"
            << "attachment == tgw-attach-1"
            << "tgw_attachment_id == tgw-attach-1 and not tgw_pair_attachment_id and flow_direction != egress";
        QTest::newRow("sink node")
            << int(EdgeDimension::Attachment) << "-"
            << "tgw-attach-1"
            << "tgw_attachment_id and not tgw_pair_attachment_id"
            << "tgw_attachment_id == tgw-attach-1 and not tgw_pair_attachment_id and flow_direction == egress";
        QTest::newRow("vpc") << int(EdgeDimension::Vpc) << "vpc-1"
                             << "vpc-2"
                             << "vpc == vpc-1"
                             << "tgw_src_vpc_id == vpc-1 and tgw_dst_vpc_id == vpc-2";
        QTest::newRow("vpc to none") << int(EdgeDimension::Vpc) << "vpc-1"
                                     << "-"
                                     << "vpc == vpc-1"
                                     << "(tgw_attachment_id and tgw_src_vpc_id == vpc-1 and not tgw_dst_vpc_id) or "
                                        "(not tgw_attachment_id and vpc_id == vpc-1 and flow_direction != ingress)";
        QTest::newRow("none to vpc") << int(EdgeDimension::Vpc) << "-"
                                     << "vpc-2"
                                     << "not tgw_src_vpc_id or not tgw_dst_vpc_id"
                                     << "(tgw_attachment_id and not tgw_src_vpc_id and tgw_dst_vpc_id == vpc-2) or "
                                        "(not tgw_attachment_id and vpc_id == vpc-2 and flow_direction == ingress)";
        QTest::newRow("subnet") << int(EdgeDimension::Subnet) << "subnet-1"
                                << "subnet-2"
                                << "subnet == subnet-1"
                                << "tgw_src_subnet_id == subnet-1 and tgw_dst_subnet_id == subnet-2";
        QTest::newRow("az") << int(EdgeDimension::Az) << "use1-az1"
                            << "use1-az2"
                            << "az == use1-az1"
                            << "tgw_src_az_id == use1-az1 and tgw_dst_az_id == use1-az2";
        QTest::newRow("account") << int(EdgeDimension::Account) << "111122223333"
                                 << "444455556666"
                                 << "tgw_src_vpc_account_id == 111122223333 or tgw_dst_vpc_account_id == 111122223333 or "
                                    "(not tgw_attachment_id and account_id == 111122223333)"
                                 << "tgw_src_vpc_account_id == 111122223333 and tgw_dst_vpc_account_id == 444455556666";
        QTest::newRow("addr v4") << int(EdgeDimension::Addr) << "10.0.0.1"
                                 << "10.0.0.2"
                                 << "addr == 10.0.0.1"
                                 << "srcaddr == 10.0.0.1 and dstaddr == 10.0.0.2";
        QTest::newRow("addr none") << int(EdgeDimension::Addr) << "-"
                                   << "10.0.0.2"
                                   << "not srcaddr or not dstaddr"
                                   << "not srcaddr and dstaddr == 10.0.0.2";
    }
    void clickFilters()
    {
        QFETCH(int, dimension);
        QFETCH(QString, src);
        QFETCH(QString, dst);
        QFETCH(QString, node);
        QFETCH(QString, edge);
        const auto d = static_cast<EdgeDimension>(dimension);
        QCOMPARE(nodeFilter(d, src), node);
        QCOMPARE(edgeFilter(d, src, dst), edge);
        // Whatever we produce must be valid filter text.
        auto n = core::compileFilter(nodeFilter(d, src));
        QVERIFY2(n.ok(), qPrintable(n.ok() ? QString() : n.error().toString()));
        auto e = core::compileFilter(edgeFilter(d, src, dst));
        QVERIFY2(e.ok(), qPrintable(e.ok() ? QString() : e.error().toString()));
    }

    void addrIpv6FilterCompiles()
    {
        const QString f = edgeFilter(EdgeDimension::Addr, QStringLiteral("2001:db8::1"), QStringLiteral("fe80::2"));
        auto r = core::compileFilter(f);
        QVERIFY2(r.ok(), qPrintable(f + QLatin1Char(' ') + (r.ok() ? QString() : r.error().toString())));
    }

    void selectionFilter_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QStringList>("terms");
        QTest::addColumn<QString>("expected");
        QTest::newRow("one term, no base") << "" << QStringList{"attachment == a"} << "attachment == a";
        QTest::newRow("one term with base") << "protocol == 6" << QStringList{"attachment == a"}
                                            << "protocol == 6 and attachment == a";
        QTest::newRow("or of two") << "" << QStringList{"attachment == a", "attachment == b"}
                                   << "attachment == a or attachment == b";
        QTest::newRow("or of two under base") << "protocol == 6" << QStringList{"attachment == a", "attachment == b"}
                                              << "protocol == 6 and (attachment == a or attachment == b)";
        QTest::newRow("or of compound terms") << "" << QStringList{"srcport == 1 and dstport == 2", "protocol == 3"}
                                              << "(srcport == 1 and dstport == 2) or protocol == 3";
        QTest::newRow("no terms") << "protocol == 6" << QStringList{} << "protocol == 6";
    }
    void selectionFilter()
    {
        QFETCH(QString, base);
        QFETCH(QStringList, terms);
        QFETCH(QString, expected);
        QCOMPARE(ui::selectionFilter(base, terms), expected);
    }
};

QTEST_GUILESS_MAIN(TestGraphLayout)
#include "tst_graphlayout.moc"
