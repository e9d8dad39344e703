#pragma once
// The load report: what each file was recognised as, records and rejected lines per file,
// file-level errors, and the kept rejected lines (file, line, reason, raw line). Copyable.
#include "core/ingest/loader.h"

#include <QDialog>

class QLabel;
class QTableWidget;

namespace ui {

class LoadReportDialog : public QDialog {
    Q_OBJECT
public:
    explicit LoadReportDialog(QWidget* parent = nullptr);
    void setReport(const core::LoadReport& report);

    QTableWidget* filesTable() const { return m_files; }
    QTableWidget* rejectionsTable() const { return m_rejections; }
    /// Tab-separated text of a table's selected rows (all rows if none are selected), with a header.
    static QString tableText(const QTableWidget* table);

    /// One paragraph for the user about a finished load: "Loaded 3 files: 10,000 records,
    /// 2 lines rejected." plus each file-level error as its own sentence.
    static QString summary(const core::LoadReport& report);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    QLabel* m_summary;
    QTableWidget* m_files;
    QTableWidget* m_rejections;
};

} // namespace ui
