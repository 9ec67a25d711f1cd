// Private: the Checker class behind load_policy_set (see check.cpp and load.cpp).
#pragma once
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "cordon/dsl/check.hpp"
#include "cordon/dsl/checked.hpp"
#include "cordon/dsl/diagnostic.hpp"

namespace cordon {

/// The data a policy's `use` clauses brought into scope: name -> set id / table id.
struct PolicyData {
    std::map<std::string, int> sets;
    std::map<std::string, int> tables;
};

class Checker {
public:
    Checker(CheckedPolicySet& out, const SourceMap& sources, Diagnostics& diags);
    void check_policy(const ast::Policy& p, int policy_index, const PolicyData& data);
    int variable_slots() const { return next_var_; }
    /// Lets using lets (before any is checked) nest at most this deep (Limits::expression_depth).
    int max_let_nesting = 256;
    /// Calls of parameterised lets inlined in the whole set, at most (Limits::inlined_calls):
    /// `let p1(c) = p0(c) and p0(c)` ... doubles the text at each step.
    std::size_t max_inlined_calls = 100'000;
    /// Registers a data set under a unique key (file + name); returns its id.
    int add_named_set(const std::string& key, const NamedSet& set) {
        if (auto it = set_ids_.find(key); it != set_ids_.end()) return it->second;
        const int id = static_cast<int>(out_.sets.size());
        out_.sets.push_back(CheckedSet{set.name, set.members, set.member_spans, set.member_windows});
        set_ids_[key] = id;
        return id;
    }

private:
    /// Data checked against its use: every member of set `set` (every key of table `table`,
    /// every cell of its column `column`) against the attribute `attr` it is compared with:
    /// a country code for a `country`, a value of an enum. Each pair is checked once.
    void check_set_against(const CExpr& attr, int set);
    void check_table_keys_against(const CExpr& attr, int table);
    void check_column_against(const CExpr& attr, const CExpr& lookup);
    std::set<std::tuple<int, int, int, int>> data_checked_;  // (kind, data id, column, attribute)
    /// What a name or path denotes before it is used as a value.
    struct Term {
        enum Kind { Value, Record, Element, List, Set, Table, Row } kind = Value;
        CExpr value;       // Value; Row: the key
        int id = -1;       // List/Element: list id; Set: set id; Table/Row: table id
        int var = -1;      // Element: variable slot
        std::string path;  // Record: root path; Element: path inside the element ("" = whole element)
        Span span;
    };
    struct PolicyScope {
        std::string prefix;
        std::map<std::string, int> sets;
        std::map<std::string, int> tables;
        std::map<std::string, const ast::Let*> lets;
    };

    static Term value_term(CExpr e);
    std::optional<Term> resolve(const ast::Expr& e);
    std::optional<Term> resolve_name(const ast::Expr& e);
    std::optional<Term> resolve_field(const ast::Expr& e);
    std::optional<Term> resolve_call(const ast::Expr& e);
    std::optional<Term> root_path(const std::string& path, Span span);
    std::optional<int> shared_let(const ast::Let& let);

    std::optional<CExpr> value(const ast::Expr& e);
    std::optional<CExpr> expect(const ast::Expr& e, Type want, const char* role);
    std::optional<CExpr> comparison(const ast::Expr& e);
    std::optional<CExpr> membership(const ast::Expr& e);
    std::optional<CExpr> quantifier(const ast::Expr& e);
    /// A string constant compared with an attribute: a country code for a `country`, a value
    /// of an enum. `context` says where a data value comes from ("member of set `D5`, tested against").
    void check_literal_against(const CExpr& attr, const CExpr& lit, const std::string& context = "");
    int literal_set(const ast::Expr& lit, const CExpr* against);
    /// Whether `text` is one of the enum's values: a hash look-up, built on first use (a
    /// schema may declare 100,000 values and the rules compare with each).
    bool is_enum_value(const Attribute& a, const std::string& text);
    /// The attribute part of a data check's key in `data_checked_` (-1 for every country).
    int data_check_key(const CExpr& attr, const Attribute& a) const;
    Type attr_type(const Attribute& a) const;

    CheckedPolicySet& out_;
    const SourceMap& sources_;
    Diagnostics& diags_;
    PolicyScope* scope_ = nullptr;
    std::vector<std::pair<std::string, Term>> env_;  // parameters and bound variables, innermost last
    std::vector<std::string> let_stack_;
    std::unordered_map<std::string, int> let_ids_;  // "policy.let" -> let id, -1 while being checked
    std::set<std::string> failed_lets_;
    std::unordered_map<std::string, int> set_ids_;
    std::unordered_map<const Attribute*, std::unordered_set<std::string>> enum_values_;
    int next_var_ = 0;
    int inline_depth_ = 0;
    std::size_t inlined_calls_ = 0;  // calls of parameterised lets inlined so far (whole set)
    bool inline_budget_reported_ = false;
};

}  // namespace cordon
