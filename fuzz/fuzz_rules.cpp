// fuzz_rules: a rule file's text, checked four ways.
//  1. parse_policy_file: parses, or fails with an error diagnostic.
//  2. load_policy_set on a scratch directory holding copies of policies/us's cordon.yaml,
//     schema.yaml and data/ plus the input as its only rule file: parse, check, lint. When it
//     checks, PolicySet::from_checked compiles it and the shipped example requests are
//     decided by the compiled program and by the reference evaluator: the decisions' JSON
//     must be byte-identical, and a JSON object.
//  3. `cordon fmt` round trip: the formatted text parses, formatting it again changes
//     nothing, and when the input checked, the formatted file checks to the same
//     canonical text (formatting keeps meaning).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "cordon/dsl/check.hpp"
#include "cordon/dsl/format.hpp"
#include "cordon/dsl/parse.hpp"
#include "cordon/engine/policy_set.hpp"
#include "fuzz_support.hpp"

using namespace cordon;
namespace fs = std::filesystem;

namespace {

struct State {
    std::string dir;                    // the scratch policy-set directory
    std::string rule_file;              // dir + "/fuzz.cordon"
    std::vector<std::string> requests;  // examples/requests/*.json, in name order
    std::int32_t as_of = 0;
    std::uint64_t inputs = 0, checked = 0;  // printed at exit: how many inputs reached the checker's end
};

std::optional<CheckedPolicySet> load(const State& st, const std::string& text, std::shared_ptr<SourceMap>& sources);

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

State& state() {
    static State* s = [] {
        auto* st = new State;
        const fs::path src = fuzz::policy_dir();
        const fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
        std::string templ = (base / "cordon-fuzz-rules-XXXXXX").string();
        if (!mkdtemp(templ.data())) fuzz::fail("cannot create a scratch directory", templ);
        st->dir = templ;
        // Copies, not links: a link leading out of the set is an error (docs/security.md), and
        // with links every input failed to load, so that check, compile and decide went
        // unfuzzed from 440aaf7 to session 14.
        for (const char* name : {"cordon.yaml", "schema.yaml", "data"})
            fs::copy(src / name, fs::path(st->dir) / name, fs::copy_options::recursive);
        st->rule_file = st->dir + "/fuzz.cordon";
        // Each shipped rule file, alone in the scratch set, must check: else the target
        // would test the parser only, and say nothing.
        for (const auto& e : fs::directory_iterator(src)) {
            if (e.path().extension() != ".cordon") continue;
            std::shared_ptr<SourceMap> sources;
            if (!load(*st, read_text(e.path()), sources))
                fuzz::fail("a shipped rule file does not check in the scratch policy set", e.path().string());
        }
        std::vector<fs::path> paths;
        for (const auto& e : fs::directory_iterator(fs::path(CORDON_SOURCE_DIR) / "examples/requests"))
            if (e.path().extension() == ".json") paths.push_back(e.path());
        std::sort(paths.begin(), paths.end());
        for (const auto& p : paths) st->requests.push_back(read_text(p));
        st->as_of = *parse_date("2025-06-01");
        std::atexit([] {
            std::error_code ec;
            fs::remove_all(state().dir, ec);
            std::fprintf(stderr, "fuzz_rules: %llu of %llu inputs checked as a policy set\n",
                         static_cast<unsigned long long>(state().checked), static_cast<unsigned long long>(state().inputs));
        });
        return st;
    }();
    return *s;
}

void write_rule_file(const State& st, const std::string& text) {
    std::ofstream out(st.rule_file, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) fuzz::fail("cannot write the scratch rule file", st.rule_file);
}

std::optional<CheckedPolicySet> load(const State& st, const std::string& text, std::shared_ptr<SourceMap>& sources) {
    write_rule_file(st, text);
    sources = std::make_shared<SourceMap>();
    Diagnostics diags;
    auto checked = load_policy_set(st.dir, *sources, diags);
    if (!checked && !diags.has_errors()) fuzz::fail("load_policy_set failed without an error", text);
    (void)render_all(diags, *sources);
    return checked;
}

void decide_examples(const State& st, CheckedPolicySet checked, std::shared_ptr<SourceMap> sources) {
    auto set = PolicySet::from_checked(std::move(checked), std::move(sources));
    Session s(*set);
    const std::vector<Status> include{Status::Proposed, Status::Rescinded, Status::Bill, Status::Draft};
    std::string out;
    for (const auto& request : st.requests) {
        out.clear();
        if (auto err = s.decoder.decode_json(request, s.request)) {
            write_input_error_json(set.get(), s.request.id, &err->path, err->message, st.as_of, out);
            fuzz::require_json_object(out, "decision is not a JSON object");
        } else {
            fuzz::decide_both(*set, s, set->options(s.request, st.as_of, include), out);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    State& st = state();
    const std::string text(reinterpret_cast<const char*>(data), size);

    SourceMap sources;
    Diagnostics diags;
    const auto id = sources.add("fuzz.cordon", text);
    const bool parses = parse_policy_file(sources, id, diags).has_value();
    if (!parses && !diags.has_errors()) fuzz::fail("parse failed without an error", text);
    (void)render_all(diags, sources);

    std::shared_ptr<SourceMap> load_sources;
    auto checked = load(st, text, load_sources);
    ++st.inputs;
    st.checked += checked.has_value();
    if (checked && !parses) fuzz::fail("the set checked although its rule file does not parse", text);

    Diagnostics fdiags;
    const auto formatted = format_source(sources, id, fdiags);
    if (formatted.has_value() != parses) fuzz::fail("format_source and parse_policy_file disagree", text);
    if (!formatted) return 0;
    const auto fid = sources.add("formatted.cordon", *formatted);
    Diagnostics fdiags2;
    const auto again = format_source(sources, fid, fdiags2);
    if (!again) fuzz::fail("the formatted text does not parse", *formatted + "\n" + render_all(fdiags2, sources));
    if (*again != *formatted) fuzz::fail("formatting is not idempotent", *formatted + "\n----\n" + *again);

    if (!checked) return 0;
    const std::string canonical = canonical_text(*checked);
    decide_examples(st, std::move(*checked), load_sources);
    std::shared_ptr<SourceMap> fsources;
    auto fchecked = load(st, *formatted, fsources);
    if (!fchecked) fuzz::fail("the formatted file does not check", *formatted);
    if (canonical_text(*fchecked) != canonical) fuzz::fail("formatting changed the checked meaning", *formatted);
    return 0;
}
