// RequestBuilder: handles resolved once with "did you mean" errors, typed sets that
// record errors instead of storing, lists in any order, and decisions equal to JSON's.
#include "cordon/engine/builder.hpp"

#include <stdexcept>

#include "support.hpp"
#include "program/program.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

std::shared_ptr<const PolicySet> fixture_set() {
    static const auto loaded = PolicySet::load(CORDON_SOURCE_DIR "/tests/fixtures/embed/good");
    REQUIRE_MESSAGE(loaded.set, render_all(loaded.diagnostics, *loaded.sources));
    return loaded.set;
}

// The message of the std::invalid_argument that `resolve` throws ("" when none).
template <class F>
std::string rejection(F resolve) {
    try {
        resolve();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

// Decides a finished request the way support.hpp's decide() does a JSON one.
std::string decide_built(const PolicySet& set, Session& s, const char* as_of = "2024-11-18",
                         std::vector<Status> include = {}) {
    s.evaluator.decide(s.request, set.options(s.request, *parse_date(as_of), include), s.decision);
    std::string out;
    set.write_json(s.evaluator, s.request, s.decision, out);
    return out;
}

// Every handle the tests use, resolved once as an embedding program would at start-up.
struct Handles {
    explicit Handles(const RequestBuilder& b)
        : name(b.handle("customer.name")), kind(b.handle("customer.kind")), country(b.handle("customer.country")),
          hq(b.handle("customer.hq_country")), foreign(b.handle("customer.foreign")),
          verified(b.handle("customer.identity_verified")), formed(b.handle("customer.formed")),
          time(b.handle("time")), chip(b.handle("resource.chip")), tpp(b.handle("resource.tpp")),
          count(b.handle("resource.count")), work(b.handle("workload.kind")), granted(b.handle("license.granted")),
          inter(b.list("intermediaries")), inter_name(b.field(inter, "name")),
          inter_country(b.field(inter, "country")), inter_role(b.field(inter, "role")),
          owners(b.list("customer.owners")), owner_name(b.field(owners, "name")),
          owner_country(b.field(owners, "country")), owner_share(b.field(owners, "share")),
          aliases(b.list("customer.aliases")), alias(b.item(aliases)) {}
    AttrHandle name, kind, country, hq, foreign, verified, formed, time, chip, tpp, count, work, granted;
    ListHandle inter;
    ElemHandle inter_name, inter_country, inter_role;
    ListHandle owners;
    ElemHandle owner_name, owner_country, owner_share;
    ListHandle aliases;
    ElemHandle alias;
};

// Fills the customer fields every request has.
void customer(RequestBuilder& b, const Handles& h, const char* country) {
    b.set(h.name, "Example University");
    b.set(h.country, country);
    b.set(h.hq, country);
    b.set(h.foreign, true);
    b.set(h.verified, false);
}

// A builder with every handle resolved, a Request and a Session, over the fixture set.
struct Built {
    std::shared_ptr<const PolicySet> set = fixture_set();
    RequestBuilder b{*set};
    Handles h{b};
    Request r;
    Session s{*set};
};

}  // namespace

TEST_CASE_FIXTURE(Built, "handles resolve root scalars, lists, list fields and scalar list items") {
    CHECK(h.hq.valid());
    CHECK(h.inter.valid());
    CHECK(h.inter_role.valid());
    CHECK(h.alias.valid());
    CHECK_FALSE(AttrHandle{}.valid());
    CHECK_FALSE(ElemHandle{}.valid());
    CHECK(set->checked().attrs.attrs[h.hq.attr].path == "customer.hq_country");
    CHECK(set->checked().attrs.lists[h.owners.list].path == "customer.owners");
}

TEST_CASE_FIXTURE(Built, "unknown or misused paths throw std::invalid_argument naming the path and the nearest") {
    const auto inter = h.inter;
    CHECK(rejection([&] { b.handle("customer.hq_contry"); }) ==
          "unknown attribute `customer.hq_contry`; did you mean `customer.hq_country`?");
    CHECK(rejection([&] { b.handle("zzzzzz.qqqq"); }) == "unknown attribute `zzzzzz.qqqq`");
    CHECK(rejection([&] { b.handle("intermediaries"); }) ==
          "`intermediaries` is a list, not a scalar attribute; use list(\"intermediaries\")");
    CHECK(rejection([&] { b.handle("license"); }) ==
          "`license` is a record, not a scalar attribute; name one of its fields, e.g. `license.granted`");
    CHECK(rejection([&] { b.handle("intermediaries[].role"); }) ==
          "`intermediaries[].role` is inside the list `intermediaries`; use field(list(\"intermediaries\"), \"role\")");
    CHECK(rejection([&] { b.handle("id"); }) == "`id` is an envelope field, not an attribute; use set_id()");
    CHECK(rejection([&] { b.list("intermediary"); }) == "unknown list `intermediary`; did you mean `intermediaries`?");
    CHECK(rejection([&] { b.list("customer.name"); }) ==
          "`customer.name` is a scalar attribute, not a list; use handle(\"customer.name\")");
    CHECK(rejection([&] { b.field(inter, "rol"); }) ==
          "unknown field `intermediaries[].rol` of list `intermediaries`; did you mean `role`?");
    CHECK(rejection([&] { b.field(ListHandle{}, "role"); }) == "field(\"role\"): invalid list handle");
    CHECK(rejection([&] { b.item(inter); }).find("is a list of records") != std::string::npos);
    CHECK(rejection([&] { b.field(b.list("customer.aliases"), "x"); }).find("use item()") != std::string::npos);
}

TEST_CASE("an undeclared `time` points at set_time") {
    const auto l = load_rules("policy t { status in_force rule r { deny when customer.foreign because \"r\" cite \"c\" } }",
                              {{"schema.yaml", "customer: { foreign: bool }\n"}});
    REQUIRE_MESSAGE(l.ok(), l.rendered);
    RequestBuilder b(*l.result.set);
    CHECK(rejection([&] { b.handle("time"); }).find("use set_time()") != std::string::npos);
}

TEST_CASE_FIXTURE(Built, "wrong-typed sets store nothing, return false and record the path and reason") {
    b.begin(r);
    const auto slot = [&](AttrHandle a) { return r.root[set->checked().attrs.attrs[a.attr].slot]; };

    SUBCASE("a string on a number attribute") {
        CHECK_FALSE(b.set(h.tpp, "lots"));
        CHECK_FALSE(slot(h.tpp).present());
        REQUIRE(b.error());
        CHECK(b.error()->path == "resource.tpp");
        CHECK(b.error()->message == "expected a number, got a string (\"lots\")");
    }
    SUBCASE("a number or bool on a string attribute") {
        CHECK_FALSE(b.set(h.chip, 100));
        CHECK_FALSE(b.set(h.chip, true));
        CHECK(b.errors().size() == 2);
        CHECK(b.errors()[0].message == "expected a string, got a number");
        CHECK(b.errors()[1].message == "expected a string, got a boolean");
    }
    SUBCASE("an enum value not declared") {
        CHECK_FALSE(b.set(h.work, "pretraining"));
        CHECK(b.error()->message == "\"pretraining\" is not one of: training, fine_tuning, inference, other");
        CHECK(b.set(h.work, "training"));
    }
    SUBCASE("a bad country code") {
        CHECK_FALSE(b.set(h.hq, "China"));
        CHECK_FALSE(b.set(h.hq, "cn"));
        CHECK(b.error()->message ==
              "expected an ISO 3166-1 alpha-2 country code (two upper-case letters), got \"China\"");
        CHECK(b.set(h.hq, "CN"));
        CHECK(slot(h.hq).tag == Value::Tag::String);
        CHECK(r.text(set->program(), slot(h.hq).s) == "CN");
    }
    SUBCASE("non-finite numbers") {
        CHECK_FALSE(b.set(h.tpp, std::numeric_limits<double>::infinity()));
        CHECK(b.error()->message == "inf is not a finite number");
        CHECK_FALSE(b.set(h.tpp, std::numeric_limits<double>::quiet_NaN()));
    }
    SUBCASE("dates: days, ISO text, and nothing else") {
        CHECK(b.set(h.formed, "2024-03-01"));
        CHECK(slot(h.formed).d == *parse_date("2024-03-01"));
        CHECK_FALSE(b.set(h.formed, "March 2024"));
        CHECK_FALSE(b.set(h.formed, 20240301));
        CHECK_FALSE(b.set_date(h.chip, 1));
        CHECK(b.errors()[2].message == "expected a string, got a date");
    }
    SUBCASE("element fields: wrong type, bad element index, handle of another list") {
        const auto e = b.add_element(h.inter);
        CHECK(e == 0);
        CHECK_FALSE(b.set(h.inter_role, e, "distributor"));
        CHECK(b.error()->path == "intermediaries[0].role");
        CHECK_FALSE(b.set(h.inter_country, 3, "CN"));
        CHECK(b.errors()[1].path == "intermediaries[3].country");
        CHECK(b.errors()[1].message == "no element 3 (the list has 1; add_element() first)");
        CHECK_FALSE(b.set(h.owner_share, 0, 0.5));  // customer.owners has no element yet
        CHECK(b.errors()[2].path == "customer.owners[0].share");
        CHECK_FALSE(b.set(ElemHandle{h.inter.list, h.owner_share.attr}, e, 0.5));
        CHECK(b.errors()[3].message == "not a handle of this policy set's list fields");
    }
    SUBCASE("invalid handles") {
        CHECK_FALSE(b.set(AttrHandle{}, 1.0));
        CHECK_FALSE(b.set(AttrHandle{1 << 20}, 1.0));
        CHECK(b.add_element(ListHandle{}) == -1);
        CHECK(b.errors().size() == 3);
        CHECK(b.error()->path == "<invalid handle>");
    }
    CHECK_FALSE(b.finish());
    b.begin(r);  // a new request forgets the old errors
    CHECK_FALSE(b.error());
    CHECK(b.finish());
}

TEST_CASE_FIXTURE(Built, "setting before begin() is an error, not undefined behaviour") {
    CHECK_FALSE(b.set(h.hq, "CN"));
    CHECK(b.error()->message == "no request to set: call begin() first");
    CHECK_FALSE(b.finish());
}

TEST_CASE_FIXTURE(Built, "lists of 0, 1 and many elements, added in any order") {
    b.begin(r);
    customer(b, h, "DE");
    // interleave the two record lists; leave the scalar list empty
    const auto o0 = b.add_element(h.owners);
    const auto i0 = b.add_element(h.inter);
    const auto o1 = b.add_element(h.owners);
    const auto o2 = b.add_element(h.owners);
    CHECK(b.set(h.owner_country, o2, "FR"));
    CHECK(b.set(h.inter_country, i0, "MO"));
    CHECK(b.set(h.owner_country, o0, "CN"));
    CHECK(b.set(h.owner_share, o1, 1));
    CHECK(b.set(h.owner_country, o1, "US"));
    REQUIRE(b.finish());

    const auto& ix = set->checked().attrs;
    const auto span = [&](ListHandle l) { return r.lists[l.list]; };
    CHECK(span(h.aliases).count == 0);
    CHECK(span(h.inter).count == 1);
    CHECK(span(h.owners).count == 3);
    const auto stride = set->program().lists[h.owners.list].stride;
    const auto owner_country = [&](int i) {
        const auto v = r.elems[span(h.owners).begin + i * stride + ix.attrs[h.owner_country.attr].slot];
        return std::string(r.text(set->program(), v.s));
    };
    CHECK(owner_country(0) == "CN");
    CHECK(owner_country(1) == "US");
    CHECK(owner_country(2) == "FR");
    const auto inter_country = r.elems[span(h.inter).begin + ix.attrs[h.inter_country.attr].slot];
    CHECK(r.text(set->program(), inter_country.s) == "MO");
    // the unset field of an element is absent
    CHECK_FALSE(r.elems[span(h.inter).begin + ix.attrs[h.inter_role.attr].slot].present());

    SUBCASE("begin() empties every list") {
        b.begin(r);
        CHECK(b.finish());
        CHECK(r.lists[h.owners.list].count == 0);
        CHECK(r.elems.empty());
    }
}

TEST_CASE_FIXTURE(Built, "a built request decides exactly as the same request decoded from JSON") {

    SUBCASE("no lists, a field the policies never mention, an absent optional") {
        b.begin(s.request);
        b.set_id("req-1");
        customer(b, h, "CN");
        b.set(h.chip, "H100-SXM");
        b.set(h.tpp, 15832);
        b.set(h.granted, false);
        REQUIRE(b.finish());
        CHECK(decide_built(*set, s) ==
              decide(*set, R"({"id": "req-1", "customer": {"name": "Example University", "country": "CN",
                  "hq_country": "CN", "foreign": true, "identity_verified": false},
                  "resource": {"chip": "H100-SXM", "tpp": 15832}, "license": {"granted": false}})").json);
    }
    SUBCASE("one and many elements, a scalar list, time and statuses") {
        b.begin(s.request);
        customer(b, h, "SG");
        b.set(h.kind, "company");
        b.set_date(h.formed, *parse_date("2024-05-02"));
        b.set(h.work, "training");
        b.set(h.tpp, 5000.5);
        b.set(h.chip, "X");
        b.set_time(*parse_date("2025-01-02"));
        const auto a = b.add_element(h.aliases);
        b.set(h.alias, a, "Shady Corp");
        const auto i = b.add_element(h.inter);
        b.set(h.inter_name, i, "Yunda");
        b.set(h.inter_country, i, "CN");
        b.set(h.inter_role, i, "reseller");
        for (const auto& [country, share] : {std::pair{"CN", 0.3}, {"MO", 0.25}, {"US", 0.45}}) {
            const auto o = b.add_element(h.owners);
            b.set(h.owner_name, o, "Holding");
            b.set(h.owner_country, o, country);
            b.set(h.owner_share, o, share);
        }
        REQUIRE(b.finish());
        CHECK(s.request.time == *parse_date("2025-01-02"));
        const auto json = R"({"time": "2025-01-02", "customer": {"name": "Example University", "kind": "company",
            "country": "SG", "hq_country": "SG", "foreign": true, "identity_verified": false,
            "formed": "2024-05-02", "aliases": ["Shady Corp"], "owners": [{"name": "Holding", "country": "CN",
            "share": 0.3}, {"name": "Holding", "country": "MO", "share": 0.25}, {"name": "Holding",
            "country": "US", "share": 0.45}]}, "intermediaries": [{"name": "Yunda", "country": "CN",
            "role": "reseller"}], "resource": {"chip": "X", "tpp": 5000.5}, "workload": {"kind": "training"}})";
        const auto built = decide_built(*set, s, "2024-11-18", {Status::Proposed});
        const auto decoded = decide(*set, json, "2024-11-18", {Status::Proposed});
        CHECK(built == decoded.json);
        CHECK(decoded.fired == Ids{"embed.proposed.unverified_foreign", "embed.rules.alias_flag",
                                   "embed.rules.d5_intermediary", "embed.rules.d5_owned", "embed.rules.new_company"});
        CHECK(built.find("\"as_of\":\"2025-01-02\"") != std::string::npos);
    }
    SUBCASE("reusing the builder and request: values of the last request are gone") {
        b.begin(s.request);
        customer(b, h, "CN");
        b.set(h.tpp, 15832);
        b.set(h.granted, false);
        b.add_element(h.inter);
        REQUIRE(b.finish());
        b.begin(s.request);
        customer(b, h, "DE");
        REQUIRE(b.finish());
        CHECK(decide_built(*set, s) ==
              decide(*set, R"({"customer": {"name": "Example University", "country": "DE", "hq_country": "DE",
                  "foreign": true, "identity_verified": false}})").json);
    }
    SUBCASE("clear() makes an attribute absent again; the declared time mirrors request.time") {
        b.begin(s.request);
        b.set_date(h.time, 100);
        CHECK(s.request.time == 100);
        CHECK(b.clear(h.time));
        CHECK_FALSE(s.request.time);
        CHECK(b.finish());
    }
}
