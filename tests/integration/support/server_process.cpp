#include "support/server_process.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace streamsync::test {

std::filesystem::path server_binary() {
  return STREAMSYNC_SERVER_BINARY;
}

std::unique_ptr<ServerProcess> ServerProcess::start(const std::filesystem::path& data_dir,
                                                    const std::vector<std::string>& extra_args,
                                                    std::chrono::seconds startup_timeout) {
  std::unique_ptr<ServerProcess> server(new ServerProcess());
  server::ChildProcessOptions options;
  options.argv = {server_binary().string(),
                  "--data",
                  data_dir.string(),
                  "--http",
                  "127.0.0.1:0",
                  "--ntp",
                  "127.0.0.1:0"};
  options.argv.insert(options.argv.end(), extra_args.begin(), extra_args.end());
  options.stop = &server->stop_signal_;
  options.kill_grace = std::chrono::milliseconds(10'000);
  ServerProcess* self = server.get();
  options.on_stdout_line = [self](std::string_view line) {
    const std::lock_guard lock(self->mutex_);
    self->stdout_.append(line).append("\n");
  };
  options.on_stderr_line = [self](std::string_view line) { self->on_stderr_line(line); };
  server->runner_ = std::thread([self, options] {
    auto result = server::run_child_process(options);
    const std::lock_guard lock(self->mutex_);
    if (result) {
      self->result_ = *result;
    } else {
      self->stderr_ += "could not start: " + result.error() + "\n";
      self->result_ = server::ChildResult{};
    }
    self->changed_.notify_all();
  });

  std::unique_lock lock(server->mutex_);
  const bool listening = server->changed_.wait_for(lock, startup_timeout, [&] {
    return server->http_port_ != 0 || server->result_.has_value();
  });
  if (!listening || server->http_port_ == 0) {
    ADD_FAILURE() << "streamsync-server did not start listening. stderr:\n" << server->stderr_;
    lock.unlock();
    server->stop();
    return nullptr;
  }
  return server;
}

void ServerProcess::on_stderr_line(std::string_view line) {
  static const std::regex listening(R"(msg=listening http=\S+:(\d+) ntp=\S+:(\d+))");
  const std::lock_guard lock(mutex_);
  stderr_.append(line).append("\n");
  std::match_results<std::string_view::const_iterator> match;
  if (std::regex_search(line.begin(), line.end(), match, listening)) {
    http_port_ = static_cast<std::uint16_t>(std::stoi(match[1].str()));
    ntp_port_ = static_cast<std::uint16_t>(std::stoi(match[2].str()));
    changed_.notify_all();
  }
}

std::string ServerProcess::stdout_text() const {
  const std::lock_guard lock(mutex_);
  return stdout_;
}

std::string ServerProcess::stderr_text() const {
  const std::lock_guard lock(mutex_);
  return stderr_;
}

server::ChildResult ServerProcess::stop() {
  stop_signal_.request_stop();
  if (runner_.joinable()) runner_.join();
  const std::lock_guard lock(mutex_);
  return result_.value_or(server::ChildResult{});
}

ServerProcess::~ServerProcess() {
  stop();
}

}  // namespace streamsync::test
