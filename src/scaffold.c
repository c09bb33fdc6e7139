/* scaffold: the facts of a set of frameworks and a starting evidence package. See scaffold.h. */
#include "scaffold.h"

#include "answers.h"
#include "json.h"
#include "report_cells.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void free_use(void *p) {
  sh_fact_use *u = p;
  sh_vec_free(&u->items);
  sh_vec_free(&u->in_require);
  free(u);
}

void sh_fact_uses_free(sh_vec *uses) { sh_vec_free_all(uses, free_use); }

static sh_fact_use *use_of(sh_vec *out, const sh_fact *f) {
  for (size_t i = 0; i < out->n; i++) {
    sh_fact_use *u = out->v[i];
    if (u->fact == f) return u;
  }
  sh_fact_use *u = sh_calloc(1, sizeof *u);
  u->fact = f;
  sh_vec_push(out, u);
  return u;
}

void sh_fact_uses(const sh_framework *const *fws, size_t n, sh_vec *out) {
  for (size_t f = 0; f < n; f++)
    for (size_t i = 0; i < fws[f]->items.n; i++) {
      const sh_item *it = fws[f]->items.v[i];
      sh_vec facts = {0}, req = {0};
      if (it->applies_if) sh_expr_facts(it->applies_if, &facts);
      if (it->require) sh_expr_facts(it->require, &req);
      for (size_t k = 0; k < req.n; k++) {
        bool seen = false;
        for (size_t m = 0; m < facts.n; m++) seen |= facts.v[m] == req.v[k];
        if (!seen) sh_vec_push(&facts, req.v[k]);
      }
      for (size_t k = 0; k < facts.n; k++) {
        sh_fact_use *u = use_of(out, facts.v[k]);
        bool in_req = false;
        for (size_t m = 0; m < req.n; m++) in_req |= req.v[m] == facts.v[k];
        if (!u->first) u->first = it;
        sh_vec_push(&u->items, (void *)it);
        sh_vec_push(&u->in_require, in_req ? (void *)1 : NULL);
      }
      sh_vec_free(&facts);
      sh_vec_free(&req);
    }
}

static void type_text(sh_buf *b, const sh_fact *f) {
  sh_buf_puts(b, sh_type_name(f->type));
  if (f->nvalues) {
    sh_buf_puts(b, f->type == SH_T_SET ? " of [" : " [");
    for (size_t k = 0; k < f->nvalues; k++) sh_buf_printf(b, "%s%s", k ? ", " : "", f->values[k]);
    sh_buf_putc(b, ']');
  }
  if (f->unit) sh_buf_printf(b, " (%s)", f->unit);
}

static const char *use_kind(const sh_fact_use *u, size_t k) {
  bool req = u->in_require.v[k] != NULL;
  const sh_item *it = u->items.v[k];
  return req ? "require" : it->applies_if ? "applies_if" : "require";
}

