/* Tests of the configuration probes on the default files of Debian 12 packages (tests/data/probe/debian,
 * see the README there) and on hardened variants written here: expected facts and line numbers, include
 * handling (globs, folders, symlinks, escapes, loops), and merging probed facts into an evidence package. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "probe.h"
#include "probe_conf.h"
#include "probe_sys.h"
#include "probe_web.h"

static char *tmp;
static sh_diags d;

static void setup(void) {
  tmp = th_tmpdir();
  memset(&d, 0, sizeof d);
}
static void teardown(void) {
  sh_diags_free(&d);
  free(tmp);
}

TestSuite(probe, .init = setup, .fini = teardown);

/* Asserts fact = value at a file ending with file_suffix and line. */
static void expect(const sh_probe_result *r, const char *fact, const char *value, const char *file_suffix, int line) {
  const sh_probed *e = sh_probe_get(r, fact);
  cr_assert(e, "fact %s not probed", fact);
  cr_expect_str_eq(e->value, value, "%s", fact);
  size_t n = strlen(e->file), k = strlen(file_suffix);
  cr_expect(n >= k && strcmp(e->file + n - k, file_suffix) == 0, "%s: file %s, expected ...%s", fact, e->file,
            file_suffix);
  cr_expect_eq(e->line, line, "%s: line %d, expected %d", fact, e->line, line);
}

static bool read_file_named(const sh_probe_result *r, const char *suffix) {
  for (size_t i = 0; i < r->files.n; i++) {
    const char *f = r->files.v[i];
    size_t n = strlen(f), k = strlen(suffix);
    if (n >= k && strcmp(f + n - k, suffix) == 0) return true;
  }
  return false;
}

static void assert_diag(const char *needle) {
  char *all = th_diags_str(&d);
  cr_assert(strstr(all, needle), "diagnostics:\n%s\nlack: %s", all, needle);
  free(all);
}

/* ---------- Debian defaults ---------- */

Test(probe, debian_defaults) {
  char *root = th_data("probe/debian");
  sh_probe_result *r = sh_probe_run(root, &d);
  cr_assert(r);
  char *all = th_diags_str(&d);
  cr_expect_eq(d.nerrors, 0, "%s", all);
  free(all);
  /* sshd_config: everything commented out, so the OpenSSH defaults (line 0) */
  expect(r, "system.ssh.password_only_login", "true", "/etc/ssh/sshd_config", 0);
  expect(r, "system.ssh.permit_root_login", "prohibit_password", "/etc/ssh/sshd_config", 0);
  expect(r, "system.ssh.multi_factor", "false", "/etc/ssh/sshd_config", 0);
  /* nginx.conf line 33: ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3; */
  expect(r, "system.web.tls_protocols", "tls1_0,tls1_1,tls1_2,tls1_3", "/etc/nginx/nginx.conf", 33);
  /* Apache mods-enabled/ssl.conf -> ../mods-available/ssl.conf line 57: SSLCipherSuite HIGH:!aNULL */
  expect(r, "system.web.weak_ciphers", "false", "/etc/apache2/mods-available/ssl.conf", 57);
  /* pg_createcluster's postgresql.conf: line 105 ssl = off (no snakeoil certificate at creation time) */
  expect(r, "system.postgresql.ssl", "false", "/etc/postgresql/15/main/postgresql.conf", 105);
  expect(r, "system.postgresql.password_encryption", "scram_sha_256", "/etc/postgresql/15/main/postgresql.conf", 0);
  expect(r, "system.postgresql.log_connections", "false", "/etc/postgresql/15/main/postgresql.conf", 0);
  /* pg_hba.conf: four host lines (127.0.0.1/32 and ::1/128, normal and replication), first at line 97 */
  expect(r, "system.postgresql.non_tls_host_lines", "4", "/etc/postgresql/15/main/pg_hba.conf", 97);
  expect(r, "system.postgresql.non_tls_remote_access", "false", "/etc/postgresql/15/main/pg_hba.conf", 0);
  expect(r, "system.postgresql.hba_methods", "scram_sha_256,peer", "/etc/postgresql/15/main/pg_hba.conf", 90);
  expect(r, "system.journald.storage", "auto", "/etc/systemd/journald.conf", 0);
  cr_expect_null(sh_probe_get(r, "system.journald.max_retention_days"));
  /* logrotate.conf: weekly (line 3) and rotate 4 (line 9) = 28 days; apache2 and nginx: daily, rotate 14 */
  expect(r, "system.logrotate.default_retention_days", "28", "/etc/logrotate.conf", 9);
  expect(r, "system.logrotate.min_retention_days", "14", "/etc/logrotate.d/apache2", 4);
  cr_expect_null(sh_probe_get(r, "system.disk.encrypted_volumes"), "no crypttab in the package defaults");
  /* includes followed: conf.d globs, the absolute symlink sites-enabled/default taken inside the root,
   * Apache's relative a2enmod/a2ensite links, postgresql include_dir, logrotate include folder */
  cr_expect(read_file_named(r, "/etc/nginx/sites-available/default"));
  cr_expect(read_file_named(r, "/etc/nginx/mime.types"));
  cr_expect(read_file_named(r, "/etc/apache2/sites-available/default-ssl.conf"));
  cr_expect(read_file_named(r, "/etc/logrotate.d/btmp"));
  /* every fact is in the bundled vocabulary with a value of the right type */
  sh_registry *reg = th_bundled_registry();
  cr_expect(sh_probe_check_vocab(r, reg->vocab, &d));
  sh_registry_free(reg);
  sh_probe_result_free(r);
  free(root);
}

