/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers over json-c for dioscope's JSON outputs: numbers that are
 * not known become null (never 0, never NaN, which JSON has not), whole
 * documents are written aside and renamed, and NDJSON lines are flushed
 * one by one so that a reader of a pipe sees each event as it happens.
 */
#ifndef DIOSCOPE_JSON_H
#define DIOSCOPE_JSON_H

#include <stdio.h>
#include <json-c/json.h>

/* A number, or null when v is NaN or infinite. */
struct json_object *json_num(double v);
struct json_object *json_u64(unsigned long long v);
/* A string, or null for NULL. */
struct json_object *json_str(const char *s);
/* obj[key] = val; val may be NULL (null). */
void json_put(struct json_object *obj, const char *key, struct json_object *val);
/*
 * One document to path, pretty, written aside and renamed (util/atomic_file.h
 * names the aside file); 0 or -errno.
 */
int json_write_file(struct json_object *doc, const char *path);
/* One object on one line of f, flushed; 0 or -errno. */
int json_write_line(struct json_object *obj, FILE *f);
/*
 * "dir/summary.csv" -> "dir/summary.json" (any final extension): 0, or
 * -ENAMETOOLONG when it does not fit in len.
 */
int json_path_beside(const char *path, char *out, size_t len);

#endif
