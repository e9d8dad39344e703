#pragma once
// The before/after data of the comparison GUI tests (tst_comparegraph, tst_comparematrix): a
// baseline and a current set of TGW flows with exactly one edge gone (C->D), one new (X->Y), one
// doubled (A->B), one unchanged (G->H) and a new blackhole drop at E.
#include "core/ingest/loader.h"
#include "core/store/store.h"
#include "uihelpers.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <memory>

namespace comparetest {

using uitest::both;
using uitest::tgwLine;

inline constexpr qint64 kT0 = 1795946400; // baseline hour; the current flows start one hour later

/// Baseline flows starting at `t`: A->B once, C->D (goes), G->H (stays).
inline QByteArray baselineLog(qint64 t)
{
    return both("tgw-attach-a", "tgw-attach-b", 1000, 1000, t) + both("tgw-attach-c", "tgw-attach-d", 1001, 500, t + 60)
           + both("tgw-attach-g", "tgw-attach-h", 1002, 300, t + 120);
}

/// Current flows starting at `t`: A->B doubles, X->Y appears, G->H the same, a new blackhole drop at E.
inline QByteArray currentLog(qint64 t)
{
    return both("tgw-attach-a", "tgw-attach-b", 1000, 1000, t) + both("tgw-attach-a", "tgw-attach-b", 1003, 1000, t + 60)
           + both("tgw-attach-x", "tgw-attach-y", 1004, 700, t + 120) + both("tgw-attach-g", "tgw-attach-h", 1002, 300, t + 180)
           + tgwLine("tgw-attach-e", "-", "ingress", 1005, 400, t + 240, 4);
}

inline std::shared_ptr<core::Store> storeOf(const QByteArray& text)
{
    auto created = core::Store::create();
    if (!created) return nullptr;
    std::shared_ptr<core::Store> store = std::move(created.value());
    const core::LoadReport report = core::loadBuffer(*store, text, QStringLiteral("<baseline>"), core::LoadOptions{});
    Q_UNUSED(report);
    return store;
}

/// Writes the current flows (an hour after the baseline) as `after.log` in `dir`; its path, or an
/// empty string when it could not be written.
inline QString writeCurrentLog(const QDir& dir)
{
    const QString path = dir.filePath(QStringLiteral("after.log"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(currentLog(kT0 + 3600)) < 0) return {};
    return path;
}

} // namespace comparetest
