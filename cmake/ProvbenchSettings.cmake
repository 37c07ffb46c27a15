# One INTERFACE target carries every compile setting the project shares, so that
# targets opt in by linking it instead of each repeating flags.
add_library(provbench_settings INTERFACE)
target_compile_features(provbench_settings INTERFACE cxx_std_23)
set(CMAKE_CXX_EXTENSIONS OFF)
target_compile_options(provbench_settings INTERFACE -Wall -Wextra -Werror)
target_compile_definitions(provbench_settings INTERFACE
    QT_NO_CAST_FROM_ASCII
    PROVBENCH_VERSION="${PROJECT_VERSION}"
    QT_NO_CAST_TO_ASCII
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_URL_CAST_FROM_STRING
    QT_USE_QSTRINGBUILDER
    OPENSSL_API_COMPAT=30000
    OPENSSL_NO_DEPRECATED
)
target_include_directories(provbench_settings INTERFACE ${PROJECT_SOURCE_DIR})

if(PROVBENCH_SANITIZE)
    target_compile_options(provbench_settings INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(provbench_settings INTERFACE -fsanitize=address,undefined)
endif()
