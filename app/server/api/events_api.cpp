#include "api/events_api.hpp"

#include <boost/beast/http/write.hpp>

#include "api/api_support.hpp"
#include "api/channel_view.hpp"
#include "api/event_hub.hpp"
#include "api/request_target.hpp"
#include "catalog/channel_store.hpp"
#include "catalog/viewer_store.hpp"
#include "http/websocket_session.hpp"
#include "observability/metrics.hpp"

namespace streamsync::server {
namespace {

void refuse(boost::beast::tcp_stream& stream, StringResponse response) {
  response.keep_alive(false);
  boost::beast::error_code ignored;
  // A short error on a fresh connection: a blocking write is fine and keeps this simple.
  stream.expires_after(std::chrono::seconds(5));
  beast_http::write(stream, response, ignored);
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
}

}  // namespace

void accept_events(ApiContext& ctx, boost::beast::tcp_stream&& stream, Request&& upgrade) {
  const std::string target_text(upgrade.target());
  const RequestTarget target = parse_target(target_text);
  if (!target.is({"api", "v1", "events"}))
    return refuse(stream, not_found(upgrade, "WebSocket endpoint"));
  const auto channel = target.param("channel");
  if (!channel || channel->empty())
    return refuse(stream, bad_request(upgrade, "channel: required (?channel=ID)"));
  const std::string channel_id(*channel);
  if (!ctx.channels.get(channel_id))
    return refuse(stream, not_found(upgrade, "channel '" + channel_id + "'"));

  auto session = std::make_shared<WebSocketSession>(std::move(stream));
  ApiContext* context = &ctx;  // outlives every session: main stops the I/O before tearing it down
  session->run(
      std::move(upgrade),
      [context, channel_id](const std::shared_ptr<WebSocketSession>& open) {
        context->metrics.websocket_opened();
        context->events.subscribe(channel_id, open);
        const std::int64_t now_us = context->now_us();
        open->send(std::make_shared<const std::string>(
            to_json(Event{HelloEvent{channel_id, now_us}}).dump()));
        const std::int64_t viewers = viewers_of(context->viewers.active_counts(now_us), channel_id);
        open->send(std::make_shared<const std::string>(
            to_json(Event{PresenceEvent{channel_id, viewers}}).dump()));
      },
      [context] { context->metrics.websocket_closed(); });
}

}  // namespace streamsync::server
