#!/usr/bin/env bash
# Installs every build and test dependency of StreamSync on Debian/Ubuntu with apt.
# Idempotent; runs as root or through sudo; never asks a question (CI has no stdin).
set -euo pipefail

# Build and test dependencies, one per line so later issues can add theirs.
packages=(
  build-essential
  cmake
  ninja-build
  pkg-config
  nlohmann-json3-dev
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  gnuplot-nox        # benchmark plots (scripts/bench.sh)
  clang-format
  # streamsync-server
  libboost-dev       # Asio + Beast (header-only)
  libsqlite3-dev
  libssl-dev         # SHA-256 and random bytes for presenter tokens
  zlib1g-dev
  ffmpeg             # demo content, ingest; ffprobe in tests
  libavformat-dev    # ingest probes uploads with libavformat/libavcodec
  libavcodec-dev
  libavutil-dev
  fonts-dejavu-core  # the demo videos' burnt-in timecode
  # server tests: real NTP client, real CDN edge
  chrony
  nginx-light
  mpv                # ingested videos must play (and seek) in mpv, headless
  wrk                # scripts/bench.sh server
  jq                 # benchmark scripts: JSON results
  curl
  python3            # benchmark analysis (standard library only)
  # streamsync (the desktop viewer): Qt 6 Widgets/Network/WebSockets/Multimedia, libmpv
  qt6-base-dev
  libqt6opengl6-dev
  qt6-websockets-dev
  qt6-multimedia-dev
  libmpv-dev
  # viewer tests: the real GUI under a virtual X display, OpenGL from Mesa (llvmpipe)
  xvfb
  xauth
  dbus-daemon        # keep-awake tests: a private session bus with a stand-in screen saver
  x11-utils          # scripts/bench.sh screen: xdpyinfo, xwininfo
  libgl1-mesa-dri
)

if ! command -v apt-get >/dev/null 2>&1 || [ ! -r /etc/debian_version ]; then
  cat >&2 <<'MSG'
install-deps.sh: this script knows Debian and Ubuntu (apt) only.
Install the equivalents by hand:
  macOS (Homebrew):  brew install cmake ninja nlohmann-json googletest google-benchmark gnuplot clang-format \
                       boost sqlite openssl zlib ffmpeg chrony nginx wrk qt mpv
  Windows (vcpkg):   vcpkg install nlohmann-json gtest benchmark boost-beast boost-asio sqlite3 openssl zlib \
                       qtbase qtwebsockets qtmultimedia   (libmpv: the mpv-dev archive from mpv.io)
                     (the server is POSIX-only for now; build the core with -DSTREAMSYNC_BUILD_SERVER=OFF)
                     plus CMake >= 3.24 and Ninja (winget install Kitware.CMake Ninja-build.Ninja)
MSG
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-deps.sh: run as root or install sudo" >&2
  exit 1
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps.sh: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "install-deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
