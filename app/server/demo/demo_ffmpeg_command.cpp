#include "demo/demo_ffmpeg_command.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace streamsync::server {
namespace {

constexpr int kSegmentSeconds = 2;
constexpr int kAudioSampleRate = 48'000;

// "4.000000": exact decimal seconds, so FFmpeg's sources stop on the frame we counted.
std::string seconds_text(std::int64_t us) {
  std::string fraction = std::to_string(us % 1'000'000);
  fraction.insert(0, 6 - fraction.size(), '0');
  return std::to_string(us / 1'000'000) + "." + fraction;
}

std::string escape(std::string_view value, std::string_view specials) {
  std::string escaped;
  escaped.reserve(value.size());
  for (const char c : value) {
    if (specials.find(c) != std::string_view::npos) escaped += '\\';
    escaped += c;
  }
  return escaped;
}

std::string size_text(int width, int height) {
  return std::to_string(width) + "x" + std::to_string(height);
}

// The frame-number strip: one pixel per bit, pixel X = bit (15 - X) of the frame number N,
// then scaled up without interpolation to the full-width band. (geq evaluates per pixel:
// on the band itself it would cost seconds per demo video.)
std::string frame_strip_source(const DemoVideoSpec& spec, const std::string& duration) {
  const auto& top = spec.renditions.front();
  const std::string bits = std::to_string(kFrameStripBits);
  return "color=c=black:size=" + bits + "x1:rate=" + std::to_string(spec.fps) +
         ":duration=" + duration + ",format=gray,geq=lum='255*mod(floor(N/pow(2\\," +
         std::to_string(kFrameStripBits - 1) +
         "-X))\\,2)',scale=" + size_text(top.width, frame_strip_height(top.height)) +
         ":flags=neighbor,format=yuv420p";
}

// A boxed, centred line of drawtext at vertical position y_fraction of the height.
std::string drawtext(const std::string& font_option, const std::string& text, int font_px,
                     const char* y_fraction, int border_px) {
  return "drawtext=" + font_option + "text='" + text + "':fontsize=" + std::to_string(font_px) +
         ":fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=" + std::to_string(border_px) +
         ":x=(w-tw)/2:y=h*" + y_fraction;
}

}  // namespace

int frame_strip_height(int height_px) {
  const int rows = height_px / 15 / 2 * 2;
  return rows < 4 ? 4 : rows;
}

std::string escape_filter_option(const std::string& value) {
  return escape(escape(value, "\\':"), "\\'[],;");
}

std::string demo_filter_graph(const DemoVideoSpec& spec, const std::filesystem::path& font_file) {
  const auto& top = spec.renditions.front();
  const std::string duration = seconds_text(spec.duration_us);
  const std::string font_option =
      font_file.empty() ? std::string()
                        : "fontfile=" + escape_filter_option(font_file.string()) + ":";
  const int border_px = top.height / 90 < 2 ? 2 : top.height / 90;
  const std::size_t count = spec.renditions.size();

  std::string graph = spec.pattern + "=size=" + size_text(top.width, top.height) +
                      ":rate=" + std::to_string(spec.fps) + ":duration=" + duration +
                      ",format=yuv420p[base];";
  graph += frame_strip_source(spec, duration) + "[strip];";
  // %{pts\:hms} is the media time of the frame, so a capture shows where playback is.
  graph += "[base][strip]overlay=x=0:y=main_h-overlay_h:shortest=1,";
  graph += drawtext(font_option, "%{pts\\:hms}", top.height / 8, "0.30", border_px) + ",";
  graph += drawtext(font_option, "frame %{frame_num}", top.height / 12, "0.55", border_px) + ",";

  // One copy per rendition plus one for the poster.
  graph += "split=" + std::to_string(count + 1) + "[v0]";
  for (std::size_t i = 1; i < count; ++i) graph += "[s" + std::to_string(i) + "]";
  graph += "[p];";
  for (std::size_t i = 1; i < count; ++i) {
    const auto& rendition = spec.renditions[i];
    graph += "[s" + std::to_string(i) + "]scale=" + std::to_string(rendition.width) + ":" +
             std::to_string(rendition.height) + "[v" + std::to_string(i) + "];";
  }
  // The poster: the frame 10% in, past the first seconds that look alike in every video.
  const std::int64_t poster_frame = demo_frame_count(spec) / 10;
  graph += "[p]trim=start_frame=" + std::to_string(poster_frame) +
           ":end_frame=" + std::to_string(poster_frame + 1) +
           ",setpts=PTS-STARTPTS,scale=" + std::to_string(spec.poster_width) + ":-2[poster];";

  graph += "sine=frequency=" + std::to_string(spec.tone_hz) +
           ":sample_rate=" + std::to_string(kAudioSampleRate) + ":duration=" + duration +
           ",aformat=channel_layouts=stereo,asplit=" + std::to_string(count);
  for (std::size_t i = 0; i < count; ++i) graph += "[a" + std::to_string(i) + "]";
  return graph;
}

