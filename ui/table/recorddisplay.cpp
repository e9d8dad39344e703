// RecordModel, part 2: how records are displayed: cell texts (times per Session, protocol
// names, ids as names, bytes in the one unit style), tooltips, alignment, the muted look of
// NODATA/SKIPDATA rows, the red tint of rows with drops, and the header. Everything here reads
// the page cache only (no SQL). Paging and queries are in recordmodel.cpp.
#include "core/model/fields.h"
#include "core/model/units.h"
#include "ui/logic/session.h"
#include "ui/table/recordmodel.h"

#include <QApplication>
#include <QColor>
#include <QDateTime>
#include <QFont>
#include <QPalette>

namespace ui {

namespace {

const QString kNullText = QStringLiteral("–");

QColor blend(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t),
                            static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
                            static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t));
}

bool isDarkPalette(const QPalette& p)
{
    return p.color(QPalette::Base).lightnessF() < 0.5;
}

} // namespace

QString RecordModel::displayText(const QString& column, const QVariant& raw) const
{
    if (raw.isNull()) return kNullText;
    const auto f = core::findField(column.toStdString());
    if (!f) return raw.toString();
    if (Session::isIdField(column)) return m_session->displayId(raw.toString());
    const qint64 n = raw.toLongLong();
    switch (*f) {
    case core::FieldId::Start:
    case core::FieldId::End:
        return m_session->formatTime(n);
    case core::FieldId::Protocol: {
        const QString name = core::protocolName(n);
        return name.isEmpty() ? QString::number(n) : name;
    }
    case core::FieldId::TcpFlags:
        return core::tcpFlagsText(n);
    case core::FieldId::Bytes:
        return core::formatBytes(n);
    default:
        return raw.toString();
    }
}

namespace {

QString toolTipFor(core::FieldId f, const QVariant& raw, const Session* session)
{
    if (raw.isNull()) return RecordModel::tr("NULL: no value ('-' in the log, or not in its format)");
    const qint64 n = raw.toLongLong();
    switch (f) {
    case core::FieldId::Start:
    case core::FieldId::End:
        return RecordModel::tr("%1 (Unix seconds)\nUTC: %2\nLocal: %3")
            .arg(n)
            .arg(QDateTime::fromSecsSinceEpoch(n, Qt::UTC).toString(Qt::ISODate),
                 QDateTime::fromSecsSinceEpoch(n).toLocalTime().toString(Qt::ISODate));
    case core::FieldId::Protocol:
        return RecordModel::tr("IANA protocol %1 %2").arg(n).arg(core::protocolName(n));
    case core::FieldId::TcpFlags:
        return RecordModel::tr("%1 = %2 (FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32)").arg(n).arg(core::tcpFlagsText(n));
    case core::FieldId::Bytes:
        return RecordModel::tr("%1 bytes").arg(core::formatInteger(n));
    case core::FieldId::TrafficPath:
        return core::trafficPathText(n);
    case core::FieldId::PacketsLostNoRoute:
    case core::FieldId::PacketsLostBlackhole:
    case core::FieldId::PacketsLostMtuExceeded:
    case core::FieldId::PacketsLostTtlExpired:
        return QString::fromUtf8(core::fieldInfo(f).description);
    default:
        break;
    }
    Q_UNUSED(session);
    return {};
}

} // namespace

