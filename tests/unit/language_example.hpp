// The example file of LANGUAGE.md, verbatim: the contract every test of it starts from.
#pragma once

namespace cordon::test {

inline const char* const kLanguageExample = R"cordon(# Comments run from '#' to the end of the line.
policy us.ear.advanced_computing {
  title     "EAR: advanced computing ICs and computers (3A090, 4A090)"
  authority "15 CFR 742.6(a)(6); 15 CFR 744.23"
  status    in_force             # in_force | proposed | rescinded | bill | draft
  effective 2023-11-17           # optional: rules inactive before this date
  sunset    2099-01-01           # optional: rules inactive from this date on

  use sets  from "../data/country_groups.yaml"   # named string sets: D1, D4, D5, MACAU, ...
  use table chips from "../data/chips.yaml"      # records keyed by name

  let advanced_ic =
        resource.tpp >= 4800
     or (resource.tpp >= 1600 and resource.performance_density >= 5.92)

  let d5_or_macau(c) = c in D5 or c in MACAU     # parameterised, non-recursive, inlined

  rule hq_in_d5_or_macau {
    deny when advanced_ic
          and (d5_or_macau(customer.hq_country) or d5_or_macau(customer.parent_hq_country))
    unless license.granted
    because "advanced IC for an entity headquartered in {customer.hq_country}"
    cite "15 CFR 742.6(a)(6)(iii)"
  }

  rule d5_intermediary {
    deny when advanced_ic and any p in intermediaries: d5_or_macau(p.country)
    unless license.granted
    because "an intermediary on the access chain sits in Country Group D:5 or Macau"
    cite "15 CFR 744.23"
  }

  rule large_training {
    report when customer.foreign and workload.kind == "training"
            and (workload.training_ops >= 1e26
                 or (workload.bio_sequence and workload.training_ops >= 1e23))
    to "Department of Commerce (BIS)" within 15 days
    because "foreign person training a large AI model ({workload.training_ops} operations)"
    cite "proposed 15 CFR 7.308, 89 FR 5698"
  }
}
)cordon";

}  // namespace cordon::test
