#include "ui/table/columnpresets.h"

#include "core/model/fields.h"
#include "ui/table/recordmodel.h"

#include <QFontMetrics>
#include <QHeaderView>
#include <QVariantMap>

namespace ui {

namespace {

QStringList presetColumns(const QString& preset)
{
    if (preset == QLatin1String("Essentials"))
        return {QStringLiteral("start"),        QStringLiteral("tgw_attachment_id"),
                QStringLiteral("interface_id"), QStringLiteral("flow_direction"),
                QStringLiteral("srcaddr"),      QStringLiteral("srcport"),
                QStringLiteral("dstaddr"),      QStringLiteral("dstport"),
                QStringLiteral("protocol"),     QStringLiteral("packets"),
                QStringLiteral("bytes"),        QStringLiteral("tcp_flags"),
                QStringLiteral("action"),       QStringLiteral("log_status")};
    if (preset == QLatin1String("Transit Gateway"))
        return {QStringLiteral("start"),
                QStringLiteral("tgw_attachment_id"),
                QStringLiteral("flow_direction"),
                QStringLiteral("tgw_pair_attachment_id"),
                QStringLiteral("srcaddr"),
                QStringLiteral("srcport"),
                QStringLiteral("dstaddr"),
                QStringLiteral("dstport"),
                QStringLiteral("protocol"),
                QStringLiteral("packets"),
                QStringLiteral("bytes"),
                QStringLiteral("packets_lost_no_route"),
                QStringLiteral("packets_lost_blackhole"),
                QStringLiteral("packets_lost_mtu_exceeded"),
                QStringLiteral("packets_lost_ttl_expired"),
                QStringLiteral("tcp_flags"),
                QStringLiteral("tgw_src_vpc_id"),
                QStringLiteral("tgw_dst_vpc_id"),
                QStringLiteral("tgw_src_az_id"),
                QStringLiteral("tgw_dst_az_id"),
                QStringLiteral("log_status")};
    if (preset == QLatin1String("VPC"))
        return {QStringLiteral("start"),          QStringLiteral("end"),          QStringLiteral("interface_id"),
                QStringLiteral("srcaddr"),        QStringLiteral("srcport"),      QStringLiteral("dstaddr"),
                QStringLiteral("dstport"),        QStringLiteral("protocol"),     QStringLiteral("packets"),
                QStringLiteral("bytes"),          QStringLiteral("action"),       QStringLiteral("tcp_flags"),
                QStringLiteral("flow_direction"), QStringLiteral("traffic_path"), QStringLiteral("pkt_srcaddr"),
                QStringLiteral("pkt_dstaddr"),    QStringLiteral("vpc_id"),       QStringLiteral("subnet_id"),
                QStringLiteral("log_status")};
    return {};
}

QString sectionName(const QHeaderView* header, int section)
{
    return header->model()->headerData(section, Qt::Horizontal, RecordModel::ColumnNameRole).toString();
}

} // namespace

int ColumnPresets::defaultWidth(const QString& column, const QString& title, const QFontMetrics& metrics)
{
    static const QHash<QString, QString> kSamples = {
        {QStringLiteral("start"), QStringLiteral("2026-11-29 10:00:00Z")},
        {QStringLiteral("end"), QStringLiteral("2026-11-29 10:00:00Z")},
        {QStringLiteral("tgw_attachment_id"), QStringLiteral("tgw-attach-0123456789abcdef0")},
        {QStringLiteral("tgw_pair_attachment_id"), QStringLiteral("tgw-attach-0123456789abcdef0")},
        {QStringLiteral("tgw_id"), QStringLiteral("tgw-0123456789abcdef0")},
        {QStringLiteral("interface_id"), QStringLiteral("eni-0123456789abcdef0")},
        {QStringLiteral("srcaddr"), QStringLiteral("255.255.255.255")},
        {QStringLiteral("dstaddr"), QStringLiteral("255.255.255.255")},
        {QStringLiteral("pkt_srcaddr"), QStringLiteral("255.255.255.255")},
        {QStringLiteral("pkt_dstaddr"), QStringLiteral("255.255.255.255")},
        {QStringLiteral("srcport"), QStringLiteral("65535")},
        {QStringLiteral("dstport"), QStringLiteral("65535")},
        {QStringLiteral("protocol"), QStringLiteral("ICMPv6")},
        {QStringLiteral("packets"), QStringLiteral("9999999")},
        {QStringLiteral("bytes"), QStringLiteral("999.9 MB")},
        {QStringLiteral("tcp_flags"), QStringLiteral("SYN|ACK|FIN")},
        {QStringLiteral("action"), QStringLiteral("ACCEPT")},
        {QStringLiteral("log_status"), QStringLiteral("SKIPDATA")},
        {QStringLiteral("account_id"), QStringLiteral("123456789012")},
        {QStringLiteral("region"), QStringLiteral("ap-southeast-2")},
    };
    QString sample = kSamples.value(column);
    if (sample.isEmpty()) {
        if (column.endsWith(QLatin1String("vpc_id"))) sample = QStringLiteral("vpc-0123456789abcdef0");
        else if (column.endsWith(QLatin1String("subnet_id"))) sample = QStringLiteral("subnet-0123456789abcdef0");
        else if (column.endsWith(QLatin1String("eni"))) sample = QStringLiteral("eni-0123456789abcdef0");
        else if (column.endsWith(QLatin1String("account_id"))) sample = QStringLiteral("123456789012");
        else sample = QStringLiteral("0000000");
    }
    // Room for the sort indicator next to the title, and cell margins.
    return std::max(metrics.horizontalAdvance(title) + 28, metrics.horizontalAdvance(sample) + 16);
}

QVariant ColumnLayout::toVariant() const
{
    QVariantMap w;
    for (auto it = widths.begin(); it != widths.end(); ++it) w.insert(it.key(), it.value());
    QVariantMap m;
    m.insert(QStringLiteral("visible"), visible);
    m.insert(QStringLiteral("widths"), w);
    return m;
}

ColumnLayout ColumnLayout::fromVariant(const QVariant& v)
{
    ColumnLayout out;
    const QVariantMap m = v.toMap();
    out.visible = m.value(QStringLiteral("visible")).toStringList();
    const QVariantMap w = m.value(QStringLiteral("widths")).toMap();
    for (auto it = w.begin(); it != w.end(); ++it) out.widths.insert(it.key(), it.value().toInt());
    return out;
}

QStringList ColumnPresets::names()
{
    return {QStringLiteral("Essentials"), QStringLiteral("Transit Gateway"), QStringLiteral("VPC"), QStringLiteral("All")};
}

QStringList ColumnPresets::columns(const QString& preset, const QStringList& available)
{
    QStringList out;
    if (preset == QLatin1String("All")) {
        for (const QString& c : available)
            if (c != QLatin1String("id") && c != QLatin1String("file_id") && c != QLatin1String("twin_id")) out << c;
        return out;
    }
    for (const QString& c : presetColumns(preset))
        if (available.contains(c)) out << c;
    return out;
}

QString ColumnPresets::group(const QString& column)
{
    const auto f = core::findField(column.toStdString());
    if (!f) {
        if (column == QLatin1String("id") || column == QLatin1String("file_id") || column == QLatin1String("line")
            || column == QLatin1String("twin_id"))
            return QObject::tr("Record");
        return QObject::tr("Extra fields");
    }
    const core::FieldInfo& info = core::fieldInfo(*f);
    if (info.sinceVersion <= 2) return QObject::tr("Basic (v2)");
    if (info.sinceVersion <= 5) return QObject::tr("VPC (v3-v5)");
    if (info.sinceVersion == 6) return QObject::tr("Transit Gateway (v6)");
    if (info.sinceVersion == 7) return QObject::tr("ECS (v7)");
    return QObject::tr("Newer (v8+)");
}

void ColumnPresets::apply(QHeaderView* header, const ColumnLayout& layout)
{
    if (!header->model()) return;
    const int count = header->count();
    QHash<QString, int> sectionOf;
    for (int s = 0; s < count; ++s) sectionOf.insert(sectionName(header, s), s);
    int target = 0;
    QList<bool> shown(count, false);
    for (const QString& name : layout.visible) {
        const int s = sectionOf.value(name, -1);
        if (s < 0 || shown[s]) continue;
        shown[s] = true;
        const int from = header->visualIndex(s);
        if (from != target) header->moveSection(from, target);
        ++target;
    }
    for (int s = 0; s < count; ++s) {
        header->setSectionHidden(s, !shown[s]);
        const QString name = sectionName(header, s);
        int w = layout.widths.value(name, 0);
        if (w <= 8) w = defaultWidth(name, header->model()->headerData(s, Qt::Horizontal).toString(), header->fontMetrics());
        if (shown[s]) header->resizeSection(s, w);
    }
}

ColumnLayout ColumnPresets::read(const QHeaderView* header)
{
    ColumnLayout out;
    if (!header->model()) return out;
    for (int v = 0; v < header->count(); ++v) {
        const int s = header->logicalIndex(v);
        const QString name = sectionName(header, s);
        if (header->isSectionHidden(s)) continue;
        out.widths.insert(name, header->sectionSize(s));
        out.visible << name;
    }
    return out;
}

} // namespace ui
