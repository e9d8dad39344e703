#pragma once
// The state every page shares: the loaded store, the current filter (with a Back stack of
// earlier filters for drill-down undo) and how times are displayed. GUI thread only.
// Pages never talk to each other directly: they read the Session and react to its signals.
#include "core/names.h"
#include "core/store.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>

namespace ui {

enum class TimeDisplay { Utc, Local, Unix };

class Session : public QObject {
    Q_OBJECT
public:
    explicit Session(QObject* parent = nullptr);
    ~Session() override;

    /// The current store (never null after construction: an empty store at first).
    /// Background jobs copy the shared_ptr so the store outlives them.
    std::shared_ptr<core::Store> store() const { return m_store; }
    /// Replaces the store (after a load that replaced the session, or appended to it);
    /// clears the filter history; emits storeChanged().
    void setStore(std::shared_ptr<core::Store> store);
    /// Tells pages the store's content changed in place (files appended). Emits storeChanged().
    void notifyStoreChanged();

    /// The filter expression in force ("" = everything). Always valid filter text.
    QString filter() const { return m_filter; }
    /// Sets the filter; the previous one goes on the Back stack if different. Emits filterChanged().
    void setFilter(const QString& expression);
    /// Restores the previous filter (drill-down undo). Emits filterChanged().
    bool canGoBack() const { return !m_back.isEmpty(); }
    void back();

    /// Names for ids, from AWS CLI describe-* JSON (empty until loaded).
    const core::NameDirectory& names() const { return m_names; }
    /// Replaces the names, writes them into the store's `names` table, emits namesChanged().
    void setNames(core::NameDirectory names);

    TimeDisplay timeDisplay() const { return m_timeDisplay; }
    void setTimeDisplay(TimeDisplay mode);
    /// Formats Unix seconds per timeDisplay(): "2026-11-29 10:00:00Z", local, or digits.
    QString formatTime(qint64 unixSeconds) const;

Q_SIGNALS:
    void storeChanged();
    void filterChanged(const QString& expression);
    void backAvailableChanged(bool available);
    void timeDisplayChanged(ui::TimeDisplay mode);
    void namesChanged();

private:
    std::shared_ptr<core::Store> m_store;
    QString m_filter;
    QStringList m_back;
    core::NameDirectory m_names;
    TimeDisplay m_timeDisplay = TimeDisplay::Utc;
};

} // namespace ui
