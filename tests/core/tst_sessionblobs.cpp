// Session format 4 (core/sessionfile, core/store/columns_serial.cpp): the records saved as the
// store's typed columns in chunked blobs (fl_blobs) and opened straight back into them, served by
// the virtual flow_data (held once, no table, no rebuild). Round trips over the kinds of data
// (extras, IPv6, NULLs, rejections, twins over several loads, no records) compared with the store
// that was saved: exports, edges, series, drops, every row of flows, the state outside SQLite,
// files, names, rejections and view state; the committed format-3 fixture against a fresh load
// of its inputs saved in format 4; hostile format-4 files (blobs cut, lying lengths, codes and
// ids out of range, runs that do not add up, extra or changed schema) refused as data rows, each
// with its sentence; a file large enough for 64 KiB pages; the fuzz target's seeds.
#include "core/analysis/aggregate.h"
#include "core/analysis/drops.h"
#include "core/export/csv.h"
#include "core/ingest/loader.h"
#include "core/names/names.h"
#include "core/sessionfile/sessionfile.h"
#include "core/store/store.h"
#include "core/store/store_impl.h"
#include "tests/sessiontestutil.h"
#include "tests/testpaths.h"

#include <sqlite3.h>

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <mutex>

using namespace core;
using sessiontest::exportAll;
using sessiontest::fingerprint;

