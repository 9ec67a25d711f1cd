// The checked form of a policy set: names resolved to ids, every expression typed,
// parameterised lets inlined. The compiler and the analyser accept only this form.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cordon/dsl/ast.hpp"
#include "cordon/dsl/attributes.hpp"
#include "cordon/dsl/data.hpp"
#include "cordon/dsl/manifest.hpp"
#include "cordon/dsl/schema.hpp"
#include "cordon/dsl/source.hpp"

namespace cordon {

/// The type of a checked expression. Strings include countries and enum values.
enum class Type : std::uint8_t { Bool, Number, String, Date };
const char* type_name(Type t);

/// Checked expression forms. `ref`/`ref2` name what a form reads; `args` are operands.
enum class Form : std::uint8_t {
    Const,      // constant of `type` in boolean/number/text/date
    Attr,       // root attribute: ref = attribute id
    Elem,       // field of a quantifier's current element: ref = variable depth, ref2 = attribute id
    LetRef,     // shared let without parameters: ref = let id
    Not, Neg,
    And, Or,
    Eq, Ne, Lt, Le, Gt, Ge,
    Add, Sub, Mul, Div,
    InSet,      // args[0] in set: ref = set id
    InList,     // args[0] in a list of strings: ref = list id
    InTable,    // args[0] among a table's keys: ref = table id
    Has,        // attribute present: args[0] is the Attr or Elem read
    Any, All,   // over list ref; the body args[0] binds variable depth ref2
    Count,      // count of elements of list ref where args[0] holds; variable depth ref2
    Sum,        // sum of args[1] over elements of list ref where args[0] holds; variable depth ref2
    Lookup,     // table ref, column ref2, key args[0]
    If,         // args[0] ? args[1] : args[2]
};

struct CExpr {
    Form form = Form::Const;
    Type type = Type::Bool;
    Span span;
    bool boolean = false;
    double number = 0;
    std::int32_t date = 0;
    std::string text;
    std::int32_t ref = -1;
    std::int32_t ref2 = -1;
    std::vector<CExpr> args;
};

struct CheckedMessagePiece {
    std::string text;
    std::optional<CExpr> expr;
};

struct CheckedPolicy {
    std::string name;
    std::string title;
    std::string authority;
    Status status = Status::InForce;
    std::optional<std::int32_t> effective;  // days since 1970-01-01
    std::optional<std::int32_t> sunset;
    Span span;
};

/// A rule, identified as "policy.rule". Rules are kept sorted by id.
struct CheckedRule {
    std::string id;
    std::string name;
    int policy = 0;  // index into CheckedPolicySet::policies
    ast::Effect effect = ast::Effect::Deny;
    CExpr when;
    std::optional<CExpr> unless;
    std::optional<ast::ReportTo> report;
    std::string because_raw;
    std::vector<CheckedMessagePiece> because;
    std::string cite;
    Span span;
};

/// A `let` without parameters, evaluated at most once per request and shared.
struct CheckedLet {
    std::string id;  // "policy.name"
    CExpr body;
    Span span;
};

struct CheckedSet {
    std::string name;  // as used in rules; the same file used twice yields one set
    std::vector<std::string> members;
    std::vector<Span> member_spans;  // a data file's set: where each member is written (else empty)
    std::vector<DateWindow> member_windows;  // a data file's set: when each member belongs (else empty: always)

    /// Whether members[i] belongs on `day` (a literal's members always do).
    bool member_on(std::size_t i, std::int32_t day) const {
        return member_windows.empty() || member_windows[i].holds(day);
    }
    /// Whether any member is dated (then `x in set` depends on the day).
    bool dated() const {
        for (const auto& w : member_windows)
            if (!w.always()) return true;
        return false;
    }
};

struct CheckedTable {
    std::string name;
    Table table;
};

/// Everything the compiler needs, checked. Owns the parsed files too (for tools).
struct CheckedPolicySet {
    std::string dir;
    Manifest manifest;
    Schema schema;
    AttributeIndex attrs;
    std::vector<CheckedPolicy> policies;
    std::vector<CheckedRule> rules;
    std::vector<CheckedLet> lets;
    std::vector<CheckedSet> sets;
    std::vector<CheckedTable> tables;
    std::vector<ast::PolicyFile> files;
    std::vector<std::string> file_paths;  // parallel to files
    int variable_slots = 0;                // quantifier variables, each with its own slot

    int rule_index(std::string_view id) const;  // -1 when absent
};

}  // namespace cordon
