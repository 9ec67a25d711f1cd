// The parser against LANGUAGE.md: the example file, precedence, literals, spans, errors.
#include <doctest/doctest.h>

#include <cmath>
#include <fmt/format.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include "cordon/dsl/parse.hpp"
#include "language_example.hpp"

using namespace cordon;
using ast::Op;

namespace {

const char* const kExample = cordon::test::kLanguageExample;

std::string num(double d) {
    char buf[64];
    if (d == std::floor(d) && std::fabs(d) < 1e15)
        std::snprintf(buf, sizeof buf, "%.0f", d);
    else
        std::snprintf(buf, sizeof buf, "%g", d);
    return buf;
}

/// A compact prefix rendering of a tree: `(or a (and b c))`.
std::string sx(const ast::Expr& e) {
    switch (e.op) {
        case Op::Bool: return e.boolean ? "true" : "false";
        case Op::Number: return num(e.number);
        case Op::String: return "\"" + e.text + "\"";
        case Op::Date: return format_date(e.date);
        case Op::Name: return e.text;
        case Op::Field: return "(. " + sx(e.args[0]) + " " + e.text + ")";
        case Op::Call: {
            std::string s = "(call " + e.text;
            for (const auto& a : e.args) s += fmt::format(" {}", sx(a));
            return s + ")";
        }
        case Op::Any: case Op::All: case Op::Count: case Op::Sum: {
            std::string s = std::string("(") + ast::op_name(e.op) + " " + e.text;
            for (const auto& a : e.args) s += fmt::format(" {}", sx(a));
            return s + ")";
        }
        default: {
            std::string s = std::string("(") + ast::op_name(e.op);
            for (const auto& a : e.args) s += fmt::format(" {}", sx(a));
            return s + ")";
        }
    }
}

struct Parsed {
    SourceMap sources;
    Diagnostics diags;
    std::uint32_t file = 0;
    std::optional<ast::PolicyFile> ast;
};

Parsed parse_file(std::string text) {
    Parsed p;
    p.file = p.sources.add("test.cordon", std::move(text));
    p.ast = parse_policy_file(p.sources, p.file, p.diags);
    return p;
}

struct ParsedExpr {
    SourceMap sources;
    Diagnostics diags;
    std::uint32_t file = 0;
    std::optional<ast::Expr> expr;
};

ParsedExpr parse_expr(std::string text) {
    ParsedExpr p;
    const auto size = static_cast<std::uint32_t>(text.size());
    p.file = p.sources.add("expr", std::move(text));
    p.expr = parse_expression(p.sources, p.file, 0, size, p.diags);
    return p;
}

/// The tree of an expression as an s-expression, or "error: <message>".
std::string tree(std::string text) {
    auto p = parse_expr(std::move(text));
    if (!p.expr) return "error: " + (p.diags.items().empty() ? std::string("?") : p.diags.items()[0].message);
    return sx(*p.expr);
}

/// Wraps an expression in a minimal rule.
std::string in_rule(const std::string& when) {
    return "policy p {\n  rule r {\n    deny when " + when + "\n    because \"x\"\n  }\n}\n";
}

std::string text_of(const SourceMap& sm, Span s) { return sm.text(s.file).substr(s.begin, s.end - s.begin); }

/// "line:col message" of the one error of a failed parse.
std::string error_at(const std::string& text) {
    auto p = parse_file(text);
    if (p.ast) return "parsed";
    if (p.diags.items().size() != 1) return "diagnostics: " + std::to_string(p.diags.items().size());
    const auto& d = p.diags.items()[0];
    const auto lc = p.sources.line_col(d.span.file, d.span.begin);
    return std::to_string(lc.line) + ":" + std::to_string(lc.column) + " " + d.code + " " + d.message;
}

}  // namespace

