// Specification of cordon.yaml loading (LANGUAGE.md, "The manifest and the schema").
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "cordon/dsl/manifest.hpp"

using namespace cordon;
namespace fs = std::filesystem;

namespace {

// A policy-set directory under the temp dir, removed at the end of the test.
struct TempSet {
    fs::path dir = fs::temp_directory_path() / ("cordon-manifest-test-" + std::to_string(std::random_device{}()));
    explicit TempSet(const std::string& manifest) {
        fs::create_directories(dir);
        std::ofstream(dir / "cordon.yaml") << manifest;
    }
    ~TempSet() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

struct Loaded {
    SourceMap sources;
    Diagnostics diags;
    std::optional<Manifest> manifest;
};

Loaded load(const std::string& text) {
    TempSet set(text);
    Loaded l;
    l.manifest = load_manifest(set.dir.string(), l.sources, l.diags);
    return l;
}

void expect_error(const Loaded& l, const std::string& message, int line, int column, const std::string& hint = "") {
    CHECK_FALSE(l.manifest.has_value());
    REQUIRE(l.diags.items().size() == 1);
    const auto& d = l.diags.items()[0];
    CHECK(d.code == diag::kManifest);
    CHECK(d.message == message);
    const auto lc = l.sources.line_col(d.span.file, d.span.begin);
    CHECK(lc.line == line);
    CHECK(lc.column == column);
    if (!hint.empty()) CHECK(d.hint == hint);
}

}  // namespace

TEST_CASE("manifest: the LANGUAGE.md example loads") {
    const auto l = load(R"(name: us-remote-access
schema: schema.yaml          # attribute paths and types
default: allow               # allow | deny
on_error: deny               # deny | skip
enforce: [in_force]          # statuses enforced unless the caller says otherwise
)");
    REQUIRE(l.manifest.has_value());
    CHECK(l.diags.items().empty());
    CHECK(l.manifest->name == "us-remote-access");
    CHECK(l.manifest->schema == "schema.yaml");
    CHECK(l.manifest->default_effect == DefaultEffect::Allow);
    CHECK(l.manifest->on_error == OnError::Deny);
    CHECK(l.manifest->enforce == std::vector<Status>{Status::InForce});
    SUBCASE("the span covers the file start") {
        CHECK(l.manifest->span.file != 0);
        CHECK(l.manifest->span.begin == 0);
        CHECK(l.manifest->span.end > 0);
        CHECK(l.sources.path(l.manifest->span.file).find("cordon.yaml") != std::string::npos);
    }
}

TEST_CASE("manifest: defaults and every value") {
    SUBCASE("only the name is required") {
        const auto l = load("name: x\n");
        REQUIRE(l.manifest.has_value());
        CHECK(l.manifest->schema == "schema.yaml");
        CHECK(l.manifest->default_effect == DefaultEffect::Allow);
        CHECK(l.manifest->on_error == OnError::Deny);
        CHECK(l.manifest->enforce == std::vector<Status>{Status::InForce});
    }
    SUBCASE("deny, skip, several statuses in block style, duplicates dropped") {
        const auto l = load("name: x\nschema: s/attrs.yaml\ndefault: deny\non_error: skip\nenforce:\n  - in_force\n"
                            "  - proposed\n  - bill\n  - in_force\n  - draft\n  - rescinded\n");
        REQUIRE(l.manifest.has_value());
        CHECK(l.manifest->schema == "s/attrs.yaml");
        CHECK(l.manifest->default_effect == DefaultEffect::Deny);
        CHECK(l.manifest->on_error == OnError::Skip);
        CHECK(l.manifest->enforce == std::vector<Status>{Status::InForce, Status::Proposed, Status::Bill,
                                                         Status::Draft, Status::Rescinded});
    }
    SUBCASE("an empty enforce list is allowed") {
        const auto l = load("name: x\nenforce: []\n");
        REQUIRE(l.manifest.has_value());
        CHECK(l.manifest->enforce.empty());
    }
}

TEST_CASE("manifest: status names") {
    for (auto s : {Status::InForce, Status::Proposed, Status::Rescinded, Status::Bill, Status::Draft})
        CHECK(parse_status(status_name(s)) == s);
    CHECK(std::string(status_name(Status::InForce)) == "in_force");
    CHECK_FALSE(parse_status("in force").has_value());
}

TEST_CASE("manifest: errors name the key and point at it") {
    SUBCASE("unknown key, with a suggestion") {
        const auto l = load("name: x\ndefualt: deny\n");
        expect_error(l, "cordon.yaml: defualt: unknown key", 2, 1, "did you mean \"default\"?");
    }
    SUBCASE("bad default") {
        expect_error(load("name: x\ndefault: Deny\n"), "cordon.yaml: default: \"Deny\" is not one of allow, deny", 2, 10,
                     "did you mean \"deny\"?");
    }
    SUBCASE("bad on_error") {
        expect_error(load("name: x\non_error: ignore\n"), "cordon.yaml: on_error: \"ignore\" is not one of deny, skip", 2,
                     11, "write deny or skip");
    }
    SUBCASE("unknown status") {
        expect_error(load("name: x\nenforce: [in_force, inforce]\n"), "cordon.yaml: enforce[1]: unknown status \"inforce\"",
                     2, 21, "did you mean \"in_force\"?");
    }
    SUBCASE("enforce is a list") {
        expect_error(load("name: x\nenforce: in_force\n"), "cordon.yaml: enforce: expected a list of statuses, found a scalar",
                     2, 10, "write enforce: [in_force]");
    }
    SUBCASE("name is required and non-empty") {
        expect_error(load("default: deny\n"), "cordon.yaml: name: missing required key", 1, 1);
        expect_error(load(""), "cordon.yaml: name: missing required key", 1, 1);
        expect_error(load("name: \"\"\n"), "cordon.yaml: name: must not be empty", 1, 7);
        expect_error(load("name:\n"), "cordon.yaml: name: expected a value, found nothing", 1, 1);
    }
    SUBCASE("a key set twice") {
        expect_error(load("name: x\nname: y\n"), "cordon.yaml: name: set twice", 2, 1);
    }
    SUBCASE("not a map") {
        expect_error(load("- name\n"), "cordon.yaml: expected a map of settings, found a list", 1, 1);
    }
    SUBCASE("malformed YAML") {
        const auto l = load("name: x\ndefault: [deny\n");
        CHECK_FALSE(l.manifest.has_value());
        REQUIRE(l.diags.items().size() == 1);
        CHECK(l.diags.items()[0].code == diag::kManifest);
        CHECK(l.diags.items()[0].message.rfind("cordon.yaml: malformed YAML: ", 0) == 0);
    }
    SUBCASE("several errors in one run") {
        const auto l = load("nmae: x\ndefault: maybe\n");
        CHECK_FALSE(l.manifest.has_value());
        REQUIRE(l.diags.items().size() == 3);
        CHECK(l.diags.items()[0].message == "cordon.yaml: nmae: unknown key");
        CHECK(l.diags.items()[2].message == "cordon.yaml: name: missing required key");
    }
}

TEST_CASE("manifest: a missing manifest is an I/O error naming the path") {
    SourceMap sources;
    Diagnostics diags;
    const auto dir = fs::temp_directory_path() / ("cordon-no-such-dir-" + std::to_string(std::random_device{}()));
    CHECK_FALSE(load_manifest(dir.string(), sources, diags).has_value());
    REQUIRE(diags.items().size() == 1);
    CHECK(diags.items()[0].code == diag::kIo);
    CHECK(diags.items()[0].message.find((dir / "cordon.yaml").string()) != std::string::npos);
}

TEST_CASE("manifest: parse_manifest works on registered text") {
    SourceMap sources;
    Diagnostics diags;
    const auto file = sources.add("sets/cordon.yaml", "name: n\non_error: skip\n");
    const auto m = parse_manifest(sources, file, diags);
    REQUIRE(m.has_value());
    CHECK(m->on_error == OnError::Skip);
}
