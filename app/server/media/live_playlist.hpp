#pragma once

// A channel's live HLS playlists, built from its schedule and the VOD renditions of its
// items (DESIGN.md §3, §5): what a stock player (Safari, hls.js, VLC, ffmpeg) plays to
// follow the channel. Pure: the same inputs and server time give the same text.
//
// Segment times follow the schedule exactly; the media inside each item is cut at
// segment boundaries only. An item whose in_point_us falls inside a segment starts with
// that whole segment, so for the whole item a stock player shows media up to one segment
// older than the schedule asks (by in_point_us − the segment's start). The synchronised
// viewer seeks by media position and is not affected.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "media/hls_playlist.hpp"
#include "timeline/timeline.hpp"
#include "util/expected.hpp"

namespace streamsync::server {

inline constexpr std::size_t kDefaultLiveWindowSegments = 6;

// The media of one playlist item in one variant.
struct LiveItemMedia {
  MediaPlaylist playlist;  // the item's VOD media playlist for this variant
  // Prepended to the playlist's relative URIs (segments and EXT-X-MAP), e.g.
  // "/media/videos/<id>/720p/". URIs with a scheme or a leading '/' are kept as written.
  std::string url_prefix;
};

struct LivePlaylistError {
  enum class Kind {
    before_start,  // the channel has not started: answer 404 or 425 with starts_at_us
    bad_input,     // the media does not fit the schedule: a server-side fault (500)
  };
  Kind kind = Kind::bad_input;
  std::int64_t starts_at_us = 0;  // before_start: the schedule's start_at_us
  std::string message;
};

// The schedule laid out as segments, once per (timeline, variant); playlist_at() is then
// O(window + log n). Item i of the timeline plays items[i]'s segments back to back from
// its start: whole segments from the one holding in_point_us, for as long as the item is
// on air. The last segment is listed with EXTINF trimmed to the time left in the item, so
// that EXTINF sums stay equal to schedule time; a player still plays the rest of that
// segment's media, up to one segment of overlap into the next item, where a
// discontinuity follows. An item longer than its media lists all its segments and then
// nothing new until the next item starts.
class LiveLayout {
 public:
  // Refused (bad_input) when items.size() differs from the schedule's, when an item's
  // in_point_us lies at or beyond its media's end, or when some items have an EXT-X-MAP
  // and others not (a MAP cannot be unset after a discontinuity).
  static Expected<LiveLayout, LivePlaylistError> create(const Timeline& timeline,
                                                        std::span<const LiveItemMedia> items);

  // The live media playlist at server time now_us, listing the last window_segments
  // (at least 1) segments that have started, ending with the one on air:
  // - EXT-X-MEDIA-SEQUENCE: the first listed segment's index among all segments started
  //   since start_at_us, across loop passes: +1 per segment once the window is full.
  // - EXT-X-DISCONTINUITY-SEQUENCE: the item boundaries (item starts after the first,
  //   loop wraps included) before the first listed segment. EXT-X-DISCONTINUITY precedes
  //   the first segment of each later item; the first listed segment never carries one
  //   (that boundary is already counted).
  // - EXT-X-MAP before the first segment and after each discontinuity.
  // - EXT-X-PROGRAM-DATE-TIME on every segment: its scheduled start (ms, UTC).
  // - EXT-X-ENDLIST only once a non-looping schedule has ended.
  // Before start_at_us: before_start. Tags: EXT-X-VERSION 7 with EXT-X-MAP, else 3.
  Expected<std::string, LivePlaylistError> playlist_at(
      std::int64_t now_us, std::size_t window_segments = kDefaultLiveWindowSegments) const;

  // The constant EXT-X-TARGETDURATION: the largest of the items' own and of every
  // segment's rounded duration, so it never changes while the channel plays.
  std::int64_t target_duration_s() const { return target_duration_s_; }

 private:
  struct ItemSegments {
    std::vector<std::int64_t> start_offsets_us;  // from the item's start, schedule time
    std::vector<std::int64_t> durations_us;      // EXTINF, trimmed at the item's end
    std::vector<std::string> uris;               // with url_prefix applied
    std::string map_uri;                         // with url_prefix applied; "" for none
  };
  struct Position {
    std::int64_t cycle = 0;  // loop pass, from 0
    std::size_t item = 0;
    std::size_t segment = 0;
  };

  LiveLayout(const Timeline& timeline, std::vector<ItemSegments> items);
  std::int64_t sequence_of(const Position& position) const;
  Position position_of(std::int64_t sequence) const;
  std::int64_t start_of(const Position& position) const;

  Timeline timeline_;
  std::vector<ItemSegments> items_;
  std::vector<std::int64_t> item_offsets_us_;  // items + 1: item starts within a pass
  std::vector<std::int64_t> sequence_before_;  // items + 1: segments before each item
  std::int64_t target_duration_s_ = 0;
};

// LiveLayout::create(timeline, items) then playlist_at(now_us, window_segments), for a
// one-off answer: O(all segments of all items); keep a LiveLayout to answer repeatedly.
Expected<std::string, LivePlaylistError> build_live_media_playlist(
    const Timeline& timeline, std::span<const LiveItemMedia> items, std::int64_t now_us,
    std::size_t window_segments = kDefaultLiveWindowSegments);

// One rendition of a channel: `name` is its directory ("720p"), stream its attributes
// (its uri is not used).
struct LiveVariant {
  std::string name;
  VariantStream stream;
};

// The channel's master playlist: one EXT-X-STREAM-INF per variant, in order, with
// BANDWIDTH, AVERAGE-BANDWIDTH, RESOLUTION, FRAME-RATE (3 decimals) and CODECS where
// known, each pointing to "<name>/live.m3u8" (relative to the master's own URL).
std::string build_live_master_playlist(std::span<const LiveVariant> variants);

}  // namespace streamsync::server
