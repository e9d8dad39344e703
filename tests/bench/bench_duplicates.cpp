// Duplicate-shape load benchmark: twin pairing must cost O(1) per record however many records
// share a twin key. Loads N copies of one TGW default record (ingress, egress, both, or both
// sides in two loads) and, as the all-distinct baseline, N records of one 5-tuple at N
// different minutes. Prints the median of --runs loads (fresh store each) and the pairs made.
//
//   bench_duplicates [N...=40000 200000 1000000] [--runs 3]
//
// Measured on the shared 2-core dev container (RelWithDebInfo), identical ingress lines,
// load seconds (before: flowlog-cli summary, same loader; the machine was busy):
//   N           before                   after (this bench)   distinct-minutes baseline
//   40,000      5.6                      0.034                0.028
//   100,000     56.5                     -                    -
//   200,000     337                      0.23                 0.24
//   1,000,000   hours (not run; O(n^2))  1.17                 1.20
// Before, the twin table kept one open-addressing slot per waiting record, so n records under
// one key formed one probe run that every insert (and every lookup past tombstones) walked,
// during the load and again when the leftovers were matched against earlier loads at commit.
// Now a key has one slot holding a FIFO queue threaded through the twin array: O(1) per record.
#include "core/ingest/loader.h"
#include "core/store/store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

namespace {

const char kTgwLine[] = "6 TransitGateway 123456789012 tgw-0123456789abcdef0 tgw-attach-0a1b2c3d4e5f60001 123456789012 "
                        "210987654321 "
                        "vpc-0aaa1111bbbb22220 vpc-0bbb2222cccc33330 subnet-0aaa1111bbbb22221 subnet-0bbb2222cccc33331 "
                        "eni-0aaa1111bbbb22222 eni-0bbb2222cccc33332 use1-az1 use1-az2 tgw-attach-0a1b2c3d4e5f60002 10.1.2.3 "
                        "10.2.3.4 "
                        "49152 443 6 10 5000 1700000000 1700000060 OK IPv4 0 0 0 0 19 us-east-1 ingress - -";

/// The record as logged at the entry (ingress) or exit (egress) attachment, `minute` minutes on.
QByteArray record(bool ingress, qint64 minute)
{
    QList<QByteArray> f = QByteArray(kTgwLine).split(' ');
    if (!ingress) {
        std::swap(f[4], f[15]);
        f[33] = "egress";
    }
    f[23] = QByteArray::number(f[23].toLongLong() + 60 * minute);
    f[24] = QByteArray::number(f[24].toLongLong() + 60 * minute);
    return f.join(' ') + '\n';
}

/// Writes `count` records made by `make(k)`; false on a write error.
template <class F> bool writeRecords(const QString& path, qint64 count, F&& make)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return false;
    QByteArray buf;
    for (qint64 k = 0; k < count; ++k) {
        buf += make(k);
        if (buf.size() > (1 << 20) || k + 1 == count) {
            if (f.write(buf) != buf.size()) return false;
            buf.clear();
        }
    }
    return true;
}

struct Case {
    const char* name;
    /// Files of each load, written for N records in total.
    std::vector<std::vector<QString>> (*write)(const QTemporaryDir& dir, qint64 n);
};

QString fileOf(const QTemporaryDir& dir, const char* name)
{
    return dir.filePath(QString::fromLatin1(name));
}

std::vector<std::vector<QString>> identicalIngress(const QTemporaryDir& dir, qint64 n)
{
    const QByteArray r = record(true, 0);
    const QString p = fileOf(dir, "ingress.log");
    return writeRecords(p, n, [&](qint64) { return r; }) ? std::vector<std::vector<QString>>{{p}}
                                                         : std::vector<std::vector<QString>>{};
}

std::vector<std::vector<QString>> identicalEgress(const QTemporaryDir& dir, qint64 n)
{
    const QByteArray r = record(false, 0);
    const QString p = fileOf(dir, "egress.log");
    return writeRecords(p, n, [&](qint64) { return r; }) ? std::vector<std::vector<QString>>{{p}}
                                                         : std::vector<std::vector<QString>>{};
}

std::vector<std::vector<QString>> identicalBothSides(const QTemporaryDir& dir, qint64 n)
{
    const QByteArray in = record(true, 0), out = record(false, 0);
    const QString p = fileOf(dir, "both.log");
    return writeRecords(p, n, [&](qint64 k) { return k < n / 2 ? in : out; }) ? std::vector<std::vector<QString>>{{p}}
                                                                              : std::vector<std::vector<QString>>{};
}

std::vector<std::vector<QString>> identicalTwoLoads(const QTemporaryDir& dir, qint64 n)
{
    const QByteArray in = record(true, 0), out = record(false, 0);
    const QString a = fileOf(dir, "load1.log"), b = fileOf(dir, "load2.log");
    if (!writeRecords(a, n / 2, [&](qint64) { return in; }) || !writeRecords(b, n - n / 2, [&](qint64) { return out; }))
        return {};
    return {{a}, {b}};
}

std::vector<std::vector<QString>> distinctMinutes(const QTemporaryDir& dir, qint64 n)
{
    const QString p = fileOf(dir, "minutes.log");
    return writeRecords(p, n, [&](qint64 k) { return record(k % 2 == 0, k / 2); }) ? std::vector<std::vector<QString>>{{p}}
                                                                                   : std::vector<std::vector<QString>>{};
}

const Case kCases[] = {
    {"identical ingress", identicalIngress},           {"identical egress", identicalEgress},
    {"identical, half each side", identicalBothSides}, {"identical, sides in 2 loads", identicalTwoLoads},
    {"5-tuple, distinct minutes", distinctMinutes},
};

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    std::vector<qint64> sizes;
    int runs = 3;
    for (int i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--runs") && i + 1 < args.size()) runs = std::max(1, args[++i].toInt());
        else sizes.push_back(args[i].toLongLong());
    }
    if (sizes.empty()) sizes = {40000, 200000, 1000000};
    std::printf("load time of duplicate shapes, median of %d (fresh store each)\n", runs);
    std::printf("%-30s %9s %9s %12s %10s\n", "shape", "records", "seconds", "records/s", "paired");
    for (const qint64 n : sizes) {
        for (const Case& c : kCases) {
            QTemporaryDir dir;
            const auto loads = c.write(dir, n);
            if (!dir.isValid() || loads.empty()) {
                std::fprintf(stderr, "cannot write the input of '%s'\n", c.name);
                return 1;
            }
            std::vector<double> secs;
            qint64 records = 0, paired = 0;
            for (int r = 0; r < runs; ++r) {
                auto created = core::Store::create();
                if (!created.ok()) return 1;
                core::Store& store = *created.value();
                QElapsedTimer t;
                t.start();
                for (const auto& paths : loads) {
                    const core::LoadReport rep =
                        core::loadPaths(store, QStringList(paths.begin(), paths.end()), core::LoadOptions{});
                    if (rep.outcome != core::Outcome::Ok) return 1;
                }
                secs.push_back(static_cast<double>(t.nsecsElapsed()) / 1e9);
                records = store.recordCount();
                auto q = store.prepare(QStringLiteral("SELECT count(twin_id) / 2 FROM flows"));
                paired = (q.ok() && q->next()) ? q->int64(0) : -1;
            }
            std::sort(secs.begin(), secs.end());
            const double m = secs[secs.size() / 2];
            std::printf("%-30s %9lld %9.3f %12.0f %10lld\n", c.name, static_cast<long long>(records), m,
                        static_cast<double>(records) / m, static_cast<long long>(paired));
            std::fflush(stdout);
        }
    }
    return 0;
}
