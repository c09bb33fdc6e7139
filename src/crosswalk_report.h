/* crosswalk_report: rendering of a computed crosswalk for people and programs (text, JSON,
 * Markdown, HTML by the escape-by-construction writer of report_html.h, CSV), with published figures beside
 * computed ones. */
#ifndef SHINSA_CROSSWALK_REPORT_H
#define SHINSA_CROSSWALK_REPORT_H

#include "crosswalk.h"

typedef enum {
  SH_XWF_TEXT, SH_XWF_JSON, SH_XWF_MD, SH_XWF_HTML, SH_XWF_CSV,
  SH_XWF_OSCAL_XML, SH_XWF_OSCAL_JSON /* OSCAL 1.2 mapping-collection (oscal_mapping.h) */
} sh_xw_format;

bool sh_xw_format_parse(const char *s, sh_xw_format *out); /* text | json | md | html | csv */
/* The format names in sh_xw_format order, NULL-terminated (the CLI's --format choices). */
extern const char *const sh_xw_format_names[];

/* One sentence saying why the item got its class, in lang ("ja" or "en"). Caller frees. */
char *sh_xw_reason(const sh_crosswalk *xw, const sh_xw_result *r, const char *lang);

/* Renders xw in fmt and lang ("ja" or "en"; NULL = en). Returns the document; caller frees. */
char *sh_crosswalk_render(const sh_crosswalk *xw, sh_xw_format fmt, const char *lang);

#endif
