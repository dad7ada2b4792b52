# tfocheck — conformance suite and kernel capability checker for TCP Fast Open
# client APIs.  Plain GNU make: `make`, `make check`, `make conformance`,
# `make install PREFIX=… DESTDIR=…`, `V=1` for full command lines,
# `SANITIZE=1` for ASan+UBSan.

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR    ?=
PKG_CONFIG ?= pkg-config

B := build

CC      ?= cc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -D_GNU_SOURCE -MMD -MP -pthread
CFLAGS  += -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes \
           -Wmissing-prototypes -Wvla -Wundef -Wno-format-nonliteral $(WERROR)
CPPFLAGS += -I. -Iinclude
LDFLAGS += -pthread

ifeq ($(SANITIZE),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

# Libraries the tool links against (the library under test is dlopen()ed).
TOOL_LIBS := $(shell $(PKG_CONFIG) --libs libmnl cunit libnftables jansson 2>/dev/null || echo -lmnl -lcunit -lnftables -ljansson) -ldl

TOOL_SRCS := $(wildcard util/*.c probes/*.c netns/*.c harness/*.c cases/*.c reports/*.c)
TOOL_MAIN := harness/main.c
TOOL_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(filter-out $(TOOL_MAIN),$(TOOL_SRCS)))

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

all: $(B)/tfocheck lib

$(B)/tfocheck: $(B)/obj/$(TOOL_MAIN:.c=.o) $(TOOL_OBJS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(TOOL_LIBS)

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/pic/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC [pic] $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<

lib: $(B)/libtfo.so $(B)/libtfo.a $(B)/libtfo.pc

$(LIBTFO_SO): $(LIB_PIC_OBJS) lib/libtfo.map
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -shared -Wl,-soname,libtfo.so.$(LIBTFO_MAJOR) \
		-Wl,--version-script=lib/libtfo.map -o $@ $(LIB_PIC_OBJS)

$(B)/libtfo.so: $(LIBTFO_SO)
	$(Q)ln -sf libtfo.so.$(LIBTFO_VERSION) $(B)/libtfo.so.$(LIBTFO_MAJOR)
	$(Q)ln -sf libtfo.so.$(LIBTFO_VERSION) $@

$(B)/libtfo.a: $(LIB_PIC_OBJS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/libtfo.pc: lib/libtfo.pc.in
	@mkdir -p $(@D)
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(LIBTFO_VERSION)|g' $< > $@

$(B)/mutants/%.so: tests/mutants/%.c $(LIB_SRCS) $(wildcard tests/mutants/*.h)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  MUTANT  $@")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -shared -o $@ $<

$(B)/untrusted/%.so: tests/untrusted/%.c $(LIB_SRCS) tests/untrusted/untrusted.h tests/mutants/ref_owfat.h
	@mkdir -p $(@D)
	@$(if $(Q),echo "  UNTRUST $@")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -shared -o $@ $<

$(B)/tests/unit: $(TEST_OBJS) $(TOOL_OBJS) $(LIB_OBJS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(TOOL_LIBS)

$(B)/bench/%: bench/%.c $(TOOL_OBJS) $(LIB_OBJS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(TOOL_LIBS)

mutants: $(MUTANT_SOS) $(UNTRUSTED_SOS)

deps:
	@scripts/deps.sh

# The project's own tests (CUnit).  Run as root: they build private network
# namespaces.  `make check` installs what is missing first.
check: deps
	@$(MAKE) --no-print-directory all mutants $(B)/tests/unit
	$(B)/tests/unit

# The main job: probe this kernel, run the suite, write reports/.
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

clean:
	rm -rf $(B)

.PHONY: all lib deps check conformance bench install clean mutants

# make kernel-matrix: the suite under other kernels in qemu
include mk/kernel-matrix.mk

-include $(shell find $(B) -name '*.d' 2>/dev/null)
