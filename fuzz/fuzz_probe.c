/* Fuzz target: one configuration probe, chosen at compile time by FZ_PROBE (fuzz/meson.build builds one
 * executable per probe). The input is written where the probe looks for its main file inside a scratch
 * root; for PostgreSQL the bytes after the first NUL become pg_hba.conf. Includes resolve inside the root. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "probe.h"
#include "probe_conf.h"
#include "probe_pg.h"
#include "probe_ssh.h"
#include "probe_sys.h"
#include "probe_web.h"

#define FZ_SSHD 1
#define FZ_NGINX 2
#define FZ_APACHE 3
#define FZ_POSTGRESQL 4
#define FZ_CRYPTTAB 5
#define FZ_JOURNALD 6
#define FZ_LOGROTATE 7

#if FZ_PROBE == FZ_SSHD
#define FZ_FILE "root/etc/ssh/sshd_config"
#define FZ_RUN sh_probe_ssh
#elif FZ_PROBE == FZ_NGINX
#define FZ_FILE "root/etc/nginx/nginx.conf"
#define FZ_RUN sh_probe_web
#elif FZ_PROBE == FZ_APACHE
#define FZ_FILE "root/etc/apache2/apache2.conf"
#define FZ_RUN sh_probe_web
#elif FZ_PROBE == FZ_POSTGRESQL
#define FZ_FILE "root/etc/postgresql/15/main/postgresql.conf"
#define FZ_RUN sh_probe_pg
#elif FZ_PROBE == FZ_CRYPTTAB
#define FZ_FILE "root/etc/crypttab"
#define FZ_RUN sh_probe_sys
#elif FZ_PROBE == FZ_JOURNALD
#define FZ_FILE "root/etc/systemd/journald.conf"
#define FZ_RUN sh_probe_sys
#elif FZ_PROBE == FZ_LOGROTATE
#define FZ_FILE "root/etc/logrotate.conf"
#define FZ_RUN sh_probe_sys
#else
#error "FZ_PROBE must name a probe"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  size_t main_len = size;
#if FZ_PROBE == FZ_POSTGRESQL
  const uint8_t *nul = memchr(data, 0, size);
  if (nul) main_len = (size_t)(nul - data);
  fz_write("root/etc/postgresql/15/main/pg_hba.conf", nul ? nul + 1 : data, nul ? size - main_len - 1 : 0);
#endif
  const char *p = fz_write(FZ_FILE, data, main_len);
  char *root = sh_path_join(fz_dir(), "root");
  (void)p;
  char real[PATH_MAX];
  if (!realpath(root, real)) abort();
  sh_diags d = {0};
  sh_probe_result *r = sh_calloc(1, sizeof *r);
  r->root = sh_strdup(root);
  sh_pctx c = {.root = root, .root_real = sh_strdup(real), .res = r, .d = &d};
  FZ_RUN(&c);
  free(c.root_real);
  sh_probe_result_free(r);
  sh_diags_free(&d);
  free(root);
  return 0;
}
