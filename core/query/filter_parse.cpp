// The filter language's front end: lexer and recursive-descent parser (the field/alias table
// is in filter_fields.cpp). See filter.cpp for the grammar, filter_emit.cpp for the SQL.
#include "core/query/filter_parse.h"

#include "core/model/fields.h"
#include "core/query/filter.h"

#include <QHash>
#include <algorithm>

namespace core {
namespace filterlang {
namespace {

// ---------------------------------------------------------------------------------------------
// Lexer

enum class Tok { Word, String, LParen, RParen, LBrace, RBrace, Comma, Pipe, Cmp, AndOp, OrOp, NotOp, End };

struct Token {
    Tok kind = Tok::End;
    QString text; ///< word/string value (unescaped) or operator spelling
    int pos = 0;  ///< 1-based character position
};

} // namespace

bool isWordChar(QChar c)
{
    if (c.isSpace()) return false;
    switch (c.unicode()) {
    case '(':
    case ')':
    case '{':
    case '}':
    case '=':
    case '<':
    case '>':
    case '!':
    case ',':
    case '"':
    case '\'':
    case '|':
    case '&':
        return false;
    default:
        return true;
    }
}

Error makeError(int pos, const QString& message)
{
    Error e;
    e.column = pos;
    e.message = message;
    return e;
}

namespace {

Result<std::vector<Token>> tokenize(const QString& s)
{
    std::vector<Token> out;
    qsizetype i = 0;
    const qsizetype n = s.size();
    auto pos = [](qsizetype index) { return static_cast<int>(index + 1); };
    while (i < n) {
        const QChar c = s[i];
        if (c.isSpace()) {
            ++i;
            continue;
        }
        Token t;
        t.pos = pos(i);
        const QChar next = i + 1 < n ? s[i + 1] : QChar();
        switch (c.unicode()) {
        case '(':
            t.kind = Tok::LParen;
            t.text = QStringLiteral("(");
            ++i;
            break;
        case ')':
            t.kind = Tok::RParen;
            t.text = QStringLiteral(")");
            ++i;
            break;
        case '{':
            t.kind = Tok::LBrace;
            t.text = QStringLiteral("{");
            ++i;
            break;
        case '}':
            t.kind = Tok::RBrace;
            t.text = QStringLiteral("}");
            ++i;
            break;
        case ',':
            t.kind = Tok::Comma;
            t.text = QStringLiteral(",");
            ++i;
            break;
        case '|':
            if (next == QLatin1Char('|')) {
                t.kind = Tok::OrOp;
                t.text = QStringLiteral("||");
                i += 2;
            } else {
                t.kind = Tok::Pipe;
                t.text = QStringLiteral("|");
                ++i;
            }
            break;
        case '&':
            if (next != QLatin1Char('&')) return makeError(t.pos, QStringLiteral("expected '&&' at %1").arg(t.pos));
            t.kind = Tok::AndOp;
            t.text = QStringLiteral("&&");
            i += 2;
            break;
        case '=':
            t.kind = Tok::Cmp;
            t.text = QStringLiteral("==");
            i += next == QLatin1Char('=') ? 2 : 1;
            break;
        case '!':
            if (next == QLatin1Char('=')) {
                t.kind = Tok::Cmp;
                t.text = QStringLiteral("!=");
                i += 2;
            } else {
                t.kind = Tok::NotOp;
                t.text = QStringLiteral("!");
                ++i;
            }
            break;
        case '<':
        case '>':
            t.kind = Tok::Cmp;
            t.text = QString(c);
            ++i;
            if (i < n && s[i] == QLatin1Char('=')) {
                t.text += QLatin1Char('=');
                ++i;
            } else if (c == QLatin1Char('<') && i < n && s[i] == QLatin1Char('>')) {
                t.text = QStringLiteral("!=");
                ++i;
            }
            break;
        case '"':
        case '\'': {
            const QChar quote = c;
            ++i;
            QString value;
            bool closed = false;
            while (i < n) {
                const QChar d = s[i];
                if (d == quote) {
                    closed = true;
                    ++i;
                    break;
                }
                if (d == QLatin1Char('\\')) {
                    if (i + 1 >= n) break;
                    const QChar e = s[i + 1];
                    switch (e.unicode()) {
                    case '\\':
                        value += QLatin1Char('\\');
                        break;
                    case '"':
                        value += QLatin1Char('"');
                        break;
                    case '\'':
                        value += QLatin1Char('\'');
                        break;
                    case 'n':
                        value += QLatin1Char('\n');
                        break;
                    case 't':
                        value += QLatin1Char('\t');
                        break;
                    case 'r':
                        value += QLatin1Char('\r');
                        break;
                    default:
                        return makeError(pos(i),
                                         QStringLiteral("unknown escape '\\%1' at %2; use \\\\, \\\", \\', \\n, \\t or \\r")
                                             .arg(e)
                                             .arg(pos(i)));
                    }
                    i += 2;
                    continue;
                }
                value += d;
                ++i;
            }
            if (!closed)
                return makeError(
                    t.pos, QStringLiteral("unterminated string starting at %1; expected a closing %2").arg(t.pos).arg(quote));
            t.kind = Tok::String;
            t.text = value;
            break;
        }
        default: {
            const qsizetype start = i;
            while (i < n && isWordChar(s[i])) ++i;
            t.kind = Tok::Word;
            t.text = s.mid(start, i - start);
            const QString lower = t.text.toLower();
            if (lower == QLatin1String("and")) t.kind = Tok::AndOp;
            else if (lower == QLatin1String("or")) t.kind = Tok::OrOp;
            else if (lower == QLatin1String("not")) t.kind = Tok::NotOp;
            break;
        }
        }
        out.push_back(t);
    }
    Token end;
    end.kind = Tok::End;
    end.pos = pos(n);
    out.push_back(end);
    return out;
}

class Parser {
public:
    explicit Parser(std::vector<Token> tokens) : m_tokens(std::move(tokens)) {}