std::vector<std::string> demo_ffmpeg_args(const DemoVideoSpec& spec, const std::string& ffmpeg,
                                          const std::filesystem::path& font_file) {
  const std::string gop = std::to_string(kSegmentSeconds * spec.fps);
  std::vector<std::string> args = {ffmpeg,
                                   "-hide_banner",
                                   "-nostdin",
                                   "-nostats",
                                   "-loglevel",
                                   "error",
                                   "-y",
                                   "-progress",
                                   "pipe:1",
                                   "-filter_complex",
                                   demo_filter_graph(spec, font_file)};

  std::string stream_map;
  for (std::size_t i = 0; i < spec.renditions.size(); ++i) {
    const auto index = std::to_string(i);
    args.insert(args.end(), {"-map", "[v" + index + "]", "-map", "[a" + index + "]"});
    if (!stream_map.empty()) stream_map += ' ';
    stream_map += "v:" + index + ",a:" + index + ",name:" + spec.renditions[i].name;
  }

  // H.264 with a closed GOP of exactly kSegmentSeconds: a keyframe at every segment start
  // in every rung (same frames everywhere), none elsewhere (-sc_threshold 0).
  args.insert(args.end(),
              {"-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-flags", "+cgop",
               "-g", gop, "-keyint_min", gop, "-sc_threshold", "0", "-force_key_frames",
               "expr:gte(t,n_forced*" + std::to_string(kSegmentSeconds) + ")"});
  for (std::size_t i = 0; i < spec.renditions.size(); ++i) {
    const auto index = std::to_string(i);
    const int kbps = spec.renditions[i].video_kbps;
    args.insert(args.end(), {"-b:v:" + index, std::to_string(kbps) + "k", "-maxrate:v:" + index,
                             std::to_string(kbps * 107 / 100) + "k", "-bufsize:v:" + index,
                             std::to_string(kbps * 2) + "k"});
  }
  args.insert(args.end(), {"-c:a", "aac", "-ar", std::to_string(kAudioSampleRate), "-ac", "2",
                           "-b:a", std::to_string(spec.audio_kbps) + "k"});

  // MPEG-TS segments: libavformat's HLS demuxer before FFmpeg 7.1 (the viewer's) cannot
  // seek in fMP4 (docs/ingest.md). The first video frame keeps pts 0, so timecode
  // 00:00:00.000 is media time 0 and segment k starts at exactly 2k s. Otherwise the TS
  // muxer inside the HLS muxer would shift every timestamp by the B-frame delay (its own
  // avoid_negative_ts, hence disabled at both levels) and by its mux delay, 1.4 s
  // (mpegts_copyts=1). Same options as the ingest's (ingest_command.hpp, kMpegTsSegmentOptions).
  args.insert(args.end(), {"-avoid_negative_ts", "disabled"});
  args.insert(
      args.end(),
      {"-f", "hls", "-hls_time", std::to_string(kSegmentSeconds), "-hls_playlist_type", "vod",
       "-hls_segment_type", "mpegts", "-hls_flags", "independent_segments", "-hls_segment_options",
       "avoid_negative_ts=disabled:mpegts_copyts=1", "-hls_segment_filename", "%v/seg_%05d.ts",
       "-master_pl_name", "master.m3u8", "-var_stream_map", stream_map, "%v/index.m3u8"});

  // The poster, from the same run: -update 1 writes one image, not a numbered sequence.
  args.insert(args.end(),
              {"-map", "[poster]", "-frames:v", "1", "-q:v", "3", "-update", "1", "poster.jpg"});
  return args;
}

}  // namespace streamsync::server
