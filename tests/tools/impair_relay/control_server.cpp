#include "impair_relay/control_server.hpp"

#include <string>

#include "impair_relay/control_command.hpp"
#include "observability/logger.hpp"

namespace streamsync::impair {

namespace asio = boost::asio;
using udp = asio::ip::udp;

ControlServer::ControlServer(asio::io_context& io, const udp::endpoint& listen, ImpairedPath& path)
    : socket_(io, listen), path_(path) {}

void ControlServer::start() {
  socket_.async_receive_from(asio::buffer(buffer_), sender_,
                             [this](const boost::system::error_code& ec, std::size_t bytes) {
                               on_command(ec, bytes);
                             });
}

void ControlServer::on_command(const boost::system::error_code& ec, std::size_t bytes) {
  if (ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor) return;
  if (!ec) {
    std::string command(buffer_.data(), bytes);
    while (!command.empty() && (command.back() == '\n' || command.back() == '\r')) command.pop_back();
    const std::string reply = run_control_command(command, path_);
    server::log_info("control", {{"command", command}, {"reply", reply}});
    boost::system::error_code ignored;  // a sender that went away does not need its reply
    socket_.send_to(asio::buffer(reply), sender_, 0, ignored);
  }
  start();
}

}  // namespace streamsync::impair
