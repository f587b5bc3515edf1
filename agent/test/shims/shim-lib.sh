# Shared by the package-manager shims (sourced, not run; not executable, so never found in PATH).
# SHIM_LOG: each call is appended as one line, its argv joined by TABs.
# SHIM_STATE: the fake package database, lines "name version [source]".
set -u
set -f

shim_log() {
  [ -n "${SHIM_LOG:-}" ] || return 0
  line=$SHIM_NAME
  for arg in "$@"; do line="$line	$arg"; done
  printf '%s\n' "$line" >>"$SHIM_LOG"
}

# shim_version NAME: the installed version of NAME, or nothing.
shim_version() {
  awk -v n="$1" '$1 == n { print $2; exit }' "$SHIM_STATE"
}

# shim_set_version NAME VERSION: sets the version of an installed package (1 when it is not installed).
shim_set_version() {
  [ -n "$(shim_version "$1")" ] || return 1
  awk -v n="$1" -v v="$2" '$1 == n { $2 = v } { print }' "$SHIM_STATE" >"$SHIM_STATE.new" &&
    mv "$SHIM_STATE.new" "$SHIM_STATE"
}

# shim_format FORMAT [NAMES...]: prints packages (all, or the named ones) in a format whose fields
# are ${Field} (dpkg-query) or %{FIELD} (rpm), after the backslash escapes \n and \t. Fields:
# name, version, architecture, source; rpm's EPOCHNUM/VERSION/RELEASE split "E:V-R".
shim_format() {
  format=$1
  shift
  awk -v format="$format" -v names="$*" -v arch="${SHIM_ARCH:-amd64}" '
    BEGIN { n = split(names, wanted, " "); for (i = 1; i <= n; i++) want[wanted[i]] = 1 }
    function field(f,   evr, epoch, vr, version, release) {
      evr = $2; epoch = "0"
      if (index(evr, ":") > 0) { epoch = substr(evr, 1, index(evr, ":") - 1); evr = substr(evr, index(evr, ":") + 1) }
      vr = evr; version = evr; release = ""
      if (match(vr, /-[^-]*$/)) { version = substr(vr, 1, RSTART - 1); release = substr(vr, RSTART + 1) }
      if (f == "Package" || f == "binary:Package" || f == "NAME") return $1
      if (f == "Version" || f == "source:Version") return $2
      if (f == "Architecture" || f == "ARCH") return arch
      if (f == "source:Package") return $3 != "" ? $3 : $1
      if (f == "db:Status-Abbrev") return "ii "
      if (f == "Status") return "install ok installed"
      if (f == "EPOCHNUM") return epoch
      if (f == "EPOCH") return epoch == "0" ? "(none)" : epoch
      if (f == "VERSION") return version
      if (f == "RELEASE") return release
      if (f == "SOURCERPM") return ($3 != "" ? $3 : $1) "-" evr ".src.rpm"
      return ""
    }
    function render(   out, rest, name, before) {
      out = ""; rest = format
      while (match(rest, /[$%]\{[^}]*\}/)) {
        # field() calls match() too: take what this match found first.
        name = substr(rest, RSTART + 2, RLENGTH - 3)
        before = substr(rest, 1, RSTART - 1)
        rest = substr(rest, RSTART + RLENGTH)
        out = out before field(name)
      }
      out = out rest
      gsub(/\\n/, "\n", out); gsub(/\\t/, "\t", out)
      return out
    }
    (n == 0 || ($1 in want)) { printf "%s", render(); seen[$1] = 1 }
    END { for (w in want) if (!(w in seen)) { missing = 1; print "no packages found matching " w > "/dev/stderr" } exit missing }
  ' "$SHIM_STATE"
}
