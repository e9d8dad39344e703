// MainWindow end to end (offscreen): open files -> rows; filter -> count; header click ->
// sort; context-menu filter; details + twin; export == flowlog-cli export; settings.
// Over 500 lines on purpose: the end-to-end walk through the main window shares one loaded session.
#include "core/export/csv.h"
#include "ui/graph/attachmentspage.h"
#include "ui/io/exportcontroller.h"
#include "ui/io/loadreportdialog.h"
#include "ui/logic/session.h"
#include "ui/pages/dropspage.h"
#include "ui/pages/flowpathpage.h"
#include "ui/pages/sqlpage.h"
#include "ui/shell/docklayout.h"
#include "ui/shell/filterbar.h"
#include "ui/shell/mainwindow.h"
#include "ui/shell/statussummary.h"
#include "ui/table/detailspane.h"
#include "ui/table/recordmodel.h"
#include "ui/table/recordview.h"
#include "ui/timeline/timelinepage.h"
#include "uihelpers.h"
#include "uitestdata.h"

#include "tests/testpaths.h"
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QTreeWidget>
#include <QtTest>
#include <algorithm>
#include <functional>
#include <memory>

using namespace ui;

namespace {

QVariant cell(const RecordModel* model, int row, const QString& column, int role = RecordModel::RawRole)
{
    return model->index(row, model->columnIndex(column)).data(role);
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void opensFileAndShowsRows();
    void opensDemoData();
    void typingAFilterChangesTheCount();
    void headerClickSortsBiggestFirst();
    void contextMenuFilters_data();
    void contextMenuFilters();
    void copiesSelectedRows();
    void detailsShowFieldsRawLineAndTwin();
    void exportEqualsCli_data();
    void exportEqualsCli();
    void rejectedLinesOpenTheLoadReport();
    void addSessionAppends();
    void cancelledLoadKeepsTheSession();
    void cancelAfterTheWorkerEndedStillCancels();
    void droppedFilesAreOpened();
    void timeDisplayShortcuts();
    void sortKeepsTheSelectedRecord();
    void layoutAndWindowStateAreSaved();
    void analysisPagesBecomeDocks();
    void selectionDrivesFollowFlow();
    void namesOptionOfTheGuiBinary_data();
    void namesOptionOfTheGuiBinary();

private:
    void openFixture(const QString& path, int expected);
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
    uitest::GenData m_data;
    QString m_path;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qRegisterMetaType<core::Outcome>();
    qRegisterMetaType<core::LoadReport>();
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    m_data = uitest::generateTgw(400);
    m_path = m_dir.filePath(QStringLiteral("tgw-flows.log"));
    QFile f(m_path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(m_data.text);
}

void TestMainWindow::init()
{
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1400, 800);
    m_window->show();
}

void TestMainWindow::cleanup()
{
    m_window.reset();
}

void TestMainWindow::openFixture(const QString& path, int expected)
{
    QVERIFY(m_window->openPaths({path}));
    RecordModel* model = m_window->recordModel();
    QTRY_VERIFY(!m_window->loadController()->isRunning());
    QTRY_VERIFY(model->countKnown() && model->rowCount() == expected);
}

void TestMainWindow::opensFileAndShowsRows()
{
    openFixture(m_path, static_cast<int>(m_data.records.size()));
    QTRY_COMPARE(m_window->statusSummary()->records(), static_cast<qint64>(m_data.records.size()));
    QVERIFY(m_window->windowTitle().contains(QStringLiteral("tgw-flows.log")));
    auto* count = m_window->filterBar()->findChild<QLabel*>(QStringLiteral("filterCount"));
    QVERIFY(count->text().contains(QLocale().toString(static_cast<qint64>(m_data.records.size()))));
    // TGW data picks the Transit Gateway columns.
    QTRY_VERIFY(m_window->recordView()->visibleColumns().contains(QStringLiteral("tgw_pair_attachment_id")));
    QVERIFY(QSettings().value(QStringLiteral("recent/paths")).toStringList().contains(m_path));
}

void TestMainWindow::opensDemoData()
{
    qputenv("FLOWLOG_DEMO_DIR", qPrintable(testpaths::demoData()));
    QVERIFY2(!MainWindow::findDemoDirectory().isEmpty(), qPrintable(testpaths::demoData()));
    QVERIFY(m_window->openDemo());
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->loadController()->isRunning(), 60000);
    QTRY_VERIFY(m_window->recordModel()->countKnown());
    const int rows = m_window->recordModel()->rowCount();
    QVERIFY(rows > 0);
    // The demo's describe-*.json files are read as names, not reported as bad flow logs.
    QVERIFY(!m_window->session()->names().isEmpty());
    QVERIFY(m_window->findChildren<QMessageBox*>().isEmpty());
    auto names = m_window->session()->store()->prepare(QStringLiteral("SELECT COUNT(*) FROM names WHERE name IS NOT NULL"));
    QVERIFY(names.ok() && names->next());
    QVERIFY(names->int64(0) > 0); // written into the store for SQL joins

