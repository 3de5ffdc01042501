#include "net/api_answers.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "net/server_paths.hpp"
#include "protocol/json_fields.hpp"
#include "timeline/schedule_json.hpp"

namespace streamsync::viewer {
namespace {

template <class T>
Expected<T, QString> fail(const std::string& message) {
  return Unexpected{QString::fromStdString(message)};
}

std::string indexed(const char* array, std::size_t index) {
  return std::string(array) + "[" + std::to_string(index) + "]";
}

// A required array field.
const nlohmann::json* find_array(const nlohmann::json& json, const char* field,
                                 std::string& error) {
  if (!json.is_object() || !json.contains(field)) {
    error = std::string(field) + ": required";
    return nullptr;
  }
  const nlohmann::json& value = json[field];
  if (!value.is_array()) {
    error = std::string(field) + ": must be an array";
    return nullptr;
  }
  return &value;
}

std::optional<std::string> read_dimension(const nlohmann::json& json, const char* field, int& out) {
  std::int64_t value = 0;
  if (auto e = read_int64(json, field, value)) return e;
  if (value < 0 || value > std::numeric_limits<std::uint16_t>::max())
    return std::string(field) + ": must be 0..65535";
  out = static_cast<int>(value);
  return std::nullopt;
}

Expected<Rendition, std::string> rendition_from_json(const nlohmann::json& json,
                                                     const QUrl& server_url) {
  Rendition rendition;
  std::string name, playlist;
  if (auto e = read_string(json, "name", name)) return Unexpected{*e};
  if (auto e = read_dimension(json, "width", rendition.width)) return Unexpected{*e};
  if (auto e = read_dimension(json, "height", rendition.height)) return Unexpected{*e};
  if (auto e = read_int64(json, "bandwidth", rendition.bandwidth_bps)) return Unexpected{*e};
  if (rendition.bandwidth_bps < 0) return Unexpected{std::string("bandwidth: must be >= 0")};
  if (auto e = read_string(json, "playlist", playlist)) return Unexpected{*e};
  if (playlist.empty()) return Unexpected{std::string("playlist: must not be empty")};
  rendition.name = QString::fromStdString(name);
  rendition.playlist_url =
      resolve_server_path(server_url, QStringLiteral("/media/") + QString::fromStdString(playlist));
  return rendition;
}

}  // namespace

Expected<std::vector<ChannelSummary>, QString> channels_from_json(const nlohmann::json& json) {
  std::string error;
  const nlohmann::json* array = find_array(json, "channels", error);
  if (!array) return fail<std::vector<ChannelSummary>>(error);
  std::vector<ChannelSummary> channels;
  for (std::size_t i = 0; i < array->size(); ++i) {
    auto channel = channel_summary_from_json((*array)[i]);
    if (!channel)
      return fail<std::vector<ChannelSummary>>(indexed("channels", i) + "." + channel.error());
    channels.push_back(std::move(channel).value());
  }
  return channels;
}

Expected<std::vector<Schedule>, QString> schedules_from_json(const nlohmann::json& json) {
  std::string error;
  const nlohmann::json* array = find_array(json, "schedules", error);
  if (!array) return fail<std::vector<Schedule>>(error);
  std::vector<Schedule> schedules;
  for (std::size_t i = 0; i < array->size(); ++i) {
    auto schedule = schedule_from_json((*array)[i]);
    if (!schedule) {
      const ScheduleError& e = schedule.error();
      return fail<std::vector<Schedule>>(indexed("schedules", i) +
                                         (e.field.empty() ? "" : "." + e.field) + ": " + e.message);
    }
    schedules.push_back(std::move(schedule).value());
  }
  return schedules;
}

Expected<VideoInfo, QString> video_info_from_json(const nlohmann::json& json,
                                                  const QUrl& server_url) {
  VideoInfo video;
  std::string id, title, poster;
  if (auto e = read_string(json, "id", id)) return fail<VideoInfo>(*e);
  if (auto e = read_string(json, "title", title)) return fail<VideoInfo>(*e);
  if (auto e = read_int64(json, "duration_us", video.duration_us)) return fail<VideoInfo>(*e);
  if (video.duration_us < 0) return fail<VideoInfo>("duration_us: must be >= 0");
  if (auto e = read_optional_string(json, "poster_url", poster)) return fail<VideoInfo>(*e);
  std::string error;
  const nlohmann::json* renditions = find_array(json, "renditions", error);
  if (!renditions) return fail<VideoInfo>(error);
  for (std::size_t i = 0; i < renditions->size(); ++i) {
    auto rendition = rendition_from_json((*renditions)[i], server_url);
    if (!rendition) return fail<VideoInfo>(indexed("renditions", i) + "." + rendition.error());
    video.renditions.push_back(std::move(rendition).value());
  }
  std::stable_sort(
      video.renditions.begin(), video.renditions.end(),
      [](const Rendition& a, const Rendition& b) { return a.bandwidth_bps < b.bandwidth_bps; });
  video.id = QString::fromStdString(id);
  video.title = QString::fromStdString(title);
  if (!poster.empty())
    video.poster_url = resolve_server_path(server_url, QString::fromStdString(poster));
  return video;
}

std::optional<QString> error_message_from_json(const nlohmann::json& json) {
  if (!json.is_object() || !json.contains("error")) return std::nullopt;
  std::string message;
  if (read_string(json["error"], "message", message)) return std::nullopt;
  return QString::fromStdString(message);
}

}  // namespace streamsync::viewer
