# Install layout and the Debian package (included last by the root CMakeLists.txt).
#
#   cmake --install build/release --prefix /usr   (or: bash .ci/dev package, then
#   apt-get install ./build/package/flowlog-explorer_<version>_amd64.deb)
#     bin/flowlog-explorer, bin/flowlog-cli
#     share/applications/flowlog-explorer.desktop
#     share/icons/hicolor/scalable/apps/flowlog-explorer.svg
#     share/flowlog-explorer/demo/...   (MainWindow::findDemoDirectory looks in <bin>/../share/...)
#     share/man/man1/flowlog-explorer.1.gz, share/man/man1/flowlog-cli.1.gz
#
# The package's Depends come from dpkg-shlibdeps run on the installed binaries (needs the
# dpkg-dev and file packages), never from a hand-kept list.
include(GNUInstallDirs)

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
set(CPACK_PACKAGE_DESCRIPTION
    "Flowlog Explorer opens AWS Transit Gateway and VPC flow logs (plain or gzip files, folders of S3 downloads,\n"
    "CloudWatch exports) in a desktop application: filter, sort and export records, follow flows across\n"
    "attachments, see drops and traffic over time, query them with SQL. flowlog-cli runs the same\n"
    "analyses in scripts. Includes a demo data set.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Qt's run-time plugins come with the libraries the binaries link (xcb/offscreen platforms in
# libqt6gui6, the SVG icon engine in libqt6svg6), so the shlibdeps list covers them.
include(CPack)
