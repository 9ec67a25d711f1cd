// `cordon fmt`: the layout, idempotence, meaning (same tree, same digest) and comments.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>

#include "cordon/dsl/check.hpp"
#include "cordon/dsl/format.hpp"
#include "cordon/dsl/parse.hpp"
#include "support.hpp"

using namespace cordon;
using ast::Op;

namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// Parses `text` (REQUIREd to parse) and keeps its SourceMap alive beside the tree.
struct Parsed {
    SourceMap sources;
    std::uint32_t id = 0;
    ast::PolicyFile file;
};
std::unique_ptr<Parsed> parse(const std::string& text) {
    auto p = std::make_unique<Parsed>();
    p->id = p->sources.add("test.cordon", text);
    Diagnostics diags;
    auto f = parse_policy_file(p->sources, p->id, diags);
    REQUIRE_MESSAGE(f, (render_all(diags, p->sources) + "\n--- text ---\n" + text));
    p->file = std::move(*f);
    return p;
}

// --- tree equality, spans ignored -------------------------------------------------------
bool same(const ast::Expr& a, const ast::Expr& b) {
    if (a.op != b.op || a.boolean != b.boolean || a.number != b.number || a.date != b.date || a.text != b.text ||
        a.args.size() != b.args.size())
        return false;
    for (std::size_t i = 0; i < a.args.size(); ++i)
        if (!same(a.args[i], b.args[i])) return false;
    return true;
}
template <class T>
bool same_opt(const std::optional<T>& a, const std::optional<T>& b, bool (*eq)(const T&, const T&)) {
    return a.has_value() == b.has_value() && (!a || eq(*a, *b));
}
bool same_text(const ast::TextField& a, const ast::TextField& b) { return a.value == b.value; }
bool same_date(const ast::DateField& a, const ast::DateField& b) { return a.day == b.day; }

/// Whether two parsed files say the same thing (every field the checker reads).
std::string difference(const ast::PolicyFile& a, const ast::PolicyFile& b) {
    if (a.policies.size() != b.policies.size()) return "policy count";
    for (std::size_t i = 0; i < a.policies.size(); ++i) {
        const auto &p = a.policies[i], &q = b.policies[i];
        if (p.name != q.name) return "policy name " + p.name;
        if (!same_opt(p.title, q.title, same_text) || !same_opt(p.authority, q.authority, same_text) ||
            !same_opt(p.status, q.status, same_text) || !same_opt(p.effective, q.effective, same_date) ||
            !same_opt(p.sunset, q.sunset, same_date))
            return "header of " + p.name;
        if (p.uses.size() != q.uses.size()) return "uses of " + p.name;
        for (std::size_t u = 0; u < p.uses.size(); ++u)
            if (p.uses[u].kind != q.uses[u].kind || p.uses[u].name != q.uses[u].name || p.uses[u].path != q.uses[u].path)
                return "use in " + p.name;
        if (p.lets.size() != q.lets.size()) return "lets of " + p.name;
        for (std::size_t l = 0; l < p.lets.size(); ++l)
            if (p.lets[l].name != q.lets[l].name || p.lets[l].params != q.lets[l].params ||
                !same(p.lets[l].body, q.lets[l].body))
                return "let " + p.lets[l].name;
        if (p.rules.size() != q.rules.size()) return "rules of " + p.name;
        for (std::size_t r = 0; r < p.rules.size(); ++r) {
            const auto &x = p.rules[r], &y = q.rules[r];
            const bool ok = x.name == y.name && x.effect == y.effect && same(x.when, y.when) &&
                            x.unless.has_value() == y.unless.has_value() && (!x.unless || same(*x.unless, *y.unless)) &&
                            x.report.has_value() == y.report.has_value() &&
                            (!x.report || (x.report->to == y.report->to && x.report->within_days == y.report->within_days)) &&
                            x.because.raw == y.because.raw && x.cite == y.cite;
            if (!ok) return "rule " + x.name;
        }
    }
    return "";
}

