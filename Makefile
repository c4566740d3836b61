# dioscope: build, test, bench.
#
#   make            build ./dioscope
#   make deps       install the Debian packages that are missing
#   make test       deps + build + every test
#   make bench      deps + build + the default bench + plots
#   make install    the binary, its data, man pages and bash completion
#                   under PREFIX (/usr/local), DESTDIR prepended
#   make deb        a Debian package (dpkg-buildpackage) in ..
#
# The BPF objects are compiled once against the BTF of the build machine
# (VMLINUX_BTF) and relocated by CO-RE on whatever kernel runs them.

CLANG ?= clang
BPFTOOL ?= bpftool
CC ?= gcc
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux

BUILD := build

# where make install puts things (DESTDIR is prepended to each); the
# binary looks for its data in DATADIR and LIBDIR (src/util/data_dir.h)
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/dioscope
LIBDIR ?= $(PREFIX)/lib/dioscope
MANDIR ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(BUILD)/%.bpf.o,$(BPF_SRCS))
SKELS := $(patsubst bpf/%.bpf.c,$(BUILD)/%.skel.h,$(BPF_SRCS))

CFLAGS ?= -O2 -g
CFLAGS += -Wall -Wextra -Wno-unused-parameter \
	  -std=gnu11 -D_GNU_SOURCE \
	  -Isrc -Ibpf -I$(BUILD)
# every object lists the headers it read (build/**/*.d), read back below
DEPFLAGS := -MMD -MP
LDLIBS := -lbpf -lelf -lz -lxxhash -ljson-c -lncursesw -lmicrohttpd -lm -lpthread

