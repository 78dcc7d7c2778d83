// The condition language's parser (automation/condition.h): a lexer that turns the text into
// tokens (stopping at the first bad one, which the parser reports when it reaches it, so the
// earliest problem is the one named), a recursive-descent parser that type-checks against the
// catalog into a small tree, and a compiler that flattens the tree into Condition's node array.
// Only the standard library: the fuzz target compiles it with clang alone (tests/fuzz.cmake).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>
#include <utility>

#include "automation/condition.h"
#include "automation/condition_text.h"

namespace orchard::automation {

using namespace condition_text;

namespace {

constexpr std::string_view kEndOfText = "the end of the condition";
constexpr size_t kListedNames = 12;  // names an unknown-field error lists

enum class Tok : uint8_t {
  kEnd,
  kIdent,
  kNumber,
  kText,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kOp,
  kBad,  // what cannot be read; the parser reports it when it gets there
};

}  // namespace

// Lexes, parses, type-checks and compiles one condition. A friend of Condition, so that it can
// fill the node array.
class ConditionBuilder {
 public:
  ConditionBuilder(std::string_view text, std::span<const FieldDef> catalog)
      : text_(text), catalog_(catalog) {}

  std::expected<Condition, ParseError> Build();

 private:
  using Kind = Condition::Kind;
  using Op = Condition::Op;

  struct Token {
    Tok kind = Tok::kEnd;
    size_t offset = 0;
    std::string_view raw;  // as written
    std::string word;      // kIdent: lower-cased; kText: the text, unescaped
    double number = 0;
    Op op = Op::kEq;
    std::string expected;  // kBad: what was expected, when the lexer knows better than the parser
    std::string found;     // kBad
  };

  // The parsed tree, before it is flattened.
  struct Ast {
    Kind kind = Kind::kAnd;
    std::vector<Ast> kids;
    Op op = Op::kEq;
    ValueType type = ValueType::kNumber;
    bool negated = false;
    bool boolean = false;
    uint32_t field = 0;
    uint32_t other = 0;
    double number = 0;
    std::vector<double> numbers;
    std::vector<std::string> texts;  // as they will be printed
  };
  using Parsed = std::expected<Ast, ParseError>;

  void Lex();
  void Bad(size_t offset, size_t length, std::string expected, std::string found);
  const Token& Peek() const { return tokens_[pos_]; }
  const Token& Next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  static bool IsWord(const Token& t, std::string_view word) {
    return t.kind == Tok::kIdent && t.word == word;
  }
  static bool IsKeyword(const Token& t) {
    return IsWord(t, "and") || IsWord(t, "or") || IsWord(t, "not") || IsWord(t, "in") ||
           IsWord(t, "true") || IsWord(t, "false");
  }
  static bool IsBoolLiteral(const Token& t) { return IsWord(t, "true") || IsWord(t, "false"); }

  std::unexpected<ParseError> ErrorAt(const Token& at, std::string expected, std::string after = {},
                                      std::string hint = {}) const;
  std::unexpected<ParseError> UnknownField(const Token& at, std::string after = {},
                                           const ValueType* type = nullptr) const;
  int FindField(const Token& t) const;
  std::string Expectation(const FieldDef& field) const;

  Parsed ParseOr();
  Parsed ParseAnd();
  Parsed ParseUnary();
  Parsed ParsePrimary(bool counted = true);
  Parsed ParseComparison();
  Parsed ParseOperand(Ast leaf, const Token& field_token, const Token& op_token);
  Parsed ParseList(Ast leaf, std::string after);
  std::expected<void, ParseError> CheckOp(const FieldDef& field, const Token& op_token,
                                          const std::string& after) const;
  std::expected<void, ParseError> AddLiteral(Ast& leaf, const Token& t, const std::string& after);

  std::string Print(const Ast& node) const;
  std::string LeafText(const Ast& leaf) const;
  uint32_t Emit(const Ast& node, Condition& out) const;

