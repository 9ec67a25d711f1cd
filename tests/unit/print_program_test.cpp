// print_program: the compiled program as text (`cordon compile --print`).
#include <doctest/doctest.h>

#include <string>

#include "cordon/engine/print_program.hpp"
#include "program/program.hpp"

using namespace cordon;

namespace {

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("the printed program of policies/us names every rule once, and every node") {
    auto loaded = PolicySet::load(CORDON_SOURCE_DIR "/policies/us");
    REQUIRE(loaded.set);
    const auto& set = *loaded.set;
    const std::string text = print_program(set);
    for (const auto& r : set.checked().rules) CHECK_MESSAGE(count_of(text, "\nrule " + r.id + " ") == 1, r.id);
    CHECK(count_of(text, "\nrule ") == set.program().rules.size());
    const auto last = "\n#" + std::to_string(set.program().nodes.size() - 1) + " ";
    CHECK(count_of(text, last) == 1);
    CHECK(print_program(set) == text);  // byte-stable
}

TEST_CASE("the printed program follows the passes: with none, no pins and no guards") {
    auto plain = PolicySet::load(CORDON_SOURCE_DIR "/policies/us", CompileOptions::all_off());
    auto full = PolicySet::load(CORDON_SOURCE_DIR "/policies/us");
    REQUIRE(plain.set);
    REQUIRE(full.set);
    const std::string a = print_program(*plain.set), b = print_program(*full.set);
    CHECK(count_of(a, "\n  pin ") == 0);
    CHECK(count_of(b, "\n  pin ") > 0);
    CHECK(count_of(a, " guard ") == 0);
    CHECK(count_of(b, " guard ") > 0);
}
