/* Tests that a recorded run re-renders the applicant's answers as `check` rendered them: for every report format
 * (text, json, md, html, csv, xlsx) and view, `check --format F` equals `report RUN --format F` of the same run,
 * modulo what exists only for a recorded run (its number, the review block and quorum lines). Runs against SQLite
 * and, as rerender-pg, PostgreSQL (th_store.h). Also: a run whose snapshot has no answers text (recorded before
 * answers were kept) still loads, and an answers text of a newer format is refused. */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hash.h"
#include "helpers.h"
#include "sheet.h"
#include "th_store.h"

static char *tmp;
static void setup(void) { tmp = th_tmpdir(); }
static void teardown(void) { free(tmp); }
TestSuite(rerender, .init = setup, .fini = teardown);

static const char *find_n(const char *s, size_t n, const char *what) {
  size_t m = strlen(what);
  for (size_t i = 0; i + m <= n; i++)
    if (memcmp(s + i, what, m) == 0) return s + i;
  return NULL;
}

/* The text without what only a recorded run has: lines on the quorum or the run number, a trailing
 * " (quorum: ...)" (ja and en labels). Used on text, md and html and on every csv/xlsx cell. Caller frees. */
static char *drop_run_lines(const char *s) {
  static const char *const marks[] = {"quorum", "Quorum", "定足数", "記録番号", "Run: ", "Reviews and waivers as of", "審査・免除の判定日", NULL};
  sh_buf b = {0};
  while (*s) {
    const char *e = strchr(s, '\n');
    size_t n = e ? (size_t)(e - s) : strlen(s);
    const char *q = find_n(s, n, " (quorum: ");
    size_t keep = q ? (size_t)(q - s) : n;
    bool drop = false;
    for (int k = 0; marks[k]; k++) drop = drop || find_n(s, keep, marks[k]);
    if (!drop) {
      sh_buf_put(&b, s, keep);
      if (e) sh_buf_putc(&b, '\n');
    }
    s += n + (e ? 1 : 0);
  }
  return sh_buf_steal(&b);
}

/* Every cell of every sheet of a spreadsheet (csv or xlsx) without run-specific lines, one row a line. */
static char *sheet_text(const char *path) {
  sh_diags d = {0};
  sh_sheet *sh = sh_sheet_open(path, NULL, &d);
  cr_assert_not_null(sh, "cannot read %s", path);
  sh_buf b = {0};
  for (size_t i = 0; i < sh_sheet_count(sh); i++) {
    cr_assert_eq(sh_sheet_select(sh, i, &d), 0);
    if (sh_sheet_get_format(sh) != SH_SHEET_CSV) sh_buf_printf(&b, "[%s]\n", sh_sheet_name(sh, i));
    const sh_sheet_row *row;
    while (sh_sheet_next(sh, &row, &d) > 0) {
      if (row->ncols && (strcmp(row->cells[0], "記録番号") == 0 || strcmp(row->cells[0], "Run") == 0)) continue; /* the run's number on the cover */
      sh_buf line = {0};
      for (size_t c = 0; c < row->ncols; c++) {
        char *cell = drop_run_lines(row->cells[c]);
        size_t n = strlen(cell);
        while (n && cell[n - 1] == '\n') cell[--n] = 0;
        sh_buf_printf(&line, "%s|", cell);
        free(cell);
      }
      const char *l = sh_buf_str(&line);
      size_t n = strlen(l);
      while (n && l[n - 1] == '|') n--; /* a trailing cell emptied by the filter */
      if (n) sh_buf_put(&b, l, n), sh_buf_putc(&b, '\n');
      sh_buf_free(&line);
    }
  }
  sh_sheet_close(sh);
  sh_diags_free(&d);
  return sh_buf_steal(&b);
}

/* JSON without run_id, the review blocks and quorum reasons. */
static void json_strip(json_object *o) {
  if (json_object_is_type(o, json_type_array)) {
    for (size_t i = json_object_array_length(o); i-- > 0;) {
      json_object *v = json_object_array_get_idx(o, i);
      json_object *m = NULL;
      if (json_object_is_type(v, json_type_object) && json_object_object_get_ex(v, "message", &m) &&
          json_object_is_type(m, json_type_string) && strncmp(json_object_get_string(m), "quorum not met", 14) == 0)
        json_object_array_del_idx(o, i, 1);
      else
        json_strip(v);
    }
  } else if (json_object_is_type(o, json_type_object)) {
    json_object_object_del(o, "run_id");
    json_object_object_del(o, "review");
    json_object_object_foreach(o, k, v) {
      (void)k;
      json_strip(v);
    }
  }
}

