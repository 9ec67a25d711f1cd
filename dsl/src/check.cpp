// The checker: resolves names against lets, sets, tables, bound variables and the schema,
// types every expression, inlines parameterised lets and reports every error it finds.
#include "checker.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>

namespace cordon {

const char* type_name(Type t) {
    switch (t) {
        case Type::Bool: return "bool";
        case Type::Number: return "number";
        case Type::String: return "string";
        case Type::Date: return "date";
    }
    return "?";
}

int CheckedPolicySet::rule_index(std::string_view id) const {
    auto it = std::lower_bound(rules.begin(), rules.end(), id,
                               [](const CheckedRule& r, std::string_view k) { return r.id < k; });
    return it != rules.end() && it->id == id ? static_cast<int>(it - rules.begin()) : -1;
}

namespace {

Type cell_type(ScalarType t) {
    switch (t) {
        case ScalarType::Number: return Type::Number;
        case ScalarType::Bool: return Type::Bool;
        case ScalarType::Date: return Type::Date;
        default: return Type::String;
    }
}

CExpr make(Form f, Type t, Span s) {
    CExpr e;
    e.form = f;
    e.type = t;
    e.span = s;
    return e;
}

std::string describe(const ast::Expr& e) {
    switch (e.op) {
        case ast::Op::Name: return e.text;
        case ast::Op::Field: return describe(e.args[0]) + "." + e.text;
        case ast::Op::Index: return describe(e.args[0]) + "[...]";
        case ast::Op::Call: return e.text + "(...)";
        default: return std::string("`") + ast::op_name(e.op) + "` expression";
    }
}

}  // namespace

Checker::Checker(CheckedPolicySet& out, const SourceMap& sources, Diagnostics& diags)
    : out_(out), sources_(sources), diags_(diags) {}

// ---------------------------------------------------------------- terms

Checker::Term Checker::value_term(CExpr e) {
    Term t;
    t.kind = Term::Value;
    t.value = std::move(e);
    return t;
}

std::optional<Checker::Term> Checker::resolve(const ast::Expr& e) {
    switch (e.op) {
        case ast::Op::Name: return resolve_name(e);
        case ast::Op::Field: return resolve_field(e);
        case ast::Op::Index: {
            auto base = resolve(e.args[0]);
            if (!base) return std::nullopt;
            if (base->kind != Term::Table) {
                diags_.error(diag::kTypeMismatch, e.args[0].span,
                             fmt::format("`{}` is not a table; only tables can be indexed with [ ]",
                                         describe(e.args[0])));
                return std::nullopt;
            }
            auto key = expect(e.args[1], Type::String, "a table key");
            if (!key) return std::nullopt;
            check_table_keys_against(*key, base->id);
            Term t;
            t.kind = Term::Row;
            t.id = base->id;
            t.value = std::move(*key);
            t.span = e.span;
            return t;
        }
        case ast::Op::Call: return resolve_call(e);
        default: {
            auto v = value(e);
            if (!v) return std::nullopt;
            return value_term(std::move(*v));
        }
    }
}

std::optional<Checker::Term> Checker::resolve_name(const ast::Expr& e) {
    const std::string& name = e.text;
    for (auto it = env_.rbegin(); it != env_.rend(); ++it)
        if (it->first == name) {
            Term t = it->second;
            if (t.kind == Term::Value) t.value.span = e.span;
            return t;
        }
    if (auto it = scope_->lets.find(name); it != scope_->lets.end()) {
        const ast::Let& let = *it->second;
        if (!let.params.empty()) {
            diags_.error(diag::kArity, e.span,
                         fmt::format("`{}` takes {} argument{}", name, let.params.size(),
                                     let.params.size() == 1 ? "" : "s"),
                         fmt::format("call it as {}({})", name, fmt::join(let.params, ", ")));
            return std::nullopt;
        }
        auto id = shared_let(let);
        if (!id) return std::nullopt;
        CExpr r = make(Form::LetRef, out_.lets[*id].body.type, e.span);
        r.ref = *id;
        r.text = name;
        return value_term(std::move(r));
    }
    if (auto it = scope_->sets.find(name); it != scope_->sets.end()) {
        Term t;
        t.kind = Term::Set;
        t.id = it->second;
        t.span = e.span;
        return t;
    }
    if (auto it = scope_->tables.find(name); it != scope_->tables.end()) {
        Term t;
        t.kind = Term::Table;
        t.id = it->second;
        t.span = e.span;
        return t;
    }
    if (auto t = root_path(name, e.span)) return t;

    std::string near;
    if (!diags_.full()) {  // past the cap the error is only counted: no suggestion to look for
        std::vector<std::string> candidates;
        for (const auto& [n, _] : env_) candidates.push_back(n);
        for (const auto& [n, _] : scope_->lets) candidates.push_back(n);
        for (const auto& [n, _] : scope_->sets) candidates.push_back(n);
        for (const auto& [n, _] : scope_->tables) candidates.push_back(n);
        for (const auto& f : out_.schema.root.fields) candidates.push_back(f.name);
        near = nearest_name(name, candidates);
    }
    diags_.error(diag::kUnknownName, e.span, fmt::format("unknown name `{}`", name),
                 near.empty() ? "names are lets, sets and tables of this policy, bound variables, "
                                "or attributes declared in the schema"
                              : fmt::format("did you mean `{}`?", near));
    return std::nullopt;
}

// A dotted path from the schema root: scalar attribute, list, or record prefix.
std::optional<Checker::Term> Checker::root_path(const std::string& path, Span span) {
    const auto& ix = out_.attrs;
    if (auto it = ix.attr_by_path.find(path); it != ix.attr_by_path.end()) {
        const auto& a = ix.attrs[it->second];
        CExpr r = make(Form::Attr, attr_type(a), span);
        r.ref = it->second;
        r.text = path;
        return value_term(std::move(r));
    }
    if (auto it = ix.list_by_path.find(path); it != ix.list_by_path.end()) {
        Term t;
        t.kind = Term::List;
        t.id = it->second;
        t.span = span;
        return t;
    }
    const std::string prefix = path + ".";
    for (const auto& a : ix.attrs)
        if (a.list < 0 && a.path.compare(0, prefix.size(), prefix) == 0) goto record;
    for (const auto& l : ix.lists)
        if (l.path.compare(0, prefix.size(), prefix) == 0) goto record;
    return std::nullopt;
record:
    Term t;
    t.kind = Term::Record;
    t.path = path;
    t.span = span;
    return t;
}

std::optional<Checker::Term> Checker::resolve_field(const ast::Expr& e) {
    auto base = resolve(e.args[0]);
    if (!base) return std::nullopt;
    const std::string& field = e.text;
    if (base->kind == Term::Record) {
        const std::string path = base->path + "." + field;
        if (auto t = root_path(path, e.span)) return t;
        const auto near = diags_.full() ? std::string() : nearest_name(path, out_.attrs.all_paths());
        diags_.error(diag::kUnknownAttribute, e.span, fmt::format("unknown attribute `{}`", path),
                     near.empty() ? "every attribute must be declared in the schema"
                                  : fmt::format("did you mean `{}`?", near));
        return std::nullopt;
    }
    if (base->kind == Term::Element) {
        const auto& list = out_.attrs.lists[base->id];
        const std::string rel = base->path.empty() ? field : base->path + "." + field;
        if (auto it = list.field_by_name.find(rel); it != list.field_by_name.end()) {
            const auto& a = out_.attrs.attrs[it->second];
            CExpr r = make(Form::Elem, attr_type(a), e.span);
            r.ref = base->var;
            r.ref2 = it->second;
            r.text = describe(e);
            return value_term(std::move(r));
        }
        const std::string prefix = rel + ".";
        for (const auto& [n, _] : list.field_by_name)
            if (n.compare(0, prefix.size(), prefix) == 0) {
                Term t = *base;
                t.path = rel;
                t.span = e.span;
                return t;
            }
        std::vector<std::string> names;
        if (!diags_.full())
            for (const auto& [n, _] : list.field_by_name) names.push_back(n);
        std::sort(names.begin(), names.end());
        const auto near = nearest_name(rel, names);
        diags_.error(diag::kUnknownAttribute, e.span,
                     fmt::format("elements of `{}` have no field `{}`", list.path, rel),
                     near.empty() ? fmt::format("fields are: {}", name_list(names))
                                  : fmt::format("did you mean `{}`?", near));
        return std::nullopt;
    }
    if (base->kind == Term::Row) {
        const auto& table = out_.tables[base->id];
        const int col = table.table.column(field);
        if (col < 0) {
            const auto near = diags_.full() ? std::string() : nearest_name(field, table.table.columns);
            diags_.error(diag::kUnknownAttribute, e.span,
                         fmt::format("table `{}` has no column `{}`", table.name, field),
                         near.empty() ? fmt::format("columns are: {}", name_list(table.table.columns))
                                      : fmt::format("did you mean `{}`?", near));
            return std::nullopt;
        }
        CExpr r = make(Form::Lookup, cell_type(table.table.column_types[col]), e.span);
        r.ref = base->id;
        r.ref2 = col;
        r.text = table.name + "[]." + field;
        r.args.push_back(std::move(base->value));
        return value_term(std::move(r));
    }
    diags_.error(diag::kTypeMismatch, e.args[0].span,
                 fmt::format("`{}` has no fields", describe(e.args[0])));
    return std::nullopt;
}

std::optional<Checker::Term> Checker::resolve_call(const ast::Expr& e) {
    auto it = scope_->lets.find(e.text);
    if (it == scope_->lets.end()) {
        std::vector<std::string> names;
        if (!diags_.full())
            for (const auto& [n, l] : scope_->lets)
                if (!l->params.empty()) names.push_back(n);
        const auto near = nearest_name(e.text, names);
        diags_.error(diag::kUnknownName, e.span, fmt::format("unknown function `{}`", e.text),
                     near.empty() ? "only `let` definitions with parameters can be called"
                                  : fmt::format("did you mean `{}`?", near));
        return std::nullopt;
    }
    const ast::Let& let = *it->second;
    if (let.params.size() != e.args.size()) {
        diags_.error(diag::kArity, e.span,
                     fmt::format("`{}` takes {} argument{}, given {}", let.name, let.params.size(),
                                 let.params.size() == 1 ? "" : "s", e.args.size()),
                     fmt::format("defined as {}({})", let.name, fmt::join(let.params, ", ")));
        return std::nullopt;
    }
    std::vector<std::pair<std::string, Term>> bound;
    for (std::size_t i = 0; i < e.args.size(); ++i) {
        auto t = resolve(e.args[i]);
        if (!t) return std::nullopt;
        bound.emplace_back(let.params[i], std::move(*t));
    }
    if (++inlined_calls_ > max_inlined_calls) {
        if (!inline_budget_reported_)
            diags_.error(diag::kLimit, e.span,
                         fmt::format("calls of parameterised lets expand to more than {} copies (the limit)",
                                     max_inlined_calls),
                         "each call copies the let's body: a let calling another twice doubles the rule; "
                         "use a let without parameters for a shared value");
        inline_budget_reported_ = true;
        return std::nullopt;
    }
    if (++inline_depth_ > 64) {
        --inline_depth_;
        diags_.error(diag::kLetCycle, e.span, fmt::format("`{}` is nested too deeply", let.name));
        return std::nullopt;
    }
    for (const auto& name : let_stack_)
        if (name == let.name) {
            --inline_depth_;
            diags_.error(diag::kLetCycle, e.span,
                         fmt::format("`{}` calls itself: {} -> {}", let.name, fmt::join(let_stack_, " -> "),
                                     let.name),
                         "lets cannot be recursive; rules must terminate");
            return std::nullopt;
        }
    let_stack_.push_back(let.name);
    auto saved_env = std::move(env_);
    env_ = std::move(bound);
    auto body = resolve(let.body);
    env_ = std::move(saved_env);
    let_stack_.pop_back();
    --inline_depth_;
    return body;
}

// A `let` without parameters: checked once, shared by every use.
std::optional<int> Checker::shared_let(const ast::Let& let) {
    const std::string id = scope_->prefix + let.name;
    if (failed_lets_.count(id)) return std::nullopt;
    if (auto it = let_ids_.find(id); it != let_ids_.end()) {
        if (it->second >= 0) return it->second;
        diags_.error(diag::kLetCycle, let.name_span,
                     fmt::format("`{}` depends on itself: {} -> {}", let.name, fmt::join(let_stack_, " -> "),
                                 let.name),
                     "lets cannot be recursive; break the cycle");
        return std::nullopt;
    }
    if (static_cast<int>(let_stack_.size()) >= max_let_nesting) {
        diags_.error(diag::kLimit, let.name_span,
                     fmt::format("`{}` is used through a chain of more than {} lets (the limit)", let.name,
                                 max_let_nesting),
                     "a let used inside a let adds its own depth: shorten the chain of lets");
        failed_lets_.insert(id);
        return std::nullopt;
    }
    let_ids_[id] = -1;
    let_stack_.push_back(let.name);
    auto saved_env = std::move(env_);
    env_.clear();
    auto body = value(let.body);
    env_ = std::move(saved_env);
    let_stack_.pop_back();
    if (!body) {
        let_ids_.erase(id);
        failed_lets_.insert(id);
        return std::nullopt;
    }
    const int index = static_cast<int>(out_.lets.size());
    out_.lets.push_back(CheckedLet{id, std::move(*body), let.span});
    let_ids_[id] = index;
    return index;
}

// ---------------------------------------------------------------- values

Type Checker::attr_type(const Attribute& a) const {
    switch (a.type) {
        case ScalarType::Number: return Type::Number;
        case ScalarType::Bool: return Type::Bool;
        case ScalarType::Date: return Type::Date;
        default: return Type::String;
    }
}

std::optional<CExpr> Checker::expect(const ast::Expr& e, Type want, const char* role) {
    auto v = value(e);
    if (!v) return std::nullopt;
    if (v->type != want) {
        diags_.error(diag::kTypeMismatch, e.span,
                     fmt::format("{} must be a {}, but `{}` is a {}", role, type_name(want),
                                 std::string_view(sources_.text(e.span.file)).substr(e.span.begin, e.span.end - e.span.begin),
                                 type_name(v->type)));
        return std::nullopt;
    }
    return v;
}

std::optional<CExpr> Checker::value(const ast::Expr& e) {
    using ast::Op;
    switch (e.op) {
        case Op::Bool: {
            CExpr c = make(Form::Const, Type::Bool, e.span);
            c.boolean = e.boolean;
            return c;
        }
        case Op::Number: {
            CExpr c = make(Form::Const, Type::Number, e.span);
            c.number = e.number;
            return c;
        }
        case Op::String: {
            CExpr c = make(Form::Const, Type::String, e.span);
            c.text = e.text;
            return c;
        }
        case Op::Date: {
            CExpr c = make(Form::Const, Type::Date, e.span);
            c.date = e.date;
            return c;
        }
        case Op::SetLiteral:
            diags_.error(diag::kTypeMismatch, e.span, "a set can only stand on the right of `in`",
                         "write `x in {\"CN\", \"MO\"}`");
            return std::nullopt;
        case Op::Name:
        case Op::Field:
        case Op::Index:
        case Op::Call: {
            auto t = resolve(e);
            if (!t) return std::nullopt;
            if (t->kind == Term::Value) return std::move(t->value);
            const char* what = t->kind == Term::Set ? "a set" : t->kind == Term::Table ? "a table"
                             : t->kind == Term::List ? "a list" : t->kind == Term::Row ? "a table row"
                                                                                        : "a record";
            diags_.error(diag::kTypeMismatch, e.span, fmt::format("`{}` is {}, not a value", describe(e), what),
                         t->kind == Term::Set || t->kind == Term::Table || t->kind == Term::List
                             ? "use it on the right of `in`, or in `any`/`all`/`count`/`sum`"
                             : "name one of its attributes");
            return std::nullopt;
        }
        case Op::Not: {
            auto a = expect(e.args[0], Type::Bool, "the operand of `not`");
            if (!a) return std::nullopt;
            CExpr r = make(Form::Not, Type::Bool, e.span);
            r.args.push_back(std::move(*a));
            return r;
        }
        case Op::Neg: {
            auto a = expect(e.args[0], Type::Number, "the operand of unary `-`");
            if (!a) return std::nullopt;
            CExpr r = make(Form::Neg, Type::Number, e.span);
            r.args.push_back(std::move(*a));
            return r;
        }
        case Op::And:
        case Op::Or: {
            const char* role = e.op == Op::And ? "an operand of `and`" : "an operand of `or`";
            auto a = expect(e.args[0], Type::Bool, role);
            auto b = expect(e.args[1], Type::Bool, role);
            if (!a || !b) return std::nullopt;
            CExpr r = make(e.op == Op::And ? Form::And : Form::Or, Type::Bool, e.span);
            r.args.push_back(std::move(*a));
            r.args.push_back(std::move(*b));
            return r;
        }
        case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: {
            auto a = expect(e.args[0], Type::Number, "an operand of arithmetic");
            auto b = expect(e.args[1], Type::Number, "an operand of arithmetic");
            if (!a || !b) return std::nullopt;
            const Form f = e.op == Op::Add ? Form::Add : e.op == Op::Sub ? Form::Sub
                         : e.op == Op::Mul ? Form::Mul : Form::Div;
            CExpr r = make(f, Type::Number, e.span);
            r.args.push_back(std::move(*a));
            r.args.push_back(std::move(*b));
            return r;
        }
        case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge:
            return comparison(e);
        case Op::In: return membership(e);
        case Op::Has: {
            auto t = resolve(e.args[0]);
            if (!t) return std::nullopt;
            if (t->kind != Term::Value || (t->value.form != Form::Attr && t->value.form != Form::Elem)) {
                diags_.error(diag::kTypeMismatch, e.args[0].span,
                             fmt::format("`has` needs an attribute, but `{}` is not one", describe(e.args[0])),
                             "write `has customer.parent_hq_country`");
                return std::nullopt;
            }
            CExpr r = make(Form::Has, Type::Bool, e.span);
            r.args.push_back(std::move(t->value));
            return r;
        }
        case Op::Any: case Op::All: case Op::Count: case Op::Sum: return quantifier(e);
        case Op::If: {
            auto c = expect(e.args[0], Type::Bool, "the condition of `if`");
            auto a = value(e.args[1]);
            auto b = value(e.args[2]);
            if (!c || !a || !b) return std::nullopt;
            if (a->type != b->type) {
                diags_.error(diag::kTypeMismatch, e.span,
                             fmt::format("the branches of `if` differ in type: `then` is a {}, `else` is a {}",
                                         type_name(a->type), type_name(b->type)));
                return std::nullopt;
            }
            CExpr r = make(Form::If, a->type, e.span);
            r.args.push_back(std::move(*c));
            r.args.push_back(std::move(*a));
            r.args.push_back(std::move(*b));
            return r;
        }
    }
    diags_.error(diag::kSyntax, e.span, "unsupported expression");
    return std::nullopt;
}

// Enum and country literals compared with attributes must be possible values.
namespace {

/// The code of a country written by name, for "did you mean" hints (names that turn up in
/// export-control data; "" when unknown).
std::string_view country_code_of(std::string_view name) {
    static const std::pair<const char*, const char*> kNames[] = {
        {"china", "CN"}, {"prc", "CN"}, {"people's republic of china", "CN"}, {"macau", "MO"}, {"macao", "MO"},
        {"hong kong", "HK"}, {"taiwan", "TW"}, {"russia", "RU"}, {"russian federation", "RU"}, {"iran", "IR"},
        {"north korea", "KP"}, {"dprk", "KP"}, {"south korea", "KR"}, {"korea", "KR"}, {"belarus", "BY"},
        {"cuba", "CU"}, {"syria", "SY"}, {"venezuela", "VE"}, {"myanmar", "MM"}, {"burma", "MM"},
        {"cambodia", "KH"}, {"afghanistan", "AF"}, {"iraq", "IQ"}, {"libya", "LY"}, {"lebanon", "LB"},
        {"vietnam", "VN"}, {"viet nam", "VN"}, {"united states", "US"}, {"usa", "US"}, {"united kingdom", "GB"},
        {"uk", "GB"}, {"england", "GB"}, {"germany", "DE"}, {"france", "FR"}, {"japan", "JP"}, {"india", "IN"},
        {"singapore", "SG"}, {"malaysia", "MY"}, {"united arab emirates", "AE"}, {"uae", "AE"},
        {"saudi arabia", "SA"}, {"israel", "IL"}, {"netherlands", "NL"}, {"canada", "CA"}, {"australia", "AU"},
        {"norway", "NO"}, {"switzerland", "CH"}, {"ireland", "IE"}, {"pakistan", "PK"}, {"kazakhstan", "KZ"}};
    std::string lower(name);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& [n, code] : kNames)
        if (lower == n) return code;
    return {};
}

/// The attribute an operand reads (a root attribute or an element field), or null.
const Attribute* attribute_of(const AttributeIndex& attrs, const CExpr& e) {
    if (e.form == Form::Attr) return &attrs.attrs[e.ref];
    if (e.form == Form::Elem) return &attrs.attrs[e.ref2];
    return nullptr;
}

}  // namespace

