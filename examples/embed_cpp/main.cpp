// Embedding cordon in C++: load a policy set once, resolve attribute handles once, then
// build and decide requests with no JSON and no string look-ups on paths.
//
//     embed_cpp [POLICY_DIR]     (default: examples/embed_policy; policies/us works too)
#include <cstdio>
#include <stdexcept>

#include "cordon/dsl/parse.hpp"
#include "cordon/engine/builder.hpp"
#include "cordon/engine/policy_set.hpp"

#ifndef EMBED_POLICY_DIR
#define EMBED_POLICY_DIR "examples/embed_policy"
#endif

int main(int argc, char** argv) {
    const char* dir = argc > 1 ? argv[1] : EMBED_POLICY_DIR;

    // 1. Load: manifest, schema, rules; compile. Diagnostics are values, printed here.
    const cordon::LoadResult loaded = cordon::PolicySet::load(dir);
    if (!loaded.set) {
        std::fputs(cordon::render_all(loaded.diagnostics, *loaded.sources).c_str(), stderr);
        return 2;
    }
    const cordon::PolicySet& set = *loaded.set;

    // 2. Resolve handles once, at start-up: a typo throws here, naming the nearest path.
    cordon::RequestBuilder builder(set);
    cordon::AttrHandle name, kind, country, hq, foreign, verified, chip, count, region, workload;
    cordon::ListHandle intermediaries;
    cordon::ElemHandle via_name, via_country, via_role;
    try {
        name = builder.handle("customer.name");
        kind = builder.handle("customer.kind");
        country = builder.handle("customer.country");
        hq = builder.handle("customer.hq_country");
        foreign = builder.handle("customer.foreign");
        verified = builder.handle("customer.identity_verified");
        chip = builder.handle("resource.chip");
        count = builder.handle("resource.count");
        region = builder.handle("resource.region_country");
        workload = builder.handle("workload.kind");
        intermediaries = builder.list("intermediaries");
        via_name = builder.field(intermediaries, "name");
        via_country = builder.field(intermediaries, "country");
        via_role = builder.field(intermediaries, "role");
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }

    // 3. Per request (per thread: one Session and one builder each): build, then decide.
    cordon::Session session(set);
    builder.begin(session.request);
    builder.set_id("embed-cpp-1");
    builder.set(name, "Example AI Lab");
    builder.set(kind, "company");
    builder.set(country, "SG");
    builder.set(hq, "CN");  // headquartered in China, contracting through Singapore
    builder.set(foreign, true);
    builder.set(verified, true);
    builder.set(chip, "H100-SXM");
    builder.set(count, 64);
    builder.set(region, "US");  // the GPUs sit in a US region: remote access, not export
    builder.set(workload, "training");
    const auto reseller = builder.add_element(intermediaries);
    builder.set(via_name, reseller, "Example Cloud Reseller Pte");
    builder.set(via_country, reseller, "SG");
    builder.set(via_role, reseller, "reseller");
    if (!builder.finish()) {
        // A request that does not fit the schema fails closed, like bad JSON input.
        for (const auto& e : builder.errors()) std::fprintf(stderr, "input error: %s: %s\n", e.path.c_str(), e.message.c_str());
        std::puts("decision: deny (input error)");
        return 3;
    }

    const auto day = cordon::parse_date("2024-11-18");
    session.evaluator.decide(session.request, set.options(session.request, *day), session.decision);

    std::printf("decision: %s\n", cordon::verdict_name(session.decision.verdict));
    for (auto rule : session.decision.fired)
        std::printf("  fired: %s: %s\n", set.checked().rules[rule].id.c_str(),
                    set.message(session.evaluator, session.request, rule).c_str());
    for (const auto& error : session.decision.errors)
        std::printf("  error: %s\n", set.error_text(session.request, error).c_str());
    std::string json;
    set.write_json(session.evaluator, session.request, session.decision, json);
    std::printf("%s\n", json.c_str());
    return 0;
}
