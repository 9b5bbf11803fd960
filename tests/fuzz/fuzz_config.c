/* fuzz_config.c - headroom.conf parsing over arbitrary bytes (the same
 * config_parse() the unit tests and `headroom run` call): no crash, every
 * error has a message, every diagnostic is counted. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "daemon/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hr_config c;
	struct hr_config_err e;

	if (config_parse((const char *)data, size, &c, &e) == 0) {
		/* A config that parsed is usable: matching and marks work. */
		config_match(&c, "/a/b");
		for (size_t i = 0; i < c.npolicy; i++) {
			mark_bytes(&c.policy[i].high, 268435456);
			mark_bytes(&c.policy[i].low, UINT64_MAX);
		}
	} else if (strlen(e.msg) == 0 || e.nerrors == 0) {
		__builtin_trap();	/* every error says what is wrong */
	}
	/* Every diagnostic has a message; counts cover what is kept. */
	if (e.ndiag > HR_CONFIG_DIAG_MAX || e.ndiag > (size_t)e.nerrors + e.nwarnings)
		__builtin_trap();
	for (size_t i = 0; i < e.ndiag; i++) {
		char line[512];
		if (!e.diag[i].msg[0])
			__builtin_trap();
		config_diag_format(&e.diag[i], "f", line, sizeof(line));
	}
	return 0;
}
