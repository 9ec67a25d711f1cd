// Live<T>: a reference-counted value (a policy set) that can be replaced while threads
// use it, and ThreadWorkers: each thread's own scratch state (a Session) for the version
// it last used. Together they are reload-while-serving without a shared lock on the
// decide path (docs/embedding.md).
#pragma once
#include <array>
#include <atomic>
#include <mutex>
#include <cstdint>
#include <memory>
#include <utility>

namespace cordon {

/// Each Live version, across every Live in the process, gets a distinct number, so a
/// worker cached for one version is never mistaken for another's (even at a reused address).
inline std::uint64_t next_live_version() {
    static std::atomic<std::uint64_t> counter{0};
    return counter.fetch_add(1, std::memory_order_relaxed) + 1;
}

/// The current version of a shared, immutable T. `load` gives a reference that keeps its
/// version alive however often `swap` replaces it; `swap` replaces it atomically. Thread-safe.
/// The pointer is guarded by a mutex (std::atomic<std::shared_ptr> has a lock inside that
/// ThreadSanitizer does not see), taken only by `swap` and by `load`, which ThreadWorkers
/// calls only when `version()` (lock-free) says the version changed: deciding takes no lock.
template <class T>
class Live {
public:
    explicit Live(std::shared_ptr<const T> value) : value_(std::move(value)), version_(next_live_version()) {}
    Live(const Live&) = delete;
    Live& operator=(const Live&) = delete;

    /// The current version (null only when constructed or swapped with null).
    std::shared_ptr<const T> load() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return value_;
    }
    /// Replaces the current version; calls already running keep the one they loaded.
    void swap(std::shared_ptr<const T> value) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            value_.swap(value);
        }
        version_.store(next_live_version(), std::memory_order_release);
        // (the old version, now in `value`, is released here, outside the lock)
    }
    /// A number that changes on every swap (see next_live_version).
    std::uint64_t version() const { return version_.load(std::memory_order_acquire); }

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const T> value_;
    std::atomic<std::uint64_t> version_;
};

/// Per-thread workers for Live<T>s: `get` returns this thread's Worker (constructed from
/// `const T&`) for the live value's current version, building one when the version changed.
/// Nothing is shared between threads and no lock is taken once a thread's worker is warm.
/// A thread keeps at most `kSlots` workers (the most recently used); a worker holds a
/// reference to its version, so a replaced version is released when each thread that used
/// it next decides (or exits).
template <class T, class Worker>
class ThreadWorkers {
public:
    static constexpr std::size_t kSlots = 4;

    /// This thread's worker for `live` and the version it belongs to. The reference is
    /// valid until this thread's next `get`.
    static std::pair<Worker*, const T*> get(const Live<T>& live) {
        auto& slots = local();
        const std::uint64_t version = live.version();
        for (auto& s : slots) {
            if (s.worker && s.live == &live && s.version == version) {
                s.used = ++clock();
                return {s.worker.get(), s.value.get()};
            }
        }
        Slot* victim = &slots[0];
        for (auto& s : slots) {
            if (s.live == &live) { victim = &s; break; }  // this live value's stale version
            if (!s.worker) { victim = &s; continue; }
            if (victim->worker && s.used < victim->used) victim = &s;
        }
        victim->worker.reset();
        victim->value = live.load();
        victim->live = &live;
        victim->version = version;
        victim->used = ++clock();
        if (!victim->value) return {nullptr, nullptr};
        victim->worker = std::make_unique<Worker>(*victim->value);
        return {victim->worker.get(), victim->value.get()};
    }

    /// Drops this thread's workers (and their references) for `live`; call before
    /// destroying a Live on a thread that keeps running.
    static void forget(const Live<T>& live) {
        for (auto& s : local()) {
            if (s.live == &live) s = Slot{};
        }
    }

private:
    struct Slot {
        const Live<T>* live = nullptr;
        std::uint64_t version = 0;
        std::uint64_t used = 0;
        std::shared_ptr<const T> value;   // declared before the worker: destroyed after it
        std::unique_ptr<Worker> worker;
    };
    static std::array<Slot, kSlots>& local() {
        thread_local std::array<Slot, kSlots> slots;
        return slots;
    }
    static std::uint64_t& clock() {
        thread_local std::uint64_t c = 0;
        return c;
    }
};

}  // namespace cordon
