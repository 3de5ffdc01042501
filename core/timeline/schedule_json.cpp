#include "timeline/schedule_json.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

namespace streamsync {
namespace {

using Json = nlohmann::json;

// The JSON type of value, and the value itself when it is a short scalar: enough to find
// the mistake without copying a whole document into the message.
std::string describe(const Json& value) {
  constexpr std::size_t kMaxShownChars = 64;
  std::string description = value.type_name();
  if (value.is_primitive() && !value.is_null()) {
    std::string text = value.dump();
    if (text.size() > kMaxShownChars) text = text.substr(0, kMaxShownChars) + "...";
    description += " " + text;
  }
  return description;
}

// A JSON object seen through the path of the value it came from, so that every error
// names the field the way the document spells it.
class FieldReader {
 public:
  FieldReader(const Json& object, std::string path_prefix)
      : object_(object), prefix_(std::move(path_prefix)) {}

  Expected<std::string, ScheduleError> string(const char* name) const {
    const Json* value = find(name);
    if (value == nullptr) return missing(name);
    if (!value->is_string()) return wrong_type(name, "a string", *value);
    return value->get<std::string>();
  }

  Expected<bool, ScheduleError> boolean(const char* name) const {
    const Json* value = find(name);
    if (value == nullptr) return missing(name);
    if (!value->is_boolean()) return wrong_type(name, "a boolean", *value);
    return value->get<bool>();
  }

  Expected<std::int64_t, ScheduleError> int64(const char* name) const {
    const Json* value = find(name);
    if (value == nullptr) return missing(name);
    // nlohmann keeps integers above int64 max as unsigned, and integers beyond 64 bits
    // as floats: both are range errors, not type errors, and must not wrap.
    if (value->is_number_unsigned()) {
      if (value->get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return out_of_range(name, *value);
      }
      return value->get<std::int64_t>();
    }
    if (value->is_number_integer()) return value->get<std::int64_t>();
    if (value->is_number_float()) {
      // A float of magnitude 2^63 or more is an integer too big for int64 (nlohmann reads
      // 18446744073709551616 and -9223372036854775809 as floats): say so. Any other
      // float is a type error, even an integral one: the format wants JSON integers.
      const double number = value->get<double>();
      if (!std::isfinite(number) || std::fabs(number) >= 9223372036854775808.0) {
        return out_of_range(name, *value);
      }
    }
    return wrong_type(name, "an integer", *value);
  }

  const Json* find(const char* name) const {
    const auto it = object_.find(name);
    return it == object_.end() ? nullptr : &*it;
  }

  std::string path(const char* name) const { return prefix_ + name; }

  Unexpected<ScheduleError> missing(const char* name) const {
    return Unexpected{ScheduleError{path(name), "is required but missing"}};
  }

  Unexpected<ScheduleError> wrong_type(const char* name, const char* expected,
                                       const Json& value) const {
    return Unexpected{
        ScheduleError{path(name), std::string("must be ") + expected + ", got " + describe(value)}};
  }

 private:
  Unexpected<ScheduleError> out_of_range(const char* name, const Json& value) const {
    return Unexpected{ScheduleError{
        path(name), "out of range: must be an integer in [" +
                        std::to_string(std::numeric_limits<std::int64_t>::min()) + ", " +
                        std::to_string(std::numeric_limits<std::int64_t>::max()) + "], got " +
                        value.dump()}};
  }

  const Json& object_;
  std::string prefix_;
};

Expected<ScheduleItem, ScheduleError> item_from_json(const Json& json, std::size_t index) {
  const std::string path = "items[" + std::to_string(index) + "]";
  if (!json.is_object()) {
    return Unexpected{ScheduleError{path, "must be an object, got " + describe(json)}};
  }
  const FieldReader reader(json, path + ".");
  auto video_id = reader.string("video_id");
  if (!video_id) return Unexpected{video_id.error()};
  auto in_point_us = reader.int64("in_point_us");
  if (!in_point_us) return Unexpected{in_point_us.error()};
  auto duration_us = reader.int64("duration_us");
  if (!duration_us) return Unexpected{duration_us.error()};
  return ScheduleItem{std::move(video_id).value(), *in_point_us, *duration_us};
}

Expected<std::vector<ScheduleItem>, ScheduleError> items_from_json(const FieldReader& reader) {
  const Json* items = reader.find("items");
  if (items == nullptr) return reader.missing("items");
  if (!items->is_array()) return reader.wrong_type("items", "an array", *items);
  std::vector<ScheduleItem> result;
  result.reserve(items->size());
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto item = item_from_json((*items)[i], i);
    if (!item) return Unexpected{item.error()};
    result.push_back(std::move(item).value());
  }
  return result;
}

}  // namespace

Json to_json(const Schedule& schedule) {
  Json items = Json::array();
  for (const ScheduleItem& item : schedule.items) {
    items.push_back({{"video_id", item.video_id},
                     {"in_point_us", item.in_point_us},
                     {"duration_us", item.duration_us}});
  }
  return {{"channel_id", schedule.channel_id},
          {"revision", schedule.revision},
          {"effective_at_us", schedule.effective_at_us},
          {"start_at_us", schedule.start_at_us},
          {"loop", schedule.loop},
          {"items", std::move(items)}};
}

Expected<Schedule, ScheduleError> schedule_from_json(const Json& json) {
  if (!json.is_object()) {
    return Unexpected{ScheduleError{
        "", std::string("the schedule must be a JSON object, got ") + json.type_name()}};
  }
  const FieldReader reader(json, "");
  auto channel_id = reader.string("channel_id");
  if (!channel_id) return Unexpected{channel_id.error()};
  auto revision = reader.int64("revision");
  if (!revision) return Unexpected{revision.error()};
  auto effective_at_us = reader.int64("effective_at_us");
  if (!effective_at_us) return Unexpected{effective_at_us.error()};
  auto start_at_us = reader.int64("start_at_us");
  if (!start_at_us) return Unexpected{start_at_us.error()};
  auto loop = reader.boolean("loop");
  if (!loop) return Unexpected{loop.error()};
  auto items = items_from_json(reader);
  if (!items) return Unexpected{items.error()};

  Schedule schedule{std::move(channel_id).value(), *revision, *effective_at_us, *start_at_us, *loop,
                    std::move(items).value()};
  if (auto error = validate(schedule)) return Unexpected{std::move(*error)};
  return schedule;
}

Expected<Schedule, ScheduleError> parse_schedule(std::string_view json_text) {
  Json json;
  try {
    json = Json::parse(json_text.begin(), json_text.end());
  } catch (const Json::exception& error) {
    // parse_error for bad syntax; out_of_range for a number beyond double (1e400).
    return Unexpected{ScheduleError{"", std::string("malformed JSON: ") + error.what()}};
  }
  return schedule_from_json(json);
}

}  // namespace streamsync
