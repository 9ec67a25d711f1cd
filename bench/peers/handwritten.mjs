// The comparison policy written by hand in plain JavaScript: the bar for "as fast as code
// written by hand", and the reference every other engine (and cordon) is checked against.
//
// decide(req) -> { decision: "allow" | "deny" | "report", fired: [rule names, sorted] }
//
// Rules (same names in every engine):
//   hq_d5              deny   advanced IC and customer country / hq / parent hq in D5 or Macau, unless licensed
//   intermediary_d5    deny   advanced IC and any intermediary in D5 or Macau, unless licensed
//   entity_list        deny   customer on the entity list, unless licensed
//   unverified_foreign deny   foreign customer whose identity is not verified
//   large_training     report foreign training run of >= 1e26 ops (>= 1e23 with biological sequence data)
//   advanced_d1_d4     report advanced IC to a customer in D1 or D4 (and not in D5 or Macau)
// Decision: deny if any deny rule fired, else report if any report rule fired, else allow.
import { D5_MO, D1_D4 } from "./sets.mjs";

const D5_MO_SET = new Set(D5_MO);
const D1_D4_SET = new Set(D1_D4);

export function decide(req) {
  const c = req.customer;
  const res = req.resource;
  const w = req.workload;
  const licensed = req.license.granted === true;
  const tpp = res.tpp;
  const advanced = tpp >= 4800 || (tpp >= 1600 && res.performance_density >= 5.92);
  const countryD5 = D5_MO_SET.has(c.country);

  // Pushed in sorted name order, so `fired` needs no sort.
  const fired = [];
  let deny = false;
  let report = false;

  // advanced_d1_d4
  if (advanced && !countryD5 && D1_D4_SET.has(c.country)) {
    fired.push("advanced_d1_d4");
    report = true;
  }
  // entity_list
  if (c.on_entity_list && !licensed) {
    fired.push("entity_list");
    deny = true;
  }
  if (advanced && !licensed) {
    // hq_d5
    if (countryD5 || D5_MO_SET.has(c.hq_country) || D5_MO_SET.has(c.parent_hq_country)) {
      fired.push("hq_d5");
      deny = true;
    }
    // intermediary_d5
    const im = req.intermediaries;
    for (let i = 0; i < im.length; i++) {
      if (D5_MO_SET.has(im[i].country)) {
        fired.push("intermediary_d5");
        deny = true;
        break;
      }
    }
  }
  // large_training
  if (c.foreign && w.kind === "training") {
    const ops = w.training_ops;
    if (ops >= 1e26 || (w.bio_sequence && ops >= 1e23)) {
      fired.push("large_training");
      report = true;
    }
  }
  // unverified_foreign
  if (c.foreign && !c.identity_verified) {
    fired.push("unverified_foreign");
    deny = true;
  }
  return { decision: deny ? "deny" : report ? "report" : "allow", fired };
}

export async function setup() {
  return decide;
}
