# gnuplot -e "rss='RSS.dat'; ratios='RATIOS.dat'; out='FILE.png'" bench/plot_server.gp
# Left: streamsync-server against its baselines (higher is better, dashes mark the goals).
# Right: the server's resident memory while 1000 viewers register and heartbeat.
set terminal pngcairo size 1200,450 font "DejaVu Sans,10"
set output out
set multiplot layout 1,2 title "streamsync-server benchmark (./scripts/bench.sh server)"
set grid ytics
set key off

set title "Speed relative to the baseline, same run (higher is better)"
set ylabel "ratio"
set style fill solid 0.6
set boxwidth 0.5
set yrange [0:*]
set offsets 0, 0, 0.2, 0  # room above the goal marks and labels
set xrange [-0.6:2.6]
plot ratios using 0:2:xtic(1) with boxes lc rgb "#3a7bd5", \
     '' using ($0 - 0.3):($3 > 0 ? $3 : 1/0):(0.6):(0) with vectors nohead dt 2 lw 2 lc rgb "#d53a3a", \
     '' using 0:2:(sprintf("%.2f", $2)) with labels offset 0,0.7

set title "Resident memory (VmRSS), 1000 viewers heartbeating every 5 s"
set xlabel "time since the viewers started registering (s)"
set ylabel "MiB"
set autoscale x
set offsets 0, 0, 0, 0
set yrange [0:*]
plot rss using 1:2 with linespoints pt 7 ps 0.4 lc rgb "#3a7bd5"
unset multiplot
