#pragma once
// Inside ui/graph: the Attachments page's toolbar pieces (attachmentstoolbar.cpp): its combo
// boxes, the Settings menu that repeats the controls a narrow dock cannot fit, and the watcher
// that shows Settings only while some control is off the bar. GUI thread.
#include <QString>

class QAction;
class QComboBox;
class QMenu;
class QToolBar;
class QWidget;

namespace ui::attachmentsbar {

/// Most edges the Top N slider offers.
constexpr int kMaxTopN = 500;

/// A combo box for the bar: `tip` as tooltip, as wide as its contents.
QComboBox* comboBox(QWidget* parent, const QString& tip);
/// The Settings menu of `bar`: rebuilt on each show from the named controls the bar could not fit.
QMenu* settingsMenu(QToolBar* bar, QWidget* parent);
/// Shows `settings` only while some control of `bar` is off the bar (owned by `bar`).
void watchSettingsVisibility(QToolBar* bar, QAction* settings);

} // namespace ui::attachmentsbar
