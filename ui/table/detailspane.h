#pragma once
// The details of one record (a dock next to the table): every field with its value, decoded
// form and meaning from the field registry; drop counters with what each reason means; the
// source file:line and raw line (re-read from the file in the background); and for Transit
// Gateway records a link to the same flow logged at the other attachment (flows.twin_id).
#include "core/model/fields.h"
#include "core/model/ids.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QTreeWidget;
class QTreeWidgetItem;

namespace ui {

class JobTracker;
class Session;

class DetailsPane : public QWidget {
    Q_OBJECT
public:
    explicit DetailsPane(Session* session, QWidget* parent = nullptr);

    /// Shows record `id`; core::kNoRecord (any id < 0) clears. The record is read in the background.
    void showRecord(core::RecordId id);
    core::RecordId recordId() const { return m_id; }
    /// The twin record shown by the link, core::kNoRecord if none.
    core::RecordId twinId() const { return m_twin; }
    QTreeWidget* tree() const { return m_tree; }
    QString rawLine() const;

    /// Reads line `line` (1-based) of a plain or gzip file; error sentence in *error.
    static QString readLine(const QString& path, qint64 line, QString* error);

Q_SIGNALS:
    // Signals carry the record id as its qint64 (flows.id): plain for QSignalSpy and queued use.
    /// The user followed the twin link.
    void recordRequested(qint64 id);
    /// The record's fields are shown (tests).
    void recordShown(qint64 id);

private:
    struct Record;
    void showFields(const Record& r);
    QString titleText(const Record& r) const;
    void showTwinLink(const Record& r);
    void addDropItems(const Record& r);
    void addFieldItems(QTreeWidgetItem* fields, const Record& r);
    void addNameFacts(QTreeWidgetItem* item, const QString& column, const QVariant& value);
    /// The Value column's text of a field (decoded: times, protocol, flags, ...); may set *meaning.
    QString valueText(core::FieldId f, const QVariant& value, QString* meaning) const;
    void showSource(const Record& r);
    void clearView(const QString& message);

    Session* m_session;
    JobTracker* m_job;
    JobTracker* m_rawJob;
    core::RecordId m_id = core::kNoRecord;
    core::RecordId m_twin = core::kNoRecord;
    QLabel* m_title;
    QLabel* m_twinLink;
    QTreeWidget* m_tree;
    QLabel* m_meaning;
    QCheckBox* m_showEmpty;
    QLabel* m_source;
    QPlainTextEdit* m_raw;
};

} // namespace ui
