/* store: dispatch to a back end by location, and shared helpers. See store.h. */
#include "store.h"

#include "i18n.h"
#include "hash.h"
#include "yamldoc.h"

#include "texttable.h"

#include "json.h"

#include <stdlib.h>
#include <string.h>

void sh_run_summary_free(void *p) {
  sh_run_summary *r = p;
  if (!r) return;
  free(r->recorded_at);
  free(r->applicant);
  free(r->assessment_date);
  free(r->frameworks);
  free(r);
}

void sh_run_summaries_json(const sh_vec *runs, sh_buf *out) {
  sh_json j;
  sh_json_init(&j, out);
  sh_json_arr_begin(&j);
  for (size_t i = 0; i < runs->n; i++) {
    const sh_run_summary *r = runs->v[i];
    sh_json_obj_begin(&j);
    sh_json_kint(&j, "id", r->id);
    sh_json_kstr(&j, "recorded_at", r->recorded_at);
    sh_json_kstr(&j, "applicant", r->applicant);
    sh_json_kstr(&j, "assessment_date", r->assessment_date);
    sh_json_kstr(&j, "frameworks", r->frameworks);
    sh_json_kint(&j, "exit_code", r->exit_code);
    sh_json_key(&j, "counts");
    sh_json_obj_begin(&j);
    for (int v = 0; v < SH_V__COUNT; v++) sh_json_kint(&j, sh_verdict_name((sh_verdict)v), (int64_t)r->counts[v]);
    sh_json_obj_end(&j);
    sh_json_obj_end(&j);
  }
  sh_json_arr_end(&j);
  sh_buf_putc(out, '\n');
}

void sh_run_summaries_text(const sh_vec *runs, sh_buf *out) {
  enum { NC = 11 };
  /* TRANSLATORS: column headings of `shinsa history`: run number, when recorded, assessment date, frameworks,
     the counts of satisfied, not satisfied, needs review, unknown, not applicable, covered items, the applicant. */
  static const char *const head[NC] = {N_("RUN"), N_("RECORDED"), N_("ASSESSED"), N_("FRAMEWORKS"), N_("OK"), N_("NG"),
                                       N_("REV"), N_("UNK"), N_("N/A"), N_("COV"), N_("APPLICANT")};
  static const bool right[NC] = {false, false, false, false, true, true, true, true, true, true, false};
  static const sh_verdict vs[6] = {SH_V_SATISFIED, SH_V_NOT_SATISFIED, SH_V_NEEDS_REVIEW, SH_V_UNKNOWN,
                                   SH_V_NOT_APPLICABLE, SH_V_COVERED};
  size_t n = runs->n + 1;
  const char **cells = sh_calloc(n * NC, sizeof *cells);
  char (*num)[7][24] = sh_calloc(n, sizeof *num);
  for (int c = 0; c < NC; c++) cells[c] = _(head[c]);
  for (size_t i = 0; i < runs->n; i++) {
    const sh_run_summary *r = runs->v[i];
    const char **row = cells + (i + 1) * NC;
    snprintf(num[i][0], sizeof num[i][0], "%lld", (long long)r->id);
    row[0] = num[i][0];
    row[1] = r->recorded_at;
    row[2] = r->assessment_date;
    row[3] = r->frameworks;
    for (int k = 0; k < 6; k++) {
      snprintf(num[i][k + 1], sizeof num[i][k + 1], "%zu", r->counts[vs[k]]);
      row[4 + k] = num[i][k + 1];
    }
    row[10] = r->applicant;
  }
  sh_text_table(out, cells, n, NC, right); /* aligned by display width whatever the applicant's name or frameworks */
  free(num);
  free(cells);
}

bool sh_store_is_pg(const char *location) {
  return location && (sh_str_startswith(location, "postgresql://") || sh_str_startswith(location, "postgres://"));
}

/* postgresql://USER:PASSWORD@HOST/DB?password=P&...: the password of the user part and every password=
 * parameter removed. Anything else is returned as it is. */
