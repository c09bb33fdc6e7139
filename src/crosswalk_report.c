/* crosswalk_report: text, JSON, Markdown, HTML and CSV renderings of a crosswalk. The HTML is built by the
 * reports' escape-by-construction writer (report_html.h): tables, the totals chart, the print stylesheet. As every
 * report: Markdown escaping and the CSV formula guard of report_cells.h, every text in the report language from the
 * message catalog (default ja: sh_report_lang in the command), text columns aligned by display width
 * (texttable.h); the JSON keeps the identifiers (classes, covered / gap / undecided). */
#include "crosswalk_report.h"
#include "report_cells.h"
#include "report_html.h"
#include "texttable.h"

#include "oscal_mapping.h"
#include "json.h"

#include <stdlib.h>
#include <string.h>

const char *const sh_xw_format_names[] = {"text", "json", "md", "html", "csv", "oscal-mapping-xml", "oscal-mapping-json",
                                           NULL};

bool sh_xw_format_parse(const char *s, sh_xw_format *out) {
  for (int i = 0; sh_xw_format_names[i]; i++)
    if (sh_streq(s, sh_xw_format_names[i])) {
      *out = (sh_xw_format)i;
      return true;
    }
  return false;
}

/* Every text in lang from the message catalog (sh_tr: Japanese unless lang is "en", NULL = ja, as every report). */

static const char *text_in(const sh_text *t, const char *lang) { return sh_text_pick(t, lang); }

static void put_ids(sh_buf *b, const sh_vec *items) {
  for (size_t i = 0; i < items->n; i++) sh_buf_printf(b, "%s%s", i ? ", " : "", ((const sh_item *)items->v[i])->id);
}

static char *ids(const sh_vec *items) {
  sh_buf b = {0};
  put_ids(&b, items);
  return sh_buf_steal(&b);
}

char *sh_xw_reason(const sh_crosswalk *xw, const sh_xw_result *r, const char *lang) {
  sh_buf b = {0};
  char *w = ids(&r->witnesses);
  const char *S = xw->from->id;
  if (r->from_curated) {
    const sh_xw_relation *c = r->curated;
    sh_buf_printf(&b, sh_tr(lang, "curated relation (%s, rationale %s, %s:%d)"),
                  c->relation, c->rationale ? c->rationale : "-", c->file, c->line);
    const char *note = text_in(&c->note, lang);
    if (*note) sh_buf_printf(&b, ": %s", note);
    if (!r->item->require) sh_buf_puts(&b, sh_tr(lang, " (manual item)"));
  } else {
    switch (r->cls) {
    case SH_XW_A:
      sh_buf_printf(&b, sh_tr(lang, "%s %s imply this item and it does not imply them back (%s is stricter)"),
                    S, w, S);
      if (r->counter_model) sh_buf_printf(&b, sh_tr(lang, "; e.g. %s"), r->counter_model);
      break;
    case SH_XW_B: sh_buf_printf(&b, sh_tr(lang, "equivalent to %s %s (mutual implication)"), S, w); break;
    case SH_XW_C: {
      char *o = ids(&r->overlap);
      sh_buf_printf(&b, sh_tr(lang, "%s %s speak of the same facts, but this item demands more"),
                    S, o);
      free(o);
      if (r->unmet.n) {
        sh_buf_puts(&b, sh_tr(lang, "; unmet: "));
        for (size_t i = 0; i < r->unmet.n; i++) {
          const sh_clause *c = r->unmet.v[i];
          sh_buf_printf(&b, "%s%s%s", i ? "; " : "", c->clause, c->answer == SH_LOGIC_UNKNOWN ? " (?)" : "");
        }
      }
      if (r->weaker.n) {
        char *wk = ids(&r->weaker);
        sh_buf_printf(&b, sh_tr(lang, "; %s would imply it but are weaker (should/effort)"), wk);
        free(wk);
      }
      break;
    }
    case SH_XW_D: {
      sh_vec fs = {0};
      if (r->item->require) sh_expr_facts(r->item->require, &fs);
      sh_buf f = {0};
      for (size_t i = 0; i < fs.n; i++) sh_buf_printf(&f, "%s%s", i ? ", " : "", ((const sh_fact *)fs.v[i])->id);
      sh_buf_printf(&b, sh_tr(lang, "no item of %s speaks of its facts (%s)"), S, sh_buf_str(&f));
      sh_buf_free(&f);
      sh_vec_free(&fs);
      break;
    }
    default:
      sh_buf_printf(&b, sh_tr(lang, "undecided: %s"), r->why_unknown ? sh_tr(lang, r->why_unknown) : "?"); /* N_ in crosswalk.c */
      break;
    }
  }
  if (!r->from_curated && !r->conflict && r->curated && *text_in(&r->curated->note, lang))
    sh_buf_printf(&b, sh_tr(lang, "; the curated relation (%s:%d) agrees: %s"), r->curated->file,
                  r->curated->line, text_in(&r->curated->note, lang));
  if (r->conflict)
    sh_buf_printf(&b, sh_tr(lang, "; the derived class %s contradicts the curated relation %s at %s:%d:%d"),
                  sh_xw_class_name(r->derived_cls), r->curated->relation, r->curated->file, r->curated->rel_line,
                  r->curated->rel_col);
  free(w);
  return sh_buf_steal(&b);
}

