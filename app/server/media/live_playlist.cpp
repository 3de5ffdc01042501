#include "media/live_playlist.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

#include "media/time_text.hpp"

namespace streamsync::server {
namespace {

Unexpected<LivePlaylistError> bad_input(std::string message) {
  return Unexpected{LivePlaylistError{LivePlaylistError::Kind::bad_input, 0, std::move(message)}};
}

// uri as a player should fetch it: relative URIs live below prefix.
std::string resolve_uri(const std::string& prefix, const std::string& uri) {
  const bool absolute = uri.starts_with('/') || uri.find("://") != std::string::npos;
  return absolute ? uri : prefix + uri;
}

// "6.006000" for 6'006'000 µs: exact, and what a player needs for µs-accurate sums.
std::string seconds_text(std::int64_t us) {
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%lld.%06lld", static_cast<long long>(us / 1'000'000),
                static_cast<long long>(us % 1'000'000));
  return text.data();
}

}  // namespace

Expected<LiveLayout, LivePlaylistError> LiveLayout::create(const Timeline& timeline,
                                                           std::span<const LiveItemMedia> items) {
  const std::vector<ScheduleItem>& scheduled = timeline.schedule().items;
  if (items.size() != scheduled.size()) {
    return bad_input("media for " + std::to_string(items.size()) + " items, schedule has " +
                     std::to_string(scheduled.size()));
  }
  std::vector<ItemSegments> laid_out;
  laid_out.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const MediaPlaylist& vod = items[i].playlist;
    const std::string& prefix = items[i].url_prefix;
    if (vod.map_uri.has_value() != items[0].playlist.map_uri.has_value()) {
      return bad_input("items mix fMP4 (EXT-X-MAP) and MPEG-TS segments");
    }
    ItemSegments item;
    if (vod.map_uri) item.map_uri = resolve_uri(prefix, *vod.map_uri);
    std::int64_t media_start_us = 0;   // media time at which the next segment starts
    std::int64_t first_start_us = -1;  // media start of the first segment listed
    for (const MediaSegment& segment : vod.segments) {
      const std::int64_t start_us = media_start_us;
      media_start_us += segment.duration_us;
      // Whole segments only: skip those that end at or before the in-point.
      if (first_start_us < 0 && media_start_us <= scheduled[i].in_point_us) continue;
      if (first_start_us < 0) first_start_us = start_us;
      const std::int64_t offset_us = start_us - first_start_us;
      if (offset_us >= scheduled[i].duration_us) break;
      item.start_offsets_us.push_back(offset_us);
      item.durations_us.push_back(
          std::min(segment.duration_us, scheduled[i].duration_us - offset_us));
      item.uris.push_back(resolve_uri(prefix, segment.uri));
    }
    if (item.uris.empty()) {
      return bad_input("items[" + std::to_string(i) + "].in_point_us lies beyond its media");
    }
    laid_out.push_back(std::move(item));
  }
  LiveLayout layout(timeline, std::move(laid_out));
  for (const LiveItemMedia& item : items) {
    layout.target_duration_s_ =
        std::max(layout.target_duration_s_, item.playlist.target_duration_s);
  }
  return layout;
}

