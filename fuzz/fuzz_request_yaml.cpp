// fuzz_request_yaml: request YAML -> yaml_to_json (its output must be JSON) and
// RequestDecoder::decode_yaml -> decide -> the decision JSON, which must parse as a JSON
// object whatever the input (an input error becomes write_input_error_json's deny) and
// match the reference evaluator's byte for byte.
// Requests are decoded under a request limit of 256 KiB, not the default 8 MiB: inputs are
// at most -max_len (4096) bytes, so only aliases reach the limit, and expanding a YAML
// alias bomb (fuzz/corpus/fuzz_request_yaml/hostile_nested_aliases.yaml) to 8 MiB took
// 1.8 s per decode without sanitizers, twice per input: a libFuzzer timeout on a loaded
// machine. The limit's error path is the same at any size.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cordon/dsl/parse.hpp"
#include "cordon/engine/policy_set.hpp"
#include "fuzz_support.hpp"

using namespace cordon;

namespace {

struct State {
    std::shared_ptr<const PolicySet> set;
    std::unique_ptr<Session> session;
    std::int32_t as_of = 0;
    std::vector<Status> include{Status::Proposed, Status::Rescinded, Status::Bill, Status::Draft};
    std::string out;
    Limits limits;
};

State& state() {
    static State* s = [] {
        auto* st = new State;
        st->limits.request_bytes = 256u << 10;
        auto loaded = PolicySet::load(fuzz::policy_dir(), st->limits);
        if (!loaded.set) fuzz::fail("policies/us does not load", render_all(loaded.diagnostics, *loaded.sources));
        st->set = loaded.set;
        st->session = std::make_unique<Session>(*st->set);
        st->as_of = *parse_date("2025-06-01");
        return st;
    }();
    return *s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    State& st = state();
    std::unique_ptr<char[]> exact(new char[size ? size : 1]);
    std::copy(data, data + size, exact.get());
    const std::string_view text(exact.get(), size);

    std::string error;
    if (auto json = yaml_to_json(text, error, st.limits.request_bytes)) {
        const auto doc = nlohmann::json::parse(*json, nullptr, false);
        if (doc.is_discarded()) fuzz::fail("yaml_to_json gave text that is not JSON", *json);
    }

    Session& s = *st.session;
    auto err = s.decoder.decode_yaml(text, s.request);
    st.out.clear();
    if (err) {
        write_input_error_json(st.set.get(), s.request.id, &err->path, err->message, st.as_of, st.out);
        fuzz::require_json_object(st.out, "decision is not a JSON object");
    } else {
        fuzz::decide_both(*st.set, s, st.set->options(s.request, st.as_of, st.include), st.out);
    }
    return 0;
}
