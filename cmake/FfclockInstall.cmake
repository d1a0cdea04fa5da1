# SPDX-License-Identifier: BSD-2-Clause
# Install rules (GNUInstallDirs): the tools, the public headers, libffclock (shared with a
# soname, and static), the CMake package (find_package(ffclock) -> ffclock::ffclock,
# ffclock::ffclock_static, ffclock::reader), ffclock.pc, the man pages, the systemd unit with
# its sysusers.d and tmpfiles.d snippets, the example configuration and the licence.
# Included from the top-level CMakeLists after every add_subdirectory, so that targets made
# in any folder (ffclockd) are seen here.
include(CMakePackageConfigHelpers)

set(FFCLOCK_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/ffclock CACHE STRING
  "Where the CMake package goes (relative to the prefix)")
set(FFCLOCK_SYSTEMD_UNITDIR lib/systemd/system CACHE STRING
  "systemd system unit directory (Debian: /lib/systemd/system)")
set(FFCLOCK_SYSUSERSDIR lib/sysusers.d CACHE STRING "sysusers.d directory")
set(FFCLOCK_TMPFILESDIR lib/tmpfiles.d CACHE STRING "tmpfiles.d directory")
option(FFCLOCK_INSTALL_SIM "Install ffclock-sim" ON)

# Programs.
install(TARGETS ffclock RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(FFCLOCK_INSTALL_SIM)
  install(TARGETS ffclock-sim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
if(TARGET ffclockd)
  install(TARGETS ffclockd RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR})
endif()

# Headers, libraries and the CMake package.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ffclock DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")
install(TARGETS ffclock_reader ffclock_capi ffclock_capi_shared EXPORT ffclockTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_SKIP
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# The unversioned libffclock.so link is for developers only (the -dev package).
install(TARGETS ffclock_capi_shared LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_ONLY)
install(EXPORT ffclockTargets NAMESPACE ffclock:: DESTINATION ${FFCLOCK_INSTALL_CMAKEDIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/ffclockConfig.cmake.in
  ${PROJECT_BINARY_DIR}/ffclockConfig.cmake INSTALL_DESTINATION ${FFCLOCK_INSTALL_CMAKEDIR})
# 0.x: a minor version may change the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/ffclockConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/ffclockConfig.cmake ${PROJECT_BINARY_DIR}/ffclockConfigVersion.cmake
  DESTINATION ${FFCLOCK_INSTALL_CMAKEDIR})

# ffclock.pc names the prefix the files are installed under: written at install time, so
# `cmake --install --prefix P` gets P (DESTDIR staging keeps the real prefix).
set(_pc_out ${PROJECT_BINARY_DIR}/ffclock.pc)
install(CODE "
  set(PROJECT_VERSION \"${PROJECT_VERSION}\")
  set(_dirs \"${CMAKE_INSTALL_LIBDIR}\" \"${CMAKE_INSTALL_INCLUDEDIR}\")
  set(_full)
  foreach(_d \${_dirs})
    if(IS_ABSOLUTE \"\${_d}\")
      list(APPEND _full \"\${_d}\")
    else()
      list(APPEND _full \"\${CMAKE_INSTALL_PREFIX}/\${_d}\")
    endif()
  endforeach()
  list(GET _full 0 FFCLOCK_PC_LIBDIR)
  list(GET _full 1 FFCLOCK_PC_INCLUDEDIR)
  set(FFCLOCK_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  configure_file(\"${PROJECT_SOURCE_DIR}/cmake/ffclock.pc.in\" \"${_pc_out}\" @ONLY)
")
install(FILES ${_pc_out} DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Man pages, written in scdoc (docs/man/*.scd).
find_program(FFCLOCK_SCDOC scdoc)
set(_man_pages ffclock.1 ffclock-sim.1 ffclockd.8 ffclockd.toml.5)
if(FFCLOCK_SCDOC)
  set(_man_outputs)
  foreach(_page ${_man_pages})
    set(_src ${PROJECT_SOURCE_DIR}/docs/man/${_page}.scd)
    set(_out ${PROJECT_BINARY_DIR}/man/${_page})
    add_custom_command(OUTPUT ${_out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
      COMMAND sh -c "\"$1\" < \"$2\" > \"$3\"" sh ${FFCLOCK_SCDOC} ${_src} ${_out}
      DEPENDS ${_src} COMMENT "scdoc ${_page}" VERBATIM)
    list(APPEND _man_outputs ${_out})
    string(REGEX MATCH "[0-9]$" _section ${_page})
    install(FILES ${_out} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${_section})
  endforeach()
  add_custom_target(ffclock_man ALL DEPENDS ${_man_outputs})
else()
  message(WARNING "scdoc not found (apt-get install scdoc): the man pages are not built or installed")
endif()

# Service files and the example configuration.
install(FILES ${PROJECT_SOURCE_DIR}/dist/ffclockd.service DESTINATION ${FFCLOCK_SYSTEMD_UNITDIR})
install(FILES ${PROJECT_SOURCE_DIR}/dist/sysusers.d/ffclock.conf DESTINATION ${FFCLOCK_SYSUSERSDIR})
install(FILES ${PROJECT_SOURCE_DIR}/dist/tmpfiles.d/ffclock.conf DESTINATION ${FFCLOCK_TMPFILESDIR})
install(FILES ${PROJECT_SOURCE_DIR}/dist/ffclockd.toml DESTINATION ${CMAKE_INSTALL_SYSCONFDIR}/ffclock)
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
