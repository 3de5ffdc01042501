#include "protocol/api_messages.hpp"

#include <algorithm>
#include <cctype>

#include "protocol/json_fields.hpp"
#include "timeline/schedule_json.hpp"

namespace streamsync {
namespace {

constexpr std::size_t kMaxDisplayNameBytes = 64;
constexpr std::size_t kMaxSlugBytes = 64;
constexpr std::size_t kMaxChannelNameBytes = 128;
constexpr std::size_t kMaxDescriptionBytes = 4096;

Unexpected<std::string> fail(std::string message) {
  return Unexpected{std::move(message)};
}

bool is_slug(std::string_view text) {
  return !text.empty() && text.size() <= kMaxSlugBytes &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

nlohmann::json optional_json(const std::optional<std::int64_t>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

Expected<NowPlaying, std::string> now_playing_from_json(const nlohmann::json& json) {
  NowPlaying m;
  std::int64_t index = 0;
  if (auto e = read_int64(json, "item_index", index)) return fail("now_playing." + *e);
  if (index < 0) return fail("now_playing.item_index: must be >= 0");
  m.item_index = static_cast<std::size_t>(index);
  if (auto e = read_string(json, "video_id", m.video_id)) return fail("now_playing." + *e);
  if (auto e = read_string(json, "title", m.title)) return fail("now_playing." + *e);
  if (auto e = read_int64(json, "offset_us", m.offset_us)) return fail("now_playing." + *e);
  if (auto e = read_int64(json, "duration_us", m.duration_us)) return fail("now_playing." + *e);
  if (auto e = read_int64(json, "started_at_us", m.started_at_us)) return fail("now_playing." + *e);
  return m;
}

Expected<NextUp, std::string> next_up_from_json(const nlohmann::json& json) {
  NextUp m;
  if (auto e = read_string(json, "video_id", m.video_id)) return fail("next_up." + *e);
  if (auto e = read_string(json, "title", m.title)) return fail("next_up." + *e);
  if (auto e = read_int64(json, "starts_at_us", m.starts_at_us)) return fail("next_up." + *e);
  return m;
}

struct EventToJson {
  nlohmann::json operator()(const HelloEvent& e) const {
    return {{"type", "hello"}, {"channel_id", e.channel_id}, {"server_time_us", e.server_time_us}};
  }
  nlohmann::json operator()(const ScheduleEvent& e) const {
    return {{"type", "schedule"}, {"schedule", to_json(e.schedule)}};
  }
  nlohmann::json operator()(const PresenceEvent& e) const {
    return {{"type", "presence"}, {"channel_id", e.channel_id}, {"viewers", e.viewers}};
  }
  nlohmann::json operator()(const JobEvent& e) const {
    return {{"type", "job"},      {"job_id", e.job_id},     {"video_id", e.video_id},
            {"status", e.status}, {"progress", e.progress}, {"message", e.message}};
  }
};

}  // namespace

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i])))
      return false;
  }
  return true;
}

nlohmann::json to_json(const TimeReply& m) {
  return {{"client_sent_us", optional_json(m.client_sent_us)},
          {"server_received_us", m.server_received_us},
          {"server_sent_us", m.server_sent_us},
          {"ntp_port", optional_json(m.ntp_port)}};
}

nlohmann::json to_json(const ViewerRegistration& m) {
  return {{"id", m.id}, {"display_name", m.display_name}};
}

nlohmann::json to_json(const ViewerHeartbeat& m) {
  return {{"channel_id", m.channel_id},
          {"sync_error_ms", m.sync_error_ms},
          {"sync_error_p95_ms", m.sync_error_p95_ms},
          {"rate", m.rate},
          {"buffer_s", m.buffer_s},
          {"bitrate_bps", m.bitrate_bps},
          {"variant", m.variant},
          {"dropped_frames", m.dropped_frames},
          {"stalls", m.stalls}};
}

nlohmann::json to_json(const ChannelDraft& m) {
  return {{"slug", m.slug}, {"name", m.name}, {"description", m.description}};
}

nlohmann::json to_json(const ChannelSummary& m) {
  nlohmann::json json = {{"id", m.id},
                         {"slug", m.slug},
                         {"name", m.name},
                         {"description", m.description},
                         {"state", m.state},
                         {"schedule_revision", optional_json(m.schedule_revision)},
                         {"starts_at_us", optional_json(m.starts_at_us)},
                         {"now_playing", nullptr},
                         {"next_up", nullptr},
                         {"viewers", m.viewers},
                         {"poster_url", m.poster_url},
                         {"master_url", m.master_url}};
  if (m.now_playing) {
    const NowPlaying& n = *m.now_playing;
    json["now_playing"] = {{"item_index", n.item_index},
                           {"video_id", n.video_id},
                           {"title", n.title},
                           {"offset_us", n.offset_us},
                           {"duration_us", n.duration_us},
                           {"started_at_us", n.started_at_us}};
  }
  if (m.next_up) {
    json["next_up"] = {{"video_id", m.next_up->video_id},
                       {"title", m.next_up->title},
                       {"starts_at_us", m.next_up->starts_at_us}};
  }
  return json;
}

nlohmann::json to_json(const Event& event) {
  return std::visit(EventToJson{}, event);
}

Expected<TimeReply, std::string> time_reply_from_json(const nlohmann::json& json) {
  TimeReply m;
  if (auto e = read_optional_int64(json, "client_sent_us", m.client_sent_us)) return fail(*e);
  if (auto e = read_int64(json, "server_received_us", m.server_received_us)) return fail(*e);
  if (auto e = read_int64(json, "server_sent_us", m.server_sent_us)) return fail(*e);
  if (m.server_sent_us < m.server_received_us)
    return fail("server_sent_us: before server_received_us");
  if (auto e = read_optional_int64(json, "ntp_port", m.ntp_port)) return fail(*e);
  if (m.ntp_port && (*m.ntp_port < 1 || *m.ntp_port > 65535))
    return fail("ntp_port: must be 1..65535");
  return m;
}

