// Regression (issue 18, item 7): a request's own `time` beat the operator's `--as-of` with
// no bound, so a request backdated to before a rule took effect (or to year 0) escaped it.
// The default still honours `time` (a logged request is decided as of its own day), but
// the operator may refuse or ignore it, or bound it by a window; a `time` outside
// 1990-01-01..2099-12-31 is an input error whatever the rule; every decision says where
// its day came from.
#include "support.hpp"

#include "cordon/engine/request_time.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

// A rule in force from 2025-01-15: a request backdated before that day escapes it.
const char* kRules = R"(policy t {
  status in_force
  effective 2025-01-15
  rule d { deny when customer.country == "CN" because "d" cite "c" }
}
)";

std::string request(const std::string& time_field) {
    return R"({"id": "r", "customer": {"name": "C", "country": "CN", "hq_country": "CN", "foreign": true,
        "identity_verified": false, "owners": []}, "intermediaries": [],
        "resource": {"chip": "H100-SXM", "tpp": 15832}, "license": {"granted": false})" +
           time_field + "}";
}

const std::string kBackdated = request(R"(, "time": "2020-01-01T09:00:00Z")");
const std::string kUntimed = request("");

// The decision JSON under `day`, or "refused: PATH: MESSAGE".
std::string decide_under(const PolicySet& set, const std::string& json, const DayPolicy& day) {
    Session s(set);
    if (auto err = s.decoder.decode_json(json, s.request)) return "input error: " + err->path + ": " + err->message;
    EvalOptions opts;
    if (auto refused = set.options(s.request, day, opts)) return "refused: " + refused->path + ": " + refused->message;
    s.decide(opts);
    std::string out;
    s.write_json(out);
    return out;
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

DayPolicy operator_day(const char* as_of, RequestTime rule, TimeSource source = TimeSource::Option) {
    DayPolicy day;
    day.as_of = *parse_date(as_of);
    day.source = source;
    day.request_time = rule;
    return day;
}

}  // namespace

TEST_CASE("issue 18.7: a backdated request under each --request-time rule") {
    auto l = load_rules(kRules);
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    const auto& set = *l.result.set;

    SUBCASE("honour (the default): decided as of its own time, and the decision says so") {
        const auto out = decide_under(set, kBackdated, operator_day("2026-01-01", RequestTime::Honour));
        CHECK(has(out, R"("decision":"allow")"));
        CHECK(has(out, R"("as_of":"2020-01-01","time_source":"request")"));
        // The old entry point keeps the documented default.
        CHECK(decide(set, kBackdated, "2026-01-01").verdict == "allow");
    }
    SUBCASE("refuse: a request that gives a time is refused at `time`; one without is decided") {
        const auto out = decide_under(set, kBackdated, operator_day("2026-01-01", RequestTime::Refuse));
        CHECK(out.rfind("refused: time: the request gives its own time (2020-01-01)", 0) == 0);
        const auto untimed = decide_under(set, kUntimed, operator_day("2026-01-01", RequestTime::Refuse));
        CHECK(has(untimed, R"("decision":"deny")"));
        CHECK(has(untimed, R"("as_of":"2026-01-01","time_source":"option")"));
    }
    SUBCASE("ignore: decided as of the operator's day, the rule in force fires") {
        const auto out = decide_under(set, kBackdated, operator_day("2026-01-01", RequestTime::Ignore, TimeSource::Clock));
        CHECK(has(out, R"("decision":"deny")"));
        CHECK(has(out, R"("as_of":"2026-01-01","time_source":"clock")"));
    }
    SUBCASE("a window: an honoured time outside it is refused, naming the window; inside, honoured") {
        auto day = operator_day("2026-01-01", RequestTime::Honour);
        std::string error;
        day.window = *TimeWindow::parse("2025-01-01..2026-12-31", error);
        CHECK(decide_under(set, kBackdated, day) ==
              "refused: time: 2020-01-01 is outside the window the operator allows (2025-01-01..2026-12-31, "
              "--time-window); decided deny");
        CHECK(has(decide_under(set, request(R"(, "time": "2025-02-01")"), day), R"("time_source":"request")"));
        day.window = *TimeWindow::parse("30", error);  // within 30 days of 2026-01-01
        CHECK(has(decide_under(set, kBackdated, day), "(2025-12-02..2026-01-31, --time-window)"));
        CHECK(has(decide_under(set, request(R"(, "time": "2025-12-02")"), day), R"("decision":"deny")"));
        CHECK(has(decide_under(set, request(R"(, "time": "2026-01-31")"), day), R"("as_of":"2026-01-31")"));
        CHECK(has(decide_under(set, request(R"(, "time": "2026-02-01")"), day), "refused: time:"));
        // A window does not bound a time that is ignored.
        day.request_time = RequestTime::Ignore;
        CHECK(has(decide_under(set, kBackdated, day), R"("decision":"deny")"));
    }
}

TEST_CASE("issue 18.7: a time outside 1990-01-01..2099-12-31 is an input error whatever the rule") {
    auto l = load_rules(kRules);
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    const auto& set = *l.result.set;
    for (auto rule : {RequestTime::Honour, RequestTime::Refuse, RequestTime::Ignore}) {
        const auto day = operator_day("2026-01-01", rule);
        CHECK(decide_under(set, request(R"(, "time": "0000-01-01")"), day) ==
              "input error: time: expected a day from 1990-01-01 to 2099-12-31, got 0000-01-01");
        CHECK(decide_under(set, request(R"(, "time": "9999-12-31T23:59:59Z")"), day) ==
              "input error: time: expected a day from 1990-01-01 to 2099-12-31, got 9999-12-31");
        CHECK(has(decide_under(set, request(R"(, "time": "1989-12-31")"), day), "input error: time:"));
        CHECK(has(decide_under(set, request(R"(, "time": "2100-01-01")"), day), "input error: time:"));
    }
    const auto day = operator_day("2026-01-01", RequestTime::Honour);
    CHECK(has(decide_under(set, request(R"(, "time": "1990-01-01")"), day), R"("as_of":"1990-01-01")"));
    CHECK(has(decide_under(set, request(R"(, "time": "2099-12-31")"), day), R"("as_of":"2099-12-31")"));
    // A YAML request goes through the same check.
    Session s(set);
    const auto err = s.decoder.decode_yaml("time: 0001-01-01\n", s.request);
    REQUIRE(err);
    CHECK(err->path == "time");
}

TEST_CASE("issue 18.7: --time-window and --request-time values") {
    std::string error;
    const auto both = TimeWindow::parse("2025-01-01..2025-12-31", error);
    REQUIRE(both);
    CHECK(*both->from == *parse_date("2025-01-01"));
    CHECK(*both->to == *parse_date("2025-12-31"));
    const auto open = TimeWindow::parse("2025-01-01..", error);
    REQUIRE(open);
    CHECK_FALSE(open->to);
    CHECK(TimeWindow::parse("..2025-01-01", error));
    CHECK(TimeWindow::parse("0", error)->days == 0);
    for (const char* bad : {"", "..", "2025-13-01..", "2025-02-01..2025-01-01", "-3", "x", "30d", "99999"}) {
        INFO(bad);
        CHECK_FALSE(TimeWindow::parse(bad, error));
        CHECK_FALSE(error.empty());
    }
    CHECK(parse_request_time("honour") == RequestTime::Honour);
    CHECK(parse_request_time("honor") == RequestTime::Honour);
    CHECK(parse_request_time("refuse") == RequestTime::Refuse);
    CHECK(parse_request_time("ignore") == RequestTime::Ignore);
    CHECK_FALSE(parse_request_time("Honour"));
}
