// Data checked against its use: a set or table compared with a `country` or an enum
// attribute must hold country codes or values of the enum, and a set holds strings, not
// YAML booleans or numbers. Each mistake is an error at the data file's line, never a
// silent pass (a set `[China]` would let a customer headquartered in CN through).
#include "support.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

std::string rules_using(const char* condition) {
    return std::string("policy t {\n  status in_force\n  use sets from \"data/mine.yaml\"\n"
                       "  use table parties from \"data/parties.yaml\"\n  rule r { deny when ") +
           condition + " because \"r\" cite \"c\" }\n}\n";
}

Loaded load_with(const char* condition, const char* sets, const char* table = "ACME: {country: CN, role: reseller}\n") {
    return load_rules(rules_using(condition), {{"data/mine.yaml", sets}, {"data/parties.yaml", table}});
}

}  // namespace

TEST_CASE("data: a country set member written as a name is an error at its line, with the code") {
    auto l = load_with("customer.hq_country in TABLE1", "TABLE1: [China, MO]\n");
    INFO(l.rendered);
    CHECK_FALSE(l.ok());
    CHECK(l.rendered.find("data/mine.yaml:1:10: error[E0208]") != std::string::npos);
    CHECK(l.rendered.find("\"China\" (member of set `TABLE1`, tested against `customer.hq_country`)") != std::string::npos);
    CHECK(l.rendered.find("did you mean \"CN\"?") != std::string::npos);
}

TEST_CASE("data: a plain YAML boolean, null or number in a set is an error; quoted it is text") {
    for (const char* bad : {"[CN, no]", "[CN, NO]", "[CN, false]", "[CN, 42]", "[CN, 0x10]"}) {
        auto l = load_with("customer.hq_country in S", (std::string("S: ") + bad + "\n").c_str());
        INFO(bad << "\n" << l.rendered);
        CHECK_FALSE(l.ok());
        CHECK(l.rendered.find("in YAML, not a string") != std::string::npos);
    }
    auto quoted = load_with("customer.hq_country in S", "S: [CN, \"NO\"]\n");
    INFO(quoted.rendered);
    CHECK(quoted.ok());
}

TEST_CASE("data: enum sets, table keys and table cells are checked against the attribute they meet") {
    auto role = load_with("any i in intermediaries: i.role in ROLES", "ROLES: [reseller, brokr]\n");
    INFO(role.rendered);
    CHECK_FALSE(role.ok());
    CHECK(role.rendered.find("\"brokr\" (member of set `ROLES`, tested against `intermediaries[].role`)") != std::string::npos);
    CHECK(role.rendered.find("did you mean \"broker\"?") != std::string::npos);

    auto keys = load_with("customer.country in parties", "S: []\n", "China: {country: CN, role: reseller}\n");
    INFO(keys.rendered);
    CHECK_FALSE(keys.ok());
    CHECK(keys.rendered.find("key of table `parties`, looked up by `customer.country`") != std::string::npos);

    auto cells = load_with("customer.country in parties and parties[customer.country].country == customer.hq_country",
                           "S: []\n", "CN: {country: Macau, role: reseller}\n");
    INFO(cells.rendered);
    CHECK_FALSE(cells.ok());
    CHECK(cells.rendered.find("\"Macau\" (`country` of row `CN` in table `parties`, compared with `customer.hq_country`)") !=
          std::string::npos);
    CHECK(cells.rendered.find("did you mean \"MO\"?") != std::string::npos);
}

TEST_CASE("data: sets that are right load, and a set used against a plain string is not checked for shape") {
    auto ok = load_with("customer.hq_country in S and customer.name in NAMES", "S: [CN, MO]\nNAMES: [China Telecom]\n");
    INFO(ok.rendered);
    CHECK(ok.ok());
}
