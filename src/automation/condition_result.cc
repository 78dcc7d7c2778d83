// ParseCondition: Condition::Parse with its ParseError as the project's Error. Apart from
// condition.cc, which the fuzz target compiles alone and so uses only the standard library.
#include "automation/condition.h"

namespace orchard::automation {

Result<Condition> ParseCondition(std::string_view text, std::span<const FieldDef> catalog) {
  auto parsed = Condition::Parse(text, catalog);
  if (!parsed) return FailValue("condition", parsed.error().Message());
  return std::move(*parsed);
}

}  // namespace orchard::automation
