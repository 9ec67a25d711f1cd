// Calendar days <-> "YYYY-MM-DD", after Howard Hinnant's chrono-compatible algorithms.
#include <cstdio>

#include "cordon/dsl/parse.hpp"

namespace cordon {

namespace {
bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}
}  // namespace

std::optional<std::int32_t> days_from_civil(int y, int m, int d) {
    // The range keeps every intermediate value (and the result) well inside int32.
    if (y < -1000000 || y > 1000000 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return std::nullopt;
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;                                   // [0, 399]
    const int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           // [0, 146096]
    return era * 146097 + doe - 719468;
}

std::optional<std::int32_t> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    int parts[3] = {0, 0, 0};
    const int starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
    for (int p = 0; p < 3; ++p) {
        for (int i = 0; i < lens[p]; ++i) {
            const char c = text[starts[p] + i];
            if (c < '0' || c > '9') return std::nullopt;
            parts[p] = parts[p] * 10 + (c - '0');
        }
    }
    return days_from_civil(parts[0], parts[1], parts[2]);
}

std::string format_date(std::int32_t days) {
    const long long z = static_cast<long long>(days) + 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const long long doe = z - era * 146097;                                // [0, 146096]
    const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
    const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);          // [0, 365]
    const long long mp = (5 * doy + 2) / 153;                               // [0, 11]
    const long long d = doy - (153 * mp + 2) / 5 + 1;                       // [1, 31]
    const long long m = mp < 10 ? mp + 3 : mp - 9;                          // [1, 12]
    const long long y = yoe + era * 400 + (m <= 2);
    char buf[64];
    if (y >= 0 && y <= 9999)
        std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", y, m, d);
    else
        std::snprintf(buf, sizeof buf, "%lld-%02lld-%02lld", y, m, d);
    return buf;
}

}  // namespace cordon
