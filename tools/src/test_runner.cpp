// `cordon test`: loads test files with yaml-cpp, decides each case, compares, and counts
// coverage by re-evaluating `when`/`unless` of each active rule.
#include "cordon/tools/test_runner.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <yaml-cpp/yaml.h>

#include "cordon/dsl/limits.hpp"
#include "cordon/dsl/parse.hpp"
#include "cordon/dsl/text.hpp"
#include "cordon/dsl/yaml_aliases.hpp"
#include "cordon/engine/decode.hpp"

namespace cordon {

namespace fs = std::filesystem;

std::size_t TestReport::passed() const {
    return static_cast<std::size_t>(std::count_if(cases.begin(), cases.end(), [](auto& c) { return c.passed; }));
}
std::size_t TestReport::failed() const { return cases.size() - passed(); }

namespace {

/// How messages and coverage name a test file's policy set: as written (normalised), except
/// that a path with no name of its own (`.` beside the test file run from its directory)
/// becomes its full path.
std::string set_name(const fs::path& dir) {
    const auto normal = dir.lexically_normal();
    auto trimmed = normal;
    if (trimmed.filename().empty()) trimmed = trimmed.parent_path();
    const auto name = trimmed.filename();
    if (!name.empty() && name != "." && name != "..") return normal.string();
    std::error_code ec;
    auto full = fs::absolute(trimmed, ec).lexically_normal();
    if (ec) return normal.string();
    if (full.filename().empty() && full != full.root_path()) full = full.parent_path();
    return full.string();
}

struct Runner {
    const TestOptions& options;
    TestReport& report;
    std::map<std::string, std::shared_ptr<const PolicySet>> sets;  // canonical dir -> set (null = failed)
    std::map<std::string, std::vector<RuleCoverage>*> coverage_of;  // canonical dir -> its coverage
    /// Per policy-set dir (as in `coverage`): the set, and per rule whether some case enforced it.
    std::map<std::string, std::pair<std::shared_ptr<const PolicySet>, std::vector<char>>> enforced_;

    /// Fills report.never_enforced from enforced_: each rule no case enforced, and why.
    void never_enforced() {
        for (const auto& [dir, entry] : enforced_) {
            const auto& [set, seen] = entry;
            for (std::size_t i = 0; i < seen.size(); ++i) {
                if (seen[i]) continue;
                const auto& rule = set->checked().rules[i];
                const auto& policy = set->checked().policies[static_cast<std::size_t>(rule.policy)];
                const bool by_status = !(set->enforce_mask() & status_bit(policy.status));
                report.never_enforced[dir].emplace_back(
                    rule.id, by_status ? fmt::format("status {} not included", status_name(policy.status))
                                       : "every case's day is outside its effective and sunset dates");
            }
        }
    }

    Span span_of(std::uint32_t file, const YAML::Node& n) {
        const auto m = n.Mark();
        const auto off = report.sources->offset_of(file, m.line, m.column);
        return Span{file, off, off + 1};
    }

    std::shared_ptr<const PolicySet> policy_set(const fs::path& dir, std::uint32_t file, const YAML::Node& where,
                                                std::vector<RuleCoverage>*& coverage) {
        std::error_code ec;
        const std::string key = fs::weakly_canonical(dir, ec).string();
        if (auto it = sets.find(key); it != sets.end()) {
            coverage = coverage_of[key];
            return it->second;
        }
        auto loaded = PolicySet::load(set_name(dir), options.passes);
        // Re-home the diagnostics: they point into the loader's own source map.
        const auto text = render_all(loaded.diagnostics, *loaded.sources);
        if (!loaded.set)
            report.diagnostics.error(diag::kTestFile, span_of(file, where),
                                     fmt::format("policy set {} does not load:\n{}", set_name(dir), text));
        sets[key] = loaded.set;
        if (loaded.set) {
            auto& cov = report.coverage[set_name(dir)];
            for (const auto& r : loaded.set->checked().rules) cov.push_back({r.id, r.unless.has_value(), 0, 0});
            coverage_of[key] = &cov;
            coverage = &cov;
        }
        return loaded.set;
    }

    /// "a map", "a list", "a value", "nothing": what a node is, for "must be ..., not X".
    static const char* kind_of(const YAML::Node& n) {
        return n.IsMap() ? "a map" : n.IsSequence() ? "a list" : n.IsScalar() ? "a value" : "nothing";
    }

