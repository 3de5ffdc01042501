// streamsync-sync-stats: condenses headless viewer reports (JSON lines) into the numbers
// the end-to-end benchmark publishes, as one JSON object on stdout:
//
//   streamsync-sync-stats [--from-s S] [--to-s S] [--after-s S] [--threshold-ms 20]
//                         [--wall-offset-ns N] [--origin-ns N] [--series FILE.tsv]
//                         [--pairs FILE] report.jsonl...
//
// Times are seconds since --origin-ns (CLOCK_MONOTONIC; default: the earliest first tick
// of all reports). One clock serves all: the viewers ran on this machine. --after-s names an event
// (a fault ended, a viewer joined): the output then says how long each viewer took to be back
// within --threshold-ms of the schedule. --wall-offset-ns (CLOCK_REALTIME − CLOCK_MONOTONIC of this
// machine) lets it compare each viewer's estimate of server time with the truth when the server ran
// here.
// --series writes "t_s viewer error_ms" rows, --pairs one pair error (ms) per line, for plots.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sync_reports.hpp"

namespace {

using streamsync::reports::Report;
using streamsync::reports::TickSample;

struct Options {
  double from_s = 0;
  double to_s = 1e18;
  std::optional<double> after_s;
  double threshold_ms = 20;
  std::optional<std::int64_t> wall_offset_ns;
  std::string series_path;
  std::string pairs_path;
  std::optional<std::int64_t> origin_ns;
  std::vector<std::string> reports;
};

[[noreturn]] void usage(const std::string& problem) {
  std::cerr << "streamsync-sync-stats: " << problem
            << "\nusage: streamsync-sync-stats [--from-s S] [--to-s S] [--after-s S] "
               "[--threshold-ms MS] [--wall-offset-ns N] [--origin-ns N] [--series FILE] "
               "[--pairs FILE] report.jsonl...\n";
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(arg + " needs a value");
      return argv[++i];
    };
    try {
      if (arg == "--from-s") {
        options.from_s = std::stod(value());
      } else if (arg == "--to-s") {
        options.to_s = std::stod(value());
      } else if (arg == "--after-s") {
        options.after_s = std::stod(value());
      } else if (arg == "--threshold-ms") {
        options.threshold_ms = std::stod(value());
      } else if (arg == "--wall-offset-ns") {
        options.wall_offset_ns = std::stoll(value());
      } else if (arg == "--series") {
        options.series_path = value();
      } else if (arg == "--pairs") {
        options.pairs_path = value();
      } else if (arg == "--origin-ns") {
        options.origin_ns = std::stoll(value());
      } else if (arg.rfind("--", 0) == 0) {
        usage("unknown option " + arg);
      } else {
        options.reports.push_back(arg);
      }
    } catch (const std::exception&) {
      usage(arg + ": not a number");
    }
  }
  if (options.reports.empty()) usage("no reports");
  return options;
}

nlohmann::json percentiles(const std::vector<double>& values, const std::string& prefix) {
  namespace r = streamsync::reports;
  const auto at = [&](double p) {
    const auto v = r::percentile(values, p);
    return v ? nlohmann::json(std::round(*v * 1000) / 1000) : nlohmann::json(nullptr);
  };
  return {{prefix + "_p50_ms", at(50)},
          {prefix + "_p95_ms", at(95)},
          {prefix + "_p99_ms", at(99)},
          {prefix + "_max_ms", at(100)},
          {prefix + "_samples", values.size()}};
}

// The last tick at or before t_ns (counters are cumulative).
const TickSample* last_at(const Report& report, std::int64_t t_ns) {
  const TickSample* found = nullptr;
  for (const TickSample& tick : report) {
    if (tick.mono_ns > t_ns) break;
    found = &tick;
  }
  return found;
}

// mpv counts drops per file: sum the increases, a drop back to zero is a new file.
std::int64_t dropped_frames_between(const Report& report, std::int64_t from_ns,
                                    std::int64_t to_ns) {
  std::int64_t dropped = 0;
  for (std::size_t i = 1; i < report.size(); ++i) {
    if (report[i].mono_ns < from_ns || report[i].mono_ns >= to_ns) continue;
    dropped += std::max<std::int64_t>(0, report[i].dropped_frames - report[i - 1].dropped_frames);
  }
  return dropped;
}

