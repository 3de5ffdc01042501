#pragma once

// The one FFmpeg run that renders a demo video: a pure function from a spec to an argv,
// so the command can be read and tested without running it.
//
// Every frame carries, burnt in at the pattern's size (renditions[0]):
// - the media time, hh:mm:ss.mmm, large in the middle, and "frame N" below it;
// - a frame-number strip for machines: the bottom frame_strip_height() rows are
//   kFrameStripBits equal blocks across the full width, block i covering
//   [i * W / 16, (i + 1) * W / 16), most significant bit at the left, white = 1, black = 0,
//   encoding the frame number modulo 2^16. Decode a capture by sampling each block's centre
//   (scaled renditions keep the layout in proportion).

#include <filesystem>
#include <string>
#include <vector>

#include "demo/demo_video_spec.hpp"

namespace streamsync::server {

inline constexpr int kFrameStripBits = 16;

// The strip's height in rows for a pattern height_px tall: 1/15 of it, even, at least 4.
int frame_strip_height(int height_px);

// The FFmpeg argv (argv[0] = ffmpeg) that writes, into its working directory:
//   master.m3u8, <name>/index.m3u8 and <name>/seg_<nnnnn>.ts (MPEG-TS, no init file) per
//   rendition, and poster.jpg. The first video frame is at pts 0 and every segment starts
//   on a keyframe at a multiple of 2 s, the same in every rendition.
// Progress goes to stdout as -progress key=value lines (out_time_us=...), errors to
// stderr. font_file: the TrueType font for the burnt-in text; empty: drawtext's default
// (fontconfig). Requires a valid spec (validate_demo_video_spec).
std::vector<std::string> demo_ffmpeg_args(const DemoVideoSpec& spec, const std::string& ffmpeg,
                                          const std::filesystem::path& font_file);

// The -filter_complex graph of demo_ffmpeg_args: outputs [v<i>] and [a<i>] per rendition
// and [poster].
std::string demo_filter_graph(const DemoVideoSpec& spec, const std::filesystem::path& font_file);

// value escaped for both levels of FFmpeg's filtergraph syntax (option value, then
// graph), so that any path can stand as an option: \ ' : become \\ \' \:, then
// \ ' [ ] , ; are escaped again.
std::string escape_filter_option(const std::string& value);

}  // namespace streamsync::server
