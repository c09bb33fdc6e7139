/* expr: the requirement expression language of `applies_if`, `require` and vocabulary
 * implications: lexer, parser, type checking against the vocabulary, three-valued evaluation,
 * explanations of failures, and canonical printing. The AST is public so that the logic module
 * (implication between expressions) can reason about it. Grammar: docs/formats.md §2. */
#ifndef SHINSA_EXPR_H
#define SHINSA_EXPR_H

#include "vocab.h"

typedef enum {
  SH_E_AND,  /* kids[0..n) all hold */
  SH_E_OR,   /* some kid holds */
  SH_E_NOT,  /* kids[0] does not hold */
  SH_E_ATOM, /* a test on one fact */
} sh_ekind;

typedef enum {
  SH_OP_EQ,           /* fact = lit (any type; set: equal sets) */
  SH_OP_NE,           /* fact != lit */
  SH_OP_LT, SH_OP_LE, SH_OP_GT, SH_OP_GE, /* integer, date */
  SH_OP_IN,           /* enum: fact's value index in lit.set (mask) */
  SH_OP_NOT_IN,       /* enum: not in mask */
  SH_OP_CONTAINS_ALL, /* set: (fact & lit.set) == lit.set   (`contains X` is contains all [X]) */
  SH_OP_CONTAINS_ANY, /* set: (fact & lit.set) != 0 */
  SH_OP_SUBSET,       /* set: (fact & ~lit.set) == 0 */
} sh_op;

typedef struct sh_expr {
  sh_ekind kind;
  int pos;               /* 0-based character offset in the source text (for messages) */
  struct sh_expr **kids; /* AND/OR: n >= 2 kids; NOT: 1 kid */
  size_t n;
  /* atoms */
  const sh_fact *fact;   /* borrowed from the vocabulary */
  sh_op op;
  sh_value lit;          /* literal; for list operators lit.set holds the mask (lit.type = fact type) */
  bool bare;             /* written as a bare boolean fact (`x` for `x = true`) */
} sh_expr;

/* Three-valued truth. */
typedef enum { SH_TV_FALSE = 0, SH_TV_TRUE = 1, SH_TV_UNKNOWN = 2 } sh_tv;

/* Parses and type-checks text against vocab. Returns a new expression (free with sh_expr_free),
 * or NULL after adding one data error to d: no file, line 0, col = the 1-based character position
 * in text (sh_expr_parse_node turns it into FILE:LINE:COL). The expression borrows facts from vocab,
 * which must outlive it. */
sh_expr *sh_expr_parse(const sh_vocab *vocab, const char *text, sh_diags *d);
void sh_expr_free(sh_expr *e);
sh_expr *sh_expr_clone(const sh_expr *e);

/* Builders (used by the logic module and tests): each takes ownership of its kid arguments. */
sh_expr *sh_expr_new_atom(const sh_fact *f, sh_op op, const sh_value *lit);
sh_expr *sh_expr_new_not(sh_expr *kid);
sh_expr *sh_expr_new_nary(sh_ekind kind, sh_expr **kids, size_t n); /* n >= 1; n == 1 returns the kid */

/* Parses the expression in a YAML scalar node, reporting errors at FILE:LINE:COL (the column inside
 * the expression is translated to the file position). Returns NULL after adding an error to d. */
sh_expr *sh_expr_parse_node(const sh_vocab *vocab, const sh_ydoc *doc, const sh_ynode *node,
                            const char *what, sh_diags *d);

/* Fact values are supplied by a lookup: NULL when the fact has no value. */
typedef const sh_value *(*sh_lookup_fn)(const void *ctx, const sh_fact *f);

sh_tv sh_expr_eval(const sh_expr *e, sh_lookup_fn lookup, const void *ctx);
sh_tv sh_atom_eval(const sh_expr *atom, const sh_value *v); /* v may be NULL (unknown) */

/* Why an item has its verdict, or a package-level finding. Two kinds:
 *  - an atom reason (from sh_expr_explain): fact, condition, required and actual are set, key is NULL; it is
 *    rendered at report time with the fact's label in the report language and its id;
 *  - a message reason (sh_reason_new_message): key is the English msgid (a printf format without positional
 *    conversions) and args its arguments, each already converted to text; rendered by translating key in
 *    the report language (po/ja.po) and substituting args (the translation may reorder them with %1$s).
 * `message` is the English sentence in both cases, for consumers that want one stable text (JSON "message",
 * OSCAL). A reason rebuilt from a run recorded before keys were stored has neither key nor atom fields that
 * resolve: it renders as its recorded `message`. Every string is owned by the reason (sh_reason_free). */
