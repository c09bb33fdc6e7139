/* Tests of the positioned YAML loader: positions, malformed input with FILE:LINE:COL, and limits. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "yamldoc.h"

static sh_ydoc *load(const char *text, sh_diags *d) { return sh_ydoc_load_string("t.yaml", text, strlen(text), d); }

/* Loads text expecting one error whose formatted form contains needle. */
static void load_err(const char *text, const char *needle) {
  sh_diags d = {0};
  sh_ydoc *doc = load(text, &d);
  cr_assert_null(doc, "should fail: %s", text);
  char *s = th_diags_str(&d);
  cr_assert(strstr(s, needle), "diagnostics '%s' lack '%s'", s, needle);
  free(s);
  sh_diags_free(&d);
}

Test(yamldoc, keeps_positions) {
  sh_diags d = {0};
  sh_ydoc *doc = load("a: 1\nb:\n  - x\n  - 'y z'\nc: {k: v}\n", &d);
  cr_assert_not_null(doc);
  const sh_ynode *a = sh_ymap_get(doc->root, "a");
  cr_assert_eq(a->line, 1);
  cr_assert_eq(a->col, 4);
  cr_assert(a->plain);
  const sh_ynode *b = sh_ymap_get(doc->root, "b");
  cr_assert_eq(b->kind, SH_Y_SEQ);
  cr_assert_eq(b->n, 2);
  cr_assert_eq(b->items[1]->line, 4);
  cr_assert_eq(b->items[1]->col, 5);
  cr_assert_str_eq(b->items[1]->str, "y z");
  cr_assert_eq(b->items[1]->style, '\'');
  cr_assert_not(b->items[1]->plain);
  const sh_ynode *k = sh_ymap_get(sh_ymap_get(doc->root, "c"), "k");
  cr_assert_eq(k->line, 5);
  cr_assert_eq(k->col, 8);
  sh_ydoc_free(doc);
  sh_diags_free(&d);
}

Test(yamldoc, columns_count_characters_not_bytes) {
  sh_diags d = {0};
  sh_ydoc *doc = load("名前: 値\n", &d);
  cr_assert_not_null(doc);
  cr_assert_eq(sh_ymap_get(doc->root, "名前")->col, 5);
  sh_ydoc_free(doc);
  sh_diags_free(&d);
}

Test(yamldoc, malformed_yaml_has_location) {
  load_err("a: [1, 2\nb: 3\n", "t.yaml:2:2: invalid YAML");
  load_err("a: 1\n  b: 2\n", "t.yaml:2:4: invalid YAML: mapping values are not allowed");
  load_err("a: \"unterminated\n", "t.yaml:2:1: invalid YAML");
  load_err("a: *nope\n", "t.yaml:1:4: unknown YAML alias *nope");
}

Test(yamldoc, duplicate_keys_are_errors) { load_err("a: 1\nb: 2\na: 3\n", "t.yaml:3:1: duplicate key 'a'"); }

Test(yamldoc, several_documents_are_refused) { load_err("a: 1\n---\nb: 2\n", "only one YAML document"); }

Test(yamldoc, non_scalar_keys_and_merge_keys_are_refused) {
  load_err("? [a, b]\n: 1\n", "mapping keys must be scalars");
  load_err("base: &b {x: 1}\nd:\n  <<: *b\n", "t.yaml:3:3: YAML merge keys");
}

