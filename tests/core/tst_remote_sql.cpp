// The Athena SQL of core/remote checked by what it computes, not by its text. The same generated
// flow logs are loaded into the app's store and into a plain SQLite table with Athena's column
// types (written straight from the generator, not through the app's parser); the generated Trino
// SQL is translated to SQLite by an independent transpiler (sqlglot, Debian package
// python3-sqlglot, run by /usr/bin/python3) and run there, and its rows must equal the app's
// records, edges, series and drops for a table of filters (every operator, CIDR v4/v6, times,
// `in`, names, drops, twins split across files, duplicate flows). SQLite functions stand in
// for the Trino functions sqlglot leaves as they are (IPADDRESS cast, contains(), chr(),
// strpos(), bitwise_and()). Also: the SQL of every filter the 20,000-random-expression
// generator compiles parses under sqlglot's trino dialect. The stand-in for Athena (data,
// transpiler, SQLite table and functions) is tests/athenaoracle.h; the SQL's text rules
// (quoting, partition predicate, errors) are checked in tst_remote_sql_text.cpp.
#include "core/analysis/aggregate.h"
#include "core/analysis/drops.h"
#include "core/ingest/loader.h"
#include "core/model/fields.h"
#include "core/query/filter.h"
#include "core/query/filter_ip.h"
#include "core/remote/remote.h"
#include "core/store/store.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>
#include <sqlite3.h>

#include <map>

#include "tests/athenaoracle.h"
#include "tests/randomfilters.h"

using namespace core;
using namespace athenaoracle;

