#pragma once
// Help > About: the application version (one number, set by project(VERSION) in CMake), the Qt
// version in use (and the one it was built with) and the SQLite version in use, as a short
// plain-text report with a Copy button, so a user can paste it into a bug report.
#include <QDialog>

class QPlainTextEdit;

namespace ui {

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(QWidget* parent = nullptr);

    /// "Flowlog Explorer 0.1.0\nQt 6.4.2 (built with 6.4.2)\nSQLite 3.40.1\nParquet: DuckDB v1.4.4\n<OS>, <CPU>":
    /// the lines the dialog shows and Copy puts on the clipboard. GUI thread.
    static QString versionReport();

private:
    QPlainTextEdit* m_report;
};

} // namespace ui
