// Drop diagnosis benchmark: core::computeDrops over N generated TGW records (default 1M, the
// generator's drop episodes of every reason), unfiltered and with filters, then with the VPC
// flow log records of the same generator run added (REJECTed scans). Median of 5 per case.
//
//   bench_drops [records=1000000] [--dir DIR]
#include "benchutil.h"
#include "core/analysis/drops.h"
#include "core/ingest/loader.h"
#include "core/query/filter.h"
#include "core/store/store.h"
#include "flowgen.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>

#include <ctime>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

namespace {

/// Writes the VPC flow log records of the generator run (with a header line).
bool writeVpcFile(const QString& path, const flowgen::Options& options)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return false;
    f.write(QByteArray::fromStdString(flowgen::vpcHeader()) + '\n');
    flowgen::Options o = options;
    o.vpcRecords = true;
    QByteArray buffer;
    flowgen::generate(
        o, [](const std::string&, int64_t) {},
        [&](const std::string& line, int64_t) {
            buffer.append(line.data(), static_cast<qsizetype>(line.size()));
            buffer += '\n';
            if (buffer.size() > (1 << 20)) {
                f.write(buffer);
                buffer.clear();
            }
        });
    f.write(buffer);
    return f.error() == QFile::NoError;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const benchutil::Args args = benchutil::parseArgs(app.arguments().mid(1));
    const qint64 records = args.records;
    const QString& dir = args.dir;
    const QString plain = benchutil::cachedTgwFile(dir, records);
    if (plain.isEmpty()) return 1;
    flowgen::Options o;
    o.tgwRecords = records;
    const QString vpcPath = QStringLiteral("%1/vpc_for_tgw_%2.log").arg(dir).arg(records);
    if (!QFile::exists(vpcPath)) {
        std::printf("generating %s ...\n", qPrintable(vpcPath));
        if (!writeVpcFile(vpcPath, o)) return 1;
    }
    auto created = core::Store::create();
    if (!created.ok()) return 1;
    core::Store& store = *created.value();
    const core::LoadReport r = core::loadPaths(store, {plain}, core::LoadOptions{});
    std::printf("%lld TGW records loaded in %.2f s\n", static_cast<long long>(r.records), r.seconds);

    const auto& topo = flowgen::topology();
    const QString app0 = QString::fromStdString(topo.attachments[0].id);
    const QString attachFilter = QStringLiteral("attachment == %1").arg(core::quoteFilterValue(app0));

    qint64 lastCount = 0;
    auto drops = [&](const QString& f) {
        return [&, f] {
            auto d = core::computeDrops(store, f);
            if (!d.ok()) std::fprintf(stderr, "drops: %s\n", qPrintable(d.error().toString()));
            lastCount = d.ok() ? static_cast<qint64>(d->size()) : -1;
            return d.ok();
        };
    };
    struct Case {
        const char* name;
        std::function<bool()> fn;
    };
    const std::vector<Case> tgwCases = {
        {"drops, no filter", drops({})},
        {"drops, attachment filter", drops(attachFilter)},
        {"drops, dstport == 443", drops(QStringLiteral("dstport == 443"))},
        {"drops, drops > 0", drops(QStringLiteral("drops > 0"))},
        {"drops, time range (6 h)", drops(QStringLiteral("start >= \"2025-12-01 06:00\" and start < \"2025-12-01 12:00\""))},
    };
    std::printf("%-44s %10s %10s %10s\n", "case (median of 5)", "wall ms", "CPU ms", "rows");
    auto runCases = [&](const std::vector<Case>& cases) {
        for (const Case& c : cases) {
            const auto [ms, cpu] = benchutil::medianMs(c.fn);
            std::printf("%-44s %10.1f %10.1f %10lld\n", c.name, ms, cpu, static_cast<long long>(lastCount));
        }
    };
    runCases(tgwCases);

    const core::LoadReport v = core::loadPaths(store, {vpcPath}, core::LoadOptions{});
    std::printf("+ %lld VPC records loaded in %.2f s\n", static_cast<long long>(v.records), v.seconds);
    runCases({
        {"drops + VPC rejects, no filter", drops({})},
        {"drops + VPC rejects, action == REJECT", drops(QStringLiteral("action == REJECT"))},
        {"drops + VPC rejects, dstport == 443", drops(QStringLiteral("dstport == 443"))},
    });
    QFile la(QStringLiteral("/proc/loadavg"));
    if (la.open(QIODevice::ReadOnly)) std::printf("load average: %s", la.readAll().constData());
    return 0;
}
