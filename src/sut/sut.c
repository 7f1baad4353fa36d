/* SPDX-License-Identifier: GPL-2.0-only */
/* sut.c: pick the back end a run's configuration asks for (--stack). */
#include "sut.h"

#include <stdlib.h>

#include "compare.h"
#include "sut_kernel.h"

struct sut *sut_new(const struct config *config, char **error)
{
	*error = NULL;
	switch (config->stack) {
	case STACK_KERNEL:
		return sut_kernel_new(config, error);
	case STACK_COMPARE:
		return compare_sut_new(config, error);
	case STACK_EMBEDDED:
		break;
	}
	return sut_embedded_new(config, error);
}
