// Synthetic requests and policy sets for the benchmarks (see synthetic.hpp).
#include "synthetic.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace cordon::bench {

namespace {

// ------------------------------------------------------------------ the request generator
// A line-for-line port of bench/gen/gen_requests.mjs: the same PRNG calls in the same
// order, the same number formatting (JavaScript's shortest round-trip), so the C++ and
// the Node.js generators print the same bytes for the same seed.

template <class T>
class Weighted {
public:
    Weighted(std::initializer_list<std::pair<T, double>> pairs) {
        double total = 0;
        for (const auto& [v, w] : pairs) {
            total += w;
            values_.push_back(v);
            cum_.push_back(total);
        }
        total_ = total;
    }
    const T& operator()(Mulberry32& r) const {
        const double x = r() * total_;
        for (std::size_t i = 0; i < cum_.size(); ++i)
            if (x < cum_[i]) return values_[i];
        return values_.back();
    }

private:
    std::vector<T> values_;
    std::vector<double> cum_;
    double total_ = 0;
};

using WS = Weighted<std::string_view>;

const WS kCustomerCountry{
    {"US", 300}, {"DE", 60}, {"JP", 55}, {"GB", 55}, {"SG", 35}, {"IN", 45}, {"AE", 25},
    {"CN", 40}, {"MO", 4}, {"RU", 8}, {"IR", 3}, {"VN", 15}, {"FR", 40}, {"KR", 35}, {"CA", 35},
    {"NL", 20}, {"IL", 18}, {"SA", 15}, {"BR", 15}, {"MY", 15}, {"TW", 20}, {"HK", 12},
    {"AU", 20}, {"CH", 12}, {"SE", 10}, {"TR", 8}, {"KZ", 4}, {"PK", 4}, {"QA", 5}, {"EG", 4},
    {"BY", 2}, {"MM", 1}, {"VE", 2}, {"SY", 1}, {"CU", 1}, {"KP", 0.3}, {"ID", 10}, {"TH", 8},
    {"MX", 8}, {"PL", 6}, {"UZ", 2}, {"GE", 2}, {"JO", 2}, {"KW", 2}, {"OM", 1}, {"BH", 1},
};
const WS kHqCountry{
    {"US", 40}, {"CN", 18}, {"JP", 8}, {"DE", 8}, {"GB", 6}, {"KR", 5}, {"HK", 4}, {"SG", 4},
    {"RU", 3}, {"AE", 3}, {"MO", 1.5}, {"IR", 1}, {"IN", 4}, {"FR", 4}, {"SA", 2}, {"TW", 3},
};
const WS kParentCountry{
    {"US", 35}, {"CN", 20}, {"JP", 8}, {"DE", 6}, {"GB", 6}, {"HK", 5}, {"SG", 4}, {"RU", 3},
    {"MO", 2}, {"AE", 3}, {"KY", 4}, {"BM", 2}, {"VG", 3}, {"IR", 1}, {"NL", 3},
};
const WS kIntermediaryCountry{
    {"US", 45}, {"SG", 12}, {"HK", 8}, {"AE", 8}, {"GB", 6}, {"DE", 5}, {"JP", 5}, {"MY", 5},
    {"CN", 4}, {"MO", 1}, {"RU", 1}, {"IN", 4}, {"NL", 3}, {"KZ", 1}, {"VN", 2}, {"TW", 3},
};
const WS kIntermediaryRole{{"reseller", 45}, {"broker", 20}, {"subsidiary", 20}, {"agent", 15}};
const Weighted<int> kIntermediaryCount{{0, 55}, {1, 28}, {2, 12}, {3, 5}};
const Weighted<int> kOwnersCount{{1, 60}, {2, 30}, {3, 10}};
const WS kCustomerKind{
    {"company", 60}, {"university", 15}, {"research_institute", 12}, {"government", 5}, {"individual", 8},
};
struct ChipFigures {
    std::string_view name, tpp, pd;  // as JavaScript prints the numbers
};
const ChipFigures kChipFigures[] = {
    {"H100-SXM", "15832", "19.4"}, {"H100-PCIe", "12096", "14.9"}, {"A100", "4992", "6.04"},
    {"A800", "4992", "6.04"},      {"L40S", "5792", "9.5"},        {"A30", "2640", "3.196"},
    {"H20", "2368", "2.91"},       {"L20", "1912", "3.14"},        {"L2", "1544", "2.54"},
    {"A10", "2000", "3.18"},       {"B200", "36000", "22"},        {"MI300X", "20912", "20"},
};
const WS kChip{
    {"H100-SXM", 20}, {"H100-PCIe", 8}, {"A100", 12}, {"A800", 3}, {"L40S", 8}, {"A30", 4},
    {"H20", 6}, {"L20", 3}, {"L2", 3}, {"A10", 8}, {"B200", 8}, {"MI300X", 5},
};
const Weighted<int> kGpuCount{{1, 20}, {2, 10}, {4, 12}, {8, 30}, {16, 10}, {32, 7}, {64, 5}, {256, 3}, {1024, 2}, {4096, 1}};
const WS kService{{"gpu-instances", 60}, {"managed-training", 20}, {"inference-endpoints", 15}, {"bare-metal", 5}};
const WS kRegionCountry{{"US", 85}, {"DE", 3}, {"JP", 3}, {"GB", 2}, {"SG", 2}, {"IN", 2}, {"AE", 1}, {"CA", 2}};
const WS kProviderName{{"example-cloud", 40}, {"nimbus-gpu", 25}, {"stratus-ai", 20}, {"cirrus-compute", 15}};
const WS kProviderCountry{{"US", 92}, {"GB", 3}, {"DE", 3}, {"JP", 2}};
const WS kWorkloadKind{{"training", 30}, {"fine_tuning", 20}, {"inference", 40}, {"other", 10}};

const std::vector<std::string_view> kNameA = {
    "Acme", "Blue", "Crest", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iris", "Juniper",
    "Kestrel", "Lumen", "Meridian", "Nova", "Orbit", "Pioneer", "Quartz", "Ridge", "Summit", "Tidal",
    "Umbra", "Vertex", "Willow", "Xenon", "Yarrow", "Zephyr"};
const std::vector<std::string_view>& name_b(std::string_view kind) {
    static const std::vector<std::string_view> company = {"Systems", "Labs", "Analytics", "Robotics",
                                                          "Technologies", "AI", "Dynamics", "Networks"};
    static const std::vector<std::string_view> university = {"University", "Institute of Technology",
                                                             "State University", "College"};
    static const std::vector<std::string_view> research = {"Research Institute", "Academy of Sciences",
                                                           "Research Center", "Laboratory"};
    static const std::vector<std::string_view> government = {"Ministry of Digital Affairs", "National Computing Agency",
                                                              "Defence Research Office", "Statistics Bureau"};
    static const std::vector<std::string_view> individual = {"Consulting", "Freelance", "Studio", "Personal"};
    if (kind == "company") return company;
    if (kind == "university") return university;
    if (kind == "research_institute") return research;
    if (kind == "government") return government;
    return individual;
}
const std::vector<std::string_view> kHold = {"Holdings", "Group", "Capital", "Partners", "Ventures", "Investment Co"};
const std::vector<std::string_view> kInter = {"Cloud Reseller", "Compute Brokers", "Trading Co",
                                              "Systems Integrator", "Agency", "Distribution"};

std::string_view pick(const std::vector<std::string_view>& v, Mulberry32& r) { return v[r.index(v.size())]; }

// JavaScript's Number#toString for the numbers the generator prints (shortest round-trip).
void append_js_number(std::string& out, double v) {
    if (v == 0) v = 0;  // no "-0"
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    out.append(buf, res.ptr);
}
// JavaScript's Number#toExponential() with no argument ("2.28e+20", "1e+23").
void append_js_exponential(std::string& out, double v) {
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    std::string_view s(buf, res.ptr - buf);
    const auto e = s.find('e');
    out.append(s.substr(0, e + 2));          // mantissa, 'e', sign
    auto digits = s.substr(e + 2);           // C++ pads the exponent to two digits
    while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
    out.append(digits);
}

// Number(x.toPrecision(3)).
double to_precision3(double x) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2e", x);
    return std::strtod(buf, nullptr);
}

