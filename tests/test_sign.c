/* test_sign: SSHSIG verification (sshsig.c) against signatures made by the real ssh-keygen with keys
 * generated in the test (Ed25519, ECDSA, RSA), signing through ssh-keygen, and the time-zone clock
 * (clock.c): calendar days in Asia/Tokyo at 23:59 and 00:00. */
#include "clock.h"
#include "helpers.h"
#include "sshsig.h"
#include "util.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

/* Makes dir/name (+ .pub) with ssh-keygen -t type. Returns the private key path; caller frees. */
static char *keygen(const char *dir, const char *name, const char *type) {
  char *path = sh_printf("%s/%s", dir, name);
  char *cmd = sh_printf("ssh-keygen -q -t %s -N '' -C %s -f '%s' </dev/null >/dev/null 2>&1", type, name, path);
  int rc = system(cmd);
  free(cmd);
  cr_assert_eq(rc, 0, "ssh-keygen -t %s failed", type);
  return path;
}

static char *slurp(const char *path) {
  char *data = NULL;
  size_t len = 0;
  cr_assert_eq(sh_read_file(path, 1 << 20, &data, &len), 0, "cannot read %s", path);
  return data;
}

static sh_sshkey *pubkey(const char *priv) {
  char *p = sh_printf("%s.pub", priv);
  char *text = slurp(p), *err = NULL;
  sh_sshkey *k = sh_sshkey_parse(text, &err);
  cr_assert(k, "%s: %s", p, err ? err : "");
  free(text);
  free(p);
  return k;
}

/* Signs msg with the ssh-keygen command line itself (what a reviewer runs on their machine). */
static char *cli_sign(const char *dir, const char *priv, const char *ns, const char *msg) {
  char *in = th_write(dir, "msg.txt", msg);
  char *cmd = sh_printf("ssh-keygen -q -Y sign -n %s -f '%s' '%s' >/dev/null 2>&1", ns, priv, in);
  cr_assert_eq(system(cmd), 0);
  char *sigp = sh_printf("%s.sig", in);
  char *sig = slurp(sigp);
  remove(sigp);
  free(sigp);
  free(cmd);
  free(in);
  return sig;
}

static void verify_type(const char *type) {
  char *dir = th_tmpdir();
  char *k = keygen(dir, "alice", type);
  sh_sshkey *pk = pubkey(k);
  const char *msg = "shinsa-decision/1\nitem: 2.2/1-1\n";
  char *sig = cli_sign(dir, k, "shinsa", msg);
  char *err = NULL;
  sh_sshkey *signer = NULL;
  sh_sig_result r = sh_sshsig_verify(sig, msg, strlen(msg), "shinsa", pk, &signer, &err);
  cr_assert_eq(r, SH_SIG_OK, "%s: %s", type, err ? err : "");
  cr_assert(sh_sshkey_equal(signer, pk));
  /* the same signature over an altered text fails */
  const char *msg2 = "shinsa-decision/1\nitem: 2.2/1-2\n";
  free(err);
  r = sh_sshsig_verify(sig, msg2, strlen(msg2), "shinsa", pk, NULL, &err);
  cr_assert_eq(r, SH_SIG_BAD, "%s: altered text must not verify", type);
  free(err);
  sh_sshkey_free(signer);
  sh_sshkey_free(pk);
  free(sig);
  free(k);
  free(dir);
}

Test(sshsig, ed25519_signature_from_ssh_keygen_verifies) { verify_type("ed25519"); }
Test(sshsig, ecdsa_signature_from_ssh_keygen_verifies) { verify_type("ecdsa"); }
Test(sshsig, rsa_signature_from_ssh_keygen_verifies) { verify_type("rsa"); }

Test(sshsig, fingerprint_matches_ssh_keygen) {
  char *dir = th_tmpdir();
  char *k = keygen(dir, "bob", "ed25519");
  sh_sshkey *pk = pubkey(k);
  char *cmd = sh_printf("ssh-keygen -l -E sha256 -f '%s.pub'", k);
  FILE *p = popen(cmd, "r");
  char line[512] = {0};
  cr_assert(fgets(line, sizeof line, p));
  pclose(p);
  cr_assert(strstr(line, sh_sshkey_fingerprint(pk)), "%s vs %s", line, sh_sshkey_fingerprint(pk));
  cr_assert_str_eq(sh_sshkey_type(pk), "ssh-ed25519");
  free(cmd);
  sh_sshkey_free(pk);
  free(k);
  free(dir);
}