std::vector<std::string> comment_texts(const ast::PolicyFile& f) {
    std::vector<std::string> out;
    for (const auto& c : f.comments) {
        std::string t = c.text;
        while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
        out.push_back(t);
    }
    return out;
}

/// Formats `text` and checks the three guarantees; returns the formatted text.
std::string check_guarantees(const std::string& text) {
    auto before = parse(text);
    const std::string once = format_policy_file(before->sources, before->file);
    auto after = parse(once);
    CHECK_MESSAGE(difference(before->file, after->file) == "", "meaning changed:\n", once);
    const std::string twice = format_policy_file(after->sources, after->file);
    CHECK_MESSAGE(twice == once, "not idempotent:\n--- once ---\n", once, "--- twice ---\n", twice);
    auto a = comment_texts(before->file), b = comment_texts(after->file);
    CHECK(a.size() == b.size());
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    CHECK(a == b);
    return once;
}

/// The formatted text of `let x = EXPR` inside a policy, as the one let line(s).
std::string let_body(const std::string& expr) {
    const std::string out = check_guarantees("policy p {\n  let x = " + expr + "\n}\n");
    const std::string head = "policy p {\n  let x = ";
    REQUIRE(out.rfind(head, 0) == 0);
    return out.substr(head.size(), out.size() - head.size() - 3);  // up to "\n}\n"
}

std::vector<fs::path> shipped_policy_files() {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(CORDON_SOURCE_DIR "/policies/us"))
        if (e.path().extension() == ".cordon") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