static size_t ncovered(const sh_crosswalk *xw) { return xw->totals[SH_XW_A] + xw->totals[SH_XW_B]; }

static const sh_xw_published *published(const sh_crosswalk *xw) {
  return xw->curated && xw->curated->published.present ? &xw->curated->published : NULL;
}

/* Where the published figures come from, for people: 「title」 lines L, the file name in brackets (text and md; the
 * HTML writes the same parts with the file name in a note). NULL when the curated file names no document. */
static char *published_source(const sh_xw_published *p, const char *lang) {
  if (!p->document) return NULL;
  sh_buf b = {0};
  if (p->document_title) sh_buf_printf(&b, "「%s」", p->document_title);
  else sh_buf_puts(&b, p->document);
  if (p->lines) sh_buf_printf(&b, " %s %s", sh_tr(lang, "lines"), p->lines);
  if (p->document_title) sh_buf_printf(&b, " (%s%s)", sh_tr(lang, "file: "), p->document);
  return sh_buf_steal(&b);
}

/* Relations of the loaded curated table by class (A, B, C, D). */
static void table_totals(const sh_crosswalk *xw, size_t t[4]) {
  t[0] = t[1] = t[2] = t[3] = 0;
  for (size_t i = 0; xw->curated && i < xw->curated->relations.n; i++) {
    const sh_xw_relation *r = xw->curated->relations.v[i];
    if (r->cls >= SH_XW_A && r->cls <= SH_XW_D) t[r->cls - SH_XW_A]++;
  }
}

static bool remaining(const sh_xw_result *r) { return r->cls != SH_XW_A && r->cls != SH_XW_B; }

/* A direction without a curated file has no published comparison behind it (e.g. phr-2023 -> infobank-v3): the
 * report is a gap list (covered / gap / undecided, from the vocabulary alone), not an A/B/C/D classification. */
static bool gap_list(const sh_crosswalk *xw) { return xw->curated == NULL; }

static const char *cls_label(const sh_crosswalk *xw, const sh_xw_result *r) {
  if (!gap_list(xw)) return sh_xw_class_name(r->cls);
  return r->cls == SH_XW_UNKNOWN ? N_("undecided") : remaining(r) ? N_("gap") : N_("covered");
}

/* A class in the report language: A-D as they are, the gap list's covered / gap / undecided translated. */
static const char *cls_word(const sh_crosswalk *xw, const sh_xw_result *r, const char *lang) {
  if (r->cls == SH_XW_UNKNOWN) return sh_tr(lang, "undecided");
  return gap_list(xw) ? sh_tr(lang, cls_label(xw, r)) : sh_xw_class_name(r->cls);
}

static void gap_totals(const sh_crosswalk *xw, size_t *cov, size_t *gap, size_t *und) {
  *cov = ncovered(xw);
  *und = xw->totals[SH_XW_UNKNOWN];
  *gap = xw->results.n - *cov - *und;
}

/* ---------- text ---------- */

static void text_item_rest(sh_buf *b, const sh_crosswalk *xw, const sh_xw_result *r, const char *lang);

