# headroom - build, test, fuzz, bench.
#   make            build ./headroom (release)
#   make check      every test under ASan+UBSan, clang -Werror build, fuzzers (corpus
#                   replay + fixed-seed bounded run),
#                   golden outputs, real-kernel integration tests (root)
#   make fuzz-long  open-ended fuzzing, random seeds, FUZZ_SECONDS per target
#   make bench      benchmarks (figures and ratios, never pass/fail on time)
#   make golden-update   regenerate golden outputs for review
# Dependencies are Debian packages; tools/install-deps.sh installs them (root).

CC      ?= gcc
CLANG   ?= clang
# -Werror in developer and CI builds (the default); a distribution building
# with a newer compiler sets WERROR=0 (debian/rules does) so a new warning
# does not fail the build.
WERROR  ?= 1
WARN    := -Wall -Wextra -Wshadow -Wformat=2 -Wundef -Wpointer-arith $(if $(filter 1,$(WERROR)),-Werror)
# -MMD -MP: each object depends on the headers it includes (build/**/*.d),
# and on this Makefile (its flags).
BASE    := -std=c17 $(WARN) -Isrc -pthread -MMD -MP
# CFLAGS, CPPFLAGS and LDFLAGS are the builder's (dpkg-buildflags sets them);
# the release build adds hardening and full RELRO on top.
CFLAGS  ?= -O2 -g
HARDEN  := -fstack-protector-strong $(if $(findstring _FORTIFY_SOURCE,$(CPPFLAGS)),,-D_FORTIFY_SOURCE=2)
RELRO   := -Wl,-z,relro -Wl,-z,now
SAN     := -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDLIBS  := -linih -lnetfilter_conntrack -lnfnetlink -lm
# make check: each fuzzer replays its corpus, then FUZZ_RUNS mutations from
# FUZZ_SEED (same verdict on every machine); make fuzz-long: FUZZ_SECONDS each,
# random seeds.
FUZZ_RUNS ?= 30000
FUZZ_SEED ?= 1
FUZZ_SECONDS ?= 600
# Test-only code (hooks that pause or fake the host) exists only in the
# ASan build the tests run, never in ./headroom.
TEST_HOOKS := -DHR_TEST_HOOKS

# make install (GNU names; DESTDIR for staging). The binary's default config
# path is /etc/headroom/headroom.conf, hence SYSCONFDIR /etc for any PREFIX.
PREFIX     ?= /usr/local
SBINDIR    ?= $(PREFIX)/sbin
SYSCONFDIR ?= /etc
MANDIR     ?= $(PREFIX)/share/man
UNITDIR    ?= $(PREFIX)/lib/systemd/system
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions

