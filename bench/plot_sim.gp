# gnuplot -e "trace_dir='DIR'; out='FILE.png'" bench/plot_sim.gp
# Sync error over time for every viewer of every simulated scenario.
set terminal pngcairo size 1400,1500 font "DejaVu Sans,10"
set output out
set multiplot layout 3,2 title "Closed-loop sync simulation: each viewer's sync error (player − ideal), ms"
set grid
set xlabel "simulated time (s)"
set ylabel "sync error (ms)"
set key off
scenarios = "loopback wan_jitter_uniform wan_jitter_normal asymmetric_10ms_out_30ms_back stall_3s server_clock_step_2s"
titles = "'loopback, 10 viewers' 'WAN 40±15 ms uniform, 1% loss' 'WAN 40±15 ms normal, 1% loss' 'asymmetric 10/30 ms (bias −10 ms expected)' '3 s stall at 60 s' 'server clock steps 2 s at 60 s'"
do for [i=1:words(scenarios)] {
  set title word(titles, i)
  f = sprintf("%s/%s.tsv", trace_dir, word(scenarios, i))
  stats f using 2 nooutput
  set yrange [-20:20]
  plot for [c=2:STATS_columns] f using 1:c with lines lw 1
}
unset multiplot
