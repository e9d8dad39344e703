#pragma once
// A generated Transit Gateway estate for the graph's scale tests and benchmarks: n attachments
// (mostly VPCs, some VPN / Direct Connect / peering / Connect), a few hub VPCs every spoke
// talks to both ways, some spoke-to-spoke pairs, drops on most edges at about 1 % and a couple
// of edges losing 70 %. Deterministic (xorshift). Header-only; shared by tests and bench.
#include "core/analysis/aggregate.h"
#include "ui/logic/graphkinds.h"

#include <QHash>
#include <QString>
#include <vector>

namespace estate {

struct Estate {
    std::vector<core::Edge> edges;
    QHash<QString, ui::NodeKind> kinds;
    QHash<QString, QString> labels; ///< display names ("app-017", "vpn-onprem-2")
    QString worstSrc, worstDst;     ///< the pair losing 70 % of its packets
};

inline QString attachmentId(int i)
{
    return QStringLiteral("tgw-attach-%1").arg(i, 17, 16, QLatin1Char('0'));
}

inline Estate make(int n, quint32 seed = 2463534242u)
{
    Estate est;
    quint32 x = seed;
    auto next = [&x]() {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        return x;
    };
    auto kindOf = [n](int i) {
        const int slot = i * 100 / std::max(n, 1);
        if (i < 3) return ui::NodeKind::Vpc; // hubs
        if (slot >= 96) return ui::NodeKind::Connect;
        if (slot >= 92) return ui::NodeKind::Peering;
        if (slot >= 88) return ui::NodeKind::DirectConnectGateway;
        if (slot >= 80) return ui::NodeKind::Vpn;
        return ui::NodeKind::Vpc;
    };
    static const char* const hubNames[] = {"shared-services", "egress", "inspection"};
    for (int i = 0; i < n; ++i) {
        const QString id = attachmentId(i);
        est.kinds.insert(id, kindOf(i));
        QString name;
        if (i < 3) name = QLatin1String(hubNames[i]);
        else {
            switch (kindOf(i)) {
            case ui::NodeKind::Vpn:
                name = QStringLiteral("vpn-onprem-%1").arg(i);
                break;
            case ui::NodeKind::DirectConnectGateway:
                name = QStringLiteral("dx-datacenter-%1").arg(i);
                break;
            case ui::NodeKind::Peering:
                name = QStringLiteral("peer-region-%1").arg(i);
                break;
            case ui::NodeKind::Connect:
                name = QStringLiteral("sdwan-connect-%1").arg(i);
                break;
            default:
                name = QStringLiteral("app-%1").arg(i, 3, 10, QLatin1Char('0'));
            }
        }
        est.labels.insert(id, name);
    }
    QHash<QString, size_t> index; // "src>dst" -> edge: a pair appears once, as computeEdges returns it
    auto add = [&](int a, int b, qint64 packets, double dropShare) {
        const QString src = attachmentId(a), dst = b < 0 ? QStringLiteral("-") : attachmentId(b);
        const QString key = src + QLatin1Char('>') + dst;
        if (!index.contains(key)) {
            index.insert(key, est.edges.size());
            core::Edge e;
            e.src = src;
            e.dst = dst;
            est.edges.push_back(e);
        }
        core::Edge& e = est.edges[index.value(key)];
        e.packets += packets;
        e.flows += std::max<qint64>(1, packets / 40);
        e.bytes += packets * (200 + static_cast<qint64>(next() % 1200));
        e.lost[static_cast<size_t>(next() % 4)] += static_cast<qint64>(static_cast<double>(packets) * dropShare);
    };
    auto setShare = [&](int a, int b, double share) {
        core::Edge& e = est.edges[index.value(attachmentId(a) + QLatin1Char('>') + attachmentId(b))];
        e.lost = {};
        e.lost[core::LostNoRoute] = static_cast<qint64>(static_cast<double>(e.packets) * share);
    };
    const int hubs = std::min(3, n);
    for (int i = hubs; i < n; ++i) {
        const int hub = static_cast<int>(next() % static_cast<quint32>(hubs));
        const qint64 packets = 1000 + static_cast<qint64>(next() % 200000);
        // Most edges lose a trace (0.1 % .. 2 %); some none.
        const double share = next() % 5 == 0 ? 0.0 : (1 + next() % 20) / 1000.0;
        add(i, hub, packets, share);
        add(hub, i, packets * 3, share / 2);
        if (next() % 3 == 0) {
            const int other = hubs + static_cast<int>(next() % static_cast<quint32>(std::max(1, n - hubs)));
            if (other != i) add(i, other, packets / 10, 0.0);
        }
        if (next() % 12 == 0) add(i, -1, 50 + static_cast<qint64>(next() % 500), 1.0);
    }
    if (n > hubs + 2) {
        // Two bad pairs: 70 % of their packets lost.
        add(hubs + 1, hubs + 2, 50000, 0.0);
        add(hubs + 2, 0, 30000, 0.0);
        setShare(hubs + 1, hubs + 2, 0.7);
        setShare(hubs + 2, 0, 0.7);
        est.worstSrc = attachmentId(hubs + 1);
        est.worstDst = attachmentId(hubs + 2);
    }
    return est;
}

} // namespace estate
