// CSV writing: RFC 4180 quoting, the formula guard, SELECT building, and exports that are
// atomic (cancel/failure leaves the target untouched) and report write errors with the path.
// Over 500 lines on purpose: one unit (csv.h); most of it is expected CSV bytes per row.
#include "core/export/csv.h"
#include "core/ingest/loader.h"
#include "core/names/names.h"
#include "core/query/filter.h"
#include "core/store/store.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "tests/testpaths.h"
#include <unistd.h>

using namespace core;

namespace {

/// A device that accepts `budget` bytes, then fails every write (a simulated full disk).
class FailingDevice : public QIODevice {
public:
    explicit FailingDevice(qint64 budget) : m_budget(budget) {}

protected:
    qint64 readData(char*, qint64) override { return -1; }
    qint64 writeData(const char*, qint64 len) override
    {
        if (len > m_budget) {
            setErrorString(QStringLiteral("simulated write error"));
            return -1;
        }
        m_budget -= len;
        return len;
    }

private:
    qint64 m_budget;
};

QByteArray readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll();
}

const QByteArray kExpectedTcpByBytes = "tgw_attachment_id,srcaddr,dstaddr,bytes,pkt_src_aws_service\r\n"
                                       "tgw-attach-aaa,10.0.1.5,10.1.2.7,1000,\r\n"
                                       "tgw-attach-bbb,10.0.1.5,10.1.2.7,1000,\r\n"
                                       "tgw-attach-ccc,2600:1f18:abcd::1,2600:1f18:ffff::2,500,'=1+1\r\n";

} // namespace

