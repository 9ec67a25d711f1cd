// Test support: write a policy set from strings into a temporary directory, load it,
// and decide JSON requests against it, so tests read like the rule files they test.
#pragma once
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "cordon/dsl/parse.hpp"
#include "cordon/engine/policy_set.hpp"

namespace cordon::test {

/// A temporary directory for native objects (`NAME.so`, with the `.so.cpp` source and the
/// `.so.sha256` digest that NativeCode::build writes beside it), removed at the end.
struct NativeDir {
    NativeDir() {
        static std::atomic<int> counter{0};
        path = std::filesystem::temp_directory_path() /
               ("cordon-native-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(path);
    }
    ~NativeDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    NativeDir(const NativeDir&) = delete;
    NativeDir& operator=(const NativeDir&) = delete;
    std::string so(const std::string& name) const { return (path / (name + ".so")).string(); }
    std::filesystem::path path;
};

/// The schema of LANGUAGE.md, used by most tests.
inline const char* kSchema = R"(time: date?
customer:
  name: string
  country: country
  hq_country: country
  parent_hq_country: country?
  foreign: bool
  identity_verified: bool
  owners:
    - { name: string, country: country, share: number }
intermediaries:
  - { name: string, country: country, role: "enum[reseller, broker, subsidiary, agent]" }
resource: { chip: string, count: number?, tpp: number?, performance_density: number? }
workload: { kind: "enum[training, fine_tuning, inference, other]", training_ops: number?, bio_sequence: bool? }
license:  { granted: bool }
)";

inline const char* kSets = R"(D5: [AF, BY, MM, KH, CF, CN, CD, CU, ER, HT, IR, IQ, KP, LB, LY, NI, RU, SO, SS, SD, SY, VE, ZW]
MACAU: [MO]
D1: [AM, AZ, BY, KH, CN, GE, IQ, KZ, KP, KG, LA, MO, MD, MN, NI, RU, TJ, TM, UZ, VN, YE, MM]
)";

inline const char* kChips = R"(H100-SXM: {tpp: 15832, performance_density: 19.4, class: "3A090.a"}
A30: {tpp: 2640, performance_density: 3.196, class: "3A090.b.1"}
H20: {tpp: 2368, performance_density: 2.91}
)";

/// A policy-set directory made of the given files (relative path -> text), removed at the end.
class TempPolicySet {
public:
    explicit TempPolicySet(const std::map<std::string, std::string>& files) {
        static std::atomic<int> counter{0};
        dir_ = std::filesystem::temp_directory_path() /
               ("cordon-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(dir_);
        std::map<std::string, std::string> all = {
            {"cordon.yaml", "name: test\nschema: schema.yaml\ndefault: allow\non_error: deny\n"},
            {"schema.yaml", kSchema},
            {"data/groups.yaml", kSets},
            {"data/chips.yaml", kChips}};
        for (const auto& [k, v] : files) all[k] = v;
        for (const auto& [path, text] : all) {
            const auto p = dir_ / path;
            std::filesystem::create_directories(p.parent_path());
            std::ofstream(p) << text;
        }
    }
    ~TempPolicySet() {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    std::string dir() const { return dir_.string(); }

private:
    std::filesystem::path dir_;
};

/// Loads a set of rule text (as `rules.cordon`) plus optional extra files.
struct Loaded {
    LoadResult result;
    std::string rendered;  // diagnostics as printed
    bool ok() const { return result.set != nullptr; }
};

inline Loaded load_rules(const std::string& rules, std::map<std::string, std::string> extra = {}) {
    if (!rules.empty()) extra["rules.cordon"] = rules;
    TempPolicySet tmp(extra);
    Loaded l{PolicySet::load(tmp.dir()), {}};
    l.rendered = render_all(l.result.diagnostics, *l.result.sources);
    return l;
}

/// A decision in comparable form.
struct Outcome {
    std::string verdict;
    std::vector<std::string> fired;
    std::vector<std::string> errors;   // rule ids
    std::vector<std::string> messages; // fired rules' messages
    std::string json;
    std::string input_error;
};

/// `policies`: policies included by name whatever their status (--include-policy).
inline Outcome decide(const PolicySet& set, const std::string& request_json, const char* as_of = "2024-11-18",
                      std::vector<Status> include = {}, const std::vector<std::string>& policies = {}) {
    std::vector<std::uint32_t> policy_ids;
    for (const auto& name : policies) {
        const int p = set.policy_index(name);
        REQUIRE_MESSAGE(p >= 0, "no policy " << name);
        policy_ids.push_back(static_cast<std::uint32_t>(p));
    }
    std::sort(policy_ids.begin(), policy_ids.end());
    Session s(set);
    Outcome o;
    if (auto err = s.decoder.decode_json(request_json, s.request)) {
        o.input_error = err->path + ": " + err->message;
        return o;
    }
    s.evaluator.decide(s.request, set.options(s.request, *parse_date(as_of), include, &policy_ids), s.decision);
    o.verdict = verdict_name(s.decision.verdict);
    for (auto i : s.decision.fired) {
        o.fired.push_back(set.checked().rules[i].id);
        o.messages.push_back(set.message(s.evaluator, s.request, i));
    }
    for (const auto& e : s.decision.errors) o.errors.push_back(set.checked().rules[e.rule].id);
    set.write_json(s.evaluator, s.request, s.decision, o.json);
    // Every decision a test makes is also made by the reference evaluator: the two agree
    // on the whole output (verdict, fired rules, messages, reports, errors).
    Decision by_reference;
    s.reference.decide(s.request, set.options(s.request, *parse_date(as_of), include, &policy_ids), by_reference);
    std::string reference_json;
    set.write_json(s.reference, s.request, by_reference, reference_json);
    CHECK_MESSAGE(reference_json == o.json, "the reference evaluator decides otherwise: " << reference_json);
    return o;
}

using Ids = std::vector<std::string>;

}  // namespace cordon::test
