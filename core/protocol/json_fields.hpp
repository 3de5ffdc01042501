#pragma once

// Strict readers for fields of a JSON object, shared by the wire messages: a field of the
// wrong type or out of range is an error that names the field, never a silent conversion.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace streamsync {

// Each returns an error message ("<field>: ...") or nullopt and fills `out`. The optional_
// variants leave `out` unchanged when the field is absent or null.
std::optional<std::string> read_int64(const nlohmann::json& object, std::string_view field,
                                      std::int64_t& out);
std::optional<std::string> read_double(const nlohmann::json& object, std::string_view field,
                                       double& out);
std::optional<std::string> read_string(const nlohmann::json& object, std::string_view field,
                                       std::string& out, std::size_t max_length = 1024);
std::optional<std::string> read_optional_int64(const nlohmann::json& object, std::string_view field,
                                               std::optional<std::int64_t>& out);
std::optional<std::string> read_optional_double(const nlohmann::json& object,
                                                std::string_view field, double& out);
std::optional<std::string> read_optional_string(const nlohmann::json& object,
                                                std::string_view field, std::string& out,
                                                std::size_t max_length = 1024);

}  // namespace streamsync
