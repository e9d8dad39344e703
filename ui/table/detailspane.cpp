#include "ui/table/detailspane.h"

#include "core/ingest/parquet.h"
#include "core/model/fields.h"
#include "core/model/units.h"
#include "ui/logic/jobtracker.h"
#include "ui/logic/session.h"
#include "ui/table/recordmodel.h"

#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSettings>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <zlib.h>

namespace ui {

struct DetailsPane::Record {
    QString error;
    QStringList columns;
    QVariantList values;
    QString path;
    QString format;
    QString twinAttachment;
    QString twinDirection;
    QVariant value(const QString& column) const
    {
        const qsizetype i = columns.indexOf(column);
        return i < 0 ? QVariant() : values.at(i);
    }
};

namespace {

constexpr qint64 kMaxRawChars = 4096;

QString dropMeaning(core::FieldId f)
{
    switch (f) {
    case core::FieldId::PacketsLostNoRoute:
        return DetailsPane::tr("No route: the TGW route table of the attachment has no route to the destination.");
    case core::FieldId::PacketsLostBlackhole:
        return DetailsPane::tr("Blackhole: the destination matched a blackhole route in the TGW route table.");
    case core::FieldId::PacketsLostMtuExceeded:
        return DetailsPane::tr("MTU exceeded: packets larger than the TGW MTU (8500 bytes for VPC, Direct Connect and "
                               "peering; 1500 over VPN). The TGW sends no ICMP 'fragmentation needed'.");
    case core::FieldId::PacketsLostTtlExpired:
        return DetailsPane::tr("TTL expired: a routing loop, or packets sent with a low TTL.");
    default:
        return {};
    }
}

QString logStatusMeaning(const QString& s)
{
    if (s == QLatin1String("NODATA")) return DetailsPane::tr("No traffic on the interface/attachment in the interval.");
    if (s == QLatin1String("SKIPDATA"))
        return DetailsPane::tr("AWS skipped records in the interval (capacity or an internal error).");
    if (s == QLatin1String("OK")) return DetailsPane::tr("Data logged normally.");
    return {};
}

QString encryptionText(qint64 v)
{
    switch (v) {
    case 0:
        return DetailsPane::tr("not encrypted");
    case 1:
        return DetailsPane::tr("encrypted by Nitro");
    case 2:
        return DetailsPane::tr("encrypted by the application");
    case 3:
        return DetailsPane::tr("encrypted by Nitro and the application");
    default:
        return {};
    }
}

} // namespace

DetailsPane::DetailsPane(Session* session, QWidget* parent)
    : QWidget(parent), m_session(session), m_job(new JobTracker(this)), m_rawJob(new JobTracker(this)), m_title(new QLabel(this)),
      m_twinLink(new QLabel(this)), m_tree(new QTreeWidget(this)), m_meaning(new QLabel(this)),
      m_showEmpty(new QCheckBox(tr("Show fields without a value"), this)), m_source(new QLabel(this)),
      m_raw(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("detailsPane"));
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_twinLink->setObjectName(QStringLiteral("twinLink"));
    m_twinLink->setWordWrap(true);
    m_twinLink->setTextFormat(Qt::RichText);
    m_twinLink->hide();
    connect(m_twinLink, &QLabel::linkActivated, this, [this]() {
        if (m_twin.get() >= 0) Q_EMIT recordRequested(m_twin.get());
    });
    m_tree->setColumnCount(3);
    m_tree->setHeaderLabels({tr("Field"), tr("Value"), tr("Meaning")});
    m_tree->setRootIsDecorated(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setColumnWidth(0, 170);
    m_tree->setColumnWidth(1, 200);
    m_meaning->setWordWrap(true);
    m_meaning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_meaning->setMinimumHeight(m_meaning->fontMetrics().height() * 2);
    m_meaning->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        m_meaning->setText(item && !item->text(2).isEmpty()
                               ? QStringLiteral("<b>%1</b>: %2").arg(item->text(0).toHtmlEscaped(), item->text(2).toHtmlEscaped())
                               : QString());
    });
    m_showEmpty->setObjectName(QStringLiteral("showEmptyFields"));
    m_showEmpty->setToolTip(tr("Also list the fields this record's log format does not have ('-' or absent)"));
    m_showEmpty->setChecked(QSettings().value(QStringLiteral("details/showEmpty"), false).toBool());
    connect(m_showEmpty, &QCheckBox::toggled, this, [this](bool on) {
        QSettings().setValue(QStringLiteral("details/showEmpty"), on);
        if (m_id.get() >= 0) showRecord(m_id);
    });
    m_source->setWordWrap(true);
    m_source->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_raw->setObjectName(QStringLiteral("rawLine"));
    m_raw->setReadOnly(true);
    m_raw->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_raw->setMaximumHeight(m_raw->fontMetrics().height() * 5 + 12);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_title);
    layout->addWidget(m_twinLink);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_meaning);
    layout->addWidget(m_showEmpty);
    layout->addWidget(m_source);
    layout->addWidget(m_raw);
    connect(m_session, &Session::storeChanged, this, [this]() { showRecord(core::kNoRecord); });
    auto reshow = [this]() {
        if (m_id.get() >= 0) showRecord(m_id);
    };
    connect(m_session, &Session::timeDisplayChanged, this, reshow);
    connect(m_session, &Session::nameDisplayChanged, this, reshow);
    connect(m_session, &Session::namesChanged, this, reshow);
    clearView(tr("Select a record to see all of its fields."));
}

