// Native code (engine/include/cordon/engine/native.hpp) never changes a decision: the
// evaluator running a set's plans as compiled C++ decides every request as the reference
// (every rule's tree, walked) does. The objects are built here with the compiler that
// built the tests, into a temporary directory.
#include <algorithm>
#include <fmt/format.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>

#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "agreement.hpp"
#include "cordon/dsl/check.hpp"
#include "cordon/engine/native.hpp"
#include "support.hpp"
#include "synthetic.hpp"
#include "program/program.hpp"

using namespace cordon;
using namespace cordon::test;

namespace {

// Builds and loads native code for `set` (fails the test when either fails).
std::unique_ptr<NativeCode> build_native(const PolicySet& set, const NativeDir& dir, const std::string& name) {
    std::string error;
    const bool built = NativeCode::build(set.program(), dir.so(name), CORDON_NATIVE_CXX, error);
    REQUIRE_MESSAGE(built, error);
    auto code = NativeCode::load(dir.so(name), set.program(), error);
    REQUIRE_MESSAGE(code, error);
    return code;
}

// The set decided by native code and by the reference, request after request.
struct NativeAgreement {
    NativeAgreement(const PolicySet& set, const NativeCode& code) : set(set), session(set), ref(set.program()) {
        session.evaluator.set_native(&code);
    }
    void check(const std::string& request, std::int32_t as_of = 20000, const std::vector<Status>& include = {}) {
        decide_both(set, session, ref, request, as_of, include, last);
    }
    const PolicySet& set;
    Session session;
    Reference ref;
    Decision last;
};

}  // namespace

TEST_CASE("native code decides the shipped US policy set as the trees do") {
    auto loaded = PolicySet::load(CORDON_SOURCE_DIR "/policies/us");
    REQUIRE(loaded.set);
    NativeDir dir;
    const auto code = build_native(*loaded.set, dir, "us");
    NativeAgreement both(*loaded.set, *code);
    std::mt19937 rng(17);
    const std::vector<Status> everything = {Status::Proposed, Status::Bill, Status::Rescinded, Status::Draft};
    int denied = 0, errors = 0;
    for (int i = 0; i < 4000; ++i) {
        const auto text = random_request(rng);
        for (int as_of : {19000, 20000, 20500}) {
            both.check(text, as_of, i % 2 ? everything : std::vector<Status>{});
            denied += both.session.decision.verdict == Verdict::Deny;
            errors += !both.session.decision.errors.empty();
        }
    }
    // The requests reach both outcomes and failing rules, so the comparison means something.
    CHECK(denied > 1000);
    CHECK(errors > 100);
}

