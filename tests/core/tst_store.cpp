// Store: schema contract of `flows`, NULLs and types, extras, files table, and the read-only
// gate for user SQL.
#include "core/ingest/loader.h"
#include "core/store/store.h"

#include <QTest>

#include <utility>

using namespace core;

namespace {

const char* kTgwIngress = "6 TransitGateway 123456789012 tgw-0123456789abcdef0 tgw-attach-0aaaaaaaaaaaaaaaa 123456789012 "
                          "210987654321 vpc-0aaaaaaaaaaaaaaaa vpc-0bbbbbbbbbbbbbbbb subnet-0aaaaaaaaaaaaaaaa "
                          "subnet-0bbbbbbbbbbbbbbbb "
                          "eni-0aaaaaaaaaaaaaaaa eni-0bbbbbbbbbbbbbbbb use1-az1 use1-az2 tgw-attach-0bbbbbbbbbbbbbbbb 10.0.1.5 "
                          "10.1.2.7 49152 443 6 10 5000 1700000000 1700000060 OK IPv4 0 0 0 0 19 us-east-1 ingress - -\n";

const char* kTgwNoData = "6 TransitGateway 123456789012 tgw-0123456789abcdef0 tgw-attach-0aaaaaaaaaaaaaaaa - - - - - - - - - - - "
                         "- - - - - - - 1700000000 1700000060 NODATA - - - - - - us-east-1 - - -\n";

std::unique_ptr<Store> makeStore(const QByteArray& data, const QString& name = QStringLiteral("buf.log"))
{
    auto created = Store::create();
    if (!created.ok()) return nullptr;
    std::unique_ptr<Store> store = std::move(created.value());
    const LoadReport r = loadBuffer(*store, data, name, LoadOptions{});
    if (r.outcome != Outcome::Ok) return nullptr;
    return store;
}

QVariant scalar(const Store& store, const QString& sql)
{
    auto st = store.prepare(sql);
    if (!st.ok() || !st->next()) return QStringLiteral("<error>");
    return st->value(0);
}

} // namespace

class TestStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void emptyStore()
    {
        auto created = Store::create();
        QVERIFY(created.ok());
        QCOMPARE(created.value()->recordCount(), 0);
        QVERIFY(created.value()->files().empty());
    }

    void columnsMatchContract()
    {
        auto created = Store::create();
        QVERIFY(created.ok());
        const Store& store = *created.value();
        QStringList expected{QStringLiteral("id"), QStringLiteral("file_id"), QStringLiteral("line")};
        for (const FieldInfo& f : allFields()) expected << QLatin1String(f.column);
        expected << QStringLiteral("twin_id");
        QCOMPARE(store.columns(), expected);
        auto st = store.prepare(QStringLiteral("SELECT * FROM flows"));
        QVERIFY(st.ok());
        QStringList actual;
        for (int i = 0; i < st->columnCount(); ++i) actual << st->columnName(i);
        QCOMPARE(actual, expected);
    }

    void valuesAndTypes_data()
    {
        QTest::addColumn<QString>("column");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QVariant>("value");
        QTest::newRow("version") << "version"
                                 << "integer" << QVariant(qint64(6));
        QTest::newRow("resource_type") << "resource_type"
                                       << "text" << QVariant(QStringLiteral("TransitGateway"));
        QTest::newRow("attachment") << "tgw_attachment_id"
                                    << "text" << QVariant(QStringLiteral("tgw-attach-0aaaaaaaaaaaaaaaa"));
        QTest::newRow("pair") << "tgw_pair_attachment_id"
                              << "text" << QVariant(QStringLiteral("tgw-attach-0bbbbbbbbbbbbbbbb"));
        QTest::newRow("srcaddr") << "srcaddr"
                                 << "text" << QVariant(QStringLiteral("10.0.1.5"));
        QTest::newRow("dstaddr") << "dstaddr"
                                 << "text" << QVariant(QStringLiteral("10.1.2.7"));
        QTest::newRow("dstport") << "dstport"
                                 << "integer" << QVariant(qint64(443));
        QTest::newRow("bytes") << "bytes"
                               << "integer" << QVariant(qint64(5000));
        QTest::newRow("end (keyword)") << "\"end\""
                                       << "integer" << QVariant(qint64(1700000060));
        QTest::newRow("lost zero") << "packets_lost_mtu_exceeded"
                                   << "integer" << QVariant(qint64(0));
        QTest::newRow("tcp_flags") << "tcp_flags"
                                   << "integer" << QVariant(qint64(19));
        QTest::newRow("dash service is NULL") << "pkt_src_aws_service"
                                              << "null" << QVariant();
        QTest::newRow("absent v2 field is NULL") << "interface_id"
                                                 << "null" << QVariant();
        QTest::newRow("absent address is NULL") << "pkt_srcaddr"
                                                << "null" << QVariant();
        QTest::newRow("line") << "line"
                              << "integer" << QVariant(qint64(1));
        QTest::newRow("file_id") << "file_id"
                                 << "integer" << QVariant(qint64(1));
        QTest::newRow("no twin") << "twin_id"
                                 << "null" << QVariant();
    }
    void valuesAndTypes()
    {
        QFETCH(QString, column);
        QFETCH(QString, type);
        QFETCH(QVariant, value);
        auto store = makeStore(kTgwIngress);
        QVERIFY(store);
        QCOMPARE(store->recordCount(), 1);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT typeof(%1) FROM flows").arg(column)).toString(), type);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT %1 FROM flows").arg(column)), value);
    }

    void noDataRowIsNullNotZero()
    {
        auto store = makeStore(kTgwNoData);
        QVERIFY(store);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT count(*) FROM flows WHERE srcaddr IS NULL AND bytes IS NULL"
                                               " AND packets IS NULL AND log_status = 'NODATA'")),
                 QVariant(qint64(1)));
    }

    void addressesRoundTrip_data()
    {
        QTest::addColumn<QString>("addr");
        QTest::newRow("ipv4") << "192.168.200.1";
        QTest::newRow("ipv4 zero") << "0.0.0.0";
        QTest::newRow("ipv4 max") << "255.255.255.255";
        QTest::newRow("ipv6") << "2600:1f18:abcd::17";
        QTest::newRow("ipv6 full") << "fe80:0:0:0:1ff:fe23:4567:890a";
    }
    void addressesRoundTrip()
    {
        QFETCH(QString, addr);
        const QByteArray line =
            QStringLiteral("2 123456789012 eni-1 %1 10.0.0.1 1 2 6 1 40 1700000000 1700000001 ACCEPT OK\n").arg(addr).toUtf8();
        auto store = makeStore(line);
        QVERIFY(store);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT srcaddr FROM flows")).toString(), addr);
        auto st = store->prepare(QStringLiteral("SELECT count(*) FROM flows WHERE srcaddr = ?1"));
        QVERIFY(st.ok());
        st->bind(1, addr);
        QVERIFY(st->next());
        QCOMPARE(st->int64(0), 1);
    }

    void extrasAndFilesTable()
    {
        const QByteArray data = "version account-id interface-id srcaddr dstaddr my-custom-tag start end\n"
                                "5 123 eni-1 10.0.0.1 10.0.0.2 blue 1700000000 1700000060\n"
                                "5 123 eni-1 10.0.0.1 10.0.0.3 - 1700000000 1700000060\n";
        auto store = makeStore(data, QStringLiteral("custom.log"));
        QVERIFY(store);
        QCOMPARE(store->extraColumns(), QStringList{QStringLiteral("my_custom_tag")});
        QCOMPARE(store->columns().last(), QStringLiteral("my_custom_tag"));
        QCOMPARE(scalar(*store, QStringLiteral("SELECT my_custom_tag FROM flows WHERE id = 1")).toString(),
                 QStringLiteral("blue"));
        QCOMPARE(scalar(*store, QStringLiteral("SELECT typeof(my_custom_tag) FROM flows WHERE id = 2")).toString(),
                 QStringLiteral("null"));
        const auto files = store->files();
        QCOMPARE(files.size(), size_t(1));
        QCOMPARE(files[0].path, QStringLiteral("custom.log"));
        QCOMPARE(files[0].records, 2);
        QCOMPARE(files[0].rejected, 0);
        QVERIFY(!files[0].format.isEmpty());
        QVERIFY(store->memoryBytes() > 0);
    }

    void userQueryRefused_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("message");
        QTest::newRow("attach") << "ATTACH DATABASE '/tmp/x.db' AS x"
                                << "ATTACH is not allowed";
        QTest::newRow("vacuum into") << "VACUUM INTO '/tmp/flowlog_vacuum.db'"
                                     << "read-only";
        QTest::newRow("vacuum") << "VACUUM"
                                << "read-only";
        QTest::newRow("insert") << "INSERT INTO files(path) VALUES('x')"
                                << "INSERT is not allowed";
        QTest::newRow("update") << "UPDATE files SET path = 'x'"
                                << "UPDATE is not allowed";
        QTest::newRow("update schema") << "UPDATE sqlite_master SET sql = 'x'"
                                       << "may not be modified";
        QTest::newRow("delete") << "DELETE FROM flow_data"
                                << "DELETE is not allowed";
        QTest::newRow("drop") << "DROP VIEW flows"
                              << "not allowed";
        QTest::newRow("create") << "CREATE TABLE t(x)"
                                << "not allowed";
        QTest::newRow("create temp") << "CREATE TEMP TABLE t(x)"
                                     << "not allowed";
        QTest::newRow("pragma write") << "PRAGMA journal_mode = WAL"
                                      << "PRAGMA journal_mode is not allowed";
        QTest::newRow("pragma user_version write") << "PRAGMA user_version = 7"
                                                   << "PRAGMA user_version is not allowed";
        QTest::newRow("pragma writable_schema") << "PRAGMA writable_schema"
                                                << "not allowed";
        QTest::newRow("load_extension") << "SELECT load_extension('/tmp/evil.so')"
                                        << "load_extension() is not allowed";
        QTest::newRow("two statements") << "SELECT 1; SELECT 2"
                                        << "Only one SQL statement";
        QTest::newRow("select then delete") << "SELECT 1; DELETE FROM files"
                                            << "Only one SQL statement";
        QTest::newRow("begin") << "BEGIN"
                               << "not allowed";
        QTest::newRow("empty") << "  -- nothing\n"
                               << "empty";
        QTest::newRow("syntax") << "SELEC 1"
                                << "SQL error";
        QTest::newRow("unknown column") << "SELECT nosuchcolumn FROM flows"
                                        << "no such column";
    }
    void userQueryRefused()
    {
        QFETCH(QString, sql);
        QFETCH(QString, message);
        auto store = makeStore(kTgwIngress);
        QVERIFY(store);
        auto st = store->prepareUserQuery(sql);
        QVERIFY(!st.ok());
        QVERIFY2(st.error().message.contains(message, Qt::CaseInsensitive), qPrintable(st.error().message));
        // Nothing changed.
        QCOMPARE(store->recordCount(), 1);
        QCOMPARE(store->files().size(), size_t(1));
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/flowlog_vacuum.db")));
    }

    void userQueryAllowed_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QVariant>("first");
        QTest::newRow("count") << "SELECT count(*) FROM flows" << QVariant(qint64(1));
        QTest::newRow("quoted end") << "SELECT \"end\" - start FROM flows" << QVariant(qint64(60));
        QTest::newRow("group by") << "SELECT tgw_attachment_id, sum(bytes) FROM flows GROUP BY 1"
                                  << QVariant(QStringLiteral("tgw-attach-0aaaaaaaaaaaaaaaa"));
        QTest::newRow("cte") << "WITH t AS (SELECT bytes FROM flows) SELECT max(bytes) FROM t" << QVariant(qint64(5000));
        QTest::newRow("trailing semicolon and comment") << "SELECT 2; -- done" << QVariant(qint64(2));
        QTest::newRow("pragma read") << "PRAGMA table_info(files)" << QVariant(qint64(0));
        QTest::newRow("pragma table function")
            << "SELECT count(*) FROM pragma_table_info('flows')" << QVariant(qint64(3 + kFieldCount + 1));
        QTest::newRow("files") << "SELECT records FROM files" << QVariant(qint64(1));
        QTest::newRow("internal decoders on hostile values")
            << "SELECT count(*) FROM (SELECT fl_addr(-9223372036854775808), fl_addr(9223372036854775807), "
               "fl_text(-1, 0), fl_text(0, 9999), fl_str(-5), fl_twin(-1), fl_etwin(99999999, 1))"
            << QVariant(qint64(1));
    }
    void userQueryAllowed()
    {
        QFETCH(QString, sql);
        QFETCH(QVariant, first);
        auto store = makeStore(kTgwIngress);
        QVERIFY(store);
        auto st = store->prepareUserQuery(sql);
        QVERIFY2(st.ok(), qPrintable(st.ok() ? QString() : st.error().message));
        QVERIFY(st->next());
        QCOMPARE(st->value(0), first);
    }

    void trustedExecAndErrors()
    {
        auto created = Store::create();
        QVERIFY(created.ok());
        Store& store = *created.value();
        QVERIFY(!store.prepare(QStringLiteral("SELECT * FROM nosuchtable")).ok());
        QVERIFY(
            store.prepare(QStringLiteral("SELECT * FROM nosuchtable")).error().message.contains(QStringLiteral("no such table")));
        QVERIFY(!store.exec(QStringLiteral("THIS IS NOT SQL")).ok());
        QVERIFY(store.exec(QStringLiteral("SELECT 1")).ok());
    }
    // Which records pair when several candidates share a twin key (identical records, e.g. a
    // log loaded twice): offered in id order, a record pairs with the earliest waiting record
    // of the other direction; pairs within a load are made before pairs with earlier loads.
    void twinPairingRule_data()
    {
        // loads: one char per record, i ingress or e its egress twin; '|' starts the next load
        QTest::addColumn<QString>("loads");
        QTest::addColumn<QString>("twins"); // twin_id per id, '-' = none
        QTest::newRow("one pair") << "ie"
                                  << "2 1";
        QTest::newRow("egress first") << "ei"
                                      << "2 1";
        QTest::newRow("earliest waiting pairs first") << "iiieeiie"
                                                      << "4 5 8 1 2 - - 3";
        QTest::newRow("surplus stays unpaired") << "iiiee"
                                                << "4 5 - 1 2";
        QTest::newRow("later load pairs with the earliest") << "iii|ee"
                                                            << "4 5 - 1 2";
        QTest::newRow("within a load before earlier loads") << "ii|ie"
                                                            << "- - 4 3";
        QTest::newRow("three loads") << "ii|e|eei"
                                     << "3 5 1 6 2 4";
    }
    void twinPairingRule()
    {
        QFETCH(QString, loads);
        QFETCH(QString, twins);
        QList<QByteArray> f = QByteArray(kTgwIngress).trimmed().split(' ');
        const QByteArray ingress = f.join(' ') + '\n';
        std::swap(f[4], f[15]);
        f[33] = "egress";
        const QByteArray egress = f.join(' ') + '\n';
        auto created = Store::create();
        QVERIFY(created.ok());
        Store& store = *created.value();
        for (const QString& load : loads.split(QLatin1Char('|'))) {
            QByteArray data;
            for (QChar c : load) data += c == QLatin1Char('i') ? ingress : egress;
            QCOMPARE(loadBuffer(store, data, QStringLiteral("dup.log"), LoadOptions{}).outcome, Outcome::Ok);
        }
        auto st = store.prepare(QStringLiteral("SELECT coalesce(twin_id, '-') FROM flows ORDER BY id"));
        QVERIFY(st.ok());
        QStringList actual;
        while (st->next()) actual << st->value(0).toString();
        QCOMPARE(actual.join(QLatin1Char(' ')), twins);
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