Test(sshsig, another_key_wrong_namespace_and_garbage_are_refused) {
  char *dir = th_tmpdir();
  char *ka = keygen(dir, "alice", "ed25519"), *kb = keygen(dir, "mallory", "ed25519");
  sh_sshkey *a = pubkey(ka);
  const char *msg = "payload\n";
  char *sig_b = cli_sign(dir, kb, "shinsa", msg);
  char *err = NULL;
  cr_assert_eq(sh_sshsig_verify(sig_b, msg, strlen(msg), "shinsa", a, NULL, &err), SH_SIG_WRONG_KEY);
  cr_assert(strstr(err, sh_sshkey_fingerprint(a)), "%s", err);
  free(err);
  char *sig_ns = cli_sign(dir, ka, "git", msg);
  cr_assert_eq(sh_sshsig_verify(sig_ns, msg, strlen(msg), "shinsa", a, NULL, &err), SH_SIG_WRONG_NAMESPACE);
  cr_assert(strstr(err, "'git'"), "%s", err);
  free(err);
  cr_assert_eq(sh_sshsig_verify("hello", msg, strlen(msg), "shinsa", a, NULL, &err), SH_SIG_MALFORMED);
  free(err);
  /* a flipped byte inside the signature's base64 */
  char *bad = sh_strdup(sig_b);
  char *q = strstr(strstr(strstr(bad, "\n") + 1, "\n") + 1, "\n") + 1 + 30; /* inside the Ed25519 signature */
  *q = *q == 'A' ? 'B' : 'A';
  sh_sig_result r = sh_sshsig_verify(bad, msg, strlen(msg), "shinsa", NULL, NULL, &err);
  cr_assert_eq(r, SH_SIG_BAD, "flipped signature: %d %s", r, bad);
  free(err);
  /* a private key or nonsense given as a public key */
  char *priv = slurp(ka);
  cr_assert_null(sh_sshkey_parse(priv, &err));
  cr_assert(strstr(err, "private key"), "%s", err);
  free(err);
  cr_assert_null(sh_sshkey_parse("ssh-ed25519 !!!", &err));
  free(err);
  free(priv);
  free(bad);
  free(sig_ns);
  free(sig_b);
  sh_sshkey_free(a);
  free(ka);
  free(kb);
  free(dir);
}

Test(sshsig, signing_through_ssh_keygen_round_trips) {
  char *dir = th_tmpdir();
  char *k = keygen(dir, "carol", "ed25519");
  sh_sshkey *pk = pubkey(k);
  const char *msg = "shinsa-anchor/1\nhead: abc\n";
  char *err = NULL;
  char *sig = sh_sshsig_sign(k, msg, strlen(msg), "shinsa", &err);
  cr_assert(sig, "%s", err ? err : "");
  cr_assert_eq(sh_sshsig_verify(sig, msg, strlen(msg), "shinsa", pk, NULL, &err), SH_SIG_OK, "%s", err ? err : "");
  free(sig);
  char *missing = sh_printf("%s/nope", dir);
  cr_assert_null(sh_sshsig_sign(missing, msg, strlen(msg), "shinsa", &err));
  cr_assert(strstr(err, "ssh-keygen"), "%s", err);
  free(err);
  free(missing);
  sh_sshkey_free(pk);
  free(k);
  free(dir);
}

/* ---------- clock ---------- */

