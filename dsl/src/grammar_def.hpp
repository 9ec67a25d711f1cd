// Definitions of the rule-language grammar (LANGUAGE.md). The AST is built by semantic
// actions that assign `_val`; spans come from the `spanned[]` directive and `_where`.
#pragma once
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

#include "cordon/dsl/parse.hpp"
#include "grammar.hpp"

namespace cordon::parser::detail {
template <typename Subject>
struct deep_parser;
template <typename Subject>
struct spanned_directive;
}  // namespace cordon::parser::detail

// X3 names an action by its C++ type; name it by the parser it wraps, so that
// `expect[rule[action]]` failures read "expected <rule name>".
namespace boost::spirit::x3 {
template <typename Subject, typename Action>
struct get_info<action<Subject, Action>> {
    using result_type = std::string;
    std::string operator()(action<Subject, Action> const& p) const { return what(p.subject); }
};
template <typename Subject>
struct get_info<cordon::parser::detail::deep_parser<Subject>> {
    using result_type = std::string;
    std::string operator()(cordon::parser::detail::deep_parser<Subject> const& p) const { return what(p.subject); }
};
template <typename Subject>
struct get_info<cordon::parser::detail::spanned_directive<Subject>> {
    using result_type = std::string;
    std::string operator()(cordon::parser::detail::spanned_directive<Subject> const& p) const {
        return what(p.subject);
    }
};
}  // namespace boost::spirit::x3


namespace cordon::parser {

// ---------------------------------------------------------------------------------------
// Helpers for semantic actions.
namespace detail {

using ast::Expr;
using ast::Op;

struct Ident {
    std::string text;
    Span span;
};
struct StrLit {
    std::string value;  // escapes resolved
    Span span;          // including the quotes
};

template <typename Ctx>
ParseState& state(Ctx const& ctx) {
    return x3::get<state_tag>(ctx);
}

inline Span span_of(const ParseState& st, const char* b, const char* e) {
    return Span{st.file, static_cast<std::uint32_t>(b - st.text_begin),
                static_cast<std::uint32_t>(e - st.text_begin)};
}


/// Records a hard error and aborts the parse (the top rule's on_error keeps the record).
[[noreturn]] inline void fail(ParseState& st, const char* code, Span span, std::string message,
                              std::string hint = {}) {
    if (!st.error) st.error = Diagnostic{Severity::Error, code, span, std::move(message), std::move(hint)};
    throw x3::expectation_failure<iterator_type>(st.text_begin + span.begin, "");
}

inline bool is_reserved(std::string_view s) {
    static constexpr std::string_view kReserved[] = {
        "and", "or", "not", "in", "has", "any", "all", "count", "sum",
        "where", "if", "then", "else", "true", "false"};
    return std::find(std::begin(kReserved), std::end(kReserved), s) != std::end(kReserved);
}

inline bool is_id_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/// Position tagging for rules built by actions: `spanned[p]` sets the span of the rule's
/// attribute (`_val`) to the text `p` matched, leading whitespace excluded. (X3's on_success
/// hook cannot do it: rules with actions hand it an unused attribute.)
template <typename Subject>
struct spanned_directive : x3::unary_parser<Subject, spanned_directive<Subject>> {
    using base_type = x3::unary_parser<Subject, spanned_directive<Subject>>;
    static bool const is_pass_through_unary = true;
    static bool const handles_container = Subject::handles_container;

    constexpr spanned_directive(Subject const& subject) : base_type(subject) {}

