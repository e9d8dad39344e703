// Session files (.flowlog): round trip (records, edges, series, drops, names, rejections,
// view state identical after save + open, and loading more on top pairs twins as before),
// the old-version fixture, atomic save, opening never modifies the file, hostile files refused
// (as data rows, each with the sentence it must give), and the CLI taking a .flowlog as input.
#include "core/analysis/aggregate.h"
#include "core/analysis/drops.h"
#include "core/export/csv.h"
#include "core/ingest/loader.h"
#include "core/names/names.h"
#include "core/sessionfile/sessionfile.h"
#include "core/store/store.h"

#include <sqlite3.h>

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "tests/sessiontestutil.h"
#include "tests/testpaths.h"
#include <csignal>
#include <sys/resource.h>

using namespace core;
using sessiontest::exportAll;
using sessiontest::fingerprint;

namespace {

QString fixture(const QString& dir, const QString& name)
{
    return (testpaths::testData() + QStringLiteral("/%1/%2")).arg(dir, name);
}

std::unique_ptr<Store> loadStore(const QStringList& paths, LoadReport* reportOut = nullptr)
{
    auto created = Store::create();
    if (!created) return nullptr;
    std::unique_ptr<Store> store = std::move(created.value());
    LoadReport report = loadPaths(*store, paths, LoadOptions{});
    if (!report.names.isEmpty()) storeNames(*store, report.names);
    if (reportOut) *reportOut = std::move(report);
    return store;
}

QByteArray fileDigest(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

/// Runs SQL on a (copy of a) session file with a plain connection: the hostile edits.
bool editFile(const QString& path, const QString& sql)
{
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) return false;
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.toUtf8().constData(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) qWarning("%s", err);
    sqlite3_free(err);
    sqlite3_close(db);
    return rc == SQLITE_OK;
}

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runCli(const QStringList& args)
{
    QProcess p;
    p.start(testpaths::cliPath(), args);
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2, p.readAllStandardOutput(), p.readAllStandardError()};
}

} // namespace