TEST_CASE("parse: the LANGUAGE.md example file") {
    auto p = parse_file(kExample);
    INFO(render_all(p.diags, p.sources));
    REQUIRE(p.ast);
    REQUIRE(p.ast->policies.size() == 1);
    const auto& pol = p.ast->policies[0];
    CHECK(pol.name == "us.ear.advanced_computing");
    CHECK(text_of(p.sources, pol.name_span) == "us.ear.advanced_computing");
    REQUIRE(pol.title);
    CHECK(pol.title->value == "EAR: advanced computing ICs and computers (3A090, 4A090)");
    REQUIRE(pol.authority);
    CHECK(pol.authority->value == "15 CFR 742.6(a)(6); 15 CFR 744.23");
    REQUIRE(pol.status);
    CHECK(pol.status->value == "in_force");
    CHECK(text_of(p.sources, pol.status->span) == "in_force");
    REQUIRE(pol.effective);
    CHECK(format_date(pol.effective->day) == "2023-11-17");
    REQUIRE(pol.sunset);
    CHECK(format_date(pol.sunset->day) == "2099-01-01");

    REQUIRE(pol.uses.size() == 2);
    CHECK(pol.uses[0].kind == ast::Use::Kind::Sets);
    CHECK(pol.uses[0].path == "../data/country_groups.yaml");
    CHECK(pol.uses[1].kind == ast::Use::Kind::Table);
    CHECK(pol.uses[1].name == "chips");
    CHECK(pol.uses[1].path == "../data/chips.yaml");

    REQUIRE(pol.lets.size() == 2);
    CHECK(pol.lets[0].name == "advanced_ic");
    CHECK(pol.lets[0].params.empty());
    CHECK(sx(pol.lets[0].body) ==
          "(or (>= (. resource tpp) 4800) (and (>= (. resource tpp) 1600) (>= (. resource performance_density) 5.92)))");
    CHECK(pol.lets[1].name == "d5_or_macau");
    CHECK(pol.lets[1].params == std::vector<std::string>{"c"});
    CHECK(sx(pol.lets[1].body) == "(or (in c D5) (in c MACAU))");

    REQUIRE(pol.rules.size() == 3);
    const auto& r0 = pol.rules[0];
    CHECK(r0.name == "hq_in_d5_or_macau");
    CHECK(r0.effect == ast::Effect::Deny);
    CHECK(sx(r0.when) ==
          "(and advanced_ic (or (call d5_or_macau (. customer hq_country)) "
          "(call d5_or_macau (. customer parent_hq_country))))");
    REQUIRE(r0.unless);
    CHECK(sx(*r0.unless) == "(. license granted)");
    CHECK(r0.because.raw == "advanced IC for an entity headquartered in {customer.hq_country}");
    REQUIRE(r0.because.pieces.size() == 2);
    CHECK(r0.because.pieces[0].text == "advanced IC for an entity headquartered in ");
    REQUIRE(r0.because.pieces[1].expr);
    CHECK(sx(*r0.because.pieces[1].expr) == "(. customer hq_country)");
    CHECK(text_of(p.sources, r0.because.pieces[1].expr->span) == "customer.hq_country");
    REQUIRE(r0.cite);
    CHECK(*r0.cite == "15 CFR 742.6(a)(6)(iii)");
    CHECK(r0.report == std::nullopt);

    const auto& r1 = pol.rules[1];
    CHECK(sx(r1.when) == "(and advanced_ic (any p intermediaries (call d5_or_macau (. p country))))");
    REQUIRE(r1.because.pieces.size() == 1);
    CHECK_FALSE(r1.because.pieces[0].expr);

    const auto& r2 = pol.rules[2];
    CHECK(r2.effect == ast::Effect::Report);
    CHECK(sx(r2.when) ==
          "(and (and (. customer foreign) (== (. workload kind) \"training\")) (or (>= (. workload training_ops) "
          "1e+26) (and (. workload bio_sequence) (>= (. workload training_ops) "
          "1e+23))))");
    REQUIRE(r2.report);
    CHECK(r2.report->to == "Department of Commerce (BIS)");
    CHECK(r2.report->within_days == 15);
    REQUIRE(r2.because.pieces.size() == 3);
    CHECK(r2.because.pieces[0].text == "foreign person training a large AI model (");
    CHECK(sx(*r2.because.pieces[1].expr) == "(. workload training_ops)");
    CHECK(r2.because.pieces[2].text == " operations)");

    // Comments: one on the first line and six at the ends of lines.
    REQUIRE(p.ast->comments.size() == 7);
    CHECK(p.ast->comments[0].text == "# Comments run from '#' to the end of the line.");
    CHECK(text_of(p.sources, p.ast->comments[1].span) ==
          "# in_force | proposed | rescinded | bill | draft");
}

