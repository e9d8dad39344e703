// "Follow one flow" benchmark: core::traceFlow over N TGW records (default 1M): the record,
// its twin and the reply search. Two data sets: flowgen's (80% of TCP/DNS requests answered
// with the ports swapped; dropped flows have no reply, and their traces scan the whole store)
// and one written here where 70% of the flows have a reply.
// 101 records spread over the store; prints median, p90 and worst wall time.
//
//   bench_flowpath [records=1000000] [--dir DIR]
#include "benchutil.h"
#include "core/analysis/flowpath.h"
#include "core/ingest/loader.h"
#include "core/store/store.h"
#include "flowgen.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

/// `records` TGW default lines in time order: flows logged at both attachments, 70% with a
/// reply (ports swapped), 1% dropped (no route, ingress only).
QByteArray replyData(qint64 records)
{
    static const char* const kAtt[] = {"tgw-attach-0a1", "tgw-attach-0b2", "tgw-attach-0c3",
                                       "tgw-attach-0d4", "tgw-attach-0e5", "tgw-attach-0f6"};
    QByteArray out;
    out.reserve(records * 330);
    quint32 state = 7;
    auto next = [&state] {
        state = state * 1664525u + 1013904223u;
        return state >> 8;
    };
    qint64 written = 0;
    auto line = [&](const char* att, const char* pair, const QByteArray& src, const QByteArray& dst, quint32 sp, quint32 dp,
                    qint64 start, bool ingress, qint64 lost) {
        out += "6 TransitGateway 111122223333 tgw-0123456789abcdef0 ";
        out += att;
        out += " - - - - - - - - - - ";
        out += pair;
        out += ' ' + src + ' ' + dst + ' ' + QByteArray::number(sp) + ' ' + QByteArray::number(dp) + " 6 10 4000 "
               + QByteArray::number(start) + ' ' + QByteArray::number(start + 30) + " OK IPv4 " + QByteArray::number(lost)
               + " 0 0 0 18 us-east-1 " + (ingress ? "ingress" : "egress") + " - -\n";
        ++written;
    };
    for (qint64 i = 0; written < records; ++i) {
        const qint64 t = 1764547200 + (i / 2000) * 60;
        const int a = static_cast<int>(next() % 6), b = (a + 1 + static_cast<int>(next() % 5)) % 6;
        const QByteArray src =
            "10." + QByteArray::number(a) + '.' + QByteArray::number(next() % 250) + '.' + QByteArray::number(next() % 250);
        const QByteArray dst =
            "10." + QByteArray::number(b) + '.' + QByteArray::number(next() % 250) + '.' + QByteArray::number(next() % 250);
        const quint32 eph = 32768 + next() % 28000, port = 443;
        if (next() % 100 == 0) {
            line(kAtt[a], "-", src, dst, eph, port, t, true, 10);
            continue;
        }
        line(kAtt[a], kAtt[b], src, dst, eph, port, t, true, 0);
        line(kAtt[b], kAtt[a], src, dst, eph, port, t, false, 0);
        if (next() % 10 < 7) {
            line(kAtt[b], kAtt[a], dst, src, port, eph, t + 1, true, 0);
            line(kAtt[a], kAtt[b], dst, src, port, eph, t + 1, false, 0);
        }
    }
    return out;
}

/// Traces 101 records spread over the store and prints the timings.
bool measure(const core::Store& store, qint64 records, const char* what)
{
    constexpr int kSamples = 101;
    std::vector<double> ms;
    int bothSides = 0, withReply = 0, dropped = 0;
    for (int i = 0; i < kSamples; ++i) {
        const qint64 id = 1 + (records - 1) * i / (kSamples - 1);
        QElapsedTimer t;
        t.start();
        auto path = core::traceFlow(store, core::RecordId(id), nullptr);
        ms.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
        if (!path.ok()) {
            std::printf("record %lld: %s\n", static_cast<long long>(id), qPrintable(path.error().message));
            return false;
        }
        bothSides += path->flow.ingress && path->flow.egress ? 1 : 0;
        withReply += path->reply ? 1 : 0;
        dropped += path->flow.drops.empty() ? 0 : 1;
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%s: traceFlow over %lld records: median %.1f ms, p90 %.1f ms, worst %.1f ms (%d samples; %d both "
                "sides, %d with a reply, %d with drops)\n",
                what, static_cast<long long>(records), ms[ms.size() / 2], ms[ms.size() * 9 / 10], ms.back(), kSamples, bothSides,
                withReply, dropped);
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const benchutil::Args args = benchutil::parseArgs(app.arguments().mid(1));
    const qint64 records = args.records;
    const QString& dir = args.dir;
    const QString plain = benchutil::cachedTgwFile(dir, records);
    if (plain.isEmpty()) return 1;
    {
        auto created = core::Store::create();
        if (!created.ok()) return 1;
        core::Store& store = *created.value();
        const core::LoadReport r = core::loadPaths(store, {plain}, core::LoadOptions{});
        std::printf("%lld records loaded in %.2f s\n", static_cast<long long>(r.records), r.seconds);
        if (r.records <= 0 || !measure(store, r.records, "flowgen data (most flows answered)")) return 1;
    }
    auto created = core::Store::create();
    if (!created.ok()) return 1;
    core::Store& store = *created.value();
    const core::LoadReport r = core::loadBuffer(store, replyData(records), QStringLiteral("replies.log"), {});
    std::printf("%lld records loaded in %.2f s\n", static_cast<long long>(r.records), r.seconds);
    if (r.records <= 0 || !measure(store, r.records, "70% of flows with a reply")) return 1;
    return 0;
}
