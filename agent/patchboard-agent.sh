#!/bin/sh
# Patchboard agent for Linux hosts (dpkg, rpm, apk): POSIX sh + curl, nothing else.
# It enrols the host, reports its package database, and runs the jobs of deployments: the
# commands the server sends, without a shell, only if their program is on the allow-list.
# Protocol: docs/agent-protocol.md. Install and security notes: agent/README.md.
#
#   patchboard-agent.sh enrol URL ENROLMENT_TOKEN [HOSTNAME]
#   patchboard-agent.sh report      send the package database now
#   patchboard-agent.sh run         one pass: report if changed, then claim and run due jobs
#
# Environment: PATCHBOARD_CONF (default /etc/patchboard/agent.conf), PATCHBOARD_STATE_DIR
# (default /var/lib/patchboard), PATCHBOARD_CA (a CA bundle for a private CA),
# PATCHBOARD_OS_RELEASE (default /etc/os-release), PATCHBOARD_APK_DB (default /lib/apk/db/installed).

set -u
set -f # no globbing anywhere: arguments from the server are never patterns
# The agent's own files (token, temporary files) are private; commands get the umask the agent
# was started with, since package scripts create files that services must read.
COMMAND_UMASK=$(umask)
umask 077

VERSION=0.1.0
TAB=$(printf '\t')
CONF=${PATCHBOARD_CONF:-/etc/patchboard/agent.conf}
STATE_DIR=${PATCHBOARD_STATE_DIR:-/var/lib/patchboard}
OS_RELEASE=${PATCHBOARD_OS_RELEASE:-/etc/os-release}
APK_DB=${PATCHBOARD_APK_DB:-/lib/apk/db/installed}
MAX_OUTPUT=65536  # bytes of output kept per command (the tail): the server keeps no more
MAX_CLAIMS=50     # jobs per pass, and steps per job: a guard against a server that loops
# Programs the server may run (what worker/src/deploy/commands/ generates). A bare name is looked
# up in PATH; the conf's `allow=` adds more, e.g. the program of a site's snapshot hook.
ALLOWED='apt-get dpkg-query env dnf yum rpm zypper apk systemctl rc-service test lvcreate lvremove btrfs zfs needs-restarting'
# Variables `env` may set for a command; nothing that changes what gets loaded (LD_*, PATH).
ENV_ALLOWED='DEBIAN_FRONTEND DEBIAN_PRIORITY NEEDRESTART_MODE NEEDRESTART_SUSPEND APT_LISTCHANGES_FRONTEND LANG LANGUAGE LC_ALL TZ'

URL='' HOST='' TOKEN='' EXTRA_ALLOWED='' CA=${PATCHBOARD_CA:-} PACKAGE_MANAGER='' STEP_LOG=''
WORK=$(mktemp -d "${TMPDIR:-/tmp}/patchboard.XXXXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

# (sh has no local variables: each function's names are its own, so that callers keep theirs.)
log() {
  log_line="$(date -u +%Y-%m-%dT%H:%M:%SZ) patchboard-agent: $*"
  printf '%s\n' "$log_line" >&2
  # During a step, what the agent says is sent with the step's results too.
  if [ -n "$STEP_LOG" ]; then printf '%s\n' "$log_line" >>"$STEP_LOG"; fi
}
die() { log "error: $*"; exit 1; }

# Reads the conf as key=value lines, without executing it.
load_conf() {
  [ -r "$CONF" ] || die "cannot read $CONF: enrol first (patchboard-agent.sh enrol URL TOKEN)"
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in '#'* | '') continue ;; esac
    value=${line#*=}
    case ${line%%=*} in
      url) URL=$value ;;
      hostname) HOST=$value ;;
      token) TOKEN=$value ;;
      allow) EXTRA_ALLOWED=$value ;;
      ca) CA=${PATCHBOARD_CA:-$value} ;;
      package_manager) PACKAGE_MANAGER=$value ;;
      *) log "ignoring unknown setting in $CONF: ${line%%=*}" ;;
    esac
  done <"$CONF"
  if [ -z "$URL" ] || [ -z "$HOST" ] || [ -z "$TOKEN" ]; then die "$CONF lacks url, hostname or token"; fi
  # The token goes to curl in a file: on the command line every user could read it in ps.
  printf 'Authorization: Bearer %s\n' "$TOKEN" >"$WORK/auth"
}