bool Checker::is_enum_value(const Attribute& a, const std::string& text) {
    auto [it, fresh] = enum_values_.try_emplace(&a);
    if (fresh) it->second.insert(a.enum_values.begin(), a.enum_values.end());
    return it->second.count(text) > 0;
}

void Checker::check_literal_against(const CExpr& attr, const CExpr& lit, const std::string& context) {
    if (lit.form != Form::Const || lit.type != Type::String) return;
    const Attribute* a = nullptr;
    if (attr.form == Form::Attr) a = &out_.attrs.attrs[attr.ref];
    if (attr.form == Form::Elem) a = &out_.attrs.attrs[attr.ref2];
    if (!a) return;
    if (a->type == ScalarType::Enum && !is_enum_value(*a, lit.text)) {
        const auto near = diags_.full() ? std::string() : nearest_name(lit.text, a->enum_values);
        diags_.error(diag::kBadEnumValue, lit.span,
                     context.empty() ? fmt::format("\"{}\" is not a value of `{}`", lit.text, a->path)
                                     : fmt::format("\"{}\" ({} `{}`) is not a value of `{}`", lit.text, context, a->path, a->path),
                     near.empty() ? fmt::format("values are: {}", name_list(a->enum_values))
                                  : fmt::format("did you mean \"{}\"?", near));
    }
    if (a->type == ScalarType::Country &&
        !(lit.text.size() == 2 && std::isupper(static_cast<unsigned char>(lit.text[0])) &&
          std::isupper(static_cast<unsigned char>(lit.text[1])))) {
        const auto code = country_code_of(lit.text);
        diags_.error(diag::kBadEnumValue, lit.span,
                     context.empty()
                         ? fmt::format("\"{}\" is not an ISO 3166-1 alpha-2 country code (`{}` is a country)", lit.text, a->path)
                         : fmt::format("\"{}\" ({} `{}`) is not an ISO 3166-1 alpha-2 country code", lit.text, context, a->path),
                     code.empty() ? std::string("country codes are two upper-case letters, e.g. \"CN\"")
                                  : fmt::format("did you mean \"{}\"?", code));
    }
}