    // Table cells show "Name (id)" by default; View > Show Names > Name shows the name alone.
    const QString prodApp = QStringLiteral("tgw-attach-13a5c7e9b1d2f4061");
    RecordModel* model = m_window->recordModel();
    m_window->session()->setFilter(QStringLiteral("tgw-attachment-id == ") + prodApp);
    QTRY_VERIFY(model->countKnown() && model->rowCount() > 0);
    QTRY_VERIFY(cell(model, 0, QStringLiteral("id")).isValid());
    QCOMPARE(cell(model, 0, QStringLiteral("tgw_attachment_id"), Qt::DisplayRole).toString(),
             QStringLiteral("prod-app (%1)").arg(prodApp));
    QAction* nameOnly = m_window->findChild<QAction*>(QStringLiteral("namesName"));
    QVERIFY(nameOnly);
    nameOnly->trigger();
    QCOMPARE(cell(model, 0, QStringLiteral("tgw_attachment_id"), Qt::DisplayRole).toString(), QStringLiteral("prod-app"));
    QCOMPARE(cell(model, 0, QStringLiteral("tgw_attachment_id")).toString(), prodApp);
    m_window->session()->setFilter(QString());
    QTRY_VERIFY(model->countKnown() && model->rowCount() == rows);

    // Opening only names JSON keeps the loaded records (it does not replace the session).
    const QString vpcs = testpaths::testData() + QStringLiteral("/names/describe-vpcs.json");
    QVERIFY(m_window->openPaths({vpcs}));
    QCOMPARE(m_window->session()->names().name(QStringLiteral("vpc-0aaa1111bbbb22220")), QStringLiteral("VPC A"));
    QCOMPARE(m_window->recordModel()->rowCount(), rows);
    QVERIFY(!m_window->loadController()->isRunning());
}

void TestMainWindow::typingAFilterChangesTheCount()
{
    openFixture(m_path, static_cast<int>(m_data.records.size()));
    const int udp = static_cast<int>(
        std::count_if(m_data.records.begin(), m_data.records.end(), [](const uitest::GenRecord& r) { return r.protocol == 17; }));
    QLineEdit* edit = m_window->filterBar()->lineEdit();
    QTest::keyClick(m_window.get(), Qt::Key_L, Qt::ControlModifier);
    QTRY_VERIFY(edit->hasFocus());
    QTest::keyClicks(edit, QStringLiteral("protocol == 17"));
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(m_window->session()->filter(), QStringLiteral("protocol == 17"));
    QTRY_VERIFY(m_window->recordModel()->countKnown() && m_window->recordModel()->rowCount() == udp);
    auto* count = m_window->filterBar()->findChild<QLabel*>(QStringLiteral("filterCount"));
    QTRY_VERIFY(count->text().startsWith(QLocale().toString(udp) + QLatin1Char(' ')));
    // Alt+Left goes back to everything.
    QTest::keyClick(edit, Qt::Key_Left, Qt::AltModifier);
    QTRY_COMPARE(m_window->recordModel()->rowCount(), static_cast<int>(m_data.records.size()));
}