double training_ops(Mulberry32& r) {
    const double u = r();
    if (u < 0.01) return 1e23;
    if (u < 0.02) return 1e26;
    const double x = std::pow(10.0, 20 + 7 * r());
    return to_precision3(x);
}

std::string make_request(Mulberry32& r, std::size_t i) {
    char idbuf[32];
    std::snprintf(idbuf, sizeof idbuf, "req-%06zu", i);
    const std::string_view kind = kCustomerKind(r);
    const std::string_view country = kCustomerCountry(r);
    const std::string_view hq = r() < 0.18 ? kHqCountry(r) : country;
    const std::string_view parent = r() < 0.12 ? kParentCountry(r) : hq;
    const bool foreign = country != "US" || hq != "US" || r() < 0.02;
    const bool verified = r() < 0.8;
    const bool gov_linked = kind == "government" ? true : r() < 0.05;
    const bool listed = r() < 0.01;
    std::string name(pick(kNameA, r));
    name += ' ';
    name += pick(name_b(kind), r);

    const int n_owners = kOwnersCount(r);
    std::string owners;
    double left = 1;
    for (int k = 0; k < n_owners; ++k) {
        const double share = k == n_owners - 1 ? left : std::round(left * (0.3 + 0.5 * r()) * 100) / 100;
        left = std::round((left - share) * 100) / 100;
        const std::string_view oc = k == 0 ? parent : r() < 0.7 ? hq : kParentCountry(r);
        if (k) owners += ',';
        owners += "{\"name\":\"";
        owners += pick(kNameA, r);
        owners += ' ';
        owners += pick(kHold, r);
        owners += "\",\"country\":\"";
        owners += oc;
        owners += "\",\"share\":";
        append_js_number(owners, share);
        owners += '}';
    }

    const int n_inter = kIntermediaryCount(r);
    std::string inters;
    for (int k = 0; k < n_inter; ++k) {
        const std::string_view ic = r() < 0.3 ? country : kIntermediaryCountry(r);
        if (k) inters += ',';
        inters += "{\"name\":\"";
        inters += pick(kNameA, r);
        inters += ' ';
        inters += pick(kInter, r);
        inters += "\",\"country\":\"";
        inters += ic;
        inters += "\",\"role\":\"";
        inters += kIntermediaryRole(r);
        inters += "\"}";
    }

    const std::string_view chip = kChip(r);
    const ChipFigures* fig = nullptr;
    for (const auto& f : kChipFigures)
        if (f.name == chip) fig = &f;
    const std::string_view wk = kWorkloadKind(r);
    std::string ops;
    append_js_exponential(ops, training_ops(r));
    const bool bio = r() < 0.05;
    const bool granted = r() < 0.03;
    auto b = [](bool v) { return v ? "true" : "false"; };

    std::string s;
    s.reserve(640);
    s += "{\"id\":\"";
    s += idbuf;
    s += "\",\"time\":\"2026-11-20\",\"provider\":{\"name\":\"";
    s += kProviderName(r);
    s += "\",\"country\":\"";
    s += kProviderCountry(r);
    s += "\"},\"customer\":{\"name\":\"";
    s += name;
    s += "\",\"kind\":\"";
    s += kind;
    s += "\",\"country\":\"";
    s += country;
    s += "\",\"hq_country\":\"";
    s += hq;
    s += "\",\"parent_hq_country\":\"";
    s += parent;
    s += "\",\"foreign\":";
    s += b(foreign);
    s += ",\"identity_verified\":";
    s += b(verified);
    s += ",\"government_linked\":";
    s += b(gov_linked);
    s += ",\"on_entity_list\":";
    s += b(listed);
    s += ",\"owners\":[";
    s += owners;
    s += "]},\"intermediaries\":[";
    s += inters;
    s += "],\"resource\":{\"service\":\"";
    s += kService(r);
    s += "\",\"chip\":\"";
    s += chip;
    s += "\",\"count\":";
    s += std::to_string(kGpuCount(r));
    s += ",\"tpp\":";
    s += fig->tpp;
    s += ",\"performance_density\":";
    s += fig->pd;
    s += ",\"region_country\":\"";
    s += kRegionCountry(r);
    s += "\"},\"workload\":{\"kind\":\"";
    s += wk;
    s += "\",\"training_ops\":";
    s += ops;
    s += ",\"bio_sequence\":";
    s += b(bio);
    s += "},\"license\":{\"granted\":";
    s += b(granted);
    s += "}}";
    return s;
}

