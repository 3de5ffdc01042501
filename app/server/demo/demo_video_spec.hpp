#pragma once

// What a demo video should look like: the input of make_demo_video(). A plain value type;
// validate_demo_video_spec() says whether FFmpeg can be asked for it.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace streamsync::server {

// One rung of the HLS ladder.
struct DemoRenditionSpec {
  std::string name;    // the variant's directory and NAME in the master, e.g. "720p"
  int width = 0;       // pixels, even
  int height = 0;      // pixels, even
  int video_kbps = 0;  // H.264 average bit rate; maxrate is 7% above, the VBV 2 s of it

  friend bool operator==(const DemoRenditionSpec&, const DemoRenditionSpec&) = default;
};

// The production ladder: 1280x720 at 2.5 Mb/s and 640x360 at 0.8 Mb/s.
std::vector<DemoRenditionSpec> default_demo_renditions();

struct DemoVideoSpec {
  std::string id;                // [a-z0-9_-], 1..64 chars: its directory under videos/
  std::string title;             // for people; any text
  std::int64_t duration_us = 0;  // > 0 and a whole number of frames at fps
  int fps = 30;                  // 1..120
  // An FFmpeg lavfi video source that takes size, rate and duration: testsrc, testsrc2,
  // smptebars, smptehdbars, pal75bars, rgbtestsrc, yuvtestsrc, ... Only [a-z0-9_] is
  // accepted (it is spliced into the filtergraph); FFmpeg itself rejects unknown names.
  std::string pattern = "testsrc2";
  int tone_hz = 440;  // the sine tone on both stereo channels, 20..20000
  // Largest first: renditions[0]'s size is the one the pattern is drawn at.
  std::vector<DemoRenditionSpec> renditions = default_demo_renditions();
  int poster_width = 640;  // pixels; the height follows the aspect ratio
  int audio_kbps = 128;    // AAC, 48 kHz stereo

  friend bool operator==(const DemoVideoSpec&, const DemoVideoSpec&) = default;
};

// The first rule spec breaks, as a sentence naming the field, or nullopt when it is fine.
std::optional<std::string> validate_demo_video_spec(const DemoVideoSpec& spec);

// The number of frames spec lasts (duration_us * fps / 1 s). Requires a valid spec.
std::int64_t demo_frame_count(const DemoVideoSpec& spec);

// Every field, for video.json: a later run reuses a finished video only if its recorded
// spec equals the one asked for.
nlohmann::json to_json(const DemoVideoSpec& spec);

}  // namespace streamsync::server
