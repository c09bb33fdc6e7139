/* answers_import: a filled checksheet read back into the package's answers. See answers_import.h. */
#include "answers_import.h"

#include "answers.h"
#include "checksheet.h"
#include "sheet.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void sh_answers_import_stats_free(sh_answers_import_stats *st) {
  sh_vec_free_all(&st->keys, free);
  free(st->answers_file);
  memset(st, 0, sizeof *st);
}

static const char *cell(const sh_sheet_row *r, int c) { return c >= 0 && (size_t)c < r->ncols ? r->cells[c] : ""; }

/* Trims spaces and line breaks at both ends (a spreadsheet may add them). Caller frees. */
static char *trimmed(const char *s) {
  while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
  return sh_strndup(s, n);
}

/* A date as YYYY-MM-DD, YYYY/MM/DD, or a spreadsheet date serial (days since 1899-12-30). */
static bool parse_date(const char *s, sh_date *out) {
  if (sh_date_parse(s, out)) return true;
  char buf[11];
  if (strlen(s) == 10 && s[4] == '/' && s[7] == '/') {
    memcpy(buf, s, 11);
    buf[4] = buf[7] = '-';
    return sh_date_parse(buf, out);
  }
  char *end = NULL;
  double v = strtod(s, &end);
  if (end && end != s && !*end && v >= 25569 && v < 2958466) { /* 1970-01-01 .. 9999-12-31 */
    *out = (sh_date)((long)v - 25569);
    return true;
  }
  return false;
}