static char *slurp(const char *path) {
  char *s = NULL;
  size_t n = 0;
  cr_assert_eq(sh_read_file(path, 64u << 20, &s, &n), 0, "cannot read %s", path);
  return s;
}

/* Renders pkg with check (format fmt, view) and the recorded run with report; asserts they agree. */
static void same(const char *db, const char *run, const char *pkg, const char *fmt, const char *view,
                 const char *lang) {
  char *co = sh_printf("%s/check-%s-%s-%s.%s", tmp, view, lang, fmt, fmt);
  char *ro = sh_printf("%s/report-%s-%s-%s.%s", tmp, view, lang, fmt, fmt);
  char *out, *err;
  int rc = th_run(&out, &err, (const char *[]){"check", pkg, "--format", fmt, "--view", view, "--lang", lang,
                                              "--out", co, NULL});
  cr_assert(rc == 0 || rc == 1, "check %s: %d %s", fmt, rc, err);
  free(out), free(err);
  rc = th_run(&out, &err, (const char *[]){"report", run, "--db", db, "--format", fmt, "--view", view, "--lang",
                                          lang, "--out", ro, NULL});
  cr_assert(rc == 0 || rc == 1, "report %s: %d %s", fmt, rc, err);
  free(out), free(err);
  char *a, *b;
  if (strcmp(fmt, "json") == 0) {
    char *ca = slurp(co), *cb = slurp(ro);
    json_object *ja = json_tokener_parse(ca), *jb = json_tokener_parse(cb);
    cr_assert(ja && jb, "json does not parse");
    json_strip(ja), json_strip(jb);
    a = sh_strdup(json_object_to_json_string_ext(ja, JSON_C_TO_STRING_PRETTY));
    b = sh_strdup(json_object_to_json_string_ext(jb, JSON_C_TO_STRING_PRETTY));
    json_object_put(ja), json_object_put(jb);
    free(ca), free(cb);
  } else if (strcmp(fmt, "csv") == 0 || strcmp(fmt, "xlsx") == 0) {
    a = sheet_text(co);
    b = sheet_text(ro);
  } else {
    char *ca = slurp(co), *cb = slurp(ro);
    a = drop_run_lines(ca);
    b = drop_run_lines(cb);
    free(ca), free(cb);
  }
  cr_assert_str_eq(b, a, "%s %s %s: report differs from check:\n--- check\n%s\n--- report\n%s", view, lang, fmt, a, b);
  free(a), free(b), free(co), free(ro);
}

/* Records pkg in a new store; returns the store (caller frees). */
static char *record(const char *pkg) {
  char *db = th_store_new();
  char *out, *err;
  int rc = th_run(&out, &err, (const char *[]){"check", pkg, "--db", db, "--format", "json", NULL});
  cr_assert(rc == 0 || rc == 1, "check --db: %d %s", rc, err);
  free(out), free(err);
  return db;
}

static void all_formats(const char *example) {
  char *pkg = th_src(example);
  char *db = record(pkg);
  static const char *const fmts[] = {"text", "json", "md", "html", "csv", "xlsx", NULL};
  for (int f = 0; fmts[f]; f++) same(db, "1", pkg, fmts[f], "auditor", "ja");
  same(db, "1", pkg, "xlsx", "applicant", "en");
  same(db, "1", pkg, "md", "applicant", "en");
  /* reasons and findings are rendered in the report language from the recorded keys and arguments */
  for (int f = 0; f < 3; f++) same(db, "1", pkg, fmts[f], "auditor", "en");
  free(db);
  free(pkg);
}

Test(rerender, phr_operator_answers_in_every_format) { all_formats("examples/phr-operator"); }
Test(rerender, infobank_answers_in_every_format) { all_formats("examples/infobank-health"); }

/* The answers really are in the recorded run (not merely absent on both sides). */
Test(rerender, recorded_run_shows_answers) {
  char *pkg = th_src("examples/phr-operator");
  char *db = record(pkg);
  char *out, *err;
  int rc = th_run(&out, &err, (const char *[]){"report", "1", "--db", db, "--format", "json", NULL});
  cr_assert_eq(rc, 1, "%s", err);
  cr_assert(strstr(out, "\"planned_by\": \"2028-03-31\""), "%s", out);
  cr_assert(strstr(out, "\"at\": \"第5条\""));
  cr_assert(strstr(out, "\"status\": \"implemented\""));
  free(out), free(err);
  free(db), free(pkg);
}

