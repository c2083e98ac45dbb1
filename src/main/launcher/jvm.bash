# Runs the macvlan-doctor jar on the newest installed Java runtime >= 17, with the options that make it start fast.
# Sourced by the clone's launcher (./macvlan-doctor) and by the package's /usr/bin/macvlan-doctor, which set:
#   MVD_JAR    the jar
#   MVD_CACHE  a directory for the start-up archive (need not be writable: then none is written)
# MVD_JAVA (a java binary) overrides the choice of runtime; MVD_JAVA_OPTS adds options. A launcher that looked
# for the runtime already (mvd_pick_java) passes what it found in MVD_FOUND_JAVA.

# Prints "JAVA MAJOR FULL" of the newest runtime >= 17 (see mvd_pick_java); fails when there is none.
mvd_find_java() {
  mvd_pick_java && echo "$MVD_FOUND_JAVA"
}

# Sets MVD_FOUND_JAVA to "JAVA MAJOR FULL" of the newest runtime >= 17: $JAVA_HOME, every /usr/lib/jvm/*, and the
# java on PATH, compared by the version in each runtime's release file (reading it starts no JVM). Fails when there
# is none. A variable rather than output: $(...) would start a process.
mvd_pick_java() {
  # Bash built-ins only: this runs before every command, and each program started costs milliseconds.
  if [ -n "${MVD_FOUND_JAVA:-}" ]; then return 0; fi
  local homes=() home v line best="" bestv=0 bestfull="" java
  if [ -n "${MVD_JAVA:-}" ]; then
    java=$(readlink -f "$MVD_JAVA")
    homes=("${java%/bin/*}")
  else
    [ -n "${JAVA_HOME:-}" ] && homes+=("$JAVA_HOME")
    for home in /usr/lib/jvm/*/; do homes+=("${home%/}"); done
    # The java on PATH, unless it is one of those already: `-ef` follows its links (/etc/alternatives) without
    # a program, and hash finds it without a subshell.
    if hash java 2>/dev/null; then
      java=${BASH_CMDS[java]}
      local known=""
      for home in "${homes[@]}"; do
        if [ "$java" -ef "$home/bin/java" ]; then known=1; break; fi
      done
      [ -n "$known" ] || { java=$(readlink -f "$java") && homes+=("${java%/bin/*}"); }
    fi
  fi
  for home in "${homes[@]}"; do
    [ -x "$home/bin/java" ] && [ -f "$home/release" ] || continue
    v=""
    while IFS= read -r line; do
      if [[ "$line" =~ ^JAVA_VERSION=\"([^\"]*)\" ]]; then v=${BASH_REMATCH[1]}; break; fi
    done < "$home/release"
    [[ "$v" =~ ^([0-9]+) ]] || continue
    if [ "${BASH_REMATCH[1]}" -ge 17 ] && [ "${BASH_REMATCH[1]}" -gt "$bestv" ]; then
      best="$home/bin/java"; bestv=${BASH_REMATCH[1]}; bestfull=$v
    fi
  done
  [ -n "$best" ] && MVD_FOUND_JAVA="$best $bestv $bestfull"
}

# exec's the jar with ARGS.
# The newest libpcap in the dynamic linker's usual directories, by globbing (no program started: this runs
# before every command), else from ldconfig's cache; in MVD_LIBPCAP, empty when there is none.
mvd_libpcap() {
  local f
  MVD_LIBPCAP=""
  for f in /usr/lib/*-linux-gnu*/libpcap.so.* /usr/lib64/libpcap.so.* /usr/lib/libpcap.so.*; do
    [ -e "$f" ] && MVD_LIBPCAP=$f
  done
  if [ -z "$MVD_LIBPCAP" ]; then
    MVD_LIBPCAP=$(ldconfig -p 2>/dev/null | awk '/libpcap\.so/ {print $NF}' | sort | tail -n 1) || true
  fi
}

