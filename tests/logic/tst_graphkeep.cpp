// The graph's kept edges (GraphOptions::keep): a comparison's new, gone and changed edges are
// drawn even when the top-N cut would hide them, and they leave the "hidden" sums; the cut
// still applies to every other edge, under each ranking.
#include "ui/logic/graphbuild.h"

#include <QtTest>

using namespace ui;
using core::Edge;
using core::EdgeDimension;

namespace {

Edge edge(const QString& src, const QString& dst, qint64 bytes, qint64 dropped = 0)
{
    Edge e;
    e.src = src;
    e.dst = dst;
    e.flows = 1;
    e.packets = std::max<qint64>(1, bytes / 100);
    e.bytes = bytes;
    e.lost[0] = dropped;
    return e;
}

/// Six edges, heaviest first; e->f has drops.
std::vector<Edge> sixEdges()
{
    return {edge(QStringLiteral("tgw-attach-a"), QStringLiteral("tgw-attach-b"), 60000),
            edge(QStringLiteral("tgw-attach-b"), QStringLiteral("tgw-attach-c"), 50000),
            edge(QStringLiteral("tgw-attach-c"), QStringLiteral("tgw-attach-d"), 40000),
            edge(QStringLiteral("tgw-attach-d"), QStringLiteral("tgw-attach-e"), 30000),
            edge(QStringLiteral("tgw-attach-e"), QStringLiteral("tgw-attach-f"), 20000, 7),
            edge(QStringLiteral("tgw-attach-f"), QStringLiteral("tgw-attach-g"), 10000)};
}

QStringList shownPairs(const Graph& g)
{
    QStringList out;
    for (int i : g.top.shown) {
        const Edge& e = g.data[static_cast<size_t>(i)];
        out << e.src.mid(11) + QLatin1Char('>') + e.dst.mid(11);
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

class TestGraphKeep : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void keptEdgesAreDrawn_data()
    {
        QTest::addColumn<int>("rank"); // EdgeRank
        QTest::addColumn<int>("topN");
        QTest::addColumn<QStringList>("keep"); // "x>y"
        QTest::addColumn<QStringList>("shown");
        QTest::addColumn<int>("hiddenCount");
        QTest::addColumn<qint64>("hiddenBytes");
        QTest::addColumn<qint64>("hiddenDropped");

        // Without keep: the 2 heaviest, plus e>f for its drops.
        QTest::newRow("no keep") << int(EdgeRank::Traffic) << 2 << QStringList{} << QStringList{"a>b", "b>c", "e>f"} << 3
                                 << qint64(80000) << qint64(0);
        QTest::newRow("one below the cut") << int(EdgeRank::Traffic) << 2 << QStringList{"f>g"}
                                           << QStringList{"a>b", "b>c", "e>f", "f>g"} << 2 << qint64(70000) << qint64(0);
        QTest::newRow("already shown, and one absent") << int(EdgeRank::Traffic) << 2 << QStringList{"a>b", "x>y"}
                                                       << QStringList{"a>b", "b>c", "e>f"} << 3 << qint64(80000) << qint64(0);
        QTest::newRow("top 0 shows only the kept") << int(EdgeRank::Traffic) << 0 << QStringList{"c>d", "d>e"}
                                                   << QStringList{"c>d", "d>e"} << 4 << qint64(140000) << qint64(7);
        // By dropped packets only edges with drops rank; a kept edge without drops is still drawn.
        QTest::newRow("dropped ranking") << int(EdgeRank::Dropped) << 5 << QStringList{"a>b"} << QStringList{"a>b", "e>f"} << 4
                                         << qint64(130000) << qint64(0);
    }

    void keptEdgesAreDrawn()
    {
        QFETCH(int, rank);
        QFETCH(int, topN);
        QFETCH(QStringList, keep);
        QFETCH(QStringList, shown);
        QFETCH(int, hiddenCount);
        QFETCH(qint64, hiddenBytes);
        QFETCH(qint64, hiddenDropped);

        GraphOptions options;
        options.rank = static_cast<EdgeRank>(rank);
        options.topN = topN;
        for (const QString& k : keep)
            options.keep.insert(qMakePair(QStringLiteral("tgw-attach-") + k.section(QLatin1Char('>'), 0, 0),
                                          QStringLiteral("tgw-attach-") + k.section(QLatin1Char('>'), 1, 1)));
        const Graph g = buildGraph(sixEdges(), EdgeDimension::Attachment, options);
        QCOMPARE(shownPairs(g), shown);
        QCOMPARE(g.top.hiddenCount, hiddenCount);
        QCOMPARE(g.top.hiddenWeight, hiddenBytes);
        QCOMPARE(g.top.hiddenDropped, hiddenDropped);
        QCOMPARE(static_cast<int>(g.edges.size()), static_cast<int>(shown.size()));
        for (int i : g.top.hiddenDrops) // a kept edge is not listed as hidden
            QVERIFY(!options.keep.contains(qMakePair(g.data[static_cast<size_t>(i)].src, g.data[static_cast<size_t>(i)].dst)));
        // Every node of a drawn edge is drawn.
        for (const GraphEdge& e : g.edges) {
            QVERIFY(e.src >= 0 && e.src < static_cast<int>(g.nodes.size()));
            QVERIFY(e.dst >= 0 && e.dst < static_cast<int>(g.nodes.size()));
        }
    }
};

QTEST_APPLESS_MAIN(TestGraphKeep)
#include "tst_graphkeep.moc"
