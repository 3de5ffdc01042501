#pragma once

// SyncSession: the viewer's sync loop for one channel (DESIGN.md §4). Every display
// frame it asks the clock what server time it is, the schedule what should be on screen
// then, the player what is on screen now, and lets core's SyncController decide: nothing,
// a rate change, or a held seek. It also keeps the player's playlist one item ahead (the
// next scheduled item is queued, prefetched by mpv, and starts when the current one ends:
// at the scheduled instant when in sync), picks the quality, and publishes a SyncTick.

#include <QObject>
#include <QTimer>
#include <cstdint>
#include <map>
#include <optional>

#include "engine/local_clock.hpp"
#include "engine/media_catalog.hpp"
#include "engine/sync_tick.hpp"
#include "net/throughput_probe.hpp"
#include "net/time_client.hpp"
#include "player_backend.hpp"
#include "quality/variant_selector.hpp"
#include "sync/latency_tracker.hpp"
#include "sync/sync_controller.hpp"
#include "timeline/revision_switch.hpp"

namespace streamsync::viewer {

class SyncSession : public QObject {
  Q_OBJECT

 public:
  SyncSession(const LocalClock& clock, const TimeClient& time, MediaCatalog& media,
              ThroughputProbe& probe, player::PlayerBackend& player, SyncPolicy policy,
              QObject* parent = nullptr);

  // A schedule revision from the server (REST or WebSocket); stale ones are ignored.
  void offer_schedule(const Schedule& schedule);
  // "" for automatic quality, else the rendition name to keep.
  void set_pinned_quality(const QString& rendition_name);
  // Whether the server answers; while it does not, playback goes on from the buffer on
  // the clock estimate, and the status says so.
  void set_server_reachable(bool reachable);

  void start();
  void stop();

 signals:
  void ticked(const streamsync::viewer::SyncTick& tick);

 private:
  // One pass of a schedule item in one rendition: what a player entry shows.
  struct Pass {
    QString video_id;
    std::int64_t started_at_us = 0;  // server time of the pass's first frame
    std::int64_t in_point_us = 0;
    std::int64_t duration_us = 0;
    std::size_t rendition = 0;
    friend bool operator==(const Pass&, const Pass&) = default;
  };

  void tick();
  // Where the schedule is, to the player: queues what comes next and follows the item on
  // air, or the next one when a join comes too late in the item to show any of it.
  void follow(const Timeline& timeline, const Resolution& now, std::int64_t server_now_us,
              const player::PlayerStatus& status, SyncTick& tick);
  struct ItemAhead {
    const Timeline* timeline;  // the revision active when it starts
    Resolution resolution;     // at its start (next_item_instead: now, before its start)
  };
  // The item that follows `now` on air; nullopt at a schedule's end.
  std::optional<ItemAhead> item_after(const Timeline& timeline, const Resolution& now) const;
  // The next item, when the one on air is not on screen and ends before a held seek
  // could land in it.
  std::optional<ItemAhead> next_item_instead(const Timeline& timeline, const Resolution& now,
                                             std::int64_t server_now_us,
                                             player::EntryId shown_entry) const;
  void follow_item(const Timeline& timeline, const Resolution& now, std::int64_t server_now_us,
                   const player::PlayerStatus& status, SyncTick& tick);
  void track(const Pass& pass, const VideoInfo& video, const Resolution& now,
             const player::PlayerStatus& status, SyncTick& tick);
  void apply(const SyncCommand& command, const Pass& pass, const VideoInfo& video,
             bool pass_on_screen);
  // A queued item started by itself, paused on its first frame: resume it on schedule.
  void hold_item_start(const Pass& pass, const VideoInfo& video, const Resolution& now,
                       std::int64_t now_us);
  void learn_item_start_offset(const SyncDecision& decision);
  void queue_next_item(const Timeline& timeline, const Resolution& now, std::int64_t server_now_us);
  bool in_item_transition(const Pass* shown, const Pass& want, const Resolution& now,
                          std::int64_t server_now_us) const;
  // Whether the first load may start: once the network was measured (or the probe gave up
  // or took too long), or when the quality is the user's choice anyway.
  bool network_measured(const VideoInfo& video, std::int64_t now_us);
  std::size_t choose_rendition(const VideoInfo& video, const player::PlayerStatus& status,
                               std::int64_t now_us);
  std::optional<std::int64_t> measure_throughput_bps(const VideoInfo& video,
                                                     const player::PlayerStatus& status,
                                                     std::int64_t interval_us) const;
  player::MediaSource source_of(const Pass& pass, const VideoInfo& video) const;
  void hold_still();
  void fill_clock_stats(SyncTick& tick) const;
  void fill_player_stats(const player::PlayerStatus& status, SyncTick& tick) const;

  const LocalClock& clock_;
  const TimeClient& time_;
  MediaCatalog& media_;
  ThroughputProbe& probe_;
  std::int64_t probe_started_us_ = 0;
  player::PlayerBackend& player_;
  SyncController controller_;
  ScheduleRevisions revisions_;
  VariantSelector quality_;
  QString ladder_video_id_;  // whose ladder quality_ chooses from
  QString pinned_quality_;
  std::int64_t last_quality_observation_us_ = 0;
  bool stalled_since_observation_ = false;
  double last_observed_buffer_s_ = 0;

  QTimer tick_timer_;
  QTimer resume_timer_;
  std::map<player::EntryId, Pass> entries_;  // what each loaded or queued entry shows
  std::optional<Pass> queued_;               // the entry queued behind the current one
  player::EntryId loading_ = 0;              // a load whose first frame is not shown yet
  player::EntryId tracked_entry_ = 0;        // the entry the loop last tracked
  // Where a held first frame plays from, relative to the item's in-point, by stream
  // ("video/rendition"); the offset used at the last start and the tracker learning it.
  std::map<QString, LatencyTracker> item_start_offsets_;
  std::int64_t item_start_offset_us_ = 0;
  LatencyTracker* learning_offset_ = nullptr;
  std::int64_t loading_since_us_ = 0;
  bool server_reachable_ = true;
  bool was_stalled_ = false;
  int stalls_ = 0;
  int quality_switches_ = 0;
  std::int64_t frame_duration_us_ = 0;
};

}  // namespace streamsync::viewer
