// ingest_command_print: the exact FFmpeg argv StreamSync's ingest would run for a file, one
// argument per line, so that ./scripts/bench.sh ingest can time the same command run as a
// plain `ffmpeg` (no shell, no probing, no bookkeeping) against `streamsync-server ingest`.
//
// It probes the file with probe_media(), plans with plan_ladder() (default options, as the
// server does) and prints ingest_ffmpeg_args() for the named encoder from known_encoders()
// (libx264 unless --encoder says otherwise; no test encode is run). The argv is meant to be
// run in an empty directory: its output paths are relative.
//
//   ingest_command_print FILE [--encoder libx264] [--ffmpeg ffmpeg]
//
// Exit status 1 with a message on stderr when the file is refused or the arguments are bad.

#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/ingest_command.hpp"
#include "ingest/ladder.hpp"
#include "ingest/media_probe.hpp"
#include "ingest/video_encoder.hpp"

namespace {

int usage() {
  std::cerr << "usage: ingest_command_print FILE [--encoder libx264] [--ffmpeg ffmpeg]\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  namespace ss = streamsync::server;
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  std::string file;
  std::string encoder_name = "libx264";
  std::string ffmpeg = "ffmpeg";
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if ((arg == "--encoder" || arg == "--ffmpeg") && i + 1 < args.size()) {
      (arg == "--encoder" ? encoder_name : ffmpeg) = std::string(args[++i]);
    } else if (!arg.empty() && arg.front() != '-' && file.empty()) {
      file = std::string(arg);
    } else {
      return usage();
    }
  }
  if (file.empty()) return usage();

  const ss::VideoEncoder* encoder = nullptr;
  for (const ss::VideoEncoder& known : ss::known_encoders()) {
    if (known.name == encoder_name) encoder = &known;
  }
  if (encoder == nullptr) {
    std::cerr << "ingest_command_print: unknown encoder '" << encoder_name << "'\n";
    return 1;
  }

  const std::filesystem::path source = std::filesystem::absolute(file);
  const auto probe = ss::probe_media(source);
  if (!probe) {
    std::cerr << "ingest_command_print: " << source.string() << ": " << probe.error().message
              << "\n";
    return 1;
  }
  const ss::LadderPlan plan = ss::plan_ladder(*probe);
  for (const std::string& arg : ss::ingest_ffmpeg_args(source, *probe, plan, *encoder, ffmpeg)) {
    if (arg.find('\n') != std::string::npos) {
      std::cerr << "ingest_command_print: an argument contains a newline\n";
      return 1;
    }
    std::cout << arg << '\n';
  }
  return 0;
}
