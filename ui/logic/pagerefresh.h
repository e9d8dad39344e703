#pragma once
// When a view page (Attachments, Drops, Timeline) recomputes, and on which filter: one copy of the
// rules the three pages share.
//  - LazyRefresh: a page recomputes only while it is visible and shows the loaded records; a
//    hidden page, or one showing a query result, remembers that it is out of date and recomputes
//    when it is shown again or on Back.
//  - DrillDown: a click on an item narrows the session filter to "the filter before the click and
//    the item", so the record table shows the item's records, while the page keeps computing on
//    the filter before the click so that the clicked item (and its neighbours) stay in view. The
//    drill-down lasts while the session filter is the one the click set; any other change (filter
//    bar, Back, another page) ends it.
// Pure and widget-free: the pages pass in isVisible() and the session filter.
#include <QString>

namespace ui {

class LazyRefresh {
public:
    /// Marks the page out of date; true when it should recompute now (`visible`).
    bool request(bool visible)
    {
        m_dirty = true;
        return visible;
    }
    /// The page was shown: true when it is out of date and should recompute.
    bool shown() const { return m_dirty; }
    /// At the start of a recompute: true when it may run now (`canRun`, e.g. visible and not showing
    /// a query result), which makes the page up to date; false leaves it out of date.
    bool start(bool canRun)
    {
        m_dirty = !canRun;
        return canRun;
    }
    /// Out of date without a recompute now (e.g. a query result replaced the page's rows).
    void invalidate() { m_dirty = true; }
    bool dirty() const { return m_dirty; }

private:
    bool m_dirty = true; ///< a new page has never computed
};

class DrillDown {
public:
    /// True while the session filter is the one the last click set.
    bool active(const QString& sessionFilter) const { return !m_expected.isEmpty() && sessionFilter == m_expected; }
    /// The filter the page computes on: the filter before the click while the drill-down is
    /// active, else the session filter.
    QString pageFilter(const QString& sessionFilter) const { return active(sessionFilter) ? m_base : sessionFilter; }
    /// The base for a click: while a drill-down is active and `keepBase` (a further click replaces
    /// or extends the selection), the filter before the first click; else the session filter.
    QString baseFor(const QString& sessionFilter, bool keepBase) const
    {
        return keepBase && active(sessionFilter) ? m_base : sessionFilter;
    }
    /// Records a click: `base` (from baseFor) narrowed to `narrowed`. Returns the filter to give the
    /// session (`narrowed`, trimmed).
    QString drill(const QString& base, const QString& narrowed)
    {
        m_base = base;
        m_expected = narrowed.trimmed();
        return m_expected;
    }
    /// The session filter changed to `expression`: false when this ends a drill-down (someone else
    /// changed the filter; the drill-down is forgotten), true when it is the click's own filter or
    /// none was active.
    bool follow(const QString& expression)
    {
        if (m_expected.isEmpty() || expression == m_expected) return true;
        clear();
        return false;
    }
    void clear()
    {
        m_base.clear();
        m_expected.clear();
    }
    /// The filter before the click (empty when none).
    const QString& base() const { return m_base; }

private:
    QString m_base;     ///< the session filter before the first click
    QString m_expected; ///< the filter the last click gave the session
};

} // namespace ui
