/* consistency: see consistency.h. */
#include "consistency.h"

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
                  sh_reason_new_message(pf, "%s:%d:%d: data item '%s' lists recipients other than the person (%s), but "
                                            "third_party_provision.performed is false (%s:%d:%d): a contradiction",
                                        ev->file, di->line, di->col, di->id ? di->id : "?", sh_buf_str(&b),
                                        perf->origin ? perf->origin : ev->file, perf->line, perf->col));
    sh_buf_free(&b);
  }
}

/* A declared level that the MHLW item-code table contradicts (the table's level is the one used). */
static void levels_vs_code_table(const sh_evidence *ev, sh_vec *findings) {
  for (size_t i = 0; i < ev->data_items.n; i++) {
    const sh_data_item *di = ev->data_items.v[i];
    if (di->table_level < 0 || di->declared_level < 0 || di->table_level == di->declared_level) continue;
    sh_vec_push(findings, sh_reason_new_message(NULL,
                                                "%s:%d:%d: data item '%s' is declared level %d, but its code %s is a %s "
                                                "item of the MHLW item-code table: level %d (the table's level is used)",
                                                ev->file, di->line, di->col, di->id ? di->id : "?", di->declared_level,
                                                di->code, di->table_level == 2 ? "specific-checkup" : "non-specific-checkup",
                                                di->table_level));
  }
}

void sh_consistency_findings(const sh_evidence *ev, sh_vec *findings) {
  recipients_vs_provision(ev, findings);
  levels_vs_code_table(ev, findings);
}