TEST_SUITE("fmt") {

TEST_CASE("every shipped policy is formatted, idempotent, meaning- and comment-preserving") {
    const auto files = shipped_policy_files();
    REQUIRE(files.size() >= 5);
    for (const auto& path : files) {
        CAPTURE(path.string());
        const std::string text = read_file(path);
        const std::string once = check_guarantees(text);
        CHECK_MESSAGE(once == text, "not formatted (run cordon fmt policies/us):\n",
                      unified_diff(text, once, path.string(), "formatted"));
    }
}

TEST_CASE("formatting a copy of policies/us leaves the policy-set digest unchanged") {
    const fs::path copy = fs::temp_directory_path() / ("cordon-fmt-digest-" + std::to_string(::getpid()));
    fs::remove_all(copy);
    fs::copy(CORDON_SOURCE_DIR "/policies/us", copy, fs::copy_options::recursive);
    // The copy's digest before and after (the digest names data files by path, so both
    // loads read the same directory).
    const auto before = PolicySet::load(copy.string());
    REQUIRE_MESSAGE(before.set, render_all(before.diagnostics, *before.sources));
    // Scramble the layout first, so the formatter has work to do on every file.
    std::size_t files = 0;
    for (const auto& e : fs::recursive_directory_iterator(copy)) {
        if (e.path().extension() != ".cordon") continue;
        const std::string text = read_file(e.path());
        std::string scrambled;  // more blank lines where there were some, odd indentation
        for (std::size_t i = 0; i < text.size(); ++i) {
            scrambled += text[i];
            if (text[i] == '\n' && i + 1 < text.size() && text[i + 1] == '\n') scrambled += "\n\n";
            if (text[i] == '\n') scrambled += "   ";
            if (text[i] == '{' && i + 1 < text.size() && text[i + 1] == '\n') scrambled += "   ";
        }
        auto p = parse(scrambled);
        const std::string out = format_policy_file(p->sources, p->file);
        CHECK(out == text);  // back to the shipped (formatted) layout
        std::ofstream(e.path(), std::ios::binary | std::ios::trunc) << out;
        ++files;
    }
    CHECK(files >= 5);
    const auto after = PolicySet::load(copy.string());
    REQUIRE_MESSAGE(after.set, render_all(after.diagnostics, *after.sources));
    CHECK(after.set->digest() == before.set->digest());
    CHECK(canonical_text(after.set->checked()) == canonical_text(before.set->checked()));
    fs::remove_all(copy);
}

TEST_CASE("the LANGUAGE.md example keeps its meaning and comments") {
    const std::string text = read_file(std::string(CORDON_SOURCE_DIR) + "/../shared/design/LANGUAGE.md");
    const auto begin = text.find("```\n# Comments run");
    if (begin == std::string::npos) return;  // the design file is not part of every checkout
    const auto end = text.find("```", begin + 4);
    const std::string example = text.substr(begin + 4, end - begin - 4);
    const std::string out = check_guarantees(example);
    CHECK(out.find("  status    in_force    # in_force | proposed | rescinded | bill | draft\n"
                   "  effective 2023-11-17  # optional: rules inactive before this date\n") != std::string::npos);
    CHECK(out.find("  use sets        from \"../data/country_groups.yaml\"  # named string sets") != std::string::npos);
    CHECK(out.find("  let advanced_ic =\n        resource.tpp >= 4800 or (resource.tpp >= 1600 and "
                   "resource.performance_density >= 5.92)\n") != std::string::npos);
    CHECK(out.find("    report when customer.foreign\n"
                   "            and workload.kind == \"training\"\n"
                   "            and (workload.training_ops >= 1e26\n"
                   "                 or (workload.bio_sequence and workload.training_ops >= 1e23))\n"
                   "    to \"Department of Commerce (BIS)\" within 15 days\n") != std::string::npos);
}

TEST_CASE("the canonical layout of a whole file") {
    const std::string messy = R"(# file comment


policy  us.test.layout{ status proposed
  use table chips from "data/chips.yaml"   # the table
  effective 2024-01-29 title "Layout \"test\""   # title comment
      use sets   from  "data/groups.yaml"
  authority "15 CFR 1"
  rule   r1 { deny when customer.country in D5 cite "c1" because "msg {customer.name} {{x}}" unless license.granted }
  let a = 4_800 let b(c) = c in D5



  rule r2 {report when b(customer.country) to "BIS" within 1 day because "m"}
}
policy us.test.second { status draft }
)";
    const std::string expected = R"(# file comment

policy us.test.layout {
  title     "Layout \"test\""  # title comment
  authority "15 CFR 1"
  status    proposed
  effective 2024-01-29

  use table chips from "data/chips.yaml"  # the table
  use sets        from "data/groups.yaml"

  rule r1 {
    deny when customer.country in D5
    unless license.granted
    because "msg {customer.name} {{x}}"
    cite "c1"
  }

  let a = 4_800

  let b(c) = c in D5

  rule r2 {
    report when b(customer.country)
    to "BIS" within 1 day
    because "m"
  }
}

policy us.test.second {
  status    draft
}
)";
    CHECK(check_guarantees(messy) == expected);
}

