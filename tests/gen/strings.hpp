// The string pools of generated sets and requests, and quoting for the three syntaxes
// the generator writes (YAML data, rule-file string literals, JSON requests).
#pragma once
#include <string>
#include <vector>

namespace cordon::gen {

/// Plain strings rules and data name (with an empty one and one with a space).
inline const std::vector<std::string> kPlainStrings = {"alpha", "beta", "gamma", "H100-SXM", "A30", "x y", "", "delta"};
/// Country codes rules and data name; requests add codes no rule names.
inline const std::vector<std::string> kCountries = {"CN", "MO", "RU", "DE", "US", "SG", "IR", "XX"};

/// Escapes `"` and `\` for a double-quoted literal (YAML, rule files and JSON agree on these).
inline std::string escaped(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}
inline std::string yaml_quote(const std::string& s) { return "\"" + escaped(s) + "\""; }
inline std::string dsl_quote(const std::string& s) { return "\"" + escaped(s) + "\""; }
inline std::string json_quote(const std::string& s) { return "\"" + escaped(s) + "\""; }

}  // namespace cordon::gen
