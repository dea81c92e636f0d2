# Test fixtures shared by every test binary: a PostgreSQL server started from Debian's package
# in a temporary directory on a free loopback port (scripts/pg-test-server), and the black-box
# tests that run the real binary.
add_test(NAME postgres_start
         COMMAND ${CMAKE_SOURCE_DIR}/scripts/pg-test-server start ${CMAKE_BINARY_DIR}/pgtest)
set_tests_properties(postgres_start PROPERTIES FIXTURES_SETUP postgres)
add_test(NAME postgres_stop
         COMMAND ${CMAKE_SOURCE_DIR}/scripts/pg-test-server stop ${CMAKE_BINARY_DIR}/pgtest)
set_tests_properties(postgres_stop PROPERTIES FIXTURES_CLEANUP postgres)

file(GLOB blackbox_tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/blackbox/test_*.py)
foreach(t IN LISTS blackbox_tests)
  get_filename_component(stem ${t} NAME_WE)
  add_test(NAME blackbox.${stem} COMMAND /usr/bin/python3 -m unittest -v ${stem}
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}/tests/blackbox)
  set_tests_properties(blackbox.${stem} PROPERTIES
    FIXTURES_REQUIRED postgres
    ENVIRONMENT "PLINTH_BIN=${CMAKE_BINARY_DIR}/plinth;PLINTH_TEST_PG_URL_FILE=${CMAKE_BINARY_DIR}/pgtest/url"
    TIMEOUT 600)
endforeach()

# The console in a real browser: Playwright (npm) drives Debian's Chromium against `plinth demo`.
add_test(NAME browser COMMAND ${CMAKE_SOURCE_DIR}/scripts/browser-test)
set_tests_properties(browser PROPERTIES
  ENVIRONMENT "PLINTH_BIN=${CMAKE_BINARY_DIR}/plinth;SCREENSHOT_DIR=${CMAKE_BINARY_DIR}/screenshots"
  TIMEOUT 600)
