#pragma once

// probe_media(): what an uploaded file holds, read with libavformat/libavcodec, and whether
// we can ingest it. The video stream must decode: one frame is decoded to prove it, so a
// file that opens but cannot be played fails here, before any transcode starts.

#include <cstdint>
#include <filesystem>
#include <string>

#include "ingest/ingest_error.hpp"
#include "util/expected.hpp"

namespace streamsync::server {

// A frame rate as FFmpeg keeps it (num/den, e.g. 30000/1001). {0, 1}: unknown.
struct FrameRate {
  int num = 0;
  int den = 1;

  bool valid() const { return num > 0 && den > 0; }
  double value() const { return valid() ? static_cast<double>(num) / den : 0.0; }
  friend bool operator==(const FrameRate&, const FrameRate&) = default;
};

struct ProbeLimits {
  // The displayed picture may be at most this large, in either orientation: the long side
  // at most max_long_side_px and the short side at most max_short_side_px (default: UHD).
  int max_long_side_px = 3840;
  int max_short_side_px = 2160;
};

struct ProbeResult {
  std::string container;         // the demuxer, e.g. "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"
  std::int64_t duration_us = 0;  // the video stream's, else the container's; > 0

  int video_stream_index = 0;  // in the container
  std::string video_codec;     // FFmpeg's codec name: "h264", "hevc", "vp9", ...
  int coded_width = 0;         // as stored
  int coded_height = 0;
  int width = 0;  // as displayed: sample aspect ratio applied, then rotation
  int height = 0;
  int rotation_deg = 0;              // clockwise turn for display (display matrix): 0/90/180/270
  FrameRate avg_frame_rate;          // frames / duration
  FrameRate r_frame_rate;            // FFmpeg's guess of the base rate of the timestamps
  bool variable_frame_rate = false;  // avg and r_frame_rate differ by more than 1%
  std::string pixel_format;          // "yuv420p", "yuv420p10le", ...
  int bit_depth = 8;                 // of the luma plane

  bool has_audio = false;  // a decodable audio stream
  int audio_stream_index = -1;
  std::string audio_codec;
  int audio_sample_rate = 0;  // Hz
  int audio_channels = 0;
};

// The containers accepted, as demuxer names (FFmpeg's format_whitelist syntax). Anything
// else is refused before its header is read: playlists (hls, concat) and image sequences
// could otherwise make FFmpeg open other files or URLs on our behalf.
inline constexpr const char* kAcceptedContainers =
    "mov,matroska,avi,flv,mpegts,mpeg,asf,ogg,mxf,gif";

// Probes the file at path. Errors (IngestError::message in brackets):
//   unreadable             the file cannot be opened or read ("cannot read ...")
//   not_a_media_file       empty, unrecognised content, or a container not accepted
//   no_video_stream        no video stream other than cover art, or an audio-only format
//   truncated              "truncated: moov atom missing", "truncated: the file ends inside
//                          its 'mdat' box", or the demuxer's reason
//   unsupported_codec      "unsupported codec <name>": no decoder for the video stream
//   resolution_above_limit the displayed size exceeds limits (checked before decoding)
//   zero_duration          no duration, or no frame to decode
// Thread-safe (each call has its own contexts). The first call silences libav's logging
// for the whole process (av_log_set_level(AV_LOG_QUIET)); its errors become these codes.
Expected<ProbeResult, IngestError> probe_media(const std::filesystem::path& path,
                                               const ProbeLimits& limits = {});

}  // namespace streamsync::server
