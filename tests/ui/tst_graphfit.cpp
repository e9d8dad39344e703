// The Attachments graph fits its dock at any width (issue 12): after the dock is resized to
// 160 px, 360 px or the full width, every node and shown label lies inside the graph widget
// and above the legend, and the legend (wrapped to the width) lies inside the widget. A view
// the user zoomed is kept on resize. Real MainWindow at 1366x768, offscreen.
#include "ui/graph/graphlegend.h"
#include "ui/graph/graphview.h"
#include "ui/io/loadcontroller.h"
#include "ui/shell/docklayout.h"
#include "ui/shell/mainwindow.h"
#include "ui/shell/statussummary.h"
#include "ui/table/recordmodel.h"
#include "uitestdata.h"

#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QScrollArea>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QWheelEvent>
#include <QtTest>
#include <memory>

using namespace ui;

namespace {

QString rectText(const QRectF& r)
{
    return QStringLiteral("(%1,%2 %3x%4)").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
}

// Empty when the graph is drawn wholly inside `view` (nodes and labels above the legend, the
// legend inside); else what is outside.
QString misfit(const GraphView* view)
{
    const QRectF widget(view->rect());
    const QRectF drawn = view->drawnRect();
    const LegendLayout legend = view->legend();
    QStringList problems;
    if (view->graph().nodes.empty()) problems << QStringLiteral("no nodes");
    if (!widget.adjusted(-0.5, -0.5, 0.5, 0.5).contains(drawn))
        problems << QStringLiteral("graph %1 outside the widget %2").arg(rectText(drawn), rectText(widget));
    if (legend.pieces.empty()) problems << QStringLiteral("no legend");
    if (!widget.contains(legend.rect))
        problems << QStringLiteral("legend %1 outside the widget %2").arg(rectText(legend.rect), rectText(widget));
    for (const LegendPiece& p : legend.pieces)
        if (!widget.contains(p.rect)) problems << QStringLiteral("legend piece '%1' %2 clipped").arg(p.text, rectText(p.rect));
    if (!legend.pieces.empty() && drawn.bottom() > legend.rect.top() + 0.5)
        problems << QStringLiteral("graph %1 runs into the legend %2").arg(rectText(drawn), rectText(legend.rect));
    return problems.join(QStringLiteral("; "));
}

} // namespace

class TestGraphFit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void fitsAtEveryWidth_data();
    void fitsAtEveryWidth();
    void refitsWhenTheDockShrinks();
    void keepsTheUsersZoom();

private:
    GraphView* start(const QSize& window);
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
    QString m_path;
};

void TestGraphFit::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(QStringLiteral("tgw.log"));
    QFile f(m_path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(uitest::generateTgw(300).text);
}

void TestGraphFit::cleanup()
{
    m_window.reset();
    QSettings().clear();
}

// The window at `window` with the log loaded and the Attachments dock shown: its graph.
GraphView* TestGraphFit::start(const QSize& window)
{
    QSettings().clear();
    m_window = std::make_unique<MainWindow>();
    m_window->resize(window);
    m_window->show();
    if (!QTest::qWaitForWindowExposed(m_window.get())) return nullptr;
    if (!m_window->openPaths({m_path})) return nullptr;
    if (!QTest::qWaitFor(
            [this]() { return !m_window->loadController()->isRunning() && m_window->statusSummary()->records() > 0; }))
        return nullptr;
    for (QDockWidget* d : m_window->pageDocks())
        if (dockContent(d)->objectName() == QLatin1String("attachmentsPage")) {
            d->show();
            d->raise();
            auto* view = dockContent(d)->findChild<GraphView*>();
            if (view && QTest::qWaitFor([view]() { return view->isVisible() && !view->graph().nodes.empty(); })) return view;
        }
    return nullptr;
}

void TestGraphFit::fitsAtEveryWidth_data()
{
    QTest::addColumn<QSize>("window");
    QTest::addColumn<int>("dockWidth"); // 0: docked as the window lays it out
    QTest::newRow("floating 160 px") << QSize(1366, 768) << 160;
    QTest::newRow("floating 360 px") << QSize(1366, 768) << 360;
    QTest::newRow("floating 1366 px") << QSize(1366, 768) << 1366;
    QTest::newRow("docked at 1366x768") << QSize(1366, 768) << 0;
    QTest::newRow("docked at 1920x1080") << QSize(1920, 1080) << 0;
}

