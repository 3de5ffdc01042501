// The real streamsync-server on loopback: its REST API, errors, auth, time and shutdown.

#include <gtest/gtest.h>

#include <boost/asio/ip/udp.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>

#include "process/child_process.hpp"
#include "protocol/ntp_packet.hpp"
#include "protocol/ntp_timestamp.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

namespace streamsync::test {
namespace {

using boost::beast::http::status;
using boost::beast::http::verb;
using streamsync::testing::TempDir;

constexpr const char* kViewerId = "123e4567-e89b-12d3-a456-426614174000";

std::int64_t system_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

nlohmann::json json_of(const HttpResponse& response) {
  return nlohmann::json::parse(response.body());
}

class ServerApi : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = ServerProcess::start(data_.path());
    ASSERT_NE(server_, nullptr);
    token_ = server_->presenter_token();
    ASSERT_FALSE(token_.empty()) << server_->stdout_text();
  }
  std::uint16_t port() const { return server_->http_port(); }

  TempDir data_;
  std::unique_ptr<ServerProcess> server_;
  std::string token_;
};

TEST_F(ServerApi, HealthAndMetricsAnswer) {
  const auto health = http_get(port(), "/healthz");
  ASSERT_EQ(health.result(), status::ok);
  EXPECT_EQ(json_of(health)["status"], "ok");
  http_get(port(), "/api/v1/channels");
  const auto metrics = http_get(port(), "/metrics");
  ASSERT_EQ(metrics.result(), status::ok);
  EXPECT_NE(metrics.body().find(
                "streamsync_http_requests_total{route=\"/api/v1/channels\",status=\"200\"} 1"),
            std::string::npos)
      << metrics.body();
  EXPECT_NE(metrics.body().find("streamsync_ntp_requests_total"), std::string::npos);
  EXPECT_NE(metrics.body().find("streamsync_websocket_clients"), std::string::npos);
}

TEST_F(ServerApi, PresenterTokenIsPrintedOnlyOnTheFirstStart) {
  server_->stop();
  auto second = ServerProcess::start(data_.path());
  ASSERT_NE(second, nullptr);
  EXPECT_TRUE(second->presenter_token().empty());
  // The first token still works against the restarted server.
  const auto created = http_json(second->http_port(), verb::post, "/api/v1/channels",
                                 R"({"slug":"after-restart","name":"After restart"})", token_);
  EXPECT_EQ(created.result(), status::created) << created.body();
}

TEST_F(ServerApi, ChangingChannelsNeedsAValidToken) {
  const std::string body = R"({"slug":"town-hall","name":"Town hall","description":"Fridays"})";
  const auto anonymous = http_json(port(), verb::post, "/api/v1/channels", body);
  EXPECT_EQ(anonymous.result(), status::unauthorized);
  EXPECT_EQ(json_of(anonymous)["error"]["code"], "unauthorized");
  EXPECT_EQ(http_json(port(), verb::post, "/api/v1/channels", body, "ss_wrong").result(),
            status::forbidden);

  const auto created = http_json(port(), verb::post, "/api/v1/channels", body, token_);
  ASSERT_EQ(created.result(), status::created) << created.body();
  EXPECT_EQ(json_of(created)["state"], "no_schedule");
  EXPECT_EQ(http_json(port(), verb::post, "/api/v1/channels", body, token_).result(),
            status::conflict);

  const auto listed = json_of(http_get(port(), "/api/v1/channels"));
  ASSERT_EQ(listed["channels"].size(), 1u);
  EXPECT_EQ(listed["channels"][0]["name"], "Town hall");

  EXPECT_EQ(http_request(port(), verb::delete_, "/api/v1/channels/town-hall").result(),
            status::unauthorized);
  EXPECT_EQ(http_request(port(), verb::delete_, "/api/v1/channels/town-hall",
                         {{"Authorization", "Bearer " + token_}})
                .result(),
            status::no_content);
  EXPECT_EQ(http_get(port(), "/api/v1/channels/town-hall").result(), status::not_found);
}

