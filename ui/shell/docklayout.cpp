#include "ui/shell/docklayout.h"

#include <QDockWidget>
#include <QFontMetrics>
#include <QLayout>
#include <QMainWindow>
#include <QScrollArea>
#include <algorithm>

namespace ui {

namespace {

// Below 1500 px the wide layout's details column (40 %) leaves the table under ~900 px: at
// 1280x800 it showed five columns. Such screens get the compact layout (details along the bottom).
constexpr int kCompactWidth = 1500;
constexpr int kCompactHeight = 800;

// What the details pane shows on one line: a field name, and an attachment id with its name.
int detailsContentWidth(const QWidget* details)
{
    const QFontMetrics fm(details->font());
    return fm.horizontalAdvance(QStringLiteral("tgw-src-vpc-account-id")) + 40
           + fm.horizontalAdvance(QStringLiteral("prod-app (tgw-attach-0123456789abcdef0)")) + 60;
}

} // namespace

QScrollArea* scrollableDockContent(QWidget* content, QWidget* parent)
{
    auto* scroll = new QScrollArea(parent);
    scroll->setObjectName(QStringLiteral("dockScroll"));
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(content);
    return scroll;
}

QWidget* dockContent(const QDockWidget* dock)
{
    auto* scroll = qobject_cast<QScrollArea*>(dock->widget());
    return scroll && scroll->objectName() == QLatin1String("dockScroll") ? scroll->widget() : dock->widget();
}

bool isCompactSize(const QSize& size)
{
    return size.width() < kCompactWidth || size.height() < kCompactHeight;
}

void applyFirstStartLayout(QMainWindow* window, QDockWidget* details, const QList<QDockWidget*>& pages, bool compact)
{
    if (pages.isEmpty()) return;
    if (window->layout()) window->layout()->activate();
    const int width = window->width();
    // Compact: the details share the bottom with the pages, so they get at most a third of the
    // width; the graph keeps the rest.
    const int detailsWidth = std::min(detailsContentWidth(dockContent(details)), compact ? width * 34 / 100 : width * 40 / 100);
    if (compact) {
        // Next to the pages' tab group, along the bottom: the table keeps the full width.
        window->addDockWidget(Qt::BottomDockWidgetArea, details, Qt::Horizontal);
        window->resizeDocks({pages.first(), details}, {width - detailsWidth, detailsWidth}, Qt::Horizontal);
    } else {
        window->resizeDocks({details}, {detailsWidth}, Qt::Horizontal);
    }
    if (window->layout()) window->layout()->activate();
    // The pages get about half of what the table and the pages share, a little more when compact
    // so the graph is not a strip (the table's minimum keeps its rows whatever is asked here).
    QWidget* central = window->centralWidget();
    const int shared = (central ? central->height() : 0) + pages.first()->height();
    window->resizeDocks({pages.first()}, {std::max(120, shared * (compact ? 58 : 50) / 100)}, Qt::Vertical);
}

} // namespace ui