TEST_CASE("native code computes every operator as the tree walk does, errors included") {
    // One rule per operator the compiler keeps: arithmetic (division by zero, overflow to
    // infinity), negation, `if`, table look-ups (missing key, missing cell), `in` a table,
    // a list of strings, text ordering, dates, and every quantifier.
    const std::string schema = std::string(kSchema) + "tags: [string]\n";
    auto l = load_rules(R"(
policy ops {
  status in_force
  use sets from "data/groups.yaml"
  use table chips from "data/chips.yaml"
  rule arith { deny when resource.count / (resource.tpp - 1000) > 2 because "a" cite "c" }
  rule overflow { report when resource.count * 1e305 > 1e307 because "b" cite "c" }
  rule negate { report when -resource.tpp < -30000 or -resource.performance_density >= -1 because "c" cite "c" }
  rule choose { deny when (if has resource.tpp then resource.tpp else chips[resource.chip].tpp) >= 4000 because "d" cite "c" }
  rule cell { report when chips[resource.chip].class == "3A090.a" because "e" cite "c" }
  rule listed { report when resource.chip in chips and not customer.foreign because "f" cite "c" }
  rule tagged { report when "gov" in tags or customer.country in tags because "g" cite "c" }
  rule ordered { report when customer.name < "M" and customer.name >= resource.chip because "h" cite "c" }
  rule dated { deny when time >= 2025-01-01 and time < 2026-01-01 and customer.country in D5 because "i" cite "c" }
  rule brokers { report when count(p in intermediaries: p.role == "broker") >= 2 because "j" cite "c" }
  rule owned { deny when sum(o in customer.owners where o.country in D5: o.share) > 0.5 because "k" cite "c" }
  rule all_d1 { report when all p in intermediaries: p.country in D1 because "l" cite "c" }
  rule nested { report when any p in intermediaries: (any q in intermediaries: q.country == p.country and q.role != p.role) because "m" cite "c" }
  rule flags { deny when customer.identity_verified != customer.foreign unless license.granted because "n" cite "c" }
  rule string_ne { report when customer.country != customer.hq_country and workload.kind == "training" because "o" cite "c" }
}
)", {{"schema.yaml", schema}});
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    NativeDir dir;
    const auto code = build_native(set, dir, "ops");
    NativeAgreement both(set, *code);
    std::mt19937 rng(23);
    static const char* countries[] = {"CN", "RU", "VN", "DE", "US", "MO"};
    static const char* chips[] = {"H100-SXM", "A30", "H20", "Z9"};
    static const char* names[] = {"Alpha", "Mu", "Zeta", "A30", "H20x"};
    static const char* roles[] = {"reseller", "broker", "subsidiary"};
    static const char* tags[] = {"gov", "CN", "x"};
    auto pick = [&](const auto& arr) { return arr[rng() % (sizeof(arr) / sizeof(arr[0]))]; };
    std::set<std::string> fired;
    for (int i = 0; i < 6000; ++i) {
        std::string r = std::string(R"({"customer": {"name": ")") + pick(names) + R"(", "country": ")" + pick(countries) +
                        R"(", "hq_country": ")" + pick(countries) + R"(", "foreign": )" + (rng() % 2 ? "true" : "false") +
                        R"(, "identity_verified": )" + (rng() % 2 ? "true" : "false") + R"(, "owners": [)";
        for (int k = 0, n = static_cast<int>(rng() % 3); k < n; ++k)
            r += std::string(k ? ", " : "") + R"({"name": "O", "country": ")" + pick(countries) +
                 R"(", "share": )" + std::to_string((rng() % 10) / 10.0) + "}";
        r += R"(]}, "intermediaries": [)";
        for (int k = 0, n = static_cast<int>(rng() % 4); k < n; ++k)
            r += std::string(k ? ", " : "") + R"({"name": "I", "country": ")" + pick(countries) + R"(", "role": ")" +
                 pick(roles) + "\"}";
        r += R"(], "resource": {"chip": ")" + std::string(pick(chips)) + "\"";
        if (rng() % 3) r += ", \"tpp\": " + std::to_string(rng() % 3 ? rng() % 40000 : 1000);
        if (rng() % 3) r += ", \"count\": " + std::to_string(rng() % 5000);
        if (rng() % 2) r += ", \"performance_density\": " + std::to_string((rng() % 40) / 10.0);
        r += R"(}, "workload": {"kind": ")" + std::string(rng() % 2 ? "training" : "inference") + "\"}";
        if (rng() % 4) r += std::string(R"(, "license": {"granted": )") + (rng() % 2 ? "true" : "false") + "}";
        r += ", \"tags\": [";
        for (int k = 0, n = static_cast<int>(rng() % 3); k < n; ++k) r += std::string(k ? ", \"" : "\"") + pick(tags) + "\"";
        r += "]";
        if (rng() % 2) r += std::string(", \"time\": \"") + (rng() % 2 ? "2025-06-01" : "2026-06-01") + "\"";
        both.check(r + "}");
        for (auto f : both.session.decision.fired) fired.insert(set.checked().rules[f].id);
        for (const auto& e : both.session.decision.errors) fired.insert(set.checked().rules[e.rule].id + "!");
    }
    // Every rule fired on some request, and every rule that can fail did.
    for (const char* id : {"ops.arith", "ops.overflow", "ops.negate", "ops.choose", "ops.cell", "ops.listed", "ops.tagged",
                           "ops.ordered", "ops.dated", "ops.brokers", "ops.owned", "ops.all_d1", "ops.nested", "ops.flags",
                           "ops.string_ne"})
        CHECK_MESSAGE(fired.count(id), std::string(id) << " never fired");
    for (const char* id : {"ops.arith!", "ops.overflow!", "ops.choose!", "ops.cell!", "ops.negate!"})
        CHECK_MESSAGE(fired.count(id), std::string(id) << " never failed");
}

