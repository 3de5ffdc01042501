#pragma once

// TempDir: a fresh, empty directory for one test (or suite), removed with everything in it
// when the object goes, so that no test sees another's files. Shared by the unit and
// integration tests; include it as "support/temp_dir.hpp".

#include <filesystem>
#include <random>
#include <string>
#include <system_error>

namespace streamsync::testing {

class TempDir {
 public:
  // Creates <temp_directory_path()>/<prefix><random number>, trying new numbers until
  // create_directory makes a directory that did not exist before.
  explicit TempDir(const std::string& prefix = "streamsync-test-") {
    std::random_device random;
    for (;;) {
      path_ = std::filesystem::temp_directory_path() / (prefix + std::to_string(random()));
      if (std::filesystem::create_directory(path_)) return;  // false: the name was taken
    }
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path file(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace streamsync::testing
