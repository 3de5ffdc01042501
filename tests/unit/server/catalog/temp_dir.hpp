#pragma once

// TempDir: a fresh, empty directory for one test's database, removed with everything in it
// when the test ends, so that no test sees another's data.

#include <filesystem>
#include <random>
#include <string>
#include <system_error>

namespace streamsync::server::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device random;
    for (;;) {
      path_ = std::filesystem::temp_directory_path() /
              ("streamsync-catalog-test-" + std::to_string(random()));
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

}  // namespace streamsync::server::testing
