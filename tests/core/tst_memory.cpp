// Memory guard, core side: reading the available memory (meminfo, cgroups, override), the
// load estimate against measured stores, and the time window / sample load options with
// their line accounting.
// Over 500 lines on purpose: one unit (memory.h); the rows are meminfo/cgroup texts and measured
// stores, kept next to the estimate they check.
#include "core/ingest/loader.h"
#include "core/ingest/memory.h"
#include "core/store/store.h"

#include "../gziptestutil.h"

#include "tests/testpaths.h"
#include <QDir>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

using namespace core;

namespace {

const char kVpcHeader[] =
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n";
const char kTgwHeader[] =
    "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id "
    "tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id "
    "tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end log-status "
    "type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags "
    "region flow-direction pkt-src-aws-service pkt-dst-aws-service\n";

/// Deterministic pseudo-random numbers (xorshift), so generated data is the same every run.
struct Rng {
    quint64 s = 0x9e3779b97f4a7c15ULL;
    quint64 next()
    {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return s;
    }
    int below(int n) { return static_cast<int>(next() % static_cast<quint64>(n)); }
};

/// VPC default record `i`: start = t0 + i (one record per second).
QByteArray vpcLine(Rng& r, qint64 start)
{
    return QByteArray("2 123456789012 eni-0123456789abcdef") + QByteArray::number(r.below(8)) + " 10."
           + QByteArray::number(r.below(200)) + '.' + QByteArray::number(r.below(250)) + '.' + QByteArray::number(r.below(250))
           + " 10.2." + QByteArray::number(r.below(250)) + '.' + QByteArray::number(r.below(250)) + ' '
           + QByteArray::number(1024 + r.below(60000)) + ' ' + QByteArray::number(r.below(3) == 0 ? 53 : 443) + " 6 "
           + QByteArray::number(1 + r.below(900)) + ' ' + QByteArray::number(40 + r.below(900000)) + ' '
           + QByteArray::number(start) + ' ' + QByteArray::number(start + 60)
           + (r.below(10) == 0 ? " REJECT OK\n" : " ACCEPT OK\n");
}

/// The ingress and egress records of one TGW flow (same addresses, ports, counters, times).
QByteArray tgwPair(Rng& r, qint64 start)
{
    const QByteArray a = QByteArray::number(1 + r.below(6));
    QByteArray b = QByteArray::number(1 + r.below(6));
    if (b == a) b = "7";
    const QByteArray tail = "10." + QByteArray::number(r.below(200)) + '.' + QByteArray::number(r.below(250)) + '.'
                            + QByteArray::number(r.below(250)) + " 10.9." + QByteArray::number(r.below(250)) + '.'
                            + QByteArray::number(r.below(250)) + ' ' + QByteArray::number(1024 + r.below(60000)) + " 443 6 "
                            + QByteArray::number(1 + r.below(900)) + ' ' + QByteArray::number(40 + r.below(900000)) + ' '
                            + QByteArray::number(start) + ' ' + QByteArray::number(start + 60) + " OK IPv4 0 0 0 0 19 us-east-1 ";
    auto one = [&](const QByteArray& at, const QByteArray& pair, const char* dir) {
        return "6 TransitGateway 123456789012 tgw-0123456789abcdef0 tgw-attach-0a1b2c3d4e5f6000" + at
               + " 123456789012 210987654321 vpc-0aaa1111bbbb2222" + at + " vpc-0bbb2222cccc3333" + pair
               + " subnet-0aaa1111bbbb2222" + at + " subnet-0bbb2222cccc3333" + pair + " eni-0aaa1111bbbb2222" + at
               + " eni-0bbb2222cccc3333" + pair + " use1-az1 use1-az2 tgw-attach-0a1b2c3d4e5f6000" + pair + ' ' + tail + dir
               + " - -\n";
    };
    return one(a, b, "ingress") + one(b, a, "egress");
}

bool writeFile(const QString& path, const QByteArray& data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

std::unique_ptr<Store> newStore()
{
    auto s = Store::create();
    return s.ok() ? std::move(s.value()) : nullptr;
}

qint64 scalar(const Store& store, const QString& sql)
{
    auto st = store.prepare(sql);
    return st.ok() && st->next() ? st->int64(0) : -1;
}

/// Every line of every file is accounted for, window and sample included.
#define VERIFY_LOAD_ACCOUNTED(report)                                                                                            \
    for (const FileReport& f_ : (report).files)                                                                                  \
    QVERIFY2(f_.records + f_.rejected + f_.skipped + f_.outsideWindow + f_.sampledOut == f_.lines,                               \
             qPrintable(QStringLiteral("%1: %2 records + %3 rejected + %4 skipped + %5 outside + %6 sampled != %7 lines")        \
                            .arg(f_.path)                                                                                        \
                            .arg(f_.records)                                                                                     \
                            .arg(f_.rejected)                                                                                    \
                            .arg(f_.skipped)                                                                                     \
                            .arg(f_.outsideWindow)                                                                               \
                            .arg(f_.sampledOut)                                                                                  \
                            .arg(f_.lines)))

/// The files of a fake /proc + /sys tree for availableMemoryBytes().
struct FakeSystem {
    QString meminfo;                    ///< content of /proc/meminfo ("" = missing)
    QString selfCgroup;                 ///< content of /proc/self/cgroup ("" = missing)
    QMap<QString, QString> cgroupFiles; ///< path below the cgroup root -> content
};

} // namespace

Q_DECLARE_METATYPE(FakeSystem)

class TestMemory : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qunsetenv("FLOWLOG_MEMORY_LIMIT");
    }

    // ---------------------------------------------------------------------------------
    // Parsing what the system says

    void parseMemAvailable_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("expected"); // -1 = nullopt
        const QByteArray real = "MemTotal:       16303148 kB\nMemFree:         1021404 kB\nMemAvailable:   11534336 kB\n"
                                "Buffers:          123456 kB\n";
        QTest::newRow("real meminfo") << real << 11534336LL * 1024;
        QTest::newRow("first line") << QByteArray("MemAvailable: 1 kB\n") << 1024LL;
        QTest::newRow("no newline at end") << QByteArray("MemTotal: 5 kB\nMemAvailable: 7 kB") << 7LL * 1024;
        QTest::newRow("no unit: bytes") << QByteArray("MemAvailable: 4096\n") << 4096LL;
        QTest::newRow("zero") << QByteArray("MemAvailable: 0 kB\n") << 0LL;
        QTest::newRow("missing (old kernel)") << QByteArray("MemTotal: 5 kB\nMemFree: 3 kB\n") << -1LL;
        QTest::newRow("empty") << QByteArray() << -1LL;
        QTest::newRow("garbage value") << QByteArray("MemAvailable: lots kB\n") << -1LL;
        QTest::newRow("negative") << QByteArray("MemAvailable: -5 kB\n") << -1LL;
        QTest::newRow("empty value") << QByteArray("MemAvailable:\n") << -1LL;
        QTest::newRow("overflow") << QByteArray("MemAvailable: 99999999999999999999 kB\n") << -1LL;
        QTest::newRow("above 2^60 after kB") << QByteArray("MemAvailable: 9007199254740993 kB\n") << -1LL;
        QTest::newRow("binary") << QByteArray("\x00\xff\x13MemAvailable\x00", 16) << -1LL;
        QTest::newRow("key not at line start") << QByteArray("XMemAvailable: 5 kB\n") << -1LL;
        QTest::newRow("unit MB is not kB") << QByteArray("MemAvailable: 5 MB\n") << -1LL;
    }
    void parseMemAvailable()
    {
        QFETCH(QByteArray, text);
        QFETCH(qint64, expected);
        const auto v = core::parseMemAvailable(text);
        QCOMPARE(v.value_or(-1), expected);
    }

    void parseCgroupBytes_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("expected"); // -1 = no limit / unreadable
        QTest::newRow("v2 limit") << QByteArray("1073741824\n") << 1073741824LL;
        QTest::newRow("v2 max") << QByteArray("max\n") << -1LL;
        QTest::newRow("v1 unlimited") << QByteArray("9223372036854771712\n") << -1LL;
        QTest::newRow("zero") << QByteArray("0\n") << 0LL;
        QTest::newRow("empty") << QByteArray("") << -1LL;
        QTest::newRow("negative") << QByteArray("-1\n") << -1LL;
        QTest::newRow("garbage") << QByteArray("12 GB\n") << -1LL;
        QTest::newRow("overflow") << QByteArray("123456789012345678901234567890\n") << -1LL;
    }
    void parseCgroupBytes()
    {
        QFETCH(QByteArray, text);
        QFETCH(qint64, expected);
        QCOMPARE(core::parseCgroupBytes(text).value_or(-1), expected);
    }

    void parseByteSize_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("expected"); // -1 = invalid
        QTest::newRow("bytes") << "1073741824" << 1073741824LL;
        QTest::newRow("512M") << "512M" << (512LL << 20);
        QTest::newRow("1.5G") << "1.5G" << 3LL * (1LL << 29);
        QTest::newRow("2 GiB") << "2 GiB" << 2LL * (1LL << 30);
        QTest::newRow("800 MB") << "800 MB" << 800LL * (1LL << 20);
        QTest::newRow("64k") << "64k" << 65536LL;
        QTest::newRow("1T") << "1T" << (1LL << 40);
        QTest::newRow("spaces") << "  3M  " << 3LL * (1 << 20);
        QTest::newRow("empty") << "" << -1LL;
        QTest::newRow("words") << "lots" << -1LL;
        QTest::newRow("negative") << "-1G" << -1LL;
        QTest::newRow("exponent") << "1e9" << -1LL;
        QTest::newRow("unit only") << "G" << -1LL;
        QTest::newRow("iB without unit") << "5iB" << -1LL;
        QTest::newRow("unknown unit") << "5P" << -1LL;
        QTest::newRow("too large") << "99999999T" << -1LL;
    }
    void parseByteSize()
    {
        QFETCH(QString, text);
        QFETCH(qint64, expected);
        QCOMPARE(core::parseByteSize(text).value_or(-1), expected);
    }

    void availableMemory_data()
    {
        QTest::addColumn<FakeSystem>("system");
        QTest::addColumn<QString>("override"); // FLOWLOG_MEMORY_LIMIT value, "" = unset
        QTest::addColumn<qint64>("expected");

        const QString meminfo = QStringLiteral("MemTotal: 16000000 kB\nMemAvailable: 8000000 kB\n");
        const qint64 avail = 8000000LL * 1024;
        QTest::newRow("meminfo only") << FakeSystem{meminfo, {}, {}} << "" << avail;
        QTest::newRow("v2, no limit") << FakeSystem{meminfo, "0::/user.slice/app\n", {{"user.slice/app/memory.max", "max\n"}}}
                                      << "" << avail;
        QTest::newRow("v2 limit lower") << FakeSystem{meminfo,
                                                      "0::/app\n",
                                                      {{"app/memory.max", "1000000000\n"}, {"app/memory.current", "400000000\n"}}}
                                        << "" << 600000000LL;
        QTest::newRow("v2 inactive file cache counts as free")
            << FakeSystem{meminfo,
                          "0::/app\n",
                          {{"app/memory.max", "1000000000\n"},
                           {"app/memory.current", "400000000\n"},
                           {"app/memory.stat", "anon 100000000\ninactive_file 300000000\nactive_file 1\n"}}}
            << "" << 900000000LL;
        QTest::newRow("v2 ancestor limit lower")
            << FakeSystem{meminfo,
                          "0::/a/b\n",
                          {{"a/b/memory.max", "max\n"}, {"a/memory.max", "500000000\n"}, {"a/memory.current", "100000000\n"}}}
            << "" << 400000000LL;
        QTest::newRow("v2 limit higher than MemAvailable")
            << FakeSystem{meminfo, "0::/app\n", {{"app/memory.max", "100000000000\n"}, {"app/memory.current", "0\n"}}} << ""
            << avail;
        QTest::newRow("v2 over its limit: nothing")
            << FakeSystem{meminfo, "0::/app\n", {{"app/memory.max", "100\n"}, {"app/memory.current", "5000\n"}}} << "" << 0LL;
        QTest::newRow("container: own cgroup is the root")
            << FakeSystem{meminfo, "", {{"memory.max", "2000000000\n"}, {"memory.current", "500000000\n"}}} << "" << 1500000000LL;
        QTest::newRow("v1 memory controller") << FakeSystem{meminfo,
                                                            "12:cpu,cpuacct:/x\n11:memory:/docker/abc\n",
                                                            {{"memory/docker/abc/memory.limit_in_bytes", "700000000\n"},
                                                             {"memory/docker/abc/memory.usage_in_bytes", "200000000\n"},
                                                             {"memory/docker/abc/memory.stat", "total_inactive_file 50000000\n"}}}
                                              << "" << 550000000LL;
        QTest::newRow("v1 unlimited") << FakeSystem{meminfo,
                                                    "11:memory:/\n",
                                                    {{"memory/memory.limit_in_bytes", "9223372036854771712\n"}}}
                                      << "" << avail;
        QTest::newRow("garbage cgroup files ignored")
            << FakeSystem{meminfo, "garbage\n::\n0::relative\n0::/../../etc\n", {{"memory.max", "lots\n"}}} << "" << avail;
        QTest::newRow("garbage meminfo, cgroup limit")
            << FakeSystem{"MemAvailable: ??\n", "0::/app\n", {{"app/memory.max", "300000000\n"}}} << "" << 300000000LL;
        QTest::newRow("nothing readable") << FakeSystem{{}, {}, {}} << "" << -1LL;
        QTest::newRow("override wins") << FakeSystem{meminfo, {}, {}} << "2G" << 2LL * (1LL << 30);
        QTest::newRow("override below cgroup")
            << FakeSystem{meminfo, "0::/app\n", {{"app/memory.max", "300000000\n"}}} << "1M" << 1LL * (1 << 20);
        QTest::newRow("override garbage: ignored") << FakeSystem{meminfo, {}, {}} << "plenty" << avail;
    }
    void availableMemory()
    {
        QFETCH(FakeSystem, system);
        QFETCH(QString, override);
        QFETCH(qint64, expected);
        QTemporaryDir root;
        QVERIFY(root.isValid());
        MemorySources src;
        src.meminfo = root.filePath(QStringLiteral("meminfo"));
        src.selfCgroup = root.filePath(QStringLiteral("self-cgroup"));
        src.cgroupRoot = root.filePath(QStringLiteral("cgroup"));
        src.overrideVariable = QStringLiteral("FLOWLOG_TEST_MEMORY_OVERRIDE");
        if (!system.meminfo.isEmpty()) QVERIFY(writeFile(src.meminfo, system.meminfo.toUtf8()));
        if (!system.selfCgroup.isEmpty()) QVERIFY(writeFile(src.selfCgroup, system.selfCgroup.toUtf8()));
        QVERIFY(QDir().mkpath(src.cgroupRoot));
        for (auto it = system.cgroupFiles.cbegin(); it != system.cgroupFiles.cend(); ++it) {
            const QString path = src.cgroupRoot + QLatin1Char('/') + it.key();
            QVERIFY(QDir().mkpath(QFileInfo(path).path()));
            QVERIFY(writeFile(path, it.value().toUtf8()));
        }
        if (override.isEmpty()) qunsetenv("FLOWLOG_TEST_MEMORY_OVERRIDE");
        else qputenv("FLOWLOG_TEST_MEMORY_OVERRIDE", override.toUtf8());
        QCOMPARE(availableMemoryBytes(src), expected);
        qunsetenv("FLOWLOG_TEST_MEMORY_OVERRIDE");
    }

    void availableMemoryOfThisMachine()
    {
        // The real files: on Linux MemAvailable exists, so the answer is a positive number.
        const qint64 v = availableMemoryBytes();
        QVERIFY2(v > 0, qPrintable(QString::number(v)));
        qputenv("FLOWLOG_MEMORY_LIMIT", "123M");
        QCOMPARE(availableMemoryBytes(), 123LL << 20);
        qunsetenv("FLOWLOG_MEMORY_LIMIT");
    }

    void timeFromLogFileName_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<qint64>("expected"); // -1 = none
        QTest::newRow("S3 VPC") << "/x/AWSLogs/111122223333/vpcflowlogs/us-east-1/2025/12/01/"
                                   "111122223333_vpcflowlogs_us-east-1_fl-0a9b8c7d6e5f41322_20251201T0005Z_b44c318b.log.gz"
                                << 1764547500LL;
        QTest::newRow("with seconds") << "123_vpcflowlogs_eu-west-1_fl-1_20251201T000530Z_ab.log" << 1764547530LL;
        QTest::newRow("no time") << "/tmp/tgw.log" << -1LL;
        QTest::newRow("date in a folder only") << "/logs/20251201T0005Z/flows.log" << -1LL;
        QTest::newRow("month 13") << "1_vpcflowlogs_r_fl_20251301T0005Z_x.log.gz" << -1LL;
        QTest::newRow("hour 25") << "1_vpcflowlogs_r_fl_20251201T2505Z_x.log.gz" << -1LL;
        QTest::newRow("no Z") << "1_vpcflowlogs_r_fl_20251201T0005_x.log.gz" << -1LL;
        QTest::newRow("inside a longer number") << "x120251201T0005Z_y.log" << -1LL;
    }
    void timeFromLogFileName()
    {
        QFETCH(QString, path);
        QFETCH(qint64, expected);
        QCOMPARE(core::timeFromLogFileName(path).value_or(-1), expected);
    }

    void sentences_data()
    {
        QTest::addColumn<qint64>("files");
        QTest::addColumn<qint64>("needed");
        QTest::addColumn<qint64>("available");
        QTest::addColumn<QString>("expected");
        QTest::newRow("many files") << 412LL << 18300000000LL << 11200000000LL
                                    << "These 412 files would need about 18.3 GB in memory; 11.2 GB is available.";
        QTest::newRow("one file") << 1LL << 512000000LL << 99000000LL
                                  << "This file would need about 512 MB in memory; 99.0 MB is available.";
        QTest::newRow("nothing available") << 3LL << 1000LL << -1LL
                                           << "These 3 files would need about 1.0 kB in memory; 0 B is available.";
        QTest::newRow("rounding up a unit") << 2LL << 999960000LL << 5LL
                                            << "These 2 files would need about 1.0 GB in memory; 5 B is available.";
    }
    void sentences()
    {
        QFETCH(qint64, files);
        QFETCH(qint64, needed);
        QFETCH(qint64, available);
        QFETCH(QString, expected);
        QCOMPARE(memorySentence(files, needed, available), expected);
    }

    void sampleRateToFit_data()
    {
        QTest::addColumn<qint64>("needed");
        QTest::addColumn<qint64>("available");
        QTest::addColumn<int>("expected");
        const qint64 fixed = loadFixedBytes();
        QTest::newRow("twice too big") << fixed + 1500000000LL << 1000000000LL + fixed * 5 / 4 << 2;
        QTest::newRow("ten times") << fixed + 7900000000LL << 1000000000LL + fixed * 5 / 4 << 10;
        QTest::newRow("fits already: at least 2") << 1000LL << 100000000000LL << 2;
        QTest::newRow("not even the fixed part") << fixed * 10 << fixed / 2 << 1000000;
        QTest::newRow("nothing available") << fixed * 10 << 0LL << 1000000;
    }
    void sampleRateToFit()
    {
        QFETCH(qint64, needed);
        QFETCH(qint64, available);
        QFETCH(int, expected);
        QCOMPARE(core::sampleRateToFit(needed, available), expected);
    }

    // ---------------------------------------------------------------------------------
    // The estimate against measured stores

    void estimateMatchesMeasuredStore_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<bool>("gzip");
        QTest::addColumn<int>("files");
        QTest::newRow("TGW default, one plain file") << "tgw" << false << 1;
        QTest::newRow("TGW default, 40 gzip files") << "tgw" << true << 40;
        QTest::newRow("VPC default, one plain file") << "vpc" << false << 1;
        QTest::newRow("VPC default, 100 gzip files") << "vpc" << true << 100;
    }
    void estimateMatchesMeasuredStore()
    {
        QFETCH(QString, kind);
        QFETCH(bool, gzip);
        QFETCH(int, files);
        constexpr int kRecords = 120000;
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Rng rng;
        QStringList paths;
        const int perFile = kRecords / files;
        for (int f = 0; f < files; ++f) {
            QByteArray text = kind == QLatin1String("tgw") ? kTgwHeader : kVpcHeader;
            for (int i = 0; i < perFile; i += kind == QLatin1String("tgw") ? 2 : 1) {
                const qint64 start = 1764547200 + f * perFile + i;
                text += kind == QLatin1String("tgw") ? tgwPair(rng, start) : vpcLine(rng, start);
            }
            const QString path = dir.filePath(QStringLiteral("f%1.log%2").arg(f).arg(gzip ? QStringLiteral(".gz") : QString()));
            QVERIFY(writeFile(path, gzip ? testutil::gzipCompress(text) : text));
            paths << path;
        }
        const qint64 estimate = estimateLoadBytes(paths);
        auto store = newStore();
        QVERIFY(store);
        const qint64 empty = store->memoryBytes();
        const LoadReport r = loadPaths(*store, paths, LoadOptions{});
        QCOMPARE(r.outcome, Outcome::Ok);
        QCOMPARE(r.records, qint64(kRecords));
        const qint64 measured = store->memoryBytes() - empty;
        const double ratio = static_cast<double>(estimate - loadFixedBytes()) / static_cast<double>(measured);
        qInfo("%s: %lld records, store %lld B (%.1f B/record), estimate %lld B + fixed, ratio %.2f", qPrintable(kind),
              static_cast<long long>(r.records), static_cast<long long>(measured),
              static_cast<double>(measured) / static_cast<double>(r.records), static_cast<long long>(estimate - loadFixedBytes()),
              ratio);
        // Never below what the store really takes, and not wildly above it.
        QVERIFY2(ratio >= 1.0 && ratio <= 2.0, qPrintable(QString::number(ratio)));
    }

    void estimateOfDemoData()
    {
        QStringList errors;
        const QStringList files = expandPaths({testpaths::demoData() + QStringLiteral("/AWSLogs")}, &errors);
        QVERIFY2(!files.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
        const LoadEstimate e = estimateLoad(files);
        QCOMPARE(e.fileBytes.size(), static_cast<size_t>(files.size()));
        auto store = newStore();
        const qint64 empty = store->memoryBytes();
        const LoadReport r = loadPaths(*store, files, LoadOptions{});
        QCOMPARE(r.outcome, Outcome::Ok);
        const qint64 measured = store->memoryBytes() - empty;
        const double ratio = static_cast<double>(e.total() - e.fixedBytes) / static_cast<double>(measured);
        qInfo("demo: %lld records in %lld files, store %lld B, ratio %.2f", static_cast<long long>(r.records),
              static_cast<long long>(files.size()), static_cast<long long>(measured), ratio);
        QVERIFY2(ratio >= 1.0 && ratio <= 2.0, qPrintable(QString::number(ratio)));

        // Every demo file name carries its delivery time: a one-hour window is estimated from
        // the files of that hour only (plus the hour of late deliveries after it).
        int timed = 0;
        for (const auto& t : e.fileTimes) timed += t ? 1 : 0;
        QCOMPARE(timed, static_cast<int>(files.size()));
        LoadOptions hour;
        hour.windowFrom = 1764590400; // 2025-12-01T12:00Z
        hour.windowTo = hour.windowFrom.value() + 3600;
        const qint64 variable = e.total() - e.fixedBytes;
        const qint64 hourly = e.forOptions(hour) - e.fixedBytes;
        QVERIFY2(hourly > 0 && hourly < variable / 6, qPrintable(QStringLiteral("%1 of %2").arg(hourly).arg(variable)));
        LoadOptions sample;
        sample.sampleEvery = 10;
        QCOMPARE(e.forOptions(sample) - e.fixedBytes, variable / 10);
    }

    void estimateBadFiles()
    {
        // Unreadable, empty and non-gzip ".gz" files are estimated by size, never crash.
        QTemporaryDir dir;
        const QString empty = dir.filePath(QStringLiteral("empty.log"));
        const QString fake = dir.filePath(QStringLiteral("fake.log.gz"));
        const QString cut = dir.filePath(QStringLiteral("cut.log.gz"));
        QVERIFY(writeFile(empty, {}));
        QVERIFY(writeFile(fake, QByteArray(1000, 'x')));
        QVERIFY(writeFile(cut, testutil::gzipCompress(QByteArray(kVpcHeader).repeated(100)).left(30)));
        const qint64 e = estimateLoadBytes({empty, fake, cut, dir.filePath(QStringLiteral("missing.log"))});
        QVERIFY(e >= loadFixedBytes());
        QVERIFY(e < loadFixedBytes() + 100000);
        QCOMPARE(estimateLoadBytes(QStringList{}), loadFixedBytes());
    }

    // ---------------------------------------------------------------------------------
    // Time window and sample

    void window_data()
    {
        QTest::addColumn<qint64>("from"); // -1 = open
        QTest::addColumn<qint64>("to");   // -1 = open
        QTest::addColumn<qint64>("inside");
        // 1000 records with start 1700000000 + i; plus a NODATA record at 1700000500, a
        // header, a blank line and two rejected lines.
        QTest::newRow("middle") << 1700000100LL << 1700000200LL << 100LL;
        QTest::newRow("half-open: to excluded") << 1700000000LL << 1700000001LL << 1LL;
        QTest::newRow("with the NODATA record") << 1700000450LL << 1700000550LL << 101LL;
        QTest::newRow("from only") << 1700000990LL << -1LL << 10LL;
        QTest::newRow("to only") << -1LL << 1700000010LL << 10LL;
        QTest::newRow("everything") << 0LL << 2000000000LL << 1001LL;
        QTest::newRow("before the data") << 1600000000LL << 1600000100LL << 0LL;
        QTest::newRow("reversed: nothing") << 1700000200LL << 1700000100LL << 0LL;
    }
    void window()
    {
        QFETCH(qint64, from);
        QFETCH(qint64, to);
        QFETCH(qint64, inside);
        Rng rng;
        QByteArray data = kVpcHeader;
        for (int i = 0; i < 1000; ++i) {
            data += vpcLine(rng, 1700000000 + i);
            if (i == 500) data += "2 123456789012 eni-0123456789abcdef0 - - - - - - - 1700000500 1700000560 - NODATA\n\n";
            if (i == 700) data += "2 123456789012 eni-0 10.0.0.1 10.0.0.2 1 2 6 1 1 notatime 1700000060 ACCEPT OK\nbad\n";
        }
        auto store = newStore();
        LoadOptions o;
        if (from >= 0) o.windowFrom = from;
        if (to >= 0) o.windowTo = to;
        const LoadReport r = loadBuffer(*store, data, QStringLiteral("window.log"), o);
        QCOMPARE(r.outcome, Outcome::Ok);
        VERIFY_LOAD_ACCOUNTED(r);
        QCOMPARE(r.files.size(), size_t(1));
        QCOMPARE(r.files[0].lines, 1005LL); // header + 1000 + NODATA + blank + 2 bad
        QCOMPARE(r.rejected, 2LL);          // bad lines stay rejections, window or not
        QCOMPARE(r.records, inside);
        QCOMPARE(r.outsideWindow, 1001 - inside);
        QCOMPARE(r.files[0].outsideWindow, 1001 - inside);
        QCOMPARE(r.sampledOut, 0LL);
        QCOMPARE(store->recordCount(), inside);
        if (from >= 0) QCOMPARE(scalar(*store, QStringLiteral("SELECT count(*) FROM flows WHERE start < %1").arg(from)), 0LL);
        if (to >= 0) QCOMPARE(scalar(*store, QStringLiteral("SELECT count(*) FROM flows WHERE start >= %1").arg(to)), 0LL);
        // The files table still lists the file, with what was loaded from it.
        QCOMPARE(scalar(*store, QStringLiteral("SELECT records FROM files")), inside);
    }

    void windowWithoutStartTimes()
    {
        // A custom format without `start`: no record can be placed in the window, so none is
        // loaded, and each is counted as outside it (not as a rejection).
        QByteArray data = "version srcaddr dstaddr bytes\n";
        for (int i = 0; i < 20; ++i) data += "5 10.0.0.1 10.0.0.2 " + QByteArray::number(i) + "\n";
        auto store = newStore();
        LoadOptions o;
        o.windowFrom = 0;
        const LoadReport r = loadBuffer(*store, data, QStringLiteral("nostart.log"), o);
        VERIFY_LOAD_ACCOUNTED(r);
        QCOMPARE(r.records, 0LL);
        QCOMPARE(r.rejected, 0LL);
        QCOMPARE(r.outsideWindow, 20LL);
        QCOMPARE(r.outcome, Outcome::Ok);
        // Without a window they all load.
        auto all = newStore();
        QCOMPARE(loadBuffer(*all, data, QStringLiteral("nostart.log"), LoadOptions{}).records, 20LL);
    }

    void sample_data()
    {
        QTest::addColumn<int>("every");
        QTest::newRow("1 = everything") << 1;
        QTest::newRow("0 = everything") << 0;
        QTest::newRow("negative = everything") << -3;
        QTest::newRow("1 in 2") << 2;
        QTest::newRow("1 in 10") << 10;
        QTest::newRow("1 in 100") << 100;
    }
    void sample()
    {
        QFETCH(int, every);
        constexpr int kPairs = 20000;
        QTemporaryDir dir;
        Rng rng;
        // Two files, the ingress records in one and the egress records in the other, so
        // twins can only be kept together if the decision depends on the flow, not on order.
        QByteArray ingress = kTgwHeader, egress = kTgwHeader;
        for (int i = 0; i < kPairs; ++i) {
            const QList<QByteArray> two = tgwPair(rng, 1700000000 + i / 10).split('\n');
            ingress += two[0] + '\n';
            egress += two[1] + '\n';
        }
        ingress += "junk line\n";
        const QString a = dir.filePath(QStringLiteral("a.log")), b = dir.filePath(QStringLiteral("b.log"));
        QVERIFY(writeFile(a, ingress));
        QVERIFY(writeFile(b, egress));
        LoadOptions o;
        o.sampleEvery = every;
        auto store = newStore();
        const LoadReport r = loadPaths(*store, {a, b}, o);
        QCOMPARE(r.outcome, Outcome::Ok);
        VERIFY_LOAD_ACCOUNTED(r);
        QCOMPARE(r.rejected, 1LL);
        QCOMPARE(r.outsideWindow, 0LL);
        QCOMPARE(r.records + r.sampledOut, 2LL * kPairs);
        const int n = std::max(1, every);
        if (n == 1) {
            QCOMPARE(r.sampledOut, 0LL);
        } else {
            const double expected = 2.0 * kPairs / n;
            QVERIFY2(std::abs(static_cast<double>(r.records) - expected) < 0.15 * expected + 10,
                     qPrintable(QStringLiteral("%1 records, expected about %2").arg(r.records).arg(expected)));
        }
        // Both records of a flow are kept or left out together: every kept record has its twin.
        QCOMPARE(scalar(*store, QStringLiteral("SELECT count(*) FROM flows WHERE twin_id IS NULL")), 0LL);
        // The same input in another order gives the same sample.
        auto again = newStore();
        const LoadReport r2 = loadPaths(*again, {b, a}, o);
        QCOMPARE(r2.records, r.records);
        const QString fingerprint = QStringLiteral("SELECT total(bytes * 7 + srcport + start) FROM flows");
        QCOMPARE(scalar(*again, fingerprint), scalar(*store, fingerprint));
    }

    void windowThenSample()
    {
        Rng rng;
        QByteArray data = kVpcHeader;
        for (int i = 0; i < 5000; ++i) data += vpcLine(rng, 1700000000 + i);
        auto store = newStore();
        LoadOptions o;
        o.windowFrom = 1700001000;
        o.windowTo = 1700003000;
        o.sampleEvery = 4;
        const LoadReport r = loadBuffer(*store, data, QStringLiteral("both.log"), o);
        VERIFY_LOAD_ACCOUNTED(r);
        QCOMPARE(r.outsideWindow, 3000LL); // the window is applied first
        QCOMPARE(r.records + r.sampledOut, 2000LL);
        QVERIFY2(r.records > 400 && r.records < 600, qPrintable(QString::number(r.records)));
    }

    void cancelledLoadReportsNothing()
    {
        Rng rng;
        QByteArray data = kVpcHeader;
        for (int i = 0; i < 2000; ++i) data += vpcLine(rng, 1700000000 + i);
        auto store = newStore();
        std::atomic<bool> cancel{true};
        LoadOptions o;
        o.read.cancel = &cancel;
        o.sampleEvery = 2;
        o.windowFrom = 1700000500;
        const LoadReport r = loadBuffer(*store, data, QStringLiteral("c.log"), o);
        QCOMPARE(r.outcome, Outcome::Cancelled);
        QCOMPARE(r.records, 0LL);
        QCOMPARE(r.outsideWindow, 0LL);
        QCOMPARE(r.sampledOut, 0LL);
        QCOMPARE(store->recordCount(), 0LL);
    }
};

QTEST_GUILESS_MAIN(TestMemory)
#include "tst_memory.moc"
