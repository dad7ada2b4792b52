# tfocheck — conformance suite and kernel capability checker for TCP Fast Open
# client APIs.  Plain GNU make: `make`, `make check`, `make conformance`,
# `make install PREFIX=… DESTDIR=…`, `V=1` for full command lines,
# `SANITIZE=1` for ASan+UBSan, `REPORTS=DIR` for where reports go.
#
# CFLAGS, CPPFLAGS and LDFLAGS (environment or command line, e.g. from
# dpkg-buildflags) are added after the flags the project needs, never
# instead of them.  The configuration a build was made with is recorded in
# build/config.flags and build/config.paths; a change to either rebuilds
# exactly what depends on it (objects and links; libtfo.pc).

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR    ?=
PKG_CONFIG ?= pkg-config

B := build
.DEFAULT_GOAL := all
# generated reports (make conformance, make kernel-matrix): never in the
# source directory reports/, which holds the report writers
REPORTS ?= $(B)/reports
export REPORTS

# The user's flags; only their defaults are the project's.
CFLAGS  ?= -O2 -g
CPPFLAGS ?=
LDFLAGS ?=

# What the project needs, whatever the user's flags say.
TFO_CPPFLAGS := -I. -Iinclude -D_GNU_SOURCE
TFO_CFLAGS   := -std=gnu11 -pthread \
                -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
                -Wmissing-prototypes -Wvla -Wundef -Wno-format-nonliteral $(WERROR)
TFO_LDFLAGS  := -pthread
DEPFLAGS     := -MMD -MP

ifeq ($(SANITIZE),1)
TFO_CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer
TFO_LDFLAGS += -fsanitize=address,undefined
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

# Libraries the tool links against (the library under test is dlopen()ed).
TOOL_LIBS := $(shell $(PKG_CONFIG) --libs libmnl cunit libnftables jansson 2>/dev/null || echo -lmnl -lcunit -lnftables -ljansson) -ldl

