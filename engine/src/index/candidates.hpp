// The candidates of a request: the rules the decision must visit, found beside the rule
// index (index.cpp builds it; this file consults it; candidates.cpp refreshes the active
// rules when the options change). Part of the Evaluator: its bitmaps are per-thread
// scratch, all zero between decisions.
//
// Inline, and included only by run/evaluate.cpp, where `decide` calls mark_candidates:
// as a call into another file it cost about 14 instructions per decision in saved and
// restored registers (docs/benchmarks.md, "Session 14": 264 -> 226 instructions a
// decision over 10 rules with run_candidates inline too).
#pragma once

#include <algorithm>

#include "cordon/engine/evaluate.hpp"
#include "program/program.hpp"

namespace cordon {

// Marks the rules of `[b, e)` candidates (and their words in the summary bitmap).
inline void Evaluator::mark(const RuleWord* b, const RuleWord* e) {
    for (; b != e; ++b) {
        candidates_[b->word] |= b->bits;
        summary_[b->word >> 6] |= std::uint64_t{1} << (b->word & 63);
    }
}

// An index column whose attribute the request lacks (the columns before it matching): the
// rules that read it unguarded are candidates, and run their whole plans (their pins are
// not known true).
inline void Evaluator::mark_absent(const ProbeColumn& col) {
    mark(col.absent_first, col.absent_last);
    for (const RuleWord* w = col.absent_first; w != col.absent_last; ++w) unpinned_[w->word] |= w->bits;
}

// One index key: its columns in order (the strings first, the most selective first); a
// value no rule of the key is filed under ends the probe; an absent one ends it after
// mark_absent. The rules found are marked, and their records fetched meanwhile: they are
// visited after the other probes. (Inline, as decide held it before the split: an
// out-of-line call per index cost 15% of a decision on bench/peers, six probes each.)
inline void Evaluator::probe(const IndexProbe& ix, const Request& request) {
    using Column = Program::RuleIndex::Column;
    const Value* const root = request.root.data();
    std::uint64_t key = 0;
    std::uint32_t c = 0;
    for (; c < ix.strings; ++c) {
        const ProbeColumn& col = ix.columns[c];
        const Value& v = root[col.slot];
        if (v.tag != Value::Tag::String) {
            if (v.tag == Value::Tag::Absent) mark_absent(col);
            return;
        }
        if (!Program::RuleIndex::holds(col.values, col.words, v.s)) return;
        key |= Program::RuleIndex::key_part(c, v.s);
    }
    for (; c < ix.count; ++c) {
        const ProbeColumn& col = ix.columns[c];
        std::uint32_t code;
        if (col.kind == Column::Kind::Bool) {
            const Value& v = root[col.slot];
            if (v.tag != Value::Tag::Bool) {
                if (v.tag == Value::Tag::Absent) mark_absent(col);
                return;
            }
            code = v.b;
        } else if (col.kind == Column::Kind::NonEmpty) {
            code = request.lists[col.slot].count != 0;
        } else {  // SomeInSet
            const auto span = request.lists[col.slot];
            const Value* e = span.count ? request.elems.data() + span.begin + col.elem : nullptr;
            bool missing = false;
            code = 0;
            for (std::uint32_t i = 0; i < span.count && !code; ++i, e += col.stride) {
                if (!e->present()) missing = true;
                else code = Program::RuleIndex::holds(col.values, col.words, e->s);
            }
            if (!code && missing) {
                mark_absent(col);
                return;
            }
        }
        if (!((col.codes >> code) & 1)) return;
        key |= Program::RuleIndex::key_part(c, code);
    }
    const auto [first, last] = ix.index->find(key);
    mark(first, last);
    for (const RuleWord* b = first; b != last; ++b)
        for (std::uint64_t bits = b->bits; bits; bits &= bits - 1) {
            const auto i = b->word * 64 + static_cast<std::uint32_t>(__builtin_ctzll(bits));
            __builtin_prefetch(&program_.rules[i]);
            __builtin_prefetch(&program_.rule_guards[i]);
        }
}

// The rules active under these options, worked out again only when the statuses, the
// policies included by name or the window of days change.
[[gnu::always_inline]] inline void Evaluator::ensure_active(const EvalOptions& options) {
    const auto& bounds = program_.window_bounds;
    const auto window = static_cast<std::uint32_t>(std::upper_bound(bounds.begin(), bounds.end(), options.as_of) - bounds.begin());
    if (!active_valid_ || options.statuses != active_statuses_ || !same_policies(options) || window != active_window_)
        refresh_active(options, window);
}

// Candidates: the unindexed rules, the rules filed under this request's values, and the
// rules whose pinned attribute the request lacks. Marked in a bitmap over rules, with a
// summary bitmap over its words, so that reading them back (run_candidates) costs what the
// candidates cost, not what the number of rules costs.
[[gnu::always_inline]] inline void Evaluator::mark_candidates(const Request& request) {
    if (native_ && program_.rules.size() <= kNativeScan) {  // mutation: skip line: scan or index, which decide alike
        // Native code runs a rule's pins in a few instructions: under kNativeScan rules,
        // visiting every active rule costs less than consulting the index.
        for (std::uint32_t w = 0; w < active_.size(); ++w)
            if (active_[w]) {
                candidates_[w] = active_[w];
                summary_[w >> 6] |= std::uint64_t{1} << (w & 63);
            }
        return;
    }
    mark(active_unindexed_.data(), active_unindexed_.data() + active_unindexed_.size());
    for (const auto* pr : active_present_)
        if (request.root[pr->slot].present()) mark(pr->rules.data(), pr->rules.data() + pr->rules.size());
    for (const IndexProbe& p : active_indexes_) probe(p, request);
}

}  // namespace cordon
