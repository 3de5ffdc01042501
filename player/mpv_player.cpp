#include "mpv_player.hpp"

#include <mpv/client.h>

#include <QMetaObject>
#include <algorithm>
#include <clocale>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace streamsync::player {
namespace {

// reply_userdata of the observed properties.
enum class Observed : std::uint64_t {
  pause = 1,
  paused_for_cache,
  demuxer_cache_duration,
  cache_speed,
  video_bitrate,
  frame_drop_count,
  decoder_frame_drop_count,
  hwdec_current,
  idle_active,
  container_fps,
  demuxer_cache_state,
};

// The frame/audio distance is averaged over ~100 readings (1.7 s at one per display
// frame): the frame-step noise (uniform over one frame) averages to ~1 ms at 30 fps.
constexpr double kFrameAudioAveraging = 0.01;
// How long audio-pts is not trusted after playback (re)starts.
constexpr qint64 kAudioSettleMs = 300;
// A larger change than this is a new stream or a seek, not noise: start the average over.
constexpr double kMaxFrameAudioJumpS = 0.25;

// mpv takes times as decimal seconds; µs precision keeps a seek on the intended frame.
std::string seconds_text(std::int64_t time_us) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6f", static_cast<double>(time_us) / 1e6);
  return text;
}

// The flag `key` of a node map; false when it is missing or not a flag.
bool node_flag(const mpv_node& map, std::string_view key) {
  if (map.format != MPV_FORMAT_NODE_MAP) return false;
  for (int i = 0; i < map.u.list->num; ++i) {
    const mpv_node& value = map.u.list->values[i];
    if (key == map.u.list->keys[i] && value.format == MPV_FORMAT_FLAG) return value.u.flag != 0;
  }
  return false;
}

void set_option(mpv_handle* mpv, const char* name, const char* value) {
  if (mpv_set_option_string(mpv, name, value) < 0) {
    throw std::runtime_error(std::string("libmpv refused option ") + name + "=" + value);
  }
}

}  // namespace

MpvPlayer::MpvPlayer(const MpvPlayerOptions& options, QObject* parent)
    : PlayerBackend(parent), hardware_decoding_(options.hardware_decoding) {
  // libmpv parses numbers with the C library; Qt set LC_NUMERIC from the environment, and a
  // decimal comma would turn "12.5" into 12.
  std::setlocale(LC_NUMERIC, "C");
  mpv_ = mpv_create();
  if (mpv_ == nullptr) throw std::runtime_error("libmpv: mpv_create failed");

  set_option(mpv_, "vo", options.render_video ? "libmpv" : "null");
  set_option(mpv_, "ao", options.audio ? "" : "null");
  if (!options.audio_device.isEmpty()) {
    set_option(mpv_, "audio-device", options.audio_device.toUtf8().constData());
  }
  set_option(mpv_, "hwdec", options.hardware_decoding ? "auto-safe" : "no");
  set_option(mpv_, "hr-seek", "yes");                 // seeks land on the exact frame
  set_option(mpv_, "hr-seek-framedrop", "no");        // ... showing it, not skipping it
  set_option(mpv_, "audio-pitch-correction", "yes");  // rate changes keep the pitch
  // A rate change reaches the screen only after the audio already buffered has played
  // (video is paced by the audio clock): measured 0.25-0.3 s with the default buffer,
  // 0.05-0.1 s with this one, within the sync loop's settle time.
  set_option(mpv_, "audio-buffer", "0.1");
  // No usable audio device (a machine without sound, a virtual display): play as with
  // ao=null rather than trying every audio output again at each file and at each unpause,
  // which holds playback ~0.4 s (measured under Xvfb: items started 0.3-0.4 s late).
  set_option(mpv_, "audio-fallback-to-null", "yes");
  set_option(mpv_, "prefetch-playlist", "yes");  // open the next item before it is due
  set_option(mpv_, "keep-open", "yes");          // hold the last frame, never quit
  set_option(mpv_, "idle", "yes");
  set_option(mpv_, "pause", "yes");
  set_option(mpv_, "input-default-bindings", "no");  // no seek keys: seeking is the loop's
  set_option(mpv_, "input-vo-keyboard", "no");
  set_option(mpv_, "osc", "no");
  set_option(mpv_, "terminal", "no");
  set_option(mpv_, "ytdl", "no");
  set_option(mpv_, "cache", "yes");
  set_option(mpv_, "demuxer-readahead-secs", "20");
  set_option(mpv_, "network-timeout", "10");
  if (mpv_initialize(mpv_) < 0) {
    mpv_terminate_destroy(mpv_);
    throw std::runtime_error("libmpv: mpv_initialize failed");
  }
  mpv_request_log_messages(mpv_, "warn");
  audio_calibration_.start();

  const auto observe = [this](Observed id, const char* name, mpv_format format) {
    mpv_observe_property(mpv_, static_cast<std::uint64_t>(id), name, format);
  };
  observe(Observed::pause, "pause", MPV_FORMAT_FLAG);
  observe(Observed::paused_for_cache, "paused-for-cache", MPV_FORMAT_FLAG);
  observe(Observed::demuxer_cache_duration, "demuxer-cache-duration", MPV_FORMAT_DOUBLE);
  observe(Observed::cache_speed, "cache-speed", MPV_FORMAT_INT64);
  observe(Observed::video_bitrate, "video-bitrate", MPV_FORMAT_DOUBLE);
  observe(Observed::frame_drop_count, "frame-drop-count", MPV_FORMAT_INT64);
  observe(Observed::decoder_frame_drop_count, "decoder-frame-drop-count", MPV_FORMAT_INT64);
  observe(Observed::hwdec_current, "hwdec-current", MPV_FORMAT_STRING);
  observe(Observed::idle_active, "idle-active", MPV_FORMAT_FLAG);
  observe(Observed::container_fps, "container-fps", MPV_FORMAT_DOUBLE);
  observe(Observed::demuxer_cache_state, "demuxer-cache-state", MPV_FORMAT_NODE);

  mpv_set_wakeup_callback(
      mpv_,
      [](void* context) {
        auto* self = static_cast<MpvPlayer*>(context);
        // Called from mpv's threads: only queue the drain, at most once at a time.
        if (!self->drain_queued_.exchange(true)) {
          QMetaObject::invokeMethod(self, "drain_events", Qt::QueuedConnection);
        }
      },
      this);
}

