// Small helpers for writing JSON text by hand (the decision writer, YAML conversion), and
// for echoing untrusted text in terminal output.
#pragma once
#include <string>
#include <string_view>

namespace cordon {

/// Appends `s` as a quoted JSON string with the required escapes. Bytes that are not
/// well-formed UTF-8 become U+FFFD (`\ufffd`): the output is valid JSON whatever `s` holds.
void append_json_string(std::string& out, std::string_view s);
/// Appends a JSON number (shortest round-trip form; integers without ".0").
void append_json_number(std::string& out, double v);
/// `s` safe to print on a terminal or in a log line: control characters (C0, DEL, C1) become
/// `\n`, `\t`, `\x1b`, `\u0085`, ..., bytes that are not well-formed UTF-8 become `\xNN`.
/// Request text echoed this way cannot start a line or an ANSI escape of its own.
std::string printable(std::string_view s);

}  // namespace cordon