mvd_run() {
  local found java major full libpcap archive
  mvd_pick_java || true
  found=${MVD_FOUND_JAVA:-}
  if [ -z "$found" ]; then
    echo "macvlan-doctor: no Java runtime 17 or newer found (looked in \$JAVA_HOME, /usr/lib/jvm and PATH);" \
      "install one, e.g. apt-get install default-jre-headless" >&2
    exit 3
  fi
  read -r java major full <<< "$found"
  [ -n "${MVD_LIBPCAP+set}" ] || mvd_libpcap
  libpcap=$MVD_LIBPCAP
  # A small first heap: the JVM sizes it by the RAM of the machine otherwise, and a run needs little.
  local opts=(-XX:+UseSerialGC -Xss512k -Xms16m --enable-native-access=ALL-UNNAMED)
  # The quick compiler alone, for runs that are over in a second; analyze passes over captures of millions of
  # frames, where the optimizing one pays for itself (10M frames: 0.2 s less; a small capture: the same).
  # And later: a method run a few hundred times in a run of 0.2 s is not worth the compiler's time, which on a
  # two-core host is taken from the run itself (verify: 6-9 ms less with thresholds 8 times the default).
  [[ " $* " =~ \ analyze\  ]] || opts+=(-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=8)
  # Where JNA's native part is unpacked once (io.macvlandoctor.system.JnaBoot), rather than on every run.
  opts+=(-Dmvd.cache="$MVD_CACHE")
  # JNA's own search path, given, spares every run the ldconfig -p that JNA starts to compute it.
  [ -n "$libpcap" ] && opts+=(-Dorg.pcap4j.core.pcapLibName="$libpcap" -Djna.platform.library.path="${libpcap%/*}")
  # A start-up archive of the classes a probing run loads: an AOT cache on JDK 25 and newer (classes loaded and
  # linked ahead of time), class-data sharing before. It is named after the runtime's full version, so an updated
  # runtime makes its own, and one older than the jar is ignored.
  local probing=""
  [[ " $* " =~ \ (verify|diagnose)\  ]] && [ -w "$MVD_CACHE" ] && probing=1
  if [ $# -eq 1 ] && [[ "$1" = --version || "$1" = -V ]]; then
    # A line printed: the JDK's own archive is all it needs. The probing run's archive would load and link its
    # thousands of classes first (tens of milliseconds), and looking for it costs programs started.
    :
  elif [ "$major" -ge 25 ]; then
    archive="$MVD_CACHE/start-$full.aot"
    # The first probing run records which classes it uses; the next one assembles the cache from that record
    # before it starts (about a second, once). The JVM's own messages about it are kept off stdout and stderr.
    local quiet=(-XX:+UnlockDiagnosticVMOptions -XX:-DisplayVMOutput -Xlog:disable -Xlog:all=off)
    local record=""
    # Looked for only when there is no archive of this jar: listing them starts two programs.
    if [ -n "$probing" ] && { [ ! -f "$archive" ] || [ "$MVD_JAR" -nt "$archive" ]; }; then
      record=$(ls -t "$archive".conf.* 2>/dev/null | head -n 1) || true
    fi
    if [ -n "$record" ] && [ "$record" -nt "$MVD_JAR" ]; then
      "$java" "${quiet[@]}" -XX:AOTMode=create -XX:AOTConfiguration="$record" -XX:AOTCache="$archive.$$" \
        "${opts[@]}" -cp "$MVD_JAR" >/dev/null 2>&1 && mv -f "$archive.$$" "$archive"
      rm -f "$archive".conf.* "$archive.$$"
    fi
    if [ -f "$archive" ] && [ "$archive" -nt "$MVD_JAR" ]; then
      opts+=(-XX:AOTCache="$archive" "${quiet[@]}")
    elif [ -n "$probing" ]; then
      opts+=(-XX:AOTMode=record -XX:AOTConfiguration="$archive.conf.$$" "${quiet[@]}")
    fi
  else
    archive="$MVD_CACHE/start-$full.jsa"
    if [ -f "$archive" ] && [ "$archive" -nt "$MVD_JAR" ]; then
      opts+=(-XX:SharedArchiveFile="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off)
    elif [ -n "$probing" ]; then
      opts+=(-XX:ArchiveClassesAtExit="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off)
    fi
  fi
  [ -n "${MVD_DEBUG:-}" ] && opts+=(-Dorg.slf4j.simpleLogger.defaultLogLevel=debug)
  # shellcheck disable=SC2086 # MVD_JAVA_OPTS is a list of options
  exec "$java" "${opts[@]}" ${MVD_JAVA_OPTS:-} -jar "$MVD_JAR" "$@"
}