TEST_CASE("parse: precedence, loosest first") {
    CHECK(tree("a or b and c") == "(or a (and b c))");
    CHECK(tree("a and b or c") == "(or (and a b) c)");
    CHECK(tree("not a and b") == "(and (not a) b)");
    CHECK(tree("not a == b") == "(not (== a b))");
    CHECK(tree("a + b * c") == "(+ a (* b c))");
    CHECK(tree("a * b + c") == "(+ (* a b) c)");
    CHECK(tree("a - b - c") == "(- (- a b) c)");
    CHECK(tree("a / b * c") == "(* (/ a b) c)");
    CHECK(tree("-x * 2") == "(* (- x) 2)");
    CHECK(tree("- - x") == "(- (- x))");
    CHECK(tree("x in S and y") == "(and (in x S) y)");
    CHECK(tree("x + 1 in S") == "(in (+ x 1) S)");
    CHECK(tree("a + 1 < b * 2") == "(< (+ a 1) (* b 2))");
    CHECK(tree("if c then a else b or d") == "(if c a (or b d))");
    CHECK(tree("if a or b then 1 else 2") == "(if (or a b) 1 2)");
    CHECK(tree("x and if c then a else b") == "(and x (if c a b))");
    CHECK(tree("has a.b and c") == "(and (has (. a b)) c)");
    CHECK(tree("not has a.b") == "(not (has (. a b)))");
    CHECK(tree("(a or b) and c") == "(and (or a b) c)");
    CHECK(tree("a <= b") == "(<= a b)");
    CHECK(tree("a >= b") == "(>= a b)");
    CHECK(tree("a != b") == "(!= a b)");
    CHECK(tree("a > b") == "(> a b)");
    CHECK(tree("a.b.c") == "(. (. a b) c)");
    CHECK(tree("chips[resource.chip].tpp") == "(. ([] chips (. resource chip)) tpp)");
    CHECK(tree("f(a, b + 1).x") == "(. (call f a (+ b 1)) x)");
    CHECK(tree("f()") == "(call f)");
    CHECK(tree("a < b < c").rfind("error:", 0) == 0);  // comparisons do not associate
    CHECK(tree("a == b == c").rfind("error:", 0) == 0);
}

TEST_CASE("parse: quantifiers and aggregates") {
    CHECK(tree("any p in intermediaries: p.country in D5") == "(any p intermediaries (in (. p country) D5))");
    CHECK(tree("any p in L: a and b or c") == "(any p L (or (and a b) c))");
    CHECK(tree("x and any p in L: a or b") == "(and x (any p L (or a b)))");
    CHECK(tree("all o in customer.owners: o.share < 0.5") ==
          "(all o (. customer owners) (< (. o share) 0.5))");
    CHECK(tree("count(x in L: x.a) > 2") == "(> (count x L (. x a)) 2)");
    CHECK(tree("sum(o in customer.owners where o.country in D5: o.share) >= 0.5") ==
          "(>= (sum o (. customer owners) (in (. o country) D5) (. o share)) 0.5)");
    CHECK(tree("sum(o in customer.owners: o.share)") == "(sum o (. customer owners) true (. o share))");
    CHECK(tree("not any x in L: x") == "(not (any x L x))");
}

TEST_CASE("parse: keywords are never prefixes of identifiers") {
    CHECK(tree("order") == "order");
    CHECK(tree("android") == "android");
    CHECK(tree("notable") == "notable");
    CHECK(tree("iffy and truely") == "(and iffy truely)");
    CHECK(tree("order or android") == "(or order android)");
    CHECK(tree("inside in insiders") == "(in inside insiders)");
    CHECK(tree("hash") == "hash");
    CHECK(tree("resource.count") == "(. resource count)");
    CHECK(tree("a.in.has.if") == "(. (. (. a in) has) if)");
    CHECK(tree("count").rfind("error:", 0) == 0);
    CHECK(tree("and").rfind("error:", 0) == 0);
    CHECK(tree("true") == "true");
    CHECK(tree("false or true_value") == "(or false true_value)");
}

