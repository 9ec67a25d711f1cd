// Rule indexing never changes a decision: with the index and visiting every rule, the
// verdict, the fired rules and the errors are the same, over many varied requests.
#include <random>

#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

std::string random_request(std::mt19937& rng) {
    static const char* countries[] = {"CN", "MO", "RU", "IR", "DE", "US", "SG", "VN", "AE", "JP", "XX"};
    static const char* chips[] = {"H100-SXM", "A100", "A30", "H20", "L2", "B200", "Ascend-910B", "Z9"};
    static const char* kinds[] = {"training", "inference", "fine_tuning", "other"};
    auto pick = [&](auto& arr) { return arr[rng() % (sizeof(arr) / sizeof(arr[0]))]; };
    auto maybe = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
    std::string r = "{\"customer\": {\"name\": \"C\", \"kind\": \"company\", \"country\": \"";
    r += pick(countries);
    r += "\", \"hq_country\": \"";
    r += pick(countries);
    r += "\"";
    if (maybe(50)) r += std::string(", \"parent_hq_country\": \"") + pick(countries) + "\"";
    if (maybe(90)) r += std::string(", \"foreign\": ") + (maybe(70) ? "true" : "false");
    if (maybe(90)) r += std::string(", \"identity_verified\": ") + (maybe(50) ? "true" : "false");
    if (maybe(30)) r += std::string(", \"on_entity_list\": ") + (maybe(50) ? "true" : "false");
    r += "}, \"intermediaries\": [";
    const int hops = static_cast<int>(rng() % 4);
    for (int i = 0; i < hops; ++i) {
        if (i) r += ", ";
        r += std::string("{\"name\": \"I\", \"country\": \"") + pick(countries) + "\", \"role\": \"reseller\"}";
    }
    r += "], \"resource\": {";
    bool first = true;
    auto field = [&](const std::string& f) { r += (first ? "" : ", ") + f; first = false; };
    if (maybe(80)) field(std::string("\"chip\": \"") + pick(chips) + "\"");
    if (maybe(40)) field("\"tpp\": " + std::to_string(rng() % 40000));
    if (maybe(40)) field("\"performance_density\": " + std::to_string((rng() % 300) / 10.0));
    if (maybe(90)) field(std::string("\"region_country\": \"") + pick(countries) + "\"");
    r += "}";
    if (maybe(70)) {
        r += std::string(", \"workload\": {\"kind\": \"") + pick(kinds) + "\"";
        if (maybe(70)) r += ", \"training_ops\": 1e" + std::to_string(20 + rng() % 8);
        if (maybe(50)) r += std::string(", \"bio_sequence\": ") + (maybe(20) ? "true" : "false");
        r += "}";
    }
    if (maybe(70)) r += std::string(", \"license\": {\"granted\": ") + (maybe(10) ? "true" : "false") + "}";
    return r + "}";
}

}  // namespace

TEST_CASE("indexed and exhaustive evaluation agree on the shipped US policy set") {
    auto loaded = PolicySet::load(CORDON_SOURCE_DIR "/policies/us");
    REQUIRE(loaded.set);
    const auto& set = *loaded.set;
    CHECK(!set.program().indexes.empty());
    Session s(set);
    Evaluator all(set.program());
    all.set_visit_all(true);
    Decision d2;
    std::mt19937 rng(7);
    int compared = 0;
    const std::vector<Status> everything = {Status::Proposed, Status::Bill, Status::Rescinded, Status::Draft};
    for (int i = 0; i < 5000; ++i) {
        const auto text = random_request(rng);
        auto err = s.decoder.decode_json(text, s.request);
        REQUIRE_MESSAGE(!err, text << " -> " << err->path << ": " << err->message);
        for (int as_of : {19000, 20000, 20500}) {
            const auto opts = set.options(s.request, as_of, i % 2 ? everything : std::vector<Status>{});
            s.evaluator.decide(s.request, opts, s.decision);
            all.decide(s.request, opts, d2);
            CHECK(s.decision.verdict == d2.verdict);
            CHECK(s.decision.fired == d2.fired);
            REQUIRE(s.decision.errors.size() == d2.errors.size());
            for (std::size_t k = 0; k < d2.errors.size(); ++k) CHECK(s.decision.errors[k].rule == d2.errors[k].rule);
            ++compared;
        }
    }
    CHECK(compared == 15000);
}

TEST_CASE("indexed and exhaustive evaluation agree with pins on several attributes, guards and absent values") {
    auto l = load_rules(R"(
policy idx {
  status in_force
  use sets from "data/groups.yaml"
  rule either { deny when (customer.hq_country == "CN" or customer.country == "RU") and resource.tpp >= 100 because "a" cite "c" }
  rule guarded { report when has customer.parent_hq_country and (customer.parent_hq_country in D5 or customer.country == "IR") because "b" cite "c" }
  rule chip { deny when resource.chip == "A30" and customer.country in {"CN", "VN"} because "c" cite "c" }
  rule unguarded { report when customer.parent_hq_country == "MO" because "d" cite "c" }
  rule plain { report when resource.tpp > 30000 because "e" cite "c" }
}
)");
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    CHECK(set.program().unindexed.size() == 1);
    Session s(set);
    Evaluator all(set.program());
    all.set_visit_all(true);
    Decision d2;
    std::mt19937 rng(11);
    static const char* countries[] = {"CN", "RU", "IR", "MO", "VN", "DE", "US"};
    auto pick = [&] { return countries[rng() % 7]; };
    for (int i = 0; i < 5000; ++i) {
        std::string r = std::string(R"({"customer": {"name": "C", "country": ")") + pick() + R"(", "hq_country": ")" + pick() + "\"";
        if (rng() % 2) r += std::string(R"(, "parent_hq_country": ")") + pick() + "\"";
        r += R"(, "foreign": true, "identity_verified": true}, "resource": {"chip": ")";
        r += (rng() % 2) ? "A30" : "H100-SXM";
        r += "\"";
        if (rng() % 3) r += ", \"tpp\": " + std::to_string(rng() % 40000);
        r += "}}";
        REQUIRE(!s.decoder.decode_json(r, s.request));
        const auto opts = set.options(s.request, 20000);
        s.evaluator.decide(s.request, opts, s.decision);
        all.decide(s.request, opts, d2);
        CHECK(s.decision.verdict == d2.verdict);
        CHECK(s.decision.fired == d2.fired);
        REQUIRE(s.decision.errors.size() == d2.errors.size());
    }
}