// ------------------------------------------------------------------ synthetic policy sets

// ~200 ISO 3166-1 alpha-2 codes: every code the request generator uses, and more.
const char* const kCountries[] = {
    "US", "DE", "JP", "GB", "SG", "IN", "AE", "CN", "MO", "RU", "IR", "VN", "FR", "KR", "CA", "NL", "IL",
    "SA", "BR", "MY", "TW", "HK", "AU", "CH", "SE", "TR", "KZ", "PK", "QA", "EG", "BY", "MM", "VE", "SY",
    "CU", "KP", "ID", "TH", "MX", "PL", "UZ", "GE", "JO", "KW", "OM", "BH", "KY", "BM", "VG", "AF", "KH",
    "CF", "CD", "ER", "HT", "IQ", "LB", "LY", "NI", "SO", "SS", "SD", "ZW", "AM", "AZ", "KG", "LA", "MD",
    "MN", "TJ", "TM", "YE", "AL", "DZ", "AD", "AO", "AG", "AR", "AT", "BS", "BD", "BB", "BE", "BZ", "BJ",
    "BT", "BO", "BA", "BW", "BN", "BG", "BF", "BI", "CV", "CM", "TD", "CL", "CO", "KM", "CG", "CR", "CI",
    "HR", "CY", "CZ", "DK", "DJ", "DM", "DO", "EC", "SV", "GQ", "EE", "SZ", "ET", "FJ", "FI", "GA", "GM",
    "GH", "GR", "GD", "GT", "GN", "GW", "GY", "HN", "HU", "IS", "IE", "IT", "JM", "KE", "KI", "LV", "LS",
    "LR", "LI", "LT", "LU", "MG", "MW", "MV", "ML", "MT", "MH", "MR", "MU", "FM", "MC", "ME", "MA", "MZ",
    "NA", "NR", "NP", "NZ", "NE", "NG", "MK", "NO", "PW", "PA", "PG", "PY", "PE", "PH", "PT", "RO", "RW",
    "KN", "LC", "VC", "WS", "SM", "ST", "SN", "RS", "SC", "SL", "SK", "SI", "SB", "ZA", "ES", "LK", "SR",
    "TZ", "TL", "TG", "TO", "TT", "TN", "TV", "UG", "UA", "UY", "VU", "ZM", "PS", "GL", "PR", "GU", "AW",
};
constexpr std::size_t kCountryCount = sizeof kCountries / sizeof kCountries[0];

