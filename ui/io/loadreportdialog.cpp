#include "ui/io/loadreportdialog.h"
#include "core/model/units.h"

#include "ui/io/memoryguard.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace ui {

namespace {

QTableWidget* makeTable(const QStringList& headers, QWidget* parent)
{
    auto* t = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    t->setHorizontalHeaderLabels(headers);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setWordWrap(false);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setStretchLastSection(true);
    t->setAlternatingRowColors(true);
    return t;
}

QTableWidgetItem* item(const QString& text)
{
    auto* i = new QTableWidgetItem(text);
    i->setToolTip(text);
    return i;
}

QTableWidgetItem* number(qint64 n)
{
    auto* i = new QTableWidgetItem(core::formatInteger(n));
    i->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return i;
}

} // namespace

LoadReportDialog::LoadReportDialog(QWidget* parent)
    : QDialog(parent), m_summary(new QLabel(this)),
      m_files(makeTable({tr("File"), tr("Recognised as"), tr("Records"), tr("Rejected"), tr("Problem")}, this)),
      m_rejections(makeTable({tr("File"), tr("Line"), tr("Reason"), tr("Raw line")}, this))
{
    setObjectName(QStringLiteral("loadReportDialog"));
    setWindowTitle(tr("Load Report"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_files);
    split->addWidget(m_rejections);
    split->setStretchFactor(1, 2);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* copy = buttons->addButton(tr("&Copy Rejected Lines"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this, [this]() { QApplication::clipboard()->setText(tableText(m_rejections)); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
    layout->addWidget(buttons);
    resize(1000, 600);
}

QString LoadReportDialog::summary(const core::LoadReport& r)
{
    QString text = tr("%n file(s): ", nullptr, static_cast<int>(r.files.size()))
                   + tr("%1 records loaded, %2 lines rejected, in %3 s.")
                         .arg(core::formatInteger(r.records), core::formatInteger(r.rejected))
                         .arg(r.seconds, 0, 'f', 1);
    if (const QString limits = loadLimitsSummary(r); !limits.isEmpty()) text += QLatin1Char(' ') + limits;
    if (r.outcome == core::Outcome::Cancelled) text += QLatin1Char(' ') + tr("Loading was cancelled.");
    if (!r.namesFiles.empty()) {
        qint64 names = 0;
        for (const core::NamesFileReport& n : r.namesFiles) names += n.entries;
        text +=
            QLatin1Char(' ')
            + (r.namesFiles.size() == 1 ? tr("%1 names read from 1 AWS CLI JSON file.").arg(core::formatInteger(names))
                                        : tr("%1 names read from %2 AWS CLI JSON files.")
                                              .arg(core::formatInteger(names), core::formatInteger(qint64(r.namesFiles.size()))));
    }
    for (const QString& e : r.errors) text += QLatin1Char('\n') + e;
    return text;
}

void LoadReportDialog::setReport(const core::LoadReport& r)
{
    QString text = summary(r);
    if (r.rejected > static_cast<qint64>(r.rejections.size()))
        text += QLatin1Char('\n')
                + tr("The first %1 rejected lines are listed below.")
                      .arg(core::formatInteger(static_cast<qint64>(r.rejections.size())));
    m_summary->setText(text);
    m_files->setRowCount(static_cast<int>(r.files.size()));
    for (int i = 0; i < m_files->rowCount(); ++i) {
        const core::FileReport& f = r.files[static_cast<size_t>(i)];
        QString problem = f.error;
        if (f.truncated) problem = problem.isEmpty() ? tr("truncated: the end of the file is missing") : problem;
        m_files->setItem(i, 0, item(f.path));
        m_files->setItem(i, 1, item(f.format));
        m_files->setItem(i, 2, number(f.records));
        m_files->setItem(i, 3, number(f.rejected));
        m_files->setItem(i, 4, item(problem));
    }
    // Names files (AWS CLI describe-* JSON) are listed after the logs, with what they gave.
    const int logs = m_files->rowCount();
    m_files->setRowCount(logs + static_cast<int>(r.namesFiles.size()));
    for (int i = 0; i < static_cast<int>(r.namesFiles.size()); ++i) {
        const core::NamesFileReport& n = r.namesFiles[static_cast<size_t>(i)];
        m_files->setItem(logs + i, 0, item(n.path));
        m_files->setItem(logs + i, 1, item(tr("AWS resource names (%1)").arg(n.source)));
        m_files->setItem(logs + i, 2, item(QString()));
        m_files->setItem(logs + i, 3, item(QString()));
        m_files->setItem(logs + i, 4, item(n.entries == 1 ? tr("1 name read") : tr("%1 names read").arg(n.entries)));
    }
    m_rejections->setRowCount(static_cast<int>(r.rejections.size()));
    for (int i = 0; i < m_rejections->rowCount(); ++i) {
        const core::LoadedRejection& rej = r.rejections[static_cast<size_t>(i)];
        m_rejections->setItem(i, 0, item(rej.file));
        auto* line = item(QString::number(rej.line));
        line->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_rejections->setItem(i, 1, line);
        m_rejections->setItem(i, 2, item(rej.reason));
        auto* raw = item(rej.raw);
        raw->setFont(QFont(QStringLiteral("monospace")));
        m_rejections->setItem(i, 3, raw);
    }
    m_files->resizeColumnsToContents();
    m_rejections->resizeColumnsToContents();
    for (QTableWidget* t : {m_files, m_rejections})
        for (int c = 0; c < t->columnCount(); ++c) t->setColumnWidth(c, std::min(t->columnWidth(c), 420));
}

QString LoadReportDialog::tableText(const QTableWidget* table)
{
    QList<int> rows;
    for (const QModelIndex& i : table->selectionModel()->selectedRows()) rows << i.row();
    if (rows.isEmpty())
        for (int r = 0; r < table->rowCount(); ++r) rows << r;
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    QStringList header;
    for (int c = 0; c < table->columnCount(); ++c) header << table->horizontalHeaderItem(c)->text();
    lines << header.join(QLatin1Char('\t'));
    for (int r : rows) {
        QStringList fields;
        for (int c = 0; c < table->columnCount(); ++c) {
            const QTableWidgetItem* i = table->item(r, c);
            fields << (i ? i->text().replace(QLatin1Char('\t'), QLatin1Char(' ')) : QString());
        }
        lines << fields.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

void LoadReportDialog::keyPressEvent(QKeyEvent* event)
{
    if (event->matches(QKeySequence::Copy)) {
        const QTableWidget* t = m_files->hasFocus() ? m_files : m_rejections;
        QApplication::clipboard()->setText(tableText(t));
        return;
    }
    QDialog::keyPressEvent(event);
}

} // namespace ui
