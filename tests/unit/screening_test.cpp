// Screening lists: the CSL CSV (RFC 4180 quoting) and JSON loaders, name normalisation,
// exact and token-subset matching, errors with lines, and garbage that must not crash.
#include "cordon/screening/screening.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>

using namespace cordon;

namespace {

// The header of the Consolidated Screening List CSV download.
const std::string kHeader =
    "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,"
    "standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,gross_registered_tonnage,"
    "vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,dates_of_birth,nationalities,"
    "places_of_birth,source_information_url,ids\n";

// A CSV row in that layout with the cells a test cares about (others empty).
std::string row(const std::string& id, const std::string& source, const std::string& name,
                const std::string& addresses, const std::string& alt_names, const std::string& remarks = "") {
    // 29 columns: _id(0) source(1) name(5) addresses(7) remarks(20) alt_names(22)
    std::vector<std::string> cells(29);
    cells[0] = id;
    cells[1] = source;
    cells[5] = name;
    cells[7] = addresses;
    cells[20] = remarks;
    cells[22] = alt_names;
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + cells[i];
    return out + "\n";
}

ScreeningList parse_ok(const std::string& text) {
    std::string error;
    auto list = ScreeningList::parse(text, "t.csv", error);
    REQUIRE_MESSAGE(list, error);
    return std::move(*list);
}

std::string parse_error(const std::string& text, const std::string& origin = "t.csv") {
    std::string error;
    auto list = ScreeningList::parse(text, origin, error);
    CHECK_FALSE(list);
    return error;
}

}  // namespace

TEST_CASE("normalize_name: case, punctuation, spaces and word order do not matter") {
    CHECK(normalize_name("Sichuan University") == "sichuan university");
    CHECK(normalize_name("  SICHUAN   university ") == normalize_name("Sichuan University"));
    CHECK(normalize_name("University, Sichuan") == normalize_name("Sichuan University"));
    CHECK(normalize_name("Sichuan-University.") == normalize_name("Sichuan University"));
    CHECK(normalize_name("TRADING CO LTD, FICTITIOUS EXAMPLE COMPUTE") ==
          normalize_name("Fictitious Example Compute Trading Co. Ltd."));
    CHECK(normalize_name("Example Compute Trading Company Limited") == "compute example trading");
    CHECK(normalize_name("Example Co.,Ltd.") == "example");
    CHECK(normalize_name("Example GmbH") == normalize_name("Example AG"));
    CHECK(normalize_name("Example S.A.") == "example");
    CHECK(normalize_name("Example L.L.C.") == "example");
    CHECK(normalize_name("Example, Inc.") == "example");
    CHECK(normalize_name("Smith & Co.") == "smith");
    CHECK(normalize_name("Johnson & Johnson") == normalize_name("Johnson and Johnson"));
    CHECK(normalize_name("O'Brien Holdings") == normalize_name("OBrien Holdings"));
    CHECK(normalize_name("O\xE2\x80\x99" "Brien Holdings") == normalize_name("OBrien Holdings"));
    CHECK(normalize_name("U.S.A. Compute") == normalize_name("USA Compute"));
    CHECK(normalize_name("Example\xC2\xA0" "Compute") == "compute example");  // no-break space
    // Nothing but legal forms: kept, so the name still has a key.
    CHECK(normalize_name("Company Limited") == "company limited");
    CHECK(normalize_name("!!! ...") == "");
    CHECK(normalize_name("") == "");
    // Other scripts are kept (no transliteration); accents are removed (issue 18 item 4).
    CHECK(normalize_name("\xE5\x9B\x9B\xE5\xB7\x9D\xE5\xA4\xA7\xE5\xAD\xA6") == "\xE5\x9B\x9B\xE5\xB7\x9D\xE5\xA4\xA7\xE5\xAD\xA6");
    CHECK(normalize_name("\xC3\x89" "cole") == normalize_name("Ecole"));
}

