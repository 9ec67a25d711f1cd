// load_policy_set: manifest, schema, rule files and data files of a directory, checked.
#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <sstream>

#include "checker.hpp"
#include "cordon/dsl/check.hpp"
#include "cordon/dsl/lint.hpp"
#include "cordon/dsl/parse.hpp"
#include "cordon/dsl/text.hpp"

namespace cordon {

namespace fs = std::filesystem;

namespace {

bool read_file(const fs::path& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return true;
}

std::string display_path(const fs::path& p) { return p.lexically_normal().string(); }

// "4194304 bytes (4 MiB)": a byte count, with its size in KiB or MiB when it is exact.
std::string bytes_text(std::uintmax_t n) {
    if (n >= (1u << 20) && n % (1u << 20) == 0) return fmt::format("{} bytes ({} MiB)", n, n >> 20);
    if (n >= (1u << 10) && n % (1u << 10) == 0) return fmt::format("{} bytes ({} KiB)", n, n >> 10);
    return fmt::format("{} bytes", n);
}

// The first line of a file too large to load, so that its diagnostic can show it.
std::string first_line(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::string line(200, '\0');
    in.read(line.data(), static_cast<std::streamsize>(line.size()));
    line.resize(static_cast<std::size_t>(in.gcount()));
    if (const auto nl = line.find('\n'); nl != std::string::npos) line.resize(nl);
    return line;
}

// `path` with every symlink resolved; empty when it cannot be resolved.
fs::path resolved(const fs::path& path) {
    std::error_code ec;
    auto real = fs::weakly_canonical(path, ec);
    return ec ? fs::path() : real;
}

// Whether `real` (resolved) lies inside `root` (resolved too).
bool inside(const fs::path& root, const fs::path& real) {
    if (real.empty()) return false;
    const auto rel = real.lexically_relative(root);
    return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

std::optional<CheckedPolicySet> load_policy_set(const std::string& dir_arg, SourceMap& sources,
                                                Diagnostics& diags, const Limits& limits) {
    const fs::path dir(dir_arg);
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        diags.error(diag::kIo, {}, fmt::format("{}: not a policy-set directory", dir_arg),
                    "a policy set is a directory holding cordon.yaml, schema.yaml and *.cordon files");
        return std::nullopt;
    }
    CheckedPolicySet out;
    out.dir = dir_arg;
    auto manifest = load_manifest(dir_arg, sources, diags);
    if (!manifest) return std::nullopt;
    out.manifest = std::move(*manifest);
    const auto root = fs::weakly_canonical(fs::absolute(dir, ec), ec);
    if (!inside(root, resolved(dir / out.manifest.schema))) {
        // Quote none of the file: it is not part of the policy set.
        diags.error(diag::kManifest, out.manifest.span,
                    fmt::format("cordon.yaml: schema: \"{}\" lies outside the policy-set directory (after "
                                "resolving symlinks); it is not read",
                                out.manifest.schema),
                    "keep schema.yaml inside the policy-set directory");
        return std::nullopt;
    }
    auto schema = load_schema(display_path(dir / out.manifest.schema), sources, diags);
    if (!schema) return std::nullopt;
    out.schema = std::move(*schema);
    out.attrs = AttributeIndex::build(out.schema);

    // Every *.cordon file below the directory, in path order.
    std::vector<fs::path> files;
    bool bad_entries = false;
    for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
        // (The entry's type comes with the directory listing: no system call for a plain
        // file. The walk does not follow directory links, so only a file that is itself a
        // link can lead outside.)
        std::error_code fec;
        const bool link = it->is_symlink(fec);
        if (link && it->is_directory(fec)) {
            // The walk does not follow links to directories: rule files under one would be
            // missing from the set without a word.
            diags.error(diag::kIo, {},
                        fmt::format("{}: a link to a directory; links to directories are not followed, so "
                                    "rule files under it would be missing",
                                    display_path(it->path())),
                        "copy the directory into the policy set, or remove the link");
            bad_entries = true;
            continue;
        }
        if (it->path().extension() != ".cordon") continue;
        // A rule file that cannot be read must not be skipped: its rules would be missing.
        if (!it->is_regular_file(fec)) {
            diags.error(diag::kIo, {},
                        fmt::format("{}: not a regular file (a directory, FIFO, device or dangling symlink)",
                                    display_path(it->path())),
                        "a *.cordon entry must be a rule file; remove or rename it");
            bad_entries = true;
        } else if (link && !inside(root, resolved(it->path()))) {
            diags.error(diag::kIo, {},
                        fmt::format("{}: a symlink to a file outside the policy-set directory; it is not read",
                                    display_path(it->path())),
                        "copy the rule file into the policy set");
            bad_entries = true;
        } else {
            files.push_back(it->path());
        }
    }
    if (bad_entries) return std::nullopt;
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        // An empty set would allow everything: a wrong path must not fail open.
        diags.error(diag::kIo, {}, fmt::format("{}: no *.cordon rule files found", dir_arg),
                    "a policy set needs at least one rule file; check the path");
    }
    bool parse_ok = true;
    for (const auto& f : files) {
        std::string text;
        if (const auto size = fs::file_size(f, ec); !ec && size > limits.rule_file_bytes) {
            const auto id = sources.add(display_path(f), first_line(f));
            diags.error(diag::kLimit, Span{id, 0, 0},
                        fmt::format("rule file is {}, more than the limit of {}", bytes_text(size),
                                    bytes_text(limits.rule_file_bytes)),
                        "split it into several files");
            parse_ok = false;
            continue;
        }
        if (!read_file(f, text)) {
            diags.error(diag::kIo, {}, fmt::format("{}: cannot read file", display_path(f)));
            parse_ok = false;
            continue;
        }
        const auto id = sources.add(display_path(f), std::move(text));
        if (!require_utf8(sources, id, diags)) {
            parse_ok = false;
            continue;
        }
        auto parsed = parse_policy_file(sources, id, diags, limits.expression_depth);
        if (!parsed) {
            parse_ok = false;
            continue;
        }
        out.files.push_back(std::move(*parsed));
        out.file_paths.push_back(display_path(f));
    }
    if (!parse_ok) return std::nullopt;