namespace {

template <class T> QString errorOf(const Result<T>& r)
{
    return r.ok() ? QString() : r.error().toString();
}

NameEntry named(const QString& id, const QString& name)
{
    NameEntry e;
    e.id = id;
    e.name = name;
    return e;
}

// ---------------------------------------------------------------------------------------------
// The app's side, as rows of the same shape.

QString num(qint64 v)
{
    return QString::number(v);
}

QStringList appEdges(const Store& s, const QString& filter, EdgeDimension by)
{
    QStringList out;
    const auto edges = computeEdges(s, filter, by);
    for (const Edge& e : edges.value())
        out << QStringList{e.src,          e.dst,          num(e.flows),   num(e.packets), num(e.bytes),
                           num(e.lost[0]), num(e.lost[1]), num(e.lost[2]), num(e.lost[3])}
                   .join(QLatin1Char(','));
    return out;
}

QStringList appSeries(const Store& s, const QString& filter, qint64 bin)
{
    QStringList out;
    const auto series = computeSeries(s, filter, bin);
    for (const SeriesBin& b : series.value().bins) {
        if (b.flows == 0) continue; // SQL has no rows for empty bins
        out << QStringList{num(b.start),   num(b.flows),   num(b.packets), num(b.bytes),
                           num(b.lost[0]), num(b.lost[1]), num(b.lost[2]), num(b.lost[3])}
                   .join(QLatin1Char(','));
    }
    return out;
}

QStringList appDrops(const Store& s, const QString& filter, const NameDirectory* names)
{
    QStringList out;
    const auto drops = computeDrops(s, filter, names);
    for (const DropRow& d : drops.value())
        out << QStringList{d.entry,
                           d.exit,
                           dropReasonName(d.reason),
                           num(d.packets),
                           num(d.records),
                           d.firstSeen ? num(d.firstSeen) : QStringLiteral("\\N"),
                           d.lastSeen ? num(d.lastSeen) : QStringLiteral("\\N"),
                           formatTopValues(d.topSources),
                           formatTopValues(d.topDestinations),
                           formatTopValues(d.topPorts),
                           d.routeTableId}
                   .join(QLatin1Char(','));
    return out;
}

QStringList appRecords(const Store& s, const QString& filter, const QStringList& columns)
{
    auto f = compileFilter(filter);
    QStringList quoted;
    for (const QString& c : columns) quoted << QLatin1Char('"') + c + QLatin1Char('"');
    auto st = s.prepare(QStringLiteral("SELECT %1 FROM flows WHERE %2").arg(quoted.join(QLatin1Char(',')), f->where));
    st->bindAll(f->params);
    QStringList rows;
    while (st->next()) {
        QStringList cells;
        for (int i = 0; i < st->columnCount(); ++i) cells << (st->isNull(i) ? QStringLiteral("\\N") : st->text(i));
        rows << cells.join(QLatin1Char(','));
    }
    return rows;
}

struct Case {
    QString name;
    bool vpc = false;
    QString filter;
};

std::vector<Case> cases()
{
    const QString A = QString::fromLatin1(kAttach[0]), B = QString::fromLatin1(kAttach[1]);
    std::vector<Case> c = {
        {"all", false, ""},
        {"==", false, "dstport == 443"},
        {"!=", false, "dstport != 443"},
        {"<", false, "packets < 10"},
        {"<=", false, "packets <= 10"},
        {">", false, "bytes > 50000"},
        {">=", false, "bytes >= 50000"},
        {"in ports", false, "port in {22, 3389}"},
        {"in protocols", false, "proto in {tcp, udp}"},
        {"protocol name", false, "proto == icmp"},
        {"contains", false, "attachment contains 0BBB"},
        {"contains with a quote", false, "region contains \"'S-A\""},
        {"text with a quote", false, "region == \"it's-a-region\""},
        {"has", false, "tcp_flags has SYN"},
        {"has two", false, "tcp_flags has SYN|ACK"},
        {"flags ==", false, "tcp_flags == SYN|ACK"},
        {"not present", false, "not tcp_flags"},
        {"present", false, "pkt_src_aws_service"},
        {"CIDR v4", false, "srcaddr == 10.1.0.0/16"},
        {"CIDR v4 alias", false, "addr == 10.2.0.0/16"},
        {"CIDR v4 !=", false, "dstaddr != 10.0.0.0/8"},
        {"CIDR v6", false, "addr == 2600:1f18:2::/48"},
        {"CIDR ::/0 (no IPv4)", false, "srcaddr == ::/0"},
        {"host v4", false, "dstaddr == 192.168.0.1"},
        {"host v6", false, "dstaddr == 2600:1f18:12:0::1"},
        {"addr in", false, "addr in {10.0.0.0/16, 2600:1f18:3::/48}"},
        {"time range", false, "start >= \"2025-12-01 06:00\" and start < \"2025-12-01 18:00\""},
        {"time ISO", false, "end <= 2025-12-02T03:00:00Z"},
        {"time >", false, "start > 1764633600"},
        {"one attachment (twin rule)", false, "tgw_attachment_id == " + A},
        {"attachment alias", false, "attachment == " + B},
        {"attachment !=", false, "attachment != " + B},
        {"direction", false, "flow_direction == egress"},
        {"drops", false, "drops"},
        {"not drops", false, "not drops"},
        {"drops >", false, "drops > 4"},
        {"no route", false, "packets_lost_no_route > 0 or packets_lost_blackhole > 0"},
        {"no pair", false, "not tgw_pair_attachment_id"},
        {"name", false, "attachment == \"VPC A\""},
        {"name in", false, "attachment in {\"VPC A\", " + B + "}"},
        {"name !=", false, "tgw_pair_attachment_id != \"VPC A\""},
        {"unknown name", false, "attachment == \"nobody\""},
        {"absent column", false, "action == ACCEPT"},
        {"absent column !=", false, "action != ACCEPT"},
        {"log status", false, "log_status != OK"},
        {"and/or", false, "(port == 22 or port == 443) and bytes > 1000 and not proto == udp"},
        {"vpc", false, "vpc == vpc-0aaa1111"},
        {"VPC all", true, ""},
        {"VPC reject", true, "action == REJECT"},
        {"VPC eni", true, "interface_id == eni-01cc00001"},
        {"VPC CIDR", true, "addr == 10.5.1.0/24"},
        {"VPC v6", true, "srcaddr == 2600:1f18:9::/48"},
        {"VPC port", true, "srcport > 40040 and dstport in {443}"},
        {"VPC nodata", true, "log_status == NODATA"},
    };
    return c;
}

const QStringList kViews = {QStringLiteral("records"),    QStringLiteral("edges attachment"), QStringLiteral("edges vpc"),
                            QStringLiteral("edges addr"), QStringLiteral("series"),           QStringLiteral("drops")};

RemoteQuery queryFor(const QString& view, const QString& filter, bool vpc, const NameDirectory* names)
{
    RemoteQuery q;
    q.filter = filter;
    q.fields = vpc ? vpcColumns() : tgwColumns();
    q.names = names;
    q.limit = 0;
    q.binSeconds = 3600;
    if (view == QLatin1String("records")) q.view = RemoteView::Records;
    else if (view == QLatin1String("series")) q.view = RemoteView::Series;
    else if (view == QLatin1String("drops")) q.view = RemoteView::Drops;
    else {
        q.view = RemoteView::Edges;
        q.by = *edgeDimensionFromString(view.section(QLatin1Char(' '), 1));
    }
    return q;
}

} // namespace

