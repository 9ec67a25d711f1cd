// parse_policy_file / parse_expression: runs the X3 grammar, then collects comments and
// splits `because` messages into literal text and `{expr}` holes.
#include "cordon/dsl/parse.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "grammar.hpp"

namespace cordon {

namespace {

using parser::ParseState;

/// Runs `rule` over [first, last) of the file; true on success with `attr` filled.
template <typename Rule, typename Attr>
bool run(const Rule& rule, const SourceMap& sources, std::uint32_t file, std::uint32_t begin,
         std::uint32_t end, Diagnostics& diags, Attr& attr, int max_depth) {
    const std::string& text = sources.text(file);
    ParseState st;
    st.max_height = static_cast<std::uint32_t>(std::max(max_depth, 1));
    st.text_begin = text.data();
    st.text_end = text.data() + end;
    st.file_end = text.data() + text.size();
    st.file = file;
    parser::iterator_type first = text.data() + begin;
    const parser::iterator_type last = st.text_end;
    bool ok = false;
    try {
        auto const skip_ctx = parser::x3::make_context<parser::x3::skipper_tag>(parser::skipper);
        auto const ctx = parser::x3::make_context<parser::state_tag>(st, skip_ctx);
        ok = rule.parse(first, last, ctx, parser::x3::unused, attr);
    } catch (const parser::x3::expectation_failure<parser::iterator_type>& x) {
        // Only reachable if an expectation escapes the top rule's handler.
        if (!st.error) {
            st.error = Diagnostic{Severity::Error, diag::kSyntax,
                                  Span{file, static_cast<std::uint32_t>(x.where() - text.data()),
                                       static_cast<std::uint32_t>(x.where() - text.data())},
                                  "expected " + x.which(), {}};
        }
        ok = false;
    }
    if (ok && !st.error) return true;
    if (!st.error)
        st.error = Diagnostic{Severity::Error, diag::kSyntax, Span{file, begin, begin}, "syntax error", {}};
    diags.add(std::move(*st.error));
    return false;
}

/// Every `#` comment outside string literals, with its span.
std::vector<ast::Comment> scan_comments(const std::string& text, std::uint32_t file) {
    std::vector<ast::Comment> out;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"' || c == '\n') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '#') {
            std::size_t j = i;
            while (j < text.size() && text[j] != '\n') ++j;
            std::size_t e = j;
            if (e > i && text[e - 1] == '\r') --e;
            out.push_back({text.substr(i, e - i),
                           Span{file, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(e)}});
            i = j;
        }
    }
    return out;
}

/// Splits a `because` message into text and `{expr}` pieces; `{{` and `}}` are braces.
bool interpolate(ast::Message& msg, const SourceMap& sources, Diagnostics& diags, int max_depth) {
    const std::string& text = sources.text(msg.span.file);
    const std::uint32_t file = msg.span.file;
    if (msg.span.end < msg.span.begin + 2 || msg.span.end > text.size()) return true;
    const std::uint32_t begin = msg.span.begin + 1, end = msg.span.end - 1;  // inside the quotes
    std::string literal;
    auto flush = [&] {
        if (!literal.empty()) msg.pieces.push_back({std::move(literal), std::nullopt});
        literal.clear();
    };
    for (std::uint32_t i = begin; i < end; ++i) {
        const char c = text[i];
        if (c == '\\' && i + 1 < end) {
            const char n = text[++i];
            literal += n == 'n' ? '\n' : n == 't' ? '\t' : n;
        } else if (c == '{' && i + 1 < end && text[i + 1] == '{') {
            literal += '{';
            ++i;
        } else if (c == '}' && i + 1 < end && text[i + 1] == '}') {
            literal += '}';
            ++i;
        } else if (c == '}') {
            diags.error(diag::kSyntax, Span{file, i, i + 1}, "unmatched \"}\" in message",
                        "write \"}}\" for a literal brace");
            return false;
        } else if (c == '{') {
            std::uint32_t j = i + 1;
            int depth = 1;
            for (; j < end; ++j) {
                if (text[j] == '{') ++depth;
                else if (text[j] == '}' && --depth == 0) break;
            }
            if (j >= end) {
                diags.error(diag::kSyntax, Span{file, i, i + 1}, "unclosed \"{\" in message",
                            "close the interpolation with \"}\", or write \"{{\" for a literal brace");
                return false;
            }
            auto e = parse_expression(sources, file, i + 1, j, diags, max_depth);
            if (!e) return false;
            flush();
            msg.pieces.push_back({{}, std::move(*e)});
            i = j;
        } else {
            literal += c;
        }
    }
    flush();
    return true;
}

}  // namespace

bool check_expression_depth(const ast::Expr& root, int max_depth, Diagnostics& diags) {
    std::vector<std::pair<const ast::Expr*, int>> stack{{&root, 1}};
    while (!stack.empty()) {
        const auto [e, level] = stack.back();
        stack.pop_back();
        if (level > max_depth) {
            diags.error(diag::kLimit, e->span,
                        "expression is more than " + std::to_string(max_depth) + " levels deep (the limit)",
                        "split it into `let` bindings, or test membership with a set: `x in {\"A\", \"B\"}`");
            return false;
        }
        for (const auto& a : e->args) stack.emplace_back(&a, level + 1);
    }
    return true;
}

std::optional<ast::PolicyFile> parse_policy_file(const SourceMap& sources, std::uint32_t file,
                                                 Diagnostics& diags, int max_depth) {
    if (file == 0 || file >= sources.size()) {
        diags.error(diag::kIo, Span{}, "no such source file");
        return std::nullopt;
    }
    const auto size = static_cast<std::uint32_t>(sources.text(file).size());
    ast::PolicyFile out;
    out.file = file;
    if (!run(parser::policy_file(), sources, file, 0, size, diags, out, max_depth)) return std::nullopt;
    bool deep_ok = true;
    for (auto& policy : out.policies) {
        for (auto& let : policy.lets) deep_ok = check_expression_depth(let.body, max_depth, diags) && deep_ok;
        for (auto& rule : policy.rules) {
            if (!interpolate(rule.because, sources, diags, max_depth)) return std::nullopt;
            deep_ok = check_expression_depth(rule.when, max_depth, diags) && deep_ok;
            if (rule.unless) deep_ok = check_expression_depth(*rule.unless, max_depth, diags) && deep_ok;
        }
    }
    if (!deep_ok) return std::nullopt;
    out.comments = scan_comments(sources.text(file), file);
    return out;
}

std::optional<ast::Expr> parse_expression(const SourceMap& sources, std::uint32_t file, std::uint32_t begin,
                                          std::uint32_t end, Diagnostics& diags, int max_depth) {
    if (file == 0 || file >= sources.size() || begin > end || end > sources.text(file).size()) {
        diags.error(diag::kSyntax, Span{file < sources.size() ? file : 0, begin, begin},
                    "expression range outside its file");
        return std::nullopt;
    }
    ast::Expr out;
    if (!run(parser::expression_only(), sources, file, begin, end, diags, out, max_depth)) return std::nullopt;
    if (!check_expression_depth(out, max_depth, diags)) return std::nullopt;
    return out;
}

}  // namespace cordon
