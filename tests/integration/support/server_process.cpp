#include "support/server_process.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <utility>

namespace streamsync::test {

std::filesystem::path server_binary() {
  return STREAMSYNC_SERVER_BINARY;
}

std::unique_ptr<ServerProcess> ServerProcess::start(const std::filesystem::path& data_dir,
                                                    const std::vector<std::string>& extra_args,
                                                    std::chrono::seconds startup_timeout) {
  std::vector<std::string> argv = {server_binary().string(),
                                   "--data",
                                   data_dir.string(),
                                   "--http",
                                   "127.0.0.1:0",
                                   "--ntp",
                                   "127.0.0.1:0"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  std::unique_ptr<ServerProcess> server(new ServerProcess(std::move(argv)));
  const ServerProcess* self = server.get();
  if (!server->child_.wait_until([self] { return self->http_port_ != 0; }, startup_timeout)) {
    ADD_FAILURE() << "streamsync-server did not start listening. stderr:\n"
                  << server->stderr_text();
    return nullptr;
  }
  return server;
}

ServerProcess::ServerProcess(std::vector<std::string> argv)
    : child_(
          std::move(argv), [this](std::string_view line) { on_stderr_line(line); },
          std::chrono::milliseconds(10'000)) {}

ServerProcess::~ServerProcess() = default;

void ServerProcess::on_stderr_line(std::string_view line) {
  static const std::regex listening(R"(msg=listening http=\S+:(\d+) ntp=\S+:(\d+))");
  if (http_port_ != 0) return;  // the ports are read without a lock from now on
  std::match_results<std::string_view::const_iterator> match;
  if (std::regex_search(line.begin(), line.end(), match, listening)) {
    http_port_ = static_cast<std::uint16_t>(std::stoi(match[1].str()));
    ntp_port_ = static_cast<std::uint16_t>(std::stoi(match[2].str()));
  }
}

std::string ServerProcess::stdout_text() const {
  return child_.stdout_text();
}

std::string ServerProcess::presenter_token() const {
  static const std::regex token(R"(Presenter token \(shown only now, keep it\): (ss_\S+))");
  std::smatch match;
  const std::string out = stdout_text();
  return std::regex_search(out, match, token) ? match[1].str() : std::string();
}

std::string ServerProcess::stderr_text() const {
  return child_.stderr_text();
}

server::ChildResult ServerProcess::stop() {
  return child_.stop();
}

}  // namespace streamsync::test