TOOL_SRCS := $(wildcard util/*.c probes/*.c netns/*.c harness/*.c cases/*.c reports/*.c fuzz/*.c)
TOOL_MAIN := harness/main.c
TOOL_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(filter-out $(TOOL_MAIN),$(TOOL_SRCS))) \
	     $(B)/obj/gen/fz_text.o
# what a reproducer carries, as text in the tool (fuzz/text.h)
FZ_TEXT_SRCS := fuzz/play.h fuzz/play.c fuzz/repro_main.c.in

TEST_SRCS := $(wildcard tests/*.c)
TEST_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(TEST_SRCS))

# Reference library libtfo (lib/): shared with a versioned soname, and static.
LIBTFO_MAJOR := 1
LIBTFO_VERSION := 1.0.0
LIB_SRCS := $(wildcard lib/*.c)
LIB_PIC_OBJS := $(patsubst %.c,$(B)/pic/%.o,$(LIB_SRCS))
LIB_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(LIB_SRCS))
LIBTFO_SO := $(B)/libtfo.so.$(LIBTFO_VERSION)

# Deliberately broken libraries (tests/mutants/*.c), one .so each.
MUTANT_SRCS := $(wildcard tests/mutants/*.c)
MUTANT_SOS  := $(patsubst tests/mutants/%.c,$(B)/mutants/%.so,$(MUTANT_SRCS))

# Misbehaving libraries (tests/untrusted/*.c): the runner must survive them.
UNTRUSTED_SRCS := $(wildcard tests/untrusted/*.c)
UNTRUSTED_SOS  := $(patsubst tests/untrusted/%.c,$(B)/untrusted/%.so,$(UNTRUSTED_SRCS))

BENCH_SRCS := $(wildcard bench/*.c)
BENCH_BINS := $(patsubst bench/%.c,$(B)/bench/%,$(BENCH_SRCS))

COMPILE = $(CC) $(TFO_CPPFLAGS) $(CPPFLAGS) $(TFO_CFLAGS) $(CFLAGS)
LINK    = $(CC) $(TFO_CFLAGS) $(CFLAGS) $(TFO_LDFLAGS) $(LDFLAGS)

# The configuration stamps.  Each holds its configuration as text and is
# rewritten (so its mtime moves) only when that text changes.
CONFIG_FLAGS := $(B)/config.flags
CONFIG_PATHS := $(B)/config.paths
config_flags := CC=$(CC) AR=$(AR) CPPFLAGS=$(TFO_CPPFLAGS) $(CPPFLAGS) \
	CFLAGS=$(TFO_CFLAGS) $(CFLAGS) LDFLAGS=$(TFO_LDFLAGS) $(LDFLAGS) \
	LIBS=$(TOOL_LIBS)
config_paths := PREFIX=$(PREFIX) LIBDIR=$(LIBDIR) INCLUDEDIR=$(INCLUDEDIR) \
	VERSION=$(LIBTFO_VERSION)
# A stamp that exists is brought up to date here, before make looks at
# mtimes; one that does not is made by the rule below when something needs
# it (so `make clean` or a dry run on a clean tree writes nothing).
ifneq ($(filter-out clean deps,$(or $(MAKECMDGOALS),all)),)
ifneq ($(wildcard $(CONFIG_FLAGS)),)
ifneq ($(config_flags),$(file <$(CONFIG_FLAGS)))
$(file >$(CONFIG_FLAGS),$(config_flags))
endif
endif
ifneq ($(wildcard $(CONFIG_PATHS)),)
ifneq ($(config_paths),$(file <$(CONFIG_PATHS)))
$(file >$(CONFIG_PATHS),$(config_paths))
endif
endif
endif
$(CONFIG_FLAGS):
	$(shell mkdir -p $(@D))$(file >$@,$(config_flags))
$(CONFIG_PATHS):
	$(shell mkdir -p $(@D))$(file >$@,$(config_paths))

all: $(B)/tfocheck lib

# everything compiled or linked depends on the flags it was made with
$(B)/tfocheck $(LIBTFO_SO) $(B)/libtfo.a $(B)/tests/unit $(BENCH_BINS) $(MUTANT_SOS) \
$(B)/obj/$(TOOL_MAIN:.c=.o) $(TOOL_OBJS) $(TEST_OBJS) $(LIB_OBJS) $(LIB_PIC_OBJS): $(CONFIG_FLAGS)

$(B)/tfocheck: $(B)/obj/$(TOOL_MAIN:.c=.o) $(TOOL_OBJS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LINK) -o $@ $(filter %.o,$^) $(TOOL_LIBS)

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(COMPILE) $(DEPFLAGS) -c -o $@ $<

$(B)/gen/fz_text.c: $(FZ_TEXT_SRCS) scripts/c-strings.awk
	@mkdir -p $(@D)
	@$(if $(Q),echo "  GEN     $@")
	$(Q)awk -f scripts/c-strings.awk $(FZ_TEXT_SRCS) > $@.tmp && mv $@.tmp $@

$(B)/obj/gen/fz_text.o: $(B)/gen/fz_text.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(COMPILE) $(DEPFLAGS) -c -o $@ $<

$(B)/pic/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC [pic] $<")
	$(Q)$(COMPILE) $(DEPFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<

lib: $(B)/libtfo.so $(B)/libtfo.a $(B)/libtfo.pc

$(LIBTFO_SO): $(LIB_PIC_OBJS) lib/libtfo.map
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LINK) -shared -Wl,-soname,libtfo.so.$(LIBTFO_MAJOR) \
		-Wl,--version-script=lib/libtfo.map -o $@ $(LIB_PIC_OBJS)

$(B)/libtfo.so: $(LIBTFO_SO)
	$(Q)ln -sf libtfo.so.$(LIBTFO_VERSION) $(B)/libtfo.so.$(LIBTFO_MAJOR)
	$(Q)ln -sf libtfo.so.$(LIBTFO_VERSION) $@

$(B)/libtfo.a: $(LIB_PIC_OBJS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $(LIB_PIC_OBJS)

# libdir and includedir relative to ${prefix} where they lie under it, so
# the file reads as pkg-config files usually do
pc_dir = $(if $(filter $(PREFIX)/%,$(1)),$${prefix}/$(patsubst $(PREFIX)/%,%,$(1)),$(1))

$(B)/libtfo.pc: lib/libtfo.pc.in $(CONFIG_PATHS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  GEN     $@")
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(call pc_dir,$(LIBDIR))|g' \
		-e 's|@INCLUDEDIR@|$(call pc_dir,$(INCLUDEDIR))|g' -e 's|@VERSION@|$(LIBTFO_VERSION)|g' $< > $@.tmp
	$(Q)mv $@.tmp $@

$(B)/mutants/%.so: tests/mutants/%.c $(LIB_SRCS) $(wildcard tests/mutants/*.h)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  MUTANT  $@")
	$(Q)$(LINK) $(TFO_CPPFLAGS) $(CPPFLAGS) -fPIC -shared -o $@ $<

$(B)/untrusted/%.so: tests/untrusted/%.c $(LIB_SRCS) tests/untrusted/untrusted.h tests/mutants/ref_owfat.h
	@mkdir -p $(@D)
	@$(if $(Q),echo "  UNTRUST $@")
	$(Q)$(LINK) $(TFO_CPPFLAGS) $(CPPFLAGS) -fPIC -shared -o $@ $<

$(B)/tests/unit: $(TEST_OBJS) $(TOOL_OBJS) $(LIB_OBJS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LINK) -o $@ $(filter %.o,$^) $(TOOL_LIBS)

$(B)/bench/%: bench/%.c $(TOOL_OBJS) $(LIB_OBJS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LINK) $(TFO_CPPFLAGS) $(CPPFLAGS) -o $@ $(filter %.c %.o,$^) $(TOOL_LIBS)

mutants: $(MUTANT_SOS) $(UNTRUSTED_SOS)

deps:
	@scripts/deps.sh

# The project's own tests (CUnit).  Run as root: they build private network
# namespaces.  `make check` installs what is missing first, then runs the
# suites in parallel groups (scripts/check.sh; CHECK_PARALLEL=0: one
# sequential $(B)/tests/unit).
check: deps
	@$(MAKE) --no-print-directory all mutants $(B)/tests/unit
	@scripts/check.sh

# The main job: probe this kernel, run the suite, write $(REPORTS)/.
conformance: deps
	@$(MAKE) --no-print-directory all
	@scripts/conformance.sh

bench: all $(BENCH_BINS)
	@for b in $(BENCH_BINS); do echo "== $$b"; $$b || exit 1; done

install: all
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(LIBDIR)" "$(DESTDIR)$(PKGCONFIGDIR)" \
		"$(DESTDIR)$(INCLUDEDIR)/libtfo" "$(DESTDIR)$(MANDIR)/man1" "$(DESTDIR)$(MANDIR)/man3"
	install -m 0755 $(B)/tfocheck "$(DESTDIR)$(BINDIR)/tfocheck"
	install -m 0755 $(LIBTFO_SO) "$(DESTDIR)$(LIBDIR)/"
	ln -sf libtfo.so.$(LIBTFO_VERSION) "$(DESTDIR)$(LIBDIR)/libtfo.so.$(LIBTFO_MAJOR)"
	ln -sf libtfo.so.$(LIBTFO_VERSION) "$(DESTDIR)$(LIBDIR)/libtfo.so"
	install -m 0644 $(B)/libtfo.a "$(DESTDIR)$(LIBDIR)/"
	install -m 0644 $(B)/libtfo.pc "$(DESTDIR)$(PKGCONFIGDIR)/"
	install -m 0644 include/libtfo/*.h "$(DESTDIR)$(INCLUDEDIR)/libtfo/"
	for m in man/*.1; do [ -e "$$m" ] && install -m 0644 "$$m" "$(DESTDIR)$(MANDIR)/man1/"; done; true
	for m in man/*.3; do [ -e "$$m" ] && install -m 0644 "$$m" "$(DESTDIR)$(MANDIR)/man3/"; done; true

# build/ holds every generated file, the reports included; the second
# line removes reports that older versions wrote into the source tree
clean:
	rm -rf $(B)
	rm -rf reports/*/ reports/*.html reports/*.md reports/*.json reports/run-*.log

.PHONY: all lib deps check conformance bench install clean mutants

# make kernel-matrix: the suite under other kernels in qemu
include mk/kernel-matrix.mk

-include $(shell find $(B) -name '*.d' 2>/dev/null)