    Checker checker(out, sources, diags);
    checker.max_let_nesting = limits.expression_depth;
    checker.max_inlined_calls = limits.inlined_calls;
    std::map<std::string, SetsFile> sets_cache;
    std::map<std::string, int> table_cache;  // canonical path -> table id
    std::map<std::string, Span> policy_names;
    for (std::size_t fi = 0; fi < out.files.size(); ++fi) {
        const fs::path base = fs::path(out.file_paths[fi]).parent_path();
        for (const auto& p : out.files[fi].policies) {
            if (auto [it, fresh] = policy_names.emplace(p.name, p.name_span); !fresh) {
                const auto lc = sources.line_col(it->second.file, it->second.begin);
                diags.error(diag::kDuplicate, p.name_span, fmt::format("policy `{}` is defined twice", p.name),
                            fmt::format("first defined at {}:{}", sources.path(it->second.file), lc.line));
                continue;
            }
            CheckedPolicy cp;
            cp.name = p.name;
            cp.span = p.span;
            if (p.title) cp.title = p.title->value;
            if (p.authority) cp.authority = p.authority->value;
            if (!p.status) {
                diags.error(diag::kBadStatus, p.name_span, fmt::format("policy `{}` has no status", p.name),
                            "add `status in_force` (or proposed, bill, draft, rescinded)");
            } else if (auto s = parse_status(p.status->value)) {
                cp.status = *s;
            } else {
                diags.error(diag::kBadStatus, p.status->span, fmt::format("unknown status `{}`", p.status->value),
                            "statuses are in_force, proposed, rescinded, bill and draft");
            }
            if (p.effective) cp.effective = p.effective->day;
            if (p.sunset) cp.sunset = p.sunset->day;

            PolicyData data;
            for (const auto& use : p.uses) {
                const fs::path target = (base / use.path).lexically_normal();
                const fs::path real = resolved(target);
                const std::string key = real.string();
                if (!inside(root, real)) {
                    // Quote none of the file: it is not part of the policy set.
                    diags.error(diag::kData, use.span,
                                fmt::format("\"{}\" lies outside the policy-set directory (after resolving "
                                            "symlinks); it is not read",
                                            use.path),
                                "keep data files inside the policy-set directory");
                    continue;
                }
                if (use.kind == ast::Use::Kind::Sets) {
                    auto it = sets_cache.find(key);
                    if (it == sets_cache.end()) {
                        Diagnostics local;
                        auto sf = load_sets(display_path(target), sources, local);
                        if (!sf) {
                            diags.append(local);
                            diags.error(diag::kData, use.span, fmt::format("cannot use sets from \"{}\"", use.path));
                            continue;
                        }
                        diags.append(local);
                        it = sets_cache.emplace(key, std::move(*sf)).first;
                    }
                    for (const auto& s : it->second.sets) {
                        if (data.sets.count(s.name)) {
                            diags.error(diag::kDuplicate, use.span,
                                        fmt::format("set `{}` is brought in twice in policy {}", s.name, p.name));
                            continue;
                        }
                        data.sets[s.name] = checker.add_named_set(key + "#" + s.name, s);
                    }
                } else {
                    auto it = table_cache.find(key);
                    if (it == table_cache.end()) {
                        Diagnostics local;
                        auto t = load_table(display_path(target), sources, local);
                        diags.append(local);
                        if (!t) {
                            diags.error(diag::kData, use.span, fmt::format("cannot use table from \"{}\"", use.path));
                            continue;
                        }
                        const int id = static_cast<int>(out.tables.size());
                        out.tables.push_back(CheckedTable{use.name, std::move(*t)});
                        it = table_cache.emplace(key, id).first;
                    }
                    if (data.tables.count(use.name) || data.sets.count(use.name)) {
                        diags.error(diag::kDuplicate, use.span,
                                    fmt::format("`{}` is brought in twice in policy {}", use.name, p.name));
                        continue;
                    }
                    data.tables[use.name] = it->second;
                }
            }
            const int index = static_cast<int>(out.policies.size());
            out.policies.push_back(std::move(cp));
            checker.check_policy(p, index, data);
        }
    }
    out.variable_slots = checker.variable_slots();
    if (!diags.has_errors()) check_depth_through_lets(out, limits.expression_depth, diags);
    if (out.rules.size() > limits.rules)
        diags.error(diag::kLimit, out.rules[limits.rules].span,
                    fmt::format("the policy set has {} rules, more than the limit of {}", out.rules.size(), limits.rules));
    diags.sort_and_dedupe();
    if (diags.has_errors()) return std::nullopt;
    std::sort(out.rules.begin(), out.rules.end(),
              [](const CheckedRule& a, const CheckedRule& b) { return a.id < b.id; });
    lint_policy_set(out, sources, diags);
    return out;
}

}  // namespace cordon
