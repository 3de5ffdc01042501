#pragma once

// The JSON messages of the REST and WebSocket API (docs/protocol.md), shared by
// streamsync-server and the viewer: one struct per message, to_json and a strict
// *_from_json that names the offending field. Times are server µs since the Unix epoch.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>

#include "timeline/schedule.hpp"
#include "util/expected.hpp"

namespace streamsync {

// GET /api/v1/time?t1=<client µs>: the HTTP fallback of the NTP exchange.
struct TimeReply {
  std::optional<std::int64_t> client_sent_us;  // t1 echoed, when the client sent one
  std::int64_t server_received_us = 0;         // t2
  std::int64_t server_sent_us = 0;             // t3
  // The UDP port of the server's NTP service, so a client knows where to send the
  // precise exchanges once this fallback told it the server is there.
  std::optional<std::int64_t> ntp_port;
  friend bool operator==(const TimeReply&, const TimeReply&) = default;
};

// POST /api/v1/viewers: a client-generated identity (RFC 4122 UUID text) and a name.
struct ViewerRegistration {
  std::string id;
  std::string display_name;  // 1..64 bytes
  friend bool operator==(const ViewerRegistration&, const ViewerRegistration&) = default;
};

// POST /api/v1/viewers/{id}/heartbeat: what a viewer watches and how well it plays.
struct ViewerHeartbeat {
  std::string channel_id;
  double sync_error_ms = 0;      // latest
  double sync_error_p95_ms = 0;  // over the last heartbeat interval
  double rate = 1.0;
  double buffer_s = 0;
  std::int64_t bitrate_bps = 0;
  std::string variant;
  std::int64_t dropped_frames = 0;
  std::int64_t stalls = 0;
  friend bool operator==(const ViewerHeartbeat&, const ViewerHeartbeat&) = default;
};

// POST/PUT /api/v1/channels: what a presenter sets on a channel.
struct ChannelDraft {
  std::string slug;  // [a-z0-9-], 1..64
  std::string name;  // 1..128 bytes
  std::string description;
  friend bool operator==(const ChannelDraft&, const ChannelDraft&) = default;
};

struct NowPlaying {
  std::size_t item_index = 0;
  std::string video_id;
  std::string title;
  std::int64_t offset_us = 0;
  std::int64_t duration_us = 0;
  std::int64_t started_at_us = 0;
  friend bool operator==(const NowPlaying&, const NowPlaying&) = default;
};

struct NextUp {
  std::string video_id;
  std::string title;
  std::int64_t starts_at_us = 0;
  friend bool operator==(const NextUp&, const NextUp&) = default;
};

// An entry of GET /api/v1/channels.
struct ChannelSummary {
  std::string id;
  std::string slug;
  std::string name;
  std::string description;
  std::string state;  // no_schedule | before_start | playing | ended
  std::optional<std::int64_t> schedule_revision;
  std::optional<std::int64_t> starts_at_us;  // when before_start
  std::optional<NowPlaying> now_playing;
  std::optional<NextUp> next_up;
  std::int64_t viewers = 0;
  std::string poster_url;  // empty when nothing is scheduled
  std::string master_url;  // the channel's HLS master playlist
  friend bool operator==(const ChannelSummary&, const ChannelSummary&) = default;
};

// WebSocket /api/v1/events messages, tagged by "type".
struct HelloEvent {
  std::string channel_id;
  std::int64_t server_time_us = 0;
  friend bool operator==(const HelloEvent&, const HelloEvent&) = default;
};
struct ScheduleEvent {
  Schedule schedule;
  friend bool operator==(const ScheduleEvent&, const ScheduleEvent&) = default;
};
struct PresenceEvent {
  std::string channel_id;
  std::int64_t viewers = 0;
  friend bool operator==(const PresenceEvent&, const PresenceEvent&) = default;
};
// An ingest job moved on (presenters subscribe with ?jobs=1).
struct JobEvent {
  std::string job_id;
  std::string video_id;
  std::string status;   // queued | probing | transcoding | ready | failed | cancelled
  double progress = 0;  // 0..1
  std::string message;  // why it failed
  friend bool operator==(const JobEvent&, const JobEvent&) = default;
};
using Event = std::variant<HelloEvent, ScheduleEvent, PresenceEvent, JobEvent>;

nlohmann::json to_json(const TimeReply& message);
nlohmann::json to_json(const ViewerRegistration& message);
nlohmann::json to_json(const ViewerHeartbeat& message);
nlohmann::json to_json(const ChannelDraft& message);
nlohmann::json to_json(const ChannelSummary& message);
nlohmann::json to_json(const Event& event);

Expected<TimeReply, std::string> time_reply_from_json(const nlohmann::json& json);
Expected<ViewerRegistration, std::string> viewer_registration_from_json(const nlohmann::json& json);
Expected<ViewerHeartbeat, std::string> viewer_heartbeat_from_json(const nlohmann::json& json);
Expected<ChannelDraft, std::string> channel_draft_from_json(const nlohmann::json& json);
Expected<ChannelSummary, std::string> channel_summary_from_json(const nlohmann::json& json);
Expected<Event, std::string> event_from_json(const nlohmann::json& json);

// True for RFC 4122 text form: 8-4-4-4-12 hexadecimal digits.
bool is_uuid(std::string_view text);

}  // namespace streamsync
