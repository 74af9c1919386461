set output 'Timing5.svg
set terminal svg
set multiplot
set grid
set title "Clients duration"
set xlabel "audio cycles"
set ylabel "usec"
plot "profiler.log" using 10 title "parec/48" with lines, "profiler.log" using 18 title "ALSA plug-in [python3.11]/58" with lines, "profiler.log" using 26 title "ALSA plug-in [python3.11]/54" with lines
unset multiplot
unset output