/* ---------- OpenSSH ---------- */

Test(probe, sshd_hardened_first_value_wins_and_match) {
  free(th_write(tmp, "etc/ssh/sshd_config",
           "# hardened\n"                                         /* 1 */
           "Include /etc/ssh/sshd_config.d/*.conf\n"              /* 2 */
           "PermitRootLogin yes\n"                                /* 3: loses, the drop-in came first */
           "PasswordAuthentication no\n"                          /* 4 */
           "KbdInteractiveAuthentication yes\n"                   /* 5 */
           "UsePAM yes\n"                                         /* 6 */
           "AuthenticationMethods publickey,keyboard-interactive\n" /* 7 */
           "Match Group sftponly\n"                               /* 8 */
           "  ForceCommand internal-sftp\n"));                     /* 9 */
  free(th_write(tmp, "etc/ssh/sshd_config.d/10-root.conf", "PermitRootLogin=no\n"));
  free(th_write(tmp, "etc/ssh/sshd_config.d/20-root.conf", "permitrootlogin yes\n")); /* later: loses */
  sh_probe_result *r = sh_probe_run(tmp, &d);
  cr_assert(r);
  cr_expect_eq(d.nerrors, 0);
  expect(r, "system.ssh.permit_root_login", "denied", "/etc/ssh/sshd_config.d/10-root.conf", 1);
  expect(r, "system.ssh.password_only_login", "false", "/etc/ssh/sshd_config", 7);
  expect(r, "system.ssh.multi_factor", "true", "/etc/ssh/sshd_config", 7);
  sh_probe_result_free(r);
}

Test(probe, sshd_match_block_weakens) {
  free(th_write(tmp, "etc/ssh/sshd_config",
           "PasswordAuthentication no\n"                          /* 1 */
           "KbdInteractiveAuthentication no\n"                    /* 2 */
           "PermitRootLogin no\n"                                 /* 3 */
           "AuthenticationMethods publickey,password\n"           /* 4 */
           "Match Address 10.0.0.0/8\n"                           /* 5 */
           "  PasswordAuthentication yes\n"                       /* 6 */
           "  AuthenticationMethods any\n"                        /* 7 */
           "  PermitRootLogin without-password\n"));               /* 8 */
  sh_probe_result *r = sh_probe_run(tmp, &d);
  cr_assert(r);
  expect(r, "system.ssh.password_only_login", "true", "/etc/ssh/sshd_config", 6);
  expect(r, "system.ssh.permit_root_login", "prohibit_password", "/etc/ssh/sshd_config", 8);
  expect(r, "system.ssh.multi_factor", "false", "/etc/ssh/sshd_config", 7);
  cr_expect(strstr(sh_probe_get(r, "system.ssh.password_only_login")->detail, "Match Address 10.0.0.0/8"));
  sh_probe_result_free(r);
}

