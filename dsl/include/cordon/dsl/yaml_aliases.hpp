// YAML aliases that multiply a document (a "billion laughs"): found before any loader
// walks the nodes, so a 740-byte policy file cannot make a walk take forever.
#pragma once
#include <cstddef>
#include <optional>
#include <string_view>

namespace YAML {
class Node;
}

namespace cordon {

/// Where a YAML document's aliases blow it up: the first alias (0-based line and column).
struct AliasBlowup {
    int line = 0, column = 0;
    std::size_t limit = 0;  // the node count it went past
};

/// Counts the nodes of `doc` (parsed from `text`) as a walk sees them, aliases expanded,
/// and stops past the most a document of that text can hold without aliases (one per
/// byte, plus 64). Past it, aliases multiply the document: returns the first alias of
/// `text`. Nothing when the document is no bigger expanded than written. Linear in the
/// text, whatever the aliases.
std::optional<AliasBlowup> alias_blowup(const YAML::Node& doc, std::string_view text);

}  // namespace cordon
