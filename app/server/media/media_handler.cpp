#include "media/media_handler.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <system_error>

#include "http/responses.hpp"
#include "media/gzip.hpp"
#include "media/media_path.hpp"
#include "media/media_response.hpp"

namespace streamsync::server {
namespace {

struct FileFacts {
  std::uint64_t size_bytes = 0;
  std::int64_t mtime_ns = 0;  // since the Unix epoch
};

// Size and mtime come from the path, then the file is opened: a file replaced in between
// could pair new bytes with old validators. Ingest publishes by renaming whole
// directories, never by rewriting a file, so a path's bytes do not change under it.
std::optional<FileFacts> stat_file(const std::filesystem::path& file) {
  std::error_code ec;
  const std::uint64_t size = std::filesystem::file_size(file, ec);
  if (ec) return std::nullopt;
  const auto modified = std::filesystem::last_write_time(file, ec);
  if (ec) return std::nullopt;
  const auto since_epoch = std::chrono::file_clock::to_sys(modified).time_since_epoch();
  return FileFacts{size, std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count()};
}

std::int64_t floor_seconds(std::int64_t ns) {
  const std::int64_t seconds = ns / 1'000'000'000;
  return (ns % 1'000'000'000 < 0) ? seconds - 1 : seconds;
}

// The path as Beast's files want it: UTF-8 on every platform.
std::string utf8_path(const std::filesystem::path& file) {
  const std::u8string text = file.u8string();
  return std::string(text.begin(), text.end());
}

StringResponse path_error_response(const Request& request, const MediaPathError& error) {
  const bool malformed = error.kind == MediaPathError::Kind::malformed;
  StringResponse response = error_response(
      request, malformed ? beast_http::status::bad_request : beast_http::status::not_found,
      malformed ? "bad_request" : "not_found", error.message);
  set_cors_headers(response);
  return response;
}

StringResponse unreadable_response(const Request& request) {
  StringResponse response =
      error_response(request, beast_http::status::not_found, "not_found", "no such media file");
  set_cors_headers(response);
  return response;
}

bool wants_gzip(const Request& request) {
  const auto accept_encoding = request.find(beast_http::field::accept_encoding);
  return accept_encoding != request.end() && accepts_gzip(accept_encoding->value());
}

// The whole (small) playlist, or nullopt when it cannot be read completely.
std::optional<std::string> read_small_file(const std::filesystem::path& file, std::uint64_t size) {
  boost::beast::error_code ec;
  boost::beast::file reader;
  reader.open(utf8_path(file).c_str(), boost::beast::file_mode::scan, ec);
  if (ec) return std::nullopt;
  std::string text(static_cast<std::size_t>(size), '\0');
  std::size_t done = 0;
  while (done < text.size()) {
    const std::size_t got = reader.read(text.data() + done, text.size() - done, ec);
    if (ec || got == 0) return std::nullopt;
    done += got;
  }
  return text;
}

Response serve_gzipped_playlist(const Request& request, const std::filesystem::path& file,
                                const FileFacts& facts, Representation representation) {
  std::optional<std::string> text = read_small_file(file, facts.size_bytes);
  if (!text) return unreadable_response(request);
  representation.gzip_encoded = true;
  representation.validators.etag = make_etag(facts.size_bytes, facts.mtime_ns, "gz");
  return serve_in_memory(request, gzip_compress(*text), representation);
}

StringResponse head_response(const Request& request, const Representation& representation,
                             const RangeDecision& range, std::uint64_t size_bytes) {
  StringResponse response{beast_http::status::ok, request.version()};
  set_representation_headers(response, representation);
  response.keep_alive(request.keep_alive());
  if (range.kind == RangeDecision::Kind::partial) {
    response.result(beast_http::status::partial_content);
    response.set(beast_http::field::content_range, content_range(range, size_bytes));
    response.content_length(range.length);
  } else {
    response.content_length(size_bytes);
  }
  return response;
}

Response stream_whole(const Request& request, const std::filesystem::path& file,
                      const Representation& representation) {
  FileResponse response{beast_http::status::ok, request.version()};
  boost::beast::error_code ec;
  response.body().open(utf8_path(file).c_str(), boost::beast::file_mode::scan, ec);
  if (ec) return unreadable_response(request);
  set_representation_headers(response, representation);
  response.keep_alive(request.keep_alive());
  response.prepare_payload();  // Content-Length: the size of the file just opened
  return response;
}

Response stream_range(const Request& request, const std::filesystem::path& file,
                      const Representation& representation, const RangeDecision& range,
                      std::uint64_t size_bytes) {
  boost::beast::error_code ec;
  FileSlice slice;
  slice.open(utf8_path(file).c_str(), boost::beast::file_mode::read, ec);
  if (!ec) slice.narrow(range.first, range.length, ec);
  RangeFileResponse response{beast_http::status::partial_content, request.version()};
  if (!ec) response.body().reset(std::move(slice), ec);
  if (ec) return unreadable_response(request);
  set_representation_headers(response, representation);
  response.set(beast_http::field::content_range, content_range(range, size_bytes));
  response.keep_alive(request.keep_alive());
  response.prepare_payload();  // Content-Length: the slice's length
  return response;
}

}  // namespace

Response serve_media_file(const std::filesystem::path& media_root, const Request& request) {
  if (request.method() != beast_http::verb::get && request.method() != beast_http::verb::head) {
    return method_not_allowed_response(request);
  }
  const auto file = resolve_media_path(media_root, request.target());
  if (!file) return path_error_response(request, file.error());
  const std::optional<FileFacts> facts = stat_file(*file);
  if (!facts) return unreadable_response(request);

  const bool playlist = content_type_for(*file) == content_type_for("index.m3u8");
  const Representation representation{
      content_type_for(*file),
      cache_control_for(*file),
      {make_etag(facts->size_bytes, facts->mtime_ns), floor_seconds(facts->mtime_ns)},
      false,
      playlist};
  if (playlist && facts->size_bytes <= kMaxGzipPlaylistBytes && wants_gzip(request)) {
    return serve_gzipped_playlist(request, *file, *facts, representation);
  }

  if (is_not_modified(request, representation.validators)) {
    return not_modified_response(request, representation);
  }
  const RangeDecision range = range_for(request, representation.validators, facts->size_bytes);
  switch (range.kind) {
    case RangeDecision::Kind::unsatisfiable:
      return range_not_satisfiable_response(request, facts->size_bytes);
    case RangeDecision::Kind::partial:
      if (request.method() == beast_http::verb::head) {
        return head_response(request, representation, range, facts->size_bytes);
      }
      return stream_range(request, *file, representation, range, facts->size_bytes);
    case RangeDecision::Kind::whole:
      break;
  }
  if (request.method() == beast_http::verb::head) {
    return head_response(request, representation, range, facts->size_bytes);
  }
  return stream_whole(request, *file, representation);
}

}  // namespace streamsync::server
