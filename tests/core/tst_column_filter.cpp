// The column paths against plain SQL on the same store (core/store/column_filter.h,
// core/analysis/aggregate_columns.cpp): the 20,000 random filter expressions and hand-written
// ones give the same record ids by column scan as by `SELECT id FROM flows WHERE ...` (or the same
// error), and edges (every dimension), series, split series, drops and the filtered count equal their
// SQL reference (column paths switched off) on a small and a large estate, each loaded in three
// loads so twins split across loads are covered. Filters the columns cannot answer fall back.
#include "core/analysis/aggregate.h"
#include "core/analysis/drops.h"
#include "core/ingest/loader.h"
#include "core/query/filter.h"
#include "core/sessionfile/sessionfile.h"
#include "core/store/column_filter.h"
#include "core/store/columns_rebuild.h"
#include "core/store/store.h"
#include "flowgen.h"
#include "tests/columntestutil.h"
#include "tests/randomfilters.h"

#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace core;

namespace {

/// The odd records (columntestutil.h) and the first one's egress twin, logged at the pair
/// attachment.
const QByteArray kOddLines =
    QByteArray(columntest::kOddLines)
    + "6 TransitGateway 111122223333 tgw-0123 tgw-attach-pair 111122223333 444455556666 vpc-a vpc-b subnet-a subnet-b "
      "eni-a eni-b use1-az1 use1-az2 tgw-attach-odd 255.255.255.255 010.0.0.1 5 70000 300 4000000 5000000000 1764547200 "
      "1764547260 OK IPv4 0 0 0 0 65535 us-east-1 egress - -\n";

struct Fixture {
    std::unique_ptr<Store> store;
    QString name;
};

/// A store of `records` generated TGW records (+ VPC records) in three loads: two thirds, the
/// other third (many twins' other sides), the VPC records and the odd lines.
std::unique_ptr<Store> generatedStore(bool large, int records)
{
    flowgen::Options o;
    o.seed = 7;
    o.tgwRecords = records;
    o.vpcRecords = true;
    o.ipv6Share = 0.1;
    if (large) o.setLargeEstate();
    std::vector<QByteArray> loads(3);
    int i = 0;
    flowgen::generate(
        o, [&](const std::string& line, int64_t) { loads[(i++ % 3) == 2 ? 1 : 0] += QByteArray::fromStdString(line) + '\n'; },
        [&](const std::string& line, int64_t) { loads[2] += QByteArray::fromStdString(line) + '\n'; });
    auto created = Store::create();
    if (!created.ok()) return nullptr;
    auto store = std::move(created.value());
    loads[1] += kOddLines;
    int n = 0;
    for (const QByteArray& data : loads) {
        const LoadReport r = loadBuffer(*store, data, QStringLiteral("load%1.log").arg(++n), LoadOptions{});
        if (r.outcome != Outcome::Ok) return nullptr;
    }
    // Name tags: id fields also match by name.
    if (!store
             ->exec(QStringLiteral("INSERT INTO names(id, name) VALUES ('tgw-attach-odd', 'prod'), ('vpc-a', 'prod'),"
                                   " ('tgw-attach-pair', 'shared')"))
             .ok())
        return nullptr;
    return store;
}

Store& fixtureStore(bool large)
{
    static std::unique_ptr<Store> stores[2];
    auto& s = stores[large ? 1 : 0];
    if (!s) s = generatedStore(large, large ? 6000 : 4000);
    return *s;
}

/// Record ids SQL selects, or the compile error's message.
Result<std::vector<qint64>> sqlIds(const Store& store, const QString& filter)
{
    auto f = compileFilter(filter);
    if (!f.ok()) return f.error();
    auto st = store.prepare(QStringLiteral("SELECT id FROM flows WHERE ") + f->where + QStringLiteral(" ORDER BY id"));
    if (!st.ok()) return st.error();
    st->bindAll(f->params);
    std::vector<qint64> out;
    while (st->next()) out.push_back(st->int64(0));
    if (!st->error().isEmpty()) return Error{{}, 0, 0, st->error()};
    return out;
}

/// Record ids the columns select; nullopt when they do not answer.
std::optional<Result<std::vector<qint64>>> columnIds(const Store& store, const QString& filter)
{
    const ColumnScanLock lock(store);
    auto m = matchRows(store, filter);
    if (!m) return std::nullopt;
    if (!m->ok()) return Result<std::vector<qint64>>(m->error());
    std::vector<qint64> out;
    for (size_t r = 0; r < m->value().rows; ++r)
        if (m->value().test(r)) out.push_back(static_cast<qint64>(r) + 1);
    return Result<std::vector<qint64>>(std::move(out));
}

/// Hand-written filters covering every kind of term the columns answer.
const QStringList& handFilters()
{
    static const QStringList f = {
        QString(),
        QStringLiteral("srcaddr == 10.0.0.0/8"),
        QStringLiteral("addr == 10.10.0.0/16"),
        QStringLiteral("dstaddr == 010.0.0.1"),
        QStringLiteral("dstaddr == 10.0.0.0/8"),
        QStringLiteral("srcaddr == 255.255.255.255"),
        QStringLiteral("srcaddr == 255.255.255.0/24"),
        QStringLiteral("addr == 2600:1f18::/32"),
        QStringLiteral("srcaddr == 2600:1f18::5"),
        QStringLiteral("addr in {10.0.0.0/8, 2600::/16, 172.16.0.1}"),
        QStringLiteral("addr != 10.0.0.0/8"),
        QStringLiteral("not srcaddr"),
        QStringLiteral("srcport == 5 or dstport == 70000 or srcport == -1"),
        QStringLiteral("port in {443, 53, 70000}"),
        QStringLiteral("protocol == 300 or proto == udp"),
        QStringLiteral("bytes > 4000000000"),
        QStringLiteral("bytes >= 1000 and packets < 10"),
        QStringLiteral("start >= \"2025-12-01 06:00\" and end < 2025-12-01T12:00:00Z"),
        QStringLiteral("start > 1764547200000"),
        QStringLiteral("tcp-flags has SYN|ACK"),
        QStringLiteral("flags == 65535"),
        QStringLiteral("drops"),
        QStringLiteral("drops > 5"),
        QStringLiteral("drops != 0"),
        QStringLiteral("drops in {70000, 1, 2}"),
        QStringLiteral("packets-lost-no-route > 0"),
        QStringLiteral("packets-lost-ttl-expired"),
        QStringLiteral("action == REJECT"),
        QStringLiteral("action != ACCEPT"),
        QStringLiteral("attachment == prod"),
        QStringLiteral("attachment in {prod, shared, tgw-attach-0000000000000abcd}"),
        QStringLiteral("vpc == prod and not attachment == shared"),
        QStringLiteral("tgw-attachment-id contains ATTACH-0"),
        QStringLiteral("vpc contains \"%\""),
        QStringLiteral("log-status < OK"),
        QStringLiteral("flow-direction >= ingress"),
        QStringLiteral("pkt-dst-aws-service"),
        QStringLiteral("pkt-dst-aws-service == S3 or pkt-src-aws-service == DYNAMODB"),
        QStringLiteral("!(action == ACCEPT || port == 443) && bytes > 100"),
        QStringLiteral("az == use1-az1 or account == 444455556666"),
        QStringLiteral("version == 6 and not traffic-path"),
        QStringLiteral("version in {2, 5} or encryption-status == 0"),
        QStringLiteral("pkt-srcaddr == 10.0.0.0/8 or not pkt-dstaddr"),
        QStringLiteral("pkt-dstaddr != 2600::/16"),
    };
    return f;
}

} // namespace