    template <typename It, typename Ctx, typename RCtx, typename Attr>
    bool parse(It& first, It const& last, Ctx const& ctx, RCtx& rctx, Attr& attr) const {
        x3::skip_over(first, last, ctx);
        It const begin = first;
        if (!this->subject.parse(first, last, ctx, rctx, attr)) return false;
        if constexpr (requires { rctx.span = Span{}; }) rctx.span = span_of(state(ctx), begin, first);
        return true;
    }
};
struct spanned_gen {
    template <typename Subject>
    constexpr spanned_directive<typename x3::extension::as_parser<Subject>::value_type> operator[](
        Subject const& subject) const {
        return {x3::as_parser(subject)};
    }
};
inline constexpr spanned_gen spanned{};

template <typename Ctx>
std::uint32_t here(Ctx const& ctx) {
    // In Boost 1.74 an action's `_where` is the input left after the match.
    return static_cast<std::uint32_t>(x3::_where(ctx).begin() - state(ctx).text_begin);
}

/// Sets `e.height` from its children and fails the parse past the expression-depth limit,
/// so that a flat chain of thousands of `or` or `+` terms is refused as it is read.
template <typename Ctx>
void count_height(Ctx const& ctx, Expr& e, const Span& at) {
    std::uint32_t h = 0;
    for (const auto& a : e.args) h = std::max(h, a.height);
    e.height = h + 1;
    ParseState& st = state(ctx);
    if (e.height > st.max_height)
        fail(st, diag::kLimit, at,
             "expression is more than " + std::to_string(st.max_height) + " levels deep (the limit)",
             "split it into `let` bindings, or test membership with a set: `x in {\"A\", \"B\"}`");
}

inline Expr make_node(Op op, Span span) {
    Expr e;
    e.op = op;
    e.span = span;
    return e;
}

// --- actions --------------------------------------------------------------------------
inline auto const assign = [](auto& ctx) { x3::_val(ctx) = std::move(x3::_attr(ctx)); };

template <Op op>
struct binary_fn {
    template <typename Ctx>
    void operator()(Ctx& ctx) const {
        Expr& lhs = x3::_val(ctx);
        Expr& rhs = x3::_attr(ctx);
        Expr e = make_node(op, Span{lhs.span.file, lhs.span.begin, rhs.span.end});
        e.args.reserve(2);
        e.args.push_back(std::move(lhs));
        e.args.push_back(std::move(rhs));
        count_height(ctx, e, e.args[1].span);
        x3::_val(ctx) = std::move(e);
    }
};
template <Op op>
inline constexpr binary_fn<op> binary{};

/// For rules `spanned[op > operand[unary<op>]]`: the rule's node gets the operand.
template <Op op>
struct unary_fn {
    template <typename Ctx>
    void operator()(Ctx& ctx) const {
        x3::_val(ctx).op = op;
        x3::_val(ctx).args.push_back(std::move(x3::_attr(ctx)));
        count_height(ctx, x3::_val(ctx), x3::_val(ctx).args[0].span);
    }
};
template <Op op>
inline constexpr unary_fn<op> unary{};

template <Op op>
struct set_op_fn {
    template <typename Ctx>
    void operator()(Ctx& ctx) const { x3::_val(ctx).op = op; }
};
template <Op op>
inline constexpr set_op_fn<op> set_op{};

inline auto const push_arg = [](auto& ctx) { x3::_val(ctx).args.push_back(std::move(x3::_attr(ctx))); };
inline auto const push_true = [](auto& ctx) {
    const auto at = here(ctx);
    Expr t = make_node(Op::Bool, Span{state(ctx).file, at, at});
    t.boolean = true;
    x3::_val(ctx).args.push_back(std::move(t));
};
inline auto const set_text_from_ident = [](auto& ctx) { x3::_val(ctx).text = x3::_attr(ctx).text; };

inline auto const make_field = [](auto& ctx) {
    Expr& base = x3::_val(ctx);
    Expr e = make_node(Op::Field, Span{base.span.file, base.span.begin, here(ctx)});
    e.text = x3::_attr(ctx).text;
    e.args.push_back(std::move(base));
    count_height(ctx, e, Span{e.span.file, e.span.end, e.span.end});
    x3::_val(ctx) = std::move(e);
};
inline auto const make_index = [](auto& ctx) {
    Expr& base = x3::_val(ctx);
    Expr e = make_node(Op::Index, Span{base.span.file, base.span.begin, here(ctx)});
    e.args.reserve(2);
    e.args.push_back(std::move(base));
    e.args.push_back(std::move(x3::_attr(ctx)));
    count_height(ctx, e, e.args[1].span);
    x3::_val(ctx) = std::move(e);
};

inline auto const make_ident = [](auto& ctx) {
    auto const& r = x3::_attr(ctx);
    std::string s(r.begin(), r.end());
    if (is_reserved(s))
        x3::_pass(ctx) = false;
    else
        x3::_val(ctx).text = std::move(s);
};
inline auto const make_any_ident = [](auto& ctx) {
    auto const& r = x3::_attr(ctx);
    x3::_val(ctx).text.assign(r.begin(), r.end());
};
inline auto const dotted_first = [](auto& ctx) { x3::_val(ctx).text = x3::_attr(ctx).text; };
inline auto const dotted_next = [](auto& ctx) {
    x3::_val(ctx).text += '.';
    x3::_val(ctx).text += x3::_attr(ctx).text;
};

inline auto const make_name = [](auto& ctx) {
    x3::_val(ctx).op = Op::Name;
    x3::_val(ctx).text = x3::_attr(ctx).text;
};
inline auto const call_name = [](auto& ctx) {
    x3::_val(ctx).op = Op::Call;
    x3::_val(ctx).text = x3::_attr(ctx).text;
};

template <bool b>
struct set_bool_fn {
    template <typename Ctx>
    void operator()(Ctx& ctx) const {
        x3::_val(ctx).op = Op::Bool;
        x3::_val(ctx).boolean = b;
    }
};
template <bool b>
inline constexpr set_bool_fn<b> set_bool{};

inline auto const make_number = [](auto& ctx) {
    auto const& r = x3::_attr(ctx);
    std::string digits;
    for (char c : r)
        if (c != '_') digits += c;
    double value = 0;
    auto const res = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (res.ec != std::errc{} || res.ptr != digits.data() + digits.size() || !std::isfinite(value))
        fail(state(ctx), diag::kBadLiteral, span_of(state(ctx), r.begin(), r.end()),
             "number " + std::string(r.begin(), r.end()) + " is out of range",
             "numbers are IEEE doubles (at most about 1.8e308)");
    x3::_val(ctx).op = Op::Number;
    x3::_val(ctx).number = value;
};

inline auto const make_date = [](auto& ctx) {
    auto const& r = x3::_attr(ctx);
    const std::string text(r.begin(), r.end());
    auto const day = parse_date(text);
    if (!day)
        fail(state(ctx), diag::kBadLiteral, span_of(state(ctx), r.begin(), r.end()), "invalid date " + text,
             "dates are YYYY-MM-DD with a month from 01 to 12 and a day that exists in that month");
    x3::_val(ctx).op = Op::Date;
    x3::_val(ctx).date = *day;
};

inline auto const make_string = [](auto& ctx) {
    auto const& r = x3::_attr(ctx);
    std::string out;
    for (auto it = r.begin(); it != r.end(); ++it) {
        if (*it == '\\' && it + 1 != r.end()) {
            ++it;
            switch (*it) {
                case 'n': out += '\n'; break;
                case 't': out += '\t'; break;
                default: out += *it; break;  // \" and \\ (the grammar admits no others)
            }
        } else {
            out += *it;
        }
    }
    x3::_val(ctx).value = std::move(out);
};
inline auto const string_expr = [](auto& ctx) {
    Expr e = make_node(Op::String, x3::_attr(ctx).span);
    e.text = std::move(x3::_attr(ctx).value);
    x3::_val(ctx) = std::move(e);
};

// --- depth guard ----------------------------------------------------------------------
/// Counts nesting through the recursive entry points and fails cleanly past kMaxDepth.
template <typename Subject>
struct deep_parser : x3::unary_parser<Subject, deep_parser<Subject>> {
    using base_type = x3::unary_parser<Subject, deep_parser<Subject>>;
    static bool const is_pass_through_unary = true;
    static bool const handles_container = Subject::handles_container;