    /// The text of a scalar node; anything else (a list, a map) is an error naming `what`.
    std::optional<std::string> scalar(std::uint32_t file, const YAML::Node& n, std::string_view what) {
        if (n.IsScalar()) return n.Scalar();
        report.diagnostics.error(diag::kTestFile, span_of(file, n),
                                 fmt::format("{} must be a single value, not {}", what, kind_of(n)));
        return std::nullopt;
    }

    std::optional<std::vector<std::string>> string_list(std::uint32_t file, const YAML::Node& n, const char* what) {
        if (!n) return std::nullopt;
        if (n.IsNull()) return std::vector<std::string>{};
        if (!n.IsSequence()) {
            report.diagnostics.error(diag::kTestFile, span_of(file, n), fmt::format("`{}` must be a list of rule names", what));
            return std::nullopt;
        }
        std::vector<std::string> out;
        for (const auto& item : n) {
            auto text = scalar(file, item, fmt::format("each entry of `{}`", what));
            if (!text) return std::nullopt;
            out.push_back(std::move(*text));
        }
        std::sort(out.begin(), out.end());
        return out;
    }

    bool statuses(std::uint32_t file, const YAML::Node& n, std::vector<Status>& out) {
        if (!n) return true;
        std::vector<std::string> names;
        if (n.IsScalar()) {
            std::stringstream ss(n.Scalar());
            std::string part;
            while (std::getline(ss, part, ',')) names.push_back(part);
        } else if (n.IsSequence()) {
            for (const auto& item : n) {
                auto text = scalar(file, item, "each entry of `include`");
                if (!text) return false;
                names.push_back(std::move(*text));
            }
        } else {
            return scalar(file, n, "`include`").has_value();
        }
        for (auto& s : names) {
            s.erase(0, s.find_first_not_of(' '));
            s.erase(s.find_last_not_of(' ') + 1);
            auto st = parse_status(s);
            if (!st) {
                report.diagnostics.error(diag::kTestFile, span_of(file, n), fmt::format("unknown status `{}` in include", s),
                                         "statuses are in_force, proposed, rescinded, bill and draft");
                return false;
            }
            out.push_back(*st);
        }
        return true;
    }

    std::optional<std::int32_t> date(std::uint32_t file, const YAML::Node& n) {
        if (!n || !scalar(file, n, "`as_of`")) return std::nullopt;
        auto d = parse_date(n.Scalar());
        if (!d) report.diagnostics.error(diag::kTestFile, span_of(file, n), fmt::format("`{}` is not a date (YYYY-MM-DD)", n.Scalar()));
        return d;
    }

    /// Keys a map may hold: any other is an error naming it, with the nearest allowed key.
    bool known_keys(std::uint32_t file, const YAML::Node& map, const std::vector<std::string>& allowed, const char* what) {
        bool ok = true;
        for (const auto& kv : map) {
            const auto text = scalar(file, kv.first, fmt::format("a key of {}", what));
            if (!text) {
                ok = false;
                continue;
            }
            const std::string& key = *text;
            if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
            const auto near = nearest_name(key, allowed);
            report.diagnostics.error(diag::kTestFile, span_of(file, kv.first), fmt::format("unknown key `{}` in {}", key, what),
                                     near.empty() ? fmt::format("keys are: {}", fmt::join(allowed, ", "))
                                                  : fmt::format("did you mean `{}`?", near));
            ok = false;
        }
        return ok;
    }

    /// Rule names in `fired`, `reports` or `errors` that the set does not define.
    bool known_rules(std::uint32_t file, const YAML::Node& list, const PolicySet& set, const char* what) {
        if (!list || !list.IsSequence()) return true;
        bool ok = true;
        std::vector<std::string> ids;
        for (const auto& item : list) {
            const auto text = scalar(file, item, fmt::format("each entry of `{}`", what));
            if (!text) {
                ok = false;
                continue;
            }
            const std::string& id = *text;
            if (set.checked().rule_index(id) >= 0) continue;
            if (ids.empty())
                for (const auto& r : set.checked().rules) ids.push_back(r.id);
            // Past the kept diagnostics no suggestion is looked for (each compares with every rule).
            const auto near = report.diagnostics.full() ? std::string() : nearest_name(id, ids);
            report.diagnostics.error(diag::kTestFile, span_of(file, item),
                                     fmt::format("`{}` names rule `{}`, which the policy set does not define", what, id),
                                     near.empty() ? "" : fmt::format("did you mean `{}`?", near));
            ok = false;
        }
        return ok;
    }

