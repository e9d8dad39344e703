// Loading paths and buffers: expands folders, reads names files first, skips files whose path
// time is outside the time window, chooses describe-flow-logs LogFormats, then hands the inputs
// to the load pipeline (loader_pipeline.cpp).
#include "core/ingest/loader.h"

#include "core/ingest/loader_impl.h"
#include "core/ingest/memory.h"

#include <QFileInfo>

#include <algorithm>

namespace core {

namespace {

/// Chooses each source's LogFormat from the known flow logs (no user format given): sets its
/// reader's format and what the report will say. A LogFormat that does not parse is not used
/// (the file is detected as usual) and the note says why.
void applyFlowLogFormats(std::vector<LoadSource>& sources, const std::vector<FlowLogFormat>& known)
{
    if (known.empty()) return;
    for (LoadSource& src : sources) {
        const FlowLogFormat* f = matchFlowLog(src.path, known);
        if (!f || f->logFormat.trimmed().isEmpty()) continue;
        const QString via = f->logGroup.isEmpty() || src.path.contains(f->flowLogId)
                                ? f->flowLogId
                                : QStringLiteral("%1, log group %2").arg(f->flowLogId, f->logGroup);
        const auto tokens = parseFormatString(f->logFormat);
        if (!tokens) {
            src.formatNote = QStringLiteral("LogFormat of %1 from describe-flow-logs not used (%2); format detected")
                                 .arg(via, tokens.error().message);
            continue;
        }
        QStringList unknown;
        for (const QString& t : tokens.value()) {
            const QByteArray u = t.toUtf8();
            if (!findField(std::string_view(u.constData(), static_cast<size_t>(u.size())))) unknown << t;
        }
        src.formatSource = QStringLiteral("format from describe-flow-logs %1 (LogFormat %2)").arg(via, f->logFormat.trimmed());
        if (!unknown.isEmpty())
            src.formatSource +=
                QStringLiteral("; unknown field%1 %2 kept as extra text column%1")
                    .arg(unknown.size() == 1 ? QString() : QStringLiteral("s"), unknown.join(QStringLiteral(", ")));
        src.formatTag = QStringLiteral("LogFormat of %1").arg(f->flowLogId);
        auto read = std::move(src.read);
        const QString format = f->logFormat;
        src.read = [read, format](const ReadOptions& o, RecordSink& sink) {
            ReadOptions withFormat = o;
            withFormat.format = format;
            return read(withFormat, sink);
        };
    }
}

/// options' formats, then those of `names` (found among the inputs), which win on the same id.
std::vector<FlowLogFormat> knownFormats(const LoadOptions& options, const NameDirectory& names)
{
    if (!options.read.format.trimmed().isEmpty()) return {}; // the user's format wins
    std::vector<FlowLogFormat> out = flowLogFormats(names);
    for (const FlowLogFormat& f : options.flowLogFormats) {
        const bool shadowed =
            std::any_of(out.begin(), out.end(), [&](const FlowLogFormat& g) { return g.flowLogId == f.flowLogId; });
        if (!shadowed) out.push_back(f);
    }
    return out;
}

} // namespace

LoadReport loadPaths(Store& store, const QStringList& paths, const LoadOptions& options)
{
    QStringList errors;
    const QStringList files = expandPaths(paths, &errors);
    std::vector<LoadSource> sources;
    sources.reserve(static_cast<size_t>(files.size()));
    NameDirectory names;
    std::vector<NamesFileReport> namesFiles;
    QStringList namesErrors;
    std::vector<FileReport> notOpened; // path time (S3 name or partition folders) outside the window
    for (const QString& f : files) {
        if (options.windowFrom || options.windowTo) {
            const auto delivered = deliveryTimeFromPath(f);
            if (delivered && deliveryOutsideWindow(*delivered, options)) {
                FileReport fr;
                fr.path = f;
                fr.format = QStringLiteral("not opened: its path time is outside the time window");
                notOpened.push_back(std::move(fr));
                continue;
            }
        }
        if (looksLikeNamesJson(f)) {
            auto r = loadNamesFile(f, names);
            if (r.ok()) namesFiles.push_back(r.value());
            else namesErrors << r.error().toString();
            continue;
        }
        LoadSource s;
        s.path = f;
        s.size = QFileInfo(f).size();
        s.read = [f](const ReadOptions& o, RecordSink& sink) { return readFile(f, o, sink); };
        sources.push_back(std::move(s));
    }
    readParquetTogether(sources); // a folder of Parquet files: a few DuckDB queries, not three per file
    // Names files are read before any log, so their LogFormats apply whatever the file order.
    applyFlowLogFormats(sources, knownFormats(options, names));
    if (sources.empty() && !namesFiles.empty() && errors.isEmpty() && namesErrors.isEmpty()) {
        LoadReport report; // names only: nothing to load, nothing failed
        report.names = std::move(names);
        report.namesFiles = std::move(namesFiles);
        return report;
    }
    LoadReport report = runLoad(store, std::move(sources), errors + namesErrors, options);
    report.filesNotOpened = static_cast<qint64>(notOpened.size());
    for (FileReport& fr : notOpened) report.files.push_back(std::move(fr));
    report.names = std::move(names);
    report.namesFiles = std::move(namesFiles);
    return report;
}

LoadReport loadBuffer(Store& store, const QByteArray& data, const QString& name, const LoadOptions& options)
{
    std::vector<LoadSource> sources(1);
    sources[0].path = name;
    sources[0].size = data.size();
    sources[0].read = [&data, name](const ReadOptions& o, RecordSink& sink) { return readBuffer(data, name, o, sink); };
    applyFlowLogFormats(sources, knownFormats(options, NameDirectory()));
    return runLoad(store, std::move(sources), {}, options);
}

} // namespace core