std::optional<CExpr> Checker::comparison(const ast::Expr& e) {
    using ast::Op;
    auto a = value(e.args[0]);
    auto b = value(e.args[1]);
    if (!a || !b) return std::nullopt;
    if (a->type != b->type) {
        diags_.error(diag::kTypeMismatch, e.span,
                     fmt::format("cannot compare a {} with a {} using `{}`", type_name(a->type),
                                 type_name(b->type), ast::op_name(e.op)));
        return std::nullopt;
    }
    const bool ordered = e.op != Op::Eq && e.op != Op::Ne;
    if (ordered && a->type == Type::Bool) {
        diags_.error(diag::kTypeMismatch, e.span,
                     fmt::format("`{}` orders numbers, strings and dates, not booleans", ast::op_name(e.op)));
        return std::nullopt;
    }
    check_literal_against(*a, *b);
    check_literal_against(*b, *a);
    check_column_against(*a, *b);
    check_column_against(*b, *a);
    const Form f = e.op == Op::Eq ? Form::Eq : e.op == Op::Ne ? Form::Ne : e.op == Op::Lt ? Form::Lt
                 : e.op == Op::Le ? Form::Le : e.op == Op::Gt ? Form::Gt : Form::Ge;
    CExpr r = make(f, Type::Bool, e.span);
    r.args.push_back(std::move(*a));
    r.args.push_back(std::move(*b));
    return r;
}

