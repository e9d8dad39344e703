// The Attachments page's toolbar pieces (attachmentstoolbar.h).
#include "ui/graph/attachmentstoolbar.h"

#include <QAction>
#include <QComboBox>
#include <QEvent>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenu>
#include <QSlider>
#include <QTabBar>
#include <QToolBar>
#include <QToolButton>

namespace ui::attachmentsbar {
namespace {

// A control of `bar` the settings menu can stand for (combo box, tabs, slider, find field, menu
// button; named), shown by its action, that the bar could not fit.
bool offTheBar(QToolBar* bar, QAction* a)
{
    QWidget* w = bar->widgetForAction(a);
    if (!w || !a->isVisible() || w->objectName().isEmpty()) return false;
    const auto* button = qobject_cast<QToolButton*>(w);
    if (!(qobject_cast<QComboBox*>(w) || qobject_cast<QTabBar*>(w) || qobject_cast<QSlider*>(w) || qobject_cast<QLineEdit*>(w)
          || (button && button->menu())))
        return false;
    return !(w->isVisible() && bar->rect().contains(w->geometry()));
}

// Shows `settings` only while some control is off the bar: in a wide dock the menu would only
// repeat what is in sight. Rechecked after every layout of the bar (resize, mode switch).
class SettingsVisibility : public QObject {
public:
    SettingsVisibility(QToolBar* bar, QAction* settings) : QObject(bar), m_bar(bar), m_settings(settings)
    {
        bar->installEventFilter(this);
    }
    bool eventFilter(QObject*, QEvent* event) override
    {
        if (event->type() == QEvent::Resize || event->type() == QEvent::LayoutRequest || event->type() == QEvent::Show)
            QMetaObject::invokeMethod(
                this, [this]() { update(); }, Qt::QueuedConnection); // after the bar's layout ran
        return false;
    }

private:
    void update()
    {
        bool off = false;
        for (QAction* a : m_bar->actions()) off = off || offTheBar(m_bar, a);
        m_settings->setVisible(off);
    }
    QToolBar* m_bar;
    QAction* m_settings;
};

// The settings of `bar` that it could not fit (its combo boxes, tabs, slider, find field and
// menu buttons) as one menu, built when it opens: Qt's » menu of a tool bar outside a main
// window lists only plain actions, so in a narrow dock this menu is how those controls are
// reached. Controls in sight are not repeated. Each entry has the object name of the control it
// stands for; a control's accessible name is its title.

} // namespace

QComboBox* comboBox(QWidget* parent, const QString& tip)
{
    auto* box = new QComboBox(parent);
    box->setToolTip(tip);
    box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    return box;
}

QMenu* settingsMenu(QToolBar* bar, QWidget* parent)
{
    auto* menu = new QMenu(parent);
    QObject::connect(menu, &QMenu::aboutToShow, menu, [menu, bar, parent]() {
        menu->clear();
        for (QAction* a : bar->actions()) {
            if (!offTheBar(bar, a)) continue;
            QWidget* w = bar->widgetForAction(a);
            QAction* entry = nullptr;
            auto choices = [&](const QString& title, const QStringList& items, int current, auto pick) {
                QMenu* sub = menu->addMenu(title);
                for (int i = 0; i < items.size(); ++i) {
                    QAction* item = sub->addAction(items[i], w, [pick, i]() { pick(i); });
                    item->setCheckable(true);
                    item->setChecked(i == current);
                }
                return sub->menuAction();
            };
            if (auto* box = qobject_cast<QComboBox*>(w)) {
                QStringList items;
                for (int i = 0; i < box->count(); ++i) items << box->itemText(i);
                entry = choices(box->accessibleName(), items, box->currentIndex(), [box](int i) { box->setCurrentIndex(i); });
            } else if (auto* tabs = qobject_cast<QTabBar*>(w)) {
                QStringList items;
                for (int i = 0; i < tabs->count(); ++i) items << tabs->tabText(i);
                entry = choices(tabs->accessibleName(), items, tabs->currentIndex(), [tabs](int i) { tabs->setCurrentIndex(i); });
            } else if (auto* slider = qobject_cast<QSlider*>(w)) {
                QList<int> values;
                for (int v : {5, 10, 20, 50, 100, 200, 500})
                    if (v >= slider->minimum() && v <= slider->maximum()) values << v;
                if (!values.contains(slider->value())) values << slider->value();
                std::sort(values.begin(), values.end());
                QStringList items;
                for (int v : values) items << QString::number(v);
                entry = choices(slider->accessibleName(), items, static_cast<int>(values.indexOf(slider->value())),
                                [slider, values](int i) { slider->setValue(values[i]); });
            } else if (auto* edit = qobject_cast<QLineEdit*>(w)) {
                entry = menu->addAction(edit->accessibleName() + QStringLiteral("..."), edit, [edit, parent]() {
                    bool ok = false;
                    const QString text = QInputDialog::getText(parent, edit->accessibleName(), edit->toolTip(), QLineEdit::Normal,
                                                               edit->text(), &ok);
                    if (ok) edit->setText(text);
                });
            } else if (auto* button = qobject_cast<QToolButton*>(w); button && button->menu()) {
                button->menu()->setTitle(button->text());
                entry = menu->addMenu(button->menu());
            }
            if (entry) {
                entry->setObjectName(w->objectName());
                entry->setEnabled(w->isEnabled());
            }
        }
    });
    return menu;
}

void watchSettingsVisibility(QToolBar* bar, QAction* settings)
{
    new SettingsVisibility(bar, settings);
}

} // namespace ui::attachmentsbar