// 15 chip names: the generator's twelve and three it never sends.
const char* const kChips[] = {"H100-SXM", "H100-PCIe", "A100", "A800", "L40S", "A30", "H20", "L20",
                              "L2", "A10", "B200", "MI300X", "H200", "GB200", "Gaudi2"};
constexpr std::size_t kChipCount = sizeof kChips / sizeof kChips[0];
constexpr std::size_t kGroups = 24;

constexpr std::string_view kSchema = R"(# Synthetic benchmark set: the shape of policies/us/schema.yaml.
time: date?
provider:
  name: string
  country: country
customer:
  name: string
  kind: "enum[company, university, research_institute, government, individual]"
  country: country
  hq_country: country
  parent_hq_country: country?
  foreign: bool
  identity_verified: bool
  government_linked: bool?
  on_entity_list: bool?
  end_user_disclosed: bool?
  payment_country: country?
  ip_country: country?
  formed: date?
  owners:
    - { name: string, country: country, share: number, on_entity_list: bool? }
intermediaries:
  - { name: string, country: country, role: "enum[reseller, broker, subsidiary, agent]", identity_verified: bool? }
resource:
  service: string?
  chip: string?
  count: number?
  tpp: number?
  performance_density: number?
  region_country: country
  data_center: bool?
workload:
  kind: "enum[training, fine_tuning, inference, other]?"
  training_ops: number?
  bio_sequence: bool?
