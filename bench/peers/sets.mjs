// Country groups used by every engine of the comparison (15 CFR part 740, supplement 1).
// bench/peers/sets.yaml holds the same lists for cordon; run.mjs checks that they agree.
export const D5 = ["AF", "BY", "MM", "KH", "CF", "CN", "CD", "CU", "ER", "HT", "IR", "IQ", "KP",
  "LB", "LY", "NI", "RU", "SO", "SS", "SD", "SY", "VE", "ZW"];
export const MACAU = ["MO"];
export const D1 = ["AM", "AZ", "BY", "KH", "CN", "GE", "IQ", "KZ", "KP", "KG", "LA", "MO", "MD",
  "MN", "NI", "RU", "TJ", "TM", "UZ", "VN", "YE", "MM"];
export const D4 = ["BH", "CN", "EG", "IR", "IQ", "IL", "JO", "KP", "KW", "LB", "LY", "MO", "OM",
  "PK", "QA", "RU", "SA", "SY", "AE", "YE"];

// Derived unions (what the rules test).
export const D5_MO = [...new Set([...D5, ...MACAU])];
export const D1_D4 = [...new Set([...D1, ...D4])];

// Rule names, shared by all engines; fired lists are sorted by these names.
export const RULES = ["advanced_d1_d4", "entity_list", "hq_d5", "intermediary_d5", "large_training",
  "unverified_foreign"];
export const EFFECT = {
  hq_d5: "deny", intermediary_d5: "deny", entity_list: "deny", unverified_foreign: "deny",
  large_training: "report", advanced_d1_d4: "report",
};

// deny if any deny rule fired, else report if any report rule fired, else allow.
export function decisionOf(fired) {
  let report = false;
  for (const r of fired) {
    const e = EFFECT[r];
    if (e === "deny") return "deny";
    if (e === "report") report = true;
  }
  return report ? "report" : "allow";
}
