#include "impair_relay/control_command.hpp"

#include <sstream>
#include <vector>

namespace streamsync::impair {
namespace {

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::istringstream stream{std::string(text)};
  for (std::string word; stream >> word;) words.push_back(word);
  return words;
}

std::string set_command(const std::vector<std::string>& words, ImpairedPath& path) {
  if (words.size() < 2) return "error: set needs NAME=VALUE (e.g. set delay-ms=50)";
  std::vector<Setting> settings;
  for (std::size_t i = 1; i < words.size(); ++i) {
    const auto equals = words[i].find('=');
    if (equals == std::string::npos) return "error: '" + words[i] + "' is not NAME=VALUE";
    settings.emplace_back(words[i].substr(0, equals), words[i].substr(equals + 1));
  }
  Impairments impairments = path.settings();
  if (auto error = apply_settings(impairments, settings)) return "error: " + *error;
  path.apply(impairments);
  return "ok " + describe_state(path);
}

}  // namespace

std::string describe_state(const ImpairedPath& path) {
  std::ostringstream text;
  text << "cut=" << (path.is_cut() ? "yes" : "no");
  for (const Direction direction : {Direction::up, Direction::down}) {
    text << ' ' << to_string(direction) << ": " << describe(path.settings()[direction]);
  }
  for (const Direction direction : {Direction::up, Direction::down}) {
    const LinkCounters& counters = path.counters(direction);
    const auto name = to_string(direction);
    text << ' ' << name << "_datagrams=" << counters.datagrams << ' ' << name
         << "_dropped=" << counters.datagrams_dropped << ' ' << name
         << "_tcp_bytes=" << counters.tcp_bytes << ' ' << name
         << "_tcp_retransmits=" << counters.tcp_retransmits;
  }
  return text.str();
}

std::string run_control_command(std::string_view command, ImpairedPath& path) {
  const auto words = split_words(command);
  if (words.empty()) return "error: empty command (cut, restore, set NAME=VALUE..., status)";
  const std::string& verb = words[0];
  if (verb == "set") return set_command(words, path);
  if (words.size() != 1) return "error: " + verb + " takes no arguments";
  if (verb == "cut") {
    path.set_cut(true);
  } else if (verb == "restore") {
    path.set_cut(false);
  } else if (verb != "status") {
    return "error: unknown command '" + verb + "' (cut, restore, set NAME=VALUE..., status)";
  }
  return "ok " + describe_state(path);
}

}  // namespace streamsync::impair
