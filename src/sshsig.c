/* sshsig: OpenSSH public keys and SSHSIG signatures, verified with libcrypto, signed with
 * ssh-keygen. See sshsig.h; the wire format is OpenSSH's PROTOCOL.sshsig. */
#include "sshsig.h"

#include "i18n.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct sh_sshkey {
  char *type;
  unsigned char *blob;
  size_t blob_len;
  char *line;
  char fingerprint[64];
};

/* ---------- base64 (libcrypto) ---------- */

/* Decodes base64 text (whitespace ignored). Returns a buffer (owned) and its length, or NULL. */
static unsigned char *b64_decode(const char *s, size_t n, size_t *out_len) {
  char *clean = sh_malloc(n + 1);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] != '\n' && s[i] != '\r' && s[i] != ' ' && s[i] != '\t') clean[k++] = s[i];
  clean[k] = 0;
  if (k == 0 || k % 4 != 0) return free(clean), NULL;
  size_t pad = (clean[k - 1] == '=') + (k > 1 && clean[k - 2] == '=');
  unsigned char *out = sh_malloc(k / 4 * 3 + 1);
  int r = EVP_DecodeBlock(out, (const unsigned char *)clean, (int)k);
  free(clean);
  if (r < 0 || (size_t)r < pad) return free(out), NULL;
  *out_len = (size_t)r - pad;
  return out;
}

static char *b64_encode(const unsigned char *p, size_t n) {
  char *out = sh_malloc(4 * ((n + 2) / 3) + 1);
  EVP_EncodeBlock((unsigned char *)out, p, (int)n);
  return out;
}

/* ---------- SSH wire format ---------- */

typedef struct {
  const unsigned char *p;
  size_t n;
} rd;

static bool get_u32(rd *r, uint32_t *v) {
  if (r->n < 4) return false;
  *v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 | r->p[3];
  r->p += 4;
  r->n -= 4;
  return true;
}

static bool get_str(rd *r, rd *s) {
  uint32_t len;
  if (!get_u32(r, &len) || len > r->n) return false;
  s->p = r->p;
  s->n = len;
  r->p += len;
  r->n -= len;
  return true;
}

static bool str_is(const rd *s, const char *lit) { return s->n == strlen(lit) && memcmp(s->p, lit, s->n) == 0; }

static void put_str(sh_buf *b, const void *p, size_t n) {
  unsigned char l[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16), (unsigned char)(n >> 8), (unsigned char)n};
  sh_buf_put(b, (const char *)l, 4);
  sh_buf_put(b, (const char *)p, n);
}

/* ---------- keys ---------- */

void sh_sshkey_free(sh_sshkey *k) {
  if (!k) return;
  free(k->type);
  free(k->blob);
  free(k->line);
  free(k);
}

const char *sh_sshkey_type(const sh_sshkey *k) { return k->type; }
const char *sh_sshkey_fingerprint(const sh_sshkey *k) { return k->fingerprint; }
const char *sh_sshkey_line(const sh_sshkey *k) { return k->line; }

bool sh_sshkey_equal(const sh_sshkey *a, const sh_sshkey *b) {
  return a && b && a->blob_len == b->blob_len && memcmp(a->blob, b->blob, a->blob_len) == 0;
}

static bool supported_type(const rd *t) {
  return str_is(t, "ssh-ed25519") || str_is(t, "ssh-rsa") || str_is(t, "ecdsa-sha2-nistp256") ||
         str_is(t, "ecdsa-sha2-nistp384") || str_is(t, "ecdsa-sha2-nistp521");
}

/* A key from its wire blob (copied). NULL with *err when malformed or unsupported. */
static sh_sshkey *key_from_blob(const unsigned char *p, size_t n, char **err) {
  rd r = {p, n}, t;
  if (!get_str(&r, &t) || t.n == 0 || t.n > 64) return *err = sh_strdup(_("not an OpenSSH public key")), NULL;
  if (!supported_type(&t)) {
    *err = sh_printf(_("unsupported key type '%.*s' (supported: ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521)"),
                     (int)t.n, (const char *)t.p);
    return NULL;
  }
  sh_sshkey *k = sh_calloc(1, sizeof *k);
  k->type = sh_strndup((const char *)t.p, t.n);
  k->blob = sh_malloc(n);
  memcpy(k->blob, p, n);
  k->blob_len = n;
  char *b = b64_encode(p, n);
  k->line = sh_printf("%s %s", k->type, b);
  free(b);
  unsigned char md[32];
  EVP_Digest(p, n, md, NULL, EVP_sha256(), NULL);
  char *f = b64_encode(md, sizeof md);
  for (char *q = f + strlen(f); q > f && q[-1] == '=';) *--q = 0;
  snprintf(k->fingerprint, sizeof k->fingerprint, "SHA256:%s", f);
  free(f);
  return k;
}

