// Regression (issue 18, item 6): malformed JSON atoms were accepted. Anything starting
// with `n` was read as null, and a bool or number field no rule reads was only sniffed by
// its first byte, so `nope`, `tXYZ`, `fals`, `null"x"` and `nonsense` passed. Every byte of a
// request is now validated, read or not.
#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

TEST_CASE("issue 18.6: malformed JSON atoms are rejected whether or not a rule reads the field") {
    // `flag` and `n` are read by a rule (their atoms are checked as simdjson reads them), the
    // `unread_` ones are not (checked byte by byte without being read).
    const char* rules = "policy p {\n  status in_force\n  rule r { deny when flag or n > 3 because \"x\" }\n}\n";
    auto l = load_rules(rules, {{"schema.yaml", "flag: bool\nn: number\nunread_bool: bool\nunread_num: number\n"
                                                "name: string\nwhen: date\nrec:\n  x: bool\nvalues: [number]\n"}});
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    const auto error_of = [&](const std::string& body) {
        return decide(*l.result.set, "{" + body + "}").input_error;
    };
    // Well-formed atoms still pass, read or not.
    CHECK(error_of(R"("flag": true, "unread_bool": false, "unread_num": -1.5e3, "name": null)") == "");
    CHECK(error_of(R"("flag": null, "rec": null, "values": null, "time": null)") == "");
    for (const char* field : {"flag", "n", "unread_bool", "unread_num", "name", "when", "rec", "values", "time"}) {
        for (const char* atom : {"nope", "nul", "nullx", "tXYZ", "fals", "falsey", "truee", "nonsense", "-", "01",
                                 "1.", "1e", "0x10", "+1", ".5"}) {
            const std::string body = std::string("\"") + field + "\": " + atom;
            INFO(body);
            const auto e = error_of(body);
            CHECK(e.rfind(std::string(field) + ": malformed JSON value", 0) == 0);
        }
    }
    // An atom glued to a string, in a field no rule reads or in a list.
    CHECK(error_of(R"("name": null"H100-SXM")") != "");
    CHECK(error_of(R"("unread_bool": true"x")") != "");
    CHECK(error_of(R"("values": [1, nope])").rfind("values[1]: malformed JSON value", 0) == 0);
    CHECK(error_of(R"("id": 12x)").rfind("id: malformed JSON value", 0) == 0);
    // A bad escape in a string no rule reads.
    CHECK(error_of(R"("name": "a\qb")") != "");
}

TEST_CASE("a value no rule reads is checked as when a rule reads it, with the same error") {
    // Found by mutation (session 19): a decoder that returned early for every unread field
    // but a string passed every test, so `"hq": "China"` in a field no rule reads would have
    // been accepted. And (session 20) an unread number or boolean was checked by type only:
    // `"size": 1e400` was accepted unread and refused read, and `"ok": "yes"` said "expected
    // a bool" unread but "expected true or false" read. Unread or read, the same value is
    // the same error.
    const char* schema = "flag: bool\nhq: country\nfounded: date\ntier: \"enum[gold, silver]\"\nsize: number\nok: bool\n"
                         "name: string\n";
    auto unread = load_rules("policy p {\n  status in_force\n  rule r { deny when flag because \"x\" }\n}\n",
                             {{"schema.yaml", schema}});
    auto read = load_rules("policy p {\n  status in_force\n  rule r { deny when flag and hq == \"CN\" and founded < 2020-01-01 "
                           "and tier == \"gold\" and size > 1 and ok and name == \"n\" because \"x\" }\n}\n",
                           {{"schema.yaml", schema}});
    REQUIRE_MESSAGE(unread.ok(), unread.rendered);
    REQUIRE_MESSAGE(read.ok(), read.rendered);
    for (const char* field : {R"("hq": "China")", R"("hq": "cn")", R"("hq": 86)", R"("founded": "2024-02-30")",
                              R"("founded": "01/02/2024")", R"("founded": true)", R"("tier": "bronze")",
                              R"("tier": "Gold")", R"("tier": 1)", R"("size": 1e400)", R"("size": -1e309)",
                              R"("size": "1")", R"("size": true)", R"("ok": "yes")", R"("ok": 1)", R"("name": 5)",
                              R"("name": "a\qb")", R"("name": ["n"])"}) {
        const std::string request = std::string(R"({"flag": true, )") + field + "}";
        INFO(request);
        const auto e = decide(*unread.result.set, request).input_error;
        CHECK(e != "");
        CHECK(e == decide(*read.result.set, request).input_error);
    }
    for (const char* field : {R"("hq": "CN")", R"("founded": "2019-05-01")", R"("tier": "gold")", R"("size": 1e308)",
                              R"("ok": false)", R"("name": "n\u00e9")"}) {
        const std::string request = std::string(R"({"flag": true, )") + field + "}";
        INFO(request);
        CHECK(decide(*unread.result.set, request).input_error == "");
    }
}