static void render_text(sh_buf *b, const sh_crosswalk *xw, const char *lang) {
  size_t n = xw->results.n;
  if (gap_list(xw)) {
    size_t cov, gap, und;
    gap_totals(xw, &cov, &gap, &und);
    sh_buf_printf(b, sh_tr(lang, "Gap list: %s (source) -> %s (target)\n"), xw->from->id,
                  xw->to->id);
    sh_buf_puts(b, sh_tr(lang, "No published comparison exists for this direction: derived from the vocabulary only, not an A/B/C/D " "classification.\n"));
    sh_buf_printf(b, sh_tr(lang, "  %zu items: covered %zu  gap %zu  undecided %zu\n"), n,
                  cov, gap, und);
  } else {
    sh_buf_printf(b, sh_tr(lang, "Crosswalk: %s (source) -> %s (target)\n"), xw->from->id,
                  xw->to->id);
    sh_buf_printf(b, sh_tr(lang, "Computed for the installed frameworks: %zu items\n"), n);
    sh_buf_printf(b, sh_tr(lang, "  A %zu  B %zu  C %zu  D %zu  unknown %zu\n"), xw->totals[SH_XW_A], xw->totals[SH_XW_B],
                  xw->totals[SH_XW_C], xw->totals[SH_XW_D], xw->totals[SH_XW_UNKNOWN]);
    sh_buf_printf(b, sh_tr(lang, "  covered (A+B): %zu of %zu (%.1f%%)\n"),
                  ncovered(xw), n, sh_crosswalk_coverage(xw));
  }
  const sh_xw_published *p = published(xw);
  if (p) {
    sh_buf_printf(b, sh_tr(lang, "Published figures (not computed): %s\n"), text_in(&p->label, lang));
    sh_buf_printf(b, "  A %zu  B %zu  C %zu  D %zu\n", p->counts[0], p->counts[1], p->counts[2], p->counts[3]);
    sh_buf_printf(b, sh_tr(lang, "  covered (A+B): %zu of %zu (%.1f%%)"), p->covered,
                  p->total, p->total ? 100.0 * (double)p->covered / (double)p->total : 0.0);
    char *src = published_source(p, lang);
    if (src) sh_buf_printf(b, " [%s]", src);
    free(src);
    sh_buf_putc(b, '\n');
  }
  if (xw->curated && xw->curated->relations.n) {
    size_t t[4];
    table_totals(xw, t);
    sh_buf_printf(b, sh_tr(lang, "Loaded mapping table (%s): %zu relations\n"), xw->curated->file,
                  xw->curated->relations.n);
    sh_buf_printf(b, "  A %zu  B %zu  C %zu  D %zu\n", t[0], t[1], t[2], t[3]);
    sh_buf_printf(b, sh_tr(lang, "  disagreements with the derived classes: %zu ('shinsa lint' names each)\n"),
                  xw->nconflicts);
  } else if (xw->nconflicts) {
    sh_buf_printf(b, sh_tr(lang, "Conflicts with curated relations: %zu\n"), xw->nconflicts);
  }
  sh_buf_puts(b, sh_tr(lang, "\nItems:\n"));
  /* id, class, the rest: columns aligned by display width (texttable.h: ２－１６ takes four columns) */
  char **cells = sh_calloc(3 * (n ? n : 1), sizeof *cells);
  for (size_t i = 0; i < n; i++) {
    const sh_xw_result *r = xw->results.v[i];
    cells[3 * i] = sh_printf("  %s", r->item->id);
    cells[3 * i + 1] = sh_strdup(cls_word(xw, r, lang));
    sh_buf rest = {0};
    text_item_rest(&rest, xw, r, lang);
    const char *t = sh_buf_str(&rest);
    cells[3 * i + 2] = sh_strdup(t + strspn(t, " "));
    sh_buf_free(&rest);
  }
  sh_text_table(b, (const char *const *)cells, n, 3, NULL);
  size_t nrem = 0;
  for (size_t i = 0; i < n; i++) {
    const sh_xw_result *r = xw->results.v[i];
    free(cells[3 * i + 1]), free(cells[3 * i + 2]);
    if (!remaining(r)) {
      free(cells[3 * i]);
      continue;
    }
    cells[3 * nrem] = cells[3 * i];
    cells[3 * nrem + 1] = sh_strdup(cls_word(xw, r, lang));
    cells[3 * nrem + 2] = sh_xw_reason(xw, r, lang);
    nrem++;
  }
  sh_buf_puts(b, gap_list(xw) ? sh_tr(lang, "\nTo be checked separately (gap, undecided):\n")
                              : sh_tr(lang, "\nTo be checked separately (C, D, unknown):\n"));
  sh_text_table(b, (const char *const *)cells, nrem, 3, NULL);
  for (size_t i = 0; i < 3 * nrem; i++) free(cells[i]);
  free(cells);
}

/* The third column of the text's item list: witnesses, also, curated, conflict. */
static void text_item_rest(sh_buf *b, const sh_crosswalk *xw, const sh_xw_result *r, const char *lang) {
  (void)xw;
  {
    if (r->witnesses.n) {
      sh_buf_puts(b, sh_tr(lang, " witnesses: "));
      put_ids(b, &r->witnesses);
    }
    if (r->also.n) {
      sh_buf_puts(b, sh_tr(lang, " (also alone: "));
      put_ids(b, &r->also);
      sh_buf_puts(b, sh_tr(lang, ")"));
    }
    if (r->from_curated) sh_buf_puts(b, sh_tr(lang, " [curated]"));
    if (r->conflict) sh_buf_puts(b, sh_tr(lang, " [conflict]"));
  }
}

/* ---------- JSON ---------- */

static void json_str(sh_buf *b, const char *s) { sh_json_escape(b, s ? s : ""); }

static void json_ids(sh_buf *b, const sh_vec *items) {
  sh_buf_putc(b, '[');
  for (size_t i = 0; i < items->n; i++) {
    if (i) sh_buf_putc(b, ',');
    json_str(b, ((const sh_item *)items->v[i])->id);
  }
  sh_buf_putc(b, ']');
}