class TestColumnFilter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameRowsAsSql_data();
    void sameRowsAsSql();
    void aggregationsEqualSql_data();
    void aggregationsEqualSql();
    void fallsBackToSql_data();
    void fallsBackToSql();
    void sessionStoreRebuildsColumns();
};

void TestColumnFilter::sameRowsAsSql_data()
{
    QTest::addColumn<bool>("large");
    QTest::addColumn<bool>("random");
    QTest::newRow("small estate, hand-written") << false << false;
    QTest::newRow("large estate, hand-written") << true << false;
    QTest::newRow("small estate, 20,000 random") << false << true;
    QTest::newRow("large estate, 20,000 random") << true << true;
}

void TestColumnFilter::sameRowsAsSql()
{
    QFETCH(bool, large);
    QFETCH(bool, random);
    const Store& store = fixtureStore(large);
    QVERIFY(store.recordCount() > 4000);
    const QStringList filters = random ? randomFilterExpressions() : handFilters();
    int answered = 0, valid = 0, fellBack = 0;
    for (const QString& filter : filters) {
        const auto sql = sqlIds(store, filter);
        const auto cols = columnIds(store, filter);
        if (!cols) {
            ++fellBack;
            QVERIFY2(random, qPrintable(QStringLiteral("hand-written filter fell back to SQL: %1").arg(filter)));
            continue;
        }
        ++answered;
        QVERIFY2(cols->ok() == sql.ok(), qPrintable(QStringLiteral("'%1': SQL %2, columns %3")
                                                        .arg(filter, sql.ok() ? QStringLiteral("ok") : sql.error().message,
                                                             cols->ok() ? QStringLiteral("ok") : cols->error().message)));
        if (!sql.ok()) {
            QCOMPARE(cols->error().message, sql.error().message);
            QCOMPARE(cols->error().column, sql.error().column);
            continue;
        }
        ++valid;
        if (!random) { // the table's order: the same ids through matchingIds()
            std::vector<qint64> ids;
            const std::optional<Status> st = matchingIds(store, filter, nullptr, ids);
            QVERIFY(st && st->ok());
            QVERIFY(ids == sql.value());
        }
        if (cols->value() != sql.value())
            QFAIL(qPrintable(QStringLiteral("'%1': columns select %2 records, SQL %3")
                                 .arg(filter)
                                 .arg(cols->value().size())
                                 .arg(sql.value().size())));
    }
    qInfo("%d filters: %d answered by the columns (%d valid), %d fell back to SQL", static_cast<int>(filters.size()), answered,
          valid, fellBack);
    QVERIFY(valid > (random ? 100 : filters.size() - 1));
}

