#!/bin/sh
# Installs the Debian packages tfocheck needs to build, test and run — only
# those missing, printing what it installs.  Idempotent.  Without apt it
# prints the list and stops (exit 1) so a packager knows what to provide.
set -eu

# Required — build + run: libmnl (netlink), CUnit (registry/runner),
# libnftables (faults), jansson (JSON), libowfat (a library under test),
# iproute2 + nftables CLIs for the hygiene checks and the `ip` baseline.
PKGS="gcc make pkg-config libc6-dev libmnl-dev libcunit1-dev libnftables-dev \
libjansson-dev libowfat-dev libowfat0 iproute2 nftables procps"
PKGS="$PKGS ${TFOCHECK_EXTRA_PKGS:-}"
# Optional — tests that need them skip, naming the package: xmllint
# validates JUnit, chromium renders the HTML matrix, qemu + busybox + kmod
# boot other kernels (make kernel-matrix and its quick test).  Installed
# one by one where the distribution has them (Debian 12 has all).
# TFOCHECK_OPTIONAL chooses which: "all" (the default), "none", or a list
# of package names (CI jobs that need no browser or qemu save ~1 GB).
OPT_ALL="libxml2-utils chromium qemu-system-x86 busybox-static kmod"
case "${TFOCHECK_OPTIONAL:-all}" in
all) OPT=$OPT_ALL ;;
none) OPT="" ;;
*) OPT=$TFOCHECK_OPTIONAL ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	echo "make deps: no apt/dpkg on this system; install these (Debian names) yourself: $PKGS (optional, for some tests: ${OPT:-none})" >&2
	exit 1
fi

is_missing() {
	st=$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)
	[ "$st" != installed ]
}
missing="" optmissing=""
for p in $PKGS; do
	is_missing "$p" && missing="$missing $p"
done
for p in $OPT; do
	case " $PKGS " in *" $p "*) continue ;; esac
	is_missing "$p" && optmissing="$optmissing $p"
done

if [ -z "$missing$optmissing" ]; then
	echo "make deps: all packages present"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	if [ -z "$missing" ]; then
		echo "make deps: optional packages missing:$optmissing (their tests skip; sudo make deps installs them)"
		exit 0
	fi
	echo "make deps: missing packages:$missing — run as root (sudo make deps) to install them" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
updated=""
# apt-get install PKGS..., refreshing the package lists once if needed
apt_install() {
	apt-get install -y -q --no-install-recommends "$@" >"$log" 2>&1 && return 0
	[ -n "$updated" ] && return 1
	updated=1
	apt-get update -q >/dev/null 2>&1
	apt-get install -y -q --no-install-recommends "$@" >"$log" 2>&1
}

if [ -n "$missing" ]; then
	echo "make deps: installing:$missing"
	# shellcheck disable=SC2086
	if ! apt_install $missing; then
		cat "$log" >&2
		echo "make deps: apt-get install failed for:$missing" >&2
		exit 1
	fi
	echo "make deps: installed:$missing"
fi
for p in $optmissing; do
	if apt_install "$p"; then
		echo "make deps: installed (optional): $p"
	else
		echo "make deps: optional package $p not available here; its tests will skip"
	fi
done
exit 0
