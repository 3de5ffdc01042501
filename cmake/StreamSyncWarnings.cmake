# streamsync_set_warnings(<target>): the warning set every StreamSync target builds with.
# CI turns them into errors (STREAMSYNC_WARNINGS_AS_ERRORS, set by the `ci` preset).
function(streamsync_set_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 $<$<BOOL:${STREAMSYNC_WARNINGS_AS_ERRORS}>:/WX>)
  else()
    target_compile_options(${target} PRIVATE
      -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wold-style-cast
      -Wnon-virtual-dtor -Woverloaded-virtual -Wimplicit-fallthrough
      $<$<BOOL:${STREAMSYNC_WARNINGS_AS_ERRORS}>:-Werror>)
    # GCC 12 reports false "may be used uninitialized" inside libstdc++ (<regex>,
    # <optional>) when sanitizer instrumentation changes its inlining; the sanitizer run
    # itself checks for real uninitialised reads.
    if(CMAKE_CXX_FLAGS MATCHES "-fsanitize" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
    endif()
  endif()
endfunction()
