// Parser throughput: parseLine and readBuffer (plain and gzip) over ~200 MB of generated
// Transit Gateway default-format lines. Prints MB/s and lines/s, median of 5 runs.
// Usage: bench_parse [megabytes]
#include "core/ingest/ingest.h"
#include "core/ingest/parser.h"

#include "tests/gziptestutil.h"
#include <QByteArray>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

struct CountingSink final : core::RecordSink {
    qint64 records = 0;
    qint64 rejected = 0;
    int64_t checksum = 0;
    void record(const core::FlowRecord& r) override
    {
        ++records;
        checksum += r.integer(core::FieldId::Bytes);
    }
    void reject(const core::Rejection&) override { ++rejected; }
    int extraColumn(std::string_view) override { return 0; }
};

QByteArray generate(qint64 targetBytes, qint64* lines)
{
    QByteArray out;
    out.reserve(targetBytes + 1024);
    out += "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id "
           "tgw-dst-vpc-account-id tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id "
           "tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr "
           "srcport dstport protocol packets bytes start end log-status type packets-lost-no-route "
           "packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags region "
           "flow-direction pkt-src-aws-service pkt-dst-aws-service\n";
    uint32_t seed = 12345;
    auto rnd = [&seed] {
        seed = seed * 1664525u + 1013904223u;
        return seed >> 8;
    };
    char line[1024];
    qint64 n = 0;
    while (out.size() < targetBytes) {
        const uint32_t a = rnd() % 8, b = (a + 1 + rnd() % 7) % 8;
        const int len =
            std::snprintf(line, sizeof line,
                          "6 TransitGateway 123456789012 tgw-0a1b2c3d4e5f67890 tgw-attach-0aa11bb22cc33dd4%u 123456789012 "
                          "210987654321 vpc-0a1b2c3d4e5f6a7b%u vpc-0f9e8d7c6b5a4938%u subnet-0123456789abcdef%u "
                          "subnet-0fedcba987654321%u eni-0a1b2c3d4e5f6000%u eni-0a1b2c3d4e5f6001%u use1-az%u use1-az%u "
                          "tgw-attach-0ee55ff66aa77bb8%u 10.%u.%u.%u 10.%u.%u.%u %u %u 6 %u %u %u %u OK IPv4 0 0 0 0 19 "
                          "us-east-1 %s - -\n",
                          a, a, b, a, b, a, b, a % 3 + 1, b % 3 + 1, b, a, rnd() % 256, rnd() % 256, b, rnd() % 256, rnd() % 256,
                          1024 + rnd() % 60000, rnd() % 2 ? 443u : 5432u, 1 + rnd() % 5000, 60 + rnd() % 9000000,
                          1700000000u + static_cast<unsigned>(n / 1000), 1700000060u + static_cast<unsigned>(n / 1000),
                          rnd() % 2 ? "ingress" : "egress");
        out.append(line, len);
        ++n;
    }
    *lines = n;
    return out;
}

QByteArray gzip(const QByteArray& in)
{
    return testutil::gzipCompress(in);
}

template <class F> double medianSeconds(F&& f)
{
    std::vector<double> t;
    for (int i = 0; i < 5; ++i) {
        QElapsedTimer timer;
        timer.start();
        f();
        t.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e9);
    }
    std::sort(t.begin(), t.end());
    return t[2];
}

void report(const char* what, double seconds, qint64 bytes, qint64 lines)
{
    std::printf("%-22s %8.1f MB/s %12.0f lines/s  (%.3f s for %.1f MB, %lld lines)\n", what,
                static_cast<double>(bytes) / 1e6 / seconds, static_cast<double>(lines) / seconds, seconds,
                static_cast<double>(bytes) / 1e6, static_cast<long long>(lines));
}

} // namespace

int main(int argc, char** argv)
{
    const qint64 mb = argc > 1 ? std::atoll(argv[1]) : 200;
    qint64 lines = 0;
    const QByteArray text = generate(mb * 1000 * 1000, &lines);
    std::printf("generated %lld TGW default lines, %.1f MB\n", static_cast<long long>(lines),
                static_cast<double>(text.size()) / 1e6);

    // parseLine over every record line (split beforehand, as a reader would see them).
    std::vector<std::string_view> split;
    split.reserve(static_cast<size_t>(lines));
    {
        const std::string_view all(text.constData(), static_cast<size_t>(text.size()));
        size_t pos = all.find('\n') + 1;
        while (pos < all.size()) {
            const size_t nl = all.find('\n', pos);
            split.push_back(all.substr(pos, nl - pos));
            pos = nl + 1;
        }
    }
    core::FlowRecord rec;
    int64_t sum = 0;
    const double tParse = medianSeconds([&] {
        for (std::string_view l : split) {
            if (core::parseLine(l, core::tgwDefault(), rec).ok()) sum += rec.integer(core::FieldId::Bytes);
        }
    });
    report("parseLine", tParse, text.size(), lines);

    CountingSink sink;
    const double tPlain = medianSeconds([&] {
        sink = CountingSink();
        core::readBuffer(text, QStringLiteral("bench.log"), core::ReadOptions(), sink);
    });
    report("readBuffer plain", tPlain, text.size(), sink.records);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.log"));
    {
        QFile f(path);
        if (f.open(QIODevice::WriteOnly)) f.write(text);
    }
    const double tFile = medianSeconds([&] {
        sink = CountingSink();
        core::readFile(path, core::ReadOptions(), sink);
    });
    report("readFile plain", tFile, text.size(), sink.records);
    QFile::remove(path);

    const QByteArray gz = gzip(text);
    std::printf("gzip: %.1f MB compressed\n", static_cast<double>(gz.size()) / 1e6);
    const double tGz = medianSeconds([&] {
        sink = CountingSink();
        core::readBuffer(gz, QStringLiteral("bench.log.gz"), core::ReadOptions(), sink);
    });
    report("readBuffer gzip", tGz, text.size(), sink.records);
    std::printf("(checksum %lld %lld, rejected %lld)\n", static_cast<long long>(sum), static_cast<long long>(sink.checksum),
                static_cast<long long>(sink.rejected));
    return sink.rejected == 0 ? 0 : 1;
}
