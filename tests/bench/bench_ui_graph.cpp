// Time of the attachment graph and matrix at estate scale, median of several runs:
// - layout: buildGraph + layoutGraph + the fit with label placement (what a redraw after a
//   new computation costs), for 25, 100 and 500 attachments (goal <= 300 ms);
// - labels: one placement pass (what every repaint costs);
// - matrix: buildMatrix (by total, by similarity) and painting a 500 x 500 matrix into a
//   1600 x 1000 image (goal <= 300 ms).
// The edge aggregation itself is measured by bench_aggregate. Runs offscreen.
#include "../logic/estate.h"
#include "ui/graph/matrixview.h"
#include "ui/logic/graphlabels.h"
#include "ui/logic/graphlayout.h"
#include "ui/logic/graphmatrix.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

namespace {

constexpr int kRuns = 7;

double medianMs(const std::function<void()>& work)
{
    std::vector<double> ms;
    for (int run = 0; run < kRuns; ++run) {
        QElapsedTimer t;
        t.start();
        work();
        ms.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

std::vector<ui::NodeLabelSize> sizes(const ui::Graph& g)
{
    std::vector<ui::NodeLabelSize> s;
    for (size_t i = 0; i < g.nodes.size(); ++i) s.push_back({QSizeF(110, 30), QSizeF(80, 16)});
    return s;
}

/// A dense estate: every entry attachment talks to every exit one (n x n cells).
std::vector<core::Edge> denseEdges(int n)
{
    std::vector<core::Edge> edges;
    quint32 x = 99;
    for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b) {
            x = x * 1103515245u + 12345u;
            core::Edge e;
            e.src = estate::attachmentId(a);
            e.dst = estate::attachmentId(b);
            e.packets = 1 + (x >> 8) % 100000;
            e.bytes = e.packets * 700;
            e.flows = 1 + e.packets / 50;
            e.lost[0] = (x >> 4) % 7 == 0 ? e.packets / 100 : 0;
            edges.push_back(std::move(e));
        }
    return edges;
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QRectF pane(0, 0, 1900, 900);
    std::printf("attachment graph (generated estates, pane %gx%g), median of %d runs\n", pane.width(), pane.height(), kRuns);
    for (int n : {25, 100, 500}) {
        const auto est = estate::make(n);
        ui::GraphOptions options;
        options.topN = 500;
        options.kinds = est.kinds;
        ui::Graph g;
        const double layout = medianMs([&]() {
            g = ui::buildGraph(est.edges, core::EdgeDimension::Attachment, options);
            ui::layoutGraph(g, pane.width() / pane.height());
            (void)ui::fitGraph(g, pane, sizes(g));
        });
        const ui::Viewport view = ui::fitGraph(g, pane, sizes(g));
        int shown = 0;
        const double labels = medianMs([&]() { shown = ui::placeNodeLabels(g, view, sizes(g), pane, {}).shownCount(); });
        std::printf("  %3d attachments (%3zu nodes, %4zu edges drawn): layout+fit %7.2f ms, label placement %6.2f ms "
                    "(%d labels shown)\n",
                    n, g.nodes.size(), g.edges.size(), layout, labels, shown);
    }

    std::printf("attachment matrix, median of %d runs\n", kRuns);
    for (int n : {100, 500}) {
        const auto edges = denseEdges(n);
        const double byTotal =
            medianMs([&]() { (void)ui::buildMatrix(edges, ui::MatrixMeasure::Bytes, ui::MatrixOrder::Total); });
        const double byCluster =
            medianMs([&]() { (void)ui::buildMatrix(edges, ui::MatrixMeasure::Bytes, ui::MatrixOrder::Cluster); });
        ui::MatrixView view;
        view.resize(1600, 1000);
        const double set = medianMs(
            [&]() { view.setMatrix(ui::buildMatrix(edges, ui::MatrixMeasure::DropShare, ui::MatrixOrder::Total), true); });
        QImage image(1600, 1000, QImage::Format_ARGB32_Premultiplied);
        const double paint = medianMs([&]() {
            QPainter p(&image);
            view.render(p, QSizeF(1600, 1000));
        });
        std::printf("  %3d x %3d (%6zu cells): build by total %7.2f ms, by similarity %7.2f ms, build + cell image %7.2f ms, "
                    "paint %7.2f ms\n",
                    n, n, edges.size(), byTotal, byCluster, set, paint);
    }
    return 0;
}