void TestColumnFilter::aggregationsEqualSql_data()
{
    QTest::addColumn<bool>("large");
    QTest::newRow("small estate") << false;
    QTest::newRow("large estate") << true;
}

void TestColumnFilter::aggregationsEqualSql()
{
    QFETCH(bool, large);
    const Store& store = fixtureStore(large);
    QStringList filters = handFilters();
    // Some valid random ones too.
    int taken = 0;
    for (const QString& f : randomFilterExpressions()) {
        if (taken >= 40) break;
        if (compileFilter(f).ok() && !f.trimmed().isEmpty()) {
            filters << f;
            ++taken;
        }
    }
    static constexpr EdgeDimension kDims[] = {EdgeDimension::Attachment, EdgeDimension::Vpc,     EdgeDimension::Subnet,
                                              EdgeDimension::Az,         EdgeDimension::Account, EdgeDimension::Addr};
    static constexpr SeriesSplit kSplits[] = {SeriesSplit::None, SeriesSplit::Attachment, SeriesSplit::Edge,
                                              SeriesSplit::Direction};
    for (const QString& filter : filters) {
        QStringList fast, reference;
        for (bool columns : {true, false}) {
            setColumnScansEnabled(columns);
            QStringList& out = columns ? fast : reference;
            for (EdgeDimension d : kDims) out << columntest::edgesText(computeEdges(store, filter, d));
            for (SeriesSplit s : kSplits) out << columntest::seriesText(computeSeriesWithSplit(store, filter, s, 5));
            auto drops = computeDrops(store, filter);
            out << (drops.ok() ? QString::fromUtf8(dropsCsv(drops.value(), false)) : drops.error().message);
            bool used = false;
            auto count = countMatching(store, filter, nullptr, &used);
            QCOMPARE(used, columns);
            out << (count.ok() ? QString::number(count.value()) : count.error().message);
        }
        setColumnScansEnabled(true);
        for (qsizetype i = 0; i < fast.size(); ++i)
            if (fast[i] != reference[i])
                QFAIL(qPrintable(QStringLiteral("'%1', view %2:\n columns: %3\n SQL:     %4")
                                     .arg(filter)
                                     .arg(i)
                                     .arg(fast[i].left(400), reference[i].left(400))));
    }
}