TEST_CASE("native code decides a synthetic 1,000-rule set (indexes, twins, guards) as the trees do") {
    NativeDir dir;
    const std::string rules_dir = (dir.path / "synthetic").string();
    cordon::bench::write_synthetic_policy_set(rules_dir, 1000);
    auto loaded = PolicySet::load(rules_dir);
    REQUIRE(loaded.set);
    const auto code = build_native(*loaded.set, dir, "synthetic");
    NativeAgreement both(*loaded.set, *code);
    std::size_t fired = 0;
    for (const auto& line : cordon::bench::generate_requests(3000, 42)) {
        both.check(line);
        fired += both.session.decision.fired.size();
    }
    CHECK(fired > 300);
}

TEST_CASE("native code decides threshold families and list keys as the trees do") {
    // Two reporting tiers (a family led by 1e23) and an ownership pair over one sum (led by
    // 0.2), each member with its own `unless`; the ownership and intermediary tests are also
    // index keys ("some owner, some intermediary in D5").
    auto l = load_rules(R"(
policy f {
  status in_force
  use sets from "data/groups.yaml"
  rule low { report when customer.foreign and workload.training_ops >= 1e23 because "low" cite "c" }
  rule high { deny when customer.foreign and workload.training_ops >= 1e26 unless license.granted because "high" cite "c" }
  rule fifth { report when customer.country == "SG" and sum(o in customer.owners where o.country in D5: o.share) >= 0.2 because "o" cite "c" }
  rule most { deny when customer.country == "SG" and sum(o in customer.owners where o.country in D5: o.share) >= 0.5
              unless license.granted because "m" cite "c" }
  rule via { deny when customer.country == "SG" and any p in intermediaries: p.country in D5 because "v" cite "c" }
}
)");
    INFO(l.rendered);
    REQUIRE(l.ok());
    const auto& set = *l.result.set;
    CHECK(std::count_if(set.program().rules.begin(), set.program().rules.end(), [](const auto& r) { return r.family_of >= 0; }) == 2);
    NativeDir dir;
    const auto code = build_native(set, dir, "families");
    NativeAgreement both(set, *code);
    std::mt19937 rng(23);
    static const char* where[] = {"SG", "CN", "US"};
    std::size_t fired = 0;
    for (int i = 0; i < 3000; ++i) {
        auto country = [&](bool sometimes_absent) {
            if (sometimes_absent && rng() % 6 == 0) return std::string();
            return std::string(R"(, "country": ")") + where[rng() % 3] + "\"";
        };
        std::string r = R"({"customer": {"name": "C", "hq_country": "SG")" + country(false);
        if (rng() % 4) r += std::string(R"(, "foreign": )") + (rng() % 2 ? "true" : "false");
        r += R"(, "owners": [)";
        for (unsigned k = 0, n = rng() % 3; k < n; ++k)
            r += std::string(k ? "," : "") + R"({"name": "O", "share": 0.)" + std::to_string(rng() % 10) + country(true) + "}";
        r += R"(]}, "intermediaries": [)";
        for (unsigned k = 0, n = rng() % 3; k < n; ++k)
            r += std::string(k ? "," : "") + R"({"name": "I", "role": "agent")" + country(true) + "}";
        r += "]";
        if (rng() % 4) r += R"(, "workload": {"kind": "training", "training_ops": 1e2)" + std::to_string(2 + rng() % 6) + "}";
        if (rng() % 2) r += std::string(R"(, "license": {"granted": )") + (rng() % 2 ? "true" : "false") + "}";
        both.check(r + "}");
        fired += both.session.decision.fired.size();
    }
    CHECK(fired > 300);
}

