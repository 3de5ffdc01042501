#pragma once

// plan_ladder(): the HLS renditions, frame rate, GOP and audio of one ingest, decided from
// the probe alone (a pure function: the command and the checks both read the plan).

#include <string>
#include <vector>

#include "ingest/media_probe.hpp"

namespace streamsync::server {

// One candidate rung: its short side (the height of a landscape picture, the width of a
// portrait one) and its average video bit rate.
struct RungSpec {
  std::string name;  // "1080p", ...
  int short_side_px = 0;
  int video_kbps = 0;
};

// After Apple's "HLS Authoring Specification for Apple Devices" (developer.apple.com,
// http-live-streaming/hls-authoring-specification-for-apple-devices), its "video average
// bit rate" table for H.264 16:9: 416x234 145 kb/s, 640x360 365, 768x432 730 and 1100,
// 960x540 2000, 1280x720 3000 and 4500, 1920x1080 6000 and 7800.
// We keep one rung per common height: 1080p 5000k (under Apple's first 1080p tier: our
// content is talks and screen recordings more than sport), 720p 3000k (Apple's),
// 480p 1400k (between its 432p and 540p tiers), 360p 800k (well above Apple's 365k
// cellular floor: as our lowest rung it has to stay watchable on a big screen).
std::vector<RungSpec> default_rungs();

// The HLS segment container. MPEG-TS by default: the viewer seeks inside VOD playlists,
// and libavformat's HLS demuxer before FFmpeg 7.1 (mpv on Debian 12) cannot seek in fMP4
// at all. fMP4 (CMAF) stays available for players that can: see docs/ingest.md.
enum class SegmentFormat { fmp4, mpegts };

struct LadderOptions {
  std::vector<RungSpec> rungs = default_rungs();  // highest first
  // A rung is kept when the source's short side is at least this fraction of the rung's;
  // it is then made no larger than the source (a 1280x700 source keeps a 1280x700 "720p").
  double keep_fraction = 0.9;
  int segment_seconds = 2;  // HLS segment and GOP length (docs/ingest.md: join time)
  SegmentFormat segment_format = SegmentFormat::mpegts;
  double max_frame_rate = 60.0;  // faster sources are halved until at most this
  int audio_kbps = 128;
  int audio_sample_rate = 48'000;
  int audio_channels = 2;
  int thumbnail_interval_s = 10;  // one sprite tile per interval...
  int thumbnail_width_px = 160;
  int thumbnail_columns = 10;
  int max_thumbnails = 720;       // ...made longer so that at most this many tiles are needed
  int poster_max_side_px = 1280;  // the poster fits in this square
};

struct LadderRung {
  std::string name;  // from the RungSpec, or "<short side>p" for the source-size rung
  int width = 0;     // even, at most the source's displayed size
  int height = 0;
  int video_kbps = 0;
  int maxrate_kbps = 0;  // VBV peak: 110% of the average
  int bufsize_kbps = 0;  // VBV buffer: 2 s at the average rate

  friend bool operator==(const LadderRung&, const LadderRung&) = default;
};

// The sprite sheet: one tile per interval_s from t = 0 (tile i shows the first frame at
// or after i * interval_s), row by row in a columns x rows grid.
struct SpritePlan {
  int interval_s = 10;
  int tile_width = 160;
  int tile_height = 90;  // even, the picture's aspect
  int count = 1;
  int columns = 1;
  int rows = 1;
};

struct LadderPlan {
  std::vector<LadderRung> rungs;  // highest first, at least one
  FrameRate frame_rate;           // constant output rate
  int gop_frames = 0;             // segment_seconds worth of frames, rounded up
  int segment_seconds = 2;
  SegmentFormat segment_format = SegmentFormat::mpegts;
  std::int64_t duration_us = 0;  // the source's
  int audio_kbps = 128;
  int audio_sample_rate = 48'000;
  int audio_channels = 2;
  bool silent_audio = false;  // the source has none: a silent track is generated
  int poster_width = 0;       // even
  int poster_height = 0;
  SpritePlan sprite;
};

// The plan for a probed source (a ProbeResult from probe_media, so width, height and
// duration are positive). Never upscales; keeps at least one rung (the source size,
// rounded down to even, when no rung fits). Frame rate: the source's r_frame_rate when
// constant, its average when variable, halved while above max_frame_rate; at least 2 fps.
LadderPlan plan_ladder(const ProbeResult& source, const LadderOptions& options = {});

}  // namespace streamsync::server
