# Plots of bench/screen_bench.sh: the histogram of the per-capture frame spread between the
# viewers, and (with series=) each viewer's offset from the median viewer over time.
#   gnuplot -e "hist='FILE'; out='PNG'[; series='FILE2'; out2='PNG2'; viewers=N]" bench/screen/plot_spread.gp
# FILE, FILE2: bench/screen/spread_stats.py --histogram, --series.
set terminal pngcairo size 800,500 font ",10"
set output out
set title "Frame spread between the viewers' windows per screen capture (max - min frame number)"
set xlabel "spread, frames at 30 fps (1 frame = 33.3 ms)"
set ylabel "share of compared captures"
set yrange [0:1.05]
set xrange [-0.6:*]
set xtics 1
set grid ytics
# The share within one frame, against the target.
stats hist using ($1 <= 1 ? $3 : 0) name "within" nooutput
set label 1 sprintf("within one frame: %.1f %% of compared captures (target >= 95 %%)", 100 * within_sum) \
  at graph 0.98, graph 0.93 right
set boxwidth 0.7
set style fill solid 0.6
plot hist using 1:3 with boxes lc rgb "#3070b0" notitle, \
     hist using 1:3:(sprintf("%.1f %%", 100 * $3)) with labels offset 0,0.8 notitle

if (exists("series")) {
  reset
  set terminal pngcairo size 1000,450 font ",10"
  set output out2
  set title "Each viewer's frame on screen minus the median viewer's, per capture (item transitions excluded)"
  set xlabel "s since the captures started"
  set ylabel "frames (1 frame = 33.3 ms)"
  set grid
  set key below horizontal
  set yrange [*:*]
  set ytics 2
  plot for [v=0:viewers - 1] series using 1:(column(3 + v)) with lines lw 1.5 title sprintf("viewer %d", v)
}
