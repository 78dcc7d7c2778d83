#include "predict/flat_trees.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

namespace orchard::predict {
namespace json = boost::json;

namespace {

Status Bad(const std::string& what) {
  return FailValue("model", "the stored trees cannot be read: " + what);
}

const json::array* ArrayAt(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_array() ? &v->as_array() : nullptr;
}

double Number(const json::value& v) {
  if (v.is_string()) return std::stod(std::string(v.as_string()));
  return v.is_number() ? v.to_number<double>() : 0;
}

}  // namespace

Result<FlatTrees> FlatTrees::FromXgboostJson(std::string_view text, size_t features) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::unexpected(Bad("not JSON").error());
  const json::value* learner = v.as_object().if_contains("learner");
  if (!learner || !learner->is_object()) return std::unexpected(Bad("no learner").error());
  const json::object& l = learner->as_object();
  FlatTrees out;
  if (const json::value* param = l.if_contains("learner_model_param");
      param && param->is_object()) {
    if (const json::value* base = param->as_object().if_contains("base_score")) {
      const double p = Number(*base);
      if (!(p > 0 && p < 1)) return std::unexpected(Bad("base score out of (0, 1)").error());
      out.base_margin_ = std::log(p / (1 - p));
    }
  }
  const json::value* booster = l.if_contains("gradient_booster");
  const json::value* model =
      booster && booster->is_object() ? booster->as_object().if_contains("model") : nullptr;
  const json::array* trees =
      model && model->is_object() ? ArrayAt(model->as_object(), "trees") : nullptr;
  if (!trees) return std::unexpected(Bad("no trees").error());
  for (const json::value& t : *trees) {
    if (!t.is_object()) return std::unexpected(Bad("a tree is not an object").error());
    const json::object& tree = t.as_object();
    const json::array* left = ArrayAt(tree, "left_children");
    const json::array* right = ArrayAt(tree, "right_children");
    const json::array* index = ArrayAt(tree, "split_indices");
    const json::array* cond = ArrayAt(tree, "split_conditions");
    const json::array* dflt = ArrayAt(tree, "default_left");
    if (!left || !right || !index || !cond || !dflt || right->size() != left->size() ||
        index->size() != left->size() || cond->size() != left->size() ||
        dflt->size() != left->size() || left->empty()) {
      return std::unexpected(Bad("a tree's arrays are missing or differ in size").error());
    }
    if (const json::array* types = ArrayAt(tree, "split_type")) {
      for (const auto& st : *types)
        if (Number(st) != 0) return std::unexpected(Bad("a categorical split").error());
    }
    const auto base = static_cast<int32_t>(out.nodes_.size());
    const auto size = static_cast<int32_t>(left->size());
    std::vector<int32_t> depth(left->size(), 0);
    int32_t tree_depth = 0;
    for (int32_t i = 0; i < size; ++i) {
      Node n;
      const auto l_child = static_cast<int32_t>(Number((*left)[static_cast<size_t>(i)]));
      const auto r_child = static_cast<int32_t>(Number((*right)[static_cast<size_t>(i)]));
      const double value = Number((*cond)[static_cast<size_t>(i)]);
      if (l_child < 0) {  // a leaf
        n.left = base + i;
        n.split = std::numeric_limits<float>::infinity();
        n.leaf = static_cast<float>(value);
        n.default_left = 1;
      } else {
        // XGBoost numbers a node's children after it, side by side: no walk can loop.
        n.feature = static_cast<int32_t>(Number((*index)[static_cast<size_t>(i)]));
        if (l_child <= i || r_child != l_child + 1 || r_child >= size || n.feature < 0 ||
            static_cast<size_t>(n.feature) >= features) {
          return std::unexpected(Bad("a node's children are not where XGBoost puts them").error());
        }
        n.left = base + l_child;
        n.split = static_cast<float>(value);
        n.default_left = Number((*dflt)[static_cast<size_t>(i)]) != 0 ? 1 : 0;
        depth[static_cast<size_t>(l_child)] = depth[static_cast<size_t>(r_child)] =
            depth[static_cast<size_t>(i)] + 1;
        tree_depth = std::max(tree_depth, depth[static_cast<size_t>(i)] + 1);
      }
      out.nodes_.push_back(n);
    }
    out.trees_.push_back({base, tree_depth});
    if (tree_depth > 3) out.all_complete_ = false;
    if (out.all_complete_) out.complete_.push_back(out.Complete(base));
  }
  if (!out.all_complete_) out.complete_.clear();
  return out;
}

// Node `at` (and the subtree below it) into position `p` of a complete depth-3 tree. A leaf above
// the last level becomes a split on +∞ whose both sides are that leaf: whichever way a row goes,
// it ends on the leaf's value.
void FlatTrees::Fill(CompleteTree& t, int32_t at, int p) const {
  const Node& node = nodes_[static_cast<size_t>(at)];
  const bool leaf = node.left == at;
  if (p >= 7) {
    t.leaf[p - 7] = node.leaf;  // depth ≤ 3: a node on the last level is a leaf
    return;
  }
  t.column[p] = leaf ? 0 : 2 * node.feature + (node.default_left ? 0 : 1);
  t.split[p] = node.split;  // +∞ for a leaf
  Fill(t, leaf ? at : node.left, 2 * p + 1);
  Fill(t, leaf ? at : node.left + 1, 2 * p + 2);
}

