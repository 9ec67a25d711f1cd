// Node's typed accessors (engine/src/program/program.hpp): what each reads, per operator,
// checked against the schema the program was compiled from.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "support.hpp"
#include "program/program.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

// Every attribute read names an attribute whose slot it reads, at the root or in an element
// as its operator says; every quantifier's list and variable are in range, and an element
// field tested in its body belongs to that list. Returns the operators seen.
std::set<NodeOp> check_program(const PolicySet& set) {
    const Program& p = set.program();
    const auto& attrs = set.checked().attrs;
    std::set<NodeOp> seen;
    for (std::size_t i = 0; i < p.nodes.size(); ++i) {
        const Node& n = p.nodes[i];
        seen.insert(n.op);
        CAPTURE(i);
        CAPTURE(node_op_name(n.op));
        if (Node::reads_attribute(n.op)) {
            REQUIRE(n.attribute() < attrs.attrs.size());
            const Attribute& a = attrs.attrs[n.attribute()];
            CHECK(a.slot == n.slot());
            CHECK((a.list >= 0) == Node::reads_element(n.op));
            if (Node::reads_element(n.op)) CHECK(n.variable() < p.variable_slots);
        }
        if (Node::binds(n.op)) {
            REQUIRE(n.list() < static_cast<std::int32_t>(attrs.lists.size()));
            CHECK(n.variable() < p.variable_slots);
            const Node& body = p.nodes[p.kid(n, 0)];
            if (body.op == NodeOp::ElemInSet && body.variable() == n.variable())
                CHECK(attrs.attrs[body.attribute()].list == n.list());
        }
        if (n.op == NodeOp::AttrCmpNum) CHECK(n.comparison() >= NodeOp::Eq);
        if (n.op == NodeOp::AttrEqStr || n.op == NodeOp::ElemEqStr) CHECK(n.string_id() < p.strings.size());
        if (n.op == NodeOp::InSet) CHECK(n.set() < p.set_words.size());
        if (n.op == NodeOp::AttrInSet || n.op == NodeOp::ElemInSet) CHECK(n.fused_set() < p.set_words.size());
        if (n.op == NodeOp::LetRef) CHECK(n.let() < static_cast<std::int32_t>(p.lets.size()));
        if (n.op == NodeOp::Lookup) CHECK(n.column() < p.tables[static_cast<std::size_t>(n.table())].columns);
        CHECK(p.kids_of(n).size() == n.kid_count());
    }
    return seen;
}

}  // namespace

TEST_CASE("Node accessors read what each operator holds (policies/us and a set of every read)") {
    auto us = PolicySet::load(CORDON_SOURCE_DIR "/policies/us");
    REQUIRE(us.set);
    std::set<NodeOp> seen = check_program(*us.set);
    auto l = load_rules(std::string("policy t {\n  status in_force\n  use sets from \"data/groups.yaml\"\n") + R"(
  rule a { deny when any p in intermediaries: p.country in D5 because "a" cite "c" }
  rule b { report when all p in intermediaries: p.role == "reseller" because "b" cite "c" }
  rule c { report when any o in customer.owners: any p in intermediaries: o.country == p.country because "c" cite "c" }
  rule d { deny when customer.hq_country in D5 and customer.country == "CN" because "d" cite "c" }
  rule e { report when resource.tpp >= 4800 and sum(o in customer.owners where o.country in D5: o.share) > 0.25
           because "e" cite "c" }
  rule f { report when customer.hq_country == customer.country because "f" cite "c" }
}
)");
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    for (const NodeOp op : check_program(*l.result.set)) seen.insert(op);
    for (const NodeOp op : {NodeOp::Attr, NodeOp::Elem, NodeOp::AttrInSet, NodeOp::ElemInSet, NodeOp::AttrCmpNum,
                            NodeOp::AttrEqStr, NodeOp::ElemEqStr, NodeOp::Any, NodeOp::All, NodeOp::Sum, NodeOp::LetRef})
        CHECK_MESSAGE(seen.count(op) == 1, node_op_name(op));
}
