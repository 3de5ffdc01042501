#include "media/media_path.hpp"

#include <optional>
#include <system_error>

namespace streamsync::server {
namespace {

constexpr std::string_view kMediaPrefix = "/media/";

Unexpected<MediaPathError> malformed(std::string message) {
  return Unexpected{MediaPathError{MediaPathError::Kind::malformed, std::move(message)}};
}

Unexpected<MediaPathError> not_found() {
  return Unexpected{MediaPathError{MediaPathError::Kind::not_found, "no such media file"}};
}

std::optional<int> hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      decoded.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;  // truncated escape
    const auto high = hex_value(text[i + 1]);
    const auto low = hex_value(text[i + 2]);
    if (!high || !low) return std::nullopt;
    decoded.push_back(static_cast<char>(*high * 16 + *low));
    i += 2;
  }
  return decoded;
}

// The first segment rule `path` breaks, or nullopt when every segment is a plain name.
std::optional<std::string> segment_problem(std::string_view path) {
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = path.find('/', begin);
    const std::string_view segment =
        path.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
    if (segment.empty()) return "empty path segment";
    if (segment == "." || segment == "..") return "dot segments are not allowed";
    if (end == std::string_view::npos) return std::nullopt;
    begin = end + 1;
  }
}

// Whether `inner` is `outer` itself or lies below it; both canonical.
bool is_within(const std::filesystem::path& outer, const std::filesystem::path& inner) {
  auto outer_it = outer.begin();
  auto inner_it = inner.begin();
  for (; outer_it != outer.end(); ++outer_it, ++inner_it) {
    if (inner_it == inner.end() || *inner_it != *outer_it) return false;
  }
  return true;
}

}  // namespace

Expected<std::filesystem::path, MediaPathError> media_relative_path(std::string_view target) {
  if (target.substr(0, kMediaPrefix.size()) != kMediaPrefix) {
    return malformed("media targets start with /media/");
  }
  std::string_view encoded = target.substr(kMediaPrefix.size());
  encoded = encoded.substr(0, encoded.find('?'));

  const std::optional<std::string> decoded = percent_decode(encoded);
  if (!decoded) return malformed("bad percent-escape in path");
  if (decoded->find_first_of(std::string_view("\0\\:", 3)) != std::string::npos) {
    return malformed("path holds a NUL, backslash or colon");
  }
  if (auto problem = segment_problem(*decoded)) return malformed(std::move(*problem));
  // char8_t, so that the bytes are read as UTF-8 on every platform (on Windows a plain
  // std::string would go through the ANSI code page).
  return std::filesystem::path(std::u8string(decoded->begin(), decoded->end()));
}

Expected<std::filesystem::path, MediaPathError> resolve_media_path(
    const std::filesystem::path& media_root, std::string_view target) {
  auto relative = media_relative_path(target);
  if (!relative) return Unexpected{relative.error()};

  std::error_code ec;
  const std::filesystem::path root = std::filesystem::canonical(media_root, ec);
  if (ec) return not_found();
  // canonical() follows every symlink and fails when the file does not exist.
  const std::filesystem::path file = std::filesystem::canonical(root / *relative, ec);
  if (ec || !is_within(root, file) || file == root) return not_found();
  if (!std::filesystem::is_regular_file(file, ec) || ec) return not_found();
  return file;
}

}  // namespace streamsync::server
