/* scaffold: where an applicant starts. The facts a set of frameworks uses (in applies_if or require) with
 * their type, allowed values, labels and the items that use each (`shinsa facts`, text or JSON), and a
 * starting evidence package (`shinsa init`): evidence.yaml with the applicant block, every fact as a
 * commented entry (type, allowed values, ja/en labels, the items using it) grouped by the section of the
 * first item that uses it, and an answers: stub with the question of every manual item. The generated
 * file loads and lints as it is. All returned strings and vectors are owned by the caller. */
#ifndef SHINSA_SCAFFOLD_H
#define SHINSA_SCAFFOLD_H

#include "framework.h"

/* One fact and the items that use it. */
typedef struct {
  const sh_fact *fact;
  sh_vec items;          /* const sh_item*, in framework then item order */
  sh_vec in_require;     /* parallel to items: (void *)1 when the item's require uses the fact, else NULL */
  const sh_item *first;  /* the first item using it: its section groups the fact */
} sh_fact_use;

/* The facts used by the frameworks, ordered by first use. Free with sh_fact_uses_free. */
void sh_fact_uses(const sh_framework *const *fws, size_t n, sh_vec *out /* sh_fact_use* */);
void sh_fact_uses_free(sh_vec *uses);

/* `shinsa facts`: format "text" or "json" (schema shinsa-facts/1), labels in lang. Returns 0 or -1. */
int sh_facts_render(const sh_framework *const *fws, size_t n, const char *format, const char *lang, sh_buf *out,
                    sh_diags *d);

/* The text of a starting evidence.yaml for the frameworks; date is the assessment date written. */
char *sh_scaffold_evidence(const sh_framework *const *fws, size_t n, sh_date date);

/* `shinsa init`: writes DIR/evidence.yaml (and creates DIR and DIR/docs when missing). Refuses (I/O error,
 * nothing written) when DIR/evidence.yaml already exists. Returns 0 or -1. */
int sh_scaffold_init(const sh_framework *const *fws, size_t n, const char *dir, sh_date date, sh_diags *d);

#endif
