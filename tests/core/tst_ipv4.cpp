// The one IPv4 reader (core/query/filter_ip.h) and its three users: the parser's address
// check (a record with a bad address is rejected), the store's integer encoding (canonical
// text only; other text is kept as written) and the filter language (CIDR membership).
#include "core/ingest/loader.h"
#include "core/ingest/parser.h"
#include "core/query/filter_ip.h"
#include "core/store/store.h"

#include <QTest>

using namespace core;

class TestIpv4 : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<bool>("canonical");
        QTest::addColumn<quint32>("value");
        QTest::newRow("plain") << "10.20.30.40" << true << true << quint32(0x0a141e28);
        QTest::newRow("zeros") << "0.0.0.0" << true << true << quint32(0);
        QTest::newRow("broadcast") << "255.255.255.255" << true << true << quint32(0xffffffff);
        QTest::newRow("leading zero reads as decimal") << "010.0.0.1" << true << false << quint32(0x0a000001);
        QTest::newRow("leading zeros, three digits") << "10.000.001.9" << true << false << quint32(0x0a000109);
        QTest::newRow("part over 255") << "10.0.0.256" << false << false << quint32(0);
        QTest::newRow("four digits") << "10.0.0.0001" << false << false << quint32(0);
        QTest::newRow("three parts") << "10.0.1" << false << false << quint32(0);
        QTest::newRow("five parts") << "10.0.0.1.2" << false << false << quint32(0);
        QTest::newRow("empty part") << "10..0.1" << false << false << quint32(0);
        QTest::newRow("trailing dot") << "10.0.0.1." << false << false << quint32(0);
        QTest::newRow("sign") << "+10.0.0.1" << false << false << quint32(0);
        QTest::newRow("space") << "10.0.0.1 " << false << false << quint32(0);
        QTest::newRow("CIDR is not an address") << "10.0.0.0/8" << false << false << quint32(0);
        QTest::newRow("IPv6") << "2600:1f18::1" << false << false << quint32(0);
        QTest::newRow("empty") << "" << false << false << quint32(0);
    }
    void parse()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(bool, canonical);
        QFETCH(quint32, value);
        const QByteArray u = text.toUtf8();
        const std::string_view s(u.constData(), static_cast<size_t>(u.size()));
        bool isCanonical = false;
        const std::optional<uint32_t> v = parseIpv4(s, isCanonical);
        QCOMPARE(v.has_value(), valid);
        QCOMPARE(isIPv4(s), valid); // the parser's check is the same rule
        QCOMPARE(parseIpAddress(s).has_value(), valid || text.contains(QLatin1Char(':')));
        if (!valid) return;
        QCOMPARE(*v, value);
        QCOMPARE(isCanonical, canonical);
    }

    void storedAsWrittenAndFiltered_data()
    {
        QTest::addColumn<QString>("srcaddr");
        QTest::addColumn<bool>("inTenSlashEight");
        QTest::newRow("canonical") << "10.1.2.3" << true;
        QTest::newRow("leading zero: kept as written, same network") << "010.1.2.3" << true;
        QTest::newRow("other network") << "11.1.2.3" << false;
    }
    void storedAsWrittenAndFiltered()
    {
        QFETCH(QString, srcaddr);
        QFETCH(bool, inTenSlashEight);
        const QByteArray line = "2 111122223333 eni-0123456789abcdef0 " + srcaddr.toUtf8()
                                + " 10.9.9.9 443 55000 6 10 1000 1764547200 1764547260 ACCEPT OK\n";
        auto created = Store::create();
        QVERIFY(created.ok());
        Store& store = *created.value();
        const LoadReport r = loadBuffer(store, line, QStringLiteral("one.log"), LoadOptions{});
        QCOMPARE(r.records, qint64(1));
        auto st = store.prepare(QStringLiteral("SELECT srcaddr FROM flows"));
        QVERIFY(st.ok() && st->next());
        QCOMPARE(st->text(0), srcaddr);
        auto f = store.prepare(QStringLiteral("SELECT count(*) FROM flows WHERE flowlog_in_cidr(srcaddr, '10.0.0.0/8')"));
        QVERIFY(f.ok() && f->next());
        QCOMPARE(f->int64(0), qint64(inTenSlashEight ? 1 : 0));
    }
};

QTEST_GUILESS_MAIN(TestIpv4)
#include "tst_ipv4.moc"
