// Agreement between the fast path and the reference: helpers shared by index_test.cpp
// (indexes, plans, twins) and native_test.cpp (native code). The reference runs every rule's
// `when`/`unless` tree, as written; the decisions must be the same.
#pragma once
#include <random>
#include <string>
#include <vector>

#include "support.hpp"
#include "program/program.hpp"

namespace cordon::test {

inline std::string random_request(std::mt19937& rng) {
    static const char* countries[] = {"CN", "MO", "RU", "IR", "DE", "US", "SG", "VN", "AE", "JP", "XX"};
    static const char* chips[] = {"H100-SXM", "A100", "A30", "H20", "L2", "B200", "Ascend-910B", "Z9"};
    static const char* kinds[] = {"training", "inference", "fine_tuning", "other"};
    auto pick = [&](auto& arr) { return arr[rng() % (sizeof(arr) / sizeof(arr[0]))]; };
    auto maybe = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
    std::string r = "{\"customer\": {\"name\": \"C\", \"kind\": \"company\", \"country\": \"";
    r += pick(countries);
    r += "\", \"hq_country\": \"";
    r += pick(countries);
    r += "\"";
    if (maybe(50)) r += std::string(", \"parent_hq_country\": \"") + pick(countries) + "\"";
    if (maybe(90)) r += std::string(", \"foreign\": ") + (maybe(70) ? "true" : "false");
    if (maybe(90)) r += std::string(", \"identity_verified\": ") + (maybe(50) ? "true" : "false");
    if (maybe(30)) r += std::string(", \"on_entity_list\": ") + (maybe(50) ? "true" : "false");
    r += "}, \"intermediaries\": [";
    const int hops = static_cast<int>(rng() % 4);
    for (int i = 0; i < hops; ++i) {
        if (i) r += ", ";
        r += std::string("{\"name\": \"I\", \"country\": \"") + pick(countries) + "\", \"role\": \"reseller\"}";
    }
    r += "], \"resource\": {";
    bool first = true;
    auto field = [&](const std::string& f) { r += (first ? "" : ", ") + f; first = false; };
    if (maybe(80)) field(std::string("\"chip\": \"") + pick(chips) + "\"");
    if (maybe(40)) field("\"tpp\": " + std::to_string(rng() % 40000));
    if (maybe(40)) field("\"performance_density\": " + std::to_string((rng() % 300) / 10.0));
    if (maybe(90)) field(std::string("\"region_country\": \"") + pick(countries) + "\"");
    r += "}";
    if (maybe(70)) {
        r += std::string(", \"workload\": {\"kind\": \"") + pick(kinds) + "\"";
        if (maybe(70)) r += ", \"training_ops\": 1e" + std::to_string(20 + rng() % 8);
        if (maybe(50)) r += std::string(", \"bio_sequence\": ") + (maybe(20) ? "true" : "false");
        r += "}";
    }
    if (maybe(70)) r += std::string(", \"license\": {\"granted\": ") + (maybe(10) ? "true" : "false") + "}";
    return r + "}";
}

// The reference: every rule, evaluated by its tree (tracing makes `decide` use the trees).
struct Reference {
    explicit Reference(const Program& p) : ev(p) {
        trace.values.resize(p.nodes.size());
        trace.seen.assign(p.nodes.size(), 0);
        ev.set_visit_all(true);
        ev.set_trace(&trace);
    }
    Evaluator::Trace trace;
    Evaluator ev;
    void decide(const Request& r, const EvalOptions& o, Decision& d) { ev.decide(r, o, d); }
};

inline void check_same(const Decision& fast, const Decision& ref) {
    CHECK(fast.verdict == ref.verdict);
    CHECK(fast.fired == ref.fired);
    REQUIRE(fast.errors.size() == ref.errors.size());
    for (std::size_t k = 0; k < ref.errors.size(); ++k) {
        CHECK(fast.errors[k].rule == ref.errors[k].rule);
        CHECK(fast.errors[k].error.err == ref.errors[k].error.err);
        CHECK(fast.errors[k].error.aux == ref.errors[k].error.aux);
    }
}

// Decodes `request`, decides it both ways (into s.decision and `ref_out`) and compares.
inline void decide_both(const PolicySet& set, Session& s, Reference& ref, const std::string& request, std::int32_t as_of,
                 const std::vector<Status>& include, Decision& ref_out) {
    auto err = s.decoder.decode_json(request, s.request);
    REQUIRE_MESSAGE(!err, request << " -> " << err->path << ": " << err->message);
    const auto opts = set.options(s.request, as_of, include);
    s.evaluator.decide(s.request, opts, s.decision);
    ref.decide(s.request, opts, ref_out);
    INFO(request);
    check_same(s.decision, ref_out);
}

// One set decided both ways, request after request (see decide_both).
struct Agreement {
    explicit Agreement(const PolicySet& set) : set(set), session(set), ref(set.program()) {}
    void check(const std::string& request, const std::vector<Status>& include = {}) {
        decide_both(set, session, ref, request, 20000, include, last);
    }
    const PolicySet& set;
    Session session;
    Reference ref;
    Decision last;  // the reference's decision of the last request
};

}  // namespace cordon::test