void TestGraphFit::fitsAtEveryWidth()
{
    QFETCH(QSize, window);
    QFETCH(int, dockWidth);
    GraphView* view = start(window);
    QVERIFY(view);
    QDockWidget* dock = qobject_cast<QDockWidget*>(view->parentWidget());
    for (QWidget* w = view; !dock && w; w = w->parentWidget()) dock = qobject_cast<QDockWidget*>(w);
    QVERIFY(dock);
    if (dockWidth > 0) {
        dock->setFloating(true);
        dock->resize(dockWidth, 420);
        QTRY_COMPARE(dock->width(), dockWidth);
    }
    QTRY_VERIFY2(misfit(view).isEmpty(), qPrintable(misfit(view)));
    // The widget itself is not cut at the side by the dock's scroll area.
    if (auto* scroll = qobject_cast<QScrollArea*>(dock->widget())) {
        const QRect inViewport(view->mapTo(scroll->viewport(), QPoint(0, 0)), view->size());
        QVERIFY2(inViewport.left() >= 0 && inViewport.right() <= scroll->viewport()->width(),
                 qPrintable(
                     QStringLiteral("graph %1 in a %2 px viewport").arg(rectText(inViewport)).arg(scroll->viewport()->width())));
    }
    // Wide enough: the whole legend, its last note included.
    if (view->width() >= 900) {
        const LegendLayout legend = view->legend();
        QVERIFY(!legend.pieces.empty());
        QVERIFY2(legend.pieces.back().text.contains(QStringLiteral("by count")), qPrintable(legend.pieces.back().text));
    }
}

// One dock shrunk and widened again: the view refits each time (it used to keep the fit of
// the first size, drawing the graph past the right edge of a 160 px dock).
void TestGraphFit::refitsWhenTheDockShrinks()
{
    GraphView* view = start(QSize(1366, 768));
    QVERIFY(view);
    QDockWidget* dock = nullptr;
    for (QWidget* w = view; !dock && w; w = w->parentWidget()) dock = qobject_cast<QDockWidget*>(w);
    QVERIFY(dock);
    dock->setFloating(true);
    for (int width : {1366, 160, 360, 1366}) {
        dock->resize(width, 420);
        QTRY_COMPARE(dock->width(), width);
        QTRY_VERIFY2(misfit(view).isEmpty(), qPrintable(QStringLiteral("%1 px: %2").arg(width).arg(misfit(view))));
    }
}

// The user zoomed in: resizing the dock keeps the zoom (no refit, no new layout); Fit refits.
void TestGraphFit::keepsTheUsersZoom()
{
    GraphView* view = start(QSize(1366, 768));
    QVERIFY(view);
    QDockWidget* dock = nullptr;
    for (QWidget* w = view; !dock && w; w = w->parentWidget()) dock = qobject_cast<QDockWidget*>(w);
    QVERIFY(dock);
    dock->setFloating(true);
    dock->resize(900, 420);
    QTRY_COMPARE(dock->width(), 900);
    QTRY_VERIFY(misfit(view).isEmpty());
    const double fitted = view->zoom();
    const QPointF at = view->rect().center();
    QWheelEvent wheel(at, view->mapToGlobal(at), QPoint(), QPoint(0, 240), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase,
                      false);
    QApplication::sendEvent(view, &wheel);
    QVERIFY(view->zoom() > fitted * 1.3);
    QVERIFY(!view->autoFit());
    const double zoomed = view->zoom();
    const QString firstNode = view->graph().nodes.front().id;
    const QPointF scenePos = view->graph().nodes.front().pos;
    dock->resize(360, 420);
    QTRY_COMPARE(dock->width(), 360);
    QCOMPARE(view->zoom(), zoomed);
    QCOMPARE(view->graph().nodes.front().id, firstNode);
    QCOMPARE(view->graph().nodes.front().pos, scenePos); // no new layout either
    view->fitToView();
    QVERIFY(view->autoFit());
    QTRY_VERIFY2(misfit(view).isEmpty(), qPrintable(misfit(view)));
}

QTEST_MAIN(TestGraphFit)
#include "tst_graphfit.moc"
