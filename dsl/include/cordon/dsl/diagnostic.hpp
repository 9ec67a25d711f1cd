// Diagnostics: errors and warnings as values with a stable code, a span and a hint.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "cordon/dsl/source.hpp"

namespace cordon {

enum class Severity { Error, Warning, Note };

/// One finding about user input. `code` is stable (e.g. "E0102") so tools and
/// tests can match it; `message` says what is wrong, `hint` how to fix it.
struct Diagnostic {
    Severity severity = Severity::Error;
    std::string code;
    Span span;
    std::string message;
    std::string hint;
};

/// Stable diagnostic codes. Parse errors are E01xx, name/type errors E02xx,
/// manifest/schema/data errors E03xx, request errors E04xx, warnings W0xxx.
namespace diag {
inline constexpr const char* kSyntax = "E0101";
inline constexpr const char* kBadLiteral = "E0102";
inline constexpr const char* kUnknownName = "E0201";
inline constexpr const char* kUnknownAttribute = "E0202";
inline constexpr const char* kTypeMismatch = "E0203";
inline constexpr const char* kDuplicate = "E0204";
inline constexpr const char* kLetCycle = "E0205";
inline constexpr const char* kArity = "E0206";
inline constexpr const char* kNotAList = "E0207";
inline constexpr const char* kBadEnumValue = "E0208";
inline constexpr const char* kBadStatus = "E0209";
inline constexpr const char* kManifest = "E0301";
inline constexpr const char* kSchema = "E0302";
inline constexpr const char* kData = "E0303";
inline constexpr const char* kIo = "E0304";
inline constexpr const char* kTestFile = "E0305";
inline constexpr const char* kLimit = "E0306";  // a rule file, expression or rule count past a Limits value
inline constexpr const char* kNotUtf8 = "E0307";  // a policy, data or test file with bytes that are not UTF-8
inline constexpr const char* kRequest = "E0401";
// Warnings from the lint pass (dsl/src/lint.cpp); they never stop loading.
inline constexpr const char* kNoCite = "W0001";
inline constexpr const char* kUnusedLet = "W0002";
inline constexpr const char* kEffectiveAfterSunset = "W0003";
inline constexpr const char* kNeverActive = "W0004";
inline constexpr const char* kUnguardedOptional = "W0005";
inline constexpr const char* kThresholdMagnitude = "W0006";
inline constexpr const char* kAllowUnderDefaultAllow = "W0007";
}  // namespace diag

/// An ordered collection of diagnostics, capped so a broken file cannot flood a screen.
class Diagnostics {
public:
    void add(Diagnostic d);
    void error(const char* code, Span span, std::string message, std::string hint = {});
    void warning(const char* code, Span span, std::string message, std::string hint = {});
    bool has_errors() const { return errors_ > 0; }
    /// Past the cap: a further diagnostic is counted but not kept, so a caller can skip
    /// the costly part of one (a suggestion that compares a name with every candidate).
    bool full() const;
    std::size_t error_count() const { return errors_; }
    const std::vector<Diagnostic>& items() const { return items_; }
    /// Sorts by file and position and drops exact duplicates.
    void sort_and_dedupe();
    void append(const Diagnostics& other);

private:
    std::vector<Diagnostic> items_;
    std::size_t errors_ = 0;
};

/// Renders `file:line:col: error[E0202]: message`, the source line, a caret
/// under the span and the hint. `colour` adds ANSI colours (terminals only).
std::string render(const Diagnostic& d, const SourceMap& sources, bool colour = false);
std::string render_all(const Diagnostics& ds, const SourceMap& sources, bool colour = false);

/// The closest candidate to `name` by edit distance, or "" when none is close. Bounded
/// work whatever the input: a name over 64 bytes gets no suggestion, candidates whose
/// length alone puts them too far are skipped, and the comparisons stop after a fixed
/// budget (the best so far is the answer).
std::string nearest_name(std::string_view name, const std::vector<std::string>& candidates);
/// "a, b, c": at most `shown` names, then "and N more" (a hint never lists a schema's
/// 100,000 enum values).
std::string name_list(const std::vector<std::string>& names, std::size_t shown = 20);

}  // namespace cordon