  std::string_view text_;
  std::span<const FieldDef> catalog_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  size_t comparisons_ = 0;
};

void ConditionBuilder::Bad(size_t offset, size_t length, std::string expected, std::string found) {
  Token t;
  t.kind = Tok::kBad;
  t.offset = offset;
  t.raw = text_.substr(offset, length);
  t.expected = std::move(expected);
  t.found = std::move(found);
  tokens_.push_back(std::move(t));
}

void ConditionBuilder::Lex() {
  const size_t n = text_.size();
  size_t i = 0;
  while (true) {
    while (i < n && IsSpace(text_[i])) ++i;
    if (i == n) break;
    const size_t start = i;
    const char c = text_[i];
    Token t;
    t.offset = start;
    if (IsIdentStart(c)) {
      while (i < n && IsIdentChar(text_[i])) ++i;
      t.kind = Tok::kIdent;
      t.raw = text_.substr(start, i - start);
      t.word = LowerAscii(t.raw);
    } else if (IsDigit(c) || (c == '-' && i + 1 < n && IsDigit(text_[i + 1]))) {
      ++i;
      while (i < n && (IsIdentChar(text_[i]) || text_[i] == '.')) ++i;
      t.kind = Tok::kNumber;
      t.raw = text_.substr(start, i - start);
      if (!ParseNumber(t.raw, t.number)) return Bad(start, i - start, "a number", Shown(t.raw));
    } else if (c == '"' || c == '\'') {
      const std::string_view closing = c == '"' ? "'\"'" : "\"'\"";
      ++i;
      while (true) {
        if (i == n) return Bad(n, 0, "a closing " + std::string(closing), std::string(kEndOfText));
        const char d = text_[i];
        if (d == c) {
          ++i;
          break;
        }
        if (d == '\\') {
          if (i + 1 == n) {
            return Bad(n, 0, "a closing " + std::string(closing), std::string(kEndOfText));
          }
          const char e = text_[i + 1];
          if (e != '\\' && e != '"' && e != '\'') {
            const size_t len = Utf8Length(text_, i + 1);
            return Bad(i, 2, "an escape \\\\, \\\" or \\' in a text",
                       len == 0 || IsControl(static_cast<unsigned char>(e))
                           ? std::string("a backslash before an unreadable character")
                           : Shown(text_.substr(i, 1 + len)));
          }
          t.word += e;
          i += 2;
          continue;
        }
        if (IsControl(static_cast<unsigned char>(d))) {
          return Bad(
              i, 1, "a closing " + std::string(closing),
              d == '\n' || d == '\r' ? "a line break (texts are one line)" : "a control character");
        }
        const size_t len = Utf8Length(text_, i);
        if (len == 0) return Bad(i, 1, "text in UTF-8", "an invalid UTF-8 byte");
        t.word.append(text_.substr(i, len));
        i += len;
      }
      t.kind = Tok::kText;
      t.raw = text_.substr(start, i - start);
    } else {
      t.kind = Tok::kOp;
      const char d = i + 1 < n ? text_[i + 1] : '\0';
      size_t len = 1;
      switch (c) {
        case '(':
          t.kind = Tok::kLParen;
          break;
        case ')':
          t.kind = Tok::kRParen;
          break;
        case '[':
          t.kind = Tok::kLBracket;
          break;
        case ']':
          t.kind = Tok::kRBracket;
          break;
        case ',':
          t.kind = Tok::kComma;
          break;
        case '=':
          t.op = Op::kEq;
          len = d == '=' ? 2 : 1;
          break;
        case '!':
          if (d != '=') return Bad(start, 1, "", "'!'");
          t.op = Op::kNe;
          len = 2;
          break;
        case '<':
          t.op = d == '=' ? Op::kLe : d == '>' ? Op::kNe : Op::kLt;
          len = d == '=' || d == '>' ? 2 : 1;
          break;
        case '>':
          t.op = d == '=' ? Op::kGe : Op::kGt;
          len = d == '=' ? 2 : 1;
          break;
        default: {
          if (IsControl(static_cast<unsigned char>(c))) {
            return Bad(start, 1, "", "a control character");
          }
          const size_t cl = Utf8Length(text_, i);
          if (cl == 0) return Bad(start, 1, "", "an invalid UTF-8 byte");
          return Bad(start, cl, "", Shown(text_.substr(start, cl)));
        }
      }
      i += len;
      t.raw = text_.substr(start, len);
    }
    tokens_.push_back(std::move(t));
  }
  Token end;
  end.kind = Tok::kEnd;
  end.offset = n;
  tokens_.push_back(std::move(end));
}

std::unexpected<ParseError> ConditionBuilder::ErrorAt(const Token& at, std::string expected,
                                                      std::string after, std::string hint) const {
  ParseError e;
  e.offset = at.offset;
  for (size_t i = 0; i < at.offset && i < text_.size(); ++i) {
    if (text_[i] == '\n') {
      ++e.line;
      e.column = 1;
    } else if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) {
      ++e.column;
    }
  }
  if (at.kind == Tok::kBad && !at.expected.empty()) {
    e.expected = at.expected;  // the lexer's own: a malformed number, an unclosed text
  } else {
    e.expected = std::move(expected);
    e.after = std::move(after);
    e.hint = std::move(hint);
  }
  e.found = at.kind == Tok::kEnd   ? std::string(kEndOfText)
            : at.kind == Tok::kBad ? at.found
                                   : Shown(at.raw);
  return std::unexpected(std::move(e));
}

