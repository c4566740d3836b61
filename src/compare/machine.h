/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hardware the runs of a scenario ran on, from their meta
 * (machine_cpu_model, machine_cores, machine_mem_bytes; bench/machine.h).
 * Runs merged from several machines are pooled into one arm only when
 * their hardware is the same: else the spread between runs is the
 * machines', and a difference between arms may be too.
 */
#ifndef DIOSCOPE_COMPARE_MACHINE_H
#define DIOSCOPE_COMPARE_MACHINE_H

#include <stddef.h>
#include "run/results_dir.h"

/*
 * The hardware of the runs into hw ("" when no meta says it): 0, or
 * -EINVAL with why naming two runs whose hardware differs. Runs whose
 * meta does not say are not held against the others.
 */
int machine_of_runs(const struct run_list *runs, char *hw, size_t hlen,
		    char *why, size_t len);
/* How many different hosts (machine_host_id) the runs ran on. */
int machine_hosts(const struct run_list *runs);

#endif
