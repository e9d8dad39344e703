// Hostile input, names JSON from the AWS CLI: malformed, deep, odd and huge documents parse
// or fail clearly, and a bad file changes nothing. Helpers: tests/hostiletestutil.h.
#include "core/ingest/gzip.h"
#include "core/ingest/ingest.h"
#include "core/ingest/loader.h"
#include "core/names/names.h"
#include "core/store/store.h"
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <functional>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/hostiletestutil.h"

using namespace core;
using namespace hostiletest;

class TestHostileNames : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // ---------------------------------------------------------------------------------
    // Names JSON from the AWS CLI.

    void namesJsonHostile_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("entries"); // -1: may fail; >= 0: must parse with this many entries
        QTest::newRow("invalid UTF-8 in Name")
            << QByteArray("{\"Vpcs\":[{\"VpcId\":\"vpc-1\",\"Tags\":[{\"Key\":\"Name\",\"Value\":\"\xc3\x28\xff\"}]}]}") << -1;
        QTest::newRow("invalid UTF-8 in id") << QByteArray("{\"Vpcs\":[{\"VpcId\":\"vpc-\xff\xfe\"}]}") << -1;
        QTest::newRow("overlong UTF-8 slash") << QByteArray("{\"Vpcs\":[{\"VpcId\":\"vpc-\xc0\xaf\"}]}") << -1;
        QTest::newRow("lone surrogate escape") << QByteArray("{\"Vpcs\":[{\"VpcId\":\"vpc-\\ud800\"}]}") << -1;
        QTest::newRow("NUL escape in Name") << QByteArray(
            "{\"Vpcs\":[{\"VpcId\":\"vpc-1\",\"Tags\":[{\"Key\":\"Name\",\"Value\":\"a\\u0000b\"}]}]}")
                                            << 1;
        QTest::newRow("number over 2^63 as OwnerId")
            << QByteArray("{\"Vpcs\":[{\"VpcId\":\"vpc-1\",\"OwnerId\":123456789012345678901234567890}]}") << 1;
        QTest::newRow("Tags not a list") << QByteArray("{\"Vpcs\":[{\"VpcId\":\"vpc-1\",\"Tags\":\"x\"}]}") << 1;
        QTest::newRow("entry not an object") << QByteArray("{\"Vpcs\":[1, \"x\", null]}") << -1;
        QTest::newRow("deeply nested") << QByteArray("{\"Vpcs\":") + QByteArray(100000, '[') << -1;
        QTest::newRow("deeply nested, closed")
            << QByteArray("{\"Vpcs\":") + QByteArray(5000, '[') + QByteArray(5000, ']') + "}" << -1;
        QTest::newRow("truncated") << QByteArray("{\"Vpcs\":[{\"VpcId\":\"vp") << -1;
        QTest::newRow("binary") << QByteArray("\x00\x01\x02\xff", 4) << -1;
    }
    void namesJsonHostile()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, entries);
        NameDirectory dir;
        NameEntry pre;
        pre.id = QStringLiteral("tgw-attach-keep");
        pre.name = QStringLiteral("keep me");
        dir.add(pre);
        const auto r = parseNamesJson(json, QStringLiteral("hostile.json"), dir);
        if (entries >= 0) {
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
            QCOMPARE(r->entries, entries);
        }
        if (!r.ok()) {
            QCOMPARE(r.error().file, QStringLiteral("hostile.json"));
            QVERIFY(!r.error().message.isEmpty());
            QCOMPARE(dir.entries().size(), size_t(1)); // a bad file changes nothing
        }
        QCOMPARE(dir.name(pre.id), pre.name);
        for (const NameEntry& e : dir.entries()) QVERIFY(!dir.label(e.id).isEmpty() || e.id.isEmpty());
        auto store = newStore();
        QVERIFY(storeNames(*store, dir).ok());
    }

    void namesJsonHuge()
    {
        constexpr int kVpcs = 100000;
        QByteArray json = "{\"Vpcs\":[";
        for (int i = 0; i < kVpcs; ++i) {
            if (i) json += ',';
            json += "{\"VpcId\":\"vpc-" + QByteArray::number(i) + "\",\"Tags\":[{\"Key\":\"Name\",\"Value\":\"v"
                    + QByteArray::number(i) + "\"}]}";
        }
        json += "]}";
        NameDirectory dir;
        const auto r = parseNamesJson(json, QStringLiteral("huge.json"), dir);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(r->entries, kVpcs);
        QCOMPARE(dir.name(QStringLiteral("vpc-99999")), QStringLiteral("v99999"));
        auto store = newStore();
        QVERIFY(storeNames(*store, dir).ok());
    }
};

QTEST_GUILESS_MAIN(TestHostileNames)
#include "tst_hostile_names.moc"
