// Regression (issue 18, item 10): with a `?` anywhere in a manifest, schema or data file,
// nested YAML aliases made the loader walk each aliased node once per path (2^40 walks from
// under a kilobyte) and hang. Aliases that expand a document past what its text holds
// written out are refused at the first alias, in policy files and test files alike; a few
// aliases that do not multiply the document still load.
#include <chrono>
#include <filesystem>
#include <fstream>

#include "support.hpp"

#include "cordon/dsl/data.hpp"
#include "cordon/dsl/manifest.hpp"
#include "cordon/dsl/schema.hpp"
#include "cordon/tools/test_runner.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

// `levels` anchors, each a list (or map) of two aliases of the one before: 2^levels
// leaves once expanded. `head` comes first; the `?` of `leaf` once set off the slow walk
// (test files are read without the `?` work-around, so theirs have none).
std::string bomb(const std::string& head, int levels, bool maps = false, const char* leaf = "[x?, y?]") {
    std::string t = head + "a0: &a0 " + leaf + "\n";
    for (int i = 1; i <= levels; ++i) {
        const auto prev = "*a" + std::to_string(i - 1);
        t += "a" + std::to_string(i) + ": &a" + std::to_string(i) +
             (maps ? " {l: " + prev + ", r: " + prev + "}\n" : " [" + prev + ", " + prev + "]\n");
    }
    return t;
}

template <class Parse>
std::string refusal(const std::string& text, Parse parse) {
    SourceMap sources;
    Diagnostics diags;
    const auto file = sources.add("hostile.yaml", text);
    const auto t0 = std::chrono::steady_clock::now();
    const auto result = parse(sources, file, diags);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
    CHECK_FALSE(result);
    return render_all(diags, sources, false);
}

}  // namespace

TEST_CASE("issue 18.10: YAML alias bombs in a manifest, schema or data file are refused at the first alias") {
    const auto sets = bomb("", 40);
    CHECK(sets.size() < 900);
    const auto text = refusal(sets, parse_sets);
    CHECK(text.find("hostile.yaml:2:") != std::string::npos);  // the first alias: line 2
    CHECK(text.find("YAML aliases expand the document past") != std::string::npos);
    CHECK(refusal(bomb("", 40, true), parse_table).find("YAML aliases expand") != std::string::npos);
    CHECK(refusal(bomb("name: x\nschema: schema.yaml\n", 40), parse_manifest).find("hostile.yaml:4:") !=
          std::string::npos);
    CHECK(refusal(bomb("time: date?\n", 40, true), parse_schema).find("YAML aliases expand") != std::string::npos);
    // A self-referential anchor is refused too, not walked until the stack runs out.
    CHECK(refusal("a: &a [x?, *a]\n", parse_sets).find("YAML aliases expand") != std::string::npos);
}

TEST_CASE("issue 18.10: aliases that do not multiply a data file still load") {
    SourceMap sources;
    Diagnostics diags;
    const auto file = sources.add("groups.yaml", "D5: &d5 [CN, MO]\nD1: *d5\n");
    const auto sets = parse_sets(sources, file, diags);
    INFO(render_all(diags, sources, false));
    CHECK(sets);
}

TEST_CASE("issue 18.10: a YAML alias bomb in a test file is refused") {
    TempPolicySet tmp({{"rules.cordon", "policy t {\n  status in_force\n  rule r { deny when customer.country == "
                                        "\"CN\" because \"x\" cite \"c\" }\n}\n"},
                       {"bomb.test.yaml", bomb("policy_set: .\ncases: []\n", 40, false, "[x, y]")}});
    const auto t0 = std::chrono::steady_clock::now();
    const auto report = run_tests((std::filesystem::path(tmp.dir()) / "bomb.test.yaml").string(), {});
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
    REQUIRE(report.diagnostics.has_errors());
    const auto text = render_all(report.diagnostics, *report.sources, false);
    CHECK(text.find("YAML aliases expand the test file") != std::string::npos);
    CHECK(text.find("bomb.test.yaml:4:") != std::string::npos);
}
