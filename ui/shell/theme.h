#pragma once
// View > Theme: System (the platform's style and palette), Light or Dark (Fusion with a light or
// dark palette), remembered in QSettings (view/theme). Whatever the theme, header sort arrows
// follow the common convention (▲ ascending, ▼ descending): Qt draws Qt::AscendingOrder as
// QStyleOptionHeader::SortDown, which styles paint as a down arrow. GUI thread only.
#include <QObject>

class QActionGroup;
class QMenu;
class QSettings;
class QStyle;

namespace ui {

enum class Theme { System, Light, Dark };

class ThemeOptions : public QObject {
    Q_OBJECT
public:
    explicit ThemeOptions(QObject* parent = nullptr);

    Theme theme() const { return m_theme; }
    /// Applies `theme` to the application (style, palette) and checks its menu entry.
    void setTheme(Theme theme);
    /// Adds the "Theme" submenu (actions "themeSystem", "themeLight", "themeDark").
    void addMenu(QMenu* menu) const;
    QActionGroup* actions() const { return m_group; }

    /// Key view/theme; an unknown value is System.
    void restore(const QSettings& settings);
    void save(QSettings& settings) const;

    /// The application style for `theme`, wrapped so header sort arrows point the common way.
    static QStyle* createStyle(Theme theme);

Q_SIGNALS:
    void themeChanged(ui::Theme theme);

private:
    QActionGroup* m_group;
    Theme m_theme = Theme::System;
};

} // namespace ui
