# The layers, bottom to top, and which layers each may #include (directly). A header of a
# layer above, or of a sibling not listed, fails the build: the dependency graph in
# ARCHITECTURE.md is checked, not just described. Tests may include anything.
set(AEGIS_LAYERS
  "util:"
  "platform:util"
  "yaml:util"
  "manifest:util,yaml"
  "policy:util,yaml,manifest"
  "inputs:util,policy,manifest,yaml"
  "lint:util,yaml,manifest,policy"
  "report:util,yaml,manifest,policy,lint"
  "render:util,yaml,manifest,policy,lint"
  "verifier/common:util,platform"
  "verifier/place:util,platform,verifier/common"
  "verifier/sources:util,platform,verifier/common,verifier/place"
  "verifier/trust:util,platform,verifier/common"
  "verifier:util,platform,verifier/common,verifier/place,verifier/sources,verifier/trust"
  "sign:util,platform,verifier/common,verifier/trust,verifier/sources"
  "kube:util,platform,yaml"
  "init:util,platform,yaml,manifest,policy,inputs,verifier/common,verifier/trust,sign"
  "cluster:util,platform,yaml,manifest,policy,kube"
  "canary:util,platform,yaml,manifest,policy,lint,report,render,kube,cluster"
  "status:util,platform,yaml,manifest,policy,kube,cluster"
  "cli:util,platform,yaml,manifest,policy,inputs,lint,report,render,verifier,verifier/common,verifier/place,verifier/sources,verifier/trust,sign,kube,cluster,canary,status,init")

if(CMAKE_SCRIPT_MODE_FILE)
  cmake_minimum_required(VERSION 3.20)
  # Run as a script (cmake -DSOURCE_DIR=… -P CheckLayers.cmake): scan and judge.
  set(problems "")
  foreach(entry IN LISTS AEGIS_LAYERS)
    string(REPLACE ":" ";" parts "${entry}")
    list(GET parts 0 layer)
    list(LENGTH parts n)
    set(allowed "${layer}")
    if(n GREATER 1)
      list(GET parts 1 deps)
      string(REPLACE "," ";" deps "${deps}")
      list(APPEND allowed ${deps})
    endif()
    if(layer MATCHES "^verifier")
      set(dir "${SOURCE_DIR}/${layer}")
    else()
      set(dir "${SOURCE_DIR}/tools/${layer}")
    endif()
    file(GLOB sources "${dir}/*.h" "${dir}/*.cc")
    foreach(src IN LISTS sources)
      file(STRINGS "${src}" includes REGEX "^#include \"[a-z_/]+/")
      foreach(line IN LISTS includes)
        # The layer of an included header is its folder: "lint/x.h" lint, "verifier/trust/x.h" verifier/trust.
        string(REGEX REPLACE "^#include \"([a-z_/]+)/[^/]*\".*" "\\1" target "${line}")
        if(NOT target IN_LIST allowed)
          file(RELATIVE_PATH rel "${SOURCE_DIR}" "${src}")
          string(APPEND problems "  ${rel}: ${line} — layer ${layer} may include only: ${allowed}\n")
        endif()
      endforeach()
    endforeach()
  endforeach()
  if(problems)
    message(FATAL_ERROR "layer violations (cmake/CheckLayers.cmake):\n${problems}")
  endif()
else()
  # Included from tools/CMakeLists.txt: a target every build runs.
  add_custom_target(aegis_check_layers ALL
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -P ${PROJECT_SOURCE_DIR}/cmake/CheckLayers.cmake
    COMMENT "Checking the layer rules (cmake/CheckLayers.cmake)" VERBATIM)
  add_dependencies(aegis aegis_check_layers)
endif()
