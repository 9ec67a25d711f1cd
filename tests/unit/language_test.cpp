// LANGUAGE.md's example file, end to end: it parses, checks and decides as the contract says.
#include "language_example.hpp"
#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

const char* const kExample = kLanguageExample;

Loaded load_example() {
    return load_rules("", {{"policies/ear.cordon", kExample},
                           {"data/country_groups.yaml", kSets}});
}

std::string request(const std::string& hq, const std::string& parent, const std::string& intermediary,
                    double tpp, double pd, bool licensed, const std::string& workload = "") {
    std::string r = R"({"id": "r1", "customer": {"name": "Example", "country": ")" + hq + R"(", "hq_country": ")" + hq + "\"";
    if (!parent.empty()) r += R"(, "parent_hq_country": ")" + parent + "\"";
    r += R"(, "foreign": true, "identity_verified": true}, "intermediaries": [)";
    if (!intermediary.empty()) r += R"({"name": "Reseller", "country": ")" + intermediary + R"(", "role": "reseller"})";
    r += R"(], "resource": {"chip": "X", "tpp": )" + std::to_string(tpp) + R"(, "performance_density": )" +
         std::to_string(pd) + R"(}, "license": {"granted": )" + (licensed ? "true" : "false") + "}";
    r += R"(, "workload": )" + (workload.empty() ? std::string(R"({"kind": "inference"})") : workload);
    return r + "}";
}

}  // namespace

TEST_CASE("LANGUAGE.md example: parses, checks and compiles") {
    auto l = load_example();
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& c = l.result.set->checked();
    REQUIRE(c.rules.size() == 3);
    CHECK(c.rules[0].id == "us.ear.advanced_computing.d5_intermediary");
    CHECK(c.rules[1].id == "us.ear.advanced_computing.hq_in_d5_or_macau");
    CHECK(c.rules[2].id == "us.ear.advanced_computing.large_training");
    CHECK(l.result.set->digest().rfind("sha256:", 0) == 0);
}

TEST_CASE("LANGUAGE.md example: hq_in_d5_or_macau") {
    auto l = load_example();
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    SUBCASE("an H100 for a customer headquartered in CN is denied, with the message interpolated") {
        auto o = decide(set, request("CN", "", "", 15832, 19.4, false));
        CHECK(o.verdict == "deny");
        CHECK(o.fired == Ids{"us.ear.advanced_computing.hq_in_d5_or_macau"});
        CHECK(o.messages == Ids{"advanced IC for an entity headquartered in CN"});
    }
    SUBCASE("a parent headquartered in Macau is enough") {
        auto o = decide(set, request("SG", "MO", "", 15832, 19.4, false));
        CHECK(o.fired == Ids{"us.ear.advanced_computing.hq_in_d5_or_macau"});
    }
    SUBCASE("unless license.granted") {
        auto o = decide(set, request("CN", "", "", 15832, 19.4, true));
        CHECK(o.verdict == "allow");
        CHECK(o.fired.empty());
    }
    SUBCASE("TPP just under 4800 with low density is not an advanced IC") {
        CHECK(decide(set, request("CN", "", "", 4799.9, 5.91, false)).verdict == "allow");
        CHECK(decide(set, request("CN", "", "", 4800, 1.0, false)).verdict == "deny");
    }
    SUBCASE("TPP 1600 with density at 5.92 is an advanced IC; 1599.9 is not") {
        CHECK(decide(set, request("CN", "", "", 1600, 5.92, false)).verdict == "deny");
        CHECK(decide(set, request("CN", "", "", 1599.9, 5.92, false)).verdict == "allow");
        CHECK(decide(set, request("CN", "", "", 1600, 5.91, false)).verdict == "allow");
    }
    SUBCASE("an allied-country customer is allowed") {
        auto o = decide(set, request("DE", "DE", "", 15832, 19.4, false));
        CHECK(o.verdict == "allow");
        CHECK(o.errors.empty());
    }
    SUBCASE("the example reads the optional parent_hq_country without `has`: absent, it fails closed") {
        auto o = decide(set, request("DE", "", "", 15832, 19.4, false));
        CHECK(o.verdict == "deny");
        CHECK(o.errors == Ids{"us.ear.advanced_computing.hq_in_d5_or_macau"});
        CHECK(o.json.find("`customer.parent_hq_country`") != std::string::npos);
    }
}

TEST_CASE("LANGUAGE.md example: d5_intermediary") {
    auto l = load_example();
    REQUIRE(l.ok());
    auto o = decide(*l.result.set, request("DE", "", "CN", 4992, 6.04, false));
    CHECK(o.verdict == "deny");
    CHECK(o.fired == Ids{"us.ear.advanced_computing.d5_intermediary"});
    CHECK(decide(*l.result.set, request("DE", "DE", "JP", 4992, 6.04, false)).verdict == "allow");
}

TEST_CASE("LANGUAGE.md example: large_training reports, and deny beats report") {
    auto l = load_example();
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    const std::string big = R"({"kind": "training", "training_ops": 1e26})";
    const std::string bio = R"({"kind": "training", "training_ops": 1e23, "bio_sequence": true})";
    const std::string small = R"({"kind": "training", "training_ops": 9.99e25, "bio_sequence": false})";
    auto o = decide(set, request("DE", "", "", 100, 1, false, big));
    CHECK(o.verdict == "report");
    CHECK(o.fired == Ids{"us.ear.advanced_computing.large_training"});
    CHECK(o.json.find(R"J("reports":[{"rule":"us.ear.advanced_computing.large_training","to":"Department of Commerce (BIS)","within_days":15,"due":"2024-12-03"}])J") != std::string::npos);
    CHECK(o.messages == Ids{"foreign person training a large AI model (1e+26 operations)"} );
    CHECK(decide(set, request("DE", "", "", 100, 1, false, bio)).verdict == "report");
    CHECK(decide(set, request("DE", "", "", 100, 1, false, small)).verdict == "allow");
    auto both = decide(set, request("CN", "", "", 15832, 19.4, false, big));
    CHECK(both.verdict == "deny");
    CHECK(both.fired == Ids{"us.ear.advanced_computing.hq_in_d5_or_macau", "us.ear.advanced_computing.large_training"});
}

TEST_CASE("LANGUAGE.md example: effective and sunset bound the rules") {
    auto l = load_example();
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    const auto r = request("CN", "", "", 15832, 19.4, false);
    CHECK(decide(set, r, "2023-11-16").verdict == "allow");
    CHECK(decide(set, r, "2023-11-17").verdict == "deny");
    CHECK(decide(set, r, "2098-12-31").verdict == "deny");
    CHECK(decide(set, r, "2099-01-01").verdict == "allow");
}

TEST_CASE("LANGUAGE.md example: a missing attribute fails closed, naming rule and attribute") {
    auto l = load_example();
    REQUIRE(l.ok());
    // No tpp at all: advanced_ic cannot be decided.
    const std::string r = R"({"customer": {"name": "X", "country": "CN", "hq_country": "CN", "foreign": true,
        "identity_verified": true}, "resource": {"chip": "H100-SXM"}, "workload": {"kind": "inference"},
        "license": {"granted": false}})";
    auto o = decide(*l.result.set, r);
    CHECK(o.verdict == "deny");
    CHECK(o.fired.empty());
    CHECK(o.errors == Ids{"us.ear.advanced_computing.hq_in_d5_or_macau"});
    CHECK(o.json.find("read attribute `resource.tpp`, which the request does not give") != std::string::npos);
}
