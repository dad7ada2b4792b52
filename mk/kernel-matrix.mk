# Kernel matrix (docs/kernel-matrix.md): the suite under other kernels in
# qemu (TCG) plus the host kernel, merged into $(REPORTS)/kernel-matrix/.
# Included from the top Makefile; uses its $(B), $(REPORTS) and `all`.
#
#   make kernel-matrix                         6.1 + 6.12 cloud kernels + host
#   make kernel-matrix KERNELS="6.12 host"     another list
#   make kernel-matrix KMATRIX_ARGS="--api smoke --filter 'smoke.*'"
#
# Sharded (one kernel per machine or CI job, merged on one of them):
#   make kernel-matrix KERNELS=6.1 KMATRIX_ARGS="--out shard-6.1 --no-report"
#   make kernel-matrix-merge SHARDS="shard-6.1 shard-6.12 shard-host"

KMATRIX_PKGS := qemu-system-x86 busybox-static kmod
KMATRIX_ARGS ?=
# the kernels that boot in qemu: qemu & co. are needed only when there are
# some (a KERNELS=host shard needs none); the script's default list
# otherwise
kmatrix_comma := ,
KMATRIX_VMS = $(filter-out host,$(if $(KERNELS),$(subst $(kmatrix_comma), ,$(KERNELS)),6.1 6.12 host))

kernel-matrix-deps:
	@TFOCHECK_EXTRA_PKGS="$(if $(KMATRIX_VMS),$(KMATRIX_PKGS))" scripts/deps.sh

kernel-matrix: kernel-matrix-deps
	@$(MAKE) --no-print-directory all
	@$(if $(KERNELS),KERNELS="$(KERNELS)") scripts/kernel-matrix.sh $(KMATRIX_ARGS)

# needs only tfocheck itself (tfocheck report), not qemu
kernel-matrix-merge: all
	@scripts/kernel-matrix.sh --merge $(KMATRIX_ARGS) $(SHARDS)

# Downloaded kernel packages stay in $(B)/kernel-matrix/cache; this drops them.
kernel-matrix-clean:
	rm -rf $(B)/kernel-matrix

.PHONY: kernel-matrix kernel-matrix-deps kernel-matrix-merge kernel-matrix-clean
