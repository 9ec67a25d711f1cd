// The meaning of each operator, checked operator by operator and operand order by operand
// order (issue: "one meaning"). The interpreter and the native code generator each carry
// their own copy of every operator (engine/src/run/evaluate.cpp, engine/src/native/native_source.cpp);
// this test holds both to the reference evaluator (engine/src/reference/reference.cpp):
//  * one rule per operator and operand order: each comparison with the constant on the
//    right and on the left, for numbers, dates and strings, on a root attribute, a list
//    element and a computed value; arithmetic with the constant on either side (so `-` and
//    `/` are not taken for their mirror images); logic over absent values; sets, lists,
//    tables, quantifiers, `if`, `has`, lets;
//  * requests at, just below and just above every constant, with each optional value absent;
//  * every engine of tests/gen (fast path, tree walk, YAML and padded decoding, every
//    compiler pass off, native code) against the reference, for the program with every pass
//    on and the program with every pass off (so native code is checked on plain operators
//    as well as on the fused ones);
//  * every operator the compiler knows (NodeOp) occurs in one of the two programs: an
//    operator added without a case here fails the test.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "cordon/engine/compile_options.hpp"
#include "engines.hpp"
#include "support.hpp"
#include "program/program.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

// Comparison operators, and a rule for each with its operands both ways round.
const char* const kComparisons[] = {"==", "!=", "<", "<=", ">", ">="};

// The operands of a comparison: an expression and a constant it is compared with.
struct Operands {
    const char* name;
    const char* expr;
    const char* constant;
    bool ordered;  // <, <=, >, >= apply (every type here is ordered; `bool` would not be)
};

const Operands kOperands[] = {
    {"tpp", "resource.tpp", "4800", true},                      // root number attribute (fused: AttrCmpNum)
    {"sum", "resource.tpp + 1", "4801", true},                   // computed number
    {"day", "time", "2025-01-15", true},                         // date
    {"name", "customer.name", "\"M\"", true},                    // string (ordered by text)
    {"country", "customer.country", "\"CN\"", false},            // string (fused: AttrEqStr)
    {"cell", "chips[resource.chip].tpp", "2640", true},          // table cell (A30 has 2640)
    {"choice", "(if has resource.tpp then resource.tpp else 0)", "4800", true},
};

std::string operator_rules() {
    std::string r = "policy ops {\n  status in_force\n  use sets from \"data/groups.yaml\"\n"
                    "  use table chips from \"data/chips.yaml\"\n";
    int n = 0;
    const auto rule = [&](const std::string& name, const std::string& when) {
        r += fmt::format("  rule {} {{ {} when {} because \"{}\" cite \"c\" }}\n", name, n++ % 2 ? "deny" : "report",
                         when, name);
    };
    for (const auto& o : kOperands)
        for (int c = 0; c < 6; ++c) {
            if (!o.ordered && c >= 2) continue;
            rule(fmt::format("{}_{}_right", o.name, c), fmt::format("{} {} {}", o.expr, kComparisons[c], o.constant));
            rule(fmt::format("{}_{}_left", o.name, c), fmt::format("{} {} {}", o.constant, kComparisons[c], o.expr));
        }
    // List elements, both ways round (fused: ElemEqStr; unfused ordering on a number field).
    for (int c = 0; c < 6; ++c) {
        if (c < 2) {
            rule(fmt::format("elem_str_{}_right", c), fmt::format("any i in intermediaries: i.country {} \"CN\"", kComparisons[c]));
            rule(fmt::format("elem_str_{}_left", c), fmt::format("any i in intermediaries: \"CN\" {} i.country", kComparisons[c]));
        }
        rule(fmt::format("elem_num_{}_right", c), fmt::format("any o in customer.owners: o.share {} 0.5", kComparisons[c]));
        rule(fmt::format("elem_num_{}_left", c), fmt::format("any o in customer.owners: 0.5 {} o.share", kComparisons[c]));
    }
    // Two attributes compared (neither a constant).
    rule("attrs_lt", "resource.tpp < resource.count * 1000");
    rule("attrs_ne", "customer.country != customer.hq_country");
    // Arithmetic with the constant on either side; division by zero and overflow are errors.
    rule("sub_right", "resource.tpp - 1000 > 3800");
    rule("sub_left", "6000 - resource.tpp > 1200");
    rule("div_right", "resource.count / 2 >= 4");
    rule("div_left", "8 / resource.count >= 2");
    rule("mul", "resource.count * 1e308 >= 0");
    rule("neg", "-resource.tpp < -4800");
    // Logic over absent values (Kleene): an absent optional bool is an error, which `or`
    // and `and` may or may not need.
    rule("not_bio", "not workload.bio_sequence");
    rule("and_bio", "customer.foreign and workload.bio_sequence");
    rule("or_bio", "customer.foreign or workload.bio_sequence");
    rule("has_bio", "has workload.bio_sequence and workload.bio_sequence");  // fused: AttrTrue
    // Sets, lists, tables.
    rule("in_set", "customer.country in D5");                                     // fused: AttrInSet
    rule("in_set_computed", "(if customer.foreign then customer.country else customer.hq_country) in D5");
    rule("elem_in_set", "any i in intermediaries: i.country in D1");             // fused: ElemInSet
    rule("in_list", "\"gov\" in tags or customer.country in tags");
    rule("in_table", "resource.chip in chips and not customer.identity_verified");
    rule("cell_class", "chips[resource.chip].class == \"3A090.a\"");
    // Quantifiers.
    rule("all_d1", "all i in intermediaries: i.country in D1");
    rule("count_brokers", "count(i in intermediaries: i.role == \"broker\") >= 2");
    rule("sum_d5", "sum(o in customer.owners where o.country in D5: o.share) > 0.5");
    // Lets, one used by two rules.
    r += "  let many = resource.count >= 8\n";
    rule("let_a", "many and customer.foreign");
    rule("let_b", "many and not customer.foreign");
    return r + "}\n";
}

