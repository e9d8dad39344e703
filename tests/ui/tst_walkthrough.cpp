// A new user's walkthrough (issue 12), the items a test can see, through the real MainWindow
// offscreen: the record panes follow the table (4, 5), NODATA in Follow Flow (9), the hint for a
// name that matches nothing (10), names files remembered and reported (11), the F1 reference
// (12), stale timeline texts (13), one unit style (14), sort arrows (15), the rejected count's
// colour (16), View > Theme (17), enabled actions (18), filter errors said once (19), Esc and
// the completion list (20), the bin box (21), and names sized and elided in the table (2).
// Size (~570 lines): one checklist on one fixture, each test a short numbered item of the issue;
// kept in one file so the items read in the issue's order (the laptop items are tst_laptopwalk).
#include "core/model/units.h"
#include "ui/io/loadcontroller.h"
#include "ui/io/loadreportdialog.h"
#include "ui/logic/session.h"
#include "ui/logic/timeaxis.h"
#include "ui/pages/flowpathpage.h"
#include "ui/shell/filterbar.h"
#include "ui/shell/filterreference.h"
#include "ui/shell/mainwindow.h"
#include "ui/shell/statussummary.h"
#include "ui/shell/theme.h"
#include "ui/table/detailspane.h"
#include "ui/table/recordmodel.h"
#include "ui/table/recordview.h"
#include "ui/timeline/timechartview.h"
#include "ui/timeline/timelinepage.h"
#include "uitestdata.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QCompleter>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextDocument>
#include <QWindow>
#include <QtTest>
#include <memory>

using namespace ui;

namespace {

const QString kAttachA = QStringLiteral("tgw-attach-0a11111111111111a");
const QString kAttachB = QStringLiteral("tgw-attach-0b22222222222222b");

QByteArray namesJson()
{
    return QStringLiteral(R"({"TransitGatewayAttachments": [
  {"TransitGatewayAttachmentId": "%1", "ResourceType": "vpc", "ResourceId": "vpc-0aaaaaaaaaaaaaaa1",
   "Tags": [{"Key": "Name", "Value": "Transit Gateway attachment for VPC A"}]},
  {"TransitGatewayAttachmentId": "%2", "ResourceType": "vpc", "ResourceId": "vpc-0bbbbbbbbbbbbbbb2",
   "Tags": [{"Key": "Name", "Value": "Transit Gateway attachment for VPC B"}]}
]}
)")
        .arg(kAttachA, kAttachB)
        .toUtf8();
}

QAction* action(QWidget* window, const QString& name)
{
    for (QAction* a : window->findChildren<QAction*>())
        if (a->objectName() == name) return a;
    return nullptr;
}

// Ink (pixels clearly darker than the background) per half of a rectangle: {top, bottom}.
std::pair<int, int> inkByHalf(const QImage& image, const QRect& box, const QColor& background)
{
    int top = 0, bottom = 0;
    for (int y = box.top(); y <= box.bottom(); ++y)
        for (int x = box.left(); x <= box.right(); ++x)
            if (std::abs(QColor(image.pixel(x, y)).lightness() - background.lightness()) > 60)
                (y - box.top() < box.height() / 2 ? top : bottom) += 1;
    return {top, bottom};
}

} // namespace

class TestWalkthrough : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void panesFollowTheTable();
    void focusDoesNotPickRowOne();
    void nodataIsSaidInFollowFlow();
    void unknownNameIsHinted_data();
    void unknownNameIsHinted();
    void namesAreRememberedAndReported();
    void filterReferenceIsSearchableAndApplies();
    void timelineTextsDoNotGoStale();
    void oneUnitStyle();
    void sortArrowsPointTheCommonWay();
    void rejectedCountIsAWarning();
    void themeMenuIsRemembered();
    void actionsNeedSomethingLoaded();
    void filterErrorSaysWhereOnce_data();
    void filterErrorSaysWhereOnce();
    void escClosesTheCompletionFirst();
    void namesFitTheirColumns();

