#pragma once

// TcpPipe: one direction of one relayed TCP connection. It reads chunks from one socket,
// gives each a release time (ImpairedPath, then InOrderRelease) and writes them to the
// other socket when due; end of stream travels the same way, as a shutdown after the last
// byte. The two pipes of a connection share a TcpSocketPair: an error on either side closes
// both sockets, and the other pipe ends at its next operation.
//
// Backpressure stands in for TCP's windows: the pipe stops reading while it holds more than
// kMaxQueuedBytes, or while the direction's bandwidth queue is longer than
// kMaxShaperBacklog_us; the sender then sees a slow path, not an infinite buffer.

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "impair_relay/delay_model.hpp"
#include "impair_relay/impaired_path.hpp"

namespace streamsync::impair {

struct TcpSocketPair {
  explicit TcpSocketPair(boost::asio::ip::tcp::socket client_socket);
  boost::asio::ip::tcp::socket client;
  boost::asio::ip::tcp::socket target;
  bool closed = false;
  void close();  // both sockets; idempotent
};

class TcpPipe : public std::enable_shared_from_this<TcpPipe> {
 public:
  // Bytes read per chunk; each chunk gets its own delay draw.
  static constexpr std::size_t kChunkBytes = 16 * 1024;
  // In flight through one direction of one connection: covers the bandwidth-delay product
  // of any scenario (8 MiB is 1.3 Gbit/s at 50 ms), so only a cap or a cut slows a sender.
  static constexpr std::size_t kMaxQueuedBytes = 8 * 1024 * 1024;
  // Bandwidth queue a TCP sender may build: a router buffer's worth, not the whole stream.
  static constexpr std::int64_t kMaxShaperBacklog_us = 50'000;
  // While cut, held data is checked for release this often.
  static constexpr std::int64_t kCutPoll_us = 10'000;

  TcpPipe(std::shared_ptr<TcpSocketPair> sockets, Direction direction, ImpairedPath& path);
  void start();

 private:
  struct Chunk {
    std::int64_t release_us = 0;
    std::vector<char> bytes;  // empty: end of stream
  };

  boost::asio::ip::tcp::socket& source();
  boost::asio::ip::tcp::socket& sink();

  void read_when_allowed();
  void on_read(const boost::system::error_code& ec, std::size_t bytes);
  void write_when_due();
  void on_write(const boost::system::error_code& ec);
  void fail();

  std::shared_ptr<TcpSocketPair> sockets_;
  Direction direction_;
  ImpairedPath& path_;
  InOrderRelease order_;
  boost::asio::steady_timer read_timer_;
  boost::asio::steady_timer write_timer_;
  std::deque<Chunk> queue_;
  std::size_t queued_bytes_ = 0;
  bool reading_ = false;  // a read or a wait to read is pending
  bool writing_ = false;  // a write or a wait to write is pending
  bool source_ended_ = false;
  std::array<char, kChunkBytes> buffer_{};
};

}  // namespace streamsync::impair