sh_sshkey *sh_sshkey_parse(const char *text, char **err) {
  *err = NULL;
  const char *s = text ? text : "";
  for (;;) { /* skip blank and comment lines */
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
    if (*s != '#') break;
    while (*s && *s != '\n') s++;
  }
  if (strncmp(s, "-----BEGIN", 10) == 0)
    return *err = sh_strdup(_("this is a private key or a signature, not an OpenSSH public key (give the .pub file)")), NULL;
  size_t tl = strcspn(s, " \t\r\n");
  if (tl == 0) return *err = sh_strdup(_("empty: expected an OpenSSH public key line 'TYPE BASE64 [COMMENT]'")), NULL;
  const char *b = s + tl;
  while (*b == ' ' || *b == '\t') b++;
  size_t bl = strcspn(b, " \t\r\n");
  size_t n = 0;
  unsigned char *blob = bl ? b64_decode(b, bl, &n) : NULL;
  if (!blob) return *err = sh_strdup(_("not an OpenSSH public key line 'TYPE BASE64 [COMMENT]'")), NULL;
  sh_sshkey *k = key_from_blob(blob, n, err);
  free(blob);
  if (k && (strlen(k->type) != tl || strncmp(k->type, s, tl) != 0)) {
    *err = sh_printf(_("the key says it is %s but the line says %.*s"), k->type, (int)tl, s);
    sh_sshkey_free(k);
    return NULL;
  }
  return k;
}

/* ---------- verification ---------- */

static EVP_PKEY *pkey_from_params(const char *alg, OSSL_PARAM_BLD *bld) {
  OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, alg, NULL);
  EVP_PKEY *pk = NULL;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 || EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params) <= 0)
    pk = NULL;
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  return pk;
}

/* The libcrypto key of an SSH key blob, and for ECDSA its curve's digest. */
static EVP_PKEY *to_pkey(const sh_sshkey *k, const EVP_MD **ec_md, char **err) {
  rd r = {k->blob, k->blob_len}, t;
  get_str(&r, &t);
  EVP_PKEY *pk = NULL;
  if (strcmp(k->type, "ssh-ed25519") == 0) {
    rd q;
    if (!get_str(&r, &q) || q.n != 32) return *err = sh_strdup(_("malformed Ed25519 key")), NULL;
    pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, q.p, q.n);
  } else if (strcmp(k->type, "ssh-rsa") == 0) {
    rd e, n;
    if (!get_str(&r, &e) || !get_str(&r, &n)) return *err = sh_strdup(_("malformed RSA key")), NULL;
    BIGNUM *be = BN_bin2bn(e.p, (int)e.n, NULL), *bn = BN_bin2bn(n.p, (int)n.n, NULL);
    if (bn && BN_num_bits(bn) < 2048) {
      BN_free(be);
      BN_free(bn);
      return *err = sh_strdup(_("RSA keys shorter than 2048 bits are refused")), NULL;
    }
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    if (be && bn && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be))
      pk = pkey_from_params("RSA", bld);
    OSSL_PARAM_BLD_free(bld);
    BN_free(be);
    BN_free(bn);
  } else {
    rd curve, q;
    if (!get_str(&r, &curve) || !get_str(&r, &q)) return *err = sh_strdup(_("malformed ECDSA key")), NULL;
    const char *group = NULL;
    if (str_is(&curve, "nistp256")) group = "prime256v1", *ec_md = EVP_sha256();
    else if (str_is(&curve, "nistp384")) group = "secp384r1", *ec_md = EVP_sha384();
    else if (str_is(&curve, "nistp521")) group = "secp521r1", *ec_md = EVP_sha512();
    if (!group || !str_is(&curve, k->type + strlen("ecdsa-sha2-")))
      return *err = sh_strdup(_("malformed ECDSA key (curve does not match the key type)")), NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    if (bld && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) &&
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, q.p, q.n))
      pk = pkey_from_params("EC", bld);
    OSSL_PARAM_BLD_free(bld);
  }
  if (!pk) *err = sh_printf(_("libcrypto refused the %s key"), k->type);
  return pk;
}