Test(probe, sshd_match_in_included_file_ends_with_it) {
  free(th_write(tmp, "etc/ssh/sshd_config",
           "Include sshd_config.d/match.conf\n" /* relative to /etc/ssh */
           "PasswordAuthentication no\n"));      /* 2: global, not inside the included Match */
  free(th_write(tmp, "etc/ssh/sshd_config.d/match.conf", "Match User backup\n  PermitRootLogin no\n"));
  sh_probe_result *r = sh_probe_run(tmp, &d);
  cr_assert(r);
  /* were the Match still open, line 2 would belong to it and the global default (yes) would win */
  expect(r, "system.ssh.password_only_login", "false", "/etc/ssh/sshd_config", 2);
  sh_probe_result_free(r);
}

/* ---------- includes: escapes, symlinks, loops ---------- */

Test(probe, include_leaving_root_is_refused) {
  free(th_write(tmp, "etc/nginx/nginx.conf",
           "events {}\n"
           "http {\n"
           "  include ../../../../../../../../etc/passwd;\n" /* 3 */
           "  ssl_protocols TLSv1.2;\n"
           "}\n"));
  sh_probe_result *r = sh_probe_run(tmp, &d);
  cr_assert(r);
  assert_diag("nginx.conf:3:");
  assert_diag("leaves the probe root");
  expect(r, "system.web.tls_protocols", "tls1_2", "/etc/nginx/nginx.conf", 4); /* the rest still read */
  sh_probe_result_free(r);
}

Test(probe, symlink_leaving_root_is_refused) {
  char *outside = th_tmpdir();
  free(th_write(outside, "secret.conf", "PermitRootLogin yes\n"));
  free(th_write(tmp, "etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\n"));
  char *dir = sh_printf("%s/etc/ssh/sshd_config.d", tmp);
  mkdir(dir, 0755);
  /* a relative link climbing out of the root */
  char *link = sh_printf("%s/evil.conf", dir);
  char *target = sh_printf("../../../../../../../../../..%s/secret.conf", outside);
  cr_assert_eq(symlink(target, link), 0);
  sh_probe_result *r = sh_probe_run(tmp, &d);
  cr_assert(r);
  assert_diag("sshd_config:1:");
  assert_diag("refused");
  expect(r, "system.ssh.permit_root_login", "denied", "/etc/ssh/sshd_config", 2);
  cr_expect(!read_file_named(r, "secret.conf"));
  sh_probe_result_free(r);
  free(link);
  free(target);
  free(dir);
  free(outside);
}

Test(probe, absolute_symlink_stays_inside_root) {
  /* like Debian's sites-enabled/default -> /etc/nginx/sites-available/default: read inside DIR, never the host */
  free(th_write(tmp, "etc/nginx/nginx.conf", "http {\n  include /etc/nginx/sites-enabled/*;\n}\n"));
  free(th_write(tmp, "etc/nginx/sites-available/tls", "server {\n  listen 443 ssl;\n  ssl_protocols TLSv1.3;\n}\n"));
  char *dir = sh_printf("%s/etc/nginx/sites-enabled", tmp);
  mkdir(dir, 0755);
  char *link = sh_printf("%s/tls", dir);
  cr_assert_eq(symlink("/etc/nginx/sites-available/tls", link), 0);
  sh_probe_result *r = sh_probe_run(tmp, &d);
  cr_assert(r);
  cr_expect_eq(d.nerrors, 0);
  expect(r, "system.web.tls_protocols", "tls1_3", "/etc/nginx/sites-available/tls", 3);
  expect(r, "system.web.weak_ciphers", "false", "/etc/nginx/sites-available/tls", 1); /* nginx default ciphers */
  sh_probe_result_free(r);
  free(link);
  free(dir);
}

