/* SPDX-License-Identifier: MIT */
/* sizeof(ornd_client_t) at default settings. On the host it is printed; for
 * a cross target the size of the probe array is read from the object with
 * nm -S. */
#include <stdio.h>

#include "ornd/client.h"

char ornd_bench_client_size[sizeof(ornd_client_t)];
char ornd_bench_tls_size[sizeof(ornd_tls_t)];

#ifndef BENCH_NO_MAIN
int main(void)
{
    printf("{\"client\": %zu, \"tls\": %zu}\n", sizeof(ornd_client_t), sizeof(ornd_tls_t));
    return 0;
}
#endif
