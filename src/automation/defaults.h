// The rules Orchard ships (issue 19, item 6): editable like any other, active in the demo book and
// drafts in every other, so nothing acts on a customer's book until someone switches it on. Each
// is its definition's JSON, read by the same ParseDefinition as a person's rule.
#pragma once

#include <span>
#include <string_view>

namespace orchard::automation {

struct DefaultRule {
  std::string_view key;  // rules.builtin_key: the default is added once
  std::string_view name;
  std::string_view description;
  std::string_view definition;  // JSON (automation/rule.h)
};

std::span<const DefaultRule> DefaultRules();

}  // namespace orchard::automation
