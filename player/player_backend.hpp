#pragma once

// PlayerBackend: what the sync loop needs from a video player, and nothing more, so the
// loop does not know mpv (DESIGN.md §7). A source is an HLS playlist played from a media
// time; the loop loads one paused at an exact frame, queues the next scheduled item
// behind it (prefetched, shown when the current one ends), changes the rate, seeks
// exactly and unpauses at a chosen instant. Everything runs on the thread that owns the
// player; signals are the player's own events, status() is a snapshot.

#include <QObject>
#include <QString>
#include <QUrl>
#include <cstdint>
#include <optional>

#include "sync/sync_controller.hpp"

namespace streamsync::player {

// One playlist entry: `url` played from media time start_us, up to end_us when set.
struct MediaSource {
  QUrl url;
  std::int64_t start_us = 0;
  std::optional<std::int64_t> end_us;
};

// Where the player is, read at one instant.
struct PositionReading {
  // The media time of the frame on screen, without frame steps: see read_position().
  std::int64_t position_us = 0;
  // The frame's own timestamp (mpv's time-pos), which moves in whole frames.
  std::int64_t frame_position_us = 0;
};

// Names one loaded or queued source; 0 is "nothing".
using EntryId = std::int64_t;

struct PlayerStatus {
  PlayerActivity activity = PlayerActivity::paused;
  EntryId entry = 0;             // the entry on screen
  double buffer_s = 0;           // demuxed media ahead of the playback position
  bool cached_to_end = false;    // the buffer reaches the end of the entry: nothing left to fetch
  double input_rate_bps = 0;     // network throughput of the current stream, bits/s
  std::int64_t bitrate_bps = 0;  // video bitrate of what plays
  std::int64_t dropped_frames = 0;     // frames dropped by the output and the decoder
  QString decoder;                     // "hw (vaapi)" or "sw"
  std::int64_t frame_duration_us = 0;  // from the stream's frame rate; 0 while unknown
  bool idle = true;                    // nothing loaded
};

class PlayerBackend : public QObject {
  Q_OBJECT

 public:
  using QObject::QObject;

  // Replaces everything with `source`, paused on the frame at media time position_us.
  virtual EntryId load_paused(const MediaSource& source, std::int64_t position_us) = 0;
  // Starts `source` right after the current entry ends, paused on its first frame (the
  // loop resumes it at its scheduled instant: a player's own switch is early or late by
  // up to a frame and then some); drops whatever was queued before.
  virtual EntryId queue_next(const MediaSource& source) = 0;
  // Pauses and seeks exactly (to the frame at position_us) within the current entry.
  virtual void seek_paused(std::int64_t position_us) = 0;
  virtual void set_paused(bool paused) = 0;
  virtual void set_rate(double rate) = 0;
  virtual void set_volume(int percent) = 0;
  virtual void set_muted(bool muted) = 0;

  // Where playback is now, read synchronously (not from a stale event); nullopt while
  // nothing is shown. position_us has the frame timestamp's mean (the start of the frame
  // on screen) but moves smoothly, so a few readings already give a good line.
  virtual std::optional<PositionReading> read_position() = 0;
  // How long after set_paused(false) a held frame starts moving, as measured for this
  // kind of player: the sync loop's first resume is timed with it (later ones with what
  // it measured itself).
  virtual std::int64_t typical_resume_latency_us() const = 0;
  virtual PlayerStatus status() const = 0;

 signals:
  void entry_started(streamsync::player::EntryId entry);
  // A source could not be played (bad URL, server gone, corrupt media).
  void entry_failed(streamsync::player::EntryId entry, QString message);
  void stall_changed(bool stalled);
};

}  // namespace streamsync::player
