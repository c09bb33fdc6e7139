/* consistency: see consistency.h. */
#include "consistency.h"

#include <stdlib.h>
#include <string.h>

#include "expr.h"

static const sh_fact_value *value_of(const sh_evidence *ev, const char *id, const sh_fact **f_out) {
  const sh_fact *f = sh_vocab_find(ev->vocab, id);
  if (f_out) *f_out = f;
  return f ? sh_evidence_get(ev, f) : NULL;
}

/* Recipients other than the person (data.recipients) while third-party provision is declared not performed. */
static void recipients_vs_provision(const sh_evidence *ev, sh_vec *findings) {
  const sh_fact *pf;
  const sh_fact_value *perf = value_of(ev, "third_party_provision.performed", &pf);
  if (!perf || perf->value.type != SH_T_BOOL || perf->value.b) return;
  for (size_t i = 0; i < ev->data_items.n; i++) {
    const sh_data_item *di = ev->data_items.v[i];
    sh_buf b = {0};
    for (size_t k = 0; k < di->recipients.n; k++)
      if (strcmp(di->recipients.v[k], "self") != 0) sh_buf_printf(&b, "%s%s", b.len ? ", " : "", (char *)di->recipients.v[k]);
    if (b.len)
      sh_vec_push(findings,
                  sh_reason_fact_arg(
                    sh_reason_new_message(pf, "%s:%d:%d: data item '%s' lists recipients other than the person (%s), but "
                                              "%s is false (%s:%d:%d): a contradiction",
                                          SH_EVIDENCE_NAME, di->line, di->col, di->id ? di->id : "?", sh_buf_str(&b),
                                          pf->id, perf->origin ? perf->origin : SH_EVIDENCE_NAME, perf->line, perf->col),
                    5));
    sh_buf_free(&b);
  }
}

/* A declared level that the MHLW item-code table contradicts (the table's level is the one used). */
static void levels_vs_code_table(const sh_evidence *ev, sh_vec *findings) {
  for (size_t i = 0; i < ev->data_items.n; i++) {
    const sh_data_item *di = ev->data_items.v[i];
    if (di->table_level < 0 || di->declared_level < 0 || di->table_level == di->declared_level) continue;
    const char *id = di->id ? di->id : "?";
    sh_vec_push(findings,
                di->table_level == 2
                  ? sh_reason_new_message(NULL, "%s:%d:%d: data item '%s' is declared level %d, but its code %s is a "
                                                "specific-checkup item of the MHLW item-code table: level %d (the table's "
                                                "level is used)",
                                          SH_EVIDENCE_NAME, di->line, di->col, id, di->declared_level, di->code,
                                          di->table_level)
                  : sh_reason_new_message(NULL, "%s:%d:%d: data item '%s' is declared level %d, but its code %s is a "
                                                "non-specific-checkup item of the MHLW item-code table: level %d (the "
                                                "table's level is used)",
                                          SH_EVIDENCE_NAME, di->line, di->col, id, di->declared_level, di->code,
                                          di->table_level));
  }
}

/* A name with spaces (ASCII and the ideographic space U+3000) removed, so "長島 公之" and "長島公之" are one person. */
static char *name_key(const char *s) {
  sh_buf b = {0};
  for (const char *p = s; *p; p++) {
    if (*p == ' ' || *p == '\t') continue;
    if ((unsigned char)p[0] == 0xE3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x80) {
      p += 2;
      continue;
    }
    sh_buf_putc(&b, *p);
  }
  return sh_buf_steal(&b);
}

