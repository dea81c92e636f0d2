# Build helpers shared by every layer.

function(plinth_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(PLINTH_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(PLINTH_SANITIZE)
    target_compile_options(${target} PUBLIC -fsanitize=${PLINTH_SANITIZE} -fno-omit-frame-pointer)
    target_link_options(${target} PUBLIC -fsanitize=${PLINTH_SANITIZE})
  endif()
endfunction()

# plinth_library(NAME DIR DEPS...): a static library of DIR/**/*.cc, and, when DIR holds
# *_test.cc files, a test binary NAME_test whose cases are registered with CTest.
function(plinth_library name dir)
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/${dir}/*.cc)
  list(FILTER srcs EXCLUDE REGEX "(_test|/main|/testing)\\.cc$")
  if(NOT srcs)  # a layer still being written: headers only
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${CMAKE_SOURCE_DIR}/src)
    target_link_libraries(${name} INTERFACE ${ARGN})
    return()
  endif()
  add_library(${name} STATIC ${srcs})
  target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARGN})
  plinth_warnings(${name})

  file(GLOB_RECURSE tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/${dir}/*_test.cc)
  if(tests)
    add_executable(${name}_test ${tests})
    target_link_libraries(${name}_test PRIVATE ${name} plinth_testing GTest::gmock GTest::gtest_main)
    target_compile_definitions(${name}_test PRIVATE
      PLINTH_SOURCE_DIR="${CMAKE_SOURCE_DIR}" PLINTH_SHARED_DATA_DIR="${CMAKE_SOURCE_DIR}/../shared/data")
    plinth_warnings(${name}_test)
    gtest_discover_tests(${name}_test
      WORKING_DIRECTORY ${CMAKE_BINARY_DIR}
      PROPERTIES FIXTURES_REQUIRED postgres
                 ENVIRONMENT "PLINTH_TEST_PG_URL_FILE=${CMAKE_BINARY_DIR}/pgtest/url"
      DISCOVERY_TIMEOUT 30)
  endif()
endfunction()

# plinth_embed(NAME FUNCTION GLOB): a library whose FUNCTION() returns the files matched by
# GLOB as {name, bytes} pairs, compiled into the binary so `plinth` stays one file.
function(plinth_embed name function glob)
  file(GLOB files CONFIGURE_DEPENDS ${glob})
  list(SORT files)
  set(out ${CMAKE_BINARY_DIR}/embedded/${name}.cc)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DFUNCTION=${function} "-DFILES=${files}"
            -P ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
    DEPENDS ${files} ${CMAKE_SOURCE_DIR}/cmake/embed.cmake
    COMMENT "Embedding ${name}"
    VERBATIM)
  add_library(${name} STATIC ${out})
  target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR}/src)
endfunction()
