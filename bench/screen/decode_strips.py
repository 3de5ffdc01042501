#!/usr/bin/env python3
"""Decodes the demo videos' frame-number strip from raw screen captures.

Input: raw gray8 frames of the whole capture area (W*H bytes each, as
`ffmpeg -f x11grab ... -f rawvideo -pix_fmt gray -` writes them) and the viewers' window
rectangles in that area. Output: one JSON line per capture with the frame number each
window shows, or null and why it could not be read. Nothing is ever guessed: a window whose
blocks are not clearly black or white, or whose strip rows disagree (a frame caught
mid-update), is reported as undecodable.

The strip (app/server/demo/demo_ffmpeg_command.cpp): the bottom frame_strip_height(H)
rows of the video (H/15 rounded down to even, i.e. ~1/15 of the height) are 16 equal-width
blocks across the full width; block X (0 = leftmost) is white when bit 15-X of the frame
number is 1.

Only the standard library: the benchmark machine has no numpy/PIL.

  decode_strips.py --size WxH --window X,Y,W,H [--window ...] [--input FILE]
                   [--timestamps FILE] [--fps R] [--out FILE] [--rects-out FILE]
  decode_strips.py --self-test
"""

import argparse
import json
import random
import sys

BITS = 16
# The strip is ~1/15 of the video height (slightly less where H/15 is rounded down to
# even). Rows are sampled well inside it so that the exact value does not matter.
STRIP_FRACTION = 1 / 15
SAMPLE_ROWS = (0.3, 0.5, 0.7)      # fractions of the strip height, from its top
SAMPLE_SPAN = 0.5                  # central share of each block's width that is sampled
THRESHOLD = 128
MARGIN = 64                        # clear: <= 128-64 or >= 128+64, else undecodable
NON_BLACK = 40                     # locating: video content vs. the black letterbox/background
LOCATE_FRAMES = 20                 # captures whose union locates the video (2 s at 10 fps)
MIN_VIDEO_PX = (64, 36)


def parse_rect(text):
    parts = [int(p) for p in text.split(",")]
    if len(parts) != 4 or parts[2] <= 0 or parts[3] <= 0 or min(parts[:2]) < 0:
        raise ValueError(f"'{text}' is not X,Y,W,H")
    return tuple(parts)


def parse_size(text):
    w, _, h = text.partition("x")
    return int(w), int(h)


def parse_aspect(text):
    a, _, b = text.partition(":")
    return float(a) / float(b) if b else float(a)


# bytes.translate table: 1 for "video content" pixels, 0 for black.
_CONTENT = bytes(1 if v > NON_BLACK else 0 for v in range(256))


def locate_video(frames, size, window, aspect, tolerance=0.04):
    """The video rectangle inside `window`: the bounding box of non-black pixels over the
    union of `frames` (the strip's low bits are white in some of them, so its bottom row
    shows; the letterbox mpv draws and the window background are black). Returns (rect,
    None) or (None, reason). The box must have the video's aspect ratio: a status overlay
    or a still-black window does not pass."""
    width, _ = size
    x, y, w, h = window
    top = bottom = left = right = None
    for row in range(h):
        offset = (y + row) * width + x
        union = 0  # OR of the rows' 0/1 bytes, as one big integer (fast in pure Python)
        for frame in frames:
            union |= int.from_bytes(frame[offset:offset + w].translate(_CONTENT), "big")
        if not union:
            continue
        hits = union.to_bytes(w, "big")
        first = hits.find(1)
        last = hits.rfind(1)
        top = row if top is None else top
        bottom = row
        left = first if left is None else min(left, first)
        right = last if right is None else max(right, last)
    if top is None:
        return None, "no video content (window black)"
    vw, vh = right - left + 1, bottom - top + 1
    if vw < MIN_VIDEO_PX[0] or vh < MIN_VIDEO_PX[1]:
        return None, f"content {vw}x{vh} is too small to be the video"
    if abs(vw / vh / aspect - 1) > tolerance:
        return None, (f"content {vw}x{vh} at +{left}+{top} does not have the video's aspect "
                      f"{aspect:.3f} (still black areas or an overlay?)")
    return (x + left, y + top, vw, vh), None


