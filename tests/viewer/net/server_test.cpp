// The network layer against the real streamsync-server --demo on loopback: REST answers
// parsed, ETag revalidation, absolute media URLs that play, the clock over NTP and over
// the HTTP fallback, WebSocket events, and reconnecting after a server restart. One server
// (one demo build) serves the whole suite, so the suite is one ctest test.

#include <gtest/gtest.h>

#include <QNetworkAccessManager>
#include <QNetworkDatagram>
#include <QNetworkReply>
#include <QUdpSocket>
#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "clock_checks.hpp"
#include "net/api_client.hpp"
#include "net/event_stream.hpp"
#include "net/throughput_probe.hpp"
#include "net/time_client.hpp"
#include "qt_test_support.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

namespace streamsync::viewer::test {
namespace {

using namespace std::chrono_literals;
using streamsync::test::ServerProcess;

// Passes NTP between the client and the server, or swallows it (a network blocking UDP).
class UdpRelay : public QObject {
 public:
  explicit UdpRelay(quint16 server_port) : server_port_(server_port) {
    front_.bind(QHostAddress::LocalHost, 0);
    back_.bind(QHostAddress::LocalHost, 0);
    connect(&front_, &QUdpSocket::readyRead, this, [this] {
      while (front_.hasPendingDatagrams()) {
        const QNetworkDatagram datagram = front_.receiveDatagram();
        client_ = datagram.senderAddress();
        client_port_ = static_cast<quint16>(datagram.senderPort());
        if (!dropping) back_.writeDatagram(datagram.data(), QHostAddress::LocalHost, server_port_);
      }
    });
    connect(&back_, &QUdpSocket::readyRead, this, [this] {
      while (back_.hasPendingDatagrams()) {
        front_.writeDatagram(back_.receiveDatagram().data(), client_, client_port_);
      }
    });
  }
  std::uint16_t port() const { return front_.localPort(); }
  bool dropping = true;

 private:
  quint16 server_port_;
  QUdpSocket front_, back_;
  QHostAddress client_;
  quint16 client_port_ = 0;
};

class RealServer : public QtFixture {
 protected:
  static void SetUpTestSuite() {
    ensure_qt_app();
    data_ = new streamsync::testing::TempDir();
    server_ = ServerProcess::start(data_->path(), {"--demo"}, 300s).release();
    ASSERT_NE(server_, nullptr);
    token_ = server_->presenter_token();
    ASSERT_FALSE(token_.empty());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete data_;
  }
  void SetUp() override { ASSERT_NE(server_, nullptr) << "no server"; }

  static QUrl server_url() {
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server_->http_port()));
  }
  static int http_status(const QUrl& url) {
    QNetworkAccessManager network;
    QNetworkReply* reply = network.get(QNetworkRequest(url));
    wait_for([&] { return reply->isFinished(); }, 20s);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    delete reply;
    return status;
  }
  // The demo's first video as the API describes it; a fatal failure when it cannot.
  static void fetch_demo_video(ApiClient& api, VideoInfo& info) {
    Answer<VideoInfo> video;
    api.fetch_video(QStringLiteral("demo-pattern-a"), video.callback());
    ASSERT_TRUE(video.wait());
    ASSERT_TRUE(*video) << video->error().toStdString();
    info = video->value();
  }

  static streamsync::testing::TempDir* data_;
  static ServerProcess* server_;
  static std::string token_;
};

streamsync::testing::TempDir* RealServer::data_ = nullptr;
ServerProcess* RealServer::server_ = nullptr;
std::string RealServer::token_;

