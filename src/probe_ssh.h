/* probe_ssh: the OpenSSH server probe: /etc/ssh/sshd_config with Include globs and Match blocks, read with
 * sshd's first-value-wins rule; yields system.ssh.password_only_login, permit_root_login, multi_factor. */
#ifndef SHINSA_PROBE_SSH_H
#define SHINSA_PROBE_SSH_H

#include "probe_conf.h"

void sh_probe_ssh(sh_pctx *c);

#endif
