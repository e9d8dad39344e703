#pragma once
// The state every page shares: the loaded store, the current filter (with a Back stack of
// earlier filters for drill-down undo) and how times are displayed. GUI thread only.
// Pages never talk to each other directly: they read the Session and react to its signals.
#include "core/names/names.h"
#include "core/store/store.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>

namespace ui {

enum class TimeDisplay { Utc, Local, Unix };
/// How ids with a known Name tag are shown: "tgw-attach-0a1b…", "prod-app (tgw-attach-0a1b…)"
/// or "prod-app". Filters, sorting, export and raw values always use the ids.
enum class NameDisplay { Ids, NameAndId, Name };

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
    /// The Back stack, oldest first (saved in session files).
    QStringList history() const { return m_back; }
    void back();

    /// Names for ids, from AWS CLI describe-* JSON (empty until loaded).
    const core::NameDirectory& names() const { return m_names; }
    /// Replaces the names, writes them into the store's `names` table, emits namesChanged().
    void setNames(core::NameDirectory names);

    NameDisplay nameDisplay() const { return m_nameDisplay; }
    void setNameDisplay(NameDisplay mode);
    /// `id` per nameDisplay(); ids without a known name (and every id in Ids mode) stay as
    /// they are. A hash lookup: cheap enough for QAbstractItemModel::data().
    QString displayId(const QString& id) const;
    /// What the names say about an id beyond its Name tag, one "label: value" per line
    /// (kind, resource, owner, route table, CIDR, AZ, VPC, subnet, instance, description);
    /// ids are shown as "Name (id)". Empty when nothing is known.
    QStringList describeId(const QString& id) const;
    /// The ENI owning a private address, as "eni-… (Name) · instance i-… · subnet subnet-… (Name)";
    /// empty when the names do not map the address.
    QString describeAddress(const QString& address) const;
    /// True for fields that hold AWS ids names can stand for (tgw-attachment-id, vpc-id,
    /// interface-id, tgw-src-eni, ...), by SQL or AWS field name.
    static bool isIdField(const QString& field);
    /// True for the address fields (srcaddr, dstaddr, pkt-srcaddr, pkt-dstaddr).
    static bool isAddressField(const QString& field);

    /// The record the user is looking at (flows.id; -1 = none). Pages that follow one record
    /// (Follow Flow) react to currentRecordChanged(). Emits only on change.
    void setCurrentRecord(qint64 id);
    qint64 currentRecord() const { return m_currentRecord; }

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
    void currentRecordChanged(qint64 id);
    void nameDisplayChanged(ui::NameDisplay mode);

private:
    std::shared_ptr<core::Store> m_store;
    QString m_filter;
    QStringList m_back;
    core::NameDirectory m_names;
    TimeDisplay m_timeDisplay = TimeDisplay::Utc;
    qint64 m_currentRecord = -1;
    NameDisplay m_nameDisplay = NameDisplay::NameAndId;
};

} // namespace ui