QString DetailsPane::rawLine() const
{
    return m_raw->toPlainText();
}

void DetailsPane::clearView(const QString& message)
{
    m_title->setText(message);
    m_twinLink->hide();
    m_tree->clear();
    m_meaning->clear();
    m_source->clear();
    m_raw->clear();
    m_raw->setVisible(false);
}

void DetailsPane::showRecord(core::RecordId recordId)
{
    const qint64 id = recordId.get();
    m_id = recordId;
    m_twin = core::kNoRecord;
    if (id < 0) {
        m_job->cancelAll();
        m_rawJob->cancelAll();
        clearView(tr("Select a record to see all of its fields."));
        return;
    }
    auto store = m_session->store();
    m_job->run(
        [store, id](const std::atomic<bool>*) {
            Record r;
            auto st = store->prepare(QStringLiteral("SELECT * FROM flows WHERE id = ?1"));
            if (!st.ok()) {
                r.error = st.error().toString();
                return r;
            }
            st->bind(1, id);
            if (!st->next()) {
                r.error = st->error().isEmpty() ? tr("Record %1 is not in the store.").arg(id) : st->error();
                return r;
            }
            for (int c = 0; c < st->columnCount(); ++c) {
                r.columns << st->columnName(c);
                r.values << st->value(c);
            }
            auto file = store->prepare(QStringLiteral("SELECT path, format FROM files WHERE id = ?1"));
            if (file.ok()) {
                file->bind(1, r.value(QStringLiteral("file_id")));
                if (file->next()) {
                    r.path = file->text(0);
                    r.format = file->text(1);
                }
            }
            const QVariant twin = r.value(QStringLiteral("twin_id"));
            if (!twin.isNull()) {
                auto t = store->prepare(QStringLiteral("SELECT tgw_attachment_id, flow_direction FROM flows WHERE id = ?1"));
                if (t.ok()) {
                    t->bind(1, twin);
                    if (t->next()) {
                        r.twinAttachment = t->text(0);
                        r.twinDirection = t->text(1);
                    }
                }
            }
            return r;
        },
        [this, id](const Record& r) {
            if (id != m_id.get()) return;
            if (!r.error.isEmpty()) {
                clearView(r.error);
                return;
            }
            showFields(r);
        });
}

namespace {

QTreeWidgetItem* addItem(QTreeWidget* tree, QTreeWidgetItem* parent, const QString& name, const QString& value,
                         const QString& meaning)
{
    auto* item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(tree);
    item->setText(0, name);
    item->setText(1, value);
    item->setText(2, meaning);
    item->setToolTip(1, value);
    item->setToolTip(2, meaning);
    return item;
}

const core::FieldId kDropFields[] = {core::FieldId::PacketsLostNoRoute, core::FieldId::PacketsLostBlackhole,
                                     core::FieldId::PacketsLostMtuExceeded, core::FieldId::PacketsLostTtlExpired};

} // namespace

