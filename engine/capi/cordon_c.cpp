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
#include <string>
#include <string_view>
#include <vector>

#include "cordon/dsl/parse.hpp"
#include "cordon/engine/json_text.hpp"
#include "cordon/engine/live.hpp"
#include "cordon/engine/native.hpp"
#include "cordon/engine/policy_set.hpp"
#include "cordon/engine/request_time.hpp"
#include "cordon/engine/version.hpp"

using namespace cordon;

// One version of a set as the C ABI serves it: the compiled set and, after
// cordon_load_native, its native code. Immutable once published.
struct Loaded {
    std::shared_ptr<const PolicySet> set;
    std::shared_ptr<const NativeCode> native;
};

// The opaque handles. A cordon_policy_set is one Live version (cordon_load_native swaps
// in a version with native code); a cordon_live is a slot the caller swaps while serving.
// Both decide through ThreadWorkers: each thread its own worker, no lock shared.
struct cordon_policy_set {
    explicit cordon_policy_set(std::shared_ptr<const Loaded> l) : live(std::move(l)) {}
    Live<Loaded> live;
    std::string digest, name;  // of the first version (cordon_digest, cordon_name)
    DayPolicy time_rule;       // cordon_set_request_time (its request_time and window)
};
struct cordon_live {
    explicit cordon_live(std::shared_ptr<const Loaded> l) : live(std::move(l)) {}
    Live<Loaded> live;
    DayPolicy time_rule;  // cordon_live_set_request_time
};

