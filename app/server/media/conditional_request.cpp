#include "media/conditional_request.hpp"

#include <array>
#include <cstdio>

#include "media/time_text.hpp"

namespace streamsync::server {
namespace {

std::string_view skip_separators(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == ',')) {
    text.remove_prefix(1);
  }
  return text;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

struct EntityTag {
  bool weak = false;
  std::string_view opaque;  // with its quotes
};

// The entity-tag at the start of text, advancing text past it; nullopt when malformed.
std::optional<EntityTag> take_entity_tag(std::string_view& text) {
  EntityTag tag;
  if (text.substr(0, 2) == "W/") {
    tag.weak = true;
    text.remove_prefix(2);
  }
  if (text.empty() || text.front() != '"') return std::nullopt;
  const std::size_t close = text.find('"', 1);
  if (close == std::string_view::npos) return std::nullopt;
  tag.opaque = text.substr(0, close + 1);
  text.remove_prefix(close + 1);
  return tag;
}

// The opaque part of our own (strong) ETag.
std::string_view opaque_of(std::string_view etag) {
  return etag.substr(0, 2) == "W/" ? etag.substr(2) : etag;
}

bool none_match_hits(std::string_view header, std::string_view etag) {
  std::string_view rest = skip_separators(header);
  if (trim(rest) == "*") return true;
  while (!rest.empty()) {
    const auto tag = take_entity_tag(rest);
    if (!tag) return false;
    if (tag->opaque == opaque_of(etag)) return true;  // weak comparison ignores W/
    rest = skip_separators(rest);
  }
  return false;
}

}  // namespace

std::string make_etag(std::uint64_t size_bytes, std::int64_t mtime_ns, std::string_view suffix) {
  std::array<char, 48> text{};
  // Two's complement of a pre-1970 mtime still yields a unique, stable tag.
  std::snprintf(text.data(), text.size(), "\"%llx-%llx",
                static_cast<unsigned long long>(size_bytes),
                static_cast<unsigned long long>(static_cast<std::uint64_t>(mtime_ns)));
  std::string etag = text.data();
  if (!suffix.empty()) etag.append("-").append(suffix);
  return etag.append("\"");
}

bool is_not_modified(const Request& request, const Validators& current) {
  const auto none_match = request.find(beast_http::field::if_none_match);
  if (none_match != request.end()) return none_match_hits(none_match->value(), current.etag);
  const auto modified_since = request.find(beast_http::field::if_modified_since);
  if (modified_since == request.end() || !current.last_modified_s) return false;
  const auto since_s = parse_http_date(trim(modified_since->value()));
  return since_s && *current.last_modified_s <= *since_s;
}

bool if_range_allows(const Request& request, const Validators& current) {
  const auto if_range = request.find(beast_http::field::if_range);
  if (if_range == request.end()) return true;
  std::string_view value = trim(if_range->value());
  if (value.substr(0, 1) == "\"" || value.substr(0, 2) == "W/") {
    const auto tag = take_entity_tag(value);
    return tag && !tag->weak && trim(value).empty() && tag->opaque == current.etag;
  }
  const auto date_s = parse_http_date(value);
  return date_s && date_s == current.last_modified_s;
}

}  // namespace streamsync::server
