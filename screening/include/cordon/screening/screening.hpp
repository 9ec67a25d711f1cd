// Screening names against the US Consolidated Screening List (CSL) format.
//
// The rules never screen: a request carries the result (`customer.on_entity_list`).
// This is the piece that produces it: load a list (the CSL CSV or JSON download, or a
// file in the same layout), then match party names against every name and alternate
// name on it, after normalising both sides (see `normalize_name` and
// docs/commands/screen.md). Matching is exact on the normalised key, plus an optional,
// weaker token-subset match. There is no fuzzy, phonetic or transliteration matching.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cordon {

/// One entry of a screening list: a listed party with its names.
struct ScreeningEntry {
    std::string id;                      // `_id` (CSV) or `id` (JSON); may be empty
    std::string name;                    // the entry's primary name
    std::vector<std::string> alt_names;  // alternate names (CSV: separated by ';')
    std::vector<std::string> countries;  // ISO 3166 alpha-2 codes from the addresses
    std::string source;                  // the source list, e.g. "Entity List (EL) - Bureau of Industry and Security"
    std::string source_list_url;
    std::string type;                    // Entity, Individual, Vessel, ...
    std::string remarks;
    std::string file;                    // the file it was loaded from
    int line = 0;                        // line where its record starts (0: unknown)
};

/// How a name matched.
enum class MatchKind {
    Exact,        // the normalised names are equal
    TokenSubset,  // every token of the listed name is in the query (weaker: review it)
};

/// Whether the country given with the query agrees with the entry's countries.
enum class CountryCheck {
    Unknown,    // no country given, or the entry lists none
    Agrees,     // the entry lists that country
    Disagrees,  // the entry lists countries, not that one (the hit is still reported)
};

/// One match of a query name against an entry.
struct ScreeningHit {
    std::size_t entry = 0;  // index into ScreeningList::entries()
    int name = -1;          // -1: the primary name; else an index into alt_names
    MatchKind kind = MatchKind::Exact;
    CountryCheck country = CountryCheck::Unknown;
};

const char* to_string(MatchKind kind);
const char* to_string(CountryCheck check);

/// A name folded for matching, before it is split into tokens: format characters
/// (category Cf: U+200B zero-width space, U+00AD soft hyphen, U+FEFF, ...) dropped; NFKC
/// with Unicode case folding (full-width letters, ligatures, compatibility forms) and
/// combining marks removed (accents: "Müller" is "muller"); every
/// space, control character and non-ASCII punctuation or symbol one ASCII space (runs
/// folded, ends trimmed); U+2018, U+2019, U+02BC, U+2032 an apostrophe; Cyrillic and Greek
/// letters drawn like a Latin letter that letter (a fixed table; docs/commands/screen.md).
/// Bytes that are not well-formed UTF-8 become U+FFFD: lists and `cordon screen` refuse
/// them before matching (see is_valid_utf8).
std::string fold_name_text(std::string_view name);

/// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or stray bytes).
bool is_valid_utf8(std::string_view s);
/// The offset of the first byte of `s` that is not part of well-formed UTF-8, or npos.
std::size_t invalid_utf8_at(std::string_view s);

/// The matching key of a name: fold_name_text; apostrophes removed; '&' read as "and";
/// every other ASCII punctuation a token break; runs of single letters joined ("U.S.A." ->
/// "usa"); a few unambiguous abbreviations expanded ("univ" -> "university"); legal-form
/// tokens dropped ("co", "ltd", "inc", "gmbh", ... unless nothing else is left); the
/// tokens sorted and joined by single spaces. Empty for a name with no letters or digits.
std::string normalize_name(std::string_view name);

/// The tokens of `normalize_name(name)`, sorted (duplicates kept).
std::vector<std::string> name_tokens(std::string_view name);

/// The legal-form tokens `normalize_name` drops, and the abbreviations it expands
/// (abbreviation, expansion), for documentation and tests.
const std::vector<std::string_view>& legal_form_tokens();
const std::vector<std::pair<std::string_view, std::string_view>>& name_abbreviations();

/// The largest screening list `ScreeningList::load` reads (the full CSL CSV is tens of MB).
inline constexpr std::size_t kMaxScreeningListBytes = std::size_t{512} << 20;

/// A loaded screening list, indexed by normalised name.
class ScreeningList {
public:
    /// Loads a CSL CSV (header row; RFC 4180 quoting) or CSL JSON file (`{"results":
    /// [...]}` or a bare array), told apart by the first non-blank byte ('{' or '['
    /// is JSON); a regular file of at most kMaxScreeningListBytes. On failure returns nullopt
    /// with `error` naming the file and line: also for
    /// text that is not well-formed UTF-8, and for a JSON entry with a key given twice.
    static std::optional<ScreeningList> load(const std::string& path, std::string& error);
    /// The same from text; `origin` names it in errors and entries.
    static std::optional<ScreeningList> parse(std::string_view text, const std::string& origin, std::string& error);
    static std::optional<ScreeningList> parse_csv(std::string_view text, const std::string& origin,
                                                  std::string& error);
    static std::optional<ScreeningList> parse_json(std::string_view text, const std::string& origin,
                                                   std::string& error);

    /// Every entry whose primary or alternate name matches `name`: exact matches on the
    /// normalised key first (one hit per entry), then, when `token_subset`, entries with
    /// a name all of whose tokens appear in `name` (one hit per entry, weaker). `country`
    /// (alpha-2) only sets `ScreeningHit::country`; it never removes a hit.
    std::vector<ScreeningHit> match(std::string_view name, std::string_view country = {},
                                    bool token_subset = true) const;

    const std::vector<ScreeningEntry>& entries() const { return entries_; }
    std::size_t size() const { return entries_.size(); }
    /// The name a hit matched (the primary name or one of the alternate names).
    const std::string& matched_name(const ScreeningHit& hit) const;

private:
    void add(ScreeningEntry entry);

    struct NameRef {
        std::size_t entry;
        int name;
        std::size_t tokens;  // distinct tokens of the normalised name
    };
    std::vector<ScreeningEntry> entries_;
    std::vector<NameRef> names_;
    std::unordered_map<std::string, std::vector<std::size_t>> by_key_;    // normalised name -> names_
    std::unordered_map<std::string, std::vector<std::size_t>> by_token_;  // token -> names_ (each once)
};

}  // namespace cordon