void TestMainWindow::headerClickSortsBiggestFirst()
{
    openFixture(m_path, static_cast<int>(m_data.records.size()));
    RecordView* view = m_window->recordView();
    RecordModel* model = m_window->recordModel();
    view->applyPreset(QStringLiteral("Transit Gateway"));
    const int bytes = model->columnIndex(QStringLiteral("bytes"));
    QHeaderView* header = view->horizontalHeader();
    QVERIFY(!header->isSectionHidden(bytes));
    view->scrollTo(model->index(0, bytes));
    const QPoint pos(header->sectionViewportPosition(bytes) + header->sectionSize(bytes) / 2, header->height() / 2);
    QSignalSpy first(model, &RecordModel::firstPageReady);
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, pos);
    QTRY_VERIFY(!first.isEmpty());
    qint64 max = 0;
    for (const auto& r : m_data.records) max = std::max(max, r.bytes);
    QTRY_COMPARE(cell(model, 0, QStringLiteral("bytes")).toLongLong(), max);
    QCOMPARE(header->sortIndicatorSection(), bytes);
    QCOMPARE(header->sortIndicatorOrder(), Qt::DescendingOrder);
    // Second click: smallest first (NULLs of NODATA rows sort first).
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, pos);
    QTRY_COMPARE(model->sortOrder(), Qt::AscendingOrder);
    QTRY_VERIFY(model->countKnown());
    QTRY_VERIFY(cell(model, 0, QStringLiteral("id")).isValid());
    QVERIFY(cell(model, 0, QStringLiteral("bytes")).isNull());
}

void TestMainWindow::contextMenuFilters_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("startFilter");
    QTest::addColumn<QString>("expectedFilter"); // %1 = the cell's raw value
    QTest::newRow("filter on value") << "filterOnValue"
                                     << "dstport" << QString() << "dstport == %1";
    QTest::newRow("exclude value") << "excludeValue"
                                   << "dstport" << QString() << "dstport != %1";
    QTest::newRow("and with current") << "andWithFilter"
                                      << "dstport"
                                      << "protocol == 6"
                                      << "protocol == 6 and dstport == %1";
    QTest::newRow("or with current") << "orWithFilter"
                                     << "dstport"
                                     << "protocol == 6"
                                     << "protocol == 6 or dstport == %1";
    QTest::newRow("attachment") << "filterOnValue"
                                << "tgw_attachment_id" << QString() << "tgw-attachment-id == %1";
}

void TestMainWindow::contextMenuFilters()
{
    QFETCH(QString, action);
    QFETCH(QString, column);
    QFETCH(QString, startFilter);
    QFETCH(QString, expectedFilter);
    openFixture(m_path, static_cast<int>(m_data.records.size()));
    RecordModel* model = m_window->recordModel();
    if (!startFilter.isEmpty()) {
        m_window->session()->setFilter(startFilter);
        QTRY_VERIFY(model->countKnown());
    }
    QTRY_VERIFY(cell(model, 0, QStringLiteral("id")).isValid());
    const QString value = cell(model, 0, column).toString();
    std::unique_ptr<QMenu> menu(m_window->recordView()->createCellMenu(model->index(0, model->columnIndex(column))));
    auto* a = menu->findChild<QAction*>(action);
    QVERIFY2(a, qPrintable(action));
    a->trigger();
    QCOMPARE(m_window->session()->filter(), expectedFilter.arg(value));
    QTRY_VERIFY(model->countKnown());
    QVERIFY(model->rowCount() > 0);
    QTRY_VERIFY(cell(model, 0, QStringLiteral("id")).isValid());
    if (action == QLatin1String("filterOnValue")) {
        QCOMPARE(cell(model, 0, column).toString(), value);
    }
}