TEST_CASE("parentheses only where the tree needs them") {
    struct Case {
        const char* in;
        const char* out;
    };
    const Case cases[] = {
        {"((a))", "a"},
        {"(a.b).c", "a.b.c"},
        {"a and b or c", "(a and b) or c"},  // `and` under `or` is always parenthesised
        {"a or (b and c)", "a or (b and c)"},
        {"(a or b) or c", "a or b or c"},
        {"a or (b or c)", "a or (b or c)"},
        {"(a and b) and c", "a and b and c"},
        {"a and (b and c)", "a and (b and c)"},
        {"(a or b) and c", "(a or b) and c"},
        {"not (a == b)", "not a == b"},
        {"(not a) == b", "(not a) == b"},
        {"not (a and b)", "not (a and b)"},
        {"not not a", "not not a"},
        {"(a + b) * c", "(a + b) * c"},
        {"a + (b * c)", "a + b * c"},
        {"a - (b - c)", "a - (b - c)"},
        {"(a - b) - c", "a - b - c"},
        {"a / (b * c)", "a / (b * c)"},
        {"-(a + b)", "-(a + b)"},
        {"-(-a)", "--a"},
        {"(-a) * b", "-a * b"},
        {"(a == b) == c", "(a == b) == c"},
        {"a < (b + 1)", "a < b + 1"},
        {"(has a.b) == true", "(has a.b) == true"},
        {"(x in S) == false", "(x in S) == false"},
        {"(any p in L: p.x) and b", "(any p in L: p.x) and b"},
        {"b and (any p in L: p.x)", "b and any p in L: p.x"},
        {"(all p in L: p.x) or (any q in M: q.y)", "(all p in L: p.x) or any q in M: q.y"},
        {"any p in L: (p.x and p.y)", "any p in L: p.x and p.y"},
        {"(if a then 1 else 2) + 3", "(if a then 1 else 2) + 3"},
        {"3 + (if a then 1 else 2)", "3 + if a then 1 else 2"},
        {"-(if a then 1 else 2) * 3", "-(if a then 1 else 2) * 3"},
        {"not (any p in L: p.x) and b", "not (any p in L: p.x) and b"},
        {"(if a then b else c).d", "(if a then b else c).d"},
        {"if (a or b) then (c + 1) else (if d then 2 else 3)", "if a or b then c + 1 else if d then 2 else 3"},
        {"f((a), (b or c))", "f(a, b or c)"},
        {"chips[(resource.chip)].tpp", "chips[resource.chip].tpp"},
        {"count(p in L: (p.x)) > (1)", "count(p in L: p.x) > 1"},
        {"sum(o in L where (o.a): (o.b)) >= 0.5", "sum(o in L where o.a: o.b) >= 0.5"},
        {"sum(o in L: o.b)", "sum(o in L: o.b)"},
        {"sum(o in L where true: o.b)", "sum(o in L where true: o.b)"},
        {"x in {\"CN\" ,\"MO\"}", "x in {\"CN\", \"MO\"}"},
        {"x in {}", "x in {}"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.in);
        CHECK(let_body(c.in) == c.out);
    }
}

TEST_CASE("literals: numbers as written, strings re-escaped, dates canonical") {
    CHECK(let_body("4_800 + 1e26 + 0.5 + 1E+3 + 15832") == "4_800 + 1e26 + 0.5 + 1E+3 + 15832");
    CHECK(let_body("(1e26) * (4_800)") == "1e26 * 4_800");
    CHECK(let_body("\"a\\\"b\\\\c\\td\\ne\"") == "\"a\\\"b\\\\c\\td\\ne\"");
    CHECK(let_body("x == 2024-01-29") == "x == 2024-01-29");
    CHECK(let_body("true != false") == "true != false");
}

TEST_CASE("long conditions break before and/or, continuation lines under the condition") {
    const std::string text = R"(policy p {
  rule r {
    deny when customer.foreign and workload.kind == "training" and (workload.training_ops >= 1e26 or (workload.bio_sequence and workload.training_ops >= 1e23))
    unless license.granted or customer.identity_verified or customer.country == "US" or customer.hq_country == "US"
    because "x"
  }
  let long_one = resource.region_country in D1 or resource.region_country in D4 or resource.region_country in D5
  let tpp = if has resource.tpp then resource.tpp else if chip_in_table then chips[resource.chip].tpp else 0
  rule q {
    deny when us_provider and any p in intermediaries: p.role == "reseller" and p.country != "US" and not (has p.identity_verified and p.identity_verified)
    because "y"
  }
}
)";
    const std::string expected = R"(policy p {
  rule r {
    deny when customer.foreign
          and workload.kind == "training"
          and (workload.training_ops >= 1e26
               or (workload.bio_sequence and workload.training_ops >= 1e23))
    unless license.granted
        or customer.identity_verified
        or customer.country == "US"
        or customer.hq_country == "US"
    because "x"
  }

  let long_one =
        resource.region_country in D1
     or resource.region_country in D4
     or resource.region_country in D5

  let tpp = if has resource.tpp then resource.tpp
            else if chip_in_table then chips[resource.chip].tpp
            else 0

  rule q {
    deny when us_provider
          and any p in intermediaries:
                p.role == "reseller"
                and p.country != "US"
                and not (has p.identity_verified and p.identity_verified)
    because "y"
  }
}
)";
    const std::string out = check_guarantees(text);
    CHECK(out == expected);
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) CHECK(line.size() <= static_cast<std::size_t>(kFormatWidth));
}

