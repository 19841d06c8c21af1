# Finds Java 25 or newer. Source this file (POSIX sh), then call
#
#   weft_find_java jdk       prints the home of a JDK 25+ (java and javac), or nothing: what ./weft builds with
#   weft_find_java runtime   the same, but a runtime without javac (a JRE, a jlink image) also counts: what
#                            weft-launch runs a jar on
#   weft_no_java NAME KIND   prints, prefixed with NAME, what to install to stderr (for a JRE found where a JDK is
#                            needed: the one sentence saying to install a JDK 25, not a JRE)
#
# Search order: $JAVA_HOME if it qualifies, else `java` on the PATH if it does, else macOS's own choice
# (/usr/libexec/java_home -v 25+), else the newest that qualifies of SDKMAN's ($SDKMAN_DIR, default ~/.sdkman,
# candidates/java/*), IntelliJ IDEA's (~/.jdks/*, ~/Library/Java/JavaVirtualMachines/*/Contents/Home), macOS's
# (/Library/Java/JavaVirtualMachines/*/Contents/Home), Homebrew's (/opt/homebrew and /usr/local
# opt/openjdk*/libexec/openjdk.jdk/Contents/Home) and Linux's (/usr/lib/jvm/*, /usr/java/*, /opt/*jdk*, /opt/java/*).
# "Newest" compares versions (25.0.3 over 25.0.1), not directory names.
#
# WEFT_JDK_SEARCH_ROOT (default empty, meaning /) is put in front of the system-wide places, so that tests can run
# the finder against a fake tree.
#
# ./weft at the repository root and ops/bin/weft-launch both use it, so a service starts on the JDK it was built with.

weft_java_version() { # HOME -> the version of HOME/bin/java (25, 25.0.3, 26-ea), or nothing
  _weft_read_version "$1"
  echo "$_weft_jv"
}

_weft_release_version() { # HOME -> sets _weft_jv to the JAVA_VERSION of HOME/release, or empty
  # A JDK image's release file names its version: reading it saves starting a JVM just to ask. Read by the shell
  # itself: weft-launch runs this before every start, and each process it forks is time before the service's.
  _weft_jv=''
  [ -r "$1/release" ] || return 0
  while IFS= read -r _weft_line || [ -n "$_weft_line" ]; do
    case $_weft_line in
      JAVA_VERSION=\"*) _weft_jv=${_weft_line#JAVA_VERSION=\"}; _weft_jv=${_weft_jv%%\"*}; return 0;;
    esac
  done < "$1/release"
}

_weft_read_version() { # HOME -> sets _weft_jv: from the release file, else by asking HOME/bin/java
  _weft_release_version "$1"
  [ -n "$_weft_jv" ] || _weft_jv=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.version = //p')
}

weft_is_java25() { # HOME KIND -> success when HOME has a java 25 or newer (and a javac when KIND is jdk);
                   # sets _weft_v to its version
  _weft_v=''
  [ -x "$1/bin/java" ] || return 1
  [ "$2" != jdk ] || [ -x "$1/bin/javac" ] || return 1
  _weft_read_version "$1"
  _weft_v=$_weft_jv
  _weft_major=${_weft_v%%[!0-9]*}
  [ -n "$_weft_major" ] && [ "$_weft_major" -ge 25 ]
}

weft_version_key() { # VERSION -> "MAJOR MINOR PATCH", numbers that sort -n orders (26-ea -> 26 0 0)
  echo "$1" | sed 's/[^0-9.].*//' | awk -F. '{ printf "%d %d %d\n", $1, $2, $3 }'
}

weft_find_java() { # KIND (jdk | runtime)
  if [ -n "${JAVA_HOME:-}" ] && weft_is_java25 "$JAVA_HOME" "$1"; then echo "$JAVA_HOME"; return; fi
  if command -v java >/dev/null 2>&1; then
    # The java on the PATH is usually a link into a JDK image (/usr/bin/java -> /etc/alternatives/java -> ...):
    # that image's release file answers without starting a JVM (100 ms and more) to ask for java.home.
    _weft_home='' _weft_real=$(readlink -f "$(command -v java)" 2>/dev/null) || _weft_real=''
    case $_weft_real in */bin/java) _weft_release_version "${_weft_real%/bin/java}"
                                    [ -z "$_weft_jv" ] || _weft_home=${_weft_real%/bin/java};; esac
    [ -n "$_weft_home" ] || _weft_home=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.home = //p')
    if [ -n "$_weft_home" ] && weft_is_java25 "$_weft_home" "$1"; then echo "$_weft_home"; return; fi
  fi
  _weft_root=${WEFT_JDK_SEARCH_ROOT:-}
  if [ -x "$_weft_root/usr/libexec/java_home" ]; then
    _weft_home=$("$_weft_root/usr/libexec/java_home" -v 25+ 2>/dev/null) || _weft_home=''
    if [ -n "$_weft_home" ] && weft_is_java25 "$_weft_home" "$1"; then echo "$_weft_home"; return; fi
  fi
  _weft_user=/nonexistent _weft_sdkman=${SDKMAN_DIR:-}
  if [ -n "${HOME:-}" ]; then _weft_user=$HOME; [ -n "$_weft_sdkman" ] || _weft_sdkman=$HOME/.sdkman; fi
  [ -n "$_weft_sdkman" ] || _weft_sdkman=/nonexistent
  # Unmatched patterns stay as they are and fail the check; each candidate prints "MAJOR MINOR PATCH HOME".
  for _weft_d in "$_weft_sdkman"/candidates/java/* "$_weft_user"/.jdks/* \
      "$_weft_user"/Library/Java/JavaVirtualMachines/*/Contents/Home \
      "$_weft_root"/Library/Java/JavaVirtualMachines/*/Contents/Home \
      "$_weft_root"/opt/homebrew/opt/openjdk*/libexec/openjdk.jdk/Contents/Home \
      "$_weft_root"/usr/local/opt/openjdk*/libexec/openjdk.jdk/Contents/Home \
      "$_weft_root"/usr/lib/jvm/* "$_weft_root"/usr/java/* "$_weft_root"/opt/*jdk* "$_weft_root"/opt/java/*; do
    weft_is_java25 "$_weft_d" "$1" || continue
    printf '%s %s\n' "$(weft_version_key "$_weft_v")" "$_weft_d"
  done | sort -k1,1n -k2,2n -k3,3n | tail -n 1 | cut -d ' ' -f 4-
}

weft_no_java() { # NAME KIND
  if [ "$2" = jdk ]; then
    _weft_jre=$(weft_find_java runtime)
    if [ -n "$_weft_jre" ]; then
      echo "$1: $_weft_jre is a Java $(weft_java_version "$_weft_jre") runtime without javac (a JRE), which cannot" \
           "build Weft: install a JDK 25 (not a JRE), for example Temurin 25 from https://adoptium.net or" \
           "'apt-get install openjdk-25-jdk', and set JAVA_HOME to it if it is not found by itself." >&2
      return
    fi
  fi
  echo "$1: no Java 25 found (looked at \$JAVA_HOME, java on the PATH, /usr/libexec/java_home, SDKMAN," \
       "~/.jdks, /Library/Java/JavaVirtualMachines, Homebrew, /usr/lib/jvm, /usr/java, /opt)." >&2
  echo "$1: install a JDK 25 (for example Temurin 25 from https://adoptium.net, 'sdk install java 25-tem'," \
       "'brew install openjdk' or 'apt-get install openjdk-25-jdk'), or set JAVA_HOME to one, then run this" \
       "command again." >&2
}