TEST_F(RealServer, ChannelsListTheDemoChannelOnAir) {
  ApiClient api(server_url());
  Answer<std::vector<ChannelSummary>> channels;
  api.fetch_channels(channels.callback());
  ASSERT_TRUE(channels.wait());
  ASSERT_TRUE(*channels) << channels->error().toStdString();
  ASSERT_EQ(channels->value().size(), 1u);
  const ChannelSummary& demo = channels->value()[0];
  EXPECT_EQ(demo.id, "demo");
  EXPECT_EQ(demo.name, "Demo");
  EXPECT_EQ(demo.state, "playing");
  ASSERT_TRUE(demo.now_playing.has_value());
  EXPECT_EQ(http_status(api.resolve(QString::fromStdString(demo.poster_url))), 200);

  Answer<ChannelSummary> one;
  api.fetch_channel(QStringLiteral("demo"), one.callback());
  ASSERT_TRUE(one.wait());
  ASSERT_TRUE(*one) << one->error().toStdString();
  EXPECT_EQ(one->value().master_url, demo.master_url);
}

TEST_F(RealServer, AnUnknownChannelIsNamed) {
  ApiClient api(server_url());
  Answer<ChannelSummary> answer;
  api.fetch_channel(QStringLiteral("no-such-channel"), answer.callback());
  ASSERT_TRUE(answer.wait());
  ASSERT_FALSE(*answer);
  EXPECT_TRUE(answer->error().contains(QStringLiteral("no-such-channel")))
      << answer->error().toStdString();
}

TEST_F(RealServer, ScheduleIsRevalidatedWithItsEtag) {
  ApiClient api(server_url());
  Answer<std::optional<std::vector<Schedule>>> first;
  api.fetch_schedule(QStringLiteral("demo"), first.callback());
  ASSERT_TRUE(first.wait());
  ASSERT_TRUE(*first) << first->error().toStdString();
  ASSERT_TRUE(first->value().has_value());
  ASSERT_FALSE(first->value()->empty());
  EXPECT_EQ(first->value()->back().channel_id, "demo");

  Answer<std::optional<std::vector<Schedule>>> second;
  api.fetch_schedule(QStringLiteral("demo"), second.callback());
  ASSERT_TRUE(second.wait());
  ASSERT_TRUE(*second) << second->error().toStdString();
  EXPECT_FALSE(second->value().has_value());  // 304: nothing new
}

TEST_F(RealServer, VideosHaveAbsoluteRenditionUrlsThatAnswer) {
  ApiClient api(server_url());
  VideoInfo info;
  ASSERT_NO_FATAL_FAILURE(fetch_demo_video(api, info));
  EXPECT_EQ(info.id, QStringLiteral("demo-pattern-a"));
  EXPECT_GT(info.duration_us, 0);
  ASSERT_GE(info.renditions.size(), 2u);
  EXPECT_LT(info.renditions.front().bandwidth_bps, info.renditions.back().bandwidth_bps);
  for (const Rendition& rendition : info.renditions) {
    EXPECT_EQ(rendition.playlist_url.host(), QStringLiteral("127.0.0.1"));
    EXPECT_EQ(rendition.playlist_url.port(), server_->http_port());
    EXPECT_TRUE(
        rendition.playlist_url.path().startsWith(QStringLiteral("/media/videos/demo-pattern-a/")));
    EXPECT_EQ(http_status(rendition.playlist_url), 200)
        << rendition.playlist_url.toString().toStdString();
  }
  EXPECT_EQ(http_status(info.poster_url), 200);
}

TEST_F(RealServer, ThroughputProbeTimesADemoSegmentFasterThanAnyRungOnLoopback) {
  ApiClient api(server_url());
  VideoInfo info;
  ASSERT_NO_FATAL_FAILURE(fetch_demo_video(api, info));
  const std::vector<Rendition>& ladder = info.renditions;

  ThroughputProbe probe(api);
  std::optional<std::int64_t> measured_bps;
  QString error;
  QObject::connect(&probe, &ThroughputProbe::measured,
                   [&](std::int64_t bps) { measured_bps = bps; });
  QObject::connect(&probe, &ThroughputProbe::failed, [&](const QString& why) { error = why; });
  probe.start(ladder.front().playlist_url);
  ASSERT_TRUE(wait_for([&] { return measured_bps || !error.isEmpty(); }, 20s));
  ASSERT_TRUE(measured_bps) << error.toStdString();
  // Loopback carries a 2 s segment in a fraction of its duration: the start rule would pick
  // the top rung, which is what the probe is for.
  EXPECT_GT(*measured_bps, ladder.back().bandwidth_bps);
}

