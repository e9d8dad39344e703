#pragma once
// Test helper for the flowlog-cli end-to-end tests (tests/core/tst_cli*.cpp): runs the built
// binary (testpaths::cliPath()) with QProcess and returns exit code, stdout and stderr; fixture
// paths under tests/data/cli; the CSV headers of edges and series.
#include "tests/testpaths.h"
#include <QByteArray>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace clitest {

struct Run {
    int exitCode = -1;
    QByteArray out;
    QString err;
};

inline QString fixture(const QString& name)
{
    return testpaths::testData() + QStringLiteral("/cli/") + name;
}

inline Run runCli(const QStringList& args, const QByteArray& input = {})
{
    QProcess p;
    p.start(testpaths::cliPath(), args);
    Run r;
    if (!p.waitForStarted(30000)) {
        r.err = QStringLiteral("could not start ") + testpaths::cliPath();
        return r;
    }
    if (!input.isEmpty()) p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("timed out");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

inline QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline QStringList tcpExportArgs()
{
    return {QStringLiteral("export"),
            QStringLiteral("--filter"),
            QStringLiteral("proto == tcp"),
            QStringLiteral("--sort"),
            QStringLiteral("bytes:desc"),
            QStringLiteral("--columns"),
            QStringLiteral("tgw_attachment_id,srcaddr,dstaddr,bytes,pkt-src-aws-service")};
}

inline const char* const kEdgesHeader = "src,dst,flows,packets,bytes,packets_lost_no_route,packets_lost_blackhole,"
                                        "packets_lost_mtu_exceeded,packets_lost_ttl_expired";
inline const char* const kSeriesHeader = "bin_start,flows,packets,bytes,packets_lost_no_route,packets_lost_blackhole,"
                                         "packets_lost_mtu_exceeded,packets_lost_ttl_expired";

/// runCli with FLOWLOG_MEMORY_LIMIT set (the available memory the CLI believes in).
inline Run runCliWithMemory(const QStringList& args, const QString& limit, const QByteArray& input = {})
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("FLOWLOG_MEMORY_LIMIT"), limit);
    p.setProcessEnvironment(env);
    p.start(testpaths::cliPath(), args);
    Run r;
    if (!p.waitForStarted(30000)) return r;
    if (!input.isEmpty()) p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace clitest
