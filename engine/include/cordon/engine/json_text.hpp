// Small helpers for writing JSON text by hand (the decision writer, YAML conversion).
#pragma once
#include <string>
#include <string_view>

namespace cordon {

/// Appends `s` as a quoted JSON string with the required escapes. Bytes that are not
/// well-formed UTF-8 become U+FFFD (`\ufffd`): the output is valid JSON whatever `s` holds.
void append_json_string(std::string& out, std::string_view s);
/// Appends a JSON number (shortest round-trip form; integers without ".0").
void append_json_number(std::string& out, double v);

}  // namespace cordon