    constexpr deep_parser(Subject const& subject) : base_type(subject) {}

    template <typename It, typename Ctx, typename RCtx, typename Attr>
    bool parse(It& first, It const& last, Ctx const& ctx, RCtx& rctx, Attr& attr) const {
        ParseState& st = state(ctx);
        if (st.depth >= kMaxDepth) {
            It at = first;
            x3::skip_over(at, last, ctx);
            fail(st, diag::kSyntax, span_of(st, at, at == last ? at : at + 1),
                 "expression nests too deeply (more than " + std::to_string(kMaxDepth) + " levels)",
                 "split it into `let` bindings");
        }
        struct Leave {
            int& depth;
            ~Leave() { --depth; }
        } leave{++st.depth};
        return this->subject.parse(first, last, ctx, rctx, attr);
    }
};
template <typename Subject>
constexpr deep_parser<Subject> deep(Subject const& s) {
    return deep_parser<Subject>(s);
}

// --- tokens ---------------------------------------------------------------------------
inline auto const id_char = x3::char_("a-zA-Z0-9_");
inline auto const digit = x3::char_('0', '9');

inline auto kw(char const* word) { return x3::lexeme[x3::lit(word) >> !id_char]; }

// --- error reporting ------------------------------------------------------------------
inline const char* skip_blank(const char* p, const char* end) {
    for (;;) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\f' || *p == '\v')) ++p;
        if (p < end && *p == '#') {
            while (p < end && *p != '\n') ++p;
            continue;
        }
        return p;
    }
}

/// The end of the token starting at p (for carets).
inline const char* token_end(const char* p, const char* end) {
    if (p >= end) return p;
    if (is_id_char(*p)) {
        while (p < end && is_id_char(*p)) ++p;
        return p;
    }
    if (*p == '"') {
        const char* q = p + 1;
        while (q < end && *q != '"' && *q != '\n') q += (*q == '\\' && q + 1 < end) ? 2 : 1;
        return q < end && *q == '"' ? q + 1 : q;
    }
    if (p + 1 < end && p[1] == '=' && std::string_view("=!<>").find(*p) != std::string_view::npos) return p + 2;
    if (static_cast<unsigned char>(*p) >= 0x80) {
        ++p;
        while (p < end && (static_cast<unsigned char>(*p) & 0xC0) == 0x80) ++p;
        return p;
    }
    return p + 1;
}

/// The token before p (skipping whitespace and comments), or "" at the start.
inline std::string previous_token(const char* begin, const char* p) {
    for (;;) {
        while (p > begin && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\r' || p[-1] == '\n')) --p;
        // If a comment ends here, step over it: find the line start and a '#' outside strings.
        const char* line = p;
        while (line > begin && line[-1] != '\n') --line;
        const char* hash = nullptr;
        bool in_str = false;
        for (const char* q = line; q < p; ++q) {
            if (in_str) {
                if (*q == '\\') ++q;
                else if (*q == '"') in_str = false;
            } else if (*q == '"') {
                in_str = true;
            } else if (*q == '#') {
                hash = q;
                break;
            }
        }
        if (!hash) break;
        p = hash;
    }
    if (p == begin) return {};
    const char* e = p;
    if (is_id_char(p[-1])) {
        while (p > begin && is_id_char(p[-1])) --p;
    } else if (p[-1] == '=' && p - 1 > begin && std::string_view("=!<>").find(p[-2]) != std::string_view::npos) {
        p -= 2;
    } else {
        --p;
    }
    return std::string(p, e);
}

inline bool starts_valid_token(char c) {
    return is_id_char(c) || std::string_view("\"{}()[].,:=!<>+-*/#").find(c) != std::string_view::npos;
}

/// Whether [b, e) is one well-formed UTF-8 sequence (for quoting it in a message).
inline bool is_utf8_char(const char* b, const char* e) {
    const auto lead = static_cast<unsigned char>(*b);
    const long n = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 && lead < 0xE0 ? 2 : 0;
    return n != 0 && e - b == n && lead < 0xF5;
}

inline std::string quoted_token(const char* b, const char* e) {
    if (b >= e) return "nothing";
    const auto c = static_cast<unsigned char>(*b);
    if (c < 0x20 || c == 0x7F || (c >= 0x80 && !is_utf8_char(b, e))) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "byte 0x%02X", c);
        return buf;
    }
    if (c == '"') return std::string(b, e);  // a string literal quotes itself
    return "\"" + std::string(b, e) + "\"";
}