# http METHOD PATH OUTFILE [curl options...]: the status code goes to HTTP_STATUS ("000" when
# the server could not be reached). curl runs in $WORK so that form files are plain names.
http() {
  method=$1 path=$2 out=$3
  shift 3
  if [ -n "$CA" ]; then set -- --cacert "$CA" "$@"; fi
  HTTP_STATUS=$(cd "$WORK" && curl -sS -X "$method" -A "patchboard-agent-sh/$VERSION" -H @auth \
    --connect-timeout 20 --max-time 300 -o "$out" -w '%{http_code}' "$@" "$URL$path") || HTTP_STATUS=000
}

# Which package database this host has: the conf may say, else the first tool found.
detect_package_manager() {
  if [ -n "$PACKAGE_MANAGER" ]; then return; fi
  if command -v dpkg-query >/dev/null 2>&1; then PACKAGE_MANAGER=dpkg
  elif command -v rpm >/dev/null 2>&1; then PACKAGE_MANAGER=rpm
  elif [ -r "$APK_DB" ]; then PACKAGE_MANAGER=apk
  else log 'no package database found (dpkg-query, rpm or apk)'; return 1
  fi
}

# Writes the package database to FILE in the format README.md's inventory table names, and sets
# CONTENT_TYPE.
package_database() {
  detect_package_manager || return 1
  case $PACKAGE_MANAGER in
    dpkg)
      CONTENT_TYPE=text/x-dpkg-query
      dpkg-query -W -f='${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n' >"$1" ;;
    rpm)
      CONTENT_TYPE=text/x-rpm-qa
      rpm -qa --qf '%{NAME}\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n' >"$1" ;;
    apk)
      CONTENT_TYPE=text/x-apk-installed
      cat "$APK_DB" >"$1" ;;
    *) log "unknown package_manager $PACKAGE_MANAGER (dpkg, rpm or apk)"; return 1 ;;
  esac
}

# Sends the package database; remembers its checksum so that `run` reports only changes.
send_report() {
  package_database "$WORK/report" || { log 'reading the package database failed'; return 1; }
  http PUT "/v1/hosts/$HOST/software" report.answer -H "Content-Type: $CONTENT_TYPE" --data-binary @report
  if [ "$HTTP_STATUS" != 200 ]; then
    log "software report refused: HTTP $HTTP_STATUS $(head -c 500 "$WORK/report.answer" 2>/dev/null)"
    return 1
  fi
  mkdir -p "$STATE_DIR" && cksum <"$WORK/report" >"$STATE_DIR/last-report.cksum"
  log "software report sent ($(wc -l <"$WORK/report" | tr -d ' ') packages)"
}

report_if_changed() {
  package_database "$WORK/current" || return 1
  if [ -r "$STATE_DIR/last-report.cksum" ] &&
    [ "$(cksum <"$WORK/current")" = "$(cat "$STATE_DIR/last-report.cksum")" ]; then
    return 0
  fi
  send_report
}

# True when NAME may run: on the built-in list or the conf's `allow=`. Names are single words.
program_allowed() {
  case $1 in '' | *[!A-Za-z0-9._+/-]*) return 1 ;; esac
  case " $ALLOWED $EXTRA_ALLOWED " in *" $1 "*) return 0 ;; esac
  return 1
}

# True when ARGV may run. `env` only sets known variables and must run an allowed program, so it
# cannot smuggle in another program or an option such as -S (which would split a string).
argv_allowed() {
  program_allowed "$1" || return 1
  [ "$1" = env ] || return 0
  shift
  while [ $# -gt 0 ]; do
    case $1 in
      *=*)
        case ${1%%=*} in '' | *[!A-Z_]*) return 1 ;; esac
        case " $ENV_ALLOWED " in *" ${1%%=*} "*) shift ;; *) return 1 ;; esac ;;
      -* | env) return 1 ;;
      *) program_allowed "$1"; return ;;
    esac
  done
  return 1
}

# execute OUTFILE ARGV_LINE: runs the TAB-separated argv directly (never through a shell), with
# its output in OUTFILE; returns its exit code, 126 when the program is not allowed.
execute() {
  out=$1 rest=$2
  # Splitting by hand rather than with IFS: IFS=tab would merge empty arguments away.
  set --
  while :; do
    case $rest in
      *"$TAB"*) set -- "$@" "${rest%%"$TAB"*}"; rest=${rest#*"$TAB"} ;;
      *) set -- "$@" "$rest"; break ;;
    esac
  done
  if ! argv_allowed "$@"; then
    printf 'patchboard-agent: refused: %s is not on the allow-list of this agent\n' "$1" >"$out"
    log "refused $1 (not on the allow-list)"
    return 126
  fi
  # env looks the program up in PATH, so shell builtins and this script's functions never run.
  # No prompts (debconf), and untranslated output: the server reads some of it.
  (cd / && umask "$COMMAND_UMASK" && exec env DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@") >"$out" 2>&1 </dev/null
}

