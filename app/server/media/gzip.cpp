#include "media/gzip.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <new>

#define ZLIB_CONST  // next_in is const: no const_cast on the input
#include <zlib.h>

namespace streamsync::server {
namespace {

// deflateInit2/inflateInit2 are macros with C casts in them; the functions they expand to
// are called directly below, which keeps -Wold-style-cast quiet.
constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, gzip header instead of zlib's

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return result;
}

// Whether a qvalue ("1", "0.5", "0.000") is above zero; malformed reads as zero.
bool positive_qvalue(std::string_view value) {
  if (value.empty() || value.size() > 5) return false;
  if (value[0] != '0' && value[0] != '1') return false;
  if (value.size() > 1 && value[1] != '.') return false;
  bool nonzero = value[0] == '1';
  for (std::size_t i = 2; i < value.size(); ++i) {
    if (value[i] < '0' || value[i] > '9') return false;
    nonzero = nonzero || value[i] != '0';
  }
  return nonzero;
}

// Whether one list member ("coding;q=0.5") has q > 0 (no q means 1); its coding name,
// lower-cased, goes to `coding`.
bool member_allows(std::string_view member, std::string& coding) {
  const std::size_t semicolon = member.find(';');
  coding = lower(trim(member.substr(0, semicolon)));
  std::string_view params =
      semicolon == std::string_view::npos ? std::string_view{} : member.substr(semicolon + 1);
  while (!params.empty()) {
    const std::size_t next = params.find(';');
    const std::string_view param = trim(params.substr(0, next));
    if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
      return positive_qvalue(trim(param.substr(2)));
    }
    params = next == std::string_view::npos ? std::string_view{} : params.substr(next + 1);
  }
  return true;
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  std::optional<bool> gzip;
  std::optional<bool> wildcard;
  std::string coding;
  while (!accept_encoding.empty()) {
    const std::size_t comma = accept_encoding.find(',');
    const bool allowed = member_allows(accept_encoding.substr(0, comma), coding);
    if (coding == "gzip" || coding == "x-gzip") gzip = gzip.value_or(false) || allowed;
    if (coding == "*") wildcard = allowed;
    accept_encoding =
        comma == std::string_view::npos ? std::string_view{} : accept_encoding.substr(comma + 1);
  }
  if (gzip) return *gzip;
  return wildcard.value_or(false);
}

std::string gzip_compress(std::string_view data) {
  z_stream stream{};
  if (deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8,
                    Z_DEFAULT_STRATEGY, ZLIB_VERSION, static_cast<int>(sizeof(z_stream))) != Z_OK) {
    throw std::bad_alloc();  // the only way deflateInit2 fails with these constant arguments
  }
  std::string out;
  std::array<char, 16 * 1024> chunk{};
  stream.next_in = reinterpret_cast<const Bytef*>(data.data());
  // Feed at most uInt's worth at a time (playlists are far smaller, but be exact).
  std::string_view rest = data;
  int status = Z_OK;
  do {
    const std::size_t feed = std::min<std::size_t>(rest.size(), std::numeric_limits<uInt>::max());
    if (stream.avail_in == 0 && feed > 0) {
      stream.next_in = reinterpret_cast<const Bytef*>(rest.data());
      stream.avail_in = static_cast<uInt>(feed);
      rest.remove_prefix(feed);
    }
    stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
    stream.avail_out = static_cast<uInt>(chunk.size());
    status = deflate(&stream, rest.empty() ? Z_FINISH : Z_NO_FLUSH);
    out.append(chunk.data(), chunk.size() - stream.avail_out);
  } while (status != Z_STREAM_END);
  deflateEnd(&stream);
  return out;
}

std::optional<std::string> gzip_decompress(std::string_view data, std::size_t max_output) {
  if (data.size() > std::numeric_limits<uInt>::max()) return std::nullopt;
  z_stream stream{};
  if (inflateInit2_(&stream, kGzipWindowBits, ZLIB_VERSION, static_cast<int>(sizeof(z_stream))) !=
      Z_OK) {
    return std::nullopt;
  }
  stream.next_in = reinterpret_cast<const Bytef*>(data.data());
  stream.avail_in = static_cast<uInt>(data.size());
  std::string out;
  std::array<char, 16 * 1024> chunk{};
  int status = Z_OK;
  while (status == Z_OK && out.size() <= max_output) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
    stream.avail_out = static_cast<uInt>(chunk.size());
    status = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk.data(), chunk.size() - stream.avail_out);
  }
  inflateEnd(&stream);
  // Trailing bytes after the member, or a truncated member, are both refused.
  if (status != Z_STREAM_END || stream.avail_in != 0 || out.size() > max_output) {
    return std::nullopt;
  }
  return out;
}

}  // namespace streamsync::server
