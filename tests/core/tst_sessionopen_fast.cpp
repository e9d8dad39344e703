// The session open path of core/sessionfile/sessionfile.cpp: the file is read into memory once,
// checked through hardened read-only connections over those bytes (PRAGMA quick_check on a
// second thread) and handed to the store by sqlite3_deserialize. Checked here against the store
// that was saved (the oracle: every row by SQL, the files, the columns, the dictionaries and
// twins, names, rejections, view state), also after more logs are loaded on top (twins across
// loads); the cheap structural checks (a header whose page count lies, a file cut in the middle
// of flow_data, WAL mode, a stale page count) and a damage that only the full check finds
// (a freelist that lies) as refused rows; a cancelled open; the fuzz target's seed corpus.
#include "core/ingest/loader.h"
#include "core/names/names.h"
#include "core/sessionfile/sessionfile.h"
#include "core/store/columns_rebuild.h"
#include "core/store/store.h"
#include "core/store/store_impl.h"
#include "flowgen.h"
#include "tests/columntestutil.h"
#include "tests/sessiontestutil.h"
#include "tests/testpaths.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <atomic>
#include <mutex>
#include <thread>

using namespace core;

namespace {

QString fixture(const QString& dir, const QString& name)
{
    return (testpaths::testData() + QStringLiteral("/%1/%2")).arg(dir, name);
}

/// Generated TGW + VPC records (10 % IPv6) split over loads so twins pair across them, the odd
/// lines, a log with extra (unknown) fields, and names.
struct Generated {
    QByteArray loads[3];
    QStringList files; // loaded after the generated loads (extras, names)
};

Generated generated(int records, bool large)
{
    flowgen::Options o;
    o.seed = 23;
    o.tgwRecords = records;
    o.vpcRecords = true;
    o.ipv6Share = 0.1;
    if (large) o.setLargeEstate();
    Generated g;
    int i = 0;
    // Every third TGW line goes to the second load, the VPC lines to the third (loaded on top of
    // the opened session): twins of the first two loads pair across them, some wait.
    flowgen::generate(
        o, [&](const std::string& line, int64_t) { g.loads[(i++ % 3) == 2 ? 1 : 0] += QByteArray::fromStdString(line) + '\n'; },
        [&](const std::string& line, int64_t) { g.loads[2] += QByteArray::fromStdString(line) + '\n'; });
    g.loads[1] += columntest::kOddLines;
    g.files = {fixture(QStringLiteral("ingest"), QStringLiteral("s3_header_switch.log")),
               fixture(QStringLiteral("cli"), QStringLiteral("tgw_bad_lines.log")),
               fixture(QStringLiteral("cli"), QStringLiteral("names-attachments.json"))};
    return g;
}

/// The store's state outside SQLite (dictionaries, contexts, twins, waiting twins, extras).
QStringList state(const Store& store)
{
    std::lock_guard<std::mutex> lock(store.impl().writeLock());
    const StoreState s = store.impl().exportState();
    QStringList out;
    out << QStringLiteral("strings %1").arg(s.strings.size());
    QCryptographicHash h(QCryptographicHash::Sha256);
    for (const std::string& str : s.strings) h.addData(QByteArrayView(str.data(), static_cast<qsizetype>(str.size() + 1)));
    out << QString::fromLatin1(h.result().toHex());
    QStringList ctx, twins, waiting;
    for (uint32_t c : s.contexts) ctx << QString::number(c);
    for (int64_t t : s.twins) twins << QString::number(t);
    for (const StoreState::Waiting& w : s.waiting) waiting << QStringLiteral("%1:%2:%3").arg(w.key).arg(w.id).arg(w.ingress);
    waiting.sort(); // a hash table's order: the queues per key are what matters
    out << QStringLiteral("slots %1").arg(s.textSlots) << ctx.join(QLatin1Char(',')) << twins.join(QLatin1Char(','))
        << waiting.join(QLatin1Char(','));
    QStringList extras;
    for (const std::string& t : s.extraTokens) extras << QString::fromStdString(t);
    out << extras.join(QLatin1Char(',')) << s.extraNames.join(QLatin1Char(',')) << QString::number(s.extraColumnsInTable);
    out << QStringLiteral("next %1 %2").arg(s.nextId).arg(s.nextFileId);
    return out;
}

QStringList files(const Store& store)
{
    QStringList out;
    for (const StoredFile& f : store.files())
        out << QStringLiteral("%1 %2 %3 %4 %5").arg(f.id).arg(f.path, f.format).arg(f.records).arg(f.rejected);
    return out;
}

QStringList names(const NameDirectory& dir)
{
    QStringList out;
    for (const NameEntry& e : dir.entries())
        out << QStringList{e.id,   e.name,  e.kind,     e.resourceId, e.ownerId,
                           e.cidr, e.vpcId, e.subnetId, e.logFormat,  e.privateIps.join(QLatin1Char(' '))}
                   .join(QLatin1Char('|'));
    out.sort();
    return out;
}

QByteArray digest(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

/// Overwrites `bytes` at `offset` of the file.
bool patch(const QString& path, qint64 offset, const QByteArray& bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadWrite) || !f.seek(offset)) return false;
    return f.write(bytes) == bytes.size();
}

