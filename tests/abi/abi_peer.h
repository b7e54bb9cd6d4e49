/* SPDX-License-Identifier: MIT */
/* Calls compiled with the library's own settings (abi_peer.c). */
#ifndef ABI_PEER_H
#define ABI_PEER_H

#include <stddef.h>

#include "ornd/error.h"

/* Init with settings that lack the platform: ORND_ERR_ARG past the ABI check. */
ornd_err_t abi_peer_client_init(void);
ornd_err_t abi_peer_api_init(void);

/* sizeof(ornd_client_t) with the library's settings. */
size_t abi_peer_client_size(void);

#endif /* ABI_PEER_H */