int ConditionBuilder::FindField(const Token& t) const {
  if (t.kind != Tok::kIdent || IsKeyword(t)) return -1;
  for (size_t i = 0; i < catalog_.size(); ++i) {
    if (EqualsIgnoreCase(catalog_[i].name, t.word)) return static_cast<int>(i);
  }
  return -1;
}

// With a type, only a field of that type is suggested (the right side of a comparison).
std::unexpected<ParseError> ConditionBuilder::UnknownField(const Token& at, std::string after,
                                                           const ValueType* type) const {
  std::string expected = "a field name";
  if (!catalog_.empty()) {
    expected += " (one of ";
    for (size_t i = 0; i < catalog_.size() && i < kListedNames; ++i) {
      if (i > 0) expected += ", ";
      expected += catalog_[i].name;
    }
    if (catalog_.size() > kListedNames) expected += ", …";
    expected += ")";
  }
  std::string hint;
  if (at.kind == Tok::kIdent && at.word.size() <= 64) {
    size_t best = 3;
    for (const FieldDef& f : catalog_) {
      const size_t gap = f.name.size() > at.word.size() ? f.name.size() - at.word.size()
                                                        : at.word.size() - f.name.size();
      if (gap > 2 || (type != nullptr && f.type != *type)) continue;
      // At most two edits, and few for a short name: 'abc' is not a misspelt 'arr'.
      const size_t d = EditDistance(at.word, LowerAscii(f.name));
      if (d < best && d * 3 <= std::max(f.name.size(), at.word.size())) {
        best = d;
        hint = "did you mean '" + std::string(f.name) + "'?";
      }
    }
  }
  return ErrorAt(at, std::move(expected), std::move(after), std::move(hint));
}

// What a literal compared with this field must be.
std::string ConditionBuilder::Expectation(const FieldDef& field) const {
  switch (field.type) {
    case ValueType::kNumber:
      return "a number";
    case ValueType::kBool:
      return "true or false";
    case ValueType::kText:
      break;
  }
  if (field.choices.empty()) return "a text in quotes";
  std::string out = "one of ";
  for (size_t i = 0; i < field.choices.size(); ++i) {
    if (i > 0) out += ", ";
    out += field.choices[i];
  }
  return out;
}

ConditionBuilder::Parsed ConditionBuilder::ParseOr() {
  auto first = ParseAnd();
  if (!first) return first;
  if (!IsWord(Peek(), "or")) return first;
  Ast node;
  node.kind = Kind::kOr;
  node.kids.push_back(std::move(*first));
  while (IsWord(Peek(), "or")) {
    Next();
    auto next = ParseAnd();
    if (!next) return next;
    node.kids.push_back(std::move(*next));
  }
  // (a or b) or c is a or b or c: one flat list, one canonical form.
  std::vector<Ast> flat;
  for (Ast& kid : node.kids) {
    if (kid.kind == Kind::kOr) {
      for (Ast& k : kid.kids) flat.push_back(std::move(k));
    } else {
      flat.push_back(std::move(kid));
    }
  }
  node.kids = std::move(flat);
  return node;
}