TEST_F(ServerApi, BadRequestsGetClearErrorsAndLeaveNothingBehind) {
  const auto not_json = http_json(port(), verb::post, "/api/v1/channels", "{not json", token_);
  EXPECT_EQ(not_json.result(), status::bad_request);
  EXPECT_EQ(json_of(not_json)["error"]["code"], "bad_request");

  const auto wrong_type =
      http_request(port(), verb::post, "/api/v1/channels",
                   {{"Authorization", "Bearer " + token_}, {"Content-Type", "text/plain"}}, "x");
  EXPECT_EQ(wrong_type.result(), status::unsupported_media_type);

  const auto bad_slug = http_json(port(), verb::post, "/api/v1/channels",
                                  R"({"slug":"Bad Slug","name":"x"})", token_);
  EXPECT_EQ(bad_slug.result(), status::bad_request);
  EXPECT_NE(json_of(bad_slug)["error"]["message"].get<std::string>().find("slug"),
            std::string::npos);

  const auto wrong_method = http_request(port(), verb::patch, "/api/v1/channels");
  EXPECT_EQ(wrong_method.result(), status::method_not_allowed);
  EXPECT_EQ(wrong_method[boost::beast::http::field::allow], "GET, POST");

  EXPECT_EQ(http_get(port(), "/api/v1/channels/nope").result(), status::not_found);
  EXPECT_EQ(http_get(port(), "/api/v1/nothing-here").result(), status::not_found);

  const auto too_big =
      http_json(port(), verb::post, "/api/v1/channels", std::string(2 << 20, ' '), token_);
  EXPECT_EQ(too_big.result(), status::payload_too_large);

  EXPECT_TRUE(json_of(http_get(port(), "/api/v1/channels"))["channels"].empty());
}

TEST_F(ServerApi, SchedulesAreValidatedAgainstTheCatalog) {
  ASSERT_EQ(http_json(port(), verb::post, "/api/v1/channels", R"({"slug":"c","name":"C"})", token_)
                .result(),
            status::created);
  const std::string unknown_video =
      R"({"channel_id":"c","revision":1,"effective_at_us":0,"start_at_us":1800000000000000,"loop":true,
          "items":[{"video_id":"missing","in_point_us":0,"duration_us":1000000}]})";
  const auto rejected =
      http_json(port(), verb::put, "/api/v1/channels/c/schedule", unknown_video, token_);
  EXPECT_EQ(rejected.result(), status::bad_request);
  EXPECT_NE(json_of(rejected)["error"]["message"].get<std::string>().find("items[0].video_id"),
            std::string::npos);

  const std::string invalid =
      R"({"channel_id":"c","revision":1,"effective_at_us":0,"start_at_us":1,"loop":true,
                                  "items":[]})";
  const auto empty = http_json(port(), verb::put, "/api/v1/channels/c/schedule", invalid, token_);
  EXPECT_EQ(empty.result(), status::bad_request);
  EXPECT_NE(json_of(empty)["error"]["message"].get<std::string>().find("items"), std::string::npos);
  EXPECT_EQ(http_get(port(), "/api/v1/channels/c/schedule").result(), status::not_found);
}