MpvPlayer::~MpvPlayer() {
  mpv_set_wakeup_callback(mpv_, nullptr, nullptr);
  mpv_terminate_destroy(mpv_);
}

EntryId MpvPlayer::load_paused(const MediaSource& source, std::int64_t position_us) {
  set_paused(true);
  MediaSource from_position = source;
  from_position.start_us = position_us;
  seeking_ = true;
  return append(from_position, "replace");
}

EntryId MpvPlayer::queue_next(const MediaSource& source) {
  mpv_command_string(mpv_, "playlist-clear");  // keeps the current entry, drops the queue
  // pause is file-local here: set as the entry starts, restored (to playing) as it ends.
  return append(source, "append", ",pause=yes");
}

EntryId MpvPlayer::append(const MediaSource& source, const char* mode,
                          const std::string& extra_options) {
  std::string options = "start=" + seconds_text(source.start_us);
  if (source.end_us) options += ",end=" + seconds_text(*source.end_us);
  options += extra_options;
  const QByteArray url = source.url.toString(QUrl::FullyEncoded).toUtf8();
  // loadfile's positional arguments changed in mpv 0.38 (an index before the options);
  // named arguments work with every version that has the render API.
  char name_key[] = "name", url_key[] = "url", flags_key[] = "flags", options_key[] = "options";
  char loadfile[] = "loadfile";
  char* keys[] = {name_key, url_key, flags_key, options_key};
  mpv_node values[4];
  const char* strings[] = {loadfile, url.constData(), mode, options.c_str()};
  for (int i = 0; i < 4; ++i) {
    values[i].format = MPV_FORMAT_STRING;
    values[i].u.string = const_cast<char*>(strings[i]);  // mpv_node is not const-correct
  }
  mpv_node_list list{4, values, keys};
  mpv_node command;
  command.format = MPV_FORMAT_NODE_MAP;
  command.u.list = &list;
  if (mpv_command_node(mpv_, &command, nullptr) < 0) {
    emit entry_failed(0, QStringLiteral("libmpv refused to load %1").arg(source.url.toString()));
    return 0;
  }
  return last_entry_id();
}

EntryId MpvPlayer::last_entry_id() const {
  std::int64_t count = 0;
  mpv_get_property(mpv_, "playlist-count", MPV_FORMAT_INT64, &count);
  if (count <= 0) return 0;
  const std::string property = "playlist/" + std::to_string(count - 1) + "/id";
  std::int64_t id = 0;
  mpv_get_property(mpv_, property.c_str(), MPV_FORMAT_INT64, &id);
  return id;
}

