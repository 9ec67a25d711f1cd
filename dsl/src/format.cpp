// The formatter: prints a parsed rule file in the canonical layout and puts every comment
// back. Layout rules are in docs/commands/fmt.md; this file implements them.
//
// Comments are attached through "units": the pieces of source that become one printed
// line or block (a policy's `policy NAME {` line, each header field, `use`, `let`, a
// rule's `rule NAME {` line, each clause, each closing brace). A comment alone on its line
// leads the next unit; a comment after code trails the unit that code belongs to, unless
// that unit goes on past the comment's line (a comment inside a multi-line expression),
// in which case it moves to the lines leading the unit.
#include "cordon/dsl/format.hpp"

#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "cordon/dsl/parse.hpp"

namespace cordon {

namespace {

using ast::Expr;
using ast::Op;

// --- expressions -------------------------------------------------------------------------

/// Binding strength, loosest first (LANGUAGE.md): or, and, not, comparison / in / has,
/// + -, * /, unary minus, postfix, primary. `if` and the quantifiers are primaries whose
/// last part extends as far right as possible (see `extends_right`).
int precedence(Op op) {
    switch (op) {
        case Op::Or: return 1;
        case Op::And: return 2;
        case Op::Not: return 3;
        case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge:
        case Op::In: case Op::Has: return 4;
        case Op::Add: case Op::Sub: return 5;
        case Op::Mul: case Op::Div: return 6;
        case Op::Neg: return 7;
        case Op::Field: case Op::Index: return 8;
        default: return 9;
    }
}

constexpr int kPrecAdd = 5, kPrecNeg = 7, kPrecPostfix = 8;  // (see precedence)

bool extends_right(Op op) { return op == Op::If || op == Op::Any || op == Op::All; }

bool is_binary(Op op) {
    switch (op) {
        case Op::Or: case Op::And: case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt:
        case Op::Ge: case Op::In: case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: return true;
        default: return false;
    }
}

/// The least precedence each operand of a binary operator may have without parentheses:
/// and/or and arithmetic associate to the left; comparisons do not associate.
std::pair<int, int> operand_precedence(Op op) {
    const int p = precedence(op);
    if (p == 4) return {kPrecAdd, kPrecAdd};
    return {p, p + 1};
}

/// Parentheses the tree needs around `child` in a slot that takes precedence `min` and
/// is (or is not) the last thing before a closing token. Beyond precedence, an `and`
/// directly under `or` is always parenthesised, as LANGUAGE.md writes it.
bool needs_parens(const Expr& child, int min, bool rightmost, Op parent) {
    if (precedence(child.op) < min) return true;
    if (extends_right(child.op) && !rightmost) return true;
    return parent == Op::Or && child.op == Op::And;
}

/// Display width: UTF-8 code points.
int width(std::string_view s) {
    int n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

std::string quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            default: out += c;
        }
    }
    return out + '"';
}

bool is_id_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

/// The number as written (`4_800`, `1e26`) when its span holds a plain literal of the same
/// value (a parenthesised literal's span includes the parentheses); else the shortest text.
std::string number_text(std::string_view src, const Expr& e) {
    if (e.span.end <= src.size() && e.span.begin < e.span.end) {
        std::string_view t = src.substr(e.span.begin, e.span.end - e.span.begin);
        for (;;) {
            while (!t.empty() && is_space(t.front())) t.remove_prefix(1);
            while (!t.empty() && is_space(t.back())) t.remove_suffix(1);
            if (t.size() >= 2 && t.front() == '(' && t.back() == ')') {
                t = t.substr(1, t.size() - 2);
                continue;
            }
            break;
        }
        bool plain = !t.empty() && t.front() >= '0' && t.front() <= '9';
        std::string digits;
        for (char c : t) {
            if (c == '_') continue;
            if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) plain = false;
            digits += c;
        }
        double v = 0;
        if (plain) {
            auto r = std::from_chars(digits.data(), digits.data() + digits.size(), v);
            if (r.ec == std::errc{} && r.ptr == digits.data() + digits.size() && v == e.number) return std::string(t);
        }
    }
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, e.number);
    return std::string(buf, r.ptr);
}

const char* binary_spelling(Op op) { return ast::op_name(op); }