license:
  granted: bool?
)";

constexpr std::string_view kManifest = R"(# Synthetic benchmark set (bench/synthetic.cpp).
name: synthetic
schema: schema.yaml
default: allow
on_error: deny
enforce: [in_force]
)";

constexpr std::string_view kFixedSets = R"(D5: [AF, BY, MM, KH, CF, CN, CD, CU, ER, HT, IR, IQ, KP, LB, LY, NI, RU, SO, SS, SD, SY, VE, ZW]
MACAU: [MO]
D1: [AM, AZ, BY, KH, CN, GE, IQ, KZ, KP, KG, LA, MO, MD, MN, NI, RU, TJ, TM, UZ, VN, YE, MM]
D4: [BH, CN, EG, IR, IQ, IL, JO, KP, KW, LB, LY, MO, OM, PK, QA, RU, SA, SY, AE, YE]
)";

void write_file(const std::filesystem::path& path, std::string_view text) {
    std::ofstream f(path, std::ios::binary);
    f.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!f) throw std::runtime_error("cannot write " + path.string());
}

// Rules target foreign countries: never the home country "US" (kCountries[0]).
const char* country(Mulberry32& r) { return kCountries[1 + r.index(kCountryCount - 1)]; }
const char* chip_name(Mulberry32& r) { return kChips[r.index(kChipCount)]; }

// One rule of a drawn shape. `n` is the rule's number in the whole set.
void append_rule(std::string& out, std::size_t n, Mulberry32& r) {
    const double u = r();
    char head[64];
    std::snprintf(head, sizeof head, "  rule r%05zu {\n", n);
    out += head;
    std::string s;
    const char* xx = country(r);
    if (u < 0.22) {
        // destination plus a D:5 intermediary on the access chain
        s = "    deny when customer.country == \"" + std::string(xx) +
            "\" and advanced_ic and any p in intermediaries: d5_or_macau(p.country)\n"
            "    unless licensed\n"
            "    because \"advanced IC for a customer in {customer.country} through an intermediary in D:5 or Macau\"\n";
    } else if (u < 0.40) {
        // one chip to one kind of customer headquartered, or to compute located, in one country
        static const char* const kinds[] = {"company", "university", "research_institute", "government", "individual"};
        const char* chip = chip_name(r);
        const char* kind = kinds[r.index(5)];
        s = "    deny when has resource.chip and resource.chip == \"" + std::string(chip) + "\" and customer.kind == \"" +
            kind + "\"\n          and (customer.hq_country == \"" + xx + "\" or resource.region_country == \"" + xx + "\")\n"
            "    unless licensed\n"
            "    because \"" + chip + " for {customer.name} (headquarters {customer.hq_country}) needs a licence\"\n";
    } else if (u < 0.55) {
        // a training-compute threshold for one country
        static const char* const thresholds[] = {"1e23", "1e26"};
        s = "    report when customer.country == \"" + std::string(xx) +
            "\" and customer.foreign and has workload.kind and workload.kind == \"training\"\n"
            "           and has workload.training_ops and workload.training_ops >= " + thresholds[r.index(2)] + "\n"
            "    to \"Department of Commerce (BIS)\" within 15 days\n"
            "    because \"foreign training run of {workload.training_ops} operations\"\n";
    } else if (u < 0.65) {
        // ownership: sum of D:5 owners' shares
        static const char* const shares[] = {"0.25", "0.5"};
        s = "    report when customer.hq_country == \"" + std::string(xx) +
            "\" and sum(o in customer.owners where d5_or_macau(o.country): o.share) >= " + shares[r.index(2)] + "\n"
            "    because \"owners in D:5 or Macau hold a large share of {customer.name}\"\n";
    } else if (u < 0.77) {
        // a regional group and a chip class, unverified customers
        char group[16];
        std::snprintf(group, sizeof group, "G%02zu", r.index(kGroups));
        const char* chip = chip_name(r);
        s = "    deny when customer.country in " + std::string(group) + " and has resource.chip and resource.chip == \"" + chip +
            "\" and not customer.identity_verified\n"
            "    unless licensed\n"
            "    because \"unverified customer in {customer.country} renting " + chip + "\"\n";
    } else if (u < 0.88) {
        // parent headquarters and chip: a report
        const char* chip = chip_name(r);
        s = "    report when has customer.parent_hq_country and customer.parent_hq_country == \"" + std::string(xx) +
            "\" and has resource.chip and resource.chip == \"" + chip + "\"\n"
            "    because \"{customer.name}, whose parent is headquartered in {customer.parent_hq_country}, rents " +
            chip + "\"\n";
    } else {
        // performance thresholds at one destination
        static const char* const tpps[] = {"1600", "2400", "4800"};
        static const char* const pds[] = {"1.6", "3.2", "5.92"};
        s = "    deny when resource.region_country == \"" + std::string(xx) +
            "\" and has workload.kind and workload.kind == \"training\"\n"
            "          and has resource.tpp and resource.tpp >= " +
            tpps[r.index(3)] + "\n"
            "          and has resource.performance_density and resource.performance_density >= " + pds[r.index(3)] + "\n"
            "    unless licensed\n"
            "    because \"compute of TPP {resource.tpp} located in {resource.region_country}\"\n";
    }
    out += s;
    char cite[80];
    std::snprintf(cite, sizeof cite, "    cite \"synthetic 15 CFR 799.%zu\"\n  }\n", n);
    out += cite;
}

}  // namespace

