// Model::Parse: reading a model file back, refusing one that is damaged or of another version.
#include <charconv>

#include "sentiment/hash.h"
#include "sentiment/model.h"

namespace orchard::sentiment {
namespace {

constexpr std::string_view kMagic = "orchard-sentiment-model";

// Reads a model file line by line, with the line number for error messages.
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {}
  bool Next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    line = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    ++number_;
    return true;
  }
  int number() const { return number_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int number_ = 0;
};

std::unexpected<Error> Damaged(int line, std::string_view what) {
  return Fail(ErrorCode::kInvalidArgument,
              "the model file is damaged: line " + std::to_string(line) + ": " + std::string(what));
}

template <class T>
bool ParseNumber(std::string_view s, T& value) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// "name VALUE": the value after the expected name.
bool Field(std::string_view line, std::string_view name, std::string_view& value) {
  if (!line.starts_with(name) || line.size() <= name.size() || line[name.size()] != ' ')
    return false;
  value = line.substr(name.size() + 1);
  return true;
}

// " w0 w1 w2" in thousandths.
bool ParseWeights(std::string_view s, Weights& w) {
  for (int c = 0; c < kClasses; ++c) {
    if (s.empty() || s[0] != ' ') return false;
    s.remove_prefix(1);
    size_t end = std::min(s.find(' '), s.size());
    long v = 0;
    if (!ParseNumber(s.substr(0, end), v)) return false;
    w[c] = static_cast<float>(v) / 1000.0f;
    s.remove_prefix(end);
  }
  return s.empty();
}

// "NAME COUNT" then a number: the count of a section.
bool Count(Lines& lines, std::string_view name, size_t& count) {
  std::string_view line, value;
  return lines.Next(line) && Field(line, name, value) && ParseNumber(value, count);
}

}  // namespace

// Long: the file's sections in order, each checked where it is read.
Result<Model> Model::Parse(std::string_view text) {
  std::string_view line, value;
  Lines lines(text);
  if (!lines.Next(line) || !Field(line, kMagic, value))
    return Fail(ErrorCode::kInvalidArgument,
                "not an Orchard sentiment model file (it should start with '" +
                    std::string(kMagic) + " " + std::to_string(kVersion) + "')");
  int version = 0;
  if (!ParseNumber(value, version) || version != kVersion)
    return Fail(ErrorCode::kInvalidArgument,
                "the model file is version " + std::string(value) +
                    "; this orchard reads version " + std::to_string(kVersion) +
                    " (train it again with `orchard model train sentiment`)");
  size_t body_end = text.rfind("checksum ");
  if (body_end == std::string_view::npos || (body_end > 0 && text[body_end - 1] != '\n'))
    return Fail(ErrorCode::kInvalidArgument,
                "the model file is damaged: no checksum line (truncated?)");
  std::string_view stated = text.substr(body_end + 9);
  if (stated.ends_with('\n')) stated.remove_suffix(1);
  if (stated != Fnv().Add(text.substr(0, body_end)).Hex())
    return Fail(ErrorCode::kInvalidArgument,
                "the model file is damaged: its checksum does not match its contents");

  int hash_bits = 0;
  Provenance provenance;
  if (!lines.Next(line) || !Field(line, "hash_bits", value) || !ParseNumber(value, hash_bits) ||
      hash_bits < 8 || hash_bits > 30)
    return Damaged(lines.number(), "expected 'hash_bits N' (8..30)");
  if (!lines.Next(line) || !Field(line, "seed", value) || !ParseNumber(value, provenance.seed))
    return Damaged(lines.number(), "expected 'seed N'");
  if (!lines.Next(line) || !Field(line, "data", value))
    return Damaged(lines.number(), "expected 'data HASH'");
  provenance.data_hash = std::string(value);
  if (!lines.Next(line) || !Field(line, "recipe", value))
    return Damaged(lines.number(), "expected 'recipe …'");
  provenance.recipe = std::string(value);

  size_t count = 0;
  if (!Count(lines, "dense", count) || count != kDense)
    return Damaged(lines.number(), "expected 'dense " + std::to_string(kDense) + "'");
  std::array<Weights, kDense> dense{};
  for (size_t d = 0; d < kDense; ++d) {
    if (!lines.Next(line) || !line.starts_with(kDenseNames[d]) ||
        !ParseWeights(line.substr(kDenseNames[d].size()), dense[d]))
      return Damaged(lines.number(), "expected '" + std::string(kDenseNames[d]) + " w w w'");
  }
  if (!Count(lines, "lexicon", count)) return Damaged(lines.number(), "expected 'lexicon N'");
  Lexicon lexicon;
  for (size_t i = 0; i < count; ++i) {
    float valence = 0;
    size_t tab = 0;
    if (!lines.Next(line) || (tab = line.rfind('\t')) == std::string_view::npos || tab == 0 ||
        !ParseNumber(line.substr(tab + 1), valence))
      return Damaged(lines.number(), "expected 'entry<TAB>valence'");
    lexicon.Set(std::string(line.substr(0, tab)), valence);
  }
  if (!Count(lines, "weights", count)) return Damaged(lines.number(), "expected 'weights N'");
  std::vector<std::pair<uint32_t, Weights>> sparse(count);
  for (auto& [bucket, w] : sparse) {
    size_t space = 0;
    if (!lines.Next(line) || (space = line.find(' ')) == std::string_view::npos ||
        !ParseNumber(line.substr(0, space), bucket) || !ParseWeights(line.substr(space), w) ||
        (bucket >> hash_bits) != 0)
      return Damaged(lines.number(), "expected 'bucket w w w'");
  }
  if (!lines.Next(line) || !line.starts_with("checksum "))
    return Damaged(lines.number(), "expected the checksum line");
  return Model(std::move(lexicon), hash_bits, dense, std::move(sparse), std::move(provenance));
}

}  // namespace orchard::sentiment