QString DetailsPane::titleText(const Record& r) const
{
    // One line a network engineer reads at a glance.
    auto text = [&](const QString& c) { return r.value(c).toString(); };
    auto isNull = [&](const QString& c) { return r.value(c).isNull(); };
    if (isNull(QStringLiteral("srcaddr"))) return tr("%1 record (no traffic fields)").arg(text(QStringLiteral("log_status")));
    const QString proto =
        isNull(QStringLiteral("protocol")) ? QString() : core::protocolName(r.value(QStringLiteral("protocol")).toLongLong());
    auto endpoint = [&](const QString& a, const QString& p) {
        QString addr = text(a);
        if (addr.contains(QLatin1Char(':'))) addr = QLatin1Char('[') + addr + QLatin1Char(']');
        return isNull(p) ? addr : addr + QLatin1Char(':') + text(p);
    };
    QString title = QStringLiteral("%1 %2 → %3")
                        .arg(proto.isEmpty() ? text(QStringLiteral("protocol")) : proto,
                             endpoint(QStringLiteral("srcaddr"), QStringLiteral("srcport")),
                             endpoint(QStringLiteral("dstaddr"), QStringLiteral("dstport")));
    if (!isNull(QStringLiteral("bytes")))
        title += tr(", %1 in %2 packets")
                     .arg(core::formatBytes(r.value(QStringLiteral("bytes")).toLongLong()),
                          core::formatInteger(r.value(QStringLiteral("packets")).toLongLong()));
    return title;
}

void DetailsPane::showTwinLink(const Record& r)
{
    // TGW flows are logged at both attachments.
    const QVariant twin = r.value(QStringLiteral("twin_id"));
    m_twin = core::RecordId(twin.isNull() ? -1 : twin.toLongLong());
    const QVariant pair = r.value(QStringLiteral("tgw_pair_attachment_id"));
    if (m_twin.get() >= 0) {
        m_twinLink->setText(tr("<a href=\"twin\">This flow at the other attachment</a>: %1 (%2)")
                                .arg(m_session->displayId(r.twinAttachment).toHtmlEscaped(), r.twinDirection.toHtmlEscaped()));
        m_twinLink->show();
    } else if (!r.value(QStringLiteral("tgw_attachment_id")).isNull() && !pair.isNull()) {
        m_twinLink->setText(tr("The record of this flow at the other attachment (%1) is not loaded.")
                                .arg(m_session->displayId(pair.toString()).toHtmlEscaped()));
        m_twinLink->show();
    } else {
        m_twinLink->hide();
    }
}

void DetailsPane::addDropItems(const Record& r)
{
    // Drops first: they are why people open TGW logs.
    auto lost = [&](core::FieldId f) { return r.value(QString::fromLatin1(core::fieldInfo(f).column)).toLongLong(); };
    qint64 totalLost = 0;
    for (auto f : kDropFields) totalLost += lost(f);
    if (totalLost <= 0) return;
    auto* drops = addItem(m_tree, nullptr, tr("Dropped packets"), core::formatInteger(totalLost),
                          tr("Packets the transit gateway dropped, by reason"));
    QFont bold = drops->font(0);
    bold.setBold(true);
    drops->setFont(0, bold);
    drops->setFont(1, bold);
    for (auto f : kDropFields)
        if (const qint64 n = lost(f); n > 0)
            addItem(m_tree, drops, QString::fromLatin1(core::fieldInfo(f).name), core::formatInteger(n), dropMeaning(f));
    drops->setExpanded(true);
}

