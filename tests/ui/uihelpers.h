#pragma once
// Helpers the UI tests share (tests/ui/tst_*.cpp): answering a file dialog the way a user does,
// the constructed Transit Gateway lines (one flow logged at both attachments) of the session and
// compare tests, and the GUI-export-equals-CLI-export check.
#include "tests/testpaths.h"
#include <QByteArray>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLineEdit>
#include <QMetaObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTest>

namespace uitest {

/// Answers a visible file dialog with `path`, typed into its file-name box ("fileNameEdit") as a
/// user types it, and accepts it once the dialog's selection is that file. True when it accepted;
/// false when the dialog is not ready yet (call again on the next tick: a dialog whose file model
/// is still loading may ignore the first answer).
///
/// Not QFileDialog::selectFile(): on a visible dialog whose file-name box has the focus, Qt
/// deliberately leaves the box alone (it does not overwrite what the user is typing) and only
/// changes the directory, so the dialog kept its suggested name ("tgw.flowlog", "flows.csv") in
/// the new directory (CI failed 1 run in 3). Nor QFileInfo's ==: two paths that do not exist yet
/// have the same (empty) canonical path and compare equal.
inline bool typeIntoFileDialog(QFileDialog* dialog, const QString& path)
{
    const QFileInfo wanted(path);
    auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
    if (!name) return false;
    if (QFileInfo(dialog->directory().absolutePath()) != QFileInfo(wanted.absolutePath()))
        dialog->setDirectory(wanted.absolutePath());
    name->setText(wanted.fileName());
    const QStringList selected = dialog->selectedFiles();
    if (selected.size() != 1 || QFileInfo(selected.first()).absoluteFilePath() != wanted.absoluteFilePath()) return false;
    QMetaObject::invokeMethod(dialog, "accept", Qt::DirectConnection);
    return true;
}

/// One TGW default-format line (36 fields) of a flow 10.0.0.1 -> 10.9.9.9:443 seen at `attach`
/// (pair `pair`, direction `dir`), 10 packets, `bytes` bytes, from `start` for 60 s, with
/// `blackhole` packets lost to a blackhole route.
inline QByteArray tgwLine(const char* attach, const char* pair, const char* dir, int sport, qint64 bytes, qint64 start,
                          int blackhole = 0)
{
    return QStringLiteral(
               "6 TransitGateway 111122223333 tgw-0abc %1 111122223333 111122223333 vpc-0aaa vpc-0bbb subnet-0a1 "
               "subnet-0b1 eni-0a1 eni-0b1 use1-az1 use1-az2 %2 10.0.0.1 10.9.9.9 %3 443 6 10 %4 %5 %6 OK IPv4 0 %7 0 0 "
               "18 us-east-1 %8 - -\n")
        .arg(QLatin1String(attach), QLatin1String(pair))
        .arg(sport)
        .arg(bytes)
        .arg(start)
        .arg(start + 60)
        .arg(blackhole)
        .arg(QLatin1String(dir))
        .toUtf8();
}

/// A flow logged at both attachments (ingress at `a`, egress at `b`): counts once on either side.
inline QByteArray both(const char* a, const char* b, int sport, qint64 bytes, qint64 start)
{
    return tgwLine(a, b, "ingress", sport, bytes, start) + tgwLine(b, a, "egress", sport, bytes, start);
}

/// Runs flowlog-cli (testpaths::cliPath()) with `cliArgs` (an `export ... -o cliPath ...` command)
/// and checks that the GUI's export at `guiPath` has a header and a row at least and the same
/// bytes as the CLI's at `cliPath`. Fails the calling test otherwise.
inline void sameBytesAsCliExport(const QStringList& cliArgs, const QString& guiPath, const QString& cliPath)
{
    QProcess cli;
    cli.start(testpaths::cliPath(), cliArgs);
    QVERIFY2(cli.waitForFinished(60000), qPrintable(cli.errorString()));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    QFile gui(guiPath), ref(cliPath);
    QVERIFY(gui.open(QIODevice::ReadOnly));
    QVERIFY(ref.open(QIODevice::ReadOnly));
    const QByteArray guiBytes = gui.readAll();
    QVERIFY(guiBytes.count('\n') >= 2);
    QCOMPARE(guiBytes, ref.readAll());
}

} // namespace uitest
