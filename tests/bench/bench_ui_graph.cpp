// Layout time of the attachment graph (buildGraph + layoutGraph) for 10, 50 and 200 nodes,
// median of several runs. The edge aggregation itself is measured by bench_aggregate.
#include "ui/logic/graphlayout.h"

#include <QElapsedTimer>
#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

/// A TGW-like topology: a few hubs (shared services, VPN, DX) talking to many spokes, plus
/// spoke-to-spoke chords and some drop edges. Deterministic.
std::vector<core::Edge> makeEdges(int nodes)
{
    std::vector<core::Edge> edges;
    quint32 x = 2463534242u;
    auto next = [&x]() {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        return x;
    };
    auto id = [](int i) { return QStringLiteral("tgw-attach-%1").arg(i, 17, 16, QLatin1Char('0')); };
    const int hubs = std::max(1, nodes / 12);
    for (int i = hubs; i < nodes; ++i) {
        const int hub = static_cast<int>(next() % static_cast<quint32>(hubs));
        core::Edge out;
        out.src = id(i);
        out.dst = id(hub);
        out.flows = 1 + next() % 5000;
        out.packets = out.flows * 40;
        out.bytes = out.packets * (100 + next() % 1300);
        edges.push_back(out);
        core::Edge back = out;
        std::swap(back.src, back.dst);
        back.bytes *= 3;
        edges.push_back(back);
        if (next() % 4 == 0) {
            core::Edge chord = out;
            chord.dst = id(hubs + static_cast<int>(next() % static_cast<quint32>(nodes - hubs)));
            if (chord.dst != chord.src) edges.push_back(chord);
        }
        if (next() % 10 == 0) {
            core::Edge drop;
            drop.src = id(i);
            drop.dst = QStringLiteral("-");
            drop.flows = 3;
            drop.packets = 12;
            drop.bytes = 700;
            drop.lost[core::LostNoRoute] = 12;
            edges.push_back(drop);
        }
    }
    return edges;
}

} // namespace

int main()
{
    std::printf("attachment graph layout (buildGraph + layoutGraph), median of 9 runs\n");
    for (int n : {10, 50, 200}) {
        const auto edges = makeEdges(n);
        std::vector<double> ms;
        int shownNodes = 0;
        for (int run = 0; run < 9; ++run) {
            QElapsedTimer t;
            t.start();
            ui::Graph g = ui::buildGraph(edges, core::EdgeDimension::Attachment, ui::EdgeWeight::Bytes, 500);
            ui::layoutGraph(g);
            ms.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
            shownNodes = static_cast<int>(g.nodes.size());
        }
        std::sort(ms.begin(), ms.end());
        std::printf("  %3d attachments (%3d nodes incl. sink, %4zu edges): median %7.2f ms  (min %.2f, max %.2f)\n", n,
                    shownNodes, edges.size(), ms[ms.size() / 2], ms.front(), ms.back());
    }
    return 0;
}
