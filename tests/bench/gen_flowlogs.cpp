// gen_flowlogs: writes realistic Transit Gateway (and VPC) flow logs with the project's
// generator (flowgen.h). Deterministic for a seed.
//
//   gen_flowlogs [--seed N] [--records N] [--start UNIX|ISO] [--duration SECONDS] [--vpc]
//                [--estate small|large] [--attachments N] [--azs N] [--enis N] [--conversations N]
//                [--zipf X] [--aws-services]
//                (--s3 DIR | --out FILE [--gzip] [--header]) [--describe DIR]
#include "flowgen.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QStringList>

#include <cstdio>

namespace {

void usage()
{
    std::fputs("usage: gen_flowlogs [--seed N] [--records N] [--start UNIX|ISO] [--duration SECONDS] [--vpc]\n"
               "                    [--estate small|large] [--attachments N] [--azs N] [--enis N]\n"
               "                    [--conversations N] [--zipf X] [--aws-services]\n"
               "                    (--s3 DIR | --out FILE [--gzip] [--header]) [--describe DIR]\n"
               "  --records N      TGW records to write (default 100000)\n"
               "  --duration S     time span in seconds, 60 s intervals (default 86400)\n"
               "  --start T        first interval (default 2025-12-01T00:00:00Z)\n"
               "  --vpc            also VPC v2 records for two ENIs (S3 tree only)\n"
               "  --estate E       small (default: 8 attachments, ~150 text combinations) or large (150\n"
               "                   attachments, 6 AZs, 4 ENIs each, 60000 conversations, AWS services:\n"
               "                   > 100000 combinations in 1M records); options after it override\n"
               "  --attachments N  TGW attachments, 8..2048 (beyond 8: more VPCs)\n"
               "  --azs N          AZs the VPC attachments spread over, 1..6 (default 3)\n"
               "  --enis N         subnets / TGW ENIs per VPC attachment, 1..16 (default 2)\n"
               "  --conversations N  conversation pool size (default 3000)\n"
               "  --zipf X         popularity skew of the pool (default 1.1; lower = flatter)\n"
               "  --aws-services   traffic to AWS service ranges (pkt-*-aws-service set for those only)\n"
               "  --s3 DIR         S3 download layout: AWSLogs/<acct>/vpcflowlogs/<region>/YYYY/MM/DD/*.log.gz\n"
               "  --out FILE       one file of TGW default-format lines (--gzip, --header optional)\n"
               "  --describe DIR   AWS CLI describe-*.json files for the topology\n",
               stderr);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    flowgen::Options o;
    QString s3, out, describe;
    bool gzip = false, header = false;
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        auto value = [&]() -> QString {
            if (i + 1 >= args.size()) {
                std::fprintf(stderr, "gen_flowlogs: %s needs a value\n", qPrintable(a));
                std::exit(2);
            }
            return args[++i];
        };
        if (a == QLatin1String("--seed")) o.seed = value().toULongLong();
        else if (a == QLatin1String("--records")) o.tgwRecords = value().toLongLong();
        else if (a == QLatin1String("--duration")) o.durationSeconds = value().toLongLong();
        else if (a == QLatin1String("--start")) {
            const QString v = value();
            bool ok = false;
            const qint64 n = v.toLongLong(&ok);
            if (ok) o.startTime = n;
            else {
                const QDateTime dt = QDateTime::fromString(v, Qt::ISODate);
                if (!dt.isValid()) {
                    std::fprintf(stderr, "gen_flowlogs: bad --start '%s'\n", qPrintable(v));
                    return 2;
                }
                o.startTime = dt.toSecsSinceEpoch();
            }
        } else if (a == QLatin1String("--vpc")) o.vpcRecords = true;
        else if (a == QLatin1String("--estate")) {
            const QString v = value();
            if (v == QLatin1String("large")) o.setLargeEstate();
            else if (v != QLatin1String("small")) {
                std::fprintf(stderr, "gen_flowlogs: --estate is small or large, not '%s'\n", qPrintable(v));
                return 2;
            }
        } else if (a == QLatin1String("--attachments")) o.attachments = value().toInt();
        else if (a == QLatin1String("--azs")) o.azs = value().toInt();
        else if (a == QLatin1String("--enis")) o.enisPerAttachment = value().toInt();
        else if (a == QLatin1String("--conversations")) o.conversations = value().toInt();
        else if (a == QLatin1String("--zipf")) o.zipfExponent = value().toDouble();
        else if (a == QLatin1String("--aws-services")) o.awsServices = true;
        else if (a == QLatin1String("--s3")) s3 = value();
        else if (a == QLatin1String("--out")) out = value();
        else if (a == QLatin1String("--describe")) describe = value();
        else if (a == QLatin1String("--gzip")) gzip = true;
        else if (a == QLatin1String("--header")) header = true;
        else if (a == QLatin1String("--help") || a == QLatin1String("-h")) {
            usage();
            return 0;
        } else {
            std::fprintf(stderr, "gen_flowlogs: unknown argument '%s'\n", qPrintable(a));
            usage();
            return 2;
        }
    }
    if (s3.isEmpty() && out.isEmpty() && describe.isEmpty()) {
        usage();
        return 2;
    }
    if (!s3.isEmpty()) {
        const int files = flowgen::writeS3Tree(s3, o);
        if (files < 0) {
            std::fprintf(stderr, "gen_flowlogs: cannot write under %s\n", qPrintable(s3));
            return 1;
        }
        std::printf("wrote %d files under %s\n", files, qPrintable(s3));
    }
    if (!out.isEmpty()) {
        const int64_t bytes = flowgen::writeTgwFile(out, o, header, gzip);
        if (bytes < 0) {
            std::fprintf(stderr, "gen_flowlogs: cannot write %s\n", qPrintable(out));
            return 1;
        }
        std::printf("wrote %lld records (%lld bytes of text) to %s\n", static_cast<long long>(o.tgwRecords),
                    static_cast<long long>(bytes), qPrintable(out));
    }
    if (!describe.isEmpty()) {
        if (!flowgen::writeDescribeJson(describe)) {
            std::fprintf(stderr, "gen_flowlogs: cannot write JSON into %s\n", qPrintable(describe));
            return 1;
        }
        std::printf("wrote describe-*.json into %s\n", qPrintable(describe));
    }
    return 0;
}
