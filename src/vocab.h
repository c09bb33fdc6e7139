/* vocab: the shared fact vocabulary (rules/facts.yaml): every fact with its type, unit,
 * allowed values and labels, the stated implications between conditions, and typed fact values. */
#ifndef SHINSA_VOCAB_H
#define SHINSA_VOCAB_H

#include "yamldoc.h"

typedef enum { SH_T_BOOL, SH_T_INT, SH_T_ENUM, SH_T_SET, SH_T_DATE, SH_T_TEXT } sh_type;

#define SH_MAX_ENUM_VALUES 64 /* enum and set facts: values are bits of a 64-bit mask */

/* A typed value. For SH_T_ENUM `i` is the value's index; for SH_T_SET `set` is a bit mask of indices;
 * for SH_T_DATE `i` is days since 1970-01-01; SH_T_TEXT owns `text`. */
typedef struct {
  sh_type type;
  bool b;
  int64_t i;
  uint64_t set;
  char *text;
} sh_value;

typedef struct sh_fact {
  char *id;
  sh_type type;
  char *unit;       /* integer facts: unit, or NULL */
  char **values;    /* enum/set: allowed value names */
  size_t nvalues;
  char **value_ja, **value_en; /* enum/set: label of each value (`value_labels:`), NULL arrays when none given */
  bool derived;     /* computed by shinsa; cannot be declared in evidence */
  char *label_ja, *label_en, *desc_ja, *desc_en;
  size_t index;     /* position in the vocabulary, 0..n-1 */
  char *file;
  int line, col;
} sh_fact;

struct sh_expr;

typedef struct {
  struct sh_expr *if_, *then_; /* owned */
  char *note_ja, *note_en;
  char *file;
  int line, col;
} sh_implication;

/* The vocabulary. Owns its facts and implications. */
typedef struct sh_vocab {
  char *id, *version;
  sh_vec facts;        /* sh_fact*, in order; facts.v[k]->index == k */
  sh_vec implications; /* sh_implication* */
  sh_strmap by_id;
  sh_vec files;        /* char* paths loaded */
  sh_vec texts;        /* sh_buf*: the text of each of files as read (once; the store records it, no re-read) */
  sh_strmap seen;      /* while loading: fact ids met so far (valid or not) -> their YAML node */
} sh_vocab;

/* Loads and merges vocabulary files. Returns a new vocabulary (free with sh_vocab_free) when
 * there was no error; otherwise NULL, with every error added to d. */
sh_vocab *sh_vocab_load(const char *const *paths, size_t npaths, sh_diags *d);
void sh_vocab_free(sh_vocab *v);

const sh_fact *sh_vocab_find(const sh_vocab *v, const char *id);
/* The fact id nearest to name (edit distance at most 3), for did-you-mean hints; NULL when none. */
const char *sh_vocab_closest(const sh_vocab *v, const char *name);
size_t sh_vocab_count(const sh_vocab *v);
const sh_fact *sh_vocab_at(const sh_vocab *v, size_t i);

/* Index of a value name of an enum/set fact, or -1. */
int sh_fact_value_index(const sh_fact *f, const char *name);
/* The label of value `k` of an enum/set fact in `lang` ("ja" or "en"; falls back to the other, then to the value name). */
const char *sh_fact_value_label(const sh_fact *f, size_t k, const char *lang);
const char *sh_type_name(sh_type t);

/* Reads a value of fact f from a YAML node (scalar or, for sets, a list). Adds errors with the node's
 * position to d and returns false on a type mismatch or unknown value. out->text is owned by out. */
bool sh_value_from_yaml(const sh_fact *f, const sh_ydoc *doc, const sh_ynode *n, sh_value *out, sh_diags *d);
/* Parses a value from text (as probes and the review workflow produce): booleans true/false,
 * integers, enum names, set names separated by commas, dates, text. Returns false with *err set
 * (a static catalog message in English: show it with _()) when it does not fit the type. */
bool sh_value_from_string(const sh_fact *f, const char *s, sh_value *out, const char **err);
/* Formats a value for people: true/false, 30, name, [a, b], 2024-03-01, "text". Caller frees. */
char *sh_value_format(const sh_fact *f, const sh_value *v);
bool sh_value_equal(const sh_value *a, const sh_value *b);
void sh_value_copy(sh_value *dst, const sh_value *src);
void sh_value_clear(sh_value *v);

#endif
