#include "media/live_playlist.hpp"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "media/time_text.hpp"

namespace streamsync::server {
namespace {

constexpr std::int64_t kT0 = 1'700'000'000'000'000;  // 2023-11-14T22:13:20.000Z
constexpr std::int64_t kSecond = 1'000'000;

MediaPlaylist vod(const std::string& name, std::vector<std::int64_t> durations_us) {
  MediaPlaylist playlist{2, "init.mp4", {}, true};
  for (std::size_t i = 0; i < durations_us.size(); ++i) {
    playlist.segments.push_back({durations_us[i], name + "_" + std::to_string(i) + ".m4s"});
  }
  return playlist;
}

// A: five 2 s segments; B: 2 s, 2 s, 1.5 s.
std::vector<LiveItemMedia> two_items() {
  return {{vod("a", {2 * kSecond, 2 * kSecond, 2 * kSecond, 2 * kSecond, 2 * kSecond}), "/m/a/"},
          {vod("b", {2 * kSecond, 2 * kSecond, 1'500'000}), "/m/b/"}};
}

Timeline timeline(bool loop,
                  std::vector<ScheduleItem> items = {{"a", 0, 10 * kSecond}, {"b", 0, 5'500'000}}) {
  auto created = Timeline::create(Schedule{"ch", 1, 0, kT0, loop, std::move(items)});
  EXPECT_TRUE(created.has_value());
  return std::move(created).value();
}

// A live playlist read back: its header values and segments.
struct Listed {
  std::string uri;
  std::string program_date_time;
  std::string extinf;
  std::string map;
  bool discontinuity = false;
};
struct Parsed {
  std::int64_t media_sequence = -1;
  std::int64_t discontinuity_sequence = -1;
  std::int64_t target_duration = -1;
  bool end_list = false;
  std::vector<Listed> segments;
};

Parsed parse(const std::string& text) {
  Parsed parsed;
  Listed pending;
  std::istringstream lines(text);
  std::string line;
  EXPECT_TRUE(std::getline(lines, line) && line == "#EXTM3U");
  auto value = [&line](std::string_view tag) { return line.substr(tag.size()); };
  while (std::getline(lines, line)) {
    if (line.starts_with("#EXT-X-MEDIA-SEQUENCE:")) {
      parsed.media_sequence = std::stoll(value("#EXT-X-MEDIA-SEQUENCE:"));
    } else if (line.starts_with("#EXT-X-DISCONTINUITY-SEQUENCE:")) {
      parsed.discontinuity_sequence = std::stoll(value("#EXT-X-DISCONTINUITY-SEQUENCE:"));
    } else if (line.starts_with("#EXT-X-TARGETDURATION:")) {
      parsed.target_duration = std::stoll(value("#EXT-X-TARGETDURATION:"));
    } else if (line == "#EXT-X-DISCONTINUITY") {
      pending.discontinuity = true;
    } else if (line.starts_with("#EXT-X-MAP:")) {
      pending.map = value("#EXT-X-MAP:");
    } else if (line.starts_with("#EXT-X-PROGRAM-DATE-TIME:")) {
      pending.program_date_time = value("#EXT-X-PROGRAM-DATE-TIME:");
    } else if (line.starts_with("#EXTINF:")) {
      pending.extinf = value("#EXTINF:");
    } else if (line == "#EXT-X-ENDLIST") {
      parsed.end_list = true;
    } else if (!line.empty() && line[0] != '#') {
      pending.uri = line;
      parsed.segments.push_back(pending);
      pending = {};
    }
  }
  return parsed;
}

Parsed live_at(const Timeline& timeline, std::int64_t now_us, std::size_t window = 6) {
  const auto items = two_items();
  const auto text = build_live_media_playlist(timeline, items, now_us, window);
  EXPECT_TRUE(text.has_value()) << (text ? "" : text.error().message);
  return text ? parse(*text) : Parsed{};
}

TEST(LivePlaylist, BeforeStartIsAnErrorCarryingTheStart) {
  const auto items = two_items();
  const auto text = build_live_media_playlist(timeline(true), items, kT0 - 1);
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().kind, LivePlaylistError::Kind::before_start);
  EXPECT_EQ(text.error().starts_at_us, kT0);
}

TEST(LivePlaylist, AtTheStartListsTheFirstSegment) {
  const auto items = two_items();
  const auto text = build_live_media_playlist(timeline(true), items, kT0);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(*text,
            "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
            "#EXT-X-DISCONTINUITY-SEQUENCE:0\n#EXT-X-MAP:URI=\"/m/a/init.mp4\"\n"
            "#EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:20.000Z\n#EXTINF:2.000000,\n/m/a/a_0.m4s\n");
}

TEST(LivePlaylist, ListsTheWindowEndingWithTheSegmentOnAir) {
  // 11.9 s in: item b started at 10 s, its first segment is on air.
  const Parsed parsed = live_at(timeline(true), kT0 + 11'900'000);
  EXPECT_EQ(parsed.media_sequence, 0);
  ASSERT_EQ(parsed.segments.size(), 6u);
  EXPECT_EQ(parsed.segments[4].uri, "/m/a/a_4.m4s");
  EXPECT_EQ(parsed.segments[5].uri, "/m/b/b_0.m4s");
  EXPECT_TRUE(parsed.segments[5].discontinuity);
  EXPECT_EQ(parsed.segments[5].map, "URI=\"/m/b/init.mp4\"");
  EXPECT_EQ(parsed.segments[5].program_date_time, "2023-11-14T22:13:30.000Z");
  EXPECT_FALSE(parsed.end_list);
  EXPECT_EQ(live_at(timeline(true), kT0 + 11'900'000, 3).segments.size(), 3u);
  EXPECT_EQ(live_at(timeline(true), kT0 + 11'900'000, 0).segments.size(), 1u);
}

TEST(LivePlaylist, LoopsWrapWithADiscontinuity) {
  // Cycle 15.5 s; at 16 s the first segment of a is on air again.
  const Parsed parsed = live_at(timeline(true), kT0 + 16 * kSecond);
  ASSERT_EQ(parsed.segments.size(), 6u);
  EXPECT_EQ(parsed.media_sequence, 8 - 5);  // 8 segments per pass, the 9th is on air
  EXPECT_EQ(parsed.discontinuity_sequence, 0);
  EXPECT_EQ(parsed.segments[2].uri, "/m/b/b_0.m4s");
  EXPECT_TRUE(parsed.segments[2].discontinuity);
  EXPECT_EQ(parsed.segments[4].uri, "/m/b/b_2.m4s");
  EXPECT_EQ(parsed.segments[4].extinf, "1.500000,");
  EXPECT_EQ(parsed.segments[5].uri, "/m/a/a_0.m4s");
  EXPECT_TRUE(parsed.segments[5].discontinuity);
  EXPECT_EQ(parsed.segments[5].map, "URI=\"/m/a/init.mp4\"");
  EXPECT_EQ(parsed.segments[5].program_date_time, "2023-11-14T22:13:35.500Z");
  // Once b's first segment leaves the window, its boundary is counted instead.
  EXPECT_EQ(live_at(timeline(true), kT0 + 20 * kSecond).discontinuity_sequence, 1);
}

TEST(LivePlaylist, EndsWithEndlistOnlyAfterANonLoopingSchedule) {
  EXPECT_FALSE(live_at(timeline(false), kT0 + 15 * kSecond).end_list);
  const Parsed ended = live_at(timeline(false), kT0 + 100 * kSecond);
  EXPECT_TRUE(ended.end_list);
  ASSERT_EQ(ended.segments.size(), 6u);
  EXPECT_EQ(ended.segments.back().uri, "/m/b/b_2.m4s");
  EXPECT_EQ(ended.media_sequence, 2);
  EXPECT_FALSE(live_at(timeline(true), kT0 + 100 * kSecond).end_list);
}

// Over an hour sampled every 100 ms: EXT-X-MEDIA-SEQUENCE never goes back and moves by at
// most one; each media sequence number keeps its URI, date and discontinuity sequence
// number in every playlist that lists it; date-times follow the schedule exactly.
TEST(LivePlaylist, SequencesStayConsistentOverASimulatedHour) {
  const Timeline looping = timeline(true);
  const auto items = two_items();
  auto layout = LiveLayout::create(looping, items);
  ASSERT_TRUE(layout.has_value());
  std::map<std::int64_t, std::pair<std::string, std::string>> seen;  // msn -> uri, date
  std::map<std::int64_t, std::int64_t> discontinuity_of;             // msn -> dsn
  std::int64_t previous_sequence = 0;
  std::int64_t newest = -1;
  for (std::int64_t t = kT0; t < kT0 + 3600 * kSecond; t += 100'000) {
    const auto text = layout->playlist_at(t);
    ASSERT_TRUE(text.has_value());
    const Parsed parsed = parse(*text);
    ASSERT_GE(parsed.media_sequence, previous_sequence);
    ASSERT_LE(parsed.media_sequence, previous_sequence + 1);
    previous_sequence = parsed.media_sequence;
    ASSERT_EQ(parsed.target_duration, 2);
    std::int64_t dsn = parsed.discontinuity_sequence;
    for (std::size_t i = 0; i < parsed.segments.size(); ++i) {
      const Listed& segment = parsed.segments[i];
      const std::int64_t msn = parsed.media_sequence + static_cast<std::int64_t>(i);
      if (segment.discontinuity) ++dsn;
      const auto [it, added] = seen.try_emplace(msn, segment.uri, segment.program_date_time);
      ASSERT_EQ(it->second, std::make_pair(segment.uri, segment.program_date_time)) << msn;
      const auto [d, d_added] = discontinuity_of.try_emplace(msn, dsn);
      ASSERT_EQ(d->second, dsn) << msn;
      ASSERT_TRUE(added || msn <= newest);
      newest = std::max(newest, msn);
    }
    // The newest listed segment is the one on air: started at or before t.
    ASSERT_LE(parsed.segments.back().program_date_time, format_iso8601_ms(t));
  }
  // The last sample, 3599.9 s, is 232 passes of 15.5 s and 3.9 s: a_1 of pass 232.
  EXPECT_EQ(newest, 232 * 8 + 1);
  // Every segment's date is its scheduled start: check one pass exactly.
  const std::int64_t pass_start = kT0 + 100 * 15'500'000;
  const std::vector<std::int64_t> offsets = {0, 2, 4, 6, 8, 10, 12, 14};
  for (std::size_t k = 0; k < offsets.size(); ++k) {
    EXPECT_EQ(seen.at(100 * 8 + static_cast<std::int64_t>(k)).second,
              format_iso8601_ms(pass_start + offsets[k] * kSecond));
  }
  EXPECT_EQ(discontinuity_of.at(100 * 8), 200);      // 100 passes of 2 items
  EXPECT_EQ(discontinuity_of.at(100 * 8 + 5), 201);  // then item b
}

TEST(LivePlaylist, InPointSkipsWholeSegmentsAndDurationTrimsTheLast) {
  // a from 3 s for 3 s: its segment 1 (media 2..4 s) opens, segment 2 is cut to 1 s.
  const Timeline cut = timeline(true, {{"a", 3 * kSecond, 3 * kSecond}, {"b", 0, 5'500'000}});
  const auto items = two_items();
  const auto text = build_live_media_playlist(cut, items, kT0 + 3 * kSecond + 1);
  ASSERT_TRUE(text.has_value());
  const Parsed parsed = parse(*text);
  ASSERT_EQ(parsed.segments.size(), 3u);
  EXPECT_EQ(parsed.segments[0].uri, "/m/a/a_1.m4s");
  EXPECT_EQ(parsed.segments[0].program_date_time, "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(parsed.segments[1].uri, "/m/a/a_2.m4s");
  EXPECT_EQ(parsed.segments[1].extinf, "1.000000,");
  EXPECT_EQ(parsed.segments[2].uri, "/m/b/b_0.m4s");
  EXPECT_EQ(parsed.segments[2].program_date_time, "2023-11-14T22:13:23.000Z");
}

TEST(LivePlaylist, AbsoluteUrisAreKeptAndTsItemsUseVersion3) {
  MediaPlaylist ts{
      4, std::nullopt, {{4 * kSecond, "https://cdn/x.ts"}, {4 * kSecond, "y.ts"}}, true};
  const std::vector<LiveItemMedia> items = {{ts, "/m/t/"}};
  const Timeline one = timeline(true, {{"t", 0, 8 * kSecond}});
  const auto text = build_live_media_playlist(one, items, kT0 + 5 * kSecond);
  ASSERT_TRUE(text.has_value());
  EXPECT_NE(text->find("#EXT-X-VERSION:3\n"), std::string::npos);
  EXPECT_EQ(text->find("EXT-X-MAP"), std::string::npos);
  EXPECT_NE(text->find("\nhttps://cdn/x.ts\n"), std::string::npos);
  EXPECT_NE(text->find("\n/m/t/y.ts\n"), std::string::npos);
}

TEST(LivePlaylist, TargetDurationIsTheLargestOfAllItems) {
  std::vector<LiveItemMedia> items = two_items();
  items[1].playlist.segments[0].duration_us = 4'600'000;  // rounds to 5
  const Timeline looping = timeline(true, {{"a", 0, 10 * kSecond}, {"b", 0, 8'100'000}});
  const auto layout = LiveLayout::create(looping, items);
  ASSERT_TRUE(layout.has_value());
  EXPECT_EQ(layout->target_duration_s(), 5);
  EXPECT_EQ(parse(*layout->playlist_at(kT0)).target_duration, 5);
}

TEST(LivePlaylist, RefusesMediaThatDoesNotFitTheSchedule) {
  const auto items = two_items();
  const std::vector<LiveItemMedia> one_item(items.begin(), items.begin() + 1);
  EXPECT_EQ(LiveLayout::create(timeline(true), one_item).error().kind,
            LivePlaylistError::Kind::bad_input);
  const Timeline late = timeline(true, {{"a", 10 * kSecond, kSecond}, {"b", 0, kSecond}});
  EXPECT_FALSE(LiveLayout::create(late, items).has_value());
  std::vector<LiveItemMedia> mixed = two_items();
  mixed[1].playlist.map_uri.reset();
  EXPECT_FALSE(LiveLayout::create(timeline(true), mixed).has_value());
}

TEST(LivePlaylist, MasterListsEachVariantsLivePlaylist) {
  const std::vector<LiveVariant> variants = {
      {"720p", {2'149'280, 2'000'000, VideoSize{1280, 720}, 29.97, "avc1.64001f,mp4a.40.2", "x"}},
      {"360p", {800'000, std::nullopt, std::nullopt, std::nullopt, "", ""}}};
  EXPECT_EQ(build_live_master_playlist(variants),
            "#EXTM3U\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=2149280,AVERAGE-BANDWIDTH=2000000,RESOLUTION=1280x720,"
            "FRAME-RATE=29.970,CODECS=\"avc1.64001f,mp4a.40.2\"\n720p/live.m3u8\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=800000\n360p/live.m3u8\n");
}

}  // namespace
}  // namespace streamsync::server
