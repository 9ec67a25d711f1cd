// Names of AST operators and effects, as written in rule files.
#include "cordon/dsl/ast.hpp"

namespace cordon::ast {

const char* op_name(Op op) {
    switch (op) {
        case Op::Bool: return "bool";
        case Op::Number: return "number";
        case Op::String: return "string";
        case Op::Date: return "date";
        case Op::SetLiteral: return "set";
        case Op::Name: return "name";
        case Op::Field: return ".";
        case Op::Index: return "[]";
        case Op::Call: return "call";
        case Op::Not: return "not";
        case Op::Neg: return "-";
        case Op::And: return "and";
        case Op::Or: return "or";
        case Op::Eq: return "==";
        case Op::Ne: return "!=";
        case Op::Lt: return "<";
        case Op::Le: return "<=";
        case Op::Gt: return ">";
        case Op::Ge: return ">=";
        case Op::Add: return "+";
        case Op::Sub: return "-";
        case Op::Mul: return "*";
        case Op::Div: return "/";
        case Op::In: return "in";
        case Op::Has: return "has";
        case Op::Any: return "any";
        case Op::All: return "all";
        case Op::Count: return "count";
        case Op::Sum: return "sum";
        case Op::If: return "if";
    }
    return "?";
}

const char* effect_name(Effect e) {
    switch (e) {
        case Effect::Deny: return "deny";
        case Effect::Report: return "report";
        case Effect::Allow: return "allow";
    }
    return "?";
}

}  // namespace cordon::ast