def sample_plan(rect):
    """For one video rectangle: per sampled row, its screen y and per block the x range."""
    x, y, w, h = rect
    strip_h = h * STRIP_FRACTION
    strip_top = y + h - strip_h
    rows = [int(strip_top + f * strip_h) for f in SAMPLE_ROWS]
    blocks = []
    for b in range(BITS):
        centre = x + (b + 0.5) * w / BITS
        half = max(1.0, SAMPLE_SPAN * w / BITS / 2)
        blocks.append((int(round(centre - half)), int(round(centre + half))))
    return rows, blocks


def decode_window(frame, width, plan):
    """(number, "ok") or (None, "unclear" | "torn")."""
    rows, blocks = plan
    numbers = []
    for row in rows:
        base = row * width
        number = 0
        for x0, x1 in blocks:
            samples = frame[base + x0:base + x1]
            if max(samples) <= THRESHOLD - MARGIN:
                bit = 0
            elif min(samples) >= THRESHOLD + MARGIN:
                bit = 1
            else:
                return None, "unclear"  # grey, mixed or mid-transition: never guess
            number = number << 1 | bit
        numbers.append(number)
    if len(set(numbers)) != 1:
        return None, "torn"  # the strip's rows come from different frames
    return numbers[0], "ok"


def read_frames(stream, frame_bytes):
    while True:
        frame = stream.read(frame_bytes)
        if not frame:
            return
        if len(frame) != frame_bytes:
            raise SystemExit(f"decode_strips.py: truncated input: last frame has {len(frame)} "
                             f"of {frame_bytes} bytes (wrong --size?)")
        yield frame


def decode_stream(frames, size, windows, aspect, video_rects=None, timestamps=None, fps=10.0,
                  locate_frames=LOCATE_FRAMES):
    """Yields (capture record) dicts; the first LOCATE_FRAMES frames are buffered to locate
    the videos unless video_rects is given. Returns the rects through the generator's
    first record's "video_rects"."""
    width, _ = size
    buffered = []
    frames = iter(frames)
    rects = video_rects
    reasons = [None] * len(windows)
    if rects is None:
        for frame in frames:
            buffered.append(frame)
            if len(buffered) >= locate_frames:
                break
        if not buffered:
            raise SystemExit("decode_strips.py: no frames in the input")
        rects = []
        for i, window in enumerate(windows):
            rect, reason = locate_video(buffered, size, window, aspect)
            rects.append(rect)
            reasons[i] = reason
    plans = [sample_plan(r) if r else None for r in rects]

    def all_frames():
        yield from buffered
        yield from frames

    for index, frame in enumerate(all_frames()):
        numbers, status = [], []
        for plan in plans:
            if plan is None:
                numbers.append(None)
                status.append("no_video")
                continue
            number, why = decode_window(frame, width, plan)
            numbers.append(number)
            status.append(why)
        t = timestamps[index] if timestamps and index < len(timestamps) else index / fps
        record = {"capture": index, "t": round(t, 6), "frames": numbers, "status": status}
        if index == 0:
            record["video_rects"] = rects
            record["locate_errors"] = reasons
        yield record


# ---------------------------------------------------------------------------- self-test

def _draw_video(screen, size, rect, number, rng, torn_number=None, grey_block=None):
    """Paints a synthetic video frame: a non-black gradient with the strip at the bottom,
    block edges blurred like a scaler would, a little noise like a codec would."""
    width, _ = size
    x, y, w, h = rect
    strip_h = max(4, int(h * STRIP_FRACTION))
    for row in range(h):
        base = (y + row) * width + x
        in_strip = row >= h - strip_h
        value_of = number
        if in_strip and torn_number is not None and row >= h - strip_h // 2:
            value_of = torn_number  # lower half of the strip from the next frame
        for col in range(w):
            if in_strip:
                pos = col * BITS / w
                block = int(pos)
                bit = (value_of >> (BITS - 1 - block)) & 1
                v = 255 if bit else 0
                if block == grey_block:
                    v = 160  # above the threshold but not clearly white
                frac = pos - block
                # A scaler's transition band at each block's edges.
                if frac < 0.06 and block > 0:
                    prev = (value_of >> (BITS - block)) & 1
                    v = (v + (255 if prev else 0)) // 2
            else:
                v = 60 + (row * 7 + col * 3) % 190
            v = min(255, max(0, v + rng.randint(-12, 12)))
            screen[base + col] = v


