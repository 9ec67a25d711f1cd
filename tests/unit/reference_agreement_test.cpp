// `cordon check --reference` and `cordon check` print the same bytes: every case of the
// shipped policy tests and every example request, decided by the compiled program and by
// the reference evaluator, on the case's day, with and without the drafts included, as
// JSON and as text.
#include <yaml-cpp/yaml.h>

#include "cordon/engine/decode.hpp"
#include "support.hpp"
#include "program/program.hpp"

using namespace cordon;

namespace {

const std::vector<std::vector<Status>> kIncludes = {
    {}, {Status::Proposed, Status::Bill}, {Status::Proposed, Status::Bill, Status::Draft, Status::Rescinded}};

/// Decides `json` both ways under every include list; returns the number of comparisons.
int agree(const PolicySet& set, const std::string& json, std::int32_t as_of, const std::string& where) {
    Session s(set);
    if (s.decoder.decode_json(json, s.request)) return 0;  // input errors never reach an evaluator
    int compared = 0;
    for (const auto& include : kIncludes) {
        const auto options = set.options(s.request, as_of, include);
        Decision fast, plain;
        s.evaluator.decide(s.request, options, fast);
        s.reference.decide(s.request, options, plain);
        std::string a, b;
        set.write_json(s.evaluator, s.request, fast, a);
        set.write_json(s.reference, s.request, plain, b);
        set.write_text(s.evaluator, s.request, fast, a, false);
        set.write_text(s.reference, s.request, plain, b, false);
        INFO(where);
        CHECK(a == b);
        ++compared;
    }
    return compared;
}

}  // namespace

TEST_CASE("reference: every shipped test case and example decides byte-identically") {
    const std::string dir = std::string(CORDON_SOURCE_DIR) + "/policies/us";
    auto loaded = PolicySet::load(dir);
    REQUIRE(loaded.set);
    const auto& set = *loaded.set;
    int cases = 0, compared = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const auto path = entry.path().string();
        if (path.size() < 10 || path.compare(path.size() - 10, 10, ".test.yaml") != 0) continue;
        const YAML::Node doc = YAML::LoadFile(path);
        const auto file_day = doc["as_of"] ? parse_date(doc["as_of"].as<std::string>()) : std::nullopt;
        for (const auto& c : doc["cases"]) {
            const auto day = c["as_of"] ? parse_date(c["as_of"].as<std::string>()) : file_day;
            compared += agree(set, yaml_node_to_json(c["request"]), day ? *day : today(),
                              path + ": " + c["name"].as<std::string>(""));
            ++cases;
        }
    }
    for (const auto& entry : std::filesystem::directory_iterator(std::string(CORDON_SOURCE_DIR) + "/examples/requests")) {
        std::ifstream in(entry.path());
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (const char* day : {"2023-01-01", "2024-11-18", "2026-11-20"})
            compared += agree(set, text, *parse_date(day), entry.path().string());
        ++cases;
    }
    MESSAGE(cases << " requests, " << compared << " comparisons");
    CHECK(cases > 100);
    CHECK(compared >= cases * 3);
}
