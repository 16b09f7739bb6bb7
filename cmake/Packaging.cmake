# Installation (`cmake --install`) and the Debian package (`cpack -G DEB` →
# aegis_<version>_amd64.deb). Man pages and shell completions are generated from the
# programs' own --help (ci/gen_docs.sh), so they cannot drift from the CLI.
include(GNUInstallDirs)

add_custom_target(aegis_docs ALL
  COMMAND bash ${PROJECT_SOURCE_DIR}/ci/gen_docs.sh $<TARGET_FILE:aegis> $<TARGET_FILE:verify-and-fetch>
          ${CMAKE_BINARY_DIR}/share ${AEGIS_VERSION_STRING}
  DEPENDS aegis aegis-full verify-and-fetch ${PROJECT_SOURCE_DIR}/ci/gen_docs.sh
  COMMENT "Generating man pages and shell completions from --help")

install(TARGETS aegis verify-and-fetch RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS aegis-full RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/aegis)
install(DIRECTORY policies/ DESTINATION ${CMAKE_INSTALL_DATADIR}/aegis/policies)
install(DIRECTORY rego/ DESTINATION ${CMAKE_INSTALL_DATADIR}/aegis/rego)
install(DIRECTORY manifests/ DESTINATION ${CMAKE_INSTALL_DATADIR}/aegis/manifests)
install(DIRECTORY verifier/sigstore-roots/ DESTINATION ${CMAKE_INSTALL_DATADIR}/aegis/sigstore)
install(DIRECTORY ${CMAKE_BINARY_DIR}/share/man/ DESTINATION ${CMAKE_INSTALL_MANDIR})
install(FILES ${CMAKE_BINARY_DIR}/share/completions/aegis ${CMAKE_BINARY_DIR}/share/completions/verify-and-fetch
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${CMAKE_BINARY_DIR}/share/completions/_aegis DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES README.md ARCHITECTURE.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME aegis)
set(CPACK_PACKAGE_VERSION ${AEGIS_VERSION_STRING})
set(CPACK_PACKAGE_VENDOR "Aegis")
set(CPACK_PACKAGE_CONTACT "Aegis maintainers <aegis@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Keeps unsigned or tampered ML models out of Kubernetes model servers")
set(CPACK_PACKAGE_DESCRIPTION "aegis lints manifests against the signed-model Gatekeeper policy, renders the verify-and-fetch initContainer into workloads, and signs, packs and verifies models; verify-and-fetch is the initContainer itself.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES TRUE)  # also when packaged from a RelWithDebInfo build
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends: from the binaries' shared libraries (dpkg-shlibdeps)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ca-certificates")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "buildah, podman, skopeo")
include(CPack)

# `ninja verifier_image`: the verify-and-fetch OCI image (buildah, from scratch; ci/image/build.sh).
add_custom_target(verifier_image
  COMMAND bash ${PROJECT_SOURCE_DIR}/ci/image/build.sh ${CMAKE_BINARY_DIR}
  DEPENDS verify-and-fetch
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  USES_TERMINAL)
