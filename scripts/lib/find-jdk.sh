# Sourced by the scripts in scripts/: finds a JDK 25 or newer whatever `java` is on the PATH.
# shellcheck shell=bash

java_major() { # prints the feature version of the java at $1, e.g. 25
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p'
}

find_java() { # JAVA_HOME if it is 25 or newer, else the newest JDK >= 25 under /usr/lib/jvm
  local candidate major best="" best_major=0
  for candidate in "${JAVA_HOME:-}/bin/java" /usr/lib/jvm/*/bin/java; do
    [[ -x "$candidate" ]] || continue
    major="$(java_major "$candidate")"
    [[ "$major" =~ ^[0-9]+$ ]] || continue
    if [[ "$candidate" == "${JAVA_HOME:-}/bin/java" && "$major" -ge 25 ]]; then
      echo "$candidate"; return 0
    fi
    if (( major >= 25 && major > best_major )); then
      best="$candidate"; best_major="$major"
    fi
  done
  [[ -n "$best" ]] && echo "$best"
}