private:
    void open(const QString& path);
    qint64 firstRecord(const std::function<bool(const uitest::GenRecord&)>& pred) const;
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
    uitest::GenData m_data;
    QString m_path;
    QString m_namesPath;
};

void TestWalkthrough::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    m_data = uitest::generateTgw(300);
    m_path = m_dir.filePath(QStringLiteral("tgw.log"));
    QFile f(m_path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(m_data.text);
    f.close();
    m_namesPath = m_dir.filePath(QStringLiteral("describe-transit-gateway-attachments.json"));
    QFile n(m_namesPath);
    QVERIFY(n.open(QIODevice::WriteOnly));
    n.write(namesJson());
}

void TestWalkthrough::init()
{
    QSettings().clear();
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1600, 1000);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestWalkthrough::cleanup()
{
    m_window.reset();
    QSettings().clear();
}

void TestWalkthrough::open(const QString& path)
{
    QVERIFY(m_window->openPaths({path}));
    QTRY_VERIFY(!m_window->loadController()->isRunning());
    QTRY_VERIFY(m_window->recordModel()->countKnown() && m_window->recordModel()->rowCount() > 0);
    QTRY_VERIFY(m_window->recordModel()->index(0, 0).data(RecordModel::RecordIdRole).isValid());
}

// flows.id of the first generated record matching `pred` (ids are 1-based in file order).
qint64 TestWalkthrough::firstRecord(const std::function<bool(const uitest::GenRecord&)>& pred) const
{
    for (size_t i = 0; i < m_data.records.size(); ++i)
        if (pred(m_data.records[i])) return static_cast<qint64>(i) + 1;
    return -1;
}

void TestWalkthrough::panesFollowTheTable()
{
    open(m_path);
    auto* details = m_window->detailsPane();
    auto* flow = m_window->findChild<FlowPathPage*>();
    RecordView* view = m_window->recordView();
    const qint64 icmp = firstRecord([](const uitest::GenRecord& r) { return !r.nodata && r.protocol == 1; });
    const qint64 tcp = firstRecord([](const uitest::GenRecord& r) { return !r.nodata && r.protocol == 6; });
    QVERIFY(icmp > 0 && tcp > 0);

    // An ICMP record, then a filter that hides it: both panes clear.
    QVERIFY(view->selectRecord(core::RecordId(icmp)));
    QTRY_COMPARE(details->recordId().get(), icmp);
    QTRY_COMPARE(flow->recordId().get(), icmp);
    m_window->session()->setFilter(QStringLiteral("protocol == tcp"));
    QTRY_COMPARE(details->recordId().get(), qint64(-1));
    QTRY_COMPARE(flow->recordId().get(), qint64(-1));
    QCOMPARE(m_window->session()->currentRecord(), qint64(-1));
    QVERIFY(view->selectionModel()->selectedRows().isEmpty());

    // A record the next filter keeps stays shown (and selected).
    QTRY_VERIFY(view->selectRecord(core::RecordId(tcp)));
    QTRY_COMPARE(details->recordId().get(), tcp);
    m_window->session()->setFilter(QStringLiteral("protocol == tcp and bytes >= 0"));
    QTRY_VERIFY(m_window->recordModel()->countKnown());
    QTRY_COMPARE(view->shownRecordId().get(), tcp);
    QCOMPARE(details->recordId().get(), tcp);

    // A filter matching nothing clears them too.
    m_window->session()->setFilter(QStringLiteral("dstport == 1"));
    QTRY_VERIFY(m_window->recordModel()->countKnown());
    QCOMPARE(m_window->recordModel()->rowCount(), 0);
    QTRY_COMPARE(details->recordId().get(), qint64(-1));
    QTRY_COMPARE(flow->recordId().get(), qint64(-1));
}