/* One person holding several officer roles (governance.officer.*, seed 004 lines 205-215): for the reviewer. */
static void officer_roles(const sh_evidence *ev, sh_vec *findings) {
  static const char prefix[] = "governance.officer.";
  size_t n = sh_vocab_count(ev->vocab);
  bool *done = sh_calloc(n ? n : 1, sizeof *done);
  for (size_t i = 0; i < n; i++) {
    const sh_fact *f = sh_vocab_at(ev->vocab, i);
    const sh_fact_value *fv = sh_evidence_get(ev, f);
    if (done[i] || f->type != SH_T_TEXT || strncmp(f->id, prefix, sizeof prefix - 1) != 0 || !fv || !fv->value.text)
      continue;
    char *key = name_key(fv->value.text);
    if (!*key) {
      free(key);
      continue;
    }
    sh_buf roles = {0};
    size_t count = 0;
    for (size_t j = i; j < n; j++) {
      const sh_fact *g = sh_vocab_at(ev->vocab, j);
      const sh_fact_value *gv = sh_evidence_get(ev, g);
      if (g->type != SH_T_TEXT || strncmp(g->id, prefix, sizeof prefix - 1) != 0 || !gv || !gv->value.text) continue;
      char *k2 = name_key(gv->value.text);
      if (strcmp(k2, key) == 0) {
        done[j] = true;
        sh_buf_printf(&roles, "%s%s (%s:%d:%d)", count++ ? ", " : "", g->id + sizeof prefix - 1,
                      gv->origin ? gv->origin : SH_EVIDENCE_NAME, gv->line, gv->col);
      }
      free(k2);
    }
    if (count > 1)
      sh_vec_push(findings, sh_reason_new_message(f, "%s holds %zu officer roles: %s; a combination of roles for the "
                                                     "reviewer to look at (separation of duties)",
                                                  fv->value.text, count, sh_buf_str(&roles)));
    sh_buf_free(&roles);
    free(key);
  }
  free(done);
}

/* The data ethics board's composition: a count of members of one kind above the number of members, and more
 * medical professionals than natural-science experts, who include them (rules/facts.yaml: seed 000 line 2727
 * counts medical experts among the natural-science experts). */
static void board_composition(const sh_evidence *ev, sh_vec *findings) {
  static const char *const kinds[] = {"ethics_board.external_members", "ethics_board.medical_members",
                                      "ethics_board.natural_science_members", "ethics_board.humanities_members",
                                      "ethics_board.lay_members"};
  const sh_fact *tf;
  const sh_fact_value *total = value_of(ev, "ethics_board.members", &tf);
  if (total && total->value.type != SH_T_INT) total = NULL;
  for (size_t i = 0; total && i < sizeof kinds / sizeof kinds[0]; i++) {
    const sh_fact *f;
    const sh_fact_value *fv = value_of(ev, kinds[i], &f);
    if (!fv || fv->value.type != SH_T_INT || fv->value.i <= total->value.i) continue;
    sh_vec_push(findings, sh_reason_fact_arg(sh_reason_new_message(f, "%s:%d:%d: %s is %lld, more than "
                                                                      "ethics_board.members (%lld): a contradiction",
                                                                   fv->origin ? fv->origin : SH_EVIDENCE_NAME, fv->line,
                                                                   fv->col, f->id, (long long)fv->value.i,
                                                                   (long long)total->value.i),
                                             3));
  }
  const sh_fact *mf, *nf;
  const sh_fact_value *med = value_of(ev, "ethics_board.medical_members", &mf);
  const sh_fact_value *nat = value_of(ev, "ethics_board.natural_science_members", &nf);
  if (med && nat && med->value.type == SH_T_INT && nat->value.type == SH_T_INT && med->value.i > nat->value.i)
    sh_vec_push(findings, sh_reason_new_message(nf, "%s:%d:%d: ethics_board.medical_members is %lld, more than "
                                                    "ethics_board.natural_science_members (%lld), which counts the "
                                                    "medical professionals too: a contradiction",
                                                nat->origin ? nat->origin : SH_EVIDENCE_NAME, nat->line, nat->col,
                                                (long long)med->value.i, (long long)nat->value.i));
}

void sh_consistency_findings(const sh_evidence *ev, sh_vec *findings) {
  recipients_vs_provision(ev, findings);
  levels_vs_code_table(ev, findings);
  officer_roles(ev, findings);
  board_composition(ev, findings);
}
