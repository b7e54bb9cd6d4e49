/* SPDX-License-Identifier: MIT */
/*
 * ORND_PRIVATE(member) names a member of a public struct that is not part of
 * the API: the struct is public only so that it can be allocated statically.
 * Application code that writes `c->ORND_PRIVATE(token)` (or
 * `c->private_token`) says in review that it reaches inside; the library's
 * own sources define ORND_ALLOW_PRIVATE_ACCESS and use the plain names.
 */
#ifndef ORND_CORE_PRIVATE_H
#define ORND_CORE_PRIVATE_H

#if defined(ORND_ALLOW_PRIVATE_ACCESS)
#define ORND_PRIVATE(member) member
#else
#define ORND_PRIVATE(member) private_##member
#endif

#endif /* ORND_CORE_PRIVATE_H */
