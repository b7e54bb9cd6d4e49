/* SPDX-License-Identifier: MIT */
/*
 * The library's version, semantic versioning (https://semver.org): the one
 * place it is set; the Makefile, the CMake package and ornd.pc read it here.
 * Before 1.0.0 a minor release may change the API (CHANGELOG.md says how).
 */
#ifndef ORND_VERSION_H
#define ORND_VERSION_H

#define ORND_VERSION_MAJOR 0
#define ORND_VERSION_MINOR 2
#define ORND_VERSION_PATCH 0
#define ORND_VERSION_STRING "0.2.0"

/* One number that grows with each release: 0xMMmmpp. */
#define ORND_VERSION_NUMBER                                                                        \
    ((ORND_VERSION_MAJOR << 16) | (ORND_VERSION_MINOR << 8) | ORND_VERSION_PATCH)

#define ORND_VERSION ORND_VERSION_STRING

#endif /* ORND_VERSION_H */