Test(probe, include_loop_is_bounded) {
  free(th_write(tmp, "etc/nginx/nginx.conf", "include /etc/nginx/a.conf;\n"));
  free(th_write(tmp, "etc/nginx/a.conf", "include b.conf;\n"));
  free(th_write(tmp, "etc/nginx/b.conf", "\ninclude a.conf;\n")); /* 2 */
  sh_probe_result *r = sh_probe_run(tmp, &d);
  cr_assert(r);
  assert_diag("b.conf:2:");
  assert_diag("include loop");
  sh_probe_result_free(r);
}

/* ---------- refusals reported by sh_pctx_resolve, sh_pctx_list_dir and sh_pctx_glob ---------- */

/* A probe context on tmp, as sh_probe_run makes it. */
static sh_pctx pctx_on_tmp(sh_probe_result *r) {
  char *real = realpath(tmp, NULL);
  cr_assert(real);
  return (sh_pctx){.root = tmp, .root_real = real, .root_fd = sh_open_root(real), .res = r, .d = &d};
}
static void pctx_done(sh_pctx *c) {
  free(c->root_real);
  close(c->root_fd);
}
/* Asserts d holds exactly one error, of class cls, at file:line:col, with message msg. */
static void expect_one(sh_diag_class cls, const char *file, int line, int col, const char *msg) {
  cr_assert_eq(d.n, 1, "%zu diagnostics", d.n);
  cr_expect_eq(d.v[0].sev, SH_SEV_ERROR);
  cr_expect_eq(d.v[0].cls, cls);
  cr_expect_str_eq(d.v[0].file, file);
  cr_expect_eq(d.v[0].line, line);
  cr_expect_eq(d.v[0].col, col);
  cr_expect_str_eq(d.v[0].msg, msg);
}

Test(probe, pctx_resolve_reports_refusal) {
  sh_probe_result r = {0};
  sh_pctx c = pctx_on_tmp(&r);
  char *ok = sh_pctx_resolve(&c, "/etc/nginx/missing.conf", (sh_loc){"nginx.conf", 3, 0}, "include x");
  cr_expect_str_eq(ok, "/etc/nginx/missing.conf"); /* missing is not a refusal */
  free(ok);
  cr_expect_eq(d.n, 0);
  cr_expect_null(sh_pctx_resolve(&c, "/etc/../../passwd", (sh_loc){"nginx.conf", 3, 2}, "include ../../passwd"));
  expect_one(SH_DIAG_DATA, "nginx.conf", 3, 2, "include ../../passwd refused: the path leaves the probe root");
  cr_expect_eq(sh_diags_exit_code(&d), SH_EXIT_INVALID);
  sh_diags_free(&d);
  /* no location: the error names the host path of the refused path itself */
  char *loop = sh_printf("%s/loop", tmp);
  cr_assert_eq(symlink("loop", loop), 0);
  cr_expect_null(sh_pctx_resolve(&c, "/loop", (sh_loc){0}, NULL));
  expect_one(SH_DIAG_DATA, loop, 0, 0, "refused: too many levels of symbolic links");
  free(loop);
  pctx_done(&c);
}

Test(probe, pctx_list_dir_reports_refusal) {
  sh_probe_result r = {0};
  sh_pctx c = pctx_on_tmp(&r);
  free(th_write(tmp, "etc/d/a.conf", "x\n"));
  char *link = sh_printf("%s/etc/d/b.conf", tmp);
  cr_assert_eq(symlink("../../../../../../../../../../etc/passwd", link), 0);
  sh_vec out = {0};
  cr_expect_eq(sh_pctx_list_dir(&c, "/etc/d", ".conf", &out, (sh_loc){"main.conf", 7, 0}, "include_dir 'd'"),
               SH_PCTX_REFUSED);
  expect_one(SH_DIAG_DATA, "main.conf", 7, 0, "include_dir 'd' refused: the path leaves the probe root");
  sh_diags_free(&d);
  cr_expect_eq(sh_pctx_list_dir(&c, "/etc/nothing", ".conf", &out, (sh_loc){"main.conf", 7, 0}, "x"),
               SH_PCTX_NOT_A_FOLDER);
  cr_expect_eq(d.n, 0, "a missing folder is left to the caller");
  sh_vec_free_all(&out, free);
  free(link);
  pctx_done(&c);
}

