/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands of dioscope; each lives in its own cmd/<name>.c. */
#ifndef DIOSCOPE_COMMANDS_H
#define DIOSCOPE_COMMANDS_H

int cmd_probe(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_top(int argc, char **argv);

#endif