int Checker::data_check_key(const CExpr& attr, const Attribute& a) const {
    // Whether a string is a country code does not depend on which country attribute it is
    // tested against: one check per set, table or column for all of them (10,000 country
    // attributes tested against a 10,000-member set would otherwise check 100 million
    // members). An enum's values are its attribute's own.
    if (a.type == ScalarType::Country) return -1;
    return attr.form == Form::Attr ? attr.ref : attr.ref2;
}

void Checker::check_set_against(const CExpr& attr, int set) {
    const Attribute* a = attribute_of(out_.attrs, attr);
    if (!a || (a->type != ScalarType::Country && a->type != ScalarType::Enum)) return;
    const auto& s = out_.sets[static_cast<std::size_t>(set)];
    if (s.member_spans.empty()) return;  // a literal: checked where it is written
    if (!data_checked_.insert({0, set, 0, data_check_key(attr, *a)}).second) return;
    const std::string context = fmt::format("member of set `{}`, tested against", s.name);
    for (std::size_t i = 0; i < s.members.size(); ++i) {
        CExpr c = make(Form::Const, Type::String, s.member_spans[i]);
        c.text = s.members[i];
        check_literal_against(attr, c, context);
    }
}

void Checker::check_table_keys_against(const CExpr& attr, int table) {
    const Attribute* a = attribute_of(out_.attrs, attr);
    if (!a || (a->type != ScalarType::Country && a->type != ScalarType::Enum)) return;
    if (!data_checked_.insert({1, table, 0, data_check_key(attr, *a)}).second) return;
    const auto& t = out_.tables[static_cast<std::size_t>(table)];
    const std::string context = fmt::format("key of table `{}`, looked up by", t.name);
    for (std::size_t i = 0; i < t.table.rows.size(); ++i) {
        const auto& row = t.table.rows[i];
        if (i > 0 && t.table.rows[i - 1].key == row.key) continue;  // (a key's dated rows: checked once)
        CExpr c = make(Form::Const, Type::String, row.span);
        c.text = row.key;
        check_literal_against(attr, c, context);
    }
}

