#pragma once
// Before a load: if the estimate (core/memory.h) is above the available memory, a dialog
// says so with the numbers and offers a time window, a sample, loading anyway, or Cancel,
// instead of letting the system run out of memory.
#include "core/ingest/loader.h"
#include "core/ingest/memory.h"

#include <QDialog>
#include <optional>

class QDateTimeEdit;
class QLabel;
class QPushButton;
class QSpinBox;

namespace ui {

class MemoryGuardDialog : public QDialog {
    Q_OBJECT
public:
    enum class Choice { Cancel, Window, Sample, Anyway };

    /// `estimate` of `fileCount` files against `availableBytes`; `base` is the load's options
    /// (format, cancel flag, progress), kept in options().
    MemoryGuardDialog(const core::LoadEstimate& estimate, qsizetype fileCount, qint64 availableBytes,
                      const core::LoadOptions& base, QWidget* parent = nullptr);

    /// `base` with the chosen time window or sample (unchanged for Anyway).
    core::LoadOptions options() const;

    /// The proposed time window: the latest part of the files' time span (from S3 file
    /// names) that fits, else the last hour before now. Pure, for tests.
    static std::pair<qint64, qint64> proposeWindow(const core::LoadEstimate& estimate, qint64 availableBytes, qint64 now);

private:
    void choose(Choice c);
    void updateEstimates();
    core::LoadOptions windowOptions() const;
    core::LoadOptions sampleOptions() const;

    core::LoadEstimate m_estimate;
    qint64 m_available;
    core::LoadOptions m_base;
    Choice m_choice = Choice::Cancel;
    QDateTimeEdit* m_from;
    QDateTimeEdit* m_to;
    QSpinBox* m_sample;
    QLabel* m_windowEstimate;
    QLabel* m_sampleEstimate;
    QPushButton* m_windowButton;
};

/// Checks `files` (as expandPaths() returns them) against the available memory. Returns
/// `options` unchanged if the load fits (or the available memory is unknown); otherwise shows
/// MemoryGuardDialog (modal) and returns the options for the user's choice, or nullopt on Cancel.
/// GUI thread.
std::optional<core::LoadOptions> confirmLoad(QWidget* parent, const QStringList& files, const core::LoadOptions& options);

/// "412 records outside the time window and 9,012 left out by the sample were not loaded."
/// or "" when the load had no window or sample. For status messages and the load report.
QString loadLimitsSummary(const core::LoadReport& report);

} // namespace ui
