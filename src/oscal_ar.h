/* oscal_ar: report writers oscal-ar-xml and oscal-ar-json: an evaluation (with the review decisions of a
 * recorded run) as an OSCAL assessment-results document. Mapping rules: docs/oscal.md §2. */
#ifndef SHINSA_OSCAL_AR_H
#define SHINSA_OSCAL_AR_H

#include "report.h"

int sh_render_oscal_ar_xml(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);
int sh_render_oscal_ar_json(const sh_report_ctx *ctx, sh_buf *out, sh_diags *d);

#endif
