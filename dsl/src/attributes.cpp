// Numbering of schema leaves into root slots and per-list element slots.
#include "cordon/dsl/attributes.hpp"

namespace cordon {

namespace {
struct Builder {
    AttributeIndex& ix;

    void record(const SchemaField& rec, const std::string& prefix, int list) {
        for (const auto& f : rec.fields) {
            const std::string path = prefix.empty() ? f.name : prefix + "." + f.name;
            switch (f.kind) {
                case SchemaField::Kind::Scalar: scalar(f, path, list); break;
                case SchemaField::Kind::Record: record(f, path, list); break;
                case SchemaField::Kind::List:
                    if (list < 0) make_list(f, path);  // nested lists are rejected by the schema loader
                    break;
            }
        }
    }

    int scalar(const SchemaField& f, const std::string& path, int list) {
        Attribute a;
        a.path = path;
        a.type = f.scalar;
        a.enum_values = f.enum_values;
        a.optional = f.optional;
        a.list = list;
        const int id = static_cast<int>(ix.attrs.size());
        if (list < 0) {
            a.slot = ix.root_slots++;
            ix.attr_by_path.emplace(path, id);
        } else {
            auto& l = ix.lists[list];
            a.slot = static_cast<int>(l.fields.size());
            l.fields.push_back(id);
            // the element-relative name: strip "<list>[]." prefix
            const std::string rel = path.substr(l.path.size() + 3);
            l.field_by_name.emplace(rel, id);
        }
        ix.attrs.push_back(std::move(a));
        return id;
    }

    void make_list(const SchemaField& f, const std::string& path) {
        const int id = static_cast<int>(ix.lists.size());
        ListAttribute l;
        l.path = path;
        l.of_records = f.list_of_records;
        ix.lists.push_back(std::move(l));
        ix.list_by_path.emplace(path, id);
        if (f.list_of_records) {
            record(f, path + "[]", id);
        } else {
            SchemaField elem = f;
            elem.kind = SchemaField::Kind::Scalar;
            elem.optional = false;
            Attribute a;
            a.path = path + "[]";
            a.type = f.scalar;
            a.enum_values = f.enum_values;
            a.list = id;
            a.slot = 0;
            ix.lists[id].fields.push_back(static_cast<int>(ix.attrs.size()));
            ix.attrs.push_back(std::move(a));
        }
    }
};
}  // namespace

AttributeIndex AttributeIndex::build(const Schema& schema) {
    AttributeIndex ix;
    Builder{ix}.record(schema.root, "", -1);
    return ix;
}

std::vector<std::string> AttributeIndex::all_paths() const {
    std::vector<std::string> out;
    for (const auto& a : attrs)
        if (a.list < 0) out.push_back(a.path);
    for (const auto& l : lists) out.push_back(l.path);
    return out;
}

}  // namespace cordon
