#include "impair_relay/impairments.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <sstream>

namespace streamsync::impair {
namespace {

struct Field {
  std::string_view name;  // without the direction prefix
  double LinkImpairment::*member;
  double min;
  double max;
  std::string_view range_text;
};

// An hour of delay or a 10 Gbit/s cap is far past any scenario; the bounds only catch typos.
constexpr std::array kFields{
    Field{"delay-ms", &LinkImpairment::delay_ms, 0, 3'600'000, "a number of milliseconds from 0 to 3600000"},
    Field{"jitter-ms", &LinkImpairment::jitter_ms, 0, 3'600'000, "a number of milliseconds from 0 to 3600000"},
    Field{"loss", &LinkImpairment::loss, 0, 1, "a probability from 0 to 1"},
    Field{"bandwidth-kbps", &LinkImpairment::bandwidth_kbps, 0, 10'000'000,
          "kilobits per second from 0 (no cap) to 10000000"},
};

struct ParsedName {
  const Field* field = nullptr;
  std::optional<Direction> direction;  // none: both
};

std::optional<ParsedName> parse_name(std::string_view name) {
  ParsedName parsed;
  if (name.starts_with("up-")) {
    parsed.direction = Direction::up;
    name.remove_prefix(3);
  } else if (name.starts_with("down-")) {
    parsed.direction = Direction::down;
    name.remove_prefix(5);
  }
  for (const Field& field : kFields) {
    if (field.name == name) {
      parsed.field = &field;
      return parsed;
    }
  }
  return std::nullopt;
}

std::optional<double> parse_number(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

}  // namespace

bool is_setting_name(std::string_view name) {
  return parse_name(name).has_value();
}

std::optional<std::string> apply_settings(Impairments& impairments,
                                          const std::vector<Setting>& settings) {
  Impairments result = impairments;
  // Two passes: settings for both directions, then the per-direction overrides.
  for (const bool overrides : {false, true}) {
    for (const auto& [name, text] : settings) {
      const auto parsed = parse_name(name);
      if (!parsed) return "unknown setting '" + name + "'";
      if (parsed->direction.has_value() != overrides) continue;
      const Field& field = *parsed->field;
      const auto value = parse_number(text);
      if (!value || *value < field.min || *value > field.max)
        return name + ": '" + text + "' is not " + std::string(field.range_text);
      if (parsed->direction) {
        result[*parsed->direction].*field.member = *value;
      } else {
        result.up.*field.member = *value;
        result.down.*field.member = *value;
      }
    }
  }
  impairments = result;
  return std::nullopt;
}

std::string describe(const LinkImpairment& link) {
  std::ostringstream text;
  text << "delay_ms=" << link.delay_ms << " jitter_ms=" << link.jitter_ms << " loss=" << link.loss
       << " bandwidth_kbps=" << link.bandwidth_kbps;
  return text.str();
}

}  // namespace streamsync::impair
