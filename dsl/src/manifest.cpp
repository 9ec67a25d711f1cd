// Loads a policy set's manifest (cordon.yaml) into a Manifest, rejecting unknown keys.
#include "cordon/dsl/manifest.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "yaml_util.hpp"

namespace cordon {

namespace {
constexpr std::pair<Status, const char*> kStatuses[] = {
    {Status::InForce, "in_force"}, {Status::Proposed, "proposed"}, {Status::Rescinded, "rescinded"},
    {Status::Bill, "bill"},        {Status::Draft, "draft"},
};
}  // namespace

const char* status_name(Status s) {
    for (const auto& [status, name] : kStatuses)
        if (status == s) return name;
    return "in_force";
}

std::optional<Status> parse_status(std::string_view text) {
    for (const auto& [status, name] : kStatuses)
        if (text == name) return status;
    return std::nullopt;
}

namespace {

using detail::Reporter;

const std::vector<std::string>& manifest_keys() {
    static const std::vector<std::string> keys{"name", "schema", "default", "on_error", "enforce"};
    return keys;
}

std::string suggest(const std::string& word, const std::vector<std::string>& candidates) {
    const auto near = nearest_name(word, candidates);
    return near.empty() ? std::string() : fmt::format("did you mean \"{}\"?", near);
}

// A non-empty scalar value of `key`, or an error at the value.
std::optional<std::string> scalar_value(Reporter& r, const std::string& key, Span key_span, const YAML::Node& value) {
    if (!value.IsScalar()) {
        r.error(r.span(value, key_span), key, fmt::format("expected a value, found {}", detail::describe(value)));
        return std::nullopt;
    }
    if (value.Scalar().empty()) {
        r.error(r.span(value, key_span), key, "must not be empty");
        return std::nullopt;
    }
    return value.Scalar();
}

// One of `choices`, or an error with a suggestion.
std::optional<std::string> choice_value(Reporter& r, const std::string& key, Span key_span, const YAML::Node& value,
                                        const std::vector<std::string>& choices) {
    auto text = scalar_value(r, key, key_span, value);
    if (!text) return std::nullopt;
    if (std::find(choices.begin(), choices.end(), *text) != choices.end()) return text;
    std::string hint = suggest(*text, choices);
    if (hint.empty()) hint = fmt::format("write {}", fmt::join(choices, " or "));
    r.error(r.span(value, key_span), key,
            fmt::format("\"{}\" is not one of {}", *text, fmt::join(choices, ", ")), std::move(hint));
    return std::nullopt;
}

void parse_enforce(Reporter& r, Span key_span, const YAML::Node& value, Manifest& m) {
    std::vector<std::string> names;
    for (const auto& [status, name] : kStatuses) names.emplace_back(name);
    if (!value.IsSequence()) {
        r.error(r.span(value, key_span), "enforce", fmt::format("expected a list of statuses, found {}", detail::describe(value)),
                "write enforce: [in_force]");
        return;
    }
    m.enforce.clear();
    const Span list_span = r.span(value, key_span);  // once: a list on one line is long
    for (std::size_t i = 0; i < value.size(); ++i) {
        const YAML::Node item = value[i];
        const std::string path = fmt::format("enforce[{}]", i);
        const Span span = r.span(item, list_span);
        if (!item.IsScalar()) {
            r.error(span, path, fmt::format("expected a status, found {}", detail::describe(item)));
            continue;
        }
        const auto status = parse_status(item.Scalar());
        if (!status) {
            std::string hint = suggest(item.Scalar(), names);
            if (hint.empty()) hint = fmt::format("the statuses are {}", fmt::join(names, ", "));
            r.error(span, path, fmt::format("unknown status \"{}\"", item.Scalar()), std::move(hint));
            continue;
        }
        if (std::find(m.enforce.begin(), m.enforce.end(), *status) == m.enforce.end()) m.enforce.push_back(*status);
    }
}

std::optional<Manifest> parse_manifest_impl(const SourceMap& sources, std::uint32_t file, Diagnostics& diags) {
    Reporter r(sources, file, diag::kManifest, diags);
    auto doc = detail::parse_yaml(sources, file, diag::kManifest, diags);
    if (!doc) return std::nullopt;
    Manifest m;
    m.span = r.start();
    if (!doc->IsMap() && !doc->IsNull()) {
        r.error(r.span(*doc, r.start()), "", fmt::format("expected a map of settings, found {}", detail::describe(*doc)),
                "start with name: my-policy-set");
        return std::nullopt;
    }
    bool has_name = false;
    std::vector<std::string> seen;
    if (doc->IsMap()) {
        for (auto it = doc->begin(); it != doc->end(); ++it) {
            const YAML::Node key = it->first;
            const YAML::Node value = it->second;
            const Span key_span = r.span(key, r.start());
            if (!key.IsScalar()) {
                r.error(key_span, "", fmt::format("a setting name must be a plain name, found {}", detail::describe(key)));
                continue;
            }
            const std::string& name = key.Scalar();
            const auto& keys = manifest_keys();
            if (std::find(keys.begin(), keys.end(), name) == keys.end()) {
                std::string hint = suggest(name, keys);
                if (hint.empty()) hint = fmt::format("the settings are {}", fmt::join(keys, ", "));
                r.error(key_span, name, "unknown key", std::move(hint));
                continue;
            }
            if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
                r.error(key_span, name, "set twice", "remove one of them");
                continue;
            }
            seen.push_back(name);
            if (name == "name") {
                has_name = true;
                if (auto v = scalar_value(r, name, key_span, value)) m.name = *v;
            } else if (name == "schema") {
                if (auto v = scalar_value(r, name, key_span, value)) m.schema = *v;
            } else if (name == "default") {
                if (auto v = choice_value(r, name, key_span, value, {"allow", "deny"}))
                    m.default_effect = *v == "deny" ? DefaultEffect::Deny : DefaultEffect::Allow;
            } else if (name == "on_error") {
                if (auto v = choice_value(r, name, key_span, value, {"deny", "skip"}))
                    m.on_error = *v == "skip" ? OnError::Skip : OnError::Deny;
            } else {
                parse_enforce(r, key_span, value, m);
            }
        }
    }
    if (!has_name) r.error(r.start(), "name", "missing required key", "add name: my-policy-set");
    if (r.failed()) return std::nullopt;
    return m;
}

}  // namespace

std::optional<Manifest> parse_manifest(const SourceMap& sources, std::uint32_t file, Diagnostics& diags) {
    try {
        return parse_manifest_impl(sources, file, diags);
    } catch (const std::exception& e) {
        Reporter r(sources, file, diag::kManifest, diags);
        r.error(r.start(), "", fmt::format("cannot read the manifest: {}", e.what()));
        return std::nullopt;
    }
}

std::optional<Manifest> load_manifest(const std::string& dir, SourceMap& sources, Diagnostics& diags) {
    // Accept the manifest file itself as well as its directory.
    std::error_code ec;
    const std::string path = std::filesystem::is_regular_file(dir, ec)
                                 ? dir
                                 : (std::filesystem::path(dir) / "cordon.yaml").string();
    const auto file = detail::read_source(path, sources, diags);
    if (!file) return std::nullopt;
    return parse_manifest(sources, *file, diags);
}

}  // namespace cordon
