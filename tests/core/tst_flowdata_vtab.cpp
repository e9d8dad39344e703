// flow_data as a virtual table over the typed columns (core/store/store_vtab.cpp) against the
// real table it replaced, kept reachable as the oracle (Store::Impl::useFlowDataTable): the same
// logs (TGW default, VPC custom with packet addresses, IPv6, huge values, NULLs, extras, rejected
// lines, several files and loads) and hand-made batches (negative and extreme values, every
// address encoding) give the same rows, column for column and type for type, through flow_data
// and flows; rowid lookups and ranges of every kind of bound; a cancelled load leaves exactly the
// earlier rows; save and open give the same rows; writes through SQL are refused.
#include "core/ingest/loader.h"
#include "core/sessionfile/sessionfile.h"
#include "core/store/store.h"
#include "core/store/store_impl.h"
#include "tests/hostiletestutil.h"
#include "tests/storetestutil.h"

#include <QTemporaryDir>
#include <QTest>

#include <limits>
#include <mutex>
#include <utility>

using namespace core;

namespace {

using hostiletest::kTgwHeader; // the TGW default header (tests/hostiletestutil.h)

QByteArray tgwLine(int i, const char* direction, const QByteArray& src, const QByteArray& bytes)
{
    return "6 TransitGateway 123456789012 tgw-0123456789abcdef0 tgw-attach-0aaaaaaaaaaaaaaa" + QByteArray::number(i % 3)
           + " 123456789012 210987654321 vpc-0aaaaaaaaaaaaaaaa vpc-0bbbbbbbbbbbbbbbb subnet-0aaaaaaaaaaaaaaaa "
             "subnet-0bbbbbbbbbbbbbbbb eni-0aaaaaaaaaaaaaaaa eni-0bbbbbbbbbbbbbbbb use1-az1 use1-az2 "
             "tgw-attach-0bbbbbbbbbbbbbbbb "
           + src + " 10.1.2." + QByteArray::number(i % 250) + " " + QByteArray::number(40000 + i) + " 443 6 "
           + QByteArray::number(i + 1) + " " + bytes + " " + QByteArray::number(1700000000 + i) + " "
           + QByteArray::number(1700000060 + i) + " OK IPv4 0 " + QByteArray::number(i % 2) + " 0 0 " + QByteArray::number(i % 64)
           + " us-east-1 " + direction + " - " + (i % 5 == 0 ? "S3" : "-") + "\n";
}

/// TGW default: both directions (twins), NODATA with '-' everywhere, a bytes value over 2^32,
/// the top IPv4 addresses (kept wide in the columns), a rejected line in the middle.
QByteArray tgwLog()
{
    QByteArray data = kTgwHeader;
    for (int i = 0; i < 40; ++i) {
        const QByteArray src = i == 7 ? "255.255.255.255" : i == 8 ? "255.255.255.254" : "10.0.1." + QByteArray::number(i);
        data += tgwLine(i, i % 2 ? "egress" : "ingress", src, i == 3 ? "9000000000" : QByteArray::number(i * 100));
        if (i == 20) data += "6 TransitGateway not enough fields\n";
    }
    data += "6 TransitGateway 123456789012 tgw-0123456789abcdef0 tgw-attach-0aaaaaaaaaaaaaaaa - - - - - - - - - - - "
            "- - - - - - - 1700000000 1700000060 NODATA - - - - - - us-east-1 - - -\n";
    return data;
}

/// VPC custom format: packet addresses (IPv4 and IPv6, NULL), IPv6 source addresses, version and
/// traffic-path varying, huge packets and bytes (up to 2^63-1), two unknown fields (extras) with
/// '-' in some rows, a non-canonical address kept as written.
QByteArray vpcLog()
{
    QByteArray data = "version account-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr srcport dstport protocol "
                      "packets bytes start end action log-status traffic-path my-tag other-thing\n";
    for (int i = 0; i < 30; ++i) {
        const QByteArray src = i % 4 == 0 ? "2001:db8::" + QByteArray::number(i, 16) : "10.2.0." + QByteArray::number(i);
        const QByteArray pkt = i % 3 == 0 ? "-" : i % 3 == 1 ? "192.168.0." + QByteArray::number(i) : "fe80::1";
        data += QByteArray::number(i % 2 ? 5 : 3) + " 123456789012 eni-0123456789abcdef" + QByteArray::number(i % 4) + " " + src
                + " 10.3.0.1 " + pkt + " " + (i % 5 == 0 ? "-" : "10.9.9.9") + " " + QByteArray::number(1024 + i) + " "
                + (i % 6 == 0 ? "-" : "22") + " 6 " + (i == 2 ? "9223372036854775807" : QByteArray::number(i)) + " "
                + (i == 4 ? "4294967296" : QByteArray::number(i * 64)) + " " + QByteArray::number(1700000000 + i) + " "
                + QByteArray::number(1700000030 + i) + (i % 3 ? " ACCEPT OK " : " REJECT OK ")
                + (i % 7 == 0 ? "-" : QByteArray::number(i % 8)) + " " + (i % 2 ? "tag-" + QByteArray::number(i) : "-") + " "
                + (i == 9 ? "x" : "-") + "\n";
    }
    return data;
}

/// VPC default (no extras): loaded after vpcLog, it gives NULL extras to its rows.
QByteArray vpcDefaultLog()
{
    QByteArray data = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
                      "log-status\n";
    for (int i = 0; i < 10; ++i)
        data += "2 123456789012 eni-0123456789abcdef0 10.4.0." + QByteArray::number(i) + " 10.5.0.1 " + QByteArray::number(80 + i)
                + " 443 17 1 " + QByteArray::number(i) + " 1700000100 1700000160 ACCEPT OK\n";
    return data;
}

using storetest::newStore;

/// Every row of `sql`, each value tagged with its SQLite type ("I:5", "T:abc", "N", "R:2.5").
QStringList rows(const Store& store, const QString& sql, const QVariantList& params = {})
{
    QStringList out;
    auto st = store.prepare(sql);
    if (!st.ok()) return {QStringLiteral("<prepare: %1>").arg(st.error().message)};
    st->bindAll(params);
    while (st->next()) {
        QStringList row;
        for (int i = 0; i < st->columnCount(); ++i) {
            const QVariant v = st->value(i);
            if (v.isNull()) row << QStringLiteral("N");
            else if (v.typeId() == QMetaType::LongLong) row << QStringLiteral("I:") + QString::number(v.toLongLong());
            else if (v.typeId() == QMetaType::Double) row << QStringLiteral("R:") + QString::number(v.toDouble(), 'g', 17);
            else row << QStringLiteral("T:") + v.toString();
        }
        out << row.join(QLatin1Char('|'));
    }
    if (!st->error().isEmpty()) out << QStringLiteral("<step: %1>").arg(st->error());
    return out;
}

/// A hand-made batch of `n` rows from file `fileId`, lines from `firstLine` (a gap after row 3),
/// every int slot and address slot set from `seed` with extreme values mixed in, NULLs on a
/// pattern, and extras 0..extras-1.
RowBatch makeBatch(int n, qint64 fileId, qint64 firstLine, int64_t seed, int extras)
{
    const SchemaSlots& schema = SchemaSlots::get();
    static const int64_t kInts[] = {0,
                                    1,
                                    -1,
                                    65534,
                                    65535,
                                    65536,
                                    254,
                                    255,
                                    4294967294,
                                    4294967295,
                                    int64_t{1} << 32,
                                    std::numeric_limits<int64_t>::max(),
                                    std::numeric_limits<int64_t>::min(),
                                    -4294967296};
    static const int64_t kAddrs[] = {-(int64_t{1} << 31),    0,
                                     (int64_t{1} << 31) - 3, (int64_t{1} << 31) - 2,
                                     (int64_t{1} << 31) - 1, int64_t{1} << 31,
                                     (int64_t{1} << 31) + 5, std::numeric_limits<int64_t>::min(),
                                     -(int64_t{1} << 31) - 1};
    RowBatch b;
    b.extraColumns = extras;
    for (int r = 0; r < n; ++r) {
        PackedRow row;
        row.fileId = fileId;
        row.line = firstLine + r + (r > 3 ? 5 : 0);
        row.ctx = 0;
        const int64_t k = seed + r;
        for (size_t i = 0; i < schema.intFields.size(); ++i) {
            if ((k + static_cast<int64_t>(i)) % 5 == 0) continue; // NULL
            row.intPresent |= uint64_t{1} << i;
            row.ints[i] = kInts[static_cast<size_t>(k * 7 + static_cast<int64_t>(i)) % std::size(kInts)];
        }
        for (size_t i = 0; i < schema.addrFields.size(); ++i) {
            if ((k + static_cast<int64_t>(i)) % 4 == 0) continue;
            row.addrPresent |= uint32_t{1} << i;
            row.addrs[i] = kAddrs[static_cast<size_t>(k * 3 + static_cast<int64_t>(i)) % std::size(kAddrs)];
        }
        row.extraBegin = static_cast<uint32_t>(b.extras.size());
        for (int e = 0; e < extras; ++e) {
            if ((k + e) % 3 == 0) continue;
            b.extras.emplace_back(e, static_cast<uint32_t>(1 + (k * 13 + e) % 1000));
            ++row.extraCount;
        }
        b.rows.push_back(row);
    }
    return b;
}

/// Inserts `batches` as one load through the writer; rolls it back instead of committing when
/// `cancel`.
bool insertLoad(Store& store, const std::vector<RowBatch>& batches, bool cancel = false)
{
    Store::Impl& impl = store.impl();
    std::lock_guard<std::mutex> lock(impl.writeLock());
    if (!impl.beginLoad().ok()) return false;
    for (const RowBatch& b : batches)
        if (!impl.insertBatch(b).ok()) return false;
    return cancel ? impl.rollbackLoad().ok() : impl.commitLoad().ok();
}

const QString kAllRows = QStringLiteral("SELECT * FROM flow_data ORDER BY id");
const QString kAllFlows = QStringLiteral("SELECT * FROM flows ORDER BY id");

} // namespace