void MpvPlayer::seek_paused(std::int64_t position_us) {
  set_paused(true);
  const std::string target = seconds_text(position_us);
  const char* command[] = {"seek", target.c_str(), "absolute+exact", nullptr};
  if (mpv_command(mpv_, command) >= 0) seeking_ = true;
}

void MpvPlayer::restart_audio_calibration() {
  frame_minus_audio_s_.reset();
  audio_calibration_.start();
}

void MpvPlayer::set_paused(bool paused) {
  if (paused_ && !paused) restart_audio_calibration();
  set_flag("pause", paused);
  paused_ = paused;  // status() must not wait for the property event to say so
}
void MpvPlayer::set_rate(double rate) {
  set_double("speed", rate);
}
void MpvPlayer::set_volume(int percent) {
  set_double("volume", percent);
}
void MpvPlayer::set_muted(bool muted) {
  set_flag("mute", muted);
}

void MpvPlayer::set_hardware_decoding(bool enabled) {
  hardware_decoding_ = enabled;
  mpv_set_property_string(mpv_, "hwdec", enabled ? "auto-safe" : "no");
}

void MpvPlayer::set_audio_device(const QString& device) {
  mpv_set_property_string(mpv_, "audio-device",
                          device.isEmpty() ? "auto" : device.toUtf8().constData());
}

void MpvPlayer::set_flag(const char* name, bool value) {
  int flag = value ? 1 : 0;
  mpv_set_property(mpv_, name, MPV_FORMAT_FLAG, &flag);
}

void MpvPlayer::set_double(const char* name, double value) {
  mpv_set_property(mpv_, name, MPV_FORMAT_DOUBLE, &value);
}

std::optional<PositionReading> MpvPlayer::read_position() {
  // time-pos is the timestamp of the frame on screen: it moves in whole frames, so a
  // reading is up to a frame (33 ms at 30 fps) behind, at random. audio-pts follows the
  // audio clock that paces those frames and moves smoothly (measured: 0.2 ms RMS about a
  // line, time-pos 10.6 ms), but sits a constant, setup-dependent distance away (output
  // latency). So: audio-pts plus the long-run average of that distance, which keeps
  // time-pos's mean with next to none of its noise. Without audio, time-pos as it is.
  double frame_s = 0;
  if (mpv_get_property(mpv_, "time-pos", MPV_FORMAT_DOUBLE, &frame_s) < 0) return std::nullopt;
  PositionReading reading;
  reading.frame_position_us = std::llround(frame_s * 1e6);
  reading.position_us = reading.frame_position_us;
  double audio_s = 0;
  // Right after playback (re)starts the audio output is still filling its buffer and
  // audio-pts runs unevenly (measured: ~60 ms off for ~2 s when averaged in).
  if (audio_calibration_.elapsed() < kAudioSettleMs) return reading;
  if (mpv_get_property(mpv_, "audio-pts", MPV_FORMAT_DOUBLE, &audio_s) < 0) return reading;
  const double gap_s = frame_s - audio_s;
  if (!frame_minus_audio_s_ || std::abs(gap_s - *frame_minus_audio_s_) > kMaxFrameAudioJumpS) {
    frame_minus_audio_s_ = gap_s;
    frame_audio_readings_ = 1;
  } else {
    // A plain mean until there are enough readings, then a moving one: a new stream gets
    // a good offset within a few frames instead of starting from one noisy reading.
    ++frame_audio_readings_;
    const double weight = std::max(1.0 / frame_audio_readings_, kFrameAudioAveraging);
    *frame_minus_audio_s_ += (gap_s - *frame_minus_audio_s_) * weight;
  }
  reading.position_us = std::llround((audio_s + *frame_minus_audio_s_) * 1e6);
  return reading;
}

std::int64_t MpvPlayer::typical_resume_latency_us() const {
  // Negative: mpv's playback starts ahead of the held frame. Measured on first joins
  // (bench/results/viewer.json, 12 joins): 36-63 ms ahead when resumed at the target.
  return -45'000;
}