Test(probe, pctx_glob_reports_refusal) {
  sh_probe_result r = {0};
  sh_pctx c = pctx_on_tmp(&r);
  free(th_write(tmp, "etc/ssh/sshd_config.d/a.conf", "x\n"));
  char *link = sh_printf("%s/etc/ssh/sshd_config.d/evil.conf", tmp);
  cr_assert_eq(symlink("../../../../../../../../../../etc/passwd", link), 0);
  sh_vec out = {0};
  cr_expect_eq(sh_pctx_glob(&c, "/etc/ssh/sshd_config.d/*.conf", &out, (sh_loc){"sshd_config", 1, 0},
                            "Include sshd_config.d/*.conf"),
               SH_PCTX_REFUSED);
  expect_one(SH_DIAG_DATA, "sshd_config", 1, 0,
             "Include sshd_config.d/*.conf refused: the path leaves the probe root");
  sh_diags_free(&d);
  sh_vec_free_all(&out, free);
  unlink(link);
  cr_expect_eq(sh_pctx_glob(&c, "/etc/ssh/sshd_config.d/*.conf", &out, (sh_loc){"sshd_config", 1, 0}, "x"),
               SH_PCTX_OK);
  cr_expect_eq(out.n, 1);
  cr_expect_eq(d.n, 0);
  sh_vec_free_all(&out, free);
  free(link);
  pctx_done(&c);
}

/* ---------- web servers ---------- */

Test(probe, nginx_server_inherits_and_overrides) {
  free(th_write(tmp, "etc/nginx/nginx.conf",
           "events { worker_connections 768; }\n"
           "http {\n"
           "  ssl_protocols TLSv1.2 TLSv1.3;\n"                /* 3 */
           "  ssl_ciphers 'ECDHE+AESGCM:!aNULL';\n"            /* 4 */
           "  include conf.d/*.conf;\n"
           "}\n"));
  free(th_write(tmp, "etc/nginx/conf.d/a.conf", "server {\n  listen 443 ssl http2;\n}\n"));
  free(th_write(tmp, "etc/nginx/conf.d/b.conf",
           "server {\n"
           "  listen 8443 ssl;\n"
           "  ssl_ciphers ALL:!aNULL;\n" /* 3: admits RC4, DES, 3DES, MD5, export, low */
           "  location / { root /srv; }\n"
           "}\n"));
  sh_probe_result *r = sh_probe_run(tmp, &d);
  cr_assert(r);
  expect(r, "system.web.tls_protocols", "tls1_2,tls1_3", "/etc/nginx/nginx.conf", 3);
  expect(r, "system.web.weak_ciphers", "true", "/etc/nginx/conf.d/b.conf", 3);
  sh_probe_result_free(r);
}

