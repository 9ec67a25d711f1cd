// Declarations of the rule-language grammar's entry points (definitions in grammar_def.hpp,
// instantiated once in grammar.cpp).
#pragma once
#include "cordon/dsl/ast.hpp"
#include "grammar_config.hpp"

namespace cordon::parser {

struct policy_file_class;
struct expression_only_class;

/// A whole rule file: one or more `policy` blocks, then the end of the input.
using policy_file_type = x3::rule<policy_file_class, ast::PolicyFile>;
/// A single expression, then the end of the input (message holes, tools).
using expression_only_type = x3::rule<expression_only_class, ast::Expr>;

BOOST_SPIRIT_DECLARE(policy_file_type, expression_only_type)

policy_file_type const& policy_file();
expression_only_type const& expression_only();

}  // namespace cordon::parser
