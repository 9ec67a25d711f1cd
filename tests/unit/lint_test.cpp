// Lint warnings W0001..W0007: each fires on a minimal rule file, with its code, message
// and line:col, and does not fire on the corrected file.
#include "support.hpp"
#include "cordon/dsl/lint.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

struct Warning {
    std::string code;
    std::string at;  // "line:col"
    std::string message;
    std::string hint;
};

/// Loads rules that must load; returns the warnings in order.
std::vector<Warning> warnings(const std::string& rules, std::map<std::string, std::string> extra = {}) {
    auto l = load_rules(rules, std::move(extra));
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    std::vector<Warning> out;
    for (const auto& d : l.result.diagnostics.items()) {
        if (d.severity != Severity::Warning) continue;
        const auto lc = l.result.sources->line_col(d.span.file, d.span.begin);
        out.push_back({d.code, std::to_string(lc.line) + ":" + std::to_string(lc.column), d.message, d.hint});
    }
    return out;
}

/// "CODE@line:col" of each warning, space-separated: compact to compare.
std::string where(const std::vector<Warning>& ws) {
    std::string s;
    for (const auto& w : ws) s += (s.empty() ? "" : " ") + w.code + "@" + w.at;
    return s;
}

/// A one-policy file: `body` is indented rule and let text.
std::string policy(const std::string& body, const std::string& header = "") {
    return "policy t {\n  status in_force\n" + header + body + "}\n";
}

/// A rule with a cite, so that only the warning under test fires.
std::string rule(const std::string& name, const std::string& condition) {
    return "  rule " + name + " { deny when " + condition + " because \"x\" cite \"c\" }\n";
}

const char* kOptionalListSchema = R"(customer:
  name: string
  foreign: bool
  owners:
    - { name: string, share: number? }
intermediaries:
  - { name: string, country: country, verified: bool? }
resource: { tpp: number? }
)";

}  // namespace

TEST_CASE("lint: a clean file has no warnings") {
    CHECK(where(warnings(policy(rule("r", "customer.foreign")))) == "");
}

TEST_CASE("W0001: a rule without cite, at the rule name") {
    auto ws = warnings(policy("  rule no_cite { deny when customer.foreign because \"x\" }\n"));
    REQUIRE(ws.size() == 1);
    CHECK(ws[0].code == "W0001");
    CHECK(ws[0].at == "3:8");
    CHECK(ws[0].message == "rule `t.no_cite` has no `cite`");
    CHECK(ws[0].hint == "add `cite \"...\"` naming the provision the rule implements; decisions quote it");

    ws = warnings(policy("  rule blank { deny when customer.foreign because \"x\" cite \"  \" }\n"));
    REQUIRE(ws.size() == 1);
    CHECK(ws[0].message == "rule `t.blank` has an empty `cite`");

    CHECK(where(warnings(policy("  rule ok { deny when customer.foreign because \"x\" cite \"15 CFR 744\" }\n"))) ==
          "");
}

TEST_CASE("W0002: unused lets, with or without parameters") {
    auto ws = warnings(policy("  let unused = customer.foreign\n"
                              "  let f(c) = c == \"CN\"\n" +
                              rule("r", "true")));
    REQUIRE(ws.size() == 2);
    CHECK(where(ws) == "W0002@3:7 W0002@4:7");
    CHECK(ws[0].message == "let `unused` is never used");
    CHECK(ws[0].hint == "remove it, or use it in a rule of policy t");
    CHECK(ws[1].message == "function `f` is never used");

    // Used in `when`, in `unless`, in a message hole, through another let, through a call.
    CHECK(where(warnings(policy("  let a = customer.foreign\n"
                                "  let b = a\n"
                                "  let u = customer.identity_verified\n"
                                "  let n = customer.name\n"
                                "  let f(c) = c == \"CN\"\n"
                                "  rule r { deny when b and f(customer.country) unless u because \"{n}\" cite \"c\" }\n"))) ==
          "");

    // A let used only by an unused let is unused too.
    ws = warnings(policy("  let a = customer.foreign\n"
                         "  let b = a and true\n" +
                         rule("r", "true")));
    CHECK(where(ws) == "W0002@3:7 W0002@4:7");
    CHECK(ws[0].message == "let `a` is used only by unused let `b`");
    CHECK(ws[1].message == "let `b` is never used");

    // A quantifier variable or a parameter of the same name is not a use.
    ws = warnings(policy("  let p = true\n"
                         "  let g(p) = p == \"CN\"\n" +
                         rule("r", "any p in intermediaries: g(p.country)")));
    CHECK(where(ws) == "W0002@3:7");
}