    Result<NodePtr> parseAll()
    {
        auto e = parseOr();
        if (!e) return e;
        const Token& t = peek();
        if (t.kind != Tok::End) {
            if (t.kind == Tok::RParen)
                return makeError(t.pos, QStringLiteral("unexpected ')' at %1 without a matching '('").arg(t.pos));
            return makeError(t.pos, QStringLiteral("expected 'and', 'or' or the end at %1, got '%2'").arg(t.pos).arg(t.text));
        }
        return e;
    }

private:
    const Token& peek(size_t ahead = 0) const
    {
        const size_t i = std::min(m_pos + ahead, m_tokens.size() - 1);
        return m_tokens[i];
    }
    const Token& take() { return m_tokens[std::min(m_pos++, m_tokens.size() - 1)]; }
    static QString describe(const Token& t)
    {
        return t.kind == Tok::End ? QStringLiteral("the end") : QStringLiteral("'%1'").arg(t.text);
    }

    Result<NodePtr> parseOr()
    {
        auto left = parseAnd();
        if (!left) return left;
        if (peek().kind != Tok::OrOp) return left;
        auto node = std::make_unique<Node>();
        node->kind = Node::Or;
        node->children.push_back(std::move(left.value()));
        while (peek().kind == Tok::OrOp) {
            take();
            auto right = parseAnd();
            if (!right) return right;
            node->children.push_back(std::move(right.value()));
        }
        return NodePtr(std::move(node));
    }

    Result<NodePtr> parseAnd()
    {
        auto left = parseUnary();
        if (!left) return left;
        if (peek().kind != Tok::AndOp) return left;
        auto node = std::make_unique<Node>();
        node->kind = Node::And;
        node->children.push_back(std::move(left.value()));
        while (peek().kind == Tok::AndOp) {
            take();
            auto right = parseUnary();
            if (!right) return right;
            node->children.push_back(std::move(right.value()));
        }
        return NodePtr(std::move(node));
    }

    Result<NodePtr> parseUnary()
    {
        const Token& t = peek();
        // Bounded recursion: hostile input like 100000 '(' must not overflow the stack.
        if (++m_depth > kMaxDepth)
            return makeError(
                t.pos, QStringLiteral("expression nested too deeply at %1 (more than %2 levels)").arg(t.pos).arg(kMaxDepth));
        struct DepthGuard {
            int& depth;
            ~DepthGuard() { --depth; }
        } guard{m_depth};
        if (t.kind == Tok::NotOp) {
            take();
            auto inner = parseUnary();
            if (!inner) return inner;
            auto node = std::make_unique<Node>();
            node->kind = Node::Not;
            node->children.push_back(std::move(inner.value()));
            return NodePtr(std::move(node));
        }
        if (t.kind == Tok::LParen) {
            const int open = t.pos;
            take();
            auto inner = parseOr();
            if (!inner) return inner;
            const Token& close = peek();
            if (close.kind != Tok::RParen)
                return makeError(close.pos, QStringLiteral("expected ')' at %1 to close '(' at %2, got %3")
                                                .arg(close.pos)
                                                .arg(open)
                                                .arg(describe(close)));
            take();
            return inner;
        }
        return parseTerm();
    }