void TestMainWindow::copiesSelectedRows()
{
    openFixture(m_path, static_cast<int>(m_data.records.size()));
    RecordView* view = m_window->recordView();
    view->setFocus();
    view->selectionModel()->select(QItemSelection(view->model()->index(0, 0), view->model()->index(2, 0)),
                                   QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QApplication::clipboard()->clear();
    view->copyAction()->trigger();
    QTRY_VERIFY(!QApplication::clipboard()->text().isEmpty());
    const QStringList lines = QApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 4); // header + 3 rows
    QCOMPARE(lines.at(0).split(QLatin1Char('\t')).size(), view->visibleColumns().size());
    QVERIFY(lines.at(1).contains(m_data.records.front().attachment));
}

void TestMainWindow::detailsShowFieldsRawLineAndTwin()
{
    openFixture(m_path, static_cast<int>(m_data.records.size()));
    RecordView* view = m_window->recordView();
    DetailsPane* details = m_window->detailsPane();
    QSignalSpy shown(details, &DetailsPane::recordShown);
    QTRY_VERIFY(view->model()->index(0, 0).data(RecordModel::RecordIdRole).isValid());
    view->selectRow(0);
    QTRY_VERIFY(!shown.isEmpty());
    QCOMPARE(details->recordId().get(), 1);
    const auto items = details->tree()->findItems(QStringLiteral("tgw-attachment-id"), Qt::MatchExactly | Qt::MatchRecursive);
    QCOMPARE(items.size(), 1);
    QCOMPARE(items.first()->text(1), m_data.records.front().attachment);
    QVERIFY(!items.first()->text(2).isEmpty()); // meaning from the field registry
    const QString firstLine = QString::fromLatin1(m_data.text.left(m_data.text.indexOf('\n')));
    QTRY_COMPARE(details->rawLine(), firstLine);
    // The first flow is logged at both attachments: record 1 (ingress) and 2 (egress).
    QCOMPARE(details->twinId().get(), 2);
    auto* link = details->findChild<QLabel*>(QStringLiteral("twinLink"));
    QVERIFY(link && link->isVisible());
    Q_EMIT link->linkActivated(QStringLiteral("twin"));
    QTRY_COMPARE(view->currentRecordId().get(), 2);
    QTRY_COMPARE(details->recordId().get(), 2);
}

void TestMainWindow::exportEqualsCli_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QString>("sortColumn");
    QTest::addColumn<bool>("allColumns");
    QTest::addColumn<bool>("guard");
    QTest::newRow("visible columns, filter, sort bytes desc") << "protocol == 6 and dstport == 443"
                                                              << "bytes" << false << true;
    QTest::newRow("all columns, no filter, load order") << QString() << QString() << true << true;
    QTest::newRow("drops, sort srcaddr, no formula guard") << "packets-lost-no-route > 0"
                                                           << "srcaddr" << false << false;
}

