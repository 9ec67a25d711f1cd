// Reload while serving (issue 20 part 3): a Session keeps its set alive, a request decoded
// for one version is not decided by another, and Live/ThreadWorkers hand each thread the
// current version's worker.
#include <doctest/doctest.h>

#include <string>
#include <thread>

#include "cordon/dsl/parse.hpp"
#include "cordon/engine/live.hpp"
#include "cordon/engine/policy_set.hpp"

using namespace cordon;

namespace {

const std::string kDir = std::string(CORDON_SOURCE_DIR) + "/examples/embed_policy";
const char* const kRequest =
    R"({"id":"r","customer":{"name":"Lab","kind":"company","country":"SG","hq_country":"CN","foreign":true,)"
    R"("identity_verified":true},"resource":{"chip":"H100-SXM","count":8,"region_country":"US"}})";

std::shared_ptr<const PolicySet> load_example() {
    auto loaded = PolicySet::load(kDir);
    REQUIRE(loaded.set);
    return loaded.set;
}

}  // namespace

TEST_CASE("live: a Session keeps its policy set alive after every other reference is dropped") {
    auto set = load_example();
    std::weak_ptr<const PolicySet> weak = set;
    Session s(*set);
    set.reset();
    REQUIRE_FALSE(weak.expired());
    REQUIRE_FALSE(s.decoder.decode_json(kRequest, s.request));
    CHECK(s.decide(s.set.options(s.request, *parse_date("2024-11-18"))));
    CHECK(s.decision.verdict == Verdict::Deny);
    CHECK(s.decision.fired.size() == 1);
}

TEST_CASE("live: a request decoded for one version is refused by another version's session") {
    auto v1 = load_example();
    auto v2 = load_example();  // same text, another compilation: another generation
    Session s1(*v1), s2(*v2);
    REQUIRE_FALSE(s1.decoder.decode_json(kRequest, s1.request));
    s2.request = s1.request;
    s2.decision.fired.push_back(0);  // a stale result must not survive the refusal
    CHECK_FALSE(s2.decoded_for_this_set());
    CHECK_FALSE(s2.decide(v2->options(s2.request, *parse_date("2024-11-18"))));
    CHECK(s2.decision.verdict == Verdict::Deny);
    CHECK(s2.decision.fired.empty());
    // Decoded again by its own decoder, the same request is decided.
    REQUIRE_FALSE(s2.decoder.decode_json(kRequest, s2.request));
    CHECK(s2.decide(v2->options(s2.request, *parse_date("2024-11-18"))));
    CHECK(s2.decision.fired.size() == 1);
}

TEST_CASE("live: ThreadWorkers gives each thread its own worker for the current version") {
    auto v1 = load_example();
    auto v2 = load_example();
    Live<PolicySet> live(v1);
    using Workers = ThreadWorkers<PolicySet, Session>;
    const auto [a, set_a] = Workers::get(live);
    CHECK(set_a == v1.get());
    CHECK(Workers::get(live).first == a);  // warm: the same worker again
    Session* other = nullptr;
    std::thread([&] { other = Workers::get(live).first; }).join();
    CHECK(other != a);
    const auto version = live.version();
    live.swap(v2);
    CHECK(live.version() != version);
    std::weak_ptr<const PolicySet> old = v1;
    v1.reset();
    CHECK_FALSE(old.expired());  // this thread's worker still holds version 1
    const auto [b, set_b] = Workers::get(live);
    CHECK(set_b == v2.get());
    CHECK(&b->set == v2.get());
    CHECK(old.expired());  // replaced on this thread; the other thread has exited
    Workers::forget(live);
}