void TestWalkthrough::focusDoesNotPickRowOne()
{
    open(m_path);
    RecordView* view = m_window->recordView();
    QVERIFY(view->selectionModel()->selectedRows().isEmpty());
    // Focus coming back to the table (after the load report, the names dialog, About) makes
    // row 1 "current" without selecting it: the panes must not show it.
    m_window->showLoadReport();
    QVERIFY(m_window->findChild<LoadReportDialog*>()->isVisible());
    m_window->findChild<LoadReportDialog*>()->close();
    QFocusEvent focusIn(QEvent::FocusIn, Qt::ActiveWindowFocusReason);
    QApplication::sendEvent(view, &focusIn);
    QVERIFY(view->currentIndex().isValid() || true);
    QCOMPARE(view->shownRecordId().get(), qint64(-1));
    QCOMPARE(m_window->detailsPane()->recordId().get(), qint64(-1));
    QCOMPARE(m_window->session()->currentRecord(), qint64(-1));
    // A click selects and shows the row.
    view->selectRow(0);
    QTRY_COMPARE(m_window->detailsPane()->recordId().get(),
                 view->model()->index(0, 0).data(RecordModel::RecordIdRole).toLongLong());
}

void TestWalkthrough::nodataIsSaidInFollowFlow()
{
    open(m_path);
    const qint64 nodata = firstRecord([](const uitest::GenRecord& r) { return r.nodata; });
    QVERIFY(nodata > 0);
    auto* flow = m_window->findChild<FlowPathPage*>();
    QSignalSpy shown(flow, &FlowPathPage::pathShown);
    QVERIFY(m_window->recordView()->selectRecord(core::RecordId(nodata)));
    QTRY_VERIFY(shown.contains(QVariantList{nodata}));
    QVERIFY2(flow->statusText().contains(QStringLiteral("NODATA record")), qPrintable(flow->statusText()));
    QVERIFY2(flow->statusText().contains(QStringLiteral("no flow to follow")), qPrintable(flow->statusText()));
    QVERIFY(!flow->statusText().contains(QStringLiteral("entered the TGW")));
    QVERIFY(flow->boxes().empty()); // no "INGRESS RECORD", no "? ? -> ?"
}

void TestWalkthrough::unknownNameIsHinted_data()
{
    QTest::addColumn<bool>("withNames");
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QString>("warning"); ///< "" = no hint
    QTest::newRow("unknown name") << true << "attachment == \"VPC Z\""
                                  << "no attachment is named 'VPC Z'";
    QTest::newRow("known name") << true << "attachment == \"Transit Gateway attachment for VPC A\""
                                << "";
    QTest::newRow("a VPC name on an attachment field") << true << "tgw-attachment-id == \"VPC A\" and bytes > 0"
                                                       << "no attachment is named 'VPC A'";
    QTest::newRow("an id is not a name") << true << "attachment == tgw-attach-0abc"
                                         << "";
    QTest::newRow("in, second value unknown") << true << "attachment in {\"Transit Gateway attachment for VPC B\", staging}"
                                              << "no attachment is named 'staging'";
    QTest::newRow("not an id field") << true << "action == ACCEPTED"
                                     << "";
    QTest::newRow("no names loaded") << false << "vpc == prod"
                                     << "no VPC is named 'prod' (no AWS resource names are loaded";
}

void TestWalkthrough::unknownNameIsHinted()
{
    QFETCH(bool, withNames);
    QFETCH(QString, filter);
    QFETCH(QString, warning);
    open(m_path);
    if (withNames) {
        QCOMPARE(m_window->loadNames({m_namesPath}), 1);
        QVERIFY(!m_window->session()->names().isEmpty());
    }
    FilterBar* bar = m_window->filterBar();
    QSignalSpy status(bar, &FilterBar::statusMessage);
    bar->lineEdit()->setText(filter);
    QCOMPARE(bar->state(), FilterBar::State::Valid); // never blocks the filter
    if (warning.isEmpty()) {
        QVERIFY2(bar->warningMessage().isEmpty(), qPrintable(bar->warningMessage()));
        QCOMPARE(bar->lineEdit()->property("filterState").toString(), QStringLiteral("valid"));
    } else {
        QVERIFY2(bar->warningMessage().startsWith(warning), qPrintable(bar->warningMessage()));
        QCOMPARE(bar->lineEdit()->property("filterState").toString(), QStringLiteral("warning"));
        QVERIFY(bar->lineEdit()->toolTip().contains(warning));
        QVERIFY(!status.isEmpty() && status.last().at(0).toString().contains(warning));
    }
    QVERIFY(bar->apply());
    QCOMPARE(m_window->session()->filter(), filter);
}

