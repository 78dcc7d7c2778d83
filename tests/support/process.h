// Runs the built `orchard` binary as a user would, for CLI tests: capture exit code, stdout and
// stderr; or start it in the background, read its output, signal it.
#pragma once

#include <signal.h>

#include <string>
#include <vector>

namespace orchard::testing {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed by one
  std::string out;
  std::string err;
};

// The binary under test (env ORCHARD_BINARY, set by ctest).
std::string OrchardBinary();

// Runs argv[0] = binary with args; env_overrides like "ORCHARD_DB=…" are added to the environment.
ProcessResult RunOrchard(const std::vector<std::string>& args,
                         const std::vector<std::string>& env = {},
                         const std::string& stdin_text = "");

class BackgroundProcess {
 public:
  explicit BackgroundProcess(const std::vector<std::string>& args,
                             const std::vector<std::string>& env = {});
  ~BackgroundProcess();
  // Reads stdout until a line contains `needle` (or timeout / exit); returns that line or "".
  std::string WaitForLine(const std::string& needle, int timeout_ms);
  // Sends sig and waits up to timeout_ms for exit; returns the exit code (or -1 on timeout).
  int Stop(int sig, int timeout_ms);
  const std::string& output() const { return out_; }
  std::string ReadStderr();

 private:
  int pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string out_;
  int exit_code_ = -1;
};

// A fresh temporary directory, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace orchard::testing