ConditionBuilder::Parsed ConditionBuilder::ParseAnd() {
  auto first = ParseUnary();
  if (!first) return first;
  if (!IsWord(Peek(), "and")) return first;
  Ast node;
  node.kind = Kind::kAnd;
  node.kids.push_back(std::move(*first));
  while (IsWord(Peek(), "and")) {
    Next();
    auto next = ParseUnary();
    if (!next) return next;
    node.kids.push_back(std::move(*next));
  }
  std::vector<Ast> flat;
  for (Ast& kid : node.kids) {
    if (kid.kind == Kind::kAnd) {
      for (Ast& k : kid.kids) flat.push_back(std::move(k));
    } else {
      flat.push_back(std::move(kid));
    }
  }
  node.kids = std::move(flat);
  return node;
}

ConditionBuilder::Parsed ConditionBuilder::ParseUnary() {
  if (!IsWord(Peek(), "not")) return ParsePrimary();
  const Token& not_token = Next();
  if (++depth_ > Condition::kMaxDepth) {
    return ErrorAt(not_token, "a condition nested at most " + std::to_string(Condition::kMaxDepth) +
                                  " deep (parentheses and 'not')");
  }
  // "not (" is one level, not two: the canonical form writes not over a comparison that way, and
  // must not nest deeper than what was written.
  auto inner = Peek().kind == Tok::kLParen ? ParsePrimary(false) : ParseUnary();
  if (!inner) return inner;
  --depth_;
  Ast node;
  node.kind = Kind::kNot;
  node.kids.push_back(std::move(*inner));
  return node;
}

ConditionBuilder::Parsed ConditionBuilder::ParsePrimary(bool counted) {
  if (Peek().kind != Tok::kLParen) return ParseComparison();
  const Token& open = Next();
  if (counted && ++depth_ > Condition::kMaxDepth) {
    return ErrorAt(open, "a condition nested at most " + std::to_string(Condition::kMaxDepth) +
                             " deep (parentheses and 'not')");
  }
  auto inner = ParseOr();
  if (!inner) return inner;
  if (Peek().kind != Tok::kRParen) return ErrorAt(Peek(), "'and', 'or' or ')'");
  Next();
  if (counted) --depth_;
  return inner;
}

std::expected<void, ParseError> ConditionBuilder::CheckOp(const FieldDef& field,
                                                          const Token& op_token,
                                                          const std::string& after) const {
  if (field.type == ValueType::kNumber || op_token.op == Op::kEq || op_token.op == Op::kNe) {
    return {};
  }
  return ErrorAt(op_token,
                 field.type == ValueType::kText ? "'=', '!=', 'in' or 'not in'" : "'=' or '!='",
                 after,
                 std::string(op_token.raw) + " compares numbers; " + std::string(field.name) +
                     " is " + (field.type == ValueType::kText ? "a text" : "true or false"));
}

// One literal for leaf's field: the right type and, for a closed set, one of its choices.
std::expected<void, ParseError> ConditionBuilder::AddLiteral(Ast& leaf, const Token& t,
                                                             const std::string& after) {
  const FieldDef& field = catalog_[leaf.field];
  switch (field.type) {
    case ValueType::kNumber:
      if (t.kind != Tok::kNumber) break;
      leaf.numbers.push_back(t.number);
      return {};
    case ValueType::kBool:
      if (!IsBoolLiteral(t)) break;
      leaf.boolean = IsWord(t, "true");
      return {};
    case ValueType::kText:
      if (t.kind != Tok::kText) {
        if (t.kind == Tok::kIdent && !IsKeyword(t)) {
          return ErrorAt(t, Expectation(field), after, "texts go in quotes: " + Quote(t.raw));
        }
        break;
      }
      if (field.choices.empty()) {
        leaf.texts.push_back(t.word);
        return {};
      }
      for (std::string_view choice : field.choices) {
        if (EqualsIgnoreCase(choice, t.word)) {
          leaf.texts.emplace_back(choice);  // the catalog's spelling
          return {};
        }
      }
      {
        Token shown = t;
        shown.raw = t.word;  // the text itself, without its quotes
        return ErrorAt(shown, Expectation(field), after);
      }
  }
  return ErrorAt(t, Expectation(field), after);
}