void TestWalkthrough::namesAreRememberedAndReported()
{
    open(m_path);
    QCOMPARE(m_window->loadNames({m_namesPath}), 1);
    QVERIFY(QSettings().value(QStringLiteral("recent/paths")).toStringList().contains(m_namesPath)); // in Recent
    m_window->close();
    m_window = std::make_unique<MainWindow>();
    m_window->show();
    QVERIFY(m_window->session()->names().isEmpty());
    open(m_path); // as File > Open Recent does
    QTRY_VERIFY(!m_window->session()->names().isEmpty());
    QCOMPARE(m_window->session()->names().name(kAttachA), QStringLiteral("Transit Gateway attachment for VPC A"));
    m_window->showLoadReport();
    auto* dialog = m_window->findChild<LoadReportDialog*>();
    QVERIFY(dialog);
    const QTableWidget* files = dialog->filesTable();
    bool listed = false;
    for (int r = 0; r < files->rowCount(); ++r)
        if (files->item(r, 0) && files->item(r, 0)->text() == m_namesPath) {
            listed = true;
            QVERIFY2(files->item(r, 4)->text().contains(QStringLiteral("2 names read")), qPrintable(files->item(r, 4)->text()));
        }
    QVERIFY(listed);
    const QString summary = dialog->findChild<QLabel*>()->text();
    QVERIFY2(summary.contains(QStringLiteral("2 names read from 1 AWS CLI JSON file")), qPrintable(summary));
    dialog->close();
}

void TestWalkthrough::filterReferenceIsSearchableAndApplies()
{
    open(m_path);
    QAction* help = action(m_window.get(), QStringLiteral("filterHelp"));
    QVERIFY(help);
    QCOMPARE(help->shortcut(), QKeySequence(QKeySequence::HelpContents));
    help->trigger();
    FilterReference* ref = m_window->filterReference();
    QVERIFY(ref && ref->isVisible());
    QVERIFY(!ref->isModal());
    const QString text = ref->browser()->toPlainText();
    for (const char* topic : {"Aliases", "addr", "port", "drops", "attachment", " in ", "contains", "has", "CIDR", "Names",
                              "Unix seconds", "did you mean"})
        QVERIFY2(text.contains(QString::fromLatin1(topic)), topic);
    QVERIFY(ref->examples().contains(QStringLiteral("attachment == \"VPC A\" and drops")));
    QVERIFY(ref->examples().contains(QStringLiteral("proto == icmp and flow-direction == ingress")));
    ref->searchEdit()->setText(QStringLiteral("blackhole"));
    QVERIFY(ref->browser()->textCursor().hasSelection());
    QCOMPARE(ref->browser()->textCursor().selectedText().toLower(), QStringLiteral("blackhole"));
    ref->searchEdit()->setText(QStringLiteral("no such words here"));
    QVERIFY(!ref->findNext());
    // Clicking an example applies it: find its link in the document.
    QString href;
    for (QTextBlock b = ref->browser()->document()->begin(); b.isValid() && href.isEmpty(); b = b.next())
        for (auto it = b.begin(); !it.atEnd(); ++it)
            if (it.fragment().charFormat().isAnchor()
                && it.fragment().text() == QStringLiteral("proto == icmp and flow-direction == ingress"))
                href = it.fragment().charFormat().anchorHref();
    QVERIFY2(href.startsWith(QStringLiteral("apply:")), qPrintable(href));
    Q_EMIT ref->browser()->anchorClicked(QUrl(href));
    QCOMPARE(m_window->session()->filter(), QStringLiteral("proto == icmp and flow-direction == ingress"));
    ref->close();
}