void Checker::check_column_against(const CExpr& attr, const CExpr& lookup) {
    if (lookup.form != Form::Lookup) return;
    const Attribute* a = attribute_of(out_.attrs, attr);
    if (!a || (a->type != ScalarType::Country && a->type != ScalarType::Enum)) return;
    if (!data_checked_.insert({2, lookup.ref, lookup.ref2, data_check_key(attr, *a)}).second) return;
    const auto& t = out_.tables[static_cast<std::size_t>(lookup.ref)];
    for (const auto& row : t.table.rows) {
        const auto& cell = row.cells[static_cast<std::size_t>(lookup.ref2)];
        if (!cell) continue;
        CExpr c = make(Form::Const, Type::String, row.span);
        c.text = cell->text;
        check_literal_against(attr, c,
                              fmt::format("`{}` of row `{}` in table `{}`, compared with", t.table.columns[lookup.ref2],
                                          row.key, t.name));
    }
}

int Checker::literal_set(const ast::Expr& lit, const CExpr* against) {
    std::vector<std::string> members;
    bool ok = true;
    for (const auto& m : lit.args) {
        if (m.op != ast::Op::String) {
            diags_.error(diag::kTypeMismatch, m.span, "set literals hold strings only",
                         "quote each member: {\"CN\", \"MO\"}");
            ok = false;
            continue;
        }
        if (against) {
            CExpr c = make(Form::Const, Type::String, m.span);
            c.text = m.text;
            check_literal_against(*against, c);
        }
        members.push_back(m.text);
    }
    if (!ok) return -1;
    std::sort(members.begin(), members.end());  // and de-duplicated: linear-logarithmic, not quadratic
    members.erase(std::unique(members.begin(), members.end()), members.end());
    // The de-duplication key is unambiguous: each member length-prefixed, so {"a,b"} and
    // {"a", "b"} (or {""} and {}) are different sets. The name quotes each member.
    std::string key = "literal:";
    std::string name = "{";
    for (const auto& m : members) {
        fmt::format_to(std::back_inserter(key), "{}:{};", m.size(), m);
        fmt::format_to(std::back_inserter(name), "{}{:?}", name.size() > 1 ? ", " : "", m);
    }
    name += '}';
    if (auto it = set_ids_.find(key); it != set_ids_.end()) return it->second;
    const int id = static_cast<int>(out_.sets.size());
    out_.sets.push_back(CheckedSet{std::move(name), std::move(members), {}, {}});
    set_ids_[key] = id;
    return id;
}

