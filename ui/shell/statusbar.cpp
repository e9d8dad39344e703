#include "ui/shell/statusbar.h"

#include <QHelpEvent>
#include <QPainter>
#include <QSizeGrip>
#include <QStyleOption>
#include <QToolTip>
#include <algorithm>

namespace ui {

StatusBar::StatusBar(QWidget* parent) : QStatusBar(parent)
{
    setObjectName(QStringLiteral("statusBar"));
}

QList<QWidget*> StatusBar::visibleItems() const
{
    // While a message is shown QStatusBar hides the normal widgets: what is left are the
    // permanent ones.
    QList<QWidget*> out;
    for (QWidget* w : findChildren<QWidget*>(Qt::FindDirectChildrenOnly))
        if (w->isVisible() && !w->isWindow() && !qobject_cast<QSizeGrip*>(w)) out << w;
    return out;
}

QRect StatusBar::messageArea() const
{
    const bool rtl = layoutDirection() == Qt::RightToLeft;
    int left = 6;
    int right = width() - kGap;
    for (const QWidget* w : visibleItems()) {
        if (rtl) left = std::max(left, w->geometry().right() + 1 + kGap);
        else right = std::min(right, w->x() - kGap);
    }
    return QRect(left, 0, std::max(0, right - left), height());
}

QString StatusBar::shownMessage() const
{
    QString text = currentMessage();
    if (text.isEmpty()) return {};
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return fontMetrics().elidedText(text, Qt::ElideRight, messageArea().width());
}

void StatusBar::paintEvent(QPaintEvent*)
{
    // As QStatusBar paints, except that the message is elided to its own area.
    QPainter p(this);
    QStyleOption panel;
    panel.initFrom(this);
    style()->drawPrimitive(QStyle::PE_PanelStatusBar, &panel, &p, this);
    for (QWidget* w : visibleItems()) {
        QStyleOption item;
        item.rect = w->geometry().adjusted(-2, -1, 2, 1);
        item.palette = palette();
        item.state = QStyle::State_None;
        style()->drawPrimitive(QStyle::PE_FrameStatusBarItem, &item, &p, w);
    }
    const QString shown = shownMessage();
    if (shown.isEmpty()) return;
    p.setPen(palette().windowText().color());
    p.drawText(messageArea(), Qt::AlignLeading | Qt::AlignVCenter | Qt::TextSingleLine, shown);
}

bool StatusBar::event(QEvent* e)
{
    if (e->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(e);
        const QString shown = shownMessage();
        if (!shown.isEmpty() && messageArea().contains(help->pos())) {
            // The full message when it had to be elided.
            if (shown != QString(currentMessage()).replace(QLatin1Char('\n'), QLatin1Char(' ')))
                QToolTip::showText(help->globalPos(), currentMessage(), this, messageArea());
            else QToolTip::hideText();
            return true;
        }
    }
    return QStatusBar::event(e);
}

} // namespace ui
