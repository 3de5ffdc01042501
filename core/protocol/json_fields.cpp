#include "protocol/json_fields.hpp"

#include <cmath>
#include <limits>

namespace streamsync {
namespace {

std::string named(std::string_view field, std::string_view problem) {
  return std::string(field) + ": " + std::string(problem);
}

const nlohmann::json* find(const nlohmann::json& object, std::string_view field) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(field);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::optional<std::string> convert_int64(const nlohmann::json& value, std::string_view field,
                                         std::int64_t& out) {
  if (value.is_number_integer() && !value.is_number_unsigned()) {
    out = value.get<std::int64_t>();
    return std::nullopt;
  }
  if (value.is_number_unsigned()) {
    const auto unsigned_value = value.get<std::uint64_t>();
    if (unsigned_value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return named(field, "out of range for a 64-bit integer");
    }
    out = static_cast<std::int64_t>(unsigned_value);
    return std::nullopt;
  }
  if (value.is_number_float()) return named(field, "must be an integer, not a fraction");
  return named(field, "must be an integer");
}

std::optional<std::string> convert_string(const nlohmann::json& value, std::string_view field,
                                          std::string& out, std::size_t max_length) {
  if (!value.is_string()) return named(field, "must be a string");
  const auto& text = value.get_ref<const std::string&>();
  if (text.size() > max_length)
    return named(field, "longer than " + std::to_string(max_length) + " bytes");
  out = text;
  return std::nullopt;
}

std::optional<std::string> convert_double(const nlohmann::json& value, std::string_view field,
                                          double& out) {
  if (!value.is_number()) return named(field, "must be a number");
  const double number = value.get<double>();
  if (!std::isfinite(number)) return named(field, "must be finite");
  out = number;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> read_int64(const nlohmann::json& object, std::string_view field,
                                      std::int64_t& out) {
  const nlohmann::json* value = find(object, field);
  if (!value) return named(field, "required");
  return convert_int64(*value, field, out);
}

std::optional<std::string> read_double(const nlohmann::json& object, std::string_view field,
                                       double& out) {
  const nlohmann::json* value = find(object, field);
  if (!value) return named(field, "required");
  return convert_double(*value, field, out);
}

std::optional<std::string> read_string(const nlohmann::json& object, std::string_view field,
                                       std::string& out, std::size_t max_length) {
  const nlohmann::json* value = find(object, field);
  if (!value) return named(field, "required");
  return convert_string(*value, field, out, max_length);
}

std::optional<std::string> read_optional_int64(const nlohmann::json& object, std::string_view field,
                                               std::optional<std::int64_t>& out) {
  const nlohmann::json* value = find(object, field);
  if (!value) return std::nullopt;
  std::int64_t number = 0;
  if (auto error = convert_int64(*value, field, number)) return error;
  out = number;
  return std::nullopt;
}

std::optional<std::string> read_optional_double(const nlohmann::json& object,
                                                std::string_view field, double& out) {
  const nlohmann::json* value = find(object, field);
  return value ? convert_double(*value, field, out) : std::nullopt;
}

std::optional<std::string> read_optional_string(const nlohmann::json& object,
                                                std::string_view field, std::string& out,
                                                std::size_t max_length) {
  const nlohmann::json* value = find(object, field);
  return value ? convert_string(*value, field, out, max_length) : std::nullopt;
}

}  // namespace streamsync