ConditionBuilder::Parsed ConditionBuilder::ParseComparison() {
  const Token& start = Peek();
  if (++comparisons_ > Condition::kMaxComparisons) {
    return ErrorAt(start, "at most " + std::to_string(Condition::kMaxComparisons) +
                              " comparisons in a condition");
  }
  if (start.kind == Tok::kIdent && !IsKeyword(start)) {
    const int index = FindField(start);
    if (index < 0) return UnknownField(start);
    Next();
    const FieldDef& field = catalog_[index];
    Ast leaf;
    leaf.field = static_cast<uint32_t>(index);
    leaf.type = field.type;
    const std::string name(start.raw);
    const Token& next = Peek();
    if (next.kind == Tok::kOp) {
      Next();
      return ParseOperand(std::move(leaf), start, next);
    }
    if (field.type != ValueType::kBool && IsWord(next, "in")) {
      Next();
      return ParseList(std::move(leaf), name + " in");
    }
    if (field.type != ValueType::kBool && IsWord(next, "not")) {
      Next();
      if (!IsWord(Peek(), "in")) return ErrorAt(Peek(), "'in'", name + " not");
      Next();
      leaf.negated = true;
      return ParseList(std::move(leaf), name + " not in");
    }
    if (field.type == ValueType::kBool) {
      leaf.kind = Kind::kBool;
      return leaf;
    }
    return ErrorAt(next, "a comparison", name,
                   field.type == ValueType::kNumber
                       ? name + " is a number: compare it, as in " + name + " < 50"
                       : name + " is a text: compare it, as in " + name + " = \"…\"");
  }
  if (start.kind == Tok::kNumber || start.kind == Tok::kText || IsBoolLiteral(start)) {
    // literal op field: read as field op' literal, so that it prints one way.
    Next();
    const Token& op_token = Peek();
    if (op_token.kind != Tok::kOp) {
      return ErrorAt(op_token, "'=', '!=', '<', '<=', '>' or '>='", std::string(start.raw));
    }
    Next();
    const std::string after = std::string(start.raw) + " " + std::string(op_token.raw);
    const Token& field_token = Peek();
    const int index = FindField(field_token);
    if (index < 0) {
      if (field_token.kind == Tok::kIdent && !IsKeyword(field_token)) {
        return UnknownField(field_token, after);
      }
      return ErrorAt(field_token, "a field name", after);
    }
    const FieldDef& field = catalog_[index];
    const ValueType literal_type = start.kind == Tok::kNumber ? ValueType::kNumber
                                   : start.kind == Tok::kText ? ValueType::kText
                                                              : ValueType::kBool;
    if (field.type != literal_type) {
      return ErrorAt(
          field_token, "a " + std::string(TypeName(literal_type)) + " field", after,
          std::string(field.name) + " is a " + std::string(TypeName(field.type)) + " field");
    }
    Next();
    Ast leaf;
    leaf.field = static_cast<uint32_t>(index);
    leaf.type = field.type;
    if (auto ok = CheckOp(field, op_token, std::string(start.raw)); !ok) {
      return std::unexpected(std::move(ok.error()));
    }
    if (auto ok =
            AddLiteral(leaf, start, std::string(field.name) + " " + std::string(op_token.raw));
        !ok) {
      return std::unexpected(std::move(ok.error()));
    }
    switch (op_token.op) {
      case Op::kLt:
        leaf.op = Op::kGt;
        break;
      case Op::kLe:
        leaf.op = Op::kGe;
        break;
      case Op::kGt:
        leaf.op = Op::kLt;
        break;
      case Op::kGe:
        leaf.op = Op::kLe;
        break;
      default:
        leaf.op = op_token.op;
    }
    leaf.kind = field.type == ValueType::kNumber ? Kind::kNumber
                : field.type == ValueType::kText ? Kind::kText
                                                 : Kind::kBoolIs;
    if (leaf.kind == Kind::kNumber) leaf.number = leaf.numbers[0];
    return leaf;
  }
  return ErrorAt(start, "a field name, 'not' or '('");
}