int sh_facts_render(const sh_framework *const *fws, size_t n, const char *format, const char *lang, sh_buf *out,
                    sh_diags *d) {
  sh_vec uses = {0};
  sh_fact_uses(fws, n, &uses);
  bool en = sh_lang_en(lang);
  if (strcmp(format, "json") == 0) {
    sh_json j;
    sh_json_init(&j, out);
    sh_json_obj_begin(&j);
    sh_json_kstr(&j, "schema", "shinsa-facts/1");
    sh_json_key(&j, "frameworks");
    sh_json_arr_begin(&j);
    for (size_t f = 0; f < n; f++) sh_json_str(&j, fws[f]->id);
    sh_json_arr_end(&j);
    sh_json_key(&j, "facts");
    sh_json_arr_begin(&j);
    for (size_t i = 0; i < uses.n; i++) {
      const sh_fact_use *u = uses.v[i];
      const sh_fact *f = u->fact;
      sh_json_obj_begin(&j);
      sh_json_kstr(&j, "id", f->id);
      sh_json_kstr(&j, "type", sh_type_name(f->type));
      sh_json_key(&j, "values");
      if (f->nvalues) {
        sh_json_arr_begin(&j);
        for (size_t k = 0; k < f->nvalues; k++) sh_json_str(&j, f->values[k]);
        sh_json_arr_end(&j);
      } else {
        sh_json_null(&j);
      }
      sh_json_kstr(&j, "unit", f->unit);
      sh_json_kbool(&j, "derived", f->derived);
      sh_json_klang(&j, "label", f->label_ja, f->label_en);
      sh_json_key(&j, "used_by");
      sh_json_arr_begin(&j);
      for (size_t k = 0; k < u->items.n; k++) {
        const sh_item *it = u->items.v[k];
        sh_json_obj_begin(&j);
        sh_json_kstr(&j, "framework", it->fw->id);
        sh_json_kstr(&j, "item", it->id);
        sh_json_kstr(&j, "in", use_kind(u, k));
        sh_json_obj_end(&j);
      }
      sh_json_arr_end(&j);
      sh_json_obj_end(&j);
    }
    sh_json_arr_end(&j);
    sh_json_obj_end(&j);
  } else if (strcmp(format, "text") == 0) {
    for (size_t i = 0; i < uses.n; i++) {
      const sh_fact_use *u = uses.v[i];
      const sh_fact *f = u->fact;
      sh_buf_printf(out, "%s  ", f->id);
      type_text(out, f);
      if (f->derived) sh_buf_printf(out, "  %s", sh_tr(lang, "(computed by shinsa)"));
      const char *label = en && f->label_en ? f->label_en : f->label_ja;
      sh_buf_printf(out, "\n  %s\n  %s", label ? label : "", sh_tr(lang, "used by:"));
      for (size_t k = 0; k < u->items.n; k++) {
        const sh_item *it = u->items.v[k];
        /* TRANSLATORS: where an item uses a fact, in `shinsa facts` */
        const char *in = strcmp(use_kind(u, k), "require") == 0 ? N_("requirement") : N_("applies if");
        sh_buf_printf(out, " %s:%s (%s)%s", it->fw->id, it->id, sh_tr(lang, in), k + 1 < u->items.n ? "," : "");
      }
      sh_buf_putc(out, '\n');
    }
    sh_buf_printf(out, sh_tr(lang, "facts: %zu\n"), uses.n);
  } else {
    sh_error_usage(d, "unknown format '%s' (expected text or json)", format);
    sh_fact_uses_free(&uses);
    return -1;
  }
  sh_fact_uses_free(&uses);
  return 0;
}

/* A comment line: every line break of s becomes a space. */
static void comment_text(sh_buf *b, const char *s) {
  for (const char *p = s ? s : ""; *p; p++) sh_buf_putc(b, *p == '\n' || *p == '\r' ? ' ' : *p);
}

static void example_value(sh_buf *b, const sh_fact *f, sh_date date) {
  char dt[11];
  switch (f->type) {
  case SH_T_BOOL: sh_buf_puts(b, "true"); break;
  case SH_T_INT: sh_buf_puts(b, "0"); break;
  case SH_T_ENUM: sh_buf_puts(b, f->nvalues ? f->values[0] : "\"\""); break;
  case SH_T_SET: sh_buf_puts(b, "[]"); break;
  case SH_T_DATE:
    sh_date_format(date, dt);
    sh_buf_puts(b, dt);
    break;
  case SH_T_TEXT: sh_buf_puts(b, "\"\""); break;
  }
}

static const char *section_of(const sh_item *it, char **title_out) {
  *title_out = NULL;
  if (!it->section.n) return "";
  const char *id = it->section.v[it->section.n - 1];
  const sh_section *sec = sh_framework_section(it->fw, id);
  if (sec) {
    sh_buf t = {0};
    if (sec->title.ja) sh_buf_puts(&t, sec->title.ja);
    if (sec->title.en) sh_buf_printf(&t, "%s%s", t.len ? " / " : "", sec->title.en);
    *title_out = sh_buf_steal(&t);
  }
  return id;
}

