#!/usr/bin/env bash
# 64 B echo latency of the C client (shmipc-call) beside the Java client (ShmClient), against one Java
# server, in one run: rounds alternate C and Java so that machine load affects both alike.
#
#   ./mvnw -B -ntp -q -pl shmipc-interop-tests -am test-compile -Dspotless.check.skip=true
#   make -C clients/c
#   clients/c/bench/echo-c-vs-java.sh [rounds=5] [calls=200000] [warmup=50000] [size=64]
#
# Needs a JDK 25 (JAVA, else the newest /usr/lib/jvm/*25*). The server and both clients use the Java
# defaults: hybrid wait, 100 us spin, /dev/shm. Prints each round's summary line and the median p50s.
set -euo pipefail
cd "$(dirname "$0")/../../.."
rounds=${1:-5} calls=${2:-200000} warmup=${3:-50000} size=${4:-64}
java=${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java | tail -1)}
cp=shmipc-core/target/classes:shmipc-interop-tests/target/test-classes
dir=/dev/shm
name=shmipc-test-bench-$$
tool=clients/c/build/shmipc-call
[ -x "$tool" ] || { echo "build the tool first: make -C clients/c" >&2; exit 1; }
[ -d shmipc-interop-tests/target/test-classes ] || { echo "compile first (see the header of $0)" >&2; exit 1; }

fifo=$(mktemp -u) && mkfifo "$fifo"
"$java" --enable-native-access=ALL-UNNAMED -cp "$cp" io.shmipc.interop.InteropServerMain \
    "$name" "$dir" 16 65536 < "$fifo" > "/tmp/$name.server.log" 2>&1 &
server=$!
exec 3> "$fifo"   # the server exits when this closes
trap 'exec 3>&-; wait $server 2>/dev/null; rm -f "$fifo" "/tmp/$name.server.log"' EXIT
until grep -q READY "/tmp/$name.server.log"; do sleep 0.2; done

c_p50=() java_p50=()
for round in $(seq 1 "$rounds"); do
    c=$("$tool" -d "$dir" -n "$calls" -w "$warmup" -s "$size" "$name" echo)
    j=$("$java" --enable-native-access=ALL-UNNAMED -cp "$cp" io.shmipc.interop.JavaEchoLatencyMain \
        "$name" "$dir" "$calls" "$warmup" "$size")
    echo "round $round C    $c"
    echo "round $round Java $j"
    c_p50+=("$(sed -E 's/.*p50_us=([0-9.]+).*/\1/' <<< "$c")")
    java_p50+=("$(sed -E 's/.*p50_us=([0-9.]+).*/\1/' <<< "$j")")
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
echo "median p50 of $rounds rounds, ${size} B echo: C $(median "${c_p50[@]}") us, Java $(median "${java_p50[@]}") us"
echo "round p50s: C ${c_p50[*]} | Java ${java_p50[*]}"
