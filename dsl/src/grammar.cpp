// Instantiates the grammar once for the iterator and context types of grammar_config.hpp.
#include "grammar_def.hpp"

namespace cordon::parser {

BOOST_SPIRIT_INSTANTIATE(policy_file_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(expression_only_type, iterator_type, context_type)

policy_file_type const& policy_file() { return policy_file_rule; }
expression_only_type const& expression_only() { return expression_only_rule; }

}  // namespace cordon::parser
