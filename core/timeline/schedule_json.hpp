#pragma once

// The JSON form of a Schedule, as served by GET /api/v1/channels/{id}/schedule and pushed
// over WebSocket:
//
//   {"channel_id": "lobby", "revision": 3, "effective_at_us": 1700000000000000,
//    "start_at_us": 1700000000000000, "loop": true,
//    "items": [{"video_id": "intro", "in_point_us": 0, "duration_us": 30000000}]}
//
// Every field is required. Integers must be JSON integers that fit in int64: a float
// (even 1.0 or 1e3) or a string is a type error, and a number beyond int64 is an
// "out of range" error rather than a silently wrapped value. Unknown fields are ignored
// so that older viewers accept schedules from newer servers.

#include <nlohmann/json.hpp>
#include <string_view>

#include "timeline/schedule.hpp"
#include "util/expected.hpp"

namespace streamsync {

// The JSON form of schedule; schedule_from_json(to_json(s)) == s for every valid s.
nlohmann::json to_json(const Schedule& schedule);

// Reads a schedule from its JSON form and validates it (see validate()). On failure the
// error names the first offending field ("items[1].duration_us") and says what is
// expected. Never throws.
Expected<Schedule, ScheduleError> schedule_from_json(const nlohmann::json& json);

// As schedule_from_json(), from JSON text. Text the parser refuses (bad syntax, or a
// number beyond double such as 1e400) is an error with an empty field and a message
// "malformed JSON: " + the parser's own (which gives the byte position). Never throws.
Expected<Schedule, ScheduleError> parse_schedule(std::string_view json_text);

}  // namespace streamsync
