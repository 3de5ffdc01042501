#include "ingest/ladder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace streamsync::server {
namespace {

// JPEG's largest dimension is 65535; keep the sprite sheet well inside it.
constexpr int kMaxSpriteSidePx = 60'000;
constexpr int kMinFrameRate = 2;

int even_down(int value) {
  return std::max(2, value / 2 * 2);
}

int even_nearest(double value) {
  return std::max(2, static_cast<int>(std::lround(value / 2.0)) * 2);
}

// long_side for a picture whose short side becomes short_px, keeping the aspect; never
// more than the source's own long side.
int scaled_long_side(int short_px, int source_short, int source_long) {
  const double exact = static_cast<double>(short_px) * source_long / source_short;
  return std::min(even_nearest(exact), even_down(source_long));
}

LadderRung make_rung(std::string name, int short_px, int video_kbps, const ProbeResult& source) {
  const bool portrait = source.height > source.width;
  const int source_short = portrait ? source.width : source.height;
  const int source_long = portrait ? source.height : source.width;
  const int long_px = scaled_long_side(short_px, source_short, source_long);
  LadderRung rung;
  rung.name = std::move(name);
  rung.width = portrait ? short_px : long_px;
  rung.height = portrait ? long_px : short_px;
  rung.video_kbps = video_kbps;
  rung.maxrate_kbps = video_kbps * 11 / 10;
  rung.bufsize_kbps = video_kbps * 2;
  return rung;
}

FrameRate output_frame_rate(const ProbeResult& source, double max_rate) {
  FrameRate rate = source.variable_frame_rate || !source.r_frame_rate.valid()
                       ? source.avg_frame_rate
                       : source.r_frame_rate;
  if (!rate.valid()) rate = source.r_frame_rate.valid() ? source.r_frame_rate : FrameRate{30, 1};
  while (rate.value() > max_rate) {
    if (rate.num % 2 == 0) {
      rate.num /= 2;
    } else {
      rate.den *= 2;
    }
  }
  // Below 2 fps one frame lasts over 0.5 s, and a segment could overrun its 2 s by more.
  if (rate.value() < kMinFrameRate) rate = {kMinFrameRate, 1};
  return rate;
}

SpritePlan plan_sprite(const ProbeResult& source, const FrameRate& rate,
                       const LadderOptions& options) {
  SpritePlan sprite;
  sprite.tile_width = options.thumbnail_width_px;
  sprite.tile_height =
      even_nearest(static_cast<double>(options.thumbnail_width_px) * source.height / source.width);
  // The last frame starts one frame before the end: only intervals it reaches get a tile.
  const double last_frame_s =
      std::max(0.0, static_cast<double>(source.duration_us) / 1e6 - 1.0 / rate.value());
  const int columns = std::max(1, options.thumbnail_columns);
  const int max_rows = std::max(1, kMaxSpriteSidePx / sprite.tile_height);
  const int max_tiles = std::max(1, std::min(options.max_thumbnails, columns * max_rows));
  sprite.interval_s = std::max(1, options.thumbnail_interval_s);
  while (static_cast<int>(last_frame_s / sprite.interval_s) + 1 > max_tiles) {
    sprite.interval_s += std::max(1, options.thumbnail_interval_s);
  }
  sprite.count = static_cast<int>(last_frame_s / sprite.interval_s) + 1;
  sprite.columns = std::min(columns, sprite.count);
  sprite.rows = (sprite.count + sprite.columns - 1) / sprite.columns;
  return sprite;
}

}  // namespace

std::vector<RungSpec> default_rungs() {
  return {{"1080p", 1080, 5000}, {"720p", 720, 3000}, {"480p", 480, 1400}, {"360p", 360, 800}};
}

LadderPlan plan_ladder(const ProbeResult& source, const LadderOptions& options) {
  LadderPlan plan;
  const int source_short = std::min(source.width, source.height);
  for (const RungSpec& spec : options.rungs) {
    if (source_short < options.keep_fraction * spec.short_side_px) continue;
    const int short_px = std::min(spec.short_side_px, even_down(source_short));
    // Two specs that collapse onto the same size (both capped at the source) are one rung.
    if (!plan.rungs.empty() &&
        std::min(plan.rungs.back().width, plan.rungs.back().height) == short_px) {
      continue;
    }
    plan.rungs.push_back(make_rung(spec.name, short_px, spec.video_kbps, source));
  }
  if (plan.rungs.empty()) {
    // Smaller than every rung: the source size, at the lowest rung's bit rate scaled by area.
    const int short_px = even_down(source_short);
    int kbps = 400;
    if (!options.rungs.empty()) {
      const RungSpec& lowest = options.rungs.back();
      const double area = static_cast<double>(short_px) / lowest.short_side_px;
      kbps = std::max(100, static_cast<int>(lowest.video_kbps * area * area));
    }
    plan.rungs.push_back(make_rung(std::to_string(short_px) + "p", short_px, kbps, source));
  }

  plan.frame_rate = output_frame_rate(source, options.max_frame_rate);
  plan.segment_seconds = std::max(1, options.segment_seconds);
  plan.segment_format = options.segment_format;
  // Rounded up: FFmpeg forces a keyframe at the first frame at or after each segment start,
  // so the gaps between forced keyframes are this or one less, never more (a shorter -g
  // would add keyframes of its own between them).
  plan.gop_frames = std::max(
      1, static_cast<int>(std::ceil(plan.segment_seconds * plan.frame_rate.value() - 1e-9)));
  plan.duration_us = source.duration_us;
  plan.audio_kbps = options.audio_kbps;
  plan.audio_sample_rate = options.audio_sample_rate;
  plan.audio_channels = options.audio_channels;
  plan.silent_audio = !source.has_audio;

  const LadderRung& top = plan.rungs.front();
  const double fit = std::min(
      1.0, static_cast<double>(options.poster_max_side_px) / std::max(top.width, top.height));
  plan.poster_width = std::min(top.width, even_nearest(top.width * fit));
  plan.poster_height = std::min(top.height, even_nearest(top.height * fit));
  plan.sprite = plan_sprite(source, plan.frame_rate, options);
  return plan;
}

}  // namespace streamsync::server
