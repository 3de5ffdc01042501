#include "engine/channel_session.hpp"

#include <QPointer>

namespace streamsync::viewer {
namespace {

constexpr int kHeartbeatIntervalMs = 5000;
// The WebSocket pushes revisions as they happen; the poll only covers a socket that is
// down or a message that was lost, and a 304 costs the server next to nothing.
constexpr int kSchedulePollIntervalMs = 10'000;
// With no time answer for this long the server counts as unreachable (the clock polls at
// least once a second, so this is several lost exchanges, not one).
constexpr std::int64_t kUnreachableAfterUs = 3'500'000;

}  // namespace

ChannelSession::ChannelSession(ApiClient& api, const LocalClock& clock,
                               player::PlayerBackend& player, SessionOptions options,
                               QObject* parent)
    : QObject(parent),
      api_(api),
      clock_(clock),
      options_(std::move(options)),
      time_(clock, api),
      events_(api.server_url()),
      media_(api),
      probe_(api),
      sync_(clock, time_, media_, probe_, player, options_.policy) {
  sync_.set_pinned_quality(options_.pinned_quality);
  connect(&sync_, &SyncSession::ticked, this, &ChannelSession::on_tick);
  connect(&media_, &MediaCatalog::failed, this, &ChannelSession::problem);
  connect(&probe_, &ThroughputProbe::failed, this, &ChannelSession::problem);
  connect(&events_, &EventStream::schedule_received, this,
          [this](const Schedule& schedule) { sync_.offer_schedule(schedule); });
  connect(&events_, &EventStream::presence_changed, this,
          [this](const QString&, qint64 viewers) { emit presence_changed(viewers); });
  // A (re)connected socket may have missed revisions while it was down.
  connect(&events_, &EventStream::connected, this, &ChannelSession::fetch_schedule);
  heartbeat_timer_.setInterval(kHeartbeatIntervalMs);
  connect(&heartbeat_timer_, &QTimer::timeout, this, &ChannelSession::send_heartbeat);
  schedule_poll_timer_.setInterval(kSchedulePollIntervalMs);
  connect(&schedule_poll_timer_, &QTimer::timeout, this, &ChannelSession::fetch_schedule);
}

void ChannelSession::join(const QString& channel_id) {
  channel_id_ = channel_id;
  api_.fetch_channel(channel_id,
                     [self = QPointer(this)](Expected<ChannelSummary, QString> channel) {
                       if (!self) return;
                       if (!channel) {
                         emit self->failed(channel.error());
                         return;
                       }
                       self->start(*channel);
                     });
}

void ChannelSession::start(const ChannelSummary& channel) {
  time_.start(api_.server_url().host(), options_.ntp_port);
  events_.open(channel_id_);
  fetch_schedule();
  schedule_poll_timer_.start();
  if (!options_.viewer_id.isEmpty()) {
    send_heartbeat();  // counted as watching at once, not five seconds later
    heartbeat_timer_.start();
  }
  sync_.start();
  emit joined(channel);
}

void ChannelSession::fetch_schedule() {
  api_.fetch_schedule(
      channel_id_,
      [self = QPointer(this)](Expected<std::optional<std::vector<Schedule>>, QString> reply) {
        if (!self) return;
        if (!reply) {
          emit self->problem(reply.error());
          return;
        }
        if (!*reply) return;  // 304: nothing new
        for (const Schedule& schedule : **reply) self->sync_.offer_schedule(schedule);
      });
}

void ChannelSession::send_heartbeat() {
  api_.send_heartbeat(options_.viewer_id, qoe_.take(channel_id_.toStdString()),
                      [](Expected<std::monostate, QString>) {
                        // A lost heartbeat is not worth telling the user: presence is
                        // refreshed by the next one, five seconds later.
                      });
}

void ChannelSession::on_tick(const SyncTick& tick) {
  const auto last_answer_us = time_.last_answer_local_us();
  const bool reachable =
      !last_answer_us || tick.local_mono_us - *last_answer_us < kUnreachableAfterUs;
  if (reachable != server_reachable_) {
    server_reachable_ = reachable;
    sync_.set_server_reachable(reachable);
    // Back again (perhaps a restarted server): ask for what may have changed meanwhile.
    if (reachable) fetch_schedule();
  }
  qoe_.add(tick);
  emit ticked(tick);
}

}  // namespace streamsync::viewer
