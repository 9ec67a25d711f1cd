// RequestBuilder: handle resolution with "did you mean" errors, typed stores, and list
// elements staged per list and laid out contiguously at finish().
#include "cordon/engine/builder.hpp"
#include "program/program.hpp"

#include <cctype>
#include <cmath>
#include <fmt/format.h>
#include <stdexcept>

namespace cordon {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

[[noreturn]] void reject(std::string message) { throw std::invalid_argument(std::move(message)); }

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
    const auto near = nearest_name(std::string(name), candidates);
    return near.empty() ? std::string() : fmt::format("; did you mean `{}`?", near);
}

bool is_country(std::string_view s) {
    return s.size() == 2 && std::isupper(static_cast<unsigned char>(s[0])) &&
           std::isupper(static_cast<unsigned char>(s[1]));
}

// What a value of `type` is called in errors ("expected a number, got ...").
const char* expected(ScalarType type) {
    switch (type) {
        case ScalarType::Number: return "a number";
        case ScalarType::Bool: return "true or false";
        case ScalarType::Date: return "a date";
        case ScalarType::Country: return "a country code string";
        case ScalarType::Enum: return "one of the enum's strings";
        case ScalarType::String: break;
    }
    return "a string";
}

}  // namespace

RequestBuilder::RequestBuilder(const PolicySet& set) : set_(set), staged_(set.checked().attrs.lists.size()) {}

AttrHandle RequestBuilder::handle(std::string_view path) const {
    const auto& ix = set_.checked().attrs;
    const std::string key(path);
    if (auto it = ix.attr_by_path.find(key); it != ix.attr_by_path.end()) return AttrHandle{it->second};
    if (ix.list_by_path.count(key))
        reject(fmt::format("`{}` is a list, not a scalar attribute; use list(\"{}\")", path, path));
    if (path == "id") reject("`id` is an envelope field, not an attribute; use set_id()");
    if (path == "time")
        reject("`time` is not declared in the schema (declare `time: date?` to read it in rules); use set_time()");
    for (const auto& l : ix.lists) {
        for (const std::string sep : {"[].", "."}) {
            const auto prefix = l.path + sep;
            if (starts_with(path, prefix))
                reject(fmt::format("`{}` is inside the list `{}`; use field(list(\"{}\"), \"{}\")", path, l.path,
                                   l.path, path.substr(prefix.size())));
        }
    }
    const auto record_prefix = key + ".";
    for (const auto& a : ix.attrs)
        if (a.list < 0 && starts_with(a.path, record_prefix))
            reject(fmt::format("`{}` is a record, not a scalar attribute; name one of its fields, e.g. `{}`", path,
                               a.path));
    std::vector<std::string> scalars;
    for (const auto& [p, id] : ix.attr_by_path) scalars.push_back(p);
    reject(fmt::format("unknown attribute `{}`{}", path, did_you_mean(path, scalars)));
}

ListHandle RequestBuilder::list(std::string_view path) const {
    const auto& ix = set_.checked().attrs;
    const std::string key(path);
    if (auto it = ix.list_by_path.find(key); it != ix.list_by_path.end()) return ListHandle{it->second};
    if (ix.attr_by_path.count(key))
        reject(fmt::format("`{}` is a scalar attribute, not a list; use handle(\"{}\")", path, path));
    std::vector<std::string> lists;
    for (const auto& l : ix.lists) lists.push_back(l.path);
    reject(fmt::format("unknown list `{}`{}", path, did_you_mean(path, lists)));
}

ElemHandle RequestBuilder::field(ListHandle list, std::string_view name) const {
    const auto& ix = set_.checked().attrs;
    if (list.list < 0 || static_cast<std::size_t>(list.list) >= ix.lists.size())
        reject(fmt::format("field(\"{}\"): invalid list handle", name));
    const auto& l = ix.lists[list.list];
    if (!l.of_records)
        reject(fmt::format("`{}` is a list of scalars, its elements have no field `{}`; use item()", l.path, name));
    if (auto it = l.field_by_name.find(std::string(name)); it != l.field_by_name.end())
        return ElemHandle{list.list, it->second};
    std::vector<std::string> names;
    for (const auto& [n, id] : l.field_by_name) names.push_back(n);
    reject(fmt::format("unknown field `{}[].{}` of list `{}`{}", l.path, name, l.path, did_you_mean(name, names)));
}

