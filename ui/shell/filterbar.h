#pragma once
// The filter entry above the record table, like Wireshark's display filter bar: live
// validation while typing (state shown through the `filterState` property + stylesheet,
// error and position in the tooltip and status bar), completion of field names, aliases and
// values seen in the data (after a field holding ids: Name tags and ids from the loaded AWS names),
// persisted history (Up/Down), Enter applies, Esc clears, Back.
#include <QStringList>
#include <QWidget>

class QAction;
class QCompleter;
class QLabel;
class QLineEdit;
class QStandardItemModel;
class QStringListModel;
class QToolButton;

namespace ui {

class JobTracker;
class Session;

class FilterBar : public QWidget {
    Q_OBJECT
public:
    enum class State { Empty, Valid, Invalid };
    static constexpr int kMaxHistory = 50;

    explicit FilterBar(Session* session, QWidget* parent = nullptr);
    ~FilterBar() override;

    QLineEdit* lineEdit() const { return m_edit; }
    State state() const { return m_state; }
    /// The validation error of the text ("" when valid), with its 1-based position.
    QString errorMessage() const { return m_error; }
    int errorColumn() const { return m_errorColumn; }
    /// A hint about a valid filter ("no attachment is named 'VPC Z'"), "" if none.
    QString warningMessage() const { return m_warning; }
    /// Most recent last.
    QStringList history() const { return m_history; }
    /// Words offered by the completer (field names, aliases, keywords, values from the data).
    QStringList completionWords() const;
    /// What is offered as the value after `field ==` when the field holds ids (attachment,
    /// tgw-src-vpc-id, eni, ...): the Name tags of matching ids from the loaded names (quoted
    /// when needed), then the ids known in names and in the data. Empty for other fields.
    QStringList idValueCompletions(const QString& field) const;
    QCompleter* completer() const { return m_completer; }

    /// Focuses the entry and selects its text (Ctrl+L).
    void focusFilter();
    /// Applies the text if it is valid (Enter). Returns false (and says why) if not.
    bool apply();
    /// Clears the text and the filter (Esc).
    void clear();
    /// The row counts shown at the right: `shown` rows match, of `total`; shown < 0 = counting.
    void setCounts(qint64 shown, qint64 total);
    /// Drill-down undo (Alt+Left), enabled per Session::backAvailableChanged.
    QAction* backAction() const { return m_backAction; }

Q_SIGNALS:
    void statusMessage(const QString& message, int timeoutMs);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void validate();
    void updateStyle();
    void browseHistory(int step);
    void addToHistory(const QString& expression);
    void updateCompletion();
    void insertCompletion(const QString& word);
    void refreshValues();
    void setIdContext(const QString& field);

    Session* m_session;
    QLineEdit* m_edit;
    QToolButton* m_applyButton;
    QToolButton* m_backButton;
    QLabel* m_countLabel;
    QAction* m_backAction;
    QCompleter* m_completer;
    QStringListModel* m_words;
    QStandardItemModel* m_idWords; ///< completion after an id field: shown text, insert text (UserRole)
    QString m_idField;             ///< the id field m_idWords is for; "" = m_words is in use
    JobTracker* m_valuesJob;
    QStringList m_staticWords;
    QStringList m_valueWords;
    State m_state = State::Empty;
    QString m_error;
    int m_errorColumn = 0;
    QString m_warning;
    QStringList m_history;
    int m_historyPos = -1; ///< index in m_history while browsing, -1 = not browsing
    QString m_draft;       ///< what was typed before browsing history
};

} // namespace ui
