// The window opening a damaged session (offscreen, real MainWindow): damage found by the cheap
// structural checks and damage found only by PRAGMA quick_check, which runs on a second thread
// while the rest of the file is read, are refused alike: the sentence names the file, the error
// box shows, nothing of the file is installed and the window keeps the data it showed (store,
// row count, title). A sound session opened afterwards installs with its exact count.
#include "core/sessionfile/sessionfile.h"
#include "core/store/store_impl.h"
#include "ui/io/loadcontroller.h"
#include "ui/logic/session.h"
#include "ui/shell/mainwindow.h"
#include "ui/shell/sessioncontroller.h"
#include "ui/table/recordmodel.h"
#include "uitestdata.h"

#include <QMessageBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

using namespace ui;

class TestSessionOpenCheck : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_logs;
    QString m_session;
    int m_sessionRows = 0;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_logs = m_dir.filePath(QStringLiteral("tgw.log"));
        QFile f(m_logs);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(uitest::generateTgw(300).text);
        f.close();
        // A sound session of other records (more of them) to damage.
        QFile other(m_dir.filePath(QStringLiteral("other.log")));
        QVERIFY(other.open(QIODevice::WriteOnly));
        other.write(uitest::generateTgw(500).text);
        other.close();
        MainWindow w;
        QVERIFY(w.openPaths({other.fileName()}));
        QTRY_VERIFY_WITH_TIMEOUT(!w.loadController()->isRunning(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(w.recordModel()->countKnown() && w.recordModel()->rowCount() > 0, 20000);
        m_sessionRows = w.recordModel()->rowCount();
        m_session = m_dir.filePath(QStringLiteral("sound.flowlog"));
        QVERIFY(w.sessionController()->save(m_session));
        QSignalSpy saved(w.sessionController(), &SessionController::saveFinished);
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
        QVERIFY(saved.first().at(0).toBool());
    }

    void damagedIsRefusedAndTheWindowKeepsItsData_data()
    {
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<quint32>("value"); // written big-endian at offset
        QTest::addColumn<QString>("expected");
        QTest::newRow("header page count lies") << qint64{28} << quint32{99999} << QStringLiteral("cut short or extended");
        QTest::newRow("freelist lies (found by quick_check on the second thread only)")
            << qint64{36} << quint32{3} << QStringLiteral("freelist: size is 0 but should be 3");
    }

    void damagedIsRefusedAndTheWindowKeepsItsData()
    {
        QFETCH(qint64, offset);
        QFETCH(quint32, value);
        QFETCH(QString, expected);
        const QString path = m_dir.filePath(QStringLiteral("damaged.flowlog"));
        QFile::remove(path);
        QVERIFY(QFile::copy(m_session, path));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite) && f.seek(offset));
            QByteArray bytes(4, '\0');
            qToBigEndian(value, bytes.data());
            QCOMPARE(f.write(bytes), qint64{4});
        }
        MainWindow w;
        w.show();
        QVERIFY(w.openPaths({m_logs}));
        QTRY_VERIFY_WITH_TIMEOUT(!w.loadController()->isRunning(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(w.recordModel()->countKnown() && w.recordModel()->rowCount() > 0, 20000);
        const int rows = w.recordModel()->rowCount();
        QVERIFY(rows != m_sessionRows);
        const auto store = w.session()->store();
        const QString title = w.windowTitle();
        QSignalSpy opened(w.sessionController(), &SessionController::openFinished);
        QVERIFY(w.sessionController()->open(path));
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
        QVERIFY(!opened.first().at(0).toBool());
        const QString message = opened.first().at(1).toString();
        QVERIFY2(message.contains(expected), qPrintable(message));
        QVERIFY2(message.contains(QDir::toNativeSeparators(path)), qPrintable(message));
        QTRY_VERIFY(w.findChild<QMessageBox*>(QStringLiteral("sessionError")));
        QCOMPARE(w.session()->store(), store); // nothing of the file was installed
        QCOMPARE(w.recordModel()->rowCount(), rows);
        QCOMPARE(w.windowTitle(), title);

        // The sound file then opens, with its exact count at once.
        QSignalSpy again(w.sessionController(), &SessionController::openFinished);
        QVERIFY(w.sessionController()->open(m_session));
        QTRY_COMPARE_WITH_TIMEOUT(again.count(), 1, 20000);
        QVERIFY2(again.first().at(0).toBool(), qPrintable(again.first().at(1).toString()));
        QVERIFY(w.session()->store() != store);
        QTRY_VERIFY_WITH_TIMEOUT(w.recordModel()->countKnown() && w.recordModel()->rowCount() == m_sessionRows, 20000);
        QVERIFY(w.session()->store()->impl().idsDense());
    }
};

QTEST_MAIN(TestSessionOpenCheck)
#include "tst_sessionopen_check.moc"
