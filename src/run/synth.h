/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A synthetic run directory, for measuring `dioscope report` itself on
 * runs far larger than a test can record: N direct writes by four fio
 * jobs into fallocated files, each with the events the tracepoint tier
 * gives (submission, iomap_begin, the PRE_IO split, the conversion in a
 * worker, completion), fio's per-job logs, fio.json and meta. The numbers
 * are made up and deterministic; the volume and shape are real.
 */
#ifndef DIOSCOPE_REPORT_SYNTH_H
#define DIOSCOPE_REPORT_SYNTH_H

/* 0, or -errno with a message on stderr. */
int synth_run(const char *dir, unsigned long long ios);

#endif