QByteArray be32(quint32 v)
{
    QByteArray b(4, '\0');
    qToBigEndian(v, b.data());
    return b;
}

} // namespace

class TestSessionOpenFast : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sameStoreAsSaved_data();
    void sameStoreAsSaved();
    void refused_data();
    void refused();
    void cancelled();
    void cancelledAnyTime();
    void fuzzCorpus_data();
    void fuzzCorpus();

private:
    QTemporaryDir m_dir;
    QString m_valid; // a saved session of generated records (refused rows edit copies of it)
};

void TestSessionOpenFast::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const Generated g = generated(2000, false);
    auto created = Store::create();
    QVERIFY(created.ok());
    auto store = std::move(created.value());
    QCOMPARE(loadBuffer(*store, g.loads[0], QStringLiteral("load0.log"), LoadOptions{}).outcome, Outcome::Ok);
    m_valid = m_dir.filePath(QStringLiteral("valid.flowlog"));
    QVERIFY(saveSession(*store, SessionData{}, m_valid).ok());
}

void TestSessionOpenFast::sameStoreAsSaved_data()
{
    QTest::addColumn<int>("records");
    QTest::addColumn<bool>("large");
    QTest::newRow("small estate, 3000 records") << 3000 << false;
    QTest::newRow("large estate, 6000 records") << 6000 << true;
    QTest::newRow("one record") << 1 << false;
}

