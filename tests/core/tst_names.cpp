#include "core/analysis/aggregate.h"
#include "core/ingest/loader.h"
#include "core/names/names.h"
#include "core/query/filter.h"
#include "core/store/store.h"

#include <QTemporaryDir>

#include "tests/testpaths.h"
#include <QtTest>

using namespace core;

class TestNames : public QObject {
    Q_OBJECT
private:
    static QString data(const char* name) { return testpaths::testData() + QStringLiteral("/names/") + QLatin1String(name); }
    static QString cliData(const char* name) { return testpaths::testData() + QStringLiteral("/cli/") + QLatin1String(name); }

    /// Records of `store` matching `filter` through the compiled SQL; -1 on any error.
    static qint64 countWhere(const Store& store, const QString& filter)
    {
        auto f = compileFilter(filter);
        if (!f.ok()) return -1;
        auto st = store.prepare(QStringLiteral("SELECT count(*) FROM flows WHERE ") + f->where);
        if (!st.ok()) return -1;
        st->bindAll(f->params);
        return st->next() ? st->int64(0) : -1;
    }

    static qint64 scalar(const Store& store, const char* sql)
    {
        auto st = store.prepare(QLatin1String(sql));
        return st.ok() && st->next() ? st->int64(0) : -1;
    }

    /// tests/data/cli/tgw.log (attachments aaa..eee) with names-attachments.json stored
    /// (tgw-attach-aaa "VPC A", tgw-attach-bbb "on-prem, VPN").
    static std::unique_ptr<Store> tgwWithNames()
    {
        auto created = Store::create();
        if (!created.ok()) return {};
        const LoadReport r = loadPaths(*created.value(), {cliData("tgw.log")}, LoadOptions{});
        if (r.records != 5) return {};
        NameDirectory dir;
        if (!loadNamesFile(cliData("names-attachments.json"), dir).ok()) return {};
        if (!storeNames(*created.value(), dir).ok()) return {};
        return std::move(created.value());
    }

    static QStringList edgeLines(const std::vector<Edge>& edges)
    {
        QStringList out;
        for (const Edge& e : edges)
            out << QStringLiteral("%1>%2 %3 %4 %5").arg(e.src, e.dst).arg(e.flows).arg(e.bytes).arg(e.dropped());
        return out;
    }

private Q_SLOTS:
    void attachmentsWithPages()
    {
        NameDirectory dir;
        auto r = loadNamesFile(data("describe-transit-gateway-attachments.json"), dir);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(r->entries, 3);
        QCOMPARE(r->source, QStringLiteral("describe-transit-gateway-attachments"));
        const NameEntry* a = dir.find(QStringLiteral("tgw-attach-0a1b2c3d4e5f60001"));
        QVERIFY(a);
        QCOMPARE(a->name, QStringLiteral("VPC A"));
        QCOMPARE(a->kind, QStringLiteral("vpc"));
        QCOMPARE(a->resourceId, QStringLiteral("vpc-0aaa1111bbbb22220"));
        QCOMPARE(a->routeTableId, QStringLiteral("tgw-rtb-0fedcba9876543210"));
        // missing Tags: no name, label falls back to the id
        QCOMPARE(dir.name(QStringLiteral("tgw-attach-0a1b2c3d4e5f60002")), QString());
        QCOMPARE(dir.label(QStringLiteral("tgw-attach-0a1b2c3d4e5f60002")), QStringLiteral("tgw-attach-0a1b2c3d4e5f60002"));
        // second page (NextToken) read too
        QCOMPARE(dir.label(QStringLiteral("tgw-attach-0a1b2c3d4e5f60003")),
                 QStringLiteral("On-prem DX (tgw-attach-0a1b2c3d4e5f60003)"));
        QCOMPARE(dir.find(QStringLiteral("tgw-attach-0a1b2c3d4e5f60003"))->kind, QStringLiteral("direct-connect-gateway"));
    }

    void enisVpcsFlowLogs()
    {
        NameDirectory dir;
        QVERIFY(loadNamesFile(data("describe-network-interfaces.json"), dir).ok());
        QVERIFY(loadNamesFile(data("describe-vpcs.json"), dir).ok());
        QVERIFY(loadNamesFile(data("describe-flow-logs.json"), dir).ok());
        const NameEntry* eni = dir.find(QStringLiteral("eni-0123456789abcdef0"));
        QVERIFY(eni);
        QCOMPARE(eni->name, QStringLiteral("web-1 eth0"));
        QCOMPARE(eni->instanceId, QStringLiteral("i-0abc1234def567890"));
        QCOMPARE(eni->az, QStringLiteral("us-east-1a"));
        QCOMPARE(dir.eniForAddress(QStringLiteral("10.1.2.4")), QStringLiteral("eni-0123456789abcdef0"));
        QCOMPARE(dir.eniForAddress(QStringLiteral("2600:1f18:abcd::10")), QStringLiteral("eni-0123456789abcdef0"));
        QCOMPARE(dir.eniForAddress(QStringLiteral("10.9.9.9")), QString());
        QCOMPARE(dir.find(QStringLiteral("vpc-0aaa1111bbbb22220"))->cidr, QStringLiteral("10.1.0.0/16,100.64.0.0/16"));
        QCOMPARE(dir.idsForName(QStringLiteral("VPC A")), QStringList{QStringLiteral("vpc-0aaa1111bbbb22220")});
        QCOMPARE(dir.logFormats().value(QStringLiteral("fl-0123456789abcdef0")).left(24),
                 QStringLiteral("${version} ${resource-ty"));
    }

