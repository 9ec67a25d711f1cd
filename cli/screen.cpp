// `cordon screen`: screen the parties of requests against screening lists (the
// Consolidated Screening List format), print the hits, or write the requests back
// annotated with `on_entity_list` for `cordon check`.
#include <algorithm>
#include <cstdio>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common.hpp"
#include "cordon/engine/json_text.hpp"
#include "cordon/engine/json_tree.hpp"
#include "cordon/screening/screening.hpp"

namespace cordon::cli {

namespace {

using Json = nlohmann::ordered_json;  // for --format json output only: requests are read as JsonNode

struct ScreenOptions {
    std::vector<std::string> lists;
    std::vector<std::string> requests;
    std::vector<std::string> sources;  // only entries whose source contains one of these
    std::string policy_dir;            // --policy: read requests with this set's decoder too
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
    const JsonNode* object;  // the object holding the name (annotated when `annotatable`)
    bool annotatable;        // the schema has `on_entity_list` there (customer, owners)
    std::vector<PartyHit> hits;
};

// One request read from a file: its JSON text (a YAML request's conversion), read into a
// tree by the request reader `check` uses (json_tree.hpp), or the error `check` gives.
struct Input {
    std::string where;  // file, or file:line for a .jsonl line
    std::string json;
    JsonNode tree;
    std::string error;  // "customer: field given twice"; "" when read
};

// How `screen` reads each request: the schema-free request reader, and with --policy
// that policy set's decoder too, as `check` does.
struct Reader {
    std::shared_ptr<const PolicySet> set;
    std::unique_ptr<Session> session;
    Limits limits;

