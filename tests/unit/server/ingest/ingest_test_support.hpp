#pragma once

// Shared by the ingest tests: input videos made with FFmpeg on first use (small and
// short, cached for the whole test process in one temporary directory), a fresh temporary
// directory per test, running a tool, and the ffprobe queries the ladder checks need.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/ladder.hpp"
#include "support/temp_dir.hpp"

namespace streamsync::server::testing {

// The input called name, made on first use. Good inputs (4 s unless said):
//   "mp4"       640x360 30 fps H.264 + AAC 44.1 kHz mono         "mkv"  320x180 25 fps + AAC
//   "mov"       320x180 23.976 fps H.264 + AAC                    "webm" 320x180 VP9 + Opus
//   "portrait"  180x320 H.264 + AAC                                "rotated" 320x180, rotate=90
//   "odd"       321x181 (H.264 4:4:4) in mkv                       "vfr"  320x180, 30 then 15 fps
//   "10bit"     320x180 yuv420p10le H.264 in mkv                   "60fps" 320x180 at 60 fps
//   "noaudio"   320x180 H.264 only
// Bad inputs: "empty", "random" (64 KiB, fixed seed), "text" (a .mp4 of text), "truncated"
// (moov at the end, cut in half), "audio_only" (.m4a), "zero_length" (no frames), "huge"
// (one 8192x8192 frame). Fails the calling test (and returns an empty path) if FFmpeg fails.
std::filesystem::path test_input(std::string_view name);

using streamsync::testing::TempDir;  // a fresh directory, removed when the object goes

// Runs argv (no shell) with a 60 s limit; its stdout lines. Fails the test when it does
// not exit 0.
std::vector<std::string> run_tool(const std::vector<std::string>& argv);

// ffprobe -show_streams -show_format of file as JSON.
nlohmann::json ffprobe_json(const std::filesystem::path& file);

// The pts (seconds) of every video key frame of an HLS playlist, in order, by ffprobe.
std::vector<double> keyframe_times(const std::filesystem::path& playlist);

// The packet durations (seconds) of the first video stream of file.
std::vector<double> video_packet_durations(const std::filesystem::path& file);

// A ladder for tiny inputs: 360p 600k, 180p 250k, 144p 150k.
LadderOptions small_ladder();

std::string read_file(const std::filesystem::path& file);

}  // namespace streamsync::server::testing