static void render_json(sh_buf *b, const sh_crosswalk *xw, const char *lang) {
  size_t n = xw->results.n;
  sh_buf_puts(b, "{\"from\":");
  json_str(b, xw->from->id);
  sh_buf_puts(b, ",\"to\":");
  json_str(b, xw->to->id);
  if (gap_list(xw)) {
    size_t cov, gap, und;
    gap_totals(xw, &cov, &gap, &und);
    sh_buf_printf(b, ",\"kind\":\"gap_list\",\"totals\":{\"covered\":%zu,\"gap\":%zu,\"undecided\":%zu}", cov, gap, und);
  } else {
    sh_buf_printf(b, ",\"kind\":\"comparison\",\"totals\":{\"A\":%zu,\"B\":%zu,\"C\":%zu,\"D\":%zu,\"unknown\":%zu}",
                  xw->totals[SH_XW_A], xw->totals[SH_XW_B], xw->totals[SH_XW_C], xw->totals[SH_XW_D],
                  xw->totals[SH_XW_UNKNOWN]);
  }
  sh_buf_printf(b, ",\"total\":%zu,\"covered\":%zu,\"coverage_percent\":%.1f,\"conflicts\":%zu", n, ncovered(xw),
                sh_crosswalk_coverage(xw), xw->nconflicts);
  if (xw->curated && xw->curated->relations.n) {
    size_t t[4];
    table_totals(xw, t);
    sh_buf_puts(b, ",\"table\":{\"file\":");
    json_str(b, xw->curated->file);
    sh_buf_printf(b, ",\"relations\":%zu,\"A\":%zu,\"B\":%zu,\"C\":%zu,\"D\":%zu,\"disagreements\":%zu}",
                  xw->curated->relations.n, t[0], t[1], t[2], t[3], xw->nconflicts);
  }
  const sh_xw_published *p = published(xw);
  if (p) {
    sh_buf_printf(b, ",\"published\":{\"A\":%zu,\"B\":%zu,\"C\":%zu,\"D\":%zu,\"total\":%zu,\"covered\":%zu,"
                     "\"coverage_percent\":%.1f,\"label\":",
                  p->counts[0], p->counts[1], p->counts[2], p->counts[3], p->total, p->covered,
                  p->total ? 100.0 * (double)p->covered / (double)p->total : 0.0);
    json_str(b, text_in(&p->label, lang));
    sh_buf_puts(b, ",\"document\":");
    json_str(b, p->document);
    sh_buf_puts(b, ",\"document_title\":");
    json_str(b, p->document_title);
    sh_buf_puts(b, ",\"lines\":");
    json_str(b, p->lines);
    sh_buf_puts(b, "}");
  } else {
    sh_buf_puts(b, ",\"published\":null");
  }
  sh_buf_puts(b, ",\"items\":[");
  for (size_t i = 0; i < n; i++) {
    const sh_xw_result *r = xw->results.v[i];
    if (i) sh_buf_putc(b, ',');
    sh_buf_puts(b, "\n{\"id\":");
    json_str(b, r->item->id);
    sh_buf_puts(b, ",\"class\":");
    json_str(b, cls_label(xw, r));
    sh_buf_puts(b, ",\"witnesses\":");
    json_ids(b, &r->witnesses);
    sh_buf_puts(b, ",\"also\":");
    json_ids(b, &r->also);
    sh_buf_puts(b, ",\"overlap\":");
    json_ids(b, &r->overlap);
    sh_buf_printf(b, ",\"covered\":%s,\"derived\":%s", r->covered ? "true" : "false", r->derived ? "true" : "false");
    sh_buf_puts(b, ",\"derived_class\":");
    if (r->derived) json_str(b, sh_xw_class_name(r->derived_cls));
    else sh_buf_puts(b, "null");
    sh_buf_puts(b, ",\"unmet\":[");
    for (size_t k = 0; k < r->unmet.n; k++) {
      const sh_clause *c = r->unmet.v[k];
      if (k) sh_buf_putc(b, ',');
      sh_buf_puts(b, "{\"condition\":");
      json_str(b, c->clause);
      sh_buf_puts(b, ",\"answer\":");
      json_str(b, sh_logic_name(c->answer));
      if (c->counter_model) {
        sh_buf_puts(b, ",\"counter_model\":");
        json_str(b, c->counter_model);
      }
      sh_buf_putc(b, '}');
    }
    sh_buf_puts(b, "],\"weaker\":");
    json_ids(b, &r->weaker);
    if (r->counter_model) {
      sh_buf_puts(b, ",\"counter_model\":");
      json_str(b, r->counter_model);
    }
    if (r->curated) {
      sh_buf_puts(b, ",\"curated\":{\"relation\":");
      json_str(b, r->curated->relation);
      sh_buf_puts(b, ",\"class\":");
      json_str(b, sh_xw_class_name(r->curated->cls));
      sh_buf_puts(b, ",\"rationale\":");
      json_str(b, r->curated->rationale);
      sh_buf_puts(b, ",\"file\":");
      json_str(b, r->curated->file);
      sh_buf_printf(b, ",\"line\":%d,\"col\":%d}", r->curated->line, r->curated->col);
    }
    sh_buf_printf(b, ",\"from_curated\":%s,\"conflict\":%s,\"reason\":", r->from_curated ? "true" : "false",
                  r->conflict ? "true" : "false");
    char *why = sh_xw_reason(xw, r, lang);
    json_str(b, why);
    free(why);
    sh_buf_putc(b, '}');
  }
  sh_buf_puts(b, "],\"remaining\":[");
  bool first = true;
  for (size_t i = 0; i < n; i++) {
    const sh_xw_result *r = xw->results.v[i];
    if (!remaining(r)) continue;
    if (!first) sh_buf_putc(b, ',');
    first = false;
    json_str(b, r->item->id);
  }
  sh_buf_puts(b, "]}\n");
}

