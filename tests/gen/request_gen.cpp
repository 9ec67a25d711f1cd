// Random requests for a generated set: values at, just below and just above the rules'
// constants, strings from the sets, tables and literals and others, absent attributes,
// empty and long lists, elements with missing fields, and sometimes a `time`.
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "cordon/dsl/parse.hpp"
#include "policy_gen.hpp"
#include "strings.hpp"

namespace cordon::gen {

namespace {

class RequestWriter {
public:
    RequestWriter(const GeneratedSet& g, std::mt19937_64& rng) : g_(g), rng_(rng) {
        numbers_.assign(g.numbers.begin(), g.numbers.end());
        dates_.assign(g.dates.begin(), g.dates.end());
        strings_ = kPlainStrings;
        for (const auto& [_, members] : g.sets) strings_.insert(strings_.end(), members.begin(), members.end());
        for (const auto& t : g.tables) strings_.insert(strings_.end(), t.keys.begin(), t.keys.end());
        strings_.push_back("omega");
        strings_.push_back("CN");
    }

    std::string request() {
        dense_ = chance(35);  // every required attribute given: more rules get to fire
        std::string out = "{";
        bool first = true;
        if (chance(30)) {
            out += "\"time\": " + json_quote(date_text("time"));
            first = false;
        }
        if (chance(20)) {
            out += std::string(first ? "" : ", ") + "\"id\": \"req\"";
            first = false;
        }
        fields(g_.schema, out, first, 0, "");
        return out + "}";
    }

    std::int32_t day() {
        if (!dates_.empty() && chance(85)) return pick(dates_) + below(3) - 1;
        return 19000 + below(2500);
    }

private:
    int below(int n) { return n <= 1 ? 0 : static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }
    bool chance(int percent) { return below(100) < percent; }
    template <typename T>
    const T& pick(const std::vector<T>& v) { return v[below(static_cast<int>(v.size()))]; }

    std::string date_text(const std::string& path) {
        std::int32_t d = day();
        if (auto it = g_.attr_dates.find(path); it != g_.attr_dates.end() && chance(60)) {
            const std::vector<std::int32_t> own(it->second.begin(), it->second.end());
            d = pick(own) + below(3) - 1;
        }
        if (chance(10)) return format_date(d) + (chance(50) ? "T23:30:00-02:00" : "T00:15:00Z");
        return format_date(d);
    }

    std::string number_text(const std::string& path) {
        double v;
        const auto it = g_.attr_numbers.find(path);
        if (it != g_.attr_numbers.end() && chance(70)) {
            const std::vector<double> own(it->second.begin(), it->second.end());
            v = near(pick(own));
        } else if (!numbers_.empty() && chance(80)) {
            v = near(pick(numbers_));
        } else {
            v = below(5) == 0 ? -below(100) : below(20000);
            if (chance(20)) v /= 7;
        }
        if (!std::isfinite(v)) v = 0;
        if (v == 0 && chance(20)) return "-0";
        if (chance(10)) return fmt::format("{:e}", v);  // 4.800000e+03
        return fmt::format("{}", v);
    }

    // A constant itself, or just above or below it.
    double near(double v) {
        {
            switch (below(8)) {
                case 0: v = v + 1; break;
                case 1: v = v - 1; break;
                case 2: v = std::nextafter(v, std::numeric_limits<double>::infinity()); break;
                case 3: v = std::nextafter(v, -std::numeric_limits<double>::infinity()); break;
                case 4: v = v * 0.5; break;
                default: break;  // the constant itself
            }
        }
        return v;
    }

    std::string scalar(SType t, const std::string& path) {
        switch (t.ty) {
            case Ty::Bool: return chance(50) ? "true" : "false";
            case Ty::Num: return number_text(path);
            case Ty::Date: return json_quote(date_text(path));
            case Ty::Str:
                if (t.dom == kCountry) return json_quote(chance(85) ? pick(kCountries) : (chance(50) ? "QQ" : "AB"));
                if (t.dom >= 0) return json_quote(pick(g_.enums[t.dom]));
                if (chance(3)) return json_quote(std::string(40, 'z'));
                return json_quote(pick(strings_));
        }
        return "null";
    }

    // The members of a record; `in_list` raises the chance of a missing field.
    // `prefix`: the path of the record ("rec0.", "lst2[].").
    void fields(const std::vector<SNode>& nodes, std::string& out, bool& first, int in_list, const std::string& prefix) {
        for (const auto& n : nodes) {
            const std::string path = prefix + n.name;
            std::string value;
            switch (n.kind) {
                case SNode::Kind::Scalar: {
                    const int absent = n.optional ? (dense_ ? 10 : 30) : dense_ ? 0 : (in_list ? 10 : 6);
                    if (chance(absent)) continue;
                    value = n.optional && chance(5) ? "null" : scalar(n.type, path);
                    break;
                }
                case SNode::Kind::Record: {
                    if (!dense_ && chance(6)) continue;
                    value = "{";
                    bool f = true;
                    fields(n.kids, value, f, in_list, path + ".");
                    value += "}";
                    break;
                }
                case SNode::Kind::List: {
                    if (chance(12)) continue;
                    int count = chance(15) ? 0 : 1 + below(4);
                    if (chance(5)) count = 20 + below(30);
                    value = "[";
                    for (int i = 0; i < count; ++i) {
                        if (i) value += ", ";
                        if (!n.records) {
                            value += scalar(n.type, path + "[]");
                            continue;
                        }
                        value += "{";
                        bool f = true;
                        fields(n.kids, value, f, in_list + 1, path + "[].");
                        value += "}";
                    }
                    value += "]";
                    break;
                }
            }
            out += std::string(first ? "" : ", ") + json_quote(n.name) + ": " + value;
            first = false;
        }
    }

    const GeneratedSet& g_;
    std::mt19937_64& rng_;
    std::vector<double> numbers_;
    std::vector<std::int32_t> dates_;
    std::vector<std::string> strings_;
    bool dense_ = false;
};

}  // namespace

Scenario generate_scenario(const GeneratedSet& set, std::mt19937_64& rng) {
    RequestWriter w(set, rng);
    Scenario s;
    s.request = w.request();
    s.as_of = w.day();
    static const std::vector<std::vector<Status>> masks = {
        {}, {}, {}, {Status::Proposed}, {Status::Proposed, Status::Bill, Status::Draft}, {Status::Rescinded},
        {Status::Proposed, Status::Bill, Status::Draft, Status::Rescinded}};
    s.include = masks[rng() % masks.size()];
    // One scenario in four includes some policies by name, whatever their status: rules
    // alike in two policies (twins, families) must then part (only one may be enforced).
    if (rng() % 4 == 0)
        for (const auto& p : set.policies)
            if (rng() % 2) s.policies.push_back(p.name);
    return s;
}

std::string Scenario::describe_options() const {
    std::vector<std::string> inc;
    for (auto st : include) inc.push_back(status_name(st));
    return fmt::format("as_of {}; include [{}]; include_policy [{}]", format_date(as_of), fmt::join(inc, ", "),
                       fmt::join(policies, ", "));
}

}  // namespace cordon::gen