    /// `include_policy: [NAME, ...]`: policy names of `set`, added to `out` (sorted).
    bool policies(std::uint32_t file, const YAML::Node& n, const PolicySet& set, std::vector<std::uint32_t>& out) {
        if (!n) return true;
        std::vector<std::string> names;
        if (n.IsSequence()) {
            for (const auto& item : n) {
                auto text = scalar(file, item, "each entry of `include_policy`");
                if (!text) return false;
                names.push_back(std::move(*text));
            }
        } else if (auto text = scalar(file, n, "`include_policy`")) {
            names.push_back(std::move(*text));
        } else {
            return false;
        }
        for (const auto& name : names) {
            const int p = set.policy_index(name);
            if (p < 0) {
                std::vector<std::string> all;
                for (const auto& pol : set.checked().policies) all.push_back(pol.name);
                const auto near = nearest_name(name, all);
                report.diagnostics.error(diag::kTestFile, span_of(file, n),
                                         fmt::format("unknown policy `{}` in include_policy", name),
                                         near.empty() ? "" : fmt::format("did you mean `{}`?", near));
                return false;
            }
            out.push_back(static_cast<std::uint32_t>(p));
        }
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
        return true;
    }

    bool matches_filter(const std::string& name) const {
        if (options.filter.empty()) return true;
        auto lower = [](std::string s) {
            for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return s;
        };
        return lower(name).find(lower(options.filter)) != std::string::npos;
    }

