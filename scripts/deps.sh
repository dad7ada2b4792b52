#!/bin/sh
# Installs the Debian packages tfocheck needs to build, test and run — only
# those missing, printing what it installs.  Idempotent.  Without apt it
# prints the list and stops (exit 1) so a packager knows what to provide.
set -eu

# build + run: libmnl (netlink), CUnit (registry/runner), libnftables (faults),
# jansson (JSON), libowfat (a library under test).  tests: iproute2 + nftables
# CLIs for the hygiene checks and the benchmark's `ip` baseline, xmllint to
# validate JUnit, chromium to render the HTML matrix in a real browser,
# qemu + busybox + kmod to boot other kernels (make kernel-matrix and its
# quick test in make check).
PKGS="gcc make pkg-config libc6-dev libmnl-dev libcunit1-dev libnftables-dev \
libjansson-dev libowfat-dev libowfat0 iproute2 nftables procps \
libxml2-utils chromium \
qemu-system-x86 busybox-static kmod"
PKGS="$PKGS ${TFOCHECK_EXTRA_PKGS:-}"

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	echo "make deps: no apt/dpkg on this system; install these (Debian names) yourself: $PKGS" >&2
	exit 1
fi

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done

if [ -z "$missing" ]; then
	echo "make deps: all packages present"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "make deps: missing packages:$missing — run as root (sudo make deps) to install them" >&2
	exit 1
fi

echo "make deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# Refresh the lists only when a first attempt cannot find a package.
if ! apt-get install -y -q --no-install-recommends $missing >/tmp/tfocheck-deps.$$ 2>&1; then
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends $missing >/tmp/tfocheck-deps.$$ 2>&1 || {
		cat /tmp/tfocheck-deps.$$ >&2; rm -f /tmp/tfocheck-deps.$$
		echo "make deps: apt-get install failed for:$missing" >&2
		exit 1
	}
fi
rm -f /tmp/tfocheck-deps.$$
echo "make deps: installed:$missing"
