// The policy-set generator: schema, data, lets and rules, typed as the checker types them
// (dsl/src/check.cpp), so every set it makes should load. See docs/testing.md.
#include "policy_gen.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "cordon/dsl/parse.hpp"
#include "strings.hpp"

namespace cordon::gen {

namespace {

using Rng = std::mt19937_64;

// A bound quantifier variable: an element of a list of records, or a scalar element.
struct Var {
    std::string name;
    int list = -1;
};

class Generator {
public:
    explicit Generator(std::uint64_t seed) : rng_(seed), dated_rng_(seed ^ 0x9e3779b97f4a7c15ull) { g_.seed = seed; }
    GeneratedSet run();

private:
    // ------------------------------------------------------------ randomness
    int below(int n) { return n <= 1 ? 0 : static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }
    bool chance(int percent) { return below(100) < percent; }
    template <typename T>
    const T& pick(const std::vector<T>& v) { return v[below(static_cast<int>(v.size()))]; }
    // Runs `f` drawing from the dated-rows stream: the main stream, and so every set made
    // before tables had dated rows, stays as it was (tests tuned on those sets keep them).
    template <typename F>
    auto on_dated_stream(F f) {
        std::swap(rng_, dated_rng_);
        auto out = f();
        std::swap(rng_, dated_rng_);
        return out;
    }

    // ------------------------------------------------------------ schema
    SType random_scalar_type();
    SNode random_scalar(const std::string& name, bool in_list);
    SNode random_record(const std::string& name, int depth, bool in_list);
    void index_schema(const std::vector<SNode>& fields, const std::string& prefix, int list);

    // ------------------------------------------------------------ data
    void make_sets();
    void make_tables();
    std::vector<std::optional<GWindow>> dated_rows();  // the windows of one key's rows
    std::vector<std::optional<std::string>> make_row(const GTable& table);  // one row's cells

    // ------------------------------------------------------------ constants
    std::string number_const();
    std::string date_const();
    std::string string_const(int dom);
    std::string const_of(SType t);
    std::string render_number(double v);

    // ------------------------------------------------------------ expressions
    std::vector<int> attrs_of(SType t) const;  // root attributes of type t
    std::string gen(SType t, int depth);
    std::string gen_bool(int depth);
    std::string leaf(SType t);
    std::string comparison(int depth);
    std::string membership(int depth);
    std::string has_test();
    std::string quantifier(int depth, Ty result);
    std::string lookup(SType t, int depth, bool bool_context);
    std::string let_use(SType t, int depth);
    std::string pin();
    std::string classification();  // a costly let keyed by one string attribute
    std::string hole();
    SType random_stype();
    SType readable_stype(bool strings_only);  // a type some attribute, variable or let in scope has

    // ------------------------------------------------------------ rules
    void make_policy(int index);
    std::string rule_text(const std::string& name, const std::string& effect, const std::string& when,
                          const std::optional<std::string>& unless);
    std::string effect();