class TestFlowDataVtab : public QObject {
    Q_OBJECT

    /// The same logs in a virtual-table store and a real-table one.
    std::pair<std::unique_ptr<Store>, std::unique_ptr<Store>> loadedPair(const QList<QByteArray>& logs)
    {
        auto v = newStore(true);
        auto t = newStore(false);
        if (!v || !t) return {};
        for (int i = 0; i < logs.size(); ++i) {
            const QString name = QStringLiteral("log%1.log").arg(i);
            const LoadReport a = loadBuffer(*v, logs[i], name, LoadOptions{});
            const LoadReport b = loadBuffer(*t, logs[i], name, LoadOptions{});
            if (a.outcome != Outcome::Ok || b.outcome != Outcome::Ok || a.records != b.records) return {};
        }
        return {std::move(v), std::move(t)};
    }

private Q_SLOTS:
    void sparseColumn_data()
    {
        QTest::addColumn<qint64>("bias");
        QTest::addColumn<QList<QVariant>>("values"); // null QVariant = NULL
        QTest::addColumn<int>("truncateTo");
        const QVariant null;
        const qint64 wide = qint64(1) << 40, big = std::numeric_limits<qint64>::max();
        const qint64 addrBias = qint64(1) << 31;
        QTest::newRow("all NULL") << qint64(0) << QList<QVariant>{null, null, null} << 1;
        QTest::newRow("constant") << qint64(0) << QList<QVariant>{6, 6, 6, 6} << 2;
        QTest::newRow("NULLs then a value") << qint64(0) << QList<QVariant>{null, null, null, 5, null} << 4;
        QTest::newRow("constant then NULL") << qint64(0) << QList<QVariant>{6, 6, 6, null, 6} << 3;
        QTest::newRow("wide constant then another") << qint64(0) << QList<QVariant>{wide, wide, wide, 1, wide} << 2;
        QTest::newRow("negative constant then another") << qint64(0) << QList<QVariant>{-1, -1, 0, -1} << 0;
        QTest::newRow("sentinel neighbours")
            << qint64(0)
            << QList<QVariant>{qint64(4294967293), qint64(4294967294), qint64(4294967295), qint64(4294967296), big, -big - 1}
            << 5;
        QTest::newRow("address bias") << addrBias << QList<QVariant>{-addrBias,    -addrBias, addrBias - 3,  addrBias - 2,
                                                                     addrBias - 1, addrBias,  -addrBias - 1, null}
                                      << 6;
    }
    void sparseColumn()
    {
        QFETCH(qint64, bias);
        QFETCH(QList<QVariant>, values);
        QFETCH(int, truncateTo);
        SparseColumn c(bias);
        auto check = [&](int rows, const char* when) {
            QCOMPARE(int(c.size()), rows);
            for (int r = 0; r < rows; ++r) {
                const std::optional<int64_t> v = c.value(static_cast<size_t>(r));
                const QVariant& want = values[r];
                QVERIFY2(v.has_value() == !want.isNull(), when);
                if (v) QCOMPARE(qint64(*v), want.toLongLong());
            }
        };
        for (const QVariant& v : values) c.append(v.isNull() ? std::nullopt : std::optional<int64_t>(v.toLongLong()));
        check(int(values.size()), "after appending");
        c.truncate(static_cast<size_t>(truncateTo));
        check(truncateTo, "after truncating");
        // Appending again after the cut gives the same values as appending them in the first place.
        for (int r = truncateTo; r < values.size(); ++r)
            c.append(values[r].isNull() ? std::nullopt : std::optional<int64_t>(values[r].toLongLong()));
        check(int(values.size()), "after appending again");
    }

