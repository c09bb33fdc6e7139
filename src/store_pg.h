/* store_pg: raw access to a PostgreSQL store for `shinsa db copy` (store_copy.c); the store itself is opened
 * through store.h (sh_store_open*). All take a store opened on a postgresql:// URL. */
#ifndef SHINSA_STORE_PG_H
#define SHINSA_STORE_PG_H

#include "auditlog.h"
#include "store.h"

/* The store's rows as typed values (auditlog.h's sh_audit_db: each, high_water). */
void sh_store_pg_raw_db(sh_store *s, sh_audit_db *out);
/* A write transaction holding the store's lock, and its end (commit when rc == 0, else roll back). */
int sh_store_pg_begin(sh_store *s, sh_diags *d);
int sh_store_pg_finish(sh_store *s, int rc, sh_diags *d);
/* Runs sql, its `?` bound in order to the n values v (bound parameters, never SQL text). 0 or -1 with d. */
int sh_store_pg_exec(sh_store *s, const char *sql, const sh_av *v, int n, sh_diags *d);

#endif
