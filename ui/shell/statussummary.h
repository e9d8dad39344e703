#pragma once
// The permanent part of the main window's status bar: what the session holds (records,
// rejected lines as a link to the load report, time span, files), computed in the background
// whenever the store changes.
#include <QColor>
#include <QWidget>

class QLabel;

namespace ui {

class JobTracker;
class Session;

class StatusSummary : public QWidget {
    Q_OBJECT
public:
    explicit StatusSummary(Session* session, QWidget* parent = nullptr);

    qint64 records() const { return m_records; }
    qint64 rejected() const { return m_rejected; }
    /// Records with a tgw-attachment-id / an interface-id (what kind of logs are loaded).
    qint64 tgwRecords() const { return m_tgw; }
    qint64 vpcRecords() const { return m_vpc; }
    QLabel* rejectedLabel() const { return m_rejectedLabel; }
    /// The warning colour of a non-zero rejected count (readable on a light / dark window).
    static QColor rejectedColor(bool dark);

Q_SIGNALS:
    /// The user clicked the rejected-lines count.
    void rejectsClicked();
    /// New totals are shown.
    void updated(qint64 records);

private:
    void refresh();
    void showTimes();

    Session* m_session;
    JobTracker* m_job;
    QLabel* m_recordsLabel;
    QLabel* m_rejectedLabel;
    QLabel* m_spanLabel;
    QLabel* m_filesLabel;
    qint64 m_records = 0;
    qint64 m_rejected = 0;
    qint64 m_tgw = 0;
    qint64 m_vpc = 0;
    qint64 m_first = 0;
    qint64 m_last = 0;
};

} // namespace ui