TEST_CASE("parse: literals") {
    SUBCASE("numbers") {
        CHECK(tree("42") == "42");
        CHECK(tree("4_800") == "4800");
        CHECK(tree("1_000_000") == "1000000");
        CHECK(tree("0.5") == "0.5");
        CHECK(tree("1.5e-3") == "0.0015");
        CHECK(tree("2E+2") == "200");
        auto p = parse_expr("1e26");
        REQUIRE(p.expr);
        CHECK(p.expr->number == 1e26);
        CHECK(tree("4_") .rfind("error:", 0) == 0);
        auto big = parse_expr("1e999");
        CHECK_FALSE(big.expr);
        REQUIRE(big.diags.items().size() == 1);
        CHECK(big.diags.items()[0].code == std::string(diag::kBadLiteral));
    }
    SUBCASE("dates versus subtraction") {
        CHECK(tree("2024-01-29") == "2024-01-29");
        CHECK(tree("x - 1") == "(- x 1)");
        CHECK(tree("x-1") == "(- x 1)");
        CHECK(tree("2024 - 01 - 29") == "(- (- 2024 1) 29)");
        CHECK(tree("time < 2024-01-29") == "(< time 2024-01-29)");
        auto p = parse_expr("2024-01-29");
        REQUIRE(p.expr);
        CHECK(p.expr->op == Op::Date);
        CHECK(p.expr->date == 19751);
        auto bad = parse_expr("time < 2024-02-30");
        CHECK_FALSE(bad.expr);
        REQUIRE(bad.diags.items().size() == 1);
        CHECK(bad.diags.items()[0].code == std::string(diag::kBadLiteral));
        CHECK(text_of(bad.sources, bad.diags.items()[0].span) == "2024-02-30");
        CHECK_FALSE(parse_expr("2023-02-29").expr);
        CHECK(parse_expr("2024-02-29").expr);
    }
    SUBCASE("strings") {
        auto p = parse_expr(R"("a \"quoted\" \\ back\nslash\tend")");
        REQUIRE(p.expr);
        CHECK(p.expr->op == Op::String);
        CHECK(p.expr->text == "a \"quoted\" \\ back\nslash\tend");
        CHECK(tree("\"\"") == "\"\"");
        CHECK(tree("\"# not a comment\"") == "\"# not a comment\"");
        CHECK(tree(R"("bad \q escape")").rfind("error:", 0) == 0);
        CHECK(tree("\"unterminated").rfind("error:", 0) == 0);
    }
    SUBCASE("sets") {
        CHECK(tree("{\"CN\", \"MO\"}") == "(set \"CN\" \"MO\")");
        CHECK(tree("{}") == "(set)");
        CHECK(tree("x in {\"CN\"}") == "(in x (set \"CN\"))");
        CHECK(tree("{\"CN\",}").rfind("error:", 0) == 0);
    }
}

