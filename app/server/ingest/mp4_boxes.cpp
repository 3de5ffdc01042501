#include "ingest/mp4_boxes.hpp"

#include <array>
#include <cstdint>
#include <fstream>
#include <system_error>

namespace streamsync::server {
namespace {

std::uint64_t big_endian(const unsigned char* bytes, int count) {
  std::uint64_t value = 0;
  for (int i = 0; i < count; ++i) value = (value << 8) | bytes[i];
  return value;
}

}  // namespace

Mp4Structure scan_mp4_boxes(const std::filesystem::path& path) {
  Mp4Structure structure;
  std::error_code error;
  const std::uintmax_t file_size = std::filesystem::file_size(path, error);
  std::ifstream in(path, std::ios::binary);
  if (error || !in) return structure;
  structure.readable = true;

  std::uint64_t offset = 0;
  while (offset < file_size) {
    const std::uint64_t left = file_size - offset;
    if (left < 8) {
      structure.cut = "the file ends inside a box header";
      break;
    }
    std::array<unsigned char, 16> header{};
    const std::uint64_t wanted = left < header.size() ? left : header.size();
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(reinterpret_cast<char*>(header.data()), static_cast<std::streamsize>(wanted));
    if (!in) break;
    const std::string type(reinterpret_cast<const char*>(header.data() + 4), 4);
    std::uint64_t size = big_endian(header.data(), 4);
    if (size == 1) {  // a 64-bit size follows the type
      if (wanted < 16) {
        structure.cut = "the file ends inside the '" + type + "' box header";
        break;
      }
      size = big_endian(header.data() + 8, 8);
      if (size < 16) break;
    } else if (size == 0) {  // the box runs to the end of the file
      size = left;
    } else if (size < 8) {
      break;
    }
    if (type == "moov") structure.moov_seen = true;
    if (size > left) {
      structure.cut = "the file ends inside its '" + type + "' box";
      break;
    }
    offset += size;
  }
  return structure;
}

}  // namespace streamsync::server