TEST_CASE("normalize_name: abbreviations expand only when in the table") {
    // "UNIV." is in the small abbreviation table; "U." and "Tech" are not.
    CHECK(normalize_name("SICHUAN UNIV.") == normalize_name("Sichuan University"));
    CHECK(normalize_name("Sichuan U.") != normalize_name("Sichuan University"));
    CHECK(normalize_name("Example Tech") != normalize_name("Example Technology"));
    CHECK(normalize_name("Example Intl. Trading") == normalize_name("Example International Trading"));
    for (const auto& [abbr, full] : name_abbreviations()) CHECK(normalize_name(abbr) == full);
    for (const auto form : legal_form_tokens()) CHECK(normalize_name(std::string("Example ") + std::string(form)) == "example");
}

TEST_CASE("CSV: the sample file's layout, alternate names and countries") {
    const auto list = parse_ok(
        kHeader +
        row("s1", "Entity List (EL) - Bureau of Industry and Security", "China Academy of Engineering Physics", "CN",
            "Sichuan University") +
        row("s2", "SAMPLE", "Fictitious Example Compute Trading Co. Ltd.", "\"Fictitious Road 1, Shenzhen, CN\"",
            "\"Example Compute Trading Company Limited (Fictitious); TRADING CO LTD, FICTITIOUS EXAMPLE COMPUTE\""));
    REQUIRE(list.size() == 2);
    const auto& e = list.entries()[1];
    CHECK(e.id == "s2");
    CHECK(e.line == 3);
    CHECK(e.file == "t.csv");
    CHECK(e.alt_names == std::vector<std::string>{"Example Compute Trading Company Limited (Fictitious)",
                                                  "TRADING CO LTD, FICTITIOUS EXAMPLE COMPUTE"});
    CHECK(e.countries == std::vector<std::string>{"CN"});

    auto hits = list.match("SICHUAN UNIVERSITY", "CN");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].entry == 0);
    CHECK(hits[0].name == 0);
    CHECK(hits[0].kind == MatchKind::Exact);
    CHECK(hits[0].country == CountryCheck::Agrees);
    CHECK(list.matched_name(hits[0]) == "Sichuan University");

    hits = list.match("Sichuan University", "US");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].country == CountryCheck::Disagrees);  // reported, not dropped
    CHECK(list.match("Sichuan University").at(0).country == CountryCheck::Unknown);

    hits = list.match("fictitious example compute trading");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].entry == 1);
    CHECK(hits[0].name == -1);  // the primary name wins over equal alternates
    CHECK(list.matched_name(hits[0]) == "Fictitious Example Compute Trading Co. Ltd.");

    // Another university of the same province: no exact match, but a weaker token-subset
    // match (every word of "Sichuan University" is in it), for a person to review.
    CHECK(list.match("Sichuan Normal University", {}, false).empty());
    REQUIRE(list.match("Sichuan Normal University").size() == 1);
    CHECK(list.match("Sichuan Normal University")[0].kind == MatchKind::TokenSubset);
    CHECK(list.match("Shenzhen University").empty());
    CHECK(list.match("").empty());
    CHECK(list.match("Co. Ltd.").empty());
}

TEST_CASE("matching: token subset is weaker and optional") {
    const auto list = parse_ok(kHeader + row("a", "EL", "Sichuan University", "CN", "") +
                               row("b", "EL", "Example Compute Trading Co. Ltd.", "", ""));
    auto hits = list.match("Sichuan University West China Hospital");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].kind == MatchKind::TokenSubset);
    CHECK(list.match("Sichuan University West China Hospital", {}, false).empty());
    // The subset goes one way: a party named by part of a listed name is not a match.
    CHECK(list.match("Sichuan").empty());
    CHECK(list.match("Example Compute").empty());
    // Exact matches come first, one hit per entry.
    hits = list.match("Trading Example Compute (Shenzhen) Sichuan University");
    REQUIRE(hits.size() == 2);
    CHECK(hits[0].kind == MatchKind::TokenSubset);
    hits = list.match("university sichuan");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].kind == MatchKind::Exact);
}