Test(yamldoc, aliases_are_bounded) {
  /* A "billion laughs" of aliases: each level doubles; refused by count or expanded size. */
  sh_buf b = {0};
  sh_buf_puts(&b, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
  for (int i = 1; i < 12; i++)
    sh_buf_printf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i - 1, i - 1,
                  i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
  sh_diags d = {0};
  sh_ydoc *doc = load(sh_buf_str(&b), &d);
  cr_assert_null(doc);
  char *s = th_diags_str(&d);
  cr_assert(strstr(s, "too many YAML aliases") || strstr(s, "SH_YAML_MAX_ALIAS_EXPANSION"), "%s", s);
  free(s);
  sh_diags_free(&d);
  sh_buf_free(&b);
  /* A few aliases are fine and share the node. */
  sh_diags d2 = {0};
  sh_ydoc *ok = load("x: &v [1, 2]\ny: *v\n", &d2);
  cr_assert_not_null(ok);
  cr_assert_eq(sh_ymap_get(ok->root, "x"), sh_ymap_get(ok->root, "y"));
  sh_ydoc_free(ok);
  sh_diags_free(&d2);
}

Test(yamldoc, depth_is_bounded) {
  sh_buf b = {0};
  for (int i = 0; i < 200; i++) sh_buf_putc(&b, '[');
  for (int i = 0; i < 200; i++) sh_buf_putc(&b, ']');
  load_err(sh_buf_str(&b), "nesting deeper than 64");
  sh_buf_free(&b);
}

Test(yamldoc, files_missing_nul_and_size) {
  sh_diags d = {0};
  cr_assert_null(sh_ydoc_load_file("/nonexistent/x.yaml", &d));
  char *s = th_diags_str(&d);
  cr_assert(strstr(s, "/nonexistent/x.yaml: cannot read: No such file"), "%s", s);
  free(s);
  sh_diags_free(&d);

  char *dir = th_tmpdir();
  char *p = sh_path_join(dir, "nul.yaml");
  FILE *f = fopen(p, "wb");
  fwrite("a: 1\nb: x\0y\n", 1, 12, f);
  fclose(f);
  cr_assert_null(sh_ydoc_load_file(p, &d));
  s = th_diags_str(&d);
  cr_assert(strstr(s, "nul.yaml:2:5: NUL byte"), "%s", s);
  free(s);
  sh_diags_free(&d);

  char *big = sh_path_join(dir, "big.yaml");
  f = fopen(big, "wb");
  char line[] = "# padding padding padding padding padding padding padding padding padding padding\n";
  for (size_t n = 0; n <= SH_YAML_MAX_BYTES / (sizeof line - 1) + 1; n++) fputs(line, f);
  fclose(f);
  cr_assert_null(sh_ydoc_load_file(big, &d));
  s = th_diags_str(&d);
  /* The bound is crossed inside line 204,601 (82-byte lines): byte 16,777,216 is at column 17. */
  cr_assert(strstr(s, "big.yaml:204601:17: YAML file larger than 16777216 bytes (bound SH_YAML_MAX_BYTES"), "%s", s);
  free(s);
  sh_diags_free(&d);
  remove(p);
  remove(big);
  free(p);
  free(big);
  free(dir);
}

Test(yamldoc, checked_accessors_report_positions) {
  sh_diags d = {0};
  sh_ydoc *doc = load("n: abc\nb: maybe\nd: 2024-13-01\nm: {ja: x, fr: y}\nq: \"12\"\n", &d);
  cr_assert_not_null(doc);
  int64_t i;
  bool bo;
  sh_date dt;
  char *ja, *en;
  cr_assert_not(sh_y_int(doc, sh_ymap_get(doc->root, "n"), &i, "n", &d));
  cr_assert_not(sh_y_bool(doc, sh_ymap_get(doc->root, "b"), &bo, "b", &d));
  cr_assert_not(sh_y_date(doc, sh_ymap_get(doc->root, "d"), &dt, "d", &d));
  cr_assert_not(sh_y_text(doc, sh_ymap_get(doc->root, "m"), &ja, &en, "m", &d));
  cr_assert_not(sh_y_int(doc, sh_ymap_get(doc->root, "q"), &i, "q", &d), "a quoted number is text");
  char *s = th_diags_str(&d);
  cr_assert(strstr(s, "t.yaml:1:4: n must be an integer, not 'abc'"), "%s", s);
  cr_assert(strstr(s, "t.yaml:2:4: b must be true or false"), "%s", s);
  cr_assert(strstr(s, "t.yaml:3:4: d must be a date YYYY-MM-DD"), "%s", s);
  cr_assert(strstr(s, "t.yaml:4:12: unknown key 'fr' in m"), "%s", s);
  free(s);
  sh_ydoc_free(doc);
  sh_diags_free(&d);
}

Test(yamldoc, invalid_utf8_is_located_at_the_byte) {
  /* libyaml's reader reports a byte offset, not a mark: the error must still name line 2. */
  load_err("a: ok\nb: caf\xC3\x28\n", "t.yaml:2:8: invalid UTF-8: invalid trailing UTF-8 octet 0x28");
  load_err("a: 1\nbb: \xFF\n", "t.yaml:2:5: invalid UTF-8: invalid leading UTF-8 octet 0xFF");
  load_err("a: \xE6\x97\xA5\xE6\x9C\xAC\n\xE6\x97\xA5: \x01\n", "t.yaml:2:4: invalid YAML input: control characters");
}

Test(yamldoc, nul_is_located) {
  sh_diags d = {0};
  cr_assert_null(sh_ydoc_load_string("t.yaml", "a: 1\nbc: x\0y\n", 13, &d));
  char *s = th_diags_str(&d);
  cr_assert(strstr(s, "t.yaml:2:6: NUL byte"), "%s", s);
  free(s);
  sh_diags_free(&d);
}

Test(yamldoc, many_nodes_without_aliases_load) {
  /* 150,000 keys, no alias: far past the alias-expansion bound, well under the node bound; loads. */
  sh_buf b = {0};
  for (int i = 0; i < 150000; i++) sh_buf_printf(&b, "k%d: %d\n", i, i);
  sh_diags d = {0};
  sh_ydoc *doc = load(sh_buf_str(&b), &d);
  char *s = th_diags_str(&d);
  cr_assert_not_null(doc, "%s", s);
  cr_assert_eq(doc->root->n, 150000);
  free(s);
  sh_ydoc_free(doc);
  sh_diags_free(&d);
  /* A duplicate among many keys is still found, at its position. */
  sh_buf_printf(&b, "k%d: again\n", 99999);
  load_err(sh_buf_str(&b), "t.yaml:150001:1: duplicate key 'k99999'");
  sh_buf_free(&b);
}

Test(yamldoc, node_bound_is_named) {
  sh_buf b = {0};
  sh_buf_putc(&b, '[');
  for (unsigned i = 0; i <= SH_YAML_MAX_NODES; i++) sh_buf_puts(&b, i ? ",1" : "1");
  sh_buf_puts(&b, "]\n");
  load_err(sh_buf_str(&b), "more than 2000000 nodes (bound SH_YAML_MAX_NODES");
  sh_buf_free(&b);
}