Expected<ViewerRegistration, std::string> viewer_registration_from_json(
    const nlohmann::json& json) {
  ViewerRegistration m;
  if (auto e = read_string(json, "id", m.id, 36)) return fail(*e);
  if (!is_uuid(m.id)) return fail("id: must be a UUID like 123e4567-e89b-12d3-a456-426614174000");
  if (auto e = read_string(json, "display_name", m.display_name, kMaxDisplayNameBytes))
    return fail(*e);
  if (m.display_name.empty()) return fail("display_name: must not be empty");
  return m;
}

Expected<ViewerHeartbeat, std::string> viewer_heartbeat_from_json(const nlohmann::json& json) {
  ViewerHeartbeat m;
  if (auto e = read_string(json, "channel_id", m.channel_id, kMaxSlugBytes)) return fail(*e);
  if (auto e = read_optional_double(json, "sync_error_ms", m.sync_error_ms)) return fail(*e);
  if (auto e = read_optional_double(json, "sync_error_p95_ms", m.sync_error_p95_ms))
    return fail(*e);
  if (auto e = read_optional_double(json, "rate", m.rate)) return fail(*e);
  if (auto e = read_optional_double(json, "buffer_s", m.buffer_s)) return fail(*e);
  std::optional<std::int64_t> bitrate, dropped, stalls;
  if (auto e = read_optional_int64(json, "bitrate_bps", bitrate)) return fail(*e);
  if (auto e = read_optional_string(json, "variant", m.variant, 64)) return fail(*e);
  if (auto e = read_optional_int64(json, "dropped_frames", dropped)) return fail(*e);
  if (auto e = read_optional_int64(json, "stalls", stalls)) return fail(*e);
  m.bitrate_bps = bitrate.value_or(0);
  m.dropped_frames = dropped.value_or(0);
  m.stalls = stalls.value_or(0);
  return m;
}

Expected<ChannelDraft, std::string> channel_draft_from_json(const nlohmann::json& json) {
  ChannelDraft m;
  if (auto e = read_string(json, "slug", m.slug, kMaxSlugBytes)) return fail(*e);
  if (!is_slug(m.slug)) return fail("slug: use 1-64 characters from a-z, 0-9 and '-'");
  if (auto e = read_string(json, "name", m.name, kMaxChannelNameBytes)) return fail(*e);
  if (m.name.empty()) return fail("name: must not be empty");
  if (auto e = read_optional_string(json, "description", m.description, kMaxDescriptionBytes))
    return fail(*e);
  return m;
}

Expected<ChannelSummary, std::string> channel_summary_from_json(const nlohmann::json& json) {
  ChannelSummary m;
  if (auto e = read_string(json, "id", m.id)) return fail(*e);
  if (auto e = read_string(json, "slug", m.slug)) return fail(*e);
  if (auto e = read_string(json, "name", m.name)) return fail(*e);
  if (auto e = read_optional_string(json, "description", m.description)) return fail(*e);
  if (auto e = read_string(json, "state", m.state)) return fail(*e);
  if (auto e = read_optional_int64(json, "schedule_revision", m.schedule_revision)) return fail(*e);
  if (auto e = read_optional_int64(json, "starts_at_us", m.starts_at_us)) return fail(*e);
  if (json.contains("now_playing") && !json["now_playing"].is_null()) {
    auto now = now_playing_from_json(json["now_playing"]);
    if (!now) return fail(now.error());
    m.now_playing = *now;
  }
  if (json.contains("next_up") && !json["next_up"].is_null()) {
    auto next = next_up_from_json(json["next_up"]);
    if (!next) return fail(next.error());
    m.next_up = *next;
  }
  if (auto e = read_int64(json, "viewers", m.viewers)) return fail(*e);
  if (auto e = read_optional_string(json, "poster_url", m.poster_url)) return fail(*e);
  if (auto e = read_optional_string(json, "master_url", m.master_url)) return fail(*e);
  return m;
}

Expected<Event, std::string> event_from_json(const nlohmann::json& json) {
  std::string type;
  if (auto e = read_string(json, "type", type, 32)) return fail(*e);
  if (type == "hello") {
    HelloEvent m;
    if (auto e = read_string(json, "channel_id", m.channel_id)) return fail(*e);
    if (auto e = read_int64(json, "server_time_us", m.server_time_us)) return fail(*e);
    return Event{m};
  }
  if (type == "schedule") {
    if (!json.contains("schedule")) return fail("schedule: required");
    auto schedule = schedule_from_json(json["schedule"]);
    if (!schedule)
      return fail("schedule." + schedule.error().field + ": " + schedule.error().message);
    return Event{ScheduleEvent{*schedule}};
  }
  if (type == "presence") {
    PresenceEvent m;
    if (auto e = read_string(json, "channel_id", m.channel_id)) return fail(*e);
    if (auto e = read_int64(json, "viewers", m.viewers)) return fail(*e);
    return Event{m};
  }
  if (type == "job") {
    JobEvent m;
    if (auto e = read_string(json, "job_id", m.job_id)) return fail(*e);
    if (auto e = read_string(json, "video_id", m.video_id)) return fail(*e);
    if (auto e = read_string(json, "status", m.status)) return fail(*e);
    if (auto e = read_double(json, "progress", m.progress)) return fail(*e);
    if (auto e = read_optional_string(json, "message", m.message)) return fail(*e);
    return Event{m};
  }
  return fail("type: unknown event type '" + type + "'");
}

}  // namespace streamsync