/* A contradiction (answered implemented, machine check fails) and a partial answer survive recording. */
Test(rerender, contradiction_and_partial) {
  static const char doc[] = "第5条 同意の撤回は設定画面から行う。\n";
  char hash[65];
  sh_sha256_hex(doc, strlen(doc), hash);
  char *pkg = sh_path_join(tmp, "pkg");
  free(th_write(pkg, "docs/terms.txt", doc));
  char *y = sh_printf("applicant:\n  name: テスト株式会社\n  kind: phr_operator\n  assessment_date: 2026-10-01\n"
                      "frameworks: [test-fw]\nfacts:\n  sec.certs: [isms]\n  sec.tls_min: tls11\n  retention.days: 45\n"
                      "documents:\n  - path: docs/terms.txt\n    sha256: %s\n    title: 利用規約\n"
                      "answers:\n  test-fw:1.2:\n    status: implemented\n    answer: {ja: TLS 1.2 以上のみ, en: TLS 1.2+ only}\n"
                      "    refs: [{document: docs/terms.txt, at: 第5条}]\n"
                      "  test-fw:1.1:\n    status: partial\n", hash);
  free(th_write(pkg, "evidence.yaml", y));
  free(y);
  char *dd = th_data("datadir");
  char *db = th_store_new();
  char *out, *err;
  int rc = th_run(&out, &err, (const char *[]){"check", pkg, "--data-dir", dd, "--db", db, "--format", "json",
                                              NULL});
  cr_assert_eq(rc, 1, "%s", err);
  json_object *c = json_tokener_parse(out);
  free(out), free(err);
  rc = th_run(&out, &err, (const char *[]){"report", "1", "--db", db, "--data-dir", dd, "--format", "json", NULL});
  cr_assert_eq(rc, 1, "%s", err);
  cr_assert(strstr(out, "\"contradiction\": true"), "%s", out);
  cr_assert(strstr(out, "\"en\": \"TLS 1.2+ only\""));
  cr_assert(strstr(out, "\"status\": \"partial\""));
  json_object *r = json_tokener_parse(out);
  cr_assert(c && r);
  json_strip(c), json_strip(r);
  cr_assert_str_eq(json_object_to_json_string(r), json_object_to_json_string(c));
  json_object_put(c), json_object_put(r);
  free(out), free(err);
  /* A run recorded before answers were kept (no answers text) still loads, without answers. */
  th_store_exec(db, "DELETE FROM run_texts WHERE kind = 'answers'");
  rc = th_run(&out, &err, (const char *[]){"report", "1", "--db", db, "--data-dir", dd, "--format", "json", NULL});
  cr_assert_eq(rc, 1, "%s", err);
  cr_assert_null(strstr(out, "\"contradiction\": true"));
  cr_assert_null(strstr(out, "TLS 1.2+ only"));
  free(out), free(err);
  /* An answers text of a newer format is refused, not misread. */
  static const char newer[] = "{\"format\": 2, \"answers\": [], \"contradictions\": []}";
  char nh[65];
  sh_sha256_hex(newer, strlen(newer), nh);
  char *sql = sh_printf("INSERT INTO texts VALUES ('%s', '%s'); INSERT INTO run_texts SELECT id, 'answers', 0, "
                        "'answers.json', '%s' FROM runs", nh, newer, nh);
  th_store_exec(db, sql);
  free(sql);
  rc = th_run(&out, &err, (const char *[]){"report", "1", "--db", db, "--data-dir", dd, "--format", "json", NULL});
  cr_assert_eq(rc, 2, "%s", err);
  cr_assert(strstr(err, "format 2 by a newer shinsa"), "%s", err);
  free(out), free(err);
  free(db), free(dd), free(pkg);
}

/* A run recorded before reasons kept their message key (SQLite schema 3, PostgreSQL schema 1) re-renders after
 * `db migrate`: atom reasons from their recorded fact, requirement and value in the report language, the other
 * reasons and the findings as their recorded English message. */
