#pragma once

// ChannelSession: everything a viewer runs while it watches one channel, for the window
// and the headless mode alike: the clock (TimeClient), schedule revisions from the
// WebSocket with ETag polling as a fallback, the sync loop, the server's reachability,
// and a QoE heartbeat every 5 s. Switching channels is destroying one and making another.

#include <QObject>
#include <QString>
#include <QTimer>

#include "engine/local_clock.hpp"
#include "engine/media_catalog.hpp"
#include "engine/qoe_meter.hpp"
#include "engine/sync_session.hpp"
#include "engine/sync_tick.hpp"
#include "net/api_client.hpp"
#include "net/event_stream.hpp"
#include "net/time_client.hpp"
#include "player_backend.hpp"

namespace streamsync::viewer {

struct SessionOptions {
  QString viewer_id;  // registered identity; empty: no heartbeats
  SyncPolicy policy;
  QString pinned_quality;      // "" = automatic
  std::uint16_t ntp_port = 0;  // 0: the one the server names
};

class ChannelSession : public QObject {
  Q_OBJECT

 public:
  ChannelSession(ApiClient& api, const LocalClock& clock, player::PlayerBackend& player,
                 SessionOptions options, QObject* parent = nullptr);

  // Looks the channel up, then starts the clock, the events and the loop. An unknown
  // channel or an unreachable server ends in failed(), nothing else.
  void join(const QString& channel_id);
  const QString& channel_id() const { return channel_id_; }
  SyncSession& sync() { return sync_; }
  MediaCatalog& media() { return media_; }
  bool clock_synced() const { return time_.synced(); }
  // Server time now; only meaningful once clock_synced().
  std::int64_t server_now_us() const { return time_.estimator().server_now_us(clock_.now_us()); }

 signals:
  void joined(const streamsync::ChannelSummary& channel);
  void failed(QString message);   // the channel cannot be watched
  void problem(QString message);  // something went wrong; the session carries on
  void ticked(const streamsync::viewer::SyncTick& tick);
  void presence_changed(qint64 viewers);

 private:
  void start(const ChannelSummary& channel);
  void fetch_schedule();
  void send_heartbeat();
  void on_tick(const SyncTick& tick);

  ApiClient& api_;
  const LocalClock& clock_;
  SessionOptions options_;
  QString channel_id_;
  TimeClient time_;
  EventStream events_;
  MediaCatalog media_;
  ThroughputProbe probe_;
  SyncSession sync_;
  QoeMeter qoe_;
  QTimer heartbeat_timer_;
  QTimer schedule_poll_timer_;
  bool server_reachable_ = true;
};

}  // namespace streamsync::viewer
