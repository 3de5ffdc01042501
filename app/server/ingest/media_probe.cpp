#include "ingest/media_probe.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <optional>
#include <string_view>
#include <system_error>
#include <vector>

#include "ingest/libav_log.hpp"
#include "ingest/mp4_boxes.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avstring.h>
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
}

namespace streamsync::server {
namespace {

namespace fs = std::filesystem;

// What FFmpeg itself reads to guess a format (its PROBE_BUF_MAX).
constexpr std::size_t kProbeBytes = 1 << 20;
// Formats that never carry video: refused as "no video stream", not "not a media file".
constexpr const char* kAudioOnlyFormats =
    "mp3,wav,flac,aac,ac3,eac3,aiff,ape,wv,amr,au,caf,w64,dts,truehd,tta,mpc,mpc8,dsf,voc";
// Packets of the video stream read, at most, before giving up on decoding a frame (a
// decoder with frame delay needs a few; a broken stream never yields one).
constexpr int kMaxPacketsToFirstFrame = 256;
// avg and r_frame_rate further apart than this (relative) mean variable frame rate.
constexpr double kVfrTolerance = 0.01;

struct FormatCloser {
  void operator()(AVFormatContext* context) const { avformat_close_input(&context); }
};
struct CodecFreer {
  void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
};
struct PacketFreer {
  void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct FrameFreer {
  void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
using FormatPtr = std::unique_ptr<AVFormatContext, FormatCloser>;
using CodecPtr = std::unique_ptr<AVCodecContext, CodecFreer>;
using PacketPtr = std::unique_ptr<AVPacket, PacketFreer>;
using FramePtr = std::unique_ptr<AVFrame, FrameFreer>;

Unexpected<IngestError> fail(IngestErrorCode code, std::string message) {
  return Unexpected(IngestError{code, std::move(message)});
}

std::string error_text(int error) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(error, text, sizeof text);
  return text;
}

// The demuxer's own words when it logged any, else FFmpeg's text for the error code.
std::string reason(const LibavErrorCapture& capture, int error) {
  const std::string logged = capture.last_error();
  return logged.empty() ? error_text(error) : logged;
}

bool in_list(const char* names, const char* list) {
  return av_match_list(names, list, ',') > 0;
}

bool is_mp4_family(const AVInputFormat& format) {
  return in_list(format.name, "mov");
}

bool is_still_image_format(std::string_view name) {
  return name == "image2" || (name.size() > 5 && name.substr(name.size() - 5) == "_pipe");
}

// The format libavformat would pick, guessed from the file's first bytes and its name
// (as avformat_open_input does, but without opening anything yet). Sets score.
Expected<const AVInputFormat*, IngestError> guess_format(const fs::path& path,
                                                         std::uintmax_t file_size, int& score) {
  const std::size_t size =
      static_cast<std::size_t>(std::min<std::uintmax_t>(file_size, kProbeBytes));
  std::vector<unsigned char> buffer(size + AVPROBE_PADDING_SIZE, 0);
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(buffer.data()), static_cast<std::streamsize>(size));
  if (!in) return fail(IngestErrorCode::unreadable, "cannot read " + path.filename().string());

