#pragma once
// Test/bench/fuzz helper: compress a buffer into one gzip member with zlib, to build gzip
// inputs (the readers under test decode them with their own code); write a plain or gzip file
// into a folder tree.
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <zlib.h>

namespace testutil {

/// One gzip member holding `in`; empty on a zlib setup failure.
inline QByteArray gzipCompress(const QByteArray& in, int level = 6)
{
    z_stream z{};
    if (deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
    QByteArray out(static_cast<qsizetype>(deflateBound(&z, static_cast<uLong>(in.size())) + 64), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.constData()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(static_cast<qsizetype>(z.total_out));
    deflateEnd(&z);
    return out;
}

/// Writes `data` to `path` (creating its folders), gzip-compressed (zlib's gzwrite) with `gzip`.
/// False on any error.
inline bool writeFile(const QString& path, const QByteArray& data, bool gzip = false)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    if (gzip) {
        gzFile f = gzopen(QFile::encodeName(path).constData(), "wb");
        if (!f) return false;
        const int n = gzwrite(f, data.constData(), static_cast<unsigned>(data.size()));
        return gzclose(f) == Z_OK && n == data.size();
    }
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

} // namespace testutil