TEST_CASE("parse: spans") {
    auto p = parse_file(kExample);
    REQUIRE(p.ast);
    const auto& sm = p.sources;
    const auto& pol = p.ast->policies[0];
    auto lc = [&](Span s) {
        auto l = sm.line_col(s.file, s.begin);
        return std::to_string(l.line) + ":" + std::to_string(l.column);
    };
    CHECK(lc(pol.span) == "2:1");
    CHECK(text_of(sm, pol.span).substr(0, 6) == "policy");
    CHECK(text_of(sm, pol.span).back() == '}');
    CHECK(lc(pol.lets[1].span) == "16:3");
    CHECK(lc(pol.lets[1].name_span) == "16:7");
    CHECK(text_of(sm, pol.lets[1].body.span) == "c in D5 or c in MACAU");
    CHECK(text_of(sm, pol.lets[1].body.args[1].span) == "c in MACAU");
    const auto& r0 = pol.rules[0];
    CHECK(lc(r0.span) == "18:3");
    CHECK(lc(r0.name_span) == "18:8");
    CHECK(lc(r0.when.span) == "19:15");
    CHECK(text_of(sm, r0.when.args[1].span) ==
          "(d5_or_macau(customer.hq_country) or d5_or_macau(customer.parent_hq_country))");
    CHECK(text_of(sm, r0.when.args[1].args[0].span) == "d5_or_macau(customer.hq_country)");
    CHECK(text_of(sm, r0.when.args[1].args[0].args[0].span) == "customer.hq_country");
    CHECK(lc(r0.because.pieces[1].expr->span) == "22:58");
    CHECK(lc(r0.because.span) == "22:13");
    CHECK(lc(r0.cite_span) == "23:10");
    const auto& r1 = pol.rules[1];
    CHECK(text_of(sm, r1.when.args[1].span) == "any p in intermediaries: d5_or_macau(p.country)");
    CHECK(text_of(sm, pol.uses[1].span) == "use table chips from \"../data/chips.yaml\"");
    const auto& r2 = pol.rules[2];
    CHECK(text_of(sm, r2.report->span) == "to \"Department of Commerce (BIS)\" within 15 days");
    auto neg = parse_expr("  -x * 2");
    REQUIRE(neg.expr);
    CHECK(text_of(neg.sources, neg.expr->span) == "-x * 2");
    CHECK(text_of(neg.sources, neg.expr->args[0].span) == "-x");
    auto idx = parse_expr("chips[resource.chip].tpp");
    REQUIRE(idx.expr);
    CHECK(text_of(idx.sources, idx.expr->args[0].span) == "chips[resource.chip]");
}

TEST_CASE("parse: header fields, clauses in any order") {
    auto p = parse_file(R"(policy a.b {
  rule x.y {
    report when true
    because "b"
    cite "c"
    to "BIS" within 1 day
    unless false
  }
  status draft
  let z = 1
  title "t"
}
policy second { }
)");
    INFO(render_all(p.diags, p.sources));
    REQUIRE(p.ast);
    REQUIRE(p.ast->policies.size() == 2);
    const auto& r = p.ast->policies[0].rules.at(0);
    CHECK(r.name == "x.y");
    CHECK(r.report->within_days == 1);
    CHECK(r.unless);
    CHECK(r.cite == std::optional<std::string>("c"));
    CHECK(p.ast->policies[0].status->value == "draft");
    CHECK(p.ast->policies[1].name == "second");
}

TEST_CASE("parse: message interpolation") {
    auto pieces_of = [](const std::string& msg) {
        auto p = parse_file("policy p { rule r { deny when true because \"" + msg + "\" } }");
        std::string out;
        if (!p.ast) return "error: " + p.diags.items().at(0).message;
        for (const auto& piece : p.ast->policies[0].rules[0].because.pieces)
            out += piece.expr ? fmt::format("[{}]", sx(*piece.expr)) : fmt::format("<{}>", piece.text);
        return out;
    };
    CHECK(pieces_of("plain") == "<plain>");
    CHECK(pieces_of("") == "");
    CHECK(pieces_of("a {x.y} b") == "<a >[(. x y)]< b>");
    CHECK(pieces_of("{x}{y}") == "[x][y]");
    CHECK(pieces_of("{{literal}} {a + 1}") == "<{literal} >[(+ a 1)]");
    CHECK(pieces_of("in {x in {\\\"A\\\"}}").rfind("error", 0) == 0);  // escaped quotes are not code
    CHECK(pieces_of("set {{}}") == "<set {}>");
    CHECK(pieces_of("tab\\there") == "<tab\there>");
    CHECK(pieces_of("open { never closed") == "error: unclosed \"{\" in message");
    CHECK(pieces_of("stray } brace") == "error: unmatched \"}\" in message");
    CHECK(pieces_of("{}") == "error: expected an expression, found \"}\"");
    CHECK(pieces_of("{a b}") == "error: expected the end of the expression");
    CHECK(pieces_of("{a.}") == "error: expected a name, found \"}\"");
}

