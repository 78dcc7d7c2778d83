// The condition language's values, messages and evaluator (automation/condition.h); the parser
// is condition_parse.cc. Only the standard library: the fuzz target compiles these files with
// clang alone (tests/fuzz.cmake).
#include "automation/condition.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "automation/condition_text.h"

namespace orchard::automation {

using namespace condition_text;

Value Value::Number(double number) {
  Value v;
  v.number = number;
  return v;
}
Value Value::Text(std::string_view text) {
  Value v;
  v.type = ValueType::kText;
  v.text = text;
  return v;
}
Value Value::Bool(bool boolean) {
  Value v;
  v.type = ValueType::kBool;
  v.boolean = boolean;
  return v;
}
Value Value::Missing(ValueType type) {
  Value v;
  v.type = type;
  v.missing = true;
  return v;
}

std::string ParseError::Message() const {
  std::string out = "line " + std::to_string(line) + ", column " + std::to_string(column) +
                    ": expected " + expected;
  if (!after.empty()) out += " after '" + after + "'";
  out += ", found " + found;
  if (!hint.empty()) out += "; " + hint;
  return out;
}

std::string Explanation::Sentence() const {
  std::string out = result ? "true" : "false";
  if (clauses.empty()) return out + ": no condition, always true";
  out += ": ";
  for (size_t i = 0; i < clauses.size(); ++i) {
    const Clause& c = clauses[i];
    if (i > 0) out += "; ";
    out += c.text + (c.held ? " held (" : " did not hold (") + c.field + " = " + c.value;
    if (!c.other_field.empty()) out += ", " + c.other_field + " = " + c.other_value;
    out += ")";
  }
  return out;
}

namespace {

template <class T>
bool Compare(T a, uint8_t op, T b) {
  switch (op) {
    case 0:
      return a == b;
    case 1:
      return a != b;
    case 2:
      return a < b;
    case 3:
      return a <= b;
    case 4:
      return a > b;
    default:
      return a >= b;
  }
}

}  // namespace

// One comparison over values already read. A missing value (or one of another type than the
// catalog's) makes every comparison false, != and not in included.
bool Condition::Leaf(const Node& node, const Value& a, const Value& b) const {
  if (a.missing || a.type != node.type) return false;
  const auto op = static_cast<uint8_t>(node.op);
  switch (node.kind) {
    case Kind::kBool:
      return a.boolean;
    case Kind::kNumber:
      return Compare(a.number, op, node.number);
    case Kind::kText:
      return EqualsFolded(a.text, texts_[node.first]) == (node.op == Op::kEq);
    case Kind::kBoolIs:
      return (a.boolean == node.boolean) == (node.op == Op::kEq);
    case Kind::kFields:
      if (b.missing || b.type != node.type) return false;
      switch (node.type) {
        case ValueType::kNumber:
          return Compare(a.number, op, b.number);
        case ValueType::kText:
          return EqualsIgnoreCase(a.text, b.text) == (node.op == Op::kEq);
        case ValueType::kBool:
          return (a.boolean == b.boolean) == (node.op == Op::kEq);
      }
      return false;
    case Kind::kNumberIn: {
      const double* first = numbers_.data() + node.first;
      const bool found = std::find(first, first + node.count, a.number) != first + node.count;
      return found != node.negated;
    }
    case Kind::kTextIn: {
      bool found = false;
      for (uint32_t i = 0; i < node.count && !found; ++i) {
        found = EqualsFolded(a.text, texts_[node.first + i]);
      }
      return found != node.negated;
    }
    default:
      return false;
  }
}

bool Condition::EvalNode(uint32_t index, const FieldReader& reader) const {
  const Node& node = nodes_[index];
  switch (node.kind) {
    case Kind::kAnd:
      for (uint32_t i = 0; i < node.count; ++i) {
        if (!EvalNode(kids_[node.first + i], reader)) return false;
      }
      return true;
    case Kind::kOr:
      for (uint32_t i = 0; i < node.count; ++i) {
        if (EvalNode(kids_[node.first + i], reader)) return true;
      }
      return false;
    case Kind::kNot:
      return !EvalNode(node.first, reader);
    case Kind::kFields:
      return Leaf(node, reader.Get(node.field), reader.Get(node.other));
    default:
      return Leaf(node, reader.Get(node.field), Value{});
  }
}

bool Condition::Eval(const FieldReader& reader) const {
  if (nodes_.empty()) return true;
  return EvalNode(static_cast<uint32_t>(nodes_.size() - 1), reader);
}

// Like EvalNode, but every comparison is evaluated and recorded, in the order written.
bool Condition::EvalExplained(uint32_t index, const FieldReader& reader, Explanation& out) const {
  const Node& node = nodes_[index];
  switch (node.kind) {
    case Kind::kAnd:
    case Kind::kOr: {
      bool result = node.kind == Kind::kAnd;
      for (uint32_t i = 0; i < node.count; ++i) {
        const bool kid = EvalExplained(kids_[node.first + i], reader, out);
        result = node.kind == Kind::kAnd ? result && kid : result || kid;
      }
      return result;
    }
    case Kind::kNot:
      return !EvalExplained(node.first, reader, out);
    default: {
      const Value a = reader.Get(node.field);
      const Value b = node.kind == Kind::kFields ? reader.Get(node.other) : Value{};
      Clause clause;
      clause.text = clauses_[node.clause];
      clause.field = field_names_[node.field];
      clause.value = FormatValue(a, node.type);
      clause.held = Leaf(node, a, b);
      if (node.kind == Kind::kFields) {
        clause.other_field = field_names_[node.other];
        clause.other_value = FormatValue(b, node.type);
      }
      out.clauses.push_back(std::move(clause));
      return out.clauses.back().held;
    }
  }
}

Explanation Condition::Explain(const FieldReader& reader) const {
  Explanation out;
  out.result =
      nodes_.empty() || EvalExplained(static_cast<uint32_t>(nodes_.size() - 1), reader, out);
  return out;
}

}  // namespace orchard::automation