/* Checks sig (an SSH signature blob) over data with key k. Returns true when it verifies. */
static bool check_sig(const sh_sshkey *k, const rd *sig, const unsigned char *data, size_t len, char **err) {
  rd r = *sig, alg, raw;
  if (!get_str(&r, &alg) || !get_str(&r, &raw)) return *err = sh_strdup(_("malformed signature blob")), false;
  const EVP_MD *md = NULL, *ec_md = NULL;
  unsigned char *der = NULL;
  const unsigned char *sp = raw.p;
  size_t sn = raw.n;
  if (strcmp(k->type, "ssh-ed25519") == 0) {
    if (!str_is(&alg, "ssh-ed25519") || raw.n != 64) return *err = sh_strdup(_("malformed Ed25519 signature")), false;
  } else if (strcmp(k->type, "ssh-rsa") == 0) {
    if (str_is(&alg, "rsa-sha2-512")) md = EVP_sha512();
    else if (str_is(&alg, "rsa-sha2-256")) md = EVP_sha256();
    else return *err = sh_printf(_("RSA signature algorithm '%.*s' refused (rsa-sha2-256 or rsa-sha2-512 only)"),
                                 (int)alg.n, (const char *)alg.p), false;
  } else {
    if (!str_is(&alg, k->type)) return *err = sh_strdup(_("ECDSA signature of another curve")), false;
  }
  EVP_PKEY *pk = to_pkey(k, &ec_md, err);
  if (!pk) return false;
  if (ec_md) { /* SSH encodes (r, s) as two mpints; libcrypto wants DER */
    rd rs = raw, br, bs;
    ECDSA_SIG *es = NULL;
    if (!get_str(&rs, &br) || !get_str(&rs, &bs) || rs.n || !(es = ECDSA_SIG_new())) {
      EVP_PKEY_free(pk);
      return *err = sh_strdup(_("malformed ECDSA signature")), false;
    }
    ECDSA_SIG_set0(es, BN_bin2bn(br.p, (int)br.n, NULL), BN_bin2bn(bs.p, (int)bs.n, NULL));
    int dl = i2d_ECDSA_SIG(es, &der);
    ECDSA_SIG_free(es);
    if (dl <= 0) {
      EVP_PKEY_free(pk);
      return *err = sh_strdup(_("malformed ECDSA signature")), false;
    }
    sp = der;
    sn = (size_t)dl;
    md = ec_md;
  }
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  bool ok = ctx && EVP_DigestVerifyInit(ctx, NULL, md, NULL, pk) > 0 && EVP_DigestVerify(ctx, sp, sn, data, len) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pk);
  OPENSSL_free(der);
  if (!ok) *err = sh_strdup(_("the signed text differs from what was signed, or the signature was altered"));
  return ok;
}

#define ARMOR_BEGIN "-----BEGIN SSH SIGNATURE-----"
#define ARMOR_END "-----END SSH SIGNATURE-----"

sh_sig_result sh_sshsig_verify(const char *armored, const void *msg, size_t len, const char *ns,
                               const sh_sshkey *expect, sh_sshkey **signer, char **err) {
  *err = NULL;
  if (signer) *signer = NULL;
  const char *b = armored ? strstr(armored, ARMOR_BEGIN) : NULL;
  const char *e = b ? strstr(b, ARMOR_END) : NULL;
  if (!b || !e) return *err = sh_printf(_("not an SSH signature (no '%s' block)"), ARMOR_BEGIN), SH_SIG_MALFORMED;
  b += strlen(ARMOR_BEGIN);
  size_t n = 0;
  unsigned char *blob = b64_decode(b, (size_t)(e - b), &n);
  if (!blob) return *err = sh_strdup(_("the SSH signature block is not valid base64")), SH_SIG_MALFORMED;
  sh_sig_result res = SH_SIG_MALFORMED;
  sh_sshkey *key = NULL;
  rd r = {blob, n}, pub, sns, reserved, halg, sig;
  uint32_t ver;
  if (n < 6 || memcmp(blob, "SSHSIG", 6) != 0) {
    *err = sh_strdup(_("not an SSHSIG signature (magic missing)"));
    goto done;
  }
  r.p += 6;
  r.n -= 6;
  if (!get_u32(&r, &ver) || ver != 1 || !get_str(&r, &pub) || !get_str(&r, &sns) || !get_str(&r, &reserved) ||
      !get_str(&r, &halg) || !get_str(&r, &sig) || r.n != 0) {
    *err = sh_strdup(_("malformed SSHSIG signature (version 1 expected)"));
    goto done;
  }
  if (!(key = key_from_blob(pub.p, pub.n, err))) goto done;
  if (!str_is(&sns, ns)) {
    *err = sh_printf(_("the signature is for namespace '%.*s', not '%s' (sign with ssh-keygen -Y sign -n %s)"), (int)sns.n,
                     (const char *)sns.p, ns, ns);
    res = SH_SIG_WRONG_NAMESPACE;
    goto done;
  }
  const EVP_MD *hmd = str_is(&halg, "sha512") ? EVP_sha512() : str_is(&halg, "sha256") ? EVP_sha256() : NULL;
  if (!hmd) {
    *err = sh_printf(_("unsupported SSHSIG hash algorithm '%.*s'"), (int)halg.n, (const char *)halg.p);
    goto done;
  }
  if (expect && !sh_sshkey_equal(expect, key)) {
    *err = sh_printf(_("the signature was made by key %s, not by the expected key %s"), key->fingerprint,
                     expect->fingerprint);
    res = SH_SIG_WRONG_KEY;
    goto done;
  }
  unsigned char h[EVP_MAX_MD_SIZE];
  unsigned int hl = 0;
  EVP_Digest(msg, len, h, &hl, hmd, NULL);
  sh_buf sd = {0};
  sh_buf_put(&sd, "SSHSIG", 6);
  put_str(&sd, sns.p, sns.n);
  put_str(&sd, reserved.p, reserved.n);
  put_str(&sd, halg.p, halg.n);
  put_str(&sd, h, hl);
  bool ok = check_sig(key, &sig, (const unsigned char *)sd.data, sd.len, err);
  sh_buf_free(&sd);
  res = ok ? SH_SIG_OK : SH_SIG_BAD;
  if (ok && signer) *signer = key, key = NULL;
done:
  sh_sshkey_free(key);
  free(blob);
  return res;
}