class TestCsv : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Store> m_named; ///< tgw.log with hostile names (see initTestCase)

    static QByteArray exportBytes(const Store& store, const ExportRequest& r)
    {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        Error e;
        if (exportCsv(store, r, buffer, {}, nullptr, &e) != Outcome::Ok) return "failed: " + e.message.toUtf8();
        return buffer.data();
    }

    /// Column names, then one line per row ("NULL" for NULL, '|' between values), of `sql` run
    /// on `store` with `params`; the error message if it fails.
    static QString resultText(const Store& store, const QString& sql, const QVariantList& params = {})
    {
        auto st = store.prepare(sql);
        if (!st.ok()) return QStringLiteral("error: ") + st.error().message;
        st->bindAll(params);
        QStringList names;
        for (int c = 0; c < st->columnCount(); ++c) names << st->columnName(c);
        QString out = names.join(QLatin1Char('|')) + QLatin1Char('\n');
        while (st->next()) {
            QStringList values;
            for (int c = 0; c < st->columnCount(); ++c) values << (st->isNull(c) ? QStringLiteral("NULL") : st->text(c));
            out += values.join(QLatin1Char('|')) + QLatin1Char('\n');
        }
        return st->error().isEmpty() ? out : out + QStringLiteral("error: ") + st->error();
    }

    ExportRequest tcpByBytes() const
    {
        ExportRequest r;
        r.columns = {QStringLiteral("tgw-attachment-id"), QStringLiteral("srcaddr"), QStringLiteral("dstaddr"),
                     QStringLiteral("bytes"), QStringLiteral("pkt_src_aws_service")};
        r.filter = QStringLiteral("proto == tcp");
        r.sort = {SortKey{QStringLiteral("bytes"), true}};
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto created = Store::create();
        QVERIFY2(created.ok(), qPrintable(created.ok() ? QString() : created.error().message));
        m_store = std::move(created.value());
        const QByteArray data = readAll(testpaths::testData() + QStringLiteral("/cli/tgw.log"));
        QVERIFY(!data.isEmpty());
        const LoadReport report = loadBuffer(*m_store, data, QStringLiteral("tgw.log"), LoadOptions{});
        QCOMPARE(report.records, 5LL);
        QCOMPARE(report.rejected, 0LL);

        auto named = Store::create();
        QVERIFY(named.ok());
        m_named = std::move(named.value());
        QCOMPARE(loadBuffer(*m_named, data, QStringLiteral("tgw.log"), LoadOptions{}).records, 5LL);
        NameDirectory names;
        auto add = [&](const char* id, const QString& name) {
            NameEntry e;
            e.id = QLatin1String(id);
            e.name = name;
            names.add(e);
        };
        add("tgw-attach-aaa", QStringLiteral("VPC A"));
        add("tgw-attach-bbb", QStringLiteral("=HYPERLINK(\"http://evil.example\",\"x\")"));
        add("vpc-0aaa", QStringLiteral("prod, \"main\""));
        add("subnet-0a1", QStringLiteral(" lead space"));
        add("eni-0a1", QStringLiteral("@SUM(A1)"));
        add("tgw-0abc", QStringLiteral("Ünïcødé 名前"));
        add("vpc-0bbb", QStringLiteral("-5")); // a number-looking name stays as it is
        QVERIFY(storeNames(*m_named, names).ok());
    }

    void field_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("guard");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("plain") << "tgw-attach-0abc" << true << QByteArray("tgw-attach-0abc");
        QTest::newRow("empty") << "" << true << QByteArray("");
        QTest::newRow("comma") << "a,b" << true << QByteArray("\"a,b\"");
        QTest::newRow("quote doubled") << "say \"hi\"" << true << QByteArray("\"say \"\"hi\"\"\"");
        QTest::newRow("LF") << "line\nbreak" << true << QByteArray("\"line\nbreak\"");
        QTest::newRow("CRLF inside") << "a\r\nb" << true << QByteArray("\"a\r\nb\"");
        QTest::newRow("leading space") << " lead" << true << QByteArray("\" lead\"");
        QTest::newRow("trailing space") << "trail " << true << QByteArray("\"trail \"");
        QTest::newRow("inner space") << "a b" << true << QByteArray("a b");
        QTest::newRow("utf8") << QString::fromUtf8("h\xc3\xa9llo \xe2\x82\xac") << true
                              << QByteArray("h\xc3\xa9llo \xe2\x82\xac");
        QTest::newRow("=1+1 guarded") << "=1+1" << true << QByteArray("'=1+1");
        QTest::newRow("=1+1 unguarded") << "=1+1" << false << QByteArray("=1+1");
        QTest::newRow("@SUM guarded") << "@SUM(A1:A9)" << true << QByteArray("'@SUM(A1:A9)");
        QTest::newRow("+1 guarded") << "+1" << true << QByteArray("'+1");
        QTest::newRow("-5 number kept") << "-5" << true << QByteArray("-5");
        QTest::newRow("-0.25 number kept") << "-0.25" << true << QByteArray("-0.25");
        QTest::newRow("-1.5e+20 number kept") << "-1.5e+20" << true << QByteArray("-1.5e+20");
        QTest::newRow("-cmd guarded") << "-cmd" << true << QByteArray("'-cmd");
        QTest::newRow("-5+cmd guarded") << "-5+cmd|' /C calc'!A0" << true << QByteArray("'-5+cmd|' /C calc'!A0");
        QTest::newRow("-5. guarded") << "-5." << true << QByteArray("'-5.");
        QTest::newRow("lone dash kept") << "-" << true << QByteArray("-");
        QTest::newRow("double dash guarded") << "--" << true << QByteArray("'--");
        QTest::newRow("tab guarded") << "\tx" << true << QByteArray("'\tx");
        QTest::newRow("CR guarded and quoted") << "\rx" << true << QByteArray("\"'\rx\"");
        QTest::newRow("formula with comma") << "=A1,B1" << true << QByteArray("\"'=A1,B1\"");
        QTest::newRow("dash later is fine") << "5-3" << true << QByteArray("5-3");
        QTest::newRow("equals later is fine") << "a=b" << true << QByteArray("a=b");
    }

    void field()
    {
        QFETCH(QString, value);
        QFETCH(bool, guard);
        QFETCH(QByteArray, expected);
        CsvOptions options;
        options.guardFormulas = guard;
        QCOMPARE(csvField(value, options), expected);
    }

    void record()
    {
        QCOMPARE(csvRecord({QStringLiteral("a"), QString(), QStringLiteral("b,c"), QStringLiteral("=x")}),
                 QByteArray("a,,\"b,c\",'=x\r\n"));
        QCOMPARE(csvRecord({}), QByteArray("\r\n"));
    }

    void sortKey_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("column");
        QTest::addColumn<bool>("descending");
        QTest::newRow("plain") << "bytes" << true << "bytes" << false;
        QTest::newRow("desc") << "bytes:desc" << true << "bytes" << true;
        QTest::newRow("asc") << "start:ASC" << true << "start" << false;
        QTest::newRow("hyphen name") << "tgw-attachment-id:desc" << true << "tgw_attachment_id" << true;
        QTest::newRow("bad direction") << "bytes:down" << false << "" << false;
        QTest::newRow("empty") << ":desc" << false << "" << false;
    }

    void sortKey()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(QString, column);
        QFETCH(bool, descending);
        const auto k = parseSortKey(text);
        QCOMPARE(k.ok(), ok);
        if (!ok) return;
        QCOMPARE(k->column, column);
        QCOMPARE(k->descending, descending);
    }

    void select_data()
    {
        // oracle: a hand-written SELECT on the same store; the built SELECT must return the same
        // columns and rows in the same order. Empty oracle = an error is expected.
        QTest::addColumn<QStringList>("columns");
        QTest::addColumn<QString>("sort");
        QTest::addColumn<QString>("oracle");
        QTest::addColumn<QString>("message"); // error message
        QTest::newRow("ordered by id") << QStringList{"srcaddr", "bytes"} << ""
                                       << "SELECT srcaddr, bytes FROM flows ORDER BY id"
                                       << "";
        // Records 1 and 2 tie on bytes: the id breaks the tie.
        QTest::newRow("sort then id") << QStringList{"tgw-attachment-id"} << "bytes:desc"
                                      << "SELECT tgw_attachment_id FROM flows ORDER BY bytes DESC, id"
                                      << "";
        QTest::newRow("sort by id only once") << QStringList{"srcaddr"} << "id:desc"
                                              << "SELECT srcaddr FROM flows ORDER BY id DESC"
                                              << "";
        QTest::newRow("hyphen column") << QStringList{"log-status"} << ""
                                       << "SELECT log_status FROM flows ORDER BY id"
                                       << "";
        QTest::newRow("unknown column") << QStringList{"scraddr"} << ""
                                        << ""
                                        << "unknown column 'scraddr'; did you mean 'srcaddr'?";
        QTest::newRow("injected column") << QStringList{"srcaddr\" FROM flows; --"} << ""
                                         << ""
                                         << "unknown column 'srcaddr\" FROM flows; --'";
        QTest::newRow("unknown sort") << QStringList{"srcaddr"} << "bites"
                                      << ""
                                      << "unknown column 'bites'; did you mean 'bytes'?";
    }

    void select()
    {
        QFETCH(QStringList, columns);
        QFETCH(QString, sort);
        QFETCH(QString, oracle);
        QFETCH(QString, message);
        std::vector<SortKey> keys;
        if (!sort.isEmpty()) keys.push_back(parseSortKey(sort).value());
        const auto s = buildSelect(*m_store, columns, QString(), keys);
        if (oracle.isEmpty()) {
            QVERIFY(!s.ok());
            QCOMPARE(s.error().message, message);
        } else {
            QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message));
            const QString expected = resultText(*m_store, oracle);
            QCOMPARE(expected.count(QLatin1Char('\n')), 1 + 5); // header and the five records
            QCOMPARE(resultText(*m_store, s->sql, s->params), expected);
        }
    }

    void selectAllColumnsSkipsIds()
    {
        const auto s = buildSelect(*m_store, {}, QStringLiteral("port == 443"), {});
        QVERIFY(s.ok());
        QCOMPARE(s->params.size(), 1);
        auto st = m_store->prepare(s->sql);
        QVERIFY2(st.ok(), qPrintable(st.ok() ? QString() : st.error().message));
        QStringList names;
        for (int c = 0; c < st->columnCount(); ++c) names << st->columnName(c);
        QCOMPARE(names.mid(0, 3), (QStringList{"file_id", "line", "version"}));
        QVERIFY(!names.contains(QLatin1String("twin_id")));
        QVERIFY(!names.contains(QLatin1String("id")));
    }

    void exportToBuffer_data()
    {
        QTest::addColumn<QStringList>("columns");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("sort");
        QTest::addColumn<bool>("guard");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("tcp by bytes") << QStringList{"tgw-attachment-id", "srcaddr", "dstaddr", "bytes", "pkt_src_aws_service"}
                                      << "proto == tcp"
                                      << "bytes:desc" << true << kExpectedTcpByBytes;
        QTest::newRow("no guard") << QStringList{"pkt_src_aws_service"} << "pkt_src_aws_service"
                                  << "" << false << QByteArray("pkt_src_aws_service\r\n=1+1\r\n");
        QTest::newRow("NULLs first ascending") << QStringList{"tgw_attachment_id", "dstport"} << ""
                                               << "dstport" << true
                                               << QByteArray("tgw_attachment_id,dstport\r\ntgw-attach-eee,\r\n"
                                                             "tgw-attach-aaa,53\r\ntgw-attach-ccc,80\r\n"
                                                             "tgw-attach-aaa,443\r\ntgw-attach-bbb,443\r\n");
        QTest::newRow("NULLs last descending") << QStringList{"tgw_attachment_id", "dstport"} << ""
                                               << "dstport:desc" << true
                                               << QByteArray("tgw_attachment_id,dstport\r\ntgw-attach-aaa,443\r\n"
                                                             "tgw-attach-bbb,443\r\ntgw-attach-ccc,80\r\n"
                                                             "tgw-attach-aaa,53\r\ntgw-attach-eee,\r\n");
        QTest::newRow("nothing matches") << QStringList{"srcaddr"} << "srcaddr == 8.8.8.8"
                                         << "" << true << QByteArray("srcaddr\r\n");
        QTest::newRow("times raw, NULL empty") << QStringList{"start", "end", "srcport"} << "log_status == NODATA"
                                               << "" << true << QByteArray("start,end,srcport\r\n1795946580,1795946640,\r\n");
        QTest::newRow("alias is not a column") << QStringList{"start", "drops"} << ""
                                               << "" << true << QByteArray();
    }

    void exportToBuffer()
    {
        QFETCH(QStringList, columns);
        QFETCH(QString, filter);
        QFETCH(QString, sort);
        QFETCH(bool, guard);
        QFETCH(QByteArray, expected);
        ExportRequest r;
        r.columns = columns;
        r.filter = filter;
        if (!sort.isEmpty()) r.sort.push_back(parseSortKey(sort).value());
        r.csv.guardFormulas = guard;
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        Error e;
        const Outcome o = exportCsv(*m_store, r, buffer, {}, nullptr, &e);
        if (expected.isEmpty()) {
            // "drops" is a filter alias, not a column: refused with a suggestion-free message.
            QCOMPARE(o, Outcome::Failed);
            QVERIFY(e.message.contains(QLatin1String("unknown column 'drops'")));
            return;
        }
        QVERIFY2(o == Outcome::Ok, qPrintable(e.message));
        QCOMPARE(buffer.data(), expected);
    }

    void sortedPathMatchesLoadOrderPath()
    {
        // Sorting by `line` (equal to load order for one file) goes through the sort-ids-then-fetch
        // path; it must give the bytes of the plain load-order export.
        QBuffer plain;
        plain.open(QIODevice::WriteOnly);
        QCOMPARE(exportCsv(*m_store, ExportRequest{}, plain), Outcome::Ok);
        ExportRequest byLine;
        byLine.sort = {SortKey{QStringLiteral("line"), false}};
        QBuffer sorted;
        sorted.open(QIODevice::WriteOnly);
        QCOMPARE(exportCsv(*m_store, byLine, sorted), Outcome::Ok);
        QCOMPARE(sorted.data(), plain.data());
        QCOMPARE(plain.data().count("\r\n"), 6);
    }

    void progressReported()
    {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QList<QPair<qint64, qint64>> calls;
        const Outcome o = exportCsv(*m_store, ExportRequest{}, buffer, [&](qint64 done, qint64 total) {
            calls.append({done, total});
        });
        QCOMPARE(o, Outcome::Ok);
        QVERIFY(calls.size() >= 2);
        QCOMPARE(calls.front().first, 0LL);
        QCOMPARE(calls.back(), qMakePair(5LL, 5LL));
        QCOMPARE(buffer.data().count("\r\n"), 6);
    }

    void fileEqualsBuffer()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("out.csv"));
        Error e;
        QCOMPARE(exportCsvFile(*m_store, tcpByBytes(), path, {}, nullptr, &e), Outcome::Ok);
        QCOMPARE(readAll(path), kExpectedTcpByBytes);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("out.csv")});
    }

    void cancelLeavesTargetUntouched_data()
    {
        QTest::addColumn<bool>("preCancelled");
        QTest::newRow("cancelled before start") << true;
        QTest::newRow("cancelled from progress") << false;
    }

    void cancelLeavesTargetUntouched()
    {
        QFETCH(bool, preCancelled);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("existing.csv"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("precious\n");
        }
        std::atomic<bool> cancel{preCancelled};
        Error e;
        const Outcome o = exportCsvFile(
            *m_store, tcpByBytes(), path, [&](qint64, qint64) { cancel = true; }, &cancel, &e);
        QCOMPARE(o, Outcome::Cancelled);
        QCOMPARE(readAll(path), QByteArray("precious\n"));
        // No temporary file is left behind.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("existing.csv")});
    }

    void unwritableTarget_data()
    {
        QTest::addColumn<QString>("relative"); // created under a temporary directory
        QTest::addColumn<bool>("readOnlyDir");
        QTest::newRow("missing directory") << "missing/out.csv" << false;
        QTest::newRow("parent is a file") << "file.txt/out.csv" << false;
        QTest::newRow("read-only directory") << "ro/out.csv" << true;
    }

    void unwritableTarget()
    {
        QFETCH(QString, relative);
        QFETCH(bool, readOnlyDir);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        {
            QFile f(dir.filePath(QStringLiteral("file.txt")));
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        const QString path = dir.filePath(relative);
        if (readOnlyDir) {
            if (::geteuid() == 0) QSKIP("running as root: directory permissions do not apply");
            QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("ro")));
            QVERIFY(QFile::setPermissions(dir.filePath(QStringLiteral("ro")), QFile::ReadOwner | QFile::ExeOwner));
        }
        Error e;
        const Outcome o = exportCsvFile(*m_store, tcpByBytes(), path, {}, nullptr, &e);
        if (readOnlyDir)
            QFile::setPermissions(dir.filePath(QStringLiteral("ro")), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QCOMPARE(o, Outcome::Failed);
        QCOMPARE(e.file, path);
        QVERIFY2(e.message.contains(path), qPrintable(e.message));
        QVERIFY(!QFile::exists(path));
    }

    void diskFull()
    {
        if (!QFile::exists(QStringLiteral("/dev/full"))) QSKIP("no /dev/full");
        QFile full(QStringLiteral("/dev/full"));
        QVERIFY(full.open(QIODevice::WriteOnly));
        Error e;
        const Outcome o = exportCsv(*m_store, ExportRequest{}, full, {}, nullptr, &e);
        QCOMPARE(o, Outcome::Failed);
        QVERIFY2(e.message.contains(QLatin1String("/dev/full")), qPrintable(e.message));
        QVERIFY2(e.message.contains(QLatin1String("space"), Qt::CaseInsensitive), qPrintable(e.message));
    }

    void simulatedWriteError()
    {
        FailingDevice device(10);
        QVERIFY(device.open(QIODevice::WriteOnly));
        Error e;
        const Outcome o = exportCsv(*m_store, ExportRequest{}, device, {}, nullptr, &e);
        QCOMPARE(o, Outcome::Failed);
        QVERIFY2(e.message.contains(QLatin1String("simulated write error")), qPrintable(e.message));
    }

    void filterErrorFails()
    {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        ExportRequest r;
        r.filter = QStringLiteral("srcaddr ==");
        Error e;
        QCOMPARE(exportCsv(*m_store, r, buffer, {}, nullptr, &e), Outcome::Failed);
        QCOMPARE(e.column, 11);
        QVERIFY(buffer.data().isEmpty());
    }

    void selectFilteredByName()
    {
        // Name columns are added while writing: the SELECT returns the requested columns only, the
        // records a name filter selects, and the name is a bound parameter.
        const auto s = buildSelect(*m_named, {QStringLiteral("tgw-attachment-id"), QStringLiteral("bytes")},
                                   QStringLiteral("attachment == \"VPC A\""), {});
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message));
        QCOMPARE(
            resultText(*m_named, s->sql, s->params),
            resultText(*m_named, QStringLiteral("SELECT tgw_attachment_id, bytes FROM flows WHERE tgw_attachment_id = "
                                                "'tgw-attach-aaa' OR tgw_pair_attachment_id = 'tgw-attach-aaa' ORDER BY id")));
        QCOMPARE(resultText(*m_named, s->sql, s->params).count(QLatin1Char('\n')), 1 + 3);
        QCOMPARE(s->params, QVariantList{QStringLiteral("VPC A")});
        QVERIFY(!s->sql.contains(QLatin1Char('\'')));
    }

    void exportWithNames_data()
    {
        QTest::addColumn<QStringList>("columns");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("sort");
        QTest::addColumn<bool>("guard");
        QTest::addColumn<QByteArray>("expected");
        const QByteArray attachmentsHeader =
            "tgw_attachment_id,tgw_attachment_id_name,tgw_pair_attachment_id,tgw_pair_attachment_id_name,bytes\r\n";
        QTest::newRow("names after ids, formula guarded, sorted")
            << QStringList{"tgw_attachment_id", "tgw-pair-attachment-id", "bytes"} << "proto == tcp"
            << "bytes:desc" << true
            << attachmentsHeader
                   + "tgw-attach-aaa,VPC A,tgw-attach-bbb,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",1000\r\n"
                     "tgw-attach-bbb,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",tgw-attach-aaa,VPC A,1000\r\n"
                     "tgw-attach-ccc,,tgw-attach-ddd,,500\r\n";
        QTest::newRow("guard off: name as is")
            << QStringList{"tgw_attachment_id", "tgw-pair-attachment-id", "bytes"} << "tgw-attachment-id == tgw-attach-bbb"
            << "" << false
            << attachmentsHeader
                   + "tgw-attach-bbb,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",tgw-attach-aaa,VPC A,1000\r\n";
        QTest::newRow("vpc subnet eni tgw: quoting, guard, unicode")
            << QStringList{"tgw_id", "tgw_src_vpc_id", "tgw_dst_vpc_id", "tgw_src_subnet_id", "tgw_src_eni"}
            << "bytes == 500 or bytes == 300"
            << "" << true
            << QByteArray(
                   "tgw_id,tgw_id_name,tgw_src_vpc_id,tgw_src_vpc_id_name,tgw_dst_vpc_id,tgw_dst_vpc_id_name,"
                   "tgw_src_subnet_id,tgw_src_subnet_id_name,tgw_src_eni,tgw_src_eni_name\r\n"
                   "tgw-0abc,Ünïcødé 名前,vpc-0aaa,\"prod, \"\"main\"\"\",,,subnet-0a1,\" lead space\",eni-0a1,'@SUM(A1)\r\n"
                   "tgw-0abc,Ünïcødé 名前,vpc-0ccc,,vpc-0ddd,,subnet-0a1,\" lead space\",eni-0a1,'@SUM(A1)\r\n");
        QTest::newRow("number-looking name unguarded")
            << QStringList{"tgw_dst_vpc_id"} << "bytes == 1000"
            << "" << true << QByteArray("tgw_dst_vpc_id,tgw_dst_vpc_id_name\r\nvpc-0bbb,-5\r\nvpc-0bbb,-5\r\n");
        QTest::newRow("no id: empty id and name")
            << QStringList{"tgw_src_vpc_id", "log_status"} << "log_status == NODATA"
            << "" << true << QByteArray("tgw_src_vpc_id,tgw_src_vpc_id_name,log_status\r\n,,NODATA\r\n");
        QTest::newRow("non-id columns get no name column")
            << QStringList{"account_id", "tgw_src_az_id", "bytes"} << "bytes == 300"
            << "" << true << QByteArray("account_id,tgw_src_az_id,bytes\r\n111122223333,use1-az1,300\r\n");
        QTest::newRow("filter by name, export names")
            << QStringList{"tgw-attachment-id"} << "attachment == \"VPC A\""
            << "line" << true
            << QByteArray("tgw_attachment_id,tgw_attachment_id_name\r\n"
                          "tgw-attach-aaa,VPC A\r\ntgw-attach-bbb,'=HYPERLINK(\"http://evil.example\",\"x\")\r\n"
                          "tgw-attach-aaa,VPC A\r\n")
                   .replace("'=HYPERLINK(\"http://evil.example\",\"x\")",
                            "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"");
    }

    void exportWithNames()
    {
        QFETCH(QStringList, columns);
        QFETCH(QString, filter);
        QFETCH(QString, sort);
        QFETCH(bool, guard);
        QFETCH(QByteArray, expected);
        ExportRequest r;
        r.columns = columns;
        r.filter = filter;
        if (!sort.isEmpty()) r.sort.push_back(parseSortKey(sort).value());
        r.csv.guardFormulas = guard;
        r.withNames = true;
        QCOMPARE(exportBytes(*m_named, r), expected);
        // Without withNames the ids are exported exactly as before (no name columns).
        r.withNames = false;
        const QByteArray plain = exportBytes(*m_named, r);
        QVERIFY(!plain.contains("_name"));
        QCOMPARE(plain.count("\r\n"), expected.count("\r\n"));
        // ... and match a store without names (unless the filter itself selects by name).
        if (!filter.contains(QLatin1String("VPC A"))) QCOMPARE(plain, exportBytes(*m_store, r));
    }

    void exportAllColumnsWithNames()
    {
        ExportRequest r;
        r.withNames = true;
        const QByteArray bytes = exportBytes(*m_named, r);
        const QByteArray header = bytes.left(bytes.indexOf("\r\n"));
        QStringList expected;
        for (const QString& c : m_named->columns()) {
            if (c == QLatin1String("id") || c == QLatin1String("twin_id")) continue;
            expected << c;
            if (isNameableColumn(c)) expected << c + QStringLiteral("_name");
        }
        QCOMPARE(QString::fromUtf8(header), expected.join(QLatin1Char(',')));
        QCOMPARE(bytes.count("\r\n"), 6);
        QVERIFY(bytes.contains(",tgw-attach-aaa,VPC A,"));
        // The sort-ids-then-fetch path gives the same bytes.
        r.sort = {SortKey{QStringLiteral("line"), false}};
        QCOMPARE(exportBytes(*m_named, r), bytes);
    }

    void exportWithNamesButNoneLoaded()
    {
        // A store without names: the name columns are there, and empty.
        ExportRequest r;
        r.columns = {QStringLiteral("tgw_attachment_id"), QStringLiteral("bytes")};
        r.filter = QStringLiteral("bytes == 300");
        r.withNames = true;
        QCOMPARE(exportBytes(*m_store, r),
                 QByteArray("tgw_attachment_id,tgw_attachment_id_name,bytes\r\ntgw-attach-aaa,,300\r\n"));
    }

    void queryRows()
    {
        auto st = m_store->prepareUserQuery(
            QStringLiteral("SELECT 1 AS one, 'a,b' AS two, NULL AS three, 1.5 AS four, x'00ff' AS five, '-x' AS six"));
        QVERIFY(st.ok());
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QCOMPARE(writeCsvRows(st.value(), buffer), Outcome::Ok);
        QCOMPARE(buffer.data(), QByteArray("one,two,three,four,five,six\r\n1,\"a,b\",,1.5,00ff,'-x\r\n"));
    }
};

QTEST_GUILESS_MAIN(TestCsv)
#include "tst_csv.moc"