TEST_F(RealServer, ViewersRegisterAndSendHeartbeats) {
  ApiClient api(server_url());
  const std::string id = "0b6c7a3e-2f4d-4c1b-9e8a-7d6c5b4a3f21";
  Answer<std::monostate> registered;
  api.register_viewer({id, "Ada"}, registered.callback());
  ASSERT_TRUE(registered.wait());
  EXPECT_TRUE(*registered) << registered->error().toStdString();
  ViewerHeartbeat heartbeat;
  heartbeat.channel_id = "demo";
  Answer<std::monostate> beat;
  api.send_heartbeat(QString::fromStdString(id), heartbeat, beat.callback());
  ASSERT_TRUE(beat.wait());
  EXPECT_TRUE(*beat) << beat->error().toStdString();

  Answer<std::monostate> refused;
  api.register_viewer({"not-a-uuid", "Ada"}, refused.callback());
  ASSERT_TRUE(refused.wait());
  ASSERT_FALSE(*refused);
  EXPECT_TRUE(refused->error().startsWith(QStringLiteral("server: ")));
  EXPECT_TRUE(refused->error().endsWith(QStringLiteral("(HTTP 400)")))
      << refused->error().toStdString();
}

TEST_F(RealServer, TimeOverHttpNamesTheNtpPort) {
  ApiClient api(server_url());
  Answer<TimeReply> time;
  api.fetch_time(12345, time.callback());
  ASSERT_TRUE(time.wait());
  ASSERT_TRUE(*time) << time->error().toStdString();
  EXPECT_EQ(time->value().client_sent_us, 12345);
  EXPECT_EQ(time->value().ntp_port, server_->ntp_port());
  EXPECT_LE(time->value().server_received_us, time->value().server_sent_us);
}

TEST_F(RealServer, AServerThatIsNotThereFailsWithinTheTimeout) {
  const quint16 closed = closed_tcp_port();
  ASSERT_NE(closed, server_->http_port());
  ApiClient api(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closed)));
  api.set_timeout_ms(2000);
  Answer<std::vector<ChannelSummary>> answer;
  api.fetch_channels(answer.callback());
  ASSERT_TRUE(answer.wait(10s));
  ASSERT_FALSE(*answer);
  EXPECT_TRUE(
      answer->error().startsWith(QStringLiteral("cannot reach http://127.0.0.1:%1").arg(closed)));
}