/* ---------- signing through ssh-keygen ---------- */

char *sh_sshsig_sign(const char *keyfile, const void *msg, size_t len, const char *ns, char **err) {
  *err = NULL;
  int in[2] = {-1, -1}, out[2] = {-1, -1}, er[2] = {-1, -1};
  if (pipe(in) || pipe(out) || pipe(er)) {
    *err = sh_printf(_("cannot create a pipe: %s"), strerror(errno));
    for (int i = 0; i < 2; i++) {
      if (in[i] >= 0) close(in[i]);
      if (out[i] >= 0) close(out[i]);
      if (er[i] >= 0) close(er[i]);
    }
    return NULL;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, er[1], 2);
  int fds[6] = {in[0], in[1], out[0], out[1], er[0], er[1]};
  for (int i = 0; i < 6; i++) posix_spawn_file_actions_addclose(&fa, fds[i]);
  char *argv[] = {"ssh-keygen", "-q", "-Y", "sign", "-n", (char *)ns, "-f", (char *)keyfile, NULL};
  pid_t pid;
  int sp = posix_spawnp(&pid, "ssh-keygen", &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(in[0]);
  close(out[1]);
  close(er[1]);
  if (sp != 0) {
    close(in[1]);
    close(out[0]);
    close(er[0]);
    *err = sh_printf(_("cannot run ssh-keygen (package openssh-client): %s"), strerror(sp));
    return NULL;
  }
  /* Feed stdin and drain stdout/stderr together so that no pipe fills up. */
  void (*old)(int) = signal(SIGPIPE, SIG_IGN);
  sh_buf o = {0}, e = {0};
  size_t off = 0;
  int wfd = in[1];
  if (len == 0) close(wfd), wfd = -1;
  fcntl(in[1], F_SETFL, O_NONBLOCK);
  while (out[0] >= 0 || er[0] >= 0) {
    struct pollfd p[3] = {{wfd, POLLOUT, 0}, {out[0], POLLIN, 0}, {er[0], POLLIN, 0}};
    if (poll(p, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (wfd >= 0 && (p[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t w = write(wfd, (const char *)msg + off, len - off);
      if (w > 0) off += (size_t)w;
      if (w < 0 && errno != EAGAIN && errno != EINTR) off = len;
      if (off >= len) close(wfd), wfd = -1;
    }
    for (int k = 1; k < 3; k++) {
      int *fd = k == 1 ? &out[0] : &er[0];
      if (*fd < 0 || !(p[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      ssize_t r = read(*fd, buf, sizeof buf);
      if (r > 0) sh_buf_put(k == 1 ? &o : &e, buf, (size_t)r);
      else if (r == 0 || (errno != EINTR && errno != EAGAIN)) close(*fd), *fd = -1;
    }
  }
  if (wfd >= 0) close(wfd);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  signal(SIGPIPE, old);
  char *res = NULL;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !strstr(sh_buf_str(&o), ARMOR_BEGIN)) {
    char *msgtxt = sh_strdup(sh_buf_str(&e));
    size_t ml = strlen(msgtxt);
    while (ml && (msgtxt[ml - 1] == '\n' || msgtxt[ml - 1] == '\r')) msgtxt[--ml] = 0;
    *err = sh_printf(_("ssh-keygen -Y sign -f %s failed%s%s"), keyfile, ml ? ": " : "", msgtxt);
    free(msgtxt);
  } else {
    res = sh_buf_steal(&o);
  }
  sh_buf_free(&o);
  sh_buf_free(&e);
  return res;
}