inline std::string substitute(std::string which, const ParseState& st) {
    auto replace = [&](std::string_view key, const std::string& value) {
        auto pos = which.find(key);
        if (pos != std::string::npos) which.replace(pos, key.size(), value);
    };
    replace("{policy}", st.policy_name);
    replace("{rule}", st.rule_name);
    return which;
}

/// Turns an expectation failure into the parse's one Diagnostic (unless an action already
/// recorded a more precise one).
struct error_handler {
    template <typename It, typename Exc, typename Ctx>
    x3::error_handler_result on_error(It&, It const&, Exc const& x, Ctx const& ctx) const {
        ParseState& st = state(ctx);
        if (st.error) return x3::error_handler_result::fail;
        const bool in_token = x.which().rfind("a closing", 0) == 0 || x.which().rfind("an escape", 0) == 0;
        const char* at = in_token ? x.where() : skip_blank(x.where(), st.text_end);
        const char* end = token_end(at, st.text_end);
        const std::string which = substitute(x.which(), st);
        Diagnostic d;
        d.code = diag::kSyntax;
        d.span = span_of(st, at, end);
        if (at == st.text_end || (in_token && (*at == '\n' || *at == '\r'))) {
            d.message = "expected " + which;
            if (at == st.text_end) {
                // A message hole ends at its "}"; a file ends at its end.
                if (st.text_end < st.file_end && *st.text_end == '}') {
                    d.message += ", found \"}\"";
                    d.span = span_of(st, at, at + 1);
                } else {
                    d.message += ", found the end of the input";
                }
            }
        } else if (!starts_valid_token(*at)) {
            d.message = "unexpected " + quoted_token(at, end);
            d.hint = "expected " + which;
        } else {
            d.message = "expected " + which;
            if (which == "an expression") {
                const std::string prev = previous_token(st.text_begin, x.where());
                if (!prev.empty()) d.message += " after \"" + prev + "\"";
            }
            d.hint = "found " + quoted_token(at, end);
        }
        st.error = std::move(d);
        return x3::error_handler_result::fail;
    }
};

}  // namespace detail

// ---------------------------------------------------------------------------------------
// Rule IDs.
struct ident_class;
struct any_ident_class;
struct dotted_name_class;
struct string_lit_class;
struct expr_class;
struct or_expr_class;
struct and_expr_class;
struct not_expr_class;
struct cmp_expr_class;
struct add_expr_class;
struct mul_expr_class;
struct neg_expr_class;
struct postfix_expr_class;
struct list_expr_class;
struct path_expr_class;
struct primary_class;
struct bool_lit_class;
struct number_lit_class;
struct date_lit_class;
struct set_lit_class;
struct if_expr_class;
struct quant_expr_class;
struct count_expr_class;
struct sum_expr_class;
struct call_expr_class;
struct name_expr_class;
struct policy_file_class : detail::error_handler {};
struct expression_only_class : detail::error_handler {};
struct policy_class;
struct text_field_class;
struct status_field_class;
struct date_field_class;
struct use_class;
struct use_target_class;
struct let_class;
struct rule_class;
struct effect_class;
struct unless_class;
struct report_class;
struct because_class;
struct cite_class;

// Punctuation and keywords that follow an expectation point get rules of their own, so
// the diagnostic can name them.
template <typename Tag>
using mark = x3::rule<Tag>;

// ---------------------------------------------------------------------------------------
// Rule objects.
x3::rule<ident_class, detail::Ident> const ident = "a name";
x3::rule<any_ident_class, detail::Ident> const any_ident = "a name";
x3::rule<dotted_name_class, detail::Ident> const dotted_name = "a name";
x3::rule<string_lit_class, detail::StrLit> const string_lit = "a string";

