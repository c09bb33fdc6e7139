/* Fuzz target: the expression language (applies_if / requires) against the bundled vocabulary.
 * Oracle beyond memory safety: a parsed expression printed back must parse again to the same text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 4096) return 0;
  const sh_registry *reg = fz_registry();
  char *text = fz_cstr(data, size);
  sh_diags err = {0};
  sh_expr *e = sh_expr_parse(reg->vocab, text, &err);
  if (e) {
    char *s = sh_expr_to_string(e);
    sh_expr *e2 = sh_expr_parse(reg->vocab, s, &err);
    if (!e2) {
      fprintf(stderr, "printed expression does not parse again: '%s' from '%s'\n", s, text);
      abort();
    }
    char *s2 = sh_expr_to_string(e2);
    if (strcmp(s, s2) != 0) {
      fprintf(stderr, "printing is not stable: '%s' then '%s'\n", s, s2);
      abort();
    }
    free(s2);
    sh_expr_free(e2);
    free(s);
    sh_expr_free(e);
  }
  sh_diags_free(&err);
  free(text);
  return 0;
}
