-- c360 roles (SPEC §6), for an administrator (a superuser, or a user with CREATEROLE) to run once
-- per PostgreSQL cluster, before the first `c360 migrate`, when the warehouse's owner may not
-- create roles itself:
--
--   psql -h db -U postgres -d postgres -v ON_ERROR_STOP=1 -f deploy/postgres/roles.sql
--
-- Creates the three groups the migrations grant to, and one login user per job:
--   c360_owner         owns the database and its schemas; runs `c360 migrate`
--   c360_run           member of c360_writer only; runs `c360 run` / `backfill` (not the owner)
--   c360_bi            member of c360_reader only; BI tools (read-only)
--   c360_partner_acme  member of c360_partner only; an example partner (reads schema share only)
-- No password is set here, so none lands in a file, a shell history or the server log: set each one
-- with psql's \password (it sends only a SCRAM hash), e.g. `\password c360_run`.
-- Re-running the script changes nothing.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT * FROM (VALUES ('c360_writer', 'NOLOGIN', NULL),
                          ('c360_reader', 'NOLOGIN', NULL),
                          ('c360_partner', 'NOLOGIN', NULL),
                          ('c360_owner', 'LOGIN', NULL),
                          ('c360_run', 'LOGIN', 'c360_writer'),
                          ('c360_bi', 'LOGIN', 'c360_reader'),
                          ('c360_partner_acme', 'LOGIN', 'c360_partner')) AS v(name, login, grp)
  LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r.name) THEN
      EXECUTE format('CREATE ROLE %I %s', r.name, r.login);
    END IF;
    IF r.grp IS NOT NULL AND NOT pg_has_role(r.name, r.grp, 'MEMBER') THEN
      EXECUTE format('GRANT %I TO %I', r.grp, r.name);
    END IF;
  END LOOP;
END $$;