TEST_CASE("comments stay where they were") {
    const std::string text = R"(# leading the file

# leading the policy
policy p {  # trails the policy line
  # leads the title
  title "T"   # trails the title
  status in_force
  use sets from "g.yaml"  # trails the use

  # leads the let, after a blank line

  let a = x    # trails the let
  let b = x and # inside the let's expression
          y
  # leads the rule
  rule r { # trails the rule line
    # leads the when clause
    deny when a # trails the when
    # leads unless
    unless b
    because "m {x}"  # trails because
    # before the closing brace of the rule
  } # trails the rule's brace
  # before the policy's closing brace
}  # trails the policy's brace
# after everything
)";
    const std::string expected = R"(# leading the file

# leading the policy
policy p {  # trails the policy line
  # leads the title
  title     "T"  # trails the title
  status    in_force

  use sets from "g.yaml"  # trails the use

  # leads the let, after a blank line

  let a = x  # trails the let

  let b =
        # inside the let's expression
        x and y

  # leads the rule
  rule r {  # trails the rule line
    # leads the when clause
    deny when a  # trails the when
    # leads unless
    unless b
    because "m {x}"  # trails because
    # before the closing brace of the rule
  }  # trails the rule's brace
  # before the policy's closing brace
}  # trails the policy's brace
# after everything
)";
    CHECK(check_guarantees(text) == expected);
}

TEST_CASE("a comment inside a multi-line condition moves before its clause, never dropped") {
    const std::string text = R"(policy p {
  rule r {
    deny when a   # first part
          and b   # second part
          # own line inside
          and c   # last part
    unless d or  # inside unless
       e
    because "m"
  }
}
)";
    const std::string expected = R"(policy p {
  rule r {
    # first part
    # second part
    # own line inside
    deny when a and b and c  # last part
    # inside unless
    unless d or e
    because "m"
  }
}
)";
    CHECK(check_guarantees(text) == expected);
}

TEST_CASE("comments inside a policy, rule or let line stay inside it (lint: allow applies there)") {
    const std::string text = R"(policy p # inside the policy line
{
  rule r # inside the rule line
  { deny when a because "m" }
  let b = # lint: allow W0002
     x
}
)";
    const std::string expected = R"(policy p {
  # inside the policy line

  rule r {
    # inside the rule line
    deny when a
    because "m"
  }

  let b =
        # lint: allow W0002
        x
}
)";
    CHECK(check_guarantees(text) == expected);
}

TEST_CASE("header comments line up in one column") {
    const std::string text = R"(policy p {
  status in_force # s
  effective 2023-11-17 # e
  title "A title"
  use sets from "a.yaml" # one
  use table chips from "c.yaml" # two
}
)";
    const std::string expected = R"(policy p {
  title     "A title"
  status    in_force    # s
  effective 2023-11-17  # e

  use sets        from "a.yaml"  # one
  use table chips from "c.yaml"  # two
}
)";
    CHECK(check_guarantees(text) == expected);
}

TEST_CASE("messages are printed as written") {
    const std::string text =
        "policy p { rule r { deny when a because \"{customer.name}  has {{braces}}, \\\"quotes\\\" and {x + 1}\" } }\n";
    const std::string out = check_guarantees(text);
    CHECK(out.find("    because \"{customer.name}  has {{braces}}, \\\"quotes\\\" and {x + 1}\"\n") != std::string::npos);
}

