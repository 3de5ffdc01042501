// The real streamsync-server with --demo: FFmpeg-made videos served as HLS with CDN-ready
// headers, a live channel playlist that ffprobe plays, WebSocket events, restart reuse,
// and the shipped nginx edge configuration caching segments in front of it.
// One server (one demo build, ~15 s) serves the whole suite.

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "process/child_process.hpp"
#include "process/stop_signal.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

namespace streamsync::test {
namespace {

using boost::beast::http::field;
using boost::beast::http::status;
using boost::beast::http::verb;
using streamsync::testing::TempDir;

constexpr const char* kViewerId = "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::uint16_t free_tcp_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

class DemoServer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new TempDir();
    server_ = ServerProcess::start(data_->path(), {"--demo"}, std::chrono::seconds(300)).release();
    ASSERT_NE(server_, nullptr);
    token_ = server_->presenter_token();
    ASSERT_FALSE(token_.empty());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete data_;
  }
  static std::uint16_t port() { return server_->http_port(); }
  static nlohmann::json get_json(const std::string& target) {
    const auto response = http_get(port(), target);
    EXPECT_EQ(response.result(), status::ok) << target << ": " << response.body();
    return nlohmann::json::parse(response.body());
  }
  static std::string first_segment_url() {
    const auto video = get_json("/api/v1/videos/demo-pattern-a");
    const std::string playlist =
        video["renditions"][0]["playlist"];  // videos/<id>/<rung>/index.m3u8
    const std::string text = http_get(port(), "/media/" + playlist).body();
    std::smatch match;
    EXPECT_TRUE(std::regex_search(text, match, std::regex(R"((seg_\d+\.ts))")));  // MPEG-TS
    return "/media/" + playlist.substr(0, playlist.rfind('/') + 1) + match[1].str();
  }

  static TempDir* data_;
  static ServerProcess* server_;
  static std::string token_;
};

TempDir* DemoServer::data_ = nullptr;
ServerProcess* DemoServer::server_ = nullptr;
std::string DemoServer::token_;

TEST_F(DemoServer, DemoChannelIsOnAirWithBothVideos) {
  const auto channels = get_json("/api/v1/channels");
  ASSERT_EQ(channels["channels"].size(), 1u);
  const auto& demo = channels["channels"][0];
  EXPECT_EQ(demo["id"], "demo");
  EXPECT_EQ(demo["state"], "playing");
  EXPECT_NE(demo["now_playing"]["title"].get<std::string>().find("Test pattern"),
            std::string::npos);
  EXPECT_FALSE(demo["next_up"].is_null());
  EXPECT_EQ(http_get(port(), demo["poster_url"].get<std::string>()).result(), status::ok);
  const auto videos = get_json("/api/v1/videos");
  ASSERT_EQ(videos["videos"].size(), 2u);
  for (const auto& video : videos["videos"]) {
    EXPECT_EQ(video["status"], "ready");
    EXPECT_GE(video["renditions"].size(), 2u);
  }
}