std::vector<std::string> generate_requests(std::size_t count, std::uint32_t seed) {
    Mulberry32 r(seed);
    std::vector<std::string> out;
    out.reserve(count);
    for (std::size_t i = 1; i <= count; ++i) out.push_back(make_request(r, i));
    return out;
}

std::size_t write_synthetic_policy_set(const std::string& dir, std::size_t rules, std::uint32_t seed) {
    namespace fs = std::filesystem;
    fs::create_directories(dir);
    const fs::path root(dir);
    write_file(root / "cordon.yaml", kManifest);
    write_file(root / "schema.yaml", kSchema);
    Mulberry32 r(seed);

    std::string sets(kFixedSets);
    for (std::size_t g = 0; g < kGroups; ++g) {
        char name[16];
        std::snprintf(name, sizeof name, "G%02zu: [", g);
        sets += name;
        for (int k = 0; k < 10; ++k) {
            if (k) sets += ", ";
            sets += '"';  // quoted: a plain NO (Norway) is a YAML boolean
            sets += country(r);
            sets += '"';
        }
        sets += "]\n";
    }
    write_file(root / "sets.yaml", sets);

    constexpr std::size_t kPerPolicy = 50;
    constexpr std::size_t kPoliciesPerFile = 10;
    std::string file;
    std::size_t file_no = 0;
    for (std::size_t first = 0; first < rules; first += kPerPolicy) {
        const std::size_t policy = first / kPerPolicy;
        char head[96];
        std::snprintf(head, sizeof head, "policy synth.p%04zu {\n", policy);
        file += head;
        file += "  title     \"Synthetic rules for the scaling benchmark\"\n"
                "  authority \"synthetic\"\n"
                "  status    in_force\n"
                "  effective 2023-11-17\n\n"
                "  use sets from \"sets.yaml\"\n\n"
                "  let advanced_ic = has resource.tpp\n"
                "     and (resource.tpp >= 4800\n"
                "          or (resource.tpp >= 1600 and has resource.performance_density\n"
                "              and resource.performance_density >= 5.92))\n"
                "  let licensed = has license.granted and license.granted\n"
                "  let d5_or_macau(c) = c in D5 or c in MACAU\n\n";
        for (std::size_t n = first; n < std::min(rules, first + kPerPolicy); ++n) append_rule(file, n, r);
        file += "}\n\n";
        if ((policy + 1) % kPoliciesPerFile == 0 || first + kPerPolicy >= rules) {
            char name[32];
            std::snprintf(name, sizeof name, "rules_%03zu.cordon", file_no++);
            write_file(root / name, file);
            file.clear();
        }
    }
    return rules;
}

std::string make_temp_dir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cordon-bench-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    return tmpl;
}

void remove_tree(const std::string& dir) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

}  // namespace cordon::bench
