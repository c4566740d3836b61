// SPDX-License-Identifier: GPL-2.0
#include "compare/csv.h"
#include "util/csv.h"

void compare_csv_header(FILE *f)
{
	csv_header(f, "scenario,metric,unit,kernel_a,emulated_a,clock_a,value_a,"
		   "kernel_b,emulated_b,clock_b,value_b,diff_pct,ci_lo_pct,ci_hi_pct,"
		   "diff_abs,ci_lo_abs,ci_hi_abs,"
		   "runs_a,runs_b,run_spread_a_pct,run_spread_b_pct,noise_pct,"
		   "test_runs,kind_limit,t_runs,df_runs,p_runs,p_runs_holm,significant,"
		   "p_ios,test_ios,note,results_a,results_b");
}

void compare_csv_write(FILE *f, const struct compare_row *r)
{
	struct csv_row c;

	csv_begin(&c, f);
	csv_str(&c, r->scenario);
	csv_str(&c, r->metric);
	csv_str(&c, r->unit);
	csv_str(&c, r->kernel_a);
	csv_str(&c, r->emulated_a ? "yes" : "no");
	csv_str(&c, r->icount_a ? "icount" : "wall");
	csv_f64(&c, r->value_a);
	csv_str(&c, r->kernel_b);
	csv_str(&c, r->emulated_b ? "yes" : "no");
	csv_str(&c, r->icount_b ? "icount" : "wall");
	csv_f64(&c, r->value_b);
	csv_f64(&c, r->diff_pct);
	csv_f64(&c, r->ci_lo_pct);
	csv_f64(&c, r->ci_hi_pct);
	csv_f64(&c, r->diff_abs);
	csv_f64(&c, r->ci_lo_abs);
	csv_f64(&c, r->ci_hi_abs);
	csv_u64(&c, r->dec.a.n);
	csv_u64(&c, r->dec.b.n);
	csv_f64(&c, r->dec.a.spread_pct);
	csv_f64(&c, r->dec.b.spread_pct);
	csv_f64(&c, r->dec.noise_pct);
	csv_str(&c, run_test_name(r->dec.test));
	csv_f64(&c, r->dec.limit);
	csv_f64(&c, r->dec.t);
	csv_f64(&c, r->dec.df);
	csv_f64(&c, r->dec.p);
	csv_f64(&c, r->dec.p_holm);
	csv_str(&c, verdict_name(r->dec.v));
	csv_f64(&c, r->p_ios);
	csv_str(&c, r->test);
	csv_str(&c, compare_note_text(r->note));
	csv_str(&c, r->results_a);
	csv_str(&c, r->results_b);
	csv_end(&c);
}
