// fuzz_request_json: request JSON -> RequestDecoder::decode_json (unpadded, then padded)
// -> PolicySet::options + Evaluator::decide -> the decision JSON, which must parse as a
// JSON object whatever the input (an input error becomes write_input_error_json's deny)
// and be byte-identical to the reference evaluator's.
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
    std::vector<char> padded;
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

void decide_and_write(State& st, const std::optional<RequestError>& err) {
    Session& s = *st.session;
    st.out.clear();
    if (err) {
        write_input_error_json(st.set.get(), s.request.id, &err->path, err->message, st.as_of, st.out);
        fuzz::require_json_object(st.out, "decision is not a JSON object");
    } else {
        fuzz::decide_both(*st.set, s, st.set->options(s.request, st.as_of, st.include), st.out);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    State& st = state();
    // Unpadded: the decoder must copy; a heap buffer of exactly `size` lets ASan catch over-reads.
    std::unique_ptr<char[]> exact(new char[size ? size : 1]);
    std::copy(data, data + size, exact.get());
    const std::string_view text(exact.get(), size);
    auto err = st.session->decoder.decode_json(text, st.session->request);
    decide_and_write(st, err);
    // Padded: the decoder reads in place; the same bytes must decode the same way.
    st.padded.assign(data, data + size);
    st.padded.resize(size + kJsonPadding, '\0');
    auto err2 = st.session->decoder.decode_json(std::string_view(st.padded.data(), size), st.session->request, true);
    if (err.has_value() != err2.has_value()) fuzz::fail("padded and unpadded decoding disagree", text);
    decide_and_write(st, err2);
    return 0;
}
