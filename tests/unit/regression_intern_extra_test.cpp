// Issue 18, item 13: request-local strings (names no policy mentions) were found by a
// linear search, so a request of many distinct names decoded in quadratic time. Past 16
// of them a hash table finds them; these tests hold its answers to the linear search's:
// one id per distinct text, the same id for the same text, across resets and trims.
#include "support.hpp"
#include "program/program.hpp"

#include <unordered_map>

using namespace cordon;
using namespace cordon::test;

TEST_CASE("issue 18.13: request-local strings: one id per text, before and past the hash threshold") {
    auto l = load_rules("policy t {\n  status in_force\n  rule r { deny when customer.name == \"known\" because \"x\" cite \"c\" }\n}\n");
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    const Program& program = l.result.set->program();
    const auto base = static_cast<std::uint32_t>(program.strings.size());
    Request request;
    for (int round = 0; round < 3; ++round) {  // reset between rounds: old ids must not leak
        INFO("round " << round);
        request.reset(program);
        std::unordered_map<std::string, std::uint32_t> ids;
        for (int i = 0; i < 5000; ++i) {
            const std::string name = "owner " + std::to_string((i * 7919 + round) % 3000);  // repeats
            const auto id = request.intern_extra(program, name);
            const auto [it, fresh] = ids.emplace(name, id);
            if (!fresh) REQUIRE(it->second == id);
            else REQUIRE(id == base + ids.size() - 1);
            REQUIRE(request.text(program, id) == name);
        }
        CHECK(ids.size() == 3000);
        CHECK(request.intern_extra(program, "known") < base);  // a policy's own string keeps its id
        CHECK(request.intern_extra(program, "") == base + 3000);
        if (round == 1) request.trim(0);  // drops the table; the next round rebuilds it
    }
}

TEST_CASE("issue 18.13: a request of many distinct owner names decodes each to its own text") {
    auto l = load_rules("policy t {\n  status in_force\n  rule r { deny when any o in customer.owners: o.name == \"owner 9999\" "
                        "because \"x\" cite \"c\" }\n}\n");
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    std::string owners;
    for (int i = 0; i < 10000; ++i)
        owners += std::string(i ? "," : "") + R"({"name": "owner )" + std::to_string(i) + R"(", "country": "DE", "share": 0})";
    const auto request = R"({"customer": {"name": "A", "country": "DE", "hq_country": "DE", "foreign": true,
        "identity_verified": true, "owners": [)" + owners + "]}}";
    CHECK(decide(*l.result.set, request).fired == Ids{"t.r"});
    const auto without = request.substr(0, request.find("owner 9999")) + "owner 99990" +
                         request.substr(request.find("owner 9999") + 10);
    CHECK(decide(*l.result.set, without).fired.empty());
}