    void read(Input& in, std::string_view text, bool yaml) {
        std::optional<RequestError> err;
        if (yaml) {
            err = read_yaml_tree(text, in.json, in.tree, limits);
        } else {
            in.json.assign(text);
            err = read_json_tree(in.json, in.tree, limits);
        }
        // With a policy set, its decoder's verdict comes first: the very words of `check`
        // (unknown fields, bad values) for what the schema-free reader cannot know.
        if (session && (!yaml || !in.json.empty()))
            if (auto decoded = session->decoder.decode_json(in.json, session->request)) err = decoded;
        if (err) in.error = err->path.empty() ? err->message : err->path + ": " + err->message;
    }
};

// Reads the requests of one file: .jsonl/.ndjson (a request a line), .yaml/.yml, .json,
// or - (JSON, JSONL when its first line is a whole object, YAML when not starting with '{').
bool read_requests(const std::string& path, Reader& reader, std::vector<Input>& out) {
    std::string text, error;
    if (!read_input(path, text, error)) {
        fmt::print(stderr, "error: {}\n", printable(error));
        return false;
    }
    const std::string name = path == "-" ? "<stdin>" : path;
    const auto first = text.find_first_not_of(" \t\r\n");
    const bool yaml = ends_with(path, ".yaml") || ends_with(path, ".yml") ||
                      (path == "-" && first != std::string::npos && text[first] != '{');
    bool lines = ends_with(path, ".jsonl") || ends_with(path, ".ndjson");
    if (path == "-" && !yaml && first != std::string::npos) {
        // Only a sniff of the layout: each request is then read by the request reader.
        auto end = text.find('\n', first);
        const auto head = text.substr(first, end == std::string::npos ? std::string::npos : end - first);
        const auto rest = end == std::string::npos ? std::string::npos : text.find_first_not_of(" \t\r\n", end);
        lines = rest != std::string::npos && nlohmann::json::accept(head);
    }
    if (lines) {
        std::size_t at = 0;
        for (int line = 1; at <= text.size(); ++line) {
            auto end = text.find('\n', at);
            if (end == std::string::npos) end = text.size();
            std::string_view l(text.data() + at, end - at);
            at = end + 1;
            if (l.find_first_not_of(" \t\r") == std::string_view::npos) continue;
            if (l.back() == '\r') l.remove_suffix(1);  // as `check` reads a CRLF line
            out.push_back({fmt::format("{}:{}", name, line), {}, {}, {}});
            reader.read(out.back(), l, false);
        }
        return true;
    }
    out.push_back({name, {}, {}, {}});
    reader.read(out.back(), text, yaml);
    return true;
}

std::string country_of(const JsonNode& object) {
    const auto* c = object.find("country");
    return c && c->kind == JsonNode::Kind::String ? c->text : std::string();
}

bool is_named(const JsonNode* n) { return n && n->kind == JsonNode::Kind::String && !n->text.empty(); }

// The parties to screen; empty with `error` set when the request has no customer.name or
// a party without a name.
std::vector<Party> parties_of(const JsonNode& request, std::string& error) {
    using Kind = JsonNode::Kind;
    std::vector<Party> parties;
    const auto* customer = request.find("customer");
    if (!customer || customer->kind != Kind::Object) {
        error = "customer: missing (nothing to screen)";
        return {};
    }
    const auto* cname = customer->find("name");
    if (!is_named(cname)) {
        error = "customer.name: missing or not a string (nothing to screen)";
        return {};
    }
    parties.push_back({"customer.name", cname->text, country_of(*customer), customer, true, {}});
    const auto list_of = [&](const JsonNode& holder, const char* key, const std::string& prefix, bool annotatable) {
        const auto* list = holder.find(key);
        if (!list || list->kind == Kind::Null) return true;
        if (list->kind != Kind::Array) {
            error = fmt::format("{}{}: must be a list", prefix, key);
            return false;
        }
        for (std::size_t i = 0; i < list->items.size(); ++i) {
            const JsonNode& p = list->items[i];
            if (p.kind != Kind::Object) {
                error = fmt::format("{}{}[{}]: must be an object", prefix, key, i);
                return false;
            }
            const auto path = fmt::format("{}{}[{}].name", prefix, key, i);
            const auto* n = p.find("name");
            if (!is_named(n)) {
                error = path + ": missing or not a string";
                return false;
            }
            parties.push_back({path, n->text, country_of(p), &p, annotatable, {}});
        }
        return true;
    };
    if (!list_of(*customer, "owners", "customer.", true)) return {};
    if (!list_of(request, "intermediaries", "", false)) return {};
    return parties;
}

// The request's text with `on_entity_list` set in the customer and each owner, on one line.
// Every other byte is kept: a request `check` would refuse stays refused. A `true` already
// there is kept (screening only raises the flag); `false` or null becomes the result; any
// other value is left for `check` to refuse.
std::string annotated(const Input& in, const std::vector<Party>& parties) {
    struct Edit {
        std::size_t at, length;
        std::string text;
    };
    std::vector<Edit> edits;
    for (const auto& p : parties) {
        if (!p.annotatable) continue;
        const bool hit = !p.hits.empty();
        const auto* flag = p.object->find("on_entity_list");
        if (!flag)
            edits.push_back({p.object->begin + 1, 0, fmt::format("\"on_entity_list\": {}, ", hit)});
        else if (flag->kind == JsonNode::Kind::Null || (flag->kind == JsonNode::Kind::Bool && !flag->is_true()))
            edits.push_back({flag->begin, flag->end - flag->begin, hit ? "true" : "false"});
    }
    std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.at > b.at; });
    std::string text = in.json;
    for (const auto& e : edits) text.replace(e.at, e.length, e.text);
    const auto first = text.find_first_not_of(" \t\r\n"), last = text.find_last_not_of(" \t\r\n");
    return json_on_one_line(std::string_view(text).substr(first, last - first + 1)) + "\n";
}

