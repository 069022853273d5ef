-- The application role: requests run as this role (SET LOCAL ROLE), never as the owner, so that row-level security
-- applies. Roles are cluster-wide, so another database on the same server may already have created it.
DO $$
BEGIN
  CREATE ROLE samordna_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;

GRANT samordna_app TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO samordna_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO samordna_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO samordna_app;

CREATE FUNCTION current_association_id() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.association_id', true), '')::uuid $$;

-- Every table with an association_id calls this: the application role sees and writes only the current association's
-- rows; the owner (migrations, backup, restore, demo) keeps full access. FORCE makes the policy bind the owner too
-- where the owner is not a superuser.
CREATE FUNCTION enable_tenant_isolation(target regclass) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s TO samordna_app '
    'USING (association_id = current_association_id()) WITH CHECK (association_id = current_association_id())',
    target);
  EXECUTE format('CREATE POLICY owner_maintenance ON %s TO %I USING (true) WITH CHECK (true)', target, current_user);
END
$$;