x3::rule<expr_class, ast::Expr> const expr = "an expression";
x3::rule<or_expr_class, ast::Expr> const or_expr = "an expression";
x3::rule<and_expr_class, ast::Expr> const and_expr = "an expression";
x3::rule<not_expr_class, ast::Expr> const not_expr = "an expression";
x3::rule<cmp_expr_class, ast::Expr> const cmp_expr = "an expression";
x3::rule<add_expr_class, ast::Expr> const add_expr = "an expression";
x3::rule<mul_expr_class, ast::Expr> const mul_expr = "an expression";
x3::rule<neg_expr_class, ast::Expr> const neg_expr = "an expression";
x3::rule<postfix_expr_class, ast::Expr> const postfix_expr = "an expression";
x3::rule<list_expr_class, ast::Expr> const list_expr = "a list";
x3::rule<path_expr_class, ast::Expr> const path_expr = "an attribute path";
x3::rule<primary_class, ast::Expr> const primary = "an expression";
x3::rule<bool_lit_class, ast::Expr> const bool_lit = "true or false";
x3::rule<number_lit_class, ast::Expr> const number_lit = "a number";
x3::rule<date_lit_class, ast::Expr> const date_lit = "a date (YYYY-MM-DD)";
x3::rule<set_lit_class, ast::Expr> const set_lit = "a set";
x3::rule<if_expr_class, ast::Expr> const if_expr = "an expression";
x3::rule<quant_expr_class, ast::Expr> const quant_expr = "an expression";
x3::rule<count_expr_class, ast::Expr> const count_expr = "an expression";
x3::rule<sum_expr_class, ast::Expr> const sum_expr = "an expression";
x3::rule<call_expr_class, ast::Expr> const call_expr = "an expression";
x3::rule<name_expr_class, ast::Expr> const name_expr = "an expression";
x3::rule<class not_op_class, ast::Expr> const not_op = "an expression";
x3::rule<class neg_op_class, ast::Expr> const neg_op = "an expression";
x3::rule<class has_op_class, ast::Expr> const has_op = "an expression";
x3::rule<class paren_expr_class, ast::Expr> const paren_expr = "an expression";

policy_file_type const policy_file_rule = "a rule file";
expression_only_type const expression_only_rule = "an expression";
x3::rule<policy_class, ast::Policy> const policy = "\"policy\"";
x3::rule<text_field_class, ast::TextField> const text_field = "a string";
x3::rule<status_field_class, ast::TextField> const status_field = "a status name";
x3::rule<date_field_class, ast::DateField> const date_field = "a date (YYYY-MM-DD)";
x3::rule<use_class, ast::Use> const use_clause = "\"use\"";
x3::rule<use_target_class, ast::Use> const use_target = "\"sets\" or \"table NAME\"";
x3::rule<let_class, ast::Let> const let_def = "\"let\"";
x3::rule<rule_class, ast::Rule> const rule_def = "\"rule\"";
x3::rule<effect_class, ast::Effect> const effect = "\"deny\", \"report\" or \"allow\"";
x3::rule<unless_class, ast::Expr> const unless_clause = "\"unless\"";
x3::rule<report_class, ast::ReportTo> const report_clause = "\"to\"";
x3::rule<because_class, ast::Message> const because_clause = "\"because\"";
x3::rule<cite_class, ast::TextField> const cite_clause = "\"cite\"";

mark<class lparen_tag> const lparen = "\"(\"";
mark<class rparen_tag> const rparen = "\")\"";
mark<class rbracket_tag> const rbracket = "\"]\"";
mark<class rbrace_set_tag> const rbrace_set = "\"}\" to close the set";
mark<class lbrace_tag> const lbrace = "\"{\"";
mark<class rbrace_policy_tag> const rbrace_policy = "\"}\" to close policy {policy}";
mark<class rbrace_rule_tag> const rbrace_rule = "\"}\" to close rule {rule}";
mark<class colon_tag> const colon = "\":\"";
mark<class sum_colon_tag> const sum_colon = "\"where\" or \":\"";
mark<class equals_tag> const equals = "\"=\"";
mark<class in_tag> const in_kw = "\"in\"";
mark<class then_tag> const then_kw = "\"then\"";
mark<class else_tag> const else_kw = "\"else\"";
mark<class when_tag> const when_kw = "\"when\"";
mark<class from_tag> const from_kw = "\"from\"";
mark<class within_tag> const within_kw = "\"within\"";
mark<class days_tag> const days_kw = "\"days\"";
mark<class string_end_tag> const string_end = "a closing '\"' on the same line";
mark<class escape_tag> const escape_char = "an escape sequence (\\\" \\\\ \\n \\t)";
mark<class end_of_file_tag> const end_of_file = "\"policy\" or the end of the file";
mark<class end_of_expr_tag> const end_of_expr = "the end of the expression";
x3::rule<class whole_days_tag, unsigned> const whole_days = "a whole number of days";

// ---------------------------------------------------------------------------------------
// Definitions: tokens.
using detail::digit;
using detail::id_char;
using detail::kw;
using detail::spanned;

auto const ident_def = spanned[x3::lexeme[x3::raw[x3::char_("a-zA-Z_") >> *id_char]][detail::make_ident]];
// Field names after `.` and status values may be any word, keywords included.
auto const any_ident_def = spanned[x3::lexeme[x3::raw[x3::char_("a-zA-Z_") >> *id_char]][detail::make_any_ident]];
auto const dotted_name_def =
    spanned[x3::lexeme[ident[detail::dotted_first] >> *('.' >> any_ident[detail::dotted_next])]];

auto const string_lit_def = spanned[x3::lexeme['"' >> x3::raw[*(('\\' > escape_char) | ~x3::char_("\"\\\n"))] >
                                               string_end][detail::make_string]];
auto const escape_char_def = x3::char_("\"\\nt");
auto const string_end_def = x3::lit('"');

auto const digits = digit >> *(digit | ('_' >> &digit));
auto const number_lit_def = spanned[x3::lexeme[x3::raw[digits >> -('.' >> digits) >>
                                                       -(x3::char_("eE") >> -x3::char_("+-") >> digits)]]
                                              [detail::make_number]];
auto const date_lit_def =
    spanned[x3::lexeme[x3::raw[x3::repeat(4)[digit] >> '-' >> x3::repeat(2)[digit] >> '-' >> x3::repeat(2)[digit]] >>
                       !id_char][detail::make_date]];
auto const bool_lit_def = spanned[kw("true")[detail::set_bool<true>] | kw("false")[detail::set_bool<false>]];

auto const lparen_def = x3::lit('(');
auto const rparen_def = x3::lit(')');
auto const rbracket_def = x3::lit(']');
auto const rbrace_set_def = x3::lit('}');
auto const lbrace_def = x3::lit('{');
auto const rbrace_policy_def = x3::lit('}');
auto const rbrace_rule_def = x3::lit('}');
auto const colon_def = x3::lit(':');
auto const sum_colon_def = x3::lit(':');
auto const equals_def = x3::lit('=') >> !x3::lit('=');
auto const in_kw_def = kw("in");
auto const then_kw_def = kw("then");
auto const else_kw_def = kw("else");
auto const when_kw_def = kw("when");
auto const from_kw_def = kw("from");
auto const within_kw_def = kw("within");
auto const days_kw_def = kw("days") | kw("day");
auto const end_of_file_def = x3::eoi;
auto const end_of_expr_def = x3::eoi;
auto const whole_days_def = x3::lexeme[x3::uint_parser<unsigned, 10, 1, 6>() >> !id_char];

// ---------------------------------------------------------------------------------------
// Definitions: expressions, loosest first.
using namespace detail;  // actions

auto const expr_def = deep(or_expr);
auto const or_expr_def = and_expr[assign] >> *(kw("or") > and_expr)[binary<Op::Or>];
auto const and_expr_def = not_expr[assign] >> *(kw("and") > not_expr)[binary<Op::And>];
auto const not_expr_def = not_op[assign] | cmp_expr[assign];
auto const not_op_def = spanned[kw("not") > deep(not_expr)[unary<Op::Not>]];
// Comparisons do not associate: `a < b < c` leaves `< c` unparsed, a syntax error.
auto const cmp_expr_def =
    has_op[assign] |
    add_expr[assign] >> -((x3::lit("==") > add_expr)[binary<Op::Eq>] | (x3::lit("!=") > add_expr)[binary<Op::Ne>] |
                          (x3::lit("<=") > add_expr)[binary<Op::Le>] | (x3::lit(">=") > add_expr)[binary<Op::Ge>] |
                          (x3::lit('<') > add_expr)[binary<Op::Lt>] | (x3::lit('>') > add_expr)[binary<Op::Gt>] |
                          (kw("in") > add_expr)[binary<Op::In>]);
auto const has_op_def = spanned[kw("has") > path_expr[unary<Op::Has>]];
auto const add_expr_def =
    mul_expr[assign] >> *((x3::lit('+') > mul_expr)[binary<Op::Add>] | (x3::lit('-') > mul_expr)[binary<Op::Sub>]);
auto const mul_expr_def =
    neg_expr[assign] >> *((x3::lit('*') > neg_expr)[binary<Op::Mul>] | (x3::lit('/') > neg_expr)[binary<Op::Div>]);
auto const neg_expr_def = neg_op[assign] | postfix_expr[assign];
auto const neg_op_def = spanned[x3::lit('-') > deep(neg_expr)[unary<Op::Neg>]];
auto const postfix_expr_def =
    primary[assign] >> *((x3::lit('.') > any_ident)[make_field] | (x3::lit('[') > expr > rbracket)[make_index]);
auto const list_expr_def = postfix_expr;
auto const path_expr_def = postfix_expr;

auto const primary_def = bool_lit[assign] | date_lit[assign] | number_lit[assign] | string_lit[string_expr] |
                         set_lit[assign] | paren_expr[assign] | if_expr[assign] |
                         quant_expr[assign] | count_expr[assign] | sum_expr[assign] | call_expr[assign] |
                         name_expr[assign];