QString DetailsPane::valueText(core::FieldId f, const QVariant& v, QString* meaning) const
{
    if (v.isNull()) return QStringLiteral("–");
    const qint64 n = v.toLongLong();
    switch (f) {
    case core::FieldId::Start:
    case core::FieldId::End:
        return tr("%1  (%2)").arg(m_session->formatTime(n)).arg(n);
    case core::FieldId::Protocol:
        return tr("%1 (%2)").arg(n).arg(core::protocolName(n));
    case core::FieldId::TcpFlags:
        return tr("%1 (%2)").arg(n).arg(core::tcpFlagsText(n));
    case core::FieldId::Bytes:
        return tr("%1 (%2)").arg(core::formatInteger(n), core::formatBytes(n));
    case core::FieldId::Packets:
        return core::formatInteger(n);
    case core::FieldId::TrafficPath:
        return tr("%1: %2").arg(n).arg(core::trafficPathText(n));
    case core::FieldId::EncryptionStatus:
        return tr("%1: %2").arg(n).arg(encryptionText(n));
    case core::FieldId::LogStatus:
        if (const QString m = logStatusMeaning(v.toString()); !m.isEmpty()) *meaning = m;
        break;
    case core::FieldId::PacketsLostNoRoute:
    case core::FieldId::PacketsLostBlackhole:
    case core::FieldId::PacketsLostMtuExceeded:
    case core::FieldId::PacketsLostTtlExpired:
        if (n > 0) *meaning = dropMeaning(f);
        break;
    default:
        break;
    }
    return v.toString();
}

void DetailsPane::addNameFacts(QTreeWidgetItem* item, const QString& column, const QVariant& v)
{
    // What the AWS CLI names say: an id's kind, resource, owner, route table, ...; the ENI,
    // instance and subnet of a private address.
    if (Session::isIdField(column)) {
        const QString id = v.toString();
        const QString from = tr("From the loaded AWS resource names");
        if (m_session->nameDisplay() != NameDisplay::NameAndId && !m_session->names().name(id).isEmpty())
            addItem(m_tree, item, m_session->nameDisplay() == NameDisplay::Name ? tr("id") : tr("name"),
                    m_session->nameDisplay() == NameDisplay::Name ? id : m_session->names().name(id), from);
        for (const QString& fact : m_session->describeId(id))
            addItem(m_tree, item, fact.section(QStringLiteral(": "), 0, 0), fact.section(QStringLiteral(": "), 1), from);
        // Attachments are what TGW logs are read for: their kind, resource, owner and route
        // table are shown at once; other ids expand on demand.
        item->setExpanded(column.contains(QLatin1String("attachment")));
    } else if (Session::isAddressField(column)) {
        const QString eni = m_session->describeAddress(v.toString());
        if (!eni.isEmpty()) {
            addItem(m_tree, item, tr("interface"), eni, tr("The network interface that owns this private address"));
            item->setExpanded(true);
        }
    }
}

void DetailsPane::addFieldItems(QTreeWidgetItem* fields, const Record& r)
{
    const QColor muted = QApplication::palette().color(QPalette::PlaceholderText);
    for (qsizetype i = 0; i < r.columns.size(); ++i) {
        const QString& column = r.columns.at(i);
        const QVariant& v = r.values.at(i);
        const auto f = core::findField(column.toStdString());
        if (!f || (v.isNull() && !m_showEmpty->isChecked())) continue;
        const core::FieldInfo& info = core::fieldInfo(*f);
        QString meaning = QString::fromUtf8(info.description);
        QString value = valueText(*f, v, &meaning);
        if (!v.isNull() && Session::isIdField(column)) value = m_session->displayId(value);
        auto* item = addItem(m_tree, fields, QString::fromLatin1(info.name), value, meaning);
        if (v.isNull())
            for (int c = 0; c < 3; ++c) item->setForeground(c, muted);
        else addNameFacts(item, column, v);
    }
    const QVariant start = r.value(QStringLiteral("start")), end = r.value(QStringLiteral("end"));
    if (!start.isNull() && !end.isNull())
        addItem(m_tree, fields, tr("duration"), tr("%1 s").arg(end.toLongLong() - start.toLongLong()),
                tr("end - start: the aggregation interval the record covers"));
    // Extra (unknown) header fields.
    for (qsizetype i = 0; i < r.columns.size(); ++i) {
        const QString& column = r.columns.at(i);
        if (core::findField(column.toStdString()) || column == QLatin1String("id") || column == QLatin1String("file_id")
            || column == QLatin1String("line") || column == QLatin1String("twin_id"))
            continue;
        const QVariant& v = r.values.at(i);
        addItem(m_tree, fields, column, v.isNull() ? QStringLiteral("–") : v.toString(),
                tr("A field this program does not know, kept as text."));
    }
}