TEST_CASE("native code made from another policy set, or not native code at all, is refused (and loads with standard input closed)") {
    auto a = load_rules(R"(policy a { status in_force rule r { deny when resource.tpp >= 4800 because "a" cite "c" } })");
    auto b = load_rules(R"(policy a { status in_force rule r { deny when resource.tpp >= 4801 because "a" cite "c" } })");
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    NativeDir dir;
    std::string error;
    REQUIRE(NativeCode::build(a.result.set->program(), dir.so("a"), CORDON_NATIVE_CXX, error));
    CHECK(NativeCode::load(dir.so("a"), a.result.set->program(), error));
    {
        // A server may run with standard input closed: the object is then opened as
        // descriptor 0, a valid one (found by mutation: `fd <= 0` taken for a failure). The
        // private copy it is loaded from is removed: no load leaves a file in TMPDIR.
        const auto tmp = dir.path / "tmp";
        std::filesystem::create_directories(tmp);
        const char* old_tmp = std::getenv("TMPDIR");
        const std::string restore = old_tmp ? old_tmp : "";
        const int saved = ::dup(0);
        ::close(0);
        // The same for a build, which reads back the object it wrote for its digest
        // (found by mutation, session 19: `fd > 0` there passed every test). It runs before
        // TMPDIR is set: the compiler's own temporary files are not the loader's.
        std::string build_error;
        const bool built = NativeCode::build(a.result.set->program(), dir.so("closed"), CORDON_NATIVE_CXX, build_error);
        ::setenv("TMPDIR", tmp.c_str(), 1);
        auto code = NativeCode::load(dir.so("a"), a.result.set->program(), error);
        // Neither leaves descriptor 0 open behind it (a build that closed only descriptors
        // above 0 passed every test: session 19's review).
        const bool zero_free = ::fcntl(0, F_GETFD) == -1;
        if (saved >= 0) {
            ::dup2(saved, 0);
            ::close(saved);
        }
        CHECK_MESSAGE(code, error);
        CHECK_MESSAGE(built, build_error);
        CHECK(zero_free);
        CHECK_MESSAGE(NativeCode::load(dir.so("closed"), a.result.set->program(), error), error);
        CHECK(std::filesystem::is_empty(tmp));
        // No private copy can be made (TMPDIR names no directory): refused, and said why.
        ::setenv("TMPDIR", (tmp / "missing").c_str(), 1);
        CHECK_FALSE(NativeCode::load(dir.so("a"), a.result.set->program(), error));
        CHECK(error.find("cannot write a private copy") != std::string::npos);
        if (old_tmp) ::setenv("TMPDIR", restore.c_str(), 1);
        else ::unsetenv("TMPDIR");
    }
    // One constant differs: the fingerprint does, and the stale object is not run.
    CHECK_FALSE(NativeCode::load(dir.so("a"), b.result.set->program(), error));
    CHECK(error.find("different policy set") != std::string::npos);
    CHECK(error.find("cordon native") != std::string::npos);

    CHECK_FALSE(NativeCode::load(dir.so("missing"), a.result.set->program(), error));
    CHECK(error.find("cannot load native code") != std::string::npos);
    // A file `cordon native` did not write has no digest beside it: refused before dlopen.
    std::ofstream(dir.so("text")) << "not an object\n";
    CHECK_FALSE(NativeCode::load(dir.so("text"), a.result.set->program(), error));
    CHECK(error.find("has no digest beside it") != std::string::npos);

    // A source that cannot be written (its directory does not exist) is a failure, said
    // (found by mutation, session 18: a build that reported success then passed).
    CHECK_FALSE(NativeCode::build(a.result.set->program(), (dir.path / "missing" / "x.so").string(), CORDON_NATIVE_CXX, error));
    CHECK(error.find("cannot write") != std::string::npos);
    // A compiler that fails: its exit status and output are in the error.
    CHECK_FALSE(NativeCode::build(a.result.set->program(), dir.so("bad"), "false", error));
    CHECK(error.find("failed") != std::string::npos);
}