void TestMainWindow::exportEqualsCli()
{
    QFETCH(QString, filter);
    QFETCH(QString, sortColumn);
    QFETCH(bool, allColumns);
    QFETCH(bool, guard);
    openFixture(m_path, static_cast<int>(m_data.records.size()));
    RecordModel* model = m_window->recordModel();
    m_window->session()->setFilter(filter);
    if (!sortColumn.isEmpty()) {
        const bool desc = sortColumn == QLatin1String("bytes");
        m_window->recordView()->sortByColumn(model->columnIndex(sortColumn), desc ? Qt::DescendingOrder : Qt::AscendingOrder);
    }
    QTRY_VERIFY(model->countKnown());
    const core::ExportRequest request = m_window->currentExportRequest(allColumns, guard);
    QCOMPARE(request.filter, filter);
    QCOMPARE(request.columns.isEmpty(), allColumns);
    const QString guiPath = m_dir.filePath(QStringLiteral("gui.csv"));
    const QString cliPath = m_dir.filePath(QStringLiteral("cli.csv"));
    QFile::remove(guiPath);
    QFile::remove(cliPath);
    QSignalSpy finished(m_window->exportController(), &ExportController::finished);
    QVERIFY(m_window->exportController()->start(request, guiPath));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    QCOMPARE(finished.first().at(0).value<core::Outcome>(), core::Outcome::Ok);

    QStringList args{QStringLiteral("export")};
    if (!filter.isEmpty()) args << QStringLiteral("--filter") << filter;
    for (const auto& key : request.sort)
        args << QStringLiteral("--sort") << key.column + (key.descending ? QStringLiteral(":desc") : QString());
    if (!allColumns) args << QStringLiteral("--columns") << request.columns.join(QLatin1Char(','));
    if (!guard) args << QStringLiteral("--no-formula-guard");
    args << QStringLiteral("-o") << cliPath << m_path;
    uitest::sameBytesAsCliExport(args, guiPath, cliPath);
}

void TestMainWindow::rejectedLinesOpenTheLoadReport()
{
    const QString bad = m_dir.filePath(QStringLiteral("with-bad-lines.log"));
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    const auto data = uitest::generateTgw(20);
    f.write(data.text);
    f.write("6 TransitGateway this line is far too short\n");
    f.write(data.text.left(data.text.indexOf('\n')) + " extra-field\n");
    f.close();
    QVERIFY(m_window->openPaths({bad}));
    QTRY_VERIFY(!m_window->loadController()->isRunning());
    QTRY_COMPARE(m_window->statusSummary()->rejected(), 2);
    QLabel* label = m_window->statusSummary()->rejectedLabel();
    QVERIFY(label->text().contains(QStringLiteral("2 rejected")));
    Q_EMIT label->linkActivated(QStringLiteral("report"));
    auto* dialog = m_window->findChild<LoadReportDialog*>();
    QVERIFY(dialog && dialog->isVisible());
    QCOMPARE(dialog->rejectionsTable()->rowCount(), 2);
    QCOMPARE(dialog->rejectionsTable()->item(0, 1)->text(), QString::number(data.records.size() + 1));
    QVERIFY(!dialog->rejectionsTable()->item(0, 2)->text().isEmpty());
    QVERIFY(LoadReportDialog::tableText(dialog->rejectionsTable()).contains(QStringLiteral("far too short")));
    dialog->close();
}

void TestMainWindow::addSessionAppends()
{
    openFixture(m_path, static_cast<int>(m_data.records.size()));
    QVERIFY(m_window->openPaths({m_path}, LoadController::Mode::Add));
    QTRY_VERIFY(!m_window->loadController()->isRunning());
    QTRY_VERIFY(m_window->recordModel()->countKnown()
                && m_window->recordModel()->rowCount() == 2 * static_cast<int>(m_data.records.size()));
    QCOMPARE(m_window->session()->store()->files().size(), size_t(2));
}

void TestMainWindow::cancelledLoadKeepsTheSession()
{
    openFixture(m_path, static_cast<int>(m_data.records.size()));
    const QString big = m_dir.filePath(QStringLiteral("big.log"));
    QFile f(big);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(uitest::generateTgw(40000, 99, false).text);
    f.close();
    QSignalSpy finished(m_window->loadController(), &LoadController::finished);
    QVERIFY(m_window->openPaths({big}));
    QVERIFY(m_window->loadController()->isRunning());
    QVERIFY(!m_window->openPaths({big})); // one load at a time
    m_window->loadController()->cancel();
    QTRY_VERIFY(!m_window->loadController()->isRunning());
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(0).value<core::LoadReport>().outcome, core::Outcome::Cancelled);
    QCOMPARE(m_window->session()->store()->recordCount(), static_cast<qint64>(m_data.records.size()));
    QCOMPARE(m_window->recordModel()->rowCount(), static_cast<int>(m_data.records.size()));
}