void DetailsPane::showSource(const Record& r)
{
    const qint64 line = r.value(QStringLiteral("line")).toLongLong();
    m_source->setText(
        tr("Record %1 · %2:%3 · %4").arg(r.value(QStringLiteral("id")).toLongLong()).arg(r.path).arg(line).arg(r.format));
    m_raw->setVisible(true);
    m_raw->setPlainText(tr("reading line %1 of the file…").arg(line));
    const QString path = r.path;
    const core::RecordId id = m_id;
    m_rawJob->run(
        [path, line](const std::atomic<bool>*) {
            QString error;
            QString raw = readLine(path, line, &error);
            return error.isEmpty() ? raw : error;
        },
        [this, id](const QString& raw) {
            if (id == m_id) m_raw->setPlainText(raw);
        });
}

void DetailsPane::showFields(const Record& r)
{
    m_title->setText(titleText(r));
    showTwinLink(r);
    m_tree->clear();
    addDropItems(r);
    auto* fields = addItem(m_tree, nullptr, tr("Fields"), QString(),
                           m_showEmpty->isChecked() ? tr("Every known field (grey: no value in this record)")
                                                    : tr("Every field with a value"));
    addFieldItems(fields, r);
    fields->setExpanded(true);
    m_tree->resizeColumnToContents(0);
    m_tree->resizeColumnToContents(1);
    m_tree->setColumnWidth(1, std::min(m_tree->columnWidth(1), 300));
    m_meaning->clear();
    showSource(r);
    Q_EMIT recordShown(m_id.get());
}

QString DetailsPane::readLine(const QString& path, qint64 line, QString* error)
{
    auto fail = [&](const QString& why) {
        *error = tr("(raw line not stored: %1)").arg(why);
        return QString();
    };
    if (line <= 0) return fail(tr("no line number"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return fail(tr("%1 cannot be read: %2").arg(path, file.errorString()));
    const QByteArray magic = file.peek(4);
    if (magic == "PAR1") { // Parquet: the row as column=value pairs
        const auto row = core::parquetRowText(path, line);
        return row.ok() ? row.value() : fail(row.error().message);
    }
    QByteArray out;
    if (magic.size() >= 2 && static_cast<unsigned char>(magic[0]) == 0x1f && static_cast<unsigned char>(magic[1]) == 0x8b) {
        file.close();
        gzFile gz = gzopen(QFile::encodeName(path).constData(), "rb");
        if (!gz) return fail(tr("%1 cannot be opened").arg(path));
        char buffer[65536];
        qint64 current = 1;
        bool atStart = true;
        while (gzgets(gz, buffer, sizeof buffer)) {
            const size_t n = strlen(buffer);
            if (current == line && out.size() < kMaxRawChars) out.append(buffer, static_cast<qsizetype>(n));
            if (n > 0 && buffer[n - 1] == '\n') {
                if (current == line) break;
                ++current;
                atStart = true;
            } else {
                atStart = false;
            }
        }
        Q_UNUSED(atStart);
        gzclose(gz);
        if (current < line) return fail(tr("%1 has fewer than %2 lines").arg(path).arg(line));
    } else {
        qint64 current = 0;
        while (!file.atEnd()) {
            QByteArray l = file.readLine(kMaxRawChars * 4);
            if (l.endsWith('\n') || file.atEnd()) ++current;
            else continue; // rest of a very long line
            if (current == line) {
                out = l;
                break;
            }
        }
        if (current < line) return fail(tr("%1 has fewer than %2 lines").arg(path).arg(line));
    }
    while (out.endsWith('\n') || out.endsWith('\r')) out.chop(1);
    return QString::fromUtf8(out.left(kMaxRawChars));
}

} // namespace ui