/* ---------- Markdown / HTML ---------- */

static void md_str(sh_buf *b, const char *s) { sh_md_escape(b, s); }

static void md_ids(sh_buf *b, const sh_vec *items) {
  for (size_t i = 0; i < items->n; i++) {
    if (i) sh_buf_puts(b, ", ");
    md_str(b, ((const sh_item *)items->v[i])->id);
  }
}

static void render_md(sh_buf *b, const sh_crosswalk *xw, const char *lang) {
  size_t n = xw->results.n;
  sh_buf_puts(b, gap_list(xw) ? sh_tr(lang, "# Gap list: ") : sh_tr(lang, "# Crosswalk: "));
  md_str(b, xw->from->id);
  sh_buf_puts(b, " → ");
  md_str(b, xw->to->id);
  sh_buf_puts(b, "\n\n");
  sh_buf_puts(b, sh_tr(lang, "Source: "));
  md_str(b, text_in(&xw->from->title, lang));
  sh_buf_puts(b, sh_tr(lang, "  \nTarget: "));
  md_str(b, text_in(&xw->to->title, lang));
  /* Lists, not pipe tables: CommonMark core (cmark, the terminal text's reader) has no table extension. */
  sh_buf_puts(b, sh_tr(lang, "\n\n## Totals\n\n"));
  if (gap_list(xw)) {
    size_t cov, gap, und;
    gap_totals(xw, &cov, &gap, &und);
    sh_buf_printf(b, sh_tr(lang, "- **No published comparison exists for this direction**: derived from the vocabulary only, not an A/B/C/D classification. %zu items: covered %zu, gap %zu, undecided %zu\n"),
                  n, cov, gap, und);
  } else {
    sh_buf_printf(b, sh_tr(lang, "- **Computed (installed frameworks)**: A %zu, B %zu, C %zu, D %zu, unknown %zu; A+B %zu of %zu items (%.1f%%)\n"),
                  xw->totals[SH_XW_A], xw->totals[SH_XW_B], xw->totals[SH_XW_C], xw->totals[SH_XW_D],
                  xw->totals[SH_XW_UNKNOWN], ncovered(xw), n, sh_crosswalk_coverage(xw));
  }
  const sh_xw_published *p = published(xw);
  if (p) {
    sh_buf_printf(b, sh_tr(lang, "- **Published figures (not computed)**: A %zu, B %zu, C %zu, D %zu; A+B %zu of %zu items (%.1f%%). "),
                  p->counts[0], p->counts[1], p->counts[2], p->counts[3], p->covered, p->total,
                  p->total ? 100.0 * (double)p->covered / (double)p->total : 0.0);
    md_str(b, text_in(&p->label, lang));
    char *src = published_source(p, lang);
    if (src) {
      sh_buf_puts(b, " (");
      md_str(b, src);
      sh_buf_puts(b, ")");
    }
    free(src);
    sh_buf_puts(b, "\n");
  }
  sh_buf_puts(b, sh_tr(lang, "\n## Classification of every item\n\n"));
  for (size_t i = 0; i < n; i++) {
    const sh_xw_result *r = xw->results.v[i];
    sh_buf_puts(b, "- **");
    md_str(b, r->item->id);
    sh_buf_printf(b, "**: %s", cls_word(xw, r, lang));
    if (r->witnesses.n) {
      sh_buf_puts(b, sh_tr(lang, " — witnesses: "));
      md_ids(b, &r->witnesses);
    }
    if (r->also.n) {
      sh_buf_puts(b, sh_tr(lang, " (also alone: "));
      md_ids(b, &r->also);
      sh_buf_puts(b, sh_tr(lang, ")"));
    }
    sh_buf_printf(b, " — %s%s\n", r->from_curated ? sh_tr(lang, "curated") : r->derived ? sh_tr(lang, "derived") : "–",
                  r->conflict ? sh_tr(lang, " (conflict)") : "");
  }
  sh_buf_puts(b, sh_tr(lang, "\n## To be checked separately (C, D, unknown)\n\n"));
  bool any = false;
  for (size_t i = 0; i < n; i++) {
    const sh_xw_result *r = xw->results.v[i];
    if (!remaining(r)) continue;
    any = true;
    sh_buf_puts(b, "- **");
    md_str(b, r->item->id);
    sh_buf_printf(b, "** (%s): ", cls_word(xw, r, lang));
    char *why = sh_xw_reason(xw, r, lang);
    md_str(b, why);
    free(why);
    sh_buf_puts(b, "\n");
  }
  if (!any) sh_buf_puts(b, sh_tr(lang, "none\n"));
}