LiveLayout::LiveLayout(const Timeline& timeline, std::vector<ItemSegments> items)
    : timeline_(timeline), items_(std::move(items)) {
  item_offsets_us_.push_back(0);
  sequence_before_.push_back(0);
  for (std::size_t i = 0; i < items_.size(); ++i) {
    item_offsets_us_.push_back(item_offsets_us_.back() + timeline_.schedule().items[i].duration_us);
    sequence_before_.push_back(sequence_before_.back() +
                               static_cast<std::int64_t>(items_[i].uris.size()));
    for (const std::int64_t duration_us : items_[i].durations_us) {
      // RFC 8216 §4.3.3.1: each EXTINF, rounded to the nearest integer, <= target.
      target_duration_s_ = std::max(target_duration_s_, (duration_us + 500'000) / 1'000'000);
    }
  }
}

// Counts stay far from overflow: a segment lasts >= 1 µs in practice, and schedules span
// at most ~5e17 µs from the epoch.
std::int64_t LiveLayout::sequence_of(const Position& position) const {
  return position.cycle * sequence_before_.back() + sequence_before_[position.item] +
         static_cast<std::int64_t>(position.segment);
}

LiveLayout::Position LiveLayout::position_of(std::int64_t sequence) const {
  const std::int64_t per_cycle = sequence_before_.back();
  const std::int64_t in_cycle = sequence % per_cycle;
  const auto next = std::upper_bound(sequence_before_.begin(), sequence_before_.end(), in_cycle);
  const auto item = static_cast<std::size_t>(next - sequence_before_.begin() - 1);
  return {sequence / per_cycle, item, static_cast<std::size_t>(in_cycle - sequence_before_[item])};
}

std::int64_t LiveLayout::start_of(const Position& position) const {
  return timeline_.schedule().start_at_us + position.cycle * timeline_.cycle_duration_us() +
         item_offsets_us_[position.item] + items_[position.item].start_offsets_us[position.segment];
}

Expected<std::string, LivePlaylistError> LiveLayout::playlist_at(
    std::int64_t now_us, std::size_t window_segments) const {
  const Resolution now = timeline_.resolve(now_us);
  const std::int64_t start_at_us = timeline_.schedule().start_at_us;
  if (now.state == PlaybackState::before_start) {
    return Unexpected{LivePlaylistError{LivePlaylistError::Kind::before_start, start_at_us,
                                        "the channel starts at " + format_iso8601_ms(start_at_us)}};
  }
  const bool ended = now.state == PlaybackState::ended;
  Position current{0, now.item_index, items_[now.item_index].uris.size() - 1};
  if (!ended) {
    const ItemSegments& item = items_[now.item_index];
    const auto next = std::upper_bound(item.start_offsets_us.begin(), item.start_offsets_us.end(),
                                       now.offset_in_item_us);
    current.segment = static_cast<std::size_t>(next - item.start_offsets_us.begin() - 1);
    const std::int64_t cycle_started_at_us =
        now.item_started_at_us - item_offsets_us_[now.item_index];
    current.cycle = (cycle_started_at_us - start_at_us) / timeline_.cycle_duration_us();
  }
  const std::int64_t last = sequence_of(current);
  const std::int64_t window = static_cast<std::int64_t>(std::max<std::size_t>(window_segments, 1));
  const std::int64_t first = std::max<std::int64_t>(0, last - window + 1);
  const Position top = position_of(first);
  const auto item_count = static_cast<std::int64_t>(items_.size());

  std::string text = "#EXTM3U\n";
  text += items_[0].map_uri.empty() ? "#EXT-X-VERSION:3\n" : "#EXT-X-VERSION:7\n";
  text += "#EXT-X-TARGETDURATION:" + std::to_string(target_duration_s_) + "\n";
  text += "#EXT-X-MEDIA-SEQUENCE:" + std::to_string(first) + "\n";
  text += "#EXT-X-DISCONTINUITY-SEQUENCE:" +
          std::to_string(top.cycle * item_count + static_cast<std::int64_t>(top.item)) + "\n";
  for (std::int64_t sequence = first; sequence <= last; ++sequence) {
    const Position position = position_of(sequence);
    const ItemSegments& item = items_[position.item];
    const bool new_item = sequence == first || position.segment == 0;
    if (sequence != first && position.segment == 0) text += "#EXT-X-DISCONTINUITY\n";
    if (new_item && !item.map_uri.empty()) text += "#EXT-X-MAP:URI=\"" + item.map_uri + "\"\n";
    text += "#EXT-X-PROGRAM-DATE-TIME:" + format_iso8601_ms(start_of(position)) + "\n";
    text += "#EXTINF:" + seconds_text(item.durations_us[position.segment]) + ",\n";
    text += item.uris[position.segment] + "\n";
  }
  if (ended) text += "#EXT-X-ENDLIST\n";
  return text;
}

Expected<std::string, LivePlaylistError> build_live_media_playlist(
    const Timeline& timeline, std::span<const LiveItemMedia> items, std::int64_t now_us,
    std::size_t window_segments) {
  auto layout = LiveLayout::create(timeline, items);
  if (!layout) return Unexpected{layout.error()};
  return layout->playlist_at(now_us, window_segments);
}

std::string build_live_master_playlist(std::span<const LiveVariant> variants) {
  std::string text = "#EXTM3U\n";
  for (const LiveVariant& variant : variants) {
    const VariantStream& stream = variant.stream;
    text += "#EXT-X-STREAM-INF:BANDWIDTH=" + std::to_string(stream.bandwidth);
    if (stream.average_bandwidth) {
      text += ",AVERAGE-BANDWIDTH=" + std::to_string(*stream.average_bandwidth);
    }
    if (stream.resolution) {
      text += ",RESOLUTION=" + std::to_string(stream.resolution->width) + "x" +
              std::to_string(stream.resolution->height);
    }
    if (stream.frame_rate) {
      std::array<char, 32> rate{};
      std::snprintf(rate.data(), rate.size(), "%.3f", *stream.frame_rate);
      text += std::string(",FRAME-RATE=") + rate.data();
    }
    if (!stream.codecs.empty()) text += ",CODECS=\"" + stream.codecs + "\"";
    text += "\n" + variant.name + "/live.m3u8\n";
  }
  return text;
}

}  // namespace streamsync::server
