/* crosswalk_report: text, JSON, Markdown, HTML and CSV renderings of a crosswalk. The HTML is built by the
 * reports' escape-by-construction writer (report_html.h): tables, the totals chart, the print stylesheet. */
#include "crosswalk_report.h"
#include "report_cells.h"
#include "report_html.h"

#include "oscal_mapping.h"
#include "json.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

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

/* Japanese unless lang is "en" (NULL = ja), as every report (report_cells.h). */
static bool is_ja(const char *lang) { return !sh_lang_en(lang); }
#define L(ja, en) (is_ja(lang) ? (ja) : (en))

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
    sh_buf_printf(&b, L("精選された対応関係 (%s, 根拠 %s, %s:%d)", "curated relation (%s, rationale %s, %s:%d)"),
                  c->relation, c->rationale ? c->rationale : "-", c->file, c->line);
    const char *note = text_in(&c->note, lang);
    if (*note) sh_buf_printf(&b, ": %s", note);
    if (!r->item->require) sh_buf_puts(&b, L("（手動確認項目）", " (manual item)"));
  } else {
    switch (r->cls) {
    case SH_XW_A:
      sh_buf_printf(&b, L("%s の %s がこの項目を含意し、逆は成り立たない（%s の方が厳しい）",
                          "%s %s imply this item and it does not imply them back (%s is stricter)"),
                    S, w, S);
      if (r->counter_model) sh_buf_printf(&b, L("。反例: %s", "; e.g. %s"), r->counter_model);
      break;
    case SH_XW_B: sh_buf_printf(&b, L("%s の %s と同等（相互に含意）", "equivalent to %s %s (mutual implication)"), S, w); break;
    case SH_XW_C: {
      char *o = ids(&r->overlap);
      sh_buf_printf(&b, L("%s の %s は同じ事実を扱うが、この項目の方が多くを求める", "%s %s speak of the same facts, but this item demands more"),
                    S, o);
      free(o);
      if (r->unmet.n) {
        sh_buf_puts(&b, L("。未充足の条件: ", "; unmet: "));
        for (size_t i = 0; i < r->unmet.n; i++) {
          const sh_clause *c = r->unmet.v[i];
          sh_buf_printf(&b, "%s%s%s", i ? "; " : "", c->clause, c->answer == SH_LOGIC_UNKNOWN ? " (?)" : "");
        }
      }
      if (r->weaker.n) {
        char *wk = ids(&r->weaker);
        sh_buf_printf(&b, L("。%s は含意するが義務の強さが弱い", "; %s would imply it but are weaker (should/effort)"), wk);
        free(wk);
      }
      break;
    }
    case SH_XW_D: {
      sh_vec fs = {0};
      if (r->item->require) sh_expr_facts(r->item->require, &fs);
      sh_buf_printf(&b, L("%s にはこの項目の事実（", "no item of %s speaks of its facts ("), S);
      for (size_t i = 0; i < fs.n; i++) sh_buf_printf(&b, "%s%s", i ? ", " : "", ((const sh_fact *)fs.v[i])->id);
      sh_buf_puts(&b, L("）を扱う項目がない", ")"));
      sh_vec_free(&fs);
      break;
    }
    default:
      sh_buf_printf(&b, L("判定不能: %s", "undecided: %s"), r->why_unknown ? r->why_unknown : "?");
      break;
    }
  }
  if (!r->from_curated && !r->conflict && r->curated && *text_in(&r->curated->note, lang))
    sh_buf_printf(&b, L("。精選された関係（%s:%d）も同じ: %s", "; the curated relation (%s:%d) agrees: %s"), r->curated->file,
                  r->curated->line, text_in(&r->curated->note, lang));
  if (r->conflict)
    sh_buf_printf(&b, L("。導出した分類 %s は精選された関係 %s（%s:%d:%d）と矛盾する",
                        "; the derived class %s contradicts the curated relation %s at %s:%d:%d"),
                  sh_xw_class_name(r->derived_cls), r->curated->relation, r->curated->file, r->curated->rel_line,
                  r->curated->rel_col);
  free(w);
  return sh_buf_steal(&b);
}