// Requests at, below and above every constant above, optional values absent in turn.
std::string operator_request(std::mt19937& rng) {
    auto pick = [&](std::initializer_list<const char*> xs) { return *(xs.begin() + rng() % xs.size()); };
    std::string r = fmt::format(
        R"({{"customer": {{"name": "{}", "country": "{}", "hq_country": "{}", "foreign": {}, "identity_verified": {}, "owners": [)",
        pick({"L", "M", "N"}), pick({"CN", "DE", "MO"}), pick({"CN", "DE"}), pick({"true", "false"}), pick({"true", "false"}));
    for (int k = 0, n = static_cast<int>(rng() % 3); k < n; ++k)
        r += fmt::format(R"({}{{"name": "O", "country": "{}", "share": {}}})", k ? ", " : "", pick({"CN", "DE"}),
                         pick({"0.49", "0.5", "0.51"}));
    r += R"(]}, "intermediaries": [)";
    for (int k = 0, n = static_cast<int>(rng() % 3); k < n; ++k)
        r += fmt::format(R"({}{{"name": "I", "country": "{}", "role": "{}"}})", k ? ", " : "", pick({"CN", "DE", "VN"}),
                         pick({"reseller", "broker"}));
    r += fmt::format(R"(], "resource": {{"chip": "{}")", pick({"H100-SXM", "A30", "H20", "Z9"}));
    if (const char* tpp = pick({"", "4799", "4800", "4801"}); *tpp) r += fmt::format(R"(, "tpp": {})", tpp);
    if (const char* count = pick({"", "0", "4", "8"}); *count) r += fmt::format(R"(, "count": {})", count);
    r += fmt::format(R"(}}, "workload": {{"kind": "{}")", pick({"training", "inference"}));
    if (const char* bio = pick({"", "true", "false"}); *bio) r += fmt::format(R"(, "bio_sequence": {})", bio);
    r += fmt::format(R"(}}, "license": {{"granted": {}}}, "tags": [{}])", pick({"true", "false"}), pick({"", "\"gov\"", "\"CN\""}));
    if (const char* day = pick({"", "2025-01-14", "2025-01-15", "2025-01-16"}); *day) r += fmt::format(R"(, "time": "{}")", day);
    return r + "}";
}

}  // namespace

TEST_CASE("operator table: every operator, operands both ways round, decides as the reference does in every engine") {
    const std::string schema = std::string(kSchema) + "tags: [string]\n";
    auto l = load_rules(operator_rules(), {{"schema.yaml", schema}});
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    const auto& all_on = l.result.set;
    auto all_off = PolicySet::from_checked(all_on->checked(), l.result.sources, CompileOptions::all_off());
    REQUIRE(all_off);

    // Every operator the compiler knows occurs in one of the two programs.
    std::set<NodeOp> seen;
    for (const auto* program : {&all_on->program(), &all_off->program()})
        for (const auto& node : program->nodes) seen.insert(node.op);
    for (int op = 0; op <= static_cast<int>(NodeOp::AttrTrue); ++op)
        CHECK_MESSAGE(seen.count(static_cast<NodeOp>(op)), "no rule here compiles to ", node_op_name(static_cast<NodeOp>(op)));

    const NativeDir dir_on, dir_off;
    LoadResult off = {};
    off.set = all_off;
    off.sources = l.result.sources;
    std::vector<std::string> notes;
    gen::EngineSetup on_setup, off_setup;
    on_setup.native_dir = dir_on.path.string();
    off_setup.native_dir = dir_off.path.string();
    off_setup.pass_configs = 0;  // (the passes are switched off one by one in the first list already)
    auto engines = gen::make_engines(l.result, on_setup, notes);
    for (auto& e : gen::make_engines(off, off_setup, notes)) engines.push_back(std::move(e));
    for (const auto& note : notes) FAIL_CHECK(note);
    std::size_t reference = engines.size(), natives = 0;
    for (std::size_t i = 0; i < engines.size(); ++i) {
        if (engines[i]->name() == "reference") reference = i;
        natives += engines[i]->name() == "native";
    }
    REQUIRE(reference < engines.size());
    CHECK(natives == 2);

    const auto& rules = all_on->checked().rules;
    std::set<std::string> fired, failed;
    std::mt19937 rng(2026);
    for (int i = 0; i < 1500; ++i) {
        gen::Scenario s{operator_request(rng), *parse_date(i % 3 ? "2025-01-15" : "2024-06-01"), {}, {}};
        gen::Outcome expected;
        engines[reference]->run(s, expected);
        REQUIRE_MESSAGE(expected.input_error.empty(), s.request, " -> ", expected.input_error);
        for (auto f : expected.fired) fired.insert(rules[f].id);
        for (const auto& e : expected.errors) failed.insert(rules[e.rule].id);
        for (auto& engine : engines) {
            gen::Outcome got;
            engine->run(s, got);
            CHECK_MESSAGE(got == expected, engine->name(), " decides ", s.request, "\n  as ", got.describe(all_on->checked()),
                          "\n  the reference: ", expected.describe(all_on->checked()));
        }
    }
    // The requests reach every rule: each fires on some request (and the rules whose
    // operands can be absent or fail, fail on some).
    for (const auto& r : rules) CHECK_MESSAGE(fired.count(r.id), r.id, " never fired");
    for (const char* id : {"ops.tpp_0_left", "ops.div_left", "ops.mul", "ops.not_bio", "ops.cell_2_right", "ops.day_5_left"})
        CHECK_MESSAGE(failed.count(id), id, " never failed");
}
