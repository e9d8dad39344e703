// The Attachments page's exports: edges or matrix as CSV, the graph or the matrix as PNG / SVG.
#include "ui/graph/attachmentspage.h"

#include "core/export/csv.h"
#include "ui/logic/session.h"

#include <QApplication>
#include <QBuffer>
#include <QClipboard>
#include <QFileDialog>
#include <QImage>
#include <QLabel>
#include <QMessageBox>
#include <QPainter>
#include <QSaveFile>
#include <QStackedWidget>
#include <QSvgGenerator>

namespace ui {
namespace {

QSize exportSize(const QWidget* view)
{
    const QSize s = view->size();
    if (view->isVisible() && s.width() >= 400 && s.height() >= 300) return s;
    return {1600, 1000};
}

} // namespace

void AttachmentsPage::render(QPainter& painter, const QSizeF& size) const
{
    painter.setFont(m_view->font());
    if (m_mode == Mode::Matrix) m_matrix->render(painter, size);
    else m_view->render(painter, size);
}

QByteArray AttachmentsPage::edgesCsv() const
{
    QByteArray out = core::csvRecord({QStringLiteral("src"), QStringLiteral("dst"), QStringLiteral("flows"),
                                      QStringLiteral("packets"), QStringLiteral("bytes"), QStringLiteral("packets_lost_no_route"),
                                      QStringLiteral("packets_lost_blackhole"), QStringLiteral("packets_lost_mtu_exceeded"),
                                      QStringLiteral("packets_lost_ttl_expired")});
    for (const auto& e : m_edges) {
        QStringList f{e.src, e.dst, QString::number(e.flows), QString::number(e.packets), QString::number(e.bytes)};
        for (qint64 l : e.lost) f << QString::number(l);
        out += core::csvRecord(f);
    }
    return out;
}

void AttachmentsPage::copyEdgesCsv()
{
    if (m_mode == Mode::Matrix) {
        if (m_matrixDirty) rebuildMatrix(true);
        QApplication::clipboard()->setText(QString::fromUtf8(m_matrix->model()->toCsv()));
        const auto& mx = m_matrix->model()->matrix();
        m_statusLabel->setText(tr("Copied the %1 x %2 matrix (%3) as CSV.")
                                   .arg(mx.rowCount())
                                   .arg(mx.colCount())
                                   .arg(matrixMeasureName(mx.measure)));
        return;
    }
    QApplication::clipboard()->setText(QString::fromUtf8(edgesCsv()));
    m_statusLabel->setText(tr("Copied %1 edges as CSV.").arg(formatInteger(static_cast<qint64>(m_edges.size()))));
}

bool AttachmentsPage::exportPng(const QString& path, QString* error) const
{
    const QSize size = exportSize(m_stack->currentWidget());
    QImage image(size * 2, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(2.0);
    {
        QPainter p(&image);
        render(p, QSizeF(size));
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit()) {
        if (error) *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool AttachmentsPage::exportSvg(const QString& path, QString* error) const
{
    const QSize size = exportSize(m_stack->currentWidget());
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    {
        QSvgGenerator gen;
        gen.setOutputDevice(&buffer);
        gen.setSize(size);
        gen.setViewBox(QRect(QPoint(0, 0), size));
        gen.setTitle(tr("Transit Gateway attachments"));
        gen.setDescription(tr("Filter: %1").arg(m_session->filter().isEmpty() ? tr("(none)") : m_session->filter()));
        QPainter p(&gen);
        render(p, QSizeF(size));
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(buffer.data()) != buffer.data().size() || !file.commit()) {
        if (error) *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void AttachmentsPage::exportDialog(bool svg)
{
    const QString filterText = svg ? tr("SVG drawing (*.svg)") : tr("PNG image (*.png)");
    QString path = QFileDialog::getSaveFileName(
        this, svg ? tr("Export graph as SVG") : tr("Export graph as PNG"),
        (m_mode == Mode::Matrix ? QStringLiteral("attachment-matrix") : QStringLiteral("attachments"))
            + (svg ? QStringLiteral(".svg") : QStringLiteral(".png")),
        filterText);
    if (path.isEmpty()) return;
    const QString suffix = svg ? QStringLiteral(".svg") : QStringLiteral(".png");
    if (!path.endsWith(suffix, Qt::CaseInsensitive)) path += suffix;
    QString error;
    const bool ok = svg ? exportSvg(path, &error) : exportPng(path, &error);
    if (!ok) QMessageBox::warning(this, tr("Export failed"), error);
    else m_statusLabel->setText(tr("Exported %1").arg(path));
}

} // namespace ui
