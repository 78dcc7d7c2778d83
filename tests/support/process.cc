#include "support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>

extern char** environ;

namespace orchard::testing {

namespace {

struct Spawned {
  int pid, in_fd, out_fd, err_fd;
};

Spawned Spawn(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  int in[2], out[2], err[2];
  if (pipe(in) != 0 || pipe(out) != 0 || pipe(err) != 0) std::abort();
  int pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) close(fd);
    for (const auto& kv : env) putenv(const_cast<char*>(kv.c_str()));
    std::vector<char*> argv;
    std::string bin = OrchardBinary();
    argv.push_back(bin.data());
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  return {pid, in[1], out[0], err[0]};
}

int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::string Drain(int fd) {
  std::string s;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<size_t>(n));
  return s;
}

}  // namespace

std::string OrchardBinary() {
  const char* b = std::getenv("ORCHARD_BINARY");
  return b != nullptr ? b : "orchard";
}

ProcessResult RunOrchard(const std::vector<std::string>& args, const std::vector<std::string>& env,
                         const std::string& stdin_text) {
  Spawned p = Spawn(args, env);
  if (!stdin_text.empty()) (void)!write(p.in_fd, stdin_text.data(), stdin_text.size());
  close(p.in_fd);
  ProcessResult r;
  // Read both pipes without deadlock.
  pollfd fds[2] = {{p.out_fd, POLLIN, 0}, {p.err_fd, POLLIN, 0}};
  int open_fds = 2;
  char buf[4096];
  while (open_fds > 0) {
    if (poll(fds, 2, 120'000) <= 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
      }
    }
  }
  int status = 0;
  waitpid(p.pid, &status, 0);
  r.exit_code = DecodeStatus(status);
  return r;
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& args,
                                     const std::vector<std::string>& env) {
  Spawned p = Spawn(args, env);
  close(p.in_fd);
  pid_ = p.pid;
  out_fd_ = p.out_fd;
  err_fd_ = p.err_fd;
  // stderr is drained at the end; make it non-blocking so a full pipe never stalls the child
  // forever (the kernel buffer holds 64 KiB, plenty for these tests).
  fcntl(err_fd_, F_SETFL, O_NONBLOCK);
}

BackgroundProcess::~BackgroundProcess() {
  if (pid_ > 0) Stop(SIGKILL, 5000);
  if (out_fd_ >= 0) close(out_fd_);
  if (err_fd_ >= 0) close(err_fd_);
}

std::string BackgroundProcess::WaitForLine(const std::string& needle, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  size_t scanned = 0;
  while (true) {
    size_t nl;
    while ((nl = out_.find('\n', scanned)) != std::string::npos) {
      std::string line = out_.substr(scanned, nl - scanned);
      scanned = nl + 1;
      if (line.find(needle) != std::string::npos) return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) return "";
    pollfd fd{out_fd_, POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(left)) <= 0) return "";
    char buf[4096];
    ssize_t n = read(out_fd_, buf, sizeof buf);
    if (n <= 0) return "";
    out_.append(buf, static_cast<size_t>(n));
  }
}

int BackgroundProcess::Stop(int sig, int timeout_ms) {
  if (pid_ <= 0) return exit_code_;
  kill(pid_, sig);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exit_code_ = DecodeStatus(status);
      pid_ = -1;
      return exit_code_;
    }
    usleep(10'000);
  }
  return -1;
}

std::string BackgroundProcess::ReadStderr() { return Drain(err_fd_); }

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "orchard-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) std::abort();
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace orchard::testing