std::optional<CExpr> Checker::membership(const ast::Expr& e) {
    auto x = value(e.args[0]);
    if (!x) return std::nullopt;
    if (x->type != Type::String) {
        diags_.error(diag::kTypeMismatch, e.args[0].span,
                     fmt::format("`in` tests strings, but the left side is a {}", type_name(x->type)));
        return std::nullopt;
    }
    CExpr r = make(Form::InSet, Type::Bool, e.span);
    const ast::Expr& rhs = e.args[1];
    if (rhs.op == ast::Op::SetLiteral) {
        r.ref = literal_set(rhs, &*x);
        if (r.ref < 0) return std::nullopt;
        r.args.push_back(std::move(*x));
        return r;
    }
    auto t = resolve(rhs);
    if (!t) return std::nullopt;
    switch (t->kind) {
        case Term::Set:
            r.form = Form::InSet;
            r.ref = t->id;
            check_set_against(*x, t->id);
            break;
        case Term::Table:
            r.form = Form::InTable;
            r.ref = t->id;
            check_table_keys_against(*x, t->id);
            break;
        case Term::List: {
            const auto& list = out_.attrs.lists[t->id];
            if (list.of_records || attr_type(out_.attrs.attrs[list.fields[0]]) != Type::String) {
                diags_.error(diag::kTypeMismatch, rhs.span,
                             fmt::format("`{}` is a list of {}; `in` needs a list of strings", list.path,
                                         list.of_records ? "records" : "non-strings"),
                             "use `any x in LIST: ...` to test the elements");
                return std::nullopt;
            }
            r.form = Form::InList;
            r.ref = t->id;
            break;
        }
        default:
            diags_.error(diag::kTypeMismatch, rhs.span,
                         fmt::format("the right side of `in` must be a set, a table or a list of strings; `{}` is not",
                                     describe(rhs)));
            return std::nullopt;
    }
    r.args.push_back(std::move(*x));
    return r;
}

