#include "api/system_api.hpp"

#include <charconv>

#include "api/api_support.hpp"
#include "catalog/channel_store.hpp"
#include "http/responses.hpp"
#include "observability/metrics.hpp"
#include "protocol/api_messages.hpp"

namespace streamsync::server {

StringResponse time_now(ApiContext& ctx, const Request& request, const RequestTarget& target) {
  TimeReply reply;
  reply.server_received_us = ctx.now_us();
  if (request.method() != beast_http::verb::get) return method_not_allowed(request, {"GET"});
  if (const auto t1 = target.param("t1")) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(t1->data(), t1->data() + t1->size(), value);
    if (ec != std::errc{} || end != t1->data() + t1->size()) {
      return bad_request(request, "t1: must be an integer (client time in µs)");
    }
    reply.client_sent_us = value;
  }
  if (ctx.ntp_port != 0) reply.ntp_port = ctx.ntp_port;
  reply.server_sent_us = ctx.now_us();
  return json_response(request, beast_http::status::ok, to_json(reply));
}

StringResponse health(ApiContext& ctx, const Request& request) {
  if (request.method() != beast_http::verb::get && request.method() != beast_http::verb::head) {
    return method_not_allowed(request, {"GET", "HEAD"});
  }
  ctx.channels.list();  // touches the database: a broken catalog throws and answers 500
  const std::int64_t now_us = ctx.now_us();
  return json_response(request, beast_http::status::ok,
                       {{"status", "ok"},
                        {"version", STREAMSYNC_VERSION},
                        {"server_time_us", now_us},
                        {"uptime_s", static_cast<double>(now_us - ctx.started_at_us) / 1e6}});
}

StringResponse metrics(ApiContext& ctx, const Request& request) {
  if (request.method() != beast_http::verb::get) return method_not_allowed(request, {"GET"});
  StringResponse response{beast_http::status::ok, request.version()};
  response.set(beast_http::field::content_type, "text/plain; version=0.0.4");
  response.set(beast_http::field::cache_control, "no-store");
  response.keep_alive(request.keep_alive());
  response.body() = ctx.metrics.render();
  response.prepare_payload();
  return response;
}

}  // namespace streamsync::server
