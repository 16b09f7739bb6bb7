# Turns a file into a C++ source defining `std::string_view <NAME>()`.
# Run at build time: cmake -DIN=file -DOUT=file.cc -DNAME=symbol -P Embed.cmake
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hex_len)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
math(EXPR size "${hex_len} / 2")
file(WRITE "${OUT}.tmp"
"// Generated from ${IN} by cmake/Embed.cmake. Do not edit.\n"
"#include <string_view>\n"
"namespace aegis {\n"
"namespace { constexpr char kData[] = {${bytes} 0}; }\n"
"std::string_view ${NAME}() { return {kData, ${size}}; }\n"
"}  // namespace aegis\n")
file(RENAME "${OUT}.tmp" "${OUT}")
