#include "ui/shell/theme.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QMenu>
#include <QPalette>
#include <QProxyStyle>
#include <QSettings>
#include <QStyleFactory>
#include <QStyleOptionHeader>

namespace ui {

namespace {

const QString kThemeKey = QStringLiteral("view/theme");

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