ConditionBuilder::Parsed ConditionBuilder::ParseOperand(Ast leaf, const Token& field_token,
                                                        const Token& op_token) {
  const FieldDef& field = catalog_[leaf.field];
  const std::string after = std::string(field_token.raw) + " " + std::string(op_token.raw);
  if (auto ok = CheckOp(field, op_token, std::string(field_token.raw)); !ok) {
    return std::unexpected(std::move(ok.error()));
  }
  leaf.op = op_token.op;
  const Token& value = Peek();
  if (const int other = FindField(value); other >= 0) {
    if (catalog_[other].type != field.type) {
      return ErrorAt(value,
                     Expectation(field) + " or a " + std::string(TypeName(field.type)) + " field",
                     after,
                     std::string(catalog_[other].name) + " is a " +
                         std::string(TypeName(catalog_[other].type)) + " field");
    }
    Next();
    leaf.kind = Kind::kFields;
    leaf.other = static_cast<uint32_t>(other);
    return leaf;
  }
  if (value.kind == Tok::kIdent && !IsKeyword(value) &&
      (field.type != ValueType::kText || field.choices.empty())) {
    // Neither a field nor a literal: a misspelt field when one is close, else a wrong literal.
    auto error = UnknownField(value, after, &field.type);
    if (!error.error().hint.empty()) {
      error.error().expected = Expectation(field) + " or " + error.error().expected;
      return error;
    }
    return ErrorAt(
        value, Expectation(field), after,
        field.type == ValueType::kText ? "texts go in quotes: " + Quote(value.raw) : std::string());
  }
  if (auto ok = AddLiteral(leaf, value, after); !ok) return std::unexpected(std::move(ok.error()));
  Next();
  switch (field.type) {
    case ValueType::kNumber:
      leaf.kind = Kind::kNumber;
      leaf.number = leaf.numbers[0];
      leaf.numbers.clear();
      break;
    case ValueType::kText:
      leaf.kind = Kind::kText;
      break;
    case ValueType::kBool:
      leaf.kind = Kind::kBoolIs;
      break;
  }
  return leaf;
}

ConditionBuilder::Parsed ConditionBuilder::ParseList(Ast leaf, std::string after) {
  const Token& open = Peek();
  if (open.kind != Tok::kLParen && open.kind != Tok::kLBracket) {
    return ErrorAt(open, "'(' or '['", after);
  }
  const Tok closing = open.kind == Tok::kLParen ? Tok::kRParen : Tok::kRBracket;
  const std::string close_text = closing == Tok::kRParen ? "')'" : "']'";
  after += open.kind == Tok::kLParen ? " (" : " [";
  Next();
  size_t items = 0;
  while (true) {
    const Token& item = Peek();
    if (++items > Condition::kMaxListItems) {
      return ErrorAt(item, close_text + " (a list holds at most " +
                               Thousands(Condition::kMaxListItems) + " items)");
    }
    if (auto ok = AddLiteral(leaf, item, items == 1 ? after : std::string()); !ok) {
      return std::unexpected(std::move(ok.error()));
    }
    Next();
    const Token& next = Peek();
    if (next.kind == closing) {
      Next();
      break;
    }
    if (next.kind != Tok::kComma) return ErrorAt(next, "',' or " + close_text);
    Next();
  }
  leaf.kind = catalog_[leaf.field].type == ValueType::kNumber ? Kind::kNumberIn : Kind::kTextIn;
  return leaf;
}

std::string ConditionBuilder::LeafText(const Ast& leaf) const {
  static constexpr std::string_view kOps[] = {"=", "!=", "<", "<=", ">", ">="};
  const std::string name(catalog_[leaf.field].name);
  const std::string op(kOps[static_cast<int>(leaf.op)]);
  switch (leaf.kind) {
    case Kind::kBool:
      return name;
    case Kind::kNumber:
      return name + " " + op + " " + FormatNumber(leaf.number, true);
    case Kind::kText:
      return name + " " + op + " " + Quote(leaf.texts[0]);
    case Kind::kBoolIs:
      return name + " " + op + " " + (leaf.boolean ? "true" : "false");
    case Kind::kFields:
      return name + " " + op + " " + std::string(catalog_[leaf.other].name);
    case Kind::kNumberIn:
    case Kind::kTextIn: {
      std::string out = name + (leaf.negated ? " not in (" : " in (");
      const size_t count = leaf.kind == Kind::kNumberIn ? leaf.numbers.size() : leaf.texts.size();
      for (size_t i = 0; i < count; ++i) {
        if (i > 0) out += ", ";
        out += leaf.kind == Kind::kNumberIn ? FormatNumber(leaf.numbers[i], true)
                                            : Quote(leaf.texts[i]);
      }
      return out + ")";
    }
    default:
      return {};
  }
}

