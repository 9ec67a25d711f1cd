// The C ABI (engine/capi/cordon.h) called from C++: load errors as text, decisions as
// JSON, fail-closed deny decisions for bad input and arguments, and concurrent use.
//
// The ABI's one source file is compiled into this test binary (cordon_tests links the
// engine only), so these tests exercise exactly the code in libcordon.so.
#include "../../engine/capi/cordon_c.cpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>
#include "support.hpp"

namespace {

const char* kGood = CORDON_SOURCE_DIR "/tests/fixtures/embed/good";
const char* kBroken = CORDON_SOURCE_DIR "/tests/fixtures/embed/broken";

const char* kRequest = R"({"id": "req-1", "customer": {"name": "U", "country": "CN", "hq_country": "CN",
    "foreign": true, "identity_verified": false}, "resource": {"chip": "H100-SXM", "tpp": 15832},
    "license": {"granted": false}})";

// Owns a cordon_policy_set for a test.
struct Set {
    explicit Set(const char* dir) {
        char* error = nullptr;
        set = cordon_load(dir, &error);
        if (error) message = error;
        cordon_free_string(error);
    }
    ~Set() { cordon_free(set); }
    cordon_policy_set* set = nullptr;
    std::string message;
};

struct Result {
    int rc = -1;
    std::string json;
    bool null_out = false;
};

Result decide(const cordon_policy_set* set, std::string_view request, const char* as_of = "2024-11-18",
              const char* include = nullptr) {
    char* out = nullptr;
    Result r;
    r.rc = cordon_decide_json(set, request.data(), request.size(), as_of, include, &out);
    r.null_out = out == nullptr;
    if (out) r.json = out;
    cordon_free_string(out);
    return r;
}

bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("cordon_load: a broken set gives NULL and the rendered diagnostics") {
    const Set broken(kBroken);
    CHECK(broken.set == nullptr);
    CHECK(contains(broken.message, "rules.cordon:6:15: error[E0202]: unknown attribute `customer.hq_contry`"));
    CHECK(contains(broken.message, "did you mean `customer.hq_country`?"));
    CHECK(contains(broken.message, "policy set not loaded: 1 error\n"));

    const Set missing(CORDON_SOURCE_DIR "/tests/fixtures/embed/no-such-dir");
    CHECK(missing.set == nullptr);
    CHECK_FALSE(missing.message.empty());

    CHECK(cordon_load(nullptr, nullptr) == nullptr);
    char* error = nullptr;
    CHECK(cordon_load(nullptr, &error) == nullptr);
    CHECK(std::string(error) == "cordon_load: the directory is NULL\n");
    cordon_free_string(error);
}

TEST_CASE("cordon_load and cordon_decide_json: a decision as INTERFACES.md JSON") {
    const Set good(kGood);
    REQUIRE_MESSAGE(good.set, good.message);
    CHECK(good.message.empty());
    CHECK(std::string(cordon_name(good.set)) == "embed-test");
    CHECK(std::string(cordon_digest(good.set)).rfind("sha256:", 0) == 0);
    CHECK(cordon_digest(nullptr) == nullptr);

    const auto r = decide(good.set, kRequest);
    CHECK(r.rc == CORDON_OK);
    CHECK(r.json ==
          std::string(R"j({"id":"req-1","decision":"deny","fired":[{"rule":"embed.rules.hq_in_d5","effect":"deny",)j"
                      R"j("message":"advanced IC for an entity headquartered in CN","cite":"15 CFR 742.6(a)(6)(iii)",)j"
                      R"j("status":"in_force"}],"reports":[],"errors":[],"as_of":"2024-11-18","time_source":"option",)j"
                    R"j("enforced":{"statuses":["in_force"],"policies":[]},)j"
                    R"j("not_enforced":{"rules":1,"statuses":{"proposed":1},"not_yet_effective":0,"past_sunset":0},)j"
                      R"j("policy_set":{"name":"embed-test","digest":")j") +
              cordon_digest(good.set) + "\"}}");

    SUBCASE("include adds statuses; spaces and empty items are ignored") {
        const auto proposed = decide(good.set, kRequest, "2024-11-18", " proposed, ,bill");
        CHECK(proposed.rc == CORDON_OK);
        CHECK(contains(proposed.json, "embed.proposed.unverified_foreign"));
        CHECK_FALSE(contains(r.json, "embed.proposed.unverified_foreign"));
    }
    SUBCASE("as_of NULL is today; the request's time wins over as_of") {
        const auto today_r = decide(good.set, kRequest, nullptr);
        CHECK(today_r.rc == CORDON_OK);
        CHECK(contains(today_r.json, "\"as_of\":\"" + format_date(today()) + "\""));
        const auto timed = decide(good.set, R"({"time": "2023-01-05T10:00:00Z"})", "2024-11-18");
        CHECK(contains(timed.json, "\"as_of\":\"2023-01-05\""));
    }
    SUBCASE("the request need not be NUL-terminated") {
        const std::string padded = std::string(kRequest) + "garbage";
        CHECK(decide(good.set, std::string_view(padded).substr(0, std::strlen(kRequest))).json == r.json);
    }
}

