// libFuzzer target for the condition language of automation rules (issue 19): any bytes must
// parse or fail with a positioned error, never crash or hang; a condition that parses must
// evaluate, explain itself consistently and write out a canonical form that parses back to
// itself and decides the same. tests/fuzz.cmake builds it with clang from condition.cc alone and
// runs it briefly in the test suite; `build/ci/tests/condition_fuzz -max_total_time=600 CORPUS`
// runs longer.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "automation/condition.h"

using orchard::automation::Condition;
using orchard::automation::Explanation;
using orchard::automation::FieldDef;
using orchard::automation::FieldReader;
using orchard::automation::Value;
using orchard::automation::ValueType;

namespace {

constexpr std::array<std::string_view, 4> kColours = {"green", "yellow", "red", "none"};
const std::array<FieldDef, 8> kCatalog = {{
    {"health", ValueType::kNumber, "health score"},
    {"tier", ValueType::kNumber, "tier"},
    {"arr", ValueType::kNumber, "annual recurring revenue"},
    {"days_to_renewal", ValueType::kNumber, "days to renewal"},
    {"colour", ValueType::kText, "health colour", kColours},
    {"name", ValueType::kText, "account name"},
    {"strategic", ValueType::kBool, "strategic"},
    {"churned", ValueType::kBool, "churned"},
}};

// Deterministic values from a seed; some fields missing, depending on it.
class Reader : public FieldReader {
 public:
  explicit Reader(uint32_t seed) : seed_(seed) {}
  Value Get(size_t field) const override {
    if (field >= kCatalog.size()) __builtin_trap();
    const uint32_t bits = (seed_ >> (field * 3)) ^ static_cast<uint32_t>(field * 2654435761u);
    const ValueType type = kCatalog[field].type;
    if (bits % 5 == 0) return Value::Missing(type);
    static constexpr double kNumbers[] = {0, 1, 2, 42, 50, -5, 250000, 1.5};
    static constexpr std::string_view kTexts[] = {"green", "RED", "none",
                                                  "Acme",  "",    "caf\xc3\xa9"};
    switch (type) {
      case ValueType::kNumber:
        return Value::Number(kNumbers[bits % 8]);
      case ValueType::kText:
        return Value::Text(kTexts[bits % 6]);
      case ValueType::kBool:
        return Value::Bool(bits % 2 == 1);
    }
    __builtin_trap();
  }

 private:
  uint32_t seed_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = Condition::Parse(text, kCatalog);
  if (!parsed) {
    const auto& e = parsed.error();
    if (e.offset > size || e.line < 1 || e.column < 1 || e.expected.empty() || e.found.empty()) {
      __builtin_trap();
    }
    if (e.Message().empty()) __builtin_trap();
    return 0;
  }
  const Condition& c = *parsed;
  if (c.text() != text || c.always() != c.Canonical().empty()) __builtin_trap();
  const auto fields = c.Fields();
  if (!std::is_sorted(fields.begin(), fields.end()) ||
      std::adjacent_find(fields.begin(), fields.end()) != fields.end() ||
      (!fields.empty() && fields.back() >= kCatalog.size())) {
    __builtin_trap();
  }
  auto again = Condition::Parse(c.Canonical(), kCatalog);
  if (!again || again->Canonical() != c.Canonical() || again->Fields() != fields) __builtin_trap();
  for (uint32_t seed : {0u, 0x9e3779b9u, static_cast<uint32_t>(size) * 0x85ebca6bu}) {
    const Reader reader(seed);
    const bool result = c.Eval(reader);
    const Explanation explained = c.Explain(reader);
    if (explained.result != result || again->Eval(reader) != result) __builtin_trap();
    if (explained.Sentence().empty()) __builtin_trap();
  }
  return 0;
}