SRCS     := $(shell find src -name '*.c' | sort)
LIB_SRCS := $(filter-out src/cli/main.c,$(SRCS))
UNIT_SRCS:= $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRCS:= $(sort $(wildcard tests/fuzz/fuzz_*.c))
BENCH_SRCS:= $(sort $(wildcard bench/*.c))
# Test harnesses that are not ./headroom (tests/tools/*.c): an ASan build
# for the integration tests, a release one for make bench.
TOOL_SRCS := $(sort $(wildcard tests/tools/*.c))
TOOL_BINS := $(TOOL_SRCS:tests/tools/%.c=build/asan/tools/%)
TOOL_REL_BINS := $(TOOL_SRCS:tests/tools/%.c=build/rel/tools/%)

REL_OBJS  := $(LIB_SRCS:src/%.c=build/rel/%.o)
ASAN_OBJS := $(LIB_SRCS:src/%.c=build/asan/%.o)
CLANG_OBJS:= $(SRCS:src/%.c=build/clang/%.o)
FUZZ_OBJS := $(LIB_SRCS:src/%.c=build/fuzz/%.o)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/asan/tests/%)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/bin/%)
BENCH_BINS:= $(BENCH_SRCS:bench/%.c=build/rel/bench/%)

# The build's version (tools/version.sh: git describe, or VERSION without
# .git) for --version; build/gen/version.h is rewritten only when it changes,
# so only main.c recompiles. HR_VERSION in src/report/report.h is the release
# (JSON "version", goldens) and must equal VERSION.
BUILD_VERSION := $(shell tools/version.sh)
$(shell mkdir -p build/gen; v='#define HR_BUILD_VERSION "$(BUILD_VERSION)"'; \
	[ "$$(cat build/gen/version.h 2>/dev/null)" = "$$v" ] || echo "$$v" >build/gen/version.h)
# A test or fuzz binary's dependency file is hidden (.NAME.d), so that
# build/fuzz/bin/* and build/asan/tests/* are only programs.
BIN_DEP = -MF $(dir $@).$(notdir $@).d
# Forced (-include), so src/ has no #include of a generated file.
build/rel/cli/main.o build/asan/cli/main.o build/clang/cli/main.o: VERSION_H := -include build/gen/version.h
ifneq ($(shell grep -c '^[#]define HR_VERSION "$(shell cat VERSION)"' src/report/report.h),1)
$(error VERSION ($(shell cat VERSION)) differs from HR_VERSION in src/report/report.h)
endif

.SECONDARY:
.DELETE_ON_ERROR:
.PHONY: all deps test-deps check test unit golden golden-update fuzz integration \
	bench clang clean install fuzz-long deb-check headroom-static
all: headroom

deps:
	@tools/install-deps.sh build
test-deps:
	@tools/install-deps.sh test

headroom: build/rel/cli/main.o build/rel/libheadroom.a
	$(CC) $(CFLAGS) $(LDFLAGS) $(RELRO) -pthread -o $@ $^ $(LDLIBS)

build/rel/libheadroom.a: $(REL_OBJS)
	@rm -f $@
	ar rcs $@ $^
build/rel/%.o: src/%.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(BASE) $(VERSION_H) $(CPPFLAGS) $(HARDEN) $(CFLAGS) -c -o $@ $<

build/asan/libheadroom.a: $(ASAN_OBJS)
	@rm -f $@
	ar rcs $@ $^
build/asan/%.o: src/%.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(BASE) $(VERSION_H) -O1 $(SAN) $(TEST_HOOKS) -c -o $@ $<
build/asan/headroom: build/asan/cli/main.o build/asan/libheadroom.a
	$(CC) $(BASE) -O1 $(SAN) -o $@ $^ $(LDLIBS)
build/asan/tests/%: tests/unit/%.c build/asan/libheadroom.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE) $(BIN_DEP) -O1 $(SAN) $(TEST_HOOKS) -Itests/unit -o $@ $< build/asan/libheadroom.a -lcmocka $(LDLIBS)

# clang -Werror over every file: both compilers must accept the code.
build/clang/%.o: src/%.c Makefile
	@mkdir -p $(dir $@)
	$(CLANG) $(BASE) $(VERSION_H) -O2 -c -o $@ $<
clang: $(CLANG_OBJS)

build/fuzz/%.o: src/%.c Makefile
	@mkdir -p $(dir $@)
	$(CLANG) $(BASE) -g -O1 -fsanitize=fuzzer-no-link,address,undefined -c -o $@ $<
build/fuzz/libheadroom.a: $(FUZZ_OBJS)
	@rm -f $@
	ar rcs $@ $^
build/fuzz/bin/%: tests/fuzz/%.c build/fuzz/libheadroom.a
	@mkdir -p $(dir $@)
	$(CLANG) $(BASE) $(BIN_DEP) -g -O1 -fsanitize=fuzzer,address,undefined -o $@ $< build/fuzz/libheadroom.a $(LDLIBS)

build/asan/tools/%: tests/tools/%.c build/asan/libheadroom.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE) $(BIN_DEP) -O1 $(SAN) -o $@ $< build/asan/libheadroom.a $(LDLIBS)
build/rel/tools/%: tests/tools/%.c build/rel/libheadroom.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE) $(BIN_DEP) $(CPPFLAGS) $(CFLAGS) -o $@ $< build/rel/libheadroom.a $(LDLIBS)

# A static ./headroom for the FROM scratch image (dist/kubernetes/Dockerfile).
# Debian ships libnetfilter-conntrack shared only: the static build has no
# ctnetlink breakdown (kernel/ct_dump.c with HR_NO_CTNETLINK, linked before
# the archive so the archive's ct_dump.o is never pulled in).
build/static/ct_dump.o: src/kernel/ct_dump.c
	@mkdir -p $(dir $@)
	$(CC) $(BASE) $(CPPFLAGS) $(CFLAGS) -DHR_NO_CTNETLINK -c -o $@ $<
headroom-static: build/rel/cli/main.o build/static/ct_dump.o build/rel/libheadroom.a
	$(CC) $(CFLAGS) $(LDFLAGS) -static -pthread -o $@ $^ -linih -lm

build/rel/bench/%: bench/%.c build/rel/libheadroom.a
	@mkdir -p $(dir $@)
	$(CC) $(BASE) $(CPPFLAGS) $(CFLAGS) -o $@ $< build/rel/libheadroom.a $(LDLIBS)

unit: test-deps $(UNIT_BINS)
	@tests/run.sh unit $(UNIT_BINS)
golden: test-deps build/asan/headroom
	@tests/run.sh golden build/asan/headroom
golden-update: build/asan/headroom
	@HR_GOLDEN_UPDATE=1 tests/run.sh golden build/asan/headroom
fuzz: test-deps $(FUZZ_BINS)
	@FUZZ_SECONDS= FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_SEED=$(FUZZ_SEED) tests/run.sh fuzz $(FUZZ_BINS)
fuzz-long: $(FUZZ_BINS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/run.sh fuzz $(FUZZ_BINS)
integration: test-deps headroom build/asan/headroom $(TOOL_BINS)
	@tests/run.sh integration

# Everything, one summary line at the end ("N passed, N failed").
check: test-deps headroom clang $(UNIT_BINS) build/asan/headroom $(FUZZ_BINS) $(TOOL_BINS) headroom-static
	@FUZZ_SECONDS= FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_SEED=$(FUZZ_SEED) tests/run.sh all $(UNIT_BINS) -- $(FUZZ_BINS)
test: check

bench: headroom $(BENCH_BINS) $(TOOL_REL_BINS)
	@bench/run.sh

UNIT_SED := sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g'

# The configuration and /etc/default file are installed only where none is:
# an administrator's edits are never overwritten (the Debian package ships
# them as conffiles instead).
install: headroom
	install -D -m 0755 headroom $(DESTDIR)$(SBINDIR)/headroom
	for m in doc/*.[58]; do \
		install -D -m 0644 $$m $(DESTDIR)$(MANDIR)/man$${m##*.}/$$(basename $$m); done
	install -d $(DESTDIR)$(UNITDIR)
	$(UNIT_SED) dist/headroom.service.in >$(DESTDIR)$(UNITDIR)/headroom.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/headroom.service
	install -D -m 0644 dist/bash-completion/headroom $(DESTDIR)$(BASHCOMPDIR)/headroom
	[ -e $(DESTDIR)$(SYSCONFDIR)/headroom/headroom.conf ] || \
		install -D -m 0644 dist/headroom.conf $(DESTDIR)$(SYSCONFDIR)/headroom/headroom.conf
	[ -e $(DESTDIR)$(SYSCONFDIR)/default/headroom ] || \
		install -D -m 0644 dist/default.headroom $(DESTDIR)$(SYSCONFDIR)/default/headroom

# The Debian package built, linted, unpacked and run (also part of make check,
# as tests/integration/deb_package.sh).
deb-check:
	@HEADROOM=$(CURDIR)/headroom tests/run.sh integration deb_package

clean:
	rm -rf build headroom headroom-static

-include $(shell find build -name '*.d' 2>/dev/null)
