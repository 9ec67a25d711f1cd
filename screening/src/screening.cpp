// Screening-list loading (CSL CSV and JSON) and name matching. See screening.hpp.
#include "cordon/screening/screening.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unordered_set>

namespace cordon {

namespace {

bool is_ascii_alnum(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_ascii_letter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string_view trim(std::string_view s) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    return s;
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Splits on `sep`, trims each piece, drops empty pieces.
std::vector<std::string> split_list(std::string_view s, char sep) {
    std::vector<std::string> out;
    while (true) {
        const auto at = s.find(sep);
        const auto piece = trim(s.substr(0, at));
        if (!piece.empty()) out.emplace_back(piece);
        if (at == std::string_view::npos) break;
        s.remove_prefix(at + 1);
    }
    return out;
}

// A two-letter country code, upper-cased; nullopt for anything else.
std::optional<std::string> country_code(std::string_view s) {
    s = trim(s);
    if (s.size() != 2 || !is_ascii_letter(s[0]) || !is_ascii_letter(s[1])) return std::nullopt;
    std::string out(s);
    for (auto& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

void add_country(std::vector<std::string>& countries, std::optional<std::string> code) {
    if (code && std::find(countries.begin(), countries.end(), *code) == countries.end())
        countries.push_back(std::move(*code));
}

// Countries of a CSV `addresses` cell: addresses separated by ';', each "street, city,
// state, postal code, country" with the country last; only a two-letter last part counts.
void countries_from_addresses(std::string_view cell, std::vector<std::string>& countries) {
    for (const auto& address : split_list(cell, ';')) {
        const auto comma = address.rfind(',');
        add_country(countries, country_code(comma == std::string::npos ? std::string_view(address)
                                                                         : std::string_view(address).substr(comma + 1)));
    }
}

// Splits folded text (fold_name_text) into tokens: ASCII letters and digits and any
// non-ASCII character (a letter or mark: folding made other ones spaces) make up tokens;
// apostrophes vanish; '&' is the token "and"; every other ASCII character breaks.
void raw_tokens(std::string_view s, std::vector<std::string>& out) {
    std::string cur;
    const auto flush = [&] {
        if (!cur.empty()) out.push_back(std::move(cur));
        cur.clear();
    };
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x80 || is_ascii_alnum(c)) {
            cur += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        } else if (c == '\'' || c == '`') {
            // O'Brien == OBrien; People's == Peoples
        } else if (c == '&') {
            flush();
            out.emplace_back("and");
        } else {
            flush();
        }
    }
    flush();
}

bool is_legal_form(std::string_view t) {
    const auto& forms = legal_form_tokens();
    return std::find(forms.begin(), forms.end(), t) != forms.end();
}

std::string join(const std::vector<std::string>& tokens) {
    std::string out;
    for (const auto& t : tokens) {
        if (!out.empty()) out += ' ';
        out += t;
    }
    return out;
}

// The 1-based line and column of byte `offset` of `text`.
std::pair<int, int> line_column(std::string_view text, std::size_t offset) {
    int line = 1, column = 1;
    for (std::size_t k = 0; k < offset && k < text.size(); ++k) {
        if (text[k] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

// An error naming the first byte of `text` that is not well-formed UTF-8, or "": a list
// with such a byte is refused, so that no name is matched by accident or written raw.
std::string utf8_problem(std::string_view text, const std::string& origin) {
    const auto at = invalid_utf8_at(text);
    if (at == std::string_view::npos) return {};
    const auto [line, column] = line_column(text, at);
    return fmt::format("{}:{}:{}: not valid UTF-8 (byte 0x{:02X}); a screening list must be UTF-8 text", origin, line,
                       column, static_cast<unsigned char>(text[at]));
}

}  // namespace

const std::vector<std::string_view>& legal_form_tokens() {
    static const std::vector<std::string_view> forms = {
        "co",   "company", "corp", "corporation", "inc",  "incorporated", "llc",  "llp",  "ltd",
        "limited", "plc",  "gmbh", "ag",          "sa",   "sarl",         "srl",  "bv",   "nv",
        "pte",  "pvt",     "jsc",  "ojsc",        "cjsc", "pjsc",         "ooo",  "oao",  "zao",
        "pao",  "kk"};
    return forms;
}

const std::vector<std::pair<std::string_view, std::string_view>>& name_abbreviations() {
    static const std::vector<std::pair<std::string_view, std::string_view>> table = {
        {"univ", "university"},  {"intl", "international"}, {"natl", "national"},
        {"acad", "academy"},     {"inst", "institute"},     {"dept", "department"},
        {"mfg", "manufacturing"}, {"assn", "association"},  {"hldgs", "holdings"}};
    return table;
}

std::vector<std::string> name_tokens(std::string_view name) {
    std::vector<std::string> raw;
    raw_tokens(fold_name_text(name), raw);
    // Join runs of single letters: "U.S.A." and "U S A" -> "usa"; "S.A." -> "sa".
    std::vector<std::string> joined;
    for (std::size_t i = 0; i < raw.size();) {
        if (raw[i].size() == 1 && is_ascii_letter(static_cast<unsigned char>(raw[i][0]))) {
            std::string run;
            while (i < raw.size() && raw[i].size() == 1 && is_ascii_letter(static_cast<unsigned char>(raw[i][0])))
                run += raw[i++];
            joined.push_back(std::move(run));
        } else {
            joined.push_back(std::move(raw[i++]));
        }
    }
    for (auto& t : joined)
        for (const auto& [abbr, full] : name_abbreviations())
            if (t == abbr) t = std::string(full);
    // Drop legal forms (and an "and" just before one: "Smith & Co"), unless nothing is left.
    std::vector<std::string> kept;
    for (std::size_t i = 0; i < joined.size(); ++i) {
        if (is_legal_form(joined[i])) continue;
        if (joined[i] == "and" && i + 1 < joined.size() && is_legal_form(joined[i + 1])) continue;
        kept.push_back(joined[i]);
    }
    if (kept.empty()) kept = std::move(joined);
    std::sort(kept.begin(), kept.end());
    return kept;
}

std::string normalize_name(std::string_view name) { return join(name_tokens(name)); }

const char* to_string(MatchKind kind) { return kind == MatchKind::Exact ? "exact" : "token_subset"; }

const char* to_string(CountryCheck check) {
    switch (check) {
        case CountryCheck::Agrees: return "agrees";
        case CountryCheck::Disagrees: return "disagrees";
        default: return "unknown";
    }
}

// ---------------------------------------------------------------------------------------
// Index and match

void ScreeningList::add(ScreeningEntry entry) {
    const std::size_t e = entries_.size();
    entries_.push_back(std::move(entry));
    const auto& en = entries_.back();
    std::vector<std::string> keys;
    for (int n = -1; n < static_cast<int>(en.alt_names.size()); ++n) {
        auto tokens = name_tokens(n < 0 ? en.name : en.alt_names[static_cast<std::size_t>(n)]);
        if (tokens.empty()) continue;
        auto key = join(tokens);
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;  // same name twice
        keys.push_back(key);
        tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
        const std::size_t ni = names_.size();
        names_.push_back({e, n, tokens.size()});
        by_key_[std::move(key)].push_back(ni);
        for (auto& t : tokens) by_token_[std::move(t)].push_back(ni);
    }
}

std::vector<ScreeningHit> ScreeningList::match(std::string_view name, std::string_view country,
                                               bool token_subset) const {
    std::vector<ScreeningHit> hits;
    auto tokens = name_tokens(name);
    if (tokens.empty()) return hits;
    std::unordered_set<std::size_t> seen;
    if (auto it = by_key_.find(join(tokens)); it != by_key_.end())
        for (const auto ni : it->second)
            if (seen.insert(names_[ni].entry).second)
                hits.push_back({names_[ni].entry, names_[ni].name, MatchKind::Exact, CountryCheck::Unknown});
    if (token_subset) {
        tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
        std::unordered_map<std::size_t, std::size_t> counts;
        for (const auto& t : tokens)
            if (auto it = by_token_.find(t); it != by_token_.end())
                for (const auto ni : it->second) ++counts[ni];
        std::vector<std::size_t> full;
        for (const auto& [ni, count] : counts)
            if (count == names_[ni].tokens) full.push_back(ni);
        std::sort(full.begin(), full.end());
        for (const auto ni : full)
            if (seen.insert(names_[ni].entry).second)
                hits.push_back({names_[ni].entry, names_[ni].name, MatchKind::TokenSubset, CountryCheck::Unknown});
    }
    const auto code = country_code(country);
    for (auto& h : hits) {
        const auto& cs = entries_[h.entry].countries;
        if (!code || cs.empty()) continue;
        h.country = std::find(cs.begin(), cs.end(), *code) != cs.end() ? CountryCheck::Agrees : CountryCheck::Disagrees;
    }
    return hits;
}

const std::string& ScreeningList::matched_name(const ScreeningHit& hit) const {
    const auto& e = entries_.at(hit.entry);
    return hit.name < 0 ? e.name : e.alt_names.at(static_cast<std::size_t>(hit.name));
}

// ---------------------------------------------------------------------------------------
// Loading

std::optional<ScreeningList> ScreeningList::load(const std::string& path, std::string& error) {
    // A regular file only, and bounded: `/dev/zero` or a FIFO as a list would read or block
    // without end (issue 18, item 11).
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(st)) {
        error = path + ": cannot open file";
        return std::nullopt;
    }
    if (!std::filesystem::is_regular_file(st)) {
        error = path + (std::filesystem::is_directory(st) ? ": is a directory, not a screening list"
                                                          : ": not a regular file (a FIFO, socket or device); not read");
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = path + ": cannot open file";
        return std::nullopt;
    }
    std::string text;
    char buf[65536];
    while (text.size() <= kMaxScreeningListBytes && in.read(buf, sizeof buf).gcount() > 0)
        text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (in.bad()) {
        error = path + ": cannot read file";
        return std::nullopt;
    }
    if (text.size() > kMaxScreeningListBytes) {
        error = fmt::format("{}: more than {} bytes (the screening-list limit); not read", path, kMaxScreeningListBytes);
        return std::nullopt;
    }
    return parse(text, path, error);
}

std::optional<ScreeningList> ScreeningList::parse(std::string_view text, const std::string& origin,
                                                  std::string& error) {
    std::string_view body = text;
    if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
    const auto first = body.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && (body[first] == '{' || body[first] == '['))
        return parse_json(text, origin, error);
    return parse_csv(text, origin, error);
}

std::optional<ScreeningList> ScreeningList::parse_csv(std::string_view text, const std::string& origin,
                                                      std::string& error) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    if (error = utf8_problem(text, origin); !error.empty()) return std::nullopt;
    const auto fail = [&](int line, const std::string& what) {
        error = origin + ":" + std::to_string(line) + ": " + what;
        return std::nullopt;
    };
    ScreeningList list;
    std::vector<std::string> header;
    // Column indexes, -1 when the header lacks the column.
    int c_name = -1, c_alt = -1, c_addr = -1, c_source = -1, c_url = -1, c_id = -1, c_type = -1, c_remarks = -1,
        c_citizen = -1, c_nation = -1;

    std::vector<std::string> fields;
    std::string field;
    int line = 1;         // current line
    int record_line = 1;  // line where the current record started
    bool quoted_any = false;
    std::size_t i = 0;
    const std::size_t n = text.size();

    const auto end_record = [&]() -> bool {  // false on error (error set)
        fields.push_back(std::move(field));
        field.clear();
        const bool blank = fields.size() == 1 && fields[0].empty() && !quoted_any;
        quoted_any = false;
        if (blank) {
            fields.clear();
            return true;
        }
        if (header.empty()) {
            header = std::move(fields);
            fields.clear();
            for (std::size_t k = 0; k < header.size(); ++k) {
                const auto h = lower_ascii(trim(header[k]));
                const int idx = static_cast<int>(k);
                auto set = [&](int& col) {
                    if (col < 0) col = idx;
                };
                if (h == "name") set(c_name);
                else if (h == "alt_names") set(c_alt);
                else if (h == "addresses") set(c_addr);
                else if (h == "source") set(c_source);
                else if (h == "source_list_url") set(c_url);
                else if (h == "_id" || h == "id") set(c_id);
                else if (h == "type") set(c_type);
                else if (h == "remarks") set(c_remarks);
                else if (h == "citizenships") set(c_citizen);
                else if (h == "nationalities") set(c_nation);
            }
            if (c_name < 0) {
                fail(record_line, "the header row has no `name` column (expected the Consolidated Screening List "
                                  "CSV layout: _id,source,entity_number,type,programs,name,...)");
                return false;
            }
            return true;
        }
        if (fields.size() != header.size()) {
            fail(record_line, "a row of " + std::to_string(fields.size()) + " fields; the header has " +
                                  std::to_string(header.size()));
            return false;
        }
        ScreeningEntry e;
        const auto cell = [&](int col) -> std::string_view {
            return col < 0 ? std::string_view() : trim(fields[static_cast<std::size_t>(col)]);
        };
        e.name = std::string(cell(c_name));
        if (e.name.empty()) {
            fail(record_line, "a row with an empty `name`");
            return false;
        }
        e.alt_names = split_list(cell(c_alt), ';');
        countries_from_addresses(cell(c_addr), e.countries);
        for (const int col : {c_citizen, c_nation})
            for (const auto& c : split_list(cell(col), ';')) add_country(e.countries, country_code(c));
        e.source = std::string(cell(c_source));
        e.source_list_url = std::string(cell(c_url));
        e.id = std::string(cell(c_id));
        e.type = std::string(cell(c_type));
        e.remarks = std::string(cell(c_remarks));
        e.file = origin;
        e.line = record_line;
        list.add(std::move(e));
        fields.clear();
        return true;
    };

    bool at_field_start = true;
    while (i < n) {
        const char c = text[i];
        if (at_field_start && c == '"') {
            // Quoted field: "" is a quote; ends at a quote followed by , newline or EOF.
            const int opened = line;
            quoted_any = true;
            ++i;
            bool closed = false;
            while (i < n) {
                const char q = text[i];
                if (q == '"') {
                    if (i + 1 < n && text[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    closed = true;
                    break;
                }
                if (q == '\n') ++line;
                field += q;
                ++i;
            }
            if (!closed) return fail(opened, "a quoted field that is never closed");
            if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                return fail(line, "unexpected text after a closing quote (a quote inside a quoted field is "
                                  "written \"\")");
            at_field_start = false;
            continue;
        }
        at_field_start = false;
        if (c == ',') {
            fields.push_back(std::move(field));
            field.clear();
            at_field_start = true;
            ++i;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
            ++i;
            if (!end_record()) return std::nullopt;
            ++line;
            record_line = line;
            at_field_start = true;
        } else {
            field += c;
            ++i;
        }
    }
    if (!fields.empty() || !field.empty() || quoted_any)
        if (!end_record()) return std::nullopt;
    if (header.empty()) return fail(1, "empty file: expected a header row (the Consolidated Screening List CSV layout)");
    return list;
}

namespace {

// Lines where each object element of the entries array starts: the top-level array, or
// the array under the top-level key "results". A light scan that only tracks strings,
// nesting and newlines, so errors found after parsing can still name a line.
std::vector<int> entry_lines(std::string_view text) {
    std::vector<int> lines;
    std::vector<char> stack;
    std::size_t target = 0;  // stack depth of the entries array (0: not found yet)
    std::string last_key;
    int line = 1;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            ++line;
        } else if (c == '"') {
            std::string s;
            for (++i; i < text.size() && text[i] != '"'; ++i) {
                if (text[i] == '\\') ++i;
                else if (text[i] == '\n') ++line;
                if (i < text.size() && s.size() < 16) s += text[i];
            }
            std::size_t j = i + 1;
            while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r' || text[j] == '\n')) ++j;
            if (stack.size() == 1 && stack[0] == '{' && j < text.size() && text[j] == ':') last_key = s;
        } else if (c == '{' || c == '[') {
            if (c == '{' && target && stack.size() == target) lines.push_back(line);
            stack.push_back(c);
            if (c == '[' && !target &&
                (stack.size() == 1 || (stack.size() == 2 && stack[0] == '{' && last_key == "results")))
                target = stack.size();
        } else if (c == '}' || c == ']') {
            if (!stack.empty()) stack.pop_back();
        }
    }
    return lines;
}

// A key found twice in one object of a JSON list: where (results[3].name), and the index of
// the entry it is in (for its line).
struct DuplicateKey {
    std::string path;
    std::size_t entry;
};

// Follows nlohmann's parse events to find a key given twice in one object (nlohmann keeps
// the last one silently, so `{"name": "X", "name": "Y"}` would lose X). Throws DuplicateKey.
class KeyTracker {
public:
    bool on(nlohmann::json::parse_event_t event, const nlohmann::json& parsed) {
        using E = nlohmann::json::parse_event_t;
        switch (event) {
            case E::object_start:
            case E::array_start:
                count_element();
                frames_.push_back({event == E::object_start, {}, -1, {}});
                break;
            case E::object_end:
            case E::array_end:
                if (!frames_.empty()) frames_.pop_back();
                break;
            case E::key: {
                auto& top = frames_.back();
                top.key = parsed.get<std::string>();
                if (!top.keys.insert(top.key).second) throw DuplicateKey{path(), entry()};
                break;
            }
            case E::value: count_element(); break;
        }
        return true;
    }

private:
    struct Frame {
        bool object;
        std::unordered_set<std::string> keys;
        long index;       // arrays: the element being read
        std::string key;  // objects: the key being read
    };
    void count_element() {
        if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
    }
    std::string path() const {
        std::string out;
        for (const auto& f : frames_) {
            if (f.object) out += (out.empty() ? "" : ".") + f.key;
            else out += "[" + std::to_string(f.index) + "]";
        }
        return out;
    }
    // The entry index: the element of the top-level array, or of the array under "results".
    std::size_t entry() const {
        if (frames_.size() >= 2 && !frames_[0].object) return static_cast<std::size_t>(frames_[0].index);
        if (frames_.size() >= 3 && frames_[0].key == "results" && !frames_[1].object)
            return static_cast<std::size_t>(frames_[1].index);
        return static_cast<std::size_t>(-1);
    }
    std::vector<Frame> frames_;
};

}  // namespace

std::optional<ScreeningList> ScreeningList::parse_json(std::string_view text, const std::string& origin,
                                                       std::string& error) {
    using nlohmann::json;
    if (error = utf8_problem(text, origin); !error.empty()) return std::nullopt;
    const auto lines = entry_lines(text);
    json doc;
    try {
        KeyTracker keys;
        doc = json::parse(text.begin(), text.end(),
                          [&](int, json::parse_event_t event, json& parsed) { return keys.on(event, parsed); });
    } catch (const DuplicateKey& d) {
        const int line = d.entry < lines.size() ? lines[d.entry] : 1;
        error = fmt::format("{}:{}: {}: key given twice in one object (an entry's fields are read once; fix the list)",
                            origin, line, d.path);
        return std::nullopt;
    } catch (const json::parse_error& e) {
        const auto [line, column] = line_column(text, e.byte ? e.byte - 1 : 0);
        std::string what = e.what();
        if (const auto at = what.find("syntax error"); at != std::string::npos) what = what.substr(at);
        error = origin + ":" + std::to_string(line) + ":" + std::to_string(column) + ": malformed JSON: " + what;
        return std::nullopt;
    } catch (const json::exception& e) {
        // Not a syntax error but still unreadable: a number too large for a double
        // (`4e332`) is out_of_range.406 (found by fuzz_screening).
        error = origin + ": malformed JSON: " + e.what();
        return std::nullopt;
    }
    const json* results = nullptr;
    if (doc.is_array()) {
        results = &doc;
    } else if (doc.is_object() && doc.contains("results") && doc["results"].is_array()) {
        results = &doc["results"];
    } else {
        error = origin + ":1: expected the Consolidated Screening List JSON: {\"results\": [...]} or an array of entries";
        return std::nullopt;
    }
    ScreeningList list;
    std::size_t objects = 0;
    const std::string prefix = doc.is_array() ? "" : "results";
    for (std::size_t k = 0; k < results->size(); ++k) {
        const json& r = (*results)[k];
        const std::string where = prefix + "[" + std::to_string(k) + "]";
        if (!r.is_object()) {
            error = origin + ": " + where + ": an entry must be an object";
            return std::nullopt;
        }
        const int line = objects < lines.size() ? lines[objects] : 0;
        ++objects;
        const auto fail = [&](const std::string& what) {
            error = origin + ":" + std::to_string(line) + ": " + where + what;
            return std::nullopt;
        };
        const auto text_of = [&](const char* key, std::string& out) -> bool {
            auto it = r.find(key);
            if (it == r.end() || it->is_null()) return true;
            if (it->is_string()) out = std::string(trim(it->get_ref<const std::string&>()));
            else if (it->is_number()) out = it->dump();
            else return false;
            return true;
        };
        ScreeningEntry e;
        if (!text_of("name", e.name)) return fail(".name: must be a string");
        if (e.name.empty()) return fail(": an entry with no `name`");
        if (auto it = r.find("alt_names"); it != r.end() && !it->is_null()) {
            if (it->is_string()) {
                e.alt_names = split_list(it->get_ref<const std::string&>(), ';');
            } else if (it->is_array()) {
                for (std::size_t a = 0; a < it->size(); ++a) {
                    const auto& v = (*it)[a];
                    if (v.is_null()) continue;
                    if (!v.is_string()) return fail(".alt_names[" + std::to_string(a) + "]: must be a string");
                    const auto s = trim(v.get_ref<const std::string&>());
                    if (!s.empty()) e.alt_names.emplace_back(s);
                }
            } else {
                return fail(".alt_names: must be an array of strings");
            }
        }
        if (auto it = r.find("addresses"); it != r.end() && !it->is_null()) {
            if (!it->is_array()) return fail(".addresses: must be an array");
            for (const auto& a : *it)
                if (a.is_object())
                    if (auto c = a.find("country"); c != a.end() && c->is_string())
                        add_country(e.countries, country_code(c->get_ref<const std::string&>()));
        }
        for (const char* key : {"citizenships", "nationalities"})
            if (auto it = r.find(key); it != r.end() && it->is_array())
                for (const auto& v : *it)
                    if (v.is_string()) add_country(e.countries, country_code(v.get_ref<const std::string&>()));
        if (!text_of("source", e.source)) return fail(".source: must be a string");
        if (!text_of("source_list_url", e.source_list_url)) return fail(".source_list_url: must be a string");
        if (!text_of("id", e.id) || (e.id.empty() && !text_of("_id", e.id))) return fail(".id: must be a string");
        if (!text_of("type", e.type)) return fail(".type: must be a string");
        if (!text_of("remarks", e.remarks)) return fail(".remarks: must be a string");
        e.file = origin;
        e.line = line;
        list.add(std::move(e));
    }
    return list;
}

}  // namespace cordon