TEST_CASE("a native object lacking any one of the four cordon_native_* symbols is refused, not run") {
    // An object with a valid digest beside it (sha256 and fingerprint, as `cordon native`
    // writes) but one symbol missing: loading it would call through a null table. Each of
    // the four is required on its own (found by mutation, session 16: `!rules || !plans`
    // made `!rules && !plans` passed every test).
    auto a = load_rules(R"(policy a { status in_force rule r { deny when resource.tpp >= 4800 because "a" cite "c" } })");
    REQUIRE(a.ok());
    NativeDir dir;
    std::string error;
    REQUIRE(NativeCode::build(a.result.set->program(), dir.so("real"), CORDON_NATIVE_CXX, error));
    std::ifstream real_digest(dir.so("real") + ".sha256");
    std::string sha, fingerprint;
    real_digest >> sha >> fingerprint;
    REQUIRE(fingerprint.size() == 16);
    // An object of the given symbols (`missing` left out), with a digest that names the
    // set's own fingerprint, as a forger would write it.
    auto forge = [&](const std::string& name, const std::string& missing, const std::string& own_fingerprint, int rules) {
        const std::string source = (dir.path / (name + ".cpp")).string();
        {
            std::ofstream out(source);
            out << "#include <cstdint>\nextern \"C\" {\n";
            if (missing != "fingerprint") out << "extern const char cordon_native_fingerprint[] = \"" << own_fingerprint << "\";\n";
            if (missing != "rules") out << "extern const std::uint32_t cordon_native_rules = " << rules << ";\n";
            if (missing != "plans") out << "extern const void* const cordon_native_plans[] = {nullptr, nullptr, nullptr};\n";
            if (missing != "unless") out << "extern const void* const cordon_native_unless[] = {nullptr, nullptr, nullptr};\n";
            out << "}\n";
        }
        const std::string command = std::string(CORDON_NATIVE_CXX) + " -shared -fPIC -o " + dir.so(name) + " " + source;
        REQUIRE(std::system(command.c_str()) == 0);
        std::ifstream in(dir.so(name), std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::ofstream(dir.so(name) + ".sha256") << sha256_hex(bytes) << " " << fingerprint << "\n";
        return dir.so(name);
    };
    for (const char* missing : {"fingerprint", "rules", "plans", "unless"}) {
        INFO("without cordon_native_" << missing);
        CHECK_FALSE(NativeCode::load(forge(std::string("no_") + missing, missing, fingerprint, 1), a.result.set->program(), error));
        CHECK(error.find("is not cordon native code") != std::string::npos);
    }
    // Every symbol there, but the object's own fingerprint, or its count of rules, is
    // another set's: each is refused on its own (found by mutation, session 19: the two
    // tests joined by `&&` passed, the digest's fingerprint being checked first).
    std::string other = fingerprint;
    other.back() = other.back() == '0' ? '1' : '0';
    CHECK_FALSE(NativeCode::load(forge("other_fingerprint", "", other, 1), a.result.set->program(), error));
    CHECK(error.find("different policy set") != std::string::npos);
    CHECK_FALSE(NativeCode::load(forge("two_rules", "", fingerprint, 2), a.result.set->program(), error));
    CHECK(error.find("different policy set") != std::string::npos);
    // The same object with the right count loads (its plans are never run here).
    CHECK_MESSAGE(NativeCode::load(forge("alike", "", fingerprint, 1), a.result.set->program(), error), error);
}

TEST_CASE("a native object that is not a regular file (a FIFO named like one) is refused, its digest unread") {
    // A FIFO has no bytes to check: reading it as an empty object would go on to the digest
    // (and with a digest beside it, to a misleading "different policy set"). Found by mutation.
    auto a = load_rules(R"(policy a { status in_force rule r { deny when resource.tpp >= 4800 because "a" cite "c" } })");
    REQUIRE(a.ok());
    NativeDir dir;
    REQUIRE(::mkfifo(dir.so("fifo").c_str(), 0600) == 0);
    std::ofstream(dir.so("fifo") + ".sha256") << std::string(64, '0') << " 0123456789abcdef\n";
    std::string error;
    CHECK_FALSE(NativeCode::load(dir.so("fifo"), a.result.set->program(), error));
    CHECK(error.find("not a regular file") != std::string::npos);
    // A character device reads as empty, and could pass as an empty object were only its
    // size tested (found by mutation, session 19: `||` made `&&` before S_ISREG passed): a
    // link to /dev/null with the digest of no bytes beside it is refused the same way.
    std::filesystem::create_symlink("/dev/null", dir.so("device"));
    std::ofstream(dir.so("device") + ".sha256") << sha256_hex("") << " 0123456789abcdef\n";
    CHECK_FALSE(NativeCode::load(dir.so("device"), a.result.set->program(), error));
    CHECK(error.find("not a regular file") != std::string::npos);
}

TEST_CASE("a digest file whose line is longer than any digest is no digest at all") {
    // `<so>.sha256` holds "SHA256 FINGERPRINT" (81 characters); a line of hundreds is not one,
    // whatever it starts with, and is reported as a missing digest. Found by mutation.
    auto a = load_rules(R"(policy a { status in_force rule r { deny when resource.tpp >= 4800 because "a" cite "c" } })");
    REQUIRE(a.ok());
    NativeDir dir;
    std::ofstream(dir.so("long")) << "not an object\n";
    std::ofstream(dir.so("long") + ".sha256") << std::string(300, 'f') << "\n";
    std::string error;
    CHECK_FALSE(NativeCode::load(dir.so("long"), a.result.set->program(), error));
    CHECK(error.find("has no digest beside it") != std::string::npos);
    // A line cut after the sha256 and its space has no fingerprint to compare: it is a
    // digest that does not match, not one "made from a different policy set" (found by
    // mutation, session 16: the length test `> 66` made `>= 66`).
    std::ofstream(dir.so("long") + ".sha256") << std::string(64, 'f') << " \n";
    CHECK_FALSE(NativeCode::load(dir.so("long"), a.result.set->program(), error));
    CHECK(error.find("is not the object `cordon native` wrote") != std::string::npos);
    CHECK(error.find("different policy set") == std::string::npos);
}

TEST_CASE("native code applies an `unless` that is the program's first node (a let of one attribute)") {
    // The let is compiled first and its body is one attribute, so `unless licensed` plans as
    // node 0: native code must still attach it (an index >= 0, not > 0). Found by mutation.
    auto loaded = load_rules(R"rules(
policy export_3a090 {
  status in_force
  let licensed = license.granted
  rule unlicensed { deny when resource.tpp >= 4800 unless licensed because "3A090 without a license" cite "15 CFR 742.6(a)(6)" }
}
)rules");
    REQUIRE(loaded.ok());
    NativeDir dir;
    const auto code = build_native(*loaded.result.set, dir, "unless0");
    NativeAgreement both(*loaded.result.set, *code);
    const std::string request = R"({"customer": {"name": "C", "country": "SG", "hq_country": "SG", "foreign": false,
        "identity_verified": true, "owners": []}, "intermediaries": [], "resource": {"chip": "H100-SXM", "tpp": 15832},
        "workload": {"kind": "training"}, "license": {"granted": )";
    both.check(request + "true}}");
    CHECK(both.session.decision.verdict == Verdict::Allow);
    both.check(request + "false}}");
    CHECK(both.session.decision.verdict == Verdict::Deny);
}

