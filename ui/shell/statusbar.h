#pragma once
// The main window's status bar (issue 12): a temporary message never runs into the permanent
// widgets (load progress, record counts): it ends a gap before the first of them, is elided
// with "…" when it does not fit, and its full text is the tooltip. GUI thread only.
#include <QStatusBar>

namespace ui {

class StatusBar : public QStatusBar {
    Q_OBJECT
public:
    explicit StatusBar(QWidget* parent = nullptr);

    /// Where the temporary message is drawn: from the leading edge to kGap pixels before the
    /// first visible permanent widget.
    QRect messageArea() const;
    /// The temporary message as drawn (on one line, elided to messageArea()); empty when none.
    QString shownMessage() const;

    static constexpr int kGap = 12;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* e) override;

private:
    QList<QWidget*> visibleItems() const;
};

} // namespace ui
