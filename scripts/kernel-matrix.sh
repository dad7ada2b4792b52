#!/bin/bash
# Run the tfocheck suite under several kernels and merge the per-kernel
# results into one matrix (docs/kernel-matrix.md).  Bash.
#
# Each kernel is a Debian kernel package booted with qemu (TCG, no KVM
# needed) from a small initramfs: busybox, the modules the suite needs,
# build/tfocheck with its shared libraries, libtfo and libowfat.  "host" runs
# the suite natively on the running kernel.  Results come back over a second
# serial port, framed (BEGIN/END, length, sha256) and checked on the host.
#
# usage: scripts/kernel-matrix.sh [--kernels LIST] [--api APIS] [--filter GLOB]...
#                                 [--out DIR] [--timeout SEC] [--jobs N]
#                                 [--real-timers] [--no-report]
#        scripts/kernel-matrix.sh --merge [--out DIR] RUNDIR...
# exit: 0 every column has results, 1 some kernel column is ERROR,
#       2 usage, 3 nothing could run (qemu/busybox/kmod missing, or no
#       kernel package could be had and "host" was not asked for)
#
# Sharding: run one kernel per machine (KERNELS=6.1, --out DIR each, e.g.
# one CI job per kernel), collect the DIRs on one machine and --merge them:
# their results/*.json and headlines.txt become one matrix in --out, with
# the same exit status as a single run over all those kernels.
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
B="$TOP/build"
KM="$B/kernel-matrix"
CACHE="${KMATRIX_CACHE:-$KM/cache}"
TFOCHECK="$B/tfocheck"
INIT_TEMPLATE="$TOP/scripts/kmatrix-init.sh"

KERNELS="${KERNELS:-6.1 6.12 host}"
OUT="${KMATRIX_OUT:-${REPORTS:-$B/reports}/kernel-matrix}"
VM_TIMEOUT="${KMATRIX_TIMEOUT:-300}"
VM_MEM="${KMATRIX_MEM:-512}"
VM_SMP="${KMATRIX_SMP:-1}"
GUEST_JOBS="${KMATRIX_GUEST_JOBS:-4}"
HOST_JOBS="${KMATRIX_HOST_JOBS:-4}"
# tfocheck's default case budget is 10 s; TCG runs the guest several times
# slower (cases with their own budget keep it)
CASE_TIMEOUT_MS="${KMATRIX_CASE_TIMEOUT_MS:-30000}"
# the guests' --timeout-scale: TCG guests sharing the cores stall for up to
# ~100 ms at a time, outside the guest (no steal time under TCG); at 3 the
# 60 ms "at once" floor failed libtfo in 1 or 2 of 460 instances per run
SCALE="${KMATRIX_SCALE:-5}"
# kernels at once: one core per VM (-smp 1) and the native run, which
# mostly waits, beside them
PAR="${KMATRIX_JOBS:-$(( $(nproc 2>/dev/null || echo 1) + 1 ))}"
# modules the suite needs (veth; nf_tables + reject for the fault router;
# af_packet for the wire observer); built-ins and absent ones are skipped
MODULES="${KMATRIX_MODULES:-veth af_packet nf_tables nft_reject nft_reject_inet nf_reject_ipv4 nf_reject_ipv6}"
LIBOWFAT="${KMATRIX_LIBOWFAT:-/usr/lib/libowfat.so.0}"
API=""
FILTERS=()
REPORT=1
REAL_TIMERS=""
MERGE=0
MERGE_DIRS=()
WORK=""

die() {
	echo "kernel-matrix: $*" >&2
	exit 2
}

msg() {
	echo "kernel-matrix: $*" >&2
}

