#include "domain/handoff.h"

namespace orchard {

std::string HandoffChecklistJson(bool done, std::string_view open) {
  // The keys and labels are constants without characters JSON would escape.
  std::string out = "[";
  for (const auto& item : kHandoffChecklist) {
    if (out.size() > 1) out += ",";
    const bool is_done = done && item.key != open;
    out += R"({"key":")" + std::string(item.key) + R"(","label":")" + std::string(item.label) +
           R"(","done":)" + (is_done ? "true" : "false") + R"(,"notes":""})";
  }
  return out + "]";
}

}  // namespace orchard
