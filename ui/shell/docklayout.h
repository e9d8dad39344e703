#pragma once
// How the main window's docks are laid out so they fit the screen (issue 12): every page and
// the details pane sit in a scroll area, so a page's minimum size can never push a dock over its
// neighbours or make the window grow; a first start picks a layout for the window size:
//   wide (>= 1200 x 800): details on the right at full height, pages tabbed along the bottom;
//   compact (smaller, e.g. a 1366x768 or 1024x700 laptop): details next to the pages along the
//   bottom, so the table keeps the full width.
// The record table keeps at least RecordView::kMinVisibleRows rows (its minimum size).
// GUI thread only.
#include <QList>
#include <QSize>

class QDockWidget;
class QMainWindow;
class QScrollArea;
class QWidget;

namespace ui {

/// A frameless, resizable scroll area holding `content` (object name "dockScroll"): the dock
/// shrinks to almost nothing and the content scrolls once it is smaller than its minimum.
QScrollArea* scrollableDockContent(QWidget* content, QWidget* parent);
/// The widget a dock shows (its scroll area's content), or the dock's widget itself.
QWidget* dockContent(const QDockWidget* dock);

/// True when a window of `size` should use the compact layout.
bool isCompactSize(const QSize& size);

/// Places `details` and `pages` (already tabbed together) for a first start and sizes them:
/// details wide enough for a field name and an attachment id with its name, the pages about half
/// of the height left by the table.
void applyFirstStartLayout(QMainWindow* window, QDockWidget* details, const QList<QDockWidget*>& pages, bool compact);

} // namespace ui
