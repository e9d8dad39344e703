// ExportController (offscreen): the options dialog's "Add name columns" box is remembered in
// QSettings, and an export with names from the GUI equals `flowlog-cli export --with-names`
// byte for byte.
#include "core/ingest/loader.h"
#include "core/names/names.h"
#include "core/store/store.h"
#include "ui/io/exportcontroller.h"
#include "ui/logic/session.h"

#include "tests/testpaths.h"
#include <QApplication>
#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <functional>
#include <memory>

using namespace ui;

namespace {

const QString kLog = testpaths::testData() + QStringLiteral("/cli/tgw.log");
const QString kNames = testpaths::testData() + QStringLiteral("/cli/names-attachments.json");
const QStringList kColumns = {QStringLiteral("tgw_attachment_id"), QStringLiteral("tgw_pair_attachment_id"),
                              QStringLiteral("srcaddr"), QStringLiteral("bytes")};
const QString kFilter = QStringLiteral("attachment == \"VPC A\"");

/// Runs `act` on the next modal dialog whose object name is `name` (or any QFileDialog when
/// `name` is empty), polling while the caller sits in that dialog's exec().
void whenModal(QObject* context, const QString& name, std::function<void(QDialog*)> act)
{
    auto* timer = new QTimer(context);
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, context, [timer, name, act = std::move(act)]() {
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        if (!dialog) return;
        const bool match = name.isEmpty() ? qobject_cast<QFileDialog*>(dialog) != nullptr : dialog->objectName() == name;
        if (!match) return;
        timer->stop();
        timer->deleteLater();
        act(dialog);
    });
    timer->start();
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestExportController : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void nameColumnsOptionIsRememberedAndEqualsCli();
    void optionExplainsWhenNoNamesAreLoaded();

private:
    std::unique_ptr<Session> sessionWithRecords(bool withNames);
    QTemporaryDir m_dir;
};

void TestExportController::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qRegisterMetaType<core::Outcome>();
    QSettings().clear();
    QVERIFY(m_dir.isValid());
}

std::unique_ptr<Session> TestExportController::sessionWithRecords(bool withNames)
{
    auto session = std::make_unique<Session>();
    auto created = core::Store::create();
    if (!created.ok()) return {};
    std::shared_ptr<core::Store> store(std::move(created.value()));
    if (core::loadPaths(*store, {kLog}, core::LoadOptions{}).records != 5) return {};
    session->setStore(store);
    if (withNames) {
        core::NameDirectory names;
        if (!core::loadNamesFile(kNames, names).ok()) return {};
        session->setNames(std::move(names));
    }
    session->setFilter(kFilter);
    return session;
}

void TestExportController::nameColumnsOptionIsRememberedAndEqualsCli()
{
    auto session = sessionWithRecords(true);
    QVERIFY(session);
    QWidget parent;
    ExportController controller(session.get(), &parent);
    QSignalSpy finished(&controller, &ExportController::finished);
    const std::vector<core::SortKey> sort = {core::SortKey{QStringLiteral("bytes"), true}};
    const QString guiPath = m_dir.filePath(QStringLiteral("gui.csv"));

    // First export: the box starts unchecked; tick it, then choose the file.
    bool initiallyChecked = true;
    bool fileDialogSeen = false;
    whenModal(this, QStringLiteral("exportOptions"), [&](QDialog* dialog) {
        auto* names = dialog->findChild<QCheckBox*>(QStringLiteral("exportWithNames"));
        auto* buttons = dialog->findChild<QDialogButtonBox*>();
        if (!names || !buttons) {
            dialog->reject();
            return;
        }
        initiallyChecked = names->isChecked();
        QTest::mouseClick(names, Qt::LeftButton, {}, QPoint(8, names->height() / 2));
        whenModal(this, QString(), [&](QDialog* fileDialog) {
            fileDialogSeen = true;
            // Typed into the name field as a user would (selectFile() only updates it once the
            // dialog's file system model has caught up, which is a race).
            auto* nameEdit = fileDialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
            QVERIFY(nameEdit);
            nameEdit->setText(guiPath);
            fileDialog->accept(); // QDialog's public slot; QFileDialog's override checks the name
        });
        QTest::mouseClick(buttons->button(QDialogButtonBox::Ok), Qt::LeftButton);
    });
    controller.exportInteractive(kColumns, sort, 3);
    QVERIFY(!initiallyChecked);
    QVERIFY(fileDialogSeen);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    QCOMPARE(finished.first().at(0).value<core::Outcome>(), core::Outcome::Ok);
    QCOMPARE(QSettings().value(QStringLiteral("export/withNames")).toBool(), true);

    const QByteArray gui = readAll(guiPath);
    QVERIFY2(gui.startsWith("tgw_attachment_id,tgw_attachment_id_name,tgw_pair_attachment_id,"
                            "tgw_pair_attachment_id_name,srcaddr,bytes\r\n"),
             gui.constData());
    QVERIFY2(gui.contains("tgw-attach-bbb,\"on-prem, VPN\",tgw-attach-aaa,VPC A,"), gui.constData());
    QCOMPARE(gui.count("\r\n"), 4);

    // The CLI with the same view gives the same bytes.
    const QString cliPath = m_dir.filePath(QStringLiteral("cli.csv"));
    QProcess cli;
    cli.start(testpaths::cliPath(),
              {QStringLiteral("export"), QStringLiteral("--names"), kNames, QStringLiteral("--with-names"),
               QStringLiteral("--filter"), kFilter, QStringLiteral("--sort"), QStringLiteral("bytes:desc"),
               QStringLiteral("--columns"), kColumns.join(QLatin1Char(',')), QStringLiteral("-o"), cliPath, kLog});
    QVERIFY2(cli.waitForFinished(60000), qPrintable(cli.errorString()));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    QCOMPARE(gui, readAll(cliPath));

    // Second time: the box comes back checked; cancelling exports nothing.
    bool checkedAgain = false;
    whenModal(this, QStringLiteral("exportOptions"), [&](QDialog* dialog) {
        if (auto* names = dialog->findChild<QCheckBox*>(QStringLiteral("exportWithNames"))) checkedAgain = names->isChecked();
        dialog->reject();
    });
    controller.exportInteractive(kColumns, sort, 3);
    QVERIFY(checkedAgain);
    QVERIFY(!controller.isRunning());
    QCOMPARE(finished.size(), 1);
}

void TestExportController::optionExplainsWhenNoNamesAreLoaded()
{
    auto session = sessionWithRecords(false);
    QVERIFY(session);
    QWidget parent;
    ExportController controller(session.get(), &parent);
    QString tip;
    bool enabled = false;
    whenModal(this, QStringLiteral("exportOptions"), [&](QDialog* dialog) {
        if (auto* names = dialog->findChild<QCheckBox*>(QStringLiteral("exportWithNames"))) {
            tip = names->toolTip();
            enabled = names->isEnabled();
        }
        dialog->reject();
    });
    controller.exportInteractive(kColumns, {}, 0);
    QVERIFY2(tip.contains(QLatin1String("No names are loaded")), qPrintable(tip));
    QVERIFY(enabled); // still allowed: the columns are then empty, as with the CLI
}

QTEST_MAIN(TestExportController)
#include "tst_exportcontroller.moc"
