// BatchRunner: the library's one way to decide many requests on every core. It owns one
// Session per thread; the fronts (cordon check/bench, and any service) hand it ranges
// and never start threads of their own. For serving single requests from the caller's
// own threads, see ThreadWorkers (live.hpp).
#pragma once
#include <cstddef>
#include <functional>
#include <vector>

#include "cordon/engine/policy_set.hpp"

namespace cordon {

class NativeCode;

/// How many threads a batch uses: `requested`, or every core when 0 (at least 1).
unsigned batch_threads(unsigned requested);

/// Runs batches of requests on a fixed number of threads, each with its own Session.
class BatchRunner {
public:
    /// Decides [begin, end) of the batch with thread `t`'s session.
    using Decide = std::function<void(Session& session, unsigned t, std::size_t begin, std::size_t end)>;
    /// Takes thread `t`'s output for the round just decided (called in thread order).
    using Emit = std::function<void(unsigned t)>;

    /// `threads` as batch_threads; every session runs `native` when given (shared, not
    /// owned) and the reference evaluator when `reference`.
    BatchRunner(const PolicySet& set, unsigned threads, const NativeCode* native = nullptr, bool reference = false);

    unsigned threads() const { return static_cast<unsigned>(sessions_.size()); }
    Session& session(unsigned t) { return sessions_[t]; }

    /// Ordered and chunked: [0, n) in rounds of `block` items per thread; after each round
    /// `emit(t)` for every thread in order, so output follows input order however many
    /// threads decided it.
    void run_ordered(std::size_t n, std::size_t block, const Decide& decide, const Emit& emit);
    /// [0, n) in one contiguous slice per thread (throughput runs; no order kept).
    void run_slices(std::size_t n, const Decide& decide);

private:
    void run_all(const std::function<void(unsigned)>& work);
    std::vector<Session> sessions_;
};

}  // namespace cordon
