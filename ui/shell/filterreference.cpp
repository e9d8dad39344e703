#include "ui/shell/filterreference.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

namespace ui {

namespace {

const QString kApplyScheme = QStringLiteral("apply");

} // namespace

QString FilterReference::referenceMarkdown(const QString& readme, QStringList* examples)
{
    const QStringList lines = readme.split(QLatin1Char('\n'));
    QStringList out;
    bool inSection = false;
    bool inCode = false;
    for (const QString& line : lines) {
        if (line.startsWith(QLatin1String("## "))) {
            if (inSection) break;
            inSection = line.trimmed() == QLatin1String("## Filter language");
            if (inSection) out << QStringLiteral("# Filter language");
            continue;
        }
        if (!inSection) continue;
        if (line.startsWith(QLatin1String("```"))) {
            inCode = !inCode;
            out << QString();
            continue;
        }
        if (!inCode) {
            out << (line.startsWith(QLatin1String("### ")) ? line.mid(1) : line);
            continue;
        }
        // An example line: "expression    # comment" -> a link that applies the expression.
        const qsizetype hash = line.indexOf(QLatin1String("  #"));
        const QString expression = (hash < 0 ? line : line.left(hash)).trimmed();
        const QString comment = hash < 0 ? QString() : line.mid(hash).trimmed().mid(1).trimmed();
        if (expression.isEmpty()) continue;
        if (examples) *examples << expression;
        const QString url = kApplyScheme + QLatin1Char(':') + QString::fromLatin1(QUrl::toPercentEncoding(expression));
        QString item = QStringLiteral("- [`%1`](%2)").arg(expression, url);
        if (!comment.isEmpty()) item += QStringLiteral(" — ") + comment;
        out << item;
    }
    return out.join(QLatin1Char('\n'));
}

FilterReference::FilterReference(QWidget* parent)
    : QDialog(parent), m_browser(new QTextBrowser(this)), m_search(new QLineEdit(this)), m_searchStatus(new QLabel(this))
{
    setObjectName(QStringLiteral("filterReference"));
    setWindowTitle(tr("Filter Syntax"));
    setModal(false);
    resize(760, 640);
    m_browser->setObjectName(QStringLiteral("filterReferenceText"));
    m_browser->setOpenLinks(false);
    QFile file(QStringLiteral(":/help/README.md"));
    QString readme;
    if (file.open(QIODevice::ReadOnly)) readme = QString::fromUtf8(file.readAll());
    const QString markdown = referenceMarkdown(readme, &m_examples);
    if (markdown.isEmpty()) m_browser->setPlainText(tr("The filter reference is missing from this build (README.md)."));
    else m_browser->setMarkdown(markdown);
    connect(m_browser, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        if (url.scheme() != kApplyScheme) return;
        const QString encoded = url.toString(QUrl::FullyEncoded).mid(kApplyScheme.size() + 1);
        Q_EMIT applyFilter(QUrl::fromPercentEncoding(encoded.toUtf8()));
    });

    m_search->setObjectName(QStringLiteral("filterReferenceSearch"));
    m_search->setPlaceholderText(tr("Find in the reference (Enter: next, Shift+Enter: previous)"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, this, [this]() {
        m_browser->moveCursor(QTextCursor::Start);
        findNext();
    });
    connect(m_search, &QLineEdit::returnPressed, this, [this]() { findNext(); });
    auto* previous = new QShortcut(QKeySequence(Qt::SHIFT | Qt::Key_Return), m_search, [this]() { findNext(true); });
    previous->setContext(Qt::WidgetShortcut);
    auto* next = new QShortcut(QKeySequence::FindNext, this, [this]() { findNext(); });
    Q_UNUSED(next);
    auto* find = new QShortcut(QKeySequence::Find, this, [this]() {
        m_search->setFocus();
        m_search->selectAll();
    });
    Q_UNUSED(find);

    auto* hint = new QLabel(tr("Click an example to apply it."), this);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* top = new QHBoxLayout();
    top->addWidget(m_search, 1);
    top->addWidget(m_searchStatus);
    auto* bottom = new QHBoxLayout();
    bottom->addWidget(hint, 1);
    bottom->addWidget(buttons);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_browser, 1);
    layout->addLayout(bottom);
    m_search->setFocus();
}

bool FilterReference::findNext(bool backward)
{
    const QString text = m_search->text();
    if (text.isEmpty()) {
        m_searchStatus->clear();
        return false;
    }
    const QTextDocument::FindFlags flags = backward ? QTextDocument::FindBackward : QTextDocument::FindFlags();
    bool found = m_browser->find(text, flags);
    if (!found) { // wrap around
        m_browser->moveCursor(backward ? QTextCursor::End : QTextCursor::Start);
        found = m_browser->find(text, flags);
    }
    m_searchStatus->setText(found ? QString() : tr("not found"));
    return found;
}

} // namespace ui
