// SPDX-License-Identifier: GPL-2.0
#include "compare/csv.h"
#include "util/csv.h"

void compare_csv_header(FILE *f)
{
	csv_header(f, "scenario,metric,unit,kernel_a,emulated_a,value_a,"
		   "kernel_b,emulated_b,value_b,diff_pct,ci_lo_pct,ci_hi_pct,"
		   "p_value,test,significant,note,results_a,results_b");
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
	csv_f64(&c, r->value_a);
	csv_str(&c, r->kernel_b);
	csv_str(&c, r->emulated_b ? "yes" : "no");
	csv_f64(&c, r->value_b);
	csv_f64(&c, r->diff_pct);
	csv_f64(&c, r->ci_lo_pct);
	csv_f64(&c, r->ci_hi_pct);
	csv_f64(&c, r->p_value);
	csv_str(&c, r->test);
	csv_str(&c, r->significant);
	csv_str(&c, r->note);
	csv_str(&c, r->results_a);
	csv_str(&c, r->results_b);
	csv_end(&c);
}
