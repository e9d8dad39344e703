#pragma once
// The drawing of the Follow Flow page (flowpathpage.h): boxes (nodes, record cards, drops,
// notes) and the arrows between them, laid out by the page; hit-tests clicks on record boxes
// and shows box tooltips. Split from the page so the page keeps the tracing and layout.
#include <QRectF>
#include <QStringList>
#include <QWidget>
#include <functional>
#include <vector>

namespace ui {

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

/// Paints the boxes and arrows of a path; hit-tests clicks on record boxes.
class FlowPathCanvas : public QWidget {
public:
    explicit FlowPathCanvas(QWidget* parent) : QWidget(parent)
    {
        setMouseTracking(true);
        setObjectName(QStringLiteral("flowPathCanvas"));
    }

    struct Leg {
        QString title;
        QRectF titleRect;
        bool transitGateway = true;
        bool endsAtTgw = false;
        std::vector<int> chain; ///< node boxes left to right
        QString note;           ///< "no reply record loaded…" (no boxes)
    };

    std::vector<FlowPathBox> boxes;
    std::vector<Leg> legs;
    std::function<void(qint64)> onRecordClicked;

    /// A box's lines as painted: elided to its width (node boxes and ids in the middle, so a
    /// long name keeps its distinct end; the tooltip has the full text).
    QStringList shownLines(const FlowPathBox& b) const;

    const FlowPathBox* boxAt(const QPointF& p) const
    {
        for (const auto& b : boxes)
            if (b.rect.contains(p)) return &b;
        return nullptr;
    }

protected:
    void paintEvent(QPaintEvent*) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    bool event(QEvent* e) override;

private:
    void drawBox(QPainter& p, const FlowPathBox& b) const;
    void drawArrow(QPainter& p, QPointF from, QPointF to, bool broken, bool withHead) const;
};

} // namespace ui
