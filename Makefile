# Plimsoll build. Plain GNU make: `make` builds build/plimsoll; see README for the rest.
#
# Variants share one source list and differ only in flags and output directory:
#   build/          release (-O2), the binary users run
#   build/asan/     AddressSanitizer + UndefinedBehaviorSanitizer, used by `make test`
#   build/fuzz/     libFuzzer targets (clang), used by `make fuzz`

CC      ?= cc
CLANG   ?= clang
PKGS    :=
CSTD    := -std=c17 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
INC     := -Isrc
CFLAGS  ?= -O2 -g
LDLIBS  := -lfyaml -ljansson -lpcre2-8 -lpthread -larchive -lcrypto -lcurl -lmicrohttpd -lgnutls -lm

LIB_SRC  := $(shell find src -name '*.c' ! -path 'src/main.c' ! -path 'src/cli/*' | sort) build/gen/rules_table.c build/gen/compose_spec.c
RULE_SRC := $(sort $(wildcard src/rules/*.c))
CLI_SRC  := src/main.c $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_SRC:fuzz/%.c=build/fuzz/%)

ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all

.PHONY: all test demo bench fuzz clean asan unit-bins deps
all: build/plimsoll

# The rule table is generated from the rule definitions (scripts/gen-rule-table.sh).
build/gen/rules_table.c: $(RULE_SRC) scripts/gen-rule-table.sh
	@mkdir -p $(dir $@)
	@scripts/gen-rule-table.sh $@ $(RULE_SRC)

# The Compose schema is embedded in the binary (src/compose/schema.c), as bytes from xxd.
build/gen/compose_spec.c: src/compose/compose-spec.json
	@mkdir -p $(dir $@)
	@{ echo '/* generated from $< by the Makefile: do not edit */'; \
	  echo '#include <stddef.h>'; \
	  echo 'const char pl_compose_spec_json[] = {'; \
	  xxd -i < $< | sed 's/0x[89a-f][0-9a-f]/(char)&/g'; \
	  echo '};'; \
	  echo 'const size_t pl_compose_spec_json_len = sizeof pl_compose_spec_json;'; } > $@.tmp
	@mv $@.tmp $@

# --- object rules (one pattern per variant) ---------------------------------------------
build/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(INC) $(CFLAGS) -MMD -MP -c $< -o $@

build/asan/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(INC) $(ASAN_FLAGS) -MMD -MP -c $< -o $@

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CLANG) $(CSTD) $(WARN) $(INC) -O1 -g -fsanitize=fuzzer-no-link,address,undefined -MMD -MP -c $< -o $@

LIB_OBJ      := $(LIB_SRC:%.c=build/obj/%.o)
CLI_OBJ      := $(CLI_SRC:%.c=build/obj/%.o)
ASAN_LIB_OBJ := $(LIB_SRC:%.c=build/asan/obj/%.o)
ASAN_CLI_OBJ := $(CLI_SRC:%.c=build/asan/obj/%.o)
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=build/fuzz/obj/%.o)

build/libplimsoll.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/asan/libplimsoll.a: $(ASAN_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/plimsoll: $(CLI_OBJ) build/libplimsoll.a
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) build/libplimsoll.a $(LDLIBS)

build/asan/plimsoll: $(ASAN_CLI_OBJ) build/asan/libplimsoll.a
	$(CC) $(ASAN_FLAGS) -o $@ $(ASAN_CLI_OBJ) build/asan/libplimsoll.a $(LDLIBS)

# Unit tests (cmocka) are built with the sanitizers on.
build/asan/tests/%: tests/unit/%.c build/asan/libplimsoll.a
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(INC) $(ASAN_FLAGS) -o $@ $< build/asan/libplimsoll.a -lcmocka $(LDLIBS)

UNIT_BINS := $(TEST_SRC:tests/unit/%.c=build/asan/tests/%)

asan: build/asan/plimsoll $(UNIT_BINS)
unit-bins: $(UNIT_BINS)

deps:
	@scripts/deps.sh

test: deps build/plimsoll asan $(FUZZ_BINS)
	@tests/run.sh

demo: deps build/plimsoll
	@scripts/demo.sh

bench: deps build/plimsoll build/bench/parse_bench
	@bench/run.sh

# Parser-only throughput program, linked with the release library.
build/bench/parse_bench: bench/parse_bench.c build/libplimsoll.a
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(INC) $(CFLAGS) -o $@ $< build/libplimsoll.a $(LDLIBS)

# --- fuzzing ----------------------------------------------------------------------------
# Only a pattern rule names these objects, so make would delete them after each link.
.SECONDARY: $(FUZZ_LIB_OBJ)
build/fuzz/fuzz_%: fuzz/fuzz_%.c $(FUZZ_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CLANG) $(CSTD) $(WARN) $(INC) -O1 -g -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_LIB_OBJ) $(LDLIBS)

FUZZ_SECONDS ?= 60
fuzz: deps $(FUZZ_BINS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh $(FUZZ_BINS)

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
