#include "engine/sync_session.hpp"

#include <algorithm>
#include <cmath>

namespace streamsync::viewer {
namespace {

// The loop runs at display rate: a position report per frame keeps the filter fed.
constexpr int kTickIntervalMs = 16;
// Queue the next item this long before it is due, so mpv has opened and buffered it.
constexpr std::int64_t kQueueAheadUs = 10'000'000;
// Adaptive quality looks at throughput and buffer this often.
constexpr std::int64_t kQualityObservationIntervalUs = 1'000'000;
// An item start further off than this is not the stream's start offset being learned.
constexpr std::int64_t kMaxItemStartOffsetUs = 150'000;
// What a fully cached stream counts as for adaptive quality (above its step-up level).
constexpr double kCachedToEndBufferS = 30.0;
// A load that shows no frame in this long is abandoned and tried again.
constexpr std::int64_t kLoadTimeoutUs = 15'000'000;
// The first load waits at most this long for the network to be measured, then starts on
// the lowest rung (a slow link, or a slow server: the lowest is the right start there).
constexpr std::int64_t kProbeTimeoutUs = 2'000'000;

double seconds(std::int64_t time_us) {
  return static_cast<double>(time_us) / 1e6;
}

// The policy with the player's own first-resume latency, until the loop measured one.
SyncPolicy for_player(SyncPolicy policy, const player::PlayerBackend& player) {
  policy.initial_resume_latency_us = player.typical_resume_latency_us();
  return policy;
}

ViewerState state_of(SyncStatus status) {
  switch (status) {
    case SyncStatus::in_sync:
      return ViewerState::in_sync;
    case SyncStatus::correcting:
      return ViewerState::correcting;
    case SyncStatus::buffering:
      return ViewerState::buffering;
    case SyncStatus::seeking:
    case SyncStatus::unsynced:
      return ViewerState::seeking;
  }
  return ViewerState::seeking;
}

}  // namespace

SyncSession::SyncSession(const LocalClock& clock, const TimeClient& time, MediaCatalog& media,
                         ThroughputProbe& probe, player::PlayerBackend& player, SyncPolicy policy,
                         QObject* parent)
    : QObject(parent),
      clock_(clock),
      time_(time),
      media_(media),
      probe_(probe),
      player_(player),
      controller_(for_player(policy, player)) {
  tick_timer_.setTimerType(Qt::PreciseTimer);
  tick_timer_.setInterval(kTickIntervalMs);
  connect(&tick_timer_, &QTimer::timeout, this, &SyncSession::tick);
  resume_timer_.setTimerType(Qt::PreciseTimer);
  resume_timer_.setSingleShot(true);
  connect(&resume_timer_, &QTimer::timeout, this, [this] { player_.set_paused(false); });
  // Learnt before any ladder is set, so that the first one starts from it (the start rule).
  connect(&probe_, &ThroughputProbe::measured, this, [this](std::int64_t throughput_bps) {
    quality_.observe({.now_us = clock_.now_us(), .throughput_bps = throughput_bps});
  });
  connect(&player_, &player::PlayerBackend::entry_failed, this,
          [this](player::EntryId entry, const QString&) {
            // A stream that failed (server gone mid-segment, say) is loaded again, from
            // wherever the schedule is by then.
            entries_.erase(entry);
            if (entry == loading_ || entry == 0) loading_ = 0;
            controller_.request_resync();
          });
}

void SyncSession::offer_schedule(const Schedule& schedule) {
  auto timeline = Timeline::create(schedule);
  if (timeline) revisions_.offer(std::move(*timeline));
}

void SyncSession::set_pinned_quality(const QString& rendition_name) {
  pinned_quality_ = rendition_name;
  quality_.pin(rendition_name.toStdString(), clock_.now_us());
}

void SyncSession::set_server_reachable(bool reachable) {
  server_reachable_ = reachable;
}

void SyncSession::start() {
  tick_timer_.start();
}

void SyncSession::stop() {
  tick_timer_.stop();
  resume_timer_.stop();
  hold_still();
}

void SyncSession::tick() {
  SyncTick tick;
  tick.mono_ns = LocalClock::real_mono_ns();
  tick.local_mono_us = clock_.from_real_us(tick.mono_ns / 1000);
  const player::PlayerStatus status = player_.status();
  fill_player_stats(status, tick);
  if (status.activity == PlayerActivity::buffering && !was_stalled_) ++stalls_;
  was_stalled_ = status.activity == PlayerActivity::buffering;

  const ClockEstimator& estimator = time_.estimator();
  // The first exchange already places the schedule within its round trip: enough to
  // start loading (the held seek's resume is timed with the clock as it is by then).
  if (estimator.state() != ClockState::unsynced) {
    fill_clock_stats(tick);
    const std::int64_t server_now_us = estimator.server_now_us(tick.local_mono_us);
    tick.server_us = server_now_us;
    revisions_.prune(server_now_us);
    if (const Timeline* timeline = revisions_.active_at(server_now_us)) {
      const Resolution now = timeline->resolve(server_now_us);
      switch (now.state) {
        case PlaybackState::before_start:
          tick.state = ViewerState::countdown;
          tick.starts_in_us = *now.next_transition_at_us - server_now_us;
          hold_still();
          break;
        case PlaybackState::ended:
          tick.state = ViewerState::ended;
          hold_still();
          break;
        case PlaybackState::playing:
          follow(*timeline, now, server_now_us, status, tick);
          break;
      }
    }
  }
  if (!server_reachable_) {
    // Buffered media keeps playing in sync on the clock estimate until it runs out.
    tick.state =
        tick.state == ViewerState::buffering ? ViewerState::offline : ViewerState::reconnecting;
  }
  const SyncStats& stats = controller_.stats();
  tick.seeks = stats.seeks;
  tick.rate_changes = stats.rate_changes;
  tick.stalls = stalls_;
  tick.quality_switches = quality_switches_;
  emit ticked(tick);
}

void SyncSession::follow(const Timeline& timeline, const Resolution& now,
                         std::int64_t server_now_us, const player::PlayerStatus& status,
                         SyncTick& tick) {
  if (const auto ahead = next_item_instead(timeline, now, server_now_us, status.entry)) {
    // Its target is before its start: the held seek waits out the rest of this item.
    follow_item(*ahead->timeline, ahead->resolution, server_now_us, status, tick);
    return;
  }
  queue_next_item(timeline, now, server_now_us);
  follow_item(timeline, now, server_now_us, status, tick);
}

std::optional<SyncSession::ItemAhead> SyncSession::next_item_instead(
    const Timeline& timeline, const Resolution& now, std::int64_t server_now_us,
    player::EntryId shown_entry) const {
  if (!now.next_transition_at_us) return std::nullopt;
  // A held seek lands seek_lead_us() ahead of the target: with less left, it would land
  // past the item's end, and the next item would need a second load right after.
  const std::int64_t remaining_us = *now.next_transition_at_us - server_now_us;
  if (remaining_us >= controller_.seek_lead_us()) return std::nullopt;
  // The item on air is on screen (in whatever quality): it plays out and the queued
  // next one follows.
  const auto shown = entries_.find(shown_entry);
  if (shown != entries_.end() && shown->second.started_at_us == now.item_started_at_us) {
    return std::nullopt;
  }
  std::optional<ItemAhead> ahead = item_after(timeline, now);
  if (!ahead) return std::nullopt;
  ahead->resolution.offset_in_item_us -= remaining_us;
  ahead->resolution.media_position_us -= remaining_us;
  return ahead;
}

std::optional<SyncSession::ItemAhead> SyncSession::item_after(const Timeline& timeline,
                                                              const Resolution& now) const {
  if (!now.next_transition_at_us) return std::nullopt;
  // The revision that will be active then may differ from this one; it decides.
  const Timeline* next_timeline = revisions_.active_at(*now.next_transition_at_us);
  if (next_timeline == nullptr) next_timeline = &timeline;
  ItemAhead next{next_timeline, next_timeline->resolve(*now.next_transition_at_us)};
  if (next.resolution.state != PlaybackState::playing) return std::nullopt;
  return next;
}

void SyncSession::follow_item(const Timeline& timeline, const Resolution& now,
                              std::int64_t server_now_us, const player::PlayerStatus& status,
                              SyncTick& tick) {
  const ScheduleItem& item = timeline.schedule().items[now.item_index];
  tick.item = now.item_index;
  tick.video_id = item.video_id;
  tick.item_in_point_us = item.in_point_us;
  tick.item_duration_us = item.duration_us;
  tick.target_s = seconds(now.media_position_us);
  const VideoInfo* video = media_.find(QString::fromStdString(item.video_id));
  if (video == nullptr) return;  // still connecting: the video's renditions are on their way
  if (!network_measured(*video, tick.local_mono_us)) return;

  // Entry ids only grow: those below the one on screen were played or replaced.
  if (status.entry != 0) entries_.erase(entries_.begin(), entries_.lower_bound(status.entry));
  const Pass want{QString::fromStdString(item.video_id), now.item_started_at_us, item.in_point_us,
                  item.duration_us, choose_rendition(*video, status, tick.local_mono_us)};
  tick.variant = video->renditions[want.rendition].name.toStdString();
  const auto shown_entry = entries_.find(status.entry);
  const Pass* shown = shown_entry == entries_.end() ? nullptr : &shown_entry->second;

  if (shown != nullptr && *shown == want) {
    if (status.entry != tracked_entry_) {
      // Queued entries start by themselves at the end of the previous one, paused on
      // their first frame: resumed on schedule like a held seek's frame. Loaded ones
      // start with the held seek that loaded them.
      if (tracked_entry_ != 0 && status.entry != loading_) {
        hold_item_start(want, *video, now, tick.local_mono_us);
      }
      tracked_entry_ = status.entry;
    }
    loading_ = 0;
    track(want, *video, now, status, tick);
    return;
  }
  tick.state = ViewerState::seeking;
  if (in_item_transition(shown, want, now, server_now_us)) return;
  const auto loading = entries_.find(loading_);
  if (loading != entries_.end() && loading->second == want &&
      tick.local_mono_us - loading_since_us_ < kLoadTimeoutUs) {
    return;  // the load is on its way
  }
  // Something else is on screen (a new item, another quality, a failed stream): load
  // what should be, with a held seek that lands in sync.
  controller_.request_resync();
  const SyncDecision decision =
      controller_.update(tick.local_mono_us, now.media_position_us, status.activity);
  apply(decision.command, want, *video, /*pass_on_screen=*/false);
}

void SyncSession::track(const Pass& pass, const VideoInfo& video, const Resolution& now,
                        const player::PlayerStatus& status, SyncTick& tick) {
  if (status.frame_duration_us != frame_duration_us_) {
    frame_duration_us_ = status.frame_duration_us;
    controller_.set_frame_duration_us(frame_duration_us_);
  }
  if (status.activity == PlayerActivity::playing) {
    // mpv answers from its playback thread; the read's midpoint is when it was true.
    const std::int64_t before_us = clock_.now_us();
    const std::optional<player::PositionReading> reading = player_.read_position();
    const std::int64_t after_us = clock_.now_us();
    if (reading) {
      controller_.on_position(before_us + (after_us - before_us) / 2, reading->position_us);
      tick.raw_pos_s = seconds(reading->frame_position_us);
    }
  } else if (status.activity == PlayerActivity::paused) {
    // A held frame is timed from where it really is: a load may land past where it was asked.
    if (const std::optional<player::PositionReading> reading = player_.read_position()) {
      controller_.on_held_frame(reading->frame_position_us);
      tick.raw_pos_s = seconds(reading->frame_position_us);
    }
  }
  const SyncDecision decision =
      controller_.update(tick.local_mono_us, now.media_position_us, status.activity);
  apply(decision.command, pass, video, /*pass_on_screen=*/true);
  learn_item_start_offset(decision);
  tick.state = state_of(decision.status);
  tick.rate = decision.rate;
  if (decision.error_us) {
    tick.error_ms = static_cast<double>(*decision.error_us) / 1e3;
    tick.pos_s = tick.target_s + *tick.error_ms / 1e3;
  }
}

void SyncSession::apply(const SyncCommand& command, const Pass& pass, const VideoInfo& video,
                        bool pass_on_screen) {
  switch (command.kind) {
    case SyncCommand::Kind::none:
      return;
    case SyncCommand::Kind::set_rate:
      player_.set_rate(command.rate);
      return;
    case SyncCommand::Kind::seek:
      resume_timer_.stop();
      player_.set_rate(command.rate);
      if (pass_on_screen) {
        player_.seek_paused(command.position_us);
        return;
      }
      queued_.reset();  // a load replaces the playlist
      loading_ = player_.load_paused(source_of(pass, video), command.position_us);
      loading_since_us_ = clock_.now_us();
      if (loading_ != 0) entries_[loading_] = pass;
      return;
    case SyncCommand::Kind::resume: {
      player_.set_rate(command.rate);
      const std::int64_t wait_us = command.at_mono_us - clock_.now_us();
      resume_timer_.start(static_cast<int>(std::max<std::int64_t>(wait_us, 0) / 1000));
      return;
    }
  }
}

void SyncSession::hold_item_start(const Pass& pass, const VideoInfo& video, const Resolution& now,
                                  std::int64_t now_us) {
  // Where the held first frame plays from differs by stream (its first video timestamp,
  // how its audio starts): learned per video and rendition from the error measured after
  // each start, starting from the seek resume latency the player is known for.
  const QString stream = pass.video_id + QLatin1Char('/') + video.renditions[pass.rendition].name;
  LatencyTracker& offset =
      item_start_offsets_.try_emplace(stream, -player_.typical_resume_latency_us()).first->second;
  item_start_offset_us_ = offset.median_us();
  learning_offset_ = &offset;
  apply(
      controller_
          .hold_item_start(now_us, pass.in_point_us + item_start_offset_us_, now.media_position_us)
          .command,
      pass, video, /*pass_on_screen=*/true);
}

void SyncSession::learn_item_start_offset(const SyncDecision& decision) {
  if (learning_offset_ == nullptr || !decision.error_us) return;
  LatencyTracker& offset = *learning_offset_;
  learning_offset_ = nullptr;
  // The first error measured after the start is what the offset used was off by. Only a
  // plausible one is learned (a stall or a late start is the sync loop's business).
  const std::int64_t learned_us = item_start_offset_us_ + *decision.error_us;
  if (std::llabs(learned_us) <= kMaxItemStartOffsetUs) offset.add(learned_us);
}

void SyncSession::queue_next_item(const Timeline& timeline, const Resolution& now,
                                  std::int64_t server_now_us) {
  if (!now.next_transition_at_us || *now.next_transition_at_us - server_now_us > kQueueAheadUs) {
    return;
  }
  const std::optional<ItemAhead> after = item_after(timeline, now);
  if (!after) return;
  const Resolution& next = after->resolution;
  const ScheduleItem& item = after->timeline->schedule().items[next.item_index];
  const VideoInfo* video = media_.find(QString::fromStdString(item.video_id));
  if (video == nullptr) return;
  const std::size_t rendition = quality_.current();
  const Pass pass{QString::fromStdString(item.video_id), next.item_started_at_us, item.in_point_us,
                  item.duration_us, std::min(rendition, video->renditions.size() - 1)};
  if (queued_ == pass) return;
  const player::EntryId entry = player_.queue_next(source_of(pass, *video));
  if (entry == 0) return;
  queued_ = pass;
  entries_[entry] = pass;
}

bool SyncSession::in_item_transition(const Pass* shown, const Pass& want, const Resolution& now,
                                     std::int64_t server_now_us) const {
  // Around an item boundary the player may be a little ahead (already showing the queued
  // item) or behind (still on the last frames of the previous one); the loop waits for
  // it rather than seeking, unless it is off by more than a seek would fix.
  if (shown == nullptr || !queued_ || (*shown != *queued_ && want != *queued_)) return false;
  const std::int64_t since_start_us = server_now_us - now.item_started_at_us;
  const std::int64_t to_end_us =
      now.next_transition_at_us ? *now.next_transition_at_us - server_now_us : INT64_MAX;
  return std::min(since_start_us, to_end_us) < controller_.policy().seek_threshold_us;
}

player::MediaSource SyncSession::source_of(const Pass& pass, const VideoInfo& video) const {
  player::MediaSource source;
  source.url = video.renditions[pass.rendition].playlist_url;
  source.start_us = pass.in_point_us;
  // Only cut the item short when the schedule ends it before the video does; an end at
  // the video's own last frame would risk clipping it.
  if (pass.in_point_us + pass.duration_us < video.duration_us) {
    source.end_us = pass.in_point_us + pass.duration_us;
  }
  return source;
}

std::optional<std::int64_t> SyncSession::measure_throughput_bps(const VideoInfo& video,
                                                                const player::PlayerStatus& status,
                                                                std::int64_t interval_us) const {
  // mpv's input rate is bytes moved per second, idle time included: a segment fetched in
  // 0.1 s of a second reads as a tenth of the link. The media it added to the buffer says
  // more: seconds of media fetched per second, times the rung's bit rate, is what the link
  // carried while it was busy. The larger of the two is the better lower bound.
  const double interval_s = static_cast<double>(interval_us) / 1e6;
  const double fetched_media_s = status.buffer_s - last_observed_buffer_s_ + interval_s;
  if (interval_s <= 0 || status.buffer_s <= last_observed_buffer_s_) {
    // Nothing fetched (full buffer, paused network) or a new stream: no measurement.
    return status.input_rate_bps > 0
               ? std::optional(static_cast<std::int64_t>(status.input_rate_bps))
               : std::nullopt;
  }
  const double rung_bps = static_cast<double>(
      video.renditions[std::min(quality_.current(), video.renditions.size() - 1)].bandwidth_bps);
  return static_cast<std::int64_t>(
      std::max(status.input_rate_bps, fetched_media_s / interval_s * rung_bps));
}

void SyncSession::hold_still() {
  resume_timer_.stop();
  if (player_.status().activity == PlayerActivity::playing) player_.set_paused(true);
  controller_.request_resync();
}

void SyncSession::fill_clock_stats(SyncTick& tick) const {
  const ClockEstimator& estimator = time_.estimator();
  tick.clock_offset_us = estimator.server_now_us(tick.local_mono_us) - tick.local_mono_us;
  tick.clock_error_bound_us = estimator.error_bound_us(tick.local_mono_us);
  tick.rtt_us = estimator.min_delay_us();
  tick.drift_ppm = estimator.drift_ppm();
  tick.clock_over_http = time_.using_http_fallback();
}

void SyncSession::fill_player_stats(const player::PlayerStatus& status, SyncTick& tick) const {
  tick.buffer_s = status.buffer_s;
  tick.bitrate_bps = status.bitrate_bps;
  tick.dropped_frames = status.dropped_frames;
  tick.decoder = status.decoder.toStdString();
}

bool SyncSession::network_measured(const VideoInfo& video, std::int64_t now_us) {
  if (probe_.finished() || !pinned_quality_.isEmpty()) return true;
  if (!probe_.started()) {
    // The lowest rung's segment: the smallest download, and one that exists whatever the
    // ladder, so the probe costs little on a slow link.
    probe_.start(video.renditions.front().playlist_url);
    probe_started_us_ = now_us;
  }
  if (now_us - probe_started_us_ >= kProbeTimeoutUs) return true;
  // A download slower than the next rung up would need (with the start rule's headroom) can
  // only choose the lowest: start on it rather than wait the download out on a slow link.
  // Its measurement still counts when it comes.
  const std::vector<Rendition>& ladder = video.renditions;
  return ladder.size() > 1 && probe_.slower_than(static_cast<double>(ladder[1].bandwidth_bps) /
                                                     quality_.tuning().safe_fraction,
                                                 ladder[0].bandwidth_bps);
}

std::size_t SyncSession::choose_rendition(const VideoInfo& video,
                                          const player::PlayerStatus& status, std::int64_t now_us) {
  if (video.id != ladder_video_id_) {
    // Both ladders are sorted by bandwidth, lowest first: indices are shared.
    std::vector<QualityRung> ladder;
    for (const Rendition& rendition : video.renditions) {
      ladder.push_back({rendition.name.toStdString(), rendition.bandwidth_bps});
    }
    if (!quality_.set_ladder(std::move(ladder))) return 0;  // a bad ladder: play the lowest
    ladder_video_id_ = video.id;
  }
  if (status.activity == PlayerActivity::buffering) stalled_since_observation_ = true;
  if (now_us - last_quality_observation_us_ >= kQualityObservationIntervalUs) {
    QualityObservation observation;
    observation.now_us = now_us;
    observation.throughput_bps =
        measure_throughput_bps(video, status, now_us - last_quality_observation_us_);
    // A stream cached to its end (a short VOD item) has nothing left to fetch however
    // little of it remains: the buffer is not in danger, the item is simply ending.
    observation.buffer_s =
        status.cached_to_end ? std::max(status.buffer_s, kCachedToEndBufferS) : status.buffer_s;
    observation.stalled = stalled_since_observation_;
    if (quality_.observe(observation).switched) ++quality_switches_;
    last_quality_observation_us_ = now_us;
    last_observed_buffer_s_ = status.buffer_s;
    stalled_since_observation_ = false;
  }
  return std::min(quality_.current(), video.renditions.size() - 1);
}

}  // namespace streamsync::viewer
