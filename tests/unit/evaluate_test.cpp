// The decision rules of LANGUAGE.md as truth tables: effects, default, unless, dates,
// statuses, short-circuit, quantifiers, aggregates, lookups and fail-closed errors.
#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

// A request with the given customer country and owners/intermediaries JSON fragments.
std::string req(const std::string& country, const std::string& intermediaries = "[]",
                const std::string& owners = "[]", const std::string& extra = "") {
    return R"({"customer": {"name": "C", "country": ")" + country + R"(", "hq_country": ")" + country +
           R"(", "foreign": true, "identity_verified": false, "owners": )" + owners +
           R"(}, "intermediaries": )" + intermediaries +
           R"(, "resource": {"chip": "H100-SXM", "tpp": 15832}, "license": {"granted": false})" + extra + "}";
}

std::string header(const char* status = "in_force") {
    return std::string("policy t {\n  status ") + status + "\n  use sets from \"data/groups.yaml\"\n";
}

}  // namespace

TEST_CASE("deny beats report beats allow; no rule fired is allow under default: allow") {
    auto l = load_rules(header() + R"(
  rule d { deny when customer.country == "CN" because "d" cite "c" }
  rule r { report when customer.foreign to "BIS" within 15 days because "r" cite "c" }
}
)");
    INFO(l.rendered);
    REQUIRE(l.ok());
    CHECK(decide(*l.result.set, req("CN")).verdict == "deny");
    CHECK(decide(*l.result.set, req("CN")).fired == Ids{"t.d", "t.r"});
    CHECK(decide(*l.result.set, req("DE")).verdict == "report");
}

TEST_CASE("default: deny denies unless an allow rule fires") {
    auto l = load_rules(header() + R"(
  rule ok { allow when customer.country in {"DE", "JP"} because "allied" cite "c" }
  rule r { report when customer.country == "JP" because "r" cite "c" }
}
)", {{"cordon.yaml", "name: t\ndefault: deny\n"}});
    INFO(l.rendered);
    REQUIRE(l.ok());
    CHECK(decide(*l.result.set, req("DE")).verdict == "allow");
    CHECK(decide(*l.result.set, req("JP")).verdict == "report");
    CHECK(decide(*l.result.set, req("BR")).verdict == "deny");
}

TEST_CASE("unless exempts; an error in unless fails closed") {
    auto l = load_rules(header() + R"(
  rule d { deny when customer.country in D5 unless license.granted because "d" cite "c" }
}
)");
    REQUIRE(l.ok());
    CHECK(decide(*l.result.set, req("CN")).verdict == "deny");
    const auto licensed = R"({"customer": {"name": "C", "country": "CN", "hq_country": "CN", "foreign": true,
        "identity_verified": true}, "license": {"granted": true}})";
    CHECK(decide(*l.result.set, licensed).verdict == "allow");
    const auto no_license = R"({"customer": {"name": "C", "country": "CN", "hq_country": "CN", "foreign": true,
        "identity_verified": true}})";
    auto o = decide(*l.result.set, no_license);
    CHECK(o.verdict == "deny");
    CHECK(o.errors == Ids{"t.d"});
    CHECK(o.fired.empty());
}

TEST_CASE("statuses: only in_force runs unless included; rescinded only when named") {
    auto l = load_rules(header("proposed") + R"(
  rule p { deny when customer.country == "CN" because "p" cite "c" }
}
policy old {
  status rescinded
  rule x { deny when customer.country == "DE" because "x" cite "c" }
}
)");
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& s = *l.result.set;
    CHECK(decide(s, req("CN")).verdict == "allow");
    CHECK(decide(s, req("CN"), "2024-11-18", {Status::Proposed}).verdict == "deny");
    CHECK(decide(s, req("DE"), "2024-11-18", {Status::Proposed, Status::Bill}).verdict == "allow");
    CHECK(decide(s, req("DE"), "2024-11-18", {Status::Rescinded}).verdict == "deny");
}

