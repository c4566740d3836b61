# libFuzzer targets for every parser of outside input. `make fuzz` runs
# each for FUZZ_SECONDS (default 300); `make test` replays the kept
# inputs (tests/fuzz/corpus/<target>/) and fuzzes each briefly.

FUZZ_BUILD := $(BUILD)/fuzz
FUZZ_SECONDS ?= 300
FUZZ_CFLAGS := -O1 -g -std=gnu11 -D_GNU_SOURCE -Isrc -Ibpf -I$(BUILD) \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(FUZZ_SRCS))
FUZZ_LIB_OBJS := $(patsubst $(BUILD)/%.o,$(FUZZ_BUILD)/obj/%.o,$(LIB_OBJS))

.PHONY: fuzz fuzz-build

$(FUZZ_BUILD)/obj/%.o: src/%.c | $(SKELS)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(FUZZ_BUILD)/obj/trace/tracer.o: $(SKELS)

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) $(DEPFLAGS) -fsanitize=fuzzer -Itests/fuzz $< $(FUZZ_LIB_OBJS) -o $@ $(LDLIBS)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh
