// The context lookups of a parallel load (core/store/local_pack: every piece's contexts looked up
// on its parse worker after the piece is packed, with the loads of several rows overlapped; the
// rest found or created by the writer) against the one-thread path as the oracle: the same rows,
// context codes, string codes and twins. Inputs with many contexts: new ones created mid-piece and
// reused by the next rows of the same piece and by later pieces, contexts with different text
// slots present, contexts of an earlier load and of a restored session; each also with a weak
// context hash (ContextIndex::setHashForTesting) under which thousands of different contexts
// share a hash, so only the verification tells them apart.
#include "core/ingest/loader.h"
#include "core/sessionfile/sessionfile.h"
#include "core/store/context_index.h"
#include "core/store/store.h"
#include "flowgen.h"
#include "tests/gziptestutil.h"
#include "tests/readertextutil.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <functional>

using namespace core;

namespace {

constexpr int kScale = readertext::kSanitizerScale;

/// A weak context hash: 509 values, each a well-mixed 64-bit word (so the index spreads them),
/// for thousands of contexts: every lookup meets candidates with its own hash and tag.
uint64_t weakHash(std::string_view key)
{
    uint64_t h = std::hash<std::string_view>{}(key) % 509 + 1;
    h *= 0x9e3779b97f4a7c15ULL;
    return h ^ (h >> 29);
}

/// TGW-style records in pairs (the ingress record at one attachment, the egress one at the other:
/// twins). Flow g uses context group q: a new group for three flows of four (each new group used by
/// two flows in a row, so a context created mid-piece is reused by the next rows), an earlier group
/// for the fourth (earlier pieces, or an earlier file when `offset` > 0). Some groups leave
/// log-status or the VPC out (other text slots present).
QByteArray contextRecords(int flows, int offset)
{
    QByteArray out("version account-id tgw-id tgw-attachment-id tgw-pair-attachment-id tgw-src-vpc-id srcaddr dstaddr "
                   "srcport dstport protocol packets bytes start end log-status flow-direction\n");
    for (int f = 0; f < flows; ++f) {
        const int g = f + offset;
        const int q = g % 4 == 3 ? static_cast<int>((uint64_t(g) * 2654435761u) % uint64_t(g / 2 + 1)) : g / 2;
        const QByteArray a = "tgw-attach-" + QByteArray::number(q, 16).rightJustified(17, '0');
        const QByteArray b = "tgw-attach-" + QByteArray::number(q * 31 % 5003 + 100000, 16).rightJustified(17, '0');
        const QByteArray account = "1111111" + QByteArray::number(10000 + q % 50);
        const QByteArray vpc = q % 7 == 0 ? "-" : "vpc-" + QByteArray::number(q % 700, 16).rightJustified(17, '0');
        const QByteArray status = q % 13 == 0 ? "-" : "OK";
        const QByteArray flow = " 10." + QByteArray::number(g % 250) + '.' + QByteArray::number(g / 250 % 250) + ".1 10.9."
                                + QByteArray::number(g % 199) + ".2 " + QByteArray::number(1024 + g % 30000) + " 443 6 "
                                + QByteArray::number(g % 40 + 1) + ' ' + QByteArray::number(g * 3 + 60) + ' '
                                + QByteArray::number(1764547200 + g / 10) + ' ' + QByteArray::number(1764547260 + g / 10) + ' '
                                + status;
        out += "6 " + account + " tgw-0aaa " + a + ' ' + b + ' ' + vpc + flow + " ingress\n";
        out += "6 " + account + " tgw-0aaa " + b + ' ' + a + ' ' + vpc + flow + " egress\n";
    }
    return out;
}

/// flowgen's large estate (thousands of contexts, the real field set).
QByteArray largeEstate(int records, quint64 seed)
{
    flowgen::Options o;
    o.tgwRecords = records;
    o.seed = seed;
    o.setLargeEstate();
    QByteArray out = QByteArray::fromStdString(flowgen::tgwHeader()) + '\n';
    flowgen::generate(o, [&](const std::string& line, int64_t) { out += QByteArray::fromStdString(line) + '\n'; });
    return out;
}

/// Rows decoded, flow_data's raw codes (context and string codes), twins, files.
QStringList storeText(Store& store)
{
    using readertext::query;
    QStringList out;
    out << query(store, QStringLiteral("SELECT * FROM flows ORDER BY id"));
    out << query(store, QStringLiteral("SELECT * FROM flow_data ORDER BY id"));
    out << query(store, QStringLiteral("SELECT count(*), count(twin_id), count(DISTINCT ctx) FROM flow_data"));
    out << query(store, QStringLiteral("SELECT id, path, records, rejected FROM files ORDER BY id"));
    return out;
}

/// What `files` (contextRecords text) say the text fields of each record are, in load order: the
/// oracle of the context values (the two load paths share the writer's context creation).
QStringList textFieldsOf(const QList<QByteArray>& files)
{
    QStringList out;
    for (const QByteArray& file : files)
        for (const QByteArray& line : file.split('\n').mid(1)) {
            if (line.isEmpty()) continue;
            const QList<QByteArray> f = line.split(' ');
            QStringList cells;
            for (const int i : {1, 3, 4, 5, 15, 16}) cells << (f[i] == "-" ? QString() : QString::fromLatin1(f[i]));
            out << cells.join(QLatin1Char('|'));
        }
    return out;
}

using readertext::compareLists;

/// Restores the hash of the context index when a test ends (also on failure).
struct HashGuard {
    explicit HashGuard(bool weak) { ContextIndex::setHashForTesting(weak ? &weakHash : nullptr); }
    ~HashGuard() { ContextIndex::setHashForTesting(nullptr); }
    HashGuard(const HashGuard&) = delete;
    HashGuard& operator=(const HashGuard&) = delete;
};

} // namespace