// The node inside parentheses takes their span, so `(a or b) and c` spans from "(".
auto const paren_expr_def = spanned[x3::lit('(') > expr[assign] > rparen];
auto const set_lit_def = spanned[x3::lit('{')[set_op<Op::SetLiteral>] > -(expr[push_arg] % ',') > rbrace_set];
auto const if_expr_def = spanned[kw("if")[set_op<Op::If>] > expr[push_arg] > then_kw > expr[push_arg] > else_kw >
                                 expr[push_arg]];
auto const quant_expr_def = spanned[(kw("any")[set_op<Op::Any>] | kw("all")[set_op<Op::All>]) >
                                    ident[set_text_from_ident] > in_kw > list_expr[push_arg] > colon >
                                    expr[push_arg]];
auto const count_expr_def = spanned[kw("count")[set_op<Op::Count>] > lparen > ident[set_text_from_ident] > in_kw >
                                    list_expr[push_arg] > colon > expr[push_arg] > rparen];
auto const sum_expr_def =
    spanned[kw("sum")[set_op<Op::Sum>] > lparen > ident[set_text_from_ident] > in_kw > list_expr[push_arg] >
            ((kw("where") > expr)[push_arg] | x3::eps[push_true]) > sum_colon > expr[push_arg] > rparen];
auto const call_expr_def = spanned[ident[call_name] >> '(' > -(expr[push_arg] % ',') > rparen];
auto const name_expr_def = spanned[ident[make_name]];

auto const expression_only_rule_def = x3::expect[expr[assign]] > end_of_expr;

// ---------------------------------------------------------------------------------------
// Definitions: files, policies, rules.
auto const text_field_def =
    spanned[string_lit[([](auto& ctx) { x3::_val(ctx).value = std::move(x3::_attr(ctx).value); })]];
auto const status_field_def =
    spanned[any_ident[([](auto& ctx) { x3::_val(ctx).value = std::move(x3::_attr(ctx).text); })]];
auto const date_field_def = spanned[date_lit[([](auto& ctx) { x3::_val(ctx).day = x3::_attr(ctx).date; })]];

auto const use_target_def =
    kw("sets")[([](auto& ctx) { x3::_val(ctx).kind = ast::Use::Kind::Sets; })] |
    (kw("table") > ident)[([](auto& ctx) {
        x3::_val(ctx).kind = ast::Use::Kind::Table;
        x3::_val(ctx).name = x3::_attr(ctx).text;
    })];
auto const use_clause_def =
    spanned[kw("use") > use_target[([](auto& ctx) {
                x3::_val(ctx).kind = x3::_attr(ctx).kind;
                x3::_val(ctx).name = std::move(x3::_attr(ctx).name);
            })] > from_kw > string_lit[([](auto& ctx) { x3::_val(ctx).path = std::move(x3::_attr(ctx).value); })]];

auto const let_def_def = spanned[
    kw("let") > ident[([](auto& ctx) {
        x3::_val(ctx).name = x3::_attr(ctx).text;
        x3::_val(ctx).name_span = x3::_attr(ctx).span;
    })] > -(x3::lit('(') > -(ident[([](auto& ctx) { x3::_val(ctx).params.push_back(x3::_attr(ctx).text); })] % ',') >
            rparen) > equals > expr[([](auto& ctx) { x3::_val(ctx).body = std::move(x3::_attr(ctx)); })]];

auto const effect_def = kw("deny")[([](auto& ctx) { x3::_val(ctx) = ast::Effect::Deny; })] |
                        kw("report")[([](auto& ctx) { x3::_val(ctx) = ast::Effect::Report; })] |
                        kw("allow")[([](auto& ctx) { x3::_val(ctx) = ast::Effect::Allow; })];
auto const unless_clause_def = kw("unless") > expr;
auto const report_clause_def = spanned[
    kw("to") > string_lit[([](auto& ctx) { x3::_val(ctx).to = std::move(x3::_attr(ctx).value); })] > within_kw >
    whole_days[([](auto& ctx) { x3::_val(ctx).within_days = static_cast<int>(x3::_attr(ctx)); })] > days_kw];
auto const because_clause_def = kw("because") > string_lit[([](auto& ctx) {
                                    x3::_val(ctx).raw = std::move(x3::_attr(ctx).value);
                                    x3::_val(ctx).span = x3::_attr(ctx).span;
                                })];
auto const cite_clause_def = kw("cite") > text_field;

template <typename Ctx>
[[noreturn]] void duplicate(Ctx& ctx, Span at, const char* what, const char* where, const std::string& name) {
    fail(state(ctx), diag::kSyntax, at, std::string("duplicate \"") + what + "\" in " + where + " " + name,
         "each may appear at most once");
}

