/* SPDX-License-Identifier: MIT */
/*
 * ornd-lite: OfficeRnD OAuth 2.0 tokens and API calls for devices, in static
 * memory. The one header an application includes; see each header for its
 * part (README.md "Use it in code" for a first program).
 */
#ifndef ORND_ORND_H
#define ORND_ORND_H

#include "ornd/api.h"
#include "ornd/client.h"
#include "ornd/config.h"
#include "ornd/error.h"
#include "ornd/json.h"
#include "ornd/match.h"
#include "ornd/pages.h"
#include "ornd/port.h"
#include "ornd/tls_setup.h"
#include "ornd/token.h"

#endif /* ORND_ORND_H */
