// Partition values (account, region) from S3 delivery paths; see partitions.h.
#include "core/ingest/partitions.h"

#include <QRegularExpression>

namespace core {

PathPartitions pathPartitions(const QString& path)
{
    // Regions: two letters, words, a digit ("eu-west-3", "us-gov-west-1", "ap-southeast-4").
    static const QRegularExpression classic(QStringLiteral("(?:^|/)AWSLogs/(\\d{12})/vpcflowlogs/([a-z]{2}(?:-[a-z]+)+-\\d)/"));
    static const QRegularExpression hiveAccount(QStringLiteral("(?:^|/)aws-account-id=(\\d{12})/"));
    static const QRegularExpression hiveRegion(QStringLiteral("(?:^|/)aws-region=([a-z]{2}(?:-[a-z]+)+-\\d)/"));
    PathPartitions out;
    if (const auto m = classic.match(path); m.hasMatch()) {
        out.account = m.captured(1).toStdString();
        out.region = m.captured(2).toStdString();
        return out;
    }
    if (const auto m = hiveAccount.match(path); m.hasMatch()) out.account = m.captured(1).toStdString();
    if (const auto m = hiveRegion.match(path); m.hasMatch()) out.region = m.captured(1).toStdString();
    return out;
}

void fillFromPath(FlowRecord& r, const PathPartitions& p)
{
    if (!p.account.empty() && !r.has(FieldId::AccountId)) r.setText(FieldId::AccountId, p.account);
    if (!p.region.empty() && !r.has(FieldId::Region)) r.setText(FieldId::Region, p.region);
}

void PathPartitionSink::record(const FlowRecord& r)
{
    const bool needAccount = !m_values.account.empty() && !r.has(FieldId::AccountId);
    const bool needRegion = !m_values.region.empty() && !r.has(FieldId::Region);
    if (!needAccount && !needRegion) {
        m_next.record(r);
        return;
    }
    m_copy = r;
    fillFromPath(m_copy, m_values);
    m_next.record(m_copy);
}

} // namespace core
