/* run.c - PLACEHOLDER until the run command lands. */
#include "cli/cli.h"

int cmd_run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_err("run", "not implemented yet");
	return HR_EXIT_FAIL;
}
