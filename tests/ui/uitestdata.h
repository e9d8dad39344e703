#pragma once
// Deterministic Transit Gateway flow log text for the UI tests and the table benchmark.
// Every flow is logged twice (ingress at the entry attachment, egress at the exit one), as a
// real TGW does; every 50th pair carries drops; every 97th record is a NODATA record.
// The generator keeps what it wrote so tests can compute expected counts and extremes.
#include <QByteArray>
#include <QString>
#include <vector>

namespace uitest {

struct GenRecord {
    bool nodata = false;
    int protocol = 6;
    int srcPort = 0;
    int dstPort = 0;
    qint64 packets = 0;
    qint64 bytes = 0;
    qint64 start = 0;
    qint64 lostNoRoute = 0;
    int tcpFlags = 0;
    QString attachment;
    QString srcAddr;
};

struct GenData {
    QByteArray text;
    std::vector<GenRecord> records; ///< in file order (= load order = flows.id order)
};

/// `flows` flows -> about 2 * flows records (plus NODATA records).
inline GenData generateTgw(int flows, quint32 seed = 12345, bool keepRecords = true)
{
    GenData out;
    out.text.reserve(static_cast<qsizetype>(flows) * 2 * 340);
    if (keepRecords) out.records.reserve(static_cast<size_t>(flows) * 2 + static_cast<size_t>(flows / 40));
    quint32 state = seed;
    auto next = [&state]() {
        state = state * 1664525u + 1013904223u;
        return state >> 8;
    };
    static const char* const kAttachments[] = {"tgw-attach-0a11111111111111a", "tgw-attach-0b22222222222222b",
                                               "tgw-attach-0c33333333333333c", "tgw-attach-0d44444444444444d"};
    static const char* const kVpcs[] = {"vpc-0aaaaaaaaaaaaaaa1", "vpc-0bbbbbbbbbbbbbbb2", "vpc-0ccccccccccccccc3",
                                        "vpc-0ddddddddddddddd4"};
    static const int kProtocols[] = {6, 6, 6, 17, 17, 1};
    static const int kFlags[] = {18, 19, 2, 3, 16, 0, 27};
    const qint64 base = 1764410400; // 2025-11-29 10:00:00Z
    QByteArray line;
    int written = 0;
    for (int i = 0; i < flows; ++i) {
        const int a = static_cast<int>(next() % 4);
        const int b = (a + 1 + static_cast<int>(next() % 3)) % 4;
        GenRecord r;
        r.protocol = kProtocols[next() % 6];
        r.srcPort = r.protocol == 1 ? 0 : static_cast<int>(1024 + next() % 60000);
        static const int kPorts[] = {443, 80, 22, 53, 5432, 3389, 8080};
        r.dstPort = r.protocol == 1 ? 0 : kPorts[next() % 7];
        r.packets = 1 + static_cast<qint64>(next() % 5000);
        r.bytes = r.packets * (40 + static_cast<qint64>(next() % 1400));
        r.start = base + static_cast<qint64>(i / 50) * 60;
        r.lostNoRoute = (i % 50 == 7) ? 1 + static_cast<qint64>(next() % 20) : 0;
        r.tcpFlags = r.protocol == 6 ? kFlags[next() % 7] : -1;
        const QByteArray src = QStringLiteral("10.%1.%2.%3").arg(a).arg(next() % 256).arg(1 + next() % 254).toLatin1();
        const QByteArray dst = QStringLiteral("10.%1.%2.%3").arg(b).arg(next() % 256).arg(1 + next() % 254).toLatin1();
        r.srcAddr = QString::fromLatin1(src);
        for (int side = 0; side < 2; ++side) {
            const int here = side == 0 ? a : b;
            const int pair = side == 0 ? b : a;
            line.clear();
            line += "6 TransitGateway 123456789012 tgw-0123456789abcdef0 ";
            line += kAttachments[here];
            line += " 123456789012 210987654321 ";
            line += kVpcs[a];
            line += ' ';
            line += kVpcs[b];
            line += " subnet-0aaa00000000000a1 subnet-0bbb00000000000b2 eni-0aaa00000000000a1 eni-0bbb00000000000b2 use1-az1 "
                    "use1-az2 ";
            line += kAttachments[pair];
            line += ' ' + src + ' ' + dst + ' ';
            line += QByteArray::number(r.srcPort) + ' ' + QByteArray::number(r.dstPort) + ' ';
            line +=
                QByteArray::number(r.protocol) + ' ' + QByteArray::number(r.packets) + ' ' + QByteArray::number(r.bytes) + ' ';
            line += QByteArray::number(r.start) + ' ' + QByteArray::number(r.start + 60) + " OK IPv4 ";
            line += QByteArray::number(side == 0 ? r.lostNoRoute : 0) + " 0 0 0 ";
            line += r.tcpFlags < 0 ? QByteArray("-") : QByteArray::number(r.tcpFlags);
            line += " us-east-1 ";
            line += side == 0 ? "ingress" : "egress";
            line += " - -\n";
            out.text += line;
            if (keepRecords) {
                GenRecord copy = r;
                copy.attachment = QString::fromLatin1(kAttachments[here]);
                if (side == 1) copy.lostNoRoute = 0;
                out.records.push_back(copy);
            }
            ++written;
            if (written % 97 == 0) {
                out.text += "6 TransitGateway 123456789012 tgw-0123456789abcdef0 ";
                out.text += kAttachments[here];
                out.text += " - - - - - - - - - - - - - - - - - - " + QByteArray::number(r.start) + ' '
                            + QByteArray::number(r.start + 60) + " NODATA - - - - - - us-east-1 - - -\n";
                if (keepRecords) {
                    GenRecord nd;
                    nd.nodata = true;
                    nd.protocol = -1;
                    nd.start = r.start;
                    nd.attachment = QString::fromLatin1(kAttachments[here]);
                    nd.tcpFlags = -1;
                    out.records.push_back(nd);
                }
            }
        }
    }
    return out;
}

} // namespace uitest
