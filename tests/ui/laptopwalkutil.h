#pragma once
// Helpers of the laptop walkthrough tests (tst_laptopwalk.cpp: tool bars, the status bar and
// Follow Flow; tst_laptopcounts.cpp: counts in any system locale and File > Export): the
// generated logs both open, and a real MainWindow opened on one of them at a screen size.
#include "ui/io/loadcontroller.h"
#include "ui/shell/docklayout.h"
#include "ui/shell/mainwindow.h"
#include "ui/shell/statussummary.h"
#include "ui/table/recordmodel.h"
#include "uitestdata.h"

#include <QDockWidget>
#include <QFile>
#include <QLocale>
#include <QSettings>
#include <QSize>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

namespace laptopwalk {

/// The page dock whose content is named `pageName` ("attachmentsPage", "dropsPage", ...), or null.
inline QDockWidget* pageDock(const ui::MainWindow* w, const QString& pageName)
{
    for (QDockWidget* d : w->pageDocks())
        if (ui::dockContent(d)->objectName() == pageName) return d;
    return nullptr;
}

/// The generated logs in `dir`: tgw.log (300 generated flows, ~600 records) and big.log (700
/// flows and one rejected line: counts above 1,000, written with a group separator). Empty
/// paths when a file could not be written.
struct Logs {
    QString path;
    QString bigPath;
};
inline Logs writeLogs(const QTemporaryDir& dir)
{
    Logs logs{dir.filePath(QStringLiteral("tgw.log")), dir.filePath(QStringLiteral("big.log"))};
    QFile f(logs.path);
    if (!f.open(QIODevice::WriteOnly)) return {};
    f.write(uitest::generateTgw(300).text);
    f.close();
    QFile big(logs.bigPath);
    if (!big.open(QIODevice::WriteOnly)) return {};
    big.write(uitest::generateTgw(700).text);
    big.write("6 TransitGateway this line is far too short\n"); // one rejected line
    big.close();
    return logs;
}

/// The start of both tests' initTestCase: settings in test mode and cleared, the logs written
/// into `dir` (fails the test when they cannot be).
inline void setUp(const QTemporaryDir& dir, Logs& logs)
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    QVERIFY(dir.isValid());
    logs = writeLogs(dir);
    QVERIFY(!logs.path.isEmpty());
}

/// A new MainWindow (settings cleared) of `size`, shown, with `path` loaded: returns once the
/// load finished, the table's order is known and the status summary counts records.
inline void start(std::unique_ptr<ui::MainWindow>& window, const QSize& size, const QString& path)
{
    QSettings().clear();
    window = std::make_unique<ui::MainWindow>();
    window->resize(size);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    QVERIFY(window->openPaths({path}));
    QTRY_VERIFY(!window->loadController()->isRunning());
    QTRY_VERIFY(window->recordModel()->countKnown());
    QTRY_VERIFY(window->statusSummary()->records() > 0);
}

/// After each test: closes the window, clears the settings and puts the default locale back.
inline void tearDown(std::unique_ptr<ui::MainWindow>& window)
{
    window.reset();
    QSettings().clear();
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

} // namespace laptopwalk
