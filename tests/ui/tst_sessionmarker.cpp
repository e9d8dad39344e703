// Session view changes through real widgets (offscreen): after a session is opened, selecting
// another record, resizing or moving a column and moving a dock each set the title's modified
// marker, while the open itself (which re-selects the saved record and re-applies the saved
// columns) does not. A .flowlog dropped on a window with data asks Open / Compare / Cancel
// (there is no "Add": a session cannot be merged into loaded data) and each answer does what
// it says. The Compare page's baseline (a split time, or baseline files) is saved in the
// session file and comes back when it is opened.
#include "core/sessionfile/sessionfile.h"
#include "ui/compare/comparepage.h"
#include "ui/io/loadcontroller.h"
#include "ui/logic/session.h"
#include "ui/shell/mainwindow.h"
#include "ui/shell/sessioncontroller.h"
#include "ui/table/recordmodel.h"
#include "ui/table/recordview.h"
#include "uitestdata.h"

#include <QApplication>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace ui;

namespace {

/// Clicks the button named `buttonName` ("" = Cancel) of the next modal message box after
/// keeping its text in `text`, then stops.
void clickInNextBox(const QString& buttonName, QString* text)
{
    auto* timer = new QTimer(qApp);
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, buttonName, text]() {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box) return;
        *text = box->text() + QLatin1Char('\n') + box->informativeText();
        QAbstractButton* b = buttonName.isEmpty() ? box->button(QMessageBox::Cancel) : box->findChild<QPushButton*>(buttonName);
        if (b) b->click();
        timer->stop();
        timer->deleteLater();
    });
    timer->start();
}

