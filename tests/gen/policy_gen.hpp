// The random policy-set generator of the differential test: from a seed, a valid policy
// set as text files (manifest, schema, data, rule files) and random requests for it.
// Everything a generated set says is kept in a model (GeneratedSet) so that requests can
// aim at its constants and a failing set can be shrunk rule by rule.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "cordon/dsl/manifest.hpp"

namespace cordon::gen {

/// Value types of generated expressions; strings carry a domain (see kPlain, kCountry).
enum class Ty { Bool, Num, Str, Date };
constexpr int kPlain = -1;    // any string
constexpr int kCountry = -2;  // two upper-case letters
// A domain >= 0 is the index of an enum in GeneratedSet::enums.

/// A value type with its string domain (ignored unless `ty` is Str).
struct SType {
    Ty ty = Ty::Bool;
    int dom = kPlain;
    bool operator==(const SType&) const = default;
};

/// A node of the generated schema: a scalar, a record or a list (of records or scalars).
struct SNode {
    enum class Kind { Scalar, Record, List } kind = Kind::Scalar;
    std::string name;
    SType type;             // Scalar, or a list's scalar element
    bool optional = false;  // Scalar only
    bool records = false;   // List: of records (kids) or of scalars (type)
    std::vector<SNode> kids;
};

/// A scalar attribute rules can read: a root path, or a field of a list's element.
struct GAttr {
    std::string path;  // root: "rec0.f1"; element field: relative to the element ("f0", "r1.f2")
    SType type;
    bool optional = false;
    int list = -1;  // the list (GeneratedSet::lists) whose element holds it, or -1
};

/// A list attribute: of records (fields: indices into attrs) or of scalars.
struct GList {
    std::string path;
    bool records = false;
    SType type;               // scalar lists
    std::vector<int> fields;  // record lists
};

/// The days a dated set member belongs or a dated table row holds (LANGUAGE: dated data):
/// `since` (first day in) and `until` (first day out), either absent for an open end.
struct GWindow {
    std::optional<std::int32_t> since, until;
};

/// A table data file: keys, typed columns, cells (rendered YAML; nullopt: omitted). A key
/// with dated rows appears once per row, next to each other, each with its window.
struct GTable {
    std::string name;
    int key_dom = kPlain;  // kPlain or kCountry: what the keys are and what looks them up
    std::vector<std::string> keys;
    std::vector<std::optional<GWindow>> windows;  // parallel to keys: a dated row's window, else nullopt
    struct Column {
        std::string name;
        SType type;
    };
    std::vector<Column> columns;
    std::vector<std::vector<std::optional<std::string>>> cells;  // [row][column]
};

/// A `let`: parameterless (shared) or with typed parameters (inlined).
struct GLet {
    std::string name;
    std::vector<std::pair<std::string, SType>> params;
    SType type;
    std::string body;
};

/// One policy block with its rules (each rule's full text).
struct GPolicy {
    std::string name;
    std::string file;  // the rule file holding it
    std::string status;
    std::optional<std::int32_t> effective, sunset;
    std::vector<GLet> lets;
    std::vector<std::string> rules;  // rule texts
};

/// A generated policy set: the model and what it renders to.
struct GeneratedSet {
    std::uint64_t seed = 0;
    std::vector<SNode> schema;  // the root record's fields
    std::vector<GAttr> attrs;
    std::vector<GList> lists;
    std::vector<std::vector<std::string>> enums;
    std::map<std::string, std::vector<std::string>> sets;
    /// Dated members (LANGUAGE: dated data): per set, parallel to its members, the day a
    /// member joins (`since`) and leaves (`until`), either absent for an open end.
    using Window = GWindow;
    std::map<std::string, std::vector<Window>> set_windows;
    std::vector<GTable> tables;
    std::vector<GPolicy> policies;
    std::string default_effect = "allow", on_error = "deny";
    std::vector<std::string> enforce = {"in_force"};
    bool declares_time = false;

    // The constants the rules name: requests aim at, just below and just above them.
    std::set<double> numbers;
    std::set<std::int32_t> dates;  // also every effective and sunset date
    // The constants each attribute is compared with ("rec0.f1", "lst2[].g0", "tags3[]", "time").
    std::map<std::string, std::set<double>> attr_numbers;
    std::map<std::string, std::set<std::int32_t>> attr_dates;

    /// The files of the set (relative path -> text). `keep[p][r]` false drops rule r of
    /// policy p (for shrinking a failing set); null keeps everything. A non-zero `permute`
    /// writes the same set in another order (policies, files, uses, lets, rules shuffled).
    std::map<std::string, std::string> files(const std::vector<std::vector<bool>>* keep = nullptr,
                                             std::uint64_t permute = 0) const;
    std::size_t rule_count() const;
};

/// Generates a valid policy set from `seed` (same seed, same set).
GeneratedSet generate_set(std::uint64_t seed);

/// One request for a set, and how it is decided: as_of day, statuses included, and
/// policies included by name whatever their status (`--include-policy`; names, not
/// indices: a permuted set numbers its policies otherwise).
struct Scenario {
    std::string request;  // JSON text
    std::int32_t as_of = 0;
    std::vector<Status> include;
    std::vector<std::string> policies;
    /// "as_of D; include [..]; include_policy [..]", for reports of a disagreement.
    std::string describe_options() const;
};
/// The seed of the request generator for the set made from `set_seed`.
inline std::uint64_t request_seed(std::uint64_t set_seed) { return set_seed ^ 0x5deece66dULL; }
Scenario generate_scenario(const GeneratedSet& set, std::mt19937_64& rng);

/// Writes `files` under `dir` (created; existing files overwritten).
void write_files(const std::string& dir, const std::map<std::string, std::string>& files);

}  // namespace cordon::gen
