// The C ABI (cordon.h): a front over PolicySet that turns every failure into a return
// code and a fail-closed deny decision, and never lets an exception out.
#include "cordon.h"

#include <cstdlib>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <cstring>
#include <fmt/format.h>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "cordon/dsl/parse.hpp"
#include "cordon/engine/json_text.hpp"
#include "cordon/engine/native.hpp"
#include "cordon/engine/policy_set.hpp"

using namespace cordon;

// The opaque handle: the set and a pool of idle workers. A call borrows a worker for its
// duration, so concurrent calls never share scratch state and warm calls reuse capacity.
struct cordon_policy_set {
    // One thread's scratch for one call: the session and the output buffer.
    struct Worker {
        explicit Worker(const PolicySet& set) : session(set) {}
        Session session;
        std::string out;
    };
    std::shared_ptr<const PolicySet> set;
    std::unique_ptr<NativeCode> native;  // cordon_load_native; workers run it when set
    mutable std::mutex mutex;
    mutable std::vector<std::unique_ptr<Worker>> idle;
};

namespace {

using Worker = cordon_policy_set::Worker;

class Lease {
public:
    explicit Lease(const cordon_policy_set& handle) : handle_(handle) {
        {
            std::lock_guard<std::mutex> lock(handle_.mutex);
            if (!handle_.idle.empty()) {
                worker_ = std::move(handle_.idle.back());
                handle_.idle.pop_back();
            }
        }
        if (!worker_) worker_ = std::make_unique<Worker>(*handle_.set);
        worker_->session.evaluator.set_native(handle_.native.get());
    }
    ~Lease() {
        try {
            std::lock_guard<std::mutex> lock(handle_.mutex);
            handle_.idle.push_back(std::move(worker_));
        } catch (...) {
            // out of memory growing the pool: drop the worker
        }
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Worker& operator*() const { return *worker_; }
    /// After a request of `len` bytes: a large one's buffers go back to the system, so an
    /// idle pooled worker does not keep the peak of the largest request it ever saw.
    void trim(std::size_t len) const {
        const std::size_t keep = handle_.set->limits().retained_buffer_bytes;
        worker_->session.trim();
        if (worker_->out.capacity() > keep) std::string().swap(worker_->out);
#if defined(__GLIBC__)
        if (len > keep) malloc_trim(0);
#else
        (void)len;
#endif
    }

private:
    const cordon_policy_set& handle_;
    std::unique_ptr<Worker> worker_;
};

char* copy_out(std::string_view s) {
    char* p = static_cast<char*>(std::malloc(s.size() + 1));
    if (!p) return nullptr;
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

// A decision for a call that could not be decided (see write_input_error_json).
std::string deny_json(const PolicySet* set, std::string_view id, const std::string* input, std::string_view message,
                      std::int32_t as_of) {
    std::string out;
    write_input_error_json(set, id, input, message, as_of, out);
    return out;
}

// Parses "proposed, bill" into statuses; false with `error` set on an unknown one.
bool parse_include(std::string_view text, std::vector<Status>& out, std::string& error) {
    while (!text.empty()) {
        const auto comma = text.find(',');
        auto token = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
        while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
        while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
        if (token.empty()) continue;
        const auto status = parse_status(token);
        if (!status) {
            error = fmt::format("include: unknown status \"{}\" (in_force, proposed, rescinded, bill, draft)", token);
            return false;
        }
        out.push_back(*status);
    }
    return true;
}

int decide_request(const cordon_policy_set* handle, const char* json, std::size_t len, const char* as_of_text,
           const char* include_text, std::string& out) {
    const PolicySet* set = handle ? handle->set.get() : nullptr;
    std::int32_t as_of = today();
    auto refuse = [&](std::string_view message) {
        out = deny_json(set, {}, nullptr, message, as_of);
        return CORDON_BAD_ARGUMENT;
    };
    if (!set) return refuse("cordon_decide_json: the policy set is NULL");
    if (!json) return refuse("cordon_decide_json: the request text is NULL");
    if (as_of_text) {
        const auto day = parse_date(as_of_text);
        if (!day) return refuse(fmt::format("as_of: \"{}\" is not a date (YYYY-MM-DD)", as_of_text));
        as_of = *day;
    }
    std::vector<Status> include;
    std::string error;
    if (include_text && !parse_include(include_text, include, error)) return refuse(error);

    Lease lease(*handle);
    Worker& w = *lease;
    Session& s = w.session;
    if (auto err = s.decoder.decode_json(std::string_view(json, len), s.request)) {
        const auto message = fmt::format("request: {}{}{}", err->path, err->path.empty() ? "" : ": ", err->message);
        out = deny_json(set, s.request.id, &err->path, message, as_of);
        lease.trim(len);
        return CORDON_BAD_INPUT;
    }
    s.evaluator.decide(s.request, set->options(s.request, as_of, include), s.decision);
    w.out.clear();
    set->write_json(s.evaluator, s.request, s.decision, w.out);
    out.assign(w.out);
    lease.trim(len);
    return CORDON_OK;
}

}  // namespace

extern "C" {

cordon_policy_set* cordon_load(const char* dir, char** error_out) {
    if (error_out) *error_out = nullptr;
    std::string error;
    try {
        if (!dir) {
            error = "cordon_load: the directory is NULL\n";
        } else {
            auto result = PolicySet::load(dir);
            if (result.set) {
                auto handle = std::make_unique<cordon_policy_set>();
                handle->set = std::move(result.set);
                return handle.release();
            }
            error = render_all(result.diagnostics, *result.sources);
            const auto n = result.diagnostics.error_count();
            error += fmt::format("{}: policy set not loaded: {} error{}\n", dir, n, n == 1 ? "" : "s");
        }
    } catch (const std::exception& e) {
        error = fmt::format("{}: policy set not loaded: {}\n", dir ? dir : "(null)", e.what());
    } catch (...) {
        error = "policy set not loaded: unknown internal error\n";
    }
    if (error_out) *error_out = copy_out(error);
    return nullptr;
}

int cordon_decide_json(const cordon_policy_set* set, const char* request_json, size_t len, const char* as_of,
                       const char* include, char** decision_json_out) {
    if (!decision_json_out) return CORDON_BAD_ARGUMENT;
    *decision_json_out = nullptr;
    int rc = CORDON_INTERNAL_ERROR;
    std::string out;
    try {
        rc = decide_request(set, request_json, len, as_of, include, out);
    } catch (const std::exception& e) {
        try {
            out = deny_json(set ? set->set.get() : nullptr, {}, nullptr,
                            fmt::format("internal error: {}", e.what()), today());
        } catch (...) {
            out.clear();
        }
    } catch (...) {
        out.clear();
    }
    if (!out.empty()) *decision_json_out = copy_out(out);
    return rc;
}

const char* cordon_digest(const cordon_policy_set* set) { return set ? set->set->digest().c_str() : nullptr; }

const char* cordon_name(const cordon_policy_set* set) { return set ? set->set->name().c_str() : nullptr; }

void cordon_free_string(char* s) { std::free(s); }

int cordon_load_native(cordon_policy_set* set, const char* so_path, char** error_out) {
    if (error_out) *error_out = nullptr;
    std::string error;
    try {
        if (!set) error = "cordon_load_native: the policy set is NULL";
        else if (!so_path) error = "cordon_load_native: the path is NULL";
        else if (auto code = NativeCode::load(so_path, set->set->program(), error)) {
            std::lock_guard<std::mutex> lock(set->mutex);
            set->native = std::move(code);
            return CORDON_OK;
        }
    } catch (const std::exception& e) {
        error = e.what();
    }
    if (error_out) *error_out = copy_out(error);
    return CORDON_BAD_ARGUMENT;
}

void cordon_free(cordon_policy_set* set) { delete set; }

}  // extern "C"