/// Sends a real drop of `path` to the window's centre.
void drop(MainWindow* w, const QString& path)
{
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    const QPointF at(w->width() / 2.0, w->height() / 2.0);
    QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(w, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent event(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(w, &event);
}

} // namespace

class TestSessionMarker : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_logs;
    QString m_other;
    QString m_session;

    /// Opens m_session in `w` and waits until its rows and the saved record are back.
    void openSaved(MainWindow& w)
    {
        w.resize(1400, 800);
        w.show();
        QSignalSpy opened(w.sessionController(), &SessionController::openFinished);
        QVERIFY(w.openPaths({m_session}));
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
        QVERIFY2(opened.first().at(0).toBool(), qPrintable(opened.first().at(1).toString()));
        QTRY_VERIFY_WITH_TIMEOUT(w.recordModel()->countKnown() && w.recordModel()->rowCount() > 10, 20000);
        QTRY_VERIFY(w.session()->currentRecord() >= 0);
        QCoreApplication::processEvents(); // nothing queued may count as an edit
        QVERIFY2(!w.isWindowModified(), "opening a session is not an edit");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qRegisterMetaType<core::LoadReport>();
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        m_logs = m_dir.filePath(QStringLiteral("tgw.log"));
        m_other = m_dir.filePath(QStringLiteral("other.log"));
        for (const auto& [p, seed] : {std::pair{m_logs, 12345u}, std::pair{m_other, 777u}}) {
            QFile f(p);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(uitest::generateTgw(200, seed).text);
        }
        // A session saved by the GUI with a selected record and a view of its own.
        m_session = m_dir.filePath(QStringLiteral("marker.flowlog"));
        MainWindow w;
        w.resize(1400, 800);
        w.show();
        QVERIFY(w.openPaths({m_logs}));
        QTRY_VERIFY_WITH_TIMEOUT(!w.loadController()->isRunning(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(w.recordModel()->countKnown() && w.recordModel()->rowCount() > 10, 20000);
        QVERIFY(w.recordView()->selectRecord(w.recordModel()->recordId(core::TableRow(3))));
        QTRY_VERIFY(w.session()->currentRecord() >= 0);
        QSignalSpy saved(w.sessionController(), &SessionController::saveFinished);
        QVERIFY(w.sessionController()->save(m_session));
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
        QVERIFY2(saved.first().at(0).toBool(), qPrintable(saved.first().at(1).toString()));
    }

    void viewChangesMarkModified_data()
    {
        QTest::addColumn<QString>("change");
        QTest::newRow("click another record") << QStringLiteral("record");
        QTest::newRow("resize a column") << QStringLiteral("resize");
        QTest::newRow("move a column") << QStringLiteral("move");
        QTest::newRow("float a dock") << QStringLiteral("float");
        QTest::newRow("dock on the other side") << QStringLiteral("area");
    }

    void viewChangesMarkModified()
    {
        QFETCH(QString, change);
        MainWindow w;
        openSaved(w);
        RecordView* view = w.recordView();
        QHeaderView* header = view->horizontalHeader();
        const int first = header->logicalIndexAt(5);
        QVERIFY(first >= 0);
        QDockWidget* dock = nullptr;
        for (QDockWidget* d : w.findChildren<QDockWidget*>())
            if (d->objectName().startsWith(QLatin1String("page:")) && !d->isFloating()) dock = d;
        QVERIFY(dock);
        if (change == QLatin1String("record")) {
            const QModelIndex index = view->model()->index(7, first);
            QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, view->visualRect(index).center());
        } else if (change == QLatin1String("resize")) {
            header->resizeSection(first, header->sectionSize(first) + 40);
        } else if (change == QLatin1String("move")) {
            header->moveSection(0, 2);
        } else if (change == QLatin1String("float")) {
            dock->setFloating(true);
        } else {
            const Qt::DockWidgetArea area = w.dockWidgetArea(dock);
            w.addDockWidget(area == Qt::LeftDockWidgetArea ? Qt::RightDockWidgetArea : Qt::LeftDockWidgetArea, dock);
        }
        QTRY_VERIFY2(w.isWindowModified(), qPrintable(change));
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("marker.flowlog")));
    }

    void droppedSessionAsksOpenOrCompare_data()
    {
        QTest::addColumn<QString>("button");
        QTest::newRow("open") << QStringLiteral("sessionDropOpen");
        QTest::newRow("compare") << QStringLiteral("sessionDropCompare");
        QTest::newRow("cancel") << QString();
    }

    void droppedSessionAsksOpenOrCompare()
    {
        QFETCH(QString, button);
        MainWindow w;
        w.resize(1400, 800);
        w.show();
        QVERIFY(w.openPaths({m_other}));
        QTRY_VERIFY_WITH_TIMEOUT(!w.loadController()->isRunning(), 20000);
        const auto before = w.session()->store();
        const qint64 records = before->recordCount();
        QSignalSpy opened(w.sessionController(), &SessionController::openFinished);
        ComparePage* page = w.sessionController()->comparePage();
        QSignalSpy updated(page, &ComparePage::updated);
        QString text;
        clickInNextBox(button, &text);
        drop(&w, m_session);
        QVERIFY2(text.contains(QStringLiteral("cannot be added")), qPrintable(text));
        QVERIFY(!QApplication::activePopupWidget()); // no Replace/Add menu for a session
        if (button == QLatin1String("sessionDropOpen")) {
            QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
            QVERIFY(opened.first().at(0).toBool());
            QVERIFY(w.session()->store() != before);
            QVERIFY(w.windowTitle().startsWith(QStringLiteral("marker.flowlog")));
        } else if (button == QLatin1String("sessionDropCompare")) {
            QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 1, 20000);
            QVERIFY(page->hasBaseline());
            QCOMPARE(w.session()->store(), before); // the loaded data stays
            QCOMPARE(w.session()->store()->recordCount(), records);
            auto* label = page->findChild<QLabel*>(QStringLiteral("compareBaseline"));
            QVERIFY(label);
            QTRY_VERIFY2(label->text().startsWith(QStringLiteral("Baseline: marker.flowlog")), qPrintable(label->text()));
            QCOMPARE(opened.count(), 0);
        } else {
            QCOMPARE(w.session()->store(), before);
            QVERIFY(!page->hasBaseline());
            QCOMPARE(opened.count(), 0);
        }
    }

    void droppedSessionOnAnEmptyWindowOpens()
    {
        MainWindow w;
        w.resize(1400, 800);
        w.show();
        QSignalSpy opened(w.sessionController(), &SessionController::openFinished);
        drop(&w, m_session); // no question: nothing would be replaced
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
        QVERIFY(opened.first().at(0).toBool());
    }

    void compareBaselineIsSaved_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("split time") << QStringLiteral("split");
        QTest::newRow("baseline files") << QStringLiteral("paths");
    }

    void compareBaselineIsSaved()
    {
        QFETCH(QString, kind);
        const QString path = m_dir.filePath(QStringLiteral("baseline-%1.flowlog").arg(kind));
        const qint64 split = 1795950000;
        QStringList edges;
        {
            MainWindow w;
            w.resize(1400, 800);
            w.show();
            QVERIFY(w.openPaths({m_logs}));
            QTRY_VERIFY_WITH_TIMEOUT(!w.loadController()->isRunning(), 20000);
            ComparePage* page = w.sessionController()->comparePage();
            QSignalSpy updated(page, &ComparePage::updated);
            if (kind == QLatin1String("split")) page->setSplitTime(split);
            else page->openBaseline({m_other});
            QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 1, 20000);
            for (int r = 0; r < page->edgeModel()->rowCount(); ++r)
                edges << page->edgeModel()->index(r, ComparePage::EdgeSrc).data().toString() + QLatin1String("→")
                             + page->edgeModel()->index(r, ComparePage::EdgeDst).data().toString();
            QSignalSpy saved(w.sessionController(), &SessionController::saveFinished);
            QVERIFY(w.sessionController()->save(path));
            QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
            QVERIFY(saved.first().at(0).toBool());
        }
        auto opened = core::openSession(path);
        QVERIFY(opened.ok());
        QCOMPARE(opened->formatVersion, core::kSessionFormatVersion);
        QVERIFY2(opened->data.compare.contains(kind.toUtf8()), opened->data.compare.constData());

        MainWindow w;
        w.resize(1400, 800);
        w.show();
        ComparePage* page = w.sessionController()->comparePage();
        QSignalSpy updated(page, &ComparePage::updated);
        QVERIFY(w.openPaths({path}));
        QTRY_VERIFY_WITH_TIMEOUT(updated.count() >= 1 && page->hasBaseline(), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(page->edgeModel()->rowCount(), static_cast<int>(edges.size()), 20000);
        QStringList now;
        for (int r = 0; r < page->edgeModel()->rowCount(); ++r)
            now << page->edgeModel()->index(r, ComparePage::EdgeSrc).data().toString() + QLatin1String("→")
                       + page->edgeModel()->index(r, ComparePage::EdgeDst).data().toString();
        now.sort();
        edges.sort();
        QCOMPARE(now, edges);
        QCOMPARE(page->baselineState(), opened->data.compare);
    }
};

QTEST_MAIN(TestSessionMarker)
#include "tst_sessionmarker.moc"
