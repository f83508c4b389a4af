-- What the app role may do with the tables, given by their owner. Idempotent; run after
-- deploy/postgres-roles.sql and again after every `manage.py migrate` (as the owner role or a
-- superuser, connected to the app's database):
--
--   psql "postgres://district_owner:…@127.0.0.1/district" -v ON_ERROR_STOP=1 \
--       -v owner=district_owner -v app=district_app -f deploy/postgres-grants.sql
--
-- Tables created by later migrations get the row privileges at once (default privileges below);
-- re-running this script is what takes UPDATE and DELETE on the ledger (and every write on the
-- sheet totals) away again if a migration ever re-creates them. The ledger's trigger refuses
-- UPDATE and DELETE to everyone in any case.

\set ON_ERROR_STOP on

GRANT USAGE ON SCHEMA public TO :"app";

-- Rows: read and write. No TRUNCATE, REFERENCES or TRIGGER, and no ownership, so no ALTER
-- TABLE ... DISABLE TRIGGER and no DROP.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM :"app";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";

-- The same for tables and sequences the owner creates later (the next migrations).
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"app";

-- The credit ledger is append-only: the app may read it and add to it, nothing else.
SELECT format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM %I', tablename, :'app')
    FROM pg_tables WHERE schemaname = 'public' AND tablename = 'scoring_creditevent' \gexec

-- The sheet totals (scoring_sheettotal, scoring_schoolmonthtotal) are the ledger's running sums,
-- which the district's sheets read: the app may only read them. The ledger's trigger adds every
-- new row to them as the function's owner (SECURITY DEFINER, migration scoring/0009), so
-- publishing as the app role still keeps them; `manage.py sheet_totals --rebuild` runs as the
-- owner role, like migrate.
SELECT format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON %I FROM %I', tablename, :'app')
    FROM pg_tables WHERE schemaname = 'public'
        AND tablename IN ('scoring_sheettotal', 'scoring_schoolmonthtotal') \gexec