    Result<NodePtr> parseTerm()
    {
        const Token& t = peek();
        if (t.kind != Tok::Word) {
            if (t.kind == Tok::End) return makeError(t.pos, QStringLiteral("expected a field name at %1").arg(t.pos));
            return makeError(t.pos, QStringLiteral("expected a field name at %1, got %2").arg(t.pos).arg(describe(t)));
        }
        const QString word = t.text;
        const int fieldPos = t.pos;
        const auto& table = targets();
        const auto it = table.constFind(word.toLower());
        if (it == table.constEnd()) {
            const QString suggestion = word.front().isLetter() ? core::closestName(word, knownNames()) : QString();
            // Quote at most 64 characters of a pasted token in the message.
            const QString shown = word.size() > 64 ? word.left(64) + QStringLiteral("...") : word;
            if (!suggestion.isEmpty())
                return makeError(fieldPos, QStringLiteral("unknown field '%1'; did you mean '%2'?").arg(shown, suggestion));
            return makeError(fieldPos, QStringLiteral("unknown field '%1' at %2").arg(shown).arg(fieldPos));
        }
        take();
        auto node = std::make_unique<Node>();
        node->kind = Node::Term;
        node->target = it.value();
        node->fieldPos = fieldPos;

        const Token& opTok = peek();
        node->opPos = opTok.pos;
        node->opText = opTok.text;
        const QString opLower = opTok.text.toLower();
        if (opTok.kind == Tok::Cmp) {
            take();
            static const QHash<QString, Op> ops = {{QStringLiteral("=="), Op::Eq}, {QStringLiteral("!="), Op::Ne},
                                                   {QStringLiteral("<"), Op::Lt},  {QStringLiteral("<="), Op::Le},
                                                   {QStringLiteral(">"), Op::Gt},  {QStringLiteral(">="), Op::Ge}};
            node->op = ops.value(opTok.text, Op::Eq);
            auto v = parseValue(opTok);
            if (!v) return v.error();
            node->values.push_back(v.value());
        } else if (opTok.kind == Tok::Word && opLower == QLatin1String("in")) {
            take();
            node->op = Op::In;
            const Token& brace = peek();
            if (brace.kind != Tok::LBrace)
                return makeError(brace.pos,
                                 QStringLiteral("expected '{' after 'in' at %1, got %2").arg(brace.pos).arg(describe(brace)));
            take();
            while (true) {
                auto v = parseValue(m_tokens[m_pos - 1]);
                if (!v) return v.error();
                node->values.push_back(v.value());
                const Token& sep = peek();
                if (sep.kind == Tok::Comma) {
                    take();
                    continue;
                }
                if (sep.kind == Tok::RBrace) {
                    take();
                    break;
                }
                return makeError(sep.pos, QStringLiteral("expected ',' or '}' at %1, got %2").arg(sep.pos).arg(describe(sep)));
            }
        } else if (opTok.kind == Tok::Word && opLower == QLatin1String("contains")) {
            take();
            node->op = Op::Contains;
            auto v = parseValue(opTok);
            if (!v) return v.error();
            node->values.push_back(v.value());
        } else if (opTok.kind == Tok::Word && opLower == QLatin1String("has")) {
            take();
            node->op = Op::Has;
            auto v = parseValue(opTok);
            if (!v) return v.error();
            node->values.push_back(v.value());
        } else if (opTok.kind == Tok::End || opTok.kind == Tok::AndOp || opTok.kind == Tok::OrOp || opTok.kind == Tok::RParen) {
            node->op = Op::Present;
        } else {
            return makeError(opTok.pos, QStringLiteral("expected an operator (==, !=, <, <=, >, >=, in, contains, has) "
                                                       "after '%1' at %2, got %3")
                                            .arg(word)
                                            .arg(opTok.pos)
                                            .arg(describe(opTok)));
        }
        return NodePtr(std::move(node));
    }

    /// A value: word or string, optionally joined by '|' (flag lists like SYN|ACK).
    Result<Value> parseValue(const Token& after)
    {
        const Token& t = peek();
        if (t.kind != Tok::Word && t.kind != Tok::String) {
            return makeError(t.pos, QStringLiteral("expected a value after '%1' at %2%3")
                                        .arg(after.text)
                                        .arg(t.pos)
                                        .arg(t.kind == Tok::End ? QString() : QStringLiteral(", got %1").arg(describe(t))));
        }
        take();
        Value v;
        v.text = t.text;
        v.pos = t.pos;
        v.quoted = t.kind == Tok::String;
        while (peek().kind == Tok::Pipe) {
            const Token& pipe = take();
            const Token& next = peek();
            if (next.kind != Tok::Word && next.kind != Tok::String)
                return makeError(next.pos, QStringLiteral("expected a value after '|' at %1").arg(next.pos));
            take();
            Q_UNUSED(pipe);
            v.text += QLatin1Char('|') + next.text;
        }
        return v;
    }

    static constexpr int kMaxDepth = 100;
    std::vector<Token> m_tokens;
    size_t m_pos = 0;
    int m_depth = 0;
};

} // namespace

Result<NodePtr> parseFilter(const QString& expression)
{
    auto tokens = tokenize(expression);
    if (!tokens) return tokens.error();
    Parser p(std::move(tokens.value()));
    return p.parseAll();
}

} // namespace filterlang
} // namespace core
