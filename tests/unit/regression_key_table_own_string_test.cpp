// Regression (session 17): a let worked out as a key table (pass key_tables) held, for a
// string no policy names, the value it had for a stand-in string id. When that value was
// the key itself (the let returns it, or a table lacks it), another string of the request
// with that id took its place. The differential test (seed 55) found a missing key's error
// naming the wrong string; a let returning its key compared equal to another string of the
// request (the wrong ALLOW below). The value now takes the request's own key.
#include <fmt/format.h>

#include "cordon/engine/native.hpp"

#include "program/program.hpp"
#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

// Costly enough for a table (pass key_tables), keyed by resource.chip alone.
const char* kCostly = "(if resource.chip == \"A30\" then 3 else 1) + (if resource.chip == \"H20\" then 5 else 2) + "
                      "(if resource.chip == \"B200\" then 0 else 1) > 3";

// A let that returns its key, and one that looks its key up in a table.
std::string returns_key() {
    return fmt::format(R"(
policy p {{
  status in_force
  let chip_or_own = if {} then resource.chip else "none"
  rule named_apart {{ deny when chip_or_own != customer.name because "chip {{resource.chip}} is not {{customer.name}}" cite "c" }}
}}
)", kCostly);
}
std::string looks_key_up() {
    return fmt::format(R"(
policy q {{
  status in_force
  use table chips from "data/chips.yaml"
  let chip_class = if {} then chips[if resource.chip == "A100" then "B100" else resource.chip].class else "none"
  rule classed {{ report when chip_class == "3A090.a" because "3A090.a" cite "c" }}
}}
)", kCostly);
}

// customer.name comes first, so that its string is the request's first own string.
std::string request(const char* name, const char* chip) {
    return fmt::format(R"({{"customer": {{"name": "{}", "country": "DE", "hq_country": "DE", "foreign": true,
  "identity_verified": true, "owners": []}}, "resource": {{"chip": "{}"}}, "intermediaries": [],
  "workload": {{"kind": "training"}}, "license": {{"granted": false}}}})", name, chip);
}

// `rules` compiled with every pass (and also run as native code) and with none: the first
// has a key table, and all three decide every request alike (decide() also checks the
// interpreter against the reference).
struct BothWays {
    explicit BothWays(const std::string& rules) : loaded(load_rules(rules)), tmp(std::map<std::string, std::string>{{"rules.cordon", rules}}) {
        REQUIRE_MESSAGE(loaded.ok(), loaded.rendered);
        REQUIRE(!loaded.result.set->program().key_tables.empty());  // the case under test
        plain = PolicySet::load(tmp.dir(), CompileOptions::all_off());
        REQUIRE(plain.set);
        std::string error;
        REQUIRE_MESSAGE(NativeCode::build(set().program(), native_dir.so("set"), CORDON_NATIVE_CXX, error), error);
        native = NativeCode::load(native_dir.so("set"), set().program(), error);
        REQUIRE_MESSAGE(native, error);
    }
    const PolicySet& set() const { return *loaded.result.set; }
    Outcome decide_alike(const std::string& r) const {
        INFO(r);
        const auto fast = decide(set(), r), slow = decide(*plain.set, r);
        CHECK(fast.json == slow.json);
        Session s(set());
        s.evaluator.set_native(native.get());
        REQUIRE_FALSE(s.decoder.decode_json(r, s.request));
        s.evaluator.decide(s.request, set().options(s.request, *parse_date("2024-11-18"), {}), s.decision);
        std::string by_native;
        set().write_json(s.evaluator, s.request, s.decision, by_native);
        CHECK(by_native == fast.json);
        return fast;
    }
    Loaded loaded;
    TempPolicySet tmp;
    LoadResult plain;
    NativeDir native_dir;
    std::unique_ptr<NativeCode> native;
};

}  // namespace

TEST_CASE("a key table's value for a string no policy names takes the request's own key") {
    // "omega" (the name) is the request's first own string, "alpha" (the chip) its second.
    const BothWays apart(returns_key());
    const auto d = apart.decide_alike(request("omega", "alpha"));
    CHECK(d.verdict == "deny");  // "alpha" != "omega": was a wrong ALLOW
    CHECK(d.fired == std::vector<std::string>{"p.named_apart"});
    CHECK(apart.decide_alike(request("alpha", "alpha")).verdict == "allow");
    CHECK(apart.decide_alike(request("A30", "A30")).verdict == "allow");
    CHECK(apart.decide_alike(request("omega", "B200")).verdict == "deny");

    // With the first set beside it, "omega" is again the request's first own string.
    const BothWays classed(returns_key() + looks_key_up());
    const auto e = classed.decide_alike(request("omega", "alpha"));
    CHECK(e.fired == std::vector<std::string>{"p.named_apart"});
    CHECK(e.errors == std::vector<std::string>{"q.classed"});
    CHECK(e.json.find(R"(looked up \"alpha\", which is not a key of table `chips`)") != std::string::npos);
    // A key the program knows whose value names another key ("B100" for "A100") keeps it.
    const auto b = classed.decide_alike(request("omega", "A100"));
    CHECK(b.errors == std::vector<std::string>{"q.classed"});
    CHECK(b.json.find(R"(looked up \"B100\", which is not a key of table `chips`)") != std::string::npos);
    CHECK(classed.decide_alike(request("H100-SXM", "H100-SXM")).verdict == "report");
    CHECK(classed.decide_alike(request("A30", "A30")).verdict == "allow");
}
