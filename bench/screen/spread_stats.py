#!/usr/bin/env python3
"""Turns decode_strips.py's per-capture frame numbers into the screen sync numbers.

  spread_stats.py CAPTURES_JSONL [--video-fps 30] [--item-jump 15] [--histogram FILE]
                  [--series FILE]

Per capture in which every viewer's strip was decoded: spread = max - min frame number
over the viewers. Frame numbers restart with every item of the channel, so each viewer's
item is followed through its own sequence: a drop of more than --item-jump frames from
its previous decoded number to one in the first 2 s starts its next item. A capture in which the viewers are on
different items (e.g. 899 of the old video next to 18 of the new one) is an item
transition: counted, listed and excluded, because its numbers cannot be subtracted.
Every capture with all viewers on the same item counts with its real spread, however
wide (a viewer that enters the new item 18 frames late is 18 frames out). Prints one
JSON object.

The excluded captures are listed with their numbers, so that their real distance (the
old item's remaining frames + the new item's frame) can be read off.

Cross-check of the decoder: a viewer's successive decodable captures must advance by
about (capture interval x video fps) frames; the share within one frame of that is
reported per viewer (and within two frames: each end of a pair may be a frame late).
"""

import argparse
import json
import math
import statistics
import sys
from collections import Counter


SETTLED_S = 10


def percentile(sorted_values, p):
    """Nearest rank, as the e2e benchmark's jq: the smallest value >= p of the values."""
    if not sorted_values:
        return None
    return sorted_values[max(0, math.ceil(len(sorted_values) * p) - 1)]


def share(count, total):
    return round(count / total, 4) if total else None


