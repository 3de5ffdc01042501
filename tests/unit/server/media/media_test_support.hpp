#pragma once

// Shared by the media tests: writing and reading files (the media root itself is a
// streamsync::testing::TempDir), requests, and a response's bytes as a client would
// receive them.

#include <gtest/gtest.h>

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/serializer.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "http/http_types.hpp"

namespace streamsync::server::testing {

// Writes bytes to file (e.g. a TempDir's file("a/b.ts")), creating directories on the way.
inline std::filesystem::path write_file(const std::filesystem::path& file, std::string_view bytes) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return file;
}

inline std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline Request make_request(beast_http::verb method, std::string_view target) {
  Request request{method, target, 11};
  request.keep_alive(true);
  return request;
}

// The status of whichever message the response holds.
inline unsigned status_of(const Response& response) {
  return std::visit([](const auto& message) { return message.result_int(); }, response);
}

// A header of whichever message the response holds ("" when absent).
inline std::string header_of(const Response& response, beast_http::field field) {
  return std::visit(
      [field](const auto& message) {
        const auto found = message.find(field);
        return found == message.end() ? std::string() : std::string(found->value());
      },
      response);
}

// The body bytes as Beast's serializer sends them (files are read from disk).
inline std::string body_of(Response& response) {
  return std::visit(
      [](auto& message) {
        using Message = std::decay_t<decltype(message)>;
        beast_http::serializer<false, typename Message::body_type> serializer{message};
        std::string wire;
        boost::beast::error_code ec;
        while (!ec && !serializer.is_done()) {
          serializer.next(ec, [&](boost::beast::error_code&, const auto& buffers) {
            wire += boost::beast::buffers_to_string(buffers);
            serializer.consume(boost::beast::buffer_bytes(buffers));
          });
        }
        EXPECT_FALSE(ec) << ec.message();
        return wire.substr(wire.find("\r\n\r\n") + 4);
      },
      response);
}

}  // namespace streamsync::server::testing