static size_t ncovered(const sh_crosswalk *xw) { return xw->totals[SH_XW_A] + xw->totals[SH_XW_B]; }

static const sh_xw_published *published(const sh_crosswalk *xw) {
  return xw->curated && xw->curated->published.present ? &xw->curated->published : NULL;
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

static void gap_totals(const sh_crosswalk *xw, size_t *cov, size_t *gap, size_t *und) {
  *cov = ncovered(xw);
  *und = xw->totals[SH_XW_UNKNOWN];
  *gap = xw->results.n - *cov - *und;
}

/* s padded with spaces to `width` terminal columns (full-width characters count two, as in 「２－１６」). */
static void put_padded(sh_buf *b, const char *s, int width) {
  int cols = 0;
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
  while (*p) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
    if (n <= 0) {
      cols++;
      p++;
      continue;
    }
    cols += utf8proc_charwidth(cp);
    p += n;
  }
  sh_buf_puts(b, s);
  for (; cols < width; cols++) sh_buf_putc(b, ' ');
}

/* ---------- text ---------- */

static void render_text(sh_buf *b, const sh_crosswalk *xw, const char *lang) {
  size_t n = xw->results.n;
  if (gap_list(xw)) {
    size_t cov, gap, und;
    gap_totals(xw, &cov, &gap, &und);
    sh_buf_printf(b, L("差分リスト: %s（基準）→ %s（対象）\n", "Gap list: %s (source) -> %s (target)\n"), xw->from->id,
                  xw->to->id);
    sh_buf_puts(b, L("この方向の公表された比較はない: 語彙からの導出のみで、A/B/C/D の分類ではない。\n",
                     "No published comparison exists for this direction: derived from the vocabulary only, not an A/B/C/D "
                     "classification.\n"));
    sh_buf_printf(b, L("  %zu 項目: 充足 %zu  差分 %zu  判定不能 %zu\n", "  %zu items: covered %zu  gap %zu  undecided %zu\n"), n,
                  cov, gap, und);
  } else {
    sh_buf_printf(b, L("クロスウォーク: %s（基準）→ %s（対象）\n", "Crosswalk: %s (source) -> %s (target)\n"), xw->from->id,
                  xw->to->id);
    sh_buf_printf(b, L("導入済みフレームワークでの計算値: %zu 項目\n", "Computed for the installed frameworks: %zu items\n"), n);
    sh_buf_printf(b, "  A %zu  B %zu  C %zu  D %zu  unknown %zu\n", xw->totals[SH_XW_A], xw->totals[SH_XW_B],
                  xw->totals[SH_XW_C], xw->totals[SH_XW_D], xw->totals[SH_XW_UNKNOWN]);
    sh_buf_printf(b, L("  充足とみなせる (A+B): %zu / %zu (%.1f%%)\n", "  covered (A+B): %zu of %zu (%.1f%%)\n"),
                  ncovered(xw), n, sh_crosswalk_coverage(xw));
  }
  const sh_xw_published *p = published(xw);
  if (p) {
    sh_buf_printf(b, L("公表値（計算値ではない）: %s\n", "Published figures (not computed): %s\n"), text_in(&p->label, lang));
    sh_buf_printf(b, "  A %zu  B %zu  C %zu  D %zu\n", p->counts[0], p->counts[1], p->counts[2], p->counts[3]);
    sh_buf_printf(b, L("  充足とみなせる (A+B): %zu / %zu (%.1f%%)", "  covered (A+B): %zu of %zu (%.1f%%)"), p->covered,
                  p->total, p->total ? 100.0 * (double)p->covered / (double)p->total : 0.0);
    if (p->document) sh_buf_printf(b, " [%s%s%s]", p->document, p->lines ? ":" : "", p->lines ? p->lines : "");
    sh_buf_putc(b, '\n');
  }
  if (xw->curated && xw->curated->relations.n) {
    size_t t[4];
    table_totals(xw, t);
    sh_buf_printf(b, L("読み込んだ対応表（%s）: %zu 件\n", "Loaded mapping table (%s): %zu relations\n"), xw->curated->file,
                  xw->curated->relations.n);
    sh_buf_printf(b, "  A %zu  B %zu  C %zu  D %zu\n", t[0], t[1], t[2], t[3]);
    sh_buf_printf(b, L("  計算値との不一致: %zu（shinsa lint が各件を示す）\n",
                       "  disagreements with the derived classes: %zu ('shinsa lint' names each)\n"),
                  xw->nconflicts);
  } else if (xw->nconflicts) {
    sh_buf_printf(b, L("精選された関係との矛盾: %zu\n", "Conflicts with curated relations: %zu\n"), xw->nconflicts);
  }
  sh_buf_puts(b, L("\n項目:\n", "\nItems:\n"));
  for (size_t i = 0; i < n; i++) {
    const sh_xw_result *r = xw->results.v[i];
    sh_buf_puts(b, "  ");
    put_padded(b, r->item->id, 14);
    sh_buf_printf(b, " %-9s", cls_label(xw, r));
    if (r->witnesses.n) {
      sh_buf_puts(b, L(" 根拠: ", " witnesses: "));
      put_ids(b, &r->witnesses);
    }
    if (r->also.n) {
      sh_buf_puts(b, L("（他に単独で: ", " (also alone: "));
      put_ids(b, &r->also);
      sh_buf_puts(b, L("）", ")"));
    }
    if (r->from_curated) sh_buf_puts(b, L(" [精選]", " [curated]"));
    if (r->conflict) sh_buf_puts(b, L(" [矛盾]", " [conflict]"));
    sh_buf_putc(b, '\n');
  }
  sh_buf_puts(b, gap_list(xw) ? L("\n別途確認が必要な項目（差分・判定不能）:\n", "\nTo be checked separately (gap, undecided):\n")
                              : L("\n別途確認が必要な項目 (C, D, 判定不能):\n", "\nTo be checked separately (C, D, unknown):\n"));
  for (size_t i = 0; i < n; i++) {
    const sh_xw_result *r = xw->results.v[i];
    if (!remaining(r)) continue;
    char *why = sh_xw_reason(xw, r, lang);
    sh_buf_puts(b, "  ");
    put_padded(b, r->item->id, 14);
    sh_buf_printf(b, " %-9s %s\n", cls_label(xw, r), why);
    free(why);
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
  sh_buf_puts(b, gap_list(xw) ? L("# 差分リスト: ", "# Gap list: ") : L("# クロスウォーク: ", "# Crosswalk: "));
  md_str(b, xw->from->id);
  sh_buf_puts(b, " → ");
  md_str(b, xw->to->id);
  sh_buf_puts(b, "\n\n");
  sh_buf_puts(b, L("基準（source）: ", "Source: "));
  md_str(b, text_in(&xw->from->title, lang));
  sh_buf_puts(b, L("  \n対象（target）: ", "  \nTarget: "));
  md_str(b, text_in(&xw->to->title, lang));
  /* Lists, not pipe tables: CommonMark core (cmark, the terminal text's reader) has no table extension. */
  sh_buf_puts(b, L("\n\n## 分類の集計\n\n", "\n\n## Totals\n\n"));
  if (gap_list(xw)) {
    size_t cov, gap, und;
    gap_totals(xw, &cov, &gap, &und);
    sh_buf_printf(b, L("- **この方向の公表された比較はない**: 語彙からの導出のみで、A/B/C/D の分類ではない。%zu 項目: 充足 %zu, 差分 %zu, 判定不能 %zu\n",
                       "- **No published comparison exists for this direction**: derived from the vocabulary only, not an A/B/C/D classification. %zu items: covered %zu, gap %zu, undecided %zu\n"),
                  n, cov, gap, und);
  } else {
    sh_buf_printf(b, L("- **計算値（導入済みフレームワーク）**: A %zu, B %zu, C %zu, D %zu, 判定不能 %zu; A+B %zu / %zu 項目 (%.1f%%)\n",
                       "- **Computed (installed frameworks)**: A %zu, B %zu, C %zu, D %zu, unknown %zu; A+B %zu of %zu items (%.1f%%)\n"),
                  xw->totals[SH_XW_A], xw->totals[SH_XW_B], xw->totals[SH_XW_C], xw->totals[SH_XW_D],
                  xw->totals[SH_XW_UNKNOWN], ncovered(xw), n, sh_crosswalk_coverage(xw));
  }
  const sh_xw_published *p = published(xw);
  if (p) {
    sh_buf_printf(b, L("- **公表値（計算値ではない）**: A %zu, B %zu, C %zu, D %zu; A+B %zu / %zu 項目 (%.1f%%). ",
                       "- **Published figures (not computed)**: A %zu, B %zu, C %zu, D %zu; A+B %zu of %zu items (%.1f%%). "),
                  p->counts[0], p->counts[1], p->counts[2], p->counts[3], p->covered, p->total,
                  p->total ? 100.0 * (double)p->covered / (double)p->total : 0.0);
    md_str(b, text_in(&p->label, lang));
    if (p->document) {
      sh_buf_puts(b, " (");
      md_str(b, p->document);
      if (p->lines) {
        sh_buf_puts(b, ":");
        md_str(b, p->lines);
      }
      sh_buf_puts(b, ")");
    }
    sh_buf_puts(b, "\n");
  }
  sh_buf_puts(b, L("\n## 項目ごとの分類\n\n", "\n## Classification of every item\n\n"));
  for (size_t i = 0; i < n; i++) {
    const sh_xw_result *r = xw->results.v[i];
    sh_buf_puts(b, "- **");
    md_str(b, r->item->id);
    sh_buf_printf(b, "**: %s", cls_label(xw, r));
    if (r->witnesses.n) {
      sh_buf_puts(b, L(" — 根拠: ", " — witnesses: "));
      md_ids(b, &r->witnesses);
    }
    if (r->also.n) {
      sh_buf_puts(b, L("（他に単独で: ", " (also alone: "));
      md_ids(b, &r->also);
      sh_buf_puts(b, L("）", ")"));
    }
    sh_buf_printf(b, " — %s%s\n", r->from_curated ? L("精選", "curated") : r->derived ? L("導出", "derived") : "–",
                  r->conflict ? L("（矛盾）", " (conflict)") : "");
  }
  sh_buf_puts(b, L("\n## 別途確認が必要な項目（C・D・判定不能）\n\n", "\n## To be checked separately (C, D, unknown)\n\n"));
  bool any = false;
  for (size_t i = 0; i < n; i++) {
    const sh_xw_result *r = xw->results.v[i];
    if (!remaining(r)) continue;
    any = true;
    sh_buf_puts(b, "- **");
    md_str(b, r->item->id);
    sh_buf_printf(b, "** (%s): ", cls_label(xw, r));
    char *why = sh_xw_reason(xw, r, lang);
    md_str(b, why);
    free(why);
    sh_buf_puts(b, "\n");
  }
  if (!any) sh_buf_puts(b, L("なし\n", "none\n"));
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

/* A class in the report language: A-D as they are, the gap list's covered / gap / undecided translated. */
static const char *cls_word(const sh_crosswalk *xw, const sh_xw_result *r, const char *lang) {
  if (r->cls == SH_XW_UNKNOWN) return sh_tr(lang, "undecided");
  return gap_list(xw) ? sh_tr(lang, cls_label(xw, r)) : sh_xw_class_name(r->cls);
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
    if (p->document) {
      sh_buf_puts(&b, " (");
      sh_h_text(&b, p->document);
      if (p->lines) {
        sh_buf_puts(&b, ":");
        sh_h_text(&b, p->lines);
      }
      sh_buf_puts(&b, ")");
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
  sh_buf_puts(b, "id,class,witnesses,also,derived_class,curated_relation,conflict,unmet,reason\r\n");
  for (size_t i = 0; i < xw->results.n; i++) {
    const sh_xw_result *r = xw->results.v[i];
    csv_str(b, r->item->id);
    sh_buf_printf(b, ",%s,", cls_label(xw, r));
    char *w = ids(&r->witnesses), *a = ids(&r->also);
    csv_str(b, w);
    sh_buf_putc(b, ',');
    csv_str(b, a);
    free(w);
    free(a);
    sh_buf_printf(b, ",%s,", r->derived ? sh_xw_class_name(r->derived_cls) : "");
    csv_str(b, r->curated ? r->curated->relation : "");
    sh_buf_printf(b, ",%s,", r->conflict ? "true" : "false");
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
