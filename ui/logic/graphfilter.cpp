#include "ui/logic/graphfilter.h"

#include "core/query/filter.h"

namespace ui {
namespace {

using D = core::EdgeDimension;

bool isNone(const QString& id)
{
    return id.isEmpty() || id == QLatin1String("-");
}

/// `field == value`, or the NULL test `not field` for "-".
QString eq(const char* field, const QString& value)
{
    return core::filterTerm(QLatin1String(field), isNone(value) ? QString() : value);
}

QString all(const QStringList& terms)
{
    QString out;
    for (const QString& t : terms) out = core::combineFilters(out, t);
    return out;
}

QString any(const QStringList& terms)
{
    QString out;
    for (const QString& t : terms) out = core::combineFilters(out, t, true);
    return out;
}

/// How core/aggregate.cpp keys the non-attachment dimensions: TGW records by their
/// source/destination columns; VPC records by the interface's own column, on the destination
/// side for ingress records and on the source side otherwise (the other side is "-").
struct Columns {
    const char* src;
    const char* dst;
    const char* own; ///< nullptr for addr (VPC records use srcaddr/dstaddr too)
};

Columns columnsOf(D dimension)
{
    switch (dimension) {
    case D::Vpc:
        return {"tgw_src_vpc_id", "tgw_dst_vpc_id", "vpc_id"};
    case D::Subnet:
        return {"tgw_src_subnet_id", "tgw_dst_subnet_id", "subnet_id"};
    case D::Az:
        return {"tgw_src_az_id", "tgw_dst_az_id", "az_id"};
    case D::Account:
        return {"tgw_src_vpc_account_id", "tgw_dst_vpc_account_id", "account_id"};
    case D::Addr:
        return {"srcaddr", "dstaddr", nullptr};
    case D::Attachment:
        break;
    }
    return {"tgw_attachment_id", "tgw_pair_attachment_id", nullptr};
}

} // namespace

QString nodeFilter(D dimension, const QString& id)
{
    if (dimension == D::Attachment) {
        // "-": records whose other attachment is unknown (drops with no exit attachment).
        if (isNone(id)) return all({QStringLiteral("tgw_attachment_id"), eq("tgw_pair_attachment_id", id)});
        return core::filterTerm(QStringLiteral("attachment"), id);
    }
    const Columns c = columnsOf(dimension);
    // "-" is on one side of every VPC record, and on TGW records missing that value.
    if (isNone(id)) return any({eq(c.src, id), eq(c.dst, id)});
    switch (dimension) {
    case D::Vpc:
        return core::filterTerm(QStringLiteral("vpc"), id);
    case D::Subnet:
        return core::filterTerm(QStringLiteral("subnet"), id);
    case D::Az:
        return core::filterTerm(QStringLiteral("az"), id);
    case D::Addr:
        return core::filterTerm(QStringLiteral("addr"), id);
    case D::Account:
        // Not the `account` alias: account_id of a TGW record is the TGW owner, not an endpoint.
        return any({eq(c.src, id), eq(c.dst, id), all({QStringLiteral("not tgw_attachment_id"), eq(c.own, id)})});
    case D::Attachment:
        break;
    }
    return {};
}

QString edgeFilter(D dimension, const QString& src, const QString& dst)
{
    if (dimension == D::Attachment) {
        // Entry side: logged at src with pair dst (ingress; records without a direction count
        // as ingress, as in the aggregation). Exit side: logged at dst with pair src, egress.
        const QString entry =
            all({eq("tgw_attachment_id", src), eq("tgw_pair_attachment_id", dst), QStringLiteral("flow_direction != egress")});
        const QString exit =
            all({eq("tgw_attachment_id", dst), eq("tgw_pair_attachment_id", src), QStringLiteral("flow_direction == egress")});
        if (isNone(src)) return exit;  // only an exit attachment logged it
        if (isNone(dst)) return entry; // dropped or exit unknown: only the entry side logs it
        return any({entry, exit});
    }
    const Columns c = columnsOf(dimension);
    if (!isNone(src) && !isNone(dst)) return all({eq(c.src, src), eq(c.dst, dst)});
    if (!c.own) return all({eq(c.src, src), eq(c.dst, dst)});
    if (isNone(src) && isNone(dst)) return all({eq(c.src, src), eq(c.dst, dst)});
    const QString tgw = all({QStringLiteral("tgw_attachment_id"), eq(c.src, src), eq(c.dst, dst)});
    const QString vpc =
        isNone(dst) ? all({QStringLiteral("not tgw_attachment_id"), eq(c.own, src), QStringLiteral("flow_direction != ingress")})
                    : all({QStringLiteral("not tgw_attachment_id"), eq(c.own, dst), QStringLiteral("flow_direction == ingress")});
    return any({tgw, vpc});
}

QString selectionFilter(const QString& base, const QStringList& terms)
{
    return core::combineFilters(base, any(terms));
}

} // namespace ui