ElemHandle RequestBuilder::item(ListHandle list) const {
    const auto& ix = set_.checked().attrs;
    if (list.list < 0 || static_cast<std::size_t>(list.list) >= ix.lists.size()) reject("item(): invalid list handle");
    const auto& l = ix.lists[list.list];
    if (l.of_records) reject(fmt::format("`{}` is a list of records; use field() to name one of its fields", l.path));
    return ElemHandle{list.list, l.fields.front()};
}

void RequestBuilder::begin(Request& request) {
    request_ = &request;
    request.reset(set_.program());
    for (auto& s : staged_) {
        s.values.clear();
        s.count = 0;
    }
    first_error_.reset();
    errors_.clear();
}

bool RequestBuilder::fail(const Attribute* a, std::int32_t element, std::string message) {
    std::string path = a ? a->path : std::string("<invalid handle>");
    if (a && a->list >= 0) {
        // "intermediaries[].role" -> "intermediaries[1].role"
        const auto at = path.find("[]");
        if (at != std::string::npos) path.insert(at + 1, std::to_string(element));
    }
    errors_.push_back(RequestError{std::move(path), std::move(message)});
    if (!first_error_) first_error_ = errors_.front();
    return false;
}

Value* RequestBuilder::root_slot(AttrHandle h, const Attribute*& attr) {
    const auto& attrs = set_.checked().attrs.attrs;
    attr = nullptr;
    if (h.attr < 0 || static_cast<std::size_t>(h.attr) >= attrs.size() || attrs[h.attr].list >= 0) {
        fail(nullptr, 0, "not a handle of this policy set's root attributes");
        return nullptr;
    }
    attr = &attrs[h.attr];
    if (!request_) {
        fail(attr, 0, "no request to set: call begin() first");
        return nullptr;
    }
    return &request_->root[attr->slot];
}

Value* RequestBuilder::elem_slot(ElemHandle h, std::int32_t element, const Attribute*& attr) {
    const auto& ix = set_.checked().attrs;
    attr = nullptr;
    if (h.list < 0 || static_cast<std::size_t>(h.list) >= ix.lists.size() || h.attr < 0 ||
        static_cast<std::size_t>(h.attr) >= ix.attrs.size() || ix.attrs[h.attr].list != h.list) {
        fail(nullptr, element, "not a handle of this policy set's list fields");
        return nullptr;
    }
    attr = &ix.attrs[h.attr];
    auto& staged = staged_[h.list];
    if (!request_) {
        fail(attr, element, "no request to set: call begin() first");
        return nullptr;
    }
    if (element < 0 || element >= staged.count) {
        fail(attr, element, fmt::format("no element {} (the list has {}; add_element() first)", element, staged.count));
        return nullptr;
    }
    const auto stride = set_.program().lists[h.list].stride;
    return &staged.values[static_cast<std::size_t>(element) * stride + attr->slot];
}

bool RequestBuilder::store_number(Value* slot, const Attribute* a, double v, std::int32_t element) {
    if (!slot) return false;
    if (a->type != ScalarType::Number) return fail(a, element, fmt::format("expected {}, got a number", expected(a->type)));
    if (!std::isfinite(v)) return fail(a, element, fmt::format("{} is not a finite number", v));
    *slot = Value::number(v);
    return true;
}

bool RequestBuilder::store_bool(Value* slot, const Attribute* a, bool v, std::int32_t element) {
    if (!slot) return false;
    if (a->type != ScalarType::Bool) return fail(a, element, fmt::format("expected {}, got a boolean", expected(a->type)));
    *slot = Value::boolean(v);
    return true;
}

