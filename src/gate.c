/* gate: effective verdicts and the comparison of `check --baseline`. See gate.h. */
#include "gate.h"

#include "fileio.h"
#include "i18n.h"

#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void sh_gate_free(sh_gate *g) {
  sh_vec_free_all(&g->keys, free);
  sh_vec_free_all(&g->labels, free);
  sh_vec_free(&g->ranks);
}

static int rank_of(const char *verdict, bool waived) {
  if (!verdict) return 4;
  if (!strcmp(verdict, "satisfied") || !strcmp(verdict, "covered_by_certification") || !strcmp(verdict, "not_applicable"))
    return 0;
  if (waived) return 1;
  if (!strcmp(verdict, "needs_review")) return 2;
  if (!strcmp(verdict, "unknown")) return 3;
  return 4;
}

static void add(sh_gate *g, const char *fw, const char *item, const char *verdict, bool waived) {
  int r = rank_of(verdict, waived);
  sh_vec_push(&g->keys, sh_printf("%s:%s", fw, item));
  /* verdict ids as in the JSON report (language-neutral, what a CI script matches); "waived" is a word */
  sh_vec_push(&g->labels, r == 1 ? sh_printf(_("waived (%s)"), verdict ? verdict : "?") : sh_strdup(verdict ? verdict : "?"));
  sh_vec_push(&g->ranks, (void *)(intptr_t)r);
}

void sh_gate_from_eval(sh_gate *g, const sh_evaluation *e, const sh_review_state *rs) {
  for (size_t i = 0; i < e->results.n; i++) {
    const sh_result *r = e->results.v[i];
    const sh_item_review *ir = sh_review_for(rs, e, r);
    add(g, r->item->fw->id, r->item->id, sh_verdict_name(r->verdict), ir && ir->waiver_state == SH_WAIVER_ACTIVE);
  }
}

int sh_gate_from_json(sh_gate *g, const char *path, sh_diags *d) {
  char *text = NULL;
  size_t len = 0;
  if (sh_read_file(path, 64u << 20, &text, &len) != 0) {
    sh_error_io(d, path, 0, 0, "cannot read the baseline report");
    return -1;
  }
  struct json_tokener *tok = json_tokener_new_ex(64);
  struct json_object *root = tok ? json_tokener_parse_ex(tok, text, (int)len) : NULL;
  if (tok) json_tokener_free(tok);
  free(text);
  struct json_object *schema = NULL, *items = NULL;
  if (!root || !json_object_object_get_ex(root, "schema", &schema) ||
      strcmp(json_object_get_string(schema) ? json_object_get_string(schema) : "", "shinsa-check/1") != 0 ||
      !json_object_object_get_ex(root, "items", &items) || !json_object_is_type(items, json_type_array)) {
    sh_error(d, path, 0, 0, "not a shinsa-check/1 JSON report (write one with 'check --format json' or "
             "'report RUN --format json')");
    json_object_put(root);
    return -1;
  }
  for (size_t i = 0; i < json_object_array_length(items); i++) {
    struct json_object *it = json_object_array_get_idx(items, i), *fw, *id, *v, *rv, *w, *st;
    if (!json_object_object_get_ex(it, "framework", &fw) || !json_object_object_get_ex(it, "id", &id) ||
        !json_object_object_get_ex(it, "verdict", &v))
      continue;
    bool waived = json_object_object_get_ex(it, "review", &rv) && json_object_object_get_ex(rv, "waiver", &w) &&
                  json_object_object_get_ex(w, "state", &st) && json_object_get_string(st) &&
                  strcmp(json_object_get_string(st), "active") == 0;
    add(g, json_object_get_string(fw), json_object_get_string(id), json_object_get_string(v), waived);
  }
  json_object_put(root);
  return 0;
}

size_t sh_gate_compare(const sh_gate *base, const sh_gate *now, sh_vec *out) {
  size_t n = 0;
  for (size_t i = 0; i < now->keys.n; i++)
    for (size_t k = 0; k < base->keys.n; k++) {
      if (strcmp(now->keys.v[i], base->keys.v[k]) != 0) continue;
      if ((intptr_t)now->ranks.v[i] > (intptr_t)base->ranks.v[k]) {
        sh_vec_push(out, sh_printf("%s: %s -> %s", (const char *)now->keys.v[i], (const char *)base->labels.v[k],
                                   (const char *)now->labels.v[i]));
        n++;
      }
      break;
    }
  return n;
}
