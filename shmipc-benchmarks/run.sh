#!/usr/bin/env bash
# Builds the benchmark jar and runs it on a JDK 25 or newer, whatever the machine's default java is.
#
#   shmipc-benchmarks/run.sh --quick        about three minutes
#   shmipc-benchmarks/run.sh --full         the full suite (about half an hour)
#   shmipc-benchmarks/run.sh jmh [options]  in-process JMH microbenchmarks
#
# --no-build skips the Maven build. Results land in shmipc-benchmarks/target/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

java_major() {
    "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

find_java() {
    local candidate major
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /usr/local/lib/jvm/*; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
        major=$(java_major "$candidate/bin/java")
        if [ -n "$major" ] && [ "${major%%.*}" -ge 25 ]; then
            echo "$candidate/bin/java"
            return 0
        fi
    done
    return 1
}

java=$(find_java) || { echo "run.sh: no JDK 25 or newer found under /usr/lib/jvm, /opt/java or JAVA_HOME" >&2; exit 1; }

build=true
args=()
for arg in "$@"; do
    if [ "$arg" = "--no-build" ]; then build=false; else args+=("$arg"); fi
done

if $build; then
    # A stale shaded jar is shaded again when only a dependency module changed, and keeps its old copies of
    # that module's classes: start from no jar, so the benchmark always runs the code in the tree.
    rm -f "$root/shmipc-benchmarks/target/shmipc-benchmarks.jar" "$root/shmipc-benchmarks/target/original-shmipc-benchmarks.jar"
    (cd "$root" && ./mvnw -B -ntp -q -pl shmipc-benchmarks -am package -DskipTests)
fi

cd "$root"
exec "$java" --enable-native-access=ALL-UNNAMED --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED \
    -Dbench.command="shmipc-benchmarks/run.sh $*" \
    -jar shmipc-benchmarks/target/shmipc-benchmarks.jar "${args[@]}"