Test(probe, apache_hardened) {
  free(th_write(tmp, "etc/apache2/apache2.conf", "IncludeOptional mods-enabled/*.conf\nIncludeOptional sites-enabled/*.conf\n"
                                            "Include nothing-here.conf\n")); /* 3: missing, a warning */
  free(th_write(tmp, "etc/apache2/mods-enabled/ssl.conf",
           "<IfModule mod_ssl.c>\n"
           "  SSLProtocol all -SSLv3\n"                        /* 2: replaced below (last wins) */
           "  SSLProtocol -all +TLSv1.2 \\\n"
           "      +TLSv1.3\n"                                  /* 3-4: continuation */
           "  SSLCipherSuite ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384\n"
           "</IfModule>\n"));
  free(th_write(tmp, "etc/apache2/sites-enabled/site.conf",
           "<VirtualHost *:443>\n  SSLEngine on\n</VirtualHost>\n"));
  sh_probe_result *r = sh_probe_run(tmp, &d);
  cr_assert(r);
  cr_expect_eq(d.nerrors, 0);
  assert_diag("apache2.conf:3:");
  expect(r, "system.web.tls_protocols", "tls1_2,tls1_3", "/etc/apache2/mods-enabled/ssl.conf", 3);
  expect(r, "system.web.weak_ciphers", "false", "/etc/apache2/mods-enabled/ssl.conf", 5);
  sh_probe_result_free(r);
}

Test(probe, cipher_strings) {
  struct {
    const char *in, *weak;
  } cases[] = {{"HIGH:!aNULL:!MD5", ""},
               {"HIGH:!aNULL", ""},
               {"HIGH", "anon"},
               {"ALL:!aNULL", "export,low,des,3des,rc4,md5"},
               {"ALL:!aNULL:!EXPORT:!LOW:!DES:!3DES:!RC4:!MD5", ""},
               {"ECDHE-RSA-AES128-GCM-SHA256:DES-CBC3-SHA", "3des"},
               {"RC4-SHA:EXP-RC4-MD5", "export,rc4,md5"},
               {"DEFAULT:NULL-SHA256", "NULL"},
               {"ECDHE+AESGCM:@STRENGTH", ""}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *w = sh_cipher_string_weak(cases[i].in);
    cr_expect_str_eq(w, cases[i].weak, "%s", cases[i].in);
    free(w);
  }
}

/* ---------- PostgreSQL ---------- */

Test(probe, postgresql_hardened_last_value_wins) {
  free(th_write(tmp, "etc/postgresql/16/main/postgresql.conf",
           "ssl = off\n"                                       /* 1: overridden by conf.d */
           "password_encryption = md5\n"                      /* 2: overridden by conf.d */
           "log_connections = on   # audit\n"                 /* 3 */
           "include_if_exists 'missing.conf'\n"               /* 4: no error */
           "include_dir = 'conf.d'\n"));
  free(th_write(tmp, "etc/postgresql/16/main/conf.d/10-tls.conf",
           "ssl = 'on'\n"                                      /* 1 */
           "password_encryption = 'scram-sha-256'\n"));         /* 2 */
  free(th_write(tmp, "etc/postgresql/16/main/conf.d/ignored.txt", "ssl = off\n")); /* not *.conf */
  free(th_write(tmp, "etc/postgresql/16/main/pg_hba.conf",
           "# TYPE  DATABASE USER ADDRESS METHOD\n"
           "local   all      postgres         peer\n"           /* 2 */
           "hostssl all      all  0.0.0.0/0    scram-sha-256\n"  /* 3 */
           "host    all      all  127.0.0.1 255.255.255.255 md5\n" /* 4: address + mask */
           "host    all      all  10.0.0.0/8   trust\n"          /* 5: remote, no TLS */
           "host    all      all  0.0.0.0/0    reject\n"));       /* 6: rejects: not counted */
  sh_probe_result *r = sh_probe_run(tmp, &d);
  cr_assert(r);
  char *all = th_diags_str(&d);
  cr_expect_eq(d.nerrors, 0, "%s", all);
  free(all);
  expect(r, "system.postgresql.ssl", "true", "/etc/postgresql/16/main/conf.d/10-tls.conf", 1);
  expect(r, "system.postgresql.password_encryption", "scram_sha_256", "/etc/postgresql/16/main/conf.d/10-tls.conf", 2);
  expect(r, "system.postgresql.log_connections", "true", "/etc/postgresql/16/main/postgresql.conf", 3);
  expect(r, "system.postgresql.non_tls_host_lines", "2", "/etc/postgresql/16/main/pg_hba.conf", 4);
  expect(r, "system.postgresql.non_tls_remote_access", "true", "/etc/postgresql/16/main/pg_hba.conf", 5);
  expect(r, "system.postgresql.hba_methods", "trust,md5,scram_sha_256,peer", "/etc/postgresql/16/main/pg_hba.conf", 5);
  sh_probe_result_free(r);
}