    Rng rng_;
    Rng dated_rng_;  // dated rows' windows and second rows (on_dated_stream)
    GeneratedSet g_;
    std::vector<std::string> plain_pool_;
    // Expression context.
    std::vector<Var> vars_;
    std::vector<std::pair<std::string, SType>> params_;
    const GPolicy* policy_ = nullptr;
    std::size_t let_limit_ = 0;  // lets of policy_ visible: [0, let_limit_)
    int next_var_ = 0;
    int next_rule_ = 0;
    // The last constants made, and note(): which attribute a constant was compared with.
    double last_number_ = 0;
    std::int32_t last_date_ = 0;
    void note(const std::string& expr, Ty ty);
};

// `expr` (an attribute or a bound variable's field) was just compared with the last
// constant of type `ty`: requests aim at it for that attribute.
void Generator::note(const std::string& expr, Ty ty) {
    std::string key = expr;
    for (const auto& v : vars_) {
        const auto& l = g_.lists[v.list];
        if (expr == v.name) key = l.path + "[]";
        else if (expr.rfind(v.name + ".", 0) == 0) key = l.path + "[]." + expr.substr(v.name.size() + 1);
    }
    if (key == "time") key = "time";
    if (ty == Ty::Num) g_.attr_numbers[key].insert(last_number_);
    if (ty == Ty::Date) g_.attr_dates[key].insert(last_date_);
}

// ---------------------------------------------------------------- schema

SType Generator::random_scalar_type() {
    switch (below(8)) {
        case 0: case 1: return {Ty::Num};
        case 2: return {Ty::Bool};
        case 3: return {Ty::Date};
        case 4: case 5: return {Ty::Str, kCountry};
        case 6: return {Ty::Str, kPlain};
        default: {
            std::vector<std::string> all = {"red", "green", "blue", "amber", "violet", "fine_tuning"};
            std::shuffle(all.begin(), all.end(), rng_);
            all.resize(2 + below(4));
            g_.enums.push_back(all);
            return {Ty::Str, static_cast<int>(g_.enums.size()) - 1};
        }
    }
}

SNode Generator::random_scalar(const std::string& name, bool in_list) {
    SNode n;
    n.name = name;
    n.type = random_scalar_type();
    n.optional = chance(in_list ? 25 : 40);
    return n;
}

SNode Generator::random_record(const std::string& name, int depth, bool in_list) {
    SNode r;
    r.kind = SNode::Kind::Record;
    r.name = name;
    const int n = 1 + below(4);
    for (int i = 0; i < n; ++i) {
        const std::string fname = fmt::format("{}{}", depth == 0 ? "f" : "g", i);
        const int roll = below(10);
        if (roll < 7 || depth >= 2) r.kids.push_back(random_scalar(fname, in_list));
        else if (roll < 9) r.kids.push_back(random_record(fmt::format("r{}", i), depth + 1, in_list));
        else if (!in_list) {
            SNode l;
            l.kind = SNode::Kind::List;
            l.name = fmt::format("tags{}", i);
            l.type = chance(70) ? SType{Ty::Str, chance(50) ? kCountry : kPlain} : SType{Ty::Num};
            r.kids.push_back(l);
        } else {
            r.kids.push_back(random_scalar(fname, in_list));
        }
    }
    return r;
}

void Generator::index_schema(const std::vector<SNode>& fields, const std::string& prefix, int list) {
    for (const auto& f : fields) {
        const std::string path = prefix.empty() ? f.name : prefix + "." + f.name;
        switch (f.kind) {
            case SNode::Kind::Scalar: {
                g_.attrs.push_back(GAttr{path, f.type, f.optional, list});
                if (list >= 0) g_.lists[list].fields.push_back(static_cast<int>(g_.attrs.size()) - 1);
                break;
            }
            case SNode::Kind::Record: index_schema(f.kids, path, list); break;
            case SNode::Kind::List: {
                GList l;
                l.path = path;
                l.records = f.records;
                l.type = f.type;
                g_.lists.push_back(l);
                if (f.records) index_schema(f.kids, "", static_cast<int>(g_.lists.size()) - 1);
                break;
            }
        }
    }
}

// ---------------------------------------------------------------- data

void Generator::make_sets() {
    const int n = 1 + below(4);
    for (int i = 0; i < n; ++i) {
        std::vector<std::string> members;
        std::vector<GeneratedSet::Window> windows;
        const int size = below(6) == 0 ? 0 : 1 + below(5);
        for (int k = 0; k < size; ++k) {
            // Country codes only: a set tested against a country attribute must hold codes.
            std::string m = pick(kCountries);
            if (std::find(members.begin(), members.end(), m) != members.end()) continue;
            members.push_back(m);
            // About one member in four is dated: it joins, leaves, or both (dated data);
            // the days join the dates requests are decided around.
            GeneratedSet::Window w;
            if (below(4) == 0) {
                const std::int32_t day = 19700 + below(1500);
                const int shape = below(3);
                if (shape != 1) w.until = day + (shape == 2 ? 1 + below(400) : 0);
                if (shape != 0) w.since = day;
                if (w.since) g_.dates.insert(*w.since);
                if (w.until) g_.dates.insert(*w.until);
            }
            windows.push_back(w);
        }
        g_.sets[fmt::format("S{}", i)] = members;
        g_.set_windows[fmt::format("S{}", i)] = windows;
    }
}

void Generator::make_tables() {
    const int n = below(3);
    for (int t = 0; t < n; ++t) {
        GTable table;
        table.name = fmt::format("T{}", t);
        table.key_dom = chance(50) ? kCountry : kPlain;  // a country attribute looks up country keys only
        const int cols = 1 + below(4);
        for (int c = 0; c < cols; ++c) {
            SType ty;
            switch (below(6)) {
                case 0: case 1: ty = {Ty::Num}; break;
                case 2: ty = {Ty::Bool}; break;
                case 3: ty = {Ty::Date}; break;
                case 4: ty = {Ty::Str, kCountry}; break;
                default: ty = {Ty::Str, kPlain}; break;
            }
            table.columns.push_back({fmt::format("c{}", c), ty});
        }
        const int rows = 1 + below(5);
        for (int r = 0; r < rows; ++r) {
            std::string key;
            while (key.empty()) key = table.key_dom == kCountry ? pick(kCountries) : pick(plain_pool_);  // not empty
            if (std::find(table.keys.begin(), table.keys.end(), key) != table.keys.end()) continue;
            // About one key in four has dated rows (dated data): one row that starts, ends
            // or both, or two rows that meet on a day (the figures changed then); the days
            // join the dates requests are decided around.
            const auto windows = on_dated_stream([&] { return dated_rows(); });
            for (std::size_t v = 0; v < windows.size(); ++v) {
                table.keys.push_back(key);
                table.windows.push_back(windows[v]);
                table.cells.push_back(v == 0 ? make_row(table) : on_dated_stream([&] { return make_row(table); }));
            }
        }
        g_.tables.push_back(std::move(table));
    }
}

std::vector<std::optional<GWindow>> Generator::dated_rows() {
    if (below(4) != 0) return {std::nullopt};
    const std::int32_t day = 19700 + below(1500);
    g_.dates.insert(day);
    GWindow before, after;
    before.until = day;
    after.since = day;
    switch (below(4)) {
        case 0: return {before};
        case 1: return {after};
        case 2: {
            GWindow both;
            both.since = day;
            both.until = day + 1 + below(400);
            g_.dates.insert(*both.until);
            return {both};
        }
        default: return {before, after};
    }
}

std::vector<std::optional<std::string>> Generator::make_row(const GTable& table) {
    std::vector<std::optional<std::string>> row;
    for (const auto& col : table.columns) {
        if (!table.cells.empty() && chance(15)) {
            row.push_back(chance(50) ? std::optional<std::string>{} : std::optional<std::string>{"~"});
            continue;
        }
        switch (col.type.ty) {
            case Ty::Num: {
                const double v = std::vector<double>{0, 1, 2.5, 100, 4800, 15832, -3, 1e26}[below(8)];
                g_.numbers.insert(v);
                row.push_back(fmt::format("{}", v));
                break;
            }
            case Ty::Bool: row.push_back(chance(50) ? "true" : "false"); break;
            case Ty::Date: {
                const std::int32_t d = 19700 + below(1500);
                g_.dates.insert(d);
                row.push_back(format_date(d));
                break;
            }
            case Ty::Str:
                row.push_back(yaml_quote(col.type.dom == kCountry ? pick(kCountries) : pick(plain_pool_)));
                break;
        }
    }
    // Cells a null (`~`) stands for are omitted; the first row names every column.
    for (auto& cell : row)
        if (cell && *cell == "~" && chance(50)) cell.reset();
    return row;
}

// ---------------------------------------------------------------- constants

std::string Generator::render_number(double v) {
    if (v < 0) return fmt::format("(-{})", render_number(-v));
    if (v == std::floor(v) && v < 1e15) {
        const auto i = static_cast<long long>(v);
        if (i >= 10000 && chance(30)) {  // digits grouped with `_`
            std::string s = std::to_string(i), out;
            for (std::size_t k = 0; k < s.size(); ++k) {
                if (k && (s.size() - k) % 3 == 0) out += '_';
                out += s[k];
            }
            return out;
        }
        if (i >= 1000 && i % 1000 == 0 && chance(30)) return fmt::format("{}e3", i / 1000);
        return std::to_string(i);
    }
    std::string s = fmt::format("{}", v);
    if (auto p = s.find("e+"); p != std::string::npos) s.erase(p + 1, 1);
    if (s.find('e') != std::string::npos && s.find('.') == std::string::npos && s[0] == '1' && chance(30))
        s.replace(s.find('e'), 1, "E");
    return s;
}

std::string Generator::number_const() {
    static const std::vector<double> pool = {0, 1, 2, 3, 5, 10, 0.5, 0.25, 100, 1000, 4800, 15832,
                                             1e26, 1e23, 0.1, 2.5, 1e308, 1600, 5.92, 25};
    double v = pick(pool);
    if (chance(10)) v = -v;
    g_.numbers.insert(v);
    last_number_ = v;
    return render_number(v);
}

std::string Generator::date_const() {
    std::int32_t d;
    if (!g_.dates.empty() && chance(60)) {
        std::vector<std::int32_t> ds(g_.dates.begin(), g_.dates.end());
        d = pick(ds);
    } else {
        d = 19700 + below(1500);
    }
    g_.dates.insert(d);
    last_date_ = d;
    return format_date(d);
}

std::string Generator::string_const(int dom) {
    if (dom == kCountry) return dsl_quote(pick(kCountries));
    if (dom >= 0) return dsl_quote(pick(g_.enums[dom]));
    return dsl_quote(pick(plain_pool_));
}

std::string Generator::const_of(SType t) {
    switch (t.ty) {
        case Ty::Bool: return chance(50) ? "true" : "false";
        case Ty::Num: return number_const();
        case Ty::Date: return date_const();
        case Ty::Str: return string_const(t.dom);
    }
    return "true";
}

// ---------------------------------------------------------------- expressions

std::vector<int> Generator::attrs_of(SType t) const {
    std::vector<int> out;
    for (std::size_t i = 0; i < g_.attrs.size(); ++i)
        if (g_.attrs[i].list < 0 && g_.attrs[i].type == t) out.push_back(static_cast<int>(i));
    return out;
}

SType Generator::random_stype() {
    switch (below(7)) {
        case 0: return {Ty::Bool};
        case 1: case 2: return {Ty::Num};
        case 3: return {Ty::Date};
        case 4: return {Ty::Str, kCountry};
        case 5: return {Ty::Str, kPlain};
        default: return g_.enums.empty() ? SType{Ty::Str, kCountry} : SType{Ty::Str, below(static_cast<int>(g_.enums.size()))};
    }
}

SType Generator::readable_stype(bool strings_only) {
    std::vector<SType> types;
    auto add = [&](SType t) {
        if (!strings_only || t.ty == Ty::Str) types.push_back(t);
    };
    for (const auto& a : g_.attrs)
        if (a.list < 0) add(a.type);
    if (g_.declares_time) add({Ty::Date});
    for (const auto& v : vars_) {
        const auto& l = g_.lists[v.list];
        if (!l.records) add(l.type);
        else
            for (int f : l.fields) add(g_.attrs[f].type), add(g_.attrs[f].type);  // favour the element's fields
    }
    for (const auto& [_, t] : params_) add(t), add(t);
    if (types.empty() || chance(8)) {
        SType t = random_stype();
        if (strings_only && t.ty != Ty::Str) t = {Ty::Str, kPlain};
        return t;
    }
    return pick(types);
}

// Something of type t without operators: an attribute, an element field, a parameter,
// a shared let, or a constant.
std::string Generator::leaf(SType t) {
    std::vector<std::string> options;
    for (int a : attrs_of(t)) options.push_back(g_.attrs[a].path);
    if (t.ty == Ty::Date && g_.declares_time) options.push_back("time");
    for (const auto& v : vars_) {
        const auto& l = g_.lists[v.list];
        if (l.records) {
            for (int f : l.fields)
                if (g_.attrs[f].type == t) options.push_back(v.name + "." + g_.attrs[f].path);
        } else if (l.type == t) {
            options.push_back(v.name);
        }
    }
    for (const auto& [name, type] : params_)
        if (type == t) options.push_back(name);
    if (policy_)
        for (std::size_t i = 0; i < let_limit_; ++i) {
            const auto& let = policy_->lets[i];
            if (let.params.empty() && let.type == t) options.push_back(let.name);
        }
    if (options.empty() || chance(8)) return const_of(t);
    // Bound variables and parameters are what a body is about: favour them.
    if (!vars_.empty() && chance(40)) {
        std::vector<std::string> bound;
        for (const auto& o : options)
            for (const auto& v : vars_)
                if (o == v.name || o.rfind(v.name + ".", 0) == 0) bound.push_back(o);
        if (!bound.empty()) return pick(bound);
    }
    return pick(options);
}

std::string Generator::gen(SType t, int depth) {
    if (t.ty == Ty::Bool) return gen_bool(depth);
    if (depth <= 0 || chance(35)) return leaf(t);
    const int roll = below(10);
    if (roll == 0) {
        const std::string e = gen(t, depth - 1), th = gen(t, depth - 1), c = gen_bool(depth - 1);
        return fmt::format("(if {} then {} else {})", c, th, e);
    }
    if (roll == 1 || roll == 2) {
        if (auto s = lookup(t, depth, false); !s.empty()) return s;
    }
    if (roll == 3) {
        if (auto s = let_use(t, depth); !s.empty()) return s;
    }
    if (t.ty == Ty::Num) {
        switch (below(6)) {
            case 0: case 1: {
                static const char* ops[] = {"+", "-", "*", "/"};
            {
                const std::string r = gen(t, depth - 1), op = ops[below(4)], l = gen(t, depth - 1);
                return fmt::format("({} {} {})", l, op, r);
            }
            }
            case 2: return fmt::format("(-{})", gen(t, depth - 1));
            case 3: case 4: return quantifier(depth, Ty::Num);
            default: break;
        }
    }
    return leaf(t);
}

std::string Generator::gen_bool(int depth) {
    if (depth <= 0) {
        switch (below(4)) {
            case 0: return has_test();
            case 1: return leaf({Ty::Bool});
            default: return comparison(0);
        }
    }
    switch (below(16)) {
        case 0: return fmt::format("(not {})", gen_bool(depth - 1));
        case 1: case 2: { const std::string r = gen_bool(depth - 1), l = gen_bool(depth - 1); return fmt::format("({} and {})", l, r); }
        case 3: case 4: { const std::string r = gen_bool(depth - 1), l = gen_bool(depth - 1); return fmt::format("({} or {})", l, r); }
        case 5: case 6: case 7: return comparison(depth - 1);
        case 8: case 9: return membership(depth - 1);
        case 10: return has_test();
        case 11: case 12: return quantifier(depth, Ty::Bool);
        case 13: {
            const std::string e = gen_bool(depth - 1), th = gen_bool(depth - 1), c = gen_bool(depth - 1);
            return fmt::format("(if {} then {} else {})", c, th, e);
        }
        case 14: {
            if (auto s = lookup({Ty::Bool}, depth, true); !s.empty()) return s;
            return comparison(depth - 1);
        }
        default: {
            if (auto s = let_use({Ty::Bool}, depth); !s.empty()) return s;
            return leaf({Ty::Bool});
        }
    }
}

// `a <op> b`, with a constant on the left, on the right, both or neither.
std::string Generator::comparison(int depth) {
    SType t = readable_stype(false);
    const bool ordered = t.ty != Ty::Bool && chance(65);
    static const char* ord[] = {"<", "<=", ">", ">="};
    const std::string op = ordered ? ord[below(4)] : (chance(50) ? "==" : "!=");
    const int roll = below(20);
    std::string a, b;
    if (roll < 5) {
        b = gen(t, depth);
        a = const_of(t);
        note(b, t.ty);
    } else if (roll < 15) {
        a = gen(t, depth);
        b = const_of(t);
        note(a, t.ty);
    } else if (roll < 16) {
        a = const_of(t);
        b = const_of(t);
    } else {
        a = gen(t, depth);
        b = gen(t, depth);
    }
    return fmt::format("({} {} {})", a, op, b);
}

std::string Generator::membership(int depth) {
    const SType x = readable_stype(true);
    const std::string lhs = chance(70) ? leaf(x) : gen(x, depth);
    std::vector<std::string> rhs;
    if (x.dom == kCountry)
        for (const auto& [name, _] : g_.sets) rhs.push_back(name);
    for (const auto& table : g_.tables)
        if (table.key_dom == x.dom) rhs.push_back(table.name);
    for (const auto& l : g_.lists)
        if (!l.records && l.type.ty == Ty::Str) rhs.push_back(l.path);
    // A set literal from the operand's domain (the checker checks enum and country members).
    std::vector<std::string> members;
    const int n = below(8) == 0 ? 0 : 1 + below(4);
    for (int i = 0; i < n; ++i) members.push_back(string_const(x.dom));
    const std::string literal = fmt::format("{{{}}}", fmt::join(members, ", "));
    if (rhs.empty() || chance(30)) return fmt::format("({} in {})", lhs, literal);
    return fmt::format("({} in {})", lhs, pick(rhs));
}

std::string Generator::has_test() {
    std::vector<std::string> options;
    for (const auto& a : g_.attrs)
        if (a.list < 0 && (a.optional || chance(30))) options.push_back(a.path);
    if (g_.declares_time) options.push_back("time");
    for (const auto& v : vars_) {
        const auto& l = g_.lists[v.list];
        if (l.records)
            for (int f : l.fields) options.push_back(v.name + "." + g_.attrs[f].path);
        else if (chance(20))
            options.push_back(v.name);
    }
    if (options.empty()) return leaf({Ty::Bool});
    const std::string x = pick(options);
    // `has x and x ...` is the guarded read the index and the plans look for.
    if (chance(40)) {
        for (const auto& a : g_.attrs)
            if (a.list < 0 && a.path == x) {
                if (a.type.ty == Ty::Bool) return fmt::format("(has {} and {})", x, x);
                const std::string c = const_of(a.type);
                note(x, a.type.ty);
                return fmt::format("(has {} and ({} {} {}))", x, x, a.type.ty == Ty::Str ? "==" : ">=", c);
            }
    }
    return fmt::format("(has {})", x);
}

std::string Generator::quantifier(int depth, Ty result) {
    if (g_.lists.empty()) return result == Ty::Bool ? leaf({Ty::Bool}) : leaf({Ty::Num});
    const int list = below(static_cast<int>(g_.lists.size()));
    // Now and then the name of an enclosing quantifier's variable, which the new one shadows.
    const bool shadow = !vars_.empty() && chance(25);
    const std::string var = shadow ? pick(vars_).name : fmt::format("v{}", next_var_++);
    const auto saved = vars_;
    std::erase_if(vars_, [&](const Var& v) { return v.name == var; });
    const std::string path = g_.lists[list].path;
    vars_.push_back({var, list});
    std::string out;
    if (result == Ty::Bool) {
        const std::string body = gen_bool(depth - 1);
        out = fmt::format("({} {} in {}: {})", chance(50) ? "any" : "all", var, path, body);
    } else if (chance(40)) {
        out = fmt::format("count({} in {}: {})", var, path, gen_bool(depth - 1));
    } else {
        const std::string where = chance(60) ? " where " + gen_bool(depth - 1) : "";
        out = fmt::format("sum({} in {}{}: {})", var, path, where, gen({Ty::Num}, depth - 1));
    }
    vars_ = saved;
    return out;
}

// `T[k].col`, guarded by `k in T` or not.
std::string Generator::lookup(SType t, int depth, bool bool_context) {
    std::vector<std::pair<int, int>> cols;
    for (std::size_t i = 0; i < g_.tables.size(); ++i)
        for (std::size_t c = 0; c < g_.tables[i].columns.size(); ++c)
            if (bool_context ? true : g_.tables[i].columns[c].type == t)
                cols.emplace_back(static_cast<int>(i), static_cast<int>(c));
    if (cols.empty()) return "";
    const auto [ti, ci] = pick(cols);
    const auto& table = g_.tables[ti];
    const auto& col = table.columns[ci];
    const SType key_type{Ty::Str, table.key_dom};
    const std::string key = chance(75) ? leaf(key_type) : gen(key_type, depth - 1);
    const std::string read = fmt::format("{}[{}].{}", table.name, key, col.name);
    const bool guarded = chance(50);
    if (bool_context) {
        std::string test;
        if (col.type.ty == Ty::Bool) test = chance(50) ? read : fmt::format("({} == {})", read, const_of(col.type));
        else test = fmt::format("({} {} {})", read, col.type.ty == Ty::Str ? "!=" : "<=", const_of(col.type));
        return guarded ? fmt::format("({} in {} and {})", key, table.name, test) : test;
    }
    if (guarded) return fmt::format("(if {} in {} then {} else {})", key, table.name, read, const_of(t));
    return read;
}

std::string Generator::let_use(SType t, int depth) {
    if (!policy_) return "";
    std::vector<const GLet*> fit;
    for (std::size_t i = 0; i < let_limit_; ++i)
        if (policy_->lets[i].type == t) fit.push_back(&policy_->lets[i]);
    if (fit.empty()) return "";
    const GLet& let = *pick(fit);
    if (let.params.empty()) return let.name;
    std::vector<std::string> args;
    for (const auto& [_, pt] : let.params) args.push_back(chance(70) ? leaf(pt) : gen(pt, depth - 1));
    return fmt::format("{}({})", let.name, fmt::join(args, ", "));
}

// A condition the rule index files rules under.
std::string Generator::pin() {
    std::vector<int> strs, bools;
    for (std::size_t i = 0; i < g_.attrs.size(); ++i) {
        const auto& a = g_.attrs[i];
        if (a.list >= 0) continue;
        if (a.type.ty == Ty::Str && a.type.dom == kCountry) strs.push_back(static_cast<int>(i));
        if (a.type.ty == Ty::Bool) bools.push_back(static_cast<int>(i));
    }
    std::vector<std::string> sets;
    for (const auto& [name, _] : g_.sets) sets.push_back(name);
    switch (below(7)) {
        case 0: case 1:
            if (!strs.empty()) {
                const auto& a = g_.attrs[pick(strs)];
                return fmt::format("({} == {})", a.path, string_const(a.type.dom));
            }
            break;
        case 2:
            if (!strs.empty() && chance(30)) {  // unions: one test on A ∪ B
                const auto& a = g_.attrs[pick(strs)];
                if (sets.size() >= 2 && chance(50))
                    return fmt::format("({} in {} or {} in {})", a.path, sets[0], a.path, sets[1]);
                const std::string second = string_const(a.type.dom), first = string_const(a.type.dom);
                return fmt::format("({} == {} or {} == {})", a.path, first, a.path, second);
            }
            if (!strs.empty()) {
                const auto& a = g_.attrs[pick(strs)];
                if (chance(50) && !sets.empty()) return fmt::format("({} in {})", a.path, pick(sets));
                const std::string second = string_const(a.type.dom), first = string_const(a.type.dom);
                return fmt::format("({} in {{{}, {}}})", a.path, first, second);
            }
            break;
        case 3:
            if (!bools.empty()) {
                const auto& a = g_.attrs[pick(bools)];
                return chance(30) ? fmt::format("(has {} and {})", a.path, a.path)
                                  : chance(50) ? a.path : fmt::format("(not {})", a.path);
            }
            break;
        case 4:
            if (strs.size() >= 2 && !sets.empty()) {
                const auto& a = g_.attrs[pick(strs)];
                const auto& b = g_.attrs[pick(strs)];
                const std::string s = pick(sets);
                if (chance(50)) return fmt::format("({} in {} or (has {} and {} in {}))", a.path, s, b.path, b.path, s);
                const std::string second = string_const(b.type.dom), first = string_const(a.type.dom);
                return fmt::format("({} == {} or {} == {})", a.path, first, b.path, second);
            }
            break;
        default: {
            std::vector<std::pair<int, int>> fields;  // list, string field
            for (std::size_t l = 0; l < g_.lists.size(); ++l)
                for (int f : g_.lists[l].fields)
                    if (g_.attrs[f].type.ty == Ty::Str && g_.attrs[f].type.dom == kCountry) fields.emplace_back(static_cast<int>(l), f);
            if (!fields.empty() && !sets.empty()) {
                const auto [l, f] = pick(fields);
                const auto& list = g_.lists[l];
                if (chance(50))
                    return fmt::format("(any p in {}: p.{} in {})", list.path, g_.attrs[f].path, pick(sets));
                std::string num;
                for (int nf : list.fields)
                    if (g_.attrs[nf].type.ty == Ty::Num) num = "p." + g_.attrs[nf].path;
                if (num.empty()) num = "1";
                // `>=` a positive bound or `>` one of 0 or more the index may pin to some
                // element in the set; the other comparisons (and bounds) it must not.
                static const std::vector<std::string> ops = {">=", ">", ">=", ">", "<", "<=", "==", "!="};
                const std::string aggregate =
                    chance(30) ? fmt::format("count(p in {}: p.{} in {})", list.path, g_.attrs[f].path, pick(sets))
                               : fmt::format("sum(p in {} where p.{} in {}: {})", list.path, g_.attrs[f].path, pick(sets), num);
                const std::string bound = number_const();  // (one draw after the other: the same set from any compiler)
                const std::string op = pick(ops);
                return fmt::format("({} {} {})", aggregate, op, bound);
            }
        }
    }
    return gen_bool(1);
}

// A chip-classification-like let: a table's figures for a string attribute, unless the
// request gives its own (the shape the compiler turns into a table of values by string).
std::string Generator::classification() {
    std::vector<int> strs;
    for (std::size_t i = 0; i < g_.attrs.size(); ++i)
        if (g_.attrs[i].list < 0 && g_.attrs[i].type.ty == Ty::Str) strs.push_back(static_cast<int>(i));
    std::vector<std::pair<int, int>> cols;  // table, number column
    for (std::size_t t = 0; t < g_.tables.size(); ++t)
        for (std::size_t c = 0; c < g_.tables[t].columns.size(); ++c)
            if (g_.tables[t].columns[c].type.ty == Ty::Num) cols.emplace_back(static_cast<int>(t), static_cast<int>(c));
    const auto nums = attrs_of({Ty::Num});
    if (cols.empty()) return gen_bool(2);
    const auto [t, c] = pick(cols);
    const int key_dom = g_.tables[t].key_dom;  // (clang 14 cannot capture a structured binding)
    std::erase_if(strs, [&](int a) { return g_.attrs[a].type.dom != key_dom; });
    if (strs.empty()) return gen_bool(2);
    const auto& key_attr = g_.attrs[pick(strs)];
    const auto& key = key_attr.path;
    const auto& table = g_.tables[t];
    const std::string figure = fmt::format("{}[{}].{}", table.name, key, table.columns[c].name);
    std::string own = nums.empty() ? "" : g_.attrs[pick(nums)].path;
    std::string value = own.empty() ? fmt::format("(if {} in {} then {} else 0)", key, table.name, figure)
                                     : fmt::format("(if has {} then {} else if {} in {} then {} else 0)", own, own, key,
                                                   table.name, figure);
    const std::string k1 = number_const();
    if (!own.empty()) note(own, Ty::Num);
    const std::string k2 = number_const();
    const bool upper = chance(50);
    const std::string second = string_const(key_attr.type.dom), first = string_const(key_attr.type.dom);
    return fmt::format("(({} >= {}) or (has {} and {} in {{{}, {}}}))", value, k1, key, key, first, second) +
           (upper ? fmt::format(" and ({} < {})", value, k2) : "");
}

// A `{...}` hole of a message: an attribute, a shared let, or a little arithmetic.
std::string Generator::hole() {
    std::vector<std::string> options;
    for (const auto& a : g_.attrs)
        if (a.list < 0) options.push_back(a.path);
    if (policy_)
        for (const auto& let : policy_->lets)
            if (let.params.empty()) options.push_back(let.name);
    if (options.empty()) return "true";
    const auto nums = attrs_of({Ty::Num});
    if (!nums.empty() && chance(20)) return fmt::format("{} * 2", g_.attrs[pick(nums)].path);
    return pick(options);
}

// ---------------------------------------------------------------- rules

std::string Generator::effect() {
    const int roll = below(10);
    if (g_.default_effect == "deny") return roll < 4 ? "allow" : roll < 7 ? "deny" : "report";
    return roll < 5 ? "deny" : roll < 9 ? "report" : "allow";
}

std::string Generator::rule_text(const std::string& name, const std::string& eff, const std::string& when,
                                 const std::optional<std::string>& unless) {
    std::vector<std::string> clauses;
    if (unless) clauses.push_back("unless " + *unless);
    if (eff == "report" && chance(50))
    {
        const char* unit = chance(80) ? "days" : "day";
        const int days = 1 + below(30), office = below(3);
        clauses.push_back(fmt::format("to \"Office {}\" within {} {}", office, days, unit));
    }
    std::string because = fmt::format("rule {} fired", name);
    const int holes = below(3);
    for (int i = 0; i < holes; ++i) because += fmt::format(" {{{}}}", hole());
    if (chance(10)) because += " {{literal}}";
    clauses.push_back(fmt::format("because \"{}\"", because));
    if (chance(70)) clauses.push_back(fmt::format("cite \"CFR {}\"", below(1000)));
    if (chance(20)) std::shuffle(clauses.begin(), clauses.end(), rng_);
    std::string out = fmt::format("  rule {} {{\n    {} when {}\n", name, eff, when);
    for (const auto& c : clauses) out += "    " + c + "\n";
    return out + "  }\n";
}

void Generator::make_policy(int index) {
    GPolicy p;
    p.name = fmt::format("p{}.{}", index, std::vector<std::string>{"ear", "iaas", "bill", "guide"}[below(4)]);
    p.file = chance(50) ? "rules.cordon" : "sub/more.cordon";
    static const std::vector<std::string> statuses = {"in_force", "in_force", "in_force", "proposed", "bill",
                                                      "draft", "rescinded"};
    p.status = pick(statuses);
    if (chance(40)) p.effective = 19700 + below(1200);
    if (chance(30)) p.sunset = (p.effective ? *p.effective : 19700) + 1 + below(600);
    for (auto d : {p.effective, p.sunset})
        if (d) g_.dates.insert(*d);
    g_.policies.push_back(p);
    GPolicy& pol = g_.policies.back();
    if (chance(40)) next_rule_ = 0;  // the same rule names in several policies
    policy_ = &pol;

    // Lets: parameterless ones are shared by the rules that name them; parameterised ones
    // are inlined at each call. A let sees the lets before it only, so none is recursive.
    const int lets = below(5);
    for (int i = 0; i < lets; ++i) {
        GLet let;
        let.type = chance(60) ? SType{Ty::Bool} : readable_stype(false);
        const int params = chance(40) ? 1 + below(2) : 0;
        let.name = params ? fmt::format("F{}", i) : fmt::format("L{}", i);
        for (int k = 0; k < params; ++k) {
            SType pt = chance(70) ? readable_stype(false) : random_stype();
            if (pt.ty == Ty::Bool && chance(50)) pt = {Ty::Str, kCountry};
            let.params.emplace_back(fmt::format("q{}", k), pt);
        }
        let_limit_ = pol.lets.size();
        params_ = let.params;
        let.body = gen(let.type, 1 + below(3));
        if (!params && let.type.ty == Ty::Bool && chance(30)) let.body = classification();
        params_.clear();
        pol.lets.push_back(let);
    }
    let_limit_ = pol.lets.size();

    // Now and then a large policy: the index, guards and (over 128 rules) native code's
    // index path have more to do.
    const int rules = chance(8) ? 30 + below(50) : 2 + below(10);
    for (int i = 0; i < rules; ++i) {
        const int kind = below(10);
        std::vector<std::string> conj;
        if (kind < 3) {  // pinned: the index files it
            // A bool let many rules require is a guard.
            std::vector<std::string> guards;
            for (const auto& let : pol.lets)
                if (let.params.empty() && let.type.ty == Ty::Bool) guards.push_back(let.name);
            if (!guards.empty() && chance(40)) conj.push_back(chance(80) ? guards.front() : pick(guards));
            conj.push_back(pin());
            if (chance(50)) conj.push_back(pin());
            if (chance(60)) conj.push_back(gen_bool(1 + below(2)));
        } else {
            const int n = 1 + below(3);
            for (int k = 0; k < n; ++k) conj.push_back(gen_bool(1 + below(3)));
        }
        std::optional<std::string> unless;
        if (chance(35)) unless = gen_bool(1 + below(2));
        if (kind == 9) {
            // A family: alike but for one threshold (and twins: alike in everything but
            // name, effect and message).
            const auto nums = attrs_of({Ty::Num});
            std::string e = !nums.empty() && chance(60) ? g_.attrs[pick(nums)].path : gen({Ty::Num}, 2);
            static const char* ops[] = {">=", ">", "<", "<="};
            const std::string op = ops[below(4)];
            const int members = 2 + below(4);
            const std::string eff = effect();
            for (int m = 0; m < members; ++m) {
                auto c = conj;
                const std::string k = number_const();
                note(e, Ty::Num);
                c.push_back(fmt::format("({} {} {})", e, op, k));
                const std::string name = fmt::format("r{}", next_rule_++);
                pol.rules.push_back(rule_text(name, chance(70) ? eff : effect(), fmt::format("{}", fmt::join(c, " and ")), unless));
            }
            continue;
        }
        const std::string when = fmt::format("{}", fmt::join(conj, chance(85) ? " and " : " or "));
        const int copies = kind == 8 ? 2 + below(3) : 1;  // twins
        for (int m = 0; m < copies; ++m) {
            const std::string name = fmt::format("r{}", next_rule_++);
            pol.rules.push_back(rule_text(name, m == 0 || chance(50) ? effect() : "report", when, unless));
        }
    }
    policy_ = nullptr;
}

GeneratedSet Generator::run() {
    plain_pool_ = kPlainStrings;
    // Schema: scalars, nested records, lists of records and of scalars.
    g_.declares_time = chance(60);
    const int top = 3 + below(5);
    for (int i = 0; i < top; ++i) {
        const int roll = below(10);
        if (roll < 3) {
            g_.schema.push_back(random_scalar(fmt::format("a{}", i), false));
        } else if (roll < 6) {
            g_.schema.push_back(random_record(fmt::format("rec{}", i), 0, false));
        } else if (roll < 9) {
            SNode l = random_record(fmt::format("lst{}", i), 1, true);
            l.kind = SNode::Kind::List;
            l.records = true;
            g_.schema.push_back(l);
        } else {
            SNode l;
            l.kind = SNode::Kind::List;
            l.name = fmt::format("tags{}", i);
            l.type = chance(70) ? SType{Ty::Str, chance(50) ? kCountry : kPlain} : SType{Ty::Num};
            g_.schema.push_back(l);
        }
    }
    index_schema(g_.schema, "", -1);
    for (int i = 0; i < 4; ++i) g_.dates.insert(19700 + below(1500));
    make_sets();
    make_tables();

    g_.default_effect = chance(75) ? "allow" : "deny";
    g_.on_error = chance(70) ? "deny" : "skip";
    switch (below(6)) {
        case 0: g_.enforce = {"in_force", "proposed"}; break;
        case 1: g_.enforce = {}; break;
        default: g_.enforce = {"in_force"}; break;
    }
    const int policies = 1 + below(3);
    for (int i = 0; i < policies; ++i) make_policy(i);
    // Sometimes one policy again under another name, in the same file: every rule then has
    // an alike rule (a twin, a family member) in a policy of the same status, which only
    // including a policy by name (--include-policy) can part.
    if (chance(30)) {
        GPolicy copy = g_.policies[below(policies)];
        copy.name = fmt::format("p{}.again", policies);
        g_.policies.push_back(std::move(copy));
    }
    return std::move(g_);
}

}  // namespace

GeneratedSet generate_set(std::uint64_t seed) { return Generator(seed).run(); }

}  // namespace cordon::gen
