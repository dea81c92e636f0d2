# Benchmarks (`make bench` runs bench/*.sh). Never registered with CTest: timings are printed,
# not asserted.
add_executable(plinth_schedule_bench bench/schedule_bench.cc)
target_link_libraries(plinth_schedule_bench PRIVATE plinth_schedule)
plinth_warnings(plinth_schedule_bench)
set_target_properties(plinth_schedule_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})

add_executable(plinth_slo_bench bench/slo_bench.cc)
target_link_libraries(plinth_slo_bench PRIVATE plinth_slo)
plinth_warnings(plinth_slo_bench)
set_target_properties(plinth_slo_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})

add_executable(plinth_cost_gen bench/cost_gen.cc)
target_link_libraries(plinth_cost_gen PRIVATE plinth_cost)
plinth_warnings(plinth_cost_gen)
set_target_properties(plinth_cost_gen PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})

add_executable(plinth_cost_bench bench/cost_bench.cc)
target_link_libraries(plinth_cost_bench PRIVATE plinth_cost)
plinth_warnings(plinth_cost_bench)
set_target_properties(plinth_cost_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
