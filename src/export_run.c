// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <stdio.h>
#include "export.h"
#include "summary.h"

int export_run(struct run_analysis *ra)
{
	char path[4200];
	struct summary s;
	int err;

	snprintf(path, sizeof(path), "%s/ios.csv", ra->dir);
	err = export_ios(ra, path);
	snprintf(path, sizeof(path), "%s/events.csv", ra->dir);
	err = err ? err : export_events(ra, path);
	snprintf(path, sizeof(path), "%s/summary.csv", ra->dir);
	err = err ? err : summary_of_runs(ra, 1, &s);
	err = err ? err : summary_write_csv(&s, 1, path);
	/* a summary over runs needs the IOs, not the raw events */
	free(ra->ev);
	ra->ev = NULL;
	return err;
}