Test(rerender, run_recorded_before_message_keys) {
  char *pkg = th_src("examples/phr-operator");
  char *db = record(pkg);
  th_store_exec(db, "ALTER TABLE reasons DROP COLUMN msg_key; ALTER TABLE reasons DROP COLUMN msg_args;"
                    " ALTER TABLE run_findings DROP COLUMN msg_key; ALTER TABLE run_findings DROP COLUMN msg_args");
  th_store_exec(db, th_store_pg() ? "UPDATE shinsa_meta SET schema_version = 1" : "PRAGMA user_version = 3");
  char *out, *err;
  const char *rep[] = {"report", "1", "--db", db, "--format", "text", "--lang", "ja", NULL};
  cr_assert_eq(th_run(&out, &err, rep), 2, "a reader refuses the old schema: %s", out);
  cr_assert(strstr(err, "older than this shinsa's"), "%s", err);
  free(out), free(err);
  cr_assert_eq(th_run(&out, &err, (const char *[]){"db", "migrate", "--db", db, NULL}), 0, "%s", err);
  free(out), free(err);
  cr_assert_eq(th_store_count(db, "SELECT count(*) FROM reasons WHERE msg_key IS NOT NULL"), 0);
  cr_assert_eq(th_run(&out, &err, rep), 1, "%s", err);
  cr_assert(strstr(out, "長期間利用がない場合の消去（retention.inactive_deletion）が false。要件: = true"), "%s", out);
  cr_assert(strstr(out, "the applicant plans it by 2028-03-31"), "%s", out);
  cr_assert(strstr(out, "phr-2023:3.3/3-1: planned by 2028-03-31 (assessment date 2026-10-01)"), "%s", out);
  free(out), free(err);
  /* a new run in the migrated store has its keys again */
  cr_assert_eq(th_run(&out, &err, (const char *[]){"check", pkg, "--db", db, "--format", "json", NULL}), 1, "%s", err);
  free(out), free(err);
  cr_assert_gt(th_store_count(db, "SELECT count(*) FROM reasons WHERE run_id = 2 AND msg_key IS NOT NULL"), 0);
  rep[1] = "2";
  cr_assert_eq(th_run(&out, &err, rep), 1, "%s", err);
  cr_assert(strstr(out, "申請者は 2028-03-31 までに実施する予定である"), "%s", out);
  free(out), free(err);
  free(db), free(pkg);
}

/* Arguments that do not read back (shinsa never writes them) are a damaged store: refused, not shown half. */
Test(rerender, damaged_reason_arguments_are_refused) {
  char *pkg = th_src("examples/phr-operator");
  char *db = record(pkg);
  th_store_exec(db, "UPDATE reasons SET msg_args = '[\"x\", ' WHERE msg_key IS NOT NULL");
  char *out, *err;
  cr_assert_eq(th_run(&out, &err, (const char *[]){"report", "1", "--db", db, "--format", "text", NULL}), 2, "%s", out);
  cr_assert(strstr(err, "has arguments that do not read back"), "%s", err);
  cr_assert_eq(out[0], 0, "%s", out);
  free(out), free(err);
  free(db), free(pkg);
}

/* A framework text in an item's reason (evidence_needed: {ja, en}) follows the report language, in `check` and
 * when a recorded run is re-rendered: the English prompt in English, the Japanese one in Japanese. */
Test(rerender, framework_text_in_the_report_language) {
  char *pkg = th_data("evidence/basic"), *dd = th_data("datadir");
  char *db = th_store_new();
  char *out, *err;
  int rc = th_run(&out, &err, (const char *[]){"check", pkg, "--data-dir", dd, "--db", db, "--format", "text",
                                              "--lang", "en", NULL});
  cr_assert(rc == 0 || rc == 1, "%s", err);
  cr_assert(strstr(out, "reviewer to examine: Published board rules"), "%s", out);
  cr_assert_null(strstr(out, "公表された審査会規程"), "%s", out);
  free(out), free(err);
  for (int k = 0; k < 2; k++) {
    const char *lang = k ? "ja" : "en";
    rc = th_run(&out, &err, (const char *[]){"report", "1", "--db", db, "--data-dir", dd, "--format", "text",
                                            "--lang", lang, NULL});
    cr_assert(rc == 0 || rc == 1, "%s", err);
    if (k) {
      cr_assert(strstr(out, "公表された審査会規程"), "%s", out);
      cr_assert_null(strstr(out, "Published board rules"), "%s", out);
    } else {
      cr_assert(strstr(out, "reviewer to examine: Published board rules"), "%s", out);
      cr_assert_null(strstr(out, "公表された審査会規程"), "%s", out);
    }
    free(out), free(err);
  }
  cr_assert_eq(th_store_count(db, "SELECT count(*) FROM reasons WHERE msg_args LIKE '%\"en\":\"Published board rules\"%'"),
               1);
  free(db), free(dd), free(pkg);
}
