/* Presenting md members: mdadm-style text, ARRAY lines and JSON. */
#ifndef WB_MD_REPORT_H
#define WB_MD_REPORT_H

#include "lib/json.h"
#include "md/super.h"

#include <stdio.h>

/* The fields an admin reads in `mdadm --examine`, in its layout. */
void md_report_examine(FILE *out, const struct md_member *m, const char *homehost);
/* An mdadm.conf ARRAY line as `mdadm --examine --scan` prints it. */
void md_report_array_line(FILE *out, const struct md_member *m, unsigned spares);
/* One member as a JSON object (problem may be NULL). */
void md_report_json(struct json *j, const char *path, const struct md_member *m,
		    const char *problem);
/* "Active device 2", "spare", "faulty", "journal". */
const char *md_role_text(uint16_t role, char *buf, unsigned len);

#endif
