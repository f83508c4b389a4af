-- PostgreSQL roles for the portal: the app runs without a superuser.
--
--   owner  (e.g. district_owner) owns the database and every table; `manage.py migrate` runs as it.
--   app    (e.g. district_app)   what gunicorn and the worker connect as: reads and writes rows,
--                                owns nothing, so it cannot ALTER or DROP a table, disable a
--                                trigger or TRUNCATE; on the credit ledger it may only SELECT
--                                and INSERT (and the ledger's trigger refuses UPDATE and DELETE
--                                from anyone).
--
-- Run once, as a PostgreSQL superuser, on the database server (idempotent: running it again
-- changes nothing but the passwords):
--
--   sudo -u postgres psql -v ON_ERROR_STOP=1 \
--       -v db=district -v owner=district_owner -v app=district_app \
--       -v owner_password='…' -v app_password='…' \
--       -f deploy/postgres-roles.sql
--
-- Then migrate as the owner and re-apply the grants (deploy/postgres-grants.sql, also after every
-- later migrate; see docs/deploy-database.md):
--
--   DATABASE_URL=postgres://district_owner:…@127.0.0.1/district python manage.py migrate
--   psql "postgres://district_owner:…@127.0.0.1/district" -v ON_ERROR_STOP=1 \
--       -v owner=district_owner -v app=district_app -f deploy/postgres-grants.sql
--
-- and give the app DATABASE_URL=postgres://district_app:…@127.0.0.1/district.

\set ON_ERROR_STOP on

-- Roles: able to log in, nothing more (no superuser, no CREATEDB/CREATEROLE, no replication, no
-- row-security bypass). The app role is not a member of the owner role.
SELECT format('CREATE ROLE %I LOGIN', :'owner')
    WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN', :'app')
    WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app') \gexec
ALTER ROLE :"owner" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'owner_password';
ALTER ROLE :"app" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'app_password';
REVOKE :"owner" FROM :"app";

-- The database, owned by the owner role (which so owns its `public` schema, PostgreSQL 15).
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'db', :'owner', 'UTF8')
    WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
ALTER DATABASE :"db" OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";

\connect :"db"
-- Only the owner creates objects in the schema (PostgreSQL 15's default; older ones let anyone).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

\ir postgres-grants.sql
