# cordon — build, test and install. `make help` lists the targets.

PREFIX ?= /usr/local
# `make V=1` shows full compiler command lines.
Q := $(if $(V),,@)
CC ?= cc
BUILD := build

PKGS := expat jansson libutf8proc icu-uc icu-i18n zlib libzip libcrypto libmicrohttpd sqlite3
DEB_PKGS := build-essential pkg-config clang libexpat1-dev libjansson-dev \
            libutf8proc-dev libicu-dev zlib1g-dev libzip-dev libssl-dev \
            libcmocka-dev libmicrohttpd-dev libsqlite3-dev \
            libcurl4-openssl-dev chromium wrk
# Node.js runs the browser test of `cordon serve`'s page (tests/browser/).
DEB_PKGS += $(if $(shell command -v node 2>/dev/null),,nodejs npm)

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wpointer-arith -Wvla -Wformat=2 -Wundef -Wcast-align -Wno-unused-parameter
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -Iinclude -Ilib $(WARN) -g -pthread
CFLAGS ?= -O2
ALL_CFLAGS = $(BASE_CFLAGS) $(CFLAGS) $(PKG_CFLAGS)
LDLIBS = $(PKG_LIBS) -lm -pthread

SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_CFLAGS = $(BASE_CFLAGS) -O1 $(SAN) $(PKG_CFLAGS)