    void badFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::newRow("malformed") << "malformed.json"
                                   << "not valid JSON";
        QTest::newRow("unknown top-level key") << "unknown.json"
                                               << "no known AWS CLI output";
        QTest::newRow("not a list") << "notalist.json"
                                    << "'Vpcs' is not a list";
        QTest::newRow("missing file") << "does-not-exist.json"
                                      << "cannot open";
    }
    void badFiles()
    {
        QFETCH(QString, file);
        QFETCH(QString, message);
        NameDirectory dir;
        QVERIFY(loadNamesFile(data("describe-vpcs.json"), dir).ok());
        const auto before = dir.entries().size();
        auto r = loadNamesFile(data(file.toUtf8().constData()), dir);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(message), qPrintable(r.error().toString()));
        QVERIFY(r.error().file.endsWith(file));
        QCOMPARE(dir.entries().size(), before); // a bad file changes nothing
    }

    void invalidUtf8AndEmpty()
    {
        NameDirectory dir;
        auto empty = parseNamesJson(QByteArray(), QStringLiteral("e.json"), dir);
        QVERIFY(!empty.ok());
        QVERIFY(empty.error().message.startsWith(QStringLiteral("empty file")));
        auto bad = parseNamesJson(QByteArray("{\"Vpcs\": [{\"VpcId\": \"vpc-\xff\xfe\"}]}"), QStringLiteral("u.json"), dir);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message.contains(QStringLiteral("invalid UTF8")), qPrintable(bad.error().toString()));
        QCOMPARE(bad.error().file, QStringLiteral("u.json"));
        QCOMPARE(bad.error().line, 1);
        QVERIFY(dir.isEmpty());
    }

    void loaderSendsDescribeJsonToNames()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(QFile::copy(data("describe-transit-gateway-attachments.json"), dir.filePath(QStringLiteral("attachments.json"))));
        QFile log(dir.filePath(QStringLiteral("flows.log")));
        QVERIFY(log.open(QIODevice::WriteOnly));
        log.write(
            "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
            "2 123456789012 eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 50000 6 10 840 1700000000 1700000060 ACCEPT OK\n");
        log.close();
        auto store = Store::create();
        QVERIFY(store.ok());
        const LoadReport r = loadPaths(**store, {dir.path()}, {});
        QCOMPARE(r.outcome, Outcome::Ok);
        QCOMPARE(r.records, 1);
        QVERIFY2(r.errors.isEmpty(), qPrintable(r.errors.join(QLatin1Char('\n'))));
        QCOMPARE(r.namesFiles.size(), size_t(1));
        QCOMPARE(r.names.name(QStringLiteral("tgw-attach-0a1b2c3d4e5f60001")), QStringLiteral("VPC A"));

        // names only: not a failure, nothing loaded
        auto store2 = Store::create();
        const LoadReport onlyNames = loadPaths(**store2, {data("describe-vpcs.json")}, {});
        QCOMPARE(onlyNames.outcome, Outcome::Ok);
        QCOMPARE(onlyNames.records, 0);
        QCOMPARE(onlyNames.names.entries().size(), size_t(2));

        // a malformed describe file is an error naming the file; the flow log still loads
        QFile bad(dir.filePath(QStringLiteral("broken.json")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{\"Vpcs\": [ {\"VpcId\": ");
        bad.close();
        auto store3 = Store::create();
        const LoadReport withBad = loadPaths(**store3, {dir.path()}, {});
        QCOMPARE(withBad.records, 1);
        QCOMPARE(withBad.errors.size(), 1);
        QVERIFY2(withBad.errors.first().contains(QStringLiteral("broken.json")), qPrintable(withBad.errors.first()));
    }

    void storedInSqlite()
    {
        NameDirectory dir;
        QVERIFY(loadNamesFile(data("describe-transit-gateway-attachments.json"), dir).ok());
        QVERIFY(loadNamesFile(data("describe-network-interfaces.json"), dir).ok());
        auto store = Store::create();
        QVERIFY(store.ok());
        auto s = storeNames(**store, dir);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().toString()));
        auto q = (*store)->prepare(QStringLiteral("SELECT name, kind FROM names WHERE id = ?"));
        QVERIFY(q.ok());
        q->bind(1, QStringLiteral("tgw-attach-0a1b2c3d4e5f60001"));
        QVERIFY(q->next());
        QCOMPARE(q->text(0), QStringLiteral("VPC A"));
        QCOMPARE(q->text(1), QStringLiteral("vpc"));
        auto c = (*store)->prepare(QStringLiteral("SELECT COUNT(*) FROM name_addresses WHERE eni_id = 'eni-0123456789abcdef0'"));
        QVERIFY(c.ok() && c->next());
        QCOMPARE(c->int64(0), 3);
        // storing again replaces, not duplicates
        QVERIFY(storeNames(**store, dir).ok());
        auto n = (*store)->prepare(QStringLiteral("SELECT COUNT(*) FROM names"));
        QVERIFY(n.ok() && n->next());
        QCOMPARE(n->int64(0), 4);
    }

    void newStoreHasEmptyNamesTables()
    {
        // Filters on id fields and CSV name columns read `names`: it exists before any names.
        auto store = Store::create();
        QVERIFY(store.ok());
        QCOMPARE(scalar(**store, "SELECT count(*) FROM names"), 0LL);
        QCOMPARE(scalar(**store, "SELECT count(*) FROM name_addresses"), 0LL);
        QCOMPARE(countWhere(**store, QStringLiteral("attachment == \"VPC A\" or vpc != prod")), 0LL);
        // Storing an empty directory is fine too and keeps the tables.
        QVERIFY(storeNames(**store, NameDirectory{}).ok());
        QCOMPARE(scalar(**store, "SELECT count(*) FROM names"), 0LL);
    }

    void storeNamesReplacesContents()
    {
        auto store = tgwWithNames();
        QVERIFY(store);
        QCOMPARE(countWhere(*store, QStringLiteral("attachment == \"VPC A\"")), 3LL);
        NameDirectory vpcsOnly;
        QVERIFY(loadNamesFile(data("describe-vpcs.json"), vpcsOnly).ok());
        QVERIFY(storeNames(*store, vpcsOnly).ok());
        QCOMPARE(scalar(*store, "SELECT count(*) FROM names"), static_cast<qint64>(vpcsOnly.entries().size()));
        QCOMPARE(scalar(*store, "SELECT count(*) FROM names WHERE id LIKE 'tgw-attach-%'"), 0LL);
        // The old attachment names are gone, so they no longer match.
        QCOMPARE(countWhere(*store, QStringLiteral("attachment == \"VPC A\"")), 0LL);
        QCOMPARE(countWhere(*store, QStringLiteral("attachment == tgw-attach-aaa")), 3LL);
    }

    void filterByNameOnStore_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("attachment name") << "attachment == \"VPC A\"" << 3LL;
        QTest::newRow("name with a comma") << "attachment == \"on-prem, VPN\"" << 2LL;
        QTest::newRow("pair != name") << "tgw-pair-attachment-id != \"on-prem, VPN\"" << 4LL;
        QTest::newRow("in names") << "tgw-attachment-id in {\"VPC A\", \"on-prem, VPN\"}" << 3LL;
        QTest::newRow("unknown name") << "attachment == \"VPC B\"" << 0LL;
        QTest::newRow("id still works") << "attachment == tgw-attach-ccc" << 1LL;
    }

    void filterByNameOnStore()
    {
        QFETCH(QString, filter);
        QFETCH(qint64, expected);
        static std::unique_ptr<Store> store = tgwWithNames();
        QVERIFY(store);
        QCOMPARE(countWhere(*store, filter), expected);
    }

    void aggregationsFilterByName()
    {
        // The aggregations compile the filter twice into one join (aliases f and t): a name filter
        // gives exactly what the same filter on the id gives.
        auto store = tgwWithNames();
        QVERIFY(store);
        const QString byName = QStringLiteral("attachment == \"VPC A\"");
        const QString byId = QStringLiteral("attachment == tgw-attach-aaa");
        auto named = computeEdges(*store, byName, EdgeDimension::Attachment);
        auto plain = computeEdges(*store, byId, EdgeDimension::Attachment);
        QVERIFY2(named.ok(), qPrintable(named.ok() ? QString() : named.error().toString()));
        QVERIFY(plain.ok());
        QCOMPARE(edgeLines(named.value()), edgeLines(plain.value()));
        QCOMPARE(edgeLines(named.value()), (QStringList{QStringLiteral("tgw-attach-aaa>tgw-attach-bbb 1 1000 0"),
                                                        QStringLiteral("tgw-attach-aaa>- 1 300 5")}));
        auto series = computeSeries(*store, byName, 60);
        QVERIFY2(series.ok(), qPrintable(series.ok() ? QString() : series.error().toString()));
        qint64 bytes = 0;
        for (const SeriesBin& b : series->bins) bytes += b.bytes;
        QCOMPARE(bytes, 1300LL);
    }
};

QTEST_GUILESS_MAIN(TestNames)
#include "tst_names.moc"
