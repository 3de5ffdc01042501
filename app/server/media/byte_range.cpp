#include "media/byte_range.hpp"

#include <limits>
#include <optional>
#include <string>

namespace streamsync::server {
namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// A non-empty run of digits, saturating at uint64 max; nullopt for anything else.
std::optional<std::uint64_t> parse_number(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    value = value > (kMax - digit) / 10 ? kMax : value * 10 + digit;
  }
  return value;
}

RangeDecision partial(std::uint64_t first, std::uint64_t last) {
  return {RangeDecision::Kind::partial, first, last - first + 1};
}

}  // namespace

RangeDecision decide_range(std::string_view range_header, std::uint64_t size) {
  const RangeDecision whole{};
  const RangeDecision unsatisfiable{RangeDecision::Kind::unsatisfiable, 0, 0};

  const std::string_view header = trim(range_header);
  const std::size_t equals = header.find('=');
  if (equals == std::string_view::npos || !iequals(trim(header.substr(0, equals)), "bytes")) {
    return whole;
  }
  const std::string_view spec = trim(header.substr(equals + 1));
  if (spec.find(',') != std::string_view::npos) return whole;  // several ranges
  const std::size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  const std::string_view first_text = trim(spec.substr(0, dash));
  const std::string_view last_text = trim(spec.substr(dash + 1));

  if (first_text.empty()) {  // suffix range: the last n bytes
    const auto suffix = parse_number(last_text);
    if (!suffix) return whole;
    if (*suffix == 0 || size == 0) return unsatisfiable;
    return partial(*suffix >= size ? 0 : size - *suffix, size - 1);
  }
  const auto first = parse_number(first_text);
  if (!first) return whole;
  std::uint64_t last = kMax;
  if (!last_text.empty()) {
    const auto parsed = parse_number(last_text);
    if (!parsed || *parsed < *first) return whole;
    last = *parsed;
  }
  if (*first >= size) return unsatisfiable;
  return partial(*first, last >= size ? size - 1 : last);
}

std::string content_range(const RangeDecision& partial_range, std::uint64_t size) {
  return "bytes " + std::to_string(partial_range.first) + "-" +
         std::to_string(partial_range.first + partial_range.length - 1) + "/" +
         std::to_string(size);
}

}  // namespace streamsync::server