/* The A/B/C/D totals as an inline SVG bar chart, computed beside published (when the pair has published
 * figures): two bars per class. Labels are escaped (the writer of report_html.h); everything else is numbers. */
static void totals_chart(sh_buf *b, const sh_crosswalk *xw, const char *lang) {
  const sh_xw_published *p = published(xw);
  size_t max = 1;
  for (int k = 0; k < 4; k++) {
    if (xw->totals[SH_XW_A + k] > max) max = xw->totals[SH_XW_A + k];
    if (p && p->counts[k] > max) max = p->counts[k];
  }
  static const char *const cls[4] = {"A", "B", "C", "D"};
  int rowh = p ? 34 : 20, labelw = 40, barw = 300, h = 4 * rowh + 30;
  sh_buf_printf(b, "<svg class=\"chart\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                   "viewBox=\"0 0 %d %d\"><title>", labelw + barw + 60, h, labelw + barw + 60, h);
  sh_h_text(b, sh_tr(lang, "A/B/C/D totals (computed and published)"));
  sh_buf_puts(b, "</title>");
  for (int k = 0; k < 4; k++) {
    int y = k * rowh + 2;
    sh_buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"13\" font-weight=\"bold\">%s</text>", 8, y + 14, cls[k]);
    size_t c = xw->totals[SH_XW_A + k];
    int w = (int)((double)c * barw / (double)max + 0.5);
    sh_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"13\" fill=\"#1f4e79\"/>"
                     "<text x=\"%d\" y=\"%d\" font-size=\"11\">%zu</text>", labelw, y + 3, w, labelw + w + 4, y + 14, c);
    if (p) {
      int pw = (int)((double)p->counts[k] * barw / (double)max + 0.5);
      sh_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"13\" fill=\"#9aa5b1\"/>"
                       "<text x=\"%d\" y=\"%d\" font-size=\"11\">%zu</text>", labelw, y + 18, pw, labelw + pw + 4, y + 29,
                    p->counts[k]);
    }
  }
  int ly = 4 * rowh + 18;
  sh_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"#1f4e79\"/><text x=\"%d\" y=\"%d\" "
                   "font-size=\"11\">", labelw, ly - 9, labelw + 14, ly);
  sh_h_text(b, sh_tr(lang, "computed"));
  sh_buf_puts(b, "</text>");
  if (p) {
    sh_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"#9aa5b1\"/><text x=\"%d\" y=\"%d\" "
                     "font-size=\"11\">", labelw + 90, ly - 9, labelw + 104, ly);
    sh_h_text(b, sh_tr(lang, "published"));
    sh_buf_puts(b, "</text>");
  }
  sh_buf_puts(b, "</svg>\n");
}

static void h_ids(sh_buf *b, const sh_vec *items) {
  char *s = ids(items);
  sh_h_text(b, s);
  free(s);
}

/* The totals as a table: per class the computed count and the published one (when there are published figures);
 * the gap list's covered / gap / undecided otherwise. */
static void totals_table(sh_buf *b, const sh_crosswalk *xw, const char *lang) {
  const sh_xw_published *p = published(xw);
  size_t n = xw->results.n;
  const char *cols[] = {sh_tr(lang, "Class"), sh_tr(lang, "Computed"), sh_tr(lang, "Published")};
  sh_h_table_head(b, "counts", cols, p ? 3 : 2);
  if (gap_list(xw)) {
    size_t c[3];
    gap_totals(xw, &c[0], &c[1], &c[2]);
    static const char *const w[] = {N_("covered"), N_("gap"), N_("undecided")};
    for (int k = 0; k < 3; k++) {
      sh_h_open(b, "tr", NULL);
      sh_h_elem(b, "td", NULL, sh_tr(lang, w[k]));
      sh_buf_printf(b, "<td class=\"n\">%zu</td></tr>\n", c[k]);
    }
  } else {
    for (int k = 0; k <= 4; k++) {
      sh_h_open(b, "tr", NULL);
      sh_h_elem(b, "td", NULL, k < 4 ? sh_xw_class_name((sh_xw_class)(SH_XW_A + k)) : sh_tr(lang, "undecided"));
      sh_buf_printf(b, "<td class=\"n\">%zu</td>", xw->totals[SH_XW_A + k]);
      if (p && k < 4) sh_buf_printf(b, "<td class=\"n\">%zu</td>", p->counts[k]);
      else if (p) sh_buf_puts(b, "<td></td>");
      sh_buf_puts(b, "</tr>\n");
    }
    sh_h_open(b, "tr", NULL);
    sh_h_elem(b, "td", NULL, sh_tr(lang, "covered (A+B)"));
    sh_buf_printf(b, "<td class=\"n\">%zu / %zu (%.1f%%)</td>", ncovered(xw), n, sh_crosswalk_coverage(xw));
    if (p)
      sh_buf_printf(b, "<td class=\"n\">%zu / %zu (%.1f%%)</td>", p->covered, p->total,
                    p->total ? 100.0 * (double)p->covered / (double)p->total : 0.0);
    sh_buf_puts(b, "</tr>\n");
  }
  sh_buf_puts(b, "</tbody></table>\n");
}