bool RequestBuilder::store_text(Value* slot, const Attribute* a, std::string_view v, std::int32_t element) {
    if (!slot) return false;
    switch (a->type) {
        case ScalarType::Number:
        case ScalarType::Bool:
            return fail(a, element, fmt::format("expected {}, got a string (\"{}\")", expected(a->type), v));
        case ScalarType::Date: {
            const auto day = parse_time_value(v);
            if (!day) return fail(a, element, fmt::format("expected a date \"YYYY-MM-DD\", got \"{}\"", v));
            return store_date(slot, a, *day, element);
        }
        case ScalarType::Country:
            if (!is_country(v))
                return fail(a, element, fmt::format(
                    "expected an ISO 3166-1 alpha-2 country code (two upper-case letters), got \"{}\"", v));
            break;
        case ScalarType::Enum: {
            bool ok = false;
            for (const auto& e : a->enum_values) ok = ok || e == v;
            if (!ok) return fail(a, element, fmt::format("\"{}\" is not one of: {}", v, fmt::join(a->enum_values, ", ")));
            break;
        }
        case ScalarType::String: break;
    }
    *slot = Value::string(request_->intern_extra(set_.program(), v));
    return true;
}

bool RequestBuilder::store_date(Value* slot, const Attribute* a, std::int32_t day, std::int32_t element) {
    if (!slot) return false;
    if (a->type != ScalarType::Date) return fail(a, element, fmt::format("expected {}, got a date", expected(a->type)));
    *slot = Value::date(day);
    if (a->list < 0 && a->slot == set_.program().time_attr) request_->time = day;
    return true;
}

bool RequestBuilder::set(AttrHandle h, double v) {
    const Attribute* a;
    Value* slot = root_slot(h, a);
    return store_number(slot, a, v, 0);
}

bool RequestBuilder::set(AttrHandle h, bool v) {
    const Attribute* a;
    Value* slot = root_slot(h, a);
    return store_bool(slot, a, v, 0);
}

bool RequestBuilder::set(AttrHandle h, std::string_view v) {
    const Attribute* a;
    Value* slot = root_slot(h, a);
    return store_text(slot, a, v, 0);
}

bool RequestBuilder::set_date(AttrHandle h, std::int32_t day) {
    const Attribute* a;
    Value* slot = root_slot(h, a);
    return store_date(slot, a, day, 0);
}

bool RequestBuilder::clear(AttrHandle h) {
    const Attribute* a;
    Value* slot = root_slot(h, a);
    if (!slot) return false;
    *slot = Value{};
    if (a->slot == set_.program().time_attr) request_->time.reset();
    return true;
}

std::int32_t RequestBuilder::add_element(ListHandle list) {
    if (list.list < 0 || static_cast<std::size_t>(list.list) >= staged_.size()) {
        fail(nullptr, 0, "add_element(): not a list handle of this policy set");
        return -1;
    }
    auto& staged = staged_[list.list];
    staged.values.resize(staged.values.size() + set_.program().lists[list.list].stride);
    return staged.count++;
}

bool RequestBuilder::set(ElemHandle h, std::int32_t element, double v) {
    const Attribute* a;
    Value* slot = elem_slot(h, element, a);
    return store_number(slot, a, v, element);
}

bool RequestBuilder::set(ElemHandle h, std::int32_t element, bool v) {
    const Attribute* a;
    Value* slot = elem_slot(h, element, a);
    return store_bool(slot, a, v, element);
}

bool RequestBuilder::set(ElemHandle h, std::int32_t element, std::string_view v) {
    const Attribute* a;
    Value* slot = elem_slot(h, element, a);
    return store_text(slot, a, v, element);
}

bool RequestBuilder::set_date(ElemHandle h, std::int32_t element, std::int32_t day) {
    const Attribute* a;
    Value* slot = elem_slot(h, element, a);
    return store_date(slot, a, day, element);
}

void RequestBuilder::set_id(std::string_view id) {
    if (request_) request_->id.assign(id);
}

void RequestBuilder::set_time(std::int32_t day) {
    if (!request_) return;
    request_->time = day;
    if (set_.program().time_attr >= 0) request_->root[set_.program().time_attr] = Value::date(day);
}

bool RequestBuilder::finish() {
    if (!request_) {
        fail(nullptr, 0, "finish() without begin()");
        return false;
    }
    auto& req = *request_;
    req.elems.clear();
    for (std::size_t l = 0; l < staged_.size(); ++l) {
        const auto& staged = staged_[l];
        req.lists[l].begin = static_cast<std::uint32_t>(req.elems.size());
        req.lists[l].count = static_cast<std::uint32_t>(staged.count);
        req.elems.insert(req.elems.end(), staged.values.begin(), staged.values.end());
    }
    return errors_.empty();
}

}  // namespace cordon
