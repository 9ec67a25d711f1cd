# bench/plot.gp: ns per decision (and load + compile time) against the number of rules.
#   gnuplot -e "datafile='bench/results/scaling.dat'; outfile='bench/results/scaling.png'" bench/plot.gp
# scaling.dat (written by bench/report.mjs): rules, decide_ns_median, compile_ms_median, fired_per_request.
if (!exists("datafile")) datafile = 'bench/results/scaling.dat'
if (!exists("outfile")) outfile = 'bench/results/scaling.png'

set terminal pngcairo size 900,560 enhanced font "DejaVu Sans,11"
set output outfile
set title "cordon: cost of one decision against the number of rules (synthetic sets, median of 9)"
set logscale x 10
set logscale y 10
set logscale y2 10
set xrange [5:20000]
set format x "10^{%L}"
set format y "%g"
set xlabel "rules in the policy set"
set ylabel "ns per decision (pre-decoded requests)"
set y2label "load + compile (ms)"
set ytics nomirror
set y2tics
set grid xtics ytics
set key bottom right box opaque

# The issue's scaling target: 10,000 rules at most 3x the time of 100 rules (dotted line).
stats datafile using ($1 == 100 ? $2 : 1/0) nooutput name "R100"
t100 = R100_max
set arrow 1 from 100, 3 * t100 to 10000, 3 * t100 nohead dt 3 lw 2 lc rgb "#2ca02c"
set label 1 "target: 10,000 rules <= 3x the 100-rule time" at 120, 3 * t100 * 1.1 tc rgb "#2ca02c"

plot datafile using 1:2 with linespoints lw 2 pt 7 ps 1.3 lc rgb "#1f77b4" title "ns per decision (median)", \
     datafile using 1:2:(sprintf("%.0f ns", $2)) with labels textcolor rgb "#1f77b4" offset 0,1.2 notitle, \
     datafile using 1:3 axes x1y2 with linespoints lw 2 pt 5 dt 2 lc rgb "#d62728" title "load + compile (ms, right axis)"