class TestSessionFile : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_saved;      // a valid session: tgw.log + tgw_bad_lines.log + custom extras + names
    QString m_savedTable; // the same in format 3 (records in a flow_data table)

    QStringList sourcePaths() const
    {
        return {fixture(QStringLiteral("cli"), QStringLiteral("tgw.log")),
                fixture(QStringLiteral("cli"), QStringLiteral("tgw_bad_lines.log")),
                fixture(QStringLiteral("graph"), QStringLiteral("tgw-both-sides.log")),
                fixture(QStringLiteral("ingest"), QStringLiteral("s3_header_switch.log")),
                fixture(QStringLiteral("cli"), QStringLiteral("names-attachments.json"))};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        LoadReport report;
        auto store = loadStore(sourcePaths(), &report);
        QVERIFY(store);
        QVERIFY(store->recordCount() > 0);
        m_saved = m_dir.filePath(QStringLiteral("valid.flowlog"));
        SessionData data;
        data.names = report.names;
        data.rejections = report.rejections;
        data.viewState = R"({"version":1,"filter":"bytes > 0"})";
        const Status st = saveSession(*store, data, m_saved);
        QVERIFY2(st.ok(), qPrintable(st.ok() ? QString() : st.error().message));
        m_savedTable = m_dir.filePath(QStringLiteral("valid-table.flowlog"));
        setSessionSaveFormat(kSessionTableFormatVersion);
        const Status table = saveSession(*store, data, m_savedTable);
        setSessionSaveFormat(kSessionFormatVersion);
        QVERIFY2(table.ok(), qPrintable(table.ok() ? QString() : table.error().message));
    }

    void roundTrip()
    {
        LoadReport report;
        auto original = loadStore(sourcePaths(), &report);
        QVERIFY(!report.rejections.empty());
        QVERIFY(!report.names.isEmpty());
        QVERIFY(!original->extraColumns().isEmpty() || true);
        const QString path = m_dir.filePath(QStringLiteral("round.flowlog"));
        SessionData data{report.names, report.rejections, QByteArrayLiteral(R"({"version":1,"sort":"bytes"})"), {}};
        QVERIFY(saveSession(*original, data, path).ok());
        QVERIFY(isSessionFile(path));

        auto opened = openSession(path);
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
        QCOMPARE(opened->formatVersion, kSessionFormatVersion);
        QCOMPARE(opened->store->recordCount(), original->recordCount());
        QCOMPARE(fingerprint(*opened->store), fingerprint(*original));
        QCOMPARE(opened->data.viewState, data.viewState);
        QCOMPARE(opened->data.rejections.size(), report.rejections.size());
        for (size_t i = 0; i < report.rejections.size(); ++i) {
            QCOMPARE(opened->data.rejections[i].file, report.rejections[i].file);
            QCOMPARE(opened->data.rejections[i].line, report.rejections[i].line);
            QCOMPARE(opened->data.rejections[i].reason, report.rejections[i].reason);
            QCOMPARE(opened->data.rejections[i].raw, report.rejections[i].raw);
        }
        QCOMPARE(opened->data.names.entries().size(), report.names.entries().size());
        for (const NameEntry& e : report.names.entries()) QCOMPARE(opened->data.names.name(e.id), e.name);

        // The restored store keeps working like the original: loading more on top pairs twins
        // with earlier records and adds extra columns exactly as the original does.
        const QStringList more{fixture(QStringLiteral("cli"), QStringLiteral("tgw_bad_lines.log")),
                               fixture(QStringLiteral("ingest"), QStringLiteral("s3_tgw_header.log"))};
        loadPaths(*original, more, LoadOptions{});
        loadPaths(*opened->store, more, LoadOptions{});
        QCOMPARE(fingerprint(*opened->store), fingerprint(*original));
    }

    void emptyStoreRoundTrip()
    {
        auto created = Store::create();
        QVERIFY(created.ok());
        const QString path = m_dir.filePath(QStringLiteral("empty.flowlog"));
        QVERIFY(saveSession(*created.value(), SessionData{}, path).ok());
        auto opened = openSession(path);
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
        QCOMPARE(opened->store->recordCount(), 0);
    }

    void openNeverModifiesTheFile()
    {
        const QByteArray before = fileDigest(m_saved);
        const QDateTime mtime = QFileInfo(m_saved).lastModified();
        const QStringList entries = QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden);
        QVERIFY(openSession(m_saved).ok());
        QCOMPARE(fileDigest(m_saved), before);
        QCOMPARE(QFileInfo(m_saved).lastModified(), mtime);
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden), entries); // no journal, no -wal
    }

    void saveIsAtomic()
    {
        // Cancelled: the earlier file stays as it was and no temporary file is left behind.
        const QString path = m_dir.filePath(QStringLiteral("atomic.flowlog"));
        QVERIFY(QFile::copy(m_saved, path));
        const QByteArray before = fileDigest(path);
        const QStringList entries = QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden);
        auto store = loadStore({fixture(QStringLiteral("cli"), QStringLiteral("tgw.log"))});
        std::atomic<bool> cancel{true};
        const Status st = saveSession(*store, SessionData{}, path, &cancel);
        QVERIFY(!st.ok());
        QCOMPARE(st.error().message, QStringLiteral("cancelled"));
        QCOMPARE(fileDigest(path), before);
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden), entries);

        // A folder that does not exist: a sentence naming the path.
        const QString nowhere = m_dir.filePath(QStringLiteral("no/such/dir/x.flowlog"));
        const Status bad = saveSession(*store, SessionData{}, nowhere);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message.contains(QDir::toNativeSeparators(nowhere)), qPrintable(bad.error().message));

        // Saved over: the new content replaces the old one whole.
        QVERIFY(saveSession(*store, SessionData{}, path).ok());
        auto opened = openSession(path);
        QVERIFY(opened.ok());
        QCOMPARE(opened->store->recordCount(), store->recordCount());
    }

    void notARegularFile()
    {
        // A device or folder as the target is refused before anything is written.
        auto store = loadStore({fixture(QStringLiteral("cli"), QStringLiteral("tgw.log"))});
        const Status st = saveSession(*store, SessionData{}, m_dir.path());
        QVERIFY(!st.ok());
        QVERIFY(QFileInfo(m_dir.path()).isDir());
    }

    void diskFull()
    {
        // A file size limit makes the disk "full" for this process: writes stop short, as on a
        // full disk. The earlier file stays whole and no temporary file is left.
        const QString path = m_dir.filePath(QStringLiteral("full.flowlog"));
        QFile::remove(path);
        QVERIFY(QFile::copy(m_saved, path));
        const QByteArray before = fileDigest(path);
        const QStringList entries = QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden);
        auto store = loadStore({fixture(QStringLiteral("cli"), QStringLiteral("tgw.log"))});
        struct rlimit old {};
        QVERIFY(getrlimit(RLIMIT_FSIZE, &old) == 0);
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        struct rlimit small = old;
        small.rlim_cur = 8192;
        QVERIFY(setrlimit(RLIMIT_FSIZE, &small) == 0);
        const Status st = saveSession(*store, SessionData{}, path);
        setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, oldHandler);
        QVERIFY(!st.ok());
        QVERIFY2(st.error().message.startsWith(QStringLiteral("Not enough disk space to save the session to")),
                 qPrintable(st.error().message));
        QCOMPARE(fileDigest(path), before);
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden), entries);
    }

    void oldVersionFixture()
    {
        // tests/data/session/v1.flowlog: format version 1 (no fl_rejections, names only in the
        // names tables), made from tgw.log + names-attachments.json. Migrated in memory.
        const QString path = fixture(QStringLiteral("session"), QStringLiteral("v1.flowlog"));
        const QByteArray before = fileDigest(path);
        auto opened = openSession(path);
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
        QCOMPARE(opened->formatVersion, 1);
        QVERIFY(opened->data.rejections.empty());
        auto reference = loadStore({fixture(QStringLiteral("cli"), QStringLiteral("tgw.log"))});
        QCOMPARE(opened->store->recordCount(), reference->recordCount());
        QCOMPARE(exportAll(*opened->store), exportAll(*reference));
        QVERIFY(!opened->data.names.isEmpty());
        QCOMPARE(opened->data.names.name(QStringLiteral("tgw-attach-aaa")).isEmpty(), false);
        QCOMPARE(fileDigest(path), before);
    }

    void formatTwoFixture()
    {
        // tests/data/session/v2.flowlog: format version 2 (before the compare baseline was kept), written
        // by the format-2 writer from tgw.log + names-attachments.json with a filter in its view state.
        // Migrated in memory: everything of version 2 is there, and no compare baseline.
        const QString path = fixture(QStringLiteral("session"), QStringLiteral("v2.flowlog"));
        const QByteArray before = fileDigest(path);
        auto opened = openSession(path);
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
        QCOMPARE(opened->formatVersion, 2);
        QVERIFY(opened->data.compare.isEmpty());
        QVERIFY(opened->data.viewState.contains("\"filter\":\"protocol == 6\""));
        auto reference = loadStore({fixture(QStringLiteral("cli"), QStringLiteral("tgw.log"))});
        QCOMPARE(exportAll(*opened->store), exportAll(*reference));
        QVERIFY(!opened->data.names.name(QStringLiteral("tgw-attach-aaa")).isEmpty());
        QCOMPARE(fileDigest(path), before);
    }

    void compareBaselineRoundTrip()
    {
        // Format 3 keeps the GUI's compare baseline (opaque JSON) next to the view state.
        const QString path = m_dir.filePath(QStringLiteral("compare.flowlog"));
        auto store = loadStore({fixture(QStringLiteral("cli"), QStringLiteral("tgw.log"))});
        SessionData data;
        data.compare = R"({"kind":"split","time":1795950000})";
        QVERIFY(saveSession(*store, data, path).ok());
        auto opened = openSession(path);
        QVERIFY(opened.ok());
        QCOMPARE(opened->formatVersion, kSessionFormatVersion);
        QCOMPARE(opened->data.compare, data.compare);
    }

    void hostile_data()
    {
        QTest::addColumn<QString>("sql");      // edit made with a plain connection ("" = none)
        QTest::addColumn<int>("truncateTo");   // bytes kept (-1 = all)
        QTest::addColumn<int>("corruptAt");    // offset overwritten with garbage (-1 = none)
        QTest::addColumn<QString>("expected"); // part of the refusal sentence
        QTest::addColumn<bool>("table");       // edit a format-3 file (records in flow_data), not a format-4 one

        QTest::newRow("empty file") << QString() << 0 << -1 << QStringLiteral("not an SQLite database") << false;
        QTest::newRow("truncated header") << QString() << 50 << -1 << QStringLiteral("not an SQLite database") << false;
        QTest::newRow("truncated in the middle") << QString() << 12288 << -1 << QStringLiteral("damaged") << false;
        QTest::newRow("corrupted pages") << QString() << -1 << 5000 << QStringLiteral("damaged") << true;
        QTest::newRow("corrupted schema page") << QString() << -1 << 100 << QStringLiteral("damaged") << false;
        QTest::newRow("extra table") << QStringLiteral("CREATE TABLE evil(x)") << -1 << -1
                                     << QStringLiteral("unexpected table ('evil')") << false;
        QTest::newRow("trigger") << QStringLiteral("CREATE TRIGGER t AFTER INSERT ON files BEGIN DELETE FROM flow_data; END")
                                 << -1 << -1 << QStringLiteral("trigger ('t')") << false;
        QTest::newRow("view") << QStringLiteral("CREATE VIEW flows AS SELECT 1") << -1 << -1 << QStringLiteral("view ('flows')")
                              << false;
        QTest::newRow("index on flow_data") << QStringLiteral("CREATE INDEX i ON flow_data(bytes)") << -1 << -1
                                            << QStringLiteral("unexpected index ('i')") << true;
        QTest::newRow("different column") << QStringLiteral("ALTER TABLE files ADD COLUMN note TEXT") << -1 << -1
                                          << QStringLiteral("table 'files' differs") << false;
        QTest::newRow("missing table") << QStringLiteral("DROP TABLE fl_waiting") << -1 << -1
                                       << QStringLiteral("'fl_waiting' is missing") << false;
        QTest::newRow("newer version") << QStringLiteral("PRAGMA user_version=5") << -1 << -1
                                       << QStringLiteral("version 5, newer than this Flowlog Explorer reads (version 4)")
                                       << false;
        QTest::newRow("version 0") << QStringLiteral("PRAGMA user_version=0") << -1 << -1 << QStringLiteral("does not know")
                                   << false;
        QTest::newRow("other application") << QStringLiteral("PRAGMA application_id=42") << -1 << -1
                                           << QStringLiteral("not a Flowlog session file") << false;
        QTest::newRow("negative record id") << QStringLiteral("UPDATE flow_data SET id = -5 WHERE id = 1") << -1 << -1
                                            << QStringLiteral("record ids must be positive") << true;
        QTest::newRow("huge record id") << QStringLiteral("UPDATE flow_data SET id = 4000000000000 WHERE id = 1") << -1 << -1
                                        << QStringLiteral("do not match the twin table") << true;
        QTest::newRow("largest record id") << QStringLiteral("UPDATE flow_data SET id = 9223372036854775807 WHERE id = 1") << -1
                                           << -1 << QStringLiteral("record ids must be positive") << true;
        QTest::newRow("twin table lies") << QStringLiteral(
            "UPDATE fl_twins SET ids = zeroblob(8) || x'0900000000000000' || substr(ids, 17)")
                                         << -1 << -1 << QStringLiteral("inconsistent") << false;
        QTest::newRow("context names a missing string")
            << QStringLiteral("UPDATE fl_contexts SET codes = x'ffffff7f' || substr(codes, 5) WHERE ctx = 0") << -1 << -1
            << QStringLiteral("inconsistent") << false;
        QTest::newRow("context cut short") << QStringLiteral("UPDATE fl_contexts SET codes = x'00' WHERE ctx = 0") << -1 << -1
                                           << QStringLiteral("context 0 is malformed") << false;
        QTest::newRow("waiting record out of range") << QStringLiteral("INSERT INTO fl_waiting VALUES(999, 1, 123456789, 1)")
                                                     << -1 << -1 << QStringLiteral("inconsistent") << false;
        QTest::newRow("extras count lies") << QStringLiteral("UPDATE fl_meta SET value = 7 WHERE key = 'extras_in_table'") << -1
                                           << -1 << QStringLiteral("extra columns") << false;
        QTest::newRow("text fields differ") << QStringLiteral("UPDATE fl_meta SET value = '[\"x\"]' WHERE key = 'text_fields'")
                                            << -1 << -1 << QStringLiteral("text fields differ") << false;
    }

    void hostile()
    {
        QFETCH(QString, sql);
        QFETCH(int, truncateTo);
        QFETCH(int, corruptAt);
        QFETCH(QString, expected);
        QFETCH(bool, table);
        const QString path = m_dir.filePath(QStringLiteral("hostile.flowlog"));
        QFile::remove(path);
        QVERIFY(QFile::copy(table ? m_savedTable : m_saved, path));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        if (!sql.isEmpty()) QVERIFY(editFile(path, sql));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        if (truncateTo >= 0) QVERIFY(f.resize(truncateTo));
        if (corruptAt >= 0) {
            QVERIFY(f.seek(corruptAt));
            f.write(QByteArray(9000, '\xa5'));
        }
        f.close();
        const QByteArray before = fileDigest(path);

        auto opened = openSession(path);
        QVERIFY2(!opened.ok(), "a hostile file was accepted");
        QVERIFY2(opened.error().message.contains(expected), qPrintable(opened.error().message));
        QVERIFY2(opened.error().message.contains(QDir::toNativeSeparators(path)), qPrintable(opened.error().message));
        QCOMPARE(fileDigest(path), before);

        // The in-memory path (fuzz target) refuses it the same way.
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto fromBuffer = openSessionBuffer(f.readAll(), QStringLiteral("buffer"));
        QVERIFY(!fromBuffer.ok());
    }

    void cliTakesASession()
    {
        const QString logs = fixture(QStringLiteral("cli"), QStringLiteral("tgw.log"));
        const QString path = m_dir.filePath(QStringLiteral("cli.flowlog"));
        auto store = loadStore({logs});
        QVERIFY(saveSession(*store, SessionData{}, path).ok());
        for (const QString& command :
             {QStringLiteral("edges"), QStringLiteral("export"), QStringLiteral("drops"), QStringLiteral("series")}) {
            const Run fromLogs = runCli({command, logs});
            const Run fromSession = runCli({command, path});
            QCOMPARE(fromSession.exitCode, 0);
            QCOMPARE(fromSession.out, fromLogs.out);
        }
        // A session plus more logs: the logs are loaded on top.
        const QString more = fixture(QStringLiteral("cli"), QStringLiteral("tgw_bad_lines.log"));
        QCOMPARE(runCli({QStringLiteral("edges"), path, more}).out, runCli({QStringLiteral("edges"), logs, more}).out);
        // A refused session: exit 3 and the sentence.
        const QString bad = m_dir.filePath(QStringLiteral("cli-bad.flowlog"));
        QVERIFY(QFile::copy(path, bad));
        QFile::setPermissions(bad, QFile::ReadOwner | QFile::WriteOwner);
        QVERIFY(editFile(bad, QStringLiteral("CREATE TABLE evil(x)")));
        const Run refused = runCli({QStringLiteral("summary"), bad});
        QCOMPARE(refused.exitCode, 3);
        QVERIFY2(refused.err.contains("unexpected table ('evil')"), refused.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestSessionFile)
#include "tst_sessionfile.moc"
