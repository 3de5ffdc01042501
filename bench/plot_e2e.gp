# Plots of bench/e2e_bench.sh: error to the schedule over time per viewer (one panel per
# scenario) and the CDF of the pairwise error between viewers.
#   gnuplot -e "data='DIR_WITH_TSV_AND_PAIRS'; out='OUTPUT_DIR'" bench/plot_e2e.gp
set terminal pngcairo size 1400,1600 font ",10"
set output out."/e2e-error-over-time.png"
scenarios = "clean impaired asymmetric bandwidth faults"
set multiplot layout 5,1 title "Sync error of each viewer (measured - schedule), ms"
set yrange [-60:60]
set ylabel "ms"
set grid
do for [s in scenarios] {
  set title s
  set xlabel (s eq "faults" ? "s since the scenario started" : "")
  plot for [v=0:15] data."/e2e-".s.".tsv" using ($2 == v ? $1 : 1/0):3 with dots notitle
}
unset multiplot

set terminal pngcairo size 900,600 font ",10"
set output out."/e2e-pair-error-cdf.png"
set title "Pairwise error between viewers at the same instant (after 20 s)"
set xlabel "pair error, ms (log scale)"
set ylabel "share of comparisons"
set logscale x
set xrange [0.01:200]
set yrange [0:1]
set key bottom right
plot for [s in "clean impaired asymmetric bandwidth"] data."/e2e-".s.".pairs" \
       using 1:($0 + 1) smooth cnormal with lines lw 2 title s