// Parentheses only where precedence needs them (and not (…) around a comparison, for the reader).
std::string ConditionBuilder::Print(const Ast& node) const {
  switch (node.kind) {
    case Kind::kOr:
    case Kind::kAnd: {
      std::string out;
      for (const Ast& kid : node.kids) {
        if (!out.empty()) out += node.kind == Kind::kOr ? " or " : " and ";
        const bool group = node.kind == Kind::kAnd && kid.kind == Kind::kOr;
        out += group ? "(" + Print(kid) + ")" : Print(kid);
      }
      return out;
    }
    case Kind::kNot: {
      const Ast& kid = node.kids[0];
      if (kid.kind == Kind::kBool || kid.kind == Kind::kNot) return "not " + Print(kid);
      return "not (" + Print(kid) + ")";
    }
    default:
      return LeafText(node);
  }
}

uint32_t ConditionBuilder::Emit(const Ast& node, Condition& out) const {
  Condition::Node n;
  n.kind = node.kind;
  switch (node.kind) {
    case Kind::kAnd:
    case Kind::kOr: {
      std::vector<uint32_t> kids;
      for (const Ast& kid : node.kids) kids.push_back(Emit(kid, out));
      n.first = static_cast<uint32_t>(out.kids_.size());
      n.count = static_cast<uint32_t>(kids.size());
      out.kids_.insert(out.kids_.end(), kids.begin(), kids.end());
      break;
    }
    case Kind::kNot:
      n.first = Emit(node.kids[0], out);
      break;
    default:
      n.op = node.op;
      n.type = node.type;
      n.negated = node.negated;
      n.boolean = node.boolean;
      n.field = node.field;
      n.other = node.other;
      n.number = node.number;
      n.clause = static_cast<uint32_t>(out.clauses_.size());
      out.clauses_.push_back(LeafText(node));
      if (node.kind == Kind::kNumberIn) {
        n.first = static_cast<uint32_t>(out.numbers_.size());
        n.count = static_cast<uint32_t>(node.numbers.size());
        out.numbers_.insert(out.numbers_.end(), node.numbers.begin(), node.numbers.end());
      } else if (node.kind == Kind::kText || node.kind == Kind::kTextIn) {
        n.first = static_cast<uint32_t>(out.texts_.size());
        n.count = static_cast<uint32_t>(node.texts.size());
        for (const std::string& t : node.texts) out.texts_.push_back(LowerAscii(t));
      }
      out.fields_.push_back(node.field);
      if (node.kind == Kind::kFields) out.fields_.push_back(node.other);
  }
  out.nodes_.push_back(n);
  return static_cast<uint32_t>(out.nodes_.size() - 1);
}

std::expected<Condition, ParseError> ConditionBuilder::Build() {
  Condition out;
  if (text_.size() > Condition::kMaxBytes) {
    Token at;
    at.kind = Tok::kBad;
    at.offset = Condition::kMaxBytes;
    at.expected = "a condition of at most " + Thousands(Condition::kMaxBytes) + " bytes";
    at.found = Thousands(text_.size()) + " bytes";
    return ErrorAt(at, "");
  }
  out.text_ = std::string(text_);
  Lex();
  if (Peek().kind == Tok::kEnd) return out;  // blank: always true
  auto root = ParseOr();
  if (!root) return std::unexpected(std::move(root.error()));
  if (Peek().kind != Tok::kEnd) return ErrorAt(Peek(), "'and', 'or' or the end of the condition");
  out.canonical_ = Print(*root);
  if (out.canonical_.size() > Condition::kMaxBytes) {
    // Rare (a tightly written condition near the limit), but the canonical form must parse too.
    Token at;
    at.kind = Tok::kBad;
    at.offset = text_.size();
    at.expected = "a condition of at most " + Thousands(Condition::kMaxBytes) +
                  " bytes once written out canonically";
    at.found = Thousands(out.canonical_.size()) + " bytes";
    return ErrorAt(at, "");
  }
  Emit(*root, out);
  std::sort(out.fields_.begin(), out.fields_.end());
  out.fields_.erase(std::unique(out.fields_.begin(), out.fields_.end()), out.fields_.end());
  out.field_names_.resize(catalog_.size());
  for (size_t f : out.fields_) out.field_names_[f] = std::string(catalog_[f].name);
  return out;
}

std::expected<Condition, ParseError> Condition::Parse(std::string_view text,
                                                      std::span<const FieldDef> catalog) {
  return ConditionBuilder(text, catalog).Build();
}

}  // namespace orchard::automation