    void lineColumn()
    {
        // Runs: file 1 lines 2..5, a gap (7), file 2 from line 1, file 1 again, one line each.
        const QList<QPair<qint64, qint64>> rows{{1, 2}, {1, 3}, {1, 4}, {1, 5}, {1, 7}, {1, 8},
                                                {2, 1}, {2, 2}, {1, 9}, {3, 1}, {3, 1}, {3, 0}};
        LineColumn c;
        for (const auto& [file, line] : rows) c.append(file, line);
        QCOMPARE(int(c.size()), int(rows.size()));
        size_t hint = 0;
        for (int pass = 0; pass < 2; ++pass) // in order (hint hits), then backwards (binary search)
            for (int i = 0; i < rows.size(); ++i) {
                const int r = pass == 0 ? i : int(rows.size()) - 1 - i;
                hint = c.runOf(static_cast<size_t>(r), hint);
                QCOMPARE(qint64(c.fileId(hint)), rows[r].first);
                QCOMPARE(qint64(c.line(hint, static_cast<size_t>(r))), rows[r].second);
            }
        c.truncate(5);
        QCOMPARE(int(c.size()), 5);
        c.append(1, 8); // continues the run cut at row 5
        QCOMPARE(qint64(c.line(c.runOf(5), 5)), qint64(8));
        QCOMPARE(qint64(c.line(c.runOf(4), 4)), qint64(7));
    }

