// Lines the independent oracle (tests/data/oracle/flowlog_oracle.py) found the parser keeping as
// records although they are damaged: a control byte (a stray NUL of an interrupted write, a
// lone CR, DEL) inside a text value. Numbers and addresses already rejected such bytes; text
// values (action, ids, extra columns) kept them, and `flowlog-cli export` then wrote a raw NUL
// into its CSV. Each row is one line parsed with a header layout: the reason, or the kept values.
#include "core/ingest/parser.h"

#include <QTest>

using namespace core;

namespace {

const QByteArray kHeader = "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
                           "log-status ecs-task-arn my-extra";
const QByteArray kGood = "5 eni-0123456789abcdef0 10.0.0.1 10.0.0.2 1234 443 6 10 840 1764547200 1764547260 ACCEPT OK - x";

Layout headerLayout()
{
    std::vector<std::string_view> toks(kMaxTokens);
    const int n =
        splitFields(std::string_view(kHeader.constData(), static_cast<size_t>(kHeader.size())), toks.data(), kMaxTokens);
    toks.resize(static_cast<size_t>(n));
    int next = 0;
    return Layout::fromNames(toks, Layout::Source::Header, [&next](std::string_view) { return next++; });
}

} // namespace

class TestOracleParser : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void controlBytes_data();
    void controlBytes();
};

void TestOracleParser::controlBytes_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("reason"); // empty = a record
    QTest::addColumn<QString>("action"); // the kept action when a record

    QTest::newRow("good") << kGood << ""
                          << "ACCEPT";
    QTest::newRow("CRLF") << kGood + "\r"
                          << ""
                          << "ACCEPT";
    QTest::newRow("UTF-8 in an extra column is text") << QByteArray(kGood).replace(" x", " caf\xc3\xa9") << ""
                                                      << "ACCEPT";
    QTest::newRow("70,000-character text value") << QByteArray(kGood).replace(" - x", " " + QByteArray(70000, 't') + " x") << ""
                                                 << "ACCEPT";
    QTest::newRow("NUL in action") << QByteArray(kGood).replace("ACCEPT", QByteArray("ACC\0EPT", 7))
                                   << "action: 'ACC\\x00EPT' contains a control byte (0x00)"
                                   << "";
    QTest::newRow("NUL at the start of an id") << QByteArray(kGood).replace("eni-", QByteArray("\0eni-", 5))
                                               << "interface-id: '\\x00eni-0123456789abcdef0' contains a control byte (0x00)"
                                               << "";
    QTest::newRow("lone CR inside a value") << QByteArray(kGood).replace("OK", "O\rK")
                                            << "log-status: 'O\\x0dK' contains a control byte (0x0d)"
                                            << "";
    QTest::newRow("DEL in an ARN") << QByteArray(kGood).replace(" - x", " arn:aws:ecs\x7f x")
                                   << "ecs-task-arn: 'arn:aws:ecs\\x7f' contains a control byte (0x7f)"
                                   << "";
    QTest::newRow("escape byte in an extra column")
        << QByteArray(kGood).replace(" x", " \x1b[31m") << "extra column 0: '\\x1b[31m' contains a control byte (0x1b)"
        << "";
    const QByteArray nulNumber(" 8\0"
                               "40 ",
                               6);
    QTest::newRow("NUL in a number is shown, not cut")
        << QByteArray(kGood).replace(" 840 ", nulNumber) << "bytes: '8\\x0040' is not a number"
        << "";
}

void TestOracleParser::controlBytes()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, reason);
    QFETCH(QString, action);
    const Layout layout = headerLayout();
    FlowRecord rec;
    const ParseResult r = parseLine(std::string_view(line.constData(), static_cast<size_t>(line.size())), layout, rec);
    QCOMPARE(r.reason, reason);
    if (reason.isEmpty()) {
        const auto a = rec.text(FieldId::Action);
        QCOMPARE(QString::fromUtf8(a.data(), static_cast<qsizetype>(a.size())), action);
    }
}

QTEST_GUILESS_MAIN(TestOracleParser)
#include "tst_oracle_parser.moc"