void TestSessionOpenFast::sameStoreAsSaved()
{
    QFETCH(int, records);
    QFETCH(bool, large);
    const Generated g = generated(records, large);
    auto created = Store::create();
    QVERIFY(created.ok());
    std::unique_ptr<Store> saved = std::move(created.value());
    for (int n = 0; n < 2; ++n)
        QCOMPARE(loadBuffer(*saved, g.loads[n], QStringLiteral("load%1.log").arg(n), LoadOptions{}).outcome, Outcome::Ok);
    // Unknown header fields become extra columns (e_0, e_1 in flow_data).
    const QByteArray custom = "version account-id interface-id srcaddr dstaddr my-custom-tag future-field start end\n"
                              "5 123 eni-1 10.0.0.1 2600:1f18::9 blue 7 1764547200 1764547260\n"
                              "5 123 eni-1 10.0.0.1 10.0.0.3 - - 1764547200 1764547260\n";
    QCOMPARE(loadBuffer(*saved, custom, QStringLiteral("custom.log"), LoadOptions{}).outcome, Outcome::Ok);
    LoadReport report = loadPaths(*saved, g.files, LoadOptions{});
    QVERIFY(!report.names.isEmpty());
    storeNames(*saved, report.names);
    QVERIFY2(!saved->extraColumns().isEmpty(), "the data has no extra columns");
    SessionData data;
    data.names = report.names;
    data.rejections = report.rejections;
    data.viewState = R"({"version":1,"filter":"addr == 2600:1f18::/32","sort":"bytes"})";
    data.compare = R"({"kind":"split","time":1764547200})";
    const QString path = m_dir.filePath(QStringLiteral("same.flowlog"));
    QFile::remove(path);
    QVERIFY(saveSession(*saved, data, path).ok());
    const QByteArray before = digest(path);

    auto opened = openSession(path);
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
    Store& store = *opened->store;
    QCOMPARE(digest(path), before); // opening never modifies the file
    QCOMPARE(opened->formatVersion, kSessionFormatVersion);
    QCOMPARE(opened->records, saved->recordCount());
    QCOMPARE(opened->records, store.recordCount());
    QVERIFY(store.impl().idsDense()); // ids 1..N: the table needs no count
    QCOMPARE(sessiontest::flowRows(store), sessiontest::flowRows(*saved));
    QCOMPARE(files(store), files(*saved));
    QCOMPARE(store.columns(), saved->columns());
    QCOMPARE(store.extraColumns(), saved->extraColumns());
    QCOMPARE(state(store), state(*saved));
    QCOMPARE(names(opened->data.names), names(data.names));
    QCOMPARE(opened->data.viewState, data.viewState);
    QCOMPARE(opened->data.compare, data.compare);
    QCOMPARE(opened->data.rejections.size(), data.rejections.size());
    for (size_t i = 0; i < data.rejections.size(); ++i) {
        QCOMPARE(opened->data.rejections[i].file, data.rejections[i].file);
        QCOMPARE(opened->data.rejections[i].line, data.rejections[i].line);
        QCOMPARE(opened->data.rejections[i].reason, data.rejections[i].reason);
        QCOMPARE(opened->data.rejections[i].raw, data.rejections[i].raw);
    }
    // The session tables are gone from the store; it is not a session file any more.
    auto leftovers = store.prepare(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name LIKE 'fl\\_%' ESCAPE '\\'"));
    QVERIFY(leftovers.ok() && leftovers->next());
    QCOMPARE(leftovers->int64(0), 0);
    QVERIFY(waitForColumns(store).ok());
    const QStringList savedRows = sessiontest::flowRows(*saved);

    // More logs on top of both (the VPC lines; twins wait and pair across loads as before), also
    // after the open grew its in-memory image.
    for (Store* s : {saved.get(), &store})
        QCOMPARE(loadBuffer(*s, g.loads[2], QStringLiteral("load2.log"), LoadOptions{}).outcome, Outcome::Ok);
    QCOMPARE(sessiontest::flowRows(store), sessiontest::flowRows(*saved));
    QCOMPARE(state(store), state(*saved));
    QCOMPARE(files(store), files(*saved));
    QVERIFY(store.impl().idsDense());
    QCOMPARE(store.impl().nextId() - 1, store.recordCount());

    // The same bytes from memory (the fuzz target's path) give the same store.
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    auto fromBuffer = openSessionBuffer(f.readAll(), QStringLiteral("buffer"));
    QVERIFY(fromBuffer.ok());
    QCOMPARE(sessiontest::flowRows(*fromBuffer->store), savedRows);
}

void TestSessionOpenFast::refused_data()
{
    // Each row edits a copy of a valid session: the header (offset, bytes), or truncates it.
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qint64>("truncateTo"); // -1: keep, -2: half the pages
    QTest::addColumn<QString>("expected");
    const QString cut = QStringLiteral("cut short or extended");
    QTest::newRow("header page count lies (larger)") << qint64{28} << be32(100000) << qint64{-1} << cut;
    QTest::newRow("header page count lies (smaller)") << qint64{28} << be32(2) << qint64{-1} << cut;
    QTest::newRow("cut in the middle of flow_data") << qint64{-1} << QByteArray() << qint64{-2} << cut;
    QTest::newRow("cut in the middle of a page") << qint64{-1} << QByteArray() << qint64{4096 * 3 + 100} << cut;
    QTest::newRow("stale page count") << qint64{92} << be32(77) << qint64{-1} << QStringLiteral("page count is stale");
    QTest::newRow("WAL mode") << qint64{18} << QByteArray("\x02\x02", 2) << qint64{-1} << QStringLiteral("WAL mode");
    QTest::newRow("page size not a power of two")
        << qint64{16} << QByteArray("\x03\x00", 2) << qint64{-1} << QStringLiteral("page size (768)");
    // Read by nothing on the way but the full check: PRAGMA quick_check alone finds it.
    QTest::newRow("freelist count lies (found by quick_check only)")
        << qint64{36} << be32(3) << qint64{-1} << QStringLiteral("freelist: size is 0 but should be 3");
}

void TestSessionOpenFast::refused()
{
    QFETCH(qint64, offset);
    QFETCH(QByteArray, bytes);
    QFETCH(qint64, truncateTo);
    QFETCH(QString, expected);
    const QString path = m_dir.filePath(QStringLiteral("refused.flowlog"));
    QFile::remove(path);
    QVERIFY(QFile::copy(m_valid, path));
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    if (offset >= 0) QVERIFY(patch(path, offset, bytes));
    if (truncateTo != -1) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.resize(truncateTo == -2 ? (f.size() / 4096 / 2) * 4096 : truncateTo));
    }
    const QByteArray before = digest(path);
    auto opened = openSession(path);
    QVERIFY2(!opened.ok(), "a damaged file was accepted");
    qInfo("%s", qPrintable(opened.error().message));
    QVERIFY2(opened.error().message.contains(expected), qPrintable(opened.error().message));
    QVERIFY2(opened.error().message.contains(QDir::toNativeSeparators(path)), qPrintable(opened.error().message));
    QVERIFY2(opened.error().message.contains(QLatin1String("damaged or not a valid session file")),
             qPrintable(opened.error().message));
    QCOMPARE(digest(path), before);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    auto fromBuffer = openSessionBuffer(f.readAll(), QStringLiteral("buffer"));
    QVERIFY(!fromBuffer.ok());
    QVERIFY2(fromBuffer.error().message.contains(expected), qPrintable(fromBuffer.error().message));
}

