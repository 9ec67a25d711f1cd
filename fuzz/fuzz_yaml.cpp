// fuzz_yaml: the same YAML text through all four YAML loaders, each from text registered
// in a SourceMap: parse_schema (then AttributeIndex::build), parse_manifest, parse_sets
// and parse_table. None may crash; a failure must come with an error diagnostic, and
// every diagnostic must render (its span lies inside the registered text).
#include <cstdint>
#include <string>

#include "cordon/dsl/attributes.hpp"
#include "cordon/dsl/data.hpp"
#include "cordon/dsl/manifest.hpp"
#include "cordon/dsl/schema.hpp"
#include "fuzz_support.hpp"

using namespace cordon;

namespace {

// A loader that returned nothing must have said why, and what it said must render.
template <class T>
void require_reason(const std::optional<T>& result, const Diagnostics& diags, const SourceMap& sources,
                    const char* loader) {
    if (!result && !diags.has_errors()) fuzz::fail(loader, "returned nothing without an error diagnostic");
    for (const auto& d : diags.items()) {
        if (d.span.file >= sources.size() || d.span.begin > d.span.end ||
            d.span.end > sources.text(d.span.file).size())
            fuzz::fail(loader, "a diagnostic's span lies outside its file: " + d.message + " [" +
                                   std::to_string(d.span.begin) + ", " + std::to_string(d.span.end) + ") of " +
                                   std::to_string(sources.text(d.span.file).size()) + " bytes");
    }
    (void)render_all(diags, sources);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    SourceMap sources;
    const auto file = sources.add("fuzz.yaml", text);
    {
        Diagnostics diags;
        auto schema = parse_schema(sources, file, diags);
        require_reason(schema, diags, sources, "parse_schema");
        if (schema) (void)AttributeIndex::build(*schema);
    }
    {
        Diagnostics diags;
        auto manifest = parse_manifest(sources, file, diags);
        require_reason(manifest, diags, sources, "parse_manifest");
    }
    {
        Diagnostics diags;
        auto sets = parse_sets(sources, file, diags);
        require_reason(sets, diags, sources, "parse_sets");
    }
    {
        Diagnostics diags;
        auto table = parse_table(sources, file, diags);
        require_reason(table, diags, sources, "parse_table");
        if (table)
            for (const auto& row : table->rows)
                if (row.cells.size() != table->columns.size()) fuzz::fail("parse_table", "a row's cells are not parallel to the columns");
    }
    return 0;
}
