# The two commands a newcomer needs: `make demo` and `make test`. Both install what is missing.
BUILD_DIR ?= build
CMAKE_FLAGS ?=
ifeq ($(CI),true)
CMAKE_FLAGS += -DPLINTH_WERROR=ON
endif

.PHONY: all deps build test demo bench clean format

all: build

deps:
	@scripts/install-deps

build: deps
	@scripts/build-web
	@cmake -S . -B $(BUILD_DIR) -G Ninja $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD_DIR)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j2 --timeout 900

demo: build
	$(BUILD_DIR)/plinth demo

bench: build
	@scripts/bench

clean:
	rm -rf $(BUILD_DIR)

format:
	clang-format -i $$(git ls-files 'src/*.h' 'src/*.cc')
