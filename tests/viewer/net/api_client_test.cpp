// ApiClient against answers the real server never gives: error pages, broken JSON,
// silence, a closed port. Each must end in one clear message, never a crash.

#include "net/api_client.hpp"

#include <gtest/gtest.h>

#include <QElapsedTimer>

#include "fake_http_server.hpp"
#include "qt_test_support.hpp"

namespace streamsync::viewer::test {
namespace {

using namespace std::chrono_literals;

class ApiClientTest : public QtFixture {
 protected:
  FakeHttpServer server_;
};

TEST_F(ApiClientTest, AClosedPortFailsWithConnectionRefused) {
  const quint16 port = closed_tcp_port();
  ApiClient api(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
  Answer<std::vector<ChannelSummary>> answer;
  api.fetch_channels(answer.callback());
  ASSERT_TRUE(answer.wait());
  ASSERT_FALSE(*answer);
  EXPECT_EQ(answer->error(),
            QStringLiteral("cannot reach http://127.0.0.1:%1: connection refused").arg(port));
}

TEST_F(ApiClientTest, ASilentServerTimesOut) {
  ApiClient api(server_.url());
  api.set_timeout_ms(300);
  Answer<std::vector<ChannelSummary>> answer;
  QElapsedTimer elapsed;
  elapsed.start();
  api.fetch_channels(answer.callback());
  ASSERT_TRUE(answer.wait(20s));
  ASSERT_FALSE(*answer);
  EXPECT_GE(elapsed.elapsed(), 250);
  EXPECT_EQ(
      answer->error(),
      QStringLiteral("cannot reach %1: no answer within 0.3 s").arg(server_.url().toString()));
}

TEST_F(ApiClientTest, ErrorAnswersCarryTheServersMessage) {
  server_.answer_with(
      FakeHttpServer::response(500, "Internal Server Error",
                               R"({"error":{"code":"internal_error","message":"disk full"}})"));
  ApiClient api(server_.url());
  Answer<std::vector<ChannelSummary>> answer;
  api.fetch_channels(answer.callback());
  ASSERT_TRUE(answer.wait());
  EXPECT_EQ(answer->error(), QStringLiteral("server: disk full (HTTP 500)"));
}

TEST_F(ApiClientTest, ErrorPagesThatAreNotJsonFallBackToTheStatus) {
  server_.answer_with(FakeHttpServer::response(502, "Bad Gateway", "<html>nginx</html>"));
  ApiClient api(server_.url());
  Answer<std::monostate> answer;
  api.register_viewer({"6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b", "Grace"}, answer.callback());
  ASSERT_TRUE(answer.wait());
  EXPECT_EQ(answer->error(), QStringLiteral("server: Bad Gateway (HTTP 502)"));
}

TEST_F(ApiClientTest, MalformedJsonIsNamed) {
  server_.answer_with(FakeHttpServer::response(200, "OK", "{\"channels\": [tru"));
  ApiClient api(server_.url());
  Answer<std::vector<ChannelSummary>> answer;
  api.fetch_channels(answer.callback());
  ASSERT_TRUE(answer.wait());
  ASSERT_FALSE(*answer);
  EXPECT_TRUE(
      answer->error().startsWith(QStringLiteral("malformed JSON from GET /api/v1/channels: ")))
      << answer->error().toStdString();
}

TEST_F(ApiClientTest, WrongFieldsAreNamed) {
  server_.answer_with(
      FakeHttpServer::response(200, "OK", R"({"client_sent_us": 5, "server_received_us": "x"})"));
  ApiClient api(server_.url());
  Answer<TimeReply> answer;
  api.fetch_time(5, answer.callback());
  ASSERT_TRUE(answer.wait());
  EXPECT_EQ(answer->error(),
            QStringLiteral(
                "unexpected answer to GET /api/v1/time: server_received_us: must be an integer"));
  ASSERT_EQ(server_.requests().size(), 1);
  EXPECT_TRUE(server_.requests()[0].startsWith("GET /api/v1/time?t1=5 HTTP/1.1"));
}

TEST_F(ApiClientTest, BytesThatAreNotHttpAreAnErrorNotACrash) {
  server_.answer_with("SSH-2.0-OpenSSH_9.2\r\n\r\n\xff\xfe garbage");
  ApiClient api(server_.url());
  Answer<VideoInfo> answer;
  api.fetch_video(QStringLiteral("a"), answer.callback());
  ASSERT_TRUE(answer.wait());
  ASSERT_FALSE(*answer);
  EXPECT_TRUE(answer->error().startsWith(QStringLiteral("cannot reach ")))
      << answer->error().toStdString();
}

TEST_F(ApiClientTest, UnknownChannelsAndVideosAreNamed) {
  server_.answer_with(FakeHttpServer::response(
      404, "Not Found", R"({"error":{"code":"not_found","message":"channel 'x y' not found"}})"));
  ApiClient api(server_.url());
  Answer<ChannelSummary> channel;
  api.fetch_channel(QStringLiteral("x y"), channel.callback());
  Answer<VideoInfo> video;
  api.fetch_video(QStringLiteral("v"), video.callback());
  ASSERT_TRUE(channel.wait());
  ASSERT_TRUE(video.wait());
  EXPECT_EQ(channel->error(), QStringLiteral("no channel 'x y' on this server"));
  EXPECT_EQ(video->error(), QStringLiteral("no video 'v' on this server"));
}

TEST_F(ApiClientTest, ScheduleRevalidatesWithTheLastEtag) {
  const QByteArray body =
      R"({"channel_id":"demo","server_time_us":1,"schedules":[{"channel_id":"demo",
      "revision":7,"effective_at_us":0,"start_at_us":0,"loop":true,
      "items":[{"video_id":"a","in_point_us":0,"duration_us":5}]}]})";
  server_.answer_with(FakeHttpServer::response(200, "OK", body, "ETag: \"7\"\r\n"));
  ApiClient api(server_.url());
  Answer<std::optional<std::vector<Schedule>>> first;
  api.fetch_schedule(QStringLiteral("demo"), first.callback());
  ASSERT_TRUE(first.wait());
  ASSERT_TRUE(*first) << first->error().toStdString();
  ASSERT_TRUE(first->value().has_value());
  EXPECT_EQ((*first->value())[0].revision, 7);
  EXPECT_FALSE(server_.requests()[0].toLower().contains("if-none-match"));

  server_.answer_with("HTTP/1.1 304 Not Modified\r\nETag: \"7\"\r\nConnection: close\r\n\r\n");
  Answer<std::optional<std::vector<Schedule>>> second;
  api.fetch_schedule(QStringLiteral("demo"), second.callback());
  ASSERT_TRUE(second.wait());
  ASSERT_TRUE(*second) << second->error().toStdString();
  EXPECT_FALSE(second->value().has_value());
  ASSERT_EQ(server_.requests().size(), 2);
  EXPECT_TRUE(server_.requests()[1].contains("If-None-Match: \"7\""))
      << server_.requests()[1].toStdString();

  // Another channel has no ETag yet.
  Answer<std::optional<std::vector<Schedule>>> other;
  api.fetch_schedule(QStringLiteral("lobby"), other.callback());
  ASSERT_TRUE(other.wait());
  EXPECT_FALSE(server_.requests()[2].toLower().contains("if-none-match"));
}