Test(probe, postgresql_include_dir_escape) {
  free(th_write(tmp, "var/lib/postgresql/data/postgresql.conf", "include_dir '../../../../../../../../tmp'\nssl = on\n"));
  sh_probe_result *r = sh_probe_run(tmp, &d);
  cr_assert(r);
  assert_diag("postgresql.conf:1:");
  assert_diag("leaves the probe root");
  expect(r, "system.postgresql.ssl", "true", "/var/lib/postgresql/data/postgresql.conf", 2);
  sh_probe_result_free(r);
}

/* ---------- crypttab, journald, logrotate ---------- */

Test(probe, system_files) {
  free(th_write(tmp, "etc/crypttab",
           "# <target name> <source device> <key file> <options>\n"
           "sda3_crypt UUID=0f1e2d3c-aaaa-bbbb-cccc-123456789abc none luks,discard\n" /* 2 */
           "cryptswap /dev/sda2 /dev/urandom swap,cipher=aes-xts-plain64,size=256\n"));
  free(th_write(tmp, "etc/systemd/journald.conf", "[Journal]\nStorage=volatile\n#MaxRetentionSec=\n"));
  free(th_write(tmp, "etc/systemd/journald.conf.d/50-retention.conf",
           "[Journal]\nStorage=persistent\nMaxRetentionSec=1year\n")); /* 2, 3 */
  free(th_write(tmp, "etc/logrotate.conf", "daily\nrotate 30\ninclude /etc/logrotate.d\n"));
  free(th_write(tmp, "etc/logrotate.d/app", "/var/log/app/*.log {\n  weekly\n  rotate 52\n  postrotate\n    rotate 1\n  endscript\n}\n"));
  free(th_write(tmp, "etc/logrotate.d/old.dpkg-old", "/var/log/x.log {\n  rotate 1\n}\n")); /* skipped like logrotate does */
  free(th_write(tmp, "etc/logrotate.d/short", "/var/log/short.log {\n  missingok\n}\n")); /* inherits daily, 30 */
  sh_probe_result *r = sh_probe_run(tmp, &d);
  cr_assert(r);
  cr_expect_eq(d.nerrors, 0);
  expect(r, "system.disk.encrypted_volumes", "2", "/etc/crypttab", 2);
  expect(r, "system.journald.storage", "persistent", "/etc/systemd/journald.conf.d/50-retention.conf", 2);
  expect(r, "system.journald.max_retention_days", "365", "/etc/systemd/journald.conf.d/50-retention.conf", 3);
  expect(r, "system.logrotate.default_retention_days", "30", "/etc/logrotate.conf", 2);
  expect(r, "system.logrotate.min_retention_days", "30", "/etc/logrotate.conf", 2);
  cr_expect(!read_file_named(r, "old.dpkg-old"));
  sh_probe_result_free(r);
}

Test(probe, timespans) {
  double s = 0;
  cr_expect(sh_timespan_seconds("1month", &s) && s == 2629800);
  cr_expect(sh_timespan_seconds("2w 3d", &s) && s == 17 * 86400);
  cr_expect(sh_timespan_seconds("86400", &s) && s == 86400);
  cr_expect(sh_timespan_seconds("5min", &s) && s == 300);
  cr_expect(!sh_timespan_seconds("forever", &s));
  cr_expect(!sh_timespan_seconds("", &s));
}

Test(probe, nul_byte_file_refused) {
  char *p = sh_printf("%s/etc/ssh", tmp);
  free(th_write(tmp, "etc/ssh/.keep", ""));
  char *f = sh_printf("%s/sshd_config", p);
  FILE *fp = fopen(f, "wb");
  fwrite("PermitRootLogin no\n\0\n", 1, 21, fp);
  fclose(fp);
  sh_probe_result *r = sh_probe_run(tmp, &d);
  cr_assert(r);
  assert_diag("NUL byte");
  cr_expect_null(sh_probe_get(r, "system.ssh.permit_root_login"));
  sh_probe_result_free(r);
  free(f);
  free(p);
}

