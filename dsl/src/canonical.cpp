// The canonical text of a checked policy set: the input of its digest. It prints meaning,
// not layout, so reformatting a file or reordering files leaves it unchanged.
#include <filesystem>
#include <fmt/format.h>

#include "cordon/dsl/check.hpp"
#include "cordon/dsl/parse.hpp"

namespace cordon {

namespace {

const char* form_name(Form f) {
    switch (f) {
        case Form::Const: return "const";
        case Form::Attr: return "attr";
        case Form::Elem: return "elem";
        case Form::LetRef: return "let";
        case Form::Not: return "not";
        case Form::Neg: return "neg";
        case Form::And: return "and";
        case Form::Or: return "or";
        case Form::Eq: return "==";
        case Form::Ne: return "!=";
        case Form::Lt: return "<";
        case Form::Le: return "<=";
        case Form::Gt: return ">";
        case Form::Ge: return ">=";
        case Form::Add: return "+";
        case Form::Sub: return "-";
        case Form::Mul: return "*";
        case Form::Div: return "/";
        case Form::InSet: return "in-set";
        case Form::InList: return "in-list";
        case Form::InTable: return "in-table";
        case Form::Has: return "has";
        case Form::Any: return "any";
        case Form::All: return "all";
        case Form::Count: return "count";
        case Form::Sum: return "sum";
        case Form::Lookup: return "lookup";
        case Form::If: return "if";
    }
    return "?";
}

// A dated member's or row's window, `[2024-01-01..2025-11-07)` (an open end left empty);
// nothing for one that always holds.
std::string window_text(const DateWindow& w) {
    if (w.always()) return "";
    return fmt::format("[{}..{})", w.since == DateWindow::kOpen ? "" : format_date(w.since),
                       w.until == DateWindow::kNever ? "" : format_date(w.until));
}

// Members quoted one by one, so {"a,b"} and {"a", "b"} print differently; a dated member
// carries its window (`"KH"[..2025-11-07)`), so the digest covers the dates.
std::string members_text(const CheckedSet& set) {
    std::string out = "{";
    for (std::size_t i = 0; i < set.members.size(); ++i) {
        fmt::format_to(std::back_inserter(out), "{}{:?}", i ? "," : "", set.members[i]);
        if (!set.member_windows.empty()) out += window_text(set.member_windows[i]);
    }
    return out + "}";
}

// A data file's path relative to the policy-set directory, normalised, so the digest does
// not depend on how the directory was named (`policy`, `./policy`, `.`, an absolute path).
std::string relative_path(const CheckedPolicySet& set, const std::string& path) {
    namespace fs = std::filesystem;
    fs::path dir = fs::path(set.dir.empty() ? "." : set.dir).lexically_normal();
    if (!dir.has_filename() && dir.has_parent_path()) dir = dir.parent_path();  // "policy/" -> "policy"
    const fs::path file = fs::path(path).lexically_normal();
    fs::path rel = file.lexically_relative(dir);
    if (rel.empty()) {  // one absolute and one relative: compare absolute forms
        std::error_code ec;
        rel = fs::absolute(file, ec).lexically_normal().lexically_relative(fs::absolute(dir, ec).lexically_normal());
    }
    return rel.empty() ? file.generic_string() : rel.generic_string();
}

void print(std::string& out, const CheckedPolicySet& set, const CExpr& e) {
    out += '(';
    out += form_name(e.form);
    switch (e.form) {
        case Form::Const:
            switch (e.type) {
                case Type::Bool: out += e.boolean ? " true" : " false"; break;
                case Type::Number: out += fmt::format(" {}", e.number); break;
                case Type::String: out += fmt::format(" {:?}", e.text); break;
                case Type::Date: out += fmt::format(" {}", format_date(e.date)); break;
            }
            break;
        case Form::Attr: out += " " + set.attrs.attrs[e.ref].path; break;
        case Form::Elem: out += fmt::format(" v{} {}", e.ref, set.attrs.attrs[e.ref2].path); break;
        case Form::LetRef: out += " " + set.lets[e.ref].id; break;
        // The set by its number: its members are written once, in its `set` line (written
        // at every use, 100,000 rules testing a 100,000-member set made 10^10 bytes).
        case Form::InSet: out += fmt::format(" set{}", e.ref); break;
        case Form::InList: out += " " + set.attrs.lists[e.ref].path; break;
        case Form::InTable: out += ' '; out += relative_path(set, set.tables[e.ref].table.path); break;
        case Form::Any: case Form::All: case Form::Count: case Form::Sum:
            out += fmt::format(" v{} {}", e.ref2, set.attrs.lists[e.ref].path);
            break;
        case Form::Lookup:
            out += fmt::format(" {} {}", relative_path(set, set.tables[e.ref].table.path),
                               set.tables[e.ref].table.columns[e.ref2]);
            break;
        default: break;
    }
    for (const auto& a : e.args) {
        out += ' ';
        print(out, set, a);
    }
    out += ')';
}

}  // namespace

std::string canonical_text(const CheckedPolicySet& set) {
    std::string out;
    out += fmt::format("manifest {:?} default={} on_error={} enforce=", set.manifest.name,
                       set.manifest.default_effect == DefaultEffect::Allow ? "allow" : "deny",
                       set.manifest.on_error == OnError::Deny ? "deny" : "skip");
    for (auto s : set.manifest.enforce) out += std::string(status_name(s)) + ",";
    out += "\nschema";
    for (const auto& a : set.attrs.attrs) {
        out += fmt::format(" {}:{}{}", a.path, scalar_type_name(a.type), a.optional ? "?" : "");
        if (!a.enum_values.empty()) out += fmt::format("[{}]", fmt::join(a.enum_values, ","));
    }
    out += "\n";
    for (std::size_t i = 0; i < set.sets.size(); ++i)
        out += fmt::format("set{} {:?} {}\n", i, set.sets[i].name, members_text(set.sets[i]));
    for (const auto& t : set.tables) {
        out += fmt::format("table {} {}\n", t.name, relative_path(set, t.table.path));
        for (const auto& row : t.table.rows) {
            out += fmt::format("  {:?}{}", row.key, window_text(row.window));  // (a dated row's window: the digest covers it)
            for (std::size_t c = 0; c < row.cells.size(); ++c) {
                if (!row.cells[c]) continue;
                const auto& cell = *row.cells[c];
                out += " " + t.table.columns[c] + "=";
                switch (cell.type) {
                    case ScalarType::Number: out += fmt::format("{}", cell.number); break;
                    case ScalarType::Bool: out += cell.boolean ? "true" : "false"; break;
                    case ScalarType::Date: out += format_date(cell.date); break;
                    default: out += fmt::format("{:?}", cell.text); break;
                }
            }
            out += "\n";
        }
    }
    for (const auto& l : set.lets) {
        out += "let " + l.id + " ";
        print(out, set, l.body);
        out += "\n";
    }
    for (const auto& p : set.policies) {
        out += fmt::format("policy {} {:?} {:?} {} {} {}\n", p.name, p.title, p.authority, status_name(p.status),
                           p.effective ? format_date(*p.effective) : "-", p.sunset ? format_date(*p.sunset) : "-");
    }
    for (const auto& r : set.rules) {
        out += fmt::format("rule {} {} when ", r.id, ast::effect_name(r.effect));
        print(out, set, r.when);
        if (r.unless) {
            out += " unless ";
            print(out, set, *r.unless);
        }
        if (r.report) out += fmt::format(" to {:?} within {}", r.report->to, r.report->within_days);
        out += fmt::format(" because {:?} cite {:?}\n", r.because_raw, r.cite);
    }
    return out;
}

}  // namespace cordon
