-- The privileges of the role reviewers use with a shinsa store in PostgreSQL (docs/postgresql.md). Run by the
-- owner of the schema (the role that ran `shinsa db migrate`) after the tables exist. tests/test_store.c applies
-- this file (the role and schema renamed) and checks that the role records runs and reviews through shinsa but
-- cannot UPDATE, DELETE or TRUNCATE the audit log or the rows it covers.
GRANT USAGE ON SCHEMA shinsa TO shinsa_reviewer;
-- read everything, append rows (runs, reviews, waivers, roster events, revocations, audit rows)
GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA shinsa TO shinsa_reviewer;
-- the one row a writer changes: the highest audit row handed out (found again by `log verify` if lowered)
GRANT UPDATE (last) ON shinsa.audit_seq TO shinsa_reviewer;
-- nothing else: no UPDATE, DELETE or TRUNCATE (not granted above; revoked here should an earlier GRANT have given it)
REVOKE UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA shinsa FROM shinsa_reviewer;
GRANT UPDATE (last) ON shinsa.audit_seq TO shinsa_reviewer;