Test(probe, root_must_be_a_folder) {
  char *f = th_write(tmp, "file", "x");
  cr_expect_null(sh_probe_run(f, &d));
  cr_expect_eq(d.nerrors, 1);
  free(f);
}

/* ---------- merging into evidence ---------- */

Test(probe, probed_overrides_declared_with_note) {
  sh_registry *reg = th_bundled_registry();
  free(th_write(tmp, "pkg/evidence.yaml",
           "applicant:\n"
           "  name: テスト\n"
           "  kind: phr_operator\n"
           "  assessment_date: 2026-10-01\n"
           "facts:\n"
           "  system.ssh.multi_factor: true\n"
           "  system.ssh.permit_root_login: denied\n"
           "probes: [config]\n"));
  free(th_write(tmp, "pkg/config/etc/ssh/sshd_config", "PermitRootLogin no\nAuthenticationMethods publickey\n"));
  char *pkg = sh_printf("%s/pkg", tmp);
  sh_evidence *ev = sh_evidence_load(reg->vocab, pkg, &d);
  char *all = th_diags_str(&d);
  cr_assert(ev, "%s", all);
  free(all);
  cr_assert_eq(sh_probe_evidence(ev, NULL, &d), 0);
  const sh_fact *mf = sh_vocab_find(reg->vocab, "system.ssh.multi_factor");
  const sh_fact_value *v = sh_evidence_get(ev, mf);
  cr_assert(v);
  cr_expect_eq(v->prov, SH_PROV_PROBED);
  cr_expect_eq(v->value.b, false);
  cr_expect_eq(v->line, 2);
  cr_expect(strstr(v->origin, "config/etc/ssh/sshd_config"));
  assert_diag("system.ssh.multi_factor: probed false replaces the declared value true");
  /* same value: probed provenance, no note */
  const sh_fact_value *root = sh_evidence_get(ev, sh_vocab_find(reg->vocab, "system.ssh.permit_root_login"));
  cr_expect_eq(root->prov, SH_PROV_PROBED);
  all = th_diags_str(&d);
  cr_expect(!strstr(all, "permit_root_login: probed"), "%s", all);
  free(all);
  sh_evidence_free(ev);
  free(pkg);
  sh_registry_free(reg);
}

/* ---------- command line ---------- */

Test(probe, cli) {
  char *root = th_data("probe/debian");
  char *out = NULL, *err = NULL;
  const char *args[] = {"probe", "--root", root, NULL};
  int rc = th_run(&out, &err, args);
  cr_expect_eq(rc, 0, "%s", err);
  cr_expect(strstr(out, "etc/nginx/nginx.conf:33: system.web.tls_protocols = tls1_0,tls1_1,tls1_2,tls1_3"), "%s", out);
  free(out);
  free(err);
  const char *args2[] = {"probe", "--root", root, "--format", "json", NULL};
  rc = th_run(&out, &err, args2);
  cr_expect_eq(rc, 0);
  cr_expect(strstr(out, "\"fact\": \"system.postgresql.ssl\""), "%s", out);
  free(out);
  free(err);
  free(th_write(tmp, "etc/nginx/nginx.conf", "include /../../x.conf;\n"));
  const char *args3[] = {"probe", "--root", tmp, NULL};
  rc = th_run(&out, &err, args3);
  cr_expect_eq(rc, SH_EXIT_INVALID);
  cr_expect(strstr(err, "nginx.conf:1:"), "%s", err);
  free(out);
  free(err);
  const char *args4[] = {"probe", NULL};
  rc = th_run(&out, &err, args4);
  cr_expect_eq(rc, SH_EXIT_USAGE);
  free(out);
  free(err);
  free(root);
}
