#pragma once

// ServerThread: an NtpServer started on its own io_context, run by a std::thread, as the
// streamsync-server runs it. Stopping is bounded so that a server that fails to stop fails the
// test instead of hanging it.

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <future>
#include <thread>
#include <utility>

#include "time/ntp_server.hpp"

namespace streamsync::server::testing {

class ServerThread {
 public:
  // Starts the server (throws as NtpServer::start does), then runs it on a new thread.
  explicit ServerThread(NtpServerConfig config, WallClock now_us = &system_wall_clock_us)
      : server_(io_, std::move(config), std::move(now_us)) {
    server_.start();
    std::promise<void> finished;
    finished_ = finished.get_future();
    thread_ = std::thread([this, done = std::move(finished)]() mutable {
      io_.run();
      done.set_value();
    });
  }

  ~ServerThread() { stop_and_join(std::chrono::seconds(5)); }

  ServerThread(const ServerThread&) = delete;
  ServerThread& operator=(const ServerThread&) = delete;

  NtpServer& server() { return server_; }
  boost::asio::io_context& io() { return io_; }

  // Asks the server to stop on its own thread and waits up to `timeout` for io_context::run()
  // to return by itself, which it does only if stop() left no work behind. False if it did not
  // (the io_context is then stopped by force, so the thread is joined either way).
  bool stop_and_join(std::chrono::milliseconds timeout) {
    if (!thread_.joinable()) return true;
    boost::asio::post(io_, [this] { server_.stop(); });
    const bool clean = finished_.wait_for(timeout) == std::future_status::ready;
    if (!clean) io_.stop();
    thread_.join();
    return clean;
  }

 private:
  boost::asio::io_context io_;
  NtpServer server_;
  std::future<void> finished_;
  std::thread thread_;
};

}  // namespace streamsync::server::testing
