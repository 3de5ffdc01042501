// TimeClient against a fake NTP server on this machine's system clock: it synchronises a
// skewed, drifting LocalClock, ignores garbage and replies it did not ask for, and obeys
// kiss-o'-death. (The real server, and the HTTP fallback: server_test.cpp.)

#include "net/time_client.hpp"

#include <gtest/gtest.h>

#include <QElapsedTimer>
#include <algorithm>
#include <cmath>
#include <vector>

#include "clock_checks.hpp"
#include "fake_ntp_server.hpp"
#include "net/api_client.hpp"
#include "qt_test_support.hpp"

namespace streamsync::viewer::test {
namespace {

using namespace std::chrono_literals;

class TimeClientTest : public QtFixture {
 protected:
  // HTTP goes to a closed port: these tests are about UDP.
  std::unique_ptr<ApiClient> api_ = std::make_unique<ApiClient>(
      QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closed_tcp_port())));
  FakeNtpServer ntp_;
  const LocalClock clock_{2'000'000, 100.0};  // 2 s ahead and 100 ppm fast
};

TEST_F(TimeClientTest, SynchronisesASkewedDriftingClock) {
  TimeClient time(clock_, *api_);
  int samples = 0;
  QObject::connect(&time, &TimeClient::sample_added, [&] { ++samples; });
  time.start(QStringLiteral("127.0.0.1"), ntp_.port());
  ASSERT_TRUE(wait_for([&] { return time.synced(); }, 15s));
  EXPECT_FALSE(time.using_http_fallback());
  EXPECT_GE(samples, 8);
  EXPECT_LT(median_error_ms(time, clock_, 11), 5.0);
  ASSERT_TRUE(time.last_answer_local_us().has_value());
  EXPECT_LE(*time.last_answer_local_us(), clock_.now_us());
}

TEST_F(TimeClientTest, GarbageForeignAndDuplicateRepliesMakeNoSamples) {
  ntp_.noise_first = true;
  ntp_.duplicate = true;
  TimeClient time(clock_, *api_);
  int samples = 0;
  QObject::connect(&time, &TimeClient::sample_added, [&] { ++samples; });
  time.start(QStringLiteral("127.0.0.1"), ntp_.port());
  ASSERT_TRUE(wait_for([&] { return ntp_.good_replies >= 12; }, 15s));

  // A stranger writing to the client's socket is not the server.
  QUdpSocket stranger;
  const auto before = samples;
  for (int i = 0; i < 20; ++i) {
    stranger.writeDatagram(QByteArray(48, static_cast<char>(0x24 + i)), ntp_.client_address,
                           ntp_.client_port);
  }
  wait_for([] { return false; }, 300ms);
  time.stop();
  wait_for([] { return false; }, 100ms);
  EXPECT_LE(samples, ntp_.good_replies);
  EXPECT_GE(samples, ntp_.good_replies - 1);  // the last may still have been on its way
  EXPECT_LE(samples - before, 4);             // only the server's replies in that time
  EXPECT_TRUE(time.synced());
  EXPECT_LT(median_error_ms(time, clock_, 11), 5.0);
}

TEST_F(TimeClientTest, AServerClockStepIsDetectedAndFollowed) {
  TimeClient time(clock_, *api_);
  int steps = 0;
  QObject::connect(&time, &TimeClient::step_detected, [&] { ++steps; });
  time.start(QStringLiteral("127.0.0.1"), ntp_.port());
  ASSERT_TRUE(wait_for([&] { return time.synced(); }, 15s));
  ntp_.offset_us = 1'000'000;  // the server's clock jumps a second ahead
  ASSERT_TRUE(wait_for([&] { return steps == 1 && time.synced(); }, 20s));
  const std::int64_t error_us =
      time.estimator().server_now_us(clock_.now_us()) - (system_now_us() + ntp_.offset_us);
  EXPECT_LT(std::abs(error_us), 5'000);
}

TEST_F(TimeClientTest, KissOfDeathRateMakesItPause) {
  ntp_.kiss_code = "RATE";
  TimeClient time(clock_, *api_);
  time.start(QStringLiteral("127.0.0.1"), ntp_.port());
  ASSERT_TRUE(wait_for([&] { return ntp_.requests >= 3; }, 15s));
  // A burst would be 100 ms apart; after each RATE the client waits 1 s, then 2 s.
  const auto& at = ntp_.request_times_us;
  EXPECT_GE(at[1] - at[0], 900'000);
  EXPECT_GE(at[2] - at[1], 1'900'000);
  EXPECT_FALSE(time.synced());
  EXPECT_FALSE(time.using_http_fallback());
}

TEST_F(TimeClientTest, KissOfDeathDenyTurnsToHttp) {
  ntp_.kiss_code = "DENY";
  TimeClient time(clock_, *api_);
  time.start(QStringLiteral("127.0.0.1"), ntp_.port());
  ASSERT_TRUE(wait_for([&] { return time.using_http_fallback(); }, 10s));
  EXPECT_LE(ntp_.requests, 2);  // one, or two if a burst request left before the refusal was read
}

TEST_F(TimeClientTest, SilenceTurnsToHttpAfterThreeSecondsAndProbesUdpAgain) {
  ntp_.silent = true;
  TimeClientOptions options;
  options.udp_probe_interval_us = 1'000'000;
  TimeClient time(clock_, *api_);
  time.set_options(options);
  QElapsedTimer elapsed;
  elapsed.start();
  time.start(QStringLiteral("127.0.0.1"), ntp_.port());
  ASSERT_TRUE(wait_for([&] { return time.using_http_fallback(); }, 20s));
  EXPECT_GE(elapsed.elapsed(), 2'900);
  EXPECT_GE(ntp_.requests, 9);
  ntp_.silent = false;  // UDP comes back: the next probe finds it
  ASSERT_TRUE(wait_for([&] { return !time.using_http_fallback(); }, 20s));
  EXPECT_TRUE(wait_for([&] { return time.synced(); }, 20s));
}

TEST_F(TimeClientTest, StopEndsAllTraffic) {
  TimeClient time(clock_, *api_);
  time.start(QStringLiteral("127.0.0.1"), ntp_.port());
  ASSERT_TRUE(wait_for([&] { return ntp_.requests >= 2; }, 10s));
  time.stop();
  const int requests = ntp_.requests;
  wait_for([] { return false; }, 1s);
  EXPECT_EQ(ntp_.requests, requests);
}

TEST_F(TimeClientTest, HostNamesAreResolved) {
  TimeClient time(clock_, *api_);
  time.start(QStringLiteral("localhost"), ntp_.port());
  EXPECT_TRUE(wait_for([&] { return time.synced(); }, 15s));
}

}  // namespace
}  // namespace streamsync::viewer::test
