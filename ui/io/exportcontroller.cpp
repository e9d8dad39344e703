#include "ui/io/exportcontroller.h"
#include "core/model/units.h"

#include "ui/logic/session.h"

#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLabel>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace ui {

namespace {

struct ExportOptions {
    bool allColumns = false;
    bool guardFormulas = true;
    bool withNames = false;
};

const QString kAllColumnsKey = QStringLiteral("export/allColumns");
const QString kGuardFormulasKey = QStringLiteral("export/guardFormulas");
const QString kWithNamesKey = QStringLiteral("export/withNames");

bool askOptions(QWidget* parent, int visibleCount, qint64 rows, const QString& filter, bool namesLoaded, ExportOptions* options)
{
    QDialog dialog(parent);
    dialog.setObjectName(QStringLiteral("exportOptions"));
    dialog.setWindowTitle(ExportController::tr("Export View as CSV"));
    auto* layout = new QVBoxLayout(&dialog);
    auto* info = new QLabel(filter.isEmpty()
                                ? ExportController::tr("Exports all %1 rows, in the order shown.").arg(core::formatInteger(rows))
                                : ExportController::tr("Exports the %1 rows matching\n%2\nin the order shown.")
                                      .arg(core::formatInteger(rows), filter),
                            &dialog);
    info->setWordWrap(true);
    layout->addWidget(info);
    auto* visible = new QRadioButton(ExportController::tr("&Visible columns, in display order (%1)").arg(visibleCount), &dialog);
    auto* all = new QRadioButton(ExportController::tr("&All columns"), &dialog);
    (options->allColumns ? all : visible)->setChecked(true);
    layout->addWidget(visible);
    layout->addWidget(all);
    auto* guard = new QCheckBox(
        ExportController::tr("&Neutralise spreadsheet formulas (values starting with = + - @ get a ' prefix)"), &dialog);
    guard->setObjectName(QStringLiteral("exportGuardFormulas"));
    guard->setChecked(options->guardFormulas);
    layout->addWidget(guard);
    auto* names = new QCheckBox(ExportController::tr("Add &name columns (the Name tag after each id column, e.g. "
                                                     "tgw_attachment_id_name)"),
                                &dialog);
    names->setObjectName(QStringLiteral("exportWithNames"));
    names->setChecked(options->withNames);
    names->setToolTip(namesLoaded ? ExportController::tr("Ids stay as they are; unknown ids get an empty name.")
                                  : ExportController::tr("No names are loaded (File > Load AWS Resource Names…): "
                                                         "the name columns will be empty."));
    layout->addWidget(names);
    auto* note = new QLabel(
        ExportController::tr("Values are raw: times in Unix seconds, numbers as digits, no value as an empty field."), &dialog);
    note->setWordWrap(true);
    note->setEnabled(false);
    layout->addWidget(note);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(ExportController::tr("Choose File…"));
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    if (dialog.exec() != QDialog::Accepted) return false;
    options->allColumns = all->isChecked();
    options->guardFormulas = guard->isChecked();
    options->withNames = names->isChecked();
    return true;
}

} // namespace

ExportController::ExportController(Session* session, QWidget* dialogParent)
    : QObject(dialogParent), m_session(session), m_dialogParent(dialogParent)
{
}

ExportController::~ExportController()
{
    if (m_cancel) m_cancel->store(true);
    m_future.waitForFinished();
}

void ExportController::exportInteractive(const QStringList& visibleColumns, const std::vector<core::SortKey>& sort, qint64 rows)
{
    if (m_running) return;
    QSettings settings;
    ExportOptions options;
    options.allColumns = settings.value(kAllColumnsKey, false).toBool();
    options.guardFormulas = settings.value(kGuardFormulasKey, true).toBool();
    options.withNames = settings.value(kWithNamesKey, false).toBool();
    if (!askOptions(m_dialogParent, static_cast<int>(visibleColumns.size()), rows, m_session->filter(),
                    !m_session->names().isEmpty(), &options))
        return;
    settings.setValue(kAllColumnsKey, options.allColumns);
    settings.setValue(kGuardFormulasKey, options.guardFormulas);
    settings.setValue(kWithNamesKey, options.withNames);
    const QString dir = settings.value(QStringLiteral("export/lastDir"), QDir::homePath()).toString();
    const QString path =
        QFileDialog::getSaveFileName(m_dialogParent, tr("Export View as CSV"), QDir(dir).filePath(QStringLiteral("flows.csv")),
                                     tr("CSV files (*.csv);;All files (*)"));
    if (path.isEmpty()) return;
    settings.setValue(QStringLiteral("export/lastDir"), QFileInfo(path).absolutePath());
    core::ExportRequest request;
    if (!options.allColumns) request.columns = visibleColumns;
    request.filter = m_session->filter();
    request.sort = sort;
    request.csv.guardFormulas = options.guardFormulas;
    request.withNames = options.withNames;
    start(request, path);
}

bool ExportController::start(const core::ExportRequest& request, const QString& path)
{
    if (m_running) return false;
    m_running = true;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_progress =
        new QProgressDialog(tr("Exporting to %1…").arg(QFileInfo(path).fileName()), tr("Cancel"), 0, 1000, m_dialogParent);
    m_progress->setObjectName(QStringLiteral("exportProgress"));
    m_progress->setWindowTitle(tr("Export View as CSV"));
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->setMinimumDuration(400);
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    connect(m_progress, &QProgressDialog::canceled, this, &ExportController::cancel);

    auto store = m_session->store();
    auto cancel = m_cancel;
    auto error = std::make_shared<core::Error>();
    auto outcome = std::make_shared<core::Outcome>(core::Outcome::Failed);
    QPointer<QProgressDialog> dialog(m_progress);
    QPointer<ExportController> self(this);
    auto* watcher = new QFutureWatcher<void>(this);
    connect(watcher, &QFutureWatcher<void>::finished, this, [this, watcher, outcome, error, path]() {
        watcher->deleteLater();
        m_running = false;
        if (m_progress) {
            m_progress->deleteLater();
            m_progress = nullptr;
        }
        QString message;
        switch (*outcome) {
        case core::Outcome::Ok:
            message = tr("Exported to %1.").arg(QDir::toNativeSeparators(path));
            break;
        case core::Outcome::Cancelled:
            message = tr("Export cancelled; %1 was not written.").arg(QDir::toNativeSeparators(path));
            break;
        case core::Outcome::Failed:
            message = tr("Export to %1 failed: %2").arg(QDir::toNativeSeparators(path), error->toString());
            break;
        }
        Q_EMIT finished(*outcome, path, message);
    });
    m_future = QtConcurrent::run([store, request, path, cancel, error, outcome, self]() {
        auto progress = [self](qint64 done, qint64 total) {
            QMetaObject::invokeMethod(
                self.data(),
                [self, done, total]() {
                    if (self && self->m_progress && total > 0)
                        self->m_progress->setValue(static_cast<int>(std::min<qint64>(999, done * 1000 / total)));
                },
                Qt::QueuedConnection);
        };
        *outcome = core::exportCsvFile(*store, request, path, progress, cancel.get(), error.get());
    });
    watcher->setFuture(m_future);
    return true;
}

void ExportController::cancel()
{
    if (m_cancel) m_cancel->store(true);
}

} // namespace ui
