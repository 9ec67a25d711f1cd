// A generated set as files: manifest, schema, data and rule files (optionally with rules
// left out, or written in another order). See policy_gen.hpp.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>

#include "cordon/dsl/parse.hpp"
#include "policy_gen.hpp"
#include "strings.hpp"

namespace cordon::gen {

namespace {

// `since: 2024-01-01`, `until: 2025-11-07`: the ends a dated member's or row's window has.
std::vector<std::string> window_fields(const GWindow& w) {
    std::vector<std::string> out;
    if (w.since) out.push_back("since: " + format_date(*w.since));
    if (w.until) out.push_back("until: " + format_date(*w.until));
    return out;
}

std::string type_text(const GeneratedSet& g, SType t, bool optional) {
    std::string s;
    switch (t.ty) {
        case Ty::Bool: s = "bool"; break;
        case Ty::Num: s = "number"; break;
        case Ty::Date: s = "date"; break;
        case Ty::Str:
            if (t.dom == kPlain) s = "string";
            else if (t.dom == kCountry) s = "country";
            else s = fmt::format("enum[{}]", fmt::join(g.enums[t.dom], ", "));
            break;
    }
    if (optional) s += "?";
    return t.ty == Ty::Str && t.dom >= 0 ? "\"" + s + "\"" : s;
}

}  // namespace

std::size_t GeneratedSet::rule_count() const {
    std::size_t n = 0;
    for (const auto& p : policies) n += p.rules.size();
    return n;
}

std::map<std::string, std::string> GeneratedSet::files(const std::vector<std::vector<bool>>* keep,
                                                      std::uint64_t permute) const {
    std::map<std::string, std::string> out;
    out["cordon.yaml"] = fmt::format("name: generated-{}\nschema: schema.yaml\ndefault: {}\non_error: {}\nenforce: [{}]\n",
                                     seed, default_effect, on_error, fmt::join(enforce, ", "));
    {
        std::string s = "# generated\n";
        if (declares_time) s += "time: date?\n";
        for (const auto& n : schema) {
            // The schema tree as YAML: records as nested maps, lists as one-element sequences.
            std::function<void(const SNode&, int)> node = [&](const SNode& x, int indent) {
                const std::string pad(indent, ' ');
                switch (x.kind) {
                    case SNode::Kind::Scalar:
                        s += fmt::format("{}{}: {}\n", pad, x.name, type_text(*this, x.type, x.optional));
                        break;
                    case SNode::Kind::Record:
                        s += fmt::format("{}{}:\n", pad, x.name);
                        for (const auto& k : x.kids) node(k, indent + 2);
                        break;
                    case SNode::Kind::List:
                        if (!x.records) {
                            s += fmt::format("{}{}: [{}]\n", pad, x.name, type_text(*this, x.type, false));
                        } else {
                            s += fmt::format("{}{}:\n{}  -\n", pad, x.name, pad);
                            for (const auto& k : x.kids) node(k, indent + 4);
                        }
                        break;
                }
            };
            node(n, 0);
        }
        out["schema.yaml"] = s;
    }
    {
        std::string s = "meta: {source: generated}\n";
        for (const auto& [name, members] : sets) {
            std::vector<std::string> q;
            const auto windows = set_windows.find(name);
            for (std::size_t i = 0; i < members.size(); ++i) {
                const GeneratedSet::Window* w =
                    windows != set_windows.end() && i < windows->second.size() ? &windows->second[i] : nullptr;
                if (!w || (!w->since && !w->until)) {
                    q.push_back(yaml_quote(members[i]));
                } else {
                    q.push_back(fmt::format("{}: {{{}}}", yaml_quote(members[i]), fmt::join(window_fields(*w), ", ")));
                }
            }
            s += fmt::format("{}: [{}]\n", name, fmt::join(q, ", "));
        }
        out["data/sets.yaml"] = s;
    }
    for (const auto& t : tables) {
        std::string s;
        for (std::size_t r = 0; r < t.keys.size(); ++r) {
            // A dated row: `since`/`until` beside the cells, and the key's rows as a list.
            const bool dated = r < t.windows.size() && t.windows[r];
            std::vector<std::string> cells = dated ? window_fields(*t.windows[r]) : std::vector<std::string>{};
            for (std::size_t c = 0; c < t.columns.size(); ++c)
                if (t.cells[r][c]) cells.push_back(t.columns[c].name + ": " + *t.cells[r][c]);
            const std::string row = fmt::format("{{{}}}", fmt::join(cells, ", "));
            if (!dated) s += fmt::format("{}: {}\n", yaml_quote(t.keys[r]), row);
            else if (r > 0 && t.keys[r - 1] == t.keys[r]) s += "  - " + row + "\n";
            else s += fmt::format("{}:\n  - {}\n", yaml_quote(t.keys[r]), row);
        }
        out["data/" + t.name + ".yaml"] = s;
    }
    // With `permute`, the same set written in another order: policies, files, `use`
    // clauses, lets and rules shuffled. Decisions must not change (LANGUAGE.md, principle 3).
    std::mt19937_64 rng(permute);
    std::vector<std::size_t> order(policies.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    if (permute) std::shuffle(order.begin(), order.end(), rng);
    for (const std::size_t pi : order) {
        const auto& p = policies[pi];
        std::string file = p.file;
        if (permute && rng() % 2) file = file == "rules.cordon" ? "sub/more.cordon" : "rules.cordon";
        const std::string up = file.find('/') != std::string::npos ? "../" : "";
        std::string s = fmt::format("# generated from seed {}\npolicy {} {{\n  title \"generated policy {}\"\n  authority \"none\"\n  status {}\n",
                                    seed, p.name, pi, p.status);
        if (p.effective) s += fmt::format("  effective {}\n", format_date(*p.effective));
        if (p.sunset) s += fmt::format("  sunset {}\n", format_date(*p.sunset));
        std::vector<std::string> uses = {fmt::format("  use sets from \"{}data/sets.yaml\"\n", up)};
        for (const auto& t : tables) uses.push_back(fmt::format("  use table {} from \"{}data/{}.yaml\"\n", t.name, up, t.name));
        if (permute) std::shuffle(uses.begin(), uses.end(), rng);
        s += "\n" + fmt::format("{}", fmt::join(uses, ""));
        std::vector<std::string> items;
        for (const auto& let : p.lets) {
            std::vector<std::string> names;
            for (const auto& [n, _] : let.params) names.push_back(n);
            items.push_back(let.params.empty() ? fmt::format("\n  let {} = {}\n", let.name, let.body)
                                               : fmt::format("\n  let {}({}) = {}\n", let.name, fmt::join(names, ", "), let.body));
        }
        for (std::size_t r = 0; r < p.rules.size(); ++r)
            if (!keep || (*keep)[pi][r]) items.push_back("\n" + p.rules[r]);
        if (permute) std::shuffle(items.begin(), items.end(), rng);
        for (const auto& item : items) s += item;
        s += "}\n";
        out[file] += s;
    }
    return out;
}

void write_files(const std::string& dir, const std::map<std::string, std::string>& files) {
    for (const auto& [path, text] : files) {
        const auto p = std::filesystem::path(dir) / path;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p) << text;
    }
}

}  // namespace cordon::gen
