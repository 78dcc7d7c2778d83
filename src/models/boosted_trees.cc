#include "models/boosted_trees.h"

#include <xgboost/c_api.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>

namespace orchard::models {

namespace {

struct DMatrixFree {
  void operator()(void* handle) const { XGDMatrixFree(handle); }
};
using DMatrixPtr = std::unique_ptr<void, DMatrixFree>;
using BoosterPtr = std::unique_ptr<void, BoostedTrees::BoosterFree>;

// XGBoost's message for a person: without its stack trace, its time stamp and its source line
// ("[21:52:44] ./src/learner.cc:1017: Check failed: …" → "Check failed: …").
std::string Readable(std::string_view detail) {
  if (auto trace = detail.find("Stack trace:"); trace != std::string_view::npos)
    detail = detail.substr(0, trace);
  if (detail.starts_with('[')) {
    if (auto stamp = detail.find("] "); stamp != std::string_view::npos)
      detail.remove_prefix(stamp + 2);
    auto colon = detail.find(": ");
    if (colon != std::string_view::npos &&
        detail.substr(0, colon).find(".cc:") != std::string_view::npos)
      detail.remove_prefix(colon + 2);
  }
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' '))
    detail.remove_suffix(1);
  return detail.empty() ? "failed (no message)" : std::string(detail);
}

// An XGBoost call's return code as a Status: its own message on failure.
Status Check(int code, std::string_view what) {
  if (code == 0) return Ok();
  const char* detail = XGBGetLastError();
  return Fail(ErrorCode::kInvalidArgument,
              "XGBoost: " + std::string(what) + ": " + Readable(detail != nullptr ? detail : ""));
}

Result<DMatrixPtr> MakeMatrix(const Dataset& data) {
  ORCHARD_CHECK(data.Check());
  DMatrixHandle handle = nullptr;
  ORCHARD_CHECK(Check(XGDMatrixCreateFromMat(data.values.data(), data.rows(), data.cols(),
                                             std::numeric_limits<float>::quiet_NaN(), &handle),
                      "creating the data matrix"));
  DMatrixPtr matrix(handle);
  if (!data.labels.empty()) {
    std::vector<float> labels(data.labels.begin(), data.labels.end());
    ORCHARD_CHECK(Check(XGDMatrixSetFloatInfo(matrix.get(), "label", labels.data(), labels.size()),
                        "setting the labels"));
  }
  return matrix;
}

Result<BoosterPtr> MakeBooster(DMatrixHandle train) {
  BoosterHandle handle = nullptr;
  const int count = train == nullptr ? 0 : 1;
  ORCHARD_CHECK(Check(XGBoosterCreate(&train, count, &handle), "creating the booster"));
  return BoosterPtr(handle);
}

Status SetParam(void* booster, const std::string& name, const std::string& value) {
  return Check(XGBoosterSetParam(booster, name.c_str(), value.c_str()),
               "parameter " + name + "=" + value);
}

}  // namespace

void BoostedTrees::BoosterFree::operator()(void* handle) const { XGBoosterFree(handle); }

TreeOptions TreeOptions::Defaults(uint64_t seed) {
  TreeOptions options;
  options.rounds = 100;
  options.seed = seed;
  return options;
}

Result<BoostedTrees> BoostedTrees::Fit(const Dataset& train, const TreeOptions& options) {
  ORCHARD_CHECK(train.CheckBothClasses());
  if (options.rounds < 1) return FailValue("rounds", "must be 1 or more");
  if (options.threads < 1) return FailValue("threads", "must be 1 or more");
  ORCHARD_TRY(DMatrixPtr matrix, MakeMatrix(train));
  ORCHARD_TRY(BoosterPtr booster, MakeBooster(matrix.get()));
  const std::vector<std::pair<std::string, std::string>> base = {
      {"objective", "binary:logistic"},
      {"tree_method", "hist"},
      {"nthread", std::to_string(options.threads)},
      {"seed", std::to_string(options.seed % 2147483648u)},  // XGBoost reads an int
      {"verbosity", "1"},
  };
  for (const auto& [name, value] : base) ORCHARD_CHECK(SetParam(booster.get(), name, value));
  for (const auto& [name, value] : options.params)
    ORCHARD_CHECK(SetParam(booster.get(), name, value));
  for (int round = 0; round < options.rounds; ++round)
    ORCHARD_CHECK(Check(XGBoosterUpdateOneIter(booster.get(), round, matrix.get()),
                        "training round " + std::to_string(round + 1)));
  BoostedTrees model;
  model.booster_ = std::move(booster);
  model.features_ = train.cols();
  return model;
}

