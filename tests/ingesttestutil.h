#pragma once
// Test helper for the whole-input reader tests (tests/core/tst_ingest*.cpp): sample TGW and VPC
// lines, a RecordSink that keeps everything it is given, the accounting invariant every reader
// keeps (CHECK_ACCOUNTING) and small byte and file helpers.
#include "core/ingest/ingest.h"

#include "tests/gziptestutil.h"
#include "tests/testpaths.h"
#include <QByteArray>
#include <QFile>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QTest>
#include <atomic>
#include <functional>
#include <initializer_list>
#include <vector>

namespace ingesttest {

using namespace core;

inline const QString kData = testpaths::testData() + QStringLiteral("/ingest/");

inline const char* const kTgwHeader =
    "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id "
    "tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id "
    "tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
    "log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded "
    "packets-lost-ttl-expired tcp-flags region flow-direction pkt-src-aws-service pkt-dst-aws-service";
inline const char* const kTgw1 =
    "6 TransitGateway 123456789012 tgw-0a1b2c3d4e5f67890 tgw-attach-0aa11bb22cc33dd44 123456789012 "
    "210987654321 vpc-0a1b2c3d4e5f6a7b8 vpc-0f9e8d7c6b5a49382 subnet-0123456789abcdef0 "
    "subnet-0fedcba9876543210 eni-0a1b2c3d4e5f60001 eni-0a1b2c3d4e5f60002 use1-az1 use1-az2 "
    "tgw-attach-0ee55ff66aa77bb88 10.0.1.15 10.1.2.20 49152 443 6 10 5240 1700000000 1700000060 OK IPv4 "
    "0 0 0 0 19 us-east-1 ingress - -";
inline const char* const kVpcHeader =
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
inline const char* const kVpc1 =
    "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK";
inline const char* const kVpcNoData = "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA";

inline QByteArray withField(const char* line, int index, const QByteArray& value)
{
    QList<QByteArray> parts = QByteArray(line).split(' ');
    parts[index] = value;
    return parts.join(' ');
}

inline QByteArray lines(std::initializer_list<QByteArray> l, const char* eol = "\n")
{
    QByteArray out;
    for (const QByteArray& x : l) out += x + eol;
    return out;
}

inline QByteArray gzipBytes(const QByteArray& in, int level = 6)
{
    return testutil::gzipCompress(in, level);
}

/// Copies everything a reader produces so tests can look at it after the call.
struct CollectSink final : RecordSink {
    struct Rec {
        qint64 line = 0;
        QMap<QString, QString> values; // hyphen name or "extra:<token>" -> value
        QString raw;
    };
    std::vector<Rec> records;
    std::vector<Rejection> rejections;
    QStringList extras;
    std::vector<qint64> progressCalls;
    std::function<void(CollectSink&)> onRecord; // hook, e.g. to cancel
    bool keepRecords = true;
    qint64 recordCount = 0;

    void record(const FlowRecord& r) override
    {
        ++recordCount;
        if (keepRecords) {
            Rec c;
            c.line = r.line;
            c.raw = QString::fromUtf8(r.raw.data(), static_cast<qsizetype>(r.raw.size()));
            for (const FieldInfo& f : allFields()) {
                if (!r.has(f.id)) continue;
                if (f.type == FieldType::Integer) c.values.insert(QLatin1String(f.name), QString::number(r.integer(f.id)));
                else
                    c.values.insert(QLatin1String(f.name),
                                    QString::fromUtf8(r.text(f.id).data(), static_cast<qsizetype>(r.text(f.id).size())));
            }
            for (const auto& [idx, v] : r.extras)
                c.values.insert(QStringLiteral("extra:") + extras.value(idx),
                                QString::fromUtf8(v.data(), static_cast<qsizetype>(v.size())));
            records.push_back(std::move(c));
        }
        if (onRecord) onRecord(*this);
    }
    void reject(const Rejection& r) override { rejections.push_back(r); }
    int extraColumn(std::string_view token) override
    {
        const QString t = QString::fromUtf8(token.data(), static_cast<qsizetype>(token.size()));
        const auto i = extras.indexOf(t);
        if (i >= 0) return static_cast<int>(i);
        extras.append(t);
        return static_cast<int>(extras.size() - 1);
    }
    void progress(qint64 bytes) override { progressCalls.push_back(bytes); }

    QStringList rejectionTexts() const
    {
        QStringList out;
        for (const Rejection& r : rejections) out << QStringLiteral("%1: %2").arg(r.line).arg(r.reason);
        return out;
    }
    QString value(size_t record, const QString& field) const
    {
        if (record >= records.size()) return QStringLiteral("<no record %1>").arg(record);
        return records[record].values.value(field, QStringLiteral("NULL"));
    }
};

/// The invariant every reader keeps.
#define CHECK_ACCOUNTING(out, sink)                                                                                              \
    do {                                                                                                                         \
        QCOMPARE((out).records, (sink).recordCount);                                                                             \
        QCOMPARE((out).rejected, static_cast<qint64>((sink).rejections.size()));                                                 \
        QCOMPARE((out).records + (out).rejected + (out).skipped, (out).linesRead);                                               \
    } while (0)

inline FileOutcome readBytes(const QByteArray& data, CollectSink& sink, const QString& format = {},
                             const std::atomic<bool>* cancel = nullptr)
{
    ReadOptions o;
    o.format = format;
    o.cancel = cancel;
    return readBuffer(data, QStringLiteral("mem.log"), o, sink);
}

inline QByteArray repeatLines(const QByteArray& line, int count)
{
    QByteArray out;
    out.reserve((line.size() + 1) * count);
    for (int i = 0; i < count; ++i) out += line + '\n';
    return out;
}

inline bool writeFile(const QString& path, const QByteArray& data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

} // namespace ingesttest
