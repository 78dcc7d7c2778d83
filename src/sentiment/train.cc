#include "sentiment/train.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace orchard::sentiment {
namespace {

// SplitMix64: a tiny generator whose output is fixed by its seed on every platform.
struct SplitMix {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
};

struct Row {
  std::array<float, kDense> dense{};
  std::vector<uint32_t> buckets;
  int label = 0;
  float weight = 1;
  bool domain = false;  // customer-service: also trains the domain copies
};

std::vector<Row> Featurize(const Lexicon& lexicon, const std::vector<Example>& train,
                           const TrainOptions& options) {
  std::vector<Row> rows(train.size());
  Features features;
  for (size_t i = 0; i < train.size(); ++i) {
    ExtractFeatures(lexicon, train[i].text, options.hash_bits, features);
    rows[i].dense = features.dense;
    for (const SparseFeature& f : features.sparse) rows[i].buckets.push_back(f.bucket);
    rows[i].label = static_cast<int>(train[i].label);
    bool service = train[i].customer_service;
    rows[i].domain = service && options.domain_copies;
    rows[i].weight = service ? static_cast<float>(options.service_weight) : 1.0f;
  }
  return rows;
}

// Subtracts each feature's mean over the classes (softmax does not change) and rounds to
// thousandths, as the model file stores it.
Weights Centered(const float* w) {
  float mean = (w[0] + w[1] + w[2]) / 3;
  Weights out;
  for (int c = 0; c < kClasses; ++c)
    out[c] = static_cast<float>(std::lround((w[c] - mean) * 1000.0f)) / 1000.0f;
  return out;
}

struct AdaGrad {
  std::vector<float> w, g2;
  explicit AdaGrad(size_t n) : w(n, 0.0f), g2(n, 0.0f) {}
  void Step(size_t i, double grad, double rate) {
    g2[i] += static_cast<float>(grad * grad);
    w[i] -= static_cast<float>(rate * grad / std::sqrt(g2[i] + 1e-8));
  }
};

}  // namespace

std::string Recipe(const TrainOptions& o) {
  char buf[384];
  std::snprintf(buf, sizeof buf,
                "adagrad epochs=%d rate=%g l2=%g min_count=%d prune=%g service_weight=%g "
                "domain_copies=%d domain_dense_share=%g domain_sparse_share=%g negative_offset=%g "
                "neutral_offset=%g runs=%d hash_bits=%d",
                o.epochs, o.rate, o.l2, o.min_count, o.prune, o.service_weight,
                o.domain_copies ? 1 : 0, o.domain_dense_share, o.domain_sparse_share,
                o.negative_offset, o.neutral_offset, o.runs, o.hash_bits);
  return buf;
}

namespace {

// The weights of one run (dense, then sparse; kClasses per feature), the domain copies' shares
// added.
struct Fitted {
  std::vector<float> dense, sparse;
};

// Long: one run of AdaGrad from one seed (shuffle, forward pass, updates of the shared weights
// and of the domain copies) reads best as one piece.
Fitted Fit(const std::vector<Row>& rows, size_t buckets, const TrainOptions& options, uint64_t seed,
           int run, const std::function<void(std::string_view)>& progress) {
  AdaGrad sparse(buckets * kClasses), dense(kDense * kClasses);
  // The domain copies: trained by customer-service rows only, added to the shared weights when
  // the model is written (what is scored is customer-service text).
  AdaGrad sparse_dom(options.domain_copies ? buckets * kClasses : 0), dense_dom(kDense * kClasses);
  std::vector<size_t> order(rows.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  SplitMix rng{seed};
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.Next() % i]);
    double loss = 0;
    for (size_t index : order) {
      const Row& r = rows[index];
      double z[kClasses] = {0, 0, 0};
      for (size_t d = 0; d < kDense; ++d)
        for (int c = 0; c < kClasses; ++c)
          z[c] += (dense.w[d * kClasses + c] + (r.domain ? dense_dom.w[d * kClasses + c] : 0.0f)) *
                  r.dense[d];
      for (uint32_t b : r.buckets)
        for (int c = 0; c < kClasses; ++c)
          z[c] += sparse.w[b * kClasses + c] + (r.domain ? sparse_dom.w[b * kClasses + c] : 0.0f);
      double top = std::max({z[0], z[1], z[2]}), sum = 0;
      for (double& x : z) sum += x = std::exp(x - top);
      double g[kClasses];
      for (int c = 0; c < kClasses; ++c) g[c] = (z[c] / sum - (c == r.label ? 1 : 0)) * r.weight;
      loss -= r.weight * std::log(std::max(z[r.label] / sum, 1e-12));
      for (size_t d = 0; d < kDense; ++d)
        for (int c = 0; c < kClasses; ++c)
          if (r.dense[d] != 0) dense.Step(d * kClasses + c, g[c] * r.dense[d], options.rate);
      for (uint32_t b : r.buckets)
        for (int c = 0; c < kClasses; ++c) {
          size_t at = b * kClasses + c;
          sparse.Step(at, g[c] + options.l2 * sparse.w[at], options.rate);
          if (r.domain) sparse_dom.Step(at, g[c] + options.l2 * sparse_dom.w[at], options.rate);
        }
      if (r.domain)
        for (size_t d = 0; d < kDense; ++d)
          for (int c = 0; c < kClasses; ++c)
            if (r.dense[d] != 0) dense_dom.Step(d * kClasses + c, g[c] * r.dense[d], options.rate);
    }
    char line[160];
    std::snprintf(line, sizeof line,
                  "run %d/%d (seed %llu), epoch %d/%d: mean loss %.4f over %zu rows", run,
                  options.runs, static_cast<unsigned long long>(seed), epoch, options.epochs,
                  loss / static_cast<double>(rows.size()), rows.size());
    progress(line);
  }
  if (options.domain_copies) {
    auto dense_share = static_cast<float>(options.domain_dense_share);
    auto sparse_share = static_cast<float>(options.domain_sparse_share);
    for (size_t i = 0; i < dense.w.size(); ++i) dense.w[i] += dense_share * dense_dom.w[i];
    for (size_t i = 0; i < sparse.w.size(); ++i) sparse.w[i] += sparse_share * sparse_dom.w[i];
  }
  return {std::move(dense.w), std::move(sparse.w)};
}

}  // namespace