TEST_CASE("native code runs the program it is given: every pass off, and a stale all-passes object refused") {
    // The same rules compiled with every pass off (no folding, fusing, sharing, plans as
    // written, no twins, families or index): native code made from that program decides as
    // its trees do; code made from the all-passes program is another program's, refused.
    TempPolicySet tmp(std::map<std::string, std::string>{{"rules.cordon", R"(
policy f {
  status in_force
  use sets from "data/groups.yaml"
  let limit = 2000 * 2 + 800
  rule low { report when customer.country in D5 or customer.country == "MO" and resource.tpp >= limit because "low" cite "c" }
  rule high { deny when customer.country in D5 or customer.country == "MO" and resource.tpp >= 9000 unless license.granted because "high" cite "c" }
  rule twin { report when customer.country in D5 or customer.country == "MO" and resource.tpp >= limit because "twin" cite "d" }
  rule flag { report when true and (has customer.foreign and customer.foreign) and (any p in intermediaries: p.country in D1) because "f" cite "c" }
}
)"}});
    auto on = PolicySet::load(tmp.dir());
    auto off = PolicySet::load(tmp.dir(), CompileOptions::all_off());
    REQUIRE(on.set);
    REQUIRE(off.set);
    NativeDir dir;
    const auto all_passes = build_native(*on.set, dir, "on");
    std::string error;
    CHECK(!NativeCode::load(dir.so("on"), off.set->program(), error));
    CHECK(error.find("different policy set") != std::string::npos);
    const auto code = build_native(*off.set, dir, "off");
    NativeAgreement both(*off.set, *code);
    Session plain(*on.set);
    std::mt19937 rng(29);
    static const char* countries[] = {"CN", "MO", "RU", "VN", "DE"};
    std::size_t fired = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string r = std::string(R"({"customer": {"name": "N", "country": ")") + countries[rng() % 5] + "\"";
        if (rng() % 3) r += std::string(R"(, "foreign": )") + (rng() % 2 ? "true" : "false");
        r += R"(}, "intermediaries": [)";
        if (rng() % 2) r += std::string(R"({"name": "I", "country": ")") + countries[rng() % 5] + R"(", "role": "agent"})";
        r += "], \"resource\": {\"chip\": \"A30\"";
        if (rng() % 4) r += ", \"tpp\": " + std::to_string(rng() % 12000);
        r += "}";
        if (rng() % 2) r += std::string(R"(, "license": {"granted": )") + (rng() % 2 ? "true" : "false") + "}";
        r += "}";
        both.check(r);
        fired += both.session.decision.fired.size();
        // And as the all-passes interpreter decides.
        REQUIRE(!plain.decoder.decode_json(r, plain.request));
        plain.evaluator.decide(plain.request, on.set->options(plain.request, 20000), plain.decision);
        check_same(both.session.decision, plain.decision);
    }
    CHECK(fired > 500);
}

TEST_CASE("native code: a request's own string one word past every set's last is in no set (the next set's bits are not read)") {
    // Every set has as many words as the program has strings; a request's own strings have
    // ids past them. One of those ids falls in the word after a set's last, where the next
    // set's first word lies: native code must not read it (found by mutation, session 18:
    // `(s >> 6) < words` made `<=` passed every test). The name is chosen so that its bit
    // there is the one `training` has in the next set.
    auto loaded = load_rules(R"rules(
policy p {
  status in_force
  rule named { deny when any o in customer.owners: o.name in {"Nobody", "Noone"} because "named" cite "c" }
  rule trains { report when workload.kind in {"training", "fine_tuning"} because "trains" cite "c" }
}
)rules");
    REQUIRE_MESSAGE(loaded.ok(), loaded.rendered);
    const PolicySet& set = *loaded.result.set;
    const Program& p = set.program();
    auto id_of = [&](const std::string& s) {
        const auto at = std::find(p.strings.begin(), p.strings.end(), s);
        REQUIRE(at != p.strings.end());
        return static_cast<std::uint32_t>(at - p.strings.begin());
    };
    auto set_with = [&](std::uint32_t id) {
        for (std::uint32_t k = 0; k < p.set_offset.size(); ++k)
            if ((p.set_bitset(k, 0)[id >> 6] >> (id & 63)) & 1) return k;
        FAIL("no set holds string " << id);
        return 0u;
    };
    const std::uint32_t names = set_with(id_of("Nobody")), kinds = set_with(id_of("training"));
    REQUIRE(p.set_windows() == 1);
    REQUIRE(p.set_offset[kinds] == p.set_offset[names] + p.set_words[names]);  // the next set's words
    const std::uint32_t training = id_of("training");
    REQUIRE(training < 64);  // in the next set's first word
    const std::uint32_t words = p.set_words[names], strings = static_cast<std::uint32_t>(p.strings.size());
    // The request's own strings get ids strings, strings + 1, ... in the order read.
    const std::uint32_t own = 64 * words + training - strings + 1;
    std::string owners;
    for (std::uint32_t i = 0; i < own; ++i)
        owners += fmt::format(R"({}{{"name": "owner {}", "country": "FR", "share": 0.01}})", i ? ", " : "", i);
    NativeDir dir;
    const auto code = build_native(set, dir, "past");
    NativeAgreement both(set, *code);
    both.check(R"({"customer": {"name": "C", "country": "FR", "hq_country": "FR", "foreign": true,
        "identity_verified": true, "owners": [)" + owners + R"(]}, "intermediaries": [], "resource": {"chip": "A30"},
        "workload": {"kind": "inference"}, "license": {"granted": false}})");
    CHECK(both.session.decision.verdict == Verdict::Allow);
}