static bool same_text(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

/* One row: the answer it gives (NULL when the status cell is empty) or an error. */
static sh_answer *row_answer(sh_sheet *sh, const sh_sheet_row *r, const int col[SH_CS__COUNT], bool en,
                             const sh_answer *old, const sh_framework *fw, const sh_item *it, sh_diags *d) {
  char *status = trimmed(cell(r, col[SH_CS_STATUS]));
  char *detail = trimmed(cell(r, col[SH_CS_DETAIL]));
  char *text = trimmed(cell(r, col[SH_CS_ANSWER]));
  sh_answer *a = NULL;
  if (!*status) {
    if (*detail || *text) {
      char *w = sh_sheet_where(sh, r, (size_t)col[SH_CS_STATUS]);
      sh_error(d, w, 0, 0, "give a status for %s:%s (implemented, partial, planned or not_applicable): the answer "
               "or date is not imported without one", fw->id, it->id);
      free(w);
    }
    goto done;
  }
  a = sh_calloc(1, sizeof *a);
  a->framework = sh_strdup(fw->id);
  a->item = sh_strdup(it->id);
  if (!sh_answer_status_parse(status, &a->status)) {
    char *w = sh_sheet_where(sh, r, (size_t)col[SH_CS_STATUS]);
    sh_error(d, w, 0, 0, "unknown status '%s' (expected 実施済み/implemented, 一部実施/partial, 実施予定/planned or "
             "該当なし/not_applicable)", status);
    free(w);
    goto fail;
  }
  if (a->status == SH_ANS_PLANNED && !parse_date(detail, &a->planned_by)) {
    char *w = sh_sheet_where(sh, r, (size_t)col[SH_CS_DETAIL]);
    sh_error(d, w, 0, 0, "status planned needs the planned date as YYYY-MM-DD in this cell, not '%s'", detail);
    free(w);
    goto fail;
  }
  if (a->status == SH_ANS_NOT_APPLICABLE) {
    if (!*detail) {
      char *w = sh_sheet_where(sh, r, (size_t)col[SH_CS_DETAIL]);
      sh_error(d, w, 0, 0, "status not applicable needs the reason in this cell");
      free(w);
      goto fail;
    }
    a->reason = sh_strdup(detail);
  }
  /* The answer column shows the text in the sheet's language: a change replaces that language's text. */
  if (old) {
    a->text.ja = sh_strdup(old->text.ja);
    a->text.en = sh_strdup(old->text.en);
    for (size_t k = 0; k < old->refs.n; k++) {
      const sh_answer_ref *o = old->refs.v[k];
      sh_answer_ref *n = sh_calloc(1, sizeof *n);
      n->document = o->document;
      n->at = sh_strdup(o->at);
      sh_vec_push(&a->refs, n);
    }
  }
  char **slot = en && (!old || old->text.en || !old->text.ja) ? &a->text.en : &a->text.ja;
  const sh_text *ot = old ? &old->text : NULL;
  const char *shown = !ot ? NULL : (slot == &a->text.en ? ot->en : (ot->ja ? ot->ja : ot->en));
  if (!same_text(shown, text)) {
    free(*slot);
    *slot = *text ? sh_strdup(text) : NULL;
  }
  goto done;
fail:
  sh_answer_free(a);
  a = NULL;
done:
  free(status);
  free(detail);
  free(text);
  return a;
}

static bool answers_equal(const sh_answer *a, const sh_answer *b) {
  if (!a || !b) return a == b;
  return a->status == b->status && (a->status != SH_ANS_PLANNED || a->planned_by == b->planned_by) &&
         same_text(a->reason, b->reason) && same_text(a->text.ja, b->text.ja) && same_text(a->text.en, b->text.en);
}

/* Reads every framework sheet; appends the changed answers (owned) to out. */
static int read_sheets(const sh_registry *reg, const sh_evidence *ev, const char *xlsx, sh_vec *out,
                       sh_answers_import_stats *st, sh_diags *d) {
  sh_sheet *sh = sh_sheet_open(xlsx, NULL, d);
  if (!sh) return -1;
  size_t before = d->nerrors, sheets = 0;
  for (size_t s = 0; s < sh_sheet_count(sh) && d->nerrors == before; s++) {
    if (sh_sheet_select(sh, s, d) != 0) break;
    const sh_sheet_row *r;
    int rc = sh_sheet_next(sh, &r, d);
    if (rc <= 0) continue;
    int col[SH_CS__COUNT];
    for (int c = 0; c < SH_CS__COUNT; c++) col[c] = -1;
    bool en = false;
    for (size_t c = 0; c < r->ncols; c++) {
      int k = sh_cs_find_header(r->cells[c]);
      if (k >= 0 && col[k] < 0) {
        col[k] = (int)c;
        if (k == SH_CS_STATUS) en = strcmp(r->cells[c], sh_cs_header(SH_CS_STATUS, "en", false)) == 0;
      }
    }
    if (col[SH_CS_KEY] < 0) continue; /* the cover, or a sheet someone added */
    sheets++;
    for (int k = SH_CS_STATUS; k <= SH_CS_ANSWER; k++)
      if (col[k] < 0) {
        char *w = sh_sheet_where(sh, r, (size_t)-1);
        sh_error(d, w, 0, 0, "the header row has no column '%s' (the checksheet's columns were changed)",
                 sh_cs_header((sh_cs_col)k, en ? "en" : "ja", false));
        free(w);
      }
    if (d->nerrors != before) break;
    while ((rc = sh_sheet_next(sh, &r, d)) == 1) {
      const char *key = cell(r, col[SH_CS_KEY]);
      if (!*key) continue;
      const char *colon = strchr(key, ':');
      char *fwid = colon ? sh_strndup(key, (size_t)(colon - key)) : sh_strdup(key);
      const sh_framework *fw = sh_registry_find(reg, fwid);
      const sh_item *it = fw && colon ? sh_framework_item(fw, colon + 1) : NULL;
      free(fwid);
      if (!it) {
        char *w = sh_sheet_where(sh, r, (size_t)col[SH_CS_KEY]);
        sh_error(d, w, 0, 0, "no installed item '%s' (the key column must not be edited)", key);
        free(w);
        continue;
      }
      st->rows++;
      const sh_answer *old = sh_answer_find(ev, fw->id, it->id);
      size_t e0 = d->nerrors;
      sh_answer *a = row_answer(sh, r, col, en, old, fw, it, d);
      if (d->nerrors != e0) continue;
      if (!a) {
        if (old) {
          char *w = sh_sheet_where(sh, r, (size_t)col[SH_CS_STATUS]);
          sh_diag_add(d, SH_SEV_WARNING, w, 0, 0, "the status of %s:%s was cleared: an answer is not removed by "
                      "import (delete it from %s)", fw->id, it->id, old->origin);
          free(w);
        }
        continue;
      }
      if (answers_equal(a, old)) {
        sh_answer_free(a);
        continue;
      }
      sh_vec_push(out, a);
    }
  }
  if (d->nerrors == before && !sheets)
    sh_error(d, xlsx, 0, 0, "not a shinsa checksheet: no sheet has the header row of 'check --format xlsx' "
             "(with the key column)");
  sh_sheet_close(sh);
  return d->nerrors == before ? 0 : -1;
}

static bool file_exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

int sh_answers_import(const sh_registry *reg, const char *xlsx, const char *dir, sh_answers_import_stats *st,
                      sh_diags *d) {
  memset(st, 0, sizeof *st);
  int rc = -1;
  sh_vec changed = {0};
  char *evpath = sh_path_join(dir, "evidence.yaml"), *evtext = NULL, *afpath = NULL, *oldaf = NULL;
  size_t evlen = 0, oldaflen = 0;
  bool had_af = false;
  sh_buf yaml = {0};
  sh_evidence *ev = sh_evidence_load(reg->vocab, dir, d);
  if (!ev || sh_answers_check(ev, reg, d)) goto done;
  if (read_sheets(reg, ev, xlsx, &changed, st, d) != 0) goto done;
  if (!changed.n) {
    rc = 0;
    goto done;
  }
  const char *rel = ev->answers_file ? ev->answers_file : "answers.yaml";
  afpath = sh_path_join(dir, rel);
  had_af = file_exists(afpath);
  if (!ev->answers_file && had_af) {
    sh_error_io(d, afpath, 0, 0, "exists but evidence.yaml does not name it (answers_file:): not overwritten");
    goto done;
  }
  /* The answers file: its current entries (those read from it), the changed ones replacing or following. */
  sh_buf_puts(&yaml, "# Answers of the checksheet, written by `shinsa import answers` (docs/formats.md §4.1).\n"
                     "# This file is rewritten by each import; evidence.yaml names it under answers_file:.\n"
                     "answers:\n");
  for (size_t i = 0; i < ev->answers.n; i++) {
    const sh_answer *a = ev->answers.v[i];
    if (!had_af || !strstr(a->origin, rel)) continue;
    const sh_answer *repl = NULL;
    for (size_t k = 0; k < changed.n; k++) {
      const sh_answer *c = changed.v[k];
      if (strcmp(c->framework, a->framework) == 0 && strcmp(c->item, a->item) == 0) repl = c;
    }
    sh_answer_write_yaml(&yaml, repl ? repl : a);
  }
  for (size_t k = 0; k < changed.n; k++) {
    const sh_answer *c = changed.v[k];
    const sh_answer *o = sh_answer_find(ev, c->framework, c->item);
    if (!(had_af && o && strstr(o->origin, rel))) sh_answer_write_yaml(&yaml, c);
    sh_vec_push(&st->keys, sh_printf("%s:%s", c->framework, c->item));
  }
  /* Keep what was there to put it back if the package does not load afterwards. */
  if (sh_read_file(evpath, SH_YAML_MAX_BYTES, &evtext, &evlen) != 0 ||
      (had_af && sh_read_file(afpath, SH_YAML_MAX_BYTES, &oldaf, &oldaflen) != 0)) {
    sh_error_io(d, had_af ? afpath : evpath, 0, 0, "cannot read: %s", sh_fio_strerror(errno));
    goto done;
  }
  if (sh_write_file_atomic(afpath, sh_buf_str(&yaml), yaml.len) != 0) {
    sh_error_io(d, afpath, 0, 0, "cannot write: %s", sh_fio_strerror(errno));
    goto done;
  }
  if (!ev->answers_file) {
    char *nt = sh_printf("%s%s\n# The checksheet's answers (shinsa import answers).\nanswers_file: %s\n", evtext,
                         evlen && evtext[evlen - 1] != '\n' ? "\n" : "", rel);
    int w = sh_write_file_atomic(evpath, nt, strlen(nt));
    free(nt);
    if (w != 0) {
      sh_error_io(d, evpath, 0, 0, "cannot write: %s", sh_fio_strerror(errno));
      unlink(afpath);
      goto done;
    }
    st->appended = true;
  }
  /* The package must load with its new answers; otherwise both files go back to what they were. */
  sh_diags check = {0};
  sh_evidence *after = sh_evidence_load(reg->vocab, dir, &check);
  if (!after || sh_answers_check(after, reg, &check)) {
    sh_diags_move(d, &check);
    if (st->appended) sh_write_file_atomic(evpath, evtext, evlen);
    if (had_af) sh_write_file_atomic(afpath, oldaf, oldaflen);
    else unlink(afpath);
    st->appended = false;
    sh_evidence_free(after);
    sh_diags_free(&check);
    goto done;
  }
  sh_evidence_free(after);
  sh_diags_free(&check);
  st->changed = changed.n;
  st->answers_file = sh_strdup(rel);
  rc = 0;
done:
  if (rc != 0) sh_vec_free_all(&st->keys, free);
  sh_vec_free_all(&changed, sh_answer_free);
  sh_buf_free(&yaml);
  sh_evidence_free(ev);
  free(evpath);
  free(evtext);
  free(afpath);
  free(oldaf);
  return rc;
}
