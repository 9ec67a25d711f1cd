// Every checker error: the code, the message, the hint and where the caret points.
#include "support.hpp"
#include "cordon/dsl/check.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

// Loads rules that must fail; returns the first diagnostic, with its line:col.
struct Failure {
    std::string code, message, hint, rendered;
    int line = 0, column = 0;
};

Failure fail(const std::string& rules, std::map<std::string, std::string> extra = {}) {
    auto l = load_rules(rules, std::move(extra));
    Failure f;
    f.rendered = l.rendered;
    REQUIRE_MESSAGE(!l.ok(), "expected the policy set to be rejected");
    REQUIRE(!l.result.diagnostics.items().empty());
    const auto& d = l.result.diagnostics.items().front();
    f.code = d.code;
    f.message = d.message;
    f.hint = d.hint;
    const auto lc = l.result.sources->line_col(d.span.file, d.span.begin);
    f.line = lc.line;
    f.column = lc.column;
    return f;
}

const char* kHead = "policy t {\n  status in_force\n  use sets from \"data/groups.yaml\"\n";

}  // namespace

TEST_CASE("unknown attribute: did you mean, with a caret at the path") {
    auto f = fail(std::string(kHead) + "  rule r { deny when customer.hq_contry in D5 because \"x\" }\n}\n");
    CHECK(f.code == diag::kUnknownAttribute);
    CHECK(f.message == "unknown attribute `customer.hq_contry`");
    CHECK(f.hint == "did you mean `customer.hq_country`?");
    CHECK(f.line == 4);
    CHECK(f.column == 22);
    CHECK(f.rendered.find("rules.cordon:4:22: error[E0202]: unknown attribute `customer.hq_contry`") != std::string::npos);
    CHECK(f.rendered.find("^~~~~~~~~~~~~~~~~~") != std::string::npos);
}

TEST_CASE("unknown name: suggests sets, lets and schema roots") {
    auto f = fail(std::string(kHead) + "  rule r { deny when customer.country in D5x because \"x\" }\n}\n");
    CHECK(f.code == diag::kUnknownName);
    CHECK(f.message == "unknown name `D5x`");
    CHECK(f.hint == "did you mean `D5`?");
}

TEST_CASE("element fields are checked against the list's record") {
    auto f = fail(std::string(kHead) + "  rule r { deny when any p in intermediaries: p.contry in D5 because \"x\" }\n}\n");
    CHECK(f.code == diag::kUnknownAttribute);
    CHECK(f.message == "elements of `intermediaries` have no field `contry`");
    CHECK(f.hint == "did you mean `country`?");
}

TEST_CASE("type errors name both types") {
    SUBCASE("comparing a number with a string") {
        auto f = fail(std::string(kHead) + "  rule r { deny when resource.tpp >= \"4800\" because \"x\" }\n}\n");
        CHECK(f.code == diag::kTypeMismatch);
        CHECK(f.message == "cannot compare a number with a string using `>=`");
    }
    SUBCASE("when must be a bool") {
        auto f = fail(std::string(kHead) + "  rule r { deny when resource.tpp because \"x\" }\n}\n");
        CHECK(f.code == diag::kTypeMismatch);
        CHECK(f.message == "the `when` condition must be a bool, but `resource.tpp` is a number");
    }
    SUBCASE("arithmetic on strings") {
        auto f = fail(std::string(kHead) + "  rule r { deny when customer.name + 1 > 2 because \"x\" }\n}\n");
        CHECK(f.message == "an operand of arithmetic must be a number, but `customer.name` is a string");
    }
    SUBCASE("if branches of different types") {
        auto f = fail(std::string(kHead) + "  rule r { deny when (if license.granted then 1 else \"a\") == 1 because \"x\" }\n}\n");
        CHECK(f.message == "the branches of `if` differ in type: `then` is a number, `else` is a string");
    }
    SUBCASE("a record used as a value") {
        auto f = fail(std::string(kHead) + "  rule r { deny when customer == \"x\" because \"x\" }\n}\n");
        CHECK(f.message == "`customer` is a record, not a value");
    }
    SUBCASE("in needs a set, table or list of strings") {
        auto f = fail(std::string(kHead) + "  rule r { deny when customer.country in intermediaries because \"x\" }\n}\n");
        CHECK(f.message == "`intermediaries` is a list of records; `in` needs a list of strings");
    }
    SUBCASE("quantifiers need a list") {
        auto f = fail(std::string(kHead) + "  rule r { deny when any p in customer.name: true because \"x\" }\n}\n");
        CHECK(f.code == diag::kNotAList);
    }
    SUBCASE("has needs an attribute") {
        auto f = fail(std::string(kHead) + "  rule r { deny when has D5 because \"x\" }\n}\n");
        CHECK(f.message == "`has` needs an attribute, but `D5` is not one");
    }
}

