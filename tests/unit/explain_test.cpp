// `explain` (engine/include/cordon/engine/explain.hpp): every rule's `when` and `unless` as
// written, with the value each part took. An `unless` is traced as its `when` is: a reader
// who asks why a deny did not fire must see the licence that stopped it.
#include "cordon/engine/explain.hpp"

#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

const char* kRules = R"(
policy p {
  status in_force
  rule licensed_deny {
    deny when resource.tpp > 4800
    unless has license.granted and license.granted
    because "r" cite "c"
  }
}
)";

std::string request(const char* tpp, const char* granted) {
    return std::string(R"({"customer": {"name": "n", "country": "CN", "hq_country": "CN", "foreign": true,
  "identity_verified": true, "owners": []}, "intermediaries": [], "workload": {"kind": "training"},
  "resource": {"chip": "H100-SXM", "tpp": )") + tpp + R"(}, "license": {"granted": )" + granted + "}}";
}

RuleExplanation explained(const PolicySet& set, const std::string& json, bool reference) {
    Session s(set);
    const auto err = s.decoder.decode_json(json, s.request);
    REQUIRE_FALSE(err);
    auto e = explain(set, s.request, set.options(s.request, *parse_date("2026-01-01"), {}), reference);
    REQUIRE(e.rules.size() == 1);
    return e.rules[0];
}

}  // namespace

TEST_CASE("explain: an `unless` that was evaluated shows its value and the value of each part") {
    const auto l = load_rules(kRules);
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    for (const bool reference : {false, true}) {
        INFO("reference: " << reference);
        const auto held = explained(*l.result.set, request("5000", "true"), reference);
        CHECK_FALSE(held.fired);
        REQUIRE(held.when);
        CHECK(held.when->value == "true");
        REQUIRE(held.unless);
        CHECK(held.unless->evaluated);
        CHECK(held.unless->value == "true");
        REQUIRE(held.unless->children.size() == 2);
        for (const auto& part : held.unless->children) {
            INFO(part.text);
            CHECK(part.evaluated);
            CHECK(part.value == "true");
        }

        const auto failed = explained(*l.result.set, request("5000", "false"), reference);
        CHECK(failed.fired);
        REQUIRE(failed.unless);
        CHECK(failed.unless->evaluated);
        CHECK(failed.unless->value == "false");

        // The `when` false: the `unless` is never asked.
        const auto skipped = explained(*l.result.set, request("100", "true"), reference);
        CHECK_FALSE(skipped.fired);
        REQUIRE(skipped.unless);
        CHECK_FALSE(skipped.unless->evaluated);
    }
}
