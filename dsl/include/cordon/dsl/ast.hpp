// The parsed form of rule files: plain structs with source spans, before any checking.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cordon/dsl/source.hpp"

namespace cordon::ast {

/// Operators and expression forms. One struct serves every form; `Expr` documents
/// which of its fields each form uses.
enum class Op : std::uint8_t {
    Bool,        // boolean
    Number,      // number
    String,      // text
    Date,        // date (days since 1970-01-01)
    SetLiteral,  // args: the elements
    Name,        // text: identifier (attribute root, let, set, table, bound variable, parameter)
    Field,       // args[0].text  (args[0] = base, text = field name)
    Index,       // args[0][args[1]]  (table lookup)
    Call,        // text(args...)  (a parameterised let)
    Not, Neg,    // args[0]
    And, Or,
    Eq, Ne, Lt, Le, Gt, Ge,
    Add, Sub, Mul, Div,
    In,          // args[0] in args[1]
    Has,         // has args[0]
    Any, All,    // text = variable, args[0] = list, args[1] = body
    Count,       // count(text in args[0]: args[1])
    Sum,         // sum(text in args[0] where args[1]: args[2]); args[1] is `true` when absent
    If,          // if args[0] then args[1] else args[2]
};

/// Spelling of an operator or form as written in rule files ("and", "<=", "any", ...).
const char* op_name(Op op);

/// An expression node. Children live in `args`; see `Op` for each form's layout.
struct Expr {
    Op op = Op::Bool;
    Span span;
    bool boolean = false;
    double number = 0;
    std::int32_t date = 0;
    std::string text;
    std::vector<Expr> args;
    /// Levels from this node down, as the parser counts them for operator, field and index
    /// chains (other forms count 1 here); the exact depth check runs after parsing.
    std::uint32_t height = 1;
};

/// A `because` message: literal text with `{expr}` holes.
struct MessagePiece {
    std::string text;            // literal text (used when !expr)
    std::optional<Expr> expr;    // an interpolated expression
};
struct Message {
    std::string raw;  // the string as written, without quotes, escapes resolved
    Span span;
    std::vector<MessagePiece> pieces;
};

enum class Effect : std::uint8_t { Deny, Report, Allow };
const char* effect_name(Effect e);

/// `to "addressee" within N days` on a report rule.
struct ReportTo {
    std::string to;
    int within_days = 0;
    Span span;
};

struct Rule {
    std::string name;
    Span span;        // the whole rule
    Span name_span;
    Effect effect = Effect::Deny;
    Expr when;
    std::optional<Expr> unless;
    std::optional<ReportTo> report;
    Message because;
    std::optional<std::string> cite;
    Span cite_span;
};

struct Let {
    std::string name;
    std::vector<std::string> params;
    Expr body;
    Span span;
    Span name_span;
};

/// `use sets from "file"` or `use table NAME from "file"`.
struct Use {
    enum class Kind : std::uint8_t { Sets, Table } kind = Kind::Sets;
    std::string name;  // table name (empty for sets)
    std::string path;  // as written, relative to the rule file
    Span span;
};

/// A header field with its span: `title "..."`, `status in_force`, `effective 2023-11-17`.
struct TextField {
    std::string value;
    Span span;
};
struct DateField {
    std::int32_t day = 0;
    Span span;
};

struct Policy {
    std::string name;  // dotted
    Span span;
    Span name_span;
    std::optional<TextField> title;
    std::optional<TextField> authority;
    std::optional<TextField> status;  // identifier as written; checked later
    std::optional<DateField> effective;
    std::optional<DateField> sunset;
    std::vector<Use> uses;
    std::vector<Let> lets;
    std::vector<Rule> rules;
};

/// A `# comment` with its span (kept for the formatter).
struct Comment {
    std::string text;  // including the leading '#'
    Span span;
};

struct PolicyFile {
    std::uint32_t file = 0;
    std::vector<Policy> policies;
    std::vector<Comment> comments;
};

}  // namespace cordon::ast
