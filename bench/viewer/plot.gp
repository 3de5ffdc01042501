# gnuplot -e "dir='PLOT_DIR'; out='FILE.png'; ppm='30000'" bench/viewer/plot.gp
# PLOT_DIR (written by bench/viewer/analyze.py) holds nodrift.dat, drift-p.dat, drift-m.dat:
#   t_s error_ms rate clock_error_ms true_error_ms      (NaN: not known at that tick)
# Rows 1-3: the viewer's own sync error (left axis) and the playback rate it set (right axis)
# in a 60 s run without drift and with its clock running ppm fast / slow.
# Row 4: how far its estimate of server time is from the real server clock in those runs.
set terminal pngcairo size 1200,1500 font "DejaVu Sans,10" noenhanced
set output out
set datafile missing "NaN"
set multiplot layout 4,1 title "streamsync headless viewer, 720p30 demo channel (./scripts/bench.sh viewer)"
set grid ytics xtics
set key top right opaque
set xlabel "seconds since the viewer started"
set xrange [0:*]

set ylabel "sync error, ms (viewer's own)"
set yrange [-60:60]
set y2label "playback rate"
set y2range [0.94:1.06]
set y2tics
set ytics nomirror

set title "no clock drift (round 1 of the CPU runs)"
plot dir.'/nodrift.dat' using 1:2 with lines lw 1 lc rgb "#3a7bd5" title "error_ms", \
     '' using 1:3 axes x1y2 with steps lw 1.5 lc rgb "#d53a3a" title "rate"
set title sprintf("clock drift +%s ppm (the client's clock runs fast)", ppm)
plot dir.'/drift-p.dat' using 1:2 with lines lw 1 lc rgb "#3a7bd5" title "error_ms", \
     '' using 1:3 axes x1y2 with steps lw 1.5 lc rgb "#d53a3a" title "rate"
set title sprintf("clock drift -%s ppm (the client's clock runs slow)", ppm)
plot dir.'/drift-m.dat' using 1:2 with lines lw 1 lc rgb "#3a7bd5" title "error_ms", \
     '' using 1:3 axes x1y2 with steps lw 1.5 lc rgb "#d53a3a" title "rate"

unset y2tics
unset y2label
set ytics mirror
set yrange [*:*]
set title "estimated server time minus the real server clock (server_us − system clock at mono_ns): what error_ms cannot see"
set ylabel "clock estimate error, ms"
set key top left
plot dir.'/nodrift.dat' using 1:4 with lines lw 1.5 lc rgb "#333333" title "no drift", \
     dir.'/drift-p.dat' using 1:4 with lines lw 1.5 lc rgb "#3a7bd5" title sprintf("+%s ppm", ppm), \
     dir.'/drift-m.dat' using 1:4 with lines lw 1.5 lc rgb "#2a9d4a" title sprintf("-%s ppm", ppm)
unset multiplot