std::optional<CExpr> Checker::quantifier(const ast::Expr& e) {
    using ast::Op;
    auto lt = resolve(e.args[0]);
    if (!lt) return std::nullopt;
    if (lt->kind != Term::List) {
        diags_.error(diag::kNotAList, e.args[0].span,
                     fmt::format("`{}` ranges over a list, but `{}` is not a list", ast::op_name(e.op),
                                 describe(e.args[0])),
                     out_.attrs.lists.empty() ? "" : fmt::format("lists in the schema: {}", [&] {
                         std::vector<std::string> ls;
                         for (const auto& l : out_.attrs.lists) ls.push_back(l.path);
                         return fmt::format("{}", fmt::join(ls, ", "));
                     }()));
        return std::nullopt;
    }
    const auto& list = out_.attrs.lists[lt->id];
    const int var = next_var_++;
    Term bound;
    if (list.of_records) {
        bound.kind = Term::Element;
        bound.id = lt->id;
        bound.var = var;
    } else {
        bound.kind = Term::Value;
        const auto& a = out_.attrs.attrs[list.fields[0]];
        bound.value = make(Form::Elem, attr_type(a), e.span);
        bound.value.ref = var;
        bound.value.ref2 = list.fields[0];
        bound.value.text = e.text;
    }
    env_.emplace_back(e.text, bound);
    std::optional<CExpr> cond, num;
    if (e.op == Op::Sum) {
        cond = expect(e.args[1], Type::Bool, "the `where` condition of `sum`");
        num = expect(e.args[2], Type::Number, "the summand of `sum`");
    } else {
        cond = expect(e.args[1], Type::Bool, "the body of a quantifier");
    }
    env_.pop_back();
    if (!cond || (e.op == Op::Sum && !num)) return std::nullopt;
    const Form f = e.op == Op::Any ? Form::Any : e.op == Op::All ? Form::All : e.op == Op::Count ? Form::Count : Form::Sum;
    CExpr r = make(f, f == Form::Any || f == Form::All ? Type::Bool : Type::Number, e.span);
    r.ref = lt->id;
    r.ref2 = var;
    r.text = e.text;
    r.args.push_back(std::move(*cond));
    if (num) r.args.push_back(std::move(*num));
    return r;
}