typedef struct sh_reason {
  const sh_fact *fact;
  char *condition; /* the atom as written, negated when it had to fail: "not (x = true)" */
  char *required;  /* e.g. ">= 30", "contains any [isms, pmark]" */
  char *actual;    /* formatted value, or NULL when the fact has no value */
  char *message;   /* the English sentence (always set) */
  char *key;       /* message reasons: the English msgid (format); NULL for atoms and old recorded reasons */
  char **args;     /* key's arguments as text, in the order of its conversions */
  size_t nargs;
  unsigned tr;     /* bit k set: args[k] is a word translated when rendered (sh_reason_tr_arg) */
  unsigned factarg; /* bit k set: args[k] is the id of `fact`, rendered with its label (sh_reason_fact_arg) */
  char **ja;       /* NULL, or nargs entries: the Japanese text of args[k] when it is a text in two languages (the
                    * framework's, sh_reason_text_arg); args[k] is then the English text */
  struct sh_reason **sub; /* NULL, or nargs entries: args[k] is a reason of its own, rendered in the report
                           * language (sh_reason_sub_arg); args[k] holds its English message */
} sh_reason;

/* A reason that is not about one atom (a document problem, an expired certification, ...). fmt is the English
 * msgid (an xgettext keyword, po/meson.build): conversions %s %d %i %u %x %c %f %g with the usual flags, width,
 * precision and length (hh h l ll z j t), no positional ones and no `*`. Each argument is converted to text now. */
sh_reason *sh_reason_new_message(const sh_fact *fact, const char *fmt, ...) SH_PRINTF(2, 3);
/* Marks args[k] as a word translated when rendered (a provenance, a document status, an answer status): its
 * catalog entry has the message context SH_REASON_WORD_CTX (marked NC_(SH_REASON_WORD_CTX, "word") where the
 * words are listed, eval.c), so that it is not confused with the same English word elsewhere. Returns re. */
#define SH_REASON_WORD_CTX "reason-word"
/* Marks a word for the catalog in a message context (xgettext keyword NC_:1c,2); translated where used. */
#define NC_(ctx, s) (s)
sh_reason *sh_reason_tr_arg(sh_reason *re, size_t k);
/* Marks args[k] as the id of the reason's fact: rendered as the fact's label in the report language with the id,
 * "Label (fact.id)" / 「ラベル（fact.id）」 (the id alone when the fact has no label). Returns re. */
sh_reason *sh_reason_fact_arg(sh_reason *re, size_t k);
/* Makes args[k] a text the framework gives in two languages (an item's evidence_needed, ...): shown as ja in a
 * Japanese report and en in an English one, the other when one is missing (a text with only Japanese stays
 * Japanese: it is the framework's text, not shinsa's). Replaces args[k] and the English message. Returns re. */
sh_reason *sh_reason_text_arg(sh_reason *re, size_t k, const char *ja, const char *en);
/* Makes args[k] the reason sub (owned by re from now on), rendered in the report language where args[k] stands
 * (e.g. why a reviewer's decision is not counted). Replaces args[k] and the English message. Returns re. */
sh_reason *sh_reason_sub_arg(sh_reason *re, size_t k, sh_reason *sub);
/* A deep copy of re (caller frees with sh_reason_free); NULL for NULL. */
sh_reason *sh_reason_dup(const sh_reason *re);
/* "Label (id)" of f in lang (the id alone when f has no label). Caller frees. */
char *sh_fact_name(const sh_fact *f, const char *lang);
/* A message reason from recorded parts (key may be NULL: a reason recorded before keys, shown as message).
 * Copies everything. */
sh_reason *sh_reason_new_keyed(const sh_fact *fact, const char *key, char *const *args, size_t nargs, unsigned tr,
                               unsigned factarg, const char *message);
/* The reason in lang ("ja" or "en"): caller frees. Atom reasons name the fact by its label with the id
 * ("Label (fact.id) is false; required: = true"); message reasons are key translated with args substituted;
 * otherwise the recorded message. */
char *sh_reason_text(const sh_reason *re, const char *lang);
/* fmt with the string args substituted: %N$... takes args[N-1], any other conversion the next one (flags, width
 * and length are read and ignored: args are text already); %% is a percent sign; a missing argument is "".
 * Caller frees. */
char *sh_reason_format(const char *fmt, char *const *args, size_t nargs);

/* Appends to out (sh_reason*, caller frees with sh_reason_free) the atoms responsible for e not
 * being `want`: false atoms that had to hold, true atoms that had to fail, and unknown atoms. */
void sh_expr_explain(const sh_expr *e, bool want, sh_lookup_fn lookup, const void *ctx, sh_vec *out);
void sh_reason_free(void *r);

/* Canonical text of an expression (re-parses to the same tree). Caller frees. */
char *sh_expr_to_string(const sh_expr *e);
/* Appends each distinct fact used by e to out (const sh_fact*), in first-use order. */
void sh_expr_facts(const sh_expr *e, sh_vec *out);
const char *sh_op_text(sh_op op);

#endif
