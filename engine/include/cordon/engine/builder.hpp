// RequestBuilder: fills a Request from code instead of JSON, through attribute handles
// resolved once at load time, so building a request does no string look-ups on paths.
#pragma once
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cordon/engine/policy_set.hpp"
#include "cordon/engine/request.hpp"

namespace cordon {

/// A root scalar attribute ("customer.hq_country"). Default-constructed: invalid.
struct AttrHandle {
    std::int32_t attr = -1;  // index into AttributeIndex::attrs
    bool valid() const { return attr >= 0; }
};

/// A list attribute ("intermediaries", "customer.owners").
struct ListHandle {
    std::int32_t list = -1;  // index into AttributeIndex::lists
    bool valid() const { return list >= 0; }
};

/// A field of a list's elements ("role" of "intermediaries"), or the element itself
/// for a list of scalars (see RequestBuilder::item).
struct ElemHandle {
    std::int32_t list = -1;
    std::int32_t attr = -1;
    bool valid() const { return list >= 0 && attr >= 0; }
};

/// Builds requests for one PolicySet.
///
/// Resolve handles once (`handle`, `list`, `field`, `item`): they are plain values, valid
/// for every builder of the same PolicySet, and may be shared between threads. Then, per
/// request, on one builder per thread:
///
///     builder.begin(request);
///     builder.set(hq, "CN");
///     auto e = builder.add_element(intermediaries);
///     builder.set(role, e, "reseller");
///     if (!builder.finish()) { /* builder.error(): fail closed */ }
///     evaluator.decide(request, set.options(request, day), decision);
///
/// Once the builder and the Request have seen a request of the same size, building
/// allocates nothing (strings the policies never mention go into the Request's arena,
/// which keeps its capacity).
///
/// Lists: elements may be added to any list in any order, interleaved; each list's
/// elements are staged in the builder and laid out contiguously in `Request::elems`
/// by `finish()`. `finish()` must be called before the request is evaluated; until then
/// every list of the request reads as empty.
///
/// Errors: a set with the wrong type (a string on a number attribute, an enum value not
/// declared, a country that is not two upper-case letters, a non-finite number, a stale
/// element index or an invalid handle) stores nothing, returns false and records a
/// RequestError naming the path ("intermediaries[1].role"), as the JSON decoder would.
/// Building goes on; `finish()` returns false when any error was recorded, and the
/// caller should then fail closed (treat it as a deny, as `cordon check` treats bad input).
class RequestBuilder {
public:
    /// The set must outlive the builder.
    explicit RequestBuilder(const PolicySet& set);

    /// The handle of a root scalar attribute. Throws std::invalid_argument naming the
    /// path and, when one is close, the nearest valid path ("unknown attribute
    /// `customer.hq_contry`; did you mean `customer.hq_country`?"); also for records,
    /// lists (use `list`) and the envelope fields `id`/`time` when undeclared (use
    /// `set_id`/`set_time`). `time`, when the schema declares it, is a date attribute.
    AttrHandle handle(std::string_view path) const;
    /// The handle of a list attribute. Throws std::invalid_argument like `handle`.
    ListHandle list(std::string_view path) const;
    /// A field of a list of records, by its name within the element ("role", or
    /// "address.country" for a nested record). Throws std::invalid_argument.
    ElemHandle field(ListHandle list, std::string_view name) const;
    /// The element value of a list of scalars. Throws std::invalid_argument for a list
    /// of records.
    ElemHandle item(ListHandle list) const;

    /// Starts a request: resets `request` for the program and clears errors and lists.
    void begin(Request& request);

    /// Root scalars. Numbers go to number attributes; bools to bool attributes; text to
    /// string, country, enum attributes, and to date attributes as an ISO date or
    /// date-time (as in JSON).
    bool set(AttrHandle h, double v);
    bool set(AttrHandle h, bool v);
    bool set(AttrHandle h, std::string_view v);
    bool set(AttrHandle h, const char* v) { return set(h, std::string_view(v)); }
    bool set(AttrHandle h, const std::string& v) { return set(h, std::string_view(v)); }
    template <class T>
        requires std::integral<T> && (!std::same_as<T, bool>)
    bool set(AttrHandle h, T v) { return set(h, static_cast<double>(v)); }
    /// A date attribute, as days since 1970-01-01. Setting the declared `time` attribute
    /// also sets the request's `time` (as_of), as the JSON envelope does.
    bool set_date(AttrHandle h, std::int32_t day);
    /// Makes an attribute absent again.
    bool clear(AttrHandle h);

    /// Appends an element to `list` (all its fields absent) and returns its index, or
    /// -1 (with an error recorded) for an invalid handle.
    std::int32_t add_element(ListHandle list);

    /// Fields of element `element` of the handle's list; the same typing as above.
    bool set(ElemHandle h, std::int32_t element, double v);
    bool set(ElemHandle h, std::int32_t element, bool v);
    bool set(ElemHandle h, std::int32_t element, std::string_view v);
    bool set(ElemHandle h, std::int32_t element, const char* v) { return set(h, element, std::string_view(v)); }
    bool set(ElemHandle h, std::int32_t element, const std::string& v) { return set(h, element, std::string_view(v)); }
    template <class T>
        requires std::integral<T> && (!std::same_as<T, bool>)
    bool set(ElemHandle h, std::int32_t element, T v) { return set(h, element, static_cast<double>(v)); }
    bool set_date(ElemHandle h, std::int32_t element, std::int32_t day);

    /// The envelope `id`, echoed in the decision.
    void set_id(std::string_view id);
    /// The envelope `time` (as_of of the evaluation), as days since 1970-01-01; also
    /// the `time` attribute when the schema declares it.
    void set_time(std::int32_t day);

    /// Lays the staged list elements out in the request. Returns false when an error was
    /// recorded since `begin`. The request is complete either way; on false, fail closed.
    bool finish();

    /// The first error since `begin` (nullopt when none), and all of them.
    const std::optional<RequestError>& error() const { return first_error_; }
    const std::vector<RequestError>& errors() const { return errors_; }

    const PolicySet& policy_set() const { return set_; }

private:
    Value* root_slot(AttrHandle h, const Attribute*& attr);
    Value* elem_slot(ElemHandle h, std::int32_t element, const Attribute*& attr);
    bool store_number(Value* slot, const Attribute* a, double v, std::int32_t element);
    bool store_bool(Value* slot, const Attribute* a, bool v, std::int32_t element);
    bool store_text(Value* slot, const Attribute* a, std::string_view v, std::int32_t element);
    bool store_date(Value* slot, const Attribute* a, std::int32_t day, std::int32_t element);
    bool fail(const Attribute* a, std::int32_t element, std::string message);

    const PolicySet& set_;
    Request* request_ = nullptr;
    struct Staged {
        std::vector<Value> values;  // `stride` values per element
        std::int32_t count = 0;
    };
    std::vector<Staged> staged_;  // one per list
    std::optional<RequestError> first_error_;
    std::vector<RequestError> errors_;
};

}  // namespace cordon
