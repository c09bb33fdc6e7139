/* Diagnostics in the locale's language (po/ja.po) of the CDA, OSCAL, signature, reviewer roster, audit log and
 * probe modules: representative bad inputs run through the shinsa program under LC_ALL=ja_JP.UTF-8 (no ja locale
 * needs installing: src/i18n.c falls back to C.UTF-8 and takes the language from the name) and under the tests'
 * C.UTF-8 locale, each asserting the message with its FILE:LINE:COL and the exit code. Messages that shinsa builds
 * before reporting them (signature verification reasons, audit log tampering, probe refusals) are checked as well
 * as the formats diag.c translates; libxml2's own schema errors stay as libxml2 writes them. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "th_store.h"
#include "util.h"

/* ---------- CDA (cda.c) ---------- */

static const char *const tiny_xsd =
    "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:hl7-org:v3\"\n"
    "           elementFormDefault=\"qualified\">\n"
    "  <xs:element name=\"ClinicalDocument\"><xs:complexType><xs:sequence>\n"
    "    <xs:element name=\"title\" type=\"xs:string\"/>\n"
    "  </xs:sequence></xs:complexType></xs:element>\n"
    "</xs:schema>\n";

Test(i18n_diag2, cda_refusal_in_both_languages_and_libxml2_schema_errors_as_written) {
  char *dir = th_tmpdir();
  char *xsd = th_write(dir, "tiny.xsd", tiny_xsd);
  char *bad = th_write(dir, "bad.xml", "<?xml version=\"1.0\"?>\n<ClinicalDocument xmlns=\"urn:hl7-org:v3\">\n"
                                       "  <code/>\n</ClinicalDocument>\n");
  char *dtd = th_write(dir, "dtd.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e \"e\">]>\n"
                                       "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"/>\n");
  char *where_dtd = sh_printf("%s:2", dtd), *where_bad = sh_printf("%s:3", bad);
  const char *args_dtd[] = {"cda", "--schema", xsd, dtd, NULL};
  const char *args_bad[] = {"cda", "--schema", xsd, bad, NULL};
  char *out = NULL, *err = NULL;

  cr_assert_eq(th_run_in("ja", &out, &err, args_dtd), 3, "%s", err);
  th_assert_at(err, where_dtd,
         "DOCTYPE を拒否しました。CDA 文書は DTD を持たず、DTD と実体は XXE や実体展開攻撃の入口になります");
  th_assert_at(out, dtd, "拒否または形式不正（エラー 1 件）\n");
  cr_assert(strstr(out, "合計: 1 ファイル（妥当 0、スキーマに対して妥当でない 0、拒否または形式不正 1）。項目コード 0 件、"
                        "要注意 0 件\n"), "%s", out);
  free(out), free(err);
  cr_assert_eq(th_run_in("en", &out, &err, args_dtd), 3, "%s", err);
  th_assert_at(err, where_dtd, "DOCTYPE refused: CDA documents carry no DTD");
  th_assert_at(out, dtd, "refused or malformed (1 error)\n");
  cr_assert(strstr(out, "total: 1 file: 0 valid, 0 invalid against the schema, 1 refused or malformed; 0 item codes, "
                        "0 flagged\n"), "%s", out);
  free(out), free(err);

  /* failing the schema: a finding (exit 1), libxml2's text in both languages */
  for (int k = 0; k < 2; k++) {
    cr_assert_eq(th_run_in(k ? "ja" : "en", NULL, &err, args_bad), 1, "%s", err);
    th_assert_at(err, where_bad, "Element '{urn:hl7-org:v3}code': This element is not expected.");
    free(err);
  }

  /* a schema that cannot be read: an I/O error (exit 2) */
  char *notxsd = sh_printf("%s/missing.xsd", dir);
  const char *args_notxsd[] = {"cda", "--schema", notxsd, bad, NULL};
  cr_assert_eq(th_run_in("ja", NULL, &err, args_notxsd), 2, "%s", err);
  th_assert_at(err, notxsd, "スキーマを読み込めません: ");
  free(err);
  cr_assert_eq(th_run_in("en", NULL, &err, args_notxsd), 2, "%s", err);
  th_assert_at(err, notxsd, "cannot read schema: ");
  free(err);
  free(where_dtd), free(where_bad), free(xsd), free(bad), free(dtd), free(notxsd), free(dir);
}

/* ---------- OSCAL (oscal_catalog.c, oscal_doc.c) ---------- */

Test(i18n_diag2, oscal_catalog_errors) {
  char *dir = th_tmpdir();
  char *cat = th_write(dir, "cat.json",
                       "{\"catalog\": {\"uuid\": \"x\",\n  \"metadata\": {\"title\": \"T\"},\n  \"controls\": []}}\n");
  char *dup = th_write(dir, "dup.json", "{\"catalog\": {\"uuid\": \"x\", \"uuid\": \"y\"}}\n");
  char *out = sh_printf("%s/out.yaml", dir);
  const char *args_cat[] = {"import", "oscal", "--id", "t-cat", "-o", out, cat, NULL};
  const char *args_dup[] = {"import", "oscal", "--id", "t-cat", "-o", out, dup, NULL};
  char *where = sh_printf("%s:2:15", cat);
  char *err = NULL;
  cr_assert_eq(th_run_in("ja", NULL, &err, args_cat), 3, "%s", err);
  th_assert_at(err, where, "カタログの metadata には 'title' と 'version' が必要です");
  free(err);
  cr_assert_eq(th_run_in("en", NULL, &err, args_cat), 3, "%s", err);
  th_assert_at(err, where, "catalog metadata needs 'title' and 'version'");
  free(err);
  cr_assert_eq(th_run_in("ja", NULL, &err, args_dup), 3, "%s", err);
  cr_assert(strstr(err, "JSON オブジェクト内でキー 'uuid' が重複しています"), "%s", err);
  cr_assert(strstr(err, dup), "the file is named: %s", err);
  free(err);
  cr_assert_eq(th_run_in("en", NULL, &err, args_dup), 3, "%s", err);
  cr_assert(strstr(err, "duplicate key 'uuid' in a JSON object"), "%s", err);
  free(err);
  cr_assert_neq(access(out, F_OK), 0, "nothing is written");
  free(where), free(out), free(cat), free(dup), free(dir);
}

/* ---------- signatures and the roster (sshsig.c, signoff.c) ---------- */

/* A store with run 1 of tests/data/evidence/basic and 佐藤 registered as auditor. Caller frees. */
static char *store_with_reviewer(void) {
  char *db = th_store_new();
  char *datadir = th_data("datadir"), *ev = th_data("evidence/basic");
  const char *args[] = {"check", "--data-dir", datadir, "--db", db, ev, NULL};
  setenv("SHINSA_NOW", "2026-10-01T00:00:00Z", 1);
  cr_assert_eq(th_run(NULL, NULL, args), 1);
  th_add_reviewer(db, "佐藤", "auditor");
  free(datadir);
  free(ev);
  return db;
}

Test(i18n_diag2, a_private_key_given_as_the_public_key) {
  char *db = store_with_reviewer(), *datadir = th_data("datadir");
  const char *priv = th_key("鈴木");
  const char *args[] = {"reviewer", "add", "鈴木", "--role", "auditor", "--key", priv, "--db", db, "--data-dir",
                        datadir, NULL};
  char *where = sh_printf("%s:1:1", priv);
  char *err = NULL;
  cr_assert_eq(th_run_in("ja", NULL, &err, args), 3, "%s", err);
  th_assert_at(err, where, "これは秘密鍵か署名で、OpenSSH の公開鍵ではありません（.pub ファイルを指定してください）");
  free(err);
  cr_assert_eq(th_run_in("en", NULL, &err, args), 3, "%s", err);
  th_assert_at(err, where, "this is a private key or a signature, not an OpenSSH public key (give the .pub file)");
  free(err);
  free(where), free(datadir), free(db);
}

Test(i18n_diag2, a_signature_by_another_key_and_an_unknown_reviewer) {
  char *db = store_with_reviewer(), *datadir = th_data("datadir"), *dir = th_tmpdir();
  const char *t = "2026-10-01T00:00:00Z";
  const char *payload_args[] = {"review", "1", "test-fw:2.2", "--decision", "accept", "--reviewer", "佐藤", "--role",
                                "auditor", "--data-dir", datadir, "--db", db, "--print-payload", "--time", t, NULL};
  char *payload = NULL;
  cr_assert_eq(th_run(&payload, NULL, payload_args), 0);
  char *pfile = th_write(dir, "payload.txt", payload);
  /* signed by 鈴木's key, not 佐藤's (ssh-keygen as the reviewer runs it) */
  char *cmd = sh_printf("ssh-keygen -Y sign -n shinsa -f '%s' '%s' >/dev/null 2>&1", th_key("鈴木"), pfile);
  cr_assert_eq(system(cmd), 0, "ssh-keygen -Y sign failed");
  char *sig = sh_printf("%s.sig", pfile);
  const char *args[] = {"review", "1", "test-fw:2.2", "--decision", "accept", "--reviewer", "佐藤", "--role",
                        "auditor", "--data-dir", datadir, "--db", db, "--time", t, "--signature", sig, NULL};
  char *err = NULL;
  cr_assert_eq(th_run_in("ja", NULL, &err, args), 3, "%s", err);
  cr_assert(strstr(err, "署名は 佐藤（SHA256:"), "%s", err);
  cr_assert(strstr(err, "）のものではありません: 署名は鍵 SHA256:"), "%s", err);
  cr_assert(strstr(err, "によるもので、想定した鍵 SHA256:"), "the reason from sshsig.c is translated too: %s", err);
  free(err);
  cr_assert_eq(th_run_in("en", NULL, &err, args), 3, "%s", err);
  cr_assert(strstr(err, "the signature is not 佐藤's (SHA256:"), "%s", err);
  cr_assert(strstr(err, "the signature was made by key SHA256:"), "%s", err);
  free(err);

  const char *ghost[] = {"review", "1", "test-fw:2.2", "--decision", "accept", "--reviewer", "ghost", "--role",
                         "auditor", "--data-dir", datadir, "--db", db, "--key", th_key("鈴木"), NULL};
  cr_assert_eq(th_run_in("ja", NULL, &err, ghost), 2, "%s", err);
  cr_assert(strstr(err, "ghost はこのストアに登録された審査員ではありません（shinsa reviewer add NAME --role ROLE "
                        "--key KEY.pub で登録します。'shinsa reviewer list' を参照してください）"),
            "%s", err);
  free(err);
  cr_assert_eq(th_run_in("en", NULL, &err, ghost), 2, "%s", err);
  cr_assert(strstr(err, "ghost is not a registered reviewer of this store"), "%s", err);
  free(err);
  free(sig), free(cmd), free(pfile), free(payload), free(dir), free(datadir), free(db);
}

/* ---------- the audit log (auditlog.c) ---------- */

Test(i18n_diag2, a_tampered_audit_log) {
  char *db = store_with_reviewer();
  cr_assert_eq(th_store_exec(db, "UPDATE audit_log SET content = content || 'x' WHERE seq = 2"), 1);
  const char *args[] = {"log", "verify", "--db", db, NULL};
  char *err = NULL;
  cr_assert_eq(th_run_in("ja", NULL, &err, args), 1, "%s", err);
  cr_assert(strstr(err, db), "the store is named: %s", err);
  cr_assert(strstr(err, "監査ログの行 2 が改変されています（ハッシュが内容、時刻、種類または参照と一致しません）"), "%s",
            err);
  free(err);
  cr_assert_eq(th_run_in("en", NULL, &err, args), 1, "%s", err);
  cr_assert(strstr(err, "audit row 2 was altered (its hash does not match its content, time, kind or reference)"),
            "%s", err);
  free(err);
  free(db);
}

/* ---------- probes (probe_conf.c, probe_ssh.c) ---------- */

Test(i18n_diag2, a_probe_include_leaving_the_root_and_fact_details) {
  char *dir = th_tmpdir();
  char *conf = th_write(dir, "etc/ssh/sshd_config", "PermitRootLogin no\nInclude ../../../../outside.conf\n");
  const char *args[] = {"probe", "--root", dir, NULL};
  char *where = sh_printf("%s:2", conf);
  char *out = NULL, *err = NULL;
  cr_assert_eq(th_run_in("ja", &out, &err, args), 3, "%s", err);
  th_assert_at(err, where, "Include ../../../../outside.conf を拒否しました: パスがプローブのルートの外に出ています");
  cr_assert(strstr(out, "system.ssh.permit_root_login = denied  (PermitRootLogin no（全体設定）)"), "%s", out);
  cr_assert(strstr(out, "(AuthenticationMethods の設定なし: OpenSSH の既定値 any（一つの方式で足りる）)"), "%s", out);
  free(out), free(err);
  cr_assert_eq(th_run_in("en", &out, &err, args), 3, "%s", err);
  th_assert_at(err, where, "Include ../../../../outside.conf refused: the path leaves the probe root");
  cr_assert(strstr(out, "(PermitRootLogin no (global))"), "%s", out);
  free(out), free(err);
  free(where), free(conf), free(dir);
}

/* ---------- expressions (expr.c: parse errors, placed in the framework file) ---------- */

Test(i18n_diag2, expression_parse_errors_in_a_framework) {
  char *src = th_data("datadir/checklists/test-fw.yaml"), *text = NULL;
  size_t len = 0;
  cr_assert_eq(sh_read_file(src, 1 << 20, &text, &len), 0);
  const char *good = "require: \"sec.certs contains any [isms, pmark]\"";
  char *at = strstr(text, good);
  cr_assert(at, "test-fw.yaml changed: update this test");
  at[strlen(good) - 2] = ' '; /* the list left open: "... [isms, pmark \"" */
  char *dir = th_tmpdir();
  char *fw = th_write(dir, "bad-fw.yaml", text);
  char *datadir = th_data("datadir");
  const char *args[] = {"lint", "--data-dir", datadir, fw, NULL};
  char *where = sh_printf("%s:20:51", fw);
  char *err = NULL;
  cr_assert_eq(th_run_in("ja", NULL, &err, args), 3, "%s", err);
  th_assert_at(err, where, "require 内: リストには ',' または ']' が必要ですが、式の終わり があります");
  free(err);
  cr_assert_eq(th_run_in("en", NULL, &err, args), 3, "%s", err);
  th_assert_at(err, where, "in require: expected ',' or ']' in list, found end of expression");
  free(err);
  free(where), free(datadir), free(fw), free(dir), free(text), free(src);
}

/* ---------- the quorum file (review.c) ---------- */

Test(i18n_diag2, quorum_file_errors) {
  char *db = store_with_reviewer(), *dir = th_tmpdir();
  char *qsrc = th_data("datadir/rules/quorum.yaml"), *text = NULL;
  size_t len = 0;
  cr_assert_eq(sh_read_file(qsrc, 1 << 20, &text, &len), 0);
  const char *good = "{role: auditor, count: 2}";
  char *at = strstr(text, good);
  cr_assert(at, "quorum.yaml changed: update this test");
  memcpy(at, "{role: auditor, count: 0}", strlen(good));
  /* a data dir: the test framework and vocabulary, this quorum file */
  char *rules = sh_printf("%s/rules", dir), *facts = th_data("facts.yaml"), *cl = th_data("datadir/checklists");
  char *quorum = th_write(rules, "quorum.yaml", text);
  char *lfacts = sh_printf("%s/facts.yaml", rules), *lcl = sh_printf("%s/checklists", dir);
  cr_assert_eq(symlink(facts, lfacts), 0);
  cr_assert_eq(symlink(cl, lcl), 0);
  const char *args[] = {"review", "1", "test-fw:2.2", "--decision", "accept", "--reviewer", "佐藤", "--role", "auditor",
                        "--data-dir", dir, "--db", db, "--key", th_key("佐藤"), NULL};
  /* the position of the 0: its line, and its column on that (ASCII) line */
  int ln = 1;
  const char *bol = text;
  for (const char *p = text; p < at; p++)
    if (*p == '\n') ln++, bol = p + 1;
  const char *zero = strstr(at, "count: 0") + strlen("count: ");
  char *where = sh_printf("%s:%d:%d", quorum, ln, (int)(zero - bol) + 1);
  char *err = NULL;
  cr_assert_eq(th_run_in("ja", NULL, &err, args), 3, "%s", err);
  th_assert_at(err, where, "count は 1 以上 100 以下でなければなりません（指定値: 0）");
  free(err);
  cr_assert_eq(th_run_in("en", NULL, &err, args), 3, "%s", err);
  th_assert_at(err, where, "count must be between 1 and 100, not 0");
  free(err);
  free(where);
  free(lfacts), free(lcl), free(quorum), free(rules), free(facts), free(cl), free(text), free(qsrc), free(dir), free(db);
}