void TestWalkthrough::timelineTextsDoNotGoStale()
{
    open(m_path);
    auto* page = m_window->findChild<TimelinePage*>();
    QAction* show = nullptr;
    for (QAction* a : m_window->findChildren<QAction*>(QStringLiteral("showPage")))
        if (a->text() == QStringLiteral("Timeline")) show = a;
    QVERIFY(show);
    show->trigger();
    QTRY_VERIFY(!page->series().bins.empty());
    auto* hover = page->findChild<QLabel*>(QStringLiteral("timelineHoverLabel"));
    QVERIFY(hover);
    const double from = static_cast<double>(page->series().bins.front().start);
    const double bin = static_cast<double>(page->series().binSeconds);
    Q_EMIT page->trafficView()->dragging(from, from + 3 * bin);
    QVERIFY(hover->text().startsWith(QStringLiteral("Selecting")));
    const int results = page->resultCount();
    Q_EMIT page->trafficView()->dragFinished(from, from + 3 * bin);
    QCOMPARE(hover->text(), TimelinePage::hintText()); // not "Selecting … (3 min)" any more
    QTRY_VERIFY(page->resultCount() > results);
    Q_EMIT page->trafficView()->hovered(from + bin / 2);
    QVERIFY(hover->text() != TimelinePage::hintText());
    // A double-click reset recomputes: the old bin's hover text goes.
    const int before = page->resultCount();
    Q_EMIT page->trafficView()->resetRequested();
    QTRY_VERIFY(page->resultCount() > before);
    QCOMPARE(hover->text(), TimelinePage::hintText());
    // The bin box is never cut: "Auto (1 min)" fits.
    auto* binBox = page->findChild<QComboBox*>(QStringLiteral("timelineBinBox"));
    QVERIFY(binBox);
    QVERIFY2(binBox->currentText().startsWith(QStringLiteral("Auto (")), qPrintable(binBox->currentText()));
    QVERIFY2(binBox->fontMetrics().horizontalAdvance(binBox->currentText()) + 20 <= binBox->width(),
             qPrintable(QStringLiteral("%1 in %2 px").arg(binBox->currentText()).arg(binBox->width())));
}

void TestWalkthrough::oneUnitStyle()
{
    open(m_path);
    RecordModel* model = m_window->recordModel();
    const int bytesColumn = model->columnIndex(QStringLiteral("bytes"));
    int row = 0;
    while (row < model->rowCount() && model->index(row, bytesColumn).data(RecordModel::RawRole).isNull()) ++row;
    const qint64 bytes = model->index(row, bytesColumn).data(RecordModel::RawRole).toLongLong();
    const QString text = core::formatBytes(bytes);
    QCOMPARE(model->index(row, bytesColumn).data().toString(), text);
    m_window->recordView()->selectRow(row);
    QTRY_VERIFY(m_window->detailsPane()->recordId().get() > 0);
    auto* title = m_window->detailsPane()->findChildren<QLabel*>().first();
    QTRY_VERIFY2(title->text().contains(text), qPrintable(title->text()));
    QCOMPARE(timeaxis::humanValue(1500, timeaxis::Metric::Bytes), QStringLiteral("1.5 kB"));
    QCOMPARE(core::formatBytes(1500), QStringLiteral("1.5 kB"));
}

void TestWalkthrough::sortArrowsPointTheCommonWay()
{
    open(m_path);
    QHeaderView* header = m_window->recordView()->horizontalHeader();
    const int column = m_window->recordModel()->columnIndex(QStringLiteral("dstport"));
    QVERIFY(column >= 0 && !header->isSectionHidden(column));
    header->setSortIndicator(column, Qt::AscendingOrder);
    const QImage ascending = header->grab().toImage();
    header->setSortIndicator(column, Qt::DescendingOrder);
    const QImage descending = header->grab().toImage();
    QCOMPARE(ascending.size(), descending.size());
    // The arrow is where the two pictures differ.
    QRect box;
    for (int y = 0; y < ascending.height(); ++y)
        for (int x = 0; x < ascending.width(); ++x)
            if (ascending.pixel(x, y) != descending.pixel(x, y)) box |= QRect(x, y, 1, 1);
    QVERIFY2(box.isValid() && box.height() >= 3, "no sort arrow drawn");
    const QColor background = header->palette().color(QPalette::Button);
    const auto [ascTop, ascBottom] = inkByHalf(ascending, box, background);
    const auto [descTop, descBottom] = inkByHalf(descending, box, background);
    // ▲ (ascending) is wider at the bottom, ▼ (descending) at the top.
    QVERIFY2(ascBottom > ascTop, qPrintable(QStringLiteral("ascending: %1 top, %2 bottom").arg(ascTop).arg(ascBottom)));
    QVERIFY2(descTop > descBottom, qPrintable(QStringLiteral("descending: %1 top, %2 bottom").arg(descTop).arg(descBottom)));
}

