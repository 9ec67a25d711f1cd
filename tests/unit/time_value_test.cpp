// A request's `time` (and a `date` attribute) is an ISO date or date-time, exactly as
// docs/interfaces.md ("time") states it: YYYY-MM-DD, then optionally T (or t, or a space),
// HH:MM, :SS with an optional fraction of one digit or more, and Z (z) or +HH:MM / -HH:MM
// or no zone; the day is the UTC day. parse_time_value is a hand-written scanner; this test
// states that grammar again as one regular expression and checks the two agree on every
// string built from the grammar's pieces and their near misses (65,520), the UTC day
// included. (The date itself is parse_date's, tested in calendar_test.)
#include <regex>
#include <string>
#include <vector>

#include "support.hpp"

#include "cordon/dsl/parse.hpp"
#include "cordon/engine/decode.hpp"

using namespace cordon;

namespace {

// The grammar, plainly: the day a text names in UTC, or nothing.
std::optional<std::int32_t> reference_time_value(const std::string& text) {
    static const std::regex form(
        R"(^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:([Zz])|([+-])(\d{2}):(\d{2}))?)?$)");
    std::smatch m;
    if (!std::regex_match(text, m, form)) return std::nullopt;
    const auto day = parse_date(m[1].str());
    if (!day) return std::nullopt;
    if (!m[2].matched) return day;
    const int hh = std::stoi(m[2].str()), mm = std::stoi(m[3].str());
    if (hh > 23 || mm > 59) return std::nullopt;
    if (m[4].matched && std::stoi(m[4].str()) > 60) return std::nullopt;  // 60: a leap second
    int offset = 0;
    if (m[6].matched) {
        const int oh = std::stoi(m[7].str()), om = std::stoi(m[8].str());
        if (oh > 23 || om > 59) return std::nullopt;
        offset = (m[6].str() == "+" ? 1 : -1) * (oh * 60 + om);
    }
    const int utc = hh * 60 + mm - offset;
    return *day + (utc < 0 ? -1 : utc >= 24 * 60 ? 1 : 0);
}

std::string show(const std::optional<std::int32_t>& day) { return day ? std::to_string(*day) : "refused"; }

}  // namespace

TEST_CASE("a request's time: every date-time the grammar allows reads as its UTC day, every near miss is refused") {
    const std::vector<std::string> days = {"2024-02-29", "2024-12-31", "2023-02-29"};
    const std::vector<std::string> seps = {"", "T", "t", " ", "x"};
    const std::vector<std::string> hours = {"00", "23", "24", "9", "0a"};
    const std::vector<std::string> minutes = {":00", ":59", ":60", ":5", "00"};
    const std::vector<std::string> seconds = {"", ":00", ":60", ":61", ":5"};
    const std::vector<std::string> fractions = {"", ".", ".5"};
    const std::vector<std::string> zones = {"",       "Z",      "z",      "+00:00", "+01:30", "-01:30", "+23:59", "-23:59",
                                            "+24:00", "-00:60", "+0100",  "+01:3",  "+1:00",  "Zx",     "+01:00x", "Q"};
    std::size_t compared = 0, accepted = 0, shifted = 0;
    for (const auto& day : days)
        for (const auto& sep : seps)
            for (const auto& hh : hours)
                for (const auto& mm : minutes)
                    for (const auto& ss : seconds)
                        for (const auto& frac : fractions)
                            for (const auto& zone : zones) {
                                // A fraction without seconds, or a time without a separator,
                                // repeats shapes already built: skip them to keep the count down.
                                if ((!frac.empty() && ss.empty()) || (sep.empty() && hh != "00")) continue;
                                const std::string text = day + sep + hh + mm + ss + frac + zone;
                                const auto want = reference_time_value(text);
                                const auto got = parse_time_value(text);
                                INFO("time: \"", text, "\"");
                                REQUIRE(show(got) == show(want));
                                ++compared;
                                if (want) ++accepted;
                                if (want && *want != *parse_date(text.substr(0, 10))) ++shifted;
                            }
    // The pieces reach both answers, and days moved by an offset both ways.
    CHECK(compared > 60000);
    CHECK(accepted > 500);
    CHECK(shifted > 100);
    // The plain forms the interface documents, and the day an offset moves them to.
    CHECK(parse_time_value("2024-11-18") == parse_date("2024-11-18"));
    CHECK(parse_time_value("2024-11-18T09:00:00Z") == parse_date("2024-11-18"));
    CHECK(parse_time_value("2024-11-18T23:30:00-01:00") == parse_date("2024-11-19"));
    CHECK(parse_time_value("2024-11-18T00:30:00+01:00") == parse_date("2024-11-17"));
    CHECK(parse_time_value("2024-11-18T00:00:00.000001+00:00") == parse_date("2024-11-18"));
    CHECK_FALSE(parse_time_value("2024-11-18T09:00:00Z "));
    CHECK_FALSE(parse_time_value("2024-11-18T"));
    for (const char* day : {"2024-1-01", "202X-01-01", "2024-13-01", "2024-11-18x", ""}) CHECK_FALSE(parse_time_value(day));
}
