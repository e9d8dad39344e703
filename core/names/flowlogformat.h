#pragma once
// Flow logs' LogFormats from `aws ec2 describe-flow-logs` (kept in the NameDirectory) and which
// flow log a file belongs to, so headerless files are read with their own LogFormat.
#include "core/names/names.h"

#include <QString>
#include <vector>

namespace core {

/// A flow log's LogFormat, from `aws ec2 describe-flow-logs`: headerless files of that flow log
/// (S3 object names carry the flow log id; CloudWatch exports sit under the log group) are
/// read with it.
struct FlowLogFormat {
    QString flowLogId; ///< fl-...
    QString logGroup;  ///< CloudWatch log group name, empty for S3/Firehose destinations
    QString logFormat; ///< "${version} ${vpc-id} ..."
};

/// The LogFormats a names directory knows (its flow-log entries), in directory order. The log
/// group comes from the entry's destination (a log group name, or a logs ARN
/// `arn:aws:logs:<region>:<account>:log-group:<name>[:*]`); other ARNs (S3, Firehose) give none.
/// Pure; any thread.
std::vector<FlowLogFormat> flowLogFormats(const NameDirectory& names);

/// The flow log whose files `path` belongs to: the first of `known` whose id appears in the file
/// name as a whole word (S3 object names:
/// <account>_vpcflowlogs_<region>_<flow-log-id>_<time>_<hash>.log.gz), else the first whose
/// CloudWatch log group (leading/trailing '/' ignored) is a run of whole folders of the path
/// (export-to-S3 prefixes). Null if none; the pointer is into `known`. Pure; any thread.
const FlowLogFormat* matchFlowLog(const QString& path, const std::vector<FlowLogFormat>& known);

} // namespace core
