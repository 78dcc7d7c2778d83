// Condition: the middle of an automation rule (trigger → condition → actions, issue 19), a small
// expression language over an account's fields and metrics, e.g.
//   tier in (1, 2) and health < 50 and not (colour = "green") or arr >= 250k
// docs/RULES.md ("Conditions") is the user's description of the language; this is the parser, the
// type checker and the evaluator.
//
// The caller owns the catalog of fields (FieldDef: names, types, closed choices) and the reader
// that gives one account's values; a Condition holds only catalog indexes and its own copies of
// the literals, so it outlives neither. Parse checks everything it can (names, types, choices,
// limits), so Eval cannot fail: it walks a flat array of nodes with the literals pre-folded and
// allocates nothing.
//
// condition.cc uses only the standard library, because the fuzz target (tests/fuzz.cmake) compiles
// it alone with clang; ParseCondition, the adapter to the project's Result, is condition_result.cc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace orchard::automation {

enum class ValueType : uint8_t { kNumber, kText, kBool };

// A field a condition may read, as the caller's catalog defines it.
struct FieldDef {
  std::string_view name;  // as written in a condition, lower case: "health", "days_to_renewal"
  ValueType type;
  std::string_view description;                    // one line, for the editor's help and errors
  std::span<const std::string_view> choices = {};  // text fields with a closed set of values
};

// One field's value for one account. missing: the account has none (no health score yet, no
// renewal). A value whose type is not the catalog's is treated as missing.
struct Value {
  ValueType type = ValueType::kNumber;
  bool missing = false;
  double number = 0;
  std::string_view text;
  bool boolean = false;

  static Value Number(double number);
  static Value Text(std::string_view text);
  static Value Bool(bool boolean);
  static Value Missing(ValueType type);
};

// One account's values; field is an index into the catalog the condition was parsed with.
class FieldReader {
 public:
  virtual ~FieldReader() = default;
  virtual Value Get(size_t field) const = 0;
};

// Why a condition does not parse, and where.
struct ParseError {
  size_t offset = 0;     // in bytes
  int line = 1;          // 1-based
  int column = 1;        // 1-based, in characters (UTF-8 code points)
  std::string expected;  // "a number", "')'", "one of green, yellow, red, none"
  std::string found;     // "'abc'", "the end of the condition"
  std::string after;     // what it follows, as written, when that helps: "health <"
  std::string hint;      // "did you mean 'health'?"

  // "line 1, column 12: expected a number after 'health <', found 'abc'"
  std::string Message() const;
};

// One comparison of an explained evaluation.
struct Clause {
  std::string text;   // the comparison, canonically: "health < 50"
  std::string field;  // "health"
  std::string value;  // the field's value as text: "42", "\"green\"", "missing"
  bool held = false;
  std::string other_field;  // a comparison of two fields: the second one and its value
  std::string other_value;
};

struct Explanation {
  bool result = false;
  std::vector<Clause> clauses;  // every comparison, in the order written
  // "true: tier in (1, 2) held (tier = 1); health < 50 held (health = 42)"
  std::string Sentence() const;
};

class Condition {
 public:
  Condition() = default;  // always true

  static std::expected<Condition, ParseError> Parse(std::string_view text,
                                                    std::span<const FieldDef> catalog);

  bool Eval(const FieldReader& reader) const;
  Explanation Explain(const FieldReader& reader) const;
  // The catalog indexes it reads, sorted and unique (for cycle checks).
  std::vector<size_t> Fields() const { return fields_; }
  bool always() const { return nodes_.empty(); }  // empty text: always true
  const std::string& text() const { return text_; }
  // Normalised and re-parseable: Parse(Canonical()).Canonical() == Canonical().
  std::string Canonical() const { return canonical_; }

  // The limits Parse enforces (docs/RULES.md).
  static constexpr size_t kMaxBytes = 4000;
  static constexpr int kMaxDepth = 64;
  static constexpr size_t kMaxListItems = 1000;
  static constexpr size_t kMaxComparisons = 500;

 private:
  friend class ConditionBuilder;

  enum class Kind : uint8_t {
    kAnd,       // kids_[first, first + count)
    kOr,        // kids_[first, first + count)
    kNot,       // nodes_[first]
    kBool,      // a bare bool field
    kNumber,    // field op number
    kText,      // field op texts_[first] (= or !=)
    kBoolIs,    // field op boolean (= or !=)
    kFields,    // field op nodes' other field, same type
    kNumberIn,  // field [not] in numbers_[first, first + count)
    kTextIn,    // field [not] in texts_[first, first + count)
  };
  enum class Op : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };
  struct Node {
    Kind kind = Kind::kAnd;
    Op op = Op::kEq;
    ValueType type = ValueType::kNumber;  // the field's, for leaves
    bool negated = false;                 // not in
    bool boolean = false;
    uint32_t field = 0;
    uint32_t other = 0;  // kFields: the second field
    uint32_t first = 0;
    uint32_t count = 0;
    uint32_t clause = 0;  // index into clauses_ (leaves)
    double number = 0;
  };

  bool EvalNode(uint32_t index, const FieldReader& reader) const;
  bool EvalExplained(uint32_t index, const FieldReader& reader, Explanation& out) const;
  bool Leaf(const Node& node, const Value& a, const Value& b) const;

  std::string text_;
  std::string canonical_;
  std::vector<Node> nodes_;  // the root is the last one
  std::vector<uint32_t> kids_;
  std::vector<double> numbers_;
  std::vector<std::string> texts_;        // lower-cased
  std::vector<std::string> clauses_;      // each leaf's canonical text
  std::vector<std::string> field_names_;  // catalog names by index (only the ones it reads)
  std::vector<size_t> fields_;
};

// Parse, with a ParseError as the project's Error: kInvalidValue, "condition: " + Message().
Result<Condition> ParseCondition(std::string_view text, std::span<const FieldDef> catalog);

}  // namespace orchard::automation