# Partial files (a frame being decoded, a cache entry being written) carry
# a .part suffix; on exit they go, and on a signal the kernels still
# running (qemu under timeout) are stopped too.
cleanup() {
	[ -n "${WORK:-}" ] && rm -f "$WORK"/*/*.part 2>/dev/null
	rm -f "$KM"/initrd/*.part "$CACHE"/*.part 2>/dev/null
	return 0
}
on_signal() {
	local p

	for p in $(jobs -p); do
		kill -TERM -- "$p" 2>/dev/null || true
	done
	exit 130
}
trap cleanup EXIT
trap on_signal INT TERM

usage() {
	sed -n '/^# usage:/,/^set -eu/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
	cat <<EOF

Kernels (--kernels or KERNELS, space or comma separated; default "6.1 6.12 host"):
  6.1, 6.12        the newest Debian cloud kernel of that series, resolved
                   through linux-image-cloud-amd64 / linux-image-6.12-cloud-amd64
  host             the running kernel, natively (needs root)
  linux-image-...  a Debian kernel package (meta-packages are resolved)
  FILE.deb         a kernel package already on disk
Environment: KMATRIX_TIMEOUT (s per VM, $VM_TIMEOUT), KMATRIX_MEM (MiB, $VM_MEM),
  KMATRIX_SMP ($VM_SMP), KMATRIX_GUEST_JOBS / KMATRIX_HOST_JOBS (tfocheck -j),
  KMATRIX_CASE_TIMEOUT_MS (guest tfocheck --timeout, $CASE_TIMEOUT_MS),
  KMATRIX_SCALE (guest tfocheck --timeout-scale, $SCALE),
  KMATRIX_JOBS (VMs at once, $PAR), KMATRIX_MODULES, KMATRIX_CACHE, KMATRIX_OUT.
EOF
}

now() {
	date +%s.%N
}

# secs T0 T1: T1-T0 with one decimal
secs() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'
}

json_str() {
	# a JSON string body: drop quotes, backslashes and control characters
	printf '%s' "$1" | tr -d '"\\' | tr -s '\001-\037' ' '
}

id_part() {
	printf '%s' "$1" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9._\n-' '-'
}

# ---------------------------------------------------------------- options

parse_args() {
	while [ $# -gt 0 ]; do
		case "$1" in
		--kernels) [ $# -ge 2 ] || die "--kernels needs a list"; KERNELS="$2"; shift ;;
		--kernels=*) KERNELS="${1#*=}" ;;
		--api) [ $# -ge 2 ] || die "--api needs a value"; API="$2"; shift ;;
		--api=*) API="${1#*=}" ;;
		--filter) [ $# -ge 2 ] || die "--filter needs a glob"; FILTERS+=("$2"); shift ;;
		--filter=*) FILTERS+=("${1#*=}") ;;
		--out) [ $# -ge 2 ] || die "--out needs a directory"; OUT="$2"; shift ;;
		--out=*) OUT="${1#*=}" ;;
		--timeout) [ $# -ge 2 ] || die "--timeout needs seconds"; VM_TIMEOUT="$2"; shift ;;
		--timeout=*) VM_TIMEOUT="${1#*=}" ;;
		--jobs|-j) [ $# -ge 2 ] || die "--jobs needs a number"; PAR="$2"; shift ;;
		--no-report) REPORT=0 ;;
		--real-timers) REAL_TIMERS=--real-timers ;;
		--merge) MERGE=1 ;;
		-h|--help) usage; exit 0 ;;
		-*) usage >&2; die "unknown argument '$1'" ;;
		*) [ "$MERGE" = 1 ] || { usage >&2; die "unknown argument '$1'"; }
		   MERGE_DIRS+=("$1") ;;
		esac
		shift
	done
	case "$VM_TIMEOUT" in ''|*[!0-9]*) die "bad timeout '$VM_TIMEOUT'" ;; esac
	case "$PAR" in ''|*[!0-9]*|0) die "bad --jobs '$PAR'" ;; esac
	KERNELS=$(printf '%s' "$KERNELS" | tr ',' ' ')
	[ -n "${KERNELS// /}" ] || die "empty kernel list"
	for f in "${FILTERS[@]+"${FILTERS[@]}"}"; do
		case "$f" in *[[:space:]]*) die "filter '$f' contains white space" ;; esac
	done
}

# ------------------------------------------------------------- run list

# apis_with_cases APIS: those of APIS (comma list) that have cases
apis_with_cases() {
	local a out=""

	for a in ${1//,/ }; do
		if [ -n "$("$TFOCHECK" list --api "$a" 2>/dev/null)" ]; then
			out="${out:+$out,}$a"
		fi
	done
	printf '%s' "$out"
}

# Writes RUNS: lines "NAME LIB APIS".  Default: libtfo with owfat,connectx
# and libowfat with owfat; while those families have no cases yet, smoke.
plan_runs() {
	local a

	RUNS=""
	if [ -n "$API" ]; then
		RUNS="libtfo libtfo $API"
		return 0
	fi
	a=$(apis_with_cases owfat,connectx)
	if [ -z "$a" ]; then
		msg "no owfat/connectx cases yet ('tfocheck list --api owfat' is empty): running smoke"
		RUNS="libtfo libtfo smoke"
		return 0
	fi
	RUNS="libtfo libtfo $a"
	a=$(apis_with_cases owfat)
	[ -n "$a" ] && RUNS="$RUNS
libowfat libowfat $a"
	return 0
}

# ------------------------------------------------------ kernel packages

# resolve_pkg SPEC: prints "PACKAGE VERSION" of the kernel package to
# download.  apt-cache is slow here (no pkgcache.bin: ~0.8 s a call), so two
# calls at most.
resolve_pkg() {
	local spec="$1" pkg info dep

	case "$spec" in
	6.1) pkg=linux-image-cloud-amd64 ;;
	6.12) pkg=linux-image-6.12-cloud-amd64 ;;
	linux-image-*) pkg="$spec" ;;
	*) msg "unknown kernel '$spec' (6.1, 6.12, host, linux-image-..., FILE.deb)"; return 1 ;;
	esac
	# a meta-package depends on the versioned image: follow it
	case "$pkg" in linux-image-[0-9]*.[0-9]*.[0-9]*) ;; *)
		dep=$(apt-cache show --no-all-versions "$pkg" 2>/dev/null |
		      awk '/^Depends:/ { for (i = 2; i <= NF; i++) if ($i ~ /^linux-image-[0-9]/) { sub(/,$/, "", $i); print $i; exit } }')
		[ -n "$dep" ] || { msg "kernel '$spec': '$pkg' is not in the apt lists or names no linux-image-VERSION"; return 1; }
		pkg="$dep" ;;
	esac
	# a signed image that is only a stub (no kernel inside): use -unsigned
	info=$(apt-cache show --no-all-versions "$pkg" "${pkg%-unsigned}-unsigned" 2>/dev/null |
	       awk '/^Package:/ { p = $2 } /^Version:/ { v[p] = $2 } /^Installed-Size:/ { s[p] = $2 }
		    END { u = P "-unsigned"
			  if (!(P in v)) exit 1
			  if (P !~ /-unsigned$/ && s[P] < 20000 && (u in v)) print u, v[u]
			  else print P, v[P] }' P="$pkg") ||
		{ msg "kernel '$spec': package '$pkg' is not in the apt lists"; return 1; }
	printf '%s' "$info"
}

# resolve_cached SPEC: resolve_pkg, remembered until the apt lists change
# (apt-get update renames files into /var/lib/apt/lists: its mtime moves)
resolve_cached() {
	local f stamp line info

	f="$CACHE/resolved-$(id_part "$1")"
	stamp=$(stat -c %Y /var/lib/apt/lists 2>/dev/null || echo none)
	if [ -f "$f" ] && read -r line < "$f" && [ "${line%% *}" = "$stamp" ]; then
		printf '%s' "${line#* }"
		return 0
	fi
	info=$(resolve_pkg "$1") || return 1
	mkdir -p "$CACHE"
	echo "$stamp $info" > "$f.$$.part" && mv "$f.$$.part" "$f"
	printf '%s' "$info"
}

# fetch_deb SPEC: prints the path of the cached .deb (downloads once)
fetch_deb() {
	local spec="$1" pkg deb ver info

	case "$spec" in *.deb)
		[ -f "$spec" ] || { msg "no such file '$spec'"; return 1; }
		printf '%s' "$spec"
		return 0 ;;
	esac
	info=$(resolve_cached "$spec") || return 1
	read -r pkg ver <<< "$info"
	deb=$(ls -1 "$CACHE/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n 1 || true)
	if [ -z "$deb" ]; then
		mkdir -p "$CACHE"
		msg "downloading $pkg $ver"
		if ! (cd "$CACHE" && apt-get download -q -o APT::Sandbox::User=root "$pkg=$ver" >&2); then
			msg "apt-get download '$pkg=$ver' failed"
			return 1
		fi
		deb=$(ls -1 "$CACHE/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n 1 || true)
		[ -n "$deb" ] || { msg "apt-get download '$pkg' left no .deb in $CACHE"; return 1; }
	fi
	printf '%s' "$deb"
}

# unpack_deb DEB: unpacks once into $KM/root/NAME, runs depmod; sets
# KROOT and KVER
unpack_deb() {
	local deb="$1" name

	name=$(basename "$deb" .deb)
	KROOT="$KM/root/$name"
	if [ ! -f "$KROOT/.unpacked" ]; then
		rm -rf "$KROOT"
		mkdir -p "$KROOT"
		dpkg-deb -x "$deb" "$KROOT" || { msg "dpkg-deb -x '$deb' failed"; return 1; }
		touch "$KROOT/.unpacked"
	fi
	KVER=$(ls -1 "$KROOT/lib/modules" 2>/dev/null | head -n 1 || true)
	[ -n "$KVER" ] && [ -f "$KROOT/boot/vmlinuz-$KVER" ] ||
		{ msg "'$deb' holds no lib/modules/VERSION and boot/vmlinuz-VERSION"; return 1; }
	if [ ! -f "$KROOT/lib/modules/$KVER/modules.dep" ]; then
		depmod -b "$KROOT" "$KVER" || { msg "depmod -b '$KROOT' '$KVER' failed"; return 1; }
	fi
}

# ------------------------------------------------------------- initramfs

# copy_file SRC DST_IN_ROOT ROOT (dereferences symlinks)
copy_file() {
	mkdir -p "$3$(dirname "$2")"
	cp -L "$1" "$3$2"
}

# copy_libs ROOT FILE...: the ldd closure of FILEs, at the same paths
copy_libs() {
	local root="$1" lib
	shift
	for lib in $(ldd "$@" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $1 !~ /:$/ { print $1 }' | sort -u); do
		[ -e "$root$lib" ] || copy_file "$lib" "$lib" "$root"
	done
}

# add_modules ROOT: resolve $MODULES with modprobe, store them uncompressed,
# write etc/kmatrix/modules.list in load order
add_modules() {
	local root="$1" m line ko base seen=" "

	mkdir -p "$root/lib/modules/kmatrix"
	: > "$root/etc/kmatrix/modules.list"
	for m in $MODULES; do
		if ! line=$(modprobe -d "$KROOT" -S "$KVER" --show-depends "$m" 2>&1); then
			msg "$KVER: module '$m' not found (skipped): $line"
			continue
		fi
		while read -r what ko _; do
			[ "$what" = insmod ] || continue
			base=$(basename "$ko")
			base="${base%.xz}"; base="${base%.zst}"; base="${base%.gz}"
			case "$seen" in *" $base "*) continue ;; esac
			seen="$seen$base "
			case "$ko" in
			*.xz) xz -dc "$ko" > "$root/lib/modules/kmatrix/$base" ;;
			*.zst) zstd -q -dc "$ko" > "$root/lib/modules/kmatrix/$base" ;;
			*.gz) gzip -dc "$ko" > "$root/lib/modules/kmatrix/$base" ;;
			*) cp "$ko" "$root/lib/modules/kmatrix/$base" ;;
			esac
			echo "$base" >> "$root/etc/kmatrix/modules.list"
		done <<< "$line"
	done
}

# initrd_key: a digest of everything that goes into the initramfs
initrd_key() {
	{
		printf '%s\n' "$KROOT" "$KVER" "$MODULES" "$RUNS" "$GUEST_JOBS" "$CASE_TIMEOUT_MS" "$SCALE" "$REAL_TIMERS" \
			"${FILTERS[@]+"${FILTERS[@]}"}"
		cat "$TFOCHECK" "$B/libtfo.so" "$LIBOWFAT" "$INIT_TEMPLATE" "$0" \
			"$(command -v busybox)" 2>/dev/null
	} | sha256sum | cut -c1-16
}

# build_initrd DIR: DIR/initrd.gz for $KROOT/$KVER running $RUNS; reused
# from $KM/initrd/ when nothing that goes into it changed
build_initrd() {
	local dir="$1" root="$1/initrd" a f key

	key=$(initrd_key)
	if [ -f "$KM/initrd/$key.gz" ]; then
		ln -f "$KM/initrd/$key.gz" "$dir/initrd.gz" 2>/dev/null ||
			cp "$KM/initrd/$key.gz" "$dir/initrd.gz"
		return 0
	fi

	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc/kmatrix,opt/tfocheck}
	cp "$(command -v busybox)" "$root/bin/busybox"
	# only sh here (forks are slow): /init runs `busybox --install -s`,
	# which skips busybox itself (a self-symlink would ELOOP)
	ln -s busybox "$root/bin/sh"
	cp "$INIT_TEMPLATE" "$root/init"
	chmod 0755 "$root/init"
	cp "$TFOCHECK" "$root/opt/tfocheck/tfocheck"
	cp -P "$B"/libtfo.so* "$root/opt/tfocheck/"
	copy_file "$LIBOWFAT" "$LIBOWFAT" "$root"
	copy_libs "$root" "$TFOCHECK" "$B/libtfo.so" "$LIBOWFAT"
	# glibc dlopen()s libgcc_s for thread cancellation/unwinding
	f=$(ldconfig -p 2>/dev/null | awk '/libgcc_s.so.1 .*x86-64/ { print $NF; exit }')
	[ -n "$f" ] && copy_file "$f" "$f" "$root"
	for f in /etc/protocols /etc/services /etc/os-release; do
		[ -e "$f" ] && copy_file "$f" "$f" "$root"
	done
	# the guest kernel's CONFIG_HZ, for the compressed timers' jiffies
	[ -f "$KROOT/boot/config-$KVER" ] && copy_file "$KROOT/boot/config-$KVER" "/boot/config-$KVER" "$root"
	add_modules "$root"
	printf '%s\n' "$RUNS" > "$root/etc/kmatrix/runs"
	printf '%s\n' "${FILTERS[@]+"${FILTERS[@]}"}" > "$root/etc/kmatrix/filters"
	echo "$GUEST_JOBS" > "$root/etc/kmatrix/jobs"
	echo "$CASE_TIMEOUT_MS" > "$root/etc/kmatrix/case_timeout_ms"
	echo "$SCALE" > "$root/etc/kmatrix/timeout_scale"
	echo "$REAL_TIMERS" > "$root/etc/kmatrix/run_args"
	(cd "$root" && find . | busybox cpio -o -H newc -R 0:0 2>/dev/null) | gzip -1 > "$dir/initrd.gz"
	mkdir -p "$KM/initrd"
	find "$KM/initrd" -name '*.gz' -mtime +7 -delete 2>/dev/null || true
	cp "$dir/initrd.gz" "$KM/initrd/$key.gz.$$.part" && mv "$KM/initrd/$key.gz.$$.part" "$KM/initrd/$key.gz"
}

# ----------------------------------------------------------- result return

# extract DATAFILE NAME KIND DEST: decode one framed file; 0 when the
# length and sha256 match
extract() {
	local data="$1" name="$2" kind="$3" dest="$4" hdr len sum tmp

	hdr=$(tr -d '\r' < "$data" | grep -a "^KMATRIX-BEGIN $name $kind " | tail -n 1)
	[ -n "$hdr" ] || return 1
	read -r _ _ _ len sum <<< "$hdr"
	tmp="$dest.gz.part"
	tr -d '\r' < "$data" |
		awk -v b="$hdr" -v e="KMATRIX-END $name $kind" '
			$0 == e { on = 0 } on { print } $0 == b { on = 1 }' |
		base64 -d > "$tmp" 2>/dev/null || { rm -f "$tmp"; return 1; }
	if [ "$(wc -c < "$tmp")" != "$len" ] ||
	   [ "$(sha256sum "$tmp" | cut -d' ' -f1)" != "$sum" ]; then
		msg "$name $kind: framing check failed (length or sha256 mismatch)"
		rm -f "$tmp"
		return 1
	fi
	gzip -dc "$tmp" > "$dest" && rm -f "$tmp"
}

# error_doc FILE KERNEL LIB REASON SECONDS: a synthesized results document
error_doc() {
	local file="$1" kernel lib reason pid ver

	kernel=$(json_str "$2"); lib=$(json_str "$3"); reason=$(json_str "$4")
	pid="linux-$(id_part "$2")-x86_64-$(id_part "$3")"
	ver=$("$TFOCHECK" --version 2>/dev/null | awk '{ print $2 }')
	cat > "$file" <<EOF
{
 "library": { "alias": "$lib", "path": "$lib", "version": "" },
 "platform": { "arch": "x86_64", "distro": "", "kernel": "$kernel",
               "os": "Linux", "version": "" },
 "platform_id": "$pid",
 "profiles": { "none": { "summary": "no profile: the suite did not run on this kernel" } },
 "results": [
  { "api": "kernel", "clause": "(kernel matrix: the kernel boots under qemu and the suite returns results)",
    "duration_ms": $(awk -v s="$5" 'BEGIN { printf "%.1f", s * 1000 }'),
    "evidence": null, "family": "any", "id": "kernel.boot",
    "message": "$reason", "name": "kernel.boot@none", "profile": "none",
    "status": "ERROR" }
 ],
 "schema": "tfocheck-results/1",
 "tool": { "name": "tfocheck", "version": "${ver:-unknown}" },
 "wall_ms": $(awk -v s="$5" 'BEGIN { printf "%.1f", s * 1000 }')
}
EOF
}

# counts JSON: "N pass, N fail[, N other]"
counts() {
	grep -o '"status": *"[A-Z]*"' "$1" | awk -F'"' '
		{ n[$4]++ }
		END { other = 0
		      for (s in n) if (s != "PASS" && s != "FAIL" && s != "XFAIL") other += n[s]
		      printf "%d pass, %d fail", n["PASS"], n["FAIL"]
		      if (n["XFAIL"]) printf ", %d xfail", n["XFAIL"]
		      if (other) printf ", %d other", other }'
}

# ------------------------------------------------------------ one kernel

# Each kernel writes $RES/LABEL-LIB.json for every run and a headline into
# $WORK/LABEL/headline; errors become ERROR documents.

# fail_kernel LABEL KERNEL REASON SECONDS
fail_kernel() {
	local name lib _a

	msg "$1: ERROR: $3"
	while read -r name lib _a; do
		[ -n "$name" ] || continue
		error_doc "$RES/$(id_part "$1")-$name.json" "$2" "$lib" "$3" "$4"
	done <<< "$RUNS"
	echo "$(printf '%-28s' "$2")  ERROR: $3" > "$WORK/$1/headline"
}

run_vm_kernel() {
	local spec="$1" label="$2" dir="$WORK/$2" deb t0 t1 t2 rc up done_ name lib _a
	local head="" suite=0 r rrc st en reason

	t0=$(now)
	if ! deb=$(fetch_deb "$spec"); then
		echo fetch > "$dir/fetch-failed"
		fail_kernel "$label" "$spec" "kernel package for '$spec' could not be had" 0
		return 0
	fi
	if ! unpack_deb "$deb"; then
		fail_kernel "$label" "$spec" "cannot unpack '$(basename "$deb")'" 0
		return 0
	fi
	# in the background so that set -e stays in force inside
	build_initrd "$dir" > "$dir/initrd.log" 2>&1 &
	if ! wait $!; then
		fail_kernel "$label" "$KVER" "cannot build the initramfs: $(tail -n 1 "$dir/initrd.log")" 0
		return 0
	fi
	t1=$(now)
	rm -f "$dir/console.log" "$dir/data.txt"
	rc=0
	timeout --kill-after=5 "$VM_TIMEOUT" qemu-system-x86_64 \
		-accel tcg,thread=multi -cpu max -smp "$VM_SMP" -m "$VM_MEM" -nodefaults -no-reboot \
		-display none -monitor none \
		-serial "file:$dir/console.log" -serial "file:$dir/data.txt" \
		-kernel "$KROOT/boot/vmlinuz-$KVER" -initrd "$dir/initrd.gz" \
		-append "console=ttyS0 panic=-1 quiet" < /dev/null > "$dir/qemu.out" 2>&1 || rc=$?
	t2=$(now)
	touch "$dir/data.txt"
	up=$(tr -d '\r' < "$dir/data.txt" | grep -a -c '^KMATRIX-UP ' || true)
	done_=$(tr -d '\r' < "$dir/data.txt" | grep -a -c '^KMATRIX-DONE' || true)
	if [ "$up" = 0 ]; then
		case "$rc" in
		124|137) reason="no init within ${VM_TIMEOUT} s (hang or too slow): see $dir/console.log" ;;
		0) reason="guest stopped before /init ran (kernel panic?): see $dir/console.log" ;;
		*) reason="qemu exited $rc before /init ran: $(head -c 200 "$dir/qemu.out" | tr '\n' ' ')" ;;
		esac
		fail_kernel "$label" "$KVER" "$reason" "$(secs "$t1" "$t2")"
		return 0
	fi
	while read -r name lib _a; do
		[ -n "$name" ] || continue
		r=$(tr -d '\r' < "$dir/data.txt" | grep -a "^KMATRIX-RUN $name " | tail -n 1 || true)
		if [ -n "$r" ]; then
			read -r _ _ rrc st en <<< "$r"
			suite=$(awk -v a="$suite" -v s="$st" -v e="$en" 'BEGIN { print a + e - s }')
		fi
		extract "$dir/data.txt" "$name" log "$dir/$name.log" || true
		if [ -n "$r" ] && extract "$dir/data.txt" "$name" json "$dir/$name.json"; then
			cp "$dir/$name.json" "$RES/$(id_part "$label")-$name.json"
			head="$head${head:+; }$lib: $(counts "$dir/$name.json")"
		else
			if [ -z "$r" ]; then
				reason="run '$name' did not finish within ${VM_TIMEOUT} s (VM killed or crashed)"
			else
				reason="run '$name' returned no valid results (tfocheck exit $rrc); see $dir/$name.log"
			fi
			[ "$done_" = 0 ] && [ "$rc" != 0 ] && reason="$reason; qemu rc $rc"
			error_doc "$RES/$(id_part "$label")-$name.json" "$KVER" "$lib" "$reason" "$(secs "$t1" "$t2")"
			head="$head${head:+; }$lib: ERROR ($reason)"
		fi
	done <<< "$RUNS"
	printf '%-28s  %s   (prepare %s s, boot %s s, suite %s s)\n' "$KVER" "$head" \
		"$(secs "$t0" "$t1")" \
		"$(awk -v w="$(secs "$t1" "$t2")" -v s="$suite" 'BEGIN { printf "%.1f", w - s }')" \
		"$(awk -v s="$suite" 'BEGIN { printf "%.1f", s }')" > "$dir/headline"
}

run_host_kernel() {
	local label="$1" dir="$WORK/$1" kver name lib apis rc t0 t1 head="" suite=0 args=()

	kver=$(uname -r)
	if [ "$(id -u)" != 0 ]; then
		fail_kernel "$label" "$kver" "the native run needs root (network namespaces)" 0
		return 0
	fi
	for f in "${FILTERS[@]+"${FILTERS[@]}"}"; do
		args+=(--filter "$f")
	done
	while read -r name lib apis; do
		[ -n "$name" ] || continue
		t0=$(now)
		rc=0
		"$TFOCHECK" run --lib "$lib" --api "$apis" "${args[@]+"${args[@]}"}" -j "$HOST_JOBS" $REAL_TIMERS \
			--json "$dir/$name.json" > "$dir/$name.log" 2>&1 || rc=$?
		t1=$(now)
		suite=$(awk -v a="$suite" -v b="$(secs "$t0" "$t1")" 'BEGIN { print a + b }')
		if [ -s "$dir/$name.json" ]; then
			cp "$dir/$name.json" "$RES/$(id_part "$label")-$name.json"
			head="$head${head:+; }$lib: $(counts "$dir/$name.json")"
		else
			error_doc "$RES/$(id_part "$label")-$name.json" "$kver" "$lib" \
				"tfocheck run exited $rc without results; see $dir/$name.log" "$(secs "$t0" "$t1")"
			head="$head${head:+; }$lib: ERROR (exit $rc)"
		fi
	done <<< "$RUNS"
	printf '%-28s  %s   (native, suite %s s)\n' "$kver" "$head" \
		"$(awk -v s="$suite" 'BEGIN { printf "%.1f", s }')" > "$dir/headline"
}

# run_kernel SPEC INDEX
run_kernel() {
	local spec="$1" label

	label="$(printf '%02d' "$2")-$(id_part "$(basename "$spec" .deb)")"
	rm -rf "${WORK:?}/$label"
	mkdir -p "$WORK/$label"
	if [ "$spec" = host ]; then
		run_host_kernel "$label"
	else
		run_vm_kernel "$spec" "$label"
	fi
	cat "$WORK/$label/headline" 2>/dev/null ||
		echo "$spec: internal error (no headline; see $WORK/$label)"
}

# ------------------------------------------------------------------ main

check_tools() {
	local t missing=""

	[ -x "$TFOCHECK" ] || die "'$TFOCHECK' is not built (make all)"
	[ -f "$B/libtfo.so" ] || die "'$B/libtfo.so' is not built (make lib)"
	for t in qemu-system-x86_64 busybox depmod modprobe timeout dpkg-deb apt-get xz; do
		command -v "$t" > /dev/null 2>&1 || missing="$missing $t"
	done
	if [ -n "$missing" ]; then
		case " $KERNELS " in *" host "*) ;; *)
			msg "missing:$missing (make deps with TFOCHECK_EXTRA_PKGS=\"qemu-system-x86 busybox-static kmod\")"
			exit 3 ;;
		esac
		msg "missing:$missing: only the host kernel can run"
		KERNELS="host"
	fi
	[ -e "$LIBOWFAT" ] || msg "no '$LIBOWFAT': the guest has no libowfat"
}

# report_all: the merged page ($OUT/index.html), matrix.md and
# summary.txt, then the summary's top on the terminal: one headline per
# library across the kernels, what differs between kernels (or that
# nothing does), the failing clauses by deviation.  0, or tfocheck
# report's exit status.
report_all() {
	local rc=0

	"$TFOCHECK" report "$RES"/*.json --html "$OUT/index.html" --markdown "$OUT/matrix.md" \
		--text "$OUT/summary.txt" --brief || rc=$?
	if [ "$rc" = 0 ]; then
		echo
		sed '/^Matrix: /,$d' "$OUT/summary.txt"
		echo "kernel-matrix: matrix in $OUT/index.html"
	fi
	return "$rc"
}

# merge_main: --merge RUNDIR...: the runs' results and headlines into one
# matrix in $OUT.  A file name that two runs both hold is an error (two
# runs of the same kernel label) unless the files are identical.
merge_main() {
	local d f base n=0 rc=0

	[ "${#MERGE_DIRS[@]}" -gt 0 ] || die "--merge needs at least one run directory"
	[ -x "$TFOCHECK" ] || die "'$TFOCHECK' is not built (make all)"
	mkdir -p "$OUT"
	for d in "${MERGE_DIRS[@]}"; do
		[ "$(cd "$d" 2>/dev/null && pwd -P)" != "$(cd "$OUT" && pwd -P)" ] ||
			die "--out '$OUT' is also a run to merge: choose another --out"
	done
	RES="$OUT/results"
	rm -rf "$RES"
	mkdir -p "$RES"
	: > "$OUT/headlines.txt.part"
	for d in "${MERGE_DIRS[@]}"; do
		set -- "$d"/results/*.json
		[ -e "$1" ] || die "'$d' holds no results/*.json (not a kernel-matrix --out directory?)"
		for f in "$@"; do
			base=$(basename "$f")
			if [ -e "$RES/$base" ] && ! cmp -s "$f" "$RES/$base"; then
				die "'$base' is in two runs ('$d' and an earlier one): the same kernel twice?"
			fi
			cp "$f" "$RES/$base"
			n=$((n + 1))
		done
		if [ -f "$d/headlines.txt" ]; then
			grep -v '^kernel-matrix: ' "$d/headlines.txt" >> "$OUT/headlines.txt.part" || true
		else
			echo "$d: no headlines.txt" >> "$OUT/headlines.txt.part"
		fi
	done
	echo "kernel-matrix: merged $n results from ${#MERGE_DIRS[@]} runs; results in $RES" >> "$OUT/headlines.txt.part"
	mv "$OUT/headlines.txt.part" "$OUT/headlines.txt"
	cat "$OUT/headlines.txt"
	if grep -q '"id": "kernel.boot"' "$RES"/*.json 2>/dev/null; then
		rc=1
	fi
	if [ "$REPORT" = 1 ]; then
		report_all || { msg "tfocheck report failed (exit $?)"; exit 2; }
	fi
	exit "$rc"
}

main() {
	local t0 i=0 spec pids=() nvm=0 nfetch=0 rc=0 d f

	parse_args "$@"
	[ "$MERGE" = 1 ] && merge_main
	# per output directory, so that `make check` and a matrix run coexist
	WORK="${KMATRIX_WORK:-$KM/work-$(id_part "$(basename "$OUT")")}"
	check_tools
	t0=$(now)
	plan_runs
	mkdir -p "$WORK" "$OUT"
	RES="$OUT/results"
	rm -rf "$RES"
	mkdir -p "$RES"
	rm -rf "${WORK:?}"/*
	msg "kernels: $KERNELS; runs: $(printf '%s' "$RUNS" | awk '{ printf "%s%s --api %s", (NR > 1 ? ", " : ""), $2, $3 }')"
	for spec in $KERNELS; do
		i=$((i + 1))
		[ "$spec" = host ] || nvm=$((nvm + 1))
		if [ "$PAR" -gt 1 ]; then
			run_kernel "$spec" "$i" &
			pids+=($!)
			if [ "${#pids[@]}" -ge "$PAR" ]; then
				wait "${pids[0]}" || true
				pids=("${pids[@]:1}")
			fi
		else
			run_kernel "$spec" "$i"
		fi
	done
	for f in "${pids[@]+"${pids[@]}"}"; do
		wait "$f" || true
	done
	nfetch=$(find "$WORK" -name fetch-failed | wc -l)
	# only synthesized documents carry the kernel.boot row
	if grep -q '"id": "kernel.boot"' "$RES"/*.json 2>/dev/null; then
		rc=1
	fi
	if [ "$REPORT" = 1 ]; then
		if "$TFOCHECK" report --help > /dev/null 2>&1; then
			report_all || msg "tfocheck report failed (exit $?)"
		else
			msg "'tfocheck report' is not available yet: skipped the merge (results in $RES)"
		fi
	fi
	for d in "$WORK"/*/; do
		cat "$d/headline" 2>/dev/null || echo "$d: no headline"
	done > "$OUT/headlines.txt"
	echo "kernel-matrix: total wall time $(secs "$t0" "$(now)") s; results in $RES" | tee -a "$OUT/headlines.txt"
	if [ "$nvm" -gt 0 ] && [ "$nfetch" = "$nvm" ] && [ "$nvm" = "$i" ]; then
		exit 3
	fi
	exit "$rc"
}

main "$@"