/// An absent `where` of `sum` is a `true` the parser made with an empty span.
bool is_absent_where(const Expr& w) { return w.op == Op::Bool && w.boolean && w.span.begin == w.span.end; }

// --- comments and units ------------------------------------------------------------------

struct Unit {
    std::uint32_t begin = 0, end = 0;
    /// Whether a comment inside the unit stays inside it (printed after a `{` line, or
    /// between a let's `=` and its body) rather than moving before it: `# lint: allow`
    /// comments apply to the rule, let or policy holding them.
    bool keeps_inner = false;
    std::vector<const ast::Comment*> leading;
    std::vector<const ast::Comment*> inner;
    const ast::Comment* trailing = nullptr;
};

struct RuleUnits {
    int open = -1, when = -1, unless = -1, report = -1, because = -1, cite = -1, close = -1;
};
struct PolicyUnits {
    int open = -1, title = -1, authority = -1, status = -1, effective = -1, sunset = -1, close = -1;
    std::vector<int> uses, lets;
    std::vector<RuleUnits> rules;
};

class Formatter {
public:
    Formatter(const SourceMap& sources, const ast::PolicyFile& file)
        : sources_(sources), file_(file), src_(sources.text(file.file)) {
        for (std::size_t i = 0; i < file.comments.size(); ++i) {
            comment_by_begin_[file.comments[i].span.begin] = i;
            comment_by_end_[file.comments[i].span.end] = i;
        }
    }

    std::string run() {
        build_units();
        attach_comments();
        for (std::size_t i = 0; i < file_.policies.size(); ++i) {
            if (i > 0) blank();
            print_policy(file_.policies[i], policy_units_[i]);
        }
        print_leading(end_comments_, 0, 0, false);
        std::string result;
        // Trailing spaces off every line; exactly one newline at the end.
        std::size_t start = 0;
        while (start < out_.size()) {
            std::size_t nl = out_.find('\n', start);
            if (nl == std::string::npos) nl = out_.size();
            std::size_t e = nl;
            while (e > start && (out_[e - 1] == ' ' || out_[e - 1] == '\t')) --e;
            result.append(out_, start, e - start);
            result += '\n';
            start = nl + 1;
        }
        while (result.size() >= 2 && result[result.size() - 1] == '\n' && result[result.size() - 2] == '\n')
            result.pop_back();
        return result;
    }

private:
    const SourceMap& sources_;
    const ast::PolicyFile& file_;
    std::string_view src_;
    std::unordered_map<std::uint32_t, std::size_t> comment_by_begin_, comment_by_end_;
    std::vector<Unit> units_;
    std::vector<PolicyUnits> policy_units_;
    std::vector<const ast::Comment*> end_comments_;

    std::string out_;
    int col_ = 0;
    bool pending_blank_ = false;
    bool block_start_ = true;

    // --- source scanning ---------------------------------------------------------------
    /// The first offset at or after `at` that is neither blank nor inside a comment.
    std::uint32_t next_code(std::uint32_t at) const {
        while (at < src_.size()) {
            if (is_space(src_[at])) {
                ++at;
            } else if (auto it = comment_by_begin_.find(at); it != comment_by_begin_.end()) {
                at = file_.comments[it->second].span.end;
            } else {
                break;
            }
        }
        return at;
    }
    /// The offset just after the last code before `at` (blanks and comments skipped).
    std::uint32_t prev_code_end(std::uint32_t at) const {
        while (at > 0) {
            if (is_space(src_[at - 1])) {
                --at;
            } else if (auto it = comment_by_end_.find(at); it != comment_by_end_.end()) {
                at = file_.comments[it->second].span.begin;
            } else {
                break;
            }
        }
        return at;
    }
    /// Where the keyword before `at` starts (`unless`, `because`, `title`, ...).
    std::uint32_t keyword_before(std::uint32_t at) const {
        std::uint32_t e = prev_code_end(at);
        while (e > 0 && is_id_char(src_[e - 1])) --e;
        return e;
    }
    int line_of(std::uint32_t offset) const { return sources_.line_col(file_.file, offset).line; }
    int newlines_between(std::uint32_t a, std::uint32_t b) const {
        int n = 0;
        for (std::uint32_t i = a; i < b && i < src_.size(); ++i) n += src_[i] == '\n';
        return n;
    }
    /// Whether a blank line separates the comment from the code or comment before it.
    bool blank_before(const ast::Comment& c) const {
        std::uint32_t i = c.span.begin;
        while (i > 0 && is_space(src_[i - 1])) --i;
        return i > 0 && newlines_between(i, c.span.begin) >= 2;
    }