TEST_CASE("effective <= as_of < sunset, on the boundary days; a request's time wins over --as-of") {
    auto l = load_rules(R"(
policy t {
  status in_force
  effective 2025-01-15
  sunset 2025-05-13
  rule d { deny when customer.country == "CN" because "d" cite "c" }
}
)");
    REQUIRE(l.ok());
    const auto& s = *l.result.set;
    CHECK(decide(s, req("CN"), "2025-01-14").verdict == "allow");
    CHECK(decide(s, req("CN"), "2025-01-15").verdict == "deny");
    CHECK(decide(s, req("CN"), "2025-05-12").verdict == "deny");
    CHECK(decide(s, req("CN"), "2025-05-13").verdict == "allow");
    CHECK(decide(s, req("CN", "[]", "[]", R"(, "time": "2025-02-01T23:30:00-05:00")"), "2026-01-01").verdict == "deny");
    CHECK(decide(s, req("CN", "[]", "[]", R"(, "time": "2025-05-12T23:30:00-05:00")"), "2025-02-01").verdict == "allow");
}

TEST_CASE("short-circuit and Kleene logic: false absorbs an error in and, true in or") {
    auto l = load_rules(header() + R"(
  rule a { deny when has customer.parent_hq_country and customer.parent_hq_country in D5 because "a" cite "c" }
  rule b { deny when customer.parent_hq_country in D5 and customer.country == "XX" because "b" cite "c" }
  rule c { deny when customer.country == "CN" or customer.parent_hq_country in D5 because "c" cite "c" }
  rule e { deny when customer.parent_hq_country in D5 because "e" cite "c" }
}
)");
    INFO(l.rendered);
    REQUIRE(l.ok());
    auto o = decide(*l.result.set, req("CN"));
    CHECK(o.fired == Ids{"t.c"});
    CHECK(o.errors == Ids{"t.e"});
    CHECK(o.verdict == "deny");
    auto de = decide(*l.result.set, req("DE"));
    CHECK(de.fired.empty());
    CHECK(de.errors == Ids{"t.c", "t.e"});
}

TEST_CASE("on_error: skip records the error but does not deny") {
    auto l = load_rules(header() + R"(
  rule e { deny when customer.parent_hq_country in D5 because "e" cite "c" }
}
)", {{"cordon.yaml", "name: t\non_error: skip\n"}});
    REQUIRE(l.ok());
    auto o = decide(*l.result.set, req("DE"));
    CHECK(o.verdict == "allow");
    CHECK(o.errors == Ids{"t.e"});
}

TEST_CASE("quantifiers over 0, 1 and many elements; empty all is true") {
    auto l = load_rules(header() + R"(
  rule any_d5 { deny when any p in intermediaries: p.country in D5 because "any" cite "c" }
  rule all_resellers { report when all p in intermediaries: p.role == "reseller" because "all" cite "c" }
  rule three { report when count(p in intermediaries: true) >= 3 because "count" cite "c" }
}
)");
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& s = *l.result.set;
    auto none = decide(s, req("DE", "[]"));
    CHECK(none.fired == Ids{"t.all_resellers"});
    auto one = decide(s, req("DE", R"([{"name": "a", "country": "CN", "role": "broker"}])"));
    CHECK(one.fired == Ids{"t.any_d5"});
    auto many = decide(s, req("DE", R"([{"name": "a", "country": "SG", "role": "reseller"},
        {"name": "b", "country": "MY", "role": "reseller"}, {"name": "c", "country": "IR", "role": "reseller"}])"));
    CHECK(many.fired == Ids{"t.all_resellers", "t.any_d5", "t.three"});
}

TEST_CASE("nested quantifiers see both variables") {
    auto l = load_rules(header() + R"(
  rule same { report when any p in intermediaries: any o in customer.owners: o.country == p.country
    because "an intermediary shares a country with an owner" cite "c" }
}
)");
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto inter = R"([{"name": "a", "country": "SG", "role": "agent"}, {"name": "b", "country": "HK", "role": "agent"}])";
    CHECK(decide(*l.result.set, req("DE", inter, R"([{"name": "o", "country": "HK", "share": 1}])")).verdict == "report");
    CHECK(decide(*l.result.set, req("DE", inter, R"([{"name": "o", "country": "CN", "share": 1}])")).verdict == "allow");
}

