#!/bin/sh
# /init of the kernel-matrix guest (busybox sh; copied into the initramfs by
# scripts/kernel-matrix.sh, never run on the host).
#
# It mounts the pseudo file systems, loads the modules listed in
# /etc/kmatrix/modules.list, runs every line of /etc/kmatrix/runs
# ("NAME LIB APIS") as `tfocheck run --lib LIB --api APIS --json ...`, and
# sends each results file to the host over the second serial port
# (/dev/ttyS1, a file on the host) framed as:
#
#   KMATRIX-BEGIN NAME KIND BYTES SHA256     (BYTES/SHA256 of the gzip stream)
#   base64 of gzip of the file, 76 columns
#   KMATRIX-END NAME KIND
#
# plus "KMATRIX-RUN NAME RC SECONDS" per run, "KMATRIX-UP UPTIME" when init
# starts and "KMATRIX-DONE" last.  The console (ttyS0) carries only kernel
# messages and progress lines, so the data port never interleaves with printk.
# A run's non-zero exit (failures) does not stop the script.

PATH=/bin:/sbin:/usr/bin:/usr/sbin
export PATH
/bin/busybox --install -s

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mkdir -p /run && mount -t tmpfs tmpfs /run
# cgroup v2 for tfocheck's compressed timers (a BPF sock_ops program on the
# run's cgroup); without it the suite runs with real timers and says why
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null ||
	echo "kmatrix: no cgroup2 mount: real timers" > /dev/console

DATA=/dev/ttyS1
stty -F "$DATA" raw -echo 2>/dev/null

uptime_s() {
	cut -d' ' -f1 /proc/uptime
}

say() {
	echo "kmatrix: $*" > /dev/console
}

data() {
	echo "$*" > "$DATA"
}

# send NAME KIND FILE
send() {
	gzip -c "$3" > /tmp/send.gz
	len=$(wc -c < /tmp/send.gz)
	sum=$(sha256sum /tmp/send.gz | cut -d' ' -f1)
	{
		echo "KMATRIX-BEGIN $1 $2 $len $sum"
		base64 /tmp/send.gz
		echo "KMATRIX-END $1 $2"
	} > "$DATA"
	rm -f /tmp/send.gz
}

data "KMATRIX-UP $(uptime_s) $(uname -r)"

while read -r ko; do
	[ -n "$ko" ] || continue
	insmod "/lib/modules/kmatrix/$ko" 2>/tmp/insmod.err ||
		say "insmod $ko failed: $(cat /tmp/insmod.err)"
done < /etc/kmatrix/modules.list

set -f		# filters are globs for tfocheck, not for the shell
filters=""
while read -r f; do
	[ -n "$f" ] && filters="$filters --filter $f"
done < /etc/kmatrix/filters
jobs=$(cat /etc/kmatrix/jobs 2>/dev/null || echo 1)
tmo=$(cat /etc/kmatrix/case_timeout_ms 2>/dev/null || echo 10000)
scale=$(cat /etc/kmatrix/timeout_scale 2>/dev/null || echo 3)
rargs=$(cat /etc/kmatrix/run_args 2>/dev/null)	# --real-timers or nothing

while read -r name lib apis; do
	[ -n "$name" ] || continue
	say "run $name: tfocheck run --lib $lib --api $apis$filters -j $jobs --timeout $tmo --timeout-scale $scale $rargs"
	t0=$(uptime_s)
	# shellcheck disable=SC2086 # $filters is a word list on purpose
	# shellcheck disable=SC2086 # $rargs too
	/opt/tfocheck/tfocheck run --lib "$lib" --api "$apis" $filters $rargs \
		-j "$jobs" --timeout "$tmo" --timeout-scale "$scale" --json "/tmp/$name.json" \
		> "/tmp/$name.log" 2>&1
	rc=$?
	t1=$(uptime_s)
	tail -n 3 "/tmp/$name.log" > /dev/console
	data "KMATRIX-RUN $name $rc $t0 $t1"
	[ -s "/tmp/$name.json" ] && send "$name" json "/tmp/$name.json"
	send "$name" log "/tmp/$name.log"
done < /etc/kmatrix/runs

data "KMATRIX-DONE $(uptime_s)"
sync
poweroff -f
