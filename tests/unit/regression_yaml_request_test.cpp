// Regressions (issue 18, items 10 and 19): YAML requests. Tags were ignored (`!!str true`
// was read as a boolean), and a small request of nested aliases expanded to gigabytes
// before any field was checked.
#include "cordon/engine/decode.hpp"

#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {
std::string json_of(const std::string& yaml) {
    std::string error;
    auto json = yaml_to_json(yaml, error);
    return json ? *json : "error: " + error;
}
}  // namespace

TEST_CASE("issue 18.19: YAML tags in requests are honoured or refused, not ignored") {
    CHECK(json_of("a: !!str true\nb: !!str 12\nc: !!str null\nd: true\n") == R"({"a":"true","b":"12","c":"null","d":true})");
    CHECK(json_of("a: !!bool false\nb: !!int 3\nc: !!float 2.5\nd: !!null ~\n") == R"({"a":false,"b":3,"c":2.5,"d":null})");
    // A tag on an empty value: yaml-cpp gives a scalar "" with the tag (a null node has none).
    CHECK(json_of("a: !!null\nb: !!str\nc:\nd: ~\n") == R"({"a":null,"b":"","c":null,"d":null})");
    CHECK(json_of("a: !!int\n").find("tagged !!int at line 1") != std::string::npos);
    CHECK(json_of("a: !!bool\n").find("error: ") == 0);
    CHECK(json_of("a: !!int yes\n").find("error: ") == 0);
    CHECK(json_of("a: !!int yes\n").find("tagged !!int at line 1") != std::string::npos);
    CHECK(json_of("a: !!bool 1\n").find("error: ") == 0);
    CHECK(json_of("a: !!int 1.5\n").find("error: ") == 0);
    CHECK(json_of("a: !!seq {x: 1}\n").find("error: ") == 0);
    CHECK(json_of("a: !custom x\n").find("YAML tag `!custom` at line 1, column 4 is not supported") != std::string::npos);
    CHECK(json_of("a: !!binary aGk=\n").find("is not supported") != std::string::npos);
    // Quoted text stays a string whatever it says.
    CHECK(json_of("a: 'true'\n") == R"({"a":"true"})");
}

TEST_CASE("issue 18.10: nested aliases in a YAML request are refused before they are expanded") {
    // 2^30 leaves from a few hundred bytes.
    std::string yaml = "a0: &a0 [x, x]\n";
    for (int i = 1; i <= 30; ++i)
        yaml += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" + std::to_string(i - 1) + ", *a" +
                std::to_string(i - 1) + "]\n";
    const auto r = json_of(yaml);
    CHECK(r.find("error: ") == 0);
    CHECK(r.find("malformed YAML at line 2, column") != std::string::npos);
    CHECK(r.find("aliases expand the request past") != std::string::npos);
    // A small alias is still fine.
    CHECK(json_of("a: &n [1]\nb: *n\n") == R"({"a":[1],"b":[1]})");
}