# Reads an instruction (docs/agent-protocol.md, text/plain) into JOB, LEASE, STEP, RESULT,
# REASON and the file "$WORK/commands" (one directive line per command).
parse_instruction() {
  JOB='' LEASE='' STEP='' RESULT='' REASON=''
  : >"$WORK/commands"
  while IFS= read -r line || [ -n "$line" ]; do
    directive=${line%%"$TAB"*}
    case $line in *"$TAB"*) value=${line#*"$TAB"} ;; *) value='' ;; esac
    case $directive in
      job) JOB=$value ;;
      lease) LEASE=$value ;;
      step) STEP=$value ;;
      result) RESULT=$value ;;
      reason) REASON=$value ;;
      run | probe | report) printf '%s\n' "$line" >>"$WORK/commands" ;;
      '') ;;
      *) log "ignoring unknown directive: $directive" ;;
    esac
  done <"$1"
  case $JOB in '' | *[!0-9]*) log "instruction without a valid job id: $JOB"; return 1 ;; esac
  if [ -z "$LEASE" ] || [ -z "$STEP" ]; then log "instruction for job $JOB lacks its lease or step"; return 1; fi
}

# Runs the commands of the current step; COUNT is how many ran (the results sent).
run_step() {
  COUNT=0
  while IFS= read -r line; do
    mode=${line%%"$TAB"*}
    argv=''
    case $line in *"$TAB"*) argv=${line#*"$TAB"} ;; esac
    case $mode in
      report)
        send_report >"$WORK/raw" 2>&1
        code=$?
        cat "$WORK/report.answer" >>"$WORK/raw" 2>/dev/null ;;
      *)
        execute "$WORK/raw" "$argv"
        code=$? ;;
    esac
    log "job $JOB $STEP: $mode $(printf '%s' "$argv" | tr '\t' ' ') -> exit $code"
    tail -c "$MAX_OUTPUT" "$WORK/raw" >"$WORK/output.$COUNT"
    echo "$code" >"$WORK/exit.$COUNT"
    COUNT=$((COUNT + 1))
    # A failed `run` ends the step; a probe's exit code is the server's to judge.
    if [ "$mode" = run ] && [ "$code" -ne 0 ]; then break; fi
  done <"$WORK/commands"
}

# Sends the step's results as a multipart form; the answer (the next instruction) goes to FILE.
post_step() {
  answer=$1
  set -- --form-string "lease=$LEASE" --form-string "step=$STEP"
  i=0
  while [ "$i" -lt "$COUNT" ]; do
    set -- "$@" --form-string "exit.$i=$(cat "$WORK/exit.$i")" -F "output.$i=@output.$i;type=text/plain"
    i=$((i + 1))
  done
  tail -c "$MAX_OUTPUT" "$STEP_LOG" >"$WORK/log"
  http POST "/v1/agent/jobs/$JOB/events" "$answer" -H 'Accept: text/plain' "$@" -F 'log=@log;type=text/plain'
}

# Follows a job from its claimed instruction (in "$WORK/instruction") to `step done`.
run_job() {
  steps=0
  while parse_instruction "$WORK/instruction"; do
    if [ "$STEP" = 'done' ]; then
      log "job $JOB ended: ${RESULT:-unknown}${REASON:+ ($REASON)}"
      return 0
    fi
    steps=$((steps + 1))
    [ "$steps" -le "$MAX_CLAIMS" ] || { log "job $JOB: too many steps, leaving it"; return 1; }
    STEP_LOG="$WORK/step.log"
    : >"$STEP_LOG"
    log "job $JOB: step $STEP"
    run_step
    post_step next
    STEP_LOG=''
    case $HTTP_STATUS in
      200) mv "$WORK/next" "$WORK/instruction" ;;
      # The lease was lost (expired, or the job moved on): another claim owns the job now.
      409) log "job $JOB: lease lost, abandoning the job"; return 0 ;;
      *) log "job $JOB: step report failed: HTTP $HTTP_STATUS $(head -c 500 "$WORK/next" 2>/dev/null)"; return 1 ;;
    esac
  done
  return 1
}

