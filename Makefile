# leads-and-calls: `make run` and `make test` do everything on a fresh Debian.

# A program is filters/NAME.c (with filters/NAME/ when it has parts of its own).
PROGRAMS = $(sort $(basename $(notdir $(wildcard filters/*.c))))
VERSION  = 0.1.0
PREFIX  ?= /usr/local
DESTDIR ?=

# Debian packages the project needs; `make deps` installs the missing ones.
DEB_PACKAGES = gcc make pkg-config libcsv-dev zlib1g-dev libarchive-dev libpq-dev awscli \
	bats bats-assert bats-support bats-file postgresql tzdata valgrind \
	miller python3 zip unzip time bc parallel shellcheck sqlfluff gnuplot-nox chromium nodejs=node npm=npm

BUILD   ?= build
CC      ?= cc
CFLAGS  ?= -O2
WARN     = -pthread -I/usr/include/postgresql -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -DVERSION='"$(VERSION)"' \
	   -DLAC_PROGRAMS='"$(PROGRAMS)"'
# --as-needed: a program loads only the libraries it calls.  Debian's gcc
# says it already, but -fsanitize=address turns it off for what follows, and
# every sanitized process would then load every library listed.
# libarchive and libpq are not linked but loaded at the first archive and
# the first connection (lib/archive_dl.c, lib/pq_dl.c); the unit tests link
# libarchive to write their archives.
LDLIBS   = -Wl,--as-needed -lcsv -lz -lm -pthread
TEST_LDLIBS = $(LDLIBS) -larchive

LIB_SRC  = $(wildcard filters/lib/*.c)
LIB_OBJ  = $(LIB_SRC:filters/lib/%.c=$(BUILD)/obj/lib/%.o) $(BUILD)/obj/gen/catalog_text.o
LIB_A    = $(BUILD)/liblac.a
BINS     = $(PROGRAMS:%=$(BUILD)/bin/%)
# The unit tests: filters/lib/test/test_M.c of lib's module M, and
# filters/NAME/test/test_M.c of a program's own part filters/NAME/M.c.
LIB_TEST_SRC  = $(wildcard filters/lib/test/test_*.c)
PART_TEST_SRC = $(filter-out $(LIB_TEST_SRC),$(wildcard filters/*/test/test_*.c))
UNIT_BIN = $(LIB_TEST_SRC:filters/lib/test/%.c=$(BUILD)/test/%) \
	   $(foreach t,$(PART_TEST_SRC),$(BUILD)/test/$(notdir $(basename $t)))
HEADERS  = $(wildcard filters/lib/*.h)

# -g1: the line tables a sanitizer's report names file:line by, without the
# rest of the debug information (a sixth of the sanitized build's time).
# Undefined behaviour traps, and ASan reports the trap (SAN_OBJ's
# filters/lib/test/asan_options.c says why not UBSan's runtime).
SAN_FLAGS = -O1 -g1 -fsanitize=address,undefined -fsanitize-undefined-trap-on-error -fno-omit-frame-pointer
SAN_OBJ  ?=
# What every program and unit test links of ours: lib, and the sanitized build's own object.
LINK_A   = $(LIB_A) $(SAN_OBJ)

.PHONY: all deps test test-deps gold unit bats asan asan-build tsan tsan-build valgrind run bench install clean sql-check fuzz
.DELETE_ON_ERROR:

all: $(BINS)

$(BUILD)/obj/lib/%.o: filters/lib/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) -c -o $@ $<

# The catalog, built into every program (a --catalog FILE or $$LAC_CATALOG replaces it at run time).
$(BUILD)/gen/catalog_text.c: catalog/streams.txt scripts/embed-text
	@mkdir -p $(@D)
	scripts/embed-text catalog_builtin $< >$@

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) -c -o $@ $<

# The names the installed libraries give themselves (libarchive.so.13,
# libpq.so.5), read when the object that loads each is compiled: after
# `make deps` has installed them.
soname = $(shell objdump -p "$$(pkg-config --variable=libdir $1)/$1.so" | awk '$$1 == "SONAME" { print $$2 }')
$(BUILD)/obj/lib/archive_dl.o: WARN += -DARCHIVE_SONAME='"$(call soname,libarchive)"'
$(BUILD)/obj/lib/pq_dl.o: WARN += -DPQ_SONAME='"$(call soname,libpq)"'

$(LIB_A): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

# A program is filters/NAME.c, and filters/NAME/*.c when it has parts of its own.
.SECONDEXPANSION:
$(BUILD)/bin/%: filters/%.c $$(wildcard filters/$$*/*.[ch]) $(LINK_A) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(WARN) -Ifilters $(CFLAGS) -o $@ $< $(wildcard filters/$*/*.c) $(LINK_A) $(LDLIBS)

$(BUILD)/test/%: filters/lib/test/%.c filters/lib/test/check.h $(LINK_A) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) -Ifilters/lib -o $@ $< $(LINK_A) $(TEST_LDLIBS)

$(BUILD)/obj/asan_options.o: filters/lib/test/asan_options.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) -c -o $@ $<

# A part's test links the part alone (test_M.c with M.c) and lib.
define part_test
$(BUILD)/test/$(notdir $(basename $1)): $1 $(dir $1)../$(patsubst test_%,%,$(notdir $1)) $(wildcard $(dir $1)../*.h) \
		filters/lib/test/check.h $(LINK_A) $(HEADERS)
	@mkdir -p $$(@D)
	$(CC) $(WARN) $(CFLAGS) -Ifilters -Ifilters/lib -Ifilters/lib/test -o $$@ $1 \
		$(dir $1)../$(patsubst test_%,%,$(notdir $1)) $(LINK_A) $(TEST_LDLIBS)
endef
$(foreach t,$(PART_TEST_SRC),$(eval $(call part_test,$t)))

deps:
	@scripts/install-deps $(DEB_PACKAGES)

# Everything, on both cores: the test S3 server (npm) beside the plain,
# ASan+UBSan and TSan builds and the Redshift parse, then
# their C unit tests and bats suites (scripts/run-tests says how).  The
# parse, one process of ten seconds, starts as soon as lac-catalog is built
# (it prints the SQL), beside the compilers: last, it left a core idle.
test: deps
	$(MAKE) -j2 build/bin/lac-catalog
	$(MAKE) -j2 sql-check test-deps all $(UNIT_BIN) asan-build tsan-build
	@UNIT_BIN='$(UNIT_BIN)' scripts/run-tests

test-deps:
	@scripts/install-npm s3rver@3

# Redshift's SQL parser (sqlfluff, through scripts/sql-parse) over everything
# an empty Redshift database is given: the catalog's tables and views and
# sql/views.sql.  The parse (a statement a line: where, and what kind) is
# kept and made again only when one of those changes (sqlfluff takes ten
# seconds); test/migrate.bats checks it is of the SQL as it is.
sql-check: build/redshift-fresh.parse
build/redshift-fresh.parse: build/bin/lac-catalog catalog/streams.txt sql/views.sql scripts/db-init scripts/sql-parse
	scripts/db-init --print --fresh --redshift >build/redshift-fresh.sql
	scripts/sql-parse build/redshift-fresh.sql >$@.tmp
	mv $@.tmp $@

# Write the gold files anew from the programs as they are (then review the diff).
gold: all
	test/gold/run --update

unit: all $(UNIT_BIN)
	@UNIT_BIN='$(UNIT_BIN)' scripts/run-tests --unit

bats: all
	LAC_BIN=$(CURDIR)/$(BUILD)/bin bats test/

SAN_UNIT_BIN = $(UNIT_BIN:$(BUILD)/%=build/asan/%)
asan-build:
	$(MAKE) BUILD=build/asan CFLAGS='$(SAN_FLAGS)' SAN_OBJ=build/asan/obj/asan_options.o all $(SAN_UNIT_BIN)

# Threads are in call-lead-join and its queue (chan.c) alone: TSan builds those.
tsan-build:
	$(MAKE) BUILD=build/tsan CFLAGS='-O1 -g1 -fsanitize=thread' build/tsan/bin/call-lead-join build/tsan/test/test_chan

# The sanitizer builds' own runs, by hand: make asan, make tsan.
asan: all $(UNIT_BIN) asan-build
	@UNIT_BIN='$(UNIT_BIN)' scripts/run-tests --build asan

tsan: all $(UNIT_BIN) tsan-build
	@UNIT_BIN='$(UNIT_BIN)' scripts/run-tests --build tsan

# AFL++ on every target of test/fuzz/targets.tsv for FUZZ_SECONDS each; what
# it finds is kept in test/fuzz/corpus/ (commit it), and make test replays it.
FUZZ_SECONDS ?= 60
fuzz: all asan-build
	@scripts/install-deps afl++
	$(MAKE) BUILD=build/afl CC=afl-cc CFLAGS='-O1 -g' AFL_QUIET=1 all
	test/fuzz/run fuzz $(FUZZ_SECONDS)

run: deps all
	@scripts/run-samples

bench: deps all
	@scripts/bench-all

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(PROGRAMS:%=filters/man/%.1) $(DESTDIR)$(PREFIX)/share/man/man1/

clean:
	rm -rf build var
