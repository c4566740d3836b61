// SPDX-License-Identifier: GPL-2.0
/*
 * Reads what the running kernel offers: /proc/kallsyms for symbols (and
 * their compiler clones), the kernel BTF for fentry targets, the kprobe
 * PMU, tracefs for tracepoints, the preemption model (trace/preempt.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "util/fnv.h"
#include "util/macros.h"
#include "trace/kernel_facts.h"

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

const char *tracefs_path(void)
{
	static const char *const paths[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char probe[96];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		snprintf(probe, sizeof(probe), "%s/events", paths[i]);
		if (exists(probe))
			return paths[i];
	}
	/* tracefs is often not mounted; libbpf needs it for tracepoints */
	if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) == 0 &&
	    exists("/sys/kernel/tracing/events"))
		return "/sys/kernel/tracing";
	return NULL;
}

/*
 * "name" itself, or a clone "name.isra.0", "name.constprop.0", ... which
 * the compiler makes of static functions. Clones are recorded only when
 * the plain name is absent.
 */
static void match_symbol(struct target_facts *tf, const char *want,
			 const char *sym)
{
	size_t n = strlen(want);

	if (strncmp(sym, want, n))
		return;
	if (sym[n] == '\0') {
		tf->sym = SYM_PRESENT;
		snprintf(tf->sym_name, sizeof(tf->sym_name), "%s", sym);
	} else if (sym[n] == '.' && tf->sym == SYM_ABSENT &&
		   strncmp(sym + n, ".cold", 5)) {
		tf->sym = SYM_RENAMED;
		snprintf(tf->sym_name, sizeof(tf->sym_name), "%s", sym);
	}
}

static int read_kallsyms(struct kernel_facts *kf)
{
	char line[512], sym[128], type;
	unsigned long long addr;
	FILE *f = fopen("/proc/kallsyms", "r");
	int i;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %127s", &addr, &type, sym) != 3)
			continue;
		/* module symbols carry "[mod]" after the name; ext4 may be one */
		if (type != 't' && type != 'T')
			continue;
		for (i = 0; i < DS_T_MAX; i++)
			match_symbol(&kf->t[i], ds_targets[i].symbol, sym);
	}
	fclose(f);
	return 0;
}

/* Pointers (also through typedefs and qualifiers) or integers. */
static enum ds_ret ret_kind(const struct btf *btf, __u32 type_id)
{
	const struct btf_type *t;

	if (!type_id)
		return DS_RET_INT;	/* void */
	t = btf__type_by_id(btf, type_id);
	while (t && (btf_is_typedef(t) || btf_is_mod(t)))
		t = btf__type_by_id(btf, t->type);
	if (t && btf_is_ptr(t))
		return DS_RET_PTR;
	return DS_RET_INT;
}

static void read_sig(const struct btf *btf, int func_id, struct func_sig *sig)
{
	const struct btf_type *fn = btf__type_by_id(btf, func_id);
	const struct btf_type *proto;
	const struct btf_param *p;
	int i;

	proto = fn ? btf__type_by_id(btf, fn->type) : NULL;
	if (!proto || !btf_is_func_proto(proto))
		return;
	sig->known = true;
	sig->nargs = btf_vlen(proto);
	sig->ret = ret_kind(btf, proto->type);
	p = btf_params(proto);
	for (i = 0; i < sig->nargs && i < DS_MAX_ARGS; i++)
		snprintf(sig->args[i], sizeof(sig->args[i]), "%s",
			 btf__name_by_offset(btf, p[i].name_off) ?: "");
}

static void read_btf(struct kernel_facts *kf)
{
	struct btf *btf;
	int i, id;

	kf->has_btf = exists("/sys/kernel/btf/vmlinux");
	btf = kf->has_btf ? btf__load_vmlinux_btf() : NULL;
	if (!btf)
		kf->has_btf = false;
	/* without kernel BTF, --btf still says how the functions look */
	if (!btf && kf->custom_btf)
		btf = btf__parse(kf->custom_btf, NULL);
	if (!btf)
		return;
	for (i = 0; i < DS_T_MAX; i++) {
		id = btf__find_by_name_kind(btf, ds_targets[i].symbol,
					    BTF_KIND_FUNC);
		kf->t[i].in_btf = id > 0;
		if (id > 0)
			read_sig(btf, id, &kf->t[i].sig);
	}
	btf__free(btf);
}

static void read_tracepoints(struct kernel_facts *kf)
{
	const char *tfs = tracefs_path();
	char path[256];
	int i, a, k;

	kf->tracefs = tfs != NULL;
	if (!tfs)
		return;
	snprintf(kf->tracefs_path, sizeof(kf->tracefs_path), "%s", tfs);
	for (i = 0; i < DS_T_MAX; i++) {
		const struct target_def *def = &ds_targets[i];

		for (a = 0; a < DS_MAX_TP_ALTS && def->tp[a].progs[0]; a++) {
			bool all = true;

			for (k = 0; k < DS_MAX_PROGS && def->tp[a].tps[k]; k++) {
				snprintf(path, sizeof(path), "%s/events/%s", tfs,
					 def->tp[a].tps[k]);
				all = all && exists(path);
			}
			kf->t[i].tp_present[a] = all;
		}
	}
}

int kernel_facts_gather(struct kernel_facts *kf, const char *custom_btf)
{
	struct utsname u;
	int err;

	memset(kf, 0, sizeof(*kf));
	if (uname(&u) == 0)
		snprintf(kf->release, sizeof(kf->release), "%s", u.release);
	kf->custom_btf = custom_btf;
	err = read_kallsyms(kf);
	if (err)
		return err;
	read_btf(kf);
	kf->kprobes = exists("/sys/bus/event_source/devices/kprobe/type") ||
		      exists("/sys/kernel/tracing/kprobe_events") ||
		      exists("/sys/kernel/debug/tracing/kprobe_events");
	read_tracepoints(kf);
	preempt_read(kf->release, &kf->preempt);
	return 0;
}

const char *dio_path_name(const struct kernel_facts *kf)
{
	if (kf->t[DS_T_LEGACY_DIO].sym != SYM_ABSENT)
		return "legacy (buffer_head, before 5.5)";
	if (kf->t[DS_T_END_IO].sym != SYM_ABSENT ||
	    kf->t[DS_T_DIO_RW].sym != SYM_ABSENT)
		return "iomap (5.5+)";
	return "unknown";
}

int kernel_config_digest(const char *release, char *out, size_t len)
{
	uint64_t h = FNV1A64_BASIS;
	char path[256], buf[8192];
	gzFile gz;
	int n;

	gz = gzopen("/proc/config.gz", "rb");
	if (!gz) {
		snprintf(path, sizeof(path), "/boot/config-%s", release);
		gz = gzopen(path, "rb");	/* reads plain files too */
	}
	if (!gz) {
		snprintf(out, len, "-");
		return -ENOENT;
	}
	while ((n = gzread(gz, buf, sizeof(buf))) > 0)
		h = fnv1a64(h, buf, n);
	gzclose(gz);
	snprintf(out, len, "fnv1a64:%016llx", (unsigned long long)h);
	return 0;
}