TEST_CASE("CSV: RFC 4180 quoting: commas, quotes, newlines, CRLF, BOM") {
    const std::string text = "\xEF\xBB\xBF" + kHeader +
                             row("q1", "\"List, with comma\"", "\"Quote \"\"Inc\"\" Holdings\"",
                                 "\"Line one\nline two, Beijing, CN; Other Road, Hong Kong, HK\"",
                                 "\"Alias, One; Alias Two\"", "\"remark\r\nover lines\"") +
                             row("q2", "EL", "Second Name", "", "");
    std::string crlf;
    for (char c : text) {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    for (const auto& t : {text, crlf}) {
        const auto list = parse_ok(t);
        REQUIRE(list.size() == 2);
        const auto& e = list.entries()[0];
        CHECK(e.source == "List, with comma");
        CHECK(e.name == "Quote \"Inc\" Holdings");
        CHECK(e.countries == std::vector<std::string>{"CN", "HK"});
        CHECK(e.alt_names == std::vector<std::string>{"Alias, One", "Alias Two"});
        CHECK(e.line == 2);
        CHECK(list.entries()[1].line == 5);  // the two quoted newlines count
        CHECK(list.match("quote holdings").size() == 1);
        CHECK(list.match("One Alias").size() == 1);
    }
    // No trailing newline, blank lines skipped, an empty quoted cell.
    auto last = row("x", "\"\"", "Last", "", "");
    last.pop_back();
    const auto list = parse_ok(kHeader + "\n\n" + last);
    REQUIRE(list.size() == 1);
    CHECK(list.entries()[0].source.empty());
    CHECK(list.entries()[0].line == 4);
}

TEST_CASE("CSV: header with columns in another order, only `name` required") {
    const auto list = parse_ok("alt_names,name\nB; C,A\n");
    REQUIRE(list.size() == 1);
    CHECK(list.entries()[0].name == "A");
    CHECK(list.match("c").size() == 1);
}

TEST_CASE("CSV: errors name the file and the line") {
    CHECK(parse_error("") == "t.csv:1: empty file: expected a header row (the Consolidated Screening List CSV layout)");
    CHECK(parse_error("a,b,c\n1,2,3\n").find("t.csv:1: the header row has no `name` column") == 0);
    CHECK(parse_error("name,source\nA,EL\nB\n") == "t.csv:3: a row of 1 fields; the header has 2");
    CHECK(parse_error("name,source\nA,EL\n\"B\nC,EL\n") == "t.csv:3: a quoted field that is never closed");
    CHECK(parse_error("name,source\nA,EL\n\"B\"x,EL\n").find("t.csv:3: unexpected text after a closing quote") == 0);
    CHECK(parse_error("name,source\nA,EL\n  ,EL\n") == "t.csv:3: a row with an empty `name`");
    std::string error;
    CHECK_FALSE(ScreeningList::load("/no/such/file.csv", error));
    CHECK(error == "/no/such/file.csv: cannot open file");
}

TEST_CASE("JSON: the CSL API shape and a bare array") {
    const std::string text = R"({
  "total": 2,
  "results": [
    {
      "id": "j1",
      "name": "China Academy of Engineering Physics",
      "alt_names": ["Sichuan University", null],
      "addresses": [{"address": "Road 1", "city": "Mianyang", "country": "CN"}, {"country": null}],
      "source": "Entity List (EL) - Bureau of Industry and Security",
      "source_list_url": "https://example.invalid/el",
      "type": "Entity"
    },
    {
      "name": "Fictitious Person",
      "alt_names": null,
      "addresses": [],
      "nationalities": ["IR"],
      "source": "SAMPLE"
    }
  ],
  "sources_used": [{"source": "EL"}]
})";
    std::string error;
    auto list = ScreeningList::parse(text, "t.json", error);
    REQUIRE_MESSAGE(list, error);
    REQUIRE(list->size() == 2);
    const auto& e = list->entries()[0];
    CHECK(e.id == "j1");
    CHECK(e.alt_names == std::vector<std::string>{"Sichuan University"});
    CHECK(e.countries == std::vector<std::string>{"CN"});
    CHECK(e.source_list_url == "https://example.invalid/el");
    CHECK(e.line == 4);
    CHECK(list->entries()[1].line == 13);
    CHECK(list->entries()[1].countries == std::vector<std::string>{"IR"});
    CHECK(list->match("sichuan university").size() == 1);

    auto bare = ScreeningList::parse(R"([{"name": "A B", "alt_names": "C; D"}])", "b.json", error);
    REQUIRE_MESSAGE(bare, error);
    CHECK(bare->entries()[0].alt_names == std::vector<std::string>{"C", "D"});
}