TEST_F(RealServer, ClockSynchronisesOverNtpDespiteSkewAndDrift) {
  const LocalClock clock(2'000'000, 100.0);  // 2 s ahead, 100 ppm fast
  ApiClient api(server_url());
  TimeClient time(clock, api);
  time.start(QStringLiteral("127.0.0.1"), server_->ntp_port());
  ASSERT_TRUE(wait_for([&] { return time.synced(); }, 15s));
  EXPECT_FALSE(time.using_http_fallback());
  EXPECT_LT(median_error_ms(time, clock), 5.0);
  EXPECT_LT(time.estimator().min_delay_us(), 50'000);
}

TEST_F(RealServer, ClockLearnsTheNtpPortOverHttp) {
  const LocalClock clock(-1'500'000, -50.0);
  ApiClient api(server_url());
  TimeClient time(clock, api);
  time.start(QStringLiteral("127.0.0.1"), 0);
  ASSERT_TRUE(wait_for([&] { return time.synced() && !time.using_http_fallback(); }, 15s));
  EXPECT_LT(median_error_ms(time, clock), 5.0);
}

TEST_F(RealServer, ClockFallsBackToHttpWhenUdpIsBlockedAndReturns) {
  const LocalClock clock(2'000'000, 100.0);
  ApiClient api(server_url());
  UdpRelay relay(server_->ntp_port());  // swallowing: UDP is blocked
  TimeClientOptions options;
  options.udp_probe_interval_us = 1'000'000;  // 10 s by default; quicker for the test
  TimeClient time(clock, api);
  time.set_options(options);
  time.start(QStringLiteral("127.0.0.1"), relay.port());
  ASSERT_TRUE(wait_for([&] { return time.using_http_fallback(); }, 20s));
  ASSERT_TRUE(wait_for([&] { return time.synced(); }, 20s));
  EXPECT_LT(median_error_ms(time, clock), 10.0);
  ASSERT_TRUE(time.last_answer_local_us().has_value());
  EXPECT_LT(clock.now_us() - *time.last_answer_local_us(), 5'000'000);

  relay.dropping = false;  // UDP unblocked: a probe notices and NTP takes over again
  ASSERT_TRUE(wait_for([&] { return !time.using_http_fallback(); }, 20s));
  EXPECT_TRUE(time.synced());
  EXPECT_LT(median_error_ms(time, clock), 5.0);
}

// Last: it changes the schedule and restarts the server.
TEST_F(RealServer, EventStreamGetsEventsAndSurvivesARestart) {
  const quint16 port = server_->http_port();
  EventStream stream(server_url());
  std::vector<qint64> viewers;
  std::vector<Schedule> schedules;
  int connects = 0, disconnects = 0;
  QObject::connect(&stream, &EventStream::connected, [&] { ++connects; });
  QObject::connect(&stream, &EventStream::disconnected, [&] { ++disconnects; });
  QObject::connect(&stream, &EventStream::presence_changed,
                   [&](const QString& channel, qint64 count) {
                     EXPECT_EQ(channel, QStringLiteral("demo"));
                     viewers.push_back(count);
                   });
  QObject::connect(&stream, &EventStream::schedule_received,
                   [&](const Schedule& schedule) { schedules.push_back(schedule); });
  stream.open(QStringLiteral("demo"));
  ASSERT_TRUE(wait_for([&] { return connects == 1 && !viewers.empty(); }, 15s));

  // A presenter publishes revision 2 a minute ahead.
  auto current =
      nlohmann::json::parse(
          streamsync::test::http_get(port, "/api/v1/channels/demo/schedule").body())["schedules"]
          .back();
  const std::int64_t revision = current["revision"].get<std::int64_t>() + 1;
  current["revision"] = revision;
  current["effective_at_us"] = system_now_us() + 60'000'000;
  const auto put =
      streamsync::test::http_json(port, boost::beast::http::verb::put,
                                  "/api/v1/channels/demo/schedule", current.dump(), token_);
  ASSERT_EQ(put.result_int(), 201u) << put.body();
  ASSERT_TRUE(wait_for([&] { return !schedules.empty(); }, 15s));
  EXPECT_EQ(schedules[0].revision, revision);
  EXPECT_EQ(schedules[0].channel_id, "demo");

  // The server goes away and comes back on the same port (the demo content is reused).
  server_->stop();
  delete server_;
  server_ = nullptr;
  ASSERT_TRUE(wait_for([&] { return disconnects >= 1; }, 15s));
  EXPECT_FALSE(stream.is_connected());
  server_ = ServerProcess::start(data_->path(),
                                 {"--demo", "--http", "127.0.0.1:" + std::to_string(port)}, 120s)
                .release();
  ASSERT_NE(server_, nullptr);
  ASSERT_EQ(server_->http_port(), port);
  ASSERT_TRUE(wait_for([&] { return connects == 2; }, 30s));
  EXPECT_TRUE(stream.is_connected());
  ASSERT_TRUE(wait_for([&] { return viewers.size() >= 2; }, 15s));  // presence again on connect
}

}  // namespace
}  // namespace streamsync::viewer::test
