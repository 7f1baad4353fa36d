/* SPDX-License-Identifier: GPL-2.0-only */
/* python3.c: %{ }% blocks the way packetdrill runs them: one Python file
 * with each block after its snapshot's names, run with --code_command
 * (python3 by default). For blocks outside the subset of pysubset.h. */
#include "code_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "util.h"

/* packetdrill's way: one Python file, run with --code_command. */
int code_run_python3(const struct code_state *code, char **error)
{
	const struct code_block *b;
	char path[] = "/tmp/code_XXXXXX";
	int fd = mkstemp(path), status;
	char *cmd;
	FILE *f;

	if (fd < 0) {
		return fail(error, "error making temp output file "
			    "for code: %s", strerror(errno));
	}
	f = fdopen(fd, "w");
	if (!f)
		abort();
	fprintf(f, "import sys\nimport traceback\n"
		"def excepthook(etype, value, tb):\n"
		"  sys.stderr.write(\"%%s:%%d: error in Python code\\n\" %% "
		"(_file, _line))\n"
		"  traceback.print_exception(etype, value, tb)\n\n"
		"sys.excepthook = excepthook\n\n");
	for (b = code->head; b; b = b->next) {
		tcp_snapshot_write_python(f, &b->snap);
		fprintf(f, "\n_file = '%s'\n_line = %d\n%s\n\n",
			code->config->script_path, b->line, b->text);
	}
	fclose(f);
	cmd = strdup_printf("%s %s", code->config->code_command_line ?
			    code->config->code_command_line : "python3",
			    path);
	fflush(stdout);
	status = system(cmd);
	free(cmd);
	unlink(path);
	if (status == -1) {
		return fail(error, "%s: error executing code: error "
			    "running '%s' with system(3): %s",
			    code->config->script_path,
			    code->config->code_command_line,
			    strerror(errno));
	}
	if (WIFSIGNALED(status) || WEXITSTATUS(status) != 0) {
		return fail(error, "%s: error executing code: '%s' "
			    "returned non-zero status %d",
			    code->config->script_path,
			    code->config->code_command_line ?
			    code->config->code_command_line :
			    "python3",
			    WIFSIGNALED(status) ?
			    128 + WTERMSIG(status) :
			    WEXITSTATUS(status));
	}
	return 0;
}
