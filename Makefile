# headroom - build, test, fuzz, bench.
#   make            build ./headroom (release)
#   make check      every test under ASan+UBSan, clang -Werror build, fuzzers briefly,
#                   golden outputs, real-kernel integration tests (root)
#   make bench      benchmarks (figures and ratios, never pass/fail on time)
#   make golden-update   regenerate golden outputs for review
# Dependencies are Debian packages; tools/install-deps.sh installs them (root).

CC      ?= gcc
CLANG   ?= clang
WARN    := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wundef -Wpointer-arith
BASE    := -std=c17 -g $(WARN) -Isrc -pthread
CFLAGS  ?= -O2
HARDEN  := -fstack-protector-strong -D_FORTIFY_SOURCE=2
SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDLIBS  := -linih -lm
FUZZ_SECONDS ?= 10

SRCS     := $(shell find src -name '*.c' | sort)
LIB_SRCS := $(filter-out src/cli/main.c,$(SRCS))
UNIT_SRCS:= $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRCS:= $(sort $(wildcard tests/fuzz/fuzz_*.c))
BENCH_SRCS:= $(sort $(wildcard bench/*.c))
HDRS     := $(shell find src -name '*.h')

REL_OBJS  := $(LIB_SRCS:src/%.c=build/rel/%.o)
ASAN_OBJS := $(LIB_SRCS:src/%.c=build/asan/%.o)
CLANG_OBJS:= $(SRCS:src/%.c=build/clang/%.o)
FUZZ_OBJS := $(LIB_SRCS:src/%.c=build/fuzz/%.o)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/asan/tests/%)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/bin/%)
BENCH_BINS:= $(BENCH_SRCS:bench/%.c=build/rel/bench/%)

.SECONDARY:
.DELETE_ON_ERROR:
.PHONY: all deps test-deps check test unit golden golden-update fuzz integration \
	bench clang clean install fuzz-long
all: headroom

deps:
	@tools/install-deps.sh build
test-deps:
	@tools/install-deps.sh test

headroom: build/rel/cli/main.o build/rel/libheadroom.a
	$(CC) $(BASE) $(CFLAGS) $(HARDEN) -o $@ $^ $(LDLIBS)

build/rel/libheadroom.a: $(REL_OBJS)
	@rm -f $@
	ar rcs $@ $^
build/rel/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE) $(CFLAGS) $(HARDEN) -c -o $@ $<

build/asan/libheadroom.a: $(ASAN_OBJS)
	@rm -f $@
	ar rcs $@ $^
build/asan/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE) -O1 $(SAN) -DHR_TEST_HOOKS -c -o $@ $<
build/asan/headroom: build/asan/cli/main.o build/asan/libheadroom.a
	$(CC) $(BASE) -O1 $(SAN) -o $@ $^ $(LDLIBS)
build/asan/tests/%: tests/unit/%.c build/asan/libheadroom.a $(HDRS) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(BASE) -O1 $(SAN) -Itests/unit -o $@ $< build/asan/libheadroom.a -lcmocka $(LDLIBS)

# clang -Werror over every file: both compilers must accept the code.
build/clang/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(BASE) -O2 -c -o $@ $<
clang: $(CLANG_OBJS)

build/fuzz/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(BASE) -O1 -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<
build/fuzz/libheadroom.a: $(FUZZ_OBJS)
	@rm -f $@
	ar rcs $@ $^
build/fuzz/bin/%: tests/fuzz/%.c build/fuzz/libheadroom.a $(HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(BASE) -O1 -fsanitize=fuzzer,address,undefined -o $@ $< build/fuzz/libheadroom.a $(LDLIBS)

build/rel/bench/%: bench/%.c build/rel/libheadroom.a $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE) -O2 -o $@ $< build/rel/libheadroom.a $(LDLIBS)

unit: test-deps $(UNIT_BINS)
	@tests/run.sh unit $(UNIT_BINS)
golden: test-deps build/asan/headroom
	@tests/run.sh golden build/asan/headroom
golden-update: build/asan/headroom
	@HR_GOLDEN_UPDATE=1 tests/run.sh golden build/asan/headroom
fuzz: test-deps $(FUZZ_BINS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/run.sh fuzz $(FUZZ_BINS)
fuzz-long: $(FUZZ_BINS)
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-600} tests/run.sh fuzz $(FUZZ_BINS)
integration: test-deps headroom build/asan/headroom
	@tests/run.sh integration

# Everything, one summary line at the end ("N passed, N failed").
check: test-deps headroom clang $(UNIT_BINS) build/asan/headroom $(FUZZ_BINS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/run.sh all $(UNIT_BINS) -- $(FUZZ_BINS)
test: check

bench: headroom $(BENCH_BINS)
	@bench/run.sh

install: headroom
	install -D -m 0755 headroom $(DESTDIR)/usr/local/sbin/headroom
	for m in doc/*.8; do install -D -m 0644 $$m $(DESTDIR)/usr/local/share/man/man8/$$(basename $$m); done

clean:
	rm -rf build headroom