    // --- units -------------------------------------------------------------------------
    int add_unit(std::uint32_t begin, std::uint32_t end, bool keeps_inner = false) {
        units_.push_back({begin, end, keeps_inner, {}, {}, nullptr});
        return static_cast<int>(units_.size()) - 1;
    }

    void build_units() {
        for (const auto& p : file_.policies) {
            PolicyUnits pu;
            const std::uint32_t brace = next_code(p.name_span.end);
            pu.open = add_unit(p.span.begin, brace + 1, true);
            auto text_field = [&](const std::optional<ast::TextField>& f) {
                return f ? add_unit(keyword_before(f->span.begin), f->span.end) : -1;
            };
            auto date_field = [&](const std::optional<ast::DateField>& f) {
                return f ? add_unit(keyword_before(f->span.begin), f->span.end) : -1;
            };
            pu.title = text_field(p.title);
            pu.authority = text_field(p.authority);
            pu.status = text_field(p.status);
            pu.effective = date_field(p.effective);
            pu.sunset = date_field(p.sunset);
            for (const auto& u : p.uses) pu.uses.push_back(add_unit(u.span.begin, u.span.end));
            for (const auto& l : p.lets) pu.lets.push_back(add_unit(l.span.begin, l.span.end, true));
            for (const auto& r : p.rules) {
                RuleUnits ru;
                const std::uint32_t rbrace = next_code(r.name_span.end);
                ru.open = add_unit(r.span.begin, rbrace + 1, true);
                ru.when = add_unit(next_code(rbrace + 1), r.when.span.end);
                if (r.unless) ru.unless = add_unit(keyword_before(r.unless->span.begin), r.unless->span.end);
                if (r.report) ru.report = add_unit(r.report->span.begin, r.report->span.end);
                ru.because = add_unit(keyword_before(r.because.span.begin), r.because.span.end);
                if (r.cite) ru.cite = add_unit(keyword_before(r.cite_span.begin), r.cite_span.end);
                ru.close = add_unit(r.span.end - 1, r.span.end);
                pu.rules.push_back(ru);
            }
            pu.close = add_unit(p.span.end - 1, p.span.end);
            policy_units_.push_back(std::move(pu));
        }
    }

