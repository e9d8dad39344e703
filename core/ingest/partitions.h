#pragma once
// Account id and region from an S3 delivery path (AWSLogs/<account>/vpcflowlogs/<region>/... or
// the Hive-style aws-account-id=<a>/.../aws-region=<r>/ folders), filled into records that have
// no value of their own, as Athena's partition columns do. The time in such paths is memory.h's.
#include "core/ingest/ingest.h"

#include <QString>
#include <string>
#include <utility>

namespace core {

/// What an S3 delivery path says about its records; empty strings where it says nothing.
struct PathPartitions {
    std::string account; ///< 12-digit AWS account id
    std::string region;  ///< e.g. "eu-west-3", "us-gov-west-1"
    bool empty() const { return account.empty() && region.empty(); }
};

/// Account and region from `path` (absolute or relative; '/' separators): the classic layout
/// `.../AWSLogs/<12 digits>/vpcflowlogs/<region>/...` gives both; otherwise the Hive folders
/// `aws-account-id=<12 digits>` and `aws-region=<region>` give each on its own. A value that does
/// not look like an account id or a region is ignored. Pure; any thread.
PathPartitions pathPartitions(const QString& path);

/// Sets account-id and region from `p` where `r` has no value for them (the field is missing from
/// the format, or '-' / null in this record); values the record has always win. Pure.
void fillFromPath(FlowRecord& r, const PathPartitions& p);

/// A sink in front of `next` that passes every call through, filling each record with
/// fillFromPath() first (a record that needs a value is copied; the others pass untouched).
/// Lives as long as one read; the reader's thread.
class PathPartitionSink final : public RecordSink {
public:
    PathPartitionSink(RecordSink& next, PathPartitions values) : m_next(next), m_values(std::move(values)) {}
    void record(const FlowRecord& r) override;
    void reject(const Rejection& r) override { m_next.reject(r); }
    int extraColumn(std::string_view headerToken) override { return m_next.extraColumn(headerToken); }
    void progress(qint64 fileBytesRead) override { m_next.progress(fileBytesRead); }

private:
    RecordSink& m_next;
    PathPartitions m_values;
    FlowRecord m_copy;
};

} // namespace core