TEST_CASE("sum over owners at the 50% threshold") {
    auto l = load_rules(header() + R"(
  rule owned { deny when sum(o in customer.owners where o.country in D5: o.share) >= 0.5
    because "owned {sum(o in customer.owners where o.country in D5: o.share) * 100}% from D:5" cite "c" }
}
)");
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& s = *l.result.set;
    auto at = decide(s, req("SG", "[]", R"([{"name": "a", "country": "CN", "share": 0.3}, {"name": "b", "country": "RU", "share": 0.2}, {"name": "c", "country": "SG", "share": 0.5}])"));
    CHECK(at.verdict == "deny");
    CHECK(at.messages == Ids{"owned 50% from D:5"});
    auto under = decide(s, req("SG", "[]", R"([{"name": "a", "country": "CN", "share": 0.49}, {"name": "c", "country": "SG", "share": 0.51}])"));
    CHECK(under.verdict == "allow");
}

TEST_CASE("table lookups; a missing key is an error unless guarded") {
    auto l = load_rules(R"(
policy t {
  status in_force
  use table chips from "data/chips.yaml"
  rule unguarded { deny when chips[resource.chip].tpp >= 4800 because "u" cite "c" }
  rule guarded { report when resource.chip in chips and chips[resource.chip].tpp >= 2000 because "g {chips[resource.chip].tpp}" cite "c" }
  rule column { report when resource.chip in chips and chips[resource.chip].class == "3A090.b.1" because "b1" cite "c" }
}
)");
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& s = *l.result.set;
    auto chip = [](const char* c) {
        return std::string(R"({"customer": {"name": "C", "country": "DE", "hq_country": "DE", "foreign": true, "identity_verified": true}, "resource": {"chip": ")") + c + R"("}})";
    };
    auto h100 = decide(s, chip("H100-SXM"));
    CHECK(h100.fired == Ids{"t.guarded", "t.unguarded"});
    CHECK(h100.messages[0] == "g 15832");
    auto a30 = decide(s, chip("A30"));
    CHECK(a30.fired == Ids{"t.column", "t.guarded"});
    auto h20 = decide(s, chip("H20"));  // H20 has no class column: an error for `column`
    CHECK(h20.fired == Ids{"t.guarded"});
    CHECK(h20.errors == Ids{"t.column"});
    auto unknown = decide(s, chip("Z9"));
    CHECK(unknown.fired.empty());
    CHECK(unknown.errors == Ids{"t.unguarded"});
    CHECK(unknown.json.find("looked up \\\"Z9\\\", which is not a key of table `chips`") != std::string::npos);
    CHECK(unknown.verdict == "deny");
}

TEST_CASE("if-then-else evaluates only the chosen branch; arithmetic and constants fold") {
    auto l = load_rules(R"(
policy t {
  status in_force
  use table chips from "data/chips.yaml"
  let tpp = if has resource.tpp then resource.tpp else if resource.chip in chips then chips[resource.chip].tpp else 0
  rule big { deny when tpp * 2 / 2 >= 4_800 and 1 + 1 == 2 because "tpp {tpp}" cite "c" }
}
)");
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& s = *l.result.set;
    auto base = std::string(R"({"customer": {"name": "C", "country": "DE", "hq_country": "DE", "foreign": true, "identity_verified": true}, "resource": )");
    CHECK(decide(s, base + R"({"chip": "Z9", "tpp": 5000}})").verdict == "deny");
    CHECK(decide(s, base + R"({"chip": "H100-SXM"}})").messages == Ids{"tpp 15832"});
    auto z = decide(s, base + R"({"chip": "Z9"}})");
    CHECK(z.verdict == "allow");
    CHECK(z.errors.empty());
}

TEST_CASE("fired rules come out sorted by name whatever the file order") {
    auto l = load_rules(header() + R"(
  rule zeta { report when true because "z" cite "c" }
  rule alpha { report when true because "a" cite "c" }
}
)", {{"b.cordon", "policy a.first {\n status in_force\n rule m { report when true because \"m\" cite \"c\" }\n}\n"}});
    INFO(l.rendered);
    REQUIRE(l.ok());
    CHECK(decide(*l.result.set, req("DE")).fired == Ids{"a.first.m", "t.alpha", "t.zeta"});
}