void TestMainWindow::cancelAfterTheWorkerEndedStillCancels()
{
    // The race the test above can lose on an idle machine, made certain: the worker has finished
    // (the pool is idle) but its result has not reached the GUI thread when Cancel is pressed.
    openFixture(m_path, static_cast<int>(m_data.records.size()));
    const QString small = m_dir.filePath(QStringLiteral("small.log"));
    QFile f(small);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(uitest::generateTgw(50, 7, false).text);
    f.close();
    QSignalSpy finished(m_window->loadController(), &LoadController::finished);
    QVERIFY(m_window->openPaths({small}));
    QThreadPool::globalInstance()->waitForDone(); // no events processed: the result is still queued
    QVERIFY(m_window->loadController()->isRunning());
    m_window->loadController()->cancel();
    QTRY_VERIFY(!m_window->loadController()->isRunning());
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(0).value<core::LoadReport>().outcome, core::Outcome::Cancelled);
    QCOMPARE(m_window->session()->store()->recordCount(), static_cast<qint64>(m_data.records.size()));
    QTRY_COMPARE(m_window->recordModel()->rowCount(), static_cast<int>(m_data.records.size()));
}

void TestMainWindow::droppedFilesAreOpened()
{
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(m_path)});
    QDragEnterEvent enter(QPoint(100, 100), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(100, 100), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &drop);
    QTRY_VERIFY(!m_window->loadController()->isRunning());
    QTRY_VERIFY(m_window->recordModel()->countKnown()
                && m_window->recordModel()->rowCount() == static_cast<int>(m_data.records.size()));
}