cmd_run() {
  load_conf
  report_if_changed || log 'continuing without a software report'
  claims=0
  while [ "$claims" -lt "$MAX_CLAIMS" ]; do
    claims=$((claims + 1))
    http GET /v1/agent/jobs instruction -H 'Accept: text/plain'
    case $HTTP_STATUS in
      204) return 0 ;;
      200) run_job || return 1 ;;
      *) log "claiming a job failed: HTTP $HTTP_STATUS $(head -c 500 "$WORK/instruction" 2>/dev/null)"; return 1 ;;
    esac
  done
}

cmd_report() {
  load_conf
  send_report
}

# os_release KEY: a value of /etc/os-release, read rather than sourced.
os_release() {
  sed -n "s/^$1=//p" "$OS_RELEASE" 2>/dev/null | head -n 1 | sed "s/^[\"']//; s/[\"']\$//"
}

# Only characters that need no escaping in JSON or in the conf: anything else is refused.
check_word() {
  case $2 in '' | *[!A-Za-z0-9._~+:-]*) die "unusable $1: '$2'" ;; esac
}

cmd_enrol() {
  [ $# -ge 2 ] || die 'usage: patchboard-agent.sh enrol URL ENROLMENT_TOKEN [HOSTNAME]'
  URL=${1%/}
  case $URL in
    https://*) ;;
    http://127.0.0.1[:/]* | http://localhost[:/]* | http://127.0.0.1 | http://localhost) ;;
    http://*) log "warning: $URL is not HTTPS: the token travels in the clear" ;;
    *) die "the URL must start with https:// (got $URL)" ;;
  esac
  case $URL in *[!A-Za-z0-9.:/_~%-]*) die "unusable URL: $URL" ;; esac
  check_word 'enrolment token' "$2"
  HOST=$(printf '%s' "${3:-$(uname -n)}" | tr '[:upper:]' '[:lower:]')
  check_word hostname "$HOST"
  os_family=$(os_release ID)
  os_version=$(os_release VERSION_ID)
  check_word "os-release ID" "$os_family"
  check_word "os-release VERSION_ID" "${os_version:=rolling}"
  printf 'Authorization: Bearer %s\n' "$2" >"$WORK/auth"
  printf '{"hostname":"%s","osFamily":"%s","osRelease":"%s"}' "$HOST" "$os_family" "$os_version" >"$WORK/enrol"
  http POST /v1/agent/enrol enrolled -H 'Content-Type: application/json' --data-binary @enrol
  [ "$HTTP_STATUS" = 201 ] || die "enrolment refused: HTTP $HTTP_STATUS $(head -c 500 "$WORK/enrolled" 2>/dev/null)"
  TOKEN=$(sed -n 's/.*"token" *: *"\([A-Za-z0-9_]*\)".*/\1/p' "$WORK/enrolled")
  HOST=$(sed -n 's/.*"hostname" *: *"\([A-Za-z0-9._-]*\)".*/\1/p' "$WORK/enrolled")
  if [ -z "$TOKEN" ] || [ -z "$HOST" ]; then die "unexpected enrolment answer: $(head -c 500 "$WORK/enrolled")"; fi
  # Written beside the conf and moved into place, so a reader never sees half a file; 0600 by umask.
  mkdir -p "$(dirname "$CONF")" || die "cannot create the directory of $CONF"
  {
    echo '# Patchboard agent, written by "patchboard-agent.sh enrol". Keep it readable by root only.'
    echo "url=$URL"
    echo "hostname=$HOST"
    echo "token=$TOKEN"
    if [ -n "$CA" ]; then echo "ca=$CA"; fi
    echo '# allow=snapper /usr/local/sbin/site-snapshot   (more programs the server may run)'
  } >"$CONF.new" || die "cannot write $CONF.new"
  if ! chmod 600 "$CONF.new" || ! mv "$CONF.new" "$CONF"; then die "cannot write $CONF"; fi
  log "enrolled as $HOST; token stored in $CONF"
  printf 'Authorization: Bearer %s\n' "$TOKEN" >"$WORK/auth"
  send_report || log 'the first software report failed; "run" will retry'
}

case ${1:-} in
  enrol) shift; cmd_enrol "$@" ;;
  report) cmd_report ;;
  run) cmd_run ;;
  version) echo "patchboard-agent.sh $VERSION" ;;
  *) echo 'usage: patchboard-agent.sh enrol URL ENROLMENT_TOKEN [HOSTNAME] | report | run | version' >&2; exit 2 ;;
esac