QVariant RecordModel::data(const QModelIndex& idx, int role) const
{
    if (!idx.isValid() || idx.row() >= m_rows || idx.column() >= columnCount()) return {};
    const int row = idx.row();
    const int col = idx.column();
    const int ncols = columnCount();
    const Page* p = page(row / kPageSize);
    const int r = row % kPageSize;
    if (!p || r >= p->rows) {
        if (!p) requestPage(row / kPageSize);
        if (role == Qt::ForegroundRole) return QApplication::palette().color(QPalette::PlaceholderText);
        return {};
    }
    const QVariant* rowCells = &p->cells[static_cast<size_t>(r) * static_cast<size_t>(ncols)];
    const QVariant& v = rowCells[col];
    const int field = m_fieldOfColumn[static_cast<size_t>(col)];
    auto cell = [&](core::FieldId f) -> const QVariant* {
        const int c = m_columnIndex.value(QString::fromLatin1(core::fieldInfo(f).column), -1);
        return c < 0 ? nullptr : &rowCells[c];
    };
    auto rowMuted = [&]() {
        const QVariant* s = cell(core::FieldId::LogStatus);
        return s && !s->isNull() && s->toString() != QLatin1String("OK");
    };
    auto rowDropped = [&]() {
        for (auto f : {core::FieldId::PacketsLostNoRoute, core::FieldId::PacketsLostBlackhole,
                       core::FieldId::PacketsLostMtuExceeded, core::FieldId::PacketsLostTtlExpired})
            if (const QVariant* c = cell(f); c && !c->isNull() && c->toLongLong() > 0) return true;
        const QVariant* a = cell(core::FieldId::Action);
        return a && a->toString() == QLatin1String("REJECT");
    };

    switch (role) {
    case Qt::DisplayRole:
        if (v.isNull()) return kNullText;
        if (field < 0) return v.toString();
        if (m_namedColumn[static_cast<size_t>(col)] == NamedColumn::Id) return m_session->displayId(v.toString());
        return displayText(m_columns.at(col), v);
    case Qt::ToolTipRole:
        if (field < 0) return v.isNull() ? tr("NULL") : v.toString();
        if (!v.isNull() && m_namedColumn[static_cast<size_t>(col)] == NamedColumn::Id) {
            const QString id = v.toString();
            const QString name = m_session->names().name(id);
            if (name.isEmpty()) return {};
            return (QStringList{name + QStringLiteral(" (") + id + QLatin1Char(')')} + m_session->describeId(id))
                .join(QLatin1Char('\n'));
        }
        if (!v.isNull() && m_namedColumn[static_cast<size_t>(col)] == NamedColumn::Address) {
            const QString eni = m_session->describeAddress(v.toString());
            return eni.isEmpty() ? QVariant() : QVariant(v.toString() + QStringLiteral(": ") + eni);
        }
        return toolTipFor(static_cast<core::FieldId>(field), v, m_session);
    case Qt::TextAlignmentRole: {
        const bool numeric = v.typeId() == QMetaType::LongLong && field != static_cast<int>(core::FieldId::Start)
                             && field != static_cast<int>(core::FieldId::End)
                             && field != static_cast<int>(core::FieldId::Protocol)
                             && field != static_cast<int>(core::FieldId::TcpFlags);
        return QVariant::fromValue(Qt::Alignment((numeric ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter));
    }
    case Qt::ForegroundRole:
        if (v.isNull() || rowMuted()) return QApplication::palette().color(QPalette::PlaceholderText);
        return {};
    case Qt::FontRole:
        if (rowMuted()) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        return {};
    case Qt::BackgroundRole:
        if (rowDropped()) {
            const QPalette pal = QApplication::palette();
            const bool dark = isDarkPalette(pal);
            return blend(pal.color(QPalette::Base), dark ? QColor(220, 60, 60) : QColor(255, 90, 90), dark ? 0.30 : 0.22);
        }
        return {};
    case RawRole:
        return v;
    case RecordIdRole:
        return rowCells[m_idColumn];
    case IsNullRole:
        return v.isNull();
    default:
        return {};
    }
}

QVariant RecordModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole && section >= 0 && section < m_rows) return section + 1;
        return {};
    }
    if (section < 0 || section >= m_columns.size()) return {};
    const QString& name = m_columns.at(section);
    const int field = m_fieldOfColumn[static_cast<size_t>(section)];
    switch (role) {
    case Qt::DisplayRole:
        if (field >= 0) return QString::fromLatin1(core::fieldInfo(static_cast<core::FieldId>(field)).name);
        if (name == QLatin1String("twin_id")) return QStringLiteral("twin-id");
        if (name == QLatin1String("file_id")) return QStringLiteral("file-id");
        return name;
    case Qt::ToolTipRole: {
        QString text;
        if (field >= 0) text = QString::fromUtf8(core::fieldInfo(static_cast<core::FieldId>(field)).description);
        else if (name == QLatin1String("id")) text = tr("Record number, in load order.");
        else if (name == QLatin1String("file_id")) text = tr("Which loaded file the record came from.");
        else if (name == QLatin1String("line")) text = tr("Line of the record in its file.");
        else if (name == QLatin1String("twin_id")) text = tr("The same TGW flow logged at the other attachment, if loaded.");
        else text = tr("A field this program does not know, kept as text.");
        return tr("%1\nFilter/SQL name: %2").arg(text, name);
    }
    case Qt::InitialSortOrderRole: {
        using F = core::FieldId;
        const bool biggestFirst =
            field == static_cast<int>(F::Bytes) || field == static_cast<int>(F::Packets)
            || field == static_cast<int>(F::PacketsLostNoRoute) || field == static_cast<int>(F::PacketsLostBlackhole)
            || field == static_cast<int>(F::PacketsLostMtuExceeded) || field == static_cast<int>(F::PacketsLostTtlExpired);
        return biggestFirst ? Qt::DescendingOrder : Qt::AscendingOrder;
    }
    case ColumnNameRole:
        return name;
    default:
        return {};
    }
}

} // namespace ui
