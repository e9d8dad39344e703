#include "ui/shell/aboutdialog.h"

#include "core/ingest/parquet.h"
#include "core/store/store.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSysInfo>
#include <QVBoxLayout>

namespace ui {

QString AboutDialog::versionReport()
{
    // Parquet: "DuckDB v1.4.4" (the package's private libduckdb.so), or why this build can't.
    return QStringLiteral("Flowlog Explorer %1\nQt %2 (built with %3)\nSQLite %4\nParquet: %5\n%6, %7")
        .arg(QStringLiteral(FLOWLOG_VERSION), QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR),
             core::sqliteVersion(), core::parquetSupportText(), QSysInfo::prettyProductName(),
             QSysInfo::currentCpuArchitecture());
}

AboutDialog::AboutDialog(QWidget* parent) : QDialog(parent), m_report(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About Flowlog Explorer"));

    auto* icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/flowlog-explorer.svg")).pixmap(64, 64));
    icon->setAlignment(Qt::AlignTop);
    auto* title = new QLabel(tr("<h3>Flowlog Explorer %1</h3>").arg(QStringLiteral(FLOWLOG_VERSION)), this);
    title->setObjectName(QStringLiteral("aboutTitle"));
    auto* text = new QLabel(tr("Explore AWS Transit Gateway and VPC flow logs: filter, sort and export records, follow "
                               "flows across attachments, see drops and traffic over time."),
                            this);
    text->setWordWrap(true);
    auto* hint = new QLabel(tr("Versions in use (please paste them into bug reports):"), this);

    m_report->setObjectName(QStringLiteral("versionReport"));
    m_report->setReadOnly(true);
    m_report->setPlainText(versionReport());
    m_report->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_report->setLineWrapMode(QPlainTextEdit::NoWrap);
    const QFontMetrics metrics(m_report->font());
    m_report->setFixedHeight(metrics.lineSpacing() * 6 + 2 * m_report->frameWidth() + 8);
    m_report->setMinimumWidth(metrics.horizontalAdvance(QLatin1Char('x')) * 48);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* copy = buttons->addButton(tr("&Copy"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("copyVersions"));
    copy->setToolTip(tr("Copy the versions to the clipboard"));
    connect(copy, &QPushButton::clicked, this, [this]() { QApplication::clipboard()->setText(m_report->toPlainText()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* right = new QVBoxLayout;
    right->addWidget(title);
    right->addWidget(text);
    right->addSpacing(6);
    right->addWidget(hint);
    right->addWidget(m_report);
    auto* top = new QHBoxLayout;
    top->addWidget(icon);
    top->addLayout(right, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(buttons);
}

} // namespace ui
