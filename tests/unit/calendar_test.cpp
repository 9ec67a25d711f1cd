// Calendar helpers: days since 1970-01-01 <-> "YYYY-MM-DD", with month/day validation.
#include <doctest/doctest.h>

#include "cordon/dsl/parse.hpp"

using namespace cordon;

TEST_CASE("calendar: days_from_civil anchors") {
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(days_from_civil(1969, 12, 31) == -1);
    CHECK(days_from_civil(2000, 3, 1) == 11017);
    CHECK(days_from_civil(2024, 1, 29) == 19751);
    CHECK(days_from_civil(2023, 11, 17) == 19678);
}

TEST_CASE("calendar: invalid dates are rejected") {
    CHECK_FALSE(days_from_civil(2024, 2, 30));
    CHECK_FALSE(days_from_civil(2023, 2, 29));  // not a leap year
    CHECK(days_from_civil(2024, 2, 29));        // leap year
    CHECK(days_from_civil(2000, 2, 29));        // divisible by 400
    CHECK_FALSE(days_from_civil(1900, 2, 29));  // divisible by 100 only
    CHECK_FALSE(days_from_civil(2024, 13, 1));
    CHECK_FALSE(days_from_civil(2024, 0, 1));
    CHECK_FALSE(days_from_civil(2024, 4, 31));
    CHECK_FALSE(days_from_civil(2024, 1, 0));
    CHECK(days_from_civil(2024, 12, 31));
}

TEST_CASE("calendar: parse_date is exact") {
    CHECK(parse_date("2024-01-29") == 19751);
    CHECK_FALSE(parse_date("2024-1-29"));
    CHECK_FALSE(parse_date("2024-01-29T00:00:00Z"));
    CHECK_FALSE(parse_date("2024/01/29"));
    CHECK_FALSE(parse_date("2024-0a-29"));
    CHECK_FALSE(parse_date(""));
    CHECK_FALSE(parse_date("2024-02-30"));
}

TEST_CASE("calendar: format_date round-trips") {
    CHECK(format_date(0) == "1970-01-01");
    CHECK(format_date(-1) == "1969-12-31");
    CHECK(format_date(19751) == "2024-01-29");
    for (std::int32_t d = *days_from_civil(0, 1, 1); d <= *days_from_civil(9999, 12, 31); d += 997) {
        const auto s = format_date(d);
        REQUIRE(parse_date(s) == d);
    }
}
