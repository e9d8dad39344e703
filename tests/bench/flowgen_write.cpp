// flowgen's writers: one TGW file (text or gzip) and an S3 download tree of gzip objects.
#include "flowgen.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <zlib.h>

#include <cstdio>
#include <functional>

namespace flowgen {

namespace {

/// Text or gzip output file.
class Out {
public:
    bool open(const QString& path, bool gzip)
    {
        QDir().mkpath(QFileInfo(path).absolutePath());
        const QByteArray p = QFile::encodeName(path);
        if (gzip) {
            m_gz = gzopen(p.constData(), "wb6");
            if (m_gz) gzbuffer(m_gz, 1 << 17);
            return m_gz != nullptr;
        }
        m_f = std::fopen(p.constData(), "wb");
        return m_f != nullptr;
    }
    void line(const std::string& s)
    {
        m_buf += s;
        m_buf += '\n';
        if (m_buf.size() > (1u << 20)) flush();
    }
    void flush()
    {
        if (m_buf.empty()) return;
        if (m_gz) gzwrite(m_gz, m_buf.data(), static_cast<unsigned>(m_buf.size()));
        if (m_f) std::fwrite(m_buf.data(), 1, m_buf.size(), m_f);
        m_written += static_cast<int64_t>(m_buf.size());
        m_buf.clear();
    }
    int64_t close()
    {
        flush();
        int rc = 0;
        if (m_gz) rc = gzclose(m_gz);
        if (m_f) rc = std::fclose(m_f);
        m_gz = nullptr;
        m_f = nullptr;
        return rc == 0 ? m_written : -1;
    }
    bool isOpen() const { return m_gz || m_f; }
    ~Out()
    {
        if (isOpen()) close();
    }

private:
    gzFile m_gz = nullptr;
    FILE* m_f = nullptr;
    std::string m_buf;
    int64_t m_written = 0;
};

} // namespace

int64_t writeTgwFile(const QString& path, const Options& options, bool header, bool gzip)
{
    Out out;
    if (!out.open(path, gzip)) return -1;
    if (header) out.line(tgwHeader());
    generate(options, [&](const std::string& l, int64_t) { out.line(l); });
    return out.close();
}

int writeS3Tree(const QString& root, const Options& options)
{
    const Topology& topo = topology();
    struct Stream {
        std::string flowLogId;
        std::string header;
        int64_t window = -1;
        Out out;
    };
    Stream tgwStream{topo.tgwFlowLogId, tgwHeader(), -1, {}};
    Stream vpcStream{topo.vpcFlowLogId, vpcHeader(), -1, {}};
    int files = 0;
    bool ok = true;
    auto write = [&](Stream& s, const std::string& line, int64_t t) {
        const int64_t window = t - t % 300;
        if (window != s.window) {
            if (s.out.isOpen() && s.out.close() < 0) ok = false;
            s.window = window;
            const QDateTime dt = QDateTime::fromSecsSinceEpoch(window, Qt::UTC);
            const uint64_t h = std::hash<std::string>{}(s.flowLogId + std::to_string(window) + std::to_string(options.seed));
            char hash[16];
            std::snprintf(hash, sizeof hash, "%08x", static_cast<unsigned>(h & 0xffffffffu));
            const QString dir = QStringLiteral("%1/AWSLogs/%2/vpcflowlogs/%3/%4")
                                    .arg(root, QString::fromStdString(topo.account), QString::fromStdString(topo.region),
                                         dt.toString(QStringLiteral("yyyy/MM/dd")));
            const QString name = QStringLiteral("%1_vpcflowlogs_%2_%3_%4_%5.log.gz")
                                     .arg(QString::fromStdString(topo.account), QString::fromStdString(topo.region),
                                          QString::fromStdString(s.flowLogId), dt.toString(QStringLiteral("yyyyMMdd'T'HHmm'Z'")),
                                          QLatin1String(hash));
            if (!s.out.open(dir + QLatin1Char('/') + name, true)) {
                ok = false;
                return;
            }
            ++files;
            s.out.line(s.header);
        }
        s.out.line(line);
    };
    generate(
        options, [&](const std::string& l, int64_t t) { write(tgwStream, l, t); },
        [&](const std::string& l, int64_t t) { write(vpcStream, l, t); });
    if (tgwStream.out.isOpen() && tgwStream.out.close() < 0) ok = false;
    if (vpcStream.out.isOpen() && vpcStream.out.close() < 0) ok = false;
    return ok ? files : -1;
}

} // namespace flowgen
