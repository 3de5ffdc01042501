#!/usr/bin/env python3
"""Turns the viewer benchmark's runs into bench/results/viewer.json and the plot data
(Python 3, standard library only). Run by bench/viewer_bench.sh:

    analyze.py --runs DIR --meta META.json --out OUT.json --plot-dir DIR

DIR holds, per run, NAME.json (bench/viewer/measure.py) and, for viewer runs, NAME.jsonl (the
viewer's --report: one JSON line per sync tick). Names: cpu-viewer-R, cpu-mpv-R (the CPU/RSS
rounds), drift-p-R / drift-m-R (+/- clock drift), join-N (the join runs).

Definitions (the doc repeats them):
  first frame   the first tick whose state is correcting or in_sync: the seek has landed,
                its first frame was shown (vo=null) and held until the resume instant, and
                the clock is running. (join_to_position_ms: the first tick with raw_pos_s > 0,
                mpv's own position, which can appear before that.)
  in sync       the first tick whose state is in_sync.
  transition    a tick whose item differs from the previous tick's, once playing.
  dropped       mpv's frame-drop-count + decoder-frame-drop-count as the report gives them;
                those are per-file counters that restart at every item, so drops are summed
                as the positive steps of the column, not read from its last value.
  clock error   server_us − true server time, where true server time is the system clock
                at the tick (mono_ns + realtime_minus_mono_ns): the server answers NTP from
                std::chrono::system_clock on this same machine.
  true error    error_ms + clock error: where the viewer really is against the schedule.
"""
import argparse
import glob
import json
import math
import os
import re

PLAYING = ("correcting", "in_sync")
STEADY_FROM_S = 10  # "steady" CPU: from here to the end of the window, both playing
JOIN_SETTLE_S = 5   # transitions this soon after the first playing tick measure the join