TEST_CASE("random expressions: same tree after formatting, and idempotent") {
    std::mt19937 rng(20241118);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    // Fully parenthesised random expressions: the formatter must drop exactly the
    // parentheses the tree does not need.
    std::function<std::string(int)> gen = [&](int depth) -> std::string {
        if (depth <= 0 || pick(5) == 0) {
            switch (pick(6)) {
                case 0: return "a";
                case 1: return "b.c";
                case 2: return "4_800";
                case 3: return "\"s\"";
                case 4: return "true";
                default: return "1e26";
            }
        }
        const std::string x = gen(depth - 1);
        switch (pick(16)) {
            case 0: return "(" + x + " and " + gen(depth - 1) + ")";
            case 1: return "(" + x + " or " + gen(depth - 1) + ")";
            case 2: return "(not " + x + ")";
            case 3: return "(" + x + " == " + gen(depth - 1) + ")";
            case 4: return "(" + x + " < " + gen(depth - 1) + ")";
            case 5: return "(" + x + " in " + gen(depth - 1) + ")";
            case 6: return "(has " + std::string(pick(2) ? "a.b" : "(b.c)") + ")";
            case 7: return "(" + x + " + " + gen(depth - 1) + ")";
            case 8: return "(" + x + " - " + gen(depth - 1) + ")";
            case 9: return "(" + x + " * " + gen(depth - 1) + ")";
            case 10: return "(" + x + " / " + gen(depth - 1) + ")";
            case 11: return "(-" + x + ")";
            case 12: return "(any p in L: " + x + ")";
            case 13: return "(if " + x + " then " + gen(depth - 1) + " else " + gen(depth - 1) + ")";
            case 14: return "(" + x + ").f";
            default: return "f(" + x + ", " + gen(depth - 1) + ")";
        }
    };
    for (int i = 0; i < 400; ++i) {
        const std::string e = gen(6);
        CAPTURE(e);
        check_guarantees("policy p {\n  let x = " + e + "\n  rule r { deny when " + e + " unless " + e +
                         " because \"m\" }\n}\n");
    }
}

TEST_CASE("comments anywhere in the shipped policies: kept, meaning unchanged, idempotent") {
    std::mt19937 rng(7);
    for (const auto& path : shipped_policy_files()) {
        CAPTURE(path.string());
        const std::string text = read_file(path);
        // Blanks outside strings and comments: a comment may go at any of them.
        std::vector<std::size_t> spots;
        bool in_string = false, in_comment = false;
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char c = text[i];
            if (in_comment) {
                in_comment = c != '\n';
            } else if (in_string) {
                if (c == '\\') ++i;
                else if (c == '"') in_string = false;
            } else if (c == '"') {
                in_string = true;
            } else if (c == '#') {
                in_comment = true;
            } else if (c == ' ' || c == '\n') {
                spots.push_back(i);
            }
        }
        for (int trial = 0; trial < 25; ++trial) {
            std::vector<std::size_t> at;
            for (int k = 0; k < 4; ++k) at.push_back(spots[rng() % spots.size()]);
            std::sort(at.begin(), at.end(), std::greater<>());
            std::string t = text;
            for (std::size_t k = 0; k < at.size(); ++k) t.insert(at[k], " # note " + std::to_string(k) + "\n");
            CAPTURE(t);
            check_guarantees(t);
        }
    }
}

TEST_CASE("unified diff") {
    CHECK(unified_diff("a\n", "a\n", "x", "y") == "");
    CHECK(unified_diff("a\nb\nc\n", "a\nB\nc\n", "x", "y") == "--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
    CHECK(unified_diff("", "a\n", "x", "y") == "--- x\n+++ y\n@@ -0,0 +1 @@\n+a\n");
    CHECK(unified_diff("a", "a\n", "x", "y") == "--- x\n+++ y\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n");
    // Two changes far apart make two hunks with three lines of context each.
    std::string a, b;
    for (int i = 1; i <= 20; ++i) {
        a += std::to_string(i) + "\n";
        b += (i == 2 || i == 18 ? "x" : std::to_string(i)) + "\n";
    }
    CHECK(unified_diff(a, b, "x", "y") ==
          "--- x\n+++ y\n@@ -1,5 +1,5 @@\n 1\n-2\n+x\n 3\n 4\n 5\n@@ -15,6 +15,6 @@\n 15\n 16\n 17\n-18\n+x\n 19\n 20\n");
}

}  // TEST_SUITE
