/* SPDX-License-Identifier: GPL-2.0 */
/* The small macros every C project writes once. */
#ifndef DIOSCOPE_MACROS_H
#define DIOSCOPE_MACROS_H

/* Elements of an array (not of a pointer: that does not compile). */
#define ARRAY_SIZE(a) \
	(sizeof(a) / sizeof((a)[0]) + \
	 0 * sizeof(char[__builtin_types_compatible_p(typeof(a), \
						      typeof(&(a)[0])) ? -1 : 1]))

/* A macro's value as a string literal: XSTR(MAX) is "16", STR(MAX) "MAX". */
#define STR(x) #x
#define XSTR(x) STR(x)

#endif
