#include "ui/shell/theme.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QIconEngine>
#include <QMenu>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QProxyStyle>
#include <QSettings>
#include <QStyleFactory>
#include <QStyleOptionHeader>
#include <QToolBar>
#include <QToolButton>

#include <algorithm>
#include <cmath>

namespace ui {

namespace {

const QString kThemeKey = QStringLiteral("view/theme");

// Two chevrons (», or pointing down when vertical) in the palette's button text colour.
class ChevronIconEngine : public QIconEngine {
public:
    explicit ChevronIconEngine(bool vertical) : m_vertical(vertical) {}
    void paint(QPainter* p, const QRect& rect, QIcon::Mode mode, QIcon::State) override
    {
        const QPalette pal = QApplication::palette();
        const QColor color = pal.color(mode == QIcon::Disabled ? QPalette::Disabled : QPalette::Active, QPalette::ButtonText);
        // Small sizes (a toolbar's extension button asks for about 8-12 px): whole pixels without
        // antialiasing, so the strokes keep the full colour instead of a blur.
        const int size = std::min(rect.width(), rect.height());
        const bool crisp = size <= 16;
        const double s = size, h = crisp ? std::max(2.0, std::floor(s * 0.25)) : s * 0.25;
        p->save();
        p->setRenderHint(QPainter::Antialiasing, !crisp);
        p->setPen(QPen(color, crisp ? 1.0 : s / 9.0, Qt::SolidLine, Qt::SquareCap, Qt::MiterJoin));
        p->translate(rect.x() + (rect.width() - size) / 2, rect.y() + (rect.height() - size) / 2);
        if (m_vertical) {
            p->translate(s, 0);
            p->rotate(90);
        }
        const double mid = std::floor(s / 2);
        for (const double x : {std::floor(s * 0.2), std::floor(s * 0.2) + h + 1}) {
            for (int dx = 0; dx < (crisp ? 2 : 1); ++dx) { // two pixels wide when crisp
                const QPointF chevron[] = {{x + dx, mid - h}, {x + dx + h, mid}, {x + dx, mid + h}};
                p->drawPolyline(chevron, 3);
            }
        }
        p->restore();
    }
    QPixmap pixmap(const QSize& size, QIcon::Mode mode, QIcon::State state) override
    {
        QPixmap pm(size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        paint(&p, QRect(QPoint(0, 0), size), mode, state);
        return pm;
    }
    QIconEngine* clone() const override { return new ChevronIconEngine(m_vertical); }

private:
    bool m_vertical;
};

// Swaps SortUp/SortDown where a header arrow is drawn, so ascending shows ▲ (see theme.h).
class SortArrowStyle : public QProxyStyle {
public:
    using QProxyStyle::QProxyStyle;
    void drawPrimitive(PrimitiveElement element, const QStyleOption* option, QPainter* painter,
                       const QWidget* widget) const override
    {
        if (element == PE_IndicatorHeaderArrow)
            if (const auto* header = qstyleoption_cast<const QStyleOptionHeader*>(option)) {
                QStyleOptionHeader flipped(*header);
                if (header->sortIndicator == QStyleOptionHeader::SortUp) flipped.sortIndicator = QStyleOptionHeader::SortDown;
                else if (header->sortIndicator == QStyleOptionHeader::SortDown)
                    flipped.sortIndicator = QStyleOptionHeader::SortUp;
                QProxyStyle::drawPrimitive(element, &flipped, painter, widget);
                return;
            }
        QProxyStyle::drawPrimitive(element, option, painter, widget);
    }

