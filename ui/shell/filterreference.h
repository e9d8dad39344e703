#pragma once
// Help > Filter Syntax (F1): the README's "Filter language" section (compiled into the program
// from README.md, so the two never disagree) in a non-modal, searchable window. Every example
// of the section's code blocks is a link: clicking it applies that filter. GUI thread only.
#include <QDialog>

class QLabel;
class QLineEdit;
class QTextBrowser;

namespace ui {

class FilterReference : public QDialog {
    Q_OBJECT
public:
    explicit FilterReference(QWidget* parent = nullptr);

    QTextBrowser* browser() const { return m_browser; }
    QLineEdit* searchEdit() const { return m_search; }
    /// The filter expressions offered as clickable examples, in document order.
    QStringList examples() const { return m_examples; }
    /// Finds the next match of the search text (wrapping); false if there is none.
    bool findNext(bool backward = false);

    /// The README's "## Filter language" section as Markdown, with code-block lines turned into
    /// links "apply:<percent-encoded expression>". Pure; `examples` gets the expressions.
    static QString referenceMarkdown(const QString& readme, QStringList* examples);

Q_SIGNALS:
    /// The user clicked an example.
    void applyFilter(const QString& expression);

private:
    QTextBrowser* m_browser;
    QLineEdit* m_search;
    QLabel* m_searchStatus;
    QStringList m_examples;
};

} // namespace ui
