#pragma once

// MpvPlayer: PlayerBackend on libmpv. One mpv core per player; video goes either to an
// MpvVideoWidget through the render API (vo=libmpv) or nowhere (vo=null, headless).
//
// Threading follows mpv's client API rules: every mpv call is made on the thread that
// owns this object. mpv's wakeup callback only queues drain_events() on that thread; it
// never calls mpv itself (the API forbids it from within the callback).

#include <QElapsedTimer>
#include <QString>
#include <atomic>
#include <cstdint>

#include "player_backend.hpp"

struct mpv_handle;
struct mpv_event;

namespace streamsync::player {

struct MpvPlayerOptions {
  bool render_video = true;       // vo=libmpv for an MpvVideoWidget; false: vo=null
  bool audio = true;              // false: ao=null
  bool hardware_decoding = true;  // hwdec=auto-safe, else software decoding
  QString audio_device;           // mpv audio-device name; empty: the system default
};

class MpvPlayer final : public PlayerBackend {
  Q_OBJECT

 public:
  // Throws std::runtime_error when libmpv cannot be created or initialised.
  explicit MpvPlayer(const MpvPlayerOptions& options, QObject* parent = nullptr);
  // Destroys the mpv core. A render context made from it (MpvVideoWidget) must be freed
  // first: destroy the widget before the player.
  ~MpvPlayer() override;

  EntryId load_paused(const MediaSource& source, std::int64_t position_us) override;
  EntryId queue_next(const MediaSource& source) override;
  void seek_paused(std::int64_t position_us) override;
  void set_paused(bool paused) override;
  void set_rate(double rate) override;
  void set_volume(int percent) override;
  void set_muted(bool muted) override;
  std::optional<PositionReading> read_position() override;
  std::int64_t typical_resume_latency_us() const override;
  PlayerStatus status() const override;

  void set_hardware_decoding(bool enabled);
  void set_audio_device(const QString& device);

  // For MpvVideoWidget, which creates its render context from the core.
  mpv_handle* handle() const { return mpv_; }

 private:
  Q_INVOKABLE void drain_events();
  void handle_event(const mpv_event& event);
  void on_property_change(const mpv_event& event);
  // loadfile with start/end and any further options (",name=value...").
  EntryId append(const MediaSource& source, const char* mode,
                 const std::string& extra_options = {});
  EntryId last_entry_id() const;
  void set_flag(const char* name, bool value);
  void set_double(const char* name, double value);
  void restart_audio_calibration();

  mpv_handle* mpv_ = nullptr;
  std::atomic<bool> drain_queued_{false};

  // Cached from mpv's events (observed properties).
  bool paused_ = true;
  bool hardware_decoding_ = false;  // hwdec is being tried (asked for, not yet failed)
  bool paused_for_cache_ = false;
  bool seeking_ = false;  // a load or seek was issued and its first frame is not shown yet
  EntryId entry_ = 0;
  PlayerStatus observed_;
  // time-pos − audio-pts, averaged: see read_position(). Reset by loads and seeks.
  std::optional<double> frame_minus_audio_s_;
  int frame_audio_readings_ = 0;
  QElapsedTimer audio_calibration_;  // since playback last (re)started
  std::int64_t output_drops_ = 0;
  std::int64_t decoder_drops_ = 0;
};

}  // namespace streamsync::player
