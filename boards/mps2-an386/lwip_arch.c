/* SPDX-License-Identifier: MIT */
/* lwIP's system hooks on mps2-an386: see lwip_arch.h. */
#include "lwip_arch.h"

#include "arch/cc.h"
#include "lwip/sys.h"
#include "systick.h"
#include "semihost.h"

static uint32_t rand_state = 0x2545F491u;

void mps2_lwip_seed(uint32_t seed)
{
    rand_state = seed != 0 ? seed : 0x2545F491u;
}

uint32_t mps2_lwip_rand(void)
{
    uint32_t x = rand_state; /* xorshift32 */
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rand_state = x;
    return x;
}

u32_t sys_now(void)
{
    return mps2_now_ms();
}

void mps2_lwip_assert(const char *msg, const char *file, int line)
{
    sh_puts("\n*** lwIP assertion failed: ");
    sh_puts(msg);
    sh_puts(" (");
    sh_puts(file);
    sh_puts(":");
    sh_put_u32((unsigned long)line);
    sh_puts(")\n");
    sh_exit(3);
}
