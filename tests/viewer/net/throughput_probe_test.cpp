// ThroughputProbe: which segment it times (the playlist reader), and that every way a probe
// can fail ends in one message and no measurement. Against the real server it measures the
// demo's segments: server_test.cpp.

#include "net/throughput_probe.hpp"

#include <gtest/gtest.h>

#include "fake_http_server.hpp"
#include "qt_test_support.hpp"

namespace streamsync::viewer::test {
namespace {

using namespace std::chrono_literals;

const QUrl kPlaylist(QStringLiteral("http://cdn.example/media/videos/a/360p/index.m3u8"));

TEST(FirstSegment, IsTheUriAfterTheFirstExtinfResolvedAgainstThePlaylist) {
  const QByteArray playlist =
      "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
      "#EXTINF:2.002000,\r\nseg_00000.ts\r\n#EXTINF:2.000000,\nseg_00001.ts\n#EXT-X-ENDLIST\n";
  EXPECT_EQ(
      first_segment(playlist, kPlaylist),
      (MediaSegment{QUrl(QStringLiteral("http://cdn.example/media/videos/a/360p/seg_00000.ts")),
                    2'002'000}));
}

TEST(FirstSegment, KeepsAbsoluteAndRootRelativeUris) {
  EXPECT_EQ(first_segment("#EXTM3U\n#EXTINF:2,\nhttps://edge.example/s/0.ts\n", kPlaylist),
            (MediaSegment{QUrl(QStringLiteral("https://edge.example/s/0.ts")), 2'000'000}));
  EXPECT_EQ(first_segment("#EXTM3U\n#EXTINF:6.5,title\n/other/0.ts\n", kPlaylist),
            (MediaSegment{QUrl(QStringLiteral("http://cdn.example/other/0.ts")), 6'500'000}));
}

TEST(FirstSegment, NamesNoneForWhatIsNotAMediaPlaylist) {
  EXPECT_FALSE(first_segment("", kPlaylist));
  EXPECT_FALSE(first_segment("<html>not found</html>", kPlaylist));
  EXPECT_FALSE(first_segment("#EXTM3U\n#EXT-X-ENDLIST\n", kPlaylist));
  // A master playlist lists variant playlists, not segments.
  EXPECT_FALSE(
      first_segment("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\n360p/index.m3u8\n", kPlaylist));
  // A segment without a usable duration.
  EXPECT_FALSE(first_segment("#EXTM3U\n#EXTINF:abc,\nseg.ts\n", kPlaylist));
  EXPECT_FALSE(first_segment("#EXTM3U\n#EXTINF:0,\nseg.ts\n", kPlaylist));
}

// What a probe ended with.
struct ProbeEnd {
  std::optional<std::int64_t> throughput_bps;
  std::optional<QString> error;
  bool ended() const { return throughput_bps || error; }
};

class ThroughputProbeTest : public QtFixture {
 protected:
  ProbeEnd run(const QUrl& playlist) {
    ApiClient api(server_.url());
    api.set_timeout_ms(2000);
    ThroughputProbe probe(api);
    ProbeEnd end;
    QObject::connect(&probe, &ThroughputProbe::measured,
                     [&](std::int64_t bps) { end.throughput_bps = bps; });
    QObject::connect(&probe, &ThroughputProbe::failed,
                     [&](const QString& why) { end.error = why; });
    probe.start(playlist);
    EXPECT_TRUE(probe.started());
    EXPECT_TRUE(wait_for([&] { return end.ended(); }, 20s));
    EXPECT_TRUE(probe.finished());
    return end;
  }
  QUrl playlist() const { return server_.url().resolved(QUrl(QStringLiteral("/p/index.m3u8"))); }

  FakeHttpServer server_;
};

TEST_F(ThroughputProbeTest, AnErrorAnswerEndsWithoutAMeasurement) {
  server_.answer_with(FakeHttpServer::response(404, "Not Found", "{}"));
  const ProbeEnd end = run(playlist());
  EXPECT_FALSE(end.throughput_bps);
  ASSERT_TRUE(end.error);
  EXPECT_TRUE(end.error->contains(QStringLiteral("404"))) << end.error->toStdString();
}

TEST_F(ThroughputProbeTest, APlaylistWithoutSegmentsIsNamed) {
  server_.answer_with(FakeHttpServer::response(200, "OK", "#EXTM3U\n#EXT-X-ENDLIST\n"));
  const ProbeEnd end = run(playlist());
  EXPECT_FALSE(end.throughput_bps);
  ASSERT_TRUE(end.error);
  EXPECT_TRUE(end.error->contains(QStringLiteral("names no media segment")))
      << end.error->toStdString();
}

TEST_F(ThroughputProbeTest, AServerThatIsNotThereEndsWithoutAMeasurement) {
  const QUrl gone(QStringLiteral("http://127.0.0.1:%1/p/index.m3u8").arg(closed_tcp_port()));
  const ProbeEnd end = run(gone);
  EXPECT_FALSE(end.throughput_bps);
  ASSERT_TRUE(end.error);
  EXPECT_TRUE(end.error->contains(QStringLiteral("connection refused")))
      << end.error->toStdString();
}

TEST_F(ThroughputProbeTest, ADownloadThatTakesTooLongIsSlowerThanWhatItWouldTakeAtARate) {
  // The playlist is answered; its segment is on a server that never answers.
  FakeHttpServer silent;
  server_.answer_with(FakeHttpServer::response(
      200, "OK", "#EXTM3U\n#EXTINF:2,\n" + silent.url().toEncoded() + "/seg_00000.ts\n"));
  ApiClient api(server_.url());
  ThroughputProbe probe(api);
  constexpr std::int64_t kRungBps = 1'000'000;      // a 2 s segment of it: at most 2 Mbit
  EXPECT_FALSE(probe.slower_than(1e12, kRungBps));  // not started
  probe.start(playlist());
  ASSERT_TRUE(wait_for([&] { return silent.requests().size() == 1; }, 20s));
  // 2 Mbit at 1 Tbit/s take 2 µs, long over; at 1 bit/s they would take 23 days.
  EXPECT_TRUE(wait_for([&] { return probe.slower_than(1e12, kRungBps); }, 20s));
  EXPECT_FALSE(probe.slower_than(1, kRungBps));
  EXPECT_FALSE(probe.finished());
}

TEST_F(ThroughputProbeTest, TimesTheSegmentThePlaylistNames) {
  // Every request gets the same answer: the playlist, then its "segment" (the same bytes).
  const QByteArray body = "#EXTM3U\n#EXTINF:2,\nseg_00000.ts\n";
  server_.answer_with(FakeHttpServer::response(200, "OK", body));
  const ProbeEnd end = run(playlist());
  ASSERT_TRUE(end.throughput_bps) << (end.error ? end.error->toStdString() : "");
  EXPECT_GT(*end.throughput_bps, 0);
  ASSERT_EQ(server_.requests().size(), 2);
  EXPECT_TRUE(server_.requests()[1].startsWith("GET /p/seg_00000.ts "))
      << server_.requests()[1].toStdString();
}

}  // namespace
}  // namespace streamsync::viewer::test
