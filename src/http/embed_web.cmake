# Generates web_assets.cc: every file of the built web UI (web/dist) as bytes in the binary, with
# its content type and, where the web build wrote one, its gzip twin (name.gz). Without a built
# UI it embeds one placeholder page saying how to build it, so C++-only builds still work.
# Run as a script: cmake -DDIST_DIR=… -DOUT=… -P embed_web.cmake
# ext=type (a ";" would split the CMake list: text types get their charset below).
set(types
  "html=text/html" "js=text/javascript" "css=text/css" "svg=image/svg+xml" "json=application/json"
  "png=image/png" "ico=image/x-icon" "woff2=font/woff2" "txt=text/plain"
  "webmanifest=application/manifest+json")

function(bytes_of file out_var)
  file(READ ${file} hex HEX)
  string(LENGTH "${hex}" n)
  if(n EQUAL 0)
    set(${out_var} "" PARENT_SCOPE)
    return()
  endif()
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" hex "${hex}")
  set(${out_var} "${hex}" PARENT_SCOPE)
endfunction()

set(arrays "")
set(table "")
set(i 0)
if(EXISTS ${DIST_DIR}/index.html)
  file(GLOB_RECURSE files RELATIVE ${DIST_DIR} ${DIST_DIR}/*)
  list(SORT files)
  set(placeholder false)
else()
  set(files "")
  set(placeholder true)
endif()
foreach(f ${files})
  if(f MATCHES "\\.gz$")
    continue()
  endif()
  string(REGEX MATCH "[^.]+$" ext "${f}")
  set(type "application/octet-stream")
  foreach(pair ${types})
    string(REPLACE "=" ";" kv "${pair}")
    list(GET kv 0 k)
    if(k STREQUAL ext)
      list(GET kv 1 type)
    endif()
  endforeach()
  if(type MATCHES "^text/")
    string(APPEND type "; charset=utf-8")
  endif()
  bytes_of(${DIST_DIR}/${f} raw)
  file(SIZE ${DIST_DIR}/${f} raw_size)
  string(APPEND arrays "const char kRaw${i}[] = \"${raw}\";\n")
  set(gz_ref "{}")
  if(EXISTS ${DIST_DIR}/${f}.gz)
    bytes_of(${DIST_DIR}/${f}.gz gz)
    file(SIZE ${DIST_DIR}/${f}.gz gz_size)
    string(APPEND arrays "const char kGz${i}[] = \"${gz}\";\n")
    set(gz_ref "{kGz${i}, ${gz_size}}")
  endif()
  # Vite names built assets by content hash: they never change, so caches may keep them forever.
  set(immutable false)
  if(f MATCHES "^assets/")
    set(immutable true)
  endif()
  string(APPEND table "    {\"/${f}\", \"${type}\", {kRaw${i}, ${raw_size}}, ${gz_ref}, ${immutable}},\n")
  math(EXPR i "${i} + 1")
endforeach()

file(WRITE ${OUT}.tmp "// Generated from web/dist by src/http/embed_web.cmake. Do not edit.
#include \"http/web_assets.h\"

namespace orchard::http {

namespace {
${arrays}
}  // namespace

bool WebAssetsArePlaceholder() { return ${placeholder}; }

std::span<const WebAsset> WebAssets() {
  static const WebAsset kAll[] = {
${table}    {\"\", \"\", {}, {}, false},
  };
  return std::span<const WebAsset>(kAll, std::size(kAll) - 1);
}

}  // namespace orchard::http
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
