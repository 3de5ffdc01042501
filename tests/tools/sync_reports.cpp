#include "sync_reports.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

namespace streamsync::reports {
namespace {

std::optional<double> optional_number(const nlohmann::json& line, const char* key) {
  const auto found = line.find(key);
  if (found == line.end() || !found->is_number()) return std::nullopt;
  return found->get<double>();
}

TickSample sample_from(const nlohmann::json& line) {
  TickSample sample;
  sample.mono_ns = line.at("mono_ns").get<std::int64_t>();
  if (line.at("server_us").is_number()) sample.server_us = line["server_us"].get<std::int64_t>();
  sample.item = line.at("item").get<std::size_t>();
  sample.video_id = line.value("video_id", "");
  sample.pos_s = line.at("pos_s").get<double>();
  sample.raw_pos_s = line.at("raw_pos_s").get<double>();
  sample.target_s = line.at("target_s").get<double>();
  sample.error_ms = optional_number(line, "error_ms");
  sample.rate = line.at("rate").get<double>();
  sample.state = line.at("state").get<std::string>();
  sample.variant = line.value("variant", "");
  sample.seeks = line.value("seeks", 0);
  sample.rate_changes = line.value("rate_changes", 0);
  sample.stalls = line.value("stalls", 0);
  sample.quality_switches = line.value("quality_switches", 0);
  sample.dropped_frames = line.value("dropped_frames", std::int64_t{0});
  return sample;
}

}  // namespace

Expected<Report, std::string> load_report(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Unexpected{"cannot read report " + path};
  Report report;
  std::string text;
  std::size_t line_number = 0;
  while (std::getline(in, text)) {
    ++line_number;
    const bool last = in.peek() == std::char_traits<char>::eof();
    std::string problem;
    try {
      report.push_back(sample_from(nlohmann::json::parse(text)));
    } catch (const nlohmann::json::exception& error) {
      problem = error.what();
    }
    if (!problem.empty()) {
      if (last) break;  // the process was killed mid-line
      return Unexpected{path + ":" + std::to_string(line_number) + ": " + problem};
    }
  }
  return report;
}

std::vector<double> pair_errors_ms(const Report& a, const Report& b, std::int64_t from_ns,
                                   std::int64_t to_ns, std::int64_t max_gap_ns) {
  std::vector<double> errors;
  auto later = b.begin();
  for (const TickSample& tick : a) {
    if (tick.mono_ns < from_ns || tick.mono_ns >= to_ns || !tick.tracking()) continue;
    later = std::lower_bound(later, b.end(), tick.mono_ns,
                             [](const TickSample& s, std::int64_t t) { return s.mono_ns < t; });
    if (later == b.begin() || later == b.end()) continue;
    const TickSample& after = *later;
    const TickSample& before = *std::prev(later);
    if (after.mono_ns - before.mono_ns > max_gap_ns || !before.tracking() || !after.tracking() ||
        before.video_id != tick.video_id || after.video_id != tick.video_id ||
        before.item != after.item) {
      continue;
    }
    const double fraction = static_cast<double>(tick.mono_ns - before.mono_ns) /
                            static_cast<double>(after.mono_ns - before.mono_ns);
    const double b_pos_s = before.pos_s + (after.pos_s - before.pos_s) * fraction;
    errors.push_back(std::abs(tick.pos_s - b_pos_s) * 1e3);
  }
  return errors;
}

std::vector<double> all_pair_errors_ms(const std::vector<Report>& reports, std::int64_t from_ns,
                                       std::int64_t to_ns) {
  std::vector<double> pooled;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    for (std::size_t j = i + 1; j < reports.size(); ++j) {
      const auto errors = pair_errors_ms(reports[i], reports[j], from_ns, to_ns);
      pooled.insert(pooled.end(), errors.begin(), errors.end());
    }
  }
  return pooled;
}

std::size_t ticks_between(const Report& report, std::int64_t from_ns, std::int64_t to_ns) {
  return static_cast<std::size_t>(std::count_if(
      report.begin(), report.end(),
      [&](const TickSample& tick) { return tick.mono_ns >= from_ns && tick.mono_ns < to_ns; }));
}

double pair_comparison_share(const std::vector<Report>& reports, std::size_t comparisons,
                             std::int64_t from_ns, std::int64_t to_ns) {
  std::size_t possible = 0;
  for (std::size_t i = 0; i + 1 < reports.size(); ++i) {
    possible += ticks_between(reports[i], from_ns, to_ns) * (reports.size() - 1 - i);
  }
  return possible == 0 ? 0.0 : static_cast<double>(comparisons) / static_cast<double>(possible);
}

std::map<std::string, double> state_seconds(const Report& report, std::int64_t from_ns,
                                            std::int64_t to_ns) {
  std::map<std::string, double> seconds;
  for (std::size_t i = 0; i + 1 < report.size(); ++i) {
    const TickSample& tick = report[i];
    if (tick.mono_ns < from_ns || tick.mono_ns >= to_ns) continue;
    const std::int64_t until_ns = std::min(report[i + 1].mono_ns, to_ns);
    seconds[tick.state] += static_cast<double>(until_ns - tick.mono_ns) / 1e9;
  }
  return seconds;
}

std::optional<double> percentile(std::vector<double> values, double p) {
  if (values.empty()) return std::nullopt;
  const double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
  const auto index =
      static_cast<std::size_t>(std::clamp(rank, 1.0, static_cast<double>(values.size()))) - 1;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index),
                   values.end());
  return values[index];
}

std::optional<std::int64_t> converged_at_ns(const Report& report, std::int64_t from_ns,
                                            double threshold_ms, std::int64_t hold_ns) {
  std::optional<std::int64_t> good_since;
  for (const TickSample& tick : report) {
    if (tick.mono_ns < from_ns) continue;
    const bool good = tick.tracking() && std::abs(*tick.error_ms) <= threshold_ms;
    if (!good) {
      good_since.reset();
      continue;
    }
    if (!good_since) good_since = tick.mono_ns;
    if (tick.mono_ns - *good_since >= hold_ns) return good_since;
  }
  return std::nullopt;
}

bool has_state(const Report& report, const std::string& state, std::int64_t from_ns,
               std::int64_t to_ns) {
  return std::any_of(report.begin(), report.end(), [&](const TickSample& tick) {
    return tick.mono_ns >= from_ns && tick.mono_ns < to_ns && tick.state == state;
  });
}

}  // namespace streamsync::reports