    // A toolbar's overflow button (») drawn in the application palette's button text colour at
    // paint time: the base style's pixmap is a fixed dark grey, nearly invisible on the dark
    // theme's toolbar, and an icon made when the style changes would keep the old theme's colour.
    QIcon standardIcon(StandardPixmap sp, const QStyleOption* option, const QWidget* widget) const override
    {
        if (sp != SP_ToolBarHorizontalExtensionButton && sp != SP_ToolBarVerticalExtensionButton)
            return QProxyStyle::standardIcon(sp, option, widget);
        return QIcon(new ChevronIconEngine(sp == SP_ToolBarVerticalExtensionButton));
    }
};

// The style the platform chose before we changed anything (System).
QString& systemStyleName()
{
    static QString name;
    return name;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(45, 45, 48), base(30, 30, 32), text(220, 220, 220), disabled(127, 127, 127);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(40, 40, 43));
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Link, QColor(110, 170, 255));
    p.setColor(QPalette::Highlight, QColor(42, 110, 200));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Disabled, QPalette::Text, disabled);
    p.setColor(QPalette::Disabled, QPalette::WindowText, disabled);
    p.setColor(QPalette::Disabled, QPalette::ButtonText, disabled);
    return p;
}

} // namespace

ThemeOptions::ThemeOptions(QObject* parent) : QObject(parent), m_group(new QActionGroup(this))
{
    if (systemStyleName().isEmpty() && QApplication::style()) systemStyleName() = QApplication::style()->name();
    const struct {
        Theme theme;
        const char* key;
        QString text;
    } entries[] = {{Theme::System, "themeSystem", tr("&System")},
                   {Theme::Light, "themeLight", tr("&Light")},
                   {Theme::Dark, "themeDark", tr("&Dark")}};
    for (const auto& e : entries) {
        QAction* a = m_group->addAction(e.text);
        a->setObjectName(QString::fromLatin1(e.key));
        a->setCheckable(true);
        a->setData(static_cast<int>(e.theme));
        connect(a, &QAction::triggered, this, [this, t = e.theme]() { setTheme(t); });
    }
    m_group->actions().first()->setChecked(true);
}

QStyle* ThemeOptions::createStyle(Theme theme)
{
    const QString base = theme == Theme::System && !systemStyleName().isEmpty() ? systemStyleName() : QStringLiteral("Fusion");
    QStyle* style = QStyleFactory::create(base);
    if (!style) style = QStyleFactory::create(QStringLiteral("Fusion"));
    return new SortArrowStyle(style);
}

void ThemeOptions::setTheme(Theme theme)
{
    const bool changed = theme != m_theme;
    m_theme = theme;
    QApplication::setStyle(createStyle(theme));
    switch (theme) {
    case Theme::System:
        QApplication::setPalette(QPalette()); // an empty palette: back to the platform's
        break;
    case Theme::Light:
        QApplication::setPalette(QApplication::style()->standardPalette());
        break;
    case Theme::Dark:
        QApplication::setPalette(darkPalette());
        break;
    }
    // A toolbar's overflow button takes its icon from the style only when it is made: give the
    // existing ones the new style's (else they keep the first style's dark-grey »).
    for (QWidget* w : QApplication::allWidgets())
        if (auto* button = qobject_cast<QToolButton*>(w);
            button && button->objectName() == QLatin1String("qt_toolbar_ext_button")) {
            const auto* bar = qobject_cast<const QToolBar*>(button->parentWidget());
            const bool vertical = bar && bar->orientation() == Qt::Vertical;
            button->setIcon(QApplication::style()->standardIcon(vertical ? QStyle::SP_ToolBarVerticalExtensionButton
                                                                         : QStyle::SP_ToolBarHorizontalExtensionButton,
                                                                nullptr, button));
        }
    for (QAction* a : m_group->actions()) a->setChecked(a->data().toInt() == static_cast<int>(theme));
    if (changed) Q_EMIT themeChanged(theme);
}

void ThemeOptions::addMenu(QMenu* menu) const
{
    QMenu* themes = menu->addMenu(tr("T&heme"));
    themes->menuAction()->setObjectName(QStringLiteral("themeMenu"));
    themes->addActions(m_group->actions());
}

void ThemeOptions::restore(const QSettings& settings)
{
    const int t = settings.value(kThemeKey, 0).toInt();
    setTheme(t == 1 ? Theme::Light : t == 2 ? Theme::Dark : Theme::System);
}

void ThemeOptions::save(QSettings& settings) const
{
    settings.setValue(kThemeKey, static_cast<int>(m_theme));
}

} // namespace ui
