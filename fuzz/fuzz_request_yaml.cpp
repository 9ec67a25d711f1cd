// fuzz_request_yaml: request YAML -> yaml_to_json (its output must be JSON) and
// RequestDecoder::decode_yaml -> decide -> the decision JSON, which must parse as a JSON
// object whatever the input (an input error becomes write_input_error_json's deny) and
// match the reference evaluator's byte for byte.
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
};

State& state() {
    static State* s = [] {
        auto* st = new State;
        auto loaded = PolicySet::load(fuzz::policy_dir());
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
    if (auto json = yaml_to_json(text, error)) {
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
