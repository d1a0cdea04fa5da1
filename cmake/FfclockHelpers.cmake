# SPDX-License-Identifier: BSD-2-Clause
# Build helpers shared by every layer: warnings, sanitizers, tests and fuzz targets.

# The project's own code builds with these warnings; with FFCLOCK_WERROR (the presets and CI
# turn it on) they are errors. Off by default, so that a packager's or user's compiler and
# flags can never turn a new warning into a failed build, and -Wno-error in CMAKE_CXX_FLAGS
# is not overridden by a -Werror that comes after it.
function(ffclock_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wnon-virtual-dtor
    -Wold-style-cast -Wcast-align -Wnull-dereference -Wimplicit-fallthrough)
  ffclock_werror(${target})
endfunction()

# ffclock_werror(TARGET): -Werror on TARGET when FFCLOCK_WERROR is on.
function(ffclock_werror target)
  if(FFCLOCK_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(FFCLOCK_SANITIZE)
  string(REPLACE ";" "," _ffclock_san "${FFCLOCK_SANITIZE}")
  add_compile_options(-fsanitize=${_ffclock_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_ffclock_san})
endif()

# ffclock_add_test_dir(NAME DIR LIBS lib... [LABELS label...]): one GoogleTest binary from
# every *_test.cpp in DIR, each test registered with CTest. Label "tsan" marks the tests the
# ThreadSanitizer preset runs (seqlock and reader tests).
function(ffclock_add_test_dir name dir)
  cmake_parse_arguments(ARG "" "" "LIBS;LABELS" ${ARGN})
  file(GLOB _srcs CONFIGURE_DEPENDS ${dir}/*_test.cpp)
  if(NOT _srcs)
    return()
  endif()
  add_executable(${name} ${_srcs})
  ffclock_warnings(${name})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_compile_definitions(${name} PRIVATE FFCLOCK_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  set(_labels unit ${ARG_LABELS})
  # gtest_discover_tests cannot carry a list-valued property (the ';' splits it and "tsan"
  # became a property name, so the tsan preset found no tests): the tests of a directory
  # with LABELS get those labels (one label) instead of "unit".
  if(ARG_LABELS)
    set(_labels ${ARG_LABELS})
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${_labels}")
endfunction()

# ffclock_add_fuzzer(NAME SOURCE CORPUS_DIR LIBS lib... [INSTRUMENT src/dir...]): under clang
# a libFuzzer binary (bin/fuzz-NAME); under any compiler a replay binary that runs every corpus
# file through the same entry point, registered as a CTest test. The .cpp files of the
# INSTRUMENT folders are compiled into the fuzzer too (they take precedence over the library's
# objects), so the code under test carries libFuzzer's coverage instrumentation.
function(ffclock_add_fuzzer name source corpus)
  cmake_parse_arguments(ARG "" "" "LIBS;INSTRUMENT" ${ARGN})
  add_executable(replay-${name} ${source} ${PROJECT_SOURCE_DIR}/fuzz/replay_main.cpp)
  ffclock_warnings(replay-${name})
  target_link_libraries(replay-${name} PRIVATE ${ARG_LIBS})
  add_test(NAME fuzz_replay.${name} COMMAND replay-${name} ${corpus})
  set_tests_properties(fuzz_replay.${name} PROPERTIES LABELS fuzz)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    set(_instrumented)
    foreach(_dir ${ARG_INSTRUMENT})
      file(GLOB _dir_srcs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${_dir}/*.cpp)
      list(APPEND _instrumented ${_dir_srcs})
    endforeach()
    add_executable(fuzz-${name} ${source} ${_instrumented})
    ffclock_warnings(fuzz-${name})
    target_compile_options(fuzz-${name} PRIVATE -fsanitize=fuzzer,address,undefined,float-cast-overflow)
    target_link_options(fuzz-${name} PRIVATE -fsanitize=fuzzer,address,undefined,float-cast-overflow)
    target_link_libraries(fuzz-${name} PRIVATE ${ARG_LIBS})
  endif()
endfunction()
