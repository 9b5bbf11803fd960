/* clock.h - the one clock helper: CLOCK_MONOTONIC in ns or us, and the
 * calling thread's CPU time in ns. No allocation, never fails (a clock that
 * cannot be read reads 0). */
#ifndef HR_UTIL_CLOCK_H
#define HR_UTIL_CLOCK_H

#include <stdint.h>

#define HR_NSEC_PER_SEC 1000000000ull

/* CLOCK_MONOTONIC (what timerfds and sd_notify's MONOTONIC_USEC use). */
uint64_t clock_mono_ns(void);
uint64_t clock_mono_usec(void);
/* CLOCK_THREAD_CPUTIME_ID: CPU the calling thread has used. */
uint64_t clock_thread_cpu_ns(void);

#endif
