#pragma once

// The one FFmpeg run of an ingest: a pure function from (source, probe, plan, encoder) to
// an argv, so that the command can be read, tested and benchmarked without running it.
//
// Run in the output directory (relative output paths; no shell), it writes:
//   <rung>/index.m3u8, <rung>/seg_<nnnnn>.ts  per rung of the plan (MPEG-TS, the default)
//                       (fMP4 segments: <rung>/init_<i>.mp4 and <rung>/seg_<nnnnn>.m4s for
//                       rung i)
//   master_ffmpeg.m3u8  FFmpeg's master playlist (CODECS only; transcode_video() replaces
//                       it with master.m3u8, see hls_master.hpp)
//   poster.jpg          the most representative frame of 2 s from 10% in (thumbnail filter)
//   sprite.jpg          the thumbnail sprite sheet of plan.sprite
// Progress goes to stdout as -progress key=value lines, errors to stderr.
//
// Video: the input is rotated by FFmpeg's autorotate (its default), made constant-rate by
// the fps filter (VFR sources too), converted to 8-bit yuv420p (10-bit sources), split and
// scaled per rung (square pixels). Closed GOPs of plan.gop_frames with a forced IDR at
// every segment start and no scene-cut keyframes, so every rung has keyframes on the same
// frames and its segments start at the same times. Audio: the source's first audio stream,
// or a generated silent track, as AAC stereo 48 kHz, padded or cut to the source duration.

#include <filesystem>
#include <string>
#include <vector>

#include "ingest/ladder.hpp"
#include "ingest/media_probe.hpp"
#include "ingest/video_encoder.hpp"

namespace streamsync::server {

inline constexpr const char* kMasterPlaylistFile = "master.m3u8";
inline constexpr const char* kFfmpegMasterPlaylistFile = "master_ffmpeg.m3u8";
inline constexpr const char* kPosterFile = "poster.jpg";
inline constexpr const char* kSpriteFile = "sprite.jpg";
inline constexpr const char* kThumbnailsVttFile = "thumbnails.vtt";

// The options of the MPEG-TS muxer inside the HLS muxer (-hls_segment_options). By default
// it shifts every timestamp by its mux delay (1.4 s) and by the encoder's B-frame delay
// (its own avoid_negative_ts), whatever the HLS muxer's options say. With these the
// segments keep the encoder's timestamps: the first video frame at pts 0 and every segment
// starting at exactly its playlist time, as in fMP4; the few timestamps before 0 (the
// first frames' DTS, the AAC priming) are written modulo 2^33. See docs/ingest.md.
inline constexpr const char* kMpegTsSegmentOptions = "avoid_negative_ts=disabled:mpegts_copyts=1";

// "<rung name>/index.m3u8": a rung's playlist, relative to the output directory.
std::string rung_playlist_path(const LadderRung& rung);

// The argv (argv[0] = ffmpeg). source is opened as "file:<absolute path>" with the probed
// demuxer forced and only the file protocol allowed. probe: probe_media(source);
// plan: plan_ladder(probe, ...).
std::vector<std::string> ingest_ffmpeg_args(const std::filesystem::path& source,
                                            const ProbeResult& probe, const LadderPlan& plan,
                                            const VideoEncoder& encoder, const std::string& ffmpeg);

// The -filter_complex graph: outputs [v<i>] and [a<i>] per rung, [poster] and [sprite].
std::string ingest_filter_graph(const ProbeResult& probe, const LadderPlan& plan,
                                const VideoEncoder& encoder);

}  // namespace streamsync::server
