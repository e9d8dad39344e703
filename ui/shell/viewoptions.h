#pragma once
// How values are displayed, as the user chooses it: View > Time Display (UTC / local / Unix
// seconds) and View > Show Names (ids / "Name (id)" / name), the toolbar boxes for both, their
// shortcuts, and saving them in QSettings. Applies the choices to the Session, which every page
// follows. GUI thread only.
#include "ui/logic/session.h"

#include <QList>
#include <QObject>

class QAction;
class QActionGroup;
class QMenu;
class QSettings;
class QToolBar;

namespace ui {

class ViewOptions : public QObject {
    Q_OBJECT
public:
    explicit ViewOptions(Session* session, QObject* parent = nullptr);

    /// UTC, Local, Unix (Ctrl+Alt+1/2/3): checkable, exclusive, following the Session.
    QList<QAction*> timeActions() const;
    /// Ids, Name (id), Name (object names "namesIds", "namesNameAndId", "namesName"):
    /// checkable, exclusive, following the Session.
    QList<QAction*> nameActions() const;

    /// Adds the "Time Display" and "Show Names" submenus to `menu`.
    void addMenus(QMenu* menu) const;
    /// Adds the "Time:" and "Names:" boxes to `toolBar`.
    void addToolBarWidgets(QToolBar* toolBar) const;

    /// Keys view/timeDisplay and view/nameDisplay.
    void restore(const QSettings& settings);
    void save(QSettings& settings) const;

    /// "ids", "both" or "name" (the --names-mode option) -> *mode; false if unknown.
    static bool parseNameDisplay(const QString& text, NameDisplay* mode);

private:
    Session* m_session;
    QActionGroup* m_timeGroup;
    QActionGroup* m_nameGroup;
    QAction* m_cycleNames;
};

} // namespace ui
