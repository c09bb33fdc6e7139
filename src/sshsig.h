/* sshsig: OpenSSH public keys and SSHSIG signatures (OpenSSH PROTOCOL.sshsig), the format that
 * `ssh-keygen -Y sign -n NAMESPACE` writes. Verification uses OpenSSL's libcrypto (Ed25519, RSA with
 * rsa-sha2-256/512, ECDSA on nistp256/384/521); signing runs `ssh-keygen -Y sign` as a subprocess
 * (no shell), which reads an unencrypted private key file or asks ssh-agent when given a public key.
 * No cryptography is written here: only the SSH wire format is parsed. Every returned string and key
 * is owned by the caller. */
#ifndef SHINSA_SSHSIG_H
#define SHINSA_SSHSIG_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sh_sshkey sh_sshkey;

/* Parses one OpenSSH public key line "TYPE BASE64 [COMMENT]" (the content of a .pub file; leading
 * blank lines and '#' comments are skipped). Returns the key, or NULL with *err (owned) saying why. */
sh_sshkey *sh_sshkey_parse(const char *text, char **err);
void sh_sshkey_free(sh_sshkey *k);
/* "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", ... */
const char *sh_sshkey_type(const sh_sshkey *k);
/* "SHA256:..." as ssh-keygen -l prints it. */
const char *sh_sshkey_fingerprint(const sh_sshkey *k);
/* The key as one line "TYPE BASE64" (no comment): the canonical form stored in the roster. */
const char *sh_sshkey_line(const sh_sshkey *k);
bool sh_sshkey_equal(const sh_sshkey *a, const sh_sshkey *b);

typedef enum {
  SH_SIG_OK = 0,
  SH_SIG_MALFORMED,      /* not an SSHSIG, or an unsupported key or algorithm */
  SH_SIG_WRONG_NAMESPACE,
  SH_SIG_WRONG_KEY,      /* made by another key than the one expected */
  SH_SIG_BAD,            /* the signature does not verify over the message */
} sh_sig_result;

/* Verifies an armored SSHSIG ("-----BEGIN SSH SIGNATURE-----" ...) over msg for namespace ns.
 * When expect is not NULL the signature must be made by that key. On success and when signer is not
 * NULL, *signer is the signing key (owned). *err (owned, may be NULL on success) says what failed. */
sh_sig_result sh_sshsig_verify(const char *armored, const void *msg, size_t len, const char *ns,
                               const sh_sshkey *expect, sh_sshkey **signer, char **err);

/* Signs msg with `ssh-keygen -Y sign -n ns -f keyfile` (keyfile: a private key, or a public key
 * whose private half is in ssh-agent). Returns the armored signature, or NULL with *err (owned). */
char *sh_sshsig_sign(const char *keyfile, const void *msg, size_t len, const char *ns, char **err);

#endif