def self_test():
    rng = random.Random(7)
    size = (1010, 250)
    windows = [(0, 0, 320, 180), (330, 0, 320, 240), (660, 0, 350, 180)]
    # Window 0 edge to edge; 1 letterboxed (bars top and bottom); 2 pillarboxed with a
    # width (320) that is not a multiple of 16 px per block in its scaled position.
    videos = [(0, 0, 320, 180), (330, 30, 320, 180), (675, 0, 320, 180)]
    frames, expected = [], []
    for k in range(24):
        screen = bytearray(size[0] * size[1])
        numbers = [1000 + 3 * k, 1001 + 3 * k, 998 + 3 * k]
        torn = grey = None
        status = ["ok", "ok", "ok"]
        if k == 21:   # window 2 mid-update: strip rows from two frames
            torn = numbers[2] + 1
            status[2] = "torn"
        if k == 22:   # window 2 has a grey block
            grey = 9
            status[2] = "unclear"
        for i, video in enumerate(videos):
            _draw_video(screen, size, video, numbers[i], rng,
                        torn_number=torn if i == 2 else None, grey_block=grey if i == 2 else None)
        frames.append(bytes(screen))
        expected.append(([n if s == "ok" else None for n, s in zip(numbers, status)], status))
    # 998+63 = 1061 vs 1062: torn rows differ in the low bits.
    records = list(decode_stream(frames, size, windows, 16 / 9, locate_frames=20))
    failures = []
    rects = records[0]["video_rects"]
    for got, want in zip(rects, videos):
        if tuple(got) != want:
            failures.append(f"located {got}, expected {want}")
    for record, (numbers, status) in zip(records, expected):
        if record["frames"] != numbers or record["status"] != status:
            failures.append(f"capture {record['capture']}: got {record['frames']} "
                            f"{record['status']}, expected {numbers} {status}")
    # A black window is not located (and so never decoded).
    black = [bytes(size[0] * size[1])] * 3
    record = next(decode_stream(black, size, windows[:1], 16 / 9))
    if record["status"] != ["no_video"] or record["frames"] != [None]:
        failures.append(f"black window: got {record['status']}")
    if failures:
        print("decode_strips.py self-test FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    print(f"decode_strips.py self-test passed: {len(records)} captures x 3 windows "
          "(edge to edge, letterboxed, pillarboxed), a torn and a grey strip rejected, "
          "a black window not located")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("--size", help="capture area WxH")
    parser.add_argument("--window", action="append", default=[], type=parse_rect,
                        help="X,Y,W,H of a viewer window in the capture area (repeat)")
    parser.add_argument("--video-rect", action="append", type=parse_rect,
                        help="X,Y,W,H of each window's video (skips locating; repeat)")
    parser.add_argument("--aspect", default="16:9", type=parse_aspect,
                        help="the video's display aspect (locating checks it)")
    parser.add_argument("--input", default="-", help="raw gray8 frames (default stdin)")
    parser.add_argument("--timestamps", help="one capture time in seconds per line")
    parser.add_argument("--fps", type=float, default=10.0,
                        help="capture rate, for times when there are no --timestamps")
    parser.add_argument("--locate-frames", type=int, default=LOCATE_FRAMES)
    parser.add_argument("--out", default="-", help="JSON lines (default stdout)")
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    if not args.size or not args.window:
        parser.error("--size and at least one --window are needed (or --self-test)")
    size = parse_size(args.size)
    for window in args.window:
        if window[0] + window[2] > size[0] or window[1] + window[3] > size[1]:
            parser.error(f"--window {window} is outside the {args.size} capture area")
    if args.video_rect and len(args.video_rect) != len(args.window):
        parser.error("give one --video-rect per --window, or none")
    timestamps = None
    if args.timestamps:
        with open(args.timestamps) as f:
            timestamps = [float(line) for line in f if line.strip()]
    stream = sys.stdin.buffer if args.input == "-" else open(args.input, "rb")
    out = sys.stdout if args.out == "-" else open(args.out, "w")
    frames = read_frames(stream, size[0] * size[1])
    for record in decode_stream(frames, size, args.window, args.aspect, args.video_rect,
                                timestamps, args.fps, args.locate_frames):
        out.write(json.dumps(record) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