auto const rule_def_def = spanned[
    kw("rule") > dotted_name[([](auto& ctx) {
        x3::_val(ctx).name = x3::_attr(ctx).text;
        x3::_val(ctx).name_span = x3::_attr(ctx).span;
        state(ctx).rule_name = x3::_attr(ctx).text;
    })] > lbrace >
    effect[([](auto& ctx) { x3::_val(ctx).effect = x3::_attr(ctx); })] > when_kw >
    expr[([](auto& ctx) { x3::_val(ctx).when = std::move(x3::_attr(ctx)); })] >
    *(unless_clause[([](auto& ctx) {
          auto& r = x3::_val(ctx);
          if (r.unless) duplicate(ctx, x3::_attr(ctx).span, "unless", "rule", r.name);
          r.unless = std::move(x3::_attr(ctx));
      })] |
      report_clause[([](auto& ctx) {
          auto& r = x3::_val(ctx);
          if (r.report) duplicate(ctx, x3::_attr(ctx).span, "to", "rule", r.name);
          if (r.effect != ast::Effect::Report)
              fail(state(ctx), diag::kSyntax, x3::_attr(ctx).span,
                   "\"to ... within\" on " + std::string(ast::effect_name(r.effect)) + " rule " + r.name,
                   "only report rules name an addressee and a deadline");
          r.report = std::move(x3::_attr(ctx));
      })] |
      because_clause[([](auto& ctx) {
          auto& r = x3::_val(ctx);
          if (r.because.span.file != 0) duplicate(ctx, x3::_attr(ctx).span, "because", "rule", r.name);
          r.because = std::move(x3::_attr(ctx));
      })] |
      cite_clause[([](auto& ctx) {
          auto& r = x3::_val(ctx);
          if (r.cite) duplicate(ctx, x3::_attr(ctx).span, "cite", "rule", r.name);
          r.cite = std::move(x3::_attr(ctx).value);
          r.cite_span = x3::_attr(ctx).span;
      })]) >
    rbrace_rule[([](auto& ctx) {
        auto& r = x3::_val(ctx);
        if (r.because.span.file == 0)
            fail(state(ctx), diag::kSyntax, r.name_span, "expected \"because\" clause in rule " + r.name,
                 "every rule says why it fires: because \"...\"");
    })]];

template <typename Field>
struct set_header_fn {
    const char* word;
    Field ast::Policy::*member;
    template <typename Ctx>
    void operator()(Ctx& ctx) const {
        auto& p = x3::_val(ctx);
        if (p.*member) duplicate(ctx, x3::_attr(ctx).span, word, "policy", p.name);
        p.*member = std::move(x3::_attr(ctx));
    }
};
template <typename Field>
set_header_fn<Field> set_header(const char* word, Field ast::Policy::*member) {
    return {word, member};
}

auto const policy_def = spanned[
    kw("policy") > dotted_name[([](auto& ctx) {
        x3::_val(ctx).name = x3::_attr(ctx).text;
        x3::_val(ctx).name_span = x3::_attr(ctx).span;
        state(ctx).policy_name = x3::_attr(ctx).text;
    })] > lbrace >
    *((kw("title") > text_field)[set_header("title", &ast::Policy::title)] |
      (kw("authority") > text_field)[set_header("authority", &ast::Policy::authority)] |
      (kw("status") > status_field)[set_header("status", &ast::Policy::status)] |
      (kw("effective") > date_field)[set_header("effective", &ast::Policy::effective)] |
      (kw("sunset") > date_field)[set_header("sunset", &ast::Policy::sunset)] |
      use_clause[([](auto& ctx) { x3::_val(ctx).uses.push_back(std::move(x3::_attr(ctx))); })] |
      let_def[([](auto& ctx) { x3::_val(ctx).lets.push_back(std::move(x3::_attr(ctx))); })] |
      rule_def[([](auto& ctx) { x3::_val(ctx).rules.push_back(std::move(x3::_attr(ctx))); })]) >
    rbrace_policy];

auto const push_policy = [](auto& ctx) { x3::_val(ctx).policies.push_back(std::move(x3::_attr(ctx))); };
auto const policy_file_rule_def = x3::expect[policy[push_policy]] >> *policy[push_policy] > end_of_file;

BOOST_SPIRIT_DEFINE(ident, any_ident, dotted_name, string_lit, escape_char, string_end, number_lit, date_lit,
                    bool_lit, lparen, rparen, rbracket, rbrace_set, lbrace, rbrace_policy, rbrace_rule, colon,
                    sum_colon, equals, in_kw, then_kw, else_kw, when_kw, from_kw, within_kw, days_kw, end_of_file,
                    end_of_expr, whole_days)
BOOST_SPIRIT_DEFINE(expr, or_expr, and_expr, not_expr, not_op, cmp_expr, has_op, add_expr, mul_expr, neg_expr,
                    neg_op, paren_expr, postfix_expr, list_expr, path_expr, primary, set_lit, if_expr, quant_expr, count_expr,
                    sum_expr, call_expr, name_expr, expression_only_rule)
BOOST_SPIRIT_DEFINE(text_field, status_field, date_field, use_target, use_clause, let_def, effect, unless_clause,
                    report_clause, because_clause, cite_clause, rule_def, policy, policy_file_rule)

}  // namespace cordon::parser
