/* probe_sys: operating-system probes: /etc/crypttab (encrypted volumes), systemd-journald (Storage,
 * MaxRetentionSec with drop-ins) and logrotate (rotate count times period as retention days, includes). */
#ifndef SHINSA_PROBE_SYS_H
#define SHINSA_PROBE_SYS_H

#include "probe_conf.h"

void sh_probe_sys(sh_pctx *c);

/* Parses a systemd time span ("1month", "2w 3d", "86400") into seconds. Returns false when malformed. */
bool sh_timespan_seconds(const char *s, double *out);

#endif