TEST_CASE("W0003: effective on or after sunset") {
    auto ws = warnings(policy(rule("r", "true"), "  effective 2025-01-01\n  sunset 2024-01-01\n"));
    REQUIRE(ws.size() == 1);
    CHECK(ws[0].code == "W0003");
    CHECK(ws[0].at == "4:10");  // the sunset date
    CHECK(ws[0].message ==
          "policy `t` takes effect on 2025-01-01, after its sunset 2024-01-01: its rules can never be active");

    ws = warnings(policy(rule("r", "true"), "  effective 2024-01-01\n  sunset 2024-01-01\n"));
    REQUIRE(ws.size() == 1);
    CHECK(ws[0].message ==
          "policy `t` takes effect on 2024-01-01, the day of its sunset 2024-01-01: its rules can never be active");

    CHECK(where(warnings(policy(rule("r", "true"), "  effective 2024-01-01\n  sunset 2025-01-01\n"))) == "");
}

TEST_CASE("W0004: dates that are never realistic evaluation dates") {
    auto ws = warnings(policy(rule("r", "true"), "  sunset 1985-06-01\n"));
    REQUIRE(ws.size() == 1);
    CHECK(ws[0].code == "W0004");
    CHECK(ws[0].at == "3:10");
    CHECK(ws[0].message == "policy `t` ends on 1985-06-01, before 1990-01-01: it is never active on a realistic date");

    ws = warnings(policy(rule("r", "true"), "  effective 2205-01-01\n"));
    REQUIRE(ws.size() == 1);
    CHECK(ws[0].code == "W0004");
    CHECK(ws[0].message ==
          "policy `t` takes effect on 2205-01-01, after 2200-01-01: it is never active on a realistic date");

    // W0003 covers an empty interval; W0004 does not repeat it.
    CHECK(where(warnings(policy(rule("r", "true"), "  effective 2205-01-01\n  sunset 1985-01-01\n"))) == "W0003@4:10");
    CHECK(where(warnings(policy(rule("r", "true"), "  effective 2025-01-01\n  sunset 2199-12-31\n"))) == "");
}

TEST_CASE("W0005: an optional attribute read without has") {
    auto ws = warnings(policy(rule("r", "resource.tpp >= 4800")));
    REQUIRE(ws.size() == 1);
    CHECK(ws[0].code == "W0005");
    CHECK(ws[0].at == "3:22");
    CHECK(ws[0].message == "rule `t.r` reads optional attribute `resource.tpp` without a `has` guard");
    CHECK(ws[0].hint ==
          "write `has resource.tpp and ...`, or the rule fails closed (deny) when resource.tpp is absent");

    // Once per rule and attribute, at the first read.
    CHECK(where(warnings(policy(rule("r", "resource.tpp > 1 or resource.tpp < 0")))) == "W0005@3:22");
    // `or` does not guard; a guard of another attribute does not either.
    CHECK(where(warnings(policy(rule("r", "has resource.tpp or resource.tpp > 5")))) == "W0005@3:42");
    CHECK(where(warnings(policy(rule("r", "has resource.count and resource.tpp > 5")))) == "W0005@3:45");
    // Non-optional attributes need no guard.
    CHECK(where(warnings(policy(rule("r", "customer.hq_country == \"CN\"")))) == "");
}

