#include "ui/graphfilter.h"

#include "core/filter.h"

namespace ui {
namespace {

using D = core::EdgeDimension;

bool isNone(const QString& id) { return id.isEmpty() || id == QLatin1String("-"); }

/// `field == value`, or the NULL test `not field` for "-".
QString eq(const char* field, const QString& value)
{
    return core::filterTerm(QLatin1String(field), isNone(value) ? QString() : value);
}

/// Source and destination columns of the non-attachment dimensions (as core/aggregate.cpp
/// groups TGW records).
std::pair<const char*, const char*> endpointColumns(D dimension)
{
    switch (dimension) {
    case D::Vpc: return {"tgw_src_vpc_id", "tgw_dst_vpc_id"};
    case D::Subnet: return {"tgw_src_subnet_id", "tgw_dst_subnet_id"};
    case D::Az: return {"tgw_src_az_id", "tgw_dst_az_id"};
    case D::Account: return {"tgw_src_vpc_account_id", "tgw_dst_vpc_account_id"};
    case D::Addr: return {"srcaddr", "dstaddr"};
    case D::Attachment: break;
    }
    return {"tgw_attachment_id", "tgw_pair_attachment_id"};
}

const char* aliasOf(D dimension)
{
    switch (dimension) {
    case D::Attachment: return "attachment";
    case D::Vpc: return "vpc";
    case D::Subnet: return "subnet";
    case D::Az: return "az";
    case D::Account: return "account";
    case D::Addr: return "addr";
    }
    return "attachment";
}

QString all(const QStringList& terms)
{
    QString out;
    for (const QString& t : terms) out = core::combineFilters(out, t);
    return out;
}

} // namespace

QString nodeFilter(D dimension, const QString& id)
{
    if (dimension == D::Attachment && isNone(id)) {
        // The sink: records that entered the TGW and have no exit attachment.
        return all({QStringLiteral("tgw_attachment_id"), eq("tgw_pair_attachment_id", id),
                    QStringLiteral("flow_direction == ingress")});
    }
    if (isNone(id)) {
        const auto [src, dst] = endpointColumns(dimension);
        return core::combineFilters(all({QStringLiteral("tgw_attachment_id"), eq(src, id)}),
                                    all({QStringLiteral("tgw_attachment_id"), eq(dst, id)}), true);
    }
    return core::filterTerm(QLatin1String(aliasOf(dimension)), id);
}

QString edgeFilter(D dimension, const QString& src, const QString& dst)
{
    if (dimension == D::Attachment) {
        const QString ingress = all({eq("tgw_attachment_id", src), eq("tgw_pair_attachment_id", dst),
                                     QStringLiteral("flow_direction == ingress")});
        if (isNone(dst) || isNone(src)) {
            // Only the entry side logs a flow with no exit (and vice versa).
            if (isNone(src))
                return all({eq("tgw_attachment_id", dst), eq("tgw_pair_attachment_id", src),
                            QStringLiteral("flow_direction == egress")});
            return ingress;
        }
        const QString egress = all({eq("tgw_attachment_id", dst), eq("tgw_pair_attachment_id", src),
                                    QStringLiteral("flow_direction == egress")});
        return core::combineFilters(ingress, egress, true);
    }
    const auto [s, d] = endpointColumns(dimension);
    QStringList terms;
    if (isNone(src) || isNone(dst)) terms << QStringLiteral("tgw_attachment_id");
    terms << eq(s, src) << eq(d, dst);
    return all(terms);
}

QString selectionFilter(const QString& base, const QStringList& terms)
{
    QString any;
    for (const QString& t : terms) any = core::combineFilters(any, t, true);
    return core::combineFilters(base, any);
}

} // namespace ui