def follow_items(records, viewers, jump, item_start):
    """(capture -> True when all viewers are on the same item, None when not or not known
    yet; capture -> seconds since the first viewer entered the current item, None before). Item counters start at the first capture whose viewers are all decoded and within
    `jump` frames of each other (the benchmark starts well inside an item). Only a drop that
    lands in the first `item_start` frames is a new item: a seek back within an item is not."""
    same, since_start = {}, {}
    start_t = None
    count = [0] * viewers
    last = [None] * viewers
    aligned = False
    for record in records:
        frames = record["frames"]
        if not aligned:
            if None in frames or max(frames) - min(frames) > jump:
                same[record["capture"]] = None
                continue
            aligned = True
            last = list(frames)
        for i, n in enumerate(frames):
            if n is None:
                continue
            if n < last[i] - jump and n < item_start:
                count[i] += 1
                if max(count) == count[i] and count.count(count[i]) == 1:
                    start_t = record["t"]  # the first viewer into the next item
            last[i] = n
        same[record["capture"]] = True if len(set(count)) == 1 else None
        since_start[record["capture"]] = None if start_t is None else record["t"] - start_t
    return same, since_start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("captures", help="decode_strips.py output (JSON lines)")
    parser.add_argument("--video-fps", type=float, default=30.0)
    parser.add_argument("--item-jump", type=int, default=15,
                        help="frames: a viewer's number dropping by more starts its next item")
    parser.add_argument("--histogram", help="write 'spread count share' lines here (for gnuplot)")
    parser.add_argument("--series", help="write 't spread offset...' lines per compared capture "
                                         "(offset: frames vs. the median viewer)")
    args = parser.parse_args()

    with open(args.captures) as f:
        records = [json.loads(line) for line in f if line.strip()]
    if not records:
        sys.exit("spread_stats.py: no captures in " + args.captures)
    viewers = len(records[0]["frames"])
    items, since_start = follow_items(records, viewers, args.item_jump, int(2 * args.video_fps))

    spreads = []
    settled = []  # spreads of captures > SETTLED_S after an item start: the steady state
    series = []
    transition_captures = []
    offsets = [[] for _ in range(viewers)]
    undecodable = [Counter() for _ in range(viewers)]
    captures_with_undecodable = 0
    transitions = 0
    for record in records:
        frames, status = record["frames"], record["status"]
        for i, s in enumerate(status):
            if s != "ok":
                undecodable[i][s] += 1
        if any(n is None for n in frames):
            captures_with_undecodable += 1
            continue
        spread = max(frames) - min(frames)
        if items[record["capture"]] is None:
            transitions += 1
            transition_captures.append([record["capture"], frames])
            continue
        spreads.append(spread)
        age = since_start[record["capture"]]
        if age is None or age > SETTLED_S:
            settled.append(spread)
        middle = statistics.median(frames)
        series.append((record["t"], spread, [n - middle for n in frames]))
        for i, n in enumerate(frames):
            offsets[i].append(n - middle)

    # Decoder cross-check: successive captures of one viewer.
    advance = []
    for i in range(viewers):
        checked = within = within_two = 0
        wrapped = 0
        deltas = Counter()
        for a, b in zip(records, records[1:]):
            if a["capture"] + 1 != b["capture"]:
                continue
            na, nb = a["frames"][i], b["frames"][i]
            if na is None or nb is None:
                continue
            step = nb - na
            if step < -args.item_jump:  # the next item started
                wrapped += 1
                continue
            expected = (b["t"] - a["t"]) * args.video_fps
            checked += 1
            # +-1: steady display timing; +-2 still allows each end of the pair one frame
            # of render jitter. A misread bit (other than the lowest) is off by more.
            within += abs(step - expected) <= 1.0
            within_two += abs(step - expected) <= 2.0
            deltas[step] += 1
        advance.append({"pairs": checked, "share_within_one_frame_of_expected": share(within, checked),
                        "share_within_two_frames_of_expected": share(within_two, checked),
                        "item_starts": wrapped,
                        "advance_histogram": {str(k): v for k, v in sorted(deltas.items())}})
    intervals = [b["t"] - a["t"] for a, b in zip(records, records[1:])]

    spreads.sort()
    compared = len(spreads)
    same = sum(s == 0 for s in spreads)
    within_one = sum(s <= 1 for s in spreads)
    result = {
        "captures": len(records),
        "captures_compared": compared,
        "captures_with_undecodable_window": captures_with_undecodable,
        "undecodable_windows": sum(sum(c.values()) for c in undecodable),
        "transitions_excluded": transitions,
        "transition_captures": transition_captures,  # [capture, frame numbers]: judge them
        "screen_frame_spread_p50": percentile(spreads, 0.50),
        "screen_frame_spread_p95": percentile(spreads, 0.95),
        "screen_frame_spread_max": spreads[-1] if spreads else None,
        "share_all_same_frame": share(same, compared),
        "share_within_one_frame": share(within_one, compared),
        # The strict reading: every capture counts, an undecodable or excluded one as a miss.
        "share_within_one_frame_of_all_captures": share(within_one, len(records)),
        # Diagnostic, not the target's measure: only captures more than SETTLED_S after the
        # last item start, to separate transitions from the steady state.
        f"diagnostic_captures_more_than_{SETTLED_S}s_after_an_item_start": len(settled),
        f"diagnostic_share_within_one_frame_more_than_{SETTLED_S}s_after_an_item_start":
            share(sum(s <= 1 for s in settled), len(settled)),
        "spread_histogram": {str(k): v for k, v in sorted(Counter(spreads).items())},
        "capture_interval_s": {
            "mean": round(statistics.fmean(intervals), 4) if intervals else None,
            "max": round(max(intervals), 4) if intervals else None,
        },
        "viewers": [{
            "mean_offset_frames_vs_median": round(statistics.fmean(o), 3) if o else None,
            "undecodable": dict(undecodable[i]),
            "decoder_check": advance[i],
        } for i, o in enumerate(offsets)],
    }
    if args.histogram:
        with open(args.histogram, "w") as f:
            for spread, count in sorted(Counter(spreads).items()):
                f.write(f"{spread} {count} {count / compared:.6f}\n")
    if args.series:
        with open(args.series, "w") as f:
            for t, spread, offs in series:
                f.write(f"{t:.3f} {spread} " + " ".join(f"{o:g}" for o in offs) + "\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
