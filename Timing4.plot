set output 'Timing4.svg
set terminal svg
set multiplot
set grid
set title "Clients scheduling latency"
set xlabel "audio cycles"
set ylabel "usec"
plot "profiler.log" using 9 title "parec/48" with lines, "profiler.log" using 17 title "ALSA plug-in [python3.11]/58" with lines, "profiler.log" using 25 title "ALSA plug-in [python3.11]/54" with lines
unset multiplot
unset output
