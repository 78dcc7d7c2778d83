#include "predict/flat_trees.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
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
  }
  return out;
}

namespace {

// One step down: left, or right (left + 1) — the comparison's result added, not branched on.
inline int32_t Step(const auto& node, const float* row) {
  const float x = row[node.feature];
  const bool left = (x < node.split) | ((x != x) & (node.default_left != 0));
  return node.left + (left ? 0 : 1);
}

}  // namespace

double FlatTrees::Margin(std::span<const float> row) const {
  double out = 0;
  Margins(row.data(), 1, row.size(), &out);
  return out;
}

void FlatTrees::Margins(const float* rows, size_t n, size_t cols, double* out) const {
  constexpr size_t kBlock = 8;
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
