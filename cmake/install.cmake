# `cmake --install`: headers, the static libraries (cordon::engine, which brings
# cordon::dsl), the shared C library (cordon::c, libcordon.so.MAJOR), a CMake package
# (find_package(cordon)) and pkg-config files (cordon.pc for C, cordon-engine.pc for C++).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(CORDON_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/cordon)
set_target_properties(cordon_dsl PROPERTIES EXPORT_NAME dsl)
set_target_properties(cordon_engine PROPERTIES EXPORT_NAME engine)
set(CORDON_INSTALL_TARGETS cordon_dsl cordon_engine)
if(TARGET cordon_c)
  set_target_properties(cordon_c PROPERTIES EXPORT_NAME c)
  list(APPEND CORDON_INSTALL_TARGETS cordon_c)
  install(FILES engine/capi/cordon.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endif()
install(TARGETS ${CORDON_INSTALL_TARGETS} EXPORT cordonTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY dsl/include/ engine/include/ ${PROJECT_BINARY_DIR}/generated/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
install(EXPORT cordonTargets NAMESPACE cordon:: DESTINATION ${CORDON_CMAKE_DIR})
configure_package_config_file(cmake/cordonConfig.cmake.in ${PROJECT_BINARY_DIR}/cordonConfig.cmake
                              INSTALL_DESTINATION ${CORDON_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cordonConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cordonConfig.cmake ${PROJECT_BINARY_DIR}/cordonConfigVersion.cmake
        DESTINATION ${CORDON_CMAKE_DIR})
configure_file(cmake/cordon.pc.in ${PROJECT_BINARY_DIR}/cordon.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/cordon.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
