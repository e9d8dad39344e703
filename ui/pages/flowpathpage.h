#pragma once
// "Follow one flow": draws the path of the session's current record (core::traceFlow) as
// boxes and arrows: entry attachment -> Transit Gateway -> exit attachment with the record
// logged at each side, drops at the TGW, and the reply flow below; for VPC records the
// interface, subnet and VPC with the action. Names are shown when loaded. Clicking a record
// asks (recordRequested) for it to be selected in the table. Tracing runs off the GUI thread.
#include "core/analysis/flowpath.h"
#include "ui/pages/flowpathcanvas.h"

#include <QWidget>
#include <optional>
#include <vector>

class QLabel;
class QScrollArea;

namespace ui {

class JobTracker;
class Session;

class FlowPathPage : public QWidget {
    Q_OBJECT
public:
    explicit FlowPathPage(Session* session, QWidget* parent = nullptr);
    ~FlowPathPage() override;

    /// Traces record `id` in the background (-1 clears). Normally driven by
    /// Session::currentRecordChanged.
    void showRecord(core::RecordId id);
    core::RecordId recordId() const { return m_id; }
    /// The path shown, if any.
    const std::optional<core::FlowPath>& path() const { return m_path; }
    /// The boxes drawn, in canvas coordinates.
    const std::vector<FlowPathBox>& boxes() const;
    /// The painted widget (inside a scroll area); tests click on it.
    QWidget* canvas() const;
    /// The status line above the drawing ("Select a record…", errors).
    QString statusText() const;

Q_SIGNALS:
    /// The user clicked a record box: select this record in the table.
    void recordRequested(qint64 id);
    /// A path (or an error) is shown for `id` (tests).
    void pathShown(qint64 id);

private:
    void retrace();
    void rebuild();

    Session* m_session;
    JobTracker* m_job;
    QLabel* m_status;
    QScrollArea* m_scroll;
    FlowPathCanvas* m_canvas;
    core::RecordId m_id = core::kNoRecord;
    std::optional<core::FlowPath> m_path;
};

} // namespace ui