void TestColumnFilter::fallsBackToSql_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<bool>("columns");
    QTest::newRow("integer field without a hot column: the cold one") << QStringLiteral("version == 6") << true;
    QTest::newRow("contains on a number") << QStringLiteral("port contains 44") << false;
    QTest::newRow("contains on an address") << QStringLiteral("srcaddr contains 10.") << false;
    QTest::newRow("packet-level address: the cold column") << QStringLiteral("pkt-srcaddr == 10.0.0.0/8") << true;
    QTest::newRow("one unsupported term decides") << QStringLiteral("action == ACCEPT and traffic-path contains 1") << false;
    QTest::newRow("held fields") << QStringLiteral("action == ACCEPT and port == 443") << true;
}

void TestColumnFilter::fallsBackToSql()
{
    QFETCH(QString, filter);
    QFETCH(bool, columns);
    const Store& store = fixtureStore(false);
    QCOMPARE(columnIds(store, filter).has_value(), columns);
    // The callers still answer, through SQL, with the SQL numbers.
    bool used = true;
    auto count = countMatching(store, filter, nullptr, &used);
    QVERIFY(count.ok());
    QCOMPARE(used, columns);
    const auto ids = sqlIds(store, filter);
    QVERIFY(ids.ok());
    QCOMPARE(count.value(), static_cast<qint64>(ids->size()));
    auto edges = computeEdges(store, filter, EdgeDimension::Attachment);
    QVERIFY(edges.ok());
}

void TestColumnFilter::sessionStoreRebuildsColumns()
{
    // A store filled from a session file never saw the writer's batches: its columns are rebuilt
    // from its rows (columns_rebuild.h), then they answer, the same (tst_sessioncolumns has more).
    auto created = Store::create();
    QVERIFY(created.ok());
    Store& loaded = *created.value();
    QCOMPARE(loadBuffer(loaded, kOddLines, QStringLiteral("odd.log"), LoadOptions{}).outcome, Outcome::Ok);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("s.flowlog"));
    QVERIFY(saveSession(loaded, SessionData{}, path).ok());
    auto opened = openSession(path);
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
    const Store& store = *opened->store;
    QVERIFY(waitForColumns(store).ok());
    const Store* const stores[] = {&loaded, &store};
    for (const Store* s : stores) {
        bool used = false;
        auto count = countMatching(*s, QStringLiteral("drops"), nullptr, &used);
        QVERIFY(count.ok());
        QVERIFY(used);
        QCOMPARE(count.value(), qint64{1});
        auto edges = computeEdges(*s, QStringLiteral("drops"), EdgeDimension::Attachment);
        QVERIFY(edges.ok());
        QCOMPARE(edges->size(), size_t{1});
        QCOMPARE(edges->front().lost[0], qint64{70000});
    }
}

QTEST_GUILESS_MAIN(TestColumnFilter)
#include "tst_column_filter.moc"