TEST_CASE("W0005: the guards that silence it") {
    for (const char* guarded : {
             "has resource.tpp and resource.tpp >= 4800",
             "(has resource.tpp and customer.foreign) and resource.tpp >= 4800",
             "has resource.tpp and (customer.foreign and resource.tpp >= 4800)",
             // Kleene `and`: `error and false` is false, so the guard may come second.
             "resource.tpp >= 4800 and has resource.tpp",
             "not has resource.tpp or resource.tpp < 100",
             "if has resource.tpp then resource.tpp >= 4800 else false",
             "if not has resource.tpp then false else resource.tpp >= 4800",
             "not (has resource.tpp and resource.tpp < 100) and has resource.tpp",
         }) {
        INFO(guarded);
        CHECK(where(warnings(policy(rule("r", guarded)))) == "");
    }
    // `unless` runs only when `when` held.
    CHECK(where(warnings(policy("  rule r { deny when has resource.tpp unless resource.tpp < 100 because \"x\" "
                                "cite \"c\" }\n"))) == "");
    CHECK(where(warnings(policy("  rule r { deny when customer.foreign unless resource.tpp < 100 because \"x\" "
                                "cite \"c\" }\n"))) == "W0005@3:46");
}

TEST_CASE("W0005: reads through lets") {
    // A shared let is reported at the let, once, when some rule uses it unguarded.
    auto ws = warnings(policy("  let big = resource.tpp >= 4800\n" + rule("r", "big")));
    REQUIRE(ws.size() == 1);
    CHECK(ws[0].at == "3:13");
    CHECK(ws[0].message == "let `t.big` reads optional attribute `resource.tpp` without a `has` guard, and rule "
                           "`t.r` uses it unguarded");
    // Guarded where it is used, or inside the let: no warning.
    CHECK(where(warnings(policy("  let big = resource.tpp >= 4800\n" + rule("r", "has resource.tpp and big")))) == "");
    CHECK(where(warnings(policy("  let big = has resource.tpp and resource.tpp >= 4800\n" + rule("r", "big")))) == "");
    // A guard held in a let counts where the let is used.
    CHECK(where(warnings(policy("  let known = has resource.tpp\n" + rule("r", "known and resource.tpp > 5")))) == "");
    // A parameterised let is inlined: the read is the rule's.
    ws = warnings(policy("  let at_least(x, n) = x >= n\n" + rule("r", "at_least(resource.tpp, 4800)")));
    REQUIRE(ws.size() == 1);
    CHECK(ws[0].message == "rule `t.r` reads optional attribute `resource.tpp` without a `has` guard");
    CHECK(ws[0].at == "4:31");  // the argument, not the parameter in the function's body
    CHECK(where(warnings(policy("  let at_least(x, n) = x >= n\n" +
                                rule("r", "has resource.tpp and at_least(resource.tpp, 4800)")))) == "");
}

TEST_CASE("W0005: quantifier elements and sums") {
    const std::map<std::string, std::string> schema = {{"schema.yaml", kOptionalListSchema}};
    auto ws = warnings(policy(rule("r", "any p in intermediaries: p.verified")), schema);
    REQUIRE(ws.size() == 1);
    CHECK(ws[0].at == "3:47");
    CHECK(ws[0].message == "rule `t.r` reads optional attribute `intermediaries[].verified` without a `has` guard");
    CHECK(ws[0].hint ==
          "write `has p.verified and ...`, or the rule fails closed (deny) when p.verified is absent");
    CHECK(where(warnings(policy(rule("r", "any p in intermediaries: has p.verified and p.verified")), schema)) == "");
    CHECK(where(warnings(policy(rule("r", "any p in intermediaries: not (has p.verified and p.verified)")), schema)) ==
          "");
    // The summand runs only where the condition held.
    CHECK(where(warnings(policy(rule("r", "sum(o in customer.owners where has o.share: o.share) > 0.5")), schema)) ==
          "");
    CHECK(where(warnings(policy(rule("r", "sum(o in customer.owners where true: o.share) > 0.5")), schema)) ==
          "W0005@3:59");
}

TEST_CASE("W0005: the hint follows on_error") {
    auto ws = warnings(policy(rule("r", "resource.tpp >= 4800")),
                       {{"cordon.yaml", "name: test\nschema: schema.yaml\ndefault: allow\non_error: skip\n"}});
    REQUIRE(ws.size() == 1);
    CHECK(ws[0].hint == "write `has resource.tpp and ...`, or the rule is an error (skipped, on_error: skip) when "
                        "resource.tpp is absent");
}