// The average of options.runs runs (seeds seed, seed + 1, …): a linear model, so averaging the
// weights averages the scores, and the noise of one shuffle order shrinks.
Model Train(const Lexicon& lexicon, const std::vector<Example>& train, const std::string& data_hash,
            const TrainOptions& options, const std::function<void(std::string_view)>& progress) {
  std::vector<Row> rows = Featurize(lexicon, train, options);
  size_t buckets = size_t{1} << options.hash_bits;
  std::vector<uint32_t> counts(buckets, 0);
  for (const Row& r : rows)
    for (uint32_t b : r.buckets) ++counts[b];
  for (Row& r : rows)
    std::erase_if(r.buckets,
                  [&](uint32_t b) { return counts[b] < static_cast<uint32_t>(options.min_count); });

  Fitted mean{std::vector<float>(kDense * kClasses, 0.0f),
              std::vector<float>(buckets * kClasses, 0.0f)};
  int runs = std::max(1, options.runs);
  auto share = 1.0f / static_cast<float>(runs);
  for (int run = 0; run < runs; ++run) {
    Fitted fitted =
        Fit(rows, buckets, options, options.seed + static_cast<uint64_t>(run), run + 1, progress);
    for (size_t i = 0; i < mean.dense.size(); ++i) mean.dense[i] += fitted.dense[i] * share;
    for (size_t i = 0; i < mean.sparse.size(); ++i) mean.sparse[i] += fitted.sparse[i] * share;
  }
  std::vector<float>& dense_w = mean.dense;
  std::vector<float>& sparse_w = mean.sparse;
  std::array<Weights, kDense> dense_weights{};
  // The class offsets move the decision towards negative and away from neutral: the priors of
  // Reddit comments (a third neutral) are not those of customer feedback.
  dense_w[static_cast<size_t>(Label::kNegative)] += static_cast<float>(options.negative_offset);
  dense_w[static_cast<size_t>(Label::kNeutral)] += static_cast<float>(options.neutral_offset);
  for (size_t d = 0; d < kDense; ++d) dense_weights[d] = Centered(&dense_w[d * kClasses]);
  std::vector<std::pair<uint32_t, Weights>> kept;
  for (size_t b = 0; b < buckets; ++b) {
    if (counts[b] < static_cast<uint32_t>(options.min_count)) continue;
    Weights w = Centered(&sparse_w[b * kClasses]);
    float largest = std::max({std::abs(w[0]), std::abs(w[1]), std::abs(w[2])});
    if (largest >= options.prune) kept.emplace_back(static_cast<uint32_t>(b), w);
  }
  return Model(lexicon, options.hash_bits, dense_weights, std::move(kept),
               {options.seed, data_hash, Recipe(options)});
}

Metrics Measure(const std::vector<Example>& rows,
                const std::function<Label(std::string_view)>& score) {
  size_t confusion[kClasses][kClasses] = {};  // [gold][predicted]
  auto start = std::chrono::steady_clock::now();
  for (const Example& e : rows)
    ++confusion[static_cast<int>(e.label)][static_cast<int>(score(e.text))];
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Metrics m;
  m.rows = rows.size();
  m.texts_per_second = seconds > 0 ? static_cast<double>(rows.size()) / seconds : 0;
  size_t correct = 0;
  double f1_sum = 0;
  int present = 0;
  for (int c = 0; c < kClasses; ++c) {
    correct += confusion[c][c];
    size_t gold = 0, predicted = 0;
    for (int k = 0; k < kClasses; ++k) {
      gold += confusion[c][k];
      predicted += confusion[k][c];
    }
    double precision = predicted ? static_cast<double>(confusion[c][c]) / predicted : 0;
    double recall = gold ? static_cast<double>(confusion[c][c]) / gold : 0;
    double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
    if (gold > 0) {
      f1_sum += f1;
      ++present;
    }
    if (c == static_cast<int>(Label::kNegative)) {
      m.negative_precision = precision;
      m.negative_recall = recall;
      m.negative_f1 = f1;
    }
  }
  m.accuracy = rows.empty() ? 0 : static_cast<double>(correct) / static_cast<double>(rows.size());
  m.macro_f1 = present ? f1_sum / present : 0;
  return m;
}

}  // namespace orchard::sentiment
