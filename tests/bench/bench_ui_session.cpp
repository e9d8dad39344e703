// Opening a session file in the real window (offscreen): the time from Open Session
// (SessionController::open, as File > Open Session after the dialog) until the file is open
// (openFinished: the store installed in the window), until the table's first
// page is on screen (the store installed, the title naming the file), until its exact count is
// too, and until the typed columns are rebuilt in the background (every view at full
// speed; until then the views answer by SQL). Medians of wall and process CPU (all threads).
//   bench_ui_session FILE.flowlog [--runs N]
#include "core/store/columns_rebuild.h"
#include "ui/logic/session.h"
#include "ui/shell/mainwindow.h"
#include "ui/shell/sessioncontroller.h"
#include "ui/table/recordmodel.h"

#include "benchutil.h"
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <memory>
#include <vector>

namespace {

using benchutil::processCpuMs;

using benchutil::median;

/// Runs the event loop until `done` holds (polled every 2 ms) or 10 minutes passed.
bool spinUntil(const std::function<bool()>& done)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > 600000) return false;
        QEventLoop loop;
        QTimer::singleShot(2, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    int runs = 3;
    if (const qsizetype i = args.indexOf(QStringLiteral("--runs")); i >= 0 && i + 1 < args.size()) {
        runs = args[i + 1].toInt();
        args.remove(i, 2);
    }
    if (args.size() != 1) {
        std::fprintf(stderr, "usage: bench_ui_session FILE.flowlog [--runs N]\n");
        return 2;
    }
    const QString path = QFileInfo(args.front()).absoluteFilePath();
    std::vector<double> openWall, openCpu, pageWall, pageCpu, usableWall, usableCpu, columnsWall, columnsCpu;
    qint64 records = 0;
    for (int run = 0; run < runs; ++run) {
        auto w = std::make_unique<ui::MainWindow>();
        w->resize(1366, 768);
        w->show();
        spinUntil([] { return true; });
        bool finished = false, ok = false;
        QElapsedTimer timer;
        double openedWall = -1, openedCpu = -1;
        const double cpuStart = processCpuMs();
        QObject::connect(w->sessionController(), &ui::SessionController::openFinished, w.get(),
                         [&](bool success, const QString&) {
                             finished = true, ok = success;
                             openedWall = static_cast<double>(timer.nsecsElapsed()) / 1e6;
                             openedCpu = processCpuMs() - cpuStart;
                         });
        timer.start();
        const double cpu0 = cpuStart;
        if (!w->sessionController()->open(path)) return 1;
        ui::RecordModel* model = w->recordModel();
        const QString name = QFileInfo(path).fileName();
        // The first page of the table on screen (its count may still be on the way).
        const bool page = spinUntil([&] {
            return finished
                   && (!ok
                       || (w->windowTitle().contains(name) && model->rowCount() > 0
                           && !model->data(model->index(0, 0)).toString().isEmpty()));
        });
        if (!page || !ok) {
            std::fprintf(stderr, "open failed or timed out\n");
            return 1;
        }
        pageWall.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
        pageCpu.push_back(processCpuMs() - cpu0);
        const bool usable = spinUntil([&] {
            return finished
                   && (!ok
                       || (w->windowTitle().contains(name) && model->countKnown()
                           && (model->rowCount() == 0 || !model->data(model->index(0, 0)).toString().isEmpty())));
        });
        if (!usable || !ok) {
            std::fprintf(stderr, "open failed or timed out\n");
            return 1;
        }
        usableWall.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
        usableCpu.push_back(processCpuMs() - cpu0);
        const auto store = w->session()->store();
        records = store->recordCount();
        if (!core::waitForColumns(*store).ok()) return 1;
        columnsWall.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
        columnsCpu.push_back(processCpuMs() - cpu0);
        openWall.push_back(openedWall);
        openCpu.push_back(openedCpu);
        std::printf("run %d: file open %.0f ms wall (%.0f ms CPU), first page %.0f ms wall (%.0f ms CPU), count %.0f ms wall "
                    "(%.0f ms CPU), columns %.0f ms wall "
                    "(%.0f ms CPU); %d rows shown\n",
                    run + 1, openedWall, openedCpu, pageWall.back(), pageCpu.back(), usableWall.back(), usableCpu.back(),
                    columnsWall.back(), columnsCpu.back(), model->rowCount());
        std::fflush(stdout);
    }
    std::printf("%lld records; median of %d:\n", static_cast<long long>(records), runs);
    std::printf("open until openFinished:   %8.0f ms wall, %8.0f ms process CPU\n", median(openWall), median(openCpu));
    std::printf("open until the first page: %8.0f ms wall, %8.0f ms process CPU\n", median(pageWall), median(pageCpu));
    std::printf("open until the count:      %8.0f ms wall, %8.0f ms process CPU\n", median(usableWall), median(usableCpu));
    std::printf("open until the columns:    %8.0f ms wall, %8.0f ms process CPU\n", median(columnsWall), median(columnsCpu));
    return 0;
}
