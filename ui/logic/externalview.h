#pragma once
// The banner a page shows while it displays rows from elsewhere (an Athena or Logs Insights
// result) instead of the loaded records: one text for the Attachments, Timeline and Drops pages.
#include <QCoreApplication>
#include <QString>

namespace ui {

/// The href of the banner's "Back to local data" link.
inline QString externalBackLink()
{
    return QStringLiteral("back");
}

/// "Showing <source> — Back to local data" as rich text (the source escaped; the link's href is
/// externalBackLink()). Pure.
inline QString externalBannerText(const QString& source)
{
    return QCoreApplication::translate("ui::ExternalView", "Showing %1 \u2014 <a href=\"%2\">Back to local data</a>")
        .arg(source.toHtmlEscaped(), externalBackLink());
}

/// The banner's look (a pale amber strip, readable in light and dark palettes).
inline QString externalBannerStyle()
{
    return QStringLiteral("QLabel { background: #fff3cd; color: #3d2e00; padding: 5px 8px; border-bottom: 1px solid #e0c46c; }"
                          " QLabel a { color: #0b57d0; }");
}

} // namespace ui