TEST_F(ApiClientTest, HeartbeatsArePostedAsJson) {
  server_.answer_with("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
  ApiClient api(server_.url());
  ViewerHeartbeat heartbeat;
  heartbeat.channel_id = "demo";
  heartbeat.rate = 1.02;
  Answer<std::monostate> answer;
  api.send_heartbeat(QStringLiteral("6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"), heartbeat,
                     answer.callback());
  ASSERT_TRUE(answer.wait());
  EXPECT_TRUE(*answer) << answer->error().toStdString();
  const QByteArray request = server_.requests().value(0);
  EXPECT_TRUE(
      request.startsWith("POST /api/v1/viewers/6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b/heartbeat "));
  EXPECT_TRUE(request.contains("Content-Type: application/json"));
  const auto body =
      nlohmann::json::parse(request.mid(request.indexOf("\r\n\r\n") + 4).toStdString());
  EXPECT_EQ(body["channel_id"], "demo");
  EXPECT_DOUBLE_EQ(body["rate"].get<double>(), 1.02);
}

TEST_F(ApiClientTest, NoCallbackRunsAfterTheClientIsGone) {
  bool called = false;
  {
    ApiClient api(server_.url());  // the fake server never answers
    api.fetch_channels([&](auto) { called = true; });
    wait_for([&] { return !server_.requests().isEmpty(); }, 10s);
  }
  wait_for([] { return false; }, 200ms);
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace streamsync::viewer::test