TEST_CASE("W0006: a threshold 10x off every other use of the attribute") {
    const std::string a = rule("a", "has workload.training_ops and workload.training_ops > 1e26");
    const std::string b = rule("b", "has workload.training_ops and workload.training_ops >= 1e26");
    const std::string c = rule("c", "has workload.training_ops and workload.training_ops > 1e25");
    auto ws = warnings(policy(a + b + c));
    REQUIRE(ws.size() == 1);
    CHECK(ws[0].code == "W0006");
    CHECK(ws[0].at == "5:76");
    CHECK(ws[0].message == "`workload.training_ops` is compared with 1e25 here, but with 1e26 in 2 other places: a "
                           "factor of 10 apart, a likely typo");
    // Corrected.
    CHECK(where(warnings(policy(a + b + rule("c", "has workload.training_ops and workload.training_ops > 1e26")))) ==
          "");
    // 1000x apart is deliberate (EO 14110: 1e26, or 1e23 for biological data).
    CHECK(where(warnings(policy(a + b + rule("c", "has workload.training_ops and workload.training_ops > 1e23")))) ==
          "");
    // One use each: no majority, no warning.
    CHECK(where(warnings(policy(a + c))) == "");
    // Other thresholds within 10x: not isolated.
    CHECK(where(warnings(policy(a + b + c + rule("d", "has workload.training_ops and workload.training_ops > 3e25")))) ==
          "");
}

TEST_CASE("W0007: an allow rule under default: allow") {
    const std::string r = "  rule ok { allow when customer.identity_verified because \"x\" cite \"c\" }\n";
    auto ws = warnings(policy(r));
    REQUIRE(ws.size() == 1);
    CHECK(ws[0].code == "W0007");
    CHECK(ws[0].at == "3:8");
    CHECK(ws[0].message == "allow rule `t.ok` can never change a decision: the manifest says `default: allow`");
    CHECK(where(warnings(policy(r), {{"cordon.yaml", "name: test\nschema: schema.yaml\ndefault: deny\n"}})) == "");
}

TEST_CASE("lint: `# lint: allow CODE` comments") {
    // Inside the rule: silences that code for that rule only.
    auto ws = warnings(policy("  rule r {\n    # lint: allow W0005 (fails closed on purpose)\n"
                              "    deny when resource.tpp > 1 because \"x\" cite \"c\" }\n" +
                              rule("s", "resource.tpp > 1")));
    CHECK(where(ws) == "W0005@6:22");
    // Another code does not silence it; several codes may be listed.
    CHECK(where(warnings(policy("  rule r {\n    # lint: allow W0001\n"
                                "    deny when resource.tpp > 1 because \"x\" cite \"c\" }\n"))) == "W0005@5:15");
    CHECK(where(warnings(policy("  rule r {\n    # lint: allow W0001, W0005\n"
                                "    deny when resource.tpp > 1 because \"x\" }\n"))) == "");
    // Inside the policy but outside any rule: the whole policy.
    CHECK(where(warnings(policy("  # lint: allow W0001\n  rule r { deny when true because \"x\" }\n"
                                "  rule s { deny when true because \"x\" }\n"))) == "");
    // Not a directive.
    CHECK(where(warnings(policy("  # lint allow W0001\n  rule r { deny when true because \"x\" }\n"))) ==
          "W0001@4:8");
}

TEST_CASE("lint: warnings do not stop loading or evaluation") {
    auto l = load_rules(policy("  rule r { deny when resource.tpp >= 4800 because \"x\" }\n"));
    REQUIRE(l.ok());
    CHECK(!l.result.diagnostics.has_errors());
    CHECK(l.result.diagnostics.items().size() == 2);
    CHECK(decide(*l.result.set, R"({"customer": {"name": "a", "country": "US", "hq_country": "US", "foreign": false,
        "identity_verified": true}, "resource": {"chip": "H100-SXM", "tpp": 5000}, "license": {"granted": false},
        "workload": {"kind": "inference"}})").verdict == "deny");
}