char *sh_scaffold_evidence(const sh_framework *const *fws, size_t n, sh_date date) {
  sh_buf b = {0};
  char dt[11];
  sh_date_format(date, dt);
  sh_buf_puts(&b, "# Evidence package written by `shinsa init` for:");
  for (size_t f = 0; f < n; f++) sh_buf_printf(&b, " %s %s", fws[f]->id, fws[f]->version);
  sh_buf_puts(&b, "\n# Format: docs/formats.md §4. Fill in the applicant, uncomment and set the facts that describe you,\n"
                  "# list your documents with their SHA-256 (sha256sum FILE), answer the manual items, then run\n"
                  "#   shinsa check DIR                              (what is still missing)\n"
                  "#   shinsa check DIR --format xlsx --out cs.xlsx  (the checksheet to fill in and hand in)\n\n");
  sh_buf_printf(&b, "applicant:\n"
                    "  name: \"（申請者名を記入）\"            # required\n"
                    "  # name_en: \"\"                      # optional: the name in English\n"
                    "  kind: other                          # information_bank | phr_operator | medical_infra_operator | other\n"
                    "  assessment_date: %s          # the date the package is assessed at\n", dt);
  sh_buf_puts(&b, "frameworks: [");
  for (size_t f = 0; f < n; f++) sh_buf_printf(&b, "%s%s", f ? ", " : "", fws[f]->id);
  sh_buf_puts(&b, "]\n\n");

  sh_vec uses = {0};
  sh_fact_uses(fws, n, &uses);
  sh_buf_puts(&b, "# Every fact these frameworks use (in applies_if or require), grouped by the section of the first item\n"
                  "# that uses it. Uncomment a line and set its value; a fact left out stays unknown.\n"
                  "facts:\n");
  /* Groups in the order of first use: each fact once, under the section of its first item. */
  sh_vec done = {0};
  for (size_t i = 0; i < uses.n; i++) {
    const sh_fact_use *u = uses.v[i];
    bool seen = false;
    for (size_t k = 0; k < done.n; k++) seen |= done.v[k] == u;
    if (seen) continue;
    char *title = NULL;
    const char *sec = section_of(u->first, &title);
    sh_buf_printf(&b, "\n  # ── %s %s", u->first->fw->id, sec);
    if (title) sh_buf_printf(&b, " %s", title);
    sh_buf_puts(&b, " ──\n");
    free(title);
    for (size_t j = i; j < uses.n; j++) {
      const sh_fact_use *w = uses.v[j];
      bool same = w->first->fw == u->first->fw &&
                  (w->first->section.n ? u->first->section.n && strcmp(w->first->section.v[w->first->section.n - 1],
                                                                        u->first->section.v[u->first->section.n - 1]) == 0
                                       : !u->first->section.n);
      bool done_already = false;
      for (size_t k = 0; k < done.n; k++) done_already |= done.v[k] == w;
      if (!same || done_already) continue;
      sh_vec_push(&done, (void *)w);
      const sh_fact *f = w->fact;
      sh_buf_puts(&b, "  # ");
      comment_text(&b, f->label_ja ? f->label_ja : f->id);
      if (f->label_en) {
        sh_buf_puts(&b, " / ");
        comment_text(&b, f->label_en);
      }
      sh_buf_puts(&b, " — ");
      type_text(&b, f);
      sh_buf_puts(&b, "\n  #   used by:");
      size_t shown = w->items.n > 8 ? 8 : w->items.n;
      for (size_t k = 0; k < shown; k++) {
        const sh_item *it = w->items.v[k];
        sh_buf_printf(&b, " %s:%s (%s)%s", it->fw->id, it->id, use_kind(w, k), k + 1 < shown ? "," : "");
      }
      if (shown < w->items.n) sh_buf_printf(&b, " and %zu more", w->items.n - shown);
      sh_buf_putc(&b, '\n');
      if (f->derived) {
        sh_buf_printf(&b, "  #   computed by shinsa (from data_items:); not declared here\n");
      } else if (strcmp(f->id, "operator.kind") == 0) {
        sh_buf_printf(&b, "  #   set from applicant.kind above; not declared here\n");
      } else {
        sh_buf_printf(&b, "  # %s: ", f->id);
        example_value(&b, f, date);
        sh_buf_putc(&b, '\n');
      }
    }
  }
  sh_vec_free(&done);
  sh_fact_uses_free(&uses);

  sh_buf_puts(&b, "\n# Documents that back the facts: path inside this folder, SHA-256, title, the facts they attest.\n"
                  "documents:\n"
                  "  # - path: docs/FILE.pdf\n"
                  "  #   sha256: 0000000000000000000000000000000000000000000000000000000000000000\n"
                  "  #   title: 文書名\n"
                  "  #   issued: YYYY-MM-DD\n"
                  "  #   attests: [fact.id]\n");
  sh_buf_puts(&b, "\n# Data items handled (with their sensitivity level 0-3 or an MHLW checkup item code).\n"
                  "data_items:\n"
                  "  # - id: blood-pressure\n"
                  "  #   name: {ja: 血圧, en: Blood pressure}\n"
                  "  #   level: 1\n"
                  "  #   purposes: [health_support]\n"
                  "  #   recipients: [self]\n");
  sh_buf_puts(&b, "\n# Answers to the items a reviewer examines (manual items), keyed FRAMEWORK:ITEM (docs/formats.md §4.1).\n"
                  "# status: implemented | partial | planned (with planned_by: YYYY-MM-DD) | not_applicable (with reason:)\n"
                  "answers:\n");
  for (size_t f = 0; f < n; f++)
    for (size_t i = 0; i < fws[f]->items.n; i++) {
      const sh_item *it = fws[f]->items.v[i];
      if (!it->manual) continue;
      sh_buf_printf(&b, "\n  # %s:%s (%s) ", fws[f]->id, it->id, sh_strength_label(it->strength, "ja"));
      comment_text(&b, it->text.ja ? it->text.ja : it->text.en);
      sh_buf_putc(&b, '\n');
      if (it->applies_if_text) {
        sh_buf_puts(&b, "  #   applies if: ");
        comment_text(&b, it->applies_if_text);
        sh_buf_putc(&b, '\n');
      }
      for (size_t k = 0; k < it->evidence_needed.n; k++) {
        const sh_text *t = it->evidence_needed.v[k];
        sh_buf_puts(&b, "  #   a reviewer examines: ");
        comment_text(&b, t->ja ? t->ja : t->en);
        sh_buf_putc(&b, '\n');
      }
      char *key = sh_printf("%s:%s", fws[f]->id, it->id);
      sh_buf_puts(&b, "  # ");
      sh_yaml_quote(&b, key);
      sh_buf_puts(&b, ":\n  #   status: implemented\n  #   answer: \"\"\n"
                      "  #   refs: [{document: docs/FILE.pdf, at: \"第N条\"}]\n");
      free(key);
    }
  return sh_buf_steal(&b);
}

int sh_scaffold_init(const sh_framework *const *fws, size_t n, const char *dir, sh_date date, sh_diags *d) {
  char *path = sh_path_join(dir, "evidence.yaml");
  struct stat st;
  int rc = -1;
  if (lstat(path, &st) == 0) {
    sh_error_io(d, path, 0, 0, "already exists: shinsa init never overwrites a package (choose a new folder)");
    goto done;
  }
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
    sh_error_io(d, dir, 0, 0, "cannot create the folder: %s", sh_fio_strerror(errno));
    goto done;
  }
  char *docs = sh_path_join(dir, "docs");
  if (mkdir(docs, 0777) != 0 && errno != EEXIST) {
    sh_error_io(d, docs, 0, 0, "cannot create the folder: %s", sh_fio_strerror(errno));
    free(docs);
    goto done;
  }
  free(docs);
  char *text = sh_scaffold_evidence(fws, n, date);
  if (sh_write_file_atomic(path, text, strlen(text)) != 0) sh_error_io(d, path, 0, 0, "cannot write: %s", sh_fio_strerror(errno));
  else rc = 0;
  free(text);
done:
  free(path);
  return rc;
}
