// The schema-free request reader `cordon screen` uses (json_tree.hpp): it refuses what the
// request decoder refuses in the bytes of the JSON, with the same path and words, and
// gives offsets that let a request be annotated without re-serialising it.
#include "cordon/engine/json_tree.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace cordon;

namespace {

std::string error_of(const std::string& text, const Limits& limits = {}) {
    JsonNode tree;
    const auto err = read_json_tree(text, tree, limits);
    REQUIRE(err);
    return err->path.empty() ? err->message : err->path + ": " + err->message;
}

}  // namespace

TEST_CASE("issue 18 item 5: the request reader refuses a key given twice, also when escaped") {
    CHECK(error_of(R"({"customer": {"on_entity_list": true, "on_entity_list": false}})") ==
          "customer.on_entity_list: field given twice");
    CHECK(error_of(R"({"customer": {"name": "A", "n\u0061me": "B"}})") == "customer.name: field given twice");
    CHECK(error_of(R"({"id": "a", "id": "b"})") == "id: field given twice");
    CHECK(error_of(R"({"customer": {"owners": [{"name": "A"}, {"name": "B", "name": "C"}]}})") ==
          "customer.owners[1].name: field given twice");
}

TEST_CASE("issue 18 item 5: the request reader refuses malformed atoms, strings, UTF-8 and limits") {
    CHECK(error_of(R"({"customer": {"foreign": nope}})") ==
          "customer.foreign: malformed JSON value `nope` (not null, true, false, a number or a string)");
    CHECK(error_of(R"({"customer": {"foreign": tXYZ}})") ==
          "customer.foreign: malformed JSON value `tXYZ` (not null, true, false, a number or a string)");
    CHECK(error_of(R"({"n": 0x10})") == "n: malformed JSON value `0x10` (not null, true, false, a number or a string)");
    CHECK(error_of(R"({"customer": {"name": "\ud800"}})") == "customer.name: malformed JSON string");
    CHECK(error_of("{\"name\": \"a\xFF\"}").find("malformed JSON") == 0);
    CHECK(error_of("[1]") == "malformed JSON: a request must be a JSON object {...}, found `[1]`");
    Limits small;
    small.json_depth = 3;
    small.list_elements = 2;
    small.string_bytes = 4;
    small.request_bytes = 64;
    CHECK(error_of(R"({"a": {"b": {"c": {}}}})", small) == "a.b.c: nested more than 3 levels deep (the limit)");
    CHECK(error_of(R"({"a": [1, 2, 3]})", small) == "a[2]: list has more than 2 elements (the limit)");
    CHECK(error_of(R"({"a": "12345"})", small) == "a: string of 5 bytes is longer than the limit of 4 bytes");
    CHECK(error_of(std::string(65, ' '), small) == "request is 65 bytes, more than the limit of 64 bytes");
    CHECK(error_of(R"({"a": 1} {"b": 2})") == "malformed JSON: trailing content after the request object");
}

TEST_CASE("issue 18 item 5: the request reader keeps offsets for annotating in place") {
    const std::string text = "{\"id\": 7,\n \"customer\": {\"name\": \"A\\u0042\", \"on_entity_list\": false }}";
    JsonNode tree;
    REQUIRE_FALSE(read_json_tree(text, tree));
    const auto* id = tree.find("id");
    REQUIRE(id);
    CHECK(id->kind == JsonNode::Kind::Number);
    CHECK(id->text == "7");
    const auto* customer = tree.find("customer");
    REQUIRE(customer);
    CHECK(text[customer->begin] == '{');
    const auto* name = customer->find("name");
    CHECK(name->text == "AB");
    CHECK(text.substr(name->begin, name->end - name->begin) == "\"A\\u0042\"");
    const auto* flag = customer->find("on_entity_list");
    CHECK(text.substr(flag->begin, flag->end - flag->begin) == "false");
    CHECK_FALSE(flag->is_true());
    CHECK(json_on_one_line(text) == "{\"id\": 7,  \"customer\": {\"name\": \"A\\u0042\", \"on_entity_list\": false }}");
    CHECK(json_on_one_line("{\"a\": \"x\\\"\\n\"}\r\n") == "{\"a\": \"x\\\"\\n\"}  ");
}

TEST_CASE("issue 18 item 5: a YAML request is read through the decoder's conversion") {
    std::string json;
    JsonNode tree;
    REQUIRE_FALSE(read_yaml_tree("customer:\n  name: Sichuan University\n  foreign: !!str true\n", json, tree));
    CHECK(tree.find("customer")->find("foreign")->kind == JsonNode::Kind::String);
    CHECK(json.find("\"Sichuan University\"") != std::string::npos);
    CHECK(read_yaml_tree("a: [", json, tree));
}
