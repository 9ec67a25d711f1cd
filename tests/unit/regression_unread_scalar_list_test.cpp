// Regression (found by the differential test's generator): a list of scalars that no
// rule reads was refused with "list elements cannot be null" for every element. The
// decoder skips storing values no rule reads, then took the unstored element for a null.
#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

TEST_CASE("regression: a list of numbers or strings no rule reads is accepted") {
    const char* rules = "policy p {\n  status in_force\n  rule r { deny when flag because \"x\" }\n}\n";
    for (const char* type : {"number", "string", "bool"}) {
        INFO(std::string(type));
        auto l = load_rules(rules, {{"schema.yaml", std::string("flag: bool\nvalues: [") + type + "]\n"}});
        REQUIRE_MESSAGE(l.ok(), l.rendered);
        const std::string elem = std::string(type) == "number" ? "1" : std::string(type) == "bool" ? "true" : "\"a\"";
        auto o = decide(*l.result.set, "{\"flag\": true, \"values\": [" + elem + ", " + elem + "]}");
        CHECK(o.input_error == "");
        CHECK(o.verdict == "deny");
        CHECK(o.fired == Ids{"p.r"});
        // A null element is still refused, read or not.
        o = decide(*l.result.set, "{\"flag\": true, \"values\": [" + elem + ", null]}");
        CHECK(o.input_error == "values[1]: list elements cannot be null");
    }
}
