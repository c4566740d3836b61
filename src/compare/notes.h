/* SPDX-License-Identifier: GPL-2.0 */
/* Why a row of compare lacks a difference, an interval or a verdict. */
#ifndef DIOSCOPE_COMPARE_NOTES_H
#define DIOSCOPE_COMPARE_NOTES_H

enum compare_note {
	COMPARE_NOTE_NONE,
	/* a merge metric where a tier sees no merges */
	COMPARE_NOTE_NOT_OBSERVED,
	/* a kernel's runs have no ios.csv to resample */
	COMPARE_NOTE_NO_SAMPLES,
	COMPARE_NOTE_ZERO_IN_A,
	COMPARE_NOTE_ZERO_IN_BOTH,
	/* a metric with one value per run, and a single run */
	COMPARE_NOTE_RUN_VALUE_SINGLE_RUN,
	COMPARE_NOTE_ZERO_IN_RESAMPLES,
	/* an interval all the same, of the IOs of that run */
	COMPARE_NOTE_SINGLE_RUN,
	/* 0 in every run of one arm, above 0 in every run of the other */
	COMPARE_NOTE_KIND,
	/* a value not measured (time off the CPU) in A or B */
	COMPARE_NOTE_UNMEASURED,
	/* instructions times a calibration's factor (--calibration) */
	COMPARE_NOTE_ESTIMATED,
};

/* What compare.csv's note column says; "" for COMPARE_NOTE_NONE. */
const char *compare_note_text(enum compare_note note);

#endif
