#pragma once
// "Follow one flow": draws the path of the session's current record (core::traceFlow) as
// boxes and arrows: entry attachment -> Transit Gateway -> exit attachment with the record
// logged at each side, drops at the TGW, and the reply flow below; for VPC records the
// interface, subnet and VPC with the action. Names are shown when loaded. Clicking a record
// asks (recordRequested) for it to be selected in the table. Tracing runs off the GUI thread.
#include "core/analysis/flowpath.h"

#include <QRectF>
#include <QWidget>
#include <optional>
#include <vector>

class QLabel;
class QScrollArea;

namespace ui {

class JobTracker;
class Session;
class FlowPathCanvas;

/// One drawn box of the path (canvas coordinates). Exposed for tests and tooltips.
struct FlowPathBox {
    enum class Kind { Node, Record, MissingRecord, Drop, Note };
    Kind kind = Kind::Node;
    QRectF rect;
    QString caption;   ///< small upper-case line: "ENTRY ATTACHMENT", "INGRESS RECORD #12", ...
    QStringList lines; ///< the box's text lines, first one bold
    QString toolTip;
    qint64 recordId = 0;  ///< Record boxes: flows.id (clickable)
    bool current = false; ///< the record the page follows
    bool dimmed = false;  ///< an exit the packets did not reach
    bool alert = false;   ///< drops, REJECT
};

class FlowPathPage : public QWidget {
    Q_OBJECT
public:
    explicit FlowPathPage(Session* session, QWidget* parent = nullptr);
    ~FlowPathPage() override;

    /// Traces record `id` in the background (-1 clears). Normally driven by
    /// Session::currentRecordChanged.
    void showRecord(qint64 id);
    qint64 recordId() const { return m_id; }
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
    qint64 m_id = -1;
    std::optional<core::FlowPath> m_path;
};

} // namespace ui
