# dioscope: build, test, bench.
#
#   make            build ./dioscope
#   make deps       install the Debian packages that are missing
#   make test       deps + build + every test
#   make bench      deps + build + the default bench + plots
#
# The BPF objects are compiled once against the BTF of the build machine
# (VMLINUX_BTF) and relocated by CO-RE on whatever kernel runs them.

CLANG ?= clang
BPFTOOL ?= bpftool
CC ?= gcc
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux

BUILD := build
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(BUILD)/%.bpf.o,$(BPF_SRCS))
SKELS := $(patsubst bpf/%.bpf.c,$(BUILD)/%.skel.h,$(BPF_SRCS))

CFLAGS ?= -O2 -g
CFLAGS += -Wall -Wextra -Wno-unused-parameter -Wno-format-truncation \
	  -std=gnu11 -D_GNU_SOURCE \
	  -Isrc -Ibpf -I$(BUILD)
# every object lists the headers it read (build/**/*.d), read back below
DEPFLAGS := -MMD -MP
LDLIBS := -lbpf -lelf -lz -ljson-c -lncursesw -lmicrohttpd -lm -lpthread

SRCS := $(wildcard src/*/*.c)
OBJS := $(patsubst src/%.c,$(BUILD)/%.o,$(SRCS))
LIB_OBJS := $(filter-out $(BUILD)/cmd/main.o,$(OBJS))

# Debian 12 packages the build and the tests need.
DEPS := clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev libjson-c-dev \
	libncurses-dev libcmocka-dev fio gnuplot-nox e2fsprogs util-linux \
	qemu-system-x86 busybox-static cpio zstd tmux kmod jq \
	libmicrohttpd-dev prometheus curl bpftrace dmsetup libaio-dev

.PHONY: all deps test test-unit test-live clean

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
# with the same recipes.
define bpf_object
	$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) \
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

# the skeletons embed the BPF objects: a changed program rebuilds its users
$(BUILD)/trace/tracer.o: $(SKELS)

dioscope: $(OBJS)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

# the bench's FALLOC_FL_ZERO_RANGE workload (fio has no engine for it);
# beside its job files, so that the bench and the lab's tools image find it
bench/zero-range: bench/zero-range.c
	$(CC) $(CFLAGS) $< -o $@ -ljson-c -lpthread

# the lab's known answer for churn (tests/lab/guest/known-churn.sh)
bench/known-churn: bench/known-churn.c
	$(CC) $(CFLAGS) $< -o $@ -laio

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