void TestSessionOpenFast::cancelled()
{
    const std::atomic<bool> cancel{true};
    const QByteArray before = digest(m_valid);
    auto opened = openSession(m_valid, &cancel);
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().message, QStringLiteral("cancelled"));
    QCOMPARE(digest(m_valid), before);
}

void TestSessionOpenFast::cancelledAnyTime()
{
    // A cancel raised by another thread at whatever point the open has reached: the open either
    // completes with the whole store or says "cancelled", and never anything else.
    const qint64 records = [&] {
        auto r = openSession(m_valid);
        return r.ok() ? r->records : -1;
    }();
    QVERIFY(records > 0);
    int cancelledRuns = 0;
    for (int run = 0; run < 20; ++run) {
        std::atomic<bool> cancel{false};
        std::thread raiser([&cancel] { cancel = true; });
        auto opened = openSession(m_valid, &cancel);
        raiser.join();
        if (opened.ok()) {
            QCOMPARE(opened->records, records);
            QCOMPARE(opened->store->recordCount(), records);
        } else {
            QCOMPARE(opened.error().message, QStringLiteral("cancelled"));
            ++cancelledRuns;
        }
    }
    qInfo("%d of 20 opens were cancelled", cancelledRuns);
}

void TestSessionOpenFast::fuzzCorpus_data()
{
    // The fuzz target's seeds (tests/fuzz/corpus/fuzz_sessionfile) through its entry point.
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected"); // "" = opens
    QTest::newRow("tgw-with-names.flowlog") << QStringLiteral("tgw-with-names.flowlog") << QString();
    QTest::newRow("v1.flowlog") << QStringLiteral("v1.flowlog") << QString();
    QTest::newRow("v4.flowlog") << QStringLiteral("v4.flowlog") << QString(); // the typed columns in fl_blobs
    QTest::newRow("header-only") << QStringLiteral("header-only") << QStringLiteral("cut short or extended");
}

void TestSessionOpenFast::fuzzCorpus()
{
    QFETCH(QString, file);
    QFETCH(QString, expected);
    QFile f(testpaths::testData() + QStringLiteral("/../fuzz/corpus/fuzz_sessionfile/") + file);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
    auto opened = openSessionBuffer(f.readAll(), file);
    if (expected.isEmpty()) {
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
        QCOMPARE(opened->records, opened->store->recordCount());
        QVERIFY(opened->records > 0);
    } else {
        QVERIFY(!opened.ok());
        QVERIFY2(opened.error().message.contains(expected), qPrintable(opened.error().message));
    }
}

QTEST_GUILESS_MAIN(TestSessionOpenFast)
#include "tst_sessionopen_fast.moc"
