#pragma once

// scan_mp4_boxes(): the top-level box structure of an MP4/MOV file. libavformat reports a
// cut file only as "invalid data"; the boxes tell why: the 'moov' index is missing (a
// moov-at-end file cut before it) or a box runs past the end of the file.

#include <filesystem>
#include <string>

namespace streamsync::server {

struct Mp4Structure {
  bool readable = false;   // the file could be opened and its size read
  bool moov_seen = false;  // a top-level 'moov' box starts inside the file
  // Empty when every box walked fits in the file; else why not: "the file ends inside its
  // 'mdat' box" (naming the box that was cut) or "the file ends inside a box header".
  std::string cut;
};

// Walks the top-level boxes from offset 0 (32- and 64-bit sizes, size 0 = to the end).
// Stops at the first cut box or at a size that cannot be valid (then the walk says nothing
// about the rest: moov_seen stays as far as it got, cut stays empty).
Mp4Structure scan_mp4_boxes(const std::filesystem::path& path);

}  // namespace streamsync::server
