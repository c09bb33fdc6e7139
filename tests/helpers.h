/* helpers: shared test utilities: locating test data, loading the test registry, running the
 * shinsa executable and capturing its output, and writing scratch files. */
#ifndef SHINSA_TEST_HELPERS_H
#define SHINSA_TEST_HELPERS_H

#include "diag.h"
#include "eval.h"
#include "framework.h"

/* $SHINSA_TEST_DATA/rel (tests/data/rel). Caller frees. */
char *th_data(const char *rel);
/* $SHINSA_SOURCE_ROOT/rel. Caller frees. */
char *th_src(const char *rel);
/* $SHINSA_SHARED/rel, or NULL when the shared folder is absent. Caller frees. */
char *th_shared(const char *rel);
/* The registry of tests/data/datadir (test vocabulary + test-fw). Asserts it loads. */
sh_registry *th_test_registry(void);
/* The registry of the source tree's bundled data. Asserts it loads. */
sh_registry *th_bundled_registry(void);

/* Runs the shinsa executable with args (NULL-terminated), env SHINSA_DATA_DIR unset. Captures
 * stdout and stderr (caller frees). Returns the exit status. */
int th_run(char **out, char **err, const char *const *args);
/* The same, run through a wrapper: prefix (NULL-terminated, prefix[0] an absolute path) comes first, then the
 * shinsa executable and args (for example strace or setpriv). */
int th_run_with(const char *const *prefix, char **out, char **err, const char *const *args);
/* th_run with messages in lang ("ja": LC_ALL=ja_JP.UTF-8, which needs no installed locale; else the tests' C.UTF-8). */
int th_run_in(const char *lang, char **out, char **err, const char *const *args);
/* Asserts that text holds "WHERE: MESSAGE" (a diagnostic's location as diag.c prints it, then its message). */
void th_assert_at(const char *text, const char *where, const char *message);

/* A new empty temporary folder, removed with its contents when the test process exits. Caller frees
 * the returned string. */
char *th_tmpdir(void);
/* Writes text to dir/name (creating sub folders). Returns the full path; caller frees. */
char *th_write(const char *dir, const char *name, const char *text);
/* Joins diagnostics into one string, one per line. Caller frees. */
char *th_diags_str(const sh_diags *d);
/* Finds the result of an item by framework and id, or NULL. */
const sh_result *th_result(const sh_evaluation *e, const char *fw, const char *id);

/* Signed review. th_key: the private key of NAME for this test process, made by ssh-keygen (Ed25519) on
 * first use (do not free). th_add_reviewer: `shinsa reviewer add` NAME with ROLE and that key (data dir
 * tests/data/datadir); asserts success. th_review / th_waive: `shinsa review` / `shinsa waive` signed with
 * the key of the reviewer / approver, data dir tests/data/datadir; return the exit status (out/err: as th_run). */
const char *th_key(const char *name);
int th_add_reviewer(const char *db, const char *name, const char *role);
/* Several at once (one store open): NULL-terminated NAME, ROLE pairs. */
int th_add_reviewers(const char *db, const char *const *pairs);
int th_review(const char *db, const char *run, const char *item, const char *decision, const char *who,
              const char *role, const char *note, char **out, char **err);
int th_waive(const char *db, const char *run, const char *item, const char *approver, const char *justification,
             const char *scope, const char *expires, char **err);

#endif