void TestWalkthrough::rejectedCountIsAWarning()
{
    open(m_path);
    QLabel* label = m_window->statusSummary()->rejectedLabel();
    QTRY_VERIFY(label->text().contains(QStringLiteral("0 rejected")));
    QVERIFY(!label->text().contains(QStringLiteral("color:")));
    const QString bad = m_dir.filePath(QStringLiteral("with-bad-lines.log"));
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(m_data.text + "this is not a flow log line\nneither is this\n");
    f.close();
    open(bad);
    QTRY_COMPARE(m_window->statusSummary()->rejected(), qint64(2));
    const bool dark = label->palette().color(QPalette::Window).lightness() < 128;
    QVERIFY2(label->text().contains(StatusSummary::rejectedColor(dark).name()), qPrintable(label->text()));
    QVERIFY(label->text().contains(QStringLiteral("2 rejected")));
}

void TestWalkthrough::themeMenuIsRemembered()
{
    QAction* dark = action(m_window.get(), QStringLiteral("themeDark"));
    QAction* light = action(m_window.get(), QStringLiteral("themeLight"));
    QAction* system = action(m_window.get(), QStringLiteral("themeSystem"));
    QVERIFY(dark && light && system);
    QVERIFY(system->isChecked());
    dark->trigger();
    QVERIFY(dark->isChecked());
    QVERIFY(QApplication::palette().color(QPalette::Base).lightness() < 128);
    m_window->close();
    QCOMPARE(QSettings().value(QStringLiteral("view/theme")).toInt(), 2);
    m_window = std::make_unique<MainWindow>();
    m_window->show();
    QCOMPARE(m_window->themeOptions()->theme(), Theme::Dark);
    QVERIFY(action(m_window.get(), QStringLiteral("themeDark"))->isChecked());
    QVERIFY(QApplication::palette().color(QPalette::Base).lightness() < 128);
    action(m_window.get(), QStringLiteral("themeLight"))->trigger();
    QVERIFY(QApplication::palette().color(QPalette::Base).lightness() > 128);
    action(m_window.get(), QStringLiteral("themeSystem"))->trigger();
    QCOMPARE(m_window->themeOptions()->theme(), Theme::System);
}

void TestWalkthrough::actionsNeedSomethingLoaded()
{
    QAction* report = action(m_window.get(), QStringLiteral("report"));
    QAction* close = action(m_window.get(), QStringLiteral("close"));
    QAction* exportView = action(m_window.get(), QStringLiteral("export"));
    QVERIFY(report && close && exportView);
    QVERIFY(!report->isEnabled());
    QVERIFY(!close->isEnabled());
    QVERIFY(!exportView->isEnabled());
    open(m_path);
    QTRY_VERIFY(report->isEnabled());
    QVERIFY(close->isEnabled());
    QTRY_VERIFY(exportView->isEnabled());
    close->trigger();
    QTRY_VERIFY(!close->isEnabled());
    QVERIFY(!report->isEnabled());
    QTRY_VERIFY(!exportView->isEnabled());
}

void TestWalkthrough::filterErrorSaysWhereOnce_data()
{
    QTest::addColumn<QString>("filter");
    QTest::newRow("value missing") << "srcport == ";
    QTest::newRow("unclosed parenthesis") << "(dstport == 443";
    QTest::newRow("not a number") << "dstport == abc";
    QTest::newRow("unknown field") << "scraddr == 10.0.0.1";
    QTest::newRow("trailing garbage") << "dstport == 443 443";
}

