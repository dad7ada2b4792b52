# Kernel matrix (docs/kernel-matrix.md): the suite under other kernels in
# qemu (TCG) plus the host kernel, merged into reports/kernel-matrix/.
# Included from the top Makefile; uses its $(B) and `all`.
#
#   make kernel-matrix                         6.1 + 6.12 cloud kernels + host
#   make kernel-matrix KERNELS="6.12 host"     another list
#   make kernel-matrix KMATRIX_ARGS="--api smoke --filter 'smoke.*'"

KMATRIX_PKGS := qemu-system-x86 busybox-static kmod
KMATRIX_ARGS ?=

kernel-matrix-deps:
	@TFOCHECK_EXTRA_PKGS="$(KMATRIX_PKGS)" scripts/deps.sh

kernel-matrix: kernel-matrix-deps
	@$(MAKE) --no-print-directory all
	@$(if $(KERNELS),KERNELS="$(KERNELS)") scripts/kernel-matrix.sh $(KMATRIX_ARGS)

# Downloaded kernel packages stay in $(B)/kernel-matrix/cache; this drops them.
kernel-matrix-clean:
	rm -rf $(B)/kernel-matrix

.PHONY: kernel-matrix kernel-matrix-deps kernel-matrix-clean