def pct(values, p):
    """Linear-interpolation percentile (numpy's default); None for no values."""
    v = sorted(x for x in values if x is not None)
    if not v:
        return None
    k = (len(v) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def median(values):
    return pct(values, 50)


def r(x, digits=3):
    return None if x is None else round(x, digits)


def load(path):
    with open(path) as f:
        return json.load(f)


def load_report(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError:
                    pass  # a line cut short by SIGTERM
    return rows


def clock_error_ms(row, offset_ns):
    if row.get("server_us") is None:
        return None
    return (row["server_us"] - (row["mono_ns"] + offset_ns) / 1000) / 1000


def summed_drops(rows):
    drops, last = 0, 0
    for row in rows:
        d = row.get("dropped_frames", 0) or 0
        if d > last:
            drops += d - last
        last = d
    return drops


def report_summary(rows, offset_ns):
    """What one viewer report says about playback, after the first playing tick."""
    first = next((i for i, row in enumerate(rows) if row["state"] in PLAYING), None)
    if first is None:
        return {"ticks": len(rows), "played": False}
    play = rows[first:]
    t0 = rows[0]["mono_ns"]
    rates = [row["rate"] for row in play if row["state"] in PLAYING]
    errors = [abs(row["error_ms"]) for row in play if row.get("error_ms") is not None]
    clock = [clock_error_ms(row, offset_ns) for row in play]
    true_errors = [abs(row["error_ms"] + c) for row, c in zip(play, clock)
                   if row.get("error_ms") is not None and c is not None]
    rate_steps = sum(1 for a, b in zip(play, play[1:]) if a["rate"] != b["rate"])
    states = {}
    for a, b in zip(play, play[1:]):
        states[a["state"]] = states.get(a["state"], 0) + (b["mono_ns"] - a["mono_ns"]) / 1e9
    last = rows[-1]
    end_clock = clock_error_ms(last, offset_ns)
    start_clock = next((c for c in clock if c is not None), None)
    played_s = (last["mono_ns"] - rows[first]["mono_ns"]) / 1e9
    gaps = [(b["mono_ns"] - a["mono_ns"]) / 1e6 for a, b in zip(rows, rows[1:])]
    return {
        "played": True,
        "ticks": len(rows),
        "tick_interval_ms_p50": r(median([(b["mono_ns"] - a["mono_ns"]) / 1e6
                                          for a, b in zip(rows, rows[1:])])),
        "first_playing_s": r((rows[first]["mono_ns"] - t0) / 1e9),
        "played_s": r(played_s),
        "tick_gap_ms_max": r(max(gaps) if gaps else None, 1),
        "tick_gaps_over_100ms": sum(g > 100 for g in gaps),
        "dropped_frames": summed_drops(rows),
        "dropped_frames_last_value": last.get("dropped_frames"),
        "rate_changes": last.get("rate_changes"),
        "rate_steps_in_report": rate_steps,
        "seeks": last.get("seeks"),
        "stalls": last.get("stalls"),
        "quality_switches": last.get("quality_switches"),
        "items_seen": len({(row["item"], row.get("video_id")) for row in play}),
        "rate_min": min(rates) if rates else None,
        "rate_max": max(rates) if rates else None,
        "rate_p5": r(pct(rates, 5), 5),
        "rate_p50": r(pct(rates, 50), 5),
        "rate_p95": r(pct(rates, 95), 5),
        "share_of_ticks_rate_above_1": r(sum(x > 1 for x in rates) / len(rates)) if rates else None,
        "share_of_ticks_rate_below_1": r(sum(x < 1 for x in rates) / len(rates)) if rates else None,
        "seconds_in_state": {k: r(v, 2) for k, v in sorted(states.items())},
        "abs_error_ms_p50": r(pct(errors, 50)),
        "abs_error_ms_p95": r(pct(errors, 95)),
        "abs_error_ms_max": r(max(errors) if errors else None),
        "clock_error_ms_at_end": r(end_clock),
        "clock_error_ms_per_s": r((end_clock - start_clock) / played_s, 2)
                                 if end_clock is not None and start_clock is not None and played_s > 1
                                 else None,
        "abs_clock_error_ms_max": r(max((abs(c) for c in clock if c is not None), default=None)),
        "abs_true_error_ms_p50": r(pct(true_errors, 50)),
        "abs_true_error_ms_p95": r(pct(true_errors, 95)),
        "abs_true_error_ms_max": r(max(true_errors) if true_errors else None),
        "clock_error_bound_ms_at_end": r(last.get("clock_error_bound_us", 0) / 1000),
    }


def transitions(rows, offset_ns, run):
    """Every change of item once playing: |error| ~0.5 s after it and the max within 2 s."""
    out = []
    started = None  # mono_ns of the first playing tick
    for i in range(1, len(rows)):
        if started is None and rows[i - 1]["state"] in PLAYING:
            started = rows[i - 1]["mono_ns"]
        if started is None or rows[i]["item"] == rows[i - 1]["item"]:
            continue
        t = rows[i]["mono_ns"]
        if rows[-1]["mono_ns"] < t + 2e9:
            continue  # the report ends before the 2 s window does
        window = [row for row in rows[i:] if row["mono_ns"] <= t + 2e9]
        at_half = next((row for row in rows[i:]
                        if row["mono_ns"] >= t + 0.5e9 and row.get("error_ms") is not None), None)
        errs = [abs(row["error_ms"]) for row in window if row.get("error_ms") is not None]
        true = [abs(row["error_ms"] + clock_error_ms(row, offset_ns)) for row in window
                if row.get("error_ms") is not None and row.get("server_us") is not None]
        before = rows[i - 1]
        # the last known error in the second before the change (the last ticks can have none)
        known = next((row for row in reversed(rows[max(0, i - 200):i])
                      if row.get("error_ms") is not None and row["mono_ns"] >= t - 1e9), None)
        first_moving = next((row for row in window if row["item"] == rows[i]["item"]
                             and 0 < row["raw_pos_s"] < 5), None)
        out.append({
            "run": run,
            "t_s": r((t - rows[0]["mono_ns"]) / 1e9),
            "since_playing_s": r((t - started) / 1e9),
            "during_join": (t - started) / 1e9 < JOIN_SETTLE_S,
            "from_item": before["item"], "to_item": rows[i]["item"],
            "to_video": rows[i].get("video_id"),
            "error_ms_before": known["error_ms"] if known else None,
            # mpv's own position minus the target at the first tick where the new item has one
            "raw_minus_target_ms_at_start": r((first_moving["raw_pos_s"] - first_moving["target_s"]) * 1000, 1)
                                            if first_moving else None,
            "abs_error_ms_at_0_5s": r(abs(at_half["error_ms"])) if at_half else None,
            "error_ms_at_0_5s": r(at_half["error_ms"]) if at_half else None,
            "abs_error_ms_max_2s": r(max(errs)) if errs else None,
            "abs_true_error_ms_max_2s": r(max(true)) if true else None,
            "ticks_not_playing_2s": sum(1 for row in window if row["state"] not in PLAYING),
            "states_2s": sorted({row["state"] for row in window}),
            "seeks_in_2s": window[-1]["seeks"] - before["seeks"],
            "dropped_in_2s": summed_drops([before] + window),
            # mpv's position at the first tick of the new item, and the first tick where it
            # has moved past the new item's first frame (new item playing).
            "raw_pos_s_at_change": rows[i]["raw_pos_s"],
            "new_item_moving_after_ms": next(
                (r((row["mono_ns"] - t) / 1e6, 1) for row in window
                 if row["raw_pos_s"] > 0 and row["item"] == rows[i]["item"]
                 and row["raw_pos_s"] < 5), None),
        })
    return out


def cpu_rate_after(run, from_s):
    """CPU seconds per wall second from the first sample at >= from_s to the window's end."""
    first = next((x for x in run["samples"] if x[0] >= from_s), None)
    end = run["at_window"]
    if first is None or end["t_s"] - first[0] < 1:
        return None
    return (end["cpu_s"] - first[1]) / (end["t_s"] - first[0])


def rss_at(run, at_s):
    """VmRSS (MB) of the first sample at >= at_s."""
    return next((x[2] for x in run["samples"] if x[0] >= at_s), None)


def plot_file(path, rows, offset_ns):
    t0 = rows[0]["mono_ns"]
    with open(path, "w") as f:
        f.write("# t_s error_ms rate clock_error_ms true_error_ms\n")
        for row in rows:
            c = clock_error_ms(row, offset_ns)
            e = row.get("error_ms")
            f.write("%.3f %s %.6f %s %s\n" % (
                (row["mono_ns"] - t0) / 1e9,
                "NaN" if e is None else "%.3f" % e,
                row["rate"],
                "NaN" if c is None else "%.3f" % c,
                "NaN" if e is None or c is None else "%.3f" % (e + c)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", required=True)
    parser.add_argument("--meta", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--plot-dir", required=True)
    args = parser.parse_args()
    meta = load(args.meta)
    runs = {os.path.basename(p)[:-5]: load(p) for p in glob.glob(os.path.join(args.runs, "*.json"))}

    def report(name):
        path = os.path.join(args.runs, name + ".jsonl")
        return load_report(path) if os.path.exists(path) else []

    def numbered(prefix):
        return sorted((n for n in runs if re.fullmatch(prefix + r"-\d+", n)),
                      key=lambda n: int(n.rsplit("-", 1)[1]))

    # ---- 1. CPU and RSS against plain mpv, same window, alternating order
    cpu_rounds = []
    all_transitions = []
    for name in numbered("cpu-viewer"):
        k = name.rsplit("-", 1)[1]
        v, m = runs[name], runs.get("cpu-mpv-" + k)
        if not m or not v.get("at_window") or not m.get("at_window"):
            continue
        rows = report(name)
        vw, mw = v["at_window"], m["at_window"]
        summary = report_summary(rows, v["realtime_minus_mono_ns"]) if rows else None
        all_transitions += transitions(rows, v["realtime_minus_mono_ns"], name)
        v_rate, m_rate = cpu_rate_after(v, STEADY_FROM_S), cpu_rate_after(m, STEADY_FROM_S)
        cpu_rounds.append({
            "round": int(k),
            "first": "viewer" if v["start_mono_ns"] < m["start_mono_ns"] else "mpv",
            "window_s": vw["t_s"],
            "viewer_cpu_s": vw["cpu_s"], "mpv_cpu_s": mw["cpu_s"],
            "viewer_utime_s": vw["utime_s"], "viewer_stime_s": vw["stime_s"],
            "mpv_utime_s": mw["utime_s"], "mpv_stime_s": mw["stime_s"],
            "cpu_ratio": r(vw["cpu_s"] / mw["cpu_s"]),
            "viewer_cpu_per_s_steady": r(v_rate, 4), "mpv_cpu_per_s_steady": r(m_rate, 4),
            "cpu_ratio_steady": r(v_rate / m_rate) if v_rate and m_rate else None,
            "viewer_peak_rss_mb": r(vw["vmhwm_kb"] / 1024, 1),
            "mpv_peak_rss_mb": r(mw["vmhwm_kb"] / 1024, 1),
            "rss_ratio": r(vw["vmhwm_kb"] / mw["vmhwm_kb"]),
            "viewer_rss_mb_at_10s": rss_at(v, STEADY_FROM_S), "mpv_rss_mb_at_10s": rss_at(m, STEADY_FROM_S),
            "viewer_cpu_s_to_exit": v["exit"]["cpu_s"], "mpv_cpu_s_to_exit": m["exit"]["cpu_s"],
            "loadavg_viewer_start": v["loadavg_at_start"], "loadavg_mpv_start": m["loadavg_at_start"],
            "viewer_report": summary,
        })
        if int(k) == 1 and rows:
            plot_file(os.path.join(args.plot_dir, "nodrift.dat"), rows, v["realtime_minus_mono_ns"])
        for kind, run in (("viewer", v), ("mpv", m)):
            with open(os.path.join(args.plot_dir, f"cpu-{kind}-{k}.dat"), "w") as f:
                f.write("# t_s cpu_s rss_mb\n")
                for s in run["samples"]:
                    f.write("%s %s %s\n" % tuple(s))

    # ---- 2. drifting clocks: the sync loop has to keep correcting
    drift_runs = []
    drift_transitions = []
    for prefix, ppm_key in (("drift-p", "drift_plus_ppm"), ("drift-m", "drift_minus_ppm")):
        for name in numbered(prefix):
            run = runs[name]
            rows = report(name)
            summary = report_summary(rows, run["realtime_minus_mono_ns"]) if rows else {"played": False}
            summary.update({"run": name, "clock_drift_ppm": meta[ppm_key], "wall_s": run["wall_s"],
                            "loadavg_at_start": run["loadavg_at_start"]})
            drift_runs.append(summary)
            drift_transitions += transitions(rows, run["realtime_minus_mono_ns"], name)
            if name.endswith("-1") and rows:
                plot_file(os.path.join(args.plot_dir, prefix + ".dat"), rows,
                          run["realtime_minus_mono_ns"])
    played = [d for d in drift_runs if d.get("played")]

    # ---- 3. joins
    joins = []
    for name in numbered("join"):
        run = runs[name]
        rows = report(name)
        start = run["start_mono_ns"]

        def first(pred):
            row = next((row for row in rows if pred(row)), None)
            return None if row is None else r((row["mono_ns"] - start) / 1e6, 1)
        playing = next((row for row in rows if row["state"] in PLAYING), None)
        gaps = [(b["mono_ns"] - a["mono_ns"]) / 1e6 for a, b in zip(rows, rows[1:])]
        joins.append({
            "run": name,
            "first_error_ms": playing.get("error_ms") if playing else None,
            "tick_gap_ms_max": r(max(gaps) if gaps else None, 1),
            "dropped_frames": summed_drops(rows),
            "first_tick_ms": first(lambda row: True),
            "seeking_ms": first(lambda row: row["state"] == "seeking"),
            "position_ms": first(lambda row: row["raw_pos_s"] > 0),
            "first_frame_ms": first(lambda row: row["state"] in PLAYING),
            "in_sync_ms": first(lambda row: row["state"] == "in_sync"),
            "wall_s": run["wall_s"],
            "exit_code": run["exit"]["code"], "exit_signal": run["exit"]["signal"],
            "item": rows[-1]["item"] if rows else None,
            "seeks": rows[-1]["seeks"] if rows else None,
            "loadavg_at_start": run["loadavg_at_start"],
        })

    def dist(key):
        vals = [j[key] for j in joins if j[key] is not None]
        return {"p50": r(pct(vals, 50), 1), "p95": r(pct(vals, 95), 1),
                "min": r(min(vals), 1) if vals else None, "max": r(max(vals), 1) if vals else None,
                "n": len(vals), "missing": len(joins) - len(vals)}

    # ---- results
    t = meta["targets"]
    cpu_ratio = median([c["cpu_ratio"] for c in cpu_rounds])
    rss_ratio = median([c["rss_ratio"] for c in cpu_rounds])
    drops = sum(d["dropped_frames"] for d in played) if played else None
    join_ff = dist("first_frame_ms")
    counted = [x for x in all_transitions if not x["during_join"]]
    dcounted = [x for x in drift_transitions if not x["during_join"]]
    half = [x["abs_error_ms_at_0_5s"] for x in counted]
    max2 = [x["abs_error_ms_max_2s"] for x in counted]
    dhalf = [x["abs_error_ms_at_0_5s"] for x in dcounted]
    dmax2 = [x["abs_error_ms_max_2s"] for x in dcounted]
    result = dict(meta)
    result.update({
        "cpu_ratio_vs_mpv": r(cpu_ratio),
        "rss_ratio_vs_mpv": r(rss_ratio),
        "cpu_ratio_vs_mpv_steady": r(median([c["cpu_ratio_steady"] for c in cpu_rounds])),
        "cpu_ratio_steady_from_s": STEADY_FROM_S,
        "viewer_cpu_s": r(median([c["viewer_cpu_s"] for c in cpu_rounds])),
        "mpv_cpu_s": r(median([c["mpv_cpu_s"] for c in cpu_rounds])),
        "viewer_peak_rss_mb": r(median([c["viewer_peak_rss_mb"] for c in cpu_rounds]), 1),
        "mpv_peak_rss_mb": r(median([c["mpv_peak_rss_mb"] for c in cpu_rounds]), 1),
        "cpu_rounds": cpu_rounds,

        "dropped_frames_during_rate_changes": drops,
        "rate_changes_during_drift": sum(d["rate_changes"] or 0 for d in played) if played else None,
        "drift_rate_min": min((d["rate_min"] for d in played), default=None),
        "drift_rate_max": max((d["rate_max"] for d in played), default=None),
        "dropped_frames_without_drift": sum((c["viewer_report"] or {}).get("dropped_frames", 0)
                                            for c in cpu_rounds),
        "drift_runs": drift_runs,

        "join_to_first_frame_ms": join_ff,
        "join_to_in_sync_ms": dist("in_sync_ms"),
        "join_to_position_ms": dist("position_ms"),
        "join_to_seeking_ms": dist("seeking_ms"),
        "join_phases_ms_p50": {
            "spawn_to_first_tick": r(median([j["first_tick_ms"] for j in joins]), 1),
            "first_tick_to_seeking": r(median([j["seeking_ms"] - j["first_tick_ms"] for j in joins
                                                if j["seeking_ms"] and j["first_tick_ms"]]), 1),
            "seeking_to_position": r(median([j["position_ms"] - j["seeking_ms"] for j in joins
                                              if j["position_ms"] and j["seeking_ms"]]), 1),
            "position_to_first_frame": r(median([j["first_frame_ms"] - j["position_ms"] for j in joins
                                                  if j["first_frame_ms"] and j["position_ms"]]), 1),
            "first_frame_to_in_sync": r(median([j["in_sync_ms"] - j["first_frame_ms"] for j in joins
                                                 if j["in_sync_ms"] and j["first_frame_ms"]]), 1),
        },
        "join_first_error_ms": {
            "p50": r(median([j["first_error_ms"] for j in joins])),
            "min": r(min((j["first_error_ms"] for j in joins if j["first_error_ms"] is not None), default=None)),
            "max": r(max((j["first_error_ms"] for j in joins if j["first_error_ms"] is not None), default=None)),
            "definition": "error_ms (signed, + = ahead) at the first playing tick of each join",
        },
        "joins_with_tick_gap_over_100ms": sum(1 for j in joins if (j["tick_gap_ms_max"] or 0) > 100),
        "dropped_frames_in_joins": sum(j["dropped_frames"] for j in joins),
        "join_runs": joins,

        "item_transition_gap_ms": {
            "p50": r(pct(half, 50)), "max": r(max((x for x in half if x is not None), default=None)),
            "max_within_2s_p50": r(pct(max2, 50)),
            "max_within_2s_max": r(max((x for x in max2 if x is not None), default=None)),
            "n": len(counted),
            "excluded_during_join": len(all_transitions) - len(counted),
            "definition": "|error_ms| at the first tick >= 0.5 s after the item changes (p50, max "
                          "over transitions); max_within_2s_*: the largest |error_ms| in the 2 s "
                          "after it. From the no-drift runs of section 1; transitions less than "
                          "%d s after the viewer first played are listed but not counted "
                          "(they measure the join's convergence)." % JOIN_SETTLE_S,
        },
        "item_transitions": all_transitions,
        "item_transition_gap_ms_drifting": {
            "p50": r(pct(dhalf, 50)), "max": r(max((x for x in dhalf if x is not None), default=None)),
            "max_within_2s_p50": r(pct(dmax2, 50)),
            "max_within_2s_max": r(max((x for x in dmax2 if x is not None), default=None)),
            "n": len(dcounted),
            "excluded_during_join": len(drift_transitions) - len(dcounted),
        },
        "item_transitions_drifting": drift_transitions,
    })
    result["met"] = {
        "cpu_ratio_vs_mpv": cpu_ratio is not None and cpu_ratio <= t["cpu_ratio_vs_mpv"],
        "rss_ratio_vs_mpv": rss_ratio is not None and rss_ratio <= t["rss_ratio_vs_mpv"],
        "dropped_frames_during_rate_changes": drops is not None and drops <= t["dropped_frames_during_rate_changes"],
        "join_to_first_frame_ms_p95": join_ff["p95"] is not None and join_ff["missing"] == 0
                                      and join_ff["p95"] <= t["join_to_first_frame_ms_p95"],
    }
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