    void attach_comments() {
        std::vector<int> order(units_.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
        std::sort(order.begin(), order.end(), [&](int a, int b) { return units_[a].begin < units_[b].begin; });
        // The first unit (in source order) that ends after `at`.
        auto first_ending_after = [&](std::uint32_t at) -> Unit* {
            for (int i : order)
                if (units_[i].end > at) return &units_[i];
            return nullptr;
        };
        for (const auto& c : file_.comments) {
            std::uint32_t p = c.span.begin;
            while (p > 0 && (src_[p - 1] == ' ' || src_[p - 1] == '\t')) --p;
            const bool trails_code = p > 0 && src_[p - 1] != '\n' && src_[p - 1] != '\r';
            if (trails_code) {
                Unit* owner = nullptr;
                for (int i : order)
                    if (units_[i].begin < p && p <= units_[i].end) owner = &units_[i];
                if (owner && line_of(owner->end) == line_of(c.span.begin) && !owner->trailing) {
                    owner->trailing = &c;
                    continue;
                }
                if (owner) {
                    (owner->keeps_inner ? owner->inner : owner->leading).push_back(&c);
                    continue;
                }
            }
            if (Unit* u = first_ending_after(c.span.begin))
                (u->keeps_inner && u->begin < c.span.begin ? u->inner : u->leading).push_back(&c);
            else
                end_comments_.push_back(&c);
        }
    }

    // --- output ------------------------------------------------------------------------
    void blank() { pending_blank_ = true; }
    void start_line(int indent) {
        if (!out_.empty() && out_.back() != '\n') out_ += '\n';
        if (pending_blank_ && !block_start_ && !out_.empty()) out_ += '\n';
        pending_blank_ = false;
        block_start_ = false;
        out_.append(static_cast<std::size_t>(indent), ' ');
        col_ = indent;
    }
    void put(std::string_view s) {
        out_ += s;
        col_ += width(s);
    }
    /// A line break inside a printed item (no blank lines, no pending state).
    void newline(int indent) {
        out_ += '\n';
        out_.append(static_cast<std::size_t>(indent), ' ');
        col_ = indent;
    }

    static std::string comment_text(const ast::Comment& c) {
        std::string t = c.text;
        while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r')) t.pop_back();
        return t;
    }

    /// Comment lines before a unit, keeping one blank line where the source had one.
    void print_leading(const std::vector<const ast::Comment*>& comments, int indent, std::uint32_t unit_begin,
                       bool before_unit) {
        for (const auto* c : comments) {
            if (blank_before(*c)) blank();
            start_line(indent);
            put(comment_text(*c));
        }
        if (before_unit && !comments.empty()) {
            const auto* last = comments.back();
            if (last->span.end <= unit_begin && newlines_between(last->span.end, unit_begin) >= 2) blank();
        }
    }
    static std::vector<const ast::Comment*> sorted(std::vector<const ast::Comment*> v) {
        std::sort(v.begin(), v.end(),
                  [](const ast::Comment* a, const ast::Comment* b) { return a->span.begin < b->span.begin; });
        return v;
    }
    void leading(int unit, int indent) { print_leading(sorted(units_[unit].leading), indent, units_[unit].begin, true); }
    /// Comments from inside a `policy NAME {` or `rule NAME {` line, on lines after it.
    void inner(int unit, int indent) {
        for (const auto* c : sorted(units_[unit].inner)) {
            start_line(indent);
            put(comment_text(*c));
        }
    }
    void trailing(int unit, int column = 0) {
        const auto* c = units_[unit].trailing;
        if (!c) return;
        if (column > col_)
            put(std::string(static_cast<std::size_t>(column - col_), ' '));
        else
            put("  ");
        put(comment_text(*c));
    }

    // --- policies and rules --------------------------------------------------------------
    struct Line {
        int unit;
        std::string text;
    };
    /// Lines printed as a block whose trailing comments line up in one column.
    void print_aligned(const std::vector<Line>& lines, int indent) {
        int column = 0;
        for (const auto& l : lines)
            if (units_[l.unit].trailing) column = std::max(column, indent + width(l.text) + 2);
        for (const auto& l : lines) {
            leading(l.unit, indent);
            start_line(indent);
            put(l.text);
            trailing(l.unit, column);
        }
    }

    void print_policy(const ast::Policy& p, const PolicyUnits& pu) {
        leading(pu.open, 0);
        start_line(0);
        put("policy " + p.name + " {");
        trailing(pu.open);
        block_start_ = true;
        inner(pu.open, 2);

        const int ind = 2;
        auto pad = [](const char* key) {
            std::string k = key;
            k.resize(10, ' ');
            return k;
        };
        std::vector<Line> header;
        if (p.title) header.push_back({pu.title, pad("title") + quote(p.title->value)});
        if (p.authority) header.push_back({pu.authority, pad("authority") + quote(p.authority->value)});
        if (p.status) header.push_back({pu.status, pad("status") + p.status->value});
        if (p.effective) header.push_back({pu.effective, pad("effective") + format_date(p.effective->day)});
        if (p.sunset) header.push_back({pu.sunset, pad("sunset") + format_date(p.sunset->day)});
        print_aligned(header, ind);

        if (!p.uses.empty()) {
            blank();
            std::size_t target = 0;
            auto target_of = [](const ast::Use& u) {
                return u.kind == ast::Use::Kind::Sets ? std::string("sets") : "table " + u.name;
            };
            for (const auto& u : p.uses) target = std::max(target, target_of(u).size());
            std::vector<Line> uses;
            for (std::size_t i = 0; i < p.uses.size(); ++i) {
                std::string t = target_of(p.uses[i]);
                t.resize(target, ' ');
                uses.push_back({pu.uses[i], "use " + t + " from " + quote(p.uses[i].path)});
            }
            print_aligned(uses, ind);
        }

        // Lets and rules in source order, a blank line before each.
        std::size_t li = 0, ri = 0;
        while (li < p.lets.size() || ri < p.rules.size()) {
            const bool let_next =
                li < p.lets.size() && (ri >= p.rules.size() || p.lets[li].span.begin < p.rules[ri].span.begin);
            blank();
            if (let_next) {
                print_let(p.lets[li], pu.lets[li], ind);
                ++li;
            } else {
                print_rule(p.rules[ri], pu.rules[ri], ind);
                ++ri;
            }
        }

        leading(pu.close, ind);
        start_line(0);
        put("}");
        trailing(pu.close);
    }

    void print_let(const ast::Let& l, int unit, int ind) {
        leading(unit, ind);
        start_line(ind);
        std::string head = "let " + l.name;
        if (!l.params.empty()) {
            head += '(';
            for (std::size_t i = 0; i < l.params.size(); ++i) head += (i ? ", " : "") + l.params[i];
            head += ')';
        }
        put(head + " =");
        // A body that does not fit continues on the next line, six columns in, so its
        // continuation lines do not depend on the name's length (LANGUAGE.md's layout);
        // an if-chain stays on the let line, each `else` under its `if`. Comments from
        // inside the body go between the `=` and the body.
        const auto& notes = units_[unit].inner;
        if (notes.empty() && (l.body.op == Op::If || col_ + 1 + width(flat(l.body, true)) <= kFormatWidth)) {
            put(" ");
        } else {
            for (const auto* c : sorted(notes)) {
                newline(ind + 6);
                put(comment_text(*c));
            }
            newline(ind + 6);
        }
        expr(l.body, true, 0, true);
        trailing(unit);
    }

    void print_rule(const ast::Rule& r, const RuleUnits& ru, int ind) {
        leading(ru.open, ind);
        start_line(ind);
        put("rule " + r.name + " {");
        trailing(ru.open);
        block_start_ = true;
        const int in2 = ind + 2;
        inner(ru.open, in2);

        leading(ru.when, in2);
        start_line(in2);
        put(std::string(ast::effect_name(r.effect)) + " when ");
        expr(r.when, true, 0, true);
        trailing(ru.when);

        if (r.unless) {
            leading(ru.unless, in2);
            start_line(in2);
            put("unless ");
            expr(*r.unless, true, 0, true);
            trailing(ru.unless);
        }
        if (r.report) {
            leading(ru.report, in2);
            start_line(in2);
            put("to " + quote(r.report->to) + " within " + std::to_string(r.report->within_days) +
                (r.report->within_days == 1 ? " day" : " days"));
            trailing(ru.report);
        }
        leading(ru.because, in2);
        start_line(in2);
        // The message as written: its `{holes}` and escapes stay exactly as they were.
        put("because " + std::string(src_.substr(r.because.span.begin, r.because.span.end - r.because.span.begin)));
        trailing(ru.because);
        if (r.cite) {
            leading(ru.cite, in2);
            start_line(in2);
            put("cite " + quote(*r.cite));
            trailing(ru.cite);
        }

        leading(ru.close, in2);
        start_line(ind);
        put("}");
        trailing(ru.close);
    }

    // --- expressions: one line ---------------------------------------------------------
    std::string flat_child(const Expr& c, int min, bool rightmost, Op parent) const {
        std::string out;
        flat_child_into(out, c, min, rightmost, parent);
        return out;
    }
    std::string flat(const Expr& e, bool rightmost) const {
        std::string out;
        flat_into(out, e, rightmost);
        return out;
    }
    void flat_child_into(std::string& out, const Expr& c, int min, bool rightmost, Op parent) const {
        if (needs_parens(c, min, rightmost, parent)) {
            out += '(';
            flat_into(out, c, true);
            out += ')';
        } else {
            flat_into(out, c, rightmost);
        }
    }

    /// Appends `e` on one line. `rightmost`: nothing follows it before a closing token, so
    /// an `if` or quantifier at its right end needs no parentheses.
    void flat_into(std::string& out, const Expr& e, bool rightmost) const {
        const auto sub = [&](const Expr& c, int min, bool rm) { flat_child_into(out, c, min, rm, e.op); };
        switch (e.op) {
            case Op::Bool: out += e.boolean ? "true" : "false"; return;
            case Op::Number: out += number_text(src_, e); return;
            case Op::String: out += quote(e.text); return;
            case Op::Date: out += format_date(e.date); return;
            case Op::Name: out += e.text; return;
            case Op::SetLiteral:
            case Op::Call:
                out += e.op == Op::Call ? e.text + "(" : "{";
                for (std::size_t i = 0; i < e.args.size(); ++i) {
                    if (i) out += ", ";
                    sub(e.args[i], 0, true);
                }
                out += e.op == Op::Call ? ")" : "}";
                return;
            case Op::Field:
                sub(e.args[0], kPrecPostfix, false);
                out += "." + e.text;
                return;
            case Op::Index:
                sub(e.args[0], kPrecPostfix, false);
                out += '[';
                sub(e.args[1], 0, true);
                out += ']';
                return;
            case Op::Not: out += "not "; sub(e.args[0], precedence(Op::Not), rightmost); return;
            case Op::Neg: out += "-"; sub(e.args[0], kPrecNeg, rightmost); return;
            case Op::Has: out += "has "; sub(e.args[0], kPrecPostfix, rightmost); return;
            case Op::Any:
            case Op::All:
                out += quantifier_head(e) + " ";
                sub(e.args[1], 0, rightmost);
                return;
            case Op::Count:
                out += "count(" + e.text + " in ";
                sub(e.args[0], kPrecPostfix, false);
                out += ": ";
                sub(e.args[1], 0, true);
                out += ')';
                return;
            case Op::Sum:
                out += "sum(" + e.text + " in ";
                sub(e.args[0], kPrecPostfix, false);
                if (!is_absent_where(e.args[1])) {
                    out += " where ";
                    sub(e.args[1], 0, true);
                }
                out += ": ";
                sub(e.args[2], 0, true);
                out += ')';
                return;
            case Op::If:
                out += "if ";
                sub(e.args[0], 0, true);
                out += " then ";
                sub(e.args[1], 0, true);
                out += " else ";
                sub(e.args[2], 0, rightmost);
                return;
            default: break;
        }
        if (is_binary(e.op)) {
            const auto [lmin, rmin] = operand_precedence(e.op);
            sub(e.args[0], lmin, false);
            out += std::string(" ") + binary_spelling(e.op) + " ";
            sub(e.args[1], rmin, rightmost);
            return;
        }
        out += '?';
    }
    std::string quantifier_head(const Expr& e) const {
        return std::string(e.op == Op::Any ? "any " : "all ") + e.text + " in " +
               flat_child(e.args[0], kPrecPostfix, false, e.op) + ":";
    }

    // --- expressions: broken over lines ------------------------------------------------
    /// Prints `child` at the cursor, in parentheses if the tree needs them.
    void child(const Expr& c, int min, bool rightmost, int trail, Op parent) {
        if (needs_parens(c, min, rightmost, parent)) {
            put("(");
            expr(c, true, trail + 1, false);
            put(")");
        } else {
            expr(c, rightmost, trail, false);
        }
    }

    /// Prints `e` at the cursor: on one line when it fits in the width (counting `trail`
    /// columns of closing parentheses after it), else broken. `top` marks a clause's or
    /// let's whole condition, whose and/or continuation lines put the operator to the left
    /// of the condition's column so the operands line up.
    void expr(const Expr& e, bool rightmost, int trail, bool top) {
        const std::string one_line = flat(e, rightmost);
        if (col_ + width(one_line) + trail <= kFormatWidth) {
            put(one_line);
            return;
        }
        switch (e.op) {
            case Op::And:
            case Op::Or: chain(e, rightmost, trail, top); return;
            case Op::Not:
                put("not ");
                child(e.args[0], precedence(Op::Not), rightmost, trail, e.op);
                return;
            case Op::Neg:
                put("-");
                child(e.args[0], kPrecNeg, rightmost, trail, e.op);
                return;
            case Op::Any:
            case Op::All: quantifier(e, rightmost, trail); return;
            case Op::If: if_chain(e, rightmost, trail); return;
            case Op::Count:
                put("count(" + e.text + " in " + flat_child(e.args[0], kPrecPostfix, false, e.op) + ": ");
                child(e.args[1], 0, true, trail + 1, e.op);
                put(")");
                return;
            case Op::Sum:
                put("sum(" + e.text + " in " + flat_child(e.args[0], kPrecPostfix, false, e.op));
                if (!is_absent_where(e.args[1])) {
                    put(" where ");
                    child(e.args[1], 0, true, 0, e.op);
                }
                put(": ");
                child(e.args[2], 0, true, trail + 1, e.op);
                put(")");
                return;
            case Op::Call:
            case Op::SetLiteral: {
                put(e.op == Op::Call ? e.text + "(" : "{");
                for (std::size_t i = 0; i < e.args.size(); ++i) {
                    if (i) put(", ");
                    child(e.args[i], 0, true, i + 1 == e.args.size() ? trail + 1 : 1, Op::Call);
                }
                put(e.op == Op::Call ? ")" : "}");
                return;
            }
            case Op::Index:
                child(e.args[0], kPrecPostfix, false, 0, e.op);
                put("[");
                child(e.args[1], 0, true, trail + 1, e.op);
                put("]");
                return;
            default: break;
        }
        if (is_binary(e.op)) {
            const auto [lmin, rmin] = operand_precedence(e.op);
            child(e.args[0], lmin, false, 0, e.op);
            put(std::string(" ") + binary_spelling(e.op) + " ");
            child(e.args[1], rmin, rightmost, trail, e.op);
            return;
        }
        put(one_line);  // literals, names, fields: nothing to break
    }

    /// `a and b and c` that does not fit on its line: one operand per line, each new line
    /// starting with the operator.
    void chain(const Expr& e, bool rightmost, int trail, bool top) {
        std::vector<const Expr*> operands;
        const Expr* left = &e;
        while (left->op == e.op) {
            operands.push_back(&left->args[1]);
            left = &left->args[0];
        }
        operands.push_back(left);
        std::reverse(operands.begin(), operands.end());

        const std::string op = binary_spelling(e.op);
        const int start = col_;
        const int op_col = top ? std::max(0, start - static_cast<int>(op.size()) - 1) : start;
        const int min = precedence(e.op) + 1;
        for (std::size_t i = 0; i < operands.size(); ++i) {
            const bool last = i + 1 == operands.size();
            if (i > 0) {
                newline(op_col);
                put(op + " ");
            }
            child(*operands[i], min, last && rightmost, last ? trail : 0, e.op);
        }
    }

    /// `any p in list:` then the body, on the next line two columns in if it does not fit.
    void quantifier(const Expr& e, bool rightmost, int trail) {
        const int start = col_;
        put(quantifier_head(e));
        const std::string body = flat_child(e.args[1], 0, rightmost, e.op);
        if (col_ + 1 + width(body) + trail <= kFormatWidth) {
            put(" " + body);
            return;
        }
        newline(start + 2);
        child(e.args[1], 0, rightmost, trail, e.op);
    }

    /// `if c then a` / `else if c2 then b` / `else d`, each `else` under the `if`.
    void if_chain(const Expr& e, bool rightmost, int trail) {
        const int start = col_;
        const Expr* node = &e;
        bool first = true;
        while (node->op == Op::If) {
            if (!first) newline(start);
            put(first ? "if " : "else if ");
            child(node->args[0], 0, true, 0, Op::If);
            put(" then ");
            child(node->args[1], 0, true, 0, Op::If);
            first = false;
            node = &node->args[2];
        }
        newline(start);
        put("else ");
        child(*node, 0, rightmost, trail, Op::If);
    }
};

// --- diff ------------------------------------------------------------------------------

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string::npos) {
            lines.push_back(text.substr(start) + "\n\\ No newline at end of file");
            break;
        }
        lines.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return lines;
}

