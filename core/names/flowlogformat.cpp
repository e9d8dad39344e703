// describe-flow-logs LogFormats and the flow log a file belongs to (see flowlogformat.h).
#include "core/names/flowlogformat.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace core {

std::vector<FlowLogFormat> flowLogFormats(const NameDirectory& names)
{
    std::vector<FlowLogFormat> out;
    for (const NameEntry& e : names.entries()) {
        if (e.logFormat.isEmpty() || !e.id.startsWith(QLatin1String("fl-"))) continue;
        FlowLogFormat f;
        f.flowLogId = e.id;
        f.logFormat = e.logFormat;
        // names.cpp keeps a flow log's destination in `description`: a CloudWatch log group
        // name, or an ARN (arn:aws:logs:<region>:<account>:log-group:<name>[:*], s3, firehose).
        const QString& d = e.description;
        if (d.startsWith(QLatin1String("arn:"))) {
            const qsizetype at = d.indexOf(QLatin1String(":log-group:"));
            if (at >= 0) {
                QString group = d.mid(at + 11);
                if (group.endsWith(QLatin1String(":*"))) group.chop(2);
                f.logGroup = group;
            }
        } else {
            f.logGroup = d;
        }
        out.push_back(std::move(f));
    }
    return out;
}

const FlowLogFormat* matchFlowLog(const QString& path, const std::vector<FlowLogFormat>& known)
{
    static const QRegularExpression idPattern(QStringLiteral("(?<![0-9A-Za-z])fl-[0-9a-f]{8,17}(?![0-9a-z])"));
    const QString name = QFileInfo(path).fileName();
    auto it = idPattern.globalMatch(name);
    while (it.hasNext()) {
        const QString id = it.next().captured(0);
        for (const FlowLogFormat& f : known)
            if (f.flowLogId == id) return &f;
    }
    const QString folders = QLatin1Char('/') + QDir::fromNativeSeparators(QFileInfo(path).path()) + QLatin1Char('/');
    for (const FlowLogFormat& f : known) {
        QString group = f.logGroup;
        while (group.startsWith(QLatin1Char('/'))) group.remove(0, 1);
        while (group.endsWith(QLatin1Char('/'))) group.chop(1);
        if (!group.isEmpty() && folders.contains(QLatin1Char('/') + group + QLatin1Char('/'))) return &f;
    }
    return nullptr;
}

} // namespace core
