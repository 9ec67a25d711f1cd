// CompileOptions: the compiler's optimising passes, each of which can be switched off, so
// that a wrong decision can be bisected to one pass (`cordon check --no-pass index`). Every
// pass keeps decisions as they are: with any of them off the program is slower, not other.
// See docs/engine.md, "Passes".
#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace cordon {

/// Which optimising passes `compile` runs. Default: all of them.
struct CompileOptions {
    bool fold = true;         // constant folding: constant subtrees, `true and x`, `if` on a constant, constant lets
    bool fuse = true;         // fused nodes: AttrInSet, ElemInSet, AttrCmpNum, AttrEqStr, ElemEqStr
    bool hash_cons = true;    // identical nodes are one node (equal conditions are equal node ids)
    bool spelled_lets = true; // an expression that spells out a let's body reads the let
    bool merge_lets = true;   // lets whose bodies are the same once rewritten share one cache slot
    bool inline_lets = true;  // a let whose body is one leaf (`has x and x`) is read in place, not cached
    bool unions = true;       // `x in A or x in B` (or `x == "a" or ...`) becomes one test on A ∪ B
    bool attr_true = true;    // `has x and x` for a bool attribute becomes one AttrTrue node
    bool shared_lets = true;  // costly expressions shared by rules cached once per request, as lets
    bool plan = true;         // a rule's conjuncts run cheapest-and-likeliest-false first (off: as written)
    bool guards = true;       // lets many rules require skip those rules once found false
    bool key_tables = true;   // a costly let keyed by one string attribute becomes a table of its values
    bool twins = true;        // rules that decide alike are evaluated once, by their head
    bool families = true;     // rules differing in one threshold are evaluated once, by their leader
    bool index = true;        // rules filed under the values they pin (off: every rule visited for every request)

    /// Every pass off: the plainest correct program.
    static CompileOptions all_off() {
        CompileOptions o;
        for (const auto& [name, member] : names()) o.*member = false;
        return o;
    }

    using Member = bool CompileOptions::*;
    /// Each pass's name and member, in the order the compiler runs them.
    static std::span<const std::pair<std::string_view, Member>> names() {
        static constexpr std::pair<std::string_view, Member> kNames[] = {
            {"fold", &CompileOptions::fold},           {"fuse", &CompileOptions::fuse},
            {"hash_cons", &CompileOptions::hash_cons}, {"spelled_lets", &CompileOptions::spelled_lets},
            {"merge_lets", &CompileOptions::merge_lets}, {"inline_lets", &CompileOptions::inline_lets},
            {"unions", &CompileOptions::unions},       {"attr_true", &CompileOptions::attr_true},
            {"shared_lets", &CompileOptions::shared_lets}, {"plan", &CompileOptions::plan},
            {"guards", &CompileOptions::guards},       {"key_tables", &CompileOptions::key_tables},
            {"twins", &CompileOptions::twins},         {"families", &CompileOptions::families},
            {"index", &CompileOptions::index},
        };
        return kNames;
    }

    /// Sets the passes named in `list` (comma-separated; "all" names every one) to `on`.
    /// An unknown name leaves `*this` unchanged and returns a message naming it and the
    /// known passes.
    std::optional<std::string> set(std::string_view list, bool on);

    /// Only the passes in `list` on ("all": every one; "none" or "": none), or the error.
    static std::optional<CompileOptions> parse(std::string_view list, std::string* error = nullptr);

    /// The passes on, comma-separated in names() order ("none" when none is).
    std::string to_string() const;

    bool operator==(const CompileOptions&) const = default;
};

}  // namespace cordon