    void kinds()
    {
        auto v = newStore(true);
        auto t = newStore(false);
        QVERIFY(v && t);
        QVERIFY(v->impl().flowDataVirtual());
        QVERIFY(!t->impl().flowDataVirtual());
        // Same declared columns (names, types, primary key) as the table.
        const QString info = QStringLiteral("SELECT name, type, pk FROM pragma_table_info('flow_data') ORDER BY cid");
        QCOMPARE(rows(*v, info), rows(*t, info));
        QVERIFY(rows(*v, info).size() > 10);
    }

    void sameRowsAsTheTable_data()
    {
        QTest::addColumn<QList<QByteArray>>("logs");
        QTest::addColumn<int>("extras");
        QTest::newRow("TGW default") << QList<QByteArray>{tgwLog()} << 0;
        QTest::newRow("VPC custom, pkt addresses, IPv6, extras") << QList<QByteArray>{vpcLog()} << 2;
        QTest::newRow("three files, extras added by the second") << QList<QByteArray>{vpcDefaultLog(), vpcLog(), tgwLog()} << 2;
        QTest::newRow("extras, then a file without") << QList<QByteArray>{vpcLog(), vpcDefaultLog()} << 2;
    }
    void sameRowsAsTheTable()
    {
        QFETCH(QList<QByteArray>, logs);
        QFETCH(int, extras);
        auto [v, t] = loadedPair(logs);
        QVERIFY(v && t);
        QVERIFY(v->impl().flowDataVirtual());
        QCOMPARE(int(v->extraColumns().size()), extras);
        const QStringList expected = rows(*t, kAllRows);
        QVERIFY(expected.size() > 10);
        QCOMPARE(rows(*v, kAllRows), expected);
        QCOMPARE(rows(*v, kAllFlows), rows(*t, kAllFlows));
        QCOMPARE(rows(*v, QStringLiteral("SELECT * FROM flows_x ORDER BY id")),
                 rows(*t, QStringLiteral("SELECT * FROM flows_x ORDER BY id")));
        QCOMPARE(v->recordCount(), t->recordCount());
        // The cold values cost nothing while constant: file_id and line are a few runs.
        QVERIFY(v->impl().typedColumns().holdsEveryValue());
        QVERIFY(!t->impl().typedColumns().holdsEveryValue());
    }

