// Native code: a Program's rule plans translated to C++, compiled by the system's C++
// compiler into a shared object, and run by the Evaluator in place of its tree walk.
// The decisions are the same (tests/unit/native_test.cpp compares them with the
// interpreter's); what changes is that each node is machine code, not a dispatch.
#pragma once
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "cordon/engine/request.hpp"

namespace cordon {

class Program;  // the compiled program: private to the engine (see PolicySet)

/// What native code reads: the request's values, the evaluator's let cache and bound
/// variables. The generated source declares the same layout (see native_source.cpp).
struct NativeContext {
    const Value* root = nullptr;
    const Request::ListSpan* lists = nullptr;
    const Value* elems = nullptr;
    void* lets = nullptr;  // the evaluator's let cache (Evaluator::LetCache[])
    std::uint32_t generation = 0;
    const Value** vars = nullptr;
    /// Orders two strings by their text (`<` on strings): -1, 0 or 1.
    int (*compare_text)(const void* evaluator, std::uint32_t a, std::uint32_t b) = nullptr;
    const void* evaluator = nullptr;
    std::uint32_t set_window = 0;  // Program::set_window of the decision's day (dated set members)
};

/// A rule's plan (or `unless`) as native code: the same Value the interpreter computes.
using NativeFn = Value (*)(NativeContext*);

/// The C++ source of `program`'s plans, lets and `unless` conditions. Self-contained (it
/// includes only <cstdint>, <cstring> and <cmath>); it exports one symbol,
/// `cordon_native`, and embeds the fingerprint of the program it was made from.
std::string native_source(const Program& program);

/// A loaded shared object made from native_source(program). Immutable; shared between
/// threads like the Program. The object stays loaded while this lives.
class NativeCode {
public:
    ~NativeCode();
    NativeCode(const NativeCode&) = delete;
    NativeCode& operator=(const NativeCode&) = delete;

    /// Loads `path` for `program`. Fails (null, `error` set) when the file cannot be
    /// loaded or was made from a different program: any change to the policies, data or
    /// cordon's compiler changes the fingerprint, and stale code is never run. The file's
    /// bytes are checked against `<path>.sha256` (written by build()) before dlopen, which
    /// would run its constructors: a changed, truncated or undigested object never runs.
    static std::unique_ptr<NativeCode> load(const std::string& path, const Program& program, std::string& error);

    /// Writes native_source(program) next to `so_path` (as `<so_path>.cpp`) and compiles it
    /// with `compiler` (e.g. "c++"; flags -O2 -shared -fPIC). On failure returns false with
    /// the compiler's output in `error`. Then writes `<so_path>.sha256` for load().
    static bool build(const Program& program, const std::string& so_path, const std::string& compiler, std::string& error);

    NativeFn plan(std::uint32_t rule) const { return as_fn(plans_[rule]); }
    NativeFn unless(std::uint32_t rule) const { return as_fn(unless_[rule]); }  // null: no `unless`

private:
    NativeCode() = default;
    // A table entry (an object pointer, as dlsym gives) as a function pointer; memcpy is
    // the conversion g++ and clang++ both accept without a conditionally-supported cast.
    static NativeFn as_fn(const void* p) {
        NativeFn f;
        std::memcpy(&f, &p, sizeof f);
        return f;
    }
    void* handle_ = nullptr;
    const void* const* plans_ = nullptr;  // the object's tables (function addresses)
    const void* const* unless_ = nullptr;
};

/// The fingerprint native_source embeds: a hash of the source text itself (FNV-1a, hex).
std::string native_fingerprint(const std::string& source);

}  // namespace cordon