/* One self-contained page: the title and the two frameworks, the A/B/C/D totals as a chart beside the table of
 * computed and published figures (the published ones cited by label and source), then the item table and the
 * items to check separately with their reasons. Built by the escape-by-construction writer (report_html.h). */
static char *render_html(const sh_crosswalk *xw, const char *lang) {
  sh_buf b = {0};
  size_t n = xw->results.n;
  char *title = sh_printf(gap_list(xw) ? sh_tr(lang, "Gap list: %s → %s") : sh_tr(lang, "Crosswalk: %s → %s"),
                          xw->from->id, xw->to->id);
  char *hdr = sh_printf("%s %s → %s %s", xw->from->id, xw->from->version, xw->to->id, xw->to->version);
  sh_html_page_begin(&b, lang, title, NULL, hdr);
  sh_h_elem(&b, "h1", NULL, title);
  sh_h_open(&b, "dl", "head");
  for (int k = 0; k < 2; k++) {
    const sh_framework *fw = k ? xw->to : xw->from;
    char *s = sh_printf("%s (%s %s, %zu %s)", text_in(&fw->title, lang), fw->id, fw->version, fw->items.n,
                        sh_tr(lang, "items"));
    sh_h_elem(&b, "dt", NULL, k ? sh_tr(lang, "Target framework") : sh_tr(lang, "Source framework"));
    sh_h_elem(&b, "dd", NULL, s);
    sh_buf_putc(&b, '\n');
    free(s);
  }
  sh_h_close(&b, "dl");
  sh_h_elem(&b, "h2", NULL, sh_tr(lang, "Totals"));
  const sh_xw_published *p = published(xw);
  if (gap_list(xw))
    sh_h_elem(&b, "p", "note", sh_tr(lang, "No published comparison exists for this direction: derived from the "
                                            "vocabulary only, not an A/B/C/D classification."));
  sh_buf_puts(&b, "<div class=\"fwsum\">");
  if (!gap_list(xw)) totals_chart(&b, xw, lang);
  totals_table(&b, xw, lang);
  sh_buf_puts(&b, "</div>\n");
  if (p) {
    sh_h_open(&b, "p", "note");
    sh_h_text(&b, sh_tr(lang, "Published figures (not computed): "));
    sh_h_text(&b, text_in(&p->label, lang));
    if (p->document) { /* by title and place; the file name in a note */
      sh_buf_puts(&b, " ");
      sh_h_open(&b, "span", "src");
      sh_h_text(&b, "「");
      sh_h_text(&b, p->document_title ? p->document_title : p->document);
      sh_h_text(&b, "」");
      if (p->lines) {
        sh_buf_putc(&b, ' ');
        sh_h_text(&b, sh_tr(lang, "lines"));
        sh_buf_putc(&b, ' ');
        sh_h_text(&b, p->lines);
      }
      sh_h_close(&b, "span");
      if (p->document_title) {
        sh_h_open(&b, "span", "note");
        sh_h_text(&b, sh_tr(lang, " file: "));
        sh_h_text(&b, p->document);
        sh_h_close(&b, "span");
      }
    }
    sh_h_close(&b, "p");
    sh_buf_putc(&b, '\n');
  }
  sh_h_elem(&b, "h2", NULL, sh_tr(lang, "Classification of every item"));
  const char *cols[] = {sh_tr(lang, "Item"), sh_tr(lang, "Question"), sh_tr(lang, "Class"), sh_tr(lang, "Witnesses"),
                        sh_tr(lang, "Also alone"), sh_tr(lang, "Basis")};
  sh_h_table_head(&b, "items", cols, 6);
  for (size_t i = 0; i < n; i++) {
    const sh_xw_result *r = xw->results.v[i];
    sh_h_open(&b, "tr", NULL);
    sh_h_elem(&b, "td", "id", r->item->id);
    sh_h_elem(&b, "td", "q", text_in(&r->item->text, lang));
    sh_h_elem(&b, "td", "st", cls_word(xw, r, lang));
    sh_h_open(&b, "td", NULL);
    h_ids(&b, &r->witnesses);
    sh_h_close(&b, "td");
    sh_h_open(&b, "td", NULL);
    h_ids(&b, &r->also);
    sh_h_close(&b, "td");
    sh_h_open(&b, "td", NULL);
    sh_h_text(&b, r->from_curated ? sh_tr(lang, "curated") : r->derived ? sh_tr(lang, "derived") : "–");
    if (r->conflict) sh_h_text(&b, sh_tr(lang, " (conflict)"));
    sh_h_close(&b, "td");
    sh_buf_puts(&b, "</tr>\n");
  }
  sh_buf_puts(&b, "</tbody></table>\n");
  sh_h_elem(&b, "h2", NULL, sh_tr(lang, "To be checked separately (C, D, unknown)"));
  const char *rc[] = {sh_tr(lang, "Item"), sh_tr(lang, "Class"), sh_tr(lang, "Reason")};
  size_t nrem = 0;
  for (size_t i = 0; i < n; i++) {
    const sh_xw_result *r = xw->results.v[i];
    if (!remaining(r)) continue;
    if (!nrem++) sh_h_table_head(&b, "items", rc, 3);
    sh_h_open(&b, "tr", NULL);
    sh_h_elem(&b, "td", "id", r->item->id);
    sh_h_elem(&b, "td", "st", cls_word(xw, r, lang));
    char *why = sh_xw_reason(xw, r, lang);
    sh_h_elem(&b, "td", NULL, why);
    free(why);
    sh_buf_puts(&b, "</tr>\n");
  }
  if (nrem) sh_buf_puts(&b, "</tbody></table>\n");
  else sh_h_elem(&b, "p", NULL, sh_tr(lang, "(none)"));
  sh_html_page_end(&b);
  free(title);
  free(hdr);
  return sh_buf_steal(&b);
}

