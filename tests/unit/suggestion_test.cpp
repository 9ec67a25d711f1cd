// "did you mean" suggestions and listed names in hints (dsl/include/cordon/dsl/diagnostic.hpp):
// right for the names people mistype, and bounded work for any input.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cordon/dsl/diagnostic.hpp"

using namespace cordon;

TEST_CASE("the nearest name is the closest within a third of the name's length, ties to the first in order") {
    const std::vector<std::string> names = {"hq_country", "country", "parent_hq_country", "foreign"};
    CHECK(nearest_name("contry", names) == "country");
    CHECK(nearest_name("hq_countyr", names) == "hq_country");
    CHECK(nearest_name("foriegn", names) == "foreign");
    CHECK(nearest_name("tpp", names).empty());
    CHECK(nearest_name("ab", {"ba", "ab_"}) == "ab_");    // distance 1 beats 2
    CHECK(nearest_name("xy", {"xb", "ay"}) == "ay");      // equal distance: the smaller name
    CHECK(nearest_name("xy", {"ay", "xb"}) == "ay");
}

TEST_CASE("a long name gets no suggestion, and candidates too far in length are not compared") {
    CHECK(nearest_name(std::string(65, 'a'), {std::string(65, 'a') + "b"}).empty());
    CHECK(nearest_name(std::string(64, 'a'), {std::string(64, 'a') + "b"}) == std::string(64, 'a') + "b");
    // A million candidates of a megabyte between them: answered within the fixed budget.
    std::vector<std::string> many(1'000'000, "zzzzzzzzzz");
    many.push_back("customer_nme");
    const auto near = nearest_name("customer_name", many);
    CHECK((near.empty() || near == "customer_nme"));  // the budget may stop before the last
    many.insert(many.begin(), "customer_nme");
    CHECK(nearest_name("customer_name", many) == "customer_nme");
}

TEST_CASE("a hint lists at most 20 names, then how many more") {
    std::vector<std::string> names;
    for (int i = 0; i < 3; ++i) names.push_back("v" + std::to_string(i));
    CHECK(name_list(names) == "v0, v1, v2");
    for (int i = 3; i < 100'000; ++i) names.push_back("v" + std::to_string(i));
    const auto text = name_list(names);
    CHECK(text.rfind("v0, v1, ", 0) == 0);
    CHECK(text.find(", v19, and 99980 more") != std::string::npos);
    CHECK(text.find("v20") == std::string::npos);
}

TEST_CASE("past the cap a diagnostic is counted, not kept, and the collection says it is full") {
    Diagnostics d;
    for (int i = 0; i < 49; ++i) d.error("E0000", Span{}, "e" + std::to_string(i));
    CHECK_FALSE(d.full());
    d.error("E0000", Span{}, "e49");
    CHECK(d.full());
    d.error("E0000", Span{}, "e50");
    CHECK(d.items().size() == 50);
    CHECK(d.error_count() == 51);
}
