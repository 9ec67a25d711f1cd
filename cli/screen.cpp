// `cordon screen`: screen the parties of requests against screening lists (the
// Consolidated Screening List format), print the hits, or write the requests back
// annotated with `on_entity_list` for `cordon check`.
#include <algorithm>
#include <cstdio>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common.hpp"
#include "cordon/engine/decode.hpp"
#include "cordon/engine/screening.hpp"

namespace cordon::cli {

namespace {

using Json = nlohmann::ordered_json;  // keeps the request's field order when annotating

struct ScreenOptions {
    std::vector<std::string> lists;
    std::vector<std::string> requests;
    std::vector<std::string> sources;  // only entries whose source contains one of these
    std::string format = "text";
    bool annotate = false;
    bool exact_only = false;
};

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

struct Loaded {
    std::string path;
    ScreeningList list;
};

struct PartyHit {
    const Loaded* list;
    ScreeningHit hit;
};

struct Party {
    std::string path;  // customer.name, customer.owners[0].name, intermediaries[1].name
    std::string name;
    std::string country;
    Json* object;        // the object holding the name (annotated when `annotatable`; see run_screen)
    bool annotatable;    // the schema has `on_entity_list` there (customer, owners)
    std::vector<PartyHit> hits;
};

// One request read from a file: the parsed JSON, or an error.
struct Input {
    std::string where;  // file, or file:line for a .jsonl line
    Json request;
    std::string error;
};

// nlohmann's message without its "[json.exception.parse_error.101] parse error at " prefix.
std::string parse_message(const Json::parse_error& e) {
    std::string what = e.what();
    if (const auto at = what.find("parse error at "); at != std::string::npos) what = what.substr(at + 15);
    return what;
}

// Reads the requests of one file: .jsonl/.ndjson (a request a line), .yaml/.yml, .json,
// or - (JSON, JSONL when its first line is a whole object, YAML when not starting with '{').
bool read_requests(const std::string& path, std::vector<Input>& out) {
    std::string text, error;
    if (!read_input(path, text, error)) {
        fmt::print(stderr, "error: {}\n", error);
        return false;
    }
    const std::string name = path == "-" ? "<stdin>" : path;
    const auto first = text.find_first_not_of(" \t\r\n");
    const bool yaml = ends_with(path, ".yaml") || ends_with(path, ".yml") ||
                      (path == "-" && first != std::string::npos && text[first] != '{');
    bool lines = ends_with(path, ".jsonl") || ends_with(path, ".ndjson");
    if (path == "-" && !yaml && first != std::string::npos) {
        auto end = text.find('\n', first);
        const auto head = text.substr(first, end == std::string::npos ? std::string::npos : end - first);
        const auto rest = end == std::string::npos ? std::string::npos : text.find_first_not_of(" \t\r\n", end);
        lines = rest != std::string::npos && Json::accept(head);
    }
    if (lines) {
        std::size_t at = 0;
        for (int line = 1; at <= text.size(); ++line) {
            auto end = text.find('\n', at);
            if (end == std::string::npos) end = text.size();
            const std::string_view l(text.data() + at, end - at);
            at = end + 1;
            if (l.find_first_not_of(" \t\r") == std::string_view::npos) continue;
            Input in{fmt::format("{}:{}", name, line), {}, {}};
            try {
                in.request = Json::parse(l);
            } catch (const Json::parse_error& e) {
                in.error = fmt::format("malformed JSON: {}", parse_message(e));
            }
            out.push_back(std::move(in));
        }
        return true;
    }
    Input in{name, {}, {}};
    if (yaml) {
        auto json = yaml_to_json(text, error);
        if (!json) {
            in.error = fmt::format("malformed YAML: {}", error);
        } else {
            try {
                in.request = Json::parse(*json);
            } catch (const Json::parse_error& e) {
                in.error = fmt::format("malformed YAML: {}", parse_message(e));
            }
        }
    } else {
        try {
            in.request = Json::parse(text);
        } catch (const Json::parse_error& e) {
            in.error = fmt::format("malformed JSON: {}", parse_message(e));
        }
    }
    out.push_back(std::move(in));
    return true;
}

std::string country_of(const Json& object) {
    auto it = object.find("country");
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The parties to screen; empty with `error` set when the request has no customer.name or
// a party without a name.
std::vector<Party> parties_of(Json& request, std::string& error) {
    std::vector<Party> parties;
    if (!request.is_object()) {
        error = "a request must be a JSON object";
        return {};
    }
    auto customer = request.find("customer");
    if (customer == request.end() || !customer->is_object()) {
        error = "customer: missing (nothing to screen)";
        return {};
    }
    auto cname = customer->find("name");
    if (cname == customer->end() || !cname->is_string() || cname->get_ref<const std::string&>().empty()) {
        error = "customer.name: missing or not a string (nothing to screen)";
        return {};
    }
    parties.push_back({"customer.name", cname->get<std::string>(), country_of(*customer), &*customer, true, {}});
    const auto list_of = [&](Json& holder, const char* key, const std::string& prefix, bool annotatable) -> bool {
        auto it = holder.find(key);
        if (it == holder.end() || it->is_null()) return true;
        if (!it->is_array()) {
            error = fmt::format("{}{}: must be a list", prefix, key);
            return false;
        }
        for (std::size_t i = 0; i < it->size(); ++i) {
            Json& p = (*it)[i];
            const auto path = fmt::format("{}{}[{}].name", prefix, key, i);
            if (!p.is_object()) {
                error = fmt::format("{}{}[{}]: must be an object", prefix, key, i);
                return false;
            }
            auto n = p.find("name");
            if (n == p.end() || !n->is_string() || n->get_ref<const std::string&>().empty()) {
                error = path + ": missing or not a string";
                return false;
            }
            parties.push_back({path, n->get<std::string>(), country_of(p), &p, annotatable, {}});
        }
        return true;
    };
    if (!list_of(*customer, "owners", "customer.", true)) return {};
    if (!list_of(request, "intermediaries", "", false)) return {};
    return parties;
}

std::string hit_text(const Party& p, const PartyHit& h) {
    const auto& e = h.list->list.entries()[h.hit.entry];
    const auto& matched = h.list->list.matched_name(h.hit);
    std::string out = fmt::format("  {} \"{}\"\n", p.path, p.name);
    out += fmt::format("    {} match on {} \"{}\"", h.hit.kind == MatchKind::Exact ? "exact" : "token-subset (weaker)",
                       h.hit.name < 0 ? "the name" : "alternate name", matched);
    if (h.hit.name >= 0) out += fmt::format(" of \"{}\"", e.name);
    out += '\n';
    std::string countries;
    for (const auto& c : e.countries) countries += (countries.empty() ? "" : ",") + c;
    out += fmt::format("    list: {}", e.source.empty() ? "(no source given)" : e.source);
    if (!countries.empty()) out += fmt::format("; countries {}", countries);
    if (h.hit.country == CountryCheck::Agrees) out += fmt::format(" (agrees with {})", p.country);
    if (h.hit.country == CountryCheck::Disagrees) out += fmt::format(" (the party gives {})", p.country);
    out += fmt::format("\n    entry: {}:{}{}\n", e.file, e.line, e.id.empty() ? "" : fmt::format(" ({})", e.id));
    return out;
}

Json hit_json(const Party& p, const PartyHit& h) {
    const auto& e = h.list->list.entries()[h.hit.entry];
    Json entry = {{"name", e.name},       {"id", e.id},        {"source", e.source},
                  {"source_list_url", e.source_list_url},   {"countries", e.countries},
                  {"file", e.file},       {"line", e.line}};
    return Json{{"path", p.path},
                {"name", p.name},
                {"match", to_string(h.hit.kind)},
                {"matched_name", h.list->list.matched_name(h.hit)},
                {"matched_as", h.hit.name < 0 ? "name" : "alt_name"},
                {"country", to_string(h.hit.country)},
                {"entry", std::move(entry)}};
}

int run_screen(const ScreenOptions& o) {
    std::vector<Loaded> lists;
    for (const auto& path : o.lists) {
        std::string error;
        auto list = ScreeningList::load(path, error);
        if (!list) {
            fmt::print(stderr, "error: {}\n", error);
            return kInputError;
        }
        lists.push_back({path, std::move(*list)});
    }
    std::vector<std::string> sources;
    for (const auto& s : o.sources) sources.push_back(lower(s));
    const auto source_ok = [&](const ScreeningEntry& e) {
        if (sources.empty()) return true;
        const auto src = lower(e.source);
        return std::any_of(sources.begin(), sources.end(),
                           [&](const std::string& s) { return src.find(s) != std::string::npos; });
    };
    const bool json = o.format == "json";
    std::size_t requests = 0, names = 0, hit_requests = 0, bad = 0;
    for (const auto& path : o.requests) {
        std::vector<Input> inputs;
        if (!read_requests(path, inputs)) {
            ++bad;
            continue;
        }
        for (auto& in : inputs) {
            std::string error = in.error;
            std::vector<Party> parties;
            if (error.empty()) parties = parties_of(in.request, error);
            if (!error.empty()) {
                fmt::print(stderr, "error: {}: {}\n", in.where, error);
                ++bad;
                continue;
            }
            ++requests;
            bool any = false;
            for (auto& p : parties) {
                ++names;
                for (const auto& l : lists)
                    for (const auto& h : l.list.match(p.name, p.country, !o.exact_only))
                        if (source_ok(l.list.entries()[h.entry])) p.hits.push_back({&l, h});
                any = any || !p.hits.empty();
            }
            if (any) ++hit_requests;
            std::string id;
            if (auto it = in.request.find("id"); it != in.request.end() && it->is_string()) id = it->get<std::string>();
            const std::string label = id.empty() ? in.where : id;
            std::string out;
            if (o.annotate) {
                // Last party first: ordered_json objects are vectors, so adding a key to the
                // customer would move its owners; adding one to an owner moves nothing else.
                for (auto p = parties.rbegin(); p != parties.rend(); ++p) {
                    if (!p->annotatable) continue;
                    auto& flag = (*p->object)["on_entity_list"];
                    // Only ever raise: a true from earlier screening is never turned to false.
                    if (!(flag.is_boolean() && flag.get<bool>())) flag = !p->hits.empty();
                }
                out = in.request.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
                for (const auto& p : parties)
                    for (const auto& h : p.hits)
                        fmt::print(stderr, "screen: HIT {}\n{}", label, hit_text(p, h));
            } else if (json) {
                Json hits = Json::array();
                for (const auto& p : parties)
                    for (const auto& h : p.hits) hits.push_back(hit_json(p, h));
                Json r = {{"id", id.empty() ? Json(nullptr) : Json(id)},
                          {"input", in.where},
                          {"screened", parties.size()},
                          {"hit", any},
                          {"hits", std::move(hits)}};
                out = r.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
            } else if (any) {
                out = fmt::format("HIT    {}  ({})\n", label, in.where);
                for (const auto& p : parties)
                    for (const auto& h : p.hits) out += hit_text(p, h);
            } else {
                out = fmt::format("CLEAR  {}  ({} name{} screened, no match)\n", label, parties.size(),
                                  parties.size() == 1 ? "" : "s");
            }
            std::fwrite(out.data(), 1, out.size(), stdout);
        }
    }
    if (!json && !o.annotate) {
        std::size_t entries = 0;
        for (const auto& l : lists) entries += l.list.size();
        fmt::print("screened {} request{} ({} name{}) against {} entr{} from {} list{}: {} with a match\n", requests,
                   requests == 1 ? "" : "s", names, names == 1 ? "" : "s", entries, entries == 1 ? "y" : "ies",
                   lists.size(), lists.size() == 1 ? "" : "s", hit_requests);
    }
    std::fflush(stdout);
    if (bad > 0) {
        fmt::print(stderr, "{} request{} could not be screened\n", bad, bad == 1 ? "" : "s");
        return kInputError;
    }
    return hit_requests > 0 ? kFailOn : kOk;
}

}  // namespace

void setup_screen(CLI::App& app) {
    auto o = std::make_shared<ScreenOptions>();
    auto* cmd = app.add_subcommand("screen", "Screen request parties against screening lists (Consolidated Screening List format)");
    cmd->footer(
        "Screens customer.name, each customer.owners[].name and each intermediaries[].name\n"
        "against every name and alternate name of the lists. A LIST is a Consolidated\n"
        "Screening List CSV or JSON file. REQUEST is a .json, .yaml or .jsonl file, or -.\n"
        "Names match after normalisation (case, punctuation, word order, legal forms such\n"
        "as Co. Ltd.); a token-subset match (every word of a listed name in the party's\n"
        "name) is reported as weaker. No fuzzy or transliteration matching.\n"
        "\n"
        "--annotate writes each request back as one JSON line with customer.on_entity_list\n"
        "and owners[].on_entity_list set (true on a match, false otherwise; a true already\n"
        "there is kept), for `cordon check -p POLICY -`. Matches go to stderr.\n"
        "\n"
        "Exit status: 0 no match, 1 usage, 3 bad input (a request or a list), 4 a match.\n"
        "\n"
        "Examples:\n"
        "  cordon screen --list consolidated.csv examples/requests/sichuan_university_entity_list.json\n"
        "  cordon screen --list consolidated.csv --source \"Entity List\" --annotate r.json | cordon check -p policies/us -");
    cmd->add_option("--list", o->lists, "Screening list: a Consolidated Screening List CSV or JSON file (repeatable)")
        ->required()
        ->allow_extra_args(false);
    cmd->add_option("requests", o->requests, "Request files (.json, .yaml, .jsonl) or - for stdin")->required();
    cmd->add_option("--format", o->format, "Output: text (for people) or json (a line per request)")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->add_flag("--annotate", o->annotate, "Write the requests back with on_entity_list set, one JSON line each");
    cmd->add_flag("--exact-only", o->exact_only, "Only exact matches of the normalised names (no token-subset matches)");
    cmd->add_option("--source", o->sources,
                    "Count only entries whose source list contains this text, e.g. \"Entity List\" (repeatable)")
        ->allow_extra_args(false);
    run_with_exit_status(cmd, [o] { return run_screen(*o); });
}

}  // namespace cordon::cli
