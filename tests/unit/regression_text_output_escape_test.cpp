// Regression (issue 18, item 18): text output printed a request's `id` (and request text a
// message echoes) raw, so an id holding a newline and ANSI escapes could forge a "DENY" line
// in a log. Control characters are now escaped in text output.
#include "cordon/engine/json_text.hpp"

#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

TEST_CASE("issue 18.18: text output escapes control characters in an id and in echoed request text") {
    auto l = load_rules("policy p {\n  status in_force\n  rule r { report when true because \"name {name}\" }\n}\n",
                        {{"schema.yaml", "name: string\n"}});
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    Session s(*l.result.set);
    const std::string forged = R"({"id": "x\nDENY  forged\u001b[31m\u0085", "name": "a\r\nALLOW  b"})";
    REQUIRE(!s.decoder.decode_json(forged, s.request));
    s.decide(l.result.set->options(s.request, *parse_date("2024-11-18"), {}));
    std::string out;
    s.write_text(out, false);
    INFO(out);
    CHECK(out.find("\nDENY  forged") == std::string::npos);
    CHECK(out.find('\x1b') == std::string::npos);
    CHECK(out.find("\xc2\x85") == std::string::npos);
    CHECK(out.find("x\\nDENY  forged\\x1b[31m\\u0085") != std::string::npos);
    CHECK(out.find("name a\\r\\nALLOW  b") != std::string::npos);
    // Every line of the output is one the writer made: none starts with request text.
    CHECK(out.find("\nALLOW") == std::string::npos);

    CHECK(printable("ok ü 中") == "ok ü 中");
    CHECK(printable("\t\x7f\xff") == "\\t\\x7f\\xff");
}
