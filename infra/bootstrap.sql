-- Keyhaven database bootstrap: run once, as the cluster's master user (keyhaven_admin, password in
-- the RDS-managed secret), against the database named in infra/database.yaml (keyhaven):
--
--   psql "host=<cluster writer endpoint> dbname=keyhaven user=keyhaven_admin sslmode=require" \
--        -v app_password="$(aws secretsmanager get-secret-value --secret-id <DatabaseSecretArn> \
--                            --query SecretString --output text | jq -r .password)" \
--        -f infra/bootstrap.sql
--
-- The application role owns Keyhaven's schema: the migrate handler creates and upgrades the tables
-- in it (db/migration, under an advisory lock); the functions use the same role. Nothing else in
-- the database is reachable by it.

CREATE ROLE keyhaven LOGIN PASSWORD :'app_password';
-- The master user may then create the schema on the role's behalf.
GRANT keyhaven TO CURRENT_USER;
REVOKE ALL ON DATABASE keyhaven FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE keyhaven TO keyhaven;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
CREATE SCHEMA keyhaven AUTHORIZATION keyhaven;
ALTER ROLE keyhaven SET search_path = keyhaven;
-- A transaction left open by a frozen Lambda instance must not hold row locks (the audit chain's
-- head row) for long: the server ends such a session, its transaction rolls back.
ALTER ROLE keyhaven SET idle_in_transaction_session_timeout = '60s';
-- Commits are durable before Keyhaven answers (audit events, key material): PostgreSQL's default.
ALTER ROLE keyhaven SET synchronous_commit = on;
