/* probe_pg: the PostgreSQL server probe: postgresql.conf (include, include_if_exists, include_dir;
 * last value wins) and pg_hba.conf of every cluster found; yields system.postgresql.* facts. */
#ifndef SHINSA_PROBE_PG_H
#define SHINSA_PROBE_PG_H

#include "probe_conf.h"

void sh_probe_pg(sh_pctx *c);

#endif