TEST_CASE("issue 18.7: cordon_set_request_time refuses, ignores or bounds a backdated request's time") {
    const Set good(kGood);
    REQUIRE(good.set);
    const char* backdated = R"({"id": "old", "time": "2020-01-01"})";
    // Honoured by default: the decision says the day came from the request.
    CHECK(contains(decide(good.set, backdated, "2024-11-18").json, R"("as_of":"2020-01-01","time_source":"request")"));
    char* error = nullptr;
    REQUIRE(cordon_set_request_time(good.set, "refuse", nullptr, &error) == CORDON_OK);
    CHECK(error == nullptr);
    const auto refused = decide(good.set, backdated, "2024-11-18");
    CHECK(refused.rc == CORDON_BAD_INPUT);
    CHECK(contains(refused.json, R"("id":"old","decision":"deny")"));
    CHECK(contains(refused.json, R"("input":"time","message":"request: time: the request gives its own time)"));
    CHECK(contains(refused.json, R"("as_of":"2024-11-18","time_source":"option")"));
    CHECK(contains(decide(good.set, backdated, nullptr).json, R"("time_source":"clock")"));

    REQUIRE(cordon_set_request_time(good.set, "ignore", nullptr, nullptr) == CORDON_OK);
    const auto ignored = decide(good.set, backdated, "2024-11-18");
    CHECK(ignored.rc == CORDON_OK);
    CHECK(contains(ignored.json, R"("as_of":"2024-11-18","time_source":"option")"));

    REQUIRE(cordon_set_request_time(good.set, "honour", "2024-01-01..2024-12-31", nullptr) == CORDON_OK);
    CHECK(decide(good.set, backdated, "2024-11-18").rc == CORDON_BAD_INPUT);
    CHECK(decide(good.set, R"({"time": "2024-06-01"})", "2024-11-18").rc == CORDON_OK);

    // Bad values are refused and leave the rule as it was.
    CHECK(cordon_set_request_time(good.set, "sometimes", nullptr, &error) == CORDON_BAD_ARGUMENT);
    REQUIRE(error != nullptr);
    CHECK(contains(error, "\"sometimes\" is not honour, refuse or ignore"));
    cordon_free_string(error);
    CHECK(cordon_set_request_time(good.set, "refuse", "2025-01-01..2024-01-01", &error) == CORDON_BAD_ARGUMENT);
    CHECK(contains(error, "time window: "));
    cordon_free_string(error);
    CHECK(decide(good.set, backdated, "2024-11-18").rc == CORDON_BAD_INPUT);  // still the window
    CHECK(cordon_set_request_time(nullptr, "refuse", nullptr, nullptr) == CORDON_BAD_ARGUMENT);

    // A slot has its own rule.
    cordon_live* live = cordon_live_new(good.set);
    REQUIRE(live);
    REQUIRE(cordon_live_set_request_time(live, "refuse", nullptr, nullptr) == CORDON_OK);
    char* out = nullptr;
    CHECK(cordon_live_decide_json(live, backdated, std::strlen(backdated), nullptr, nullptr, &out) == CORDON_BAD_INPUT);
    cordon_free_string(out);
    cordon_live_free(live);
}

TEST_CASE("bad input gives 3 and a fail-closed deny decision naming the input error") {
    const Set good(kGood);
    REQUIRE(good.set);
    const auto r = decide(good.set, R"({"id": "r2", "customer": {"hq_contry": "CN"}})");
    CHECK(r.rc == CORDON_BAD_INPUT);
    CHECK(r.json == std::string(R"({"id":"r2","decision":"deny","fired":[],"reports":[],"errors":[{"rule":null,)"
                                R"("input":"customer.hq_contry","message":"request: customer.hq_contry: unknown )"
                                R"(field; did you mean \"hq_country\"?"}],"as_of":"2024-11-18","time_source":"option","policy_set":)"
                                R"({"name":"embed-test","digest":")") +
                        cordon_digest(good.set) + "\"}}");
    const auto malformed = decide(good.set, "{\"customer\": ");
    CHECK(malformed.rc == CORDON_BAD_INPUT);
    CHECK(contains(malformed.json, R"("decision":"deny")"));
    CHECK(contains(malformed.json, R"("errors":[{"rule":null,"input":"","message":"request: )"));
    CHECK(decide(good.set, "").rc == CORDON_BAD_INPUT);
}