TEST_F(ServerApi, ViewersRegisterHeartbeatAndShowUpAsWatching) {
  ASSERT_EQ(http_json(port(), verb::post, "/api/v1/channels", R"({"slug":"c","name":"C"})", token_)
                .result(),
            status::created);
  const std::string registration =
      std::string(R"({"id":")") + kViewerId + R"(","display_name":"Ada"})";
  ASSERT_EQ(http_json(port(), verb::post, "/api/v1/viewers", registration).result(), status::ok);
  ASSERT_EQ(http_json(port(), verb::post, "/api/v1/viewers", registration).result(),
            status::ok);  // idempotent

  const std::string heartbeat = R"({"channel_id":"c","sync_error_ms":1.5,"rate":1.0,"buffer_s":8})";
  EXPECT_EQ(http_json(port(), verb::post,
                      std::string("/api/v1/viewers/") + kViewerId + "/heartbeat", heartbeat)
                .result(),
            status::no_content);
  const auto watching = json_of(http_get(port(), "/api/v1/channels/c/viewers"));
  ASSERT_EQ(watching["viewers"].size(), 1u);
  EXPECT_EQ(watching["viewers"][0]["display_name"], "Ada");
  EXPECT_EQ(json_of(http_get(port(), "/api/v1/channels/c"))["viewers"], 1);

  EXPECT_EQ(http_json(port(), verb::post,
                      "/api/v1/viewers/00000000-0000-0000-0000-000000000000/heartbeat", heartbeat)
                .result(),
            status::not_found);
  EXPECT_EQ(http_json(port(), verb::post, "/api/v1/viewers", R"({"id":"nope","display_name":"x"})")
                .result(),
            status::bad_request);
}

TEST_F(ServerApi, TimeFallbackEchoesTheClientTimeAndStampsServerTime) {
  const std::int64_t before_us = system_now_us();
  const auto reply = json_of(http_get(port(), "/api/v1/time?t1=12345"));
  const std::int64_t after_us = system_now_us();
  EXPECT_EQ(reply["client_sent_us"], 12345);
  EXPECT_EQ(reply["ntp_port"], server_->ntp_port());
  EXPECT_GE(reply["server_received_us"].get<std::int64_t>(), before_us);
  EXPECT_LE(reply["server_sent_us"].get<std::int64_t>(), after_us);
  EXPECT_LE(reply["server_received_us"].get<std::int64_t>(),
            reply["server_sent_us"].get<std::int64_t>());
  EXPECT_EQ(http_get(port(), "/api/v1/time?t1=abc").result(), status::bad_request);
}

TEST_F(ServerApi, AnswersNtpOnItsUdpPort) {
  boost::asio::io_context io;
  boost::asio::ip::udp::socket socket(io, boost::asio::ip::udp::v4());
  const NtpTimestamp sent = ntp_from_unix_us(system_now_us());
  const auto request = encode(make_client_request(sent));
  socket.send_to(boost::asio::buffer(request),
                 {boost::asio::ip::make_address("127.0.0.1"), server_->ntp_port()});
  std::array<std::uint8_t, 128> buffer{};
  ::timeval timeout{5, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  boost::asio::ip::udp::endpoint from;
  const std::size_t size = socket.receive_from(boost::asio::buffer(buffer), from);
  const auto reply = decode_ntp_packet(std::span<const std::uint8_t>(buffer.data(), size));
  ASSERT_TRUE(reply);
  EXPECT_FALSE(validate_server_reply(*reply, sent).has_value());
  const std::int64_t server_us = unix_us_from_ntp(reply->transmit, system_now_us());
  EXPECT_LT(std::llabs(server_us - system_now_us()), 1'000'000);
}

TEST_F(ServerApi, MediaPathsCannotEscapeTheMediaFolder) {
  for (const char* target : {"/media/../catalog.db", "/media/%2e%2e/catalog.db",
                             "/media/..%2fcatalog.db", "/media/videos/../../catalog.db"}) {
    const auto response = http_get(port(), target);
    EXPECT_TRUE(response.result() == status::not_found || response.result() == status::bad_request)
        << target << " -> " << response.result_int();
    EXPECT_EQ(response.body().find("SQLite"), std::string::npos) << target;
  }
}

// Runs `streamsync-server <args> --data <dir>` to completion; returns its stdout.
std::string run_server_cli(const std::filesystem::path& data_dir, std::vector<std::string> args,
                           int& exit_code) {
  server::ChildProcessOptions options;
  options.argv = {server_binary().string()};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  options.argv.insert(options.argv.end(), {"--data", data_dir.string()});
  options.timeout = std::chrono::seconds(30);
  std::string out;
  options.on_stdout_line = [&](std::string_view line) { out.append(line).append("\n"); };
  const auto result = server::run_child_process(options);
  exit_code = result && result->exit_code ? *result->exit_code : -1;
  return out;
}

TEST_F(ServerApi, TokenCommandsWorkWhileTheServerRuns) {
  int exit_code = -1;
  const std::string created = run_server_cli(data_.path(), {"token", "create", "ci"}, exit_code);
  ASSERT_EQ(exit_code, 0);
  std::smatch match;
  ASSERT_TRUE(std::regex_search(created, match, std::regex(R"(id (\S+)\ntoken (ss_\S+))")))
      << created;
  const std::string id = match[1].str(), token = match[2].str();
  const std::string body = R"({"slug":"by-ci","name":"By CI"})";
  EXPECT_EQ(http_json(port(), verb::post, "/api/v1/channels", body, token).result(),
            status::created);

  const std::string listed = run_server_cli(data_.path(), {"token", "list"}, exit_code);
  EXPECT_EQ(exit_code, 0);
  EXPECT_NE(listed.find(id + "\tci\tactive"), std::string::npos) << listed;
  EXPECT_EQ(listed.find(token), std::string::npos) << "the secret must never be listed";

  run_server_cli(data_.path(), {"token", "revoke", id}, exit_code);
  EXPECT_EQ(exit_code, 0);
  EXPECT_EQ(http_request(port(), verb::delete_, "/api/v1/channels/by-ci",
                         {{"Authorization", "Bearer " + token}})
                .result(),
            status::forbidden);
  run_server_cli(data_.path(), {"token", "revoke", "no-such-id"}, exit_code);
  EXPECT_EQ(exit_code, 1);
}

TEST_F(ServerApi, SigtermStopsTheServerCleanly) {
  const auto result = server_->stop();
  ASSERT_TRUE(result.exit_code.has_value()) << result.describe();
  EXPECT_EQ(*result.exit_code, 0);
  EXPECT_NE(server_->stderr_text().find("msg=stopped"), std::string::npos);
}

}  // namespace
}  // namespace streamsync::test
