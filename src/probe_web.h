/* probe_web: the web server TLS probe: nginx (nginx.conf with include globs, conf.d, sites-enabled) and
 * Apache httpd (apache2.conf/httpd.conf with Include/IncludeOptional); yields system.web.tls_protocols
 * and system.web.weak_ciphers over every TLS-serving context. */
#ifndef SHINSA_PROBE_WEB_H
#define SHINSA_PROBE_WEB_H

#include "probe_conf.h"

void sh_probe_web(sh_pctx *c);

/* Protocol bits of system.web.tls_protocols, in the order of the fact's values. */
enum { SH_P_SSL2 = 1, SH_P_SSL3 = 2, SH_P_TLS10 = 4, SH_P_TLS11 = 8, SH_P_TLS12 = 16, SH_P_TLS13 = 32 };
/* Weak primitives an OpenSSL cipher string admits (after '!'/'-' removals), as a comma-separated list of
 * NULL, anon, export, low, des, 3des, rc4, md5; "" when none. Caller frees. */
char *sh_cipher_string_weak(const char *ciphers);

#endif
