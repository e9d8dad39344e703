# Install layout and the Debian package (included last by the root CMakeLists.txt).
#
#   cmake --install build/release --prefix /usr   (or: bash .ci/dev package, then
#   apt-get install ./build/package/flowlog-explorer_<version>_amd64.deb)
#     bin/flowlog-explorer, bin/flowlog-cli
#     share/applications/flowlog-explorer.desktop
#     share/icons/hicolor/scalable/apps/flowlog-explorer.svg
#     share/flowlog-explorer/demo/...   (MainWindow::findDemoDirectory looks in <bin>/../share/...)
#     share/man/man1/flowlog-explorer.1.gz, share/man/man1/flowlog-cli.1.gz
#     lib/flowlog-explorer/libduckdb.so      (only with Parquet on: the private copy, see below)
#     share/doc/flowlog-explorer/copyright   (DuckDB's MIT licence, with Parquet on)
#
# The package's Depends come from dpkg-shlibdeps run on the installed binaries (needs the
# dpkg-dev and file packages), never from a hand-kept list.
include(GNUInstallDirs)

# Parquet (cmake/FlowlogParquet.cmake): no Debian package provides libduckdb.so, so the binaries
# carry a private copy of the pinned one (.ci/install-duckdb) in lib/flowlog-explorer/ and find
# it through an $ORIGIN-relative RUNPATH, as Debian does for a package's private libraries. The
# build tree keeps CMake's absolute RPATH to the /opt copy; only installed binaries change.
set(FLOWLOG_PRIVATE_LIBDIR lib/flowlog-explorer)
if(TARGET DuckDB::DuckDB AND FLOWLOG_PARQUET)
  get_target_property(_flowlog_duckdb_so DuckDB::DuckDB IMPORTED_LOCATION)
  install(FILES ${_flowlog_duckdb_so} DESTINATION ${FLOWLOG_PRIVATE_LIBDIR})
  # cpack's stripping (CPACK_STRIP_FILES) covers install(TARGETS) only: strip the copy too, as
  # Debian ships its libraries (lintian: unstripped-binary-or-object).
  get_filename_component(_flowlog_duckdb_name ${_flowlog_duckdb_so} NAME)
  install(CODE "if(CMAKE_INSTALL_DO_STRIP)
    execute_process(COMMAND \"${CMAKE_STRIP}\" --strip-unneeded
      \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${FLOWLOG_PRIVATE_LIBDIR}/${_flowlog_duckdb_name}\" COMMAND_ERROR_IS_FATAL ANY)
  endif()")
  get_filename_component(_flowlog_duckdb_prefix ${_flowlog_duckdb_so} DIRECTORY)
  get_filename_component(_flowlog_duckdb_prefix ${_flowlog_duckdb_prefix} DIRECTORY)
  if(EXISTS ${_flowlog_duckdb_prefix}/LICENSE)
    # Debian's place for licences; DuckDB's MIT licence asks for its notice to travel with copies.
    file(READ ${_flowlog_duckdb_prefix}/LICENSE _flowlog_duckdb_license)
    set(_flowlog_duckdb_version "")
    if(EXISTS ${_flowlog_duckdb_prefix}/VERSION)
      file(STRINGS ${_flowlog_duckdb_prefix}/VERSION _flowlog_duckdb_version LIMIT_COUNT 1)
    endif()
    file(WRITE ${CMAKE_BINARY_DIR}/copyright
         "Flowlog Explorer ${PROJECT_VERSION}\n\n"
         "/usr/lib/flowlog-explorer/libduckdb.so is DuckDB ${_flowlog_duckdb_version} (https://duckdb.org),\n"
         "as published on the npm registry in @duckdb/node-bindings-linux-x64, under this licence:\n\n"
         "${_flowlog_duckdb_license}")
    install(FILES ${CMAKE_BINARY_DIR}/copyright DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/flowlog-explorer)
  endif()
  set(_flowlog_binaries flowlog-cli)
  if(FLOWLOG_BUILD_GUI)
    list(APPEND _flowlog_binaries flowlog-explorer)
  endif()
  set_target_properties(${_flowlog_binaries} PROPERTIES INSTALL_RPATH "$ORIGIN/../${FLOWLOG_PRIVATE_LIBDIR}")
  # dpkg-shlibdeps must find the private library to read its own needs (libc, libstdc++ ...).
  # cpack runs it in the package's staging root, so the folder is given relative to that.
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS usr/${FLOWLOG_PRIVATE_LIBDIR})
  message(STATUS "Package: with Parquet (private ${_flowlog_duckdb_so} in /usr/${FLOWLOG_PRIVATE_LIBDIR})")
else()
  message(STATUS "Package: without Parquet (DuckDB not found or FLOWLOG_PARQUET=OFF)")
endif()

install(TARGETS flowlog-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(FLOWLOG_BUILD_GUI)
  install(TARGETS flowlog-explorer RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${CMAKE_SOURCE_DIR}/resources/flowlog-explorer.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${CMAKE_SOURCE_DIR}/resources/icons/flowlog-explorer.svg
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
endif()
install(DIRECTORY ${CMAKE_SOURCE_DIR}/resources/demo/ DESTINATION ${CMAKE_INSTALL_DATADIR}/flowlog-explorer/demo)

# Man pages: written in troff (resources/man/*.1.in, @FLOWLOG_VERSION@ filled in here),
# gzipped as Debian installs them. tests/core/tst_manpages checks they name every option of
# --help. Read one from the build tree with: man -l build/<preset>/man/flowlog-cli.1
set(FLOWLOG_MAN_PAGES flowlog-cli)
if(FLOWLOG_BUILD_GUI)
  list(APPEND FLOWLOG_MAN_PAGES flowlog-explorer)
endif()
set(FLOWLOG_VERSION ${PROJECT_VERSION})
string(TIMESTAMP FLOWLOG_MAN_DATE "%Y-%m-%d" UTC)
set(gzipped "")
foreach(page IN LISTS FLOWLOG_MAN_PAGES)
  configure_file(${CMAKE_SOURCE_DIR}/resources/man/${page}.1.in ${CMAKE_BINARY_DIR}/man/${page}.1 @ONLY)
  add_custom_command(
    OUTPUT ${CMAKE_BINARY_DIR}/man/${page}.1.gz
    COMMAND gzip -9 -n -c ${CMAKE_BINARY_DIR}/man/${page}.1 > ${CMAKE_BINARY_DIR}/man/${page}.1.gz
    DEPENDS ${CMAKE_BINARY_DIR}/man/${page}.1
    COMMENT "Compressing the man page ${page}.1"
    VERBATIM)
  list(APPEND gzipped ${CMAKE_BINARY_DIR}/man/${page}.1.gz)
endforeach()
add_custom_target(flowlog_man ALL DEPENDS ${gzipped})
install(FILES ${gzipped} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# Debian package: flowlog-explorer_<version>_amd64.deb (cpack -G DEB in the build tree).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME flowlog-explorer)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "Flowlog Explorer")
set(CPACK_PACKAGE_CONTACT "Flowlog Explorer developers <flowlog-explorer@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Explore AWS Transit Gateway and VPC flow logs")
# One string (set() with several would join them with ";"), lines of at most 80 characters
# (lintian: extended-description-line-too-long).
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "Flowlog Explorer opens AWS Transit Gateway and VPC flow logs (plain or gzip\n"
    "files, folders of S3 downloads, CloudWatch exports, Parquet) in a desktop\n"
    "application: filter, sort and export records, follow flows across attachments,\n"
    "see drops and traffic over time, query them with SQL. flowlog-cli runs the\n"
    "same analyses in scripts. Includes a demo data set.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Qt's run-time plugins come with the libraries the binaries link (xcb/offscreen platforms in
# libqt6gui6, the SVG icon engine in libqt6svg6), so the shlibdeps list covers them.
include(CPack)