  const std::string name = path.filename().string();
  AVProbeData probe{};
  probe.filename = name.c_str();
  probe.buf = buffer.data();
  probe.buf_size = static_cast<int>(size);
  score = 0;
  const AVInputFormat* format = av_probe_input_format3(&probe, 1, &score);
  // A score this low is a guess from the file name alone (or one weak pattern).
  if (!format || score <= AVPROBE_SCORE_RETRY) {
    return fail(IngestErrorCode::not_a_media_file,
                "not a media file: the content is not a recognised video format");
  }
  return format;
}

Expected<const AVInputFormat*, IngestError> accepted_format(const AVInputFormat* format) {
  const std::string name = format->name;
  if (in_list(format->name, kAcceptedContainers)) return format;
  if (in_list(format->name, kAudioOnlyFormats)) {
    return fail(IngestErrorCode::no_video_stream,
                "no video stream: the file is audio only (" + name + ")");
  }
  if (is_still_image_format(name)) {
    return fail(IngestErrorCode::no_video_stream,
                "no video stream: the file is a still image (" + name + ")");
  }
  return fail(IngestErrorCode::not_a_media_file,
              "not a media file: the " + name + " format is not accepted for upload");
}

// Opening failed: says why, as precisely as the file allows.
IngestError open_failure(const fs::path& path, const AVInputFormat& format,
                         const LibavErrorCapture& capture, int error) {
  if (error == AVERROR(ENOENT) || error == AVERROR(EACCES) || error == AVERROR(EISDIR) ||
      error == AVERROR(EIO)) {
    return {IngestErrorCode::unreadable,
            "cannot read " + path.filename().string() + ": " + error_text(error)};
  }
  if (is_mp4_family(format)) {
    const Mp4Structure boxes = scan_mp4_boxes(path);
    if (boxes.readable && !boxes.moov_seen) {
      return {IngestErrorCode::truncated, "truncated: moov atom missing"};
    }
    if (!boxes.cut.empty()) return {IngestErrorCode::truncated, "truncated: " + boxes.cut};
  }
  return {IngestErrorCode::truncated, "truncated: " + reason(capture, error)};
}

// The main video stream: not cover art; the default one first, then the largest.
const AVStream* pick_video_stream(const AVFormatContext& context) {
  const AVStream* best = nullptr;
  auto rank = [](const AVStream& stream) {
    const bool is_default = (stream.disposition & AV_DISPOSITION_DEFAULT) != 0;
    return std::pair<bool, std::int64_t>(
        is_default, static_cast<std::int64_t>(stream.codecpar->width) * stream.codecpar->height);
  };
  for (unsigned i = 0; i < context.nb_streams; ++i) {
    const AVStream* stream = context.streams[i];
    if (stream->codecpar->codec_type != AVMEDIA_TYPE_VIDEO) continue;
    if ((stream->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0) continue;
    if (!best || rank(*stream) > rank(*best)) best = stream;
  }
  return best;
}

bool has_audio_stream(const AVFormatContext& context) {
  for (unsigned i = 0; i < context.nb_streams; ++i) {
    if (context.streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) return true;
  }
  return false;
}

std::int64_t duration_us(const AVFormatContext& context, const AVStream& stream) {
  if (stream.duration != AV_NOPTS_VALUE && stream.duration > 0) {
    return av_rescale_q(stream.duration, stream.time_base, AVRational{1, 1'000'000});
  }
  if (context.duration != AV_NOPTS_VALUE && context.duration > 0) {
    return av_rescale(context.duration, 1'000'000, AV_TIME_BASE);
  }
  return 0;
}

const std::int32_t* display_matrix(const AVStream& stream) {
#if LIBAVFORMAT_VERSION_INT >= AV_VERSION_INT(60, 15, 100)
  const AVPacketSideData* side_data =
      av_packet_side_data_get(stream.codecpar->coded_side_data, stream.codecpar->nb_coded_side_data,
                              AV_PKT_DATA_DISPLAYMATRIX);
  if (!side_data || side_data->size < 9 * sizeof(std::int32_t)) return nullptr;
  return reinterpret_cast<const std::int32_t*>(side_data->data);
#else
  std::size_t size = 0;
  const std::uint8_t* data = av_stream_get_side_data(&stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
  if (!data || size < 9 * sizeof(std::int32_t)) return nullptr;
  return reinterpret_cast<const std::int32_t*>(data);
#endif
}

// Clockwise degrees, 0/90/180/270, the way ffmpeg's autorotate reads the matrix.
int rotation_degrees(const AVStream& stream) {
  const std::int32_t* matrix = display_matrix(stream);
  if (!matrix) return 0;
  const double counterclockwise = av_display_rotation_get(matrix);
  if (std::isnan(counterclockwise)) return 0;
  const long quarter_turns = std::lround(-counterclockwise / 90.0);
  return static_cast<int>(((quarter_turns % 4) + 4) % 4) * 90;
}

FrameRate frame_rate(AVRational rate) {
  if (rate.num <= 0 || rate.den <= 0) return {};
  return {rate.num, rate.den};
}

// Decodes frames until one comes out: proof that the stream plays. Sets the pixel format
// when the container did not say. nullopt: success.
std::optional<IngestError> decode_first_frame(AVFormatContext& context, const AVStream& stream,
                                              const AVCodec& decoder,
                                              const LibavErrorCapture& capture,
                                              ProbeResult& result) {
  CodecPtr codec(avcodec_alloc_context3(&decoder));
  PacketPtr packet(av_packet_alloc());
  FramePtr frame(av_frame_alloc());
  if (!codec || !packet || !frame) return IngestError{IngestErrorCode::unreadable, "out of memory"};
  if (avcodec_parameters_to_context(codec.get(), stream.codecpar) < 0) {
    return IngestError{IngestErrorCode::unsupported_codec,
                       "unsupported codec " + result.video_codec};
  }
  codec->thread_count = 1;  // no frame-threading delay for a single frame
  if (const int error = avcodec_open2(codec.get(), &decoder, nullptr); error < 0) {
    return IngestError{
        IngestErrorCode::unsupported_codec,
        "unsupported codec " + result.video_codec + " (" + reason(capture, error) + ")"};
  }

  int packets = 0;
  int last_error = 0;
  bool draining = false;
  while (true) {
    const int received = avcodec_receive_frame(codec.get(), frame.get());
    if (received == 0) break;
    if (received == AVERROR_EOF || (draining && received == AVERROR(EAGAIN))) {
      if (packets == 0) {
        return IngestError{IngestErrorCode::zero_duration,
                           "zero duration: the video stream has no frames"};
      }
      return IngestError{IngestErrorCode::truncated,
                         "truncated: no frame of the video stream decodes (" +
                             reason(capture, last_error ? last_error : received) + ")"};
    }
    if (received != AVERROR(EAGAIN)) last_error = received;
    if (draining) continue;

    // Feed the next packet of our stream, or the end of the stream.
    int read = 0;
    while ((read = av_read_frame(&context, packet.get())) >= 0 &&
           packet->stream_index != stream.index) {
      av_packet_unref(packet.get());
    }
    if (read < 0 || ++packets > kMaxPacketsToFirstFrame) {
      av_packet_unref(packet.get());
      avcodec_send_packet(codec.get(), nullptr);
      draining = true;
      continue;
    }
    const int sent = avcodec_send_packet(codec.get(), packet.get());
    av_packet_unref(packet.get());
    if (sent < 0 && sent != AVERROR(EAGAIN)) last_error = sent;
  }

  const auto format = static_cast<AVPixelFormat>(frame->format);
  if (result.pixel_format.empty()) {
    const char* name = av_get_pix_fmt_name(format);
    result.pixel_format = name ? name : "unknown";
    if (const AVPixFmtDescriptor* descriptor = av_pix_fmt_desc_get(format)) {
      result.bit_depth = descriptor->comp[0].depth;
    }
  }
  return std::nullopt;
}

void read_audio(AVFormatContext& context, int video_index, ProbeResult& result) {
  const AVCodec* decoder = nullptr;
  const int index = av_find_best_stream(&context, AVMEDIA_TYPE_AUDIO, -1, video_index, &decoder, 0);
  if (index < 0 || !decoder) return;  // none, or one we could not decode: silence instead
  const AVCodecParameters& audio = *context.streams[index]->codecpar;
  if (audio.sample_rate <= 0 || audio.ch_layout.nb_channels <= 0) return;
  result.has_audio = true;
  result.audio_stream_index = index;
  result.audio_codec = avcodec_get_name(audio.codec_id);
  result.audio_sample_rate = audio.sample_rate;
  result.audio_channels = audio.ch_layout.nb_channels;
}

}  // namespace

Expected<ProbeResult, IngestError> probe_media(const fs::path& path, const ProbeLimits& limits) {
  const LibavErrorCapture capture;
  const std::string name = path.filename().string();

  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error || !fs::is_regular_file(status)) {
    return fail(IngestErrorCode::unreadable,
                "cannot read " + name + ": " + (error ? error.message() : "not a regular file"));
  }
  const std::uintmax_t file_size = fs::file_size(path, error);
  if (error)
    return fail(IngestErrorCode::unreadable, "cannot read " + name + ": " + error.message());
  if (file_size == 0)
    return fail(IngestErrorCode::not_a_media_file, "not a media file: the file is empty");

  int score = 0;
  auto guessed = guess_format(path, file_size, score);
  if (!guessed) return Unexpected(guessed.error());
  auto format = accepted_format(*guessed);
  if (!format) return Unexpected(format.error());

  // Open exactly the guessed format, from the local file only: no other protocol or file
  // may be reached through the content.
  AVDictionary* options = nullptr;
  av_dict_set(&options, "protocol_whitelist", "file", 0);
  av_dict_set(&options, "format_whitelist", kAcceptedContainers, 0);
  AVFormatContext* raw = nullptr;
  const std::string url = "file:" + path.string();
  const int opened = avformat_open_input(&raw, url.c_str(), *format, &options);
  av_dict_free(&options);
  if (opened < 0) return Unexpected(open_failure(path, **format, capture, opened));
  FormatPtr context(raw);

  if (const int found = avformat_find_stream_info(context.get(), nullptr); found < 0) {
    return fail(IngestErrorCode::truncated, "truncated: " + reason(capture, found));
  }
  if (is_mp4_family(**format)) {
    const Mp4Structure boxes = scan_mp4_boxes(path);
    if (!boxes.cut.empty()) return fail(IngestErrorCode::truncated, "truncated: " + boxes.cut);
  }

  const AVStream* video = pick_video_stream(*context);
  if (!video) {
    return fail(IngestErrorCode::no_video_stream, has_audio_stream(*context)
                                                      ? "no video stream: the file is audio only"
                                                      : "no video stream: the file has none");
  }
  const AVCodecParameters& codecpar = *video->codecpar;

  ProbeResult result;
  result.container = context->iformat->name;
  result.video_stream_index = video->index;
  result.video_codec = avcodec_get_name(codecpar.codec_id);
  const AVCodec* decoder = avcodec_find_decoder(codecpar.codec_id);
  if (!decoder) {
    return fail(IngestErrorCode::unsupported_codec, "unsupported codec " + result.video_codec);
  }

  result.duration_us = duration_us(*context, *video);
  if (result.duration_us <= 0 && video->nb_frames == 0) {
    return fail(IngestErrorCode::zero_duration, "zero duration: the video has no length");
  }
  if (codecpar.width <= 0 || codecpar.height <= 0) {
    if (video->nb_frames == 0 || result.duration_us <= 0) {
      return fail(IngestErrorCode::zero_duration, "zero duration: the video stream has no frames");
    }
    return fail(IngestErrorCode::truncated,
                "truncated: the video stream's picture size is unknown");
  }

  result.coded_width = codecpar.width;
  result.coded_height = codecpar.height;
  const AVRational sar =
      av_guess_sample_aspect_ratio(context.get(), const_cast<AVStream*>(video), nullptr);
  int display_width = codecpar.width;
  if (sar.num > 0 && sar.den > 0 && sar.num != sar.den) {
    display_width = static_cast<int>(av_rescale(codecpar.width, sar.num, sar.den));
  }
  result.rotation_deg = rotation_degrees(*video);
  const bool sideways = result.rotation_deg == 90 || result.rotation_deg == 270;
  result.width = sideways ? codecpar.height : display_width;
  result.height = sideways ? display_width : codecpar.height;

  const int long_side = std::max(result.width, result.height);
  const int short_side = std::min(result.width, result.height);
  if (long_side > limits.max_long_side_px || short_side > limits.max_short_side_px) {
    return fail(IngestErrorCode::resolution_above_limit,
                "resolution above limit: " + std::to_string(result.width) + "x" +
                    std::to_string(result.height) + " is larger than " +
                    std::to_string(limits.max_long_side_px) + "x" +
                    std::to_string(limits.max_short_side_px));
  }
  if (result.duration_us <= 0) {
    return fail(IngestErrorCode::zero_duration, "zero duration: the video has no length");
  }

  result.avg_frame_rate = frame_rate(video->avg_frame_rate);
  result.r_frame_rate = frame_rate(video->r_frame_rate);
  if (result.avg_frame_rate.valid() && result.r_frame_rate.valid()) {
    const double avg = result.avg_frame_rate.value();
    const double base = result.r_frame_rate.value();
    result.variable_frame_rate = std::abs(avg - base) > kVfrTolerance * base;
  }
  const auto pixel_format = static_cast<AVPixelFormat>(codecpar.format);
  if (const AVPixFmtDescriptor* descriptor = av_pix_fmt_desc_get(pixel_format)) {
    result.pixel_format = descriptor->name;
    result.bit_depth = descriptor->comp[0].depth;
  }

  if (auto failure = decode_first_frame(*context, *video, *decoder, capture, result)) {
    return Unexpected(std::move(*failure));
  }
  read_audio(*context, video->index, result);
  return result;
}

}  // namespace streamsync::server