    void extremeValues()
    {
        // Every int and address slot, negative and 2^63-1 values, the sentinels' neighbours,
        // line gaps, extras appearing in the second load.
        auto v = newStore(true);
        auto t = newStore(false);
        QVERIFY(v && t);
        for (Store* s : {v.get(), t.get()}) {
            QVERIFY(insertLoad(*s, {makeBatch(50, 1, 2, 0, 0), makeBatch(30, 1, 60, 50, 0)}));
            QVERIFY(insertLoad(*s, {makeBatch(40, 2, 2, 80, 3), makeBatch(40, 3, 1, 120, 5)}));
        }
        const QStringList expected = rows(*t, kAllRows);
        QCOMPARE(expected.size(), 160);
        QCOMPARE(rows(*v, kAllRows), expected);
        QCOMPARE(rows(*v, kAllFlows), rows(*t, kAllFlows));
    }

    void rowidLookups_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QVariantList>("params");
        const QString sel = QStringLiteral("SELECT id, line, file_id, bytes FROM flow_data WHERE ");
        auto row = [&](const char* name, const QString& where, const QVariantList& params = {}) {
            QTest::newRow(name) << sel + where << params;
        };
        row("id = 1", QStringLiteral("id = 1"));
        row("id = last", QStringLiteral("id = 60"));
        row("id = past the end", QStringLiteral("id = 61"));
        row("id = 0", QStringLiteral("id = 0"));
        row("id = negative", QStringLiteral("id = -3"));
        row("id = NULL", QStringLiteral("id = NULL"));
        row("id IS NULL", QStringLiteral("id IS NULL"));
        row("id IS 5", QStringLiteral("id IS 5"));
        row("id = ?1 bound", QStringLiteral("id = ?1"), {qint64(7)});
        row("id = ?1 bound NULL", QStringLiteral("id = ?1"), {QVariant()});
        row("id = text number", QStringLiteral("id = '5'"));
        row("id = text number bound", QStringLiteral("id = ?1"), {QStringLiteral("5")});
        row("id = text", QStringLiteral("id = 'abc'"));
        row("id = 5.0", QStringLiteral("id = 5.0"));
        row("id = 5.5", QStringLiteral("id = 5.5"));
        row("id = huge", QStringLiteral("id = 9223372036854775807"));
        row("id = -huge", QStringLiteral("id = -9223372036854775808"));
        row("id = 1e300", QStringLiteral("id = 1e300"));
        row("rowid = 3", QStringLiteral("rowid = 3"));
        row("id IN", QStringLiteral("id IN (3, 1, 99, -1, NULL, 60) ORDER BY id"));
        row("id IN subquery", QStringLiteral("id IN (SELECT id FROM files) ORDER BY id"));
        row("id > 55", QStringLiteral("id > 55"));
        row("id >= 55", QStringLiteral("id >= 55"));
        row("id < 3", QStringLiteral("id < 3"));
        row("id <= 3", QStringLiteral("id <= 3"));
        row("range", QStringLiteral("id >= 10 AND id < 14"));
        row("range reversed", QStringLiteral("id > 14 AND id < 10"));
        row("BETWEEN negative", QStringLiteral("id BETWEEN -5 AND 2"));
        row("real bounds", QStringLiteral("id > 2.5 AND id <= 6.5"));
        row("real bounds strict", QStringLiteral("id >= 2.5 AND id < 6.0"));
        row("huge bounds", QStringLiteral("id > -9223372036854775808 AND id < 9223372036854775807 AND id < 4"));
        row("bound past the end", QStringLiteral("id > 1e300"));
        row("bound before the start", QStringLiteral("id < -1e300"));
        row("text bound above", QStringLiteral("id > 'abc'"));
        row("text bound below", QStringLiteral("id < 'abc' AND id < 3"));
        row("text number bound", QStringLiteral("id > '57'"));
        row("NULL bound", QStringLiteral("id > NULL"));
        row("bound parameters", QStringLiteral("id > ?1 AND id <= ?2"), {qint64(20), qint64(23)});
        row("two lower bounds", QStringLiteral("id > 3 AND id > 50"));
        row("desc", QStringLiteral("id > 50 ORDER BY id DESC"));
        row("desc limit", QStringLiteral("1 ORDER BY id DESC LIMIT 2"));
        row("asc limit offset", QStringLiteral("1 ORDER BY id LIMIT 3 OFFSET 4"));
        row("max", QStringLiteral("id = (SELECT max(id) FROM flow_data)"));
        row("other column", QStringLiteral("bytes > 1000 AND id < 30"));
        row("rowid and id", QStringLiteral("rowid > 50 AND id < 53"));
        row("join on id", QStringLiteral("id IN (SELECT d.id + 1 FROM flow_data AS d WHERE d.id < 4) ORDER BY 1"));
    }
    void rowidLookups()
    {
        QFETCH(QString, sql);
        QFETCH(QVariantList, params);
        auto v = newStore(true);
        auto t = newStore(false);
        QVERIFY(v && t);
        for (Store* s : {v.get(), t.get()}) QVERIFY(insertLoad(*s, {makeBatch(60, 1, 2, 0, 1)}));
        const QStringList expected = rows(*t, sql, params);
        QVERIFY2(expected.isEmpty() || !expected.first().startsWith(QLatin1Char('<')), qPrintable(expected.join(u'\n')));
        QCOMPARE(rows(*v, sql, params), expected);
        // The same through the view and user SQL.
        QString viewSql = sql;
        viewSql.replace(QStringLiteral("FROM flow_data"), QStringLiteral("FROM flows"));
        QCOMPARE(rows(*v, viewSql, params), rows(*t, viewSql, params));
    }

    void cancelledLoadLeavesTheEarlierRows()
    {
        auto v = newStore(true);
        auto t = newStore(false);
        QVERIFY(v && t);
        for (Store* s : {v.get(), t.get()}) QVERIFY(insertLoad(*s, {makeBatch(30, 1, 2, 0, 0)}));
        const QStringList before = rows(*t, kAllRows);
        const QStringList beforeFlows = rows(*v, kAllFlows);
        // A load adding rows and extras, rolled back: exactly the earlier rows and columns remain.
        QVERIFY(insertLoad(*v, {makeBatch(20, 2, 2, 30, 2), makeBatch(20, 2, 30, 50, 4)}, true));
        QCOMPARE(v->recordCount(), 30);
        QCOMPARE(v->impl().typedColumns().rows(), size_t(30));
        QCOMPARE(int(v->extraColumns().size()), 0);
        QCOMPARE(rows(*v, kAllRows), before);
        QCOMPARE(rows(*v, kAllFlows), beforeFlows);
        QCOMPARE(rows(*v, QStringLiteral("SELECT count(*) FROM flow_data WHERE id > 30")), QStringList{QStringLiteral("I:0")});
        // The next load takes the freed ids, as the table does.
        for (Store* s : {v.get(), t.get()}) QVERIFY(insertLoad(*s, {makeBatch(10, 3, 2, 70, 1)}));
        QCOMPARE(rows(*v, kAllRows), rows(*t, kAllRows));
        QCOMPARE(rows(*v, kAllFlows), rows(*t, kAllFlows));
    }

    void cancelledLoaderRun()
    {
        // Through the real loader: cancelled by its flag once records are in. The load must last
        // past one progress call, so the log grows until a cancel lands.
        for (int records = 20000; records <= 2560000; records *= 2) {
            auto [v, t] = loadedPair({vpcDefaultLog()});
            QVERIFY(v && t);
            const QStringList before = rows(*t, kAllRows);
            QByteArray big = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
                             "action log-status extra-one\n";
            for (int i = 0; i < records; ++i)
                big += "2 123456789012 eni-0123456789abcdef0 10.6.0.1 10.7.0.1 1 2 6 1 " + QByteArray::number(i)
                       + " 1700000000 1700000060 ACCEPT OK x\n";
            std::atomic<bool> cancel{false};
            LoadOptions options;
            options.read.cancel = &cancel;
            options.progress = [&](const LoadProgress& p) {
                if (p.records > 0) cancel = true;
            };
            const LoadReport r = loadBuffer(*v, big, QStringLiteral("big.log"), options);
            if (r.outcome == Outcome::Ok) continue; // finished before a progress call saw records
            QCOMPARE(r.outcome, Outcome::Cancelled);
            QCOMPARE(rows(*v, kAllRows), before);
            QCOMPARE(v->recordCount(), 10);
            QCOMPARE(int(v->extraColumns().size()), 0);
            QCOMPARE(v->files().size(), size_t(1));
            return;
        }
        QFAIL("no cancel landed while records were loading");
    }

    void saveAndOpen_data()
    {
        QTest::addColumn<QList<QByteArray>>("logs");
        QTest::newRow("TGW default") << QList<QByteArray>{tgwLog()};
        QTest::newRow("VPC custom with extras, then default") << QList<QByteArray>{vpcLog(), vpcDefaultLog()};
    }
    void saveAndOpen()
    {
        QFETCH(QList<QByteArray>, logs);
        auto [v, t] = loadedPair(logs);
        QVERIFY(v && t);
        QTemporaryDir dir;
        const QString fromVirtual = dir.filePath(QStringLiteral("v.flowlog"));
        const QString fromTable = dir.filePath(QStringLiteral("t.flowlog"));
        QVERIFY(saveSession(*v, SessionData{}, fromVirtual).ok());
        QVERIFY(saveSession(*t, SessionData{}, fromTable).ok());
        QVERIFY(v->impl().flowDataVirtual()); // saving leaves the live store as it was
        QCOMPARE(rows(*v, kAllRows), rows(*t, kAllRows));
        for (const QString& path : {fromVirtual, fromTable}) {
            auto opened = openSession(path);
            QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
            // A virtual store is saved in format 4 and opens virtual again (its columns restored);
            // a store with the real table is saved in format 3 and keeps the real table.
            QCOMPARE(opened->store->impl().flowDataVirtual(), path == fromVirtual);
            QCOMPARE(rows(*opened->store, kAllRows), rows(*t, kAllRows));
            QCOMPARE(rows(*opened->store, kAllFlows), rows(*v, kAllFlows));
            // More files on top of an opened session: into its columns or its real table.
            const LoadReport more = loadBuffer(*opened->store, vpcLog(), QStringLiteral("more.log"), LoadOptions{});
            QCOMPARE(more.outcome, Outcome::Ok);
            QCOMPARE(opened->store->recordCount(), t->recordCount() + more.records);
        }
    }

    void writesRefused_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::newRow("DELETE") << QStringLiteral("DELETE FROM flow_data");
        QTest::newRow("DELETE with comment") << QStringLiteral("/* x */ -- y\n delete FROM flow_data WHERE id = 1");
        QTest::newRow("UPDATE") << QStringLiteral("UPDATE flow_data SET line = 1");
        QTest::newRow("INSERT") << QStringLiteral("INSERT INTO flow_data(id) VALUES(99)");
        QTest::newRow("REPLACE") << QStringLiteral("REPLACE INTO flow_data(id) VALUES(1)");
        QTest::newRow("WITH DELETE") << QStringLiteral("WITH x AS (SELECT 1) DELETE FROM flow_data");
        QTest::newRow("DROP") << QStringLiteral("DROP TABLE flow_data");
        QTest::newRow("ALTER") << QStringLiteral("ALTER TABLE flow_data ADD COLUMN x");
    }
    void writesRefused()
    {
        QFETCH(QString, sql);
        auto v = newStore(true);
        QVERIFY(v);
        QVERIFY(insertLoad(*v, {makeBatch(5, 1, 2, 0, 0)}));
        auto st = v->prepareUserQuery(sql);
        QVERIFY(!st.ok());
        QVERIFY2(st.error().message.contains(QLatin1String("not allowed")), qPrintable(st.error().message));
        // Even trusted SQL cannot write the columns: the module has no xUpdate.
        if (!sql.startsWith(QLatin1String("DROP")) && !sql.startsWith(QLatin1String("ALTER"))) QVERIFY(!v->exec(sql).ok());
        QCOMPARE(v->recordCount(), 5);
        // Reading is allowed.
        auto read = v->prepareUserQuery(QStringLiteral("SELECT count(*), sum(line) FROM flow_data WHERE id > 2"));
        QVERIFY2(read.ok(), qPrintable(read.ok() ? QString() : read.error().message));
        QVERIFY(read->next());
        QCOMPARE(read->int64(0), 3);
    }
};

QTEST_GUILESS_MAIN(TestFlowDataVtab)
#include "tst_flowdata_vtab.moc"