TEST_CASE("parse: syntax errors say what was expected where") {
    // 1. missing because
    CHECK(error_at("policy p {\n  rule d5_intermediary {\n    deny when a\n  }\n}\n") ==
          "2:8 E0101 expected \"because\" clause in rule d5_intermediary");
    // 2. dangling operator
    CHECK(error_at(in_rule("a and )")) == "3:21 E0101 expected an expression after \"and\"");
    // 3. unclosed policy
    CHECK(error_at("policy us.ear {\n  let x = 1\n") == "3:1 E0101 expected \"}\" to close policy us.ear, found the end of the input");
    // 4. stray character
    CHECK(error_at(in_rule("a @ b")) == "3:17 E0101 unexpected \"@\"");
    // 5. no policy at all
    CHECK(error_at("") == "1:1 E0101 expected \"policy\", found the end of the input");
    CHECK(error_at("# only a comment\n") == "2:1 E0101 expected \"policy\", found the end of the input");
    CHECK(error_at("rule x {}") == "1:1 E0101 expected \"policy\"");
    // 6. non-associative comparison
    CHECK(error_at(in_rule("a < b < c")) == "3:21 E0101 expected \"}\" to close rule r");
    // 7. bad date
    CHECK(error_at("policy p {\n  effective 2024-02-30\n}") == "2:13 E0102 invalid date 2024-02-30");
    // 8. missing `when`
    CHECK(error_at("policy p { rule r { deny a because \"x\" } }") == "1:26 E0101 expected \"when\"");
    // 9. bad effect
    CHECK(error_at("policy p { rule r { block when a because \"x\" } }") ==
          "1:21 E0101 expected \"deny\", \"report\" or \"allow\"");
    // 10. unclosed parenthesis
    CHECK(error_at(in_rule("(a or b")) == "4:5 E0101 expected \")\"");
    // 11. unterminated string
    CHECK(error_at("policy p {\n  title \"abc\n}") == "2:13 E0101 expected a closing '\"' on the same line");
    // 12. duplicate header field
    CHECK(error_at("policy p {\n  title \"a\"\n  title \"b\"\n}") == "3:9 E0101 duplicate \"title\" in policy p");
    // 13. `to` on a deny rule
    CHECK(error_at("policy p { rule r { deny when a to \"x\" within 3 days because \"m\" } }") ==
          "1:33 E0101 \"to ... within\" on deny rule r");
    // 14. keyword used as a name
    CHECK(error_at("policy p { let and = 1 }") == "1:16 E0101 expected a name");
    // 15. missing `days`
    CHECK(error_at("policy p { rule r { report when a to \"x\" within 3 weeks because \"m\" } }") ==
          "1:51 E0101 expected \"days\"");
    // 16. garbage after the policy
    CHECK(error_at("policy p { }\n}") == "2:1 E0101 expected \"policy\" or the end of the file");
    // 17. quantifier without colon
    CHECK(error_at(in_rule("any p in L p.x")) == "3:26 E0101 expected \":\"");
    // 18. keyword used where a name is needed, rendered with a caret
    auto p = parse_file("policy p {\n  let x =\n    a or\n}\n");
    REQUIRE(p.diags.items().size() == 1);
    const auto rendered = render(p.diags.items()[0], p.sources);
    CHECK(rendered.find("test.cordon:4:1: error[E0101]: expected an expression after \"or\"") != std::string::npos);
}