    void run_file(const fs::path& path) {
        std::error_code ec;
        if (const auto size = fs::file_size(path, ec); !ec && size > kYamlFileBytes) {
            report.diagnostics.error(diag::kLimit, {},
                                     fmt::format("{}: the test file is {} bytes, more than the limit of {} bytes "
                                                 "({} MiB); it is not read",
                                                 path.string(), size, kYamlFileBytes, kYamlFileBytes >> 20));
            return;
        }
        std::ifstream in(path, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        const auto file = report.sources->add(path.lexically_normal().string(), ss.str());
        if (!require_utf8(*report.sources, file, report.diagnostics)) return;
        YAML::Node doc;
        try {
            doc = YAML::Load(report.sources->text(file));
            if (const auto blowup = alias_blowup(doc, report.sources->text(file))) {
                const auto off = report.sources->offset_of(file, blowup->line, blowup->column);
                report.diagnostics.error(diag::kTestFile, Span{file, off, off + 1},
                                         fmt::format("YAML aliases expand the test file past {} nodes, more than "
                                                     "its text holds written out; not run",
                                                     blowup->limit));
                return;
            }
        } catch (const YAML::Exception& e) {
            const auto off = report.sources->offset_of(file, e.mark.line, e.mark.column);
            report.diagnostics.error(diag::kTestFile, Span{file, off, off + 1},
                                     fmt::format("malformed YAML: {}", yaml_problem(e)));
            return;
        }
        if (!doc.IsMap()) {
            report.diagnostics.error(diag::kTestFile, Span{file, 0, 1}, "a test file is a map with `policy_set` and `cases`");
            return;
        }
        if (!known_keys(file, doc, {"policy_set", "as_of", "include", "include_policy", "cases"}, "a test file")) return;
        std::string set_path = ".";
        if (doc["policy_set"]) {
            auto text = scalar(file, doc["policy_set"], "`policy_set`");
            if (!text) return;
            set_path = std::move(*text);
        }
        const fs::path dir = path.parent_path() / set_path;
        std::vector<RuleCoverage>* coverage_ptr = nullptr;
        auto set = policy_set(dir, file, doc["policy_set"] ? doc["policy_set"] : doc, coverage_ptr);
        if (!set || !coverage_ptr) return;
        auto& coverage = *coverage_ptr;
        const auto file_as_of = date(file, doc["as_of"]);
        std::vector<Status> file_include = options.include;
        if (!statuses(file, doc["include"], file_include)) return;
        std::vector<std::uint32_t> file_policies;
        if (!policies(file, doc["include_policy"], *set, file_policies)) return;
        for (const auto& name : options.include_policies) {
            const int p = set->policy_index(name);
            if (p < 0) {
                report.diagnostics.error(diag::kTestFile, span_of(file, doc),
                                         fmt::format("--include-policy: the policy set has no policy `{}`", name));
                return;
            }
            file_policies.push_back(static_cast<std::uint32_t>(p));
        }
        std::sort(file_policies.begin(), file_policies.end());
        file_policies.erase(std::unique(file_policies.begin(), file_policies.end()), file_policies.end());
        auto& enforced_entry = enforced_[set_name(dir)];
        enforced_entry.first = set;
        auto& enforced_ever = enforced_entry.second;
        enforced_ever.resize(set->checked().rules.size(), 0);
        const auto cases = doc["cases"];
        if (!cases || !cases.IsSequence()) {
            report.diagnostics.error(diag::kTestFile, span_of(file, doc), "`cases` must be a list of cases");
            return;
        }
        Session s(*set);
        int index = 0;
        for (const auto& c : cases) {
            ++index;
            CaseResult r;
            r.file = report.sources->path(file);
            r.line = static_cast<int>(c.Mark().line) + 1;
            if (!c.IsMap()) {
                report.diagnostics.error(diag::kTestFile, span_of(file, c),
                                         fmt::format("a case is a map with `name`, `request` and `expect`, not {}", kind_of(c)));
                continue;
            }
            if (c["name"]) {
                auto text = scalar(file, c["name"], "a case's `name`");
                if (!text) continue;
                r.name = std::move(*text);
            } else {
                r.name = fmt::format("case {}", index);
            }
            if (!matches_filter(r.name)) continue;
            if (!known_keys(file, c, {"name", "as_of", "include", "include_policy", "request", "expect"}, "a case")) continue;
            const auto case_as_of = date(file, c["as_of"]);
            std::vector<Status> include = file_include;
            if (!statuses(file, c["include"], include)) continue;
            std::vector<std::uint32_t> case_policies = file_policies;
            if (!policies(file, c["include_policy"], *set, case_policies)) continue;
            const auto expect = c["expect"];
            if (!c["request"] || !expect || !expect.IsMap()) {
                report.diagnostics.error(diag::kTestFile, span_of(file, c), fmt::format("case `{}` needs `request` and `expect`", r.name));
                continue;
            }
            if (!known_keys(file, expect, {"decision", "fired", "reports", "errors"}, "`expect`")) continue;
            if (expect.size() == 0) {
                report.diagnostics.error(diag::kTestFile, span_of(file, expect),
                                         fmt::format("case `{}` expects nothing: it would pass whatever cordon decides", r.name),
                                         "give at least one of decision, fired, reports, errors");
                continue;
            }
            if (expect["decision"]) {
                if (!scalar(file, expect["decision"], "`decision`")) continue;
                const std::string word = expect["decision"].Scalar();
                if (word != "allow" && word != "deny" && word != "report") {
                    report.diagnostics.error(diag::kTestFile, span_of(file, expect["decision"]),
                                             fmt::format("unknown decision `{}`", word),
                                             fmt::format("a decision is allow, deny or report{}",
                                                         word.rfind("den", 0) == 0 ? " (did you mean `deny`?)"
                                                         : word.rfind("allow", 0) == 0 ? " (did you mean `allow`?)"
                                                         : word.rfind("report", 0) == 0 ? " (did you mean `report`?)" : ""));
                    continue;
                }
                r.expect.decision = word;
            }
            if (!known_rules(file, expect["fired"], *set, "fired") || !known_rules(file, expect["reports"], *set, "reports") ||
                !known_rules(file, expect["errors"], *set, "errors"))
                continue;
            r.expect.fired = string_list(file, expect["fired"], "fired");
            r.expect.reports = string_list(file, expect["reports"], "reports");
            r.expect.errors = string_list(file, expect["errors"], "errors");
            std::string json;
            try {
                json = yaml_node_to_json(c["request"]);
            } catch (const std::exception& e) {
                r.problem = fmt::format("the request is not valid YAML: {}", e.what());
                report.cases.push_back(std::move(r));
                continue;
            }
            if (auto err = s.decoder.decode_json(json, s.request)) {
                r.problem = fmt::format("the request is invalid: {}{}{}", err->path, err->path.empty() ? "" : ": ", err->message);
                report.cases.push_back(std::move(r));
                continue;
            }
            const std::int32_t as_of = options.override_as_of && options.as_of ? *options.as_of
                                       : case_as_of                           ? *case_as_of
                                       : file_as_of                           ? *file_as_of
                                       : options.as_of                        ? *options.as_of
                                                                              : today();
            const auto opts = set->options(s.request, as_of, include, &case_policies);
            for (std::uint32_t i = 0; i < enforced_ever.size(); ++i)
                if (s.reference.active(i, opts)) enforced_ever[i] = 1;
            s.use_reference = options.reference;
            s.decide(opts);
            const auto& rules = set->checked().rules;
            r.decision = verdict_name(s.decision.verdict);
            for (auto i : s.decision.fired) {
                r.fired.push_back(rules[i].id);
                if (rules[i].effect == ast::Effect::Report) r.reports.push_back(rules[i].id);
                ++coverage[i].fired;
            }
            for (const auto& e : s.decision.errors) {
                r.errors.push_back(rules[e.rule].id);
                r.error_texts.push_back(set->error_text(s.request, e));
            }
            // `unless` coverage: active rules whose `when` held and whose exception applied
            // (by the reference evaluator: the rules as written).
            for (std::uint32_t i = 0; i < rules.size(); ++i) {
                if (!rules[i].unless || !s.reference.active(i, opts)) continue;
                const Value w = s.reference.evaluate(s.request, rules[i].when, opts.as_of);
                if (w.tag != Value::Tag::Bool || !w.b) continue;
                const Value u = s.reference.evaluate(s.request, *rules[i].unless, opts.as_of);
                if (u.tag == Value::Tag::Bool && u.b) ++coverage[i].unless_exercised;
            }
            std::vector<std::string> problems;
            if (r.expect.decision && *r.expect.decision != r.decision)
                problems.push_back(fmt::format("decision {} (expected {})", r.decision, *r.expect.decision));
            if (r.expect.fired && *r.expect.fired != r.fired) problems.push_back("fired rules differ");
            if (r.expect.reports && *r.expect.reports != r.reports) problems.push_back("reports differ");
            if (r.expect.errors && *r.expect.errors != r.errors) problems.push_back("errors differ");
            if (!r.expect.errors && !r.errors.empty()) problems.push_back("unexpected evaluation errors");
            r.passed = problems.empty();
            r.problem = fmt::format("{}", fmt::join(problems, "; "));
            report.cases.push_back(std::move(r));
        }
    }
};

}  // namespace

TestReport run_tests(const std::string& path, const TestOptions& options) {
    TestReport report;
    report.sources = std::make_shared<SourceMap>();
    Runner runner{options, report, {}, {}, {}};
    std::error_code ec;
    std::vector<fs::path> files;
    if (fs::is_regular_file(path, ec)) {
        files.push_back(path);
    } else if (fs::is_directory(path, ec)) {
        for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
            const auto name = it->path().filename().string();
            if (it->is_regular_file(ec) && name.size() > 10 && name.compare(name.size() - 10, 10, ".test.yaml") == 0)
                files.push_back(it->path());
        }
        std::sort(files.begin(), files.end());
        if (files.empty())
            report.diagnostics.error(diag::kTestFile, {}, fmt::format("{}: no *.test.yaml files found", path));
    } else if (fs::exists(path, ec)) {
        // A FIFO or device (`cordon test /dev/zero`) would block or never end.
        report.diagnostics.error(diag::kIo, {},
                                 fmt::format("{}: not a regular file or directory (a FIFO, socket or device); not read", path));
    } else {
        report.diagnostics.error(diag::kIo, {}, fmt::format("{}: no such file or directory", path));
    }
    for (const auto& f : files) {
        try {
            runner.run_file(f);
        } catch (const std::exception& e) {
            // Every shape is checked before it is read; this is the last guard, and it
            // still names the file and the problem rather than yaml-cpp's class.
            report.diagnostics.error(diag::kTestFile, {}, fmt::format("{}: {}", f.string(), yaml_problem(e)));
        }
    }
    runner.never_enforced();
    return report;
}

}  // namespace cordon