TEST_CASE("JSON: errors name the file and the line") {
    CHECK(parse_error("{\"results\": [\n  {\"name\": \"A\"},\n  {\"name\": }\n]}", "t.json")
              .find("t.json:3:12: malformed JSON: syntax error") == 0);
    CHECK(parse_error("{\"results\": [\n  {\"name\": \"A\"},\n  {\"alt_names\": [\"B\"]}\n]}", "t.json") ==
          "t.json:3: results[1]: an entry with no `name`");
    CHECK(parse_error("{\"results\": [\n  {\"name\": \"A\",\n   \"alt_names\": [1]}\n]}", "t.json") ==
          "t.json:2: results[0].alt_names[0]: must be a string");
    CHECK(parse_error("{\"results\": [\"A\"]}", "t.json") == "t.json: results[0]: an entry must be an object");
    CHECK(parse_error("{\"entries\": []}", "t.json").find("t.json:1: expected the Consolidated Screening List JSON") == 0);
    // A number too large for a double is an error, not an uncaught exception (fuzz_screening).
    CHECK(parse_error("[4e332]", "t.json").find("t.json: malformed JSON: ") == 0);
    CHECK(parse_error("[{\"name\": \"A\", \"x\": -1e999}]", "t.json").find("number overflow") != std::string::npos);
}

TEST_CASE("the shipped sample loads and matches the news case") {
    std::string error;
    auto list = ScreeningList::load(CORDON_SOURCE_DIR "/policies/us/data/screening_sample.csv", error);
    REQUIRE_MESSAGE(list, error);
    CHECK(list->size() == 3);
    for (const auto& e : list->entries()) CHECK_FALSE(e.remarks.empty());  // each row says what it is
    auto hits = list->match("Sichuan University", "CN");
    REQUIRE(hits.size() == 1);
    CHECK(list->entries()[hits[0].entry].name == "China Academy of Engineering Physics");
    CHECK(list->match("fictitious macau cloud resale").size() == 1);
    CHECK(list->match("Shenzhen University").empty());
    CHECK(list->match("Zhejiang Lab").empty());
}

TEST_CASE("garbage input never crashes the loaders or the matcher") {
    std::mt19937 rng(20240611);
    const std::string alphabet = "\",;\n\r{}[]:name alt_names results \\\x00\xff\xe2\x80\x99";
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        const int len = static_cast<int>(rng() % 200);
        const bool bytes = round % 2 == 0;
        for (int i = 0; i < len; ++i)
            text += bytes ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
        if (round % 3 == 0) text = kHeader + text;
        if (round % 5 == 0) text = "{\"results\": [" + text;
        std::string error;
        auto list = ScreeningList::parse(text, "g", error);
        if (!list) {
            CHECK_FALSE(error.empty());
            continue;
        }
        for (const auto& e : list->entries()) {
            (void)list->match(e.name);
            for (const auto& a : e.alt_names) (void)list->match(a, "CN");
        }
        (void)list->match(text);
        (void)normalize_name(text);
    }
}