TEST_F(DemoServer, SegmentsCarryCdnHeadersAndHonourRangesAndValidators) {
  const std::string segment = first_segment_url();
  const auto full = http_get(port(), segment);
  ASSERT_EQ(full.result(), status::ok);
  EXPECT_EQ(full[field::cache_control], "public, max-age=31536000, immutable");
  EXPECT_EQ(full[field::content_type], "video/mp2t");
  EXPECT_EQ(full[field::accept_ranges], "bytes");
  EXPECT_EQ(full[field::access_control_allow_origin], "*");
  const std::string etag(full[field::etag]);
  ASSERT_FALSE(etag.empty());

  const auto partial = http_get(port(), segment, {{"Range", "bytes=0-99"}});
  EXPECT_EQ(partial.result(), status::partial_content);
  EXPECT_EQ(partial.body(), full.body().substr(0, 100));
  EXPECT_EQ(http_get(port(), segment, {{"Range", "bytes=999999999-"}}).result(),
            status::range_not_satisfiable);
  EXPECT_EQ(http_get(port(), segment, {{"If-None-Match", etag}}).result(), status::not_modified);

  const auto playlist =
      http_get(port(), "/media/videos/demo-pattern-a/master.m3u8", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(playlist[field::content_type], "application/vnd.apple.mpegurl");
  EXPECT_EQ(playlist[field::content_encoding], "gzip");
}

TEST_F(DemoServer, LiveChannelPlaylistPlaysInFfprobe) {
  const auto master = http_get(port(), "/media/channels/demo/master.m3u8");
  ASSERT_EQ(master.result(), status::ok);
  EXPECT_NE(master.body().find("360p/live.m3u8"), std::string::npos) << master.body();
  const auto live = http_get(port(), "/media/channels/demo/360p/live.m3u8");
  ASSERT_EQ(live.result(), status::ok);
  EXPECT_EQ(live[field::cache_control], "public, max-age=1");
  EXPECT_NE(live.body().find("#EXT-X-MEDIA-SEQUENCE:"), std::string::npos);
  EXPECT_NE(live.body().find("#EXT-X-PROGRAM-DATE-TIME:"), std::string::npos);
  EXPECT_EQ(live.body().find("#EXT-X-ENDLIST"), std::string::npos);

  server::ChildProcessOptions ffprobe;
  ffprobe.argv = {
      "ffprobe",
      "-v",
      "error",
      "-show_entries",
      "stream=codec_type",
      "-of",
      "csv=p=0",
      "http://127.0.0.1:" + std::to_string(port()) + "/media/channels/demo/360p/live.m3u8"};
  std::string streams;
  ffprobe.on_stdout_line = [&](std::string_view line) { streams.append(line).append(" "); };
  ffprobe.timeout = std::chrono::seconds(60);
  const auto result = server::run_child_process(ffprobe);
  ASSERT_TRUE(result) << result.error();
  EXPECT_TRUE(result->succeeded()) << result->describe();
  EXPECT_NE(streams.find("video"), std::string::npos);
  EXPECT_NE(streams.find("audio"), std::string::npos);
}

TEST_F(DemoServer, ScheduleAnswersNotModifiedForItsEtag) {
  const auto schedule = http_get(port(), "/api/v1/channels/demo/schedule");
  ASSERT_EQ(schedule.result(), status::ok);
  const std::string etag(schedule[field::etag]);
  EXPECT_EQ(etag, "\"1\"");
  EXPECT_EQ(http_get(port(), "/api/v1/channels/demo/schedule", {{"If-None-Match", etag}}).result(),
            status::not_modified);
}

TEST_F(DemoServer, WebSocketPushesPresenceAndScheduleRevisions) {
  namespace websocket = boost::beast::websocket;
  boost::asio::io_context io;
  websocket::stream<boost::beast::tcp_stream> ws(io);
  boost::beast::get_lowest_layer(ws).connect({boost::asio::ip::make_address("127.0.0.1"), port()});
  boost::beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(20));
  ws.handshake("127.0.0.1", "/api/v1/events?channel=demo");
  const auto next_event = [&ws] {
    boost::beast::flat_buffer buffer;
    ws.read(buffer);
    return nlohmann::json::parse(boost::beast::buffers_to_string(buffer.data()));
  };
  EXPECT_EQ(next_event()["type"], "hello");
  EXPECT_EQ(next_event()["type"], "presence");

  ASSERT_EQ(http_json(port(), verb::post, "/api/v1/viewers",
                      std::string(R"({"id":")") + kViewerId + R"(","display_name":"Grace"})")
                .result(),
            status::ok);
  ASSERT_EQ(
      http_json(port(), verb::post, std::string("/api/v1/viewers/") + kViewerId + "/heartbeat",
                R"({"channel_id":"demo"})")
          .result(),
      status::no_content);
  const auto presence = next_event();
  EXPECT_EQ(presence["type"], "presence");
  EXPECT_EQ(presence["viewers"], 1);

  auto schedule = get_json("/api/v1/channels/demo/schedule")["schedules"][0];
  schedule["revision"] = 2;
  schedule["effective_at_us"] =
      get_json("/api/v1/time")["server_sent_us"].get<std::int64_t>() + 60'000'000;
  const auto put =
      http_json(port(), verb::put, "/api/v1/channels/demo/schedule", schedule.dump(), token_);
  ASSERT_EQ(put.result(), status::created) << put.body();
  const auto pushed = next_event();
  EXPECT_EQ(pushed["type"], "schedule");
  EXPECT_EQ(pushed["schedule"]["revision"], 2);
  // Both revisions are served until the new one takes over.
  EXPECT_EQ(get_json("/api/v1/channels/demo/schedule")["schedules"].size(), 2u);
}

TEST_F(DemoServer, ShippedNginxEdgeConfigCachesSegments) {
  TempDir edge;
  const std::uint16_t edge_port = free_tcp_port();
  std::string site = read_file(std::filesystem::path(STREAMSYNC_SOURCE_DIR) /
                               "packaging/nginx/streamsync-edge.conf");
  ASSERT_FALSE(site.empty());
  site = replace_all(site, "/var/cache/nginx/streamsync", (edge.path() / "cache").string());
  site = replace_all(site, "server 127.0.0.1:8080;",
                     "server 127.0.0.1:" + std::to_string(port()) + ";");
  site = replace_all(site, "listen 80;", "listen 127.0.0.1:" + std::to_string(edge_port) + ";");
  std::ofstream(edge.path() / "site.conf") << site;
  const std::string t = edge.path().string();
  std::ofstream(edge.path() / "nginx.conf")
      << "worker_processes 1;\nmaster_process off;\ndaemon off;\npid " << t
      << "/nginx.pid;\nerror_log " << t
      << "/error.log;\nevents {}\nhttp {\naccess_log off;\nclient_body_temp_path " << t
      << "/body;\nproxy_temp_path " << t << "/proxy;\nfastcgi_temp_path " << t
      << "/fastcgi;\nuwsgi_temp_path " << t << "/uwsgi;\nscgi_temp_path " << t << "/scgi;\ninclude "
      << t << "/site.conf;\n}\n";

  server::StopSignal stop;
  server::ChildProcessOptions nginx;
  nginx.argv = {"nginx", "-p", t, "-c", t + "/nginx.conf"};
  nginx.stop = &stop;
  std::optional<Expected<server::ChildResult, std::string>> nginx_result;
  std::thread runner([&] { nginx_result = server::run_child_process(nginx); });
  bool up = false;
  for (int attempt = 0; attempt < 100 && !up; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    try {
      up = http_get(edge_port, "/healthz").result() == status::ok;
    } catch (const std::exception&) {
    }
  }
  const std::string segment = first_segment_url();
  std::string first_cache, second_cache, second_body,
      origin_body = http_get(port(), segment).body();
  if (up) {
    first_cache = std::string(http_get(edge_port, segment)["X-Cache-Status"]);
    const auto second = http_get(edge_port, segment);
    second_cache = std::string(second["X-Cache-Status"]);
    second_body = second.body();
  }
  stop.request_stop();
  runner.join();
  ASSERT_TRUE(up) << "nginx did not come up: " << read_file(edge.path() / "error.log");
  EXPECT_EQ(first_cache, "MISS");
  EXPECT_EQ(second_cache, "HIT");
  EXPECT_EQ(second_body, origin_body);
}

TEST_F(DemoServer, RestartReusesTheDemoContent) {
  server_->stop();
  const auto started = std::chrono::steady_clock::now();
  delete server_;
  server_ = ServerProcess::start(data_->path(), {"--demo"}, std::chrono::seconds(30)).release();
  ASSERT_NE(server_, nullptr);
  EXPECT_EQ(server_->stderr_text().find("making demo video"), std::string::npos)
      << server_->stderr_text();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
  EXPECT_EQ(get_json("/api/v1/channels")["channels"][0]["state"], "playing");
}

}  // namespace
}  // namespace streamsync::test
