#include "ui/session.h"

#include <QDateTime>

namespace ui {

Session::Session(QObject* parent) : QObject(parent)
{
    auto created = core::Store::create();
    if (created.ok()) m_store = std::shared_ptr<core::Store>(std::move(created.value()));
}

Session::~Session() = default;

void Session::setStore(std::shared_ptr<core::Store> store)
{
    m_store = std::move(store);
    if (m_store && !m_names.isEmpty()) core::storeNames(*m_store, m_names);
    const bool hadBack = !m_back.isEmpty();
    m_back.clear();
    m_filter.clear();
    if (hadBack) Q_EMIT backAvailableChanged(false);
    Q_EMIT storeChanged();
    Q_EMIT filterChanged(m_filter);
}

void Session::setNames(core::NameDirectory names)
{
    m_names = std::move(names);
    if (m_store) core::storeNames(*m_store, m_names);
    Q_EMIT namesChanged();
}

void Session::notifyStoreChanged() { Q_EMIT storeChanged(); }

void Session::setFilter(const QString& expression)
{
    const QString e = expression.trimmed();
    if (e == m_filter) return;
    const bool hadBack = !m_back.isEmpty();
    m_back.push_back(m_filter);
    m_filter = e;
    if (!hadBack) Q_EMIT backAvailableChanged(true);
    Q_EMIT filterChanged(m_filter);
}

void Session::back()
{
    if (m_back.isEmpty()) return;
    m_filter = m_back.takeLast();
    if (m_back.isEmpty()) Q_EMIT backAvailableChanged(false);
    Q_EMIT filterChanged(m_filter);
}

void Session::setTimeDisplay(TimeDisplay mode)
{
    if (mode == m_timeDisplay) return;
    m_timeDisplay = mode;
    Q_EMIT timeDisplayChanged(mode);
}

QString Session::formatTime(qint64 s) const
{
    switch (m_timeDisplay) {
    case TimeDisplay::Unix: return QString::number(s);
    case TimeDisplay::Local:
        return QDateTime::fromSecsSinceEpoch(s).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case TimeDisplay::Utc: break;
    }
    return QDateTime::fromSecsSinceEpoch(s, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss'Z'"));
}

} // namespace ui