void TestMainWindow::timeDisplayShortcuts()
{
    openFixture(m_path, static_cast<int>(m_data.records.size()));
    RecordModel* model = m_window->recordModel();
    QTRY_VERIFY(cell(model, 0, QStringLiteral("id")).isValid());
    const qint64 start = cell(model, 0, QStringLiteral("start")).toLongLong();
    QCOMPARE(cell(model, 0, QStringLiteral("start"), Qt::DisplayRole).toString(),
             QDateTime::fromSecsSinceEpoch(start, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss'Z'")));
    m_window->recordView()->setFocus();
    QTest::keyClick(m_window.get(), Qt::Key_3, Qt::ControlModifier | Qt::AltModifier);
    QCOMPARE(m_window->session()->timeDisplay(), TimeDisplay::Unix);
    QCOMPARE(cell(model, 0, QStringLiteral("start"), Qt::DisplayRole).toString(), QString::number(start));
    QTest::keyClick(m_window.get(), Qt::Key_1, Qt::ControlModifier | Qt::AltModifier);
    QCOMPARE(m_window->session()->timeDisplay(), TimeDisplay::Utc);
}

void TestMainWindow::sortKeepsTheSelectedRecord()
{
    openFixture(m_path, static_cast<int>(m_data.records.size()));
    RecordView* view = m_window->recordView();
    RecordModel* model = m_window->recordModel();
    QTRY_VERIFY(cell(model, 0, QStringLiteral("id")).isValid());
    view->selectRow(5);
    const qint64 id = view->currentRecordId().get();
    QVERIFY(id > 0);
    view->sortByColumn(model->columnIndex(QStringLiteral("bytes")), Qt::DescendingOrder);
    QTRY_VERIFY(model->countKnown());
    QTRY_COMPARE(view->currentRecordId().get(), id);
    QCOMPARE(view->currentIndex().row(), model->rowOfRecord(core::RecordId(id)).get());
}

void TestMainWindow::layoutAndWindowStateAreSaved()
{
    openFixture(m_path, static_cast<int>(m_data.records.size()));
    m_window->recordView()->applyPreset(QStringLiteral("VPC"));
    const QStringList columns = m_window->recordView()->visibleColumns();
    QVERIFY(columns.contains(QStringLiteral("interface_id")));
    m_window->session()->setTimeDisplay(TimeDisplay::Unix);
    m_window->close();
    QVERIFY(QSettings().contains(QStringLiteral("window/geometry")));
    m_window = std::make_unique<MainWindow>();
    m_window->show();
    QCOMPARE(m_window->session()->timeDisplay(), TimeDisplay::Unix);
    openFixture(m_path, static_cast<int>(m_data.records.size()));
    QCOMPARE(m_window->recordView()->visibleColumns(), columns);
    m_window->session()->setTimeDisplay(TimeDisplay::Utc);
}

void TestMainWindow::analysisPagesBecomeDocks()
{
    // The window comes with five analysis pages as tabbed docks, each with its Ctrl+digit.
    const auto builtIn = m_window->findChildren<QDockWidget*>();
    auto shortcutOf = [&builtIn](const std::function<bool(QWidget*)>& isPage) -> QKeySequence {
        auto it = std::find_if(builtIn.begin(), builtIn.end(), [&](QDockWidget* d) { return isPage(ui::dockContent(d)); });
        if (it == builtIn.end()) return {};
        auto* show = (*it)->findChild<QAction*>(QStringLiteral("showPage"));
        return show ? show->shortcut() : QKeySequence();
    };
    QCOMPARE(shortcutOf([](QWidget* w) { return qobject_cast<AttachmentsPage*>(w) != nullptr; }),
             QKeySequence(Qt::CTRL | Qt::Key_1));
    QCOMPARE(shortcutOf([](QWidget* w) { return qobject_cast<TimelinePage*>(w) != nullptr; }),
             QKeySequence(Qt::CTRL | Qt::Key_2));
    QCOMPARE(shortcutOf([](QWidget* w) { return qobject_cast<DropsPage*>(w) != nullptr; }), QKeySequence(Qt::CTRL | Qt::Key_3));
    QCOMPARE(shortcutOf([](QWidget* w) { return qobject_cast<FlowPathPage*>(w) != nullptr; }),
             QKeySequence(Qt::CTRL | Qt::Key_4));
    QCOMPARE(shortcutOf([](QWidget* w) { return qobject_cast<SqlPage*>(w) != nullptr; }), QKeySequence(Qt::CTRL | Qt::Key_5));

    auto* page = new QLabel(QStringLiteral("graph"));
    page->setObjectName(QStringLiteral("extraPage"));
    m_window->addAnalysisPage(page, QStringLiteral("Extra"), QKeySequence(Qt::CTRL | Qt::Key_G));
    const auto docks = m_window->findChildren<QDockWidget*>();
    auto it = std::find_if(docks.begin(), docks.end(), [page](QDockWidget* d) { return ui::dockContent(d) == page; });
    QVERIFY(it != docks.end());
    auto* showExtra = (*it)->findChild<QAction*>(QStringLiteral("showPage"));
    QVERIFY(showExtra);
    QCOMPARE(showExtra->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_G));
    // tabbed with the six built-in pages (Compare is the sixth); tab bars appear when the layout is next updated
    QTRY_COMPARE(m_window->tabifiedDockWidgets(*it).size(), 6);
}

void TestMainWindow::selectionDrivesFollowFlow()
{
    // Selecting a row traces its flow on the Follow Flow page; clicking the other side's record
    // box there selects that record in the table. A fresh window with the default layout (the
    // pages tabbed together), not the one an earlier test saved.
    QSettings().clear();
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1400, 800);
    m_window->show();
    openFixture(m_path, static_cast<int>(m_data.records.size()));
    auto* page = m_window->findChild<FlowPathPage*>();
    QVERIFY(page);
    RecordView* view = m_window->recordView();
    QTRY_VERIFY(view->model()->index(0, 0).data(RecordModel::RecordIdRole).isValid());
    view->selectRow(0);
    QTRY_COMPARE(m_window->session()->currentRecord(), qint64(1));
    QTRY_COMPARE(page->recordId().get(), qint64(1));
    QTRY_VERIFY(page->path().has_value());
    // Record 1 is the ingress side of a flow logged at both attachments; its twin is record 2.
    const auto& boxes = page->boxes();
    auto twin = std::find_if(boxes.begin(), boxes.end(), [](const FlowPathBox& b) { return b.recordId == 2; });
    QVERIFY(twin != boxes.end());
    QDockWidget* dock = nullptr; // the page sits in a scroll area inside its dock
    for (QWidget* w = page->parentWidget(); w && !dock; w = w->parentWidget()) dock = qobject_cast<QDockWidget*>(w);
    QVERIFY(dock);
    // Ctrl+4 brings the page (tabbed behind the Attachments page) to the front; pressing it
    // again keeps it there instead of closing it.
    QTest::keyClick(m_window.get(), Qt::Key_1, Qt::ControlModifier);
    QTRY_VERIFY(m_window->findChild<AttachmentsPage*>()->isVisible());
    // (a dock tabbed behind another is "visible" to Qt, but nothing of it is on screen)
    QTRY_VERIFY(page->visibleRegion().isEmpty());
    QTest::keyClick(m_window.get(), Qt::Key_4, Qt::ControlModifier);
    QTRY_VERIFY(!page->visibleRegion().isEmpty());
    QTest::keyClick(m_window.get(), Qt::Key_4, Qt::ControlModifier);
    QVERIFY(dock->isVisible());
    QVERIFY(!page->visibleRegion().isEmpty());
    QTest::mouseClick(page->canvas(), Qt::LeftButton, {}, twin->rect.center().toPoint());
    QTRY_COMPARE(view->currentRecordId().get(), qint64(2));
    QTRY_COMPARE(m_window->session()->currentRecord(), qint64(2));
}

