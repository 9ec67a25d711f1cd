// The engines of the differential test (see engines.hpp).
#include "engines.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "cordon/engine/native.hpp"

#if __has_include("cordon/engine/reference.hpp")
#include "cordon/engine/reference.hpp"
#define CORDON_GEN_HAVE_REFERENCE 1
#endif
#if __has_include("cordon/engine/compile_options.hpp")
#include "cordon/engine/compile_options.hpp"
#include "program/program.hpp"
#define CORDON_GEN_HAVE_PASSES 1
#endif

namespace cordon::gen {

std::string Outcome::describe(const CheckedPolicySet& set) const {
    if (!input_error.empty()) return "input error: " + input_error + "\n";
    std::string out = fmt::format("verdict {} (as of {})\n", verdict_name(verdict), as_of);
    for (std::size_t i = 0; i < fired.size(); ++i)
        out += fmt::format("  fired {}: {}\n", set.rules[fired[i]].id, i < messages.size() ? messages[i] : "?");
    for (const auto& e : errors)
        out += fmt::format("  error {} (kind {}, detail {}): {}\n", set.rules[e.rule].id, e.err >> 24, e.err & 0xffffff,
                           e.text);
    return out;
}

namespace {

// Decodes with `set`'s decoder and fills `out` from `d`; `message` names a fired rule's message.
// `yaml`: decode the request as YAML (JSON text is YAML), through yaml_to_json.
// `padded`: decode in place from a buffer with simdjson's padding after the text (as the
// command line's .jsonl batches do), not from a copy.
enum class Decode { Json, Yaml, Padded };
template <typename Decide, typename Message>
void run_on(const PolicySet& set, RequestDecoder& decoder, Request& request, Decision& d, const Scenario& s,
            Outcome& out, Decide&& decide, Message&& message, Decode how = Decode::Json) {
    out = Outcome{};
    std::optional<RequestError> err;
    if (how == Decode::Yaml) {
        err = decoder.decode_yaml(s.request, request);
    } else if (how == Decode::Padded) {
        std::string buffer = s.request;
        buffer.append(kJsonPadding, ' ');
        err = decoder.decode_json(std::string_view(buffer.data(), s.request.size()), request, true);
    } else {
        err = decoder.decode_json(s.request, request);
    }
    if (err) {
        out.input_error = err->path + ": " + err->message;
        return;
    }
    std::vector<std::uint32_t> policies;  // as the command line resolves --include-policy
    for (const auto& name : s.policies)
        if (const int p = set.policy_index(name); p >= 0) policies.push_back(static_cast<std::uint32_t>(p));
    std::sort(policies.begin(), policies.end());
    decide(set.options(request, s.as_of, s.include, &policies), d);
    out.verdict = d.verdict;
    out.as_of = d.as_of;
    out.fired = d.fired;
    for (const auto& e : d.errors) {
        // Tables are numbered in the order policies use them: a permuted set's ids differ,
        // so a table error is compared by its kind and its text (which names the table).
        const std::uint32_t kind = e.error.err >> 24;
        const bool table = kind == kMissingTableKey || kind == kMissingTableCell;
        out.errors.push_back({e.rule, table ? kind << 24 : e.error.err, set.error_text(request, e)});
    }
    for (auto rule : d.fired) out.messages.push_back(message(rule));
}

// The Evaluator: fast path (plans over indexed candidates), tree walk, or native code.
class EvaluatorEngine : public Engine {
public:
    EvaluatorEngine(std::string name, std::shared_ptr<const PolicySet> set, bool trees,
                    std::shared_ptr<NativeCode> native = nullptr, Decode how = Decode::Json)
        : Engine(std::move(name)), set_(std::move(set)), native_(std::move(native)), how_(how),
          decoder_(set_->checked(), set_->program()), ev_(set_->program()) {
        if (trees) {
            trace_.values.resize(set_->program().nodes.size());
            trace_.seen.assign(set_->program().nodes.size(), 0);
            ev_.set_visit_all(true);
            ev_.set_trace(&trace_);
        }
        if (native_) ev_.set_native(native_.get());
    }
    void run(const Scenario& s, Outcome& out) override {
        run_on(*set_, decoder_, request_, decision_, s, out,
               [&](const EvalOptions& o, Decision& d) { ev_.decide(request_, o, d); },
               [&](std::uint32_t rule) { return set_->message(ev_, request_, rule); }, how_);
    }

private:
    std::shared_ptr<const PolicySet> set_;
    std::shared_ptr<NativeCode> native_;
    Decode how_ = Decode::Json;
    RequestDecoder decoder_;
    Evaluator::Trace trace_;
    Evaluator ev_;
    Request request_;
    Decision decision_;
};

#ifdef CORDON_GEN_HAVE_REFERENCE
// The reference evaluator: a plain walk over the checked set.
class ReferenceEngine : public Engine {
public:
    explicit ReferenceEngine(std::shared_ptr<const PolicySet> set)
        : Engine("reference"), set_(std::move(set)), decoder_(set_->checked(), set_->program()),
          ref_(set_->checked(), set_->program()) {}
    void run(const Scenario& s, Outcome& out) override {
        run_on(*set_, decoder_, request_, decision_, s, out,
               [&](const EvalOptions& o, Decision& d) { ref_.decide(request_, o, d); },
               [&](std::uint32_t rule) { return ref_.message(request_, rule, decision_.as_of); });
    }

private:
    std::shared_ptr<const PolicySet> set_;
    RequestDecoder decoder_;
    ReferenceEvaluator ref_;
    Request request_;
    Decision decision_;
};
#endif

}  // namespace

std::vector<std::unique_ptr<Engine>> make_engines(const LoadResult& loaded, const EngineSetup& setup,
                                                  std::vector<std::string>& notes) {
    const auto& set = loaded.set;
    std::vector<std::unique_ptr<Engine>> engines;
    engines.push_back(std::make_unique<EvaluatorEngine>("fast", set, false));
    engines.push_back(std::make_unique<EvaluatorEngine>("trees", set, true));
    engines.push_back(std::make_unique<EvaluatorEngine>("yaml", set, false, nullptr, Decode::Yaml));
    engines.push_back(std::make_unique<EvaluatorEngine>("padded", set, false, nullptr, Decode::Padded));
#ifdef CORDON_GEN_HAVE_REFERENCE
    engines.push_back(std::make_unique<ReferenceEngine>(set));
#endif
    if (!setup.native_dir.empty()) {
        std::string error;
        const std::string so = setup.native_dir + "/native.so";
        if (!NativeCode::build(set->program(), so, CORDON_NATIVE_CXX, error)) {
            notes.push_back("native code did not compile: " + error);
        } else if (auto code = NativeCode::load(so, set->program(), error)) {
            std::shared_ptr<NativeCode> shared(std::move(code));
            engines.push_back(std::make_unique<EvaluatorEngine>("native", set, false, shared));
        } else {
            notes.push_back("native code did not load: " + error);
        }
    }
    if (setup.permuted) engines.push_back(std::make_unique<EvaluatorEngine>("permuted", setup.permuted, false));
#ifdef CORDON_GEN_HAVE_PASSES
    // Each compiler pass off on its own, and every pass off.
    std::vector<std::pair<std::string, CompileOptions>> configs = {{"all-off", CompileOptions::all_off()}};
    for (const auto& [name, member] : CompileOptions::names()) {
        CompileOptions o;
        o.*member = false;
        configs.emplace_back("no-" + std::string(name), o);
    }
    if (setup.pass_configs >= 0 && setup.pass_configs < static_cast<int>(configs.size())) {
        std::mt19937_64 rng(setup.seed);
        std::shuffle(configs.begin(), configs.end(), rng);
        configs.resize(setup.pass_configs);
    }
    for (const auto& [name, options] : configs) {
        auto other = PolicySet::from_checked(set->checked(), loaded.sources, options);
        if (other) engines.push_back(std::make_unique<EvaluatorEngine>(name, std::move(other), false));
        else notes.push_back("the set did not compile with " + name);
    }
#else
    (void)setup.pass_configs;
#endif
    return engines;
}

}  // namespace cordon::gen