void TestWalkthrough::filterErrorSaysWhereOnce()
{
    QFETCH(QString, filter);
    FilterBar* bar = m_window->filterBar();
    QSignalSpy status(bar, &FilterBar::statusMessage);
    bar->lineEdit()->setText(filter);
    QCOMPARE(bar->state(), FilterBar::State::Invalid);
    QVERIFY(bar->errorColumn() > 0);
    const QString tip = bar->lineEdit()->toolTip();
    const QString where = QString::number(bar->errorColumn());
    // The position appears once ("... at 12", or "(at character 12)" when the message has none).
    static const QRegularExpression number(QStringLiteral("\\b\\d+\\b"));
    int mentions = 0;
    for (auto it = number.globalMatch(tip); it.hasNext();)
        if (it.next().captured() == where) ++mentions;
    QVERIFY2(mentions == 1 || (filter.contains(where) && mentions >= 1), qPrintable(tip));
    QVERIFY2(!tip.contains(QStringLiteral("(at character")) || !bar->errorMessage().contains(QStringLiteral(" at ")),
             qPrintable(tip));
    QVERIFY(!status.isEmpty());
    QCOMPARE(status.last().at(0).toString(), tip);
}

void TestWalkthrough::escClosesTheCompletionFirst()
{
    open(m_path);
    FilterBar* bar = m_window->filterBar();
    QLineEdit* edit = bar->lineEdit();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    bar->focusFilter();
    QTRY_VERIFY(edit->hasFocus());
    QTest::keyClicks(edit, QStringLiteral("dst"));
    QAbstractItemView* popup = bar->completer()->popup();
    QTRY_VERIFY(popup->isVisible());
    // Through the window system, as a real key press arrives (shortcut override first, then the
    // popup routing): sending it to the popup widget directly would skip both.
    QWindow* window = popup->window()->windowHandle() ? popup->window()->windowHandle() : m_window->windowHandle();
    QTest::keyClick(window, Qt::Key_Escape);
    QTRY_VERIFY(!popup->isVisible());
    QCOMPARE(edit->text(), QStringLiteral("dst")); // the first Esc only closed the list
    QTest::keyClick(edit, Qt::Key_Escape);
    QCOMPARE(edit->text(), QString()); // the second clears
}

void TestWalkthrough::namesFitTheirColumns()
{
    open(m_path);
    RecordView* view = m_window->recordView();
    QCOMPARE(view->textElideMode(), Qt::ElideMiddle); // the distinct end of a long name stays
    view->applyPreset(QStringLiteral("Transit Gateway"));
    const int column = m_window->recordModel()->columnIndex(QStringLiteral("tgw_attachment_id"));
    QVERIFY(!view->isColumnHidden(column));
    m_window->session()->setNameDisplay(NameDisplay::Name);
    QCOMPARE(m_window->loadNames({m_namesPath}), 1);
    const QString longest = QStringLiteral("Transit Gateway attachment for VPC A");
    const int needed = view->fontMetrics().horizontalAdvance(longest);
    const int cap = view->fontMetrics().horizontalAdvance(QLatin1Char('m')) * RecordView::kMaxIdColumnChars;
    QTRY_VERIFY2(view->columnWidth(column) >= std::min(needed, cap),
                 qPrintable(QStringLiteral("%1 < %2").arg(view->columnWidth(column)).arg(needed)));
    QVERIFY(view->columnWidth(column) <= cap);
    // The full name and id are in the tooltip.
    int row = 0;
    while (row < m_window->recordModel()->rowCount()
           && m_window->recordModel()->index(row, column).data(RecordModel::RawRole).toString() != kAttachA)
        ++row;
    QVERIFY(row < m_window->recordModel()->rowCount());
    QVERIFY(m_window->recordModel()
                ->index(row, column)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(longest + QStringLiteral(" (") + kAttachA));
    m_window->session()->setNameDisplay(NameDisplay::NameAndId);
}

QTEST_MAIN(TestWalkthrough)
#include "tst_walkthrough.moc"