TEST_CASE("parse: robustness") {
    SUBCASE("every prefix of the example either parses or fails with one diagnostic") {
        const std::string full = kExample;
        for (std::size_t n = 0; n <= full.size(); ++n) {
            auto p = parse_file(full.substr(0, n));
            CHECK((p.ast.has_value() ? p.diags.items().empty() : p.diags.items().size() == 1));
        }
    }
    SUBCASE("deep nesting is an error, not a stack overflow") {
        const std::string deep = std::string(100000, '(') + "a" + std::string(100000, ')');
        auto p = parse_expr(deep);
        CHECK_FALSE(p.expr);
        REQUIRE(p.diags.items().size() == 1);
        CHECK(p.diags.items()[0].message.find("nests too deeply") != std::string::npos);
        std::string nots, negs, mixed;
        for (int i = 0; i < 50000; ++i) nots += "not ", negs += "- ", mixed += "f(x[{(-";
        CHECK(parse_expr(nots + "a").diags.items().at(0).message.find("nests too deeply") != std::string::npos);
        CHECK(parse_expr(negs + "a").diags.items().at(0).message.find("nests too deeply") != std::string::npos);
        CHECK(parse_expr(mixed + "a").diags.items().at(0).message.find("nests too deeply") != std::string::npos);
        const std::string ok = std::string(90, '(') + "a" + std::string(90, ')');
        CHECK(parse_expr(ok).expr);
        CHECK(tree("not not a") == "(not (not a))");
    }
    SUBCASE("binary garbage") {
        std::mt19937 rng(42);
        for (int round = 0; round < 200; ++round) {
            std::string text(static_cast<std::size_t>(rng() % 300), '\0');
            for (auto& c : text) c = static_cast<char>(rng() % 256);
            if (round % 2) text = "policy p { rule r { deny when " + text;
            auto p = parse_file(text);
            CHECK((p.ast.has_value() || p.diags.items().size() == 1));
        }
    }
    SUBCASE("mutations of the example") {
        std::mt19937 rng(7);
        const std::string full = kExample;
        const std::string alphabet = "(){}[].,:=<>!+-*/\"#\\ \nabc019_";
        for (int round = 0; round < 300; ++round) {
            std::string text = full;
            for (int k = 0; k < 3; ++k) text[rng() % text.size()] = alphabet[rng() % alphabet.size()];
            auto p = parse_file(text);
            CHECK((p.ast.has_value() ? p.diags.items().empty() : p.diags.items().size() == 1));
        }
    }
}

TEST_CASE("parse: parse_expression over a sub-range uses file offsets") {
    SourceMap sm;
    const auto f = sm.add("x", "xx a and b yy");
    Diagnostics d;
    auto e = parse_expression(sm, f, 3, 10, d);
    REQUIRE(e);
    CHECK(e->span.begin == 3);
    CHECK(e->span.end == 10);
    CHECK(sx(*e) == "(and a b)");
    CHECK_FALSE(parse_expression(sm, f, 3, 99, d));
}

TEST_CASE("parse: CRLF line endings and comments next to strings") {
    auto p = parse_file("policy p {\r\n  title \"a # b\" # real\r\n  rule r { allow when true because \"m\" }\r\n}\r\n");
    INFO(render_all(p.diags, p.sources));
    REQUIRE(p.ast);
    CHECK(p.ast->policies[0].title->value == "a # b");
    REQUIRE(p.ast->comments.size() == 1);
    CHECK(p.ast->comments[0].text == "# real");
    CHECK(p.ast->policies[0].rules[0].effect == ast::Effect::Allow);
}

TEST_CASE("parse: concurrent parses share no state") {
    std::vector<std::thread> threads;
    std::vector<int> ok(4, 0);
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([t, &ok] {
            for (int i = 0; i < 20; ++i) {
                auto good = parse_file(kExample);
                auto bad = parse_file(in_rule("a and )"));
                if (good.ast && !bad.ast && bad.diags.items().at(0).message == "expected an expression after \"and\"")
                    ++ok[static_cast<std::size_t>(t)];
            }
        });
    for (auto& th : threads) th.join();
    for (int n : ok) CHECK(n == 20);
}

#ifdef CORDON_SOURCE_DIR
TEST_CASE("parse: every shipped policy file parses") {
    namespace fs = std::filesystem;
    const fs::path root = fs::path(CORDON_SOURCE_DIR) / "policies";
    if (!fs::exists(root)) return;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (entry.path().extension() != ".cordon") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream buf;
        buf << in.rdbuf();
        auto p = parse_file(buf.str());
        INFO(entry.path().string(), "\n", render_all(p.diags, p.sources));
        CHECK(p.ast);
    }
}
#endif
