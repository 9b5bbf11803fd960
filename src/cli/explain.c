/* explain.c - PLACEHOLDER until the explain command lands. */
#include "cli/cli.h"

int cmd_explain(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_err("explain", "not implemented yet");
	return HR_EXIT_FAIL;
}