void TestMainWindow::namesOptionOfTheGuiBinary_data()
{
    QTest::addColumn<QString>("namesFile");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("stderrHas");
    QTest::newRow("names applied: a filter by Name matches")
        << testpaths::testData() + QStringLiteral("/cli/names-attachments.json") << 0 << QStringLiteral("screenshot saved");
    QTest::newRow("malformed JSON") << QStringLiteral("bad.json") << 2 << QStringLiteral("bad.json");
    QTest::newRow("missing file") << QStringLiteral("missing.json") << 2 << QStringLiteral("missing.json");
}

void TestMainWindow::namesOptionOfTheGuiBinary()
{
    // flowlog-explorer --names FILE: the names are in force before the logs load, so a filter by
    // Name finds rows (the screenshot is only taken once rows show; without the names the
    // filter would match nothing and the process would not finish). Bad files: exit 2 + reason.
    QFETCH(QString, namesFile);
    QFETCH(int, exitCode);
    QFETCH(QString, stderrHas);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile bad(dir.filePath(QStringLiteral("bad.json")));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("{\"TransitGatewayAttachments\": [ {\"TransitGatewayAttachmentId\": ");
    bad.close();
    const QString path = QFileInfo(namesFile).isAbsolute() ? namesFile : dir.filePath(namesFile);
    QProcess gui;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("HOME"), dir.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
    gui.setProcessEnvironment(env);
    gui.start(testpaths::guiPath(),
              {QStringLiteral("--names"), path, QStringLiteral("--filter"), QStringLiteral("attachment == \"VPC A\""),
               QStringLiteral("--screenshot"), dir.filePath(QStringLiteral("shot.png")),
               testpaths::testData() + QStringLiteral("/cli/tgw.log")});
    QVERIFY(gui.waitForFinished(120000));
    const QString err = QString::fromUtf8(gui.readAllStandardError());
    QCOMPARE(gui.exitCode(), exitCode);
    QVERIFY2(err.contains(stderrHas), qPrintable(err));
    QCOMPARE(QFile::exists(dir.filePath(QStringLiteral("shot.png"))), exitCode == 0);
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
