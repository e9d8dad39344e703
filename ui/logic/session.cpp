#include "ui/logic/session.h"

#include "core/model/fields.h"
#include "core/query/filter.h"

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

void Session::notifyStoreChanged()
{
    Q_EMIT storeChanged();
}

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

void Session::setCurrentRecord(qint64 id)
{
    if (id < 0) id = -1;
    if (id == m_currentRecord) return;
    m_currentRecord = id;
    Q_EMIT currentRecordChanged(id);
}

void Session::setTimeDisplay(TimeDisplay mode)
{
    if (mode == m_timeDisplay) return;
    m_timeDisplay = mode;
    Q_EMIT timeDisplayChanged(mode);
}

void Session::setNameDisplay(NameDisplay mode)
{
    if (mode == m_nameDisplay) return;
    m_nameDisplay = mode;
    Q_EMIT nameDisplayChanged(mode);
}

QString Session::displayId(const QString& id) const
{
    if (m_nameDisplay == NameDisplay::Ids || id.isEmpty()) return id;
    const core::NameEntry* e = m_names.find(id);
    if (!e || e->name.isEmpty()) return id;
    return m_nameDisplay == NameDisplay::Name ? e->name : e->name + QStringLiteral(" (") + id + QLatin1Char(')');
}

QStringList Session::describeId(const QString& id) const
{
    const core::NameEntry* e = m_names.find(id);
    if (!e) return {};
    QStringList lines;
    auto add = [&](const QString& label, const QString& value) {
        if (!value.isEmpty()) lines << label + QStringLiteral(": ") + value;
    };
    add(tr("kind"), e->kind);
    add(tr("resource"), m_names.label(e->resourceId));
    add(tr("owner"), e->ownerId);
    add(tr("route table"), m_names.label(e->routeTableId));
    add(tr("CIDR"), e->cidr);
    add(tr("AZ"), e->az);
    add(tr("VPC"), m_names.label(e->vpcId));
    add(tr("subnet"), m_names.label(e->subnetId));
    add(tr("instance"), m_names.label(e->instanceId));
    if (!e->privateIps.isEmpty()) add(tr("addresses"), e->privateIps.join(QStringLiteral(", ")));
    add(tr("description"), e->description);
    return lines;
}

QString Session::describeAddress(const QString& address) const
{
    const QString eni = m_names.eniForAddress(address);
    if (eni.isEmpty()) return {};
    QStringList parts{m_names.label(eni)};
    if (const core::NameEntry* e = m_names.find(eni)) {
        if (!e->instanceId.isEmpty()) parts << tr("instance %1").arg(m_names.label(e->instanceId));
        if (!e->subnetId.isEmpty()) parts << tr("subnet %1").arg(m_names.label(e->subnetId));
    }
    return parts.join(QStringLiteral(" · "));
}

bool Session::isIdField(const QString& field)
{
    const auto f = core::findField(field.toStdString());
    return f && core::isNameableColumn(QString::fromLatin1(core::fieldInfo(*f).column));
}

bool Session::isAddressField(const QString& field)
{
    const auto f = core::findField(field.toStdString());
    return f && core::fieldInfo(*f).type == core::FieldType::Address;
}

QString Session::formatTime(qint64 s) const
{
    switch (m_timeDisplay) {
    case TimeDisplay::Unix:
        return QString::number(s);
    case TimeDisplay::Local:
        return QDateTime::fromSecsSinceEpoch(s).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case TimeDisplay::Utc:
        break;
    }
    return QDateTime::fromSecsSinceEpoch(s, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss'Z'"));
}

} // namespace ui