class TestRemoteSql : public QObject {
    Q_OBJECT

    std::unique_ptr<Store> m_tgw, m_vpc;
    Athena m_athenaTgw, m_athenaVpc;
    NameDirectory m_names;
    std::map<QString, QString> m_sqlite; ///< "case|view" -> translated SQL (or "!error")
    std::map<QString, QString> m_trino;

private Q_SLOTS:
    void initTestCase()
    {
        const Data d = generate();
        NameEntry a = named(QString::fromLatin1(kAttach[0]), QStringLiteral("VPC A"));
        a.routeTableId = QStringLiteral("tgw-rtb-0aaa000000000001");
        m_names.add(a);
        NameEntry tie = named(QString::fromLatin1(kTieAttach), QStringLiteral("ties"));
        tie.routeTableId = QStringLiteral("tgw-rtb-0eee00000000000e'5"); // a quote in a literal
        m_names.add(tie);
        m_names.add(named(QString::fromLatin1(kAttach[2]), QStringLiteral("VPC A"))); // two attachments share a name
        m_names.add(named(QString::fromLatin1(kAttach[3]), QStringLiteral("on-prem VPN")));
        m_tgw = std::move(Store::create().value());
        m_vpc = std::move(Store::create().value());
        // Twins split across files and loads: ingress records in one file, egress in another.
        for (const auto& [rows, name] :
             {std::pair{&d.ingress, "ingress.log"}, {&d.egress, "egress.log"}, {&d.other, "other.log"}}) {
            const LoadReport r = loadBuffer(*m_tgw, fileOf(*rows, tgwColumns()), QString::fromLatin1(name), LoadOptions{});
            QCOMPARE(r.rejected, 0);
        }
        QVERIFY(storeNames(*m_tgw, m_names).ok());
        QCOMPARE(loadBuffer(*m_vpc, fileOf(d.vpc, vpcColumns()), QStringLiteral("vpc.log"), LoadOptions{}).rejected, 0);
        std::vector<Fields> all = d.ingress;
        all.insert(all.end(), d.egress.begin(), d.egress.end());
        all.insert(all.end(), d.other.begin(), d.other.end());
        QVERIFY(createAthena(m_athenaTgw, tgwColumns(), all));
        QVERIFY(createAthena(m_athenaVpc, vpcColumns(), d.vpc));

        QStringList keys, queries;
        for (const Case& c : cases()) {
            for (const QString& view : kViews) {
                auto sql = athenaSql(queryFor(view, c.filter, c.vpc, &m_names));
                QVERIFY2(sql.ok(), qPrintable(c.name + QLatin1Char(' ') + view + QStringLiteral(": ") + errorOf(sql)));
                keys << c.name + QLatin1Char('|') + view;
                queries << sql.value();
                m_trino[keys.back()] = sql.value();
            }
        }
        QString problem;
        const QJsonArray out = transpile(queries, QStringLiteral("sqlite"), &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(out.size(), queries.size());
        for (qsizetype i = 0; i < keys.size(); ++i) {
            const QJsonObject o = out[i].toObject();
            m_sqlite[keys[i]] = o.value(QStringLiteral("ok")).toBool()
                                    ? o.value(QStringLiteral("sql")).toString()
                                    : QStringLiteral("!") + o.value(QStringLiteral("error")).toString();
        }
    }

    void sameAsTheApp_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("vpc");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("view");
        for (const Case& c : cases())
            for (const QString& view : kViews)
                QTest::newRow(qPrintable(c.name + QStringLiteral(" / ") + view)) << c.name << c.vpc << c.filter << view;
    }

