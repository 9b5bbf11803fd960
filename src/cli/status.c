/* status.c - PLACEHOLDER until the status command lands. */
#include "cli/cli.h"

int cmd_status(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_err("status", "not implemented yet");
	return HR_EXIT_FAIL;
}
