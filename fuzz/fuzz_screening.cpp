// fuzz_screening: screening-list text (CSL CSV or JSON, told apart by ScreeningList::parse)
// -> load -> name screening. Every entry whose name has a matching key must find itself
// as an exact hit when screened by its own name (and its own country must agree); a few
// fixed names and the input's first line are screened too, with token-subset matching.
#include <algorithm>
#include <cstdint>
#include <string>

#include "cordon/engine/screening.hpp"
#include "fuzz_support.hpp"

using namespace cordon;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
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
    for (std::string_view q : {std::string_view("Sichuan University"), std::string_view("U.S.A. Co., Ltd."),
                               std::string_view("Huawei Technologies Co Ltd"), first_line}) {
        for (const auto& h : list->match(q, "CN", true)) {
            if (h.entry >= list->size()) fuzz::fail("a hit names an entry out of range", q);
            (void)list->matched_name(h);
        }
    }
    return 0;
}
