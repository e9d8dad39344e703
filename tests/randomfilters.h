#pragma once
// The 20,000 deterministic random filter expressions (valid and hostile fragments, fixed seed) that
// tst_filter compiles to SQLite and tst_remote_sql compiles to Trino: one generator, so both tests
// see exactly the same expressions.
#include <QRandomGenerator>
#include <QStringList>

inline QStringList randomFilterExpressions()
{
    static const QStringList fragments = {"srcaddr",
                                          "addr",
                                          "port",
                                          "drops",
                                          "proto",
                                          "tcp_flags",
                                          "start",
                                          "action",
                                          "attachment",
                                          "scraddr",
                                          "==",
                                          "!=",
                                          "<",
                                          ">=",
                                          "=",
                                          "in",
                                          "contains",
                                          "has",
                                          "and",
                                          "or",
                                          "not",
                                          "&&",
                                          "||",
                                          "!",
                                          "(",
                                          ")",
                                          "{",
                                          "}",
                                          ",",
                                          "|",
                                          "10.0.0.0/8",
                                          "2600:1f18::/32",
                                          "443",
                                          "-1",
                                          "tcp",
                                          "SYN|ACK",
                                          "\"x' OR 1=1 --\"",
                                          "'a\\'b'",
                                          "\"",
                                          "2026-11-29T10:00:00Z",
                                          "\"2026-11-29 10:00\"",
                                          "ACCEPT",
                                          "\u00e9\u00e8",
                                          "&",
                                          ";",
                                          "--",
                                          "%",
                                          "_",
                                          "\\",
                                          "\t",
                                          "9999999999999999999999"};
    QRandomGenerator rng(20261129);
    QStringList out;
    for (int i = 0; i < 20000; ++i) {
        QStringList parts;
        const int n = 1 + static_cast<int>(rng.bounded(9));
        for (int k = 0; k < n; ++k) parts << fragments[static_cast<int>(rng.bounded(static_cast<quint32>(fragments.size())))];
        out << parts.join(rng.bounded(4) == 0 ? QString() : QStringLiteral(" "));
    }
    return out;
}
