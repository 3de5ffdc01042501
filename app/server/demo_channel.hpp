#pragma once

// The "Demo" channel of `streamsync-server --demo`: its videos are made with FFmpeg on the
// first start (reused afterwards), recorded in the catalog, and looped from a round start
// time so that every run of the demo agrees on what is on screen when.

#include <cstdint>
#include <filesystem>
#include <functional>

namespace streamsync::server {

class VideoStore;
class ChannelStore;

inline constexpr const char* kDemoChannelId = "demo";

// Throws std::runtime_error with FFmpeg's message when a demo video cannot be made.
void prepare_demo_channel(const std::filesystem::path& media_root, VideoStore& videos,
                          ChannelStore& channels, const std::function<std::int64_t()>& now_us);

}  // namespace streamsync::server
