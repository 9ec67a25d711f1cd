// explain(): one traced decision, then every rule's conditions rebuilt as a tree of
// source text and values from the program's node spans.
#include "cordon/engine/explain.hpp"

#include <fmt/format.h>
#include <set>

#include "cordon/dsl/parse.hpp"
#include "program/program.hpp"

namespace cordon {

std::string node_source_text(const PolicySet& set, std::int32_t node) {
    const Span sp = set.program().node_spans[node];
    if (sp.file == 0) return "?";
    std::string_view raw = std::string_view(set.sources().text(sp.file)).substr(sp.begin, sp.end - sp.begin);
    std::string out;
    bool space = false;
    for (char c : raw) {  // collapse runs of white space (conditions span lines)
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            space = true;
            continue;
        }
        if (space && !out.empty()) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

namespace {

struct Builder {
    const PolicySet& set;
    const Request& request;
    const Evaluator::Trace& trace;

    ExplainNode build(std::int32_t index, int depth) const {
        const auto& p = set.program();
        const Node& n = p.nodes[index];
        ExplainNode e;
        e.text = node_source_text(set, index);
        e.evaluated = trace.seen[index] == trace.stamp;
        if (e.evaluated) {
            const Value& v = trace.values[index];
            e.value = !v.is_error() ? set.value_text(request, v)
                    : (v.err >> 24) == kAbsentAttribute ? "absent (the rule fails closed)"
                                                        : "error";
            if (v.tag == Value::Tag::String) e.value = "\"" + e.value + "\"";
        } else {
            e.value = "not evaluated";
        }
        if (depth > 32 || !e.evaluated) return e;  // short-circuited parts stay one line
        auto add = [&](std::int32_t kid) {
            if (p.nodes[kid].op == NodeOp::Const) return;
            ExplainNode child = build(kid, depth + 1);
            if (child.text == e.text || "(" + child.text + ")" == e.text) {
                // The same text (a let's body, or parentheses): show its parts under this node.
                for (auto& c : child.children) e.children.push_back(std::move(c));
                return;
            }
            // `a and b and c` reads as one list of conditions, not a left-leaning tree.
            if ((n.op == NodeOp::And || n.op == NodeOp::Or) && p.nodes[kid].op == n.op) {
                for (auto& c : child.children) e.children.push_back(std::move(c));
                return;
            }
            e.children.push_back(std::move(child));
        };
        switch (n.op) {
            case NodeOp::Const: case NodeOp::Attr: case NodeOp::Elem: case NodeOp::Has: break;
            case NodeOp::LetRef:
                // Each let is opened once per rule; later uses show just its value.
                if (expanded_lets.insert(n.let()).second) add(p.lets[n.let()]);
                break;
            default:
                for (const std::int32_t kid : p.kids_of(n)) add(kid);
        }
        return e;
    }
    mutable std::set<std::int32_t> expanded_lets;
};

}  // namespace

Explanation explain(const PolicySet& set, const Request& request, const EvalOptions& options, bool reference) {
    const auto& p = set.program();
    const ReferenceEvaluator ref(set.checked(), p);
    Evaluator ev(p);
    ev.set_day(options.as_of);  // (dated set members, when the reference decides below)
    Evaluator::Trace trace;
    trace.values.resize(p.nodes.size());
    trace.seen.assign(p.nodes.size(), 0);
    Explanation out;
    if (reference) ref.decide(request, options, out.decision);
    else ev.decide(request, options, out.decision);
    Builder b{set, request, trace, {}};
    const auto& rules = set.checked().rules;
    for (std::uint32_t i = 0; i < rules.size(); ++i) {
        const auto& cr = rules[i];
        const auto& pr = p.rules[i];
        RuleExplanation r;
        r.rule = cr.id;
        r.effect = cr.effect;
        r.status = pr.status;
        r.cite = cr.cite;
        if (!options.enforces(p.rule_policy[i], pr.status)) {
            r.inactive_reason = fmt::format("status {} is not enforced (add --include {})", status_name(pr.status),
                                            status_name(pr.status));
        } else if (options.as_of < pr.effective) {
            r.inactive_reason = fmt::format("not yet effective: effective {}", format_date(pr.effective));
        } else if (options.as_of >= pr.sunset) {
            r.inactive_reason = fmt::format("no longer active: sunset {}", format_date(pr.sunset));
        } else {
            r.active = true;
        }
        for (auto f : out.decision.fired)
            if (f == i) r.fired = true;
        for (const auto& err : out.decision.errors)
            if (err.rule == i) r.error = set.error_text(request, err);
        if (r.fired) r.message = ref.message(request, i, options.as_of);  // (as `check` fills it: one function)
        if (r.active) {
            b.expanded_lets.clear();
            // Re-evaluate this rule alone with tracing on: nodes are shared between rules,
            // so each rule gets its own stamp and a fresh let cache.
            ++trace.stamp;
            ev.set_trace(&trace);
            const Value w = ev.evaluate(request, pr.when);
            if (pr.unless >= 0 && w.tag == Value::Tag::Bool && w.b) ev.evaluate(request, pr.unless, true);
            ev.set_trace(nullptr);
            r.when = b.build(pr.when, 0);
            if (pr.unless >= 0) r.unless = b.build(pr.unless, 0);
        }
        out.rules.push_back(std::move(r));
    }
    ev.set_trace(nullptr);
    return out;
}

}  // namespace cordon
