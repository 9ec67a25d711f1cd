// The differential test: random valid policy sets (tests/gen/) and random requests,
// decided by every engine (fast path, tree walk, native code, ...), which must agree on
// verdict, fired rules, errors and messages. Runs about a minute in Release;
// CORDON_DIFF_SECONDS overrides (sanitizer builds default to a few seconds).
// Disagreements are printed and written to <build>/difftest-failures/.
#include <doctest/doctest.h>

#include <cstdlib>
#include <iostream>
#include <set>

#include "differential.hpp"
#include "policy_gen.hpp"
#include "support.hpp"

using namespace cordon;
using namespace cordon::gen;

namespace {

double diff_seconds() {
    if (const char* s = std::getenv("CORDON_DIFF_SECONDS")) return std::atof(s);
#if defined(CORDON_DIFF_SHORT) || defined(__SANITIZE_ADDRESS__) || !defined(NDEBUG)
    return 5;
#else
    return 60;
#endif
}

std::string all_rule_text(const GeneratedSet& g) {
    std::string out;
    for (const auto& [path, text] : g.files())
        if (path.ends_with(".cordon")) out += text;
    return out;
}

}  // namespace

TEST_CASE("generator: the same seed makes the same set and the same requests") {
    const auto a = generate_set(42), b = generate_set(42), c = generate_set(43);
    CHECK(a.files() == b.files());
    CHECK(a.files() != c.files());
    std::mt19937_64 r1(5), r2(5);
    CHECK(generate_scenario(a, r1).request == generate_scenario(b, r2).request);
}

TEST_CASE("generator: generated sets load, and together use every form of the language") {
    // Every form LANGUAGE.md lists, as the generator spells it.
    const std::vector<std::string> forms = {
        "(not ", " and ", " or ", " == ", " != ", " < ", " <= ", " > ", " >= ", " + ", " - ", " * ", " / ",
        "(-", " in {", " in S", " in T", "(has ", "(any ", "(all ", "count(", "sum(", " where ", "(if ",
        " then ", "unless ", "deny when", "report when", "allow when", " within ", "].c", "let L", "let F",
        "status in_force", "status proposed", "status bill", "status draft", "status rescinded", "effective ",
        "sunset ", "{{literal}}", "(true", "false", "e3", "_"};
    std::set<std::string> seen;
    std::set<std::string> schema_types;
    std::set<std::string> manifests;
    int loaded = 0;
    for (std::uint64_t seed = 1; seed <= 60; ++seed) {
        const auto g = generate_set(set_seed(7, seed));
        const auto files = g.files();
        const auto text = all_rule_text(g);
        for (const auto& f : forms)
            if (text.find(f) != std::string::npos) seen.insert(f);
        const auto& schema = files.at("schema.yaml");
        for (const char* t : {"string", "number", "bool", "date", "country", "enum[", "?", ": [", "-\n", "time: date?"})
            if (schema.find(t) != std::string::npos) schema_types.insert(t);
        manifests.insert(files.at("cordon.yaml").substr(files.at("cordon.yaml").find("default")));
        test::TempPolicySet dir(files);
        auto result = PolicySet::load(dir.dir());
        INFO(render_all(result.diagnostics, *result.sources));
        CHECK(result.set != nullptr);
        loaded += result.set != nullptr;
    }
    CHECK(loaded == 60);
    for (const auto& f : forms) {
        INFO(f);
        CHECK(seen.count(f) == 1);
    }
    CHECK(schema_types.size() == 10);
    CHECK(manifests.size() >= 4);  // default allow|deny, on_error deny|skip, enforce lists
}

TEST_CASE("differential: every engine decides generated sets and requests alike") {
    DiffConfig c;
    c.seed = 20261206;
    c.seconds = diff_seconds();
    c.native_sets = c.seconds >= 30 ? 2 : 0;
    c.native_every = 7;
    c.pass_configs = 3;
    c.out_dir = CORDON_BINARY_DIR "/difftest-failures";
    const auto stats = run_differential(c, std::cerr);
    MESSAGE(stats.summary());
    CHECK(stats.load_failures == 0);
    CHECK(stats.crashes == 0);
    CHECK(stats.engine_notes == 0);
    CHECK(stats.mismatches == 0);
    // The requests reach every verdict, errors and fired rules, so agreement means something.
    CHECK(stats.sets >= 5);
    CHECK(stats.allow > 0);
    CHECK(stats.deny > 0);
    CHECK(stats.report > 0);
    CHECK(stats.with_errors > 0);
    CHECK(stats.fired > stats.requests / 4);
    CHECK(stats.input_errors < stats.requests / 5);
}