class TestContextLookup : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameAsOneThread_data();
    void sameAsOneThread();
};

void TestContextLookup::sameAsOneThread_data()
{
    QTest::addColumn<QList<QByteArray>>("files");
    QTest::addColumn<int>("loads");     // the files in this many loads (1, or one per file)
    QTest::addColumn<bool>("session");  // the first load saved and reopened as a session before the others
    QTest::addColumn<bool>("weakHash"); // different contexts share hashes
    const QByteArray first = contextRecords(20000 / kScale, 0);
    const QByteArray second = contextRecords(20000 / kScale, 20000 / kScale); // reuses groups of `first`
    const QByteArray large = largeEstate(20000 / kScale, 3);
    for (const bool weak : {false, true}) {
        const char* h = weak ? ", weak hash" : "";
        QTest::newRow(qPrintable(QStringLiteral("one file%1").arg(QLatin1String(h))))
            << QList<QByteArray>{first} << 1 << false << weak;
        QTest::newRow(qPrintable(QStringLiteral("large estate%1").arg(QLatin1String(h))))
            << QList<QByteArray>{large} << 1 << false << weak;
        QTest::newRow(qPrintable(QStringLiteral("two files, one load%1").arg(QLatin1String(h))))
            << QList<QByteArray>{first, second} << 1 << false << weak;
        QTest::newRow(qPrintable(QStringLiteral("a load per file%1").arg(QLatin1String(h))))
            << QList<QByteArray>{first, second, large} << 3 << false << weak;
        QTest::newRow(qPrintable(QStringLiteral("restored session, then a load%1").arg(QLatin1String(h))))
            << QList<QByteArray>{first, second} << 2 << true << weak;
    }
}

void TestContextLookup::sameAsOneThread()
{
    QFETCH(QList<QByteArray>, files);
    QFETCH(int, loads);
    QFETCH(bool, session);
    QFETCH(bool, weakHash);
    const HashGuard guard(weakHash);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QStringList paths;
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QString path = dir.filePath(QStringLiteral("f%1.log").arg(i));
        QVERIFY(testutil::writeFile(path, files[i]));
        paths << path;
    }
    QStringList results[2];
    for (int threads = 1; threads <= 2; ++threads) {
        auto created = Store::create();
        QVERIFY(created.ok());
        std::unique_ptr<Store> store = std::move(created.value());
        LoadOptions options;
        options.read.parseThread = threads == 2; // the default; one thread is the oracle
        for (int load = 0; load < loads; ++load) {
            const QStringList batch = loads == 1 ? paths : QStringList{paths[load]};
            const LoadReport r = loadPaths(*store, batch, options);
            QCOMPARE(r.outcome, Outcome::Ok);
            QCOMPARE(r.rejected, 0);
            if (session && load == 0) { // the contexts of this load come back through the session
                const QString sessionPath = dir.filePath(QStringLiteral("s%1.flowlog").arg(threads));
                QVERIFY(saveSession(*store, SessionData{}, sessionPath).ok());
                auto opened = openSession(sessionPath);
                QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
                store = std::move(opened.value().store);
            }
        }
        results[threads - 1] = storeText(*store);
        QVERIFY(store->recordCount() > 0);
        if (std::all_of(files.begin(), files.end(), [](const QByteArray& f) { return f.startsWith("version account-id"); })) {
            compareLists(readertext::query(*store, QStringLiteral("SELECT account_id, tgw_attachment_id, "
                                                                  "tgw_pair_attachment_id, tgw_src_vpc_id, log_status, "
                                                                  "flow_direction FROM flows ORDER BY id")),
                         textFieldsOf(files));
            if (QTest::currentTestFailed()) return;
        }
    }
    compareLists(results[1], results[0]);
}

QTEST_GUILESS_MAIN(TestContextLookup)
#include "tst_context_lookup.moc"
