// Names in filters and CSV name columns: cost over N generated TGW records (default 1M).
// Counts records with filters on ids vs. names (with and without names loaded), against the
// hand-written plain id equality the filter compiled to before names, and times a CSV export
// with and without `<column>_name` columns (written to a discarding device). Median of 5.
//
//   bench_filter_names [records=1000000] [--dir DIR]
#include "benchutil.h"
#include "core/export/csv.h"
#include "core/ingest/loader.h"
#include "core/names/names.h"
#include "core/query/filter.h"
#include "core/store/store.h"
#include "flowgen.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

namespace {

/// Discards everything written; counts bytes.
class NullDevice : public QIODevice {
public:
    qint64 bytes = 0;

protected:
    qint64 readData(char*, qint64) override { return -1; }
    qint64 writeData(const char*, qint64 len) override
    {
        bytes += len;
        return len;
    }
};

qint64 countSql(const core::Store& store, const QString& where, const QVariantList& params)
{
    auto st = store.prepare(QStringLiteral("SELECT count(*) FROM flows WHERE ") + where);
    if (!st.ok()) {
        std::fprintf(stderr, "prepare: %s\n", qPrintable(st.error().message));
        return -1;
    }
    st->bindAll(params);
    return st->next() ? st->int64(0) : -1;
}

void timeFilter(const core::Store& store, const char* label, const QString& filter)
{
    auto compiled = core::compileFilter(filter);
    if (!compiled.ok()) {
        std::printf("%-58s compile error: %s\n", label, qPrintable(compiled.error().toString()));
        return;
    }
    qint64 n = -1;
    const double ms = benchutil::medianMs([&] {
                          n = countSql(store, compiled->where, compiled->params);
                          return n >= 0;
                      }).first;
    std::printf("%-58s %9lld rows %8.1f ms\n", label, static_cast<long long>(n), ms);
}

void timeSql(const core::Store& store, const char* label, const QString& where, const QVariantList& params)
{
    qint64 n = -1;
    const double ms = benchutil::medianMs([&] {
                          n = countSql(store, where, params);
                          return n >= 0;
                      }).first;
    std::printf("%-58s %9lld rows %8.1f ms\n", label, static_cast<long long>(n), ms);
}

void timeExport(const core::Store& store, const char* label, bool withNames)
{
    core::ExportRequest request;
    request.withNames = withNames;
    qint64 bytes = 0;
    const double ms = benchutil::medianMs(
                          [&] {
                              NullDevice out;
                              out.open(QIODevice::WriteOnly);
                              const bool ok = core::exportCsv(store, request, out) == core::Outcome::Ok;
                              bytes = out.bytes;
                              return ok;
                          },
                          3)
                          .first;
    std::printf("%-58s %9.1f MB   %8.1f ms\n", label, static_cast<double>(bytes) / 1e6, ms);
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
    auto created = core::Store::create();
    if (!created.ok()) return 1;
    core::Store& store = *created.value();
    const core::LoadReport r = core::loadPaths(store, {plain}, core::LoadOptions{});
    std::printf("%lld records loaded in %.2f s\n", static_cast<long long>(r.records), r.seconds);

    const flowgen::Topology& topo = flowgen::topology();
    const flowgen::Attachment& a = topo.attachments.front();
    const flowgen::Attachment& b = topo.attachments.back();
    const QString id = QString::fromStdString(a.id);
    const QString name = QString::fromStdString(a.name);
    const QString vpcName = QString::fromStdString(a.name); // VPC Name tag = attachment's name
    const QString idB = QString::fromStdString(b.id);
    const QString nameB = QString::fromStdString(b.name);

    auto runAll = [&](const char* phase) {
        std::printf("\n-- %s\n", phase);
        timeSql(store, "plain SQL: tgw_attachment_id = ?1 (no name lookup)", QStringLiteral("\"tgw_attachment_id\" = ?1"), {id});
        timeFilter(store, "tgw-attachment-id == <id>", QStringLiteral("tgw-attachment-id == ") + id);
        timeFilter(store, "tgw-attachment-id == \"<name>\"",
                   QStringLiteral("tgw-attachment-id == ") + core::quoteFilterValue(name));
        timeSql(store, "plain SQL: attachment (2 columns) = ?1",
                QStringLiteral("(\"tgw_attachment_id\" = ?1 OR \"tgw_pair_attachment_id\" = ?1)"), {id});
        timeFilter(store, "attachment == <id>", QStringLiteral("attachment == ") + id);
        timeFilter(store, "attachment == \"<name>\"", QStringLiteral("attachment == ") + core::quoteFilterValue(name));
        timeFilter(store, "attachment != \"<name>\"", QStringLiteral("attachment != ") + core::quoteFilterValue(name));
        timeFilter(store, "attachment in {<id>, <id>}", QStringLiteral("attachment in {%1, %2}").arg(id, idB));
        timeFilter(store, "attachment in {\"<name>\", \"<name>\"}",
                   QStringLiteral("attachment in {%1, %2}").arg(core::quoteFilterValue(name), core::quoteFilterValue(nameB)));
        timeFilter(store, "vpc == \"<name>\" (3 columns)", QStringLiteral("vpc == ") + core::quoteFilterValue(vpcName));
        timeFilter(store, "attachment == \"no such name\"", QStringLiteral("attachment == \"no such name\""));
        timeExport(store, "export all columns, no name columns", false);
        timeExport(store, "export all columns + 13 name columns", true);
    };

    runAll("without names (empty names table)");

    QTemporaryDir namesDir;
    if (!namesDir.isValid() || !flowgen::writeDescribeJson(namesDir.path())) return 1;
    core::NameDirectory names;
    for (const QString& f : QDir(namesDir.path()).entryList({QStringLiteral("*.json")}, QDir::Files)) {
        auto loaded = core::loadNamesFile(namesDir.filePath(f), names);
        if (!loaded.ok()) {
            std::fprintf(stderr, "%s\n", qPrintable(loaded.error().toString()));
            return 1;
        }
    }
    if (auto s = core::storeNames(store, names); !s.ok()) return 1;
    std::printf("\n%lld names loaded\n", static_cast<long long>(names.entries().size()));
    runAll("with names");
    return 0;
}