nlohmann::json viewer_stats(const Report& report, std::int64_t origin_ns, std::int64_t from_ns,
                            std::int64_t to_ns, const Options& options) {
  namespace r = streamsync::reports;
  nlohmann::json stats;
  std::vector<double> errors;
  std::vector<double> clock_errors;
  for (const TickSample& tick : report) {
    if (tick.mono_ns < from_ns || tick.mono_ns >= to_ns) continue;
    if (tick.tracking()) errors.push_back(std::abs(*tick.error_ms));
    if (options.wall_offset_ns && tick.server_us) {
      const double true_server_us =
          static_cast<double>(tick.mono_ns + *options.wall_offset_ns) / 1e3;
      clock_errors.push_back((static_cast<double>(*tick.server_us) - true_server_us) / 1e3);
    }
  }
  stats.update(percentiles(errors, "error"));
  if (!clock_errors.empty()) {
    double sum = 0;
    for (double e : clock_errors) sum += e;
    stats["clock_bias_ms"] =
        std::round(sum / static_cast<double>(clock_errors.size()) * 1000) / 1000;
  }
  // Joining: the report starts when the process does.
  const std::int64_t joined_ns = report.front().mono_ns;
  const auto first_frame = std::find_if(report.begin(), report.end(),
                                        [](const TickSample& t) { return t.raw_pos_s > 0; });
  if (first_frame != report.end()) {
    stats["join_to_first_frame_ms"] = static_cast<double>(first_frame->mono_ns - joined_ns) / 1e6;
  }
  if (auto at = r::converged_at_ns(report, joined_ns, options.threshold_ms, 1'000'000'000)) {
    stats["convergence_s"] = static_cast<double>(*at - joined_ns) / 1e9;
  }
  if (options.after_s) {
    const auto event_ns = origin_ns + static_cast<std::int64_t>(*options.after_s * 1e9);
    const auto at = r::converged_at_ns(report, event_ns, options.threshold_ms, 1'000'000'000);
    stats["resync_after_event_s"] =
        at ? nlohmann::json(static_cast<double>(*at - event_ns) / 1e9) : nlohmann::json(nullptr);
  }
  const TickSample* first = last_at(report, from_ns);
  const TickSample* last = last_at(report, to_ns);
  if (last != nullptr) {
    const TickSample zero;
    const TickSample& start = first != nullptr ? *first : zero;
    const double minutes = static_cast<double>(last->mono_ns - std::max(from_ns, joined_ns)) / 60e9;
    stats["seeks"] = last->seeks - start.seeks;
    stats["rate_changes"] = last->rate_changes - start.rate_changes;
    stats["stalls"] = last->stalls - start.stalls;
    stats["quality_switches"] = last->quality_switches - start.quality_switches;
    stats["dropped_frames"] = dropped_frames_between(report, from_ns, to_ns);
    if (minutes > 0) {
      stats["seeks_per_min"] = (last->seeks - start.seeks) / minutes;
      stats["rate_changes_per_min"] = (last->rate_changes - start.rate_changes) / minutes;
    }
    stats["final_variant"] = last->variant;
  }
  return stats;
}

}  // namespace

int main(int argc, char** argv) {
  namespace r = streamsync::reports;
  const Options options = parse(argc, argv);
  std::vector<Report> reports;
  for (const auto& path : options.reports) {
    auto report = r::load_report(path);
    if (!report) usage(report.error());
    if (report->empty()) usage(path + " has no ticks");
    reports.push_back(std::move(*report));
  }
  std::int64_t origin_ns = INT64_MAX;
  for (const Report& report : reports) origin_ns = std::min(origin_ns, report.front().mono_ns);
  if (options.origin_ns) origin_ns = *options.origin_ns;
  const auto at_ns = [&](double s) {
    return s >= 1e17 ? INT64_MAX : origin_ns + static_cast<std::int64_t>(s * 1e9);
  };
  const std::int64_t from_ns = at_ns(options.from_s);
  const std::int64_t to_ns = at_ns(options.to_s);

  const std::vector<double> pair_errors = r::all_pair_errors_ms(reports, from_ns, to_ns);
  nlohmann::json out = percentiles(pair_errors, "pair_error");
  if (!options.pairs_path.empty()) {
    std::ofstream pairs(options.pairs_path);
    for (double error : pair_errors) pairs << error << '\n';
  }
  nlohmann::json viewers = nlohmann::json::array();
  for (const Report& report : reports) {
    viewers.push_back(viewer_stats(report, origin_ns, from_ns, to_ns, options));
  }
  out["viewers"] = viewers;

  if (!options.series_path.empty()) {
    std::ofstream series(options.series_path);
    for (std::size_t v = 0; v < reports.size(); ++v) {
      for (const TickSample& tick : reports[v]) {
        if (!tick.error_ms) continue;
        series << static_cast<double>(tick.mono_ns - origin_ns) / 1e9 << ' ' << v << ' '
               << *tick.error_ms << '\n';
      }
    }
  }
  std::cout << out.dump(2) << '\n';
  return 0;
}