TEST_CASE("enum and country literals are checked against the schema") {
    auto f = fail(std::string(kHead) + "  rule r { deny when workload.kind == \"trainning\" because \"x\" }\n}\n");
    CHECK(f.code == diag::kBadEnumValue);
    CHECK(f.message == "\"trainning\" is not a value of `workload.kind`");
    CHECK(f.hint == "did you mean \"training\"?");
    auto c = fail(std::string(kHead) + "  rule r { deny when customer.country in {\"CN\", \"China\"} because \"x\" }\n}\n");
    CHECK(c.code == diag::kBadEnumValue);
    CHECK(c.message.find("\"China\" is not an ISO 3166-1 alpha-2 country code") == 0);
}

TEST_CASE("let cycles are errors naming the cycle") {
    auto f = fail(std::string(kHead) + "  let a = b\n  let b = a\n  rule r { deny when a because \"x\" }\n}\n");
    CHECK(f.code == diag::kLetCycle);
    CHECK(f.message == "`a` depends on itself: a -> b -> a");
    auto g = fail(std::string(kHead) + "  let f(x) = f(x)\n  rule r { deny when f(1) because \"x\" }\n}\n");
    CHECK(g.code == diag::kLetCycle);
    CHECK(g.message == "`f` calls itself: f -> f");
}

TEST_CASE("calls: arity, unknown function, let used without its arguments") {
    auto f = fail(std::string(kHead) + "  let d5(c) = c in D5\n  rule r { deny when d5(customer.country, 1) because \"x\" }\n}\n");
    CHECK(f.code == diag::kArity);
    CHECK(f.message == "`d5` takes 1 argument, given 2");
    auto g = fail(std::string(kHead) + "  let d5(c) = c in D5\n  rule r { deny when d6(customer.country) because \"x\" }\n}\n");
    CHECK(g.message == "unknown function `d6`");
    CHECK(g.hint == "did you mean `d5`?");
    auto h = fail(std::string(kHead) + "  let d5(c) = c in D5\n  rule r { deny when d5 because \"x\" }\n}\n");
    CHECK(h.message == "`d5` takes 1 argument");
}

TEST_CASE("duplicates: policy.rule names, lets, policies") {
    auto f = fail(std::string(kHead) + "  rule r { deny when true because \"x\" }\n  rule r { deny when true because \"y\" }\n}\n");
    CHECK(f.code == diag::kDuplicate);
    CHECK(f.message == "rule `t.r` is defined twice");
    CHECK(f.line == 5);
    auto g = fail(std::string(kHead) + "  rule r { deny when true because \"x\" }\n}\n",
                  {{"other.cordon", "policy t {\n  status in_force\n}\n"}});
    CHECK(g.message == "policy `t` is defined twice");
    auto h = fail(std::string(kHead) + "  let D5 = true\n  rule r { deny when D5 because \"x\" }\n}\n");
    CHECK(h.message == "`D5` is already the name of a set");
}

TEST_CASE("status is required and must be known") {
    auto f = fail("policy t {\n  rule r { deny when true because \"x\" }\n}\n");
    CHECK(f.code == diag::kBadStatus);
    CHECK(f.message == "policy `t` has no status");
    auto g = fail("policy t {\n  status enforced\n  rule r { deny when true because \"x\" }\n}\n");
    CHECK(g.message == "unknown status `enforced`");
}

TEST_CASE("to ... within belongs to report rules") {
    auto f = fail(std::string(kHead) + "  rule r { deny when true to \"BIS\" within 15 days because \"x\" }\n}\n");
    CHECK(f.message.find("deny rule r") != std::string::npos);
}

TEST_CASE("a missing data file is an error at the use clause") {
    auto l = load_rules("policy t {\n  status in_force\n  use sets from \"data/nope.yaml\"\n  rule r { deny when true because \"x\" }\n}\n");
    REQUIRE(!l.ok());
    CHECK(l.rendered.find("cannot use sets from \"data/nope.yaml\"") != std::string::npos);
}

TEST_CASE("the checker keeps going: several errors in one run") {
    auto l = load_rules(std::string(kHead) +
                        "  rule a { deny when customer.hq_contry in D5 because \"x\" }\n"
                        "  rule b { deny when resource.tpp >= \"1\" because \"x\" }\n}\n");
    REQUIRE(!l.ok());
    CHECK(l.result.diagnostics.error_count() == 2);
}

TEST_CASE("the digest ignores layout and comments but not meaning") {
    const std::string a = std::string(kHead) + "  rule r { deny when customer.country in D5 because \"x\" cite \"c\" }\n}\n";
    const std::string b = "# a comment\n" + std::string(kHead) +
                          "  rule r {\n    deny when customer.country in D5\n    because \"x\"\n    cite \"c\"\n  }\n}\n";
    const std::string c = std::string(kHead) + "  rule r { deny when customer.country in D1 because \"x\" cite \"c\" }\n}\n";
    auto la = load_rules(a), lb = load_rules(b), lc = load_rules(c);
    REQUIRE(la.ok());
    REQUIRE(lb.ok());
    REQUIRE(lc.ok());
    CHECK(la.result.set->digest() == lb.result.set->digest());
    CHECK(la.result.set->digest() != lc.result.set->digest());
}

TEST_CASE("sha256 of known vectors") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex(std::string(1000, 'a')) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}
