/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A run as a trace in the Chrome trace-event JSON format, which
 * ui.perfetto.dev and chrome://tracing open. One track per task (each
 * fio job, each kernel worker) holding every traced call as a slice
 * where it ran; a slice per IO from submission to completion on the
 * track of the task that submitted it, with the calls charged to it
 * nested in it (on the task's own track for synchronous IO; as nested
 * async slices of the IO for async and writeback IO, whose windows
 * overlap on their task); an
 * instant per split and merge with its inode and logical block; a flow
 * arrow from each churn pair's merge to the split that redid it.
 *
 * It is fed during the one pass over a run that also writes ios.csv, by
 * the same correlator, so its IOs and churn pairs are those of ios.csv.
 * Everything is held until perfetto_close(), which orders the events by
 * time per track and writes them: memory follows the events of the run.
 */
#ifndef DIOSCOPE_PERFETTO_H
#define DIOSCOPE_PERFETTO_H

#include <stdbool.h>
#include "analysis/correlator.h"

#define PERFETTO_FORMAT "dioscope-perfetto"
#define PERFETTO_VERSION 1
/* what bench writes per run */
#define PERFETTO_RUN_FILE "trace.perfetto.json"

struct perfetto;

/* NULL with errno set. label is written as the trace's title. */
struct perfetto *perfetto_open(const char *path, const char *label);
/* To be set as the correlator's observer. */
const struct corr_observer *perfetto_observer(struct perfetto *pf);
/* Every event, before the correlator sees it (task names, time zero). */
int perfetto_event(struct perfetto *pf, const struct ds_event *e);
/* Every IO the correlator emits. */
int perfetto_io(struct perfetto *pf, const struct corr_io *io);
/*
 * Write the file (through path.tmp) when keep, and free everything.
 * 0 or -errno; an error met while collecting is returned here.
 */
int perfetto_close(struct perfetto *pf, bool keep);

#endif