// Text output quotes names, ids and sources through printable(): a list or a request
// cannot start a line of its own or an ANSI escape (issue 18, item 18).
std::string hit_text(const Party& p, const PartyHit& h) {
    const auto& e = h.list->list.entries()[h.hit.entry];
    const auto& matched = h.list->list.matched_name(h.hit);
    std::string out = fmt::format("  {} \"{}\"\n", p.path, printable(p.name));
    out += fmt::format("    {} match on {} \"{}\"", h.hit.kind == MatchKind::Exact ? "exact" : "token-subset (weaker)",
                       h.hit.name < 0 ? "the name" : "alternate name", printable(matched));
    if (h.hit.name >= 0) out += fmt::format(" of \"{}\"", printable(e.name));
    out += '\n';
    std::string countries;
    for (const auto& c : e.countries) countries += (countries.empty() ? "" : ",") + c;
    out += fmt::format("    list: {}", e.source.empty() ? "(no source given)" : printable(e.source));
    if (!countries.empty()) out += fmt::format("; countries {}", countries);
    if (h.hit.country == CountryCheck::Agrees) out += fmt::format(" (agrees with {})", printable(p.country));
    if (h.hit.country == CountryCheck::Disagrees) out += fmt::format(" (the party gives {})", printable(p.country));
    out += fmt::format("\n    entry: {}:{}{}\n", printable(e.file), e.line,
                       e.id.empty() ? "" : fmt::format(" ({})", printable(e.id)));
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
    Reader reader;
    if (!o.policy_dir.empty()) {
        reader.set = load_or_report(o.policy_dir, false);
        if (!reader.set) return kPolicyError;
        reader.session = std::make_unique<Session>(*reader.set);
        reader.limits = reader.set->limits();
    }
    std::size_t requests = 0, names = 0, hit_requests = 0, bad = 0;
    for (const auto& path : o.requests) {
        std::vector<Input> inputs;
        if (!read_requests(path, reader, inputs)) {
            ++bad;
            continue;
        }
        for (auto& in : inputs) {
            std::string error = in.error;
            std::vector<Party> parties;
            if (error.empty()) parties = parties_of(in.tree, error);
            if (!error.empty()) {
                fmt::print(stderr, "error: {}\n", printable(fmt::format("{}: {}", in.where, error)));
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
            std::string id;  // a string or a number, as `check` takes it
            if (const auto* i = in.tree.find("id"); i && (i->kind == JsonNode::Kind::String || i->kind == JsonNode::Kind::Number))
                id = i->text;
            const std::string label = printable(id.empty() ? in.where : id);
            std::string out;
            if (o.annotate) {
                out = annotated(in, parties);
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
                out = fmt::format("HIT    {}  ({})\n", label, printable(in.where));
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
        "Names match after folding (Unicode NFKC and case; accents and invisible\n"
        "characters dropped; every Unicode space and punctuation a word break;\n"
        "Cyrillic/Greek look-alikes read as Latin) and normalisation (punctuation, word\n"
        "order, legal forms such as Co. Ltd.); a token-subset match (every word of a\n"
        "listed name in the party's name) is reported as weaker. No fuzzy or\n"
        "transliteration matching.\n"
        "\n"
        "Requests are read as `cordon check` reads them (a key given twice, a malformed\n"
        "value or invalid UTF-8 is an input error); with -p DIR also against that schema.\n"
        "--annotate writes each request back as one JSON line with customer.on_entity_list\n"
        "and owners[].on_entity_list set (true on a match, false otherwise; a true already\n"
        "there is kept), editing its text and keeping every other byte, for `cordon check`.\n"
        "Matches go to stderr.\n"
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
    cmd->add_option("-p,--policy", o->policy_dir,
                    "Also read each request with this policy set's decoder, so that screen refuses exactly "
                    "what `cordon check -p DIR` refuses (unknown fields, bad values)");
    cmd->add_flag("--annotate", o->annotate, "Write the requests back with on_entity_list set, one JSON line each");
    cmd->add_flag("--exact-only", o->exact_only, "Only exact matches of the normalised names (no token-subset matches)");
    cmd->add_option("--source", o->sources,
                    "Count only entries whose source list contains this text, e.g. \"Entity List\" (repeatable)")
        ->allow_extra_args(false);
    run_with_exit_status(cmd, [o] { return run_screen(*o); });
}

}  // namespace cordon::cli