    void sameAsTheApp()
    {
        QFETCH(QString, name);
        QFETCH(bool, vpc);
        QFETCH(QString, filter);
        QFETCH(QString, view);
        const QString key = name + QLatin1Char('|') + view;
        const QString sql = m_sqlite[key];
        QVERIFY2(!sql.startsWith(QLatin1Char('!')), qPrintable(QStringLiteral("sqlglot: %1\n%2").arg(sql, m_trino[key])));
        const Store& store = vpc ? *m_vpc : *m_tgw;
        auto rows = runRows(vpc ? m_athenaVpc.db : m_athenaTgw.db, sql);
        QVERIFY2(rows.ok(), qPrintable(errorOf(rows) + QStringLiteral("\n") + sql));
        QStringList expected;
        if (view == QLatin1String("records")) expected = appRecords(store, filter, vpc ? vpcColumns() : tgwColumns());
        else if (view == QLatin1String("series")) expected = appSeries(store, filter, 3600);
        else if (view == QLatin1String("drops")) expected = appDrops(store, filter, &m_names);
        else expected = appEdges(store, filter, *edgeDimensionFromString(view.section(QLatin1Char(' '), 1)));
        QStringList got = rows.value();
        if (view == QLatin1String("records")) { // no id in Athena: compare as multisets
            got.sort();
            expected.sort();
        }
        if (got != expected) {
            qWarning().noquote() << "Trino SQL:\n" << m_trino[key];
            QCOMPARE(got, expected);
        }
        if (view == QLatin1String("records") && !name.contains(QLatin1String("unknown")) && !name.contains(QLatin1String("::/0"))
            && name != QLatin1String("absent column"))
            QVERIFY2(!expected.isEmpty(), "a case that selects no record tests little");
    }

    // The tie data set really has ties, in an order that is not numeric: the app's row (which
    // sameAsTheApp compares with the SQL's) is pinned here.
    void dropsTopTies()
    {
        const auto drops = computeDrops(*m_tgw, {}, &m_names);
        QVERIFY(drops.ok());
        const DropRow* tie = nullptr;
        for (const DropRow& d : drops.value())
            if (d.entry == QLatin1String(kTieAttach)) tie = &d;
        QVERIFY(tie);
        QCOMPARE(formatTopValues(tie->topSources), QStringLiteral("10.9.0.10 (3); 10.9.0.100 (3); 10.9.0.9 (3)"));
        QCOMPARE(formatTopValues(tie->topDestinations), QStringLiteral("10.1.0.10 (9); 10.1.0.9 (7)"));
        QCOMPARE(formatTopValues(tie->topPorts), QStringLiteral("443 (6); 22 (4); 53 (3)"));
        QCOMPARE(tie->routeTableId, QStringLiteral("tgw-rtb-0eee00000000000e'5"));
        const QString sql = m_sqlite[QStringLiteral("all|drops")];
        auto rows = runRows(m_athenaTgw.db, sql);
        QVERIFY2(rows.ok(), qPrintable(errorOf(rows)));
        bool found = false;
        for (const QString& row : rows.value())
            found = found || row.contains(QLatin1String("10.9.0.10 (3); 10.9.0.100 (3); 10.9.0.9 (3)"));
        QVERIFY2(found, qPrintable(rows->join(QLatin1Char('\n'))));
    }

    void randomFiltersParseUnderTrino()
    {
        QStringList queries, expressions;
        int i = 0;
        for (const QString& e : randomFilterExpressions()) {
            if (!compileFilter(e).ok()) {
                QVERIFY2(!trinoFilter(e, {}).ok(), qPrintable(e)); // the same errors
                continue;
            }
            auto where = trinoFilter(e, tgwColumns(), &m_names);
            QVERIFY2(where.ok(), qPrintable(e + QStringLiteral(": ") + errorOf(where)));
            expressions << e;
            if (++i % 25 == 0) {
                RemoteQuery q = queryFor(QStringLiteral("edges attachment"), e, false, &m_names);
                queries << athenaSql(q).value();
            } else {
                queries << QStringLiteral("SELECT count(*) FROM flow_logs WHERE ") + where.value();
            }
        }
        QVERIFY(queries.size() > 100);
        QString problem;
        const QJsonArray out = transpile(queries, QStringLiteral("parse"), &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(out.size(), queries.size());
        for (qsizetype k = 0; k < out.size(); ++k)
            QVERIFY2(out[k].toObject().value(QStringLiteral("ok")).toBool(),
                     qPrintable(expressions[k] + QStringLiteral("\n") + queries[k] + QStringLiteral("\n")
                                + out[k].toObject().value(QStringLiteral("error")).toString()));
    }
};

QTEST_GUILESS_MAIN(TestRemoteSql)
#include "tst_remote_sql.moc"