// Issue 18 item 4: invisible characters, compatibility forms and look-alike letters must
// not split or change a name (each of these evaded screening before names were folded).
TEST_CASE("issue 18 item 4: screening is not evaded by invisible characters") {
    const std::string key = normalize_name("Sichuan University");
    CHECK(normalize_name("Sich\u200Buan University") == key);            // zero-width space
    CHECK(normalize_name("Sichu\u00ADan University") == key);            // soft hyphen
    CHECK(normalize_name("Sichuan\u2002University") == key);             // en space
    CHECK(normalize_name("Sichuan\u2003\u3000 \u00A0University") == key);  // a run of spaces
    CHECK(normalize_name("Sichuan Univ\u2060ersity\uFEFF") == key);      // word joiner, BOM
    CHECK(normalize_name("\uFF33\uFF49\uFF43\uFF48\uFF55\uFF41\uFF4E University") == key);  // full-width
    CHECK(normalize_name("SICHUAN UNIVERSITY") == key);
    CHECK(normalize_name("Sichuan Uni\uFB00ersity") != key);              // ff ligature: "uniffersity"
    CHECK(normalize_name("\uFB01ctitious") == normalize_name("Fictitious"));  // fi ligature
    CHECK(normalize_name("S\u0456chuan Un\u0456vers\u0456ty") == key);    // Cyrillic i
    CHECK(normalize_name("\u0405ichuan University") == key);              // Cyrillic capital DZE
    CHECK(normalize_name("Sichuan\u2010University") == key);              // Unicode hyphen breaks words
    CHECK(normalize_name("O\u2019Brien") == normalize_name("OBrien"));    // apostrophe
    // Case folding beyond ASCII; marks removed (accents, and marks stacked on to evade).
    CHECK(normalize_name("M\u00DCLLER") == normalize_name("m\u00FCller"));
    CHECK(normalize_name("Mu\u200B\u0308ller") == normalize_name("M\u00FCller"));
    CHECK(normalize_name("M\u00FCller") == normalize_name("Muller"));
    CHECK(normalize_name("Sichuan\u0336 Univ\u0301ersity") == key);
    // Still not matched (documented): transliteration, look-alikes outside the table.
    CHECK(normalize_name("\u56DB\u5DDD\u5927\u5B66") != key);
    CHECK(normalize_name("Sichuan Un1versity") != key);
}

TEST_CASE("issue 18 item 4: both sides are folded: a listed name with invisible characters matches") {
    const auto list = parse_ok(kHeader + row("e1", "Entity List", "Example\u200B Compute\u00AD Lab", "", "\uFF21lias Name"));
    CHECK(list.match("Example Compute Lab").size() == 1);
    CHECK(list.match("example\u2002compute lab").size() == 1);
    CHECK(list.match("Alias Name").size() == 1);
    CHECK(list.match("\u0410lias Name").size() == 1);  // Cyrillic A
}

TEST_CASE("issue 18 item 18: a screening list with invalid UTF-8 is refused with its line") {
    CHECK(parse_error(kHeader + row("e1", "EL", "Good", "", "") + row("e2", "EL", "Bad \xFF Name", "", "")) ==
          "t.csv:3:14: not valid UTF-8 (byte 0xFF); a screening list must be UTF-8 text");
    CHECK(parse_error("[{\"name\": \"ok\"},\n {\"name\": \"\xC0\xAF\"}]", "t.json") ==
          "t.json:2:12: not valid UTF-8 (byte 0xC0); a screening list must be UTF-8 text");
    CHECK(is_valid_utf8("Sichuan \u5927\u5B66"));
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));  // a surrogate
    CHECK_FALSE(is_valid_utf8("\xE2\x82"));      // cut short
}

TEST_CASE("issue 18 item 5: a JSON screening list with a key given twice is refused") {
    CHECK(parse_error("{\"results\": [\n {\"name\": \"A\"},\n {\"name\": \"B\", \"name\": \"C\"}]}", "l.json") ==
          "l.json:3: results[1].name: key given twice in one object (an entry's fields are read once; fix the list)");
    CHECK(parse_error("[{\"name\": \"A\", \"n\\u0061me\": \"B\"}]", "l.json") ==
          "l.json:1: [0].name: key given twice in one object (an entry's fields are read once; fix the list)");
    // The same key in different objects is fine.
    std::string error;
    CHECK(ScreeningList::parse("[{\"name\": \"A\"}, {\"name\": \"B\"}]", "l.json", error));
}
