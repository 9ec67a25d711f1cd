// fuzz_screening: screening-list text (CSL CSV or JSON, told apart by ScreeningList::parse)
// -> load -> name screening. Every entry whose name has a matching key must find itself
// as an exact hit when screened by its own name (and its own country must agree); a few
// fixed names and the input's first line are screened too, with token-subset matching.
// The same bytes are also read as a request by `cordon screen`'s reader (json_tree): it
// must not crash, and a request it accepts must still be accepted on one line (--annotate).
// Folded names are valid UTF-8 without format characters, double or outer spaces.
#include <algorithm>
#include <cstdint>
#include <string>

#include "cordon/engine/json_tree.hpp"
#include "cordon/screening/screening.hpp"
#include "fuzz_support.hpp"

using namespace cordon;

namespace {

void check_request_reader(std::string_view text) {
    JsonNode tree;
    if (read_json_tree(text, tree)) return;
    const auto line = json_on_one_line(text);
    if (line.find('\n') != std::string::npos) fuzz::fail("json_on_one_line left a newline", text);
    JsonNode again;
    if (auto e = read_json_tree(line, again)) fuzz::fail("a request is refused once put on one line", e->message + "\n" + std::string(text));
    if (again.members.size() != tree.members.size()) fuzz::fail("one line changed the request's fields", text);
}

void check_fold(std::string_view name) {
    const auto folded = fold_name_text(name);
    if (!is_valid_utf8(folded)) fuzz::fail("a folded name is not UTF-8", name);
    if (folded.find("  ") != std::string::npos || (!folded.empty() && (folded.front() == ' ' || folded.back() == ' ')))
        fuzz::fail("a folded name has a double or outer space", name);
    if (folded.find("\xE2\x80\x8B") != std::string::npos || folded.find("\xC2\xAD") != std::string::npos)
        fuzz::fail("a folded name keeps a format character", name);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_request_reader(text);
    std::string error;
    auto list = ScreeningList::parse(text, "fuzz.csv", error);
    if (!list) {
        if (error.empty()) fuzz::fail("parse failed without an error", text);
        return 0;
    }
    const std::size_t checked = std::min<std::size_t>(list->size(), 64);
    for (std::size_t i = 0; i < checked; ++i) {
        const auto& e = list->entries()[i];
        if (normalize_name(e.name).empty()) continue;
        const std::string country = e.countries.empty() ? std::string() : e.countries.front();
        const auto hits = list->match(e.name, country, false);
        const auto self = std::find_if(hits.begin(), hits.end(), [&](const ScreeningHit& h) { return h.entry == i; });
        if (self == hits.end() || self->kind != MatchKind::Exact)
            fuzz::fail("an entry is not an exact hit for its own name", e.name);
        if (!country.empty() && self->country == CountryCheck::Disagrees)
            fuzz::fail("an entry's own country disagrees with it", e.name + " / " + country);
        for (const auto& h : hits) (void)list->matched_name(h);
    }
    const std::string_view first_line = text.substr(0, std::min(text.find('\n'), text.size()));
    check_fold(first_line);
    for (std::string_view q : {std::string_view("Sichuan University"), std::string_view("U.S.A. Co., Ltd."),
                               std::string_view("Huawei Technologies Co Ltd"), first_line}) {
        for (const auto& h : list->match(q, "CN", true)) {
            if (h.entry >= list->size()) fuzz::fail("a hit names an entry out of range", q);
            (void)list->matched_name(h);
        }
    }
    return 0;
}