char *sh_store_redact(const char *location) {
  if (!sh_store_is_pg(location)) return sh_strdup(location);
  sh_buf b = {0};
  const char *p = strstr(location, "://") + 3;
  sh_buf_put(&b, location, (size_t)(p - location));
  const char *end = p + strcspn(p, "/?#");
  const char *at = NULL;
  for (const char *q = p; q < end; q++)
    if (*q == '@') at = q; /* the last '@' ends the user part */
  if (at) {
    const char *colon = memchr(p, ':', (size_t)(at - p));
    sh_buf_put(&b, p, (size_t)((colon ? colon : at) - p));
    p = at;
  }
  /* the rest, without password=... parameters */
  const char *qs = strchr(p, '?');
  if (!qs) {
    sh_buf_puts(&b, p);
    return sh_buf_steal(&b);
  }
  sh_buf_put(&b, p, (size_t)(qs - p));
  bool first = true;
  for (const char *q = qs + 1; *q;) {
    size_t n = strcspn(q, "&#");
    if (!(n >= 9 && strncmp(q, "password=", 9) == 0)) {
      sh_buf_putc(&b, first ? '?' : '&');
      sh_buf_put(&b, q, n);
      first = false;
    }
    q += n;
    if (*q == '#') {
      sh_buf_puts(&b, q);
      break;
    }
    if (*q) q++;
  }
  return sh_buf_steal(&b);
}

sh_store *sh_store_open_mode(const char *location, sh_store_mode mode, sh_diags *d) {
  if (sh_store_is_pg(location)) return sh_store_pg_open(location, mode, d);
  return sh_store_sqlite_open(location, mode, d);
}

sh_store *sh_store_open(const char *location, sh_diags *d) { return sh_store_open_mode(location, SH_STORE_WRITE, d); }

int sh_store_migrate(const char *location, int *from, int *to, sh_diags *d) {
  if (sh_store_is_pg(location)) return sh_store_pg_migrate(location, from, to, d);
  return sh_store_sqlite_migrate(location, from, to, d);
}

const char *sh_store_rel_name(const char *path, const char *base) {
  if (!path || !base || !*base) return path;
  size_t n = strlen(base);
  while (n > 1 && base[n - 1] == '/') n--;
  if (strncmp(path, base, n) == 0 && path[n] == '/') return path + n + 1;
  return path;
}

void sh_store_close(sh_store *s) {
  if (s) s->ops->close(s);
}

char *sh_store_join_lines(const sh_vec *v) {
  sh_buf b = {0};
  for (size_t i = 0; i < v->n; i++) sh_buf_printf(&b, "%s%s", i ? "\n" : "", (const char *)v->v[i]);
  return sh_buf_steal(&b);
}

void sh_store_split_lines(const char *s, sh_vec *out) {
  if (!s || !*s) return;
  for (const char *p = s;;) {
    const char *q = strchr(p, '\n');
    sh_vec_push(out, q ? sh_strndup(p, (size_t)(q - p)) : sh_strdup(p));
    if (!q) break;
    p = q + 1;
  }
}

int sh_store_input_text(const char *path, const char *text, size_t text_len, const char *expect_sha, char **data,
                        size_t *len, char hx[65], sh_diags *d) {
  *data = NULL;
  *len = 0;
  if (text) {
    *data = sh_malloc(text_len + 1);
    memcpy(*data, text, text_len);
    (*data)[text_len] = '\0';
    *len = text_len;
  } else if (sh_read_file(path, SH_YAML_MAX_BYTES, data, len) != 0) {
    sh_error_io(d, path, 0, 0, "cannot read it again to record the run");
    return -1;
  }
  sh_sha256_hex(*data, *len, hx);
  if (expect_sha && strcmp(hx, expect_sha) != 0) {
    sh_error_io(d, path, 0, 0, "the file changed while the run was being checked; check again");
    free(*data);
    *data = NULL;
    return -1;
  }
  return 0;
}
