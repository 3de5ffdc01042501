#pragma once

// OutputStream: the bytes one child stream (stdout or stderr) writes, turned into lines for
// a callback and a bounded tail for error messages. Memory is O(max_line_bytes +
// tail_bytes) however much the child prints. A pure value type, fed by run_child_process().

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace streamsync::server {

class OutputStream {
 public:
  using LineHandler = std::function<void(std::string_view line)>;

  // on_line may be empty (then no lines are split, only the tail is kept). Lines end at
  // "\n", "\r\n" or a lone "\r" (FFmpeg rewrites its status line with "\r"); the handler
  // gets them without the terminator, and a line longer than max_line_bytes (> 0) in
  // pieces of max_line_bytes. tail_bytes: how much of the end of the stream tail() keeps.
  OutputStream(LineHandler on_line, std::size_t max_line_bytes, std::size_t tail_bytes);

  // The next bytes of the stream, in order. Calls the handler for every completed line.
  void append(std::string_view bytes);
  // The stream has ended: delivers a last line that had no terminator.
  void finish();

  // The last tail_bytes of the stream or fewer: once bytes were dropped, the tail starts
  // at the first line start within it (when there is one), so it never opens mid-line.
  std::string tail() const;

 private:
  void add_to_line(std::string_view piece);
  void end_line();
  void add_to_tail(std::string_view bytes);

  LineHandler on_line_;
  std::size_t max_line_bytes_;
  std::size_t tail_bytes_;
  std::string line_;           // the line being assembled, < max_line_bytes_ (mostly)
  bool after_cr_ = false;      // the last byte was '\r': a following '\n' ends nothing
  std::string tail_;           // holds at most 2 * tail_bytes_ (trimmed in amortised steps)
  bool tail_dropped_ = false;  // bytes before tail_ were dropped
};

}  // namespace streamsync::server