struct Edit {
    char kind;  // ' ', '-', '+'
    std::size_t a, b;  // line indices in old and new (the one that applies)
};

/// Myers' O(ND) shortest edit script; a whole-file replacement when D would be huge.
std::vector<Edit> diff_lines(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    const long n = static_cast<long>(a.size()), m = static_cast<long>(b.size());
    const long max = n + m;
    // The trace keeps one V per step: bound its size (a whole-file replacement beyond).
    const long limit = std::min<long>(max, 50'000'000 / (2 * max + 2));
    std::vector<std::vector<long>> trace;
    std::vector<long> v(static_cast<std::size_t>(2 * max + 2), 0);
    const long off = max + 1;
    long found = -1;
    for (long d = 0; d <= limit && found < 0; ++d) {
        trace.push_back(v);
        for (long k = -d; k <= d; k += 2) {
            long x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1] : v[off + k - 1] + 1;
            long y = x - k;
            while (x < n && y < m && a[x] == b[y]) ++x, ++y;
            v[off + k] = x;
            if (x >= n && y >= m) {
                found = d;
                break;
            }
        }
    }
    std::vector<Edit> edits;
    if (found < 0) {
        for (long i = 0; i < n; ++i) edits.push_back({'-', static_cast<std::size_t>(i), 0});
        for (long j = 0; j < m; ++j) edits.push_back({'+', static_cast<std::size_t>(n), static_cast<std::size_t>(j)});
        return edits;
    }
    long x = n, y = m;
    for (long d = found; d >= 0; --d) {
        const auto& vp = trace[static_cast<std::size_t>(d)];  // v before step d
        const long k = x - y;
        long prev_k;
        if (d == 0) {
            prev_k = 0;
        } else if (k == -d || (k != d && vp[off + k - 1] < vp[off + k + 1])) {
            prev_k = k + 1;
        } else {
            prev_k = k - 1;
        }
        const long prev_x = d == 0 ? 0 : vp[off + prev_k];
        const long prev_y = prev_x - prev_k;
        while (x > prev_x && y > prev_y) {
            --x, --y;
            edits.push_back({' ', static_cast<std::size_t>(x), static_cast<std::size_t>(y)});
        }
        if (d > 0) {
            if (x == prev_x)
                edits.push_back({'+', static_cast<std::size_t>(x), static_cast<std::size_t>(y - 1)});
            else
                edits.push_back({'-', static_cast<std::size_t>(x - 1), static_cast<std::size_t>(y)});
        }
        x = prev_x;
        y = prev_y;
    }
    std::reverse(edits.begin(), edits.end());
    return edits;
}

