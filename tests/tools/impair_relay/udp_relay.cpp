#include "impair_relay/udp_relay.hpp"

#include <algorithm>

#include "impair_relay/steady_time.hpp"
#include "observability/logger.hpp"

namespace streamsync::impair {

namespace asio = boost::asio;
using udp = asio::ip::udp;

namespace {

// The one place that decides which receive errors end a receive loop. ICMP "port
// unreachable" from a target that is not up yet (connection_refused) and a truncated
// datagram are noise: keep receiving. Aborted or closed sockets end the loop.
bool ends_receiving(const boost::system::error_code& ec) {
  return ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor;
}

}  // namespace

UdpRelay::UdpRelay(asio::io_context& io, const udp::endpoint& listen, const udp::endpoint& target,
                   ImpairedPath& path, std::chrono::seconds idle_timeout)
    : io_(io),
      listener_(io, listen),
      target_(target),
      path_(path),
      idle_timeout_(idle_timeout),
      sweep_timer_(io) {
  // Sends are synchronous (a datagram either fits the socket buffer or is dropped, as a
  // full router queue would); non-blocking, so one slow socket never stalls the relay.
  listener_.non_blocking(true);
}

void UdpRelay::start() {
  receive_from_clients();
  schedule_sweep();
}

void UdpRelay::receive_from_clients() {
  listener_.async_receive_from(asio::buffer(buffer_), sender_,
                               [this](const boost::system::error_code& ec, std::size_t bytes) {
                                 on_client_datagram(ec, bytes);
                               });
}

void UdpRelay::on_client_datagram(const boost::system::error_code& ec, std::size_t bytes) {
  if (ends_receiving(ec)) return;
  if (!ec) {
    const std::int64_t now_us = steady_now_us();
    if (auto session = session_for(sender_, now_us)) {
      forward(Direction::up, session,
              std::vector<char>(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(bytes)),
              now_us);
    }
  }
  receive_from_clients();
}

std::shared_ptr<UdpRelay::Session> UdpRelay::session_for(const udp::endpoint& client,
                                                         std::int64_t now_us) {
  auto found = sessions_.find(client);
  if (found != sessions_.end()) {
    found->second->last_active_us = now_us;
    return found->second;
  }
  auto session = std::make_shared<Session>(io_);
  boost::system::error_code ec;
  session->upstream.open(target_.protocol(), ec);
  if (!ec) session->upstream.connect(target_, ec);
  if (!ec) session->upstream.non_blocking(true, ec);
  if (ec) {
    server::log_warn("udp session failed", {{"error", ec.message()}});
    return nullptr;
  }
  session->client = client;
  session->last_active_us = now_us;
  sessions_.emplace(client, session);
  receive_from_target(session);
  return session;
}

void UdpRelay::receive_from_target(const std::shared_ptr<Session>& session) {
  session->upstream.async_receive(
      asio::buffer(session->buffer),
      [this, session](const boost::system::error_code& ec, std::size_t bytes) {
        if (ends_receiving(ec)) return;
        if (!ec) {
          const std::int64_t now_us = steady_now_us();
          session->last_active_us = now_us;
          forward(Direction::down, session,
                  std::vector<char>(session->buffer.begin(),
                                    session->buffer.begin() + static_cast<std::ptrdiff_t>(bytes)),
                  now_us);
        }
        receive_from_target(session);
      });
}

void UdpRelay::forward(Direction direction, const std::shared_ptr<Session>& session,
                       std::vector<char> datagram, std::int64_t now_us) {
  const auto release_us = path_.datagram_release_us(direction, now_us, datagram.size());
  if (!release_us) return;
  // Due now: send at once, so that without delay datagrams keep their order (timers that
  // expire together fire in no particular order).
  if (*release_us <= now_us) return send(direction, *session, datagram);
  auto timer = std::make_shared<asio::steady_timer>(io_, steady_time_point(*release_us));
  timer->async_wait([this, timer, direction, session, datagram = std::move(datagram)](
                        const boost::system::error_code& ec) {
    // A cut also swallows what was already on the way.
    if (ec || path_.is_cut()) return;
    send(direction, *session, datagram);
  });
}

void UdpRelay::send(Direction direction, Session& session, const std::vector<char>& datagram) {
  // Errors are the path's business: a full buffer or an unreachable peer loses the datagram.
  boost::system::error_code ignored;
  if (direction == Direction::up) {
    session.upstream.send(asio::buffer(datagram), 0, ignored);
  } else {
    listener_.send_to(asio::buffer(datagram), session.client, 0, ignored);
  }
}

void UdpRelay::schedule_sweep() {
  // Often enough that a session outlives its timeout by at most a quarter of it.
  const auto period = std::clamp<std::chrono::milliseconds>(
      std::chrono::duration_cast<std::chrono::milliseconds>(idle_timeout_) / 4,
      std::chrono::milliseconds(100), std::chrono::milliseconds(5000));
  sweep_timer_.expires_after(period);
  sweep_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    close_idle_sessions(steady_now_us());
    schedule_sweep();
  });
}

void UdpRelay::close_idle_sessions(std::int64_t now_us) {
  const std::int64_t idle_limit_us =
      std::chrono::duration_cast<std::chrono::microseconds>(idle_timeout_).count();
  std::erase_if(sessions_, [&](const auto& entry) {
    if (now_us - entry.second->last_active_us < idle_limit_us) return false;
    boost::system::error_code ignored;
    entry.second->upstream.close(ignored);  // ends its receive loop
    return true;
  });
}

}  // namespace streamsync::impair
