// BatchRunner: one Session per thread, work split in ordered rounds or in slices.
#include "cordon/engine/batch.hpp"

#include <algorithm>
#include <system_error>
#include <thread>

#include "cordon/engine/native.hpp"

namespace cordon {

unsigned batch_threads(unsigned requested) {
    return std::max(1u, requested ? requested : std::thread::hardware_concurrency());
}

BatchRunner::BatchRunner(const PolicySet& set, unsigned threads, const NativeCode* native, bool reference) {
    const unsigned n = batch_threads(threads);
    sessions_.reserve(n);
    for (unsigned t = 0; t < n; ++t) {
        sessions_.emplace_back(set);
        sessions_.back().evaluator.set_native(native);  // one NativeCode, shared by every thread
        sessions_.back().use_reference = reference;
    }
}

// work(t) for every thread, the calling thread taking t = 0.
void BatchRunner::run_all(const std::function<void(unsigned)>& work) {
    if (threads() == 1) {
        work(0);
        return;
    }
    std::vector<std::thread> pool;
    pool.reserve(threads() - 1);
    for (unsigned t = 1; t < threads(); ++t) {
        // A thread the system cannot start does its share here: fewer threads, same output.
        try {
            pool.emplace_back(work, t);
        } catch (const std::system_error&) {
            work(t);
        }
    }
    work(0);
    for (auto& th : pool) th.join();
}

void BatchRunner::run_ordered(std::size_t n, std::size_t block, const Decide& decide, const Emit& emit) {
    const std::size_t round = block * threads();
    for (std::size_t first = 0; first < n; first += round) {
        run_all([&](unsigned t) {
            const std::size_t begin = std::min(n, first + t * block);
            decide(sessions_[t], t, begin, std::min(n, begin + block));
        });
        for (unsigned t = 0; t < threads(); ++t) emit(t);
    }
}

void BatchRunner::run_slices(std::size_t n, const Decide& decide) {
    run_all([&](unsigned t) { decide(sessions_[t], t, n * t / threads(), n * (t + 1) / threads()); });
}

}  // namespace cordon
