// SPDX-License-Identifier: GPL-2.0
#include "compare/notes.h"

const char *compare_note_text(enum compare_note note)
{
	switch (note) {
	case COMPARE_NOTE_NONE:
		return "";
	case COMPARE_NOTE_NOT_OBSERVED:
		return "not observed: the tier sees no merges or splits";
	case COMPARE_NOTE_NO_SAMPLES:
		return "no per-IO data: no interval or test";
	case COMPARE_NOTE_ZERO_IN_A:
		return "zero in A: no relative difference";
	case COMPARE_NOTE_ZERO_IN_BOTH:
		return "zero in both";
	case COMPARE_NOTE_RUN_VALUE_SINGLE_RUN:
		return "a value per run and a single run: no interval";
	case COMPARE_NOTE_ZERO_IN_RESAMPLES:
		return "zero in A in some resamples: no interval";
	case COMPARE_NOTE_SINGLE_RUN:
		return "a single run: the interval holds IO-to-IO variation only";
	case COMPARE_NOTE_UNMEASURED:
		return "not measured in A or B (recorded without time off the CPU)";
	case COMPARE_NOTE_KIND:
		return "of kind: 0 in every run of one arm, tested against what 3 IOs would show";
	case COMPARE_NOTE_ESTIMATED:
		return "an estimate: instructions times the calibration's factor, its interval carried";
	}
	return "";
}