/* ---------- CSV ---------- */

/* One CSV field through the shared cell writer (quoting, spreadsheet formula guard: report_cells.h); the caller
 * writes the separators. */
static void csv_str(sh_buf *b, const char *s) { sh_csv_cell(b, true, s); }

static void render_csv(sh_buf *b, const sh_crosswalk *xw, const char *lang) {
  /* TRANSLATORS: CSV column headers of the crosswalk */
  static const char *const head[] = {N_("Item"), N_("Class"), N_("Witnesses"), N_("Also alone"), N_("Derived class"),
                                     N_("Curated relation"), N_("Conflict"), N_("Unmet conditions"), N_("Reason")};
  for (size_t k = 0; k < sizeof head / sizeof head[0]; k++) sh_csv_cell(b, k == 0, sh_tr(lang, head[k]));
  sh_buf_puts(b, "\r\n");
  for (size_t i = 0; i < xw->results.n; i++) {
    const sh_xw_result *r = xw->results.v[i];
    csv_str(b, r->item->id);
    sh_buf_putc(b, ',');
    csv_str(b, cls_word(xw, r, lang));
    sh_buf_putc(b, ',');
    char *w = ids(&r->witnesses), *a = ids(&r->also);
    csv_str(b, w);
    sh_buf_putc(b, ',');
    csv_str(b, a);
    free(w);
    free(a);
    sh_buf_printf(b, ",%s,", r->derived ? sh_xw_class_name(r->derived_cls) : "");
    csv_str(b, r->curated ? r->curated->relation : "");
    sh_buf_printf(b, ",%s,", r->conflict ? sh_tr(lang, "yes") : sh_tr(lang, "no"));
    sh_buf u = {0};
    for (size_t k = 0; k < r->unmet.n; k++)
      sh_buf_printf(&u, "%s%s", k ? "; " : "", ((const sh_clause *)r->unmet.v[k])->clause);
    csv_str(b, sh_buf_str(&u));
    sh_buf_free(&u);
    sh_buf_putc(b, ',');
    char *why = sh_xw_reason(xw, r, lang);
    csv_str(b, why);
    free(why);
    sh_buf_puts(b, "\r\n");
  }
}

char *sh_crosswalk_render(const sh_crosswalk *xw, sh_xw_format fmt, const char *lang) {
  if (fmt == SH_XWF_HTML) return render_html(xw, lang);
  sh_buf b = {0};
  switch (fmt) {
  case SH_XWF_TEXT: render_text(&b, xw, lang); break;
  case SH_XWF_JSON: render_json(&b, xw, lang); break;
  case SH_XWF_MD: render_md(&b, xw, lang); break;
  case SH_XWF_CSV: render_csv(&b, xw, lang); break;
  case SH_XWF_HTML: break;
  case SH_XWF_OSCAL_XML:
  case SH_XWF_OSCAL_JSON: { /* the command calls sh_oscal_mapping_render itself to report its error */
    sh_diags d = {0};
    sh_oscal_mapping_render(xw, fmt == SH_XWF_OSCAL_XML, &b, NULL, &d);
    sh_diags_free(&d);
    break;
  }
  }
  return sh_buf_steal(&b);
}