Test(clock, tokyo_day_boundary_at_2359_and_0000) {
  time_t t;
  char d[11];
  /* 2026-03-31 23:59 JST = 14:59 UTC: still the 31st in Tokyo */
  cr_assert(sh_iso_parse("2026-03-31T14:59:00Z", &t));
  sh_date_format(sh_date_in_tz(t, "Asia/Tokyo"), d);
  cr_assert_str_eq(d, "2026-03-31");
  /* 2026-04-01 00:00 JST = 2026-03-31 15:00 UTC: already April in Tokyo, still March in UTC */
  cr_assert(sh_iso_parse("2026-03-31T15:00:00Z", &t));
  sh_date_format(sh_date_in_tz(t, "Asia/Tokyo"), d);
  cr_assert_str_eq(d, "2026-04-01");
  sh_date_format(sh_date_in_tz(t, "UTC"), d);
  cr_assert_str_eq(d, "2026-03-31");
  char *s = sh_time_show("2026-03-31T15:00:00Z", "Asia/Tokyo");
  cr_assert_str_eq(s, "2026-04-01 00:00:00 +09:00 (Asia/Tokyo)");
  free(s);
}

Test(clock, shinsa_now_and_zone_choice) {
  setenv("SHINSA_NOW", "2026-03-31T15:00:00Z", 1);
  char d[11], iso[32];
  sh_date_format(sh_today_in_tz("Asia/Tokyo"), d);
  cr_assert_str_eq(d, "2026-04-01");
  sh_now_iso(iso);
  cr_assert_str_eq(iso, "2026-03-31T15:00:00Z");
  unsetenv("SHINSA_NOW");
  unsetenv("SHINSA_TZ");
  cr_assert_str_eq(sh_tz_pick(NULL, NULL), "Asia/Tokyo");
  cr_assert_str_eq(sh_tz_pick(NULL, "Europe/Berlin"), "Europe/Berlin");
  setenv("SHINSA_TZ", "UTC", 1);
  cr_assert_str_eq(sh_tz_pick(NULL, "Europe/Berlin"), "UTC");
  cr_assert_str_eq(sh_tz_pick("Asia/Tokyo", NULL), "Asia/Tokyo");
  unsetenv("SHINSA_TZ");
  cr_assert(sh_tz_valid("Asia/Tokyo"));
  cr_assert(sh_tz_valid("UTC"));
  cr_assert(!sh_tz_valid("Mars/Olympus"));
  cr_assert(!sh_tz_valid("../../etc/passwd"));
  time_t t;
  cr_assert(!sh_iso_parse("2026-02-30T00:00:00Z", &t));
  cr_assert(!sh_iso_parse("2026-03-31 15:00:00", &t));
}

Test(sshsig, signing_through_ssh_agent_with_the_public_key) {
  char *dir = th_tmpdir();
  char *k = keygen(dir, "dora", "ed25519");
  sh_sshkey *pk = pubkey(k);
  char *sock = sh_printf("%s/agent.sock", dir);
  /* the agent runs in the foreground as our child (-D), so that it is killed and reaped here; it prints its
   * environment once its socket is bound */
  int fds[2];
  cr_assert_eq(pipe(fds), 0);
  pid_t pid = fork();
  cr_assert(pid >= 0);
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execlp("ssh-agent", "ssh-agent", "-D", "-s", "-a", sock, (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  FILE *p = fdopen(fds[0], "r");
  char line[512];
  cr_assert(fgets(line, sizeof line, p) && strstr(line, "SSH_AUTH_SOCK="), "ssh-agent did not start");
  char *cmd = NULL;
  setenv("SSH_AUTH_SOCK", sock, 1);
  char *add = sh_printf("ssh-add -q '%s' </dev/null >/dev/null 2>&1", k);
  int added = system(add);
  /* the private key file is gone: only the agent holds it */
  char *pub = sh_printf("%s.pub", k);
  remove(k);
  const char *msg = "shinsa-decision/1\n";
  char *err = NULL;
  char *sig = added == 0 ? sh_sshsig_sign(pub, msg, strlen(msg), "shinsa", &err) : NULL;
  kill(pid, SIGTERM);
  int st;
  waitpid(pid, &st, 0);
  fclose(p);
  unsetenv("SSH_AUTH_SOCK");
  cr_assert_eq(added, 0, "ssh-add failed");
  cr_assert(sig, "%s", err ? err : "");
  cr_assert_eq(sh_sshsig_verify(sig, msg, strlen(msg), "shinsa", pk, NULL, &err), SH_SIG_OK, "%s", err ? err : "");
  free(sig), free(pub), free(add), free(cmd), free(sock);
  sh_sshkey_free(pk);
  free(k);
  free(dir);
}
