#include "ingest/ingest_command.hpp"

#include <cstdint>
#include <cstdio>

namespace streamsync::server {
namespace {

// The poster is chosen among frames from 10% in, over this window, at this rate.
constexpr double kPosterStartFraction = 0.10;
constexpr int kPosterWindowSeconds = 2;
constexpr int kPosterCandidatesPerSecond = 5;

// "4.000000": exact decimal seconds.
std::string seconds_text(std::int64_t us) {
  std::string fraction = std::to_string(us % 1'000'000);
  fraction.insert(0, 6 - fraction.size(), '0');
  return std::to_string(us / 1'000'000) + "." + fraction;
}

std::string rate_text(const FrameRate& rate) {
  return std::to_string(rate.num) + "/" + std::to_string(rate.den);
}

std::string label(const char* prefix, std::size_t index) {
  return "[" + std::string(prefix) + std::to_string(index) + "]";
}

// The first demuxer name of a list: "mov,mp4,m4a,..." -> "mov" (what -f accepts).
std::string demuxer_name(const std::string& container) {
  return container.substr(0, container.find(','));
}

std::string video_graph(const ProbeResult& probe, const LadderPlan& plan,
                        const VideoEncoder& encoder) {
  const std::size_t count = plan.rungs.size();
  std::string graph = "[0:" + std::to_string(probe.video_stream_index) +
                      "]fps=" + rate_text(plan.frame_rate) +
                      ",format=yuv420p,split=" + std::to_string(count + 2);
  for (std::size_t i = 0; i < count; ++i) graph += label("s", i);
  graph += "[p][t];";
  for (std::size_t i = 0; i < count; ++i) {
    const LadderRung& rung = plan.rungs[i];
    graph += label("s", i) + "scale=" + std::to_string(rung.width) + ":" +
             std::to_string(rung.height) + ",setsar=1";
    if (!encoder.upload_filter.empty()) graph += "," + encoder.upload_filter;
    graph += label("v", i) + ";";
  }

  // Poster: the thumbnail filter keeps the frame closest to the average histogram of its
  // batch (not black, not a fade), from a few candidates at poster size (it buffers them).
  const auto start_us =
      static_cast<std::int64_t>(static_cast<double>(plan.duration_us) * kPosterStartFraction);
  const int candidates = kPosterWindowSeconds * kPosterCandidatesPerSecond;
  graph += "[p]trim=start=" + seconds_text(start_us) +
           ":duration=" + std::to_string(kPosterWindowSeconds) +
           ",setpts=PTS-STARTPTS,fps=" + std::to_string(kPosterCandidatesPerSecond) +
           ",scale=" + std::to_string(plan.poster_width) + ":" +
           std::to_string(plan.poster_height) +
           ",setsar=1,thumbnail=n=" + std::to_string(candidates) + ",trim=end_frame=1[poster];";

  // Sprite: the first frame of every interval, scaled, tiled row by row.
  const SpritePlan& sprite = plan.sprite;
  const std::string interval = std::to_string(sprite.interval_s);
  graph += "[t]select='eq(n\\,0)+gt(floor(t/" + interval + ")\\,floor(prev_t/" + interval +
           "))',scale=" + std::to_string(sprite.tile_width) + ":" +
           std::to_string(sprite.tile_height) + ",setsar=1,tile=" + std::to_string(sprite.columns) +
           "x" + std::to_string(sprite.rows) + "[sprite];";
  return graph;
}

std::string audio_graph(const ProbeResult& probe, const LadderPlan& plan) {
  const std::string duration = seconds_text(plan.duration_us);
  const std::string rate = std::to_string(plan.audio_sample_rate);
  std::string graph;
  if (plan.silent_audio) {
    graph = "anullsrc=r=" + rate + ":cl=stereo,atrim=duration=" + duration;
  } else {
    // first_pts=0 and async: audio that starts late or has gaps is padded with silence so
    // it stays in sync; apad and atrim make it last exactly as long as the video.
    graph = "[0:" + std::to_string(probe.audio_stream_index) +
            "]aresample=async=1:first_pts=0,aformat=sample_fmts=fltp:sample_rates=" + rate +
            ":channel_layouts=stereo,apad=whole_dur=" + duration + ",atrim=duration=" + duration;
  }
  graph += ",asplit=" + std::to_string(plan.rungs.size());
  for (std::size_t i = 0; i < plan.rungs.size(); ++i) graph += label("a", i);
  return graph;
}

}  // namespace

std::string rung_playlist_path(const LadderRung& rung) {
  return rung.name + "/index.m3u8";
}

std::string ingest_filter_graph(const ProbeResult& probe, const LadderPlan& plan,
                                const VideoEncoder& encoder) {
  return video_graph(probe, plan, encoder) + audio_graph(probe, plan);
}

std::vector<std::string> ingest_ffmpeg_args(const std::filesystem::path& source,
                                            const ProbeResult& probe, const LadderPlan& plan,
                                            const VideoEncoder& encoder,
                                            const std::string& ffmpeg) {
  std::vector<std::string> args = {ffmpeg,  "-hide_banner", "-nostdin",  "-nostats", "-loglevel",
                                   "error", "-y",           "-progress", "pipe:1"};
  args.insert(args.end(), encoder.global_args.begin(), encoder.global_args.end());
  args.insert(args.end(), {"-protocol_whitelist", "file", "-f", demuxer_name(probe.container), "-i",
                           "file:" + std::filesystem::absolute(source).string(), "-filter_complex",
                           ingest_filter_graph(probe, plan, encoder)});

  std::string stream_map;
  for (std::size_t i = 0; i < plan.rungs.size(); ++i) {
    const auto index = std::to_string(i);
    args.insert(args.end(), {"-map", label("v", i), "-map", label("a", i)});
    if (!stream_map.empty()) stream_map += ' ';
    stream_map += "v:" + index + ",a:" + index + ",name:" + plan.rungs[i].name;
  }

  // H.264, closed GOPs of exactly one segment: an IDR at every segment start in every rung
  // (forced at the first frame at or after each multiple of the segment length), none
  // elsewhere (-sc_threshold 0, -keyint_min).
  const std::string gop = std::to_string(plan.gop_frames);
  args.insert(args.end(), {"-c:v", encoder.name});
  args.insert(args.end(), encoder.codec_args.begin(), encoder.codec_args.end());
  args.insert(args.end(), {"-flags", "+cgop", "-g", gop, "-keyint_min", gop, "-sc_threshold", "0",
                           "-force_key_frames",
                           "expr:gte(t,n_forced*" + std::to_string(plan.segment_seconds) + ")"});
  for (std::size_t i = 0; i < plan.rungs.size(); ++i) {
    const auto index = std::to_string(i);
    const LadderRung& rung = plan.rungs[i];
    args.insert(args.end(), {"-b:v:" + index, std::to_string(rung.video_kbps) + "k",
                             "-maxrate:v:" + index, std::to_string(rung.maxrate_kbps) + "k",
                             "-bufsize:v:" + index, std::to_string(rung.bufsize_kbps) + "k"});
  }
  args.insert(args.end(),
              {"-c:a", "aac", "-ar", std::to_string(plan.audio_sample_rate), "-ac",
               std::to_string(plan.audio_channels), "-b:a", std::to_string(plan.audio_kbps) + "k"});

  // disabled: the first video frame keeps pts 0; the AAC encoder's priming becomes an
  // edit list (fMP4) instead of shifting every stream.
  args.insert(args.end(), {"-avoid_negative_ts", "disabled"});
  const bool fmp4 = plan.segment_format == SegmentFormat::fmp4;
  args.insert(args.end(), {"-f", "hls", "-hls_time", std::to_string(plan.segment_seconds),
                           "-hls_playlist_type", "vod", "-hls_segment_type",
                           fmp4 ? "fmp4" : "mpegts", "-hls_flags", "independent_segments"});
  if (fmp4) {
    args.insert(args.end(), {"-hls_fmp4_init_filename", "init.mp4"});
  } else {
    args.insert(args.end(), {"-hls_segment_options", kMpegTsSegmentOptions});
  }
  args.insert(args.end(), {"-hls_segment_filename", fmp4 ? "%v/seg_%05d.m4s" : "%v/seg_%05d.ts",
                           "-master_pl_name", kFfmpegMasterPlaylistFile, "-var_stream_map",
                           stream_map, "%v/index.m3u8"});

  // Poster and sprite from the same decode: -update 1 writes one image, not a sequence.
  args.insert(args.end(),
              {"-map", "[poster]", "-frames:v", "1", "-q:v", "3", "-update", "1", kPosterFile});
  args.insert(args.end(),
              {"-map", "[sprite]", "-frames:v", "1", "-q:v", "4", "-update", "1", kSpriteFile});
  return args;
}

}  // namespace streamsync::server