std::string range(std::size_t start, std::size_t count) {
    // GNU style: the line before the hunk when it is empty; ",1" left out.
    const std::size_t first = count == 0 ? start : start + 1;
    return count == 1 ? std::to_string(first) : std::to_string(first) + "," + std::to_string(count);
}

}  // namespace

std::string format_policy_file(const SourceMap& sources, const ast::PolicyFile& file) {
    return Formatter(sources, file).run();
}

std::optional<std::string> format_source(const SourceMap& sources, std::uint32_t file, Diagnostics& diags) {
    auto parsed = parse_policy_file(sources, file, diags);
    if (!parsed) return std::nullopt;
    return format_policy_file(sources, *parsed);
}

std::string unified_diff(const std::string& before, const std::string& after, const std::string& old_name,
                         const std::string& new_name) {
    if (before == after) return {};
    const auto a = split_lines(before), b = split_lines(after);
    const auto edits = diff_lines(a, b);
    constexpr std::size_t kContext = 3;
    std::string out = "--- " + old_name + "\n+++ " + new_name + "\n";
    std::size_t i = 0;
    while (i < edits.size()) {
        // The next change, and the hunk around it: changes closer than 2 * context merge.
        std::size_t first_change = i;
        while (first_change < edits.size() && edits[first_change].kind == ' ') ++first_change;
        if (first_change == edits.size()) break;
        std::size_t begin = first_change >= kContext ? first_change - kContext : 0;
        begin = std::max(begin, i);
        std::size_t end = first_change;
        for (;;) {
            while (end < edits.size() && edits[end].kind != ' ') ++end;
            std::size_t same = end;
            while (same < edits.size() && edits[same].kind == ' ') ++same;
            if (same < edits.size() && same - end <= 2 * kContext) {
                end = same;
                continue;
            }
            end = std::min(edits.size(), end + kContext);
            break;
        }
        std::size_t a_start = edits[begin].a, b_start = edits[begin].b, a_count = 0, b_count = 0;
        std::string body;
        for (std::size_t k = begin; k < end; ++k) {
            const auto& ed = edits[k];
            const std::string& line = ed.kind == '+' ? b[ed.b] : a[ed.a];
            body += ed.kind;
            body += line;
            body += '\n';
            if (ed.kind != '+') ++a_count;
            if (ed.kind != '-') ++b_count;
        }
        out += "@@ -" + range(a_start, a_count) + " +" + range(b_start, b_count) + " @@\n" + body;
        i = end;
    }
    return out;
}

}  // namespace cordon