LIB_SRC := $(wildcard lib/*.c)
LIB_HDR := include/cordon/cordon.h $(wildcard lib/*.h) lib/han_pinyin.inc
CLI_SRC := $(wildcard cli/*.c) $(wildcard server/*.c) $(BUILD)/gen/server_static.c
TEST_SRC := $(wildcard tests/unit/test_*.c)
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
BENCH_SRC := $(wildcard bench/bench_*.c)

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
LIB_PIC := $(LIB_SRC:%.c=$(BUILD)/pic/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
SAN_LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/san/%.o)
TESTS := $(TEST_SRC:tests/unit/%.c=$(BUILD)/san/tests/%)
FUZZ_REPLAY := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/san/fuzz/%)
FUZZERS := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%)
BENCHES := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all deps demo check test fuzz fuzz-seeds bench han-table install clean help
all: $(BUILD)/cordon $(BUILD)/libcordon.a $(BUILD)/libcordon.so $(BUILD)/cordon.pc $(BUILD)/default.cordon

help:
	@echo "make deps     install missing Debian packages (apt-get)"
	@echo "make          build build/cordon, build/libcordon.{a,so}"
	@echo "make demo     deps + build + run cordon on the bundled lists"
	@echo "make check    build with ASan/UBSan, run every test and replay the fuzz corpora"
	@echo "make fuzz     build libFuzzer targets into build/fuzz/ (clang)"
	@echo "make bench    build and run the benchmarks under bench/"
	@echo "make install  PREFIX=/usr/local"

# Installs only what is missing, so it is quick and idempotent.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "all build dependencies are installed"; fi
	@[ -d tests/browser/node_modules ] || { echo "npm ci in tests/browser"; cd tests/browser && npm ci --no-audit --no-fund; }

# The main job on the bundled lists: what is loaded, then two screenings
# (exit status 1 means "matches found", which is the point here).
demo: deps
	@$(MAKE) --no-print-directory all
	./$(BUILD)/cordon lists
	./$(BUILD)/cordon screen "Kim Jong Un" "Vladimir Putin" || [ $$? -eq 1 ]

$(BUILD)/obj/%.o: %.c $(LIB_HDR)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -fvisibility=hidden -c $< -o $@

$(BUILD)/pic/%.o: %.c $(LIB_HDR)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -fvisibility=hidden -fPIC -c $< -o $@

$(BUILD)/san/%.o: %.c $(LIB_HDR)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(SAN_CFLAGS) -c $< -o $@

$(BUILD)/libcordon.a: $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/libcordon.so: $(LIB_PIC)
	@echo "  LD      $@"
	$(Q)$(CC) -shared -Wl,-soname,libcordon.so.0 -o $@ $^ $(LDLIBS)

$(BUILD)/libcordon-san.a: $(SAN_LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/cordon: $(CLI_OBJ) $(BUILD)/libcordon.a
	@echo "  LD      $@"
	$(Q)$(CC) -o $@ $(CLI_OBJ) $(BUILD)/libcordon.a $(LDLIBS)

# The compiled index of the bundled lists, beside the program: every
# screening command finds it there without options (cli/snapshot.c).
$(BUILD)/default.cordon: $(BUILD)/cordon data/lists.conf $(wildcard data/lists/*/*/*)
	@echo "  INDEX   $@"
	$(Q)./$(BUILD)/cordon build --lists data/lists.conf -o $@

$(BUILD)/cordon.pc: Makefile
	@mkdir -p $(BUILD)
	@printf 'prefix=%s\nlibdir=$${prefix}/lib\nincludedir=$${prefix}/include\n\nName: cordon\nDescription: sanctions and trade-control screening engine\nVersion: %s\nRequires.private: %s\nLibs: -L$${libdir} -lcordon\nCflags: -I$${includedir}\n' \
	  "$(PREFIX)" "$$(sed -n 's/^#define CORDON_VERSION "\(.*\)"/\1/p' include/cordon/cordon.h)" "$(PKGS)" > $@

# ---- tests (ASan + UBSan) -------------------------------------------
$(BUILD)/san/tests/%: tests/unit/%.c tests/unit/test_util.h $(BUILD)/libcordon-san.a
	@mkdir -p $(dir $@)
	$(CC) $(SAN_CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libcordon-san.a $(LDLIBS) -lcmocka

$(BUILD)/san/fuzz/%: fuzz/%.c fuzz/replay.c $(BUILD)/libcordon-san.a
	@mkdir -p $(dir $@)
	$(CC) $(SAN_CFLAGS) -o $@ $< fuzz/replay.c $(BUILD)/libcordon-san.a $(LDLIBS)

$(BUILD)/san/cordon: $(CLI_SRC) $(BUILD)/libcordon-san.a
	@mkdir -p $(dir $@)
	$(CC) $(SAN_CFLAGS) -o $@ $(CLI_SRC) $(BUILD)/libcordon-san.a $(LDLIBS)

# `cordon serve`: server/*.c, and the page's files embedded as C arrays.
SERVER_HDR := server/server.h server/server_int.h cli/cli.h
$(filter $(BUILD)/obj/server/% $(BUILD)/obj/cli/cmd_serve.o,$(CLI_OBJ)) $(BUILD)/san/cordon: $(SERVER_HDR)
$(BUILD)/gen/server_static.c: server/embed.sh $(wildcard server/static/*)
	@mkdir -p $(dir $@)
	$(Q)sh server/embed.sh $(sort $(wildcard server/static/*)) > $@.tmp && mv $@.tmp $@
$(BUILD)/san/tests/test_server $(BUILD)/san/tests/test_server_shipment: LDLIBS += $(shell pkg-config --libs libcurl 2>/dev/null)
$(BUILD)/san/tests/test_server $(BUILD)/san/tests/test_server_shipment: tests/unit/server_harness.h
# fuzz_match_body compiles in the server's /match body check.
$(BUILD)/san/fuzz/fuzz_match_body $(BUILD)/fuzz/fuzz_match_body: server/match_body.c server/match_body.h

check: $(TESTS) $(FUZZ_REPLAY) $(BUILD)/san/cordon all
	@tests/run.sh $(BUILD)/san $(TESTS) -- $(FUZZ_REPLAY)

test: check

# ---- fuzzing (clang + libFuzzer) ------------------------------------
$(BUILD)/fuzz/%: fuzz/%.c $(LIB_SRC)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)clang $(BASE_CFLAGS) -Wno-cast-align -O1 -fsanitize=fuzzer,address,undefined $(PKG_CFLAGS) -o $@ $< $(LIB_SRC) $(LDLIBS)

fuzz: $(FUZZERS)

# The pinyin table the library reads instead of compiling ICU's Han-Latin
# (lib/han_pinyin.c); test_translit fails when it no longer matches ICU.
han-table: $(BUILD)/libcordon.a
	$(CC) $(ALL_CFLAGS) -o $(BUILD)/gen_han_pinyin tools/gen_han_pinyin.c $(BUILD)/libcordon.a $(LDLIBS)
	$(BUILD)/gen_han_pinyin > lib/han_pinyin.inc.new
	mv lib/han_pinyin.inc.new lib/han_pinyin.inc

# The snapshot seeds of fuzz_snapshot, written again when the format
# changes (tools/seed_snapshot.c says what each one is).
fuzz-seeds: $(BUILD)/cordon $(BUILD)/libcordon.a
	$(CC) $(ALL_CFLAGS) -o $(BUILD)/seed_snapshot tools/seed_snapshot.c $(BUILD)/libcordon.a $(LDLIBS)
	echo "mini ftm_json ../tests/data/screen/mini.ftm.jsonl" > $(BUILD)/mini.conf
	./$(BUILD)/cordon build --lists $(BUILD)/mini.conf -o $(BUILD)/mini.cordon
	./$(BUILD)/seed_snapshot $(BUILD)/mini.cordon fuzz/corpus/snapshot

# ---- benchmarks -----------------------------------------------------
$(BUILD)/bench/%: bench/%.c $(BUILD)/libcordon.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libcordon.a $(LDLIBS)

bench: $(BENCHES) all
	@for b in $(BENCHES); do echo "== $$b"; ./$$b || exit 1; done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/cordon
	install -m 755 $(BUILD)/cordon $(DESTDIR)$(PREFIX)/bin/cordon
	install -m 644 $(BUILD)/libcordon.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/libcordon.so $(DESTDIR)$(PREFIX)/lib/libcordon.so.0
	ln -sf libcordon.so.0 $(DESTDIR)$(PREFIX)/lib/libcordon.so
	install -m 644 include/cordon/cordon.h $(DESTDIR)$(PREFIX)/include/cordon/
	install -m 644 $(BUILD)/cordon.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/

clean:
	rm -rf $(BUILD)