namespace {

QString fixture(const QString& dir, const QString& name)
{
    return (testpaths::testData() + QStringLiteral("/%1/%2")).arg(dir, name);
}

/// The store's state outside SQLite: dictionaries, contexts, twins, waiting twins, extras, ids.
QStringList state(const Store& store)
{
    std::lock_guard<std::mutex> lock(store.impl().writeLock());
    const StoreState s = store.impl().exportState();
    QStringList out;
    for (const std::string& str : s.strings) out << QString::fromStdString(str);
    QStringList ctx, twins, waiting;
    for (uint32_t c : s.contexts) ctx << QString::number(c);
    for (int64_t t : s.twins) twins << QString::number(t);
    for (const StoreState::Waiting& w : s.waiting) waiting << QStringLiteral("%1:%2:%3").arg(w.key).arg(w.id).arg(w.ingress);
    waiting.sort(); // a hash table's order: each key's queue is what matters
    out << ctx.join(QLatin1Char(',')) << twins.join(QLatin1Char(',')) << waiting.join(QLatin1Char(','));
    for (const std::string& t : s.extraTokens) out << QString::fromStdString(t);
    out << s.extraNames.join(QLatin1Char(',')) << QString::number(s.extraColumnsInTable);
    out << QStringLiteral("next %1 %2").arg(s.nextId).arg(s.nextFileId);
    return out;
}

QStringList rejections(const std::vector<LoadedRejection>& list)
{
    QStringList out;
    for (const LoadedRejection& r : list) out << QStringLiteral("%1:%2 %3 %4").arg(r.file).arg(r.line).arg(r.reason, r.raw);
    return out;
}

QStringList names(const NameDirectory& dir)
{
    QStringList out;
    for (const NameEntry& e : dir.entries())
        out << QStringList{e.id, e.name, e.kind, e.cidr, e.logFormat, e.privateIps.join(QLatin1Char(' '))}.join(QLatin1Char('|'));
    out.sort();
    return out;
}

QByteArray digest(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

/// Runs SQL on a session file with a plain connection (the hostile edits); "" on success.
QString editFile(const QString& path, const QString& sql)
{
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
        return QStringLiteral("cannot open");
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.toUtf8().constData(), nullptr, nullptr, &err);
    const QString message = rc == SQLITE_OK ? QString() : QString::fromUtf8(err ? err : "error");
    sqlite3_free(err);
    sqlite3_close(db);
    return message;
}

/// One value of a plain query on a session file.
QString queryFile(const QString& path, const QString& sql)
{
    sqlite3* db = nullptr;
    QString out;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, sql.toUtf8().constData(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            out = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return out;
}

/// The inputs of tests/data/session/v3.flowlog, relative to tests/data (as its generator loaded them).
const QStringList kFixtureInputs{QStringLiteral("cli/tgw.log"), QStringLiteral("cli/tgw_bad_lines.log"),
                                 QStringLiteral("ingest/s3_vpc_custom_alpha_crlf.log"), QStringLiteral("session/v3_vpc.log"),
                                 QStringLiteral("cli/names-attachments.json")};

struct Loaded {
    std::unique_ptr<Store> store;
    SessionData data;
};

/// A store filled by one load per entry of `loads` (paths relative to tests/data), names stored.
Loaded loadStore(const QList<QStringList>& loads)
{
    Loaded out;
    auto created = Store::create();
    if (!created) return out;
    out.store = std::move(created.value());
    const QString cwd = QDir::currentPath();
    QDir::setCurrent(testpaths::testData());
    for (const QStringList& paths : loads) {
        LoadReport report = loadPaths(*out.store, paths, LoadOptions{});
        for (const NameEntry& e : report.names.entries()) out.data.names.add(e);
        out.data.rejections.insert(out.data.rejections.end(), report.rejections.begin(), report.rejections.end());
    }
    QDir::setCurrent(cwd);
    if (!out.data.names.isEmpty()) storeNames(*out.store, out.data.names);
    return out;
}

} // namespace

class TestSessionBlobs : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_saved; // format 4 of the fixture's inputs

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        Loaded l = loadStore({kFixtureInputs});
        QVERIFY(l.store && l.store->recordCount() > 0);
        m_saved = m_dir.filePath(QStringLiteral("saved.flowlog"));
        const Status st = saveSession(*l.store, l.data, m_saved);
        QVERIFY2(st.ok(), qPrintable(st.ok() ? QString() : st.error().message));
    }

    void roundTrip_data()
    {
        QTest::addColumn<QList<QStringList>>("loads"); // one load per entry, paths relative to tests/data

        QTest::newRow("every kind, several loads")
            << QList<QStringList>{{QStringLiteral("cli/tgw.log"), QStringLiteral("ingest/s3_vpc_custom_alpha_crlf.log")},
                                  {QStringLiteral("graph/tgw-both-sides.log"), QStringLiteral("cli/tgw_bad_lines.log")},
                                  {QStringLiteral("session/v3_vpc.log"), QStringLiteral("ingest/s3_header_switch.log"),
                                   QStringLiteral("cli/names-attachments.json")}};
        QTest::newRow("twins of one file") << QList<QStringList>{{QStringLiteral("graph/tgw-both-sides.log")}};
        QTest::newRow("IPv6, NULLs and large values") << QList<QStringList>{{QStringLiteral("session/v3_vpc.log")}};
        QTest::newRow("only rejections") << QList<QStringList>{{QStringLiteral("cli/garbage.bin")}};
        QTest::newRow("no records") << QList<QStringList>{};
    }

    void roundTrip()
    {
        QFETCH(QList<QStringList>, loads);
        Loaded l = loadStore(loads);
        QVERIFY(l.store);
        l.data.viewState = R"({"version":1,"filter":"bytes > 0","sort":"bytes"})";
        l.data.compare = R"({"kind":"split","time":1418530040})";
        const QString path = m_dir.filePath(QStringLiteral("round.flowlog"));
        const Status saved = saveSession(*l.store, l.data, path);
        QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error().message));
        QCOMPARE(queryFile(path, QStringLiteral("PRAGMA user_version")), QString::number(kSessionFormatVersion));
        QCOMPARE(queryFile(path, QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = 'flow_data'")),
                 QStringLiteral("0"));
        const QByteArray before = digest(path);

        auto opened = openSession(path);
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
        QCOMPARE(digest(path), before);
        const Store& back = *opened->store;
        QCOMPARE(opened->formatVersion, kSessionFormatVersion);
        QVERIFY(back.impl().flowDataVirtual()); // held once, in the columns
        QVERIFY(back.impl().idsDense());
        QCOMPARE(opened->records, l.store->recordCount());
        QCOMPARE(back.recordCount(), l.store->recordCount());
        QCOMPARE(fingerprint(back), fingerprint(*l.store));
        QCOMPARE(sessiontest::flowRows(back), sessiontest::flowRows(*l.store));
        QCOMPARE(state(back), state(*l.store));
        QCOMPARE(rejections(opened->data.rejections), rejections(l.data.rejections));
        QCOMPARE(names(opened->data.names), names(l.data.names));
        QCOMPARE(opened->data.viewState, l.data.viewState);
        QCOMPARE(opened->data.compare, l.data.compare);

        // Saved again from the opened store: the same file contents, format 4 again.
        const QString again = m_dir.filePath(QStringLiteral("again.flowlog"));
        QVERIFY(saveSession(back, opened->data, again).ok());
        auto reopened = openSession(again);
        QVERIFY(reopened.ok());
        QCOMPARE(reopened->formatVersion, kSessionFormatVersion);
        QCOMPARE(sessiontest::flowRows(*reopened->store), sessiontest::flowRows(*l.store));

        // More logs on top of both: twins pair across the loads and extras come in alike.
        const QStringList more{fixture(QStringLiteral("graph"), QStringLiteral("tgw-both-sides.log")),
                               fixture(QStringLiteral("ingest"), QStringLiteral("s3_vpc_custom_alpha_crlf.log"))};
        loadPaths(*l.store, more, LoadOptions{});
        loadPaths(*opened->store, more, LoadOptions{});
        QCOMPARE(fingerprint(*opened->store), fingerprint(*l.store));
        QCOMPARE(sessiontest::flowRows(*opened->store), sessiontest::flowRows(*l.store));
        QCOMPARE(state(*opened->store), state(*l.store));
    }

    void formatThreeFixture()
    {
        // tests/data/session/v3.flowlog: format 3 (records in a real flow_data table), written by
        // the format-3 writer (tests/data/session/README.md). Migrated in memory as before, it
        // equals its inputs loaded afresh, saved in format 4 and opened.
        const QString path = fixture(QStringLiteral("session"), QStringLiteral("v3.flowlog"));
        const QByteArray before = digest(path);
        auto old = openSession(path);
        QVERIFY2(old.ok(), qPrintable(old.ok() ? QString() : old.error().message));
        QCOMPARE(old->formatVersion, 3);
        QVERIFY(!old->store->impl().flowDataVirtual());
        QCOMPARE(digest(path), before);
        auto fresh = openSession(m_saved);
        QVERIFY2(fresh.ok(), qPrintable(fresh.ok() ? QString() : fresh.error().message));
        QCOMPARE(fresh->formatVersion, kSessionFormatVersion);
        QCOMPARE(sessiontest::flowRows(*fresh->store), sessiontest::flowRows(*old->store));
        QCOMPARE(fingerprint(*fresh->store), fingerprint(*old->store));
        QCOMPARE(state(*fresh->store), state(*old->store));
        QCOMPARE(rejections(fresh->data.rejections), rejections(old->data.rejections));
        QCOMPARE(names(fresh->data.names), names(old->data.names));
        QVERIFY(!old->data.rejections.empty());
        QVERIFY(!old->store->extraColumns().isEmpty());

        // A store holding a real table (opened from format 3) is saved in format 3, and reopens.
        const QString resaved = m_dir.filePath(QStringLiteral("resaved.flowlog"));
        QVERIFY(saveSession(*old->store, old->data, resaved).ok());
        QCOMPARE(queryFile(resaved, QStringLiteral("PRAGMA user_version")), QString::number(kSessionTableFormatVersion));
        auto again = openSession(resaved);
        QVERIFY(again.ok());
        QCOMPARE(sessiontest::flowRows(*again->store), sessiontest::flowRows(*old->store));
    }

    void hostile_data()
    {
        QTest::addColumn<QString>("sql");      // edit made with a plain connection
        QTest::addColumn<QString>("expected"); // part of the refusal sentence

        auto blob = [](const QString& expr) { return QStringLiteral("CAST(%1 AS BLOB)").arg(expr); };
        QTest::newRow("blob cut short") << QStringLiteral("UPDATE fl_blobs SET data = substr(data, 1, length(data) - 1)"
                                                          " WHERE name = 'dstport'")
                                        << QStringLiteral("in the table 'fl_blobs', part 'dstport': the part has");
        QTest::newRow("side list of the wrong length")
            << QStringLiteral("UPDATE fl_blobs SET data = x'00' WHERE name = 'bytes.wide'")
            << QStringLiteral("part 'bytes.wide': the part has 1 bytes, not a whole number of 16-byte entries");
        QTest::newRow("context out of range") << QStringLiteral("UPDATE fl_blobs SET data = %1 WHERE name = 'ctx'")
                                                     .arg(blob(QStringLiteral("x'ffffff00' || substr(data, 5)")))
                                              << QStringLiteral("part 'ctx' chunk 0: row 0 has context 16777215");
        QTest::newRow("side list rows not increasing")
            << QStringLiteral("UPDATE fl_blobs SET data = %1 WHERE name = 'srcaddr.wide'")
                   .arg(blob(QStringLiteral("substr(data, 17, 16) || substr(data, 1, 16) || substr(data, 33)")))
            << QStringLiteral("part 'srcaddr.wide' chunk 0: entry 1 names row");
        QTest::newRow("side list holds a narrow value")
            << QStringLiteral("UPDATE fl_blobs SET data = %1 WHERE name = 'bytes.wide'")
                   .arg(blob(QStringLiteral("substr(data, 1, 8) || x'0500000000000000' || substr(data, 17)")))
            << QStringLiteral("entry 0 holds 5, which belongs in the column itself");
        QTest::newRow("address names a missing string")
            << QStringLiteral("UPDATE fl_blobs SET data = %1 WHERE name = 'srcaddr.wide'")
                   .arg(blob(QStringLiteral("substr(data, 1, 8) || x'3f420f8000000000' || substr(data, 17)")))
            << QStringLiteral("entry 0: address value 2148483647 is neither IPv4 nor one of the");
        QTest::newRow("extra names a missing string")
            << QStringLiteral("UPDATE fl_blobs SET data = %1 WHERE name = 'e_0'")
                   .arg(blob(QStringLiteral("x'ffffff00' || substr(data, 5)")))
            << QStringLiteral("part 'e_0' chunk 0: row 0: string code 16777215 is not one of the");
        QTest::newRow("runs start past row 0") << QStringLiteral("UPDATE fl_blobs SET data = %1 WHERE name = 'lines'")
                                                      .arg(blob(QStringLiteral("x'0100000000000000' || substr(data, 9)")))
                                               << QStringLiteral("part 'lines' chunk 0: run 0 starts at row 1");
        QTest::newRow("runs not increasing")
            << QStringLiteral("UPDATE fl_blobs SET data = %1 WHERE name = 'lines'")
                   .arg(blob(QStringLiteral("substr(data, 1, 24) || x'0000000000000000' || substr(data, 33)")))
            << QStringLiteral("run 1 starts at row 0");
        QTest::newRow("runs past the records")
            << QStringLiteral("UPDATE fl_blobs SET data = %1 WHERE name = 'lines'")
                   .arg(blob(QStringLiteral("substr(data, 1, 24) || x'ffff000000000000' || substr(data, 33)")))
            << QStringLiteral("run 1 starts at row 65535");
        QTest::newRow("run names a missing file")
            << QStringLiteral("UPDATE fl_blobs SET data = %1 WHERE name = 'lines'")
                   .arg(blob(QStringLiteral("substr(data, 1, 8) || x'6300000000000000' || substr(data, 17)")))
            << QStringLiteral("run 0 names file 99, not one of files 1 to 4");
        QTest::newRow("part missing") << QStringLiteral("DELETE FROM fl_blobs WHERE name = 'protocol'")
                                      << QStringLiteral("part 'protocol': the part is missing");
        QTest::newRow("part this version does not write")
            << QStringLiteral("INSERT INTO fl_blobs VALUES(99999, 'evil', 0, x'00')")
            << QStringLiteral("the table 'fl_blobs' holds part 'evil', which this version does not write");
        QTest::newRow("chunk out of order") << QStringLiteral("UPDATE fl_blobs SET chunk = 1 WHERE name = 'ctx'")
                                            << QStringLiteral("part 'ctx' has chunk 1 where chunk 0 belongs");
        QTest::newRow("chunks apart") << QStringLiteral("INSERT INTO fl_blobs VALUES(99999, 'ctx', 1, x'00000000')")
                                      << QStringLiteral("the chunks of part 'ctx' are not together");
        QTest::newRow("chunk that is not a blob") << QStringLiteral("UPDATE fl_blobs SET data = 'text' WHERE name = 'ctx'")
                                                  << QStringLiteral("part 'ctx' chunk 0 is not a blob");
        QTest::newRow("column both constant and stored")
            << QStringLiteral("INSERT INTO fl_blobs VALUES(99999, 'e_0.same', 0, zeroblob(9))")
            << QStringLiteral("part 'e_0': the column is both constant and stored");
        QTest::newRow("next id lies") << QStringLiteral("UPDATE fl_meta SET value = value + 1 WHERE key = 'next_id'")
                                      << QStringLiteral("do not match the twin table");
        QTest::newRow("next id not a number") << QStringLiteral("UPDATE fl_meta SET value = 'x' WHERE key = 'next_id'")
                                              << QStringLiteral("its next record id (x) is out of range");
        QTest::newRow("extra table") << QStringLiteral("CREATE TABLE evil(x)") << QStringLiteral("unexpected table ('evil')");
        QTest::newRow("a flow_data table") << QStringLiteral("CREATE TABLE flow_data(id INTEGER PRIMARY KEY)")
                                           << QStringLiteral("unexpected table ('flow_data')");
        QTest::newRow("trigger") << QStringLiteral("CREATE TRIGGER t AFTER INSERT ON fl_blobs BEGIN DELETE FROM files; END")
                                 << QStringLiteral("trigger ('t')");
        QTest::newRow("view") << QStringLiteral("CREATE VIEW flows AS SELECT 1") << QStringLiteral("view ('flows')");
        QTest::newRow("index") << QStringLiteral("CREATE INDEX i ON fl_blobs(name)") << QStringLiteral("unexpected index ('i')");
        QTest::newRow("fl_blobs differs") << QStringLiteral("ALTER TABLE fl_blobs ADD COLUMN note TEXT")
                                          << QStringLiteral("table 'fl_blobs' differs");
        QTest::newRow("fl_blobs missing") << QStringLiteral("DROP TABLE fl_blobs") << QStringLiteral("'fl_blobs' is missing");
        QTest::newRow("newer version") << QStringLiteral("PRAGMA user_version=5")
                                       << QStringLiteral("version 5, newer than this Flowlog Explorer reads (version 4)");
    }

    void hostile()
    {
        QFETCH(QString, sql);
        QFETCH(QString, expected);
        const QString path = m_dir.filePath(QStringLiteral("hostile.flowlog"));
        QFile::remove(path);
        QVERIFY(QFile::copy(m_saved, path));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        const QString edit = editFile(path, sql);
        QVERIFY2(edit.isEmpty(), qPrintable(edit));
        const QByteArray before = digest(path);
        auto opened = openSession(path);
        QVERIFY2(!opened.ok(), "a hostile file was accepted");
        QVERIFY2(opened.error().message.contains(expected), qPrintable(opened.error().message));
        QVERIFY2(opened.error().message.contains(QDir::toNativeSeparators(path)), qPrintable(opened.error().message));
        QCOMPARE(digest(path), before);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto fromBuffer = openSessionBuffer(f.readAll(), QStringLiteral("buffer"));
        QVERIFY(!fromBuffer.ok());
        QVERIFY2(fromBuffer.error().message.contains(expected), qPrintable(fromBuffer.error().message));
    }

    void cutAnywhere_data()
    {
        QTest::addColumn<double>("keep"); // share of the file kept
        for (double keep : {0.1, 0.5, 0.9, 0.999}) QTest::newRow(qPrintable(QStringLiteral("%1 of the file").arg(keep))) << keep;
    }

    void cutAnywhere()
    {
        // A file cut short is refused by its page count before anything else is read.
        QFETCH(double, keep);
        QFile f(m_saved);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        auto opened = openSessionBuffer(bytes.left(static_cast<qsizetype>(static_cast<double>(bytes.size()) * keep)),
                                        QStringLiteral("cut.flowlog"));
        QVERIFY(!opened.ok());
        QVERIFY2(opened.error().message.contains(QStringLiteral("cut short")), qPrintable(opened.error().message));
    }

    void largePages()
    {
        // From 16 MiB of columns on, the file has 64 KiB pages (fewer overflow pages for the open's
        // checks to walk): 400,000 generated VPC records (about 17 MiB of columns), with IPv6
        // addresses and byte counts the narrow arrays cannot hold, saved and opened again.
        const QString log = m_dir.filePath(QStringLiteral("large.log"));
        {
            QFile f(log);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QByteArray text;
            for (int i = 0; i < 400000; ++i) {
                const QByteArray src =
                    i % 997 == 0 ? QByteArray("2001:db8::") + QByteArray::number(i % 5000, 16)
                                 : QByteArray("10.0.") + QByteArray::number(i % 250) + '.' + QByteArray::number(i % 199);
                const qint64 bytes = i % 1009 == 0 ? qint64{5000000000} + i : i * 7;
                text += "2 123456789010 eni-0a1b2c3d" + QByteArray::number(i % 40) + ' ' + src + " 172.31.9."
                        + QByteArray::number(i % 97) + ' ' + QByteArray::number(i % 60000) + " 443 6 "
                        + QByteArray::number(i % 50 + 1) + ' ' + QByteArray::number(bytes) + ' '
                        + QByteArray::number(1418530010 + i) + ' ' + QByteArray::number(1418530070 + i)
                        + (i % 3 ? " ACCEPT OK\n" : " REJECT OK\n");
                if (text.size() > (1 << 20)) {
                    QVERIFY(f.write(text) == text.size());
                    text.clear();
                }
            }
            QVERIFY(f.write(text) == text.size());
        }
        auto created = Store::create();
        QVERIFY(created.ok());
        Store& store = *created.value();
        QCOMPARE(loadPaths(store, {log}, LoadOptions{}).records, 400000);
        const QString path = m_dir.filePath(QStringLiteral("large.flowlog"));
        QVERIFY(saveSession(store, SessionData{}, path).ok());
        QCOMPARE(queryFile(path, QStringLiteral("PRAGMA page_size")), QStringLiteral("65536"));
        auto opened = openSession(path);
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
        const QString summary = QStringLiteral(
            "SELECT count(*), sum(bytes), sum(srcport), sum(packets), sum(start), sum(\"end\"), count(DISTINCT srcaddr),"
            " sum(length(srcaddr)), max(bytes), count(DISTINCT interface_id), sum(action = 'REJECT'), sum(line), max(file_id)"
            " FROM flows");
        auto text = [&summary](const Store& s) {
            auto st = s.prepare(summary);
            QStringList cells;
            if (st.ok() && st->next())
                for (int c = 0; c < st->columnCount(); ++c) cells << st->value(c).toString();
            return cells.join(QLatin1Char(' '));
        };
        QCOMPARE(text(*opened->store), text(store));
        QCOMPARE(state(*opened->store), state(store));
    }

    void fuzzSeeds()
    {
        // Every seed of the fuzz target opens or is refused with a sentence, never a crash; the
        // format-4 seed opens.
        QDirIterator it(testpaths::testData() + QStringLiteral("/../fuzz/corpus/fuzz_sessionfile"), QDir::Files);
        bool sawFormat4 = false;
        while (it.hasNext()) {
            const QString path = it.next();
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            auto opened = openSessionBuffer(f.readAll(), path);
            if (opened.ok() && opened->formatVersion == kSessionFormatVersion) sawFormat4 = true;
            if (!opened.ok()) QVERIFY(!opened.error().message.isEmpty());
        }
        QVERIFY(sawFormat4);
    }
};

QTEST_GUILESS_MAIN(TestSessionBlobs)
#include "tst_sessionblobs.moc"