namespace {

// One thread's scratch for one version: the session and the output buffer.
struct Worker {
    explicit Worker(const Loaded& loaded) : session(*loaded.set) { session.evaluator.set_native(loaded.native.get()); }
    Session session;
    std::string out;
};
using Workers = ThreadWorkers<Loaded, Worker>;

// After a request of `len` bytes: a large one's buffers go back to the system, so an
// idle worker does not keep the peak of the largest request it ever saw.
void trim(Worker& w, std::size_t len) {
    const std::size_t keep = w.session.set.limits().retained_buffer_bytes;
    w.session.trim();
    if (w.out.capacity() > keep) std::string().swap(w.out);
#if defined(__GLIBC__)
    if (len > keep) malloc_trim(0);
#else
    (void)len;
#endif
}

char* copy_out(std::string_view s) {
    char* p = static_cast<char*>(std::malloc(s.size() + 1));
    if (!p) return nullptr;
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

// A decision for a call that could not be decided (see write_input_error_json).
std::string deny_json(const PolicySet* set, std::string_view id, const std::string* input, std::string_view message,
                      std::int32_t as_of, TimeSource source = TimeSource::Clock) {
    std::string out;
    write_input_error_json(set, id, input, message, as_of, out, source);
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

int decide_request(const Live<Loaded>* live, const DayPolicy& time_rule, const char* json, std::size_t len,
                   const char* as_of_text, const char* include_text, std::string& out) {
    std::int32_t as_of = today();
    Worker* w = nullptr;
    const PolicySet* set = nullptr;
    if (live) {
        const auto [worker, loaded] = Workers::get(*live);
        w = worker;
        set = loaded ? loaded->set.get() : nullptr;
    }
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

    DayPolicy day = time_rule;
    day.as_of = as_of;
    day.source = as_of_text ? TimeSource::Option : TimeSource::Clock;
    Session& s = w->session;
    EvalOptions opts;
    auto err = s.decoder.decode_json(std::string_view(json, len), s.request);
    if (!err) err = set->options(s.request, day, opts, include);
    if (err) {
        const auto message = fmt::format("request: {}{}{}", err->path, err->path.empty() ? "" : ": ", err->message);
        out = deny_json(set, s.request.id, &err->path, message, as_of, day.source);
        trim(*w, len);
        return CORDON_BAD_INPUT;
    }
    s.evaluator.decide(s.request, opts, s.decision);
    w->out.clear();
    set->write_json(s.evaluator, s.request, s.decision, w->out);
    out.assign(w->out);
    trim(*w, len);
    return CORDON_OK;
}

// cordon_decide_json and cordon_live_decide_json: no exception gets out.
int decide_json_through(const Live<Loaded>* live, const DayPolicy& time_rule, const char* request_json,
                        std::size_t len, const char* as_of, const char* include, char** decision_json_out) {
    if (!decision_json_out) return CORDON_BAD_ARGUMENT;
    *decision_json_out = nullptr;
    int rc = CORDON_INTERNAL_ERROR;
    std::string out;
    try {
        rc = decide_request(live, time_rule, request_json, len, as_of, include, out);
    } catch (const std::exception& e) {
        try {
            const auto current = live ? live->load() : nullptr;
            out = deny_json(current ? current->set.get() : nullptr, {}, nullptr,
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

// cordon_set_request_time and cordon_live_set_request_time.
int set_request_time(DayPolicy* rule, const char* mode, const char* window, char** error_out) {
    if (error_out) *error_out = nullptr;
    std::string error;
    try {
        const auto parsed = mode ? parse_request_time(mode) : std::nullopt;
        if (!rule) error = "cordon_set_request_time: the handle is NULL";
        else if (!parsed) error = fmt::format("request time: \"{}\" is not honour, refuse or ignore", mode ? mode : "(null)");
        else if (!window) {
            rule->request_time = *parsed;
            rule->window = {};
            return CORDON_OK;
        } else if (auto w = TimeWindow::parse(window, error)) {
            rule->request_time = *parsed;
            rule->window = *w;
            return CORDON_OK;
        } else {
            error = "time window: " + error;
        }
    } catch (const std::exception& e) {
        error = e.what();
    }
    if (error_out) *error_out = copy_out(error);
    return CORDON_BAD_ARGUMENT;
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
                auto handle = std::make_unique<cordon_policy_set>(std::make_shared<const Loaded>(Loaded{result.set, nullptr}));
                handle->digest = result.set->digest();
                handle->name = result.set->name();
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

const char* cordon_version(void) { return cordon::version(); }

int cordon_decide_json(const cordon_policy_set* set, const char* request_json, size_t len, const char* as_of,
                       const char* include, char** decision_json_out) {
    return decide_json_through(set ? &set->live : nullptr, set ? set->time_rule : DayPolicy{}, request_json, len, as_of,
                               include, decision_json_out);
}

const char* cordon_digest(const cordon_policy_set* set) { return set ? set->digest.c_str() : nullptr; }

const char* cordon_name(const cordon_policy_set* set) { return set ? set->name.c_str() : nullptr; }

void cordon_free_string(char* s) { std::free(s); }

int cordon_set_request_time(cordon_policy_set* set, const char* mode, const char* window, char** error_out) {
    return set_request_time(set ? &set->time_rule : nullptr, mode, window, error_out);
}

int cordon_live_set_request_time(cordon_live* live, const char* mode, const char* window, char** error_out) {
    return set_request_time(live ? &live->time_rule : nullptr, mode, window, error_out);
}

int cordon_load_native(cordon_policy_set* set, const char* so_path, char** error_out) {
    if (error_out) *error_out = nullptr;
    std::string error;
    try {
        if (!set) error = "cordon_load_native: the policy set is NULL";
        else if (!so_path) error = "cordon_load_native: the path is NULL";
        else {
            const auto current = set->live.load();
            if (auto code = NativeCode::load(so_path, current->set->program(), error)) {
                set->live.swap(std::make_shared<const Loaded>(Loaded{current->set, std::move(code)}));
                return CORDON_OK;
            }
        }
    } catch (const std::exception& e) {
        error = e.what();
    }
    if (error_out) *error_out = copy_out(error);
    return CORDON_BAD_ARGUMENT;
}

void cordon_free(cordon_policy_set* set) {
    if (set) Workers::forget(set->live);
    delete set;
}

cordon_live* cordon_live_new(const cordon_policy_set* set) {
    if (!set) return nullptr;
    try {
        return new cordon_live(set->live.load());
    } catch (...) {
        return nullptr;
    }
}

int cordon_live_swap(cordon_live* live, const cordon_policy_set* set) {
    if (!live || !set) return CORDON_BAD_ARGUMENT;
    live->live.swap(set->live.load());
    return CORDON_OK;
}

int cordon_live_decide_json(const cordon_live* live, const char* request_json, size_t len, const char* as_of,
                            const char* include, char** decision_json_out) {
    return decide_json_through(live ? &live->live : nullptr, live ? live->time_rule : DayPolicy{}, request_json, len,
                               as_of, include, decision_json_out);
}

char* cordon_live_digest(const cordon_live* live) {
    if (!live) return nullptr;
    const auto current = live->live.load();
    return current ? copy_out(current->set->digest()) : nullptr;
}

void cordon_live_free(cordon_live* live) {
    if (live) Workers::forget(live->live);
    delete live;
}

}  // extern "C"