PlayerStatus MpvPlayer::status() const {
  PlayerStatus status = observed_;
  status.entry = entry_;
  status.dropped_frames = output_drops_ + decoder_drops_;
  if (seeking_) {
    status.activity = PlayerActivity::seeking;
  } else if (paused_for_cache_) {
    status.activity = PlayerActivity::buffering;
  } else {
    status.activity = paused_ ? PlayerActivity::paused : PlayerActivity::playing;
  }
  return status;
}

void MpvPlayer::drain_events() {
  drain_queued_ = false;
  for (;;) {
    const mpv_event* event = mpv_wait_event(mpv_, 0);
    if (event->event_id == MPV_EVENT_NONE) break;
    handle_event(*event);
  }
}

void MpvPlayer::handle_event(const mpv_event& event) {
  switch (event.event_id) {
    case MPV_EVENT_PROPERTY_CHANGE:
      on_property_change(event);
      break;
    case MPV_EVENT_START_FILE: {
      const auto* start = static_cast<const mpv_event_start_file*>(event.data);
      entry_ = start->playlist_entry_id;
      emit entry_started(entry_);
      break;
    }
    case MPV_EVENT_PLAYBACK_RESTART:
      restart_audio_calibration();
      seeking_ = false;  // the first frame after the load or seek is on screen
      break;
    case MPV_EVENT_END_FILE: {
      const auto* end = static_cast<const mpv_event_end_file*>(event.data);
      if (end->reason == MPV_END_FILE_REASON_ERROR) {
        seeking_ = false;
        emit entry_failed(end->playlist_entry_id,
                          QStringLiteral("cannot play the stream: %1")
                              .arg(QString::fromUtf8(mpv_error_string(end->error))));
      }
      break;
    }
    case MPV_EVENT_LOG_MESSAGE: {
      const auto* message = static_cast<const mpv_event_log_message*>(event.data);
      qWarning("mpv/%s: %s", message->prefix, QByteArray(message->text).trimmed().constData());
      break;
    }
    default:
      break;
  }
}

void MpvPlayer::on_property_change(const mpv_event& event) {
  const auto* property = static_cast<const mpv_event_property*>(event.data);
  const bool has_value = property->format != MPV_FORMAT_NONE && property->data != nullptr;
  const auto flag = [&] { return has_value && *static_cast<const int*>(property->data) != 0; };
  const auto number = [&] { return has_value ? *static_cast<const double*>(property->data) : 0.0; };
  const auto integer = [&] {
    return has_value ? *static_cast<const std::int64_t*>(property->data) : std::int64_t{0};
  };
  switch (static_cast<Observed>(event.reply_userdata)) {
    case Observed::pause:
      paused_ = flag();
      break;
    case Observed::paused_for_cache: {
      const bool stalled = flag();
      if (stalled != paused_for_cache_) {
        paused_for_cache_ = stalled;
        emit stall_changed(stalled);
      }
      break;
    }
    case Observed::demuxer_cache_duration:
      observed_.buffer_s = number();
      break;
    case Observed::cache_speed:
      observed_.input_rate_bps = static_cast<double>(integer()) * 8.0;
      break;
    case Observed::video_bitrate:
      observed_.bitrate_bps = std::llround(number());
      break;
    case Observed::frame_drop_count:
      output_drops_ = integer();
      break;
    case Observed::decoder_frame_drop_count:
      decoder_drops_ = integer();
      break;
    case Observed::hwdec_current: {
      const char* name = has_value ? *static_cast<char* const*>(property->data) : nullptr;
      const bool software =
          name == nullptr || std::string_view(name).empty() || std::string_view(name) == "no";
      observed_.decoder = software ? QStringLiteral("sw") : QStringLiteral("hw (%1)").arg(name);
      // A decoder that fell back to software will again at the next item: mpv probes every
      // hardware API at each file (vaapi, vdpau, cuda...), which delays its first frame
      // (measured under Xvfb: 0.1-0.2 s), so stop asking until the setting is toggled.
      if (name != nullptr && std::string_view(name) == "no" && hardware_decoding_) {
        hardware_decoding_ = false;
        mpv_set_property_string(mpv_, "hwdec", "no");
      }
      break;
    }
    case Observed::idle_active:
      observed_.idle = flag();
      break;
    case Observed::demuxer_cache_state:
      observed_.cached_to_end =
          has_value && node_flag(*static_cast<const mpv_node*>(property->data), "eof-cached");
      break;
    case Observed::container_fps:
      observed_.frame_duration_us = number() > 0 ? std::llround(1e6 / number()) : 0;
      break;
  }
}

}  // namespace streamsync::player
