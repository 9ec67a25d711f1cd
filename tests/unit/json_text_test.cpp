// append_json_string: every byte string becomes a valid JSON string (fuzz_request_json
// found decisions quoting invalid UTF-8 from the request in their error message).
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <string>

#include "cordon/engine/json_text.hpp"

using cordon::append_json_string;

namespace {
std::string json_quoted(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}
}  // namespace

TEST_CASE("append_json_string keeps well-formed UTF-8 and escapes control characters") {
    CHECK(json_quoted("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") == "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
    CHECK(json_quoted(std::string("a\"b\\c\n\x01", 7)) == "\"a\\\"b\\\\c\\n\\u0001\"");
}

TEST_CASE("append_json_string replaces bytes that are not UTF-8 with U+FFFD") {
    CHECK(json_quoted("\xFF") == "\"\\ufffd\"");
    CHECK(json_quoted("a\xD0") == "\"a\\ufffd\"");                       // cut short at the end
    CHECK(json_quoted("\xD0(") == "\"\\ufffd(\"");                       // no continuation byte
    CHECK(json_quoted("\xC0\xAF") == "\"\\ufffd\\ufffd\"");             // overlong '/'
    CHECK(json_quoted("\xED\xA0\x80") == "\"\\ufffd\\ufffd\\ufffd\"");  // a UTF-16 surrogate
    CHECK(json_quoted("\xF4\x90\x80\x80") == "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  // above U+10FFFF
    CHECK(json_quoted("\x80x") == "\"\\ufffdx\"");                       // stray continuation byte
    for (const char* s : {"\xFF\xFE", "n\x00<\xD0\x9C\xD0", "\xE2\x82", "\xF0\x9F\x98"}) {
        const auto doc = nlohmann::json::parse(json_quoted(s), nullptr, false);
        CHECK_FALSE(doc.is_discarded());
    }
}

TEST_CASE("append_json_string round-trips every ASCII byte between runs of plain text") {
    for (int b = 0; b < 0x80; ++b) {
        std::string s = "plain ";
        s.push_back(static_cast<char>(b));
        s.append(" text");
        s.push_back(static_cast<char>(b));
        const auto doc = nlohmann::json::parse(json_quoted(s), nullptr, false);
        REQUIRE_FALSE(doc.is_discarded());
        CHECK(doc.get<std::string>() == s);
    }
    CHECK(json_quoted("") == "\"\"");
    CHECK(json_quoted("\"\"") == "\"\\\"\\\"\"");
}
