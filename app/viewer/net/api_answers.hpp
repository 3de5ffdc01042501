#pragma once

// Readers for the server's JSON answers (docs/protocol.md), built on core's strict message
// readers. Each error names the offending field ("channels[2].state: must be a string") so
// that a bad server answer becomes a clear message rather than a crash or a silent default.

#include <QString>
#include <QUrl>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "net/video_info.hpp"
#include "protocol/api_messages.hpp"
#include "timeline/schedule.hpp"
#include "util/expected.hpp"

namespace streamsync::viewer {

// GET /api/v1/channels: {"channels": [ChannelSummary...], ...}.
Expected<std::vector<ChannelSummary>, QString> channels_from_json(const nlohmann::json& json);

// GET /api/v1/channels/{id}/schedule: {"schedules": [Schedule...], ...}, oldest first.
Expected<std::vector<Schedule>, QString> schedules_from_json(const nlohmann::json& json);

// GET /api/v1/videos/{id}; media paths are made absolute against `server_url`.
Expected<VideoInfo, QString> video_info_from_json(const nlohmann::json& json,
                                                  const QUrl& server_url);

// The message of an error answer {"error": {"code", "message"}}, if it is one.
std::optional<QString> error_message_from_json(const nlohmann::json& json);

}  // namespace streamsync::viewer