CompleteTree FlatTrees::Complete(int32_t root) const {
  CompleteTree t;
  Fill(t, root, 0);
  return t;
}

namespace {

// One step down: left, or right (left + 1) — the comparison's result added, not branched on.
inline int32_t Step(const auto& node, const float* row) {
  const float x = row[node.feature];
  const bool left = (x < node.split) | ((x != x) & (node.default_left != 0));
  return node.left + (left ? 0 : 1);
}

constexpr size_t kBlock = 64;  // rows walked together: a block's features stay in L1

using V8f = float __attribute__((vector_size(32)));
using V8i = int32_t __attribute__((vector_size(32)));

// The leaves' sum for the kBlock rows of `block` (columns as CompleteTree reads them:
// block[c·kBlock + r]) over `n` complete trees, added into sums[0 … kBlock). Trees outer, rows
// inner, 8 rows a vector. Compiled for AVX2 too where the machine has it (one 8-wide instruction
// per step instead of two 4-wide ones), chosen at load.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void SumLeaves(const CompleteTree* t, size_t n, const float* block, float* sums) {
  for (size_t i = 0; i < n; ++i, ++t) {
    V8f leaf;
    std::memcpy(&leaf, t->leaf, sizeof leaf);
    for (size_t g = 0; g < kBlock; g += 8) {
      V8i m[7];
#pragma GCC unroll 7
      for (int k = 0; k < 7; ++k) {
        V8f x;
        std::memcpy(&x, block + static_cast<size_t>(t->column[k]) * kBlock + g, sizeof x);
        m[k] = x >= t->split[k];
      }
      const V8i c0 = m[0];
      const V8i c1 = c0 ? m[2] : m[1];
      const V8i c2 = c0 ? (c1 ? m[6] : m[5]) : (c1 ? m[4] : m[3]);
      const V8i at = (c0 & 4) | (c1 & 2) | (c2 & 1);
      V8f sum;
      std::memcpy(&sum, sums + g, sizeof sum);
      sum += __builtin_shuffle(leaf, at);
      std::memcpy(sums + g, &sum, sizeof sum);
    }
  }
}

}  // namespace

double FlatTrees::Margin(std::span<const float> row) const {
  double out = 0;
  Margins(row.data(), 1, row.size(), &out);
  return out;
}

void FlatTrees::Margins(const float* rows, size_t n, size_t cols, double* out) const {
  if (!all_complete_) {
    NodeMargins(rows, n, cols, out);
    return;
  }
  constexpr float kInf = std::numeric_limits<float>::infinity();
  std::vector<float> block(2 * cols * kBlock);
  float sums[kBlock];
  for (size_t begin = 0; begin < n; begin += kBlock) {
    const size_t count = std::min(kBlock, n - begin);
    for (size_t r = 0; r < kBlock; ++r) {
      const float* row = rows + (begin + std::min(r, count - 1)) * cols;  // past the end: repeat
      for (size_t j = 0; j < cols; ++j) {
        const float x = row[j];
        const bool missing = std::isnan(x);
        block[2 * j * kBlock + r] = missing ? -kInf : x;
        block[(2 * j + 1) * kBlock + r] = missing ? kInf : x;
      }
    }
    std::fill(std::begin(sums), std::end(sums), 0.0f);
    SumLeaves(complete_.data(), complete_.size(), block.data(), sums);
    for (size_t r = 0; r < count; ++r) out[begin + r] = base_margin_ + sums[r];
  }
}

namespace {
constexpr size_t kNodeBlock = 8;
}  // namespace

// Trees deeper than 3 (not the models' own): node by node, eight rows walking a tree side by side.
void FlatTrees::NodeMargins(const float* rows, size_t n, size_t cols, double* out) const {
  constexpr size_t kBlock = kNodeBlock;
  const Node* nodes = nodes_.data();
  for (size_t begin = 0; begin < n; begin += kBlock) {
    const size_t count = std::min(kBlock, n - begin);
    double sum[kBlock];
    for (size_t r = 0; r < count; ++r) sum[r] = base_margin_;
    for (const Tree& t : trees_) {
      int32_t at[kBlock];
      for (size_t r = 0; r < count; ++r) at[r] = t.root;
      for (int32_t d = 0; d < t.depth; ++d) {
        for (size_t r = 0; r < count; ++r) at[r] = Step(nodes[at[r]], rows + (begin + r) * cols);
      }
      for (size_t r = 0; r < count; ++r) sum[r] += nodes[at[r]].leaf;
    }
    for (size_t r = 0; r < count; ++r) out[begin + r] = sum[r];
  }
}

}  // namespace orchard::predict