Result<std::vector<float>> BoostedTrees::RunPrediction(const Dataset& data, int type,
                                                       std::vector<size_t>* shape) const {
  if (!booster_) return Fail(ErrorCode::kInternal, "boosted trees: no model");
  if (data.cols() != features_)
    return Fail(ErrorCode::kInvalidArgument, "boosted trees: " + std::to_string(data.cols()) +
                                                 " features, trained on " +
                                                 std::to_string(features_));
  ORCHARD_TRY(DMatrixPtr matrix, MakeMatrix(data));
  const std::string config = "{\"type\": " + std::to_string(type) +
                             ", \"training\": false, \"iteration_begin\": 0, "
                             "\"iteration_end\": 0, \"strict_shape\": false}";
  const bst_ulong* out_shape = nullptr;
  bst_ulong dims = 0;
  const float* result = nullptr;
  ORCHARD_CHECK(Check(XGBoosterPredictFromDMatrix(booster_.get(), matrix.get(), config.c_str(),
                                                  &out_shape, &dims, &result),
                      "predicting"));
  size_t total = 1;
  shape->clear();
  for (bst_ulong d = 0; d < dims; ++d) {
    shape->push_back(static_cast<size_t>(out_shape[d]));
    total *= shape->back();
  }
  if (dims == 0) total = 0;
  return std::vector<float>(result, result + total);  // copied before the next XGBoost call
}

Result<std::vector<double>> BoostedTrees::Predict(const Dataset& data) const {
  std::vector<size_t> shape;
  ORCHARD_TRY(auto values, RunPrediction(data, 0, &shape));
  if (values.size() != data.rows())
    return Fail(ErrorCode::kInternal, "boosted trees: a prediction per row was expected");
  return std::vector<double>(values.begin(), values.end());
}

Result<std::vector<double>> BoostedTrees::PredictMargin(const Dataset& data) const {
  std::vector<size_t> shape;
  ORCHARD_TRY(auto values, RunPrediction(data, 1, &shape));
  if (values.size() != data.rows())
    return Fail(ErrorCode::kInternal, "boosted trees: a margin per row was expected");
  return std::vector<double>(values.begin(), values.end());
}

Result<Contributions> BoostedTrees::PredictContributions(const Dataset& data) const {
  std::vector<size_t> shape;
  ORCHARD_TRY(auto values, RunPrediction(data, 2, &shape));
  if (values.size() != data.rows() * (features_ + 1))
    return Fail(ErrorCode::kInternal, "boosted trees: contributions of an unexpected shape");
  return Contributions{data.rows(), features_ + 1,
                       std::vector<double>(values.begin(), values.end())};
}

Result<std::string> BoostedTrees::Save() const {
  if (!booster_) return Fail(ErrorCode::kInternal, "boosted trees: no model");
  bst_ulong length = 0;
  const char* bytes = nullptr;
  ORCHARD_CHECK(
      Check(XGBoosterSaveModelToBuffer(booster_.get(), "{\"format\": \"json\"}", &length, &bytes),
            "saving the model"));
  return std::string(bytes, length);
}

Result<BoostedTrees> BoostedTrees::Load(std::string_view bytes, int threads) {
  ORCHARD_TRY(BoosterPtr booster, MakeBooster(nullptr));
  ORCHARD_CHECK(Check(XGBoosterLoadModelFromBuffer(booster.get(), bytes.data(), bytes.size()),
                      "loading the model"));
  ORCHARD_CHECK(SetParam(booster.get(), "nthread", std::to_string(threads)));
  bst_ulong features = 0;
  ORCHARD_CHECK(Check(XGBoosterGetNumFeature(booster.get(), &features), "reading the model"));
  BoostedTrees model;
  model.booster_ = std::move(booster);
  model.features_ = static_cast<size_t>(features);
  return model;
}

Result<BoostedTrees> BoostedTrees::LoadFile(const std::string& path, int threads) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, "cannot open the model file " + path);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return Load(bytes, threads);
}

Status BoostedTrees::SaveFile(const std::string& path) const {
  ORCHARD_TRY(std::string bytes, Save());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Fail(ErrorCode::kUnavailable, "cannot write the model file " + path);
  return Ok();
}

}  // namespace orchard::models