TEST_CASE("a request field given twice is bad input, and the deny keeps an id given after the bad field") {
    const Set good(kGood);
    REQUIRE(good.set);
    // A second `time` used to win (and turn the decision); now it is an input error.
    const std::string twice = std::string(kRequest).insert(1, R"("time": "2024-11-18", "time": "2020-01-01", )");
    const auto r = decide(good.set, twice);
    CHECK(r.rc == CORDON_BAD_INPUT);
    CHECK(contains(r.json, R"({"id":"req-1","decision":"deny","fired":[])"));
    CHECK(contains(r.json, R"("input":"time","message":"request: time: field given twice")"));
    const auto ids = decide(good.set, R"({"id": "a", "id": "b"})");
    CHECK(ids.rc == CORDON_BAD_INPUT);
    CHECK(contains(ids.json, R"({"id":"a","decision":"deny")"));
    // Key-sorted serializers put `id` after the bad field.
    const auto sorted = decide(good.set, R"({"customer": {"hq_contry": "CN"}, "id": "zz-9"})");
    CHECK(sorted.rc == CORDON_BAD_INPUT);
    CHECK(contains(sorted.json, R"({"id":"zz-9","decision":"deny")"));
}

TEST_CASE("the C ABI holds the request limits, and a large request's memory is given back") {
    const Set good(kGood);
    REQUIRE(good.set);
    const std::size_t limit = Limits{}.request_bytes;
    std::string over = kRequest;
    over.append(limit + 1 - over.size(), ' ');
    const auto refused = decide(good.set, over);
    CHECK(refused.rc == CORDON_BAD_INPUT);
    CHECK(contains(refused.json,
                   R"j("message":"request: request is 8388609 bytes, more than the limit of 8388608 bytes (8 MiB)")j"));
    // Just under the limit: decided, and afterwards this thread's worker keeps no megabytes.
    std::string large = kRequest;
    large.append(limit - large.size(), ' ');
    const auto decided = decide(good.set, large);
    CHECK(decided.rc == CORDON_OK);
    CHECK(contains(decided.json, R"({"id":"req-1","decision":"deny")"));
    const Worker* w = Workers::get(good.set->live).first;
    REQUIRE(w);
    CHECK(w->session.decoder.retained_bytes() < Limits{}.retained_buffer_bytes);
    CHECK(w->out.capacity() < Limits{}.retained_buffer_bytes);
}