// ---------------------------------------------------------------- policies

void Checker::check_policy(const ast::Policy& p, int policy_index, const PolicyData& data) {
    PolicyScope scope;
    scope.prefix = p.name + ".";
    scope.sets = data.sets;
    scope.tables = data.tables;
    for (const auto& let : p.lets) {
        if (scope.lets.count(let.name)) {
            diags_.error(diag::kDuplicate, let.name_span,
                         fmt::format("`{}` is defined twice in policy {}", let.name, p.name));
            continue;
        }
        if (scope.sets.count(let.name) || scope.tables.count(let.name) || out_.schema.root.find(let.name)) {
            diags_.error(diag::kDuplicate, let.name_span,
                         fmt::format("`{}` is already the name of a {}", let.name,
                                     scope.sets.count(let.name) ? "set" : scope.tables.count(let.name) ? "table"
                                                                                                        : "schema attribute"),
                         "choose another name for the let");
            continue;
        }
        std::set<std::string> seen;
        for (const auto& param : let.params)
            if (!seen.insert(param).second)
                diags_.error(diag::kDuplicate, let.name_span,
                             fmt::format("parameter `{}` appears twice in `{}`", param, let.name));
        scope.lets[let.name] = &let;
    }
    scope_ = &scope;

    // Check every let once, so errors in unused lets are reported too.
    for (const auto& let : p.lets) {
        const auto it = scope.lets.find(let.name);
        if (it == scope.lets.end() || it->second != &let) continue;
        if (let.params.empty()) {
            shared_let(let);
        } else {
            // Check the body with parameters of unknown type skipped: a call site checks it fully.
        }
    }

    std::set<std::string> rule_names;
    for (const auto& rule : p.rules) {
        if (!rule_names.insert(rule.name).second) {
            diags_.error(diag::kDuplicate, rule.name_span,
                         fmt::format("rule `{}.{}` is defined twice", p.name, rule.name),
                         "`policy.rule` names must be unique in a policy set");
            continue;
        }
        CheckedRule r;
        r.id = p.name + "." + rule.name;
        r.name = rule.name;
        r.policy = policy_index;
        r.effect = rule.effect;
        r.span = rule.span;
        r.because_raw = rule.because.raw;
        r.cite = rule.cite.value_or("");
        bool ok = true;
        auto when = expect(rule.when, Type::Bool, "the `when` condition");
        if (when) r.when = std::move(*when); else ok = false;
        if (rule.unless) {
            auto u = expect(*rule.unless, Type::Bool, "the `unless` condition");
            if (u) r.unless = std::move(*u); else ok = false;
        }
        if (rule.report && rule.effect != ast::Effect::Report) {
            diags_.error(diag::kTypeMismatch, rule.report->span,
                         fmt::format("`to ... within` belongs to report rules; `{}` is a {} rule", rule.name,
                                     ast::effect_name(rule.effect)));
            ok = false;
        }
        r.report = rule.report;
        for (const auto& piece : rule.because.pieces) {
            CheckedMessagePiece cp;
            cp.text = piece.text;
            if (piece.expr) {
                auto v = value(*piece.expr);
                if (!v) { ok = false; continue; }
                cp.expr = std::move(*v);
            }
            r.because.push_back(std::move(cp));
        }
        if (ok) out_.rules.push_back(std::move(r));
    }
    scope_ = nullptr;
}

}  // namespace cordon