SRCS := $(wildcard src/*/*.c)
OBJS := $(patsubst src/%.c,$(BUILD)/%.o,$(SRCS))
LIB_OBJS := $(filter-out $(BUILD)/cmd/main.o,$(OBJS))

# Debian 12 packages the build and the tests need.
DEPS := clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev libjson-c-dev \
	libxxhash-dev \
	libncurses-dev libcmocka-dev fio gnuplot-nox e2fsprogs util-linux \
	qemu-system-x86 busybox-static cpio zstd tmux kmod jq \
	libmicrohttpd-dev prometheus curl bpftrace dmsetup libaio-dev parallel \
	bash-completion man-db debhelper mmdebstrap xfsprogs qemu-utils \
	strace

.PHONY: all deps test test-unit test-live clean man install uninstall deb FORCE

# a recipe that fails leaves no half-written target behind
.DELETE_ON_ERROR:

all: dioscope bench/zero-range bench/known-churn bench/torture

deps:
	@missing=$$(for p in $(DEPS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
			grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

$(BUILD):
	@mkdir -p $@

$(BUILD)/vmlinux.h: | $(BUILD)
	@test -r $(VMLINUX_BTF) || { echo "no BTF at $(VMLINUX_BTF): set VMLINUX_BTF=FILE" >&2; exit 1; }
	$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

# A BPF object and its skeleton; tests/perf/ builds its load generator
# with the same recipes. The objects holding the per-IO records' atomic
# claims (bpf/common.bpf.h) are built for BPF v3 (32-bit jumps: 5.1+);
# the others as before, so that what the records need changes nothing
# of them. The per-CPU batches' claims are 64-bit atomics, which every
# instruction set has.
BPF_V3_OBJS := dio_window iomap_begin unwritten
$(patsubst %,$(BUILD)/%.bpf.o,$(BPF_V3_OBJS)): BPF_CPU := -mcpu=v3

define bpf_object
	$(CLANG) -g -O2 -target bpf $(BPF_CPU) -D__TARGET_ARCH_$(ARCH) \
		-Ibpf -I$(BUILD) -c $< -o $@
	$(BPFTOOL) gen object $@.linked $@ && mv $@.linked $@
endef

define bpf_skeleton
	$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@
endef

$(BUILD)/%.bpf.o: bpf/%.bpf.c bpf/common.bpf.h bpf/dioscope.h $(BUILD)/vmlinux.h
	$(bpf_object)

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(bpf_skeleton)

# The skeletons come first because sources include them; after the first
# build the .d files name exactly the headers each object depends on.
$(BUILD)/%.o: src/%.c | $(SKELS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DEPFLAGS) -c $< -o $@

# The installed directories, compiled into util/data_dir.o; the stamp is
# rewritten only when they change, so that a new PREFIX rebuilds that
# object and nothing else.
PATHS_DEF := -DDS_DATADIR='"$(DATADIR)"' -DDS_LIBDIR='"$(LIBDIR)"'
$(BUILD)/paths.stamp: FORCE | $(BUILD)
	@echo '$(PATHS_DEF)' > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

$(BUILD)/util/data_dir.o $(BUILD)/test/obj/util/data_dir.o: $(BUILD)/paths.stamp
$(BUILD)/util/data_dir.o: CFLAGS += $(PATHS_DEF)
$(BUILD)/test/obj/util/data_dir.o: TEST_CFLAGS += $(PATHS_DEF)

FORCE:

# the skeletons embed the BPF objects: a changed program rebuilds its users
$(BUILD)/trace/tracer.o: $(SKELS)

# report's path through an event (decoding, ordering, correlating,
# joining) calls across files several times per event: those files are
# optimised at link time as one, which inlines the calls (a tenth of
# report's time at 10 million IOs). Only them: the rest stays as it was.
LTO_OBJS := $(patsubst %,$(BUILD)/%.o,run/analysis run/record_file \
	run/record_codec run/record_digest run/order_feed analysis/correlator \
	analysis/corr_window analysis/corr_order analysis/churn \
	analysis/split_ring analysis/fio_join analysis/fio_log \
	analysis/fio_log_ahead run/run_check util/hash util/worker)
$(LTO_OBJS): CFLAGS += -flto=auto
dioscope: LDFLAGS += -flto=auto

dioscope: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)

# the bench's FALLOC_FL_ZERO_RANGE workload (fio has no engine for it);
# beside its job files, so that the bench and the lab's tools image find it
bench/zero-range: bench/zero-range.c
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $< -o $@ -ljson-c -lpthread

# the lab's known answer for churn (tests/lab/guest/known-churn.sh)
bench/known-churn: bench/known-churn.c
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) $< -o $@ -laio

# The man pages, made by the binary from the option tables that print
# its --help (man/gen.sh), so that the two cannot disagree.
MAN_SRCS := man/gen.sh $(wildcard man/*.in)
man: $(BUILD)/man/stamp

$(BUILD)/man/stamp: dioscope $(MAN_SRCS) $(BUILD)/paths.stamp
	rm -rf $(BUILD)/man
	man/gen.sh ./dioscope $(BUILD)/man '$(DATADIR)' '$(LIBDIR)'
	touch $@

# What the binary reads at run time (src/util/data_dir.h): the job files
# and the matrix, the gnuplot scripts, the workload drivers.
DATA_BENCH := bench/matrix $(wildcard bench/*.fio bench/*.zr)
DATA_PLOTS := $(wildcard plots/*.gp)
HELPERS := bench/zero-range bench/known-churn bench/torture

install: all man
	install -d '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(DATADIR)/bench' \
		'$(DESTDIR)$(DATADIR)/plots' '$(DESTDIR)$(LIBDIR)' \
		'$(DESTDIR)$(MANDIR)/man8' '$(DESTDIR)$(COMPLETIONDIR)'
	install -m 755 dioscope '$(DESTDIR)$(BINDIR)/dioscope'
	install -m 644 $(DATA_BENCH) '$(DESTDIR)$(DATADIR)/bench'
	install -m 644 $(DATA_PLOTS) '$(DESTDIR)$(DATADIR)/plots'
	install -m 755 $(HELPERS) '$(DESTDIR)$(LIBDIR)'
	install -m 644 $(BUILD)/man/*.8 '$(DESTDIR)$(MANDIR)/man8'
	install -m 644 completion/dioscope '$(DESTDIR)$(COMPLETIONDIR)/dioscope'

uninstall:
	rm -f '$(DESTDIR)$(BINDIR)/dioscope' \
		'$(DESTDIR)$(COMPLETIONDIR)/dioscope' \
		'$(DESTDIR)$(MANDIR)'/man8/dioscope.8 \
		'$(DESTDIR)$(MANDIR)'/man8/dioscope-*.8
	rm -rf '$(DESTDIR)$(DATADIR)' '$(DESTDIR)$(LIBDIR)'

# The Debian package, built by dpkg-buildpackage from a copy of the
# source (its clean step would empty this tree's build/), into
# $(BUILD)/deb/. DEB_BUILD_OPTIONS=nocheck skips its unit tests.
DEB_SRC := $(BUILD)/deb/dioscope
deb:
	rm -rf $(BUILD)/deb && mkdir -p $(DEB_SRC)
	{ git ls-files --cached --others --exclude-standard 2>/dev/null || \
	  find . -path ./$(BUILD) -prune -o -path ./.git -prune -o -type f -print; } | \
		while read -r f; do [ -e "$$f" ] && echo "$$f"; done | \
		tar -cf - -T - | tar -xf - -C $(DEB_SRC)
	cd $(DEB_SRC) && dpkg-buildpackage -b -us -uc
	@ls $(BUILD)/deb/*.deb

# the data-integrity torture (bench/torture.c); beside the job files so
# that the lab's tools image carries it
bench/torture: bench/torture.c
	$(CC) $(CFLAGS) $< -o $@ -lpthread

clean:
	rm -rf $(BUILD) dioscope bench/zero-range bench/known-churn bench/torture

include tests/tests.mk
include tests/perf/perf.mk
include tests/lab/lab.mk
include bench/bench.mk
include plots/plots.mk
include $(wildcard $(shell find $(BUILD) -name '*.d' 2>/dev/null))