TEST_CASE("bad arguments give 1, still with a deny decision when there is somewhere to put it") {
    const Set good(kGood);
    REQUIRE(good.set);
    const auto no_set = decide(nullptr, kRequest);
    CHECK(no_set.rc == CORDON_BAD_ARGUMENT);
    CHECK(contains(no_set.json, R"("decision":"deny")"));
    CHECK(contains(no_set.json, R"("policy_set":null)"));
    const auto bad_day = decide(good.set, kRequest, "18/11/2024");
    CHECK(bad_day.rc == CORDON_BAD_ARGUMENT);
    CHECK(contains(bad_day.json, R"(as_of: \"18/11/2024\" is not a date (YYYY-MM-DD))"));
    const auto bad_status = decide(good.set, kRequest, nullptr, "proposed,enacted");
    CHECK(bad_status.rc == CORDON_BAD_ARGUMENT);
    CHECK(contains(bad_status.json, R"(include: unknown status \"enacted\")"));
    char* out = nullptr;
    CHECK(cordon_decide_json(good.set, nullptr, 0, nullptr, nullptr, &out) == CORDON_BAD_ARGUMENT);
    CHECK(contains(out, "the request text is NULL"));
    cordon_free_string(out);
    CHECK(cordon_decide_json(good.set, kRequest, std::strlen(kRequest), nullptr, nullptr, nullptr) ==
          CORDON_BAD_ARGUMENT);
    cordon_free_string(nullptr);
    cordon_free(nullptr);
}

TEST_CASE("concurrent decides on one set from two threads give identical output") {
    const Set good(kGood);
    REQUIRE(good.set);
    const std::vector<std::string> requests = {
        kRequest,
        R"({"id": "r-de", "customer": {"name": "D", "country": "DE", "hq_country": "DE", "foreign": true,
            "identity_verified": true}, "resource": {"chip": "H100-SXM", "tpp": 15832}})",
        R"({"id": "r-chain", "customer": {"name": "S", "country": "SG", "hq_country": "SG", "foreign": true,
            "identity_verified": true, "owners": [{"name": "P", "country": "CN", "share": 0.7}]},
            "intermediaries": [{"name": "R", "country": "MO", "role": "reseller"}],
            "resource": {"chip": "A", "tpp": 9000}})",
        R"({"id": "r-bad", "customer": {"hq_country": "China"}})",
    };
    std::vector<std::string> expected;
    for (const auto& r : requests) expected.push_back(decide(good.set, r, "2024-11-18", "proposed").json);

    constexpr int kRounds = 300;
    std::vector<std::string> seen[2];
    auto work = [&](int t) {
        for (int i = 0; i < kRounds; ++i) {
            const auto& r = requests[(i + t) % requests.size()];
            seen[t].push_back(decide(good.set, r, "2024-11-18", "proposed").json);
        }
    };
    std::thread a(work, 0), b(work, 1);
    a.join();
    b.join();
    for (int t = 0; t < 2; ++t) {
        REQUIRE(seen[t].size() == kRounds);
        for (int i = 0; i < kRounds; ++i) CHECK(seen[t][i] == expected[(i + t) % requests.size()]);
    }
}

TEST_CASE("cordon_load_native: native code decides as the set does; a stale or bad object is refused") {
    Set good(kGood);
    REQUIRE(good.set);
    const Result before = decide(good.set, kRequest);
    REQUIRE(before.rc == CORDON_OK);
    const cordon::test::NativeDir dir;
    const std::string so = dir.so("capi");
    std::string error;
    REQUIRE_MESSAGE(NativeCode::build(good.set->live.load()->set->program(), so, CORDON_NATIVE_CXX, error), error);
    char* why = nullptr;
    CHECK(cordon_load_native(good.set, so.c_str(), &why) == CORDON_OK);
    CHECK(why == nullptr);
    CHECK(decide(good.set, kRequest).json == before.json);

    // Another set (the US policies) refuses the object and keeps deciding as before.
    Set other(CORDON_SOURCE_DIR "/policies/us");
    REQUIRE(other.set);
    const Result other_before = decide(other.set, kRequest);
    CHECK(cordon_load_native(other.set, so.c_str(), &why) == CORDON_BAD_ARGUMENT);
    REQUIRE(why != nullptr);
    CHECK(contains(why, "different policy set"));
    cordon_free_string(why);
    CHECK(decide(other.set, kRequest).json == other_before.json);
    CHECK(cordon_load_native(nullptr, so.c_str(), &why) == CORDON_BAD_ARGUMENT);
    cordon_free_string(why);
    CHECK(cordon_load_native(good.set, nullptr, nullptr) == CORDON_BAD_ARGUMENT);
}